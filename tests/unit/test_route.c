/*
 * Routing: prefix and regex matches, strip/prepend/replace rewrites in
 * file order, egress (trunk, URI template, span group), first match wins,
 * no match, and overflow.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf.h"
#include "gateway/route/route.h"
#include "tests/tap.h"

static const char cfg[] =
	"[span 1]\ndchan = 16\nbchan = 1-15,17-31\ngroup = pbx\n"
	"[span 2]\ndchan = 47\nbchan = 32-46,48-62\ngroup = pbx2\n"
	"[trunk carrier]\nhost = 192.0.2.1\n"
	"[trunk v6]\nhost = [2001:db8::1]\n"
	"[trunk tcp]\nhost = sip.example.net\nport = 5070\n"
	"transport = tcp\n"
	/* PRI -> SIP, in order */
	"[route emergency]\ndirection = pri-to-sip\n"
	"match = regex:^(\\+49)?11[02]$\ntrunk = carrier\n"
	"[route de]\ndirection = pri-to-sip\nmatch = prefix:+49\n"
	"replace = s/^\\+49([1-9])/0\\1/\ntrunk = carrier\n"
	"[route ext]\ndirection = pri-to-sip\nmatch = regex:^2[0-9]{3}$\n"
	"prepend = 9\nuri = sip:${number}@192.0.2.20;user=phone\n"
	"[route chain]\ndirection = pri-to-sip\nmatch = prefix:77\n"
	"strip = 2\nprepend = 55\nstrip = 1\nreplace = s/5(.)/<\\1\\0>/\n"
	"trunk = tcp\n"
	"[route hash]\ndirection = pri-to-sip\nmatch = prefix:*\n"
	"trunk = tcp\n"
	"[route v6]\ndirection = pri-to-sip\nmatch = prefix:66\n"
	"trunk = v6\n"
	"[route long]\ndirection = pri-to-sip\nmatch = prefix:88\n"
	"prepend = 1234567890123456789012345\ntrunk = carrier\n"
	/* SIP -> PRI, in order: the specific one first */
	"[route site]\ndirection = sip-to-pri\nmatch = prefix:+493012345\n"
	"strip = 10\ngroup = pbx2\ntrunk = carrier\n"
	"[route all]\ndirection = sip-to-pri\nmatch = any\ngroup = pbx\n";

struct rcase {
	int dir;
	const char *in;
	int err;
	const char *route;
	const char *num;
	const char *uri;      /* PRI -> SIP */
	const char *group;    /* SIP -> PRI */
};

static const struct rcase cases[] = {
	{ ROUTE_PRI_TO_SIP, "110", 0, "emergency", "110",
	  "sip:110@192.0.2.1", NULL },
	{ ROUTE_PRI_TO_SIP, "+49112", 0, "emergency", "+49112",
	  "sip:+49112@192.0.2.1", NULL },
	{ ROUTE_PRI_TO_SIP, "+4930123", 0, "de", "030123",
	  "sip:030123@192.0.2.1", NULL },
	{ ROUTE_PRI_TO_SIP, "2345", 0, "ext", "92345",
	  "sip:92345@192.0.2.20;user=phone", NULL },
	/* 77123 -strip 2-> 123 -prepend 55-> 55123 -strip 1-> 5123
	 * -replace s/5(.)/<\1\0>/-> <151>23 */
	{ ROUTE_PRI_TO_SIP, "77123", 0, "chain", "<151>23",
	  "sip:%3C151%3E23@sip.example.net:5070;transport=tcp", NULL },
	{ ROUTE_PRI_TO_SIP, "*21#", 0, "hash", "*21#",
	  "sip:*21%23@sip.example.net:5070;transport=tcp", NULL },
	{ ROUTE_PRI_TO_SIP, "661", 0, "v6", "661",
	  "sip:661@[2001:db8::1]", NULL },
	{ ROUTE_PRI_TO_SIP, "23456", ENOENT, NULL, "", "", NULL },
	{ ROUTE_PRI_TO_SIP, "+3312345", ENOENT, NULL, "", "", NULL },
	{ ROUTE_PRI_TO_SIP, "88123456", EOVERFLOW, NULL, "", "", NULL },
	{ ROUTE_SIP_TO_PRI, "+49301234567", 0, "site", "67", "", "pbx2" },
	{ ROUTE_SIP_TO_PRI, "+4930999", 0, "all", "+4930999", "", "pbx" },
	{ ROUTE_SIP_TO_PRI, "sipp", 0, "all", "sipp", "", "pbx" },
	{ ROUTE_SIP_TO_PRI, "", 0, "all", "", "", "pbx" },
};

static void test_cases(const struct conf *conf)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rcase *c = &cases[i];
		struct route_result res;
		int err;

		memset(&res, 0x5a, sizeof(res));
		err = route_lookup(&conf->routel, c->dir, c->in, &res);
		ok(err == c->err, "%s \"%s\": err %d (want %d)",
		   route_dir_name(c->dir), c->in, err, c->err);
		if (err) {
			ok(!res.name && !res.number[0] && !res.uri[0] &&
			   !res.trunk && !res.group, "  result cleared");
			continue;
		}
		ok(res.name && !strcmp(res.name, c->route),
		   "  route %s (got %s)", c->route, res.name);
		ok(!strcmp(res.number, c->num), "  number \"%s\" (got \"%s\")",
		   c->num, res.number);
		ok(!strcmp(res.uri, c->uri), "  uri \"%s\" (got \"%s\")",
		   c->uri, res.uri);
		ok(c->group ? (res.group && !strcmp(res.group, c->group)) :
		   !res.group, "  group %s", c->group ? c->group : "none");
	}
}

static void test_trunks(const struct conf *conf)
{
	struct route_result res;

	ok(!route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "+4930123", &res) &&
	   res.trunk && !strcmp(res.trunk->name, "carrier"),
	   "trunk route gives the trunk");
	ok(!route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "2000", &res) && !res.trunk,
	   "uri-only route gives no trunk");
	ok(!route_lookup(&conf->routel, ROUTE_SIP_TO_PRI, "+49301234500", &res) &&
	   res.trunk && !strcmp(res.trunk->name, "carrier"),
	   "sip-to-pri route may name a trunk profile");
	ok(route_lookup(NULL, ROUTE_PRI_TO_SIP, "1", &res) == EINVAL &&
	   route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, NULL, &res) == EINVAL &&
	   route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "1", NULL) == EINVAL,
	   "bad arguments");
}

static void test_empty(void)
{
	struct route_result res;
	struct conf *conf = NULL;
	struct conf_err err;

	ok(!conf_parse(&conf, "empty.conf", "", 0, &err), "empty config");
	ok(route_lookup(&conf->routel, ROUTE_SIP_TO_PRI, "1", &res) == ENOENT,
	   "no routes: ENOENT");
	mem_deref(conf);
}

int main(void)
{
	struct conf *conf = NULL;
	struct conf_err err;
	int e;

	e = conf_parse(&conf, "route.conf", cfg, sizeof(cfg) - 1, &err);
	ok(!e, "route config parses%s%s", e ? ": " : "", e ? err.msg : "");
	if (conf) {
		test_cases(conf);
		test_trunks(conf);
	}
	mem_deref(conf);
	test_empty();

	return tap_done();
}
