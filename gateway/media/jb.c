/*
 * Adaptive jitter buffer (see jb.h).  Timestamps are in samples (8 kHz),
 * compared with signed 32-bit differences so they may wrap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/media/jb.h"
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>

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
	jb->law = silence == 0xff ? 'U' : 'A';
	jb->min = JB_MIN;
	jb->max = JB_MAX;
	jb->target = 2 * JB_MIN;
	plc_init(&jb->plc);
}

int jb_set_bounds(struct jb *jb, unsigned min, unsigned max)
{
	if (!jb || min > max || max > JB_SIZE / 2)
		return EINVAL;
	jb->min = min;
	jb->max = max;
	if (jb->target < min)
		jb->target = min;
	if (jb->target > max)
		jb->target = max;
	return 0;
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

/* Three times the mean deviation covers the lateness it implies */
static void target_update(struct jb *jb)
{
	unsigned t = (unsigned)(3 * jb->jitter);

	if (t < jb->min)
		t = jb->min;
	if (t > jb->max)
		t = jb->max;
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

/*
 * Once calm, shed audio in small steps down to the target.  The delay
 * seen at one instant swings with each packet's own lateness; its mean
 * (over about 16 frames) is what has to come down to the target.
 */
static void shrink(struct jb *jb)
{
	jb->avg_delay += ((double)jb_delay(jb) - jb->avg_delay) / 16;
	if (jb->calm < SHRINK_CALM ||
	    jb->avg_delay < jb->target + SHRINK_STEP)
		return;
	for (int i = 0; i < SHRINK_STEP; i++)
		slot_clear(jb, jb->playout++);
	jb->avg_delay -= SHRINK_STEP;
	jb->st.shrunk++;
	jb->calm = 0;
}

static int16_t dec(const struct jb *jb, uint8_t b)
{
	return jb->law == 'U' ? ulaw_to_linear(b) : alaw_to_linear(b);
}

/*
 * spandsp 0.0.6's plc_fillin() starts by rotating its history with a
 * memcpy between overlapping ranges (normalise_history: undefined
 * behaviour, which ASan stops on).  Do that rotation first, the same way
 * but with memmove, so plc_fillin() finds nothing to rotate.
 */
static void plc_normalise(plc_state_t *s)
{
	int16_t tmp[PLC_HISTORY_LEN];
	int p = s->buf_ptr;

	if (s->missing_samples || p <= 0 || p >= PLC_HISTORY_LEN)
		return;
	memcpy(tmp, s->history, sizeof(tmp[0]) * (size_t)p);
	memmove(s->history, s->history + p,
		sizeof(tmp[0]) * (size_t)(PLC_HISTORY_LEN - p));
	memcpy(s->history + PLC_HISTORY_LEN - p, tmp,
	       sizeof(tmp[0]) * (size_t)p);
	s->buf_ptr = 0;
}

/*
 * Conceal the missing samples of a frame: runs of samples received feed
 * the concealer's history (plc_rx, which also blends the end of a
 * fill-in), runs missing are made up (plc_fillin).
 */
static void conceal(struct jb *jb, uint8_t *out, const bool *have, size_t n)
{
	int16_t lin[JB_MAXFRAME];
	size_t i = 0;

	for (size_t k = 0; k < n; k++)
		lin[k] = dec(jb, out[k]);
	while (i < n) {
		size_t j = i;

		while (j < n && have[j] == have[i])
			j++;
		if (have[i])
			plc_rx(&jb->plc, lin + i, (int)(j - i));
		else {
			plc_normalise(&jb->plc);
			plc_fillin(&jb->plc, lin + i, (int)(j - i));
			jb->st.concealed += j - i;
		}
		i = j;
	}
	for (size_t k = 0; k < n; k++)
		out[k] = jb->law == 'U' ? linear_to_ulaw(lin[k]) :
			linear_to_alaw(lin[k]);
}

void jb_get(struct jb *jb, uint8_t *out, size_t n)
{
	bool have[JB_MAXFRAME] = {false};
	size_t missing = 0;

	if (n > JB_MAXFRAME)
		n = JB_MAXFRAME;
	jb->now += n;
	/* ran dry: conceal and hold the playout point, so the delay grows
	 * by each frame the late audio takes; play again as soon as a
	 * frame is there (the shortest gap for the concealment to cover) */
	if (jb->started && !jb->buffering && jb_delay(jb) < n) {
		jb->st.underruns++;
		jb->buffering = true;
	}
	if (jb->buffering && jb_delay(jb) >= n)
		jb->buffering = false;
	if (!jb->started || jb->buffering) {
		memset(out, jb->silence, n);
		memset(have, 0, n * sizeof(have[0]));
		jb->calm = 0;
		if (jb->played)
			conceal(jb, out, have, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t t = jb->playout + i;

		have[i] = slot_valid(jb, t);
		if (have[i]) {
			out[i] = jb->ring[t % JB_SIZE];
			slot_clear(jb, t);
		}
		else {
			out[i] = jb->silence;
			missing++;
		}
	}
	jb->playout += n;
	if (missing < n)
		jb->played = true;
	if (jb->played)
		conceal(jb, out, have, n);
	if (!missing)
		jb->calm++;
	shrink(jb);
}
