/*
 * media_bench: CPU cost of sipri's media bridge per 20 ms frame, one
 * channel, both directions (a TDM block out to RTP and an RTP packet in
 * through the jitter buffer to TDM), with and without A-law <-> mu-law
 * transcoding, and with DTMF relay (spandsp dtmf_rx on every block, the
 * suppression delay line, dtmf_tx checked on the way back).  Prints the
 * median of 15 runs of 200000 frames.
 *   media_bench
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "gateway/dtmf.h"
#include "gateway/media.h"

enum { N = 160, FRAMES = 200000, RUNS = 15 };

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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double run(char tdm, char rtp, bool dtmf)
{
	static const struct dtmf_prm prm = {-30, 8, 4, -10, 100, 60, 40};
	struct media *m = NULL;
	struct dtmf *d = NULL;
	uint8_t block[N];
	double t0;

	for (int i = 0; i < N; i++)
		block[i] = (uint8_t)(i * 7);
	media_alloc(&m, tdm, rtp, to_rtp, to_tdm, NULL);
	if (dtmf) {
		dtmf_alloc(&d, tdm, &prm, NULL, NULL);
		dtmf_set_suppress(d, true);
		media_set_dtmf(m, d);
	}
	t0 = now();
	for (uint32_t k = 0; k < FRAMES; k++) {
		media_rtp_packet(m, block, N, 1000 + k * N);
		media_tdm_block(m, block, N);
	}
	t0 = now() - t0;
	mem_deref(m);
	mem_deref(d);
	return t0 * 1e9 / FRAMES;
}

int main(void)
{
	const char *laws[][2] = {{"A", "A"}, {"A", "U"}, {"A", "A"}, {"A", "U"}};

	printf("| TDM law | RTP law | DTMF relay | CPU per channel per 20 ms frame (median of %d x %d frames) |\n",
	       RUNS, FRAMES);
	printf("|---|---|---|---|\n");
	for (int l = 0; l < 4; l++) {
		double r[RUNS];

		for (int i = 0; i < RUNS; i++)
			r[i] = run(laws[l][0][0], laws[l][1][0], l >= 2);
		qsort(r, RUNS, sizeof(r[0]), cmp);
		printf("| %s-law | %s-law | %s | %.2f us |\n", laws[l][0],
		       laws[l][1], l >= 2 ? "on" : "off", r[RUNS / 2] / 1000);
	}
	return sink[0] == 42 && sink[1] == 42;   /* keep the sinks alive */
}
