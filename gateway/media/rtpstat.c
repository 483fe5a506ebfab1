/*
 * gateway/media/rtpstat.c: reception statistics of an RTP stream (see
 * rtpstat.h), after RFC 3550 Appendix A.1, A.3 and A.8.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/media/rtpstat.h"

enum {
	MAX_DROPOUT = 3000,        /* A.1: a jump ahead still in sequence */
	MAX_MISORDER = 100,        /* ... and one behind, a late packet */
};

void rtpstat_init(struct rtpstat *s)
{
	memset(s, 0, sizeof(*s));
}

/* A.1: the sequence number's place, wraps counted; false for a jump the
 * stream restarts from (a new source of the same SSRC) */
static bool seq_update(struct rtpstat *s, uint16_t seq)
{
	uint16_t delta = (uint16_t)(seq - s->max_seq);

	if (delta < MAX_DROPOUT) {
		if (seq < s->max_seq)
			s->cycles += 1u << 16;
		s->max_seq = seq;
		return true;
	}
	if (delta <= (uint16_t)(65536 - MAX_MISORDER))
		return false;   /* a big jump: start over from here */
	return true;        /* late or duplicate: counted, no new max */
}

void rtpstat_rx(struct rtpstat *s, uint16_t seq, uint32_t ts,
		uint64_t arrival)
{
	int64_t transit = (int64_t)(arrival - ts) & 0xffffffff, d;

	if (!s->started || !seq_update(s, seq)) {
		s->started = true;
		s->max_seq = seq;
		s->cycles = 0;
		s->base_seq = seq;
		s->received = 0;
		s->transit = transit;
	}
	s->received++;
	/* A.8: J += (|D| - J) / 16 */
	d = transit - s->transit;
	if (d > 0x7fffffff)
		d -= 0x100000000;
	else if (d < -0x7fffffff)
		d += 0x100000000;
	s->transit = transit;
	s->jitter += ((double)(d < 0 ? -d : d) - s->jitter) / 16.0;
}

int64_t rtpstat_lost(const struct rtpstat *s)
{
	uint64_t ext_max = (uint64_t)s->cycles + s->max_seq;

	if (!s->started)
		return 0;
	/* A.3: expected = extended max - base + 1 */
	return (int64_t)(ext_max - s->base_seq + 1) - (int64_t)s->received;
}

double rtpstat_jitter_ms(const struct rtpstat *s, unsigned clock_khz)
{
	return clock_khz ? s->jitter / clock_khz : 0;
}
