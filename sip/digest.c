/*
 * sip/digest.c: the HTTP Digest computation SIP borrows (RFC 3261 §22.4),
 * with MD5 and SHA-256 (RFC 8760 §2.2, RFC 7616 §3.4.1) and qop=auth:
 *
 *   HA1      = H(username ":" realm ":" password)
 *   HA2      = H(method ":" digest-uri)
 *   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
 *
 * H is lower-case hex of the algorithm's hash.  libre 1.1.0's httpauth
 * knows MD5 only, so the hashing is OpenSSL's (libcrypto, which libre
 * already links).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <openssl/evp.h>
#include "sip/sip_int.h"

static const EVP_MD *alg_md(enum sipdigest_alg alg)
{
	return alg == SIPDIGEST_SHA256 ? EVP_sha256() : EVP_md5();
}

const char *sipdigest_alg_name(enum sipdigest_alg alg)
{
	return alg == SIPDIGEST_SHA256 ? "SHA-256" : "MD5";
}

/* RFC 7616 §3.3: absent means MD5; names compare case-insensitively */
int sipdigest_alg_decode(const struct pl *name, enum sipdigest_alg *alg)
{
	if (!pl_isset(name) || !pl_strcasecmp(name, "MD5"))
		*alg = SIPDIGEST_MD5;
	else if (!pl_strcasecmp(name, "SHA-256"))
		*alg = SIPDIGEST_SHA256;
	else
		return ENOTSUP;
	return 0;
}

/* hex = H(printf(fmt, ...)); hex holds SIPDIGEST_HEXLEN + 1 */
static int hash_hex(char *hex, enum sipdigest_alg alg, const char *fmt, ...)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char *s = NULL;
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = re_vsdprintf(&s, fmt, ap);
	va_end(ap);
	if (err)
		return err;
	if (!EVP_Digest(s, strlen(s), md, &mdlen, alg_md(alg), NULL))
		err = EPROTO;
	mem_deref(s);
	if (err)
		return err;
	return re_snprintf(hex, SIPDIGEST_HEXLEN + 1, "%w", md,
			   (size_t)mdlen) < 0 ? EPROTO : 0;
}

int sipdigest_response(char *hex, const struct sipdigest_in *in)
{
	char ha1[SIPDIGEST_HEXLEN + 1], ha2[SIPDIGEST_HEXLEN + 1];
	int err;

	if (!hex || !in)
		return EINVAL;
	err  = hash_hex(ha1, in->alg, "%r:%r:%r", &in->user, &in->realm,
			&in->password);
	err |= hash_hex(ha2, in->alg, "%r:%r", &in->method, &in->uri);
	if (err)
		return err;
	return hash_hex(hex, in->alg, "%s:%r:%r:%r:%r:%s", ha1, &in->nonce,
			&in->nc, &in->cnonce, &in->qop, ha2);
}
