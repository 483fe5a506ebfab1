/*
 * The media guard (sip/rtpguard.c), step by step: nothing is taken before
 * an address is negotiated; then only that address and port; with
 * latching, the first source once it is allowed and none other after it;
 * a new SDP address lets it latch again, the same one keeps the latch.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"

static struct sa addr(const char *s)
{
	struct sa sa;

	if (sa_decode(&sa, s, strlen(s)))
		sa_init(&sa, AF_UNSPEC);
	return sa;
}

static bool pass(struct sipguard *g, const char *src, bool may_latch)
{
	struct sa sa = addr(src);

	return sipguard_pass(g, &sa, may_latch);
}

int main(void)
{
	struct sipguard g;
	struct sa sdp = addr("192.0.2.1:7000"), sdp2 = addr("192.0.2.1:7100");
	struct sa map;

	memset(&g, 0, sizeof(g));
	tap_ok(!pass(&g, "192.0.2.1:7000", false),
	       "nothing negotiated: nothing taken");
	tap_ok(!pass(&g, "192.0.2.1:7000", true),
	       "nothing negotiated: nothing latched either");

	sipguard_set(&g, &sdp);
	tap_ok(pass(&g, "192.0.2.1:7000", false), "the SDP's address and port");
	tap_ok(!pass(&g, "192.0.2.1:7002", false), "another port: refused");
	tap_ok(!pass(&g, "192.0.2.2:7000", false), "another address: refused");
	tap_ok(!pass(&g, "[::ffff:192.0.2.2]:7000", false),
	       "another family: refused");

	/* nat = yes, before the answer: the SDP's only */
	tap_ok(!pass(&g, "198.51.100.9:40000", false),
	       "latching not yet allowed: the mapping is refused");
	tap_ok(!g.latched, "... and nothing latched");
	/* after the answer: the first source latches */
	tap_ok(pass(&g, "198.51.100.9:40000", true), "the first source latches");
	map = addr("198.51.100.9:40000");
	tap_ok(g.latched && sa_cmp(&g.want, &map, SA_ALL),
	       "... and is what the guard wants");
	tap_ok(pass(&g, "198.51.100.9:40000", true), "it keeps passing");
	tap_ok(!pass(&g, "198.51.100.9:40002", true),
	       "after the latch: another port refused");
	tap_ok(!pass(&g, "192.0.2.1:7000", true),
	       "after the latch: even the SDP's address is refused");

	sipguard_set(&g, &sdp);
	tap_ok(g.latched, "the same SDP address again: the latch holds");
	sipguard_set(&g, &sdp2);
	tap_ok(!g.latched, "a new SDP address: unlatched");
	tap_ok(pass(&g, "192.0.2.1:7100", false), "... and it is taken");
	tap_ok(!pass(&g, "198.51.100.9:40000", false),
	       "... the old latched source is not");
	tap_ok(pass(&g, "203.0.113.4:5000", true), "... it may latch again");
	return tap_done();
}
