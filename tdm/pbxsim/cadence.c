/*
 * Measure a cadenced tone (ringback, busy...): its on and off times and
 * its one or two frequencies.  Pure DSP, fed with B-channel blocks.
 *
 * - On/off: the signal is cut into 2.5 ms slices; a slice above the
 *   threshold is "on".  A change counts once it has lasted 40 ms (so
 *   the beat of a dual tone, or a block lost on a loaded machine, is no
 *   edge), and is timed from its first slice.  Periods are timed from
 *   the first off->on edge
 *   after a silence that has itself lasted 40 ms: a tone already playing
 *   when the meter starts is not counted, and neither is the rest of a
 *   segment after a dip shorter than that (a block lost on the
 *   B-channel), so each on and off time is a whole one.
 * - Frequencies: a Hann-windowed Goertzel scan, 1 Hz apart from 200 to
 *   3400 Hz, over the first full on period (at most 0.5 s, after 20 ms
 *   of settling); the strongest peak, and a second one when it is within
 *   10 dB of the first and at least 20 Hz away, each refined by
 *   parabolic interpolation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pbxsim.h"

enum {
	SLICE = 20,                 /* samples: 2.5 ms */
	HOLD = 320,                 /* samples a change must last: 40 ms */
	SETTLE = 160,               /* samples skipped at the first onset */
	FMIN = 200, FMAX = 3400,
	PEAK_SEP = 20,              /* Hz between two distinct peaks */
};

void cadence_init(struct cadence_meter *m, unsigned cycles,
		  double thresh_dbm0)
{
	memset(m, 0, sizeof(*m));
	m->want = cycles < 1 ? 1 : cycles > CADENCE_MAX ? CADENCE_MAX : cycles;
	m->thresh_dbm0 = thresh_dbm0;
}

static void edge(struct cadence_meter *m, bool on, uint64_t at)
{
	double ms = (double)(at - m->edge) * 1000.0 / TONE_RATE;

	if (!m->armed)
		m->armed = on;      /* the first whole on period starts */
	else if (on && m->noff < CADENCE_MAX)
		m->off_ms[m->noff++] = ms;
	else if (!on && m->non < CADENCE_MAX)
		m->on_ms[m->non++] = ms;
	m->edge = at;
	m->on = on;
	if (m->non >= m->want && m->noff >= m->want)
		m->done = true;
}

static void slice(struct cadence_meter *m, const int16_t *s, size_t n)
{
	bool on = tone_block_dbm0(s, n) >= m->thresh_dbm0;

	if (!m->seen_off) {
		/* wait for a whole silence first: a dip is no start */
		m->quiet = on ? 0 : m->quiet + n;
		m->seen_off = m->quiet >= HOLD;
	}
	else if (on == m->on) {
		m->change = 0;
	}
	else {
		if (!m->change)
			m->change = m->pos;
		if (m->pos + n - m->change >= HOLD) {
			edge(m, on, m->change);
			m->change = 0;
		}
	}
	/* samples of the first whole on period, for the spectrum */
	for (size_t i = 0; m->armed && m->on && !m->non && i < n; i++) {
		if (m->pos + i - m->edge >= SETTLE && m->nspec < CADENCE_SPEC)
			m->spec[m->nspec++] = s[i];
	}
	m->pos += n;
}

void cadence_feed(struct cadence_meter *m, const int16_t *s, size_t n)
{
	while (n && !m->done) {
		size_t k = n < SLICE ? n : SLICE;

		slice(m, s, k);
		s += k;
		n -= k;
	}
}

/* Goertzel power at f over the windowed samples */
static double power_at(const double *x, unsigned n, double f)
{
	double w = 2.0 * cos(2.0 * M_PI * f / TONE_RATE), s1 = 0, s2 = 0;

	for (unsigned i = 0; i < n; i++) {
		double s0 = x[i] + w * s1 - s2;

		s2 = s1;
		s1 = s0;
	}
	return s1 * s1 + s2 * s2 - w * s1 * s2;
}

static double refine(const double *p, int i)
{
	double a = p[i - 1], b = p[i], c = p[i + 1], d = a - 2 * b + c;

	return FMIN + i + (d != 0 ? 0.5 * (a - c) / d : 0);
}

void cadence_freqs(const struct cadence_meter *m, double *f1, double *f2)
{
	static double x[CADENCE_SPEC], p[FMAX - FMIN + 1];
	unsigned n = m->nspec;
	int best = -1, second = -1, np = FMAX - FMIN + 1;

	*f1 = *f2 = 0;
	if (n < 400)
		return;
	for (unsigned i = 0; i < n; i++)
		x[i] = m->spec[i] * (0.5 - 0.5 * cos(2 * M_PI * i / (n - 1)));
	for (int i = 0; i < np; i++) {
		p[i] = power_at(x, n, FMIN + i);
		if (best < 0 || p[i] > p[best])
			best = i;
	}
	for (int i = 1; i < np - 1; i++) {
		if (abs(i - best) < PEAK_SEP || p[i] < p[i - 1] ||
		    p[i] < p[i + 1] || p[i] < p[best] / 10)
			continue;
		if (second < 0 || p[i] > p[second])
			second = i;
	}
	if (best > 0 && best < np - 1)
		*f1 = refine(p, best);
	if (second > 0)
		*f2 = refine(p, second);
	if (*f2 && *f2 < *f1) {
		double t = *f1;

		*f1 = *f2;
		*f2 = t;
	}
}
