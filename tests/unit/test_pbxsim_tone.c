/*
 * pbxsim's tone meter (tdm/pbxsim/tone.c) against spandsp's generator,
 * through G.711 as on a real line: 1004 Hz at -10 dBm0 must measure within
 * 0.5 Hz and 0.3 dB in A-law and mu-law; 1500 Hz must not pass as 1004;
 * the meter must wait for the onset and notice a tone that stops early;
 * with onset=HZ it starts on that tone, not on the tail of the one
 * before it.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "tdm/pbxsim/pbxsim.h"
#include "tests/tap.h"

enum { N = 8000 * 2 };

static int16_t sig[N];

/* tone_ms of a tone after lead_ms of silence, through G.711 */
static void make(int freq, int level, int lead_ms, int tone_ms, bool ulaw)
{
	tone_gen_descriptor_t d;
	tone_gen_state_t g;
	int lead = lead_ms * 8, n = tone_ms * 8;

	memset(sig, 0, sizeof(sig));
	tone_gen_descriptor_init(&d, freq, level, 0, 0, tone_ms, 0, 0, 0, 0);
	tone_gen_init(&g, &d);
	tone_gen(&g, sig + lead, n);
	for (int i = 0; i < N; i++)
		sig[i] = ulaw ? ulaw_to_linear(linear_to_ulaw(sig[i])) :
			alaw_to_linear(linear_to_alaw(sig[i]));
}

static void measure(struct tone_meter *m, double dur)
{
	tone_meter_init(m, dur, -40.0);
	for (int i = 0; i < N && !m->done; i += 160)
		tone_meter_feed(m, sig + i, 160);
}

/* 1 s of a tone with a hole of n samples, measured through gaps */
static void hole(struct tone_meter *m, int n)
{
	make(1004, -10, 0, 2000, false);
	memset(sig + 4000, 0, (size_t)n * sizeof(sig[0]));
	tone_meter_init(m, 1.0, -40.0);
	m->gaps_ok = true;
	for (int i = 0; i < N && !m->done; i += 160)
		tone_meter_feed(m, sig + i, 160);
}

/* 300 ms of 1004 Hz, gap_ms of silence, then 1500 Hz to the end */
static void change(int gap_ms)
{
	tone_gen_descriptor_t d;
	tone_gen_state_t g;
	int at = (300 + gap_ms) * 8;

	memset(sig, 0, sizeof(sig));
	tone_gen_descriptor_init(&d, 1004, -10, 0, 0, 300, 0, 0, 0, 0);
	tone_gen_init(&g, &d);
	tone_gen(&g, sig, 300 * 8);
	tone_gen_descriptor_init(&d, 1500, -10, 0, 0, 2000, 0, 0, 0, 0);
	tone_gen_init(&g, &d);
	tone_gen(&g, sig + at, N - at);
}

static void measure_onset(struct tone_meter *m, double hz)
{
	tone_meter_init(m, 1.0, -40.0);
	m->onset_hz = hz;
	for (int i = 0; i < N && !m->done; i += 160)
		tone_meter_feed(m, sig + i, 160);
}

/*
 * The hybrid's echo is the received audio, delay samples late and gain
 * down, in the block written in answer to each block received (audio.c
 * mixes it into that block only, never into the slack written ahead).
 */
static void test_hybrid(void)
{
	static struct hybrid h;
	int16_t in[BCHAN_BLOCK], out[BCHAN_BLOCK];
	bool exact = true;
	int16_t prev[BCHAN_BLOCK] = {0};

	ok(!hybrid_set(&h, -6.0206, 10), "hybrid -6 dB, 10 ms");
	for (int blk = 0; blk < 4; blk++) {
		for (int i = 0; i < BCHAN_BLOCK; i++)
			in[i] = (int16_t)(1000 * (blk + 1) + i);
		hybrid_in(&h, in, BCHAN_BLOCK);
		/* however many blocks are written (slack ahead at first),
		 * the echo stays tied to what was received */
		for (int extra = 0; blk == 0 && extra < 3; extra++)
			hybrid_mix(&h, out, BCHAN_BLOCK);
		memset(out, 0, sizeof(out));
		hybrid_mix(&h, out, BCHAN_BLOCK);
		for (int i = 0; i < BCHAN_BLOCK; i++) {
			/* 10 ms = 80 samples before sample i of this block */
			int src = i >= 80 ? in[i - 80] :
				blk ? prev[i + 80] : 0;

			if (abs(out[i] - src / 2) > 1)
				exact = false;
		}
		memcpy(prev, in, sizeof(prev));
	}
	ok(exact, "every echo sample is the one received 80 samples "
	   "earlier, 6 dB down");
}

int main(void)
{
	struct tone_meter m;

	for (int law = 0; law < 2; law++) {
		make(1004, -10, 200, 1500, law);
		measure(&m, 1.0);
		ok(m.done && !m.ended_early, "%s: 1004 Hz measured for 1 s",
		   law ? "mu-law" : "A-law");
		ok(fabs(tone_meter_freq(&m) - 1004) < 0.5,
		   "%s: frequency %.3f Hz", law ? "mu-law" : "A-law",
		   tone_meter_freq(&m));
		ok(fabs(tone_meter_level(&m) + 10) < 0.3,
		   "%s: level %.2f dBm0", law ? "mu-law" : "A-law",
		   tone_meter_level(&m));
	}
	make(1500, -10, 0, 1500, false);
	measure(&m, 1.0);
	ok(fabs(tone_meter_freq(&m) - 1004) > 5, "1500 Hz is not 1004 Hz "
	   "(%.2f)", tone_meter_freq(&m));
	ok(fabs(tone_meter_freq(&m) - 1500) < 0.5, "1500 Hz measured as "
	   "%.3f", tone_meter_freq(&m));

	make(1004, -30, 0, 1500, false);
	measure(&m, 1.0);
	ok(fabs(tone_meter_level(&m) + 30) < 0.5, "-30 dBm0 measured as "
	   "%.2f", tone_meter_level(&m));

	make(1004, -10, 500, 600, false);
	measure(&m, 1.0);
	ok(m.done && m.ended_early, "a 0.6 s tone ends before a 1 s window");

	/* gaps: a hole of 40 ms, then one of 10 ms, inside the window */
	hole(&m, 320);
	ok(m.done && !m.ended_early && fabs(tone_meter_max_gap_ms(&m) - 40) <= 5,
	   "a 40 ms hole is measured as a gap of %.1f ms",
	   tone_meter_max_gap_ms(&m));
	hole(&m, 80);
	ok(tone_meter_max_gap_ms(&m) <= 12.5 && tone_meter_max_gap_ms(&m) >= 5,
	   "a 10 ms hole: %.1f ms", tone_meter_max_gap_ms(&m));
	make(1004, -10, 0, 2000, false);
	measure(&m, 1.0);
	ok(tone_meter_max_gap_ms(&m) == 0, "an unbroken tone has no gap");

	memset(sig, 0, sizeof(sig));
	measure(&m, 1.0);
	ok(!m.started && !m.done, "silence: no onset");

	/* a change of tone, as an echo returns it: the old tone's tail,
	 * one block of silence, the new tone */
	change(20);
	measure(&m, 1.0);
	ok(m.ended_early, "any onset: the measurement starts on the 1004 Hz "
	   "tail and ends early at the gap");
	measure_onset(&m, 1500);
	ok(m.done && !m.ended_early && fabs(tone_meter_freq(&m) - 1500) < 0.5,
	   "onset=1500: measured on the new tone only (%.3f Hz)",
	   tone_meter_freq(&m));
	change(0);
	measure_onset(&m, 1500);
	ok(m.done && !m.ended_early && fabs(tone_meter_freq(&m) - 1500) < 0.5,
	   "onset=1500, no gap: still the new tone only (%.3f Hz)",
	   tone_meter_freq(&m));
	memset(sig, 0, sizeof(sig));
	make(1500, -10, 0, 1500, false);
	measure_onset(&m, 1004);
	ok(!m.started, "onset=1004: a 1500 Hz tone is no onset");
	ok(tone_block_share(sig, 160, 1500) > 0.95 &&
	   tone_block_share(sig, 160, 1004) < 0.05,
	   "a block of 1500 Hz: its power at 1500 Hz (%.3f), not at 1004",
	   tone_block_share(sig, 160, 1500));

	test_hybrid();
	ok(fabs(tone_dbm0(32767 / sqrt(2)) - 3.14) < 0.02,
	   "a full-scale sine is +3.14 dBm0 (%.3f)",
	   tone_dbm0(32767 / sqrt(2)));
	return tap_done();
}
