/*
 * Routing: the first [route] (in file order) whose direction and match
 * fit the called number (PRI -> SIP: number_to_sip()'s SIP form as
 * sipuser_text() writes it, "+4930123"; SIP -> PRI: the Request-URI
 * user, unescaped) is taken; its rewrite
 * actions give the number to send on, and its egress says where.
 *
 * The result points into the struct conf the routes came from: hold a reference
 * to that conf (mem_ref) for as long as the result is used.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_ROUTE_H
#define SIPRI_GATEWAY_ROUTE_H

#include <re.h>
#include "common/cc.h"

/* a trunk of the configuration (gateway/config/conf.h); routing only
 * hands it back */
struct conf_trunk;

enum route_dir {
	ROUTE_PRI_TO_SIP = 0,
	ROUTE_SIP_TO_PRI,
};

enum { ROUTE_URILEN = 256, ROUTE_MAXTRUNKS = 8 };

struct route_result {
	const char *name;               /* the [route NAME] taken */
	char number[CC_NUMLEN];         /* the called number, rewritten */
	struct cc_party called;         /* PRI -> SIP: number as a party
					   (sipuser_party), for the INVITE */
	const struct conf_trunk *trunk; /* NULL: none (uri-only route) */
	char uri[ROUTE_URILEN];         /* PRI -> SIP: the Request-URI */
	const char *group;              /* SIP -> PRI: the span group */
	bool overlap;                   /* SIP -> PRI: overlap sending, */
	unsigned overlap_digits;        /* with this many in the SETUP */
};

/* routes: the struct route list the configuration loaded, in file order */
int route_lookup(const struct list *routes, enum route_dir dir,
		 const char *number, struct route_result *res);

/*
 * route_lookup() with trunk failover: the route's trunks are tried in
 * the order written and the first for which uph says up is taken.
 * EHOSTDOWN: the route matched, but every trunk of it is down (res->name
 * says which route).
 */
typedef bool (route_trunk_h)(const struct conf_trunk *tr, void *arg);
int route_select(const struct list *routes, enum route_dir dir,
		 const char *number, route_trunk_h *uph, void *arg,
		 struct route_result *res);

/*
 * Overlap receiving (PRI -> SIP): the number, as a route's match sees
 * it, is complete when the first pri-to-sip route that matches it has a
 * max_length and the number has reached it.
 */
bool route_number_complete(const struct list *routes, const char *number);

/*
 * No route took the number, but a route of this direction would with
 * more digits (below its min_length, or the start of its prefix): the
 * number is incomplete, Q.850 cause 28 (SIP 484), not cause 3 (404).
 */
bool route_number_short(const struct list *routes, enum route_dir dir,
			const char *number);
const char *route_dir_name(enum route_dir dir);

#endif
