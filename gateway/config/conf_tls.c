/*
 * SIP over TLS and SRTP in the configuration (sipri.conf(5)): [sip]
 * tls_certificate, tls_key and tls_ca; a trunk's media (rtp, srtp,
 * srtp-optional) and sips; and the rules that join them to the tls
 * listeners and the trunks' transport.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

const char *const conf_srtp_names[] = {
	"rtp", "srtp", "srtp-optional", NULL
};

/* RFC 3261 §19.1.1, RFC 5630: a trunk's URI scheme and transport
 * parameter, as "sip:" or "sips:" and ";transport=..." (UDP: none) */
const char *conf_trunk_scheme(const struct conf_trunk *tr)
{
	return tr->sips ? "sips" : "sip";
}

const char *conf_trunk_tp_param(const struct conf_trunk *tr)
{
	switch (tr->tp) {
	case CONF_TP_TCP: return ";transport=tcp";
	case CONF_TP_TLS: return tr->sips ? "" : ";transport=tls";
	default:          return "";
	}
}

/* %H: the trunk's URI without a user, sip[s]:HOST[:PORT][;transport=...],
 * where OPTIONS pings and REGISTERs go */
int conf_trunk_uri(struct re_printf *pf, void *arg)
{
	const struct conf_trunk *tr = arg;

	return re_hprintf(pf, "%s:%s%H%s", conf_trunk_scheme(tr), tr->host,
			  conf_port_print, &tr->port, conf_trunk_tp_param(tr));
}

/* [sip] tls_certificate, tls_key, tls_ca: PEM files */
int conf_tls_sip_key(struct conf_ctx *ctx, const struct pl *key,
		     const struct pl *val)
{
	struct conf_sip *sip = &ctx->conf->sip;
	char **pathp;
	int err;

	if (!pl_strcmp(key, "tls_certificate"))
		pathp = &sip->tls_cert;
	else if (!pl_strcmp(key, "tls_key"))
		pathp = &sip->tls_key;
	else if (!pl_strcmp(key, "tls_ca"))
		pathp = &sip->tls_ca;
	else
		return ENOENT;
	err = conf_val_path(ctx, val, pathp);
	if (!err && strlen(*pathp) >= CONF_TLS_PATH_MAX)
		return conf_errf(ctx, ENAMETOOLONG, "path longer than %d "
				 "characters", CONF_TLS_PATH_MAX - 1);
	return err;
}

/* [trunk] media = rtp|srtp|srtp-optional, sips = yes|no */
int conf_tls_trunk_key(struct conf_ctx *ctx, struct conf_trunk *tr,
		       const struct pl *key, const struct pl *val)
{
	int i, err;

	if (!pl_strcmp(key, "media")) {
		err = conf_val_enum(ctx, val, conf_srtp_names, &i);
		tr->srtp = err ? tr->srtp : (enum conf_srtp)i;
		return err;
	}
	if (!pl_strcmp(key, "sips"))   /* RFC 5630 */
		return conf_val_bool(ctx, val, &tr->sips);
	return ENOENT;
}

static bool tls_listen(const struct conf *conf)
{
	struct le *le;

	LIST_FOREACH(&conf->sip.listenl, le) {
		const struct conf_listen *l = le->data;

		if (l->tp == CONF_TP_TLS)
			return true;
	}
	return false;
}

static int trunk_check(struct conf_ctx *ctx, const struct conf_trunk *tr,
		       bool listen)
{
	char sect[CONF_NAME_MAX + 8];

	re_snprintf(sect, sizeof(sect), "trunk %s", tr->name);
	if (tr->sips && tr->tp != CONF_TP_TLS)
		return conf_err_at(ctx, tr->line, sect, "sips", EINVAL,
				   "sips: URIs need transport = tls "
				   "(RFC 5630 §3.1.3)");
	if (tr->tp != CONF_TP_TLS)
		return 0;
	if (!listen)
		return conf_err_at(ctx, tr->line, sect, "transport",
				   EINVAL, "transport = tls needs a tls: "
				   "address in [sip] listen (its TLS "
				   "context and certificate)");
	if (!ctx->conf->sip.tls_ca)
		return conf_err_at(ctx, tr->line, sect, "transport",
				   EINVAL, "transport = tls needs [sip] "
				   "tls_ca (the CAs its server's certificate "
				   "is checked against)");
	return 0;
}

/* whole-file rules: a tls listener has a certificate and key; a TLS
 * trunk has a tls listener and CAs to verify its server with */
int conf_tls_check(struct conf_ctx *ctx)
{
	const struct conf_sip *sip = &ctx->conf->sip;
	bool listen = tls_listen(ctx->conf);
	struct le *le;
	int err;

	if (listen && (!sip->tls_cert || !sip->tls_key))
		return conf_err_at(ctx, 0, "sip", sip->tls_cert ? "tls_key" :
				   "tls_certificate", EINVAL, "missing (a "
				   "tls: listen address needs our certificate "
				   "and its key)");
	LIST_FOREACH(&ctx->conf->trunkl, le) {
		err = trunk_check(ctx, le->data, listen);
		if (err)
			return err;
	}
	return 0;
}
