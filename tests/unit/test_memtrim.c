/*
 * Memory back to the kernel (common/memtrim.c): the rule that leaves a
 * steady load alone, and RSS falling once most of a large heap of small
 * blocks (as a peak of SIP transactions leaves) is freed, in the main
 * arena and in a thread's, and again when the rest is freed after a
 * trim; once idle, again when a little more was freed.  Built without
 * sanitizers: glibc's malloc.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/memtrim.h"
#include "tests/tap.h"

enum {
	MB = 1024 * 1024,
	BLOCK = 320,                  /* a small allocation, as libre's */
	BLOCKS = 48 * MB / BLOCK,     /* 48 MB of them */
	KEEP_EVERY = 128,             /* one block in 128 stays live */
};

static void test_rule(void)
{
	tap_ok(!memtrim_due(10 * MB, 5 * MB),
	       "a steady load (less free than in use) is left alone");
	tap_ok(!memtrim_due(MB, 3 * MB), "3 MB free is not worth a trim");
	tap_ok(memtrim_due(2 * MB, 40 * MB), "40 MB free, 2 MB in use: trim");
	tap_ok(memtrim_due(20 * MB, 25 * MB), "25 MB free, 20 MB in use: trim");
	tap_ok(!memtrim_due(20 * MB, 20 * MB), "as much free as in use: not");
}

/* n small blocks, written; all but one in keep_every freed again (1:
 * none), the last one kept so that no free tail is given back on its
 * own */
static void **blocks_alloc(size_t n, size_t keep_every)
{
	void **v = calloc(n, sizeof(*v));

	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		v[i] = malloc(BLOCK);
		if (v[i])
			memset(v[i], 0x5a, BLOCK);
	}
	for (size_t i = 0; i < n - 1; i++) {
		if (i % keep_every) {
			free(v[i]);
			v[i] = NULL;
		}
	}
	return v;
}

static void **peak_then_fall(void)
{
	return blocks_alloc(BLOCKS, KEEP_EVERY);
}

static void blocks_free(void **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void release(void **v)
{
	blocks_free(v, BLOCKS);
}

static void test_trim(const char *where)
{
	void **v = peak_then_fall();
	size_t before, after;

	before = memtrim_rss();
	tap_ok(v != NULL, "%s: 48 MB allocated and mostly freed", where);
	tap_ok(memtrim_check(false), "%s: the check trims", where);
	after = memtrim_rss();
	tap_diag("%s: RSS %zu kB before the trim, %zu kB after", where,
		 before / 1024, after / 1024);
	tap_ok(before > after + 32 * MB, "%s: RSS fell by over 32 MB",
	       where);
	tap_ok(!memtrim_check(false), "%s: no second trim before more is freed",
	       where);
	release(v);
}

/* a trim at a peak with rest_mb still in use, then that load ends too:
 * RSS has not grown since, and its memory must go back as well.  16 MB:
 * more than MEMTRIM_MIN freed since the trim; 3 MB: less, but the
 * memory in use has fallen to under half */
static void test_drain(const char *what, size_t rest_mb, size_t fall_mb)
{
	size_t rest_n = rest_mb * MB / BLOCK;
	void **peak = peak_then_fall();
	void **rest = blocks_alloc(rest_n, 1);
	size_t before, after;

	tap_ok(peak && rest && memtrim_check(false), "%s: the peak's freed "
	       "memory trimmed, %zu MB still in use", what, rest_mb);
	blocks_free(rest, rest_n);
	before = memtrim_rss();
	tap_ok(memtrim_check(false), "%s: those %zu MB freed, RSS not grown: "
	       "trimmed again", what, rest_mb);
	after = memtrim_rss();
	tap_ok(before > after + fall_mb * MB, "%s: RSS fell again (%zu -> "
	       "%zu kB)", what, before / 1024, after / 1024);
	release(peak);
}

/* a drain's last blocks, each made at its own time during the load and
 * so on a page of its own: freed after the last trim, too few for the
 * rules under load, they go back once the gateway is idle */
static void test_idle(void)
{
	enum { SPREAD = 4096 / BLOCK + 1, N = MEMTRIM_IDLE / BLOCK * 2 };
	void **peak = blocks_alloc(BLOCKS, 1);
	void **late = calloc(N, sizeof(*late));
	size_t before, after, n = 0;

	/* one block in SPREAD kept: one a page, each page otherwise free */
	for (size_t i = 0; peak && late && i < BLOCKS - 1; i++) {
		if (i % SPREAD == 0 && n < N)
			late[n++] = peak[i];
		else
			free(peak[i]);
		peak[i] = NULL;
	}
	tap_ok(peak && late && n == N && memtrim_check(false),
	       "idle: the peak trimmed, %zu blocks on pages of their own "
	       "still in use", n);
	blocks_free(late, N);
	tap_ok(!memtrim_check(false), "idle: %zu kB more freed: no trim "
	       "under load", (size_t)N * BLOCK / 1024);
	before = memtrim_rss();
	tap_ok(memtrim_check(true), "idle: trimmed once idle");
	after = memtrim_rss();
	tap_ok(before > after + N * 4096 / 2, "idle: RSS fell (%zu -> %zu "
	       "kB)", before / 1024, after / 1024);
	tap_ok(!memtrim_check(true), "idle: not again with nothing freed");
	blocks_free(peak, BLOCKS);
}

static void *thread_main(void *arg)
{
	(void)arg;
	test_trim("a thread's arena");
	return NULL;
}

static void test_steady(void)
{
	enum { N = 16 * MB / BLOCK };
	void **v = calloc(N, sizeof(*v));

	for (size_t i = 0; v && i < N; i++)
		v[i] = malloc(BLOCK);
	/* a quarter freed: less free than in use */
	for (size_t i = 0; v && i < N; i += 4) {
		free(v[i]);
		v[i] = NULL;
	}
	tap_ok(v && !memtrim_check(false), "a quarter of 16 MB freed: no trim");
	for (size_t i = 0; v && i < N; i++)
		free(v[i]);
	free(v);
}

int main(void)
{
	pthread_t th;

	test_rule();
	test_steady();
	test_trim("the main arena");
	test_drain("drain", 16, 8);
	test_drain("drain's tail", 3, 2);
	test_idle();
	if (pthread_create(&th, NULL, thread_main, NULL) == 0)
		pthread_join(th, NULL);
	else
		tap_ok(0, "a thread");
	return tap_done();
}
