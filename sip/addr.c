/*
 * sip/addr.c: the address sipri writes as its own toward a peer, in
 * Contact, From, P-Asserted-Identity, Diversion and the SDP o=/c= lines
 * (sipri.conf(5), ADDRESSES).  In order:
 *
 *   1. external, when set and the peer is outside local_nets (or not
 *      known as an address: a trunk named by DNS) - the NAT's public
 *      address, RFC 3261 §18.2.1 and RFC 3264 §5 want one reachable;
 *   2. advertise, when set;
 *   3. the local address itself, when it is not a wildcard;
 *   4. the address of the interface toward the peer (the kernel's
 *      choice for a UDP socket connected to it), else the default one.
 *
 * So a listener on 0.0.0.0 or [::] never puts 0.0.0.0 in Contact or a
 * c= line (RFC 3264 §8.4 would read c=0.0.0.0 as hold).  The port is
 * always the local address's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "sip/sip_int.h"

static int addr_set(struct sa *sa, const char *s, const char *key)
{
	if (!s[0])
		return 0;
	if (sa_set_str(sa, s, 0) || sa_is_any(sa)) {
		sip_log(LOG_LVL_ERR, "sip: bad %s address '%s'", key, s);
		return EINVAL;
	}
	return 0;
}

int sipaddr_init(struct sipua *ua)
{
	const struct sipua_conf *c = &ua->conf;
	struct sipaddr_conf *a = &ua->addr;
	int err;

	sa_init(&a->adv, AF_UNSPEC);
	sa_init(&a->ext, AF_UNSPEC);
	a->nets.n = 0;
	err  = addr_set(&a->adv, c->advertise, "advertise");
	err |= addr_set(&a->ext, c->external, "external");
	if (err)
		return EINVAL;
	for (unsigned i = 0; i < c->nlocal && i < SIPUA_MAX_NETS; i++) {
		if (!sipacl_add(&a->nets, &c->local_nets[i], 0))
			continue;
		sip_log(LOG_LVL_ERR, "sip: bad local network '%s/%u'",
			c->local_nets[i].addr, c->local_nets[i].prefix);
		return EINVAL;
	}
	return 0;
}

/* the kernel's source address toward peer: connect(2) on a UDP socket
 * sends nothing, getsockname(2) then says which address it chose */
static int route_src(const struct sa *peer, struct sa *out)
{
	struct sa dst = *peer;
	int fd, err = 0;

	if (!sa_port(&dst))
		sa_set_port(&dst, 5060);
	fd = socket(sa_af(&dst), SOCK_DGRAM, 0);
	if (fd < 0)
		return errno;
	sa_init(out, sa_af(&dst));
	if (connect(fd, &dst.u.sa, dst.len) ||
	    getsockname(fd, &out->u.sa, &out->len))
		err = errno;
	(void)close(fd);
	return err;
}

static bool peer_local(const struct sipua *ua, const struct sa *peer)
{
	return peer && sa_isset(peer, SA_ADDR) &&
		sipacl_match(&ua->addr.nets, peer, SIP_TRANSP_UDP) >= 0;
}

/* rule 4: the interface toward the peer, else the host's default */
static void iface_addr(const struct sa *peer, int af, struct sa *out)
{
	if (peer && sa_isset(peer, SA_ADDR) && !route_src(peer, out))
		return;
	if (!net_default_source_addr_get(af, out))
		return;
	(void)sa_set_str(out, af == AF_INET6 ? "::1" : "127.0.0.1", 0);
}

void sipaddr_pick(const struct sipua *ua, const struct sa *peer,
		  const struct sa *laddr, struct sa *out)
{
	uint16_t port = laddr ? sa_port(laddr) : 0;
	int af = laddr && sa_af(laddr) == AF_INET6 ? AF_INET6 : AF_INET;

	if (sa_isset(&ua->addr.ext, SA_ADDR) && !peer_local(ua, peer))
		*out = ua->addr.ext;
	else if (sa_isset(&ua->addr.adv, SA_ADDR))
		*out = ua->addr.adv;
	else if (laddr && sa_isset(laddr, SA_ADDR))   /* not a wildcard */
		*out = *laddr;
	else
		iface_addr(peer, af, out);
	sa_set_port(out, port);
}

/* the Request-URI's host as the peer, when it is an address (a name is
 * resolved later, by libre: it is then not known here) */
int sipaddr_uri_peer(const char *uri, struct sa *peer)
{
	struct uri u;
	struct pl pl;

	pl_set_str(&pl, uri);
	if (uri_decode(&u, &pl))
		return EINVAL;
	return sa_set(peer, &u.host, u.port ? u.port : 5060);
}

/*
 * libre 1.1.0 refuses a wildcard SIP transport (sip_transp_add wants
 * an address), so a listener on 0.0.0.0 or [::] becomes one transport
 * per address of that family the host has at start, the port the same;
 * loopback ones last, since libre sends every request of a family from
 * its first transport and a loopback source cannot reach another host.
 * IPv6 link-local addresses are left out (they need a scope).
 */
struct any_ctx {
	struct sipua *ua;
	enum sip_transp tp;
	struct sa any;
	bool loopback;
	unsigned n;
	int err;
};

static bool if_handler(const char *ifname, const struct sa *sa, void *arg)
{
	struct any_ctx *c = arg;
	struct sa a = *sa;
	(void)ifname;

	if (sa_af(sa) != sa_af(&c->any) || sa_is_linklocal(sa) ||
	    sa_is_loopback(sa) != c->loopback)
		return false;
	sa_set_port(&a, sa_port(&c->any));
	if (sip_transp_isladdr(c->ua->sip, c->tp, &a))
		return false;
	c->err = sip_transp_add(c->ua->sip, c->tp, &a);
	if (c->err) {
		sip_log(LOG_LVL_ERR, "sip: listen %s %J (for %J): %m",
			sip_transp_name(c->tp), &a, &c->any, c->err);
		return true;
	}
	sip_log(LOG_LVL_DEBUG, "sip: listen %s %J (for %J)",
		sip_transp_name(c->tp), &a, &c->any);
	c->n++;
	return false;
}

int sipaddr_listen_any(struct sipua *ua, enum sip_transp tp,
		       const struct sa *any)
{
	struct any_ctx c = {ua, tp, *any, false, 0, 0};

	(void)net_if_apply(if_handler, &c);
	c.loopback = true;
	if (!c.err)
		(void)net_if_apply(if_handler, &c);
	if (!c.err && !c.n) {
		sip_log(LOG_LVL_ERR, "sip: listen %s %J: no address of that "
			"family", sip_transp_name(tp), any);
		c.err = EADDRNOTAVAIL;
	}
	return c.err;
}
