/*
 * Call-progress tones (gateway/media/tone.c) measured by pbxsim's cadence meter
 * (tdm/pbxsim/cadence.c): the zone strings parse, the German and the US
 * ringback play with their E.180 cadences and frequencies, and each is
 * told apart from the other (the negative control); busy and SIT play;
 * a meter started in the middle of a burst, with a block lost on the
 * B-channel, counts only whole bursts; bad zone strings are refused.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>
#include <re.h>
#include "gateway/media/tone.h"
#include "tdm/pbxsim/pbxsim.h"
#include "tests/tap.h"

static struct cadence_meter m;

/*
 * Play KIND of COUNTRY in LAW for up to SECONDS into the cadence meter.
 * skip > 0: the meter starts skip blocks into the tone, and block lost
 * (when > 0) goes missing, as a block lost on a loaded B-channel.
 */
static bool run_at(const char *country, enum tone_kind kind, char law,
		   unsigned cycles, int skip, int lost, double *f1,
		   double *f2)
{
	struct tone_gen *tg = NULL;
	uint8_t blk[160];
	int16_t lin[160];
	bool ok = false;

	if (tone_gen_alloc(&tg, country, law) || tone_play(tg, kind))
		goto out;
	cadence_init(&m, cycles, -30.0);
	/* silence first, as on a B-channel before the tone starts */
	memset(lin, 0, sizeof(lin));
	for (int i = 0; i < 3 && !skip; i++)
		cadence_feed(&m, lin, 160);
	for (int i = 0; i < 50 * 60 && !m.done; i++) {
		tone_fill(tg, blk, sizeof(blk));
		for (int k = 0; k < 160; k++)
			lin[k] = law == 'U' ? ulaw_to_linear(blk[k]) :
				alaw_to_linear(blk[k]);
		if (i == lost)
			memset(lin, 0, sizeof(lin));
		if (i >= skip)
			cadence_feed(&m, lin, 160);
	}
	cadence_freqs(&m, f1, f2);
	ok = m.done;
 out:
	mem_deref(tg);
	return ok;
}

static bool run(const char *country, enum tone_kind kind, char law,
		unsigned cycles, double *f1, double *f2)
{
	return run_at(country, kind, law, cycles, 0, -1, f1, f2);
}

static bool near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

int main(void)
{
	struct tone_step st[TONE_MAXSTEPS];
	size_t n = 0;
	double f1, f2;
	bool done;

	ok(!tone_parse("425/1000,0/4000", st, TONE_MAXSTEPS, &n) && n == 2 &&
	   st[0].f1 == 425 && st[0].ms == 1000 && !st[1].f1 &&
	   st[1].ms == 4000, "de ringback parses: 425/1000, 0/4000");
	ok(!tone_parse("!950/330,!1400/330,!1800/330,0", st, TONE_MAXSTEPS,
		       &n) && n == 4 && st[0].once && !st[3].once &&
	   st[3].ms == 0, "us SIT parses: three once-steps, silence forever");
	ok(!tone_parse("440+480/2000,0/4000", st, TONE_MAXSTEPS, &n) &&
	   st[0].f2 == 480, "a dual tone parses");
	ok(tone_parse("", st, TONE_MAXSTEPS, &n) == EBADMSG &&
	   tone_parse("425/", st, TONE_MAXSTEPS, &n) == EBADMSG &&
	   tone_parse("425/10x", st, TONE_MAXSTEPS, &n) == EBADMSG &&
	   tone_parse("99999", st, TONE_MAXSTEPS, &n) == EBADMSG &&
	   tone_parse("1,2,3", st, 2, &n) == EOVERFLOW,
	   "malformed zone strings are refused");
	ok(tone_country_known("de") && tone_country_known("us") &&
	   !tone_country_known("xx") && !tone_country_known(NULL),
	   "libtonezone knows de and us, not xx");

	ok(run("de", TONE_RINGBACK, 'A', 2, &f1, &f2), "de ringback: 2 cycles");
	tap_diag("de: %.1f Hz %.0f/%.0f %.0f/%.0f ms", f1, m.on_ms[0],
	     m.off_ms[0], m.on_ms[1], m.off_ms[1]);
	ok(near(f1, 425, 2) && f2 == 0, "de ringback: 425 Hz (%.1f)", f1);
	ok(near(m.on_ms[0], 1000, 10) && near(m.off_ms[0], 4000, 10) &&
	   near(m.on_ms[1], 1000, 10) && near(m.off_ms[1], 4000, 10),
	   "de ringback: 1 s on, 4 s off");

	ok(run("us", TONE_RINGBACK, 'U', 2, &f1, &f2), "us ringback: 2 cycles");
	ok(near(f1, 440, 2) && near(f2, 480, 2),
	   "us ringback: 440+480 Hz (%.1f+%.1f)", f1, f2);
	ok(near(m.on_ms[0], 2000, 10) && near(m.off_ms[0], 4000, 10),
	   "us ringback: 2 s on, 4 s off (%.0f/%.0f)", m.on_ms[0],
	   m.off_ms[0]);
	ok(!near(f1, 425, 10) && !near(m.on_ms[0], 1000, 50),
	   "negative control: us ringback does not pass as de");

	ok(run("de", TONE_BUSY, 'A', 3, &f1, &f2) && near(f1, 425, 2) &&
	   near(m.on_ms[2], 480, 10) && near(m.off_ms[2], 480, 10),
	   "de busy: 425 Hz 480/480 ms");
	/* the meter starts 100 ms into a burst; 200 ms in, a block is lost:
	 * that 20 ms dip is no start, the first burst counted is whole */
	done = run_at("de", TONE_BUSY, 'A', 3, 5, 10, &f1, &f2);
	ok(done && near(m.on_ms[0], 480, 10) && near(m.off_ms[0], 480, 10) &&
	   near(m.on_ms[2], 480, 10),
	   "de busy from the middle of a burst, a block lost: whole bursts "
	   "only (%.1f/%.1f ms)", m.on_ms[0], m.off_ms[0]);
	ok(run("us", TONE_CONGESTION, 'U', 2, &f1, &f2) &&
	   near(f1, 480, 3) && near(f2, 620, 3) && near(m.on_ms[1], 250, 10),
	   "us congestion: 480+620 Hz 250/250 ms");
	ok(run("de", TONE_INFO, 'A', 1, &f1, &f2) &&
	   near(m.on_ms[0], 990, 10) && near(m.off_ms[0], 1000, 10),
	   "de special information tone: 3 x 330 ms, then 1 s off");
	ok(tone_for_cause(17) == TONE_BUSY && tone_for_cause(1) == TONE_INFO &&
	   tone_for_cause(34) == TONE_CONGESTION,
	   "causes map to busy (17), SIT (1) and congestion (34)");
	return tap_done();
}
