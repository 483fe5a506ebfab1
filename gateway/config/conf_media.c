/*
 * The media keys of [general] and [span N]: call-progress tones, echo
 * control and the jitter buffer (doc/sipri.conf.5, "Media").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <dahdi/tonezone.h>
#include "gateway/config/conf_priv.h"

void conf_media_init(struct conf_media *m)
{
	memset(m, 0, sizeof(*m));
	str_ncpy(m->country, "us", sizeof(m->country));  /* DAHDI's default */
	m->echocancel = true;
	m->ec_taps    = 128;      /* 16 ms, as chan_dahdi's echocancel=yes */
	m->soft_ec    = false;
	m->soft_ec_taps = 256;    /* 32 ms */
	m->jb_min     = 20;
	m->jb_max     = 400;
	m->t306       = 30000;    /* Q.931 Table 9-1: T306 30 s */
}

/* A country libtonezone knows: "de", "us", "uk"... */
int conf_val_country(struct conf_ctx *ctx, const struct pl *val, char *out,
		     size_t size)
{
	char cc[10];

	if (!val->l || val->l >= sizeof(cc) || val->l >= size)
		return conf_errf(ctx, EINVAL, "bad country \"%r\"", val);
	pl_strcpy(val, cc, sizeof(cc));
	if (!tone_zone_find(cc))
		return conf_errf(ctx, ENOENT, "unknown country \"%r\" (not in "
				 "libtonezone's tables)", val);
	str_ncpy(out, cc, size);
	return 0;
}

int conf_media_key(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val)
{
	struct conf_media *m = &ctx->conf->gen.media;

	if (!pl_strcmp(key, "country"))
		return conf_val_country(ctx, val, m->country,
					sizeof(m->country));
	if (!pl_strcmp(key, "echocancel"))
		return conf_val_bool(ctx, val, &m->echocancel);
	if (!pl_strcmp(key, "echocancel_taps"))
		return conf_val_u32(ctx, val, 32, 1024, &m->ec_taps);
	if (!pl_strcmp(key, "software_ec"))
		return conf_val_bool(ctx, val, &m->soft_ec);
	if (!pl_strcmp(key, "software_ec_taps"))
		return conf_val_u32(ctx, val, 32, 2048, &m->soft_ec_taps);
	if (!pl_strcmp(key, "jitter_min") || !pl_strcmp(key, "jitter_max")) {
		m->jb_line = ctx->line;
		return !pl_strcmp(key, "jitter_min") ?
			conf_val_u32(ctx, val, 0, 500, &m->jb_min) :
			conf_val_u32(ctx, val, 20, 500, &m->jb_max);
	}
	if (!pl_strcmp(key, "t306"))
		return conf_val_u32(ctx, val, 1, 120000, &m->t306);
	return ENOENT;
}

int conf_media_done(struct conf_ctx *ctx)
{
	const struct conf_media *m = &ctx->conf->gen.media;

	if (m->jb_max < m->jb_min)
		return conf_err_at(ctx, m->jb_line, "general", "jitter_max",
				   ERANGE, "jitter_max (%u ms) is below "
				   "jitter_min (%u ms)", m->jb_max, m->jb_min);
	return 0;
}

/* [span N] country = CC, inband_disconnect = yes|no */
int conf_media_span_key(struct conf_ctx *ctx, struct conf_span *span,
			const struct pl *key, const struct pl *val)
{
	if (!pl_strcmp(key, "country"))
		return conf_val_country(ctx, val, span->country,
					sizeof(span->country));
	if (!pl_strcmp(key, "inband_disconnect"))
		return conf_val_bool(ctx, val, &span->inband_disconnect);
	return ENOENT;
}
