/*
 * The scenario language's syntax (tdm/pbxsim/README): commands separated
 * by newlines or ';', words by blanks; a word may be quoted with "" or '';
 * '#' at the start of a word comments out the rest of the line.  Options
 * are KEY=VALUE words, flags bare words.  What the commands mean is run.c's
 * business.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pbxsim.h"

static void script_destructor(void *data)
{
	struct script *s = data;

	for (size_t i = 0; i < s->n; i++) {
		for (int j = 0; j < s->cmds[i].argc; j++)
			mem_deref(s->cmds[i].argv[j]);
	}
	mem_deref(s->cmds);
	mem_deref(s->name);
}

static int cmd_add(struct script *s, struct cmd *cur)
{
	struct cmd *cmds;

	if (!cur->argc)
		return 0;
	/* libre's mem_realloc() does not take NULL */
	cmds = s->cmds ? mem_realloc(s->cmds, (s->n + 1) * sizeof(*cmds)) :
		mem_zalloc(sizeof(*cmds), NULL);
	if (!cmds)
		return ENOMEM;
	s->cmds = cmds;
	s->cmds[s->n++] = *cur;
	memset(cur, 0, sizeof(*cur));
	return 0;
}

/* One word starting at *pp; quotes removed.  EBADMSG if unterminated */
static int word_read(char **wp, const char **pp)
{
	const char *p = *pp;
	char buf[256];
	size_t n = 0;

	while (*p && !strchr(" \t\r\n;", *p)) {
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			while (*p && *p != q && *p != '\n') {
				if (n + 1 >= sizeof(buf))
					return EOVERFLOW;
				buf[n++] = *p++;
			}
			if (*p != q)
				return EBADMSG;
			p++;
			continue;
		}
		if (n + 1 >= sizeof(buf))
			return EOVERFLOW;
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	*pp = p;
	return str_dup(wp, buf);
}

int script_parse(struct script **sp, const char *text, const char *name)
{
	struct script *s;
	struct cmd cur;
	const char *p = text;
	int line = 1, err = 0;

	if (!sp || !text)
		return EINVAL;
	s = mem_zalloc(sizeof(*s), script_destructor);
	if (!s)
		return ENOMEM;
	err = str_dup(&s->name, name ? name : "-e");
	memset(&cur, 0, sizeof(cur));

	while (!err && *p) {
		if (*p == '\n' || *p == ';') {
			if (*p == '\n')
				line++;
			p++;
			err = cmd_add(s, &cur);
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
			continue;
		}
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (cur.argc == CMD_MAXARGS) {
			err = E2BIG;
			break;
		}
		if (!cur.argc)
			cur.line = line;
		err = word_read(&cur.argv[cur.argc], &p);
		if (!err)
			cur.argc++;
	}
	if (!err)
		err = cmd_add(s, &cur);
	for (int j = 0; j < cur.argc; j++)
		mem_deref(cur.argv[j]);

	if (err) {
		re_fprintf(stderr, "pbxsim: %s:%d: syntax error (%m)\n",
			   s->name, line, err);
		mem_deref(s);
		return err;
	}
	*sp = s;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * `info`'s DIGITS with \r, \n, \t, \\ and \xHH for those bytes: what no
 * PBX should send, to test the far end's filter.  EBADMSG: a bad escape
 * or \x00 (a digit string cannot hold NUL); EOVERFLOW: too long.
 */
int script_unescape(char *buf, size_t size, const char *s)
{
	static const char from[] = "rnt\\", to[] = "\r\n\t\\";
	size_t n = 0;

	for (; *s; s++) {
		char c = *s;

		if (c == '\\') {
			const char *e = strchr(from, *++s);
			int hi, lo;

			if (*s && e) {
				c = to[e - from];
			} else if (*s == 'x' && (hi = hexval(s[1])) >= 0 &&
				   (lo = hexval(s[2])) >= 0 && (hi || lo)) {
				c = (char)(hi << 4 | lo);
				s += 2;
			} else {
				return EBADMSG;
			}
		}
		if (n + 1 >= size)
			return EOVERFLOW;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return 0;
}

/* The value of KEY=VALUE, or NULL */
const char *cmd_opt(const struct cmd *c, const char *key)
{
	size_t klen = strlen(key);

	for (int i = 1; i < c->argc; i++) {
		if (!strncmp(c->argv[i], key, klen) && c->argv[i][klen] == '=')
			return c->argv[i] + klen + 1;
	}
	return NULL;
}

static bool is_opt(const char *w)
{
	const char *eq = strchr(w, '=');

	/* KEY=VALUE with a lower-case key; DTMF strings never hold '=' */
	return eq && eq != w && w[0] >= 'a' && w[0] <= 'z';
}

/* The i-th positional word after the command (0-based), or NULL */
const char *cmd_pos(const struct cmd *c, int i)
{
	for (int j = 1; j < c->argc; j++) {
		if (is_opt(c->argv[j]))
			continue;
		if (i-- == 0)
			return c->argv[j];
	}
	return NULL;
}

int cmd_npos(const struct cmd *c)
{
	int n = 0;

	while (cmd_pos(c, n))
		n++;
	return n;
}

/* A bare word KEY, or KEY=yes|1|on */
bool cmd_flag(const struct cmd *c, const char *key)
{
	const char *v = cmd_opt(c, key);

	if (v)
		return !strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "on");
	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], key))
			return true;
	}
	return false;
}

/* ENOENT if absent, EINVAL if not a number */
int cmd_num(const struct cmd *c, const char *key, double *vp)
{
	const char *v = cmd_opt(c, key);
	char *end;
	double d;

	if (!v)
		return ENOENT;
	d = strtod(v, &end);
	if (end == v || *end)
		return EINVAL;
	*vp = d;
	return 0;
}

int cmd_int(const struct cmd *c, const char *key, int *vp)
{
	const char *v = cmd_opt(c, key);
	char *end;
	long l;

	if (!v)
		return ENOENT;
	l = strtol(v, &end, 0);
	if (end == v || *end)
		return EINVAL;
	*vp = (int)l;
	return 0;
}
