/*
 * A configured route: private to gateway/route/ and the config loader
 * (gateway/config/conf_route.c), which builds it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_ROUTE_PRIV_H
#define SIPRI_GATEWAY_ROUTE_PRIV_H

#include <regex.h>
#include "gateway/route/route.h"

enum route_match {
	ROUTE_MATCH_ANY = 0,
	ROUTE_MATCH_PREFIX,
	ROUTE_MATCH_REGEX,
};

enum route_act_type {
	ROUTE_ACT_STRIP,
	ROUTE_ACT_PREPEND,
	ROUTE_ACT_REPLACE,
};

/* one rewrite action; they apply in file order */
struct route_act {
	struct le le;
	enum route_act_type type;
	unsigned n;                /* strip */
	char *str;                 /* prepend: text; replace: replacement */
	regex_t re;                /* replace: POSIX ERE */
	bool re_ok;
};

struct route {
	struct le le;
	char *name;
	unsigned line;
	int dir;                   /* enum route_dir; -1 unset */
	enum route_match match;
	char *prefix;
	regex_t re;
	bool re_ok;
	struct list actl;          /* struct route_act */
	char *trunk_name;          /* as written: "main, backup" */
	unsigned trunk_line;
	const struct conf_trunk *trunks[ROUTE_MAXTRUNKS]; /* failover order */
	char *trunk_uri[ROUTE_MAXTRUNKS]; /* each one's URI template */
	unsigned ntrunks;
	unsigned min_length;       /* the number's length; 0: no limit */
	unsigned max_length;       /* also: overlap receiving is complete */
	bool overlap;              /* SIP -> PRI: overlap sending */
	unsigned overlap_digits;   /* digits in the SETUP */
	unsigned overlap_line;
	char *uri;                 /* template with ${number} */
	unsigned uri_line;
	char *group;
	unsigned group_line;
};

bool route_match(const struct route *r, const char *number);
int  route_rewrite(const struct route *r, const char *in, char *out,
		   size_t size);
int  route_act_replace(const struct route_act *act, const char *in,
		       char *out, size_t size);
int  route_uri_expand(const char *tmpl, const struct cc_party *called,
		      char *out, size_t size);
int  route_uri_check(const char *tmpl);

#endif
