/*
 * The INI syntax of sipri.conf(5), and nothing else:
 *
 *   # comment              (also "; comment"; whole lines only)
 *   [type]  or  [type name]
 *   key = value            (value may be "double quoted")
 *
 * The handler gets zero-copy slices of the buffer; key is NULL for a
 * section header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

void conf_pl_trim(struct pl *pl)
{
	while (pl->l && isspace((unsigned char)pl->p[0])) {
		pl->p++;
		pl->l--;
	}
	while (pl->l && isspace((unsigned char)pl->p[pl->l - 1]))
		pl->l--;
}

/* the next item of a comma-separated list, trimmed; false at the end */
bool conf_list_next(struct pl *rest, struct pl *item)
{
	const char *comma;

	if (!rest->l)
		return false;
	comma = pl_strchr(rest, ',');
	item->p = rest->p;
	item->l = comma ? (size_t)(comma - rest->p) : rest->l;
	pl_advance(rest, item->l + (comma ? 1 : 0));
	conf_pl_trim(item);
	return true;
}

static bool key_valid(const struct pl *key)
{
	if (!key->l)
		return false;

	for (size_t i = 0; i < key->l; i++) {
		char c = key->p[i];

		if (!isalnum((unsigned char)c) && !strchr("_.-", c))
			return false;
	}

	return true;
}

static int parse_line(struct pl *ln, conf_ini_h *h, void *arg,
		      unsigned line, const char **reasonp)
{
	struct pl key, val;
	const char *eq;

	conf_pl_trim(ln);
	if (!ln->l || ln->p[0] == '#' || ln->p[0] == ';')
		return 0;

	if (ln->p[0] == '[') {
		if (ln->p[ln->l - 1] != ']') {
			*reasonp = "section header without closing ']'";
			return EBADMSG;
		}
		val.p = ln->p + 1;
		val.l = ln->l - 2;
		conf_pl_trim(&val);
		if (!val.l) {
			*reasonp = "empty section header";
			return EBADMSG;
		}
		return h(&val, NULL, NULL, line, arg);
	}

	eq = pl_strchr(ln, '=');
	if (!eq) {
		*reasonp = "expected \"key = value\" or \"[section]\"";
		return EBADMSG;
	}

	key.p = ln->p;
	key.l = eq - ln->p;
	val.p = eq + 1;
	val.l = ln->l - key.l - 1;
	conf_pl_trim(&key);
	conf_pl_trim(&val);

	if (!key_valid(&key)) {
		*reasonp = "bad key name (letters, digits, '_', '.', '-')";
		return EBADMSG;
	}

	if (val.l >= 2 && val.p[0] == '"' && val.p[val.l - 1] == '"') {
		val.p++;
		val.l -= 2;
	}

	return h(NULL, &key, &val, line, arg);
}

/*
 * Parse buf line by line.  On failure *linep is the line; *reasonp is
 * set for syntax errors (EBADMSG), the handler reports its own.
 */
int conf_ini_parse(const char *buf, size_t len, conf_ini_h *h, void *arg,
		   unsigned *linep, const char **reasonp)
{
	const char *end = buf + len;
	unsigned line = 0;

	if (!buf || !h || !linep || !reasonp)
		return EINVAL;

	*reasonp = NULL;

	while (buf < end) {
		const char *nl = memchr(buf, '\n', end - buf);
		struct pl ln;
		int err;

		ln.p = buf;
		ln.l = (nl ? nl : end) - buf;
		buf = nl ? nl + 1 : end;
		*linep = ++line;

		if (memchr(ln.p, '\0', ln.l)) {
			*reasonp = "NUL byte in line";
			return EBADMSG;
		}

		err = parse_line(&ln, h, arg, line, reasonp);
		if (err)
			return err;
	}

	return 0;
}
