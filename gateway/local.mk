# gateway: the call core (state machine, calls, logging)
noinst_LIBRARIES += gateway/libsipricore.a
gateway_libsipricore_a_SOURCES = \
	gateway/cc.h gateway/cc.c gateway/log.h gateway/log.c \
	gateway/call.h gateway/call_int.h gateway/call.c gateway/fsm.c \
	gateway/jb.h gateway/jb.c gateway/media.h gateway/media.c
gateway_libsipricore_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)

TESTS += tests/unit/test_fsm
check_PROGRAMS += tests/unit/test_fsm
EXTRA_DIST += tests/unit/fsm_test.ok
tests_unit_test_fsm_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS)
tests_unit_test_fsm_LDADD = gateway/libsipricore.a $(RE_LIBS)

TESTS += tests/unit/test_jb
check_PROGRAMS += tests/unit/test_jb
tests_unit_test_jb_LDADD = gateway/libsipricore.a $(RE_LIBS)

TESTS += tests/unit/test_media
check_PROGRAMS += tests/unit/test_media
tests_unit_test_media_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)
tests_unit_test_media_LDADD = gateway/libsipricore.a $(RE_LIBS) $(SPANDSP_LIBS) -lm
