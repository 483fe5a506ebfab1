/*
 * gateway/media/rtpstat.c: loss and jitter as RFC 3550 A.3 and A.8
 * count them, on made-up streams.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include "gateway/media/rtpstat.h"
#include "tests/tap.h"

/* n packets of 20 ms (160 ts units) from seq0, arriving on time plus
 * jitter_of(i) units; skip: which to leave out (-1: none) */
static void stream(struct rtpstat *s, uint16_t seq0, int n, int skip,
		   int jit)
{
	for (int i = 0; i < n; i++) {
		if (i == skip)
			continue;
		rtpstat_rx(s, (uint16_t)(seq0 + i), 1000 + 160u * i,
			   5000 + 160u * i + (i % 2 ? jit : 0));
	}
}

int main(void)
{
	struct rtpstat s;

	rtpstat_init(&s);
	ok(rtpstat_lost(&s) == 0 && rtpstat_jitter_ms(&s, 8) == 0,
	   "nothing received: nothing lost, no jitter");
	stream(&s, 100, 50, -1, 0);
	ok(s.received == 50 && rtpstat_lost(&s) == 0 &&
	   rtpstat_jitter_ms(&s, 8) == 0,
	   "50 packets in order and on time: none lost, jitter 0");

	rtpstat_init(&s);
	stream(&s, 65530, 20, 7, 0);
	ok(s.received == 19 && rtpstat_lost(&s) == 1,
	   "across the sequence wrap, one left out: 1 lost (%lld)",
	   (long long)rtpstat_lost(&s));

	rtpstat_init(&s);
	stream(&s, 10, 10, -1, 0);
	rtpstat_rx(&s, 15, 1000 + 160 * 5, 5000 + 160 * 10);
	ok(s.received == 11 && rtpstat_lost(&s) == -1,
	   "a duplicate: counted, lost goes to -1 as A.3 says");

	rtpstat_init(&s);
	stream(&s, 1, 2000, -1, 80);
	ok(fabs(rtpstat_jitter_ms(&s, 8) - 10.0) < 0.5,
	   "every other packet 10 ms late: jitter converges to 10 ms (%.2f)",
	   rtpstat_jitter_ms(&s, 8));

	rtpstat_init(&s);
	stream(&s, 1000, 10, -1, 0);
	stream(&s, 30000, 10, -1, 0);
	ok(s.received == 10 && rtpstat_lost(&s) == 0,
	   "a jump of 29000: the stream starts over, nothing counted lost");
	return tap_done();
}
