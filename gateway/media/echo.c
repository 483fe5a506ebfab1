/*
 * NLMS line echo canceller with Geigel double-talk detection (echo.h).
 *
 * x: the far-end signal, what was sent to the line; y: what came back;
 * e = y - h.x is sent on.  Normalised LMS: h += mu e x / (|x|^2 + delta).
 * The history of x is a mirrored ring, so any window of it is contiguous
 * and h[j] pairs with the j-th oldest sample of the window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <re.h>
#include "gateway/media/echo.h"

enum {
	RING = 4096,              /* > ECHO_BULK + ECHO_MAXTAPS + a block */
	HANGOVER = 240,           /* samples frozen after double talk: 30 ms */
	POW_WINDOW = 8000,        /* power averaging: 1 s */
	TRACK_M = 480,            /* samples correlated: the bad blocks */
	GOOD_BLOCKS = 10,         /* blocks of high ERLE: converged */
	BAD_BLOCKS = 3,           /* blocks of low ERLE then: path moved */
};

static const float MU = 0.7f;          /* NLMS step, 0 < mu < 2 */
static const float GEIGEL = 0.6f;      /* near > 0.6 far peak: ERL >= 4.4 dB */
static const float QUIET = 16.0f;      /* far-end rms below: do not adapt */

struct echo {
	unsigned taps;
	float *h;                 /* taps coefficients */
	float *h_good;            /* h when the ERLE was last high */
	float x[2 * RING];        /* far-end history, mirrored */
	uint64_t tpos;            /* far-end samples so far */
	double xpow;              /* |x|^2 over the newest window */
	unsigned hold;            /* double-talk hangover left */
	float y[RING];            /* what came back, before cancelling */
	/* echo path tracking, per block */
	double blk_in, blk_out;
	bool blk_skip;            /* double talk or a quiet far end */
	unsigned good, bad;
	bool converged;
	struct echo_stats st;
};

static void destructor(void *data)
{
	struct echo *e = data;

	mem_deref(e->h);
	mem_deref(e->h_good);
}

int echo_alloc(struct echo **ep, unsigned taps)
{
	struct echo *e;

	if (!ep || taps < 32 || taps > ECHO_MAXTAPS)
		return EINVAL;
	taps = (taps + 7) & ~7u;    /* whole SIMD lanes (dot()) */
	e = mem_zalloc(sizeof(*e), destructor);
	if (!e)
		return ENOMEM;
	e->h = mem_zalloc(taps * sizeof(*e->h), NULL);
	e->h_good = mem_zalloc(taps * sizeof(*e->h), NULL);
	if (!e->h || !e->h_good) {
		mem_deref(e);
		return ENOMEM;
	}
	e->taps = taps;
	*ep = e;
	return 0;
}

static float hist(const struct echo *e, uint64_t k)
{
	return e->x[k & (RING - 1)];
}

/* The lag of a model's peak: h[j] pairs with x[newest - (taps-1-j)] */
static unsigned peak_lag(const float *h, unsigned taps)
{
	unsigned best = 0;

	for (unsigned j = 0; j < taps; j++) {
		if (fabsf(h[j]) > fabsf(h[best]))
			best = j;
	}
	return taps - 1 - best;
}

/* Where the modelled echo peaks, in samples after a sample was sent */
unsigned echo_path_delay(const struct echo *e)
{
	return e ? ECHO_BULK + peak_lag(e->h, e->taps) : 0;
}

void echo_tx(struct echo *e, const int16_t *tx, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		unsigned k = (unsigned)(e->tpos & (RING - 1));
		float v = tx[i];

		e->x[k] = e->x[k + RING] = v;
		e->tpos++;
	}
}

/* The peak |x| over every window a sample of this block sees */
static float far_peak(const struct echo *e, uint64_t newest, size_t n)
{
	float peak = 0;

	for (uint64_t k = newest + 1 - e->taps; k < newest + n; k++) {
		float a = fabsf(hist(e, k));

		if (a > peak)
			peak = a;
	}
	return peak;
}

static void window_pow(struct echo *e, uint64_t newest)
{
	double p = 0;

	for (unsigned j = 0; j < e->taps && j <= newest; j++) {
		float v = hist(e, newest - j);

		p += (double)v * v;
	}
	e->xpow = p;
}

/* h.x over the window: two 4-lane vectors (GCC/Clang vector extension) */
typedef float v4f __attribute__((vector_size(16)));

static float dot(const float *restrict h, const float *restrict x,
		 unsigned n)
{
	v4f a = {0, 0, 0, 0}, b = {0, 0, 0, 0}, hv, xv;

	for (unsigned j = 0; j + 8 <= n; j += 8) {
		memcpy(&hv, h + j, sizeof(hv));
		memcpy(&xv, x + j, sizeof(xv));
		a += hv * xv;
		memcpy(&hv, h + j + 4, sizeof(hv));
		memcpy(&xv, x + j + 4, sizeof(xv));
		b += hv * xv;
	}
	a += b;
	return (a[0] + a[1]) + (a[2] + a[3]);
}

static void update(float *restrict h, const float *restrict x, float g,
		   unsigned n)
{
	for (unsigned j = 0; j < n; j++)
		h[j] += g * x[j];
}

/* One sample: the window of x ending at newest, y in, e out */
static float cancel(struct echo *e, uint64_t newest, float y, bool adapt)
{
	const float *xw = &e->x[(newest + 1 - e->taps) & (RING - 1)];
	unsigned L = e->taps;
	float err = y - dot(e->h, xw, L);

	if (adapt)
		update(e->h, xw, MU * err / (float)(e->xpow + (double)L *
						      QUIET * QUIET), L);
	return err;
}

/*
 * The echo path moved (the driver sent idle while the gateway was late,
 * or dropped a block: every sample after comes back some samples later
 * or earlier).  The echo is where x and y correlate best; shift the
 * model there and let NLMS refine it, rather than learn it anew.
 */
static void realign(struct echo *e, uint64_t kend)
{
	unsigned L = e->taps, best = 0, lag_m;
	double cbest = -1;
	int d;

	for (unsigned lag = 0; lag < L; lag++) {
		double c = 0;

		for (unsigned i = 0; i < TRACK_M; i++) {
			uint64_t k = kend - i;

			c += (double)e->y[k & (RING - 1)] * hist(e, k - lag);
		}
		if (fabs(c) > cbest) {
			cbest = fabs(c);
			best = lag;
		}
	}
	/* the last good model, moved by the path's move */
	lag_m = peak_lag(e->h_good, L);
	d = (int)best - (int)lag_m;
	e->st.realigns++;
	if (!d)
		return;
	/* lag = L - 1 - j: the coefficient at j moves to j - d */
	memset(e->h, 0, L * sizeof(*e->h));
	if (d > 0)
		memcpy(e->h, e->h_good + d, (L - (unsigned)d) * sizeof(*e->h));
	else
		memcpy(e->h - d, e->h_good, (L + (unsigned)d) * sizeof(*e->h));
}

/* Per block: converged filters whose ERLE collapses get realigned */
static void track(struct echo *e, uint64_t kend)
{
	double erle;

	if (e->blk_skip || e->blk_in < ECHO_BULK * 100.0 * 100.0 ||
	    e->st.samples < TRACK_M) {
		e->blk_in = e->blk_out = 0;
		e->blk_skip = false;
		return;
	}
	erle = 10 * log10(e->blk_in / (e->blk_out + 1));
	e->blk_in = e->blk_out = 0;
	if (erle > 15) {
		e->bad = 0;
		if (++e->good >= GOOD_BLOCKS)
			e->converged = true;
		if (e->converged)
			memcpy(e->h_good, e->h, e->taps * sizeof(*e->h));
	}
	else if (erle < 6 && e->converged) {
		e->good = 0;
		if (++e->bad >= BAD_BLOCKS) {
			realign(e, kend);
			e->bad = 0;
			e->converged = false;
		}
	}
}

static void pow_update(double *p, float v)
{
	*p += ((double)v * v - *p) * (1.0 / POW_WINDOW);
}

void echo_rx(struct echo *e, int16_t *rx, size_t n)
{
	uint64_t newest;
	float peak;

	if (!e || !n)
		return;
	if (n > ECHO_BULK)
		n = ECHO_BULK;       /* a block hears only earlier blocks */
	/* sample i of this block hears x up to tpos - ECHO_BULK + i */
	if (e->tpos < ECHO_BULK + e->taps + n)
		return;              /* not enough history yet */
	newest = e->tpos - ECHO_BULK;
	peak = far_peak(e, newest, n);
	window_pow(e, newest);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = newest + i;
		float y = rx[i], out;
		bool quiet = e->xpow < (double)e->taps * QUIET * QUIET;

		if (fabsf(y) > GEIGEL * peak)
			e->hold = HANGOVER;     /* Geigel: near end talking */
		if (e->hold) {
			e->hold--;
			e->st.dtalk++;
		}
		e->y[k & (RING - 1)] = y;
		e->blk_skip |= e->hold || quiet;
		out = cancel(e, k, y, !e->hold && !quiet);
		e->blk_in += (double)y * y;
		e->blk_out += (double)out * out;
		rx[i] = (int16_t)(out > 32767 ? 32767 : out < -32768 ? -32768 :
				  lrintf(out));
		pow_update(&e->st.in_pow, y);
		pow_update(&e->st.out_pow, out);
		/* slide the window energy by one sample */
		float nx = hist(e, k + 1), ox = hist(e, k + 1 - e->taps);

		e->xpow += (double)nx * nx - (double)ox * ox;
		if (e->xpow < 0)
			e->xpow = 0;
	}
	e->st.samples += n;
	track(e, newest + n - 1);
}

double echo_erle(const struct echo *e)
{
	if (!e || e->st.out_pow <= 0 || e->st.in_pow <= 0)
		return 0;
	return 10 * log10(e->st.in_pow / e->st.out_pow);
}

const struct echo_stats *echo_stats(const struct echo *e)
{
	return e ? &e->st : NULL;
}
