/*
 * impair: jitter, reordering and loss for test captures (impair.h).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "tests/tools/impair.h"

static const double *cmp_ms;

static int by_send(const void *a, const void *b)
{
	double x = cmp_ms[*(const size_t *)a], y = cmp_ms[*(const size_t *)b];

	return (x > y) - (x < y);
}

int impair_opt(struct impair *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	double v;

	if (!eq)
		return -1;
	v = atof(eq + 1);
	if (!strncmp(arg, "jitter=", 7))
		o->jitter = v;
	else if (!strncmp(arg, "reorder=", 8))
		o->reorder = v;
	else if (!strncmp(arg, "loss=", 5))
		o->loss = v;
	else if (!strncmp(arg, "seed=", 5))
		o->seed = (unsigned)v;
	else
		return -1;
	return 0;
}

double impair_urand(void)
{
	return (double)rand() / ((double)RAND_MAX + 1);
}

size_t impair_apply(const struct impair *o, double *send_ms, size_t n,
		    size_t *order)
{
	size_t kept = 0;

	for (size_t k = 0; k < n; k++) {
		if (k && impair_urand() * 100 < o->loss)
			continue;
		send_ms[k] += o->jitter * (impair_urand() * 2 - 1);
		if (send_ms[k] < 0)
			send_ms[k] = 0;
		order[kept++] = k;
	}
	cmp_ms = send_ms;
	qsort(order, kept, sizeof(*order), by_send);
	/* swap neighbours: the later packet leaves first, at the earlier
	 * one's time */
	for (size_t k = 1; k + 1 < kept; k++) {
		if (impair_urand() * 100 < o->reorder) {
			size_t a = order[k], b = order[k + 1];
			double t = send_ms[a];

			send_ms[a] = send_ms[b];
			send_ms[b] = t;
			order[k] = b;
			order[k + 1] = a;
			k++;
		}
	}
	return kept;
}
