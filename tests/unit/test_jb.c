/*
 * The adaptive jitter buffer: in-order, reordered, lost and late packets,
 * timestamp wrap, and adaptation: the delay grows under jitter and
 * shrinks again once the jitter stops.  Then the acceptance case of
 * the acceptance case: a 1004 Hz tone with +-30 ms jitter, reordering and 5% loss
 * plays with no gap (loss concealment) and no more than one frame of
 * delay beyond the 60 ms the jitter needs; a steady stream whose packets
 * come just before or just after the reads is played as sent, with no
 * shed; shedding a loud tone leaves no step in its waveform; the
 * configured bounds hold.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/media/jb.h"
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include "tests/tap.h"

enum { N = 160, SIL = 0xd5 };

/* Packet k carries the value 1 + k % 200 in every sample */
static uint8_t val(int k)
{
	return (uint8_t)(1 + k % 200);
}

static void put_k(struct jb *jb, uint32_t base, int k)
{
	uint8_t p[N];

	memset(p, val(k), N);
	jb_put(jb, base + (uint32_t)k * N, p, N);
}

/* frame value, or -1 for silence, -2 for a mixed frame */
static int frame_val(const uint8_t *f)
{
	for (int i = 1; i < N; i++)
		if (f[i] != f[0])
			return -2;
	return f[0] == SIL ? -1 : f[0];
}

/*
 * Simulate SECONDS of a 20 ms stream from packet k0 whose packets arrive
 * up to jitter_ms late (pseudo-random), with a get() every 20 ms.
 * Returns the mean buffered delay (samples) over the last second and
 * counts frames played out of order.
 */
static double simulate(struct jb *jb, uint32_t base, int *k0, int seconds,
		       int jitter_ms, int *disorder, int *lastv)
{
	int frames = seconds * 50, next = *k0, arrivals[4096];
	double sum = 0;
	int nsum = 0;

	srand(7);
	for (int k = 0; k < frames + 50; k++)
		arrivals[k] = k * 20 + (jitter_ms ? rand() % (jitter_ms + 1) : 0);
	for (int ms = 0; ms < frames * 20; ms++) {
		uint8_t out[N];

		for (int k = next - *k0; k < frames + 50 && arrivals[k] <= ms; k++) {
			put_k(jb, base, *k0 + k);
			next = *k0 + k + 1;
		}
		if (ms % 20 != 19)
			continue;
		jb_get(jb, out, N);
		int v = frame_val(out);

		if (v >= 0) {
			if (*lastv >= 0 && v != 1 + (*lastv) % 200 && v != *lastv)
				(*disorder)++;
			*lastv = v;
		}
		if (ms >= (frames - 50) * 20) {
			sum += jb_delay(jb);
			nsum++;
		}
	}
	*k0 = next;
	return nsum ? sum / nsum : 0;
}

/* ---- a 1004 Hz tone through +-30 ms jitter, reordering, 5% loss ---- */

enum { TONE_PK = 1500 };     /* 30 s of packets */

struct arrival {
	int k;
	double ms;
};

static int by_ms(const void *a, const void *b)
{
	double x = ((const struct arrival *)a)->ms,
		y = ((const struct arrival *)b)->ms;

	return (x > y) - (x < y);
}

/* Sample i of the tone, A-law */
static uint8_t tone_sample(int64_t i)
{
	return linear_to_alaw((int16_t)lrint(10000 * sin(2 * M_PI * 1004 *
							  (double)i / 8000)));
}

static void tone_packet(uint8_t *p, int k)
{
	for (int i = 0; i < N; i++)
		p[i] = tone_sample((int64_t)k * N + i);
}

/* The longest run of near-silent 2.5 ms slices, in samples */
static int longest_gap(const uint8_t *f, int *run)
{
	int worst = 0;

	for (int s = 0; s < N; s += 20) {
		double e = 0;

		for (int i = s; i < s + 20; i++) {
			double v = alaw_to_linear(f[i]);

			e += v * v;
		}
		*run = e / 20 < 300.0 * 300.0 ? *run + 20 : 0;
		if (*run > worst)
			worst = *run;
	}
	return worst;
}

static void tone_case(void)
{
	static struct jb jb;
	static struct arrival arr[TONE_PK];
	int n = 0, next = 0, run = 0, gap = 0, frames = 0, lost = 0;
	double sum = 0;

	srand(11);
	for (int k = 0; k < TONE_PK; k++) {
		if (k > 5 && rand() % 100 < 5) {
			lost++;
			continue;
		}
		arr[n].k = k;
		arr[n++].ms = 30 + k * 20 + (rand() % 6001) / 100.0 - 30;
	}
	qsort(arr, n, sizeof(arr[0]), by_ms);
	jb_init(&jb, SIL);
	for (int ms = 0; ms < TONE_PK * 20; ms++) {
		uint8_t p[N], out[N];

		while (next < n && arr[next].ms <= ms) {
			tone_packet(p, arr[next].k);
			jb_put(&jb, 5000 + (uint32_t)arr[next].k * N, p, N);
			next++;
		}
		if (ms % 20 != 19)
			continue;
		jb_get(&jb, out, N);
		frames++;
		if (frames > 50) {   /* after the first second */
			int g = longest_gap(out, &run);

			if (g > gap)
				gap = g;
			sum += jb_delay(&jb);
		}
	}
	tap_diag("tone: %d lost, %llu late, %llu underruns, jitter %.0f, "
		 "target %u, %llu samples concealed", lost,
		 (unsigned long long)jb.st.late,
		 (unsigned long long)jb.st.underruns, jb.jitter, jb.target,
		 (unsigned long long)jb.st.concealed);
	ok(gap <= N, "jitter +-30 ms, reordering, 5%% loss: the 1004 Hz tone "
	   "has no gap longer than a frame (longest %d samples)", gap);
	ok(sum / (frames - 50) <= 480 + N,
	   "the mean delay %.0f samples is at most one frame beyond the "
	   "480 the jitter needs", sum / (frames - 50));
	ok(jb.st.underruns <= 5, "it ran dry %llu times in 30 s",
	   (unsigned long long)jb.st.underruns);
}

/* ---- a steady 1004 Hz stream: played as it came, with no cut --------- */

/*
 * RTP paced as the B-channel is read (an echo, a far end on the same
 * clock), each packet 0.5 ms early to 0.5 ms late against a read, as
 * scheduling has it on a loaded machine: sometimes just before a read,
 * sometimes just after.  The first packet comes with the second (a far
 * end's start, SIPp's pcap play): the delay reads up to a packet above
 * the target from then on, a half packet on average.  Nothing is lost
 * and nothing is late by a frame: the buffer must play every sample, in
 * order, at a constant delay (no shed, no hold, no concealment) for 60 s.
 * The old buffer shed on the mean delay, 5 ms cuts into the tone.
 */
static void steady_case(void)
{
	static struct jb jb;
	int k = 0, cuts = 0, wrong = 0, frames = 0;
	uint32_t base = 7000, expect = 0;
	uint64_t seed = 5;

	jb_init(&jb, SIL);
	for (int64_t us = 0; us < 60 * 1000000LL; us += 100) {
		uint8_t p[N], out[N];

		/* packet k arrives within 0.5 ms of read k + 1; packet 0
		 * with packet 1 */
		while ((k ? k : 1) * 20000LL + 19500 +
		       (int64_t)(seed >> 33) % 1001 <= us) {
			tone_packet(p, k);
			jb_put(&jb, base + (uint32_t)k * N, p, N);
			k++;
			seed = seed * 6364136223846793005ULL +
				1442695040888963407ULL;
		}
		if (us % 20000 || us < 20000)
			continue;
		uint32_t from = jb.playout;

		jb_get(&jb, out, N);
		if (++frames <= 5)
			continue;
		if (frames > 6 && from != expect)
			cuts++;
		expect = from + N;
		for (int i = 0; i < N; i++) {
			if (out[i] != tone_sample((int64_t)(from - base) + i)) {
				wrong++;
				break;
			}
		}
	}
	tap_diag("steady: %d frames, %llu shed, %llu underruns, jitter %.0f, "
		 "target %u, delay %u", frames, (unsigned long long)jb.st.shrunk,
		 (unsigned long long)jb.st.underruns, jb.jitter, jb.target,
		 jb_delay(&jb));
	ok(jb.st.shrunk == 0 && cuts == 0,
	   "a steady 1004 Hz stream: no audio shed (%llu), no jump in the "
	   "playout (%d) in 60 s", (unsigned long long)jb.st.shrunk, cuts);
	ok(wrong == 0 && jb.st.underruns == 0 && jb.st.concealed == 0,
	   "every frame is the tone as sent (%d differ), %llu underruns, "
	   "%llu samples concealed", wrong,
	   (unsigned long long)jb.st.underruns,
	   (unsigned long long)jb.st.concealed);
}

/* ---- shedding a loud tone keeps its waveform --------------------------- */

/*
 * 1100 Hz (a 40-sample cut is 5.5 of its periods: a half-period step);
 * 2 s in, the network stalls for 200 ms and then delivers the held
 * packets at once: the buffer runs dry, and then holds 200 ms too much,
 * which it sheds over the next seconds.  Every shed must continue the
 * waveform.  A sine obeys x[i+1] = 2 cos(w) x[i] - x[i-1]; the largest
 * miss, beyond G.711's own, shows a step.  The old buffer cut 5 ms
 * anywhere.
 */
static void loud_cut_case(void)
{
	static struct jb jb;
	const double w = 2 * M_PI * 1100 / 8000;
	double worst = 0, y[3] = {0, 0, 0};
	int k = 0, frames = 0;

	jb_init(&jb, SIL);
	for (int ms = 0; ms < 12000; ms++) {
		uint8_t p[N], out[N];

		while ((k >= 100 && k < 110 ? 2200 : k * 20) <= ms) {
			for (int i = 0; i < N; i++)
				p[i] = linear_to_alaw((int16_t)lrint(10000 *
					sin(w * (k * N + i))));
			jb_put(&jb, 100 + (uint32_t)k * N, p, N);
			k++;
		}
		if (ms % 20 != 19)
			continue;
		jb_get(&jb, out, N);
		if (++frames < 115)  /* the stall and its concealment */
			continue;
		for (int i = 0; i < N; i++) {
			y[0] = y[1];
			y[1] = y[2];
			y[2] = alaw_to_linear(out[i]);
			if (frames > 115 || i > 1)
				worst = fmax(worst, fabs(y[2] - 2 * cos(w) * y[1] +
							 y[0]));
		}
	}
	tap_diag("loud: %llu shed, %llu underruns, worst miss %.0f, delay %u target %u k %d",
		 (unsigned long long)jb.st.shrunk,
		 (unsigned long long)jb.st.underruns, worst, jb_delay(&jb), jb.target, k);
	ok(jb.st.shrunk > 0 && worst < 1500,
	   "1100 Hz: %llu sheds after the jitter, none a step in the waveform "
	   "(worst miss %.0f of a 10000 peak)",
	   (unsigned long long)jb.st.shrunk, worst);
}

/* ---- the configured bounds ------------------------------------------- */

static void bounds_case(void)
{
	static struct jb jb;
	int k0 = 0, disorder = 0, lastv = -1;
	double d;

	jb_init(&jb, SIL);
	ok(jb_set_bounds(&jb, 400, 100) == EINVAL &&
	   jb_set_bounds(&jb, 0, JB_SIZE) == EINVAL,
	   "bounds with min > max or beyond the buffer are refused");
	ok(!jb_set_bounds(&jb, 320, 480), "bounds 40..60 ms");
	d = simulate(&jb, 1000, &k0, 3, 0, &disorder, &lastv);
	ok(d >= 320, "no jitter: the delay %.0f stays at the minimum 320", d);
	d = simulate(&jb, 1000, &k0, 5, 200, &disorder, &lastv);
	ok(jb.target == 480 && d <= 480 + N,
	   "200 ms jitter: the target stops at the maximum (%u), delay %.0f",
	   jb.target, d);
}

int main(void)
{
	static struct jb jb;
	uint8_t out[N];
	int k0 = 0, disorder = 0, lastv = -1;
	double calm_delay, jit_delay, after_delay;

	/* before any packet: silence */
	jb_init(&jb, SIL);
	jb_get(&jb, out, N);
	ok(frame_val(out) == -1, "an empty buffer plays the law's silence");

	/* steady stream */
	calm_delay = simulate(&jb, 1000, &k0, 3, 0, &disorder, &lastv);
	ok(disorder == 0 && jb.st.underruns == 0,
	   "steady stream: in order, no underruns (%llu)",
	   (unsigned long long)jb.st.underruns);
	ok(calm_delay <= 3 * N, "steady delay %.0f samples <= %d", calm_delay,
	   3 * N);

	/* 80 ms of arrival jitter: the delay grows */
	unsigned long long under0 = jb.st.underruns;

	jit_delay = simulate(&jb, 1000, &k0, 5, 80, &disorder, &lastv);
	ok(jit_delay > calm_delay + N,
	   "under 80 ms jitter the delay grows to %.0f samples", jit_delay);
	ok(jb.st.underruns - under0 <= 5,
	   "and it runs dry only %llu times in 250 frames",
	   jb.st.underruns - under0);
	ok(jb.jitter > 100, "jitter estimate %.0f samples", jb.jitter);

	/* the jitter stops: the delay shrinks back */
	after_delay = simulate(&jb, 1000, &k0, 15, 0, &disorder, &lastv);
	ok(after_delay < jit_delay - N / 2 && after_delay <= JB_MIN + N,
	   "after the jitter stops the delay shrinks to %.0f samples",
	   after_delay);
	ok(jb.st.shrunk > 0, "it shed audio in %llu steps",
	   (unsigned long long)jb.st.shrunk);

	/* reordering, loss and lateness, near the 32-bit timestamp wrap */
	uint32_t base = 0xffffffffu - 5 * N;
	int seq[] = {0, 1, 3, 2, 4, 6, 7, 8, 9, 10};
	int got[12], n = 0;

	jb_init(&jb, SIL);
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		put_k(&jb, base, seq[i]);
	}
	for (int i = 0; i < 12; i++) {
		jb_get(&jb, out, N);
		int v = frame_val(out);

		if (v != -1 || n)
			got[n++] = v;
	}
	ok(n >= 11 && got[0] == val(0) && got[2] == val(2) && got[3] == val(3),
	   "reordered packets 3,2 play as 2,3 across the timestamp wrap");
	ok(got[5] != -1 && got[5] != val(5) && got[7] == val(7) &&
	   jb.st.concealed == N,
	   "a lost packet (5) is concealed, not played as silence");
	put_k(&jb, base, 1);
	ok(jb.st.late == 1, "a packet behind the playout point is counted late");

	/* a large timestamp jump (new talkspurt, new source) resyncs */
	put_k(&jb, base + 1000000, 0);
	ok(jb.st.resyncs == 1, "a jump of 1e6 samples resyncs the buffer");
	for (int i = 0; i < 4; i++)
		jb_get(&jb, out, N);
	ok(frame_val(out) == -1 || frame_val(out) == val(0),
	   "and plays on without garbage");

	tone_case();
	steady_case();
	loud_cut_case();
	bounds_case();
	return tap_done();
}
