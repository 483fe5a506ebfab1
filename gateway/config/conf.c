/*
 * Loading sipri.conf: the section dispatcher, the whole-file checks and
 * the lookups the daemon uses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

struct sect_def {
	const char *type;
	enum conf_sect sect;
	bool named;
	int (*open)(struct conf_ctx *ctx, const struct pl *name);
	int (*key)(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val);
	int (*close)(struct conf_ctx *ctx);
	bool (*repeatable)(const struct pl *key);
};

static bool route_key_repeatable(const struct pl *key)
{
	/* rewrite actions apply in file order and may repeat */
	return !pl_strcmp(key, "strip") || !pl_strcmp(key, "prepend") ||
		!pl_strcmp(key, "replace");
}

static const struct sect_def sects[] = {
	{ "general",   CONF_SECT_GENERAL,   false, NULL, conf_general_key,
	  NULL, NULL },
	{ "sip",       CONF_SECT_SIP,       false, NULL, conf_sip_key,
	  NULL, NULL },
	{ "numbering", CONF_SECT_NUMBERING, false, NULL, conf_numbering_key,
	  NULL, NULL },
	{ "span",      CONF_SECT_SPAN,      true,  conf_span_open,
	  conf_span_key, conf_span_close, NULL },
	{ "trunk",     CONF_SECT_TRUNK,     true,  conf_trunk_open,
	  conf_trunk_key, conf_trunk_close, NULL },
	{ "route",     CONF_SECT_ROUTE,     true,  conf_route_open,
	  conf_route_key, conf_route_close, route_key_repeatable },
	{ "cdr",       CONF_SECT_CDR,       false, NULL, conf_cdr_key,
	  NULL, NULL },
	{ "metrics",   CONF_SECT_METRICS,   false, NULL, conf_metrics_key,
	  NULL, NULL },
};

static const struct sect_def *sect_def(enum conf_sect sect)
{
	for (size_t i = 0; i < sizeof(sects) / sizeof(sects[0]); i++) {
		if (sects[i].sect == sect)
			return &sects[i];
	}

	return NULL;
}

static int sect_close(struct conf_ctx *ctx)
{
	const struct sect_def *def = sect_def(ctx->sect);
	int err = 0;

	if (def && def->close)
		err = def->close(ctx);

	ctx->sect = CONF_SECT_NONE;
	ctx->obj = NULL;
	ctx->nseen = 0;
	return err;
}

/* "[type]" or "[type name]" */
static int sect_open(struct conf_ctx *ctx, const struct pl *hdr)
{
	const char *sp = pl_strchr(hdr, ' ');
	struct pl type = *hdr, name = PL_INIT;
	const struct sect_def *def = NULL;

	if (sp) {
		type.l = sp - hdr->p;
		name.p = sp;
		name.l = hdr->l - type.l;
		while (name.l && name.p[0] == ' ')
			pl_advance(&name, 1);
	}

	/* truncated, with "...", when a bad name is too long to quote */
	snprintf(ctx->sname, sizeof(ctx->sname), "%.*s%s%.*s%s",
		 (int)(type.l < 16 ? type.l : 16), type.p, name.l ? " " : "",
		 (int)(name.l < 24 ? name.l : 24), name.p,
		 name.l > 24 ? "..." : "");
	ctx->sect_line = ctx->line;

	for (size_t i = 0; i < sizeof(sects) / sizeof(sects[0]); i++) {
		if (!pl_strcmp(&type, sects[i].type))
			def = &sects[i];
	}

	if (!def)
		return conf_errf(ctx, ENOENT, "unknown section");
	if (def->named && !name.l)
		return conf_errf(ctx, EINVAL, "needs a name: [%s NAME]",
				 def->type);
	if (!def->named && name.l)
		return conf_errf(ctx, EINVAL, "takes no name: [%s]",
				 def->type);
	if (!def->named && (ctx->singles & (1u << def->sect)))
		return conf_errf(ctx, EEXIST, "duplicate section");

	ctx->singles |= 1u << def->sect;
	ctx->sect = def->sect;

	return def->open ? def->open(ctx, &name) : 0;
}

static int key_seen(struct conf_ctx *ctx, const struct pl *key)
{
	for (size_t i = 0; i < ctx->nseen; i++) {
		if (!pl_cmp(&ctx->seen[i], key))
			return conf_errf(ctx, EEXIST, "duplicate key");
	}

	if (ctx->nseen < CONF_SEEN_MAX)
		ctx->seen[ctx->nseen++] = *key;

	return 0;
}

static int ini_handler(const struct pl *sect, const struct pl *key,
		       const struct pl *val, unsigned line, void *arg)
{
	struct conf_ctx *ctx = arg;
	const struct sect_def *def;
	int err;

	ctx->line = line;
	ctx->key = pl_null;

	if (sect) {
		err = sect_close(ctx);
		return err ? err : sect_open(ctx, sect);
	}

	def = sect_def(ctx->sect);
	if (!def)
		return conf_errf(ctx, EINVAL, "key \"%r\" before any "
				 "[section]", key);

	ctx->key = *key;
	if (!def->repeatable || !def->repeatable(key)) {
		err = key_seen(ctx, key);
		if (err)
			return err;
	}

	err = def->key(ctx, key, val);
	if (err == ENOENT)
		return conf_errf(ctx, ENOENT, "unknown key");

	return err;
}

/* whole-file rules, once every section is read */
static int conf_check(struct conf_ctx *ctx)
{
	int err;

	ctx->key = pl_null;
	ctx->sname[0] = '\0';

	err = conf_general_done(ctx);
	if (!err)
		err = conf_sip_done(ctx);
	if (!err)
		err = conf_tls_check(ctx);
	if (err)
		return err;

	conf_trunk_finish(ctx->conf);

	err = conf_span_check(ctx);
	if (err)
		return err;

	return conf_route_check(ctx);
}

static void conf_destructor(void *arg)
{
	struct conf *conf = arg;

	list_flush(&conf->routel);
	list_flush(&conf->trunkl);
	list_flush(&conf->spanl);
	list_flush(&conf->sip.listenl);
	mem_deref(conf->sip.user_agent);
	mem_deref(conf->gen.control);
	mem_deref(conf->gen.trace_dir);
	mem_deref(conf->cdr.file);
	mem_deref(conf->sip.tls_cert);
	mem_deref(conf->sip.tls_key);
	mem_deref(conf->sip.tls_ca);
	mem_deref(conf->path);
	mem_deref(conf->dir);
}

static int conf_new(struct conf **confp, const char *path)
{
	struct conf *conf;
	int err;

	conf = mem_zalloc(sizeof(*conf), conf_destructor);
	if (!conf)
		return ENOMEM;

	conf_general_init(&conf->gen);
	conf_sip_init(&conf->sip);
	numbering_init(&conf->num);

	err  = str_dup(&conf->path, path);
	err |= str_dup(&conf->sip.user_agent, PACKAGE_NAME "/"
		       PACKAGE_VERSION);
	if (err) {
		mem_deref(conf);
		return ENOMEM;
	}

	*confp = conf;
	return 0;
}

static int conf_parse_into(struct conf_ctx *ctx, const char *buf,
			   size_t len)
{
	const char *reason;
	unsigned line = 0;
	int err;

	err = conf_ini_parse(buf, len, ini_handler, ctx, &line, &reason);
	if (err && reason) {
		ctx->sname[0] = '\0';
		ctx->key = pl_null;
		ctx->line = line;
		return conf_errf(ctx, err, "%s", reason);
	}
	if (!err)
		err = sect_close(ctx);
	if (!err)
		err = conf_check(ctx);

	return err;
}

/* the folder holding the config file, absolute; NULL if it can't be */
static int conf_set_dir(struct conf *conf, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX];

	if (!slash)
		str_ncpy(dir, ".", sizeof(dir));
	else if (slash == path)
		str_ncpy(dir, "/", sizeof(dir));
	else if ((size_t)(slash - path) < sizeof(dir))
		str_ncpy(dir, path, (size_t)(slash - path) + 1);
	else
		return ENAMETOOLONG;

	if (!realpath(dir, real))
		return 0;   /* relative paths then stay relative to cwd */

	return str_dup(&conf->dir, real);
}

/*
 * Parse a config held in memory.  path names it in error messages and
 * gives the folder that relative paths inside it are resolved against.
 */
int conf_parse(struct conf **confp, const char *path, const char *buf,
	       size_t len, struct conf_err *err)
{
	struct conf_ctx *ctx;
	struct conf *conf;
	int e;

	if (!confp || !path || (!buf && len))
		return EINVAL;

	if (err)
		memset(err, 0, sizeof(*err));

	/* the context is large (seen-key table): keep it off the stack */
	ctx = mem_zalloc(sizeof(*ctx), NULL);
	if (!ctx)
		return ENOMEM;

	e = conf_new(&conf, path);
	if (!e)
		e = conf_set_dir(conf, path);
	if (e) {
		ctx->file = path;
		ctx->err = err;
		conf_errf(ctx, e, "%m", e);
		goto out;
	}

	ctx->conf = conf;
	ctx->file = path;
	ctx->err  = err;

	e = conf_parse_into(ctx, buf ? buf : "", len);

 out:
	mem_deref(ctx);
	if (e)
		mem_deref(conf);
	else
		*confp = conf;

	return e;
}

static int file_read(const char *path, struct mbuf **mbp)
{
	struct mbuf *mb;
	FILE *f;
	char buf[4096];
	size_t n;
	int err = 0;

	f = fopen(path, "r");
	if (!f)
		return errno;

	mb = mbuf_alloc(sizeof(buf));
	if (!mb) {
		fclose(f);
		return ENOMEM;
	}

	while (!err && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		err = mbuf_write_mem(mb, (uint8_t *)buf, n);
		if (mb->end > 1024 * 1024)
			err = EFBIG;
	}
	if (!err && ferror(f))
		err = EIO;

	fclose(f);
	if (err)
		mem_deref(mb);
	else
		*mbp = mb;

	return err;
}

int conf_load(struct conf **confp, const char *path, struct conf_err *err)
{
	struct mbuf *mb = NULL;
	int e;

	if (!confp || !path)
		return EINVAL;

	e = file_read(path, &mb);
	if (e) {
		if (err) {
			memset(err, 0, sizeof(*err));
			re_snprintf(err->msg, sizeof(err->msg),
				    "%s: cannot read: %m", path, e);
		}
		return e;
	}

	e = conf_parse(confp, path, (const char *)mb->buf, mb->end, err);
	mem_deref(mb);

	return e;
}

const struct conf_span *conf_span_find(const struct conf *conf,
				       unsigned num)
{
	struct le *le;

	LIST_FOREACH(conf ? &conf->spanl : NULL, le) {
		const struct conf_span *span = le->data;

		if (span->num == num)
			return span;
	}

	return NULL;
}

const struct conf_trunk *conf_trunk_find(const struct conf *conf,
					 const char *name)
{
	struct le *le;

	LIST_FOREACH(conf ? &conf->trunkl : NULL, le) {
		const struct conf_trunk *tr = le->data;

		if (!str_cmp(tr->name, name))
			return tr;
	}

	return NULL;
}

bool conf_group_exists(const struct conf *conf, const char *group)
{
	struct le *le;

	LIST_FOREACH(conf ? &conf->spanl : NULL, le) {
		const struct conf_span *span = le->data;

		if (!str_cmp(span->group, group))
			return true;
	}

	return false;
}
