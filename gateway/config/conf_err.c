/*
 * Configuration error messages: every one names the file, the line, the
 * section and the key, e.g.
 *   sipri.conf:12: [route pstn-out] key "stirp": unknown key
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

/* the reason, cut with "..." when a quoted value makes it too long */
static void reason_format(char *buf, size_t size, const char *fmt,
			  va_list ap)
{
	char *s = NULL;

	if (re_vsdprintf(&s, fmt, ap) || !s) {
		str_ncpy(buf, "(no memory for the message)", size);
		return;
	}

	if (strlen(s) < size)
		str_ncpy(buf, s, size);
	else
		snprintf(buf, size, "%.*s...", (int)(size - 4), s);

	mem_deref(s);
}

static int err_vset(struct conf_ctx *ctx, unsigned line, const char *sect,
		    const char *key, int code, const char *fmt, va_list ap)
{
	struct conf_err *e = ctx->err;
	char reason[320] = "", where[24] = "", sct[64] = "", k[64] = "";

	if (!e || e->msg[0])   /* the first error is the one reported */
		return code;

	reason_format(reason, sizeof(reason), fmt, ap);

	e->line = line;
	str_ncpy(e->key, key ? key : "", sizeof(e->key));

	if (line)
		snprintf(where, sizeof(where), ":%u", line);
	if (sect && sect[0])
		snprintf(sct, sizeof(sct), "[%s]%s", sect, key ? " " : ": ");
	if (key)
		snprintf(k, sizeof(k), "key \"%s\": ", key);

	snprintf(e->msg, sizeof(e->msg), "%s%s: %s%s%s",
		 ctx->file, where, sct, k, reason);

	return code;
}

/* an error about the current line (and key, when one is being parsed) */
int conf_errf(struct conf_ctx *ctx, int code, const char *fmt, ...)
{
	char key[48] = "";
	va_list ap;

	if (pl_isset(&ctx->key))
		(void)pl_strcpy(&ctx->key, key, sizeof(key));

	va_start(ap, fmt);
	code = err_vset(ctx, ctx->line, ctx->sname, key[0] ? key : NULL,
			code, fmt, ap);
	va_end(ap);

	return code;
}

/* an error found after parsing, about a line remembered by an object */
int conf_err_at(struct conf_ctx *ctx, unsigned line, const char *sect,
		const char *key, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = err_vset(ctx, line, sect, key, code, fmt, ap);
	va_end(ap);

	return code;
}
