# common/: the leaf library every room links - the neutral call-control
# language (cc), numbers as SIP URI users (sipuser), logging (log), the
# loop's timers (timer, on libre's fd_listen) and a queue between two
# threads' loops (mpq).
# It includes nothing of the project outside itself (tests/build/rooms.sh
# checks it).
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += common/libsipricommon.a
common_libsipricommon_a_SOURCES = common/cc.h common/cc.c \
	common/sipuser.h common/sipuser.c \
	common/log.h common/log.c \
	common/timer.h common/timer.c \
	common/pcap.h common/pcap.c \
	common/tonemeter.h common/tonemeter.c \
	common/memtrim.h common/memtrim.c \
	common/mpq.h common/mpq.c
common_libsipricommon_a_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)

# the one writer of SIP URI user parts: escaping, '+', overflow
TESTS += tests/unit/test_sipuser
check_PROGRAMS += tests/unit/test_sipuser
tests_unit_test_sipuser_LDADD = common/libsipricommon.a

# log lines: peer text made safe (control characters as %HH), private
# numbers hidden below debug level
TESTS += tests/unit/test_log
check_PROGRAMS += tests/unit/test_log
tests_unit_test_log_LDADD = common/libsipricommon.a

# pcap traces: the file and record headers, LAPD's pseudo-header, IPv4
# and IPv6 packets with good checksums, TCP sequence numbers per direction
TESTS += tests/unit/test_pcap
check_PROGRAMS += tests/unit/test_pcap
tests_unit_test_pcap_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_pcap_LDADD = common/libsipricommon.a $(RE_LIBS)

# the loop's timer heap: order, FIFO, cancellation, restarts from a
# handler, 100k timers with the heap checked, and a run in re_main
# libre's tmr_start() interposed (tmrlist.c, linked into the daemon only)
TESTS += tests/unit/test_tmrlist
check_PROGRAMS += tests/unit/test_tmrlist
tests_unit_test_tmrlist_SOURCES = tests/unit/test_tmrlist.c \
	common/tmrlist.h common/tmrlist.c
tests_unit_test_tmrlist_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_tmrlist_LDFLAGS = -Wl,--export-dynamic-symbol=tmr_start
tests_unit_test_tmrlist_LDADD = $(RE_LIBS)

TESTS += tests/unit/test_timer
check_PROGRAMS += tests/unit/test_timer
tests_unit_test_timer_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_unit_test_timer_LDADD = common/libsipricommon.a $(RE_LIBS)

# memory back to the kernel (memtrim.c): the rule, and RSS falling once
# most of a large heap is freed.  Built without the sanitizers, whose
# allocators are not glibc's.
TESTS += tests/unit/test_memtrim
check_PROGRAMS += tests/unit/test_memtrim
tests_unit_test_memtrim_SOURCES = tests/unit/test_memtrim.c \
	common/memtrim.h common/memtrim.c common/log.h common/log.c
tests_unit_test_memtrim_CFLAGS = -std=gnu11 -g $(WARN_CFLAGS)
tests_unit_test_memtrim_LDFLAGS =
