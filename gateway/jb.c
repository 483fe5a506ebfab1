/*
 * Adaptive jitter buffer (see jb.h).  Timestamps are in samples (8 kHz),
 * compared with signed 32-bit differences so they may wrap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/jb.h"

enum {
	SHRINK_STEP  = 40,    /* samples dropped per step (5 ms) */
	SHRINK_CALM  = 10,    /* frames without underrun before shrinking */
	RESYNC_SPAN  = 4000,  /* a jump beyond this restarts the buffer */
};

static int32_t tsdiff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

static bool slot_valid(const struct jb *jb, uint32_t ts)
{
	unsigned i = ts % JB_SIZE;

	return jb->valid[i / 8] & (1u << (i % 8));
}

static void slot_set(struct jb *jb, uint32_t ts, uint8_t v)
{
	unsigned i = ts % JB_SIZE;

	jb->ring[i] = v;
	jb->valid[i / 8] |= 1u << (i % 8);
}

static void slot_clear(struct jb *jb, uint32_t ts)
{
	unsigned i = ts % JB_SIZE;

	jb->valid[i / 8] &= ~(1u << (i % 8));
}

void jb_init(struct jb *jb, uint8_t silence)
{
	memset(jb, 0, sizeof(*jb));
	jb->silence = silence;
	jb->target = 2 * JB_MIN;
}

/* RFC 3550 §6.4.1: J += (|D| - J) / 16 over arrival vs timestamp */
static void jitter_update(struct jb *jb, uint32_t ts)
{
	int64_t transit = (int64_t)jb->now - ts;
	double d;

	if (jb->st.put > 1) {
		d = (double)(transit - jb->transit);
		if (d < 0)
			d = -d;
		jb->jitter += (d - jb->jitter) / 16;
	}
	jb->transit = transit;
}

static void target_update(struct jb *jb)
{
	unsigned t = (unsigned)(3 * jb->jitter) + JB_MIN;

	if (t > JB_MAX)
		t = JB_MAX;
	jb->target = t;
}

static void resync(struct jb *jb, uint32_t ts)
{
	memset(jb->valid, 0, sizeof(jb->valid));
	jb->playout = ts - jb->target;
	jb->newest = ts;
	jb->started = true;
}

void jb_put(struct jb *jb, uint32_t ts, const uint8_t *p, size_t n)
{
	jb->st.put++;
	jitter_update(jb, ts);
	target_update(jb);

	if (!jb->started || tsdiff(ts, jb->newest) > RESYNC_SPAN ||
	    tsdiff(ts, jb->playout) < -RESYNC_SPAN) {
		if (jb->started)
			jb->st.resyncs++;
		resync(jb, ts);
	}
	if (tsdiff(ts + n, jb->playout) <= 0) {
		jb->st.late++;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t t = ts + i;

		if (tsdiff(t, jb->playout) < 0)
			continue;
		if (tsdiff(t, jb->playout) >= JB_SIZE) {
			jb->st.dropped++;
			break;
		}
		slot_set(jb, t, p[i]);
	}
	if (tsdiff(ts + n, jb->newest) > 0)
		jb->newest = ts + n;
}

unsigned jb_delay(const struct jb *jb)
{
	int32_t d = tsdiff(jb->newest, jb->playout);

	return jb->started && d > 0 ? (unsigned)d : 0;
}

/* Once calm, shed audio in small steps down to the target */
static void shrink(struct jb *jb)
{
	if (jb->calm < SHRINK_CALM || jb_delay(jb) < jb->target + SHRINK_STEP)
		return;
	for (int i = 0; i < SHRINK_STEP; i++)
		slot_clear(jb, jb->playout++);
	jb->st.shrunk++;
	jb->calm = 0;
}

void jb_get(struct jb *jb, uint8_t *out, size_t n)
{
	size_t missing = 0;

	jb->now += n;
	/* ran dry: refill up to the target before playing again (grow) */
	if (jb->started && !jb->buffering && jb_delay(jb) < n) {
		jb->st.underruns++;
		jb->buffering = true;
	}
	if (jb->buffering && jb_delay(jb) >= jb->target + n)
		jb->buffering = false;
	if (!jb->started || jb->buffering) {
		memset(out, jb->silence, n);
		jb->calm = 0;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t t = jb->playout + i;

		if (slot_valid(jb, t)) {
			out[i] = jb->ring[t % JB_SIZE];
			slot_clear(jb, t);
		}
		else {
			out[i] = jb->silence;
			missing++;
		}
	}
	jb->playout += n;
	if (!missing)
		jb->calm++;
	shrink(jb);
}
