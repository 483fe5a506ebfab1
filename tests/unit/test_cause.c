/*
 * Cause mapping: every row of RFC 3398 §7.2.4.1 and §8.2.6.1 (written
 * out again here, independently of gateway/route/cause_table.c), the cause 21
 * location rule, the fallbacks and per-trunk overrides.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <re.h>
#include "common/cc.h"
#include "gateway/route/cause.h"
#include "tests/tap.h"

/* RFC 3398 §7.2.4.1, plus 16 -> 487 (cause 16 before answer: cancelled) */
static const int c2s_rfc[][2] = {
	{ 1, 404 }, { 2, 404 }, { 3, 404 }, { 16, 487 }, { 17, 486 },
	{ 18, 408 }, { 19, 480 }, { 20, 480 }, { 21, 403 }, { 22, 410 },
	{ 23, 410 }, { 26, 404 }, { 27, 502 }, { 28, 484 }, { 29, 501 },
	{ 31, 480 }, { 34, 503 }, { 38, 503 }, { 41, 503 }, { 42, 503 },
	{ 47, 503 }, { 55, 403 }, { 57, 403 }, { 58, 503 }, { 65, 488 },
	{ 70, 488 }, { 79, 501 }, { 87, 403 }, { 88, 503 }, { 102, 504 },
	{ 111, 500 }, { 127, 500 },
};

/* RFC 3398 §8.2.6.1, plus 487 -> 16 (after our CANCEL) and
 * 488/606 -> 65 (no Warning header to derive a cause from) */
static const int s2c_rfc[][2] = {
	{ 400, 41 }, { 401, 21 }, { 402, 21 }, { 403, 21 }, { 404, 1 },
	{ 405, 63 }, { 406, 79 }, { 407, 21 }, { 408, 102 }, { 410, 22 },
	{ 413, 127 }, { 414, 127 }, { 415, 79 }, { 416, 127 }, { 420, 127 },
	{ 421, 127 }, { 423, 127 }, { 480, 18 }, { 481, 41 }, { 482, 25 },
	{ 483, 25 }, { 484, 28 }, { 485, 1 }, { 486, 17 }, { 487, 16 },
	{ 488, 65 }, { 500, 41 }, { 501, 79 }, { 502, 38 }, { 503, 41 },
	{ 504, 102 }, { 505, 127 }, { 513, 127 }, { 600, 17 }, { 603, 21 },
	{ 604, 1 }, { 606, 65 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_defaults(void)
{
	size_t n;

	cause_table_c2s(&n);
	ok(n == N(c2s_rfc), "cause->status table has the %zu RFC rows (%zu)",
	   N(c2s_rfc), n);
	for (size_t i = 0; i < N(c2s_rfc); i++) {
		int st = cause_to_status(NULL, c2s_rfc[i][0], CC_LOC_PUB_LOCAL);

		ok(st == c2s_rfc[i][1], "cause %d -> %d (got %d)",
		   c2s_rfc[i][0], c2s_rfc[i][1], st);
	}

	cause_table_s2c(&n);
	ok(n == N(s2c_rfc), "status->cause table has the %zu RFC rows (%zu)",
	   N(s2c_rfc), n);
	for (size_t i = 0; i < N(s2c_rfc); i++) {
		int c = cause_from_status(NULL, s2c_rfc[i][0]);

		ok(c == s2c_rfc[i][1], "status %d -> cause %d (got %d)",
		   s2c_rfc[i][0], s2c_rfc[i][1], c);
	}
}

/* RFC 3398 §7.2.4.1 note (+): 603 only when the location is "user" */
static void test_location(void)
{
	static const int locs[] = {
		CC_LOC_PRIV_LOCAL, CC_LOC_PUB_LOCAL, CC_LOC_TRANSIT,
		CC_LOC_PUB_REMOTE, CC_LOC_PRIV_REMOTE, CC_LOC_INTERNATIONAL,
		CC_LOC_BEYOND,
	};

	ok(cause_to_status(NULL, 21, CC_LOC_USER) == 603,
	   "cause 21, location user -> 603");
	for (size_t i = 0; i < N(locs); i++)
		ok(cause_to_status(NULL, 21, locs[i]) == 403,
		   "cause 21, location %d -> 403", locs[i]);
	ok(cause_to_status(NULL, 17, CC_LOC_USER) == 486,
	   "location does not change other causes");
	ok(cause_from_status(NULL, 603) == 21, "603 -> 21");
}

static void test_fallbacks(void)
{
	/* Q.850 §2.2.7.1: unknown cause -> its class's unspecified cause */
	ok(cause_to_status(NULL, 30, 0) == 480, "cause 30 -> as 31 -> 480");
	ok(cause_to_status(NULL, 44, 0) == 503, "cause 44 -> as 47 -> 503");
	ok(cause_to_status(NULL, 69, 0) == 501, "cause 69 -> as 79 -> 501");
	ok(cause_to_status(NULL, 100, 0) == 500, "cause 100 -> as 111");
	ok(cause_to_status(NULL, 50, 0) == 500,
	   "cause 50 -> class 63 has no row -> 500");
	ok(cause_to_status(NULL, 0, 0) == 500, "cause 0 -> 500");
	ok(cause_to_status(NULL, 300, 0) == 500, "cause 300 -> 500");
	ok(cause_to_status(NULL, -1, 0) == 500, "cause -1 -> 500");

	/* RFC 3261 §8.1.3.2: unknown status -> x00 of its class */
	ok(cause_from_status(NULL, 499) == 41, "499 -> as 400 -> 41");
	ok(cause_from_status(NULL, 599) == 41, "599 -> as 500 -> 41");
	ok(cause_from_status(NULL, 699) == 17, "699 -> as 600 -> 17");
	ok(cause_from_status(NULL, 302) == 127, "302 -> 127");
	ok(cause_from_status(NULL, 200) == 0, "200 -> no cause");
	ok(cause_from_status(NULL, 180) == 0, "180 -> no cause");
	ok(cause_from_status(NULL, 700) == 127, "700 -> 127");
}

static void test_overrides(void)
{
	struct cause_map *m = NULL;

	ok(!cause_map_alloc(&m) && m, "alloc a map");
	if (!m)
		return;

	ok(cause_to_status(m, 17, 0) == 486 && cause_from_status(m, 503) == 41,
	   "an empty map gives the defaults");

	ok(!cause_map_set_c2s(m, 17, 600), "override cause 17 -> 600");
	ok(!cause_map_set_c2s(m, 21, 404), "override cause 21 -> 404");
	ok(!cause_map_set_s2c(m, 503, 34), "override 503 -> 34");
	ok(!cause_map_set_s2c(m, 302, 23), "override 302 -> 23");

	ok(cause_to_status(m, 17, 0) == 600, "cause 17 -> 600 (override)");
	ok(cause_to_status(m, 21, CC_LOC_USER) == 404,
	   "override wins over the location rule");
	ok(cause_to_status(m, 1, 0) == 404, "others keep the default");
	ok(cause_from_status(m, 503) == 34, "503 -> 34 (override)");
	ok(cause_from_status(m, 302) == 23, "302 -> 23 (override)");
	ok(cause_from_status(m, 486) == 17, "486 keeps the default");
	ok(cause_to_status(NULL, 17, 0) == 486 &&
	   cause_from_status(NULL, 503) == 41,
	   "overrides do not leak into the defaults");

	ok(cause_map_set_c2s(m, 0, 486) == EINVAL, "cause 0 refused");
	ok(cause_map_set_c2s(m, 128, 486) == EINVAL, "cause 128 refused");
	ok(cause_map_set_c2s(m, 17, 200) == EINVAL, "status 200 refused");
	ok(cause_map_set_c2s(m, 17, 700) == EINVAL, "status 700 refused");
	ok(cause_map_set_s2c(m, 299, 17) == EINVAL, "status 299 refused");
	ok(cause_map_set_s2c(m, 486, 0) == EINVAL, "cause 0 refused");
	ok(cause_map_set_c2s(NULL, 17, 486) == EINVAL, "NULL map refused");
	ok(cause_map_alloc(NULL) == EINVAL, "NULL alloc refused");

	mem_deref(m);
}

static void test_names(void)
{
	ok(!strcmp(cause_name(16), "normal call clearing"), "name of 16");
	ok(!strcmp(cause_name(34), "no circuit/channel available"),
	   "name of 34");
	ok(!strcmp(cause_name(4), "unknown cause"), "name of 4");
	ok(!strcmp(cause_name(-3), "unknown cause") &&
	   !strcmp(cause_name(128), "unknown cause"), "out of range names");
	for (size_t i = 0; i < N(c2s_rfc); i++)
		ok(strcmp(cause_name(c2s_rfc[i][0]), "unknown cause"),
		   "cause %d has a name", c2s_rfc[i][0]);
}

int main(void)
{
	struct memstat st;

	test_defaults();
	test_location();
	test_fallbacks();
	test_overrides();
	test_names();

	if (!mem_get_stat(&st))
		ok(st.blocks_cur == 0, "no libre blocks left");
	else
		tap_diag("libre has no MEM_DEBUG: LeakSanitizer checks leaks");

	return tap_done();
}
