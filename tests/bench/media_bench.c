/*
 * media_bench: CPU cost of sipri's media bridge per 20 ms frame, one
 * channel, both directions (a TDM block out to RTP and an RTP packet in
 * through the jitter buffer to TDM): G.711 pass-through or A-law <->
 * mu-law transcoding, the jitter buffer (with loss concealment when
 * packets are lost), and echo control: the fax/modem tone disabler
 * alone (the default, with DAHDI's canceller) or with sipri's software
 * NLMS canceller of 128 to 1024 taps; and DTMF relay (spandsp dtmf_rx on
 * every block, the suppression delay line, dtmf_tx checked on the way
 * back).  Prints the median of the runs.
 *   media_bench
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include "gateway/media/dtmf.h"
#include "gateway/media/media.h"
#include "gateway/media/media_ec.h"
#include "tests/bench/bench.h"

enum { N = 160, FRAMES = 5000, RUNS = 9 };

struct row {
	const char *what;
	char tdm, rtp;
	bool ec;              /* echo control (the tone disabler) */
	unsigned taps;        /* software canceller; 0 none */
	int loss_pct;         /* packets lost before the jitter buffer */
	bool dtmf;            /* DTMF relay: detection and suppression */
};

static uint8_t sink[N];

static int to_rtp(const uint8_t *p, size_t n, uint32_t ts, bool marker,
		  void *arg)
{
	(void)ts; (void)marker; (void)arg;
	sink[0] ^= p[n - 1];
	return 0;
}

static int to_tdm(const uint8_t *p, size_t n, void *arg)
{
	(void)arg;
	sink[1] ^= p[n - 1];
	return 0;
}

/* noise: loud from RTP (the far end), quiet from the line (an echo) */
static void noise(uint8_t *p, double rms)
{
	for (int i = 0; i < N; i++)
		p[i] = linear_to_alaw((int16_t)((rand() / (double)RAND_MAX -
						 0.5) * 3.46 * rms));
}

static double run(const struct row *r)
{
	static const struct dtmf_prm prm = {-30, 8, 4, -10, 100, 60, 40};
	struct media *m = NULL;
	struct media_ec *ec = NULL;
	struct dtmf *d = NULL;
	uint8_t line[8][N], far[8][N];
	double t0;

	srand(1);
	for (int k = 0; k < 8; k++) {
		noise(line[k], 300);
		noise(far[k], 3000);
	}
	media_alloc(&m, r->tdm, r->rtp, to_rtp, to_tdm, NULL);
	if (r->ec) {
		media_ec_alloc(&ec, r->tdm, r->taps, NULL, NULL);
		media_set_ec(m, ec);
	}
	if (r->dtmf) {
		dtmf_alloc(&d, r->tdm, &prm, NULL, NULL);
		dtmf_set_suppress(d, true);
		media_set_dtmf(m, d);
	}
	t0 = bench_cpu_now();
	for (uint32_t k = 0; k < FRAMES; k++) {
		if (!r->loss_pct || (int)(k * 37 % 100) >= r->loss_pct)
			media_rtp_packet(m, far[k % 8], N, 1000 + k * N);
		media_tdm_block(m, line[k % 8], N);
	}
	t0 = bench_cpu_now() - t0;
	mem_deref(m);
	mem_deref(ec);
	mem_deref(d);
	return t0 * 1e9 / FRAMES;
}

int main(void)
{
	static const struct row rows[] = {
		{"G.711 A-law both sides, jitter buffer", 'A', 'A', 0, 0, 0, 0},
		{"A-law TDM, mu-law RTP (transcoding)", 'A', 'U', 0, 0, 0, 0},
		{"A-law, 5% of packets lost (concealment)", 'A', 'A', 0, 0, 5, 0},
		{"A-law + DTMF relay", 'A', 'A', 0, 0, 0, 1},
		{"A-law + fax/modem tone disabler", 'A', 'A', 1, 0, 0, 0},
		{"A-law + DTMF relay + tone disabler (the default path)",
		 'A', 'A', 1, 0, 0, 1},
		{"A-law TDM, mu-law RTP + DTMF relay + tone disabler",
		 'A', 'U', 1, 0, 0, 1},
		{"A-law + software echo canceller, 128 taps", 'A', 'A', 1, 128, 0,
		 0},
		{"A-law + software echo canceller, 256 taps", 'A', 'A', 1, 256, 0,
		 0},
		{"A-law + software echo canceller, 512 taps", 'A', 'A', 1, 512, 0,
		 0},
		{"A-law + software echo canceller, 1024 taps", 'A', 'A', 1, 1024,
		 0, 0},
	};

	run(&rows[0]);   /* warm up: page faults, caches */
	printf("| media path | CPU per channel per 20 ms frame "
	       "(median of %d x %d frames) |\n", RUNS, FRAMES);
	printf("|---|---|\n");
	for (size_t l = 0; l < sizeof(rows) / sizeof(rows[0]); l++) {
		double t[RUNS];

		for (int i = 0; i < RUNS; i++)
			t[i] = run(&rows[l]);
		printf("| %s | %.2f us |\n", rows[l].what,
		       bench_median(t, RUNS) / 1000);
	}
	return sink[0] == 42 && sink[1] == 42;   /* keep the sinks alive */
}
