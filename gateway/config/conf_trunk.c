/*
 * [trunk NAME]: a SIP peer, with its cause table overrides and number
 * format, and who may call through it (conf_source.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "gateway/config/conf_priv.h"
#include "gateway/route/cause.h"

static void trunk_destructor(void *arg)
{
	struct conf_trunk *tr = arg;

	list_unlink(&tr->le);
	mem_deref(tr->name);
	mem_deref(tr->host);
	mem_deref(tr->causes);
	conf_auth_free(&tr->auth);
}

/* early_media = prack | always (sip/rtpguard.c) */
static int early_media_key(struct conf_ctx *ctx, const struct pl *val,
			   struct conf_trunk *tr)
{
	int err, i;

	err = conf_val_enum(ctx, val, conf_early_media_names, &i);
	tr->early_media_always = err ? tr->early_media_always : i == 1;
	return err;
}

int conf_trunk_open(struct conf_ctx *ctx, const struct pl *name)
{
	const struct conf_trunk *old;
	struct conf_trunk *tr;
	char buf[CONF_NAME_MAX + 1];
	int err;

	if (!conf_name_valid(name))
		return conf_errf(ctx, EINVAL, "bad trunk name");

	(void)pl_strcpy(name, buf, sizeof(buf));
	old = conf_trunk_find(ctx->conf, buf);
	if (old)
		return conf_errf(ctx, EEXIST, "duplicate trunk \"%s\" (first "
				 "at line %u)", buf, old->line);

	tr = mem_zalloc(sizeof(*tr), trunk_destructor);
	if (!tr)
		return conf_errf(ctx, ENOMEM, "out of memory");

	tr->port   = 0;      /* none: RFC 3263 (SRV, or 5060) */
	tr->tp     = CONF_TP_UDP;
	tr->sipfmt = -1;
	tr->options_failures = 3;
	tr->dtmf   = -1;
	tr->dtmf_info = -1;
	tr->session_expires = -1;
	tr->min_se = -1;
	tr->rel100 = -1;
	tr->alert_inband = CONF_ALERT_183;
	tr->ringback = CONF_RINGBACK_LOCAL;
	tr->inband_disc = true;
	tr->inband_disc_ms = 30000;
	conf_auth_init(&tr->auth);
	tr->line   = ctx->line;
	err  = str_dup(&tr->name, buf);
	err |= cause_map_alloc(&tr->causes);
	if (err) {
		mem_deref(tr);
		return conf_errf(ctx, ENOMEM, "out of memory");
	}

	list_append(&ctx->conf->trunkl, &tr->le, tr);
	ctx->obj = tr;
	return 0;
}

/* cause.N = STATUS: Q.850 cause N from the PRI -> this SIP status */
static int cause_key(struct conf_ctx *ctx, struct conf_trunk *tr,
		     const struct pl *num, const struct pl *val)
{
	uint32_t cause, status;

	if (conf_num_parse(num, CAUSE_MAX, &cause) || !cause)
		return conf_errf(ctx, EINVAL, "bad cause value \"%r\" "
				 "(1..%d)", num, CAUSE_MAX);
	if (conf_val_u32(ctx, val, 400, CAUSE_STATUS_MAX, &status))
		return EINVAL;

	return cause_map_set_c2s(tr->causes, (int)cause, (int)status);
}

/* status.S = CAUSE: SIP status S received -> this Q.850 cause */
static int status_key(struct conf_ctx *ctx, struct conf_trunk *tr,
		      const struct pl *num, const struct pl *val)
{
	uint32_t status, cause;

	if (conf_num_parse(num, CAUSE_STATUS_MAX, &status) ||
	    status < CAUSE_STATUS_MIN)
		return conf_errf(ctx, EINVAL, "bad SIP status \"%r\" "
				 "(%d..%d)", num, CAUSE_STATUS_MIN,
				 CAUSE_STATUS_MAX);
	if (conf_val_u32(ctx, val, 1, CAUSE_MAX, &cause))
		return EINVAL;

	return cause_map_set_s2c(tr->causes, (int)status, (int)cause);
}

/* RFC 3261 §25.1 host: hostname, IPv4address or "[" IPv6address "]" */
static bool host_valid(const struct pl *val)
{
	bool v6 = val->l > 2 && val->p[0] == '[' && val->p[val->l - 1] == ']';

	if (!val->l)
		return false;

	for (size_t i = 0; i < val->l; i++) {
		char c = val->p[i];

		if (isalnum((unsigned char)c) || c == '-' || c == '.')
			continue;
		if (v6 && (c == ':' || c == '[' || c == ']'))
			continue;
		return false;
	}

	return true;
}

/* 100rel and the progress-indicator <-> 18x policy (RFC 3262, Q.931
 * §4.5.23) */
static int trunk_pi_key(struct conf_ctx *ctx, struct conf_trunk *tr,
			const struct pl *key, const struct pl *val)
{
	int i, err;

	if (!pl_strcmp(key, "100rel")) {
		err = conf_val_enum(ctx, val, conf_100rel_names, &i);
		tr->rel100 = err ? tr->rel100 : i;
		return err;
	}
	if (!pl_strcmp(key, "alerting_inband")) {
		err = conf_val_enum(ctx, val, conf_alert_inband_names, &i);
		tr->alert_inband = err ? tr->alert_inband :
			(enum conf_alert_inband)i;
		return err;
	}
	if (!pl_strcmp(key, "ringback")) {
		err = conf_val_enum(ctx, val, conf_ringback_names, &i);
		tr->ringback = err ? tr->ringback : (enum conf_ringback)i;
		return err;
	}
	if (!pl_strcmp(key, "inband_disconnect"))
		return conf_val_bool(ctx, val, &tr->inband_disc);
	if (!pl_strcmp(key, "inband_disconnect_timer"))
		return conf_val_u32(ctx, val, 100, 600000,
				    &tr->inband_disc_ms);
	return ENOENT;
}

static int trunk_str_key(struct conf_ctx *ctx, struct conf_trunk *tr,
			 const struct pl *key, const struct pl *val)
{
	uint32_t v;
	int i, err;

	if (!pl_strcmp(key, "host")) {
		if (!host_valid(val))
			return conf_errf(ctx, EINVAL, "bad host \"%r\" (a "
					 "name, IPv4 address or [IPv6] "
					 "address; the port goes in "
					 "\"port\")", val);
		return conf_val_str(ctx, val, &tr->host);
	}
	if (!pl_strcmp(key, "port")) {
		err = conf_val_u32(ctx, val, 1, 65535, &v);
		tr->port = err ? tr->port : (uint16_t)v;
		return err;
	}
	if (!pl_strcmp(key, "transport")) {
		err = conf_val_enum(ctx, val, conf_tp_names, &i);
		tr->tp = err ? tr->tp : (enum conf_tp)i;
		return err;
	}
	if (!pl_strcmp(key, "options"))
		return conf_val_u32(ctx, val, 0, 86400, &tr->options);
	if (!pl_strcmp(key, "options_timeout"))
		return conf_val_u32(ctx, val, 1, 600000, &tr->options_timeout);
	if (!pl_strcmp(key, "options_failures"))
		return conf_val_u32(ctx, val, 1, 100, &tr->options_failures);
	if (!pl_strcmp(key, "session_expires")) {   /* RFC 4028 */
		err = conf_val_u32(ctx, val, 0, 86400, &v);
		tr->session_expires = err ? tr->session_expires : v;
		return err;
	}
	if (!pl_strcmp(key, "min_se")) {
		err = conf_val_u32(ctx, val, 1, 86400, &v);
		tr->min_se = err ? tr->min_se : v;
		return err;
	}
	err = conf_tls_trunk_key(ctx, tr, key, val);
	if (err != ENOENT)
		return err;
	if (!pl_strcmp(key, "sources"))   /* RFC 3261 §8.2, sip/acl.c */
		return conf_source_key(ctx, tr, val);
	if (!pl_strcmp(key, "trusted"))   /* RFC 3325 §4 */
		return conf_val_bool(ctx, val, &tr->trusted);
	if (!pl_strcmp(key, "nat"))       /* RFC 4961 latching */
		return conf_val_bool(ctx, val, &tr->nat);
	if (!pl_strcmp(key, "trace"))     /* gateway/trace.c */
		return conf_val_bool(ctx, val, &tr->trace);
	if (!pl_strcmp(key, "early_media"))
		return early_media_key(ctx, val, tr);
	if (!pl_strcmp(key, "sip_format")) {
		err = conf_val_enum(ctx, val, conf_sipfmt_names, &i);
		tr->sipfmt = err ? tr->sipfmt : i;
		return err;
	}

	return trunk_pi_key(ctx, tr, key, val);
}

int conf_trunk_key(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val)
{
	struct conf_trunk *tr = ctx->obj;
	struct pl num;
	int err;

	err = conf_dtmf_trunk_key(ctx, tr, key, val);
	if (err != ENOENT)
		return err;
	err = conf_auth_key(ctx, tr, key, val);
	if (err != ENOENT)
		return err;
	if (key->l > 6 && !strncmp(key->p, "cause.", 6)) {
		num.p = key->p + 6;
		num.l = key->l - 6;
		return cause_key(ctx, tr, &num, val);
	}
	if (key->l > 7 && !strncmp(key->p, "status.", 7)) {
		num.p = key->p + 7;
		num.l = key->l - 7;
		return status_key(ctx, tr, &num, val);
	}

	return trunk_str_key(ctx, tr, key, val);
}

int conf_trunk_close(struct conf_ctx *ctx)
{
	struct conf_trunk *tr = ctx->obj;

	if (!tr->host)
		return conf_err_at(ctx, tr->line, ctx->sname, "host", EINVAL,
				   "missing (the peer's host name or "
				   "address)");
	if (tr->session_expires > 0 && tr->min_se > tr->session_expires)
		return conf_err_at(ctx, tr->line, ctx->sname, "min_se",
				   ERANGE, "Min-SE (%lld s) is above "
				   "session_expires (%lld s)",
				   (long long)tr->min_se,
				   (long long)tr->session_expires);
	conf_source_default(tr);
	return conf_auth_close(ctx, tr);
}

/* after [numbering] is known: each trunk's numbering with overrides */
void conf_trunk_finish(struct conf *conf)
{
	struct le *le;

	LIST_FOREACH(&conf->trunkl, le) {
		struct conf_trunk *tr = le->data;

		tr->num = conf->num;
		if (tr->sipfmt >= 0)
			tr->num.sipfmt = (enum number_sipfmt)tr->sipfmt;
		if (tr->dtmf < 0)
			tr->dtmf = (int)conf->gen.dtmf;
		if (tr->dtmf_info < 0)
			tr->dtmf_info = (int)conf->gen.dtmf_info;
	}
}
