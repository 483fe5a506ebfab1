# 100rel/PRACK (RFC 3262) and the progress-indicator <-> 18x policy
# (issue 4 items 1-3): end-to-end cases over vdahdi with pbxsim and SIPp
# SPDX-License-Identifier: GPL-2.0-or-later
PRACK_E2E = tests/e2e/gw_prack_uas.sh tests/e2e/gw_prack_uac.sh \
	tests/e2e/gw_pi.sh tests/e2e/gw_prack_policy.sh
TESTS += $(PRACK_E2E)
EXTRA_DIST += $(PRACK_E2E) tests/e2e/prack.mk tests/e2e/prack_lib.sh \
	tests/e2e/sipp/prack_uac.xml tests/e2e/sipp/prack_lost.xml \
	tests/e2e/sipp/prack_uac_lo.xml tests/e2e/sipp/prack_uac_offer.xml \
	tests/e2e/sipp/prack_uas.xml tests/e2e/sipp/prack_uas_fork.xml \
	tests/e2e/sipp/pi_uas.xml tests/e2e/sipp/prack_none.xml

# fuzz target for the RAck/RSeq parsers; its corpus is replayed by make check
TESTS += tests/fuzz/fuzz_rel100.sh
check_PROGRAMS += tests/fuzz/fuzz_rel100
tests_fuzz_fuzz_rel100_SOURCES = tests/fuzz/fuzz_rel100.c gateway/cc.c \
	gateway/log.c
tests_fuzz_fuzz_rel100_CPPFLAGS = $(AM_CPPFLAGS) $(RE_CFLAGS)
tests_fuzz_fuzz_rel100_LDADD = tests/fuzz/libreplay.a sip/libsipri_sip.a \
	$(RE_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_rel100.sh tests/fuzz/corpus/rel100
