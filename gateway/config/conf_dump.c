/*
 * A readable dump of a loaded configuration (sipri -n -v, logs).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gateway/config/conf_priv.h"
#include "gateway/route/route_priv.h"

static int dump_spans(struct re_printf *pf, const struct conf *conf)
{
	struct le *le;
	int err = 0;

	LIST_FOREACH(&conf->spanl, le) {
		const struct conf_span *s = le->data;

		err |= re_hprintf(pf, "span %u: dchan %u, %u B-channels "
				  "%u..%u, %s %s, hunting %s, channel "
				  "selection %s, overlap %s, restart on up "
				  "%s, group %s, pri debug %s%s\n", s->num,
				  s->dchan,
				  s->nbchan, s->bchan[0],
				  s->bchan[s->nbchan - 1],
				  conf_switch_name(s->switchtype),
				  conf_node_name(s->node),
				  conf_hunt_name(s->hunting),
				  conf_chansel_names[s->chansel],
				  s->overlap ? "yes" : "no",
				  s->restart_on_up ? "yes" : "no", s->group,
				  conf_pri_debug_names[s->pri_debug],
				  s->trace ? ", traced" : "");
	}

	return err;
}

/* a trunk, and on a line of its own who may call through it */
static int dump_trunk(struct re_printf *pf, const struct conf_trunk *t)
{
	int err;

	err = re_hprintf(pf, "trunk %s: %s%H %s%s", t->name, t->host,
			 conf_port_print, &t->port, conf_tp_name(t->tp),
			 t->sips ? " (sips:)" : "");
	if (t->srtp != CONF_SRTP_OFF)
		err |= re_hprintf(pf, ", media %s", conf_srtp_names[t->srtp]);
	if (t->options)
		err |= re_hprintf(pf, ", OPTIONS every %u s (down after %u "
				  "failures)", t->options,
				  t->options_failures);
	if (t->trace)
		err |= re_hprintf(pf, ", traced");
	err |= re_hprintf(pf, "\n  sources");
	for (unsigned i = 0; i < t->nsources; i++)
		err |= re_hprintf(pf, "%s%H", i ? ", " : " ",
				  conf_source_print, &t->sources[i]);
	err |= re_hprintf(pf, "%s%s, %s\n", t->nsources ? "" : " none",
			  t->sources_set ? "" : t->nsources ?
			  " (the host's)" : " (the host is a name)",
			  t->trusted ? "trusted (its P-Asserted-Identity "
			  "counts)" : "untrusted");
	if (t->nat)
		err |= re_hprintf(pf, "  nat: media from the first source "
				  "after the answer\n");
	if (t->early_media_always)
		err |= re_hprintf(pf, "  early media: as soon as the SDP is "
				  "known, without a PRACK\n");
	if (t->auth.chall_user)
		err |= re_hprintf(pf, "  challenges as %s (%u, digest %s, "
				  "nonces live %u s)\n", t->auth.realm ?
				  t->auth.realm : "sipri", t->auth.status,
				  conf_auth_alg_names[t->auth.alg],
				  t->auth.nonce_ttl);
	if (t->auth.user)
		err |= re_hprintf(pf, "  authenticates as %s%s\n",
				  t->auth.user, t->auth.reg ?
				  ", registers" : "");
	return err;
}

static int dump_sip(struct re_printf *pf, const struct conf *conf)
{
	struct le *le;
	int err = 0;

	LIST_FOREACH(&conf->sip.listenl, le) {
		const struct conf_listen *l = le->data;

		err |= re_hprintf(pf, "listen: %s %J\n", conf_tp_name(l->tp),
				  &l->addr);
	}
	err |= conf_addr_dump(pf, &conf->sip);
	if (conf->sip.tls_cert)
		err |= re_hprintf(pf, "tls: certificate %s, key %s, CAs %s\n",
				  conf->sip.tls_cert, conf->sip.tls_key,
				  conf->sip.tls_ca ? conf->sip.tls_ca :
				  "none");

	LIST_FOREACH(&conf->trunkl, le)
		err |= dump_trunk(pf, le->data);

	return err;
}

static int dump_routes(struct re_printf *pf, const struct conf *conf)
{
	struct le *le;
	int err = 0;

	LIST_FOREACH(&conf->routel, le) {
		const struct route *r = le->data;

		err |= re_hprintf(pf, "route %s: %s match %s%s -> %s%s\n",
				  r->name, route_dir_name(r->dir),
				  r->match == ROUTE_MATCH_ANY ? "any" :
				  r->match == ROUTE_MATCH_PREFIX ? "prefix:" :
				  "regex:", r->prefix ? r->prefix : "",
				  r->group ? "group " : r->uri ? "uri " :
				  "trunk ", r->group ? r->group :
				  r->uri ? r->uri : r->trunk_name);
		if (r->overlap)
			err |= re_hprintf(pf, "  overlap sending, %u digits "
					  "in the SETUP\n", r->overlap_digits);
	}

	return err;
}

/* %H: ":PORT", or nothing for port 0 (not given) */
int conf_port_print(struct re_printf *pf, void *arg)
{
	const uint16_t *port = arg;

	return *port ? re_hprintf(pf, ":%u", *port) : 0;
}

static int dump_media(struct re_printf *pf, const struct conf *conf)
{
	const struct conf_media *m = &conf->gen.media;

	return re_hprintf(pf, "media: tones %s, DAHDI echo cancellation %s "
			  "(%u taps), software canceller %s (%u taps), jitter "
			  "buffer %u..%u ms, T306 %u ms\n", m->country,
			  m->echocancel ? "on" : "off", m->ec_taps,
			  m->soft_ec ? "on" : "off", m->soft_ec_taps,
			  m->jb_min, m->jb_max, m->t306);
}

int conf_debug(struct re_printf *pf, const struct conf *conf)
{
	int err;

	if (!conf)
		return 0;

	err = re_hprintf(pf, "config %s (folder %s)\n", conf->path,
			 conf->dir ? conf->dir : "?");
	err |= dump_media(pf, conf);
	err |= dump_spans(pf, conf);
	err |= dump_sip(pf, conf);
	err |= dump_routes(pf, conf);

	return err;
}
