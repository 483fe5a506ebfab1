/*
 * The adaptive jitter buffer: in-order, reordered, lost and late packets,
 * timestamp wrap, and adaptation: the delay grows under jitter and
 * shrinks again once the jitter stops.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "gateway/jb.h"
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
	ok(after_delay < jit_delay / 2 && after_delay <= 4 * N,
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
	ok(got[5] == -1 && got[6] == val(6),
	   "a lost packet (5) plays as one frame of silence");
	put_k(&jb, base, 1);
	ok(jb.st.late == 1, "a packet behind the playout point is counted late");

	/* a large timestamp jump (new talkspurt, new source) resyncs */
	put_k(&jb, base + 1000000, 0);
	ok(jb.st.resyncs == 1, "a jump of 1e6 samples resyncs the buffer");
	for (int i = 0; i < 4; i++)
		jb_get(&jb, out, N);
	ok(frame_val(out) == -1 || frame_val(out) == val(0),
	   "and plays on without garbage");
	return tap_done();
}
