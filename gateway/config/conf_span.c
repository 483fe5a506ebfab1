/*
 * [span N]: one ISDN PRI span from DAHDI.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

static void span_destructor(void *arg)
{
	struct conf_span *span = arg;

	list_unlink(&span->le);
	mem_deref(span->group);
}

int conf_span_open(struct conf_ctx *ctx, const struct pl *name)
{
	const struct conf_span *old;
	struct conf_span *span;
	uint32_t num;

	if (conf_num_parse(name, 255, &num) || !num)
		return conf_errf(ctx, EINVAL, "bad span number \"%r\" "
				 "(1..255)", name);

	old = conf_span_find(ctx->conf, num);
	if (old)
		return conf_errf(ctx, EEXIST, "duplicate span %u (first at "
				 "line %u)", num, old->line);

	span = mem_zalloc(sizeof(*span), span_destructor);
	if (!span)
		return conf_errf(ctx, ENOMEM, "out of memory");

	span->num        = num;
	span->line       = ctx->line;
	span->switchtype = CONF_SW_EUROISDN;
	span->node       = CONF_NODE_CPE;
	span->hunting    = CONF_HUNT_ASCENDING;
	span->chansel    = CONF_CHANSEL_EXCLUSIVE;
	span->restart_on_up = true;   /* Q.931 §5.5: no stale calls */
	if (str_dup(&span->group, "default")) {
		mem_deref(span);
		return conf_errf(ctx, ENOMEM, "out of memory");
	}

	list_append(&ctx->conf->spanl, &span->le, span);
	ctx->obj = span;
	return 0;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int bchan_add(struct conf_ctx *ctx, struct conf_span *span,
		     uint32_t lo, uint32_t hi)
{
	for (uint32_t c = lo; c <= hi; c++) {
		if (span->nbchan >= CONF_MAXBCHAN)
			return conf_errf(ctx, ERANGE, "more than %d "
					 "B-channels", CONF_MAXBCHAN);
		span->bchan[span->nbchan++] = (uint16_t)c;
	}

	return 0;
}

/* bchan = 32-46,48-62 */
static int bchan_key(struct conf_ctx *ctx, struct conf_span *span,
		     const struct pl *val)
{
	struct pl rest = *val, item;
	uint32_t lo, hi;
	int err;

	span->nbchan = 0;

	while (rest.l) {
		const char *comma = pl_strchr(&rest, ',');

		item.p = rest.p;
		item.l = comma ? (size_t)(comma - rest.p) : rest.l;
		pl_advance(&rest, item.l + (comma ? 1 : 0));
		while (item.l && item.p[0] == ' ')
			pl_advance(&item, 1);
		while (item.l && item.p[item.l - 1] == ' ')
			item.l--;

		if (pl_strchr(&item, '-'))
			err = conf_val_range(ctx, &item, 1, CONF_MAXCHAN,
					     &lo, &hi);
		else
			err = conf_val_u32(ctx, &item, 1, CONF_MAXCHAN, &lo);
		if (err)
			return err;

		err = bchan_add(ctx, span, lo, pl_strchr(&item, '-') ? hi : lo);
		if (err)
			return err;
	}

	if (!span->nbchan)
		return conf_errf(ctx, EINVAL, "no B-channels");

	qsort(span->bchan, span->nbchan, sizeof(span->bchan[0]), cmp_u16);
	for (unsigned i = 1; i < span->nbchan; i++) {
		if (span->bchan[i] == span->bchan[i - 1])
			return conf_errf(ctx, EINVAL, "channel %u listed "
					 "twice", span->bchan[i]);
	}

	return 0;
}

static int span_enum(struct conf_ctx *ctx, const struct pl *val,
		     const char *const *names, void *out)
{
	int i, err;

	err = conf_val_enum(ctx, val, names, &i);
	if (!err)
		*(int *)out = i;   /* the conf_* enums are int-sized */

	return err;
}

int conf_span_key(struct conf_ctx *ctx, const struct pl *key,
		  const struct pl *val)
{
	struct conf_span *span = ctx->obj;
	uint32_t v;
	int err;

	if (!pl_strcmp(key, "dchan")) {
		err = conf_val_u32(ctx, val, 1, CONF_MAXCHAN, &v);
		span->dchan = err ? span->dchan : v;
		return err;
	}
	if (!pl_strcmp(key, "bchan"))
		return bchan_key(ctx, span, val);
	if (!pl_strcmp(key, "switchtype"))
		return span_enum(ctx, val, conf_switch_names,
				 &span->switchtype);
	if (!pl_strcmp(key, "node"))
		return span_enum(ctx, val, conf_node_names, &span->node);
	if (!pl_strcmp(key, "hunting"))
		return span_enum(ctx, val, conf_hunt_names, &span->hunting);
	if (!pl_strcmp(key, "channel_selection"))
		return span_enum(ctx, val, conf_chansel_names,
				 &span->chansel);
	if (!pl_strcmp(key, "overlap"))
		return conf_val_bool(ctx, val, &span->overlap);
	if (!pl_strcmp(key, "restart_on_up"))
		return conf_val_bool(ctx, val, &span->restart_on_up);
	if (!pl_strcmp(key, "trace"))   /* gateway/trace.c */
		return conf_val_bool(ctx, val, &span->trace);
	if (!pl_strcmp(key, "pri_debug"))
		return span_enum(ctx, val, conf_pri_debug_names,
				 &span->pri_debug);
	if (!pl_strcmp(key, "group"))
		return conf_val_name(ctx, val, &span->group);

	return conf_media_span_key(ctx, span, key, val);
}

/* the section is complete: required keys and per-span rules */
int conf_span_close(struct conf_ctx *ctx)
{
	struct conf_span *span = ctx->obj;

	if (!span->dchan)
		return conf_err_at(ctx, span->line, ctx->sname, "dchan",
				   EINVAL, "missing (the D-channel number)");
	if (!span->nbchan)
		return conf_err_at(ctx, span->line, ctx->sname, "bchan",
				   EINVAL, "missing (the B-channel list)");

	for (unsigned i = 0; i < span->nbchan; i++) {
		if (span->bchan[i] == span->dchan)
			return conf_err_at(ctx, span->line, ctx->sname,
					   "bchan", EINVAL, "holds the "
					   "D-channel %u", span->dchan);
	}

	return 0;
}

static int chan_claim(struct conf_ctx *ctx, uint16_t *owner,
		      const struct conf_span *span, unsigned chan,
		      const char *key)
{
	char sname[16];

	if (!owner[chan]) {
		owner[chan] = (uint16_t)span->num;
		return 0;
	}

	re_snprintf(sname, sizeof(sname), "span %u", span->num);
	return conf_err_at(ctx, span->line, sname, key, EEXIST, "channel %u "
			   "is also used by span %u", chan, owner[chan]);
}

/* across spans: no DAHDI channel belongs to two spans */
int conf_span_check(struct conf_ctx *ctx)
{
	uint16_t owner[CONF_MAXCHAN + 1];
	struct le *le;
	int err;

	memset(owner, 0, sizeof(owner));

	LIST_FOREACH(&ctx->conf->spanl, le) {
		const struct conf_span *span = le->data;

		err = chan_claim(ctx, owner, span, span->dchan, "dchan");
		for (unsigned i = 0; !err && i < span->nbchan; i++)
			err = chan_claim(ctx, owner, span, span->bchan[i],
					 "bchan");
		if (err)
			return err;
	}

	return 0;
}
