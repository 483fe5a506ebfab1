/*
 * Log lines and what peers put in them (common/log.c): log_text() writes
 * every control character as %HH, so a CR/LF in a percent-decoded SIP
 * user or a Q.931 number cannot forge a line; log_number() hides a
 * private number's digits but the last two below debug level
 * (sipri.conf(5), LOGGING).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "common/log.h"
#include "tests/tap.h"

struct text_case {
	const char *in;
	size_t len;
	const char *out;
};

static void test_text(void)
{
	static const struct text_case cases[] = {
		{ "1234", LOG_NUL, "1234" },
		{ "100\r\nfoo", LOG_NUL, "100%0D%0Afoo" },
		{ "a\x1b[31mred", LOG_NUL, "a%1B[31mred" },
		{ "del\x7f", LOG_NUL, "del%7F" },
		{ "nul\0after", 9, "nul%00after" },
		{ "tab\there", LOG_NUL, "tab%09here" },
		{ "Jos\xc3\xa9 100%", LOG_NUL, "Jos\xc3\xa9 100%" },
		{ "", LOG_NUL, "" },
	};
	char buf[LOG_TEXT_LEN(16)];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct text_case *c = &cases[i];

		ok(!strcmp(log_text(buf, sizeof(buf), c->in, c->len), c->out),
		   "log_text: case %zu is '%s'", i, buf);
		ok(!strpbrk(buf, "\r\n"), "log_text: case %zu: no CR, LF", i);
	}
	/* cut to fit, never in the middle of an escape */
	ok(!strcmp(log_text(buf, 6, "12\r\n34", LOG_NUL), "12%0D"),
	   "log_text: cut at an escape: '%s'", buf);
	ok(!strcmp(log_text(buf, sizeof(buf), NULL, LOG_NUL), ""),
	   "log_text: NULL is empty");
}

struct num_case {
	const char *in;
	bool priv;
	const char *info;    /* at the default level, info */
	const char *debug;   /* at debug level */
};

static void test_number(void)
{
	static const struct num_case cases[] = {
		{ "+495551234", true, "+xxxxxxx34", "+495551234" },
		{ "5551234", true, "xxxxx34", "5551234" },
		{ "5551234", false, "5551234", "5551234" },
		{ "123", true, "x23", "123" },
		{ "12", true, "xx", "12" },
		{ "", true, "", "" },
		{ "12\r\n34", true, "xxxxxxxx34", "12%0D%0A34" },
		{ "12\r\n34", false, "12%0D%0A34", "12%0D%0A34" },
	};
	char buf[LOG_TEXT_LEN(32)];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct num_case *c = &cases[i];

		log_set_level(LOG_LVL_INFO);
		ok(!strcmp(log_number(buf, sizeof(buf), c->in, c->priv),
			   c->info), "log_number: case %zu at info: '%s'",
		   i, buf);
		log_set_level(LOG_LVL_DEBUG);
		ok(!strcmp(log_number(buf, sizeof(buf), c->in, c->priv),
			   c->debug), "log_number: case %zu at debug: '%s'",
		   i, buf);
	}
	log_set_level(LOG_LVL_WARN);
	ok(!strcmp(log_number(buf, sizeof(buf), "5551234", true), "xxxxx34"),
	   "log_number: hidden at warn too");
}

int main(void)
{
	test_text();
	test_number();
	return tap_done();
}
