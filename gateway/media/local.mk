# gateway/media/: the media path's DSP - the bridge (media.c), jitter
# buffer, DTMF, echo control and tones.  Pure: no sockets, no config.
# SPDX-License-Identifier: GPL-2.0-or-later
noinst_LIBRARIES += gateway/media/libsiprimedia.a
gateway_media_libsiprimedia_a_SOURCES = \
	gateway/media/media.h gateway/media/media.c \
	gateway/media/jb.h gateway/media/jb.c \
	gateway/media/dtmf.h gateway/media/dtmf.c \
	gateway/media/echo.h gateway/media/echo.c \
	gateway/media/media_ec.h gateway/media/media_ec.c \
	gateway/media/tone.h gateway/media/tone.c \
	gateway/media/rtpstat.h gateway/media/rtpstat.c
gateway_media_libsiprimedia_a_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) \
	$(SPANDSP_CFLAGS)
MEDIA_LIBS = gateway/media/libsiprimedia.a common/libsipricommon.a \
	$(RE_LIBS) $(SPANDSP_LIBS) -lm
MEDIA_TEST_CFLAGS = $(AM_CFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)

TESTS += tests/unit/test_jb tests/unit/test_media tests/unit/test_echo \
	tests/unit/test_tone
check_PROGRAMS += tests/unit/test_jb tests/unit/test_media \
	tests/unit/test_echo tests/unit/test_tone
tests_unit_test_jb_CFLAGS = $(MEDIA_TEST_CFLAGS)
tests_unit_test_jb_LDADD = $(MEDIA_LIBS)
tests_unit_test_media_CFLAGS = $(MEDIA_TEST_CFLAGS)
tests_unit_test_media_LDADD = $(MEDIA_LIBS)
tests_unit_test_echo_CFLAGS = $(MEDIA_TEST_CFLAGS)
tests_unit_test_echo_LDADD = $(MEDIA_LIBS)
# the tones are measured by pbxsim's cadence meter
tests_unit_test_tone_CPPFLAGS = $(PBXSIM_TEST_CPPFLAGS)
tests_unit_test_tone_LDADD = gateway/media/libsiprimedia.a \
	$(PBXSIM_TEST_LDADD) $(TONEZONE_LIBS)

# the DTMF detector and generator, the SIP INFO bodies they feed and
# the dtmf_* configuration keys
TESTS += tests/unit/test_dtmf
check_PROGRAMS += tests/unit/test_dtmf
tests_unit_test_dtmf_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS) $(SPANDSP_CFLAGS)
tests_unit_test_dtmf_LDADD = sip/libsipri_sip.a \
	gateway/config/libsipriconfig.a gateway/route/libsipriroute.a \
	$(MEDIA_LIBS) $(TONEZONE_LIBS)

# fuzz target for the tone-string parser; corpus replayed by make check
TESTS += tests/fuzz/fuzz_tone.sh
check_PROGRAMS += tests/fuzz/fuzz_tone
tests_fuzz_fuzz_tone_CFLAGS = $(MEDIA_TEST_CFLAGS)
tests_fuzz_fuzz_tone_LDADD = tests/fuzz/libreplay.a $(MEDIA_LIBS) \
	$(TONEZONE_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_tone.sh

# the media path's cost per frame (a benchmark, not run by make check)
noinst_PROGRAMS += tests/bench/media_bench
tests_bench_media_bench_CFLAGS = $(MEDIA_TEST_CFLAGS)
tests_bench_media_bench_LDADD = $(MEDIA_LIBS)

# RTP reception statistics: RFC 3550 A.3 loss across the wrap, duplicates,
# A.8 jitter, a restart on a big jump
TESTS += tests/unit/test_rtpstat
check_PROGRAMS += tests/unit/test_rtpstat
tests_unit_test_rtpstat_CFLAGS = $(MEDIA_TEST_CFLAGS)
tests_unit_test_rtpstat_LDADD = $(MEDIA_LIBS)
