# pbxsim: the scriptable PRI peer (see tdm/pbxsim/README)
# SPDX-License-Identifier: GPL-2.0-or-later

# pbxsim is the first user of tdm/pri; move this include to Makefile.am
# once the gateway links libtdmpri.a too.
include $(top_srcdir)/tdm/pri/local.mk

noinst_LIBRARIES += tdm/pbxsim/libpbxsim.a
tdm_pbxsim_libpbxsim_a_SOURCES = \
	tdm/pbxsim/pbxsim.h \
	tdm/pbxsim/action.c tdm/pbxsim/audio.c tdm/pbxsim/auto.c \
	tdm/pbxsim/call.c tdm/pbxsim/calls.c tdm/pbxsim/expect.c \
	tdm/pbxsim/load.c tdm/pbxsim/log.c tdm/pbxsim/run.c \
	tdm/pbxsim/script.c tdm/pbxsim/tone.c \
	tdm/pbxsim/cadence.c tdm/pbxsim/tone_expect.c \
	tdm/pbxsim/hybrid.c
tdm_pbxsim_libpbxsim_a_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(RE_DEFS) \
	$(SPANDSP_CFLAGS)

bin_PROGRAMS += tdm/pbxsim/pbxsim
tdm_pbxsim_pbxsim_SOURCES = tdm/pbxsim/main.c
tdm_pbxsim_pbxsim_CPPFLAGS = $(tdm_pbxsim_libpbxsim_a_CPPFLAGS)
tdm_pbxsim_pbxsim_LDADD = tdm/pbxsim/libpbxsim.a tdm/pri/libtdmpri.a \
	$(PRI_LIBS) $(RE_LIBS) $(SPANDSP_LIBS) -lm
EXTRA_DIST += tdm/pbxsim/README
