/*
 * A trunk's digest authentication keys (sipri.conf(5)): the challenge
 * it must answer when it calls us (sip/auth.c, RFC 3261 §22), the
 * credentials we answer its challenges with (sip/authc.c), and our
 * registration with it (sip/register.c, RFC 3261 §10).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

enum { AUTH_STR_MAX = 63 };   /* sip/sipleg.h SIPUA_STRLEN - 1 */

const char *const conf_auth_alg_names[] = {
	"both", "md5", "sha-256", NULL
};

void conf_auth_init(struct conf_auth *a)
{
	a->alg = CONF_AUTH_BOTH;
	a->nonce_ttl = 300;
	a->status = 401;
	a->reg_expires = 3600;
}

void conf_auth_free(struct conf_auth *a)
{
	a->chall_user = mem_deref(a->chall_user);
	a->chall_pass = mem_deref(a->chall_pass);
	a->realm = mem_deref(a->realm);
	a->user = mem_deref(a->user);
	a->pass = mem_deref(a->pass);
}

static int str_key(struct conf_ctx *ctx, const struct pl *val, char **out)
{
	if (!val->l || val->l > AUTH_STR_MAX)
		return conf_errf(ctx, EINVAL, "\"%r\" must be 1 to %d "
				 "characters", val, AUTH_STR_MAX);
	if (pl_strchr(val, '"') || pl_strchr(val, '\\'))
		return conf_errf(ctx, EINVAL, "no '\"' or '\\' please (it "
				 "goes in a quoted string, RFC 3261 §25.1)");
	return conf_val_str(ctx, val, out);
}

int conf_auth_key(struct conf_ctx *ctx, struct conf_trunk *tr,
		  const struct pl *key, const struct pl *val)
{
	struct conf_auth *a = &tr->auth;
	int i, err;

	if (!pl_strcmp(key, "challenge_user"))
		return str_key(ctx, val, &a->chall_user);
	if (!pl_strcmp(key, "challenge_password"))
		return str_key(ctx, val, &a->chall_pass);
	if (!pl_strcmp(key, "challenge_realm"))
		return str_key(ctx, val, &a->realm);
	if (!pl_strcmp(key, "challenge_algorithm")) {
		err = conf_val_enum(ctx, val, conf_auth_alg_names, &i);
		a->alg = err ? a->alg : (enum conf_auth_alg)i;
		return err;
	}
	if (!pl_strcmp(key, "challenge_status")) {   /* RFC 3261 §22.3 */
		if (pl_strcmp(val, "401") && pl_strcmp(val, "407"))
			return conf_errf(ctx, EINVAL, "bad value \"%r\" (401 "
					 "or 407)", val);
		a->status = pl_u32(val);
		return 0;
	}
	if (!pl_strcmp(key, "challenge_nonce_lifetime"))
		return conf_val_u32(ctx, val, 1, 3600, &a->nonce_ttl);
	if (!pl_strcmp(key, "auth_user"))
		return str_key(ctx, val, &a->user);
	if (!pl_strcmp(key, "auth_password"))
		return str_key(ctx, val, &a->pass);
	if (!pl_strcmp(key, "register"))
		return conf_val_bool(ctx, val, &a->reg);
	if (!pl_strcmp(key, "register_expires"))
		return conf_val_u32(ctx, val, 1, 86400, &a->reg_expires);
	return ENOENT;
}

/* keys that only make sense together */
int conf_auth_close(struct conf_ctx *ctx, const struct conf_trunk *tr)
{
	const struct conf_auth *a = &tr->auth;

	if (!a->chall_user != !a->chall_pass)
		return conf_err_at(ctx, tr->line, ctx->sname,
				   a->chall_user ? "challenge_password" :
				   "challenge_user", EINVAL, "missing (a "
				   "challenge needs both a user and a "
				   "password)");
	if (!a->user != !a->pass)
		return conf_err_at(ctx, tr->line, ctx->sname,
				   a->user ? "auth_password" : "auth_user",
				   EINVAL, "missing (credentials need both a "
				   "user and a password)");
	if (a->reg && !a->user)
		return conf_err_at(ctx, tr->line, ctx->sname, "auth_user",
				   EINVAL, "missing (register = yes "
				   "registers auth_user@host)");
	return 0;
}
