/*
 * The software echo canceller (gateway/media/echo.c) on a simulated hybrid:
 * white noise goes out through G.711 A-law, comes back 50 ms later
 * through a short echo path 6 dB down (ERL 6 dB), again through A-law.
 * - converged, the echo is reduced by at least 20 dB (ERLE);
 * - during double talk, the near end's speech passes within 1 dB and the
 *   filter does not diverge (ERLE still >= 20 dB afterwards);
 * - the echo path moves by 13 ms (a driver slip): the canceller finds
 *   it again within 0.1 s (it realigns its last good model);
 * - negative control: a filter too short to reach the echo achieves
 *   almost nothing, so the measurement is not trivially met;
 * - the tone disabler (media_ec.c): V.25 ANS with phase reversals sent
 *   to the line, or fax CED from it, turns echo cancellation off; a
 *   1004 Hz test tone and speech-like noise do not.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include "gateway/media/echo.h"
#include "gateway/media/media_ec.h"
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>
#include "tests/tap.h"

enum { N = 160, SECONDS_MAX = 12 };

static long delay = 400;     /* the hybrid's: 50 ms */

static int16_t line_hist[8000 * SECONDS_MAX + 8];

static int16_t g711(double v)
{
	int16_t s = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);

	return alaw_to_linear(linear_to_alaw(s));
}

static double wnoise(double rms)
{
	/* sum of 4 uniforms: close enough to Gaussian, unit variance */
	double s = 0;

	for (int i = 0; i < 4; i++)
		s += (double)rand() / RAND_MAX - 0.5;
	return s * sqrt(3.0) * rms;
}

struct run {
	double echo_pow, out_pow, near_pow;
	long k;
};

/*
 * Run frames [from, to) of 20 ms; near-end noise at near_rms when nonzero;
 * powers summed over the frames from measure_from on.
 */
static void run(struct echo *e, struct run *r, int from, int to,
		int measure_from, double near_rms)
{
	memset(&r->echo_pow, 0, 3 * sizeof(double));
	for (int f = from; f < to; f++) {
		int16_t tx[N], rx[N];

		for (int i = 0; i < N; i++) {
			long k = (long)f * N + i;
			double echo = 0;

			tx[i] = g711(wnoise(3000));
			line_hist[k] = tx[i];
			/* the hybrid: 50 ms, then 0.5 -0.15 0.08 */
			if (k >= delay + 2)
				echo = 0.5 * line_hist[k - delay] -
					0.15 * line_hist[k - delay - 1] +
					0.08 * line_hist[k - delay - 2];
			double nearv = near_rms ? wnoise(near_rms) : 0;

			rx[i] = g711(echo + nearv);
			if (f >= measure_from) {
				r->echo_pow += echo * echo;
				r->near_pow += nearv * nearv;
			}
		}
		echo_rx(e, rx, N);
		echo_tx(e, tx, N);
		for (int i = 0; f >= measure_from && i < N; i++)
			r->out_pow += (double)rx[i] * rx[i];
	}
}

static double db(double a, double b)
{
	return 10 * log10(a / b);
}

static void off_h(int tone, void *arg)
{
	*(int *)arg = tone;
}

/*
 * 4 s of a signal through a tone disabler, in one direction (to the line
 * when tx); returns the tone that turned it off, 0 for none
 */
static int disabler(int kind, bool tx)
{
	modem_connect_tones_tx_state_t mt;
	struct media_ec *me = NULL;
	int heard = 0;

	if (kind)
		modem_connect_tones_tx_init(&mt, kind);
	if (media_ec_alloc(&me, 'A', 0, off_h, &heard))
		return -1;
	for (int f = 0; f < 200; f++) {
		int16_t s[N];
		uint8_t b[N];

		if (kind)
			modem_connect_tones_tx(&mt, s, N);
		for (int i = 0; !kind && i < N; i++)
			s[i] = (int16_t)(f % 2 ? wnoise(2000) : 8000 *
					 sin(2 * M_PI * 1004 * (f * N + i) / 8000));
		for (int i = 0; i < N; i++)
			b[i] = linear_to_alaw(s[i]);
		if (tx)
			media_ec_tx(me, b, N);
		else
			media_ec_rx(me, b, N);
	}
	if (heard && media_ec_active(me))
		heard = -2;
	mem_deref(me);
	return heard;
}

int main(void)
{
	struct echo *e = NULL, *shorty = NULL;
	struct run r;
	double erle;

	srand(5);
	ok(echo_alloc(&e, 10) == EINVAL && echo_alloc(&e, 4096) == EINVAL,
	   "taps outside 32..2048 are refused");
	ok(!echo_alloc(&e, 512), "a 512-tap canceller");

	/* 4 s to converge, ERLE over the last second */
	run(e, &r, 0, 200, 150, 0);
	erle = db(r.echo_pow, r.out_pow);
	ok(erle >= 20, "converged: the echo is reduced by %.1f dB (>= 20)",
	   erle);
	tap_diag("canceller ERLE estimate %.1f dB, %llu double-talk samples",
		 echo_erle(e), (unsigned long long)echo_stats(e)->dtalk);

	/* double talk: near-end noise about as loud as the far end */
	run(e, &r, 200, 300, 200, 3000);
	ok(fabs(db(r.out_pow, r.near_pow)) <= 1.0,
	   "double talk: the near end passes within 1 dB (%+.2f dB)",
	   db(r.out_pow, r.near_pow));
	run(e, &r, 300, 350, 300, 0);
	erle = db(r.echo_pow, r.out_pow);
	ok(erle >= 20, "after double talk the echo is still reduced by "
	   "%.1f dB", erle);

	/* the path moves 13 ms later, as after a transmit underrun */
	delay += 104;
	run(e, &r, 350, 380, 355, 0);
	erle = db(r.echo_pow, r.out_pow);
	ok(erle >= 20 && echo_stats(e)->realigns >= 1,
	   "the echo path moved 13 ms: found again within 0.1 s (%.1f dB, "
	   "%llu realignments)", erle,
	   (unsigned long long)echo_stats(e)->realigns);
	tap_diag("echo path now %u samples", echo_path_delay(e));
	delay -= 104;

	/* negative control: 64 taps cannot reach a 50 ms echo */
	ok(!echo_alloc(&shorty, 64), "a 64-tap canceller");
	srand(5);
	run(shorty, &r, 0, 200, 150, 0);
	erle = db(r.echo_pow, r.out_pow);
	ok(erle < 3, "a filter that does not reach the echo: %.1f dB", erle);

	mem_deref(e);
	mem_deref(shorty);

	ok(disabler(MODEM_CONNECT_TONES_ANS_PR, true) > 0,
	   "ANS with phase reversals sent to the line turns echo "
	   "cancellation off");
	ok(disabler(MODEM_CONNECT_TONES_ANS, false) > 0,
	   "fax CED from the line turns it off");
	ok(disabler(0, true) == 0 && disabler(0, false) == 0,
	   "negative control: 1004 Hz and noise leave it on");
	return tap_done();
}
