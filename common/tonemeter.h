/*
 * Measure a received tone (common/tonemeter.c): its frequency, its level
 * in dBm0 and the gaps in it, after an onset.  Pure DSP on 8 kHz linear
 * samples; pbxsim's expectations and sipri-ctl originate both use it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_TONEMETER_H
#define SIPRI_TONEMETER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	TONE_RATE = 8000,
};

struct tone_meter {
	double thresh_dbm0;        /* onset above this level */
	unsigned skip;             /* samples skipped after onset */
	unsigned want;             /* samples to measure */
	unsigned skipped, count;
	double sumsq;
	double first_x, last_x;    /* first and last rising zero crossing */
	unsigned crossings;
	int16_t prev;
	bool started, done, ended_early;
	bool gaps_ok;              /* measure through gaps (expect maxgap=) */
	double onset_hz;           /* the onset must be at this Hz; 0 any */
	unsigned gap, max_gap;     /* samples: the gap now, the longest */
	double slice_sumsq;        /* the 2.5 ms slice being summed */
	unsigned slice_n;
	uint64_t pos;              /* samples seen since init */
};

void   tone_meter_init(struct tone_meter *m, double dur_s,
		       double thresh_dbm0);
void   tone_meter_feed(struct tone_meter *m, const int16_t *s, size_t n);
double tone_meter_freq(const struct tone_meter *m);
double tone_meter_level(const struct tone_meter *m);
double tone_meter_max_gap_ms(const struct tone_meter *m);
double tone_dbm0(double rms);
double tone_block_dbm0(const int16_t *s, size_t n);
double tone_block_share(const int16_t *s, size_t n, double hz);

#endif
