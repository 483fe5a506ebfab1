/*
 * [trunk NAME] sources: who may send SIP requests through the trunk
 * (sipri.conf(5); sip/acl.c matches them):
 *
 *   sources = SOURCE [, SOURCE ...] | none
 *   SOURCE  = ADDR [/PREFIX] [:PORT] [;transport=udp|tcp|tls]
 *   ADDR    = an IPv4 address, or an IPv6 address in brackets
 *
 * No PREFIX: the address alone; no PORT or transport: any.  Without the
 * key a trunk accepts its host when that is an address, and nobody when
 * it is a name (an access list does not follow DNS).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <strings.h>
#include "gateway/config/conf_priv.h"

static const char syntax[] = "expected ADDR[/PREFIX][:PORT]"
	"[;transport=udp|tcp|tls], an IPv6 ADDR in brackets, or none";

static unsigned addr_bits(const struct sa *sa)
{
	return sa_af(sa) == AF_INET ? 32 : 128;
}

/* an address with bits set beyond its prefix is a typo: refused */
static bool host_bits_set(const struct sa *sa, unsigned prefix)
{
	uint8_t a[16];
	unsigned i;

	if (sa_af(sa) == AF_INET) {
		uint32_t v = htonl(sa_in(sa));

		memcpy(a, &v, 4);
	}
	else {
		sa_in6(sa, a);
	}
	for (i = 0; i < addr_bits(sa) / 8; i++) {
		unsigned keep = prefix >= 8 * (i + 1) ? 8 :
			prefix > 8 * i ? prefix - 8 * i : 0;

		if (a[i] & ~(0xff00u >> keep) & 0xff)
			return true;
	}
	return false;
}

/* "192.0.2.1/24:5060" or "[2001:db8::1]/64:5060": the address, the rest */
static int addr_split(const struct pl *s, struct pl *addr, struct pl *rest)
{
	size_t i = 0;

	if (s->l && s->p[0] == '[') {
		const char *end = pl_strchr(s, ']');

		if (!end)
			return EINVAL;
		addr->p = s->p + 1;
		addr->l = (size_t)(end - addr->p);
		i = addr->l + 2;
	}
	else {
		while (i < s->l && s->p[i] != '/' && s->p[i] != ':')
			i++;
		addr->p = s->p;
		addr->l = i;
	}
	rest->p = s->p + i;
	rest->l = s->l - i;
	return 0;
}

/* what follows the address: [/PREFIX][:PORT] */
static int prefix_port(const struct pl *rest, struct conf_source *src)
{
	struct pl r = *rest, num;
	uint32_t v;

	src->prefix = addr_bits(&src->addr);
	if (r.l && r.p[0] == '/') {
		num.p = r.p + 1;
		for (num.l = 0; num.l < r.l - 1 && num.p[num.l] != ':';)
			num.l++;
		if (conf_num_parse(&num, addr_bits(&src->addr), &v))
			return ERANGE;
		src->prefix = v;
		pl_advance(&r, 1 + num.l);
	}
	if (r.l && r.p[0] == ':') {
		num.p = r.p + 1;
		num.l = r.l - 1;
		if (conf_num_parse(&num, 65535, &v) || !v)
			return EINVAL;
		sa_set_port(&src->addr, (uint16_t)v);
		r.l = 0;
	}
	return r.l ? EINVAL : 0;
}

/* ";transport=udp|tcp|tls", the one parameter a source takes */
static int tp_param(struct conf_ctx *ctx, const struct pl *par, int *tp)
{
	static const char name[] = "transport=";
	struct pl val;

	if (par->l <= sizeof(name) - 1 ||
	    strncasecmp(par->p, name, sizeof(name) - 1))
		return conf_errf(ctx, EINVAL, "bad source parameter \"%r\" "
				 "(expected transport=udp, tcp or tls)",
				 par);
	val.p = par->p + sizeof(name) - 1;
	val.l = par->l - (sizeof(name) - 1);
	return conf_val_enum(ctx, &val, conf_tp_names, tp);
}

/* ADDR[/PREFIX][:PORT] of a source or a network: noun and syn say
 * which in the errors */
static int addr_parse(struct conf_ctx *ctx, struct conf_source *src,
		      const struct pl *head, const struct pl *item,
		      const char *noun, const char *syn)
{
	struct pl addr, rest;
	int err;

	if (addr_split(head, &addr, &rest) || sa_set(&src->addr, &addr, 0))
		return conf_errf(ctx, EINVAL, "bad %s \"%r\" (%s)", noun, item,
				 syn);
	err = prefix_port(&rest, src);
	if (err == ERANGE)
		return conf_errf(ctx, ERANGE, "bad prefix in \"%r\" (0..%u "
				 "bits)", item, addr_bits(&src->addr));
	if (err)
		return conf_errf(ctx, EINVAL, "bad %s \"%r\" (%s)", noun, item,
				 syn);
	if (host_bits_set(&src->addr, src->prefix))
		return conf_errf(ctx, EINVAL, "%s \"%r\" has bits set "
				 "beyond its /%u prefix", noun, item,
				 src->prefix);
	return 0;
}

/* [sip] local_nets: ADDR[/PREFIX], no port or transport */
int conf_net_parse(struct conf_ctx *ctx, struct conf_source *net,
		   const struct pl *item)
{
	static const char syn[] = "expected ADDR[/PREFIX], an IPv6 ADDR in "
		"brackets";
	struct pl head = *item;
	int err;

	net->tp = -1;
	conf_pl_trim(&head);
	if (pl_strchr(item, ';'))
		return conf_errf(ctx, EINVAL, "bad network \"%r\" (%s)", item,
				 syn);
	err = addr_parse(ctx, net, &head, item, "network", syn);
	if (!err && sa_port(&net->addr))
		err = conf_errf(ctx, EINVAL, "bad network \"%r\" (%s)", item,
				syn);
	return err;
}

static int source_parse(struct conf_ctx *ctx, struct conf_source *src,
			const struct pl *item)
{
	const char *semi = pl_strchr(item, ';');
	struct pl head = *item, par;
	int err;

	src->tp = -1;
	if (semi) {
		head.l = (size_t)(semi - item->p);
		par.p = semi + 1;
		par.l = item->l - head.l - 1;
		conf_pl_trim(&par);
		err = tp_param(ctx, &par, &src->tp);
		if (err)
			return err;
	}
	conf_pl_trim(&head);
	return addr_parse(ctx, src, &head, item, "source", syntax);
}

int conf_source_key(struct conf_ctx *ctx, struct conf_trunk *tr,
		    const struct pl *val)
{
	struct pl rest = *val, item;

	tr->sources_set = true;
	tr->nsources = 0;
	if (!pl_strcasecmp(val, "none"))
		return 0;
	while (conf_list_next(&rest, &item)) {
		int err;

		if (tr->nsources == CONF_SOURCES_MAX)
			return conf_errf(ctx, EINVAL, "more than %u sources",
					 (unsigned)CONF_SOURCES_MAX);
		err = source_parse(ctx, &tr->sources[tr->nsources], &item);
		if (err)
			return err;
		tr->nsources++;
	}
	return tr->nsources ? 0 : conf_errf(ctx, EINVAL, "no source (%s)",
					    syntax);
}

/* no "sources": the host, any port and transport, if it is an address */
void conf_source_default(struct conf_trunk *tr)
{
	struct conf_source *src = &tr->sources[0];
	struct pl host;

	if (tr->sources_set || !tr->host)
		return;
	pl_set_str(&host, tr->host);
	if (host.l > 2 && host.p[0] == '[' && host.p[host.l - 1] == ']') {
		host.p++;
		host.l -= 2;
	}
	if (sa_set(&src->addr, &host, 0))
		return;
	src->prefix = addr_bits(&src->addr);
	src->tp = -1;
	tr->nsources = 1;
}

int conf_source_print(struct re_printf *pf, void *arg)
{
	const struct conf_source *src = arg;
	bool v6 = sa_af(&src->addr) == AF_INET6;
	uint16_t port = sa_port(&src->addr);
	int err;

	err = re_hprintf(pf, "%s%j%s/%u%H", v6 ? "[" : "", &src->addr,
			 v6 ? "]" : "", src->prefix, conf_port_print, &port);
	if (src->tp >= 0)
		err |= re_hprintf(pf, ";transport=%s",
				  conf_tp_name((enum conf_tp)src->tp));
	return err;
}
