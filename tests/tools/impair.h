/*
 * impair: network impairment for the RTP captures the test tools write
 * (mkpcap, rtpdtmf): jitter, reordering and loss, from a seeded generator
 * so that a test's stream is the same on every run.
 *   jitter=MS   each packet leaves up to +-MS late/early (uniform)
 *   reorder=PCT swap this share of neighbouring packets
 *   loss=PCT    drop this share of packets (never the first)
 *   seed=N      the random generator's seed (default 1)
 * Packets leave in the order of their new times, so jitter beyond the
 * packet interval reorders them too.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_TOOLS_IMPAIR_H
#define TESTS_TOOLS_IMPAIR_H

#include <stddef.h>

struct impair {
	double jitter, reorder, loss;
	unsigned seed;
};

#define IMPAIR_INIT {0, 0, 0, 1}
#define IMPAIR_USAGE "[jitter=MS] [reorder=PCT] [loss=PCT] [seed=N]"

/* one "key=value" argument; -1 when it is none of the four */
int impair_opt(struct impair *o, const char *arg);
/* a uniform random number in [0, 1) from the seeded generator */
double impair_urand(void);
/*
 * The caller seeds the generator (srand(o->seed)) before it draws its own
 * numbers, if any.  send_ms[0..n) are the packets' departure times, in order; on return
 * order[0..kept) lists the packets that survive, in the order they
 * leave, with send_ms updated.  Returns kept.
 */
size_t impair_apply(const struct impair *o, double *send_ms, size_t n,
		    size_t *order);

#endif
