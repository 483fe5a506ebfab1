/*
 * What the micro-benchmarks share: the process's CPU clock and the
 * median of a run's figures.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_BENCH_H
#define SIPRI_BENCH_H

#include <stdlib.h>
#include <time.h>

/* CPU seconds this process has used */
static inline double bench_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* sorts v; its median (the upper one for an even n) */
static inline double bench_median(double *v, size_t n)
{
	qsort(v, n, sizeof(v[0]), bench_cmp);
	return v[n / 2];
}

#endif
