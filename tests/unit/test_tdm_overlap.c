/*
 * Overlap digits of a TDM leg (tdm/overlap.c), without a line: the
 * called number grows with each digit; '#' ends it and is not part of
 * it; the span's number handler (the gateway's length rule) is asked
 * after every addition; only [0-9*#] of an INFORMATION count (CR, LF,
 * letters are dropped); the number never outgrows CC_NUMLEN; digits to
 * send wait for SETUP ACKNOWLEDGE and are dropped after CALL PROCEEDING.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "tdm/tdm_int.h"
#include "tests/tap.h"

static unsigned asked;
static size_t complete_at;

static bool number_h(const struct cc_party *called, void *arg)
{
	(void)arg;
	asked++;
	return complete_at && strlen(called->number) >= complete_at;
}

static void reset(struct tdm_span *span, struct tdm_leg *leg)
{
	memset(span, 0, sizeof(*span));
	memset(leg, 0, sizeof(*leg));
	leg->span = span;
	span->numh = number_h;
	asked = 0;
	complete_at = 0;
}

static void test_receive(void)
{
	struct tdm_span span;
	struct tdm_leg leg;
	char many[3 * CC_NUMLEN];

	reset(&span, &leg);
	ok(!tdm_ovl_add(&leg, "12") && !tdm_ovl_add(&leg, "3") &&
	   !strcmp(leg.setup.called.number, "123") && asked == 2,
	   "digits add up; the length rule is asked each time");
	ok(tdm_ovl_add(&leg, "4#5") && !strcmp(leg.setup.called.number,
					       "1234"),
	   "'#' ends the number and is not part of it; nothing after it");

	reset(&span, &leg);
	complete_at = 4;
	ok(!tdm_ovl_add(&leg, "123"), "the length rule: 3 of 4");
	ok(tdm_ovl_add(&leg, "4"), "  4 of 4: complete");

	reset(&span, &leg);
	span.numh = NULL;
	ok(!tdm_ovl_add(&leg, "99") && tdm_ovl_add(&leg, "#") &&
	   !strcmp(leg.setup.called.number, "99"),
	   "no number handler: only '#' (or the caller) ends it");

	/* only [0-9*#] of an INFORMATION, as of a SETUP */
	reset(&span, &leg);
	ok(!tdm_ovl_add(&leg, "12\r\nVia: x") && !tdm_ovl_add(&leg, "*a3\n") &&
	   !strcmp(leg.setup.called.number, "12*3"),
	   "CR, LF, letters, blanks and ':' are dropped; digits and '*' "
	   "kept (got \"%s\")", leg.setup.called.number);
	ok(!tdm_ovl_add(&leg, "\x80\xff\t+") &&
	   !strcmp(leg.setup.called.number, "12*3"),
	   "  so are 8-bit bytes, tab and '+'");
	ok(tdm_ovl_add(&leg, "\r#") && !strcmp(leg.setup.called.number,
						  "12*3"),
	   "  '#' after dropped bytes still ends the number");
	ok(asked == 3, "  the length rule is asked once per INFORMATION "
	   "(%u)", asked);

	reset(&span, &leg);
	memset(many, '7', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	(void)tdm_ovl_add(&leg, many);
	(void)tdm_ovl_add(&leg, many);
	ok(strlen(leg.setup.called.number) == CC_NUMLEN - 1,
	   "the number stops at %d digits", CC_NUMLEN - 1);
}

static void test_send(void)
{
	struct tdm_span span;
	struct tdm_leg leg;

	reset(&span, &leg);
	ok(!tdm_ovl_queue(&leg, "77") && !tdm_ovl_queue(&leg, "7") &&
	   !strcmp(leg.ovl_digits, "777"),
	   "before SETUP ACKNOWLEDGE the digits wait");
	leg.proceeding = true;
	ok(!tdm_ovl_queue(&leg, "8") && !strcmp(leg.ovl_digits, "777"),
	   "after CALL PROCEEDING no more digits are taken");
}

int main(void)
{
	test_receive();
	test_send();
	return tap_done();
}
