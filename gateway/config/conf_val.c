/*
 * Value parsers for sipri.conf: each one either stores the value or sets
 * a message saying what was wrong with it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

/* strict decimal: digits only, no sign, no overflow past max */
int conf_num_parse(const struct pl *pl, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (!pl || !pl->l)
		return EINVAL;

	for (size_t i = 0; i < pl->l; i++) {
		char c = pl->p[i];

		if (c < '0' || c > '9')
			return EINVAL;
		v = v * 10 + (uint64_t)(c - '0');
		if (v > max)
			return ERANGE;
	}

	*out = (uint32_t)v;
	return 0;
}

int conf_val_u32(struct conf_ctx *ctx, const struct pl *val,
		 uint32_t min, uint32_t max, uint32_t *out)
{
	uint32_t v;
	int err;

	err = conf_num_parse(val, max, &v);
	if (err == EINVAL)
		return conf_errf(ctx, EINVAL, "bad number \"%r\"", val);
	if (err || v < min)
		return conf_errf(ctx, ERANGE, "%r is out of range %u..%u",
				 val, min, max);

	*out = v;
	return 0;
}

/* "LO-HI" with min <= LO <= HI <= max */
int conf_val_range(struct conf_ctx *ctx, const struct pl *val,
		   uint32_t min, uint32_t max, uint32_t *lo, uint32_t *hi)
{
	const char *dash = pl_strchr(val, '-');
	struct pl a, b;

	if (!dash)
		return conf_errf(ctx, EINVAL, "bad range \"%r\" (expected "
				 "LOW-HIGH)", val);

	a.p = val->p;
	a.l = dash - val->p;
	b.p = dash + 1;
	b.l = val->l - a.l - 1;

	if (conf_num_parse(&a, UINT32_MAX, lo) ||
	    conf_num_parse(&b, UINT32_MAX, hi))
		return conf_errf(ctx, EINVAL, "bad range \"%r\" (expected "
				 "LOW-HIGH)", val);

	if (*lo < min || *hi > max || *lo > *hi)
		return conf_errf(ctx, ERANGE, "range %r is outside %u-%u or "
				 "reversed", val, min, max);

	return 0;
}

/* one of the NULL-terminated names; *out is its index */
int conf_val_enum(struct conf_ctx *ctx, const struct pl *val,
		  const char *const *names, int *out)
{
	char list[200] = "";
	size_t n = 0;

	for (int i = 0; names[i]; i++) {
		if (!pl_strcmp(val, names[i])) {
			*out = i;
			return 0;
		}
	}

	for (int i = 0; names[i] && n < sizeof(list); i++)
		n += re_snprintf(list + n, sizeof(list) - n, "%s%s",
				 i ? "|" : "", names[i]);

	return conf_errf(ctx, EINVAL, "bad value \"%r\" (expected %s)",
			 val, list);
}

int conf_val_bool(struct conf_ctx *ctx, const struct pl *val, bool *out)
{
	static const char *const names[] = {
		"no", "yes", "false", "true", "off", "on", "0", "1", NULL
	};
	int i;

	if (conf_val_enum(ctx, val, names, &i))
		return EINVAL;

	*out = i & 1;
	return 0;
}

int conf_val_str(struct conf_ctx *ctx, const struct pl *val, char **out)
{
	char *s;

	if (pl_strdup(&s, val))
		return conf_errf(ctx, ENOMEM, "out of memory");

	mem_deref(*out);
	*out = s;
	return 0;
}

/* a string of decimal digits, possibly empty */
int conf_val_digits(struct conf_ctx *ctx, const struct pl *val,
		    char *buf, size_t size)
{
	for (size_t i = 0; i < val->l; i++) {
		if (!isdigit((unsigned char)val->p[i]))
			return conf_errf(ctx, EINVAL, "bad digit string "
					 "\"%r\"", val);
	}

	if (val->l >= size)
		return conf_errf(ctx, ERANGE, "\"%r\" is longer than %zu "
				 "digits", val, size - 1);

	(void)pl_strcpy(val, buf, size);
	return 0;
}

/* a path, resolved against the config file's folder when relative */
int conf_val_path(struct conf_ctx *ctx, const struct pl *val, char **out)
{
	const char *dir = ctx->conf->dir;
	char *s;
	int err;

	if (!val->l)
		return conf_errf(ctx, EINVAL, "empty path");

	if (val->p[0] == '/' || !dir)
		err = pl_strdup(&s, val);
	else
		err = re_sdprintf(&s, "%s/%r", dir, val);
	if (err)
		return conf_errf(ctx, err, "out of memory");

	mem_deref(*out);
	*out = s;
	return 0;
}

/* names of trunks, routes and groups: [A-Za-z0-9_.-]{1,32} */
bool conf_name_valid(const struct pl *name)
{
	if (!name->l || name->l > CONF_NAME_MAX)
		return false;

	for (size_t i = 0; i < name->l; i++) {
		char c = name->p[i];

		if (!isalnum((unsigned char)c) && !strchr("_.-", c))
			return false;
	}

	return true;
}

int conf_val_name(struct conf_ctx *ctx, const struct pl *val, char **out)
{
	if (!conf_name_valid(val))
		return conf_errf(ctx, EINVAL, "bad name \"%r\" (1 to %d of "
				 "letters, digits, '_', '.', '-')", val,
				 CONF_NAME_MAX);

	return conf_val_str(ctx, val, out);
}
