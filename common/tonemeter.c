/*
 * Measure a received tone: wait for its onset (a block above a threshold),
 * skip the first samples while it settles, then measure over a window:
 * - frequency from rising zero crossings, each placed between its two
 *   samples by linear interpolation: over 0.5 s or more the error is far
 *   below 1 Hz;
 * - level as the RMS, in dBm0;
 * - gaps: the longest run of 2.5 ms slices below the onset threshold
 *   inside the window (a lost packet that was not concealed).
 * The onset may be asked to be of one frequency (`onset=HZ`): a block
 * whose power is mostly (Goertzel) at HZ.  A measurement that follows a
 * change of tone then starts on the new tone, not on the old one's tail
 * still coming back through an echo path.
 * Levels follow spandsp's convention (a full-scale sine is +3.14 dBm0,
 * G.711 Table 5/6), so spandsp's tone generators and this meter agree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>
#include "common/tonemeter.h"

enum {
	SETTLE_SAMPLES = 800,    /* 100 ms */
	GAP_SLICE = 20,          /* 2.5 ms */
};

/* 20 log10(rms / 32768) + 6.16: a full-scale square wave is +6.16 dBm0 */
double tone_dbm0(double rms)
{
	if (rms <= 0)
		return -99.0;
	return 20.0 * log10(rms / 32768.0) + 3.14 + 3.02;
}

double tone_block_dbm0(const int16_t *s, size_t n)
{
	double sumsq = 0;

	if (!n)
		return -99.0;
	for (size_t i = 0; i < n; i++)
		sumsq += (double)s[i] * s[i];
	return tone_dbm0(sqrt(sumsq / n));
}

/* The share of the block's power at hz (Goertzel): 1 for a pure tone */
double tone_block_share(const int16_t *s, size_t n, double hz)
{
	double w = 2.0 * cos(2.0 * M_PI * hz / TONE_RATE), s1 = 0, s2 = 0;
	double sumsq = 0, p;

	for (size_t i = 0; i < n; i++) {
		double s0 = s[i] + w * s1 - s2;

		s2 = s1;
		s1 = s0;
		sumsq += (double)s[i] * s[i];
	}
	p = s1 * s1 + s2 * s2 - w * s1 * s2;
	return sumsq > 0 ? 2.0 * p / ((double)n * sumsq) : 0;
}

void tone_meter_init(struct tone_meter *m, double dur_s, double thresh_dbm0)
{
	memset(m, 0, sizeof(*m));
	m->thresh_dbm0 = thresh_dbm0;
	m->skip = SETTLE_SAMPLES;
	m->want = (unsigned)(dur_s * TONE_RATE + 0.5);
}

/* Slices of 2.5 ms: a run of quiet ones is a gap */
static void gap_track(struct tone_meter *m, int16_t x)
{
	m->slice_sumsq += (double)x * x;
	if (++m->slice_n < GAP_SLICE)
		return;
	if (tone_dbm0(sqrt(m->slice_sumsq / GAP_SLICE)) < m->thresh_dbm0) {
		m->gap += GAP_SLICE;
		if (m->gap > m->max_gap)
			m->max_gap = m->gap;
	}
	else {
		m->gap = 0;
	}
	m->slice_sumsq = 0;
	m->slice_n = 0;
}

static void measure(struct tone_meter *m, int16_t x)
{
	double pos = (double)m->count;

	gap_track(m, x);
	m->sumsq += (double)x * x;
	if (m->count && m->prev < 0 && x >= 0) {
		/* the crossing lies between the previous sample and this one */
		double frac = (double)-m->prev / ((double)x - m->prev);
		double cx = pos - 1.0 + frac;

		if (!m->crossings)
			m->first_x = cx;
		m->last_x = cx;
		m->crossings++;
	}
	m->prev = x;
	if (++m->count >= m->want)
		m->done = true;
}

void tone_meter_feed(struct tone_meter *m, const int16_t *s, size_t n)
{
	m->pos += n;
	if (m->done)
		return;
	if (!m->started) {
		if (tone_block_dbm0(s, n) < m->thresh_dbm0)
			return;
		if (m->onset_hz && tone_block_share(s, n, m->onset_hz) < 0.5)
			return;
		m->started = true;
	}
	else if (m->skipped >= m->skip && !m->gaps_ok &&
		 tone_block_dbm0(s, n) < m->thresh_dbm0) {
		/* the tone stopped before the window was full */
		m->ended_early = true;
		m->done = true;
		return;
	}
	for (size_t i = 0; i < n && !m->done; i++) {
		if (m->skipped < m->skip) {
			m->skipped++;
			continue;
		}
		measure(m, s[i]);
	}
}

double tone_meter_freq(const struct tone_meter *m)
{
	if (m->crossings < 2 || m->last_x <= m->first_x)
		return 0;
	return (m->crossings - 1) * (double)TONE_RATE /
		(m->last_x - m->first_x);
}

double tone_meter_max_gap_ms(const struct tone_meter *m)
{
	return m->max_gap * 1000.0 / TONE_RATE;
}

double tone_meter_level(const struct tone_meter *m)
{
	if (!m->count)
		return -99.0;
	return tone_dbm0(sqrt(m->sumsq / m->count));
}
