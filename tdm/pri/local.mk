# tdm/pri: DAHDI channels, a libpri instance in libre's loop, B-channel
# audio.  Shared by pbxsim and the gateway.
# SPDX-License-Identifier: GPL-2.0-or-later

# libre 1.1.0's headers only compile with the -D flags its own build used
# (/usr/share/re/re.mk); pkg-config gives just the -I.  HAVE_INET6 also
# fixes the layout of struct sa, so every user of libre must agree on it.
RE_DEFS = -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H -DHAVE_INET6

noinst_LIBRARIES += tdm/pri/libtdmpri.a
tdm_pri_libtdmpri_a_SOURCES = \
	tdm/pri/tdmpri.h \
	tdm/pri/bchan.c tdm/pri/bchanio.c tdm/pri/dahdi.c tdm/pri/dchanio.c \
	tdm/pri/link.c \
	tdm/pri/names.c
tdm_pri_libtdmpri_a_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS)
EXTRA_DIST += tdm/pri/local.mk

# a B-channel read on a clock (bchanio.c), over vdahdi: numbered blocks
# each once and in order across a stalled loop, about one read a block,
# no poll and no poll notification once the clock runs
TESTS += tests/unit/vd_bchanio.sh
EXTRA_DIST += tests/unit/vd_bchanio.sh
check_PROGRAMS += tests/unit/test_bchanio
tests_unit_test_bchanio_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS)
tests_unit_test_bchanio_LDADD = tdm/pri/libtdmpri.a \
	common/libsipricommon.a $(PRI_LIBS) $(RE_LIBS) -lpthread

# a D-channel through its own threads (dchanio.c), over vdahdi: frames in
# order at one read apiece with no poll, sends that only queue, events,
# and the queue drained when it is freed
TESTS += tests/unit/vd_dchanio.sh
EXTRA_DIST += tests/unit/vd_dchanio.sh
check_PROGRAMS += tests/unit/test_dchanio
tests_unit_test_dchanio_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS)
tests_unit_test_dchanio_LDADD = tdm/pri/libtdmpri.a \
	common/libsipricommon.a $(PRI_LIBS) $(RE_LIBS) -lpthread
