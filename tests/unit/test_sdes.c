/*
 * RFC 4568 a=crypto (sip/sdes.c), row by row: the two suites sipri
 * speaks with an inline key, what it refuses as not for it (ENOTSUP:
 * other suites, an MKI, session parameters) or as malformed (EBADMSG),
 * and our own lines read back.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"

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

int main(void)
{
	test_decode();
	test_roundtrip();
	return tap_done();
}
