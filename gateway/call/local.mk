# gateway/call/: the call state table (fsm.c) and the call objects
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += gateway/call/libsipricall.a
gateway_call_libsipricall_a_SOURCES = \
	gateway/call/call.h gateway/call/call_int.h \
	gateway/call/call.c gateway/call/fsm.c
gateway_call_libsipricall_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)

# the state table against a checked-in transcript
TESTS += tests/unit/test_fsm
check_PROGRAMS += tests/unit/test_fsm
EXTRA_DIST += tests/unit/fsm_test.ok
tests_unit_test_fsm_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_unit_test_fsm_LDADD = gateway/call/libsipricall.a \
	common/libsipricommon.a $(RE_LIBS)
