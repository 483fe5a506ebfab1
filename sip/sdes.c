/*
 * sip/sdes.c: the SDP crypto attribute of RFC 4568 (SDES), as sipri
 * speaks it: AES_CM_128_HMAC_SHA1_80 and AES_CM_128_HMAC_SHA1_32
 * (RFC 4568 §6.2) with one inline key (§6.1, §9.1).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

static const struct {
	const char *name;
	enum srtp_suite suite;
} suites[] = {
	{"AES_CM_128_HMAC_SHA1_80", SRTP_AES_CM_128_HMAC_SHA1_80},
	{"AES_CM_128_HMAC_SHA1_32", SRTP_AES_CM_128_HMAC_SHA1_32},
};

const char *sipsdes_suite_name(enum srtp_suite suite)
{
	for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
		if (suites[i].suite == suite)
			return suites[i].name;
	return "?";
}

static int suite_find(const struct pl *name, enum srtp_suite *suite)
{
	for (size_t i = 0; i < ARRAY_SIZE(suites); i++) {
		if (!pl_strcmp(name, suites[i].name)) {
			*suite = suites[i].suite;
			return 0;
		}
	}
	return ENOTSUP;
}

/*
 * RFC 4568 §6.1: key-param = "inline:" key||salt ["|" lifetime]
 * ["|" MKI ":" length].  A lifetime is taken as given (we rekey never);
 * an MKI is not supported by libre's SRTP, so a line with one is not
 * usable unless its length is 0.
 */
static int key_decode(const struct pl *kp, uint8_t *key)
{
	struct pl b64, rest;
	uint8_t buf[64];
	size_t n = sizeof(buf);

	/* re_regex finds a match anywhere: it must start the field */
	if (re_regex(kp->p, kp->l, "inline:[^|]+[^]*", &b64, &rest) ||
	    b64.p != kp->p + 7)
		return EBADMSG;
	if (base64_decode(b64.p, b64.l, buf, &n) || n != SIPSDES_KEYLEN)
		return EBADMSG;
	while (rest.l) {
		struct pl f, mki, len;

		if (re_regex(rest.p, rest.l, "|[^|]*", &f))
			return EBADMSG;
		pl_advance(&rest, f.l + 1);
		if (!re_regex(f.p, f.l, "[0-9]+:[0-9]+", &mki, &len) &&
		    pl_u32(&len) != 0)
			return ENOTSUP;   /* an MKI */
	}
	memcpy(key, buf, SIPSDES_KEYLEN);
	return 0;
}

/*
 * RFC 4568 §9.1: a=crypto:<tag> <crypto-suite> <key-params>
 * [<session-params>]; value is what follows "a=crypto:".  ENOTSUP: well
 * formed, but not for us (another suite, an MKI, session parameters,
 * which §6.3 lets us refuse).
 */
int sipsdes_decode(struct sipsdes *c, const char *value)
{
	struct pl tag, suite, kp, sp;

	if (!c || !value)
		return EINVAL;
	if (re_regex(value, strlen(value),
		     "[0-9]+[ \t]+[^ \t]+[ \t]+[^ \t]+[^]*",
		     &tag, NULL, &suite, NULL, &kp, &sp) || tag.p != value)
		return EBADMSG;
	if (tag.l > 9)   /* §9.1: 1*9DIGIT */
		return EBADMSG;
	c->tag = pl_u32(&tag);
	if (suite_find(&suite, &c->suite))
		return ENOTSUP;
	if (re_regex(sp.p, sp.l, "[^ \t\r\n]+", NULL) == 0)
		return ENOTSUP;
	return key_decode(&kp, c->key);
}

/* the value of our a=crypto attribute (after "crypto:") */
int sipsdes_encode(struct re_printf *pf, void *arg)
{
	const struct sipsdes *c = arg;
	char b64[48];
	size_t n = sizeof(b64);
	int err;

	err = base64_encode(c->key, SIPSDES_KEYLEN, b64, &n);
	if (err)
		return err;
	return re_hprintf(pf, "%u %s inline:%b", c->tag,
			  sipsdes_suite_name(c->suite), b64, n);
}
