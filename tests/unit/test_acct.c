/*
 * gateway/acct.c: a call's record as JSON and CSV, exactly; the
 * post-dial delay, the answer and who cleared, from the messages.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <re.h>
#include "gateway/acct.h"
#include "tests/tap.h"

static void test_events(void)
{
	struct cc_msg m;
	struct acct a;

	acct_start(&a, 7, ACCT_SIP_TO_PRI);
	cc_msg_init(&m, CC_ALERTING);
	acct_msg(&a, ACCT_BY_SIP, true, &m);
	ok(!a.ring, "ALERTING sent to the caller's side: no ring yet");
	acct_msg(&a, ACCT_BY_PRI, false, &m);
	ok(a.ring >= a.start && !a.answer, "ALERTING from the PRI: it rings");
	cc_msg_init(&m, CC_CONNECT);
	acct_msg(&a, ACCT_BY_PRI, false, &m);
	ok(a.answer >= a.ring, "CONNECT from the PRI: answered");
	cc_msg_init(&m, CC_DISCONNECT);
	m.cause = 31;
	m.location = 2;
	acct_msg(&a, ACCT_BY_PRI, true, &m);
	m.cause = 16;
	acct_msg(&a, ACCT_BY_SIP, false, &m);
	ok(a.released_by == ACCT_BY_GATEWAY && a.cause == 31,
	   "a DISCONNECT sent before any came: sipri cleared, with its cause");
	acct_end(&a);
	ok(a.closed && a.end >= a.answer, "closed");
}

static void test_format(void)
{
	struct acct a;
	char *s = NULL;

	memset(&a, 0, sizeof(a));
	a.call_id = 3;
	a.dir = ACCT_PRI_TO_SIP;
	strcpy(a.calling_raw, "5551234");
	strcpy(a.called_raw, "4930");
	a.start = 1796337199494;   /* 2026-12-03T22:33:19.494Z */
	a.end = a.start + 6;
	a.cause = 3;
	a.location = 1;
	a.released_by = ACCT_BY_GATEWAY;
	a.span = 2;
	strcpy(a.sip_call_id, "a\"b\\c,d\ne");
	re_sdprintf(&s, "%H", acct_json, &a);
	ok(s && !strcmp(s, "{\"call_id\":3,\"direction\":\"pri_to_sip\","
	   "\"calling\":null,\"called\":null,\"calling_raw\":\"5551234\","
	   "\"called_raw\":\"4930\",\"start\":\"2026-12-03T22:33:19.494Z\","
	   "\"answer\":null,\"end\":\"2026-12-03T22:33:19.500Z\","
	   "\"duration_ms\":0,\"pdd_ms\":null,\"q850_cause\":3,"
	   "\"q850_location\":1,\"sip_status\":null,"
	   "\"reason\":\"no route to destination\","
	   "\"released_by\":\"gateway\",\"span\":2,\"channel\":null,"
	   "\"trunk\":null,\"sip_call_id\":\"a\\\"b\\\\c,d\\u000ae\","
	   "\"codec\":null,\"rtp_rx_packets\":0,\"rtp_lost\":0,"
	   "\"jitter_ms\":0.0}"),
	   "JSON: every field, nulls, RFC 3339 times, escapes (%s)", s);
	s = mem_deref(s);
	re_sdprintf(&s, "%H", acct_csv, &a);
	ok(s && !strcmp(s, "3,pri_to_sip,,,5551234,4930,"
	   "2026-12-03T22:33:19.494Z,,2026-12-03T22:33:19.500Z,0,,3,1,,"
	   "no route to destination,gateway,2,,,\"a\"\"b\\c,d\ne\",,0,0,0.0"),
	   "CSV: the same fields, empty for null, RFC 4180 quoting (%s)", s);
	mem_deref(s);
}

int main(void)
{
	test_events();
	test_format();
	return tap_done();
}
