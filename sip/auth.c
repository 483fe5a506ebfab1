/*
 * sip/auth.c: digest authentication of incoming requests (RFC 3261
 * §22.1, §22.4; RFC 7616 with SHA-256 and MD5, RFC 8760; qop=auth).
 *
 * A trunk with a challenge user (struct sipua_challenge) gets a 401 with
 * one WWW-Authenticate per algorithm it allows (or, when the trunk says
 * so, 407 with Proxy-Authenticate: RFC 3261 §22.3) (SHA-256 first, RFC 8760
 * §2.4) for an INVITE that starts a dialog, after the source check
 * (sip/acl.c) and before anything is allocated for the call.  The 401 is
 * stateless: the nonce carries its own time and an HMAC-SHA256 under a
 * key made at start, so it is checked without a table.  What must be
 * remembered, the highest nonce count used with each nonce, lives in a
 * fixed ring of slots (struct sipauth); a nonce whose slot was taken by
 * a newer one is "stale" and the client simply retries with a fresh one.
 * A nonce gets a slot only with a right response: wrong ones, however
 * many, neither push the others out nor mark a nonce.
 *
 *   no or foreign credentials, bad nonce        -> 401
 *   a digest uri that is not the Request-URI    -> 400 (RFC 2617 §3.2.2.5)
 *   nonce older than the trunk's lifetime       -> 401, stale=true
 *   wrong user or response                      -> 403 (RFC 3261 §21.4.4)
 *   nonce count not above the last one used     -> 401 (a replay)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "sip/sip_int.h"

enum {
	SIPAUTH_SLOTS   = 1024,
	SIPAUTH_TAGLEN  = 16,          /* bytes of HMAC in a nonce */
	SIPAUTH_TTL_DEF = 300,         /* s, nonce lifetime by default */
	SIPAUTH_NONCELEN = 8 + 8 + 2 * SIPAUTH_TAGLEN,
};

struct sipauth_slot {
	char nonce[SIPAUTH_NONCELEN + 1];  /* "" free */
	uint32_t ts;                   /* the nonce's time, s */
	uint32_t nc;                   /* highest nonce count taken */
};

struct sipauth {
	uint8_t key[32];               /* made at start: nonces die with us */
	struct sipauth_slot slot[SIPAUTH_SLOTS];
	unsigned next;                 /* the ring's next slot */
	uint32_t floor;                /* newest time of a nonce evicted */
};

int sipauth_alloc(struct sipauth **ap)
{
	struct sipauth *a;

	if (!ap)
		return EINVAL;
	a = mem_zalloc(sizeof(*a), NULL);
	if (!a)
		return ENOMEM;
	rand_bytes(a->key, sizeof(a->key));
	*ap = a;
	return 0;
}

/* hex HMAC-SHA256(key, "ts:salt:peer:alg"), cut to SIPAUTH_TAGLEN */
static int nonce_tag(char *hex, const struct sipauth *a, const struct pl *ts,
		     const struct pl *salt, int peer, enum sipdigest_alg alg)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char data[64];
	int n;

	n = re_snprintf(data, sizeof(data), "%r:%r:%d:%d", ts, salt, peer,
			(int)alg);
	if (n <= 0 || !HMAC(EVP_sha256(), a->key, sizeof(a->key),
			    (const uint8_t *)data, (size_t)n, md, &mdlen) ||
	    mdlen < SIPAUTH_TAGLEN)
		return EPROTO;
	return re_snprintf(hex, 2 * SIPAUTH_TAGLEN + 1, "%w", md,
			   (size_t)SIPAUTH_TAGLEN) < 0 ? EPROTO : 0;
}

/* a nonce: 8 hex digits of time (s), 8 of salt, then the tag */
int sipauth_nonce(char *buf, size_t size, const struct sipauth *a, int peer,
		  enum sipdigest_alg alg, uint64_t now_ms)
{
	char ts[9], salt[9];
	struct pl pts, psalt;

	if (!buf || size < SIPAUTH_NONCELEN + 1 || !a)
		return EINVAL;
	(void)re_snprintf(ts, sizeof(ts), "%08x", (uint32_t)(now_ms / 1000));
	(void)re_snprintf(salt, sizeof(salt), "%08x", rand_u32());
	pl_set_str(&pts, ts);
	pl_set_str(&psalt, salt);
	(void)re_snprintf(buf, size, "%s%s", ts, salt);
	return nonce_tag(buf + 16, a, &pts, &psalt, peer, alg);
}

/* 0: ours, *ts its time; EBADMSG: not one of ours for this peer/alg */
static int nonce_check(const struct sipauth *a, const struct pl *nonce,
		       int peer, enum sipdigest_alg alg, uint32_t *ts)
{
	char tag[2 * SIPAUTH_TAGLEN + 1];
	struct pl pts, psalt;

	if (nonce->l != SIPAUTH_NONCELEN)
		return EBADMSG;
	pts.p = nonce->p;
	pts.l = 8;
	psalt.p = nonce->p + 8;
	psalt.l = 8;
	/* in constant time: the tag is a secret until it matches */
	if (nonce_tag(tag, a, &pts, &psalt, peer, alg) ||
	    CRYPTO_memcmp(tag, nonce->p + 16, 2 * SIPAUTH_TAGLEN))
		return EBADMSG;
	*ts = (uint32_t)pl_x32(&pts);
	return 0;
}

/* the nonce's slot; a new one when it has none and may (NULL: stale) */
static struct sipauth_slot *slot_get(struct sipauth *a, const struct pl *nonce,
				     uint32_t ts)
{
	struct sipauth_slot *s;

	for (unsigned i = 0; i < SIPAUTH_SLOTS; i++)
		if (!pl_strcmp(nonce, a->slot[i].nonce))
			return &a->slot[i];
	/* evicted before, or as old as one that was: we cannot tell */
	if (ts <= a->floor && a->floor)
		return NULL;
	s = &a->slot[a->next];
	a->next = (a->next + 1) % SIPAUTH_SLOTS;
	if (s->nonce[0] && s->ts > a->floor)
		a->floor = s->ts;
	memset(s, 0, sizeof(*s));
	(void)pl_strcpy(nonce, s->nonce, sizeof(s->nonce));
	s->ts = ts;
	return s;
}

struct cred_ctx {
	const struct sipua_challenge *ch;
	struct httpauth_digest_resp r;
	struct pl alg;
	bool found;
};

/*
 * The algorithm parameter of credentials (RFC 7616 §3.4): "algorithm="
 * starting a parameter, not inside another one's quoted value (a cnonce
 * may hold any text); pl_null when absent.
 */
static struct pl cred_alg(const struct pl *v)
{
	static const char name[] = "algorithm=";
	const size_t n = sizeof(name) - 1;
	struct pl alg = pl_null;
	bool quoted = false;

	for (size_t i = 0; i < v->l; i++) {
		if (v->p[i] == '"' && (!i || v->p[i - 1] != '\\'))
			quoted = !quoted;
		if (quoted || (i && !strchr(" \t,", v->p[i - 1])) ||
		    v->l - i < n || strncasecmp(v->p + i, name, n))
			continue;
		alg.p = v->p + i + n;
		alg.l = v->l - i - n;
		if (alg.l && *alg.p == '"')
			pl_advance(&alg, 1);
		for (size_t k = 0; k < alg.l; k++) {
			if (strchr("\", \t\r\n", alg.p[k])) {
				alg.l = k;
				break;
			}
		}
		break;
	}
	return alg;
}

/* the first Authorization for our realm (RFC 3261 §22.4) */
static bool cred_handler(const struct sip_hdr *hdr, const struct sip_msg *msg,
			 void *arg)
{
	struct cred_ctx *c = arg;
	(void)msg;

	if (httpauth_digest_response_decode(&c->r, &hdr->val) ||
	    pl_strcmp(&c->r.realm, c->ch->realm))
		return false;
	c->alg = cred_alg(&hdr->val);
	c->found = true;
	return true;
}

static bool alg_allowed(const struct sipua_challenge *ch,
			enum sipdigest_alg alg)
{
	unsigned bit = alg == SIPDIGEST_SHA256 ? SIPUA_AUTH_SHA256 :
		SIPUA_AUTH_MD5;

	return !ch->algs || (ch->algs & bit);
}

/* a URI's user, percent-decoded (RFC 3261 §19.1.4: "%41" is "A") */
static bool user_unescape(char *buf, size_t size, const struct pl *user)
{
	return re_snprintf(buf, size, "%H", uri_user_unescape, user) >= 0;
}

/*
 * RFC 2617 §3.2.2.5, RFC 7616 §3.4.6: the digest's uri must name the
 * resource of the Request-Line, or a response computed for one URI
 * would be taken for another.  Compared as RFC 3261 §19.1.4 compares
 * SIP URIs, on what names the resource: scheme and host in any case,
 * the user percent-decoded, the port as written (none is not 5060).
 */
static bool uri_matches(const struct pl *duri, const struct uri *ruri)
{
	char du[256], ru[256];
	struct uri u;

	if (uri_decode(&u, duri) || pl_casecmp(&u.scheme, &ruri->scheme) ||
	    pl_casecmp(&u.host, &ruri->host) || u.port != ruri->port)
		return false;
	return user_unescape(du, sizeof(du), &u.user) &&
		user_unescape(ru, sizeof(ru), &ruri->user) && !strcmp(du, ru);
}

static bool response_ok(const struct sipua_challenge *ch,
			const struct cred_ctx *c, enum sipdigest_alg alg,
			const struct sip_msg *msg)
{
	char want[SIPDIGEST_HEXLEN + 1], got[SIPDIGEST_HEXLEN + 1];
	struct sipdigest_in in = {
		.alg = alg, .user = c->r.username, .realm = c->r.realm,
		.method = msg->met, .uri = c->r.uri, .nonce = c->r.nonce,
		.nc = c->r.nc, .cnonce = c->r.cnonce, .qop = c->r.qop,
	};

	pl_set_str(&in.password, ch->password);
	if (pl_strcmp(&c->r.username, ch->user) ||
	    sipdigest_response(want, &in) ||
	    c->r.response.l != strlen(want))
		return false;
	/* hex in either case, compared in constant time */
	for (size_t i = 0; i < c->r.response.l; i++)
		got[i] = (char)tolower((unsigned char)c->r.response.p[i]);
	return !CRYPTO_memcmp(got, want, c->r.response.l);
}

enum sipauth_verdict sipauth_verify(struct sipauth *a,
				    const struct sipua_challenge *ch, int peer,
				    const struct sip_msg *msg, uint64_t now_ms)
{
	struct cred_ctx c = {.ch = ch};
	struct sipauth_slot *s;
	enum sipdigest_alg alg;
	uint32_t ts, ttl = ch->nonce_ttl ? ch->nonce_ttl : SIPAUTH_TTL_DEF;
	uint32_t nc;

	(void)sip_msg_hdr_apply(msg, true, ch->proxy ?
				SIP_HDR_PROXY_AUTHORIZATION :
				SIP_HDR_AUTHORIZATION, cred_handler, &c);
	/* RFC 7616 §3.4: with qop, nc and cnonce are required */
	if (!c.found || sipdigest_alg_decode(&c.alg, &alg) ||
	    !alg_allowed(ch, alg) || pl_strcasecmp(&c.r.qop, "auth") ||
	    !pl_isset(&c.r.cnonce) || c.r.nc.l != 8 ||
	    nonce_check(a, &c.r.nonce, peer, alg, &ts))
		return SIPAUTH_CHALLENGE;
	if (!uri_matches(&c.r.uri, &msg->uri))
		return SIPAUTH_BAD_URI;
	if ((uint32_t)(now_ms / 1000) - ts > ttl)
		return SIPAUTH_STALE;   /* RFC 7616 §3.3 stale */
	/* the response first: only a right one may take a slot */
	if (!response_ok(ch, &c, alg, msg))
		return SIPAUTH_FORBIDDEN;
	s = slot_get(a, &c.r.nonce, ts);
	if (!s)
		return SIPAUTH_STALE;
	/* RFC 7616 §3.4: the nonce count must grow, or it is a replay */
	nc = pl_x32(&c.r.nc);
	if (nc <= s->nc)
		return SIPAUTH_REPLAY;
	s->nc = nc;
	return SIPAUTH_OK;
}

struct chall_ctx {
	const struct sipauth *a;
	const struct sipua_challenge *ch;
	int peer;
	bool stale;
	uint64_t now;
};

/* one WWW-Authenticate line (RFC 7616 §3.3, RFC 8760 §2.3) */
static int chall_print(struct re_printf *pf, const struct chall_ctx *c,
		       enum sipdigest_alg alg)
{
	char nonce[SIPAUTH_NONCELEN + 1];
	int err;

	if (!alg_allowed(c->ch, alg))
		return 0;
	err = sipauth_nonce(nonce, sizeof(nonce), c->a, c->peer, alg, c->now);
	if (err)
		return err;
	return re_hprintf(pf, "%s: Digest realm=\"%s\", "
			  "nonce=\"%s\", algorithm=%s, qop=\"auth\"%s\r\n",
			  c->ch->proxy ? "Proxy-Authenticate" :
			  "WWW-Authenticate", c->ch->realm, nonce, sipdigest_alg_name(alg),
			  c->stale ? ", stale=true" : "");
}

/* RFC 8760 §2.4: the preferred algorithm first */
static int chall_h(struct re_printf *pf, void *arg)
{
	const struct chall_ctx *c = arg;

	return chall_print(pf, c, SIPDIGEST_SHA256) |
		chall_print(pf, c, SIPDIGEST_MD5);
}

/*
 * Whether an INVITE from peer may go on (RFC 3261 §22.1); false after
 * answering it, statelessly: 401 with a fresh challenge, or 403.
 */
bool sipauth_check(struct sipua *ua, const struct sip_msg *msg, int peer)
{
	const struct sipua_peer *p = sipua_peer_get(ua, peer);
	const struct sipua_challenge *ch;
	struct chall_ctx c;
	enum sipauth_verdict v;

	if (!p || !ua->auth)
		return true;
	ch = &p->chall;
	if (!ch->user[0])
		return true;
	c = (struct chall_ctx){ua->auth, ch, peer, false, tmr_jiffies()};
	v = sipauth_verify(ua->auth, ch, peer, msg, c.now);
	switch (v) {

	case SIPAUTH_OK:
		return true;

	case SIPAUTH_BAD_URI:   /* RFC 2617 §3.2.2.5: 400 */
		sip_log(LOG_LVL_WARN, "sip: %r from %J: the digest uri is not "
			"the Request-URI, 400", &msg->met, &msg->src);
		(void)sip_reply(ua->sip, msg, 400, "Bad Request");
		return false;

	case SIPAUTH_FORBIDDEN:
		sip_log(LOG_LVL_WARN, "sip: %r from %J: wrong credentials for "
			"realm \"%s\", 403", &msg->met, &msg->src, ch->realm);
		(void)sip_reply(ua->sip, msg, 403, "Forbidden");
		return false;

	default:
		c.stale = v == SIPAUTH_STALE;
		sip_log(LOG_LVL_DEBUG, "sip: %r from %J: %u (%s)", &msg->met,
			&msg->src, ch->proxy ? 407 : 401, v == SIPAUTH_STALE ? "stale nonce" :
			v == SIPAUTH_REPLAY ? "nonce count replayed" :
			"no credentials");
		(void)sip_replyf(ua->sip, msg, ch->proxy ? 407 : 401,
				 ch->proxy ? "Proxy Authentication Required" :
				 "Unauthorized", "%H"
				 "Content-Length: 0\r\n\r\n", chall_h, &c);
		return false;
	}
}
