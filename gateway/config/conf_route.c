/*
 * [route NAME]: parsing and checking routes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "gateway/config/conf_priv.h"
#include "gateway/route/route_priv.h"

static const char *const dir_names[] = { "pri-to-sip", "sip-to-pri", NULL };

static void act_destructor(void *arg)
{
	struct route_act *act = arg;

	list_unlink(&act->le);
	mem_deref(act->str);
	if (act->re_ok)
		regfree(&act->re);
}

static void route_destructor(void *arg)
{
	struct route *r = arg;

	list_unlink(&r->le);
	list_flush(&r->actl);
	if (r->re_ok)
		regfree(&r->re);
	mem_deref(r->name);
	mem_deref(r->prefix);
	mem_deref(r->trunk_name);
	for (unsigned i = 0; i < r->ntrunks; i++)
		mem_deref(r->trunk_uri[i]);
	mem_deref(r->uri);
	mem_deref(r->group);
}

int conf_route_open(struct conf_ctx *ctx, const struct pl *name)
{
	struct route *r;
	struct le *le;

	if (!conf_name_valid(name))
		return conf_errf(ctx, EINVAL, "bad route name");

	LIST_FOREACH(&ctx->conf->routel, le) {
		const struct route *old = le->data;

		if (!pl_strcmp(name, old->name))
			return conf_errf(ctx, EEXIST, "duplicate route "
					 "\"%r\" (first at line %u)", name,
					 old->line);
	}

	r = mem_zalloc(sizeof(*r), route_destructor);
	if (!r || pl_strdup(&r->name, name)) {
		mem_deref(r);
		return conf_errf(ctx, ENOMEM, "out of memory");
	}

	r->line = ctx->line;
	r->dir = -1;
	list_append(&ctx->conf->routel, &r->le, r);
	ctx->obj = r;
	return 0;
}

static int regex_compile(struct conf_ctx *ctx, regex_t *re, const char *s,
			 bool *okp)
{
	char msg[128];
	int rc;

	rc = regcomp(re, s, REG_EXTENDED);
	if (rc) {
		regerror(rc, re, msg, sizeof(msg));
		return conf_errf(ctx, EINVAL, "bad regex \"%s\": %s", s, msg);
	}

	*okp = true;
	return 0;
}

/* the text of a number: digits, '+', '*', '#' */
static bool number_text(const struct pl *val)
{
	for (size_t i = 0; i < val->l; i++) {
		if (!isdigit((unsigned char)val->p[i]) &&
		    !strchr("+*#", val->p[i]))
			return false;
	}

	return val->l > 0 && val->l < CC_NUMLEN;
}

/* match = any | prefix:DIGITS | regex:ERE */
static int match_key(struct conf_ctx *ctx, struct route *r,
		     const struct pl *val)
{
	struct pl arg;

	if (r->re_ok) {
		regfree(&r->re);
		r->re_ok = false;
	}

	if (!pl_strcmp(val, "any")) {
		r->match = ROUTE_MATCH_ANY;
		return 0;
	}

	if (val->l > 7 && !strncmp(val->p, "prefix:", 7)) {
		arg.p = val->p + 7;
		arg.l = val->l - 7;
		r->match = ROUTE_MATCH_PREFIX;
		if (!number_text(&arg))
			return conf_errf(ctx, EINVAL, "bad prefix \"%r\" "
					 "(1 to %d of 0-9 + * #)", &arg,
					 CC_NUMLEN - 1);
		return conf_val_str(ctx, &arg, &r->prefix);
	}

	if (val->l > 6 && !strncmp(val->p, "regex:", 6)) {
		arg.p = val->p + 6;
		arg.l = val->l - 6;
		r->match = ROUTE_MATCH_REGEX;
		if (conf_val_str(ctx, &arg, &r->prefix))
			return ENOMEM;
		return regex_compile(ctx, &r->re, r->prefix, &r->re_ok);
	}

	return conf_errf(ctx, EINVAL, "bad match \"%r\" (expected any, "
			 "prefix:DIGITS or regex:ERE)", val);
}

static struct route_act *act_new(struct conf_ctx *ctx, struct route *r,
				 enum route_act_type type)
{
	struct route_act *act = mem_zalloc(sizeof(*act), act_destructor);

	if (!act) {
		conf_errf(ctx, ENOMEM, "out of memory");
		return NULL;
	}

	act->type = type;
	list_append(&r->actl, &act->le, act);
	return act;
}

/* one field of s/RE/REPL/, up to the unescaped delimiter */
static int sed_field(const char **pp, const char *end, char delim,
		     char *out)
{
	const char *p = *pp;
	size_t n = 0;

	while (p < end && *p != delim) {
		if (*p == '\\' && p + 1 < end) {
			if (p[1] == delim) {
				out[n++] = delim;
				p += 2;
				continue;
			}
			out[n++] = *p++;
		}
		out[n++] = *p++;
	}

	if (p >= end)
		return EBADMSG;

	out[n] = '\0';
	*pp = p + 1;
	return 0;
}

/* every \N of the replacement names a group of the regex */
static int backrefs_check(struct conf_ctx *ctx, const struct route_act *act)
{
	for (const char *s = act->str; *s; s++) {
		if (*s != '\\' || !s[1])
			continue;
		++s;
		if (isdigit((unsigned char)*s) &&
		    (size_t)(*s - '0') > act->re.re_nsub)
			return conf_errf(ctx, EINVAL, "\\%c refers to a "
					 "group the regex does not have", *s);
	}

	return 0;
}

/* replace = s/RE/REPL/  (POSIX ERE, \0..\9 backreferences) */
static int replace_key(struct conf_ctx *ctx, struct route *r,
		       const struct pl *val)
{
	const char *p, *end = val->p + val->l;
	struct route_act *act;
	char *re;
	int err;

	if (val->l < 4 || val->p[0] != 's' ||
	    isalnum((unsigned char)val->p[1]) || val->p[1] == '\\' ||
	    isspace((unsigned char)val->p[1]))
		return conf_errf(ctx, EINVAL, "bad replace \"%r\" (expected "
				 "s/REGEX/REPLACEMENT/)", val);

	act = act_new(ctx, r, ROUTE_ACT_REPLACE);
	if (!act)
		return ENOMEM;

	re = mem_alloc(val->l + 1, NULL);
	act->str = mem_alloc(val->l + 1, NULL);
	if (!re || !act->str) {
		mem_deref(re);
		return conf_errf(ctx, ENOMEM, "out of memory");
	}

	p = val->p + 2;
	err = sed_field(&p, end, val->p[1], re);
	if (!err)
		err = sed_field(&p, end, val->p[1], act->str);
	if (err)
		err = conf_errf(ctx, EINVAL, "bad replace \"%r\" (expected "
				"s/REGEX/REPLACEMENT/)", val);
	else if (p != end)
		err = conf_errf(ctx, EINVAL, "flags after s/REGEX/"
				"REPLACEMENT/ are not supported");
	if (!err)
		err = regex_compile(ctx, &act->re, re, &act->re_ok);
	if (!err)
		err = backrefs_check(ctx, act);

	mem_deref(re);
	return err;
}

static int action_key(struct conf_ctx *ctx, struct route *r,
		      const struct pl *key, const struct pl *val)
{
	struct route_act *act;
	uint32_t n;

	if (!pl_strcmp(key, "replace"))
		return replace_key(ctx, r, val);

	if (!pl_strcmp(key, "strip")) {
		if (conf_val_u32(ctx, val, 1, CC_NUMLEN, &n))
			return EINVAL;
		act = act_new(ctx, r, ROUTE_ACT_STRIP);
		if (act)
			act->n = n;
		return act ? 0 : ENOMEM;
	}

	if (!pl_strcmp(key, "prepend")) {
		if (!number_text(val))
			return conf_errf(ctx, EINVAL, "bad prefix \"%r\" "
					 "(1 to %d of 0-9 + * #)", val,
					 CC_NUMLEN - 1);
		act = act_new(ctx, r, ROUTE_ACT_PREPEND);
		if (!act)
			return ENOMEM;
		return conf_val_str(ctx, val, &act->str);
	}

	return ENOENT;
}

/* trunk = NAME [, NAME]...: the failover order */
static int trunk_list_key(struct conf_ctx *ctx, struct route *r,
			  const struct pl *val)
{
	struct pl rest = *val, item;
	unsigned n = 0;

	r->trunk_line = ctx->line;
	while (conf_list_next(&rest, &item)) {
		if (!conf_name_valid(&item))
			return conf_errf(ctx, EINVAL, "bad trunk name \"%r\" "
					 "(a list of names, separated by "
					 "commas)", &item);
		if (++n > ROUTE_MAXTRUNKS)
			return conf_errf(ctx, ERANGE, "more than %d trunks",
					 ROUTE_MAXTRUNKS);
	}
	if (!n)
		return conf_errf(ctx, EINVAL, "no trunk named");
	return conf_val_str(ctx, val, &r->trunk_name);
}

/* min_length, max_length; overlap, overlap_digits */
static int length_key(struct conf_ctx *ctx, struct route *r,
		      const struct pl *key, const struct pl *val)
{
	uint32_t n;
	int err;

	if (!pl_strcmp(key, "overlap")) {
		r->overlap_line = ctx->line;
		return conf_val_bool(ctx, val, &r->overlap);
	}
	if (!pl_strcmp(key, "overlap_digits")) {
		err = conf_val_u32(ctx, val, 0, CC_NUMLEN - 1, &n);
		r->overlap_digits = err ? r->overlap_digits : n;
		return err;
	}
	if (!pl_strcmp(key, "min_length")) {
		err = conf_val_u32(ctx, val, 1, CC_NUMLEN - 1, &n);
		r->min_length = err ? r->min_length : n;
		return err;
	}
	if (!pl_strcmp(key, "max_length")) {
		err = conf_val_u32(ctx, val, 1, CC_NUMLEN - 1, &n);
		r->max_length = err ? r->max_length : n;
		return err;
	}
	return ENOENT;
}

int conf_route_key(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val)
{
	struct route *r = ctx->obj;
	int err, i;

	if (!pl_strcmp(key, "direction")) {
		err = conf_val_enum(ctx, val, dir_names, &i);
		r->dir = err ? r->dir : i;
		return err;
	}
	if (!pl_strcmp(key, "match"))
		return match_key(ctx, r, val);
	if (!pl_strcmp(key, "trunk"))
		return trunk_list_key(ctx, r, val);
	if (!pl_strcmp(key, "group")) {
		r->group_line = ctx->line;
		return conf_val_name(ctx, val, &r->group);
	}
	if (!pl_strcmp(key, "uri")) {
		r->uri_line = ctx->line;
		err = conf_val_str(ctx, val, &r->uri);
		if (!err && route_uri_check(r->uri))
			err = conf_errf(ctx, EINVAL, "bad URI template "
					"\"%r\" (sip:...; the only variable "
					"is ${number})", val);
		return err;
	}

	err = length_key(ctx, r, key, val);
	return err == ENOENT ? action_key(ctx, r, key, val) : err;
}

/* the section is complete: a direction and an egress that fits it */
int conf_route_close(struct conf_ctx *ctx)
{
	const struct route *r = ctx->obj;

	if (r->dir < 0)
		return conf_err_at(ctx, r->line, ctx->sname, "direction",
				   EINVAL, "missing (pri-to-sip or "
				   "sip-to-pri)");

	if (r->dir == ROUTE_PRI_TO_SIP && r->group)
		return conf_err_at(ctx, r->group_line, ctx->sname, "group",
				   EINVAL, "a pri-to-sip route goes to a "
				   "trunk or uri, not a span group");
	if (r->dir == ROUTE_PRI_TO_SIP && !r->trunk_name && !r->uri)
		return conf_err_at(ctx, r->line, ctx->sname, "trunk", EINVAL,
				   "missing (a pri-to-sip route needs "
				   "trunk or uri)");
	if (r->dir == ROUTE_SIP_TO_PRI && r->uri)
		return conf_err_at(ctx, r->uri_line, ctx->sname, "uri", EINVAL,
				   "a sip-to-pri route goes to a span "
				   "group, not a uri");
	if (r->dir == ROUTE_SIP_TO_PRI && !r->group)
		return conf_err_at(ctx, r->line, ctx->sname, "group", EINVAL,
				   "missing (a sip-to-pri route needs a "
				   "span group)");
	if (r->dir == ROUTE_PRI_TO_SIP && r->overlap)
		return conf_err_at(ctx, r->overlap_line, ctx->sname,
				   "overlap", EINVAL, "overlap sending is "
				   "for sip-to-pri routes (overlap receiving "
				   "is the [span] overlap key)");
	if (r->max_length && r->min_length > r->max_length)
		return conf_err_at(ctx, r->line, ctx->sname, "min_length",
				   ERANGE, "min_length %u is above "
				   "max_length %u", r->min_length,
				   r->max_length);

	return 0;
}

/* RFC 3261 §19.1.1: sip:user@host[:port][;transport=tcp|tls], or
 * sips:user@host[:port] (RFC 5630); with no port, RFC 3263 §4.2 finds it
 * (SRV for a name, else 5060 or 5061) */
static int trunk_uri(const struct conf_trunk *tr, char **tmplp)
{
	return re_sdprintf(tmplp, "%s:${number}@%s%H%s",
			   conf_trunk_scheme(tr), tr->host, conf_port_print,
			   &tr->port, conf_trunk_tp_param(tr));
}

/* the route's trunk names -> trunks, in the order written */
static int trunks_resolve(struct conf_ctx *ctx, struct route *r,
			  const char *sname)
{
	struct pl rest, item;
	char name[CONF_NAME_MAX + 1];

	pl_set_str(&rest, r->trunk_name);
	r->ntrunks = 0;
	while (conf_list_next(&rest, &item) && r->ntrunks < ROUTE_MAXTRUNKS) {
		const struct conf_trunk *tr;

		(void)pl_strcpy(&item, name, sizeof(name));
		tr = conf_trunk_find(ctx->conf, name);
		if (!tr)
			return conf_err_at(ctx, r->trunk_line, sname, "trunk",
					   ENOENT, "unknown trunk \"%s\"",
					   name);
		if (trunk_uri(tr, &r->trunk_uri[r->ntrunks]))
			return conf_errf(ctx, ENOMEM, "out of memory");
		r->trunks[r->ntrunks++] = tr;
	}
	if (r->ntrunks > 1 && r->uri)
		return conf_err_at(ctx, r->uri_line, sname, "uri", EINVAL,
				   "a uri goes to one place: it cannot fail "
				   "over between trunks");
	return 0;
}

/* once the whole file is read: the trunks and span groups exist */
int conf_route_check(struct conf_ctx *ctx)
{
	struct le *le;
	char sname[48];

	LIST_FOREACH(&ctx->conf->routel, le) {
		struct route *r = le->data;

		re_snprintf(sname, sizeof(sname), "route %s", r->name);

		if (r->trunk_name && trunks_resolve(ctx, r, sname))
			return ENOENT;

		if (r->group && !conf_group_exists(ctx->conf, r->group))
			return conf_err_at(ctx, r->group_line, sname,
					   "group", ENOENT, "no [span] is in "
					   "group \"%s\"", r->group);
	}

	return 0;
}
