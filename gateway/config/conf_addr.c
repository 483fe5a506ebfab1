/*
 * [sip] addresses for real networks (sipri.conf(5), ADDRESSES):
 *
 *   advertise  = ADDR           our address in Contact, From and the
 *                               SDP o=/c= lines (sip/addr.c)
 *   external   = ADDR           the same toward a peer outside
 *                               local_nets: the NAT's public address
 *   local_nets = NET [, NET]    where local ends; by default the private,
 *                               loopback and link-local ranges
 *   rtp_bind   = ADDR           the address the RTP sockets listen on
 *
 * ADDR is an IPv4 address or an IPv6 one, bare or in brackets; NET is
 * ADDR[/PREFIX].  Nothing can advertise 0.0.0.0 or ::.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/config/conf_priv.h"

/* RFC 1918, RFC 1122 §3.2.1.3 (loopback), RFC 3927 (link-local), RFC
 * 4193 (unique local), RFC 4291 §2.5.3, §2.5.6 */
static const char *const default_nets[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8",
	"169.254.0.0/16", "[::1]/128", "[fc00::]/7", "[fe80::]/10",
};

/* ADDR: an address with no port, "[::1]" or "::1" */
static int addr_val(struct conf_ctx *ctx, const struct pl *val, bool any_ok,
		    struct sa *out)
{
	struct pl a = *val;

	if (a.l > 2 && a.p[0] == '[' && a.p[a.l - 1] == ']') {
		a.p++;
		a.l -= 2;
	}
	if (sa_set(out, &a, 0))
		return conf_errf(ctx, EINVAL, "bad address \"%r\" (expected "
				 "an IPv4 or IPv6 address, no port)", val);
	if (!any_ok && sa_is_any(out)) {
		sa_init(out, AF_UNSPEC);
		return conf_errf(ctx, EINVAL, "%r cannot be advertised: "
				 "give the address peers reach sipri at",
				 val);
	}
	return 0;
}

/* local_nets = 10.0.0.0/8, [fd00::]/8 */
static int nets_key(struct conf_ctx *ctx, const struct pl *val)
{
	struct conf_sip *sip = &ctx->conf->sip;
	struct pl rest = *val, item;

	sip->nets_set = true;
	sip->nnets = 0;
	while (conf_list_next(&rest, &item)) {
		int err;

		if (sip->nnets == CONF_NETS_MAX)
			return conf_errf(ctx, EINVAL, "more than %u networks",
					 (unsigned)CONF_NETS_MAX);
		err = conf_net_parse(ctx, &sip->nets[sip->nnets], &item);
		if (err)
			return err;
		sip->nnets++;
	}
	return sip->nnets ? 0 : conf_errf(ctx, EINVAL, "no network "
					  "(expected ADDR[/PREFIX], ...)");
}

int conf_addr_key(struct conf_ctx *ctx, const struct pl *key,
		  const struct pl *val)
{
	struct conf_sip *sip = &ctx->conf->sip;

	if (!pl_strcmp(key, "advertise"))
		return addr_val(ctx, val, false, &sip->advertise);
	if (!pl_strcmp(key, "external"))
		return addr_val(ctx, val, false, &sip->external);
	if (!pl_strcmp(key, "rtp_bind"))
		return addr_val(ctx, val, true, &sip->rtp_bind);
	if (!pl_strcmp(key, "local_nets"))
		return nets_key(ctx, val);
	return ENOENT;
}

/* no local_nets: the private, loopback and link-local ranges */
int conf_addr_done(struct conf_ctx *ctx)
{
	struct conf_sip *sip = &ctx->conf->sip;
	size_t i;

	if (sip->nets_set)
		return 0;
	sip->nnets = 0;
	for (i = 0; i < ARRAY_SIZE(default_nets); i++) {
		struct pl pl;

		pl_set_str(&pl, default_nets[i]);
		if (conf_net_parse(ctx, &sip->nets[sip->nnets], &pl))
			return EINVAL;
		sip->nnets++;
	}
	return 0;
}

int conf_addr_dump(struct re_printf *pf, const struct conf_sip *sip)
{
	int err = 0;

	if (sa_isset(&sip->advertise, SA_ADDR))
		err |= re_hprintf(pf, "advertise: %j\n", &sip->advertise);
	if (sa_isset(&sip->external, SA_ADDR))
		err |= re_hprintf(pf, "external: %j\n", &sip->external);
	if (sa_af(&sip->rtp_bind) != AF_UNSPEC)   /* 0.0.0.0 too */
		err |= re_hprintf(pf, "rtp_bind: %j\n", &sip->rtp_bind);
	for (unsigned i = 0; i < sip->nnets; i++)
		err |= re_hprintf(pf, "local_net: %H\n", conf_source_print,
				  &sip->nets[i]);
	return err;
}
