/*
 * The DTMF keys (sipri.conf(5)): how digits go to SIP, in [general] and
 * per [trunk NAME], and the detector and generator on the B-channels,
 * in [general].  Levels are dBm0 (ITU-T G.711), as spandsp takes them;
 * Q.24 asks a receiver to accept tones down to about -25 dBm0 per
 * frequency, with some twist.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

void conf_dtmf_init(struct conf_general *gen)
{
	gen->dtmf      = CONF_DTMF_AUTO;
	gen->dtmf_info = CONF_DTMF_INFO_RELAY;
	gen->dtmfdsp.threshold     = -30;
	gen->dtmfdsp.twist         = 8;
	gen->dtmfdsp.reverse_twist = 4;
	gen->dtmfdsp.level         = -10;
	gen->dtmfdsp.duration      = 100;
	gen->dtmfdsp.gap           = 60;
	gen->dtmfdsp.delay         = 40;
}

/* a level in dBm0: "-30", "0" or "3" */
static int val_dbm0(struct conf_ctx *ctx, const struct pl *val, int min,
		    int max, int *out)
{
	struct pl num = *val;
	bool neg = num.l && num.p[0] == '-';
	uint32_t v;

	if (neg)
		pl_advance(&num, 1);
	if (conf_num_parse(&num, 1000, &v))
		return conf_errf(ctx, EINVAL, "bad level \"%r\" (dBm0, e.g. "
				 "-10)", val);
	if ((neg ? -(int)v : (int)v) < min || (neg ? -(int)v : (int)v) > max)
		return conf_errf(ctx, ERANGE, "%r is out of range %d..%d dBm0",
				 val, min, max);
	*out = neg ? -(int)v : (int)v;
	return 0;
}

static int method_key(struct conf_ctx *ctx, const struct pl *key,
		      const struct pl *val, int *dtmf, int *info)
{
	if (!pl_strcmp(key, "dtmf"))
		return conf_val_enum(ctx, val, conf_dtmf_names, dtmf);
	if (!pl_strcmp(key, "dtmf_info"))
		return conf_val_enum(ctx, val, conf_dtmf_info_names, info);
	return ENOENT;
}

static int dsp_key(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val, struct conf_dtmfdsp *d)
{
	if (!pl_strcmp(key, "dtmf_threshold"))
		return val_dbm0(ctx, val, -60, 0, &d->threshold);
	if (!pl_strcmp(key, "dtmf_twist"))
		return conf_val_u32(ctx, val, 0, 20, &d->twist);
	if (!pl_strcmp(key, "dtmf_reverse_twist"))
		return conf_val_u32(ctx, val, 0, 20, &d->reverse_twist);
	if (!pl_strcmp(key, "dtmf_level"))
		return val_dbm0(ctx, val, -40, 0, &d->level);
	if (!pl_strcmp(key, "dtmf_duration"))
		return conf_val_u32(ctx, val, 40, 2000, &d->duration);
	if (!pl_strcmp(key, "dtmf_gap"))
		return conf_val_u32(ctx, val, 40, 2000, &d->gap);
	if (!pl_strcmp(key, "dtmf_delay"))
		return conf_val_u32(ctx, val, 0, 60, &d->delay);
	return ENOENT;
}

int conf_dtmf_general_key(struct conf_ctx *ctx, const struct pl *key,
			  const struct pl *val)
{
	struct conf_general *gen = &ctx->conf->gen;
	int dtmf = (int)gen->dtmf, info = (int)gen->dtmf_info;
	int err;

	err = method_key(ctx, key, val, &dtmf, &info);
	if (err == ENOENT)
		return dsp_key(ctx, key, val, &gen->dtmfdsp);
	if (!err) {
		gen->dtmf = (enum conf_dtmf)dtmf;
		gen->dtmf_info = (enum conf_dtmf_info)info;
	}
	return err;
}

int conf_dtmf_trunk_key(struct conf_ctx *ctx, struct conf_trunk *tr,
			const struct pl *key, const struct pl *val)
{
	int dtmf = tr->dtmf, info = tr->dtmf_info;
	int err;

	err = method_key(ctx, key, val, &dtmf, &info);
	if (!err) {
		tr->dtmf = dtmf;
		tr->dtmf_info = info;
	}
	return err;
}
