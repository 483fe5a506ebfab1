/*
 * Routing: match, rewrite, egress.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "common/sipuser.h"
#include "gateway/route/route_priv.h"

static bool pattern_match(const struct route *r, const char *number)
{
	switch (r->match) {

	case ROUTE_MATCH_ANY:
		return true;

	case ROUTE_MATCH_PREFIX:
		return !strncmp(number, r->prefix, strlen(r->prefix));

	case ROUTE_MATCH_REGEX:
		return r->re_ok && !regexec(&r->re, number, 0, NULL, 0);

	default:
		return false;
	}
}

bool route_match(const struct route *r, const char *number)
{
	size_t len = strlen(number);

	if (len < r->min_length || (r->max_length && len > r->max_length))
		return false;

	return pattern_match(r, number);
}

/* more digits could make the route match: number is too short for its
 * min_length, or only the start of its prefix */
static bool route_wants_more(const struct route *r, const char *number)
{
	size_t len = strlen(number);

	if (r->match == ROUTE_MATCH_PREFIX && len < strlen(r->prefix) &&
	    !strncmp(r->prefix, number, len))
		return true;

	return len < r->min_length && pattern_match(r, number);
}

bool route_number_short(const struct list *routes, enum route_dir dir,
			const char *number)
{
	struct le *le;

	LIST_FOREACH(number ? routes : NULL, le) {
		const struct route *r = le->data;

		if (r->dir == (int)dir && route_wants_more(r, number))
			return true;
	}
	return false;
}

/* append n bytes to out at *pos, with room for the NUL */
static int put(char *out, size_t size, size_t *pos, const char *s, size_t n)
{
	if (*pos + n >= size)
		return EOVERFLOW;

	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
	return 0;
}

/*
 * s/RE/REPL/ on the first match: \0 is the whole match, \1..\9 the
 * groups, \\ a backslash.  No match leaves the number unchanged.
 */
int route_act_replace(const struct route_act *act, const char *in,
		      char *out, size_t size)
{
	regmatch_t m[10];
	size_t pos = 0;
	int err;

	out[0] = '\0';
	if (regexec(&act->re, in, 10, m, 0))
		return put(out, size, &pos, in, strlen(in));

	err = put(out, size, &pos, in, (size_t)m[0].rm_so);

	for (const char *s = act->str; !err && *s; s++) {
		if (*s == '\\' && isdigit((unsigned char)s[1])) {
			const regmatch_t *g = &m[*++s - '0'];

			if (g->rm_so >= 0)
				err = put(out, size, &pos, in + g->rm_so,
					  (size_t)(g->rm_eo - g->rm_so));
			continue;
		}
		if (*s == '\\' && s[1])
			++s;
		err = put(out, size, &pos, s, 1);
	}

	if (!err)
		err = put(out, size, &pos, in + m[0].rm_eo,
			  strlen(in + m[0].rm_eo));

	return err;
}

static int act_apply(const struct route_act *act, const char *in,
		     char *out, size_t size)
{
	size_t pos = 0, len = strlen(in);
	int err;

	out[0] = '\0';

	switch (act->type) {

	case ROUTE_ACT_STRIP:
		return put(out, size, &pos, in + (act->n < len ? act->n : len),
			   len - (act->n < len ? act->n : len));

	case ROUTE_ACT_PREPEND:
		err = put(out, size, &pos, act->str, strlen(act->str));
		return err ? err : put(out, size, &pos, in, len);

	case ROUTE_ACT_REPLACE:
		return route_act_replace(act, in, out, size);

	default:
		return EINVAL;
	}
}

/* apply the route's actions in order; EOVERFLOW if it outgrows out */
int route_rewrite(const struct route *r, const char *in, char *out,
		  size_t size)
{
	char tmp[CC_NUMLEN];
	struct le *le;
	size_t pos = 0;
	int err;

	err = put(out, size, &pos, in, strlen(in));

	LIST_FOREACH(&r->actl, le) {
		if (err)
			break;
		if (strlen(out) >= sizeof(tmp))
			return EOVERFLOW;
		str_ncpy(tmp, out, sizeof(tmp));
		err = act_apply(le->data, tmp, out, size);
	}

	return err;
}

/* the called party's URI user, escaped by the one writer (sipuser.h) */
static int put_user(char *out, size_t size, size_t *pos,
		    const struct cc_party *called)
{
	char user[SIPUSER_LEN];
	int err;

	err = sipuser_write(user, sizeof(user), called);
	return err ? err : put(out, size, pos, user, strlen(user));
}

/* ${number} in tmpl -> the called party's URI user part ("#": %23) */
int route_uri_expand(const char *tmpl, const struct cc_party *called,
		     char *out, size_t size)
{
	static const char var[] = "${number}";
	size_t pos = 0;
	int err = 0;

	out[0] = '\0';

	while (!err && *tmpl) {
		const char *v = strstr(tmpl, var);
		size_t n = v ? (size_t)(v - tmpl) : strlen(tmpl);

		err = put(out, size, &pos, tmpl, n);
		tmpl += n;
		if (!err && v) {
			err = put_user(out, size, &pos, called);
			tmpl += sizeof(var) - 1;
		}
	}

	return err;
}

/* a template is "sip:..." and has no variable but ${number} */
int route_uri_check(const char *tmpl)
{
	const char *s = tmpl;

	if (strncmp(tmpl, "sip:", 4) || strlen(tmpl) >= ROUTE_URILEN)
		return EINVAL;

	while ((s = strstr(s, "${")) != NULL) {
		if (strncmp(s, "${number}", 9))
			return EINVAL;
		s += 9;
	}

	return 0;
}

/*
 * PRI -> SIP: the called party the SIP leg gets (its To, RFC 3261
 * §8.1.1.2) and the Request-URI, from the uri template or the trunk's;
 * both write the party through sipuser_write(), so they agree.
 */
static int egress_uri(const struct route *r, int tidx,
		      struct route_result *res)
{
	const char *tmpl = r->uri ? r->uri : tidx >= 0 ? r->trunk_uri[tidx] :
		NULL;
	int err;

	if (!tmpl)
		return EINVAL;

	err = sipuser_party(&res->called, res->number);
	return err ? err : route_uri_expand(tmpl, &res->called, res->uri,
					    sizeof(res->uri));
}

/* the first trunk of the route that is up; -1 when all are down */
static int trunk_pick(const struct route *r, route_trunk_h *uph, void *arg)
{
	for (unsigned i = 0; i < r->ntrunks; i++) {
		if (!uph || uph(r->trunks[i], arg))
			return (int)i;
	}
	return -1;
}

static int route_take(const struct route *r, enum route_dir dir,
		      const char *number, route_trunk_h *uph, void *arg,
		      struct route_result *res)
{
	int tidx = -1;
	int err;

	res->name = r->name;
	if (r->ntrunks) {
		tidx = trunk_pick(r, uph, arg);
		if (tidx < 0)
			return EHOSTDOWN;
		res->trunk = r->trunks[tidx];
	}
	err = route_rewrite(r, number, res->number, sizeof(res->number));
	if (!err && dir == ROUTE_PRI_TO_SIP)
		err = egress_uri(r, tidx, res);
	if (err)
		return err;
	res->group = r->group;
	res->overlap = r->overlap;
	res->overlap_digits = r->overlap_digits;
	return 0;
}

/*
 * The first route of this direction that matches number.  ENOENT: no
 * route (the caller answers cause 3 / 404); EOVERFLOW: the rewritten
 * number or URI is too long; EHOSTDOWN: every trunk of the route is down.
 */
int route_select(const struct list *routes, enum route_dir dir,
		 const char *number, route_trunk_h *uph, void *arg,
		 struct route_result *res)
{
	struct le *le;
	int err;

	if (!routes || !number || !res)
		return EINVAL;

	memset(res, 0, sizeof(*res));

	LIST_FOREACH(routes, le) {
		const struct route *r = le->data;

		if (r->dir != (int)dir || !route_match(r, number))
			continue;

		err = route_take(r, dir, number, uph, arg, res);
		if (err) {
			const char *name = res->name;

			memset(res, 0, sizeof(*res));
			if (err == EHOSTDOWN)
				res->name = name;
		}
		return err;
	}

	return ENOENT;
}

int route_lookup(const struct list *routes, enum route_dir dir,
		 const char *number, struct route_result *res)
{
	return route_select(routes, dir, number, NULL, NULL, res);
}

bool route_number_complete(const struct list *routes, const char *number)
{
	struct le *le;

	LIST_FOREACH(routes, le) {
		const struct route *r = le->data;

		if (r->dir != ROUTE_PRI_TO_SIP || !route_match(r, number))
			continue;
		return r->max_length && strlen(number) >= r->max_length;
	}
	return false;
}

const char *route_dir_name(enum route_dir dir)
{
	static const char *const names[] = { "pri-to-sip", "sip-to-pri" };

	return (unsigned)dir < 2 ? names[dir] : "?";
}
