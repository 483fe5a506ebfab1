/*
 * RFC 4568 a=crypto (sip/sdes.c), row by row: the two suites sipri
 * speaks with an inline key, what it refuses as not for it (ENOTSUP:
 * other suites, an MKI, session parameters) or as malformed (EBADMSG),
 * and our own lines read back.  Then on a leg (sip/srtp.c): after we
 * answered an offer with the peer's tag, our next offer (re-INVITE,
 * UPDATE, hold) lists our two suites with tags 1 and 2 and the keys we
 * had, and the answer naming one of them keys SRTP.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"
#include "tests/unit/legkit.h"

/* 30 octets 0x00..0x1d in base64 (RFC 4568 §6.1: key||salt) */
#define KEY "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"

static void test_decode(void)
{
	static const struct {
		const char *val;
		int err;
		uint32_t tag;
		enum srtp_suite suite;
	} rows[] = {
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY, 0, 1,
		 SRTP_AES_CM_128_HMAC_SHA1_80},
		{"7 AES_CM_128_HMAC_SHA1_32 inline:" KEY "|2^20", 0, 7,
		 SRTP_AES_CM_128_HMAC_SHA1_32},
		{"2 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^31|1:0", 0, 2,
		 SRTP_AES_CM_128_HMAC_SHA1_80},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "|2^20|1:4", ENOTSUP,
		 0, 0},
		{"1 AES_256_CM_HMAC_SHA1_80 inline:" KEY, ENOTSUP, 0, 0},
		{"1 F8_128_HMAC_SHA1_80 inline:" KEY, ENOTSUP, 0, 0},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:" KEY " KDR=1", ENOTSUP,
		 0, 0},
		{"1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQF", EBADMSG, 0, 0},
		{"1 AES_CM_128_HMAC_SHA1_80 " KEY, EBADMSG, 0, 0},
		{"1234567890 AES_CM_128_HMAC_SHA1_80 inline:" KEY, EBADMSG,
		 0, 0},
		{"x AES_CM_128_HMAC_SHA1_80 inline:" KEY, EBADMSG, 0, 0},
		{"1 AES_CM_128_HMAC_SHA1_80", EBADMSG, 0, 0},
		{"a 1 AES_CM_128_HMAC_SHA1_80 inline:" KEY, EBADMSG, 0, 0},
		{"1 AES_CM_128_HMAC_SHA1_80 xinline:" KEY, EBADMSG, 0, 0},
		{"", EBADMSG, 0, 0},
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct sipsdes c;
		int err;

		memset(&c, 0, sizeof(c));
		err = sipsdes_decode(&c, rows[i].val);
		ok(err == rows[i].err && (err || (c.tag == rows[i].tag &&
		   c.suite == rows[i].suite && c.key[0] == 0 &&
		   c.key[29] == 29)), "\"%s\": %d (want %d)", rows[i].val,
		   err, rows[i].err);
	}
}

/* our line, as sipsrtp puts it in the SDP, decodes to what it says */
static void test_roundtrip(void)
{
	struct sipsdes in = {.tag = 2, .suite = SRTP_AES_CM_128_HMAC_SHA1_32};
	struct sipsdes out;
	char buf[128];

	for (size_t i = 0; i < SIPSDES_KEYLEN; i++)
		in.key[i] = (uint8_t)(0xa0 + i);
	re_snprintf(buf, sizeof(buf), "%H", sipsdes_encode, &in);
	ok(!strncmp(buf, "2 AES_CM_128_HMAC_SHA1_32 inline:", 33) &&
	   strlen(buf) == 33 + 40, "encoded: %s", buf);
	ok(!sipsdes_decode(&out, buf) && out.tag == 2 &&
	   out.suite == in.suite && !memcmp(out.key, in.key, SIPSDES_KEYLEN),
	   "it decodes to the same tag, suite and key");
}

/* the crypto attribute of sdp with tag, decoded; false: none */
static bool crypto_tag(const struct mbuf *sdp, uint32_t tag,
		       struct sipsdes *c)
{
	struct pl rest, val;
	char line[128];

	rest.p = (const char *)sdp->buf;
	rest.l = sdp->end;
	while (!re_regex(rest.p, rest.l, "a=crypto:[^\r\n]+", &val)) {
		pl_advance(&rest, (size_t)(val.p - rest.p) + val.l);
		if (pl_strcpy(&val, line, sizeof(line)) ||
		    sipsdes_decode(c, line))
			continue;
		if (c->tag == tag)
			return true;
	}
	return false;
}

static unsigned crypto_count(const struct mbuf *sdp)
{
	struct pl rest, val;
	unsigned n = 0;

	rest.p = (const char *)sdp->buf;
	rest.l = sdp->end;
	while (!re_regex(rest.p, rest.l, "a=crypto:[^\r\n]+", &val)) {
		pl_advance(&rest, (size_t)(val.p - rest.p) + val.l);
		n++;
	}
	return n;
}

static void test_reoffer(void)
{
	static struct sipua ua;
	struct sipleg *leg = NULL;
	struct mbuf *answer = NULL, *offer = NULL;
	struct sip_msg *msg = NULL;
	struct sipsdes ans, o1, o2;
	char sdp[512];
	int err;

	ua.conf.peers[0].media = SIPUA_MEDIA_SRTP;
	err = kit_leg(&ua, &leg, false);
	/* the peer's offer: tag 5, _80 */
	(void)kit_sdp(sdp, sizeof(sdp), 7000, "RTP/SAVP",
		      "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n");
	msg = kit_sdp_msg(true, sdp);
	err = err ? err : sipmedia_answer_from(leg, msg, &answer);
	msg = mem_deref(msg);
	if (!ok(!err && answer && crypto_tag(answer, 5, &ans) &&
		crypto_count(answer) == 1 && sipsrtp_on(leg),
		"an offer with tag 5 answered with tag 5, our _80 key"))
		goto out;
	err = sipmedia_offer(leg, &offer);
	ok(!err && offer && crypto_count(offer) == 2 &&
	   crypto_tag(offer, 1, &o1) && crypto_tag(offer, 2, &o2) &&
	   o1.suite == SRTP_AES_CM_128_HMAC_SHA1_80 &&
	   o2.suite == SRTP_AES_CM_128_HMAC_SHA1_32,
	   "our next offer: tag 1 _80 and tag 2 _32, not the peer's tag 5");
	ok(!memcmp(o1.key, ans.key, SIPSDES_KEYLEN),
	   "... tag 1 with the key we answered with (RFC 4568 §7.1.4)");
	/* the peer answers with the tag our offer gave _80 */
	(void)kit_sdp(sdp, sizeof(sdp), 7000, "RTP/SAVP",
		      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n");
	msg = kit_sdp_msg(false, sdp);
	ok(!sipmedia_take_answer(leg, msg) && sipsrtp_on(leg),
	   "its answer with tag 1 is taken: SRTP stays keyed");
	msg = mem_deref(msg);
	(void)kit_sdp(sdp, sizeof(sdp), 7000, "RTP/SAVP",
		      "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n");
	msg = kit_sdp_msg(false, sdp);
	offer = mem_deref(offer);
	err = sipmedia_offer(leg, &offer);
	ok(!err && sipmedia_take_answer(leg, msg) == EPROTO,
	   "an answer naming a tag we did not offer (5): refused");
 out:
	mem_deref(msg);
	mem_deref(answer);
	mem_deref(offer);
	mem_deref(leg);
}

int main(void)
{
	test_decode();
	test_roundtrip();
	libre_init();
	log_init("test_sdes", true, LOG_LVL_WARN);
	test_reoffer();
	libre_close();
	return tap_done();
}
