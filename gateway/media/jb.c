/*
 * Adaptive jitter buffer (see jb.h).  Timestamps are in samples (8 kHz),
 * compared with signed 32-bit differences so they may wrap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "gateway/media/jb.h"
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>

enum {
	WINDOW       = 50,    /* frames: the least slack is taken over 1 s */
	RESYNC_SPAN  = 4000,  /* a jump beyond this restarts the buffer */
	CUT_MIN      = 40,    /* samples shed at once: 5 ms ... */
	CUT_MAX      = 120,   /* ... to 15 ms (pitch periods of 66-200 Hz) */
	CUT_WIN      = 60,    /* samples compared, and cross-faded */
	CUT_QUIET    = 100,   /* rms below this (about -44 dBm0): quiet */
};

/* a cut where the audio repeats at least this well (normalised) */
static const double CUT_MATCH = 0.9;

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
	jb->horizon = jb->playout;
	jb->newest = ts;
	jb->started = true;
}

/* Samples before this were played: the playout point, or where it was
 * before a stretch moved it back */
static uint32_t played_to(const struct jb *jb)
{
	return tsdiff(jb->horizon, jb->playout) > 0 ? jb->horizon :
		jb->playout;
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
	if (tsdiff(ts + n, played_to(jb)) <= 0) {
		jb->st.late++;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t t = ts + i;

		if (tsdiff(t, played_to(jb)) < 0)
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

static uint8_t enc(const struct jb *jb, int16_t v)
{
	return jb->law == 'U' ? linear_to_ulaw(v) : linear_to_alaw(v);
}

/*
 * Where to shed: cut samples [playout, playout + L) so that what follows
 * continues the waveform already played.  Quiet audio: CUT_MIN, anywhere.
 * Loud audio: the L in CUT_MIN..lmax where it repeats best (a pitch
 * period, or a whole number of a tone's periods: WSOLA), if it repeats
 * well enough; else 0: not now.  x holds lmax + CUT_WIN samples.
 */
static unsigned cut_length(const int16_t *x, unsigned lmax)
{
	double e0 = 0, best = CUT_MATCH;
	unsigned at = 0;

	for (unsigned i = 0; i < CUT_MIN + CUT_WIN; i++)
		e0 += (double)x[i] * x[i];
	if (e0 < (double)CUT_QUIET * CUT_QUIET * (CUT_MIN + CUT_WIN))
		return CUT_MIN;
	for (unsigned l = CUT_MIN; l <= lmax; l++) {
		double xy = 0, xx = 0, yy = 0, c;

		for (unsigned i = 0; i < CUT_WIN; i++) {
			xy += (double)x[i] * x[l + i];
			xx += (double)x[i] * x[i];
			yy += (double)x[l + i] * x[l + i];
		}
		c = xx > 0 && yy > 0 ? xy / sqrt(xx * yy) : 0;
		if (c > best) {
			best = c;
			at = l;
		}
	}
	return at;
}

/*
 * Shed l samples at the playout point: the CUT_WIN samples after the cut
 * fade from the audio that would have played (x) into what follows it,
 * so the waveform has no step.
 */
static void cut(struct jb *jb, const int16_t *x, unsigned l)
{
	for (unsigned i = 0; i < CUT_WIN; i++) {
		double w = (i + 1.0) / (CUT_WIN + 1.0);

		slot_set(jb, jb->playout + l + i,
			 enc(jb, (int16_t)lrint((1 - w) * x[i] +
						 w * x[l + i])));
	}
	for (unsigned i = 0; i < l; i++)
		slot_clear(jb, jb->playout++);
}

/*
 * The slack of a read: the audio buffered beyond the frame it takes.  A
 * read with none left is the one before a dry spell.  The least slack
 * over a calm window is delay that no packet needed.
 */
static void slack_track(struct jb *jb, size_t n)
{
	unsigned slack = jb_delay(jb) - (unsigned)n;

	if (!jb->calm || slack < jb->low)
		jb->low = slack;
}

/*
 * Play l samples more: the l samples at the playout point play twice,
 * the second time fading (CUT_WIN samples) from the audio that follows
 * them into their repeat, so the waveform has no step.  The playout
 * point moves back over slots already played (packets for those
 * timestamps stay late: played_to).
 */
static void stretch(struct jb *jb, const int16_t *x, unsigned l)
{
	uint32_t at = jb->playout;

	if (tsdiff(at, jb->horizon) > 0)
		jb->horizon = at;
	for (unsigned i = 0; i < CUT_WIN; i++) {
		double w = (i + 1.0) / (CUT_WIN + 1.0);

		slot_set(jb, at + i, enc(jb, (int16_t)lrint((1 - w) * x[l + i] +
							 w * x[i])));
	}
	for (unsigned i = CUT_WIN; i < l; i++)
		slot_set(jb, at + i, enc(jb, x[i]));
	jb->playout -= l;
	for (unsigned i = 0; i < l; i++)
		slot_set(jb, jb->playout + i, enc(jb, x[i]));
}

/*
 * At the end of each calm window, bring the delay towards the target by
 * one cut or one stretch, never so as to break the waveform
 * (cut_length), judging by the least slack of the window.  Not the mean
 * delay: a steady stream whose packets come just before some reads and
 * just after others reads a packet higher or lower from one frame to the
 * next (and stays a packet higher once its phase has drifted across the
 * reads), with no more delay than it needs.  Such a stream at the target
 * has a least slack between target - n and target: it is left alone.
 * More than that was not needed (shed it); less, and the jitter is
 * eating into the frame (stretch, instead of waiting to run dry).
 */
static void adapt(struct jb *jb, size_t n)
{
	int16_t x[CUT_MAX + CUT_WIN];
	unsigned lmax, l;
	bool grow;

	if (jb->calm < WINDOW)
		return;
	jb->calm = 0;            /* the next window starts */
	grow = jb->low + n < jb->target && jb->dried;
	if (!grow)
		jb->dried = false;
	/* a stretch keeps the delay within the configured maximum */
	if (grow && jb_delay(jb) + CUT_MIN > jb->max)
		return;
	if (!grow && jb->low < jb->target + CUT_MIN)
		return;
	lmax = grow ? jb->target - jb->low - (unsigned)n :
		jb->low - jb->target;
	if (grow && lmax > jb->max - jb_delay(jb))
		lmax = jb->max - jb_delay(jb);
	if (lmax > CUT_MAX)
		lmax = CUT_MAX;
	if (lmax < CUT_MIN)
		lmax = CUT_MIN;
	for (unsigned i = 0; i < lmax + CUT_WIN; i++) {
		uint32_t t = jb->playout + i;

		if (!slot_valid(jb, t))
			return;      /* a hole: wait for whole audio */
		x[i] = dec(jb, jb->ring[t % JB_SIZE]);
	}
	l = cut_length(x, lmax);
	if (l && grow) {
		stretch(jb, x, l);
		jb->st.stretched++;
	}
	else if (l) {
		cut(jb, x, l);
		jb->st.shrunk++;
	}
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
		out[k] = enc(jb, lin[k]);
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
		jb->dried = true;
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
	slack_track(jb, n);
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
	adapt(jb, n);
}
