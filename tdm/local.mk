# tdm: the gateway's PRI spans and per-call TDM legs (on tdm/pri)
noinst_LIBRARIES += tdm/libsipritdm.a
tdm_libsipritdm_a_SOURCES = tdm/tdm.h tdm/tdm_int.h \
	tdm/span.c tdm/restart.c tdm/leg.c tdm/party.c tdm/overlap.c
tdm_libsipritdm_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
