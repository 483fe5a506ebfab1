# gateway/: the sipri daemon - the main loop (main.c), the glue between
# the call core and the two legs (gw.c, legs.c, overlap.c, dtmf_relay.c,
# progress.c, dspctl.c) and the SIP trunks' state (trunk.c).  The rooms
# below it: call/, media/, route/, config/ (doc/ARCHITECTURE).
# SPDX-License-Identifier: GPL-2.0-or-later
bin_PROGRAMS += gateway/sipri
gateway_sipri_SOURCES = gateway/main.c gateway/gw.h gateway/gw.c \
	gateway/legs.c gateway/overlap.c gateway/trunk.h gateway/trunk.c \
	gateway/dtmf_relay.c gateway/progress.c gateway/dspctl.c
gateway_sipri_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) \
	-DSYSCONFDIR='"$(sysconfdir)"'
gateway_sipri_LDADD = gateway/config/libsipriconfig.a \
	gateway/route/libsipriroute.a gateway/call/libsipricall.a \
	gateway/mplane/libsiprimplane.a gateway/media/libsiprimedia.a \
	sip/libsipri_sip.a tdm/libsipritdm.a tdm/pri/libtdmpri.a \
	common/libsipricommon.a \
	$(RE_LIBS) $(PRI_LIBS) $(SPANDSP_LIBS) $(TONEZONE_LIBS) -lm -lpthread
