# tdm/: the gateway's PRI spans and per-call TDM legs (on tdm/pri)
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += tdm/libsipritdm.a
tdm_libsipritdm_a_SOURCES = tdm/tdm.h tdm/tdm_int.h \
	tdm/span.c tdm/restart.c tdm/leg.c tdm/party.c tdm/overlap.c \
	tdm/log.c
tdm_libsipritdm_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)

# overlap receiving's digit filter and INFORMATION handling
TESTS += tests/unit/test_tdm_overlap
check_PROGRAMS += tests/unit/test_tdm_overlap
tests_unit_test_tdm_overlap_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_unit_test_tdm_overlap_LDADD = tdm/libsipritdm.a tdm/pri/libtdmpri.a \
	common/libsipricommon.a $(PRI_LIBS) $(RE_LIBS) -lm
