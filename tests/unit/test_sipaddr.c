/*
 * Our address toward a peer (sip/addr.c, sipri.conf(5) ADDRESSES), rule
 * by rule: external beyond local_nets (and toward a peer not known as
 * an address), advertise inside, the local address when it is not a
 * wildcard, else the interface toward the peer - never 0.0.0.0; the
 * port always the local one.  Bad addresses are refused at start.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"

static struct sipua *ua_make(const char *adv, const char *ext,
			     const char *net, int *errp)
{
	struct sipua *ua = mem_zalloc(sizeof(*ua), NULL);

	if (!ua)
		return NULL;
	str_ncpy(ua->conf.advertise, adv, sizeof(ua->conf.advertise));
	str_ncpy(ua->conf.external, ext, sizeof(ua->conf.external));
	if (net[0]) {
		struct sipua_source *s = &ua->conf.local_nets[0];

		str_ncpy(s->addr, net, sizeof(s->addr));
		s->prefix = 24;
		s->proto = -1;
		ua->conf.nlocal = 1;
	}
	*errp = sipaddr_init(ua);
	return ua;
}

static bool picks(const struct sipua *ua, const char *peer,
		  const char *laddr, const char *want)
{
	struct sa p, l, w, out;

	if (sa_decode(&l, laddr, strlen(laddr)) ||
	    sa_decode(&w, want, strlen(want)))
		return false;
	if (peer && sa_decode(&p, peer, strlen(peer)))
		return false;
	sipaddr_pick(ua, peer ? &p : NULL, &l, &out);
	if (!sa_cmp(&out, &w, SA_ALL)) {
		char got[64];

		(void)re_snprintf(got, sizeof(got), "%J", &out);
		tap_diag("got %s, want %s", got, want);
	}
	return sa_cmp(&out, &w, SA_ALL);
}

static void test_rules(void)
{
	struct sipua *ua;
	int err;

	ua = ua_make("198.51.100.10", "203.0.113.5", "192.0.2.0", &err);
	ok(ua && !err, "advertise, external and a local network");
	ok(picks(ua, "192.0.2.7:5062", "0.0.0.0:5060", "198.51.100.10:5060"),
	   "1, 2: a peer inside local_nets: advertise, the local port");
	ok(picks(ua, "127.0.0.1:5062", "127.0.0.1:5060", "203.0.113.5:5060"),
	   "1: a peer outside: external, even over a specific address");
	ok(picks(ua, NULL, "0.0.0.0:10000", "203.0.113.5:10000"),
	   "1: a peer not known as an address (a name): external");
	mem_deref(ua);

	ua = ua_make("198.51.100.10", "", "", &err);
	ok(picks(ua, "127.0.0.1:5062", "127.0.0.1:5060", "198.51.100.10:5060"),
	   "2: no external: advertise for everyone");
	mem_deref(ua);

	ua = ua_make("", "", "", &err);
	ok(picks(ua, "192.0.2.7:5062", "127.0.0.1:5060", "127.0.0.1:5060"),
	   "3: neither: the local address when it is one");
	ok(picks(ua, "127.0.0.5:5062", "0.0.0.0:10002", "127.0.0.1:10002"),
	   "4: a wildcard: the interface's toward the peer, never 0.0.0.0");
	mem_deref(ua);
}

static void test_bad(void)
{
	struct sipua *ua;
	int err;

	ua = ua_make("0.0.0.0", "", "", &err);
	ok(err == EINVAL, "advertise 0.0.0.0 refused");
	mem_deref(ua);
	ua = ua_make("", "sip.example.net", "", &err);
	ok(err == EINVAL, "external that is a name refused");
	mem_deref(ua);
	ua = ua_make("", "", "bogus", &err);
	ok(err == EINVAL, "a bad local network refused");
	mem_deref(ua);
}

int main(void)
{
	test_rules();
	test_bad();
	return tap_done();
}
