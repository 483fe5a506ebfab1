/*
 * Digest authentication (sip/digest.c, sip/auth.c): the responses of
 * RFC 2617 §3.5 and RFC 7616 §3.9.1 (MD5 and SHA-256), then the verdicts
 * on INVITEs carrying credentials: accepted, replayed nonce count, wrong
 * password (403, the nonce still good for the right one), expired nonce
 * (stale),
 * a digest uri other than the Request-URI (400),
 * a nonce of another trunk or algorithm, a forged one, and a nonce whose
 * count slot was reused; and REGISTER's back-off and refresh.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"

static void vector(enum sipdigest_alg alg, const char *realm,
		   const char *pass, const char *nonce, const char *cnonce,
		   const char *want, const char *what)
{
	char hex[SIPDIGEST_HEXLEN + 1] = "";
	struct sipdigest_in in = {.alg = alg};

	pl_set_str(&in.user, "Mufasa");
	pl_set_str(&in.realm, realm);
	pl_set_str(&in.password, pass);
	pl_set_str(&in.method, "GET");
	pl_set_str(&in.uri, "/dir/index.html");
	pl_set_str(&in.nonce, nonce);
	pl_set_str(&in.nc, "00000001");
	pl_set_str(&in.cnonce, cnonce);
	pl_set_str(&in.qop, "auth");
	tap_ok(!sipdigest_response(hex, &in) && !strcmp(hex, want),
	       "%s: %s", what, hex);
}

static void vectors(void)
{
	vector(SIPDIGEST_MD5, "testrealm@host.com", "Circle Of Life",
	       "dcd98b7102dd2f0e8b11d0f600bfb0c093", "0a4f113b",
	       "6629fae49393a05397450978507c4ef1", "RFC 2617 §3.5 MD5");
	vector(SIPDIGEST_MD5, "http-auth@example.org", "Circle of Life",
	       "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
	       "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
	       "8ca523f5e9506fed4657c9700eebdbec", "RFC 7616 §3.9.1 MD5");
	vector(SIPDIGEST_SHA256, "http-auth@example.org", "Circle of Life",
	       "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
	       "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
	       "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
	       "RFC 7616 §3.9.1 SHA-256");
}

static const struct sipua_challenge chall = {
	.user = "gw", .password = "secret", .realm = "sipri.test",
	.nonce_ttl = 30,
};

#define RURI "sip:100@127.0.0.1:5060"

/* an INVITE with the Authorization the client computes (none: ""),
 * with this digest uri and cnonce (written before the algorithm) */
static const char *digest_uri = RURI;
static const char *cnonce = "c0ffee";

static struct sip_msg *invite(enum sipdigest_alg alg, const char *nonce,
			      const char *nc, const char *pass)
{
	char hex[SIPDIGEST_HEXLEN + 1] = "", auth[512] = "";
	struct sipdigest_in in = {.alg = alg};
	struct sip_msg *msg = NULL;
	struct mbuf *mb = mbuf_alloc(1024);

	if (nonce) {
		pl_set_str(&in.user, "gw");
		pl_set_str(&in.realm, chall.realm);
		pl_set_str(&in.password, pass);
		pl_set_str(&in.method, "INVITE");
		pl_set_str(&in.uri, digest_uri);
		pl_set_str(&in.nonce, nonce);
		pl_set_str(&in.nc, nc);
		pl_set_str(&in.cnonce, cnonce);
		pl_set_str(&in.qop, "auth");
		(void)sipdigest_response(hex, &in);
		re_snprintf(auth, sizeof(auth), "Authorization: Digest "
			    "username=\"gw\", realm=\"%s\", nonce=\"%s\", "
			    "uri=\"%s\", response=\"%s\", cnonce=\"%s\", "
			    "algorithm=%s, qop=auth, nc=%s\r\n", chall.realm,
			    nonce, digest_uri, hex, cnonce,
			    sipdigest_alg_name(alg), nc);
	}
	mbuf_printf(mb, "INVITE " RURI " SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
		    "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <" RURI ">\r\n"
		    "Call-ID: x\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
		    "%sContent-Length: 0\r\n\r\n", auth);
	mb->pos = 0;
	(void)sip_msg_decode(&msg, mb);
	mem_deref(mb);
	return msg;
}

static enum sipauth_verdict verify(struct sipauth *a, int peer,
				   enum sipdigest_alg alg, const char *nonce,
				   const char *nc, const char *pass,
				   uint64_t now)
{
	struct sip_msg *msg = invite(alg, nonce, nc, pass);
	enum sipauth_verdict v = sipauth_verify(a, &chall, peer, msg, now);

	mem_deref(msg);
	return v;
}

/* RFC 2617 §3.2.2.5: the digest uri is the Request-URI (RURI), as
 * RFC 3261 §19.1.4 compares them; another resource is a 400 */
static void uris(struct sipauth *a, const char *nonce, uint64_t t0)
{
	static const struct {
		const char *uri;
		enum sipauth_verdict v;
		const char *what;
	} rows[] = {
		{"sip:127.0.0.1:5060", SIPAUTH_BAD_URI,
		 "no user (as SIPp 3.6 writes it by default)"},
		{"sip:101@127.0.0.1:5060", SIPAUTH_BAD_URI, "another user"},
		{"sip:100@127.0.0.2:5060", SIPAUTH_BAD_URI, "another host"},
		{"sip:100@127.0.0.1:5061", SIPAUTH_BAD_URI, "another port"},
		{"sip:100@127.0.0.1", SIPAUTH_BAD_URI, "no port (not 5060)"},
		{"sips:100@127.0.0.1:5060", SIPAUTH_BAD_URI, "sips:"},
		{"100@127.0.0.1:5060", SIPAUTH_BAD_URI, "no scheme"},
		{"SIP:%31%30%30@127.0.0.1:5060;transport=udp", SIPAUTH_OK,
		 "the same, scheme in capitals, user escaped, a parameter"},
	};
	char nc[9];

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		digest_uri = rows[i].uri;
		(void)re_snprintf(nc, sizeof(nc), "%08x", (unsigned)(9 + i));
		tap_ok(verify(a, 0, SIPDIGEST_MD5, nonce, nc, "secret", t0) ==
		       rows[i].v, "digest uri %s: %s (%s)", rows[i].uri,
		       rows[i].v == SIPAUTH_OK ? "taken" : "400",
		       rows[i].what);
	}
	digest_uri = RURI;
}

static void verdicts(struct sipauth *a)
{
	const uint64_t t0 = 1000000;
	char n1[64], n2[64], n3[64], bad[64];

	sipauth_nonce(n1, sizeof(n1), a, 0, SIPDIGEST_MD5, t0);
	sipauth_nonce(n2, sizeof(n2), a, 0, SIPDIGEST_SHA256, t0);
	sipauth_nonce(n3, sizeof(n3), a, 0, SIPDIGEST_MD5, t0);
	tap_ok(verify(a, 0, 0, NULL, NULL, NULL, t0) == SIPAUTH_CHALLENGE,
	       "no credentials: challenged");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n1, "00000001", "secret", t0) ==
	       SIPAUTH_OK, "MD5, nc 1: accepted");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n1, "00000001", "secret", t0) ==
	       SIPAUTH_REPLAY, "the same nonce and nc again: a replay");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n1, "00000002", "secret", t0 +
		      5000) == SIPAUTH_OK, "nc 2 on the same nonce: accepted");
	tap_ok(verify(a, 0, SIPDIGEST_SHA256, n2, "00000001", "secret", t0) ==
	       SIPAUTH_OK, "SHA-256: accepted");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n2, "00000002", "secret", t0) ==
	       SIPAUTH_CHALLENGE, "a SHA-256 nonce used with MD5: challenged");
	tap_ok(verify(a, 1, SIPDIGEST_MD5, n3, "00000001", "secret", t0) ==
	       SIPAUTH_CHALLENGE, "another trunk's nonce: challenged");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n3, "00000001", "wrong", t0) ==
	       SIPAUTH_FORBIDDEN, "wrong password: 403");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n3, "00000002", "secret", t0) ==
	       SIPAUTH_OK, "the right one after it on that nonce: accepted "
	       "(a wrong response does not kill the nonce)");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n1, "00000003", "secret",
		      t0 + 31000) == SIPAUTH_STALE,
	       "past the nonce lifetime: stale");
	{
		struct sipua_challenge proxy = chall;
		struct sip_msg *msg = invite(SIPDIGEST_MD5, n1, "00000008",
					     "secret");

		proxy.proxy = true;
		tap_ok(sipauth_verify(a, &proxy, 0, msg, t0) ==
		       SIPAUTH_CHALLENGE, "407 wanted: an Authorization "
		       "(not Proxy-) is no answer");
		mem_deref(msg);
	}
	uris(a, n1, t0);
	cnonce = "algorithm=SHA-256";   /* a quoted value is no parameter */
	tap_ok(verify(a, 0, SIPDIGEST_MD5, n1, "00000020", "secret", t0) ==
	       SIPAUTH_OK, "cnonce=\"algorithm=SHA-256\" before "
	       "algorithm=MD5: MD5, accepted");
	cnonce = "c0ffee";
	str_ncpy(bad, n1, sizeof(bad));
	bad[3] = bad[3] == '0' ? '1' : '0';    /* its time moved */
	tap_ok(verify(a, 0, SIPDIGEST_MD5, bad, "00000001", "secret", t0) ==
	       SIPAUTH_CHALLENGE, "a forged nonce: challenged");
}

/* n fresh nonces after t0, 10 ms apart, each used once with pass: each
 * gets want */
static bool fresh_nonces(struct sipauth *a, uint64_t t0, unsigned n,
			 const char *pass, enum sipauth_verdict want)
{
	char nonce[64];
	bool ok = true;

	for (unsigned i = 0; i < n && ok; i++) {
		uint64_t t = t0 + 1000 + i * 10;

		sipauth_nonce(nonce, sizeof(nonce), a, 0, SIPDIGEST_MD5, t);
		ok = verify(a, 0, SIPDIGEST_MD5, nonce, "00000001", pass,
			    t) == want;
	}
	return ok;
}

/* a nonce from t0, then n fresh ones, each used once with pass: each
 * must get each; then the first with the right password gets older */
static void crowd(struct sipauth *a, uint64_t t0, unsigned n,
		  const char *pass, enum sipauth_verdict each,
		  enum sipauth_verdict older, const char *what)
{
	char first[64];

	sipauth_nonce(first, sizeof(first), a, 0, SIPDIGEST_MD5, t0);
	tap_ok(fresh_nonces(a, t0, n, pass, each), "%u nonces after it, "
	       "each once with %s: %s", n, pass, each == SIPAUTH_OK ?
	       "accepted" : "403 each");
	tap_ok(verify(a, 0, SIPDIGEST_MD5, first, "00000001", "secret",
		      t0 + 22000) == older, "%s", what);
}

/* REGISTER's back-off (sip/register.c): 30 s doubling to 30 min, or
 * the registrar's Retry-After (RFC 3261 §20.33) */
static void reg_backoff(void)
{
	static const unsigned want[] = {30, 60, 120, 240, 480, 960, 1800,
					1800, 1800};
	bool ok = true;

	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ok = ok && sipregc_wait(i, 0) == want[i];
	tap_ok(ok, "REGISTER retries after 30 s, doubling to 1800 s");
	tap_ok(sipregc_wait(0, 7) == 7 && sipregc_wait(9, 3600) == 3600,
	       "... or after Retry-After, whatever the count");
}

/* REGISTER's refresh (sip/register.c): halfway through the expiry the
 * registrar granted, never beyond what we asked for (RFC 3261 §10.2.1),
 * without overflow */
static void reg_refresh(void)
{
	tap_ok(sipregc_expiry(60, 4) == 4 &&
	       sipregc_refresh_ms(sipregc_expiry(60, 4)) == 2000,
	       "granted 4 s of 60: refreshed after 2 s");
	tap_ok(sipregc_expiry(60, 8589935) == 60 &&
	       sipregc_refresh_ms(sipregc_expiry(60, 8589935)) == 30000,
	       "granted 8589935 s of 60 (x 500 wraps 32 bits to 204 ms): "
	       "counted as 60, refreshed after 30 s");
	tap_ok(sipregc_refresh_ms(sipregc_expiry(UINT32_MAX, UINT32_MAX)) ==
	       (uint64_t)UINT32_MAX * 500,
	       "the largest expiry, asked and granted: no overflow");
}

int main(void)
{
	struct sipauth *a = NULL;

	libre_init();
	vectors();
	reg_backoff();
	reg_refresh();
	if (tap_ok(!sipauth_alloc(&a), "sipauth_alloc")) {
		verdicts(a);
		/* every slot taken by newer nonces: an older one is stale */
		crowd(a, 2000000, 1100, "secret", SIPAUTH_OK, SIPAUTH_STALE,
		      "an older nonce after its slot could be gone: stale");
		/* wrong responses take no slot: however many, on fresh
		 * nonces, they push no right client's nonce out */
		crowd(a, 3000000, 2000, "guess", SIPAUTH_FORBIDDEN, SIPAUTH_OK,
		      "... a right one on the older nonce: accepted, not "
		      "stale");
	}
	mem_deref(a);
	libre_close();
	return tap_done();
}
