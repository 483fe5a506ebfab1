/*
 * Routing: trunk failover lists (route_select with
 * an up/down predicate), the number-length rule (min_length, max_length,
 * route_number_complete for overlap receiving), the overlap sending keys
 * of sip-to-pri routes, the OPTIONS ping keys of trunks, [general] t302,
 * and the errors of each.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf.h"
#include "gateway/route/route.h"
#include "tests/tap.h"

static const char cfg[] =
	"[general]\nt302 = 3000\n"
	"[span 2]\ndchan = 47\nbchan = 32-46,48-62\ngroup = pbx\n"
	"[trunk a]\nhost = 127.0.0.1\nport = 5062\noptions = 1\n"
	"options_timeout = 500\noptions_failures = 2\n"
	"[trunk b]\nhost = 127.0.0.1\nport = 5064\n"
	"[trunk c]\nhost = 127.0.0.1\nport = 5066\n"
	"[route national]\ndirection = pri-to-sip\nmatch = prefix:0\n"
	"min_length = 3\nmax_length = 11\ntrunk = a, b ,c\n"
	"[route ext]\ndirection = pri-to-sip\nmatch = prefix:2\n"
	"max_length = 4\ntrunk = b\n"
	"[route rest]\ndirection = pri-to-sip\nmatch = any\ntrunk = c\n"
	"[route ovl]\ndirection = sip-to-pri\nmatch = prefix:9\n"
	"overlap = yes\noverlap_digits = 2\ngroup = pbx\n"
	"[route blk]\ndirection = sip-to-pri\nmatch = any\ngroup = pbx\n";

static const char *down[4];

static bool up_h(const struct conf_trunk *tr, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < 4 && down[i]; i++)
		if (!strcmp(down[i], tr->name))
			return false;
	return true;
}

static const char *pick(const struct conf *conf, const char *num, int *errp)
{
	static struct route_result res;

	*errp = route_select(&conf->routel, ROUTE_PRI_TO_SIP, num, up_h, NULL, &res);
	return *errp ? res.name : res.trunk->name;
}

static void test_failover(const struct conf *conf)
{
	struct route_result res;
	const char *t;
	int err;

	memset(down, 0, sizeof(down));
	t = pick(conf, "0301234", &err);
	ok(!err && !strcmp(t, "a"), "all up: the first trunk (a)");
	ok(!route_select(&conf->routel, ROUTE_PRI_TO_SIP, "0301234", up_h, NULL,
			 &res) && !strcmp(res.uri, "sip:0301234@127.0.0.1:5062"),
	   "  its URI");
	down[0] = "a";
	t = pick(conf, "0301234", &err);
	ok(!err && !strcmp(t, "b"), "a down: the next trunk (b)");
	ok(!route_select(&conf->routel, ROUTE_PRI_TO_SIP, "0301234", up_h, NULL,
			 &res) && !strcmp(res.uri, "sip:0301234@127.0.0.1:5064"),
	   "  the URI names b");
	down[1] = "b";
	t = pick(conf, "0301234", &err);
	ok(!err && !strcmp(t, "c"), "a, b down: c (blanks in the list)");
	down[2] = "c";
	t = pick(conf, "0301234", &err);
	ok(err == EHOSTDOWN && t && !strcmp(t, "national"),
	   "all down: EHOSTDOWN, naming the route (err %d)", err);
	ok(!route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "0301234", &res) &&
	   !strcmp(res.trunk->name, "a"),
	   "route_lookup ignores trunk state");
	memset(down, 0, sizeof(down));
}

static void test_length(const struct conf *conf)
{
	struct route_result res;

	ok(!route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "01", &res) &&
	   !strcmp(res.name, "rest"), "below min_length: the next route");
	ok(!route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "012345678901", &res) &&
	   !strcmp(res.name, "rest"), "above max_length: the next route");
	ok(!route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "01234567890", &res) &&
	   !strcmp(res.name, "national"), "at max_length: matches");
	ok(!route_number_complete(&conf->routel, "0"), "overlap: 0 is not complete");
	ok(!route_number_complete(&conf->routel, "0301"), "  0301 is not complete");
	ok(route_number_complete(&conf->routel, "03012345678"),
	   "  03012345678 (11) is complete");
	ok(!route_number_complete(&conf->routel, "21"), "  21 is not complete");
	ok(route_number_complete(&conf->routel, "2100"),
	   "  2100 (4, per prefix 2) is");
	ok(!route_number_complete(&conf->routel, "555"), "  no max_length: never");
	ok(!route_number_complete(NULL, "555"), "  no routes: never");
}

static void test_short(void)
{
	static const char txt[] =
		"[trunk a]\nhost = h\n"
		"[route nat]\ndirection = pri-to-sip\nmatch = prefix:0\n"
		"min_length = 5\ntrunk = a\n"
		"[route svc]\ndirection = pri-to-sip\nmatch = prefix:1180\n"
		"trunk = a\n"
		"[route in]\ndirection = sip-to-pri\nmatch = prefix:+4930\n"
		"min_length = 8\ngroup = default\n"
		"[span 1]\ndchan = 16\nbchan = 1-15\n";
	struct conf *conf = NULL;
	struct conf_err err = {0};
	struct route_result res;

	ok(!conf_parse(&conf, "short.conf", txt, sizeof(txt) - 1, &err),
	   "short-number config parses: %s", err.msg);
	ok(route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, "030", &res) == ENOENT &&
	   route_number_short(&conf->routel, ROUTE_PRI_TO_SIP, "030"),
	   "030: no route, below a min_length: short (cause 28)");
	ok(route_number_short(&conf->routel, ROUTE_PRI_TO_SIP, "11"),
	   "11: the start of prefix 1180: short");
	ok(!route_number_short(&conf->routel, ROUTE_PRI_TO_SIP, "12"),
	   "12: no route wants more: not short (cause 3)");
	ok(!route_number_short(&conf->routel, ROUTE_PRI_TO_SIP, "030123"),
	   "030123: long enough: not short");
	ok(route_number_short(&conf->routel, ROUTE_SIP_TO_PRI, "+49301") &&
	   !route_number_short(&conf->routel, ROUTE_PRI_TO_SIP, "+49301"),
	   "per direction");
	ok(!route_number_short(NULL, ROUTE_PRI_TO_SIP, "0"), "no routes");
	mem_deref(conf);
}

static void test_overlap(const struct conf *conf)
{
	struct route_result res;

	ok(!route_lookup(&conf->routel, ROUTE_SIP_TO_PRI, "9301234", &res) &&
	   res.overlap && res.overlap_digits == 2,
	   "sip-to-pri overlap route: overlap, 2 digits in the SETUP");
	ok(!route_lookup(&conf->routel, ROUTE_SIP_TO_PRI, "301234", &res) &&
	   !res.overlap, "other routes: en bloc");
	ok(conf->gen.t302 == 3000, "[general] t302");
}

static void test_trunk_keys(const struct conf *conf)
{
	const struct conf_trunk *a = conf_trunk_find(conf, "a");
	const struct conf_trunk *b = conf_trunk_find(conf, "b");

	ok(a && a->options == 1 && a->options_timeout == 500 &&
	   a->options_failures == 2, "trunk a: options keys");
	ok(b && !b->options && !b->options_timeout &&
	   b->options_failures == 3, "trunk b: defaults (off, 64*T1, 3)");
}

struct bad {
	const char *text;
	const char *msg;
};

static const struct bad bads[] = {
	{ "[trunk a]\nhost = h\n[route r]\ndirection = pri-to-sip\n"
	  "trunk = a, nope\n", "unknown trunk \"nope\"" },
	{ "[trunk a]\nhost = h\n[route r]\ndirection = pri-to-sip\n"
	  "trunk = a,,a\n", "bad trunk name" },
	{ "[trunk a]\nhost = h\n[trunk b]\nhost = h\n[route r]\n"
	  "direction = pri-to-sip\ntrunk = a, b\nuri = sip:${number}@h\n",
	  "cannot fail over" },
	{ "[trunk a]\nhost = h\n[route r]\ndirection = pri-to-sip\n"
	  "trunk = a\noverlap = yes\n", "sip-to-pri routes" },
	{ "[trunk a]\nhost = h\n[route r]\ndirection = pri-to-sip\n"
	  "trunk = a\nmin_length = 5\nmax_length = 4\n", "above max_length" },
	{ "[trunk a]\nhost = h\n[route r]\ndirection = pri-to-sip\n"
	  "trunk = a\nmax_length = 0\n", "max_length" },
	{ "[trunk a]\nhost = h\noptions_failures = 0\n",
	  "options_failures" },
	{ "[trunk a]\nhost = h\noptions_timeout = x\n", "options_timeout" },
	{ "[general]\nt302 = 0\n", "t302" },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct conf *conf = NULL;
		struct conf_err err;
		char line[600];
		int e;

		memset(&err, 0, sizeof(err));
		e = conf_parse(&conf, "bad.conf", bads[i].text,
			       strlen(bads[i].text), &err);
		snprintf(line, sizeof(line), "%s %s", err.key, err.msg);
		ok(e && strstr(line, bads[i].msg), "bad config %zu refused: %s",
		   i + 1, line);
		mem_deref(conf);
	}
}

int main(void)
{
	struct conf *conf = NULL;
	struct conf_err err;
	int e;

	e = conf_parse(&conf, "failover.conf", cfg, sizeof(cfg) - 1, &err);
	ok(!e, "config parses%s%s", e ? ": " : "", e ? err.msg : "");
	if (conf) {
		test_failover(conf);
		test_length(conf);
		test_overlap(conf);
		test_trunk_keys(conf);
	}
	mem_deref(conf);
	test_short();
	test_bad();
	return tap_done();
}
