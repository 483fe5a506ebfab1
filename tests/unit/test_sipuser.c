/*
 * Numbers as SIP URI user parts (common/sipuser.c): RFC 3261 §25.1
 * escaping ('#' is %23, '*' stays), '+' for TON international (RFC 3966
 * §5.1.4), the text routes see, and overflow as an error, never a
 * truncated or unwritten buffer.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "common/sipuser.h"
#include "tests/tap.h"

static struct cc_party party(const char *num, int ton)
{
	struct cc_party p;

	memset(&p, 0, sizeof(p));
	strcpy(p.number, num);
	p.ton = (uint8_t)ton;
	return p;
}

struct esc_case {
	const char *in;
	const char *out;
};

static const struct esc_case esc_cases[] = {
	{ "1234", "1234" },
	{ "12#34", "12%2334" },
	{ "*21*1234#", "*21*1234%23" },
	{ "a b", "a%20b" },
	{ "1\r\nVia: x", "1%0D%0AVia%3A%20x" },
	{ "<@>%\":", "%3C%40%3E%25%22%3A" },
	{ "-_.!~*'()&=+$,;?/", "-_.!~*'()&=+$,;?/" },
	{ "\xff", "%FF" },
	{ "", "" },
};

static void test_escape(void)
{
	char buf[64];

	for (size_t i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]);
	     i++) {
		const struct esc_case *c = &esc_cases[i];

		ok(!sipuser_escape(buf, sizeof(buf), c->in) &&
		   !strcmp(buf, c->out), "escape %zu -> %s", i, c->out);
	}
	ok(sipuser_escape(buf, 5, "12#") == EOVERFLOW && !buf[0],
	   "an escape that does not fit: EOVERFLOW, buffer empty");
	ok(!sipuser_escape(buf, 6, "12#") && !strcmp(buf, "12%23"),
	   "  one more byte: it fits exactly");
	ok(sipuser_escape(NULL, 9, "1") == EINVAL &&
	   sipuser_escape(buf, 0, "1") == EINVAL &&
	   sipuser_escape(buf, 9, NULL) == EINVAL, "bad arguments");
}

static void test_write(void)
{
	char buf[SIPUSER_LEN];
	struct cc_party p;

	p = party("4930123", CC_TON_INTERNATIONAL);
	ok(!sipuser_write(buf, sizeof(buf), &p) && !strcmp(buf, "+4930123"),
	   "TON international: a global number, +4930123");
	p = party("1000#", CC_TON_UNKNOWN);
	ok(!sipuser_write(buf, sizeof(buf), &p) && !strcmp(buf, "1000%23"),
	   "TON unknown: a local number, '#' escaped");
	p = party("*31#", CC_TON_NATIONAL);
	ok(!sipuser_write(buf, sizeof(buf), &p) && !strcmp(buf, "*31%23"),
	   "TON national: no '+'; '*' stays, '#' is %%23");
	p = party("", CC_TON_INTERNATIONAL);
	ok(!sipuser_write(buf, sizeof(buf), &p) && !strcmp(buf, ""),
	   "an absent number: no '+' alone");

	p = party("", CC_TON_INTERNATIONAL);
	memset(p.number, '#', sizeof(p.number) - 1);
	ok(!sipuser_write(buf, sizeof(buf), &p) &&
	   strlen(buf) == SIPUSER_LEN - 1,
	   "SIPUSER_LEN holds the longest party (+ and %zu x %%23)",
	   sizeof(p.number) - 1);
	ok(sipuser_write(buf, 8, &p) == EOVERFLOW && !buf[0],
	   "too small a buffer: EOVERFLOW, buffer empty");
	memset(p.number, '1', sizeof(p.number));   /* no NUL */
	ok(sipuser_write(buf, sizeof(buf), &p) == EOVERFLOW && !buf[0],
	   "an unterminated number is refused, not read past");
	ok(sipuser_write(NULL, 9, &p) == EINVAL &&
	   sipuser_write(buf, 9, NULL) == EINVAL, "bad arguments");
}

static void test_text(void)
{
	char buf[CC_NUMLEN + 1];
	struct cc_party p;

	p = party("4930123#", CC_TON_INTERNATIONAL);
	ok(!sipuser_text(buf, sizeof(buf), &p) && !strcmp(buf, "+4930123#"),
	   "text: '+' and the number unescaped");
	ok(sipuser_text(buf, 9, &p) == EOVERFLOW && !buf[0],
	   "  one byte short: EOVERFLOW");

	ok(!sipuser_party(&p, "+4930123") && p.ton == CC_TON_INTERNATIONAL &&
	   p.npi == CC_NPI_E164 && !strcmp(p.number, "4930123"),
	   "party: '+' is TON international, NPI E.164");
	ok(!sipuser_party(&p, "030#1") && p.ton == CC_TON_UNKNOWN &&
	   p.npi == CC_NPI_UNKNOWN && !strcmp(p.number, "030#1"),
	   "party: no '+', TON unknown, the text as it is");
	ok(!sipuser_party(&p, "+1234567890123456789012345678901") &&
	   strlen(p.number) == CC_NUMLEN - 1, "party: %d digits after '+' fit",
	   CC_NUMLEN - 1);
	ok(sipuser_party(&p, "12345678901234567890123456789012") ==
	   EOVERFLOW && !p.number[0], "party: %d digits: EOVERFLOW, absent",
	   CC_NUMLEN);
	ok(sipuser_party(NULL, "1") == EINVAL &&
	   sipuser_party(&p, NULL) == EINVAL, "bad arguments");
}

int main(void)
{
	test_escape();
	test_write();
	test_text();

	return tap_done();
}
