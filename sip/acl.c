/*
 * sip/acl.c: who may send us requests.  Each peer (a trunk) lists the
 * sources it accepts (struct sipua_source: an address or a prefix, with
 * an optional port and transport); a request from a source no peer
 * accepts is refused with 403, statelessly, before anything is allocated
 * for it (RFC 3261 §8.2: a UAS may refuse a request it will not serve;
 * §21.4.4: 403, "authorization will not help").  No peer: no source.
 *
 * The sources are compiled into struct sipacl when the sipua takes its
 * configuration; sipacl_match() then picks the most specific one (the
 * longest prefix, then a port, then a transport; the first on a tie).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

enum { SIPACL_LOG_INTERVAL_MS = 10000 };

/* an IPv4-mapped IPv6 source (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) as the
 * IPv4 address it is, so that a dual-stack listener matches IPv4 lists */
static void unmap_v4(struct sa *sa)
{
	static const uint8_t pfx[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};
	uint8_t a[16];
	uint32_t v4;

	if (sa_af(sa) != AF_INET6)
		return;
	sa_in6(sa, a);
	if (memcmp(a, pfx, sizeof(pfx)))
		return;
	memcpy(&v4, a + 12, 4);
	sa_set_in(sa, ntohl(v4), sa_port(sa));
}

/* the first bits of two addresses of one family agree */
static bool prefix_eq(const struct sa *a, const struct sa *b, unsigned bits)
{
	uint8_t x[16], y[16];
	unsigned n = sa_af(a) == AF_INET ? 4 : 16;
	unsigned i;

	if (sa_af(a) == AF_INET) {
		uint32_t xa = htonl(sa_in(a)), ya = htonl(sa_in(b));

		memcpy(x, &xa, 4);
		memcpy(y, &ya, 4);
	}
	else {
		sa_in6(a, x);
		sa_in6(b, y);
	}
	for (i = 0; i < n && bits; i++) {
		unsigned m = bits >= 8 ? 0xff : (0xff00u >> bits) & 0xff;

		if ((x[i] ^ y[i]) & m)
			return false;
		bits = bits >= 8 ? bits - 8 : 0;
	}
	return true;
}

static bool entry_matches(const struct sipacl_entry *e, const struct sa *src,
			  enum sip_transp tp)
{
	if (sa_af(&e->net) != sa_af(src))
		return false;
	if (e->proto >= 0 && tp != siptls_transp(e->proto))
		return false;
	if (sa_port(&e->net) && sa_port(&e->net) != sa_port(src))
		return false;
	return prefix_eq(&e->net, src, e->prefix);
}

/* more specific: a longer prefix, then a port, then a transport */
static unsigned specificity(const struct sipacl_entry *e)
{
	return e->prefix * 4 + (sa_port(&e->net) ? 2 : 0) +
		(e->proto >= 0 ? 1 : 0);
}

int sipacl_match(const struct sipacl *acl, const struct sa *src,
		 enum sip_transp tp)
{
	const struct sipacl_entry *best = NULL;
	struct sa s = *src;
	unsigned i;

	unmap_v4(&s);
	for (i = 0; i < acl->n; i++) {
		const struct sipacl_entry *e = &acl->e[i];

		if (!entry_matches(e, &s, tp))
			continue;
		if (!best || specificity(e) > specificity(best))
			best = e;
	}
	return best ? best->peer : -1;
}

static int entry_set(struct sipacl_entry *e, const struct sipua_source *src,
		     int peer)
{
	unsigned max;
	int err;

	err = sa_set_str(&e->net, src->addr, src->port);
	if (err)
		return err;
	max = sa_af(&e->net) == AF_INET ? 32 : 128;
	if (src->prefix > max)
		return EINVAL;
	e->prefix = src->prefix;
	e->proto = src->proto;
	e->peer = peer;
	return 0;
}

/* one more entry; EOVERFLOW when full, EINVAL for a bad source */
int sipacl_add(struct sipacl *acl, const struct sipua_source *src, int peer)
{
	int err;

	if (acl->n >= ARRAY_SIZE(acl->e))
		return EOVERFLOW;
	err = entry_set(&acl->e[acl->n], src, peer);
	if (!err)
		acl->n++;
	return err;
}

/* compile conf's sources; a bad one is left out (it accepts nothing) */
void sipacl_build(struct sipacl *acl, const struct sipua_conf *conf)
{
	unsigned p, i;

	acl->n = 0;
	for (p = 0; p < conf->npeers && p < SIPUA_MAX_PEERS; p++) {
		const struct sipua_peer *peer = &conf->peers[p];

		for (i = 0; i < peer->nsrc && i < SIPUA_MAX_SOURCES; i++) {
			if (!entry_set(&acl->e[acl->n], &peer->src[i],
				       (int)p)) {
				acl->n++;
				continue;
			}
			sip_log(LOG_LVL_WARN, "sip: peer %s: bad source "
				"'%s/%u' ignored", peer->host,
				peer->src[i].addr, peer->src[i].prefix);
		}
	}
}

/*
 * One log line per interval: true when this refusal is to be logged;
 * *suppressed then holds the refusals not logged since the last line.
 */
bool sipacl_log_due(struct sipacl_log *rl, uint64_t now,
		    unsigned *suppressed)
{
	if (rl->logged && now - rl->last < SIPACL_LOG_INTERVAL_MS) {
		rl->suppressed++;
		return false;
	}
	*suppressed = rl->suppressed;
	rl->suppressed = 0;
	rl->last = now;
	rl->logged = true;
	return true;
}

/* 403 without a transaction (sip_reply), RFC 3261 §8.2 and §21.4.4;
 * an ACK is never answered (§17) */
static void refuse(struct sipua *ua, const struct sip_msg *msg)
{
	unsigned n;

	ua->stats.refused++;
	if (sipacl_log_due(&ua->acl_log, tmr_jiffies(), &n))
		sip_log(LOG_LVL_WARN, "sip: %r from %J (%s): no trunk accepts "
			"this source, 403 (%u more refused since the last "
			"such line)", &msg->met, &msg->src,
			sip_transp_name(msg->tp), n);
	if (pl_strcmp(&msg->met, "ACK"))
		(void)sip_reply(ua->sip, msg, 403, "Forbidden");
}

/*
 * Whether a request may pass; false after refusing it.  *peerp: the
 * peer it comes from, -1 for a request inside a dialog we hold, which
 * passes whatever its source (its dialog was accepted when it began,
 * RFC 3261 §12.2.2).
 */
bool sipacl_check(struct sipua *ua, const struct sip_msg *msg, int *peerp)
{
	*peerp = sipacl_match(&ua->acl, &msg->src, msg->tp);
	if (*peerp >= 0)
		return true;
	if (pl_isset(&msg->to.tag) && sipua_find_leg(ua, msg))
		return true;
	refuse(ua, msg);
	return false;
}
