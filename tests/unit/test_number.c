/*
 * Number mapping PRI <-> SIP (Q.931 §4.5.10 TON/NPI, RFC 3966 numbers).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "common/sipuser.h"
#include "gateway/route/number.h"
#include "tests/tap.h"

static void num_de(struct numbering *n)
{
	numbering_init(n);
	strcpy(n->cc, "49");
	strcpy(n->area, "30");
}

static struct cc_party party(const char *num, int ton)
{
	struct cc_party p;

	memset(&p, 0, sizeof(p));
	strcpy(p.number, num);
	p.ton = (uint8_t)ton;
	p.npi = CC_NPI_E164;
	return p;
}

/* PRI party -> SIP form -> the text routes see ("+4930123") */
static int to_user(const struct numbering *n, const struct cc_party *p,
		   char *user, size_t size)
{
	struct cc_party sip;
	int err;

	user[0] = '\0';
	err = number_to_sip(n, p, &sip);
	return err ? err : sipuser_text(user, size, &sip);
}

/* a Request-URI user's text -> SIP form -> PRI party */
static int from_user(const struct numbering *n, const char *user,
		     struct cc_party *p)
{
	struct cc_party sip;
	int err;

	err = sipuser_party(&sip, user);
	if (err)
		memset(p, 0, sizeof(*p));
	return err ? err : number_from_sip(n, &sip, p);
}

struct to_case {
	int fmt;
	const char *num;
	int ton;
	const char *user;
};

static const struct to_case to_cases[] = {
	{ NUMBER_SIP_E164, "4930123", CC_TON_INTERNATIONAL, "+4930123" },
	{ NUMBER_SIP_E164, "30123", CC_TON_NATIONAL, "+4930123" },
	{ NUMBER_SIP_E164, "123", CC_TON_SUBSCRIBER, "+4930123" },
	{ NUMBER_SIP_E164, "030123", CC_TON_UNKNOWN, "+4930123" },
	{ NUMBER_SIP_E164, "0033123", CC_TON_UNKNOWN, "+33123" },
	{ NUMBER_SIP_E164, "1000", CC_TON_UNKNOWN, "1000" },
	{ NUMBER_SIP_E164, "1000", CC_TON_NETWORK, "1000" },
	{ NUMBER_SIP_E164, "12", CC_TON_ABBREVIATED, "12" },
	{ NUMBER_SIP_E164, "", CC_TON_INTERNATIONAL, "" },
	{ NUMBER_SIP_NATIONAL, "4930123", CC_TON_INTERNATIONAL, "030123" },
	{ NUMBER_SIP_NATIONAL, "33123", CC_TON_INTERNATIONAL, "0033123" },
	{ NUMBER_SIP_NATIONAL, "30123", CC_TON_NATIONAL, "030123" },
	{ NUMBER_SIP_NATIONAL, "123", CC_TON_SUBSCRIBER, "123" },
	{ NUMBER_SIP_NATIONAL, "030123", CC_TON_UNKNOWN, "030123" },
	{ NUMBER_SIP_RAW, "30123", CC_TON_NATIONAL, "30123" },
	{ NUMBER_SIP_RAW, "4930123", CC_TON_INTERNATIONAL, "4930123" },
};

static void test_to_sip(void)
{
	struct numbering n;
	char user[64];

	for (size_t i = 0; i < sizeof(to_cases) / sizeof(to_cases[0]); i++) {
		const struct to_case *c = &to_cases[i];
		struct cc_party p = party(c->num, c->ton);
		int err;

		num_de(&n);
		n.sipfmt = c->fmt;
		err = to_user(&n, &p, user, sizeof(user));
		ok(!err && !strcmp(user, c->user), "%s: %s TON %d -> \"%s\" "
		   "(got \"%s\")", number_sipfmt_name(c->fmt), c->num, c->ton,
		   c->user, user);
	}
}

static void test_to_sip_nocc(void)
{
	struct numbering n;
	struct cc_party p;
	char user[CC_NUMLEN + 1];

	numbering_init(&n);   /* no country code, no area code */
	p = party("30123", CC_TON_NATIONAL);
	ok(!to_user(&n, &p, user, sizeof(user)) &&
	   !strcmp(user, "030123"), "no cc: national keeps its prefix");
	p = party("123", CC_TON_SUBSCRIBER);
	ok(!to_user(&n, &p, user, sizeof(user)) &&
	   !strcmp(user, "123"), "no area: subscriber unchanged");
	p = party("4930123", CC_TON_INTERNATIONAL);
	ok(!to_user(&n, &p, user, sizeof(user)) &&
	   !strcmp(user, "+4930123"), "no cc: international still +");

	ok(number_to_sip(NULL, &p, &p) == EINVAL &&
	   number_to_sip(&n, NULL, &p) == EINVAL &&
	   number_to_sip(&n, &p, NULL) == EINVAL &&
	   number_to_sip(&n, &p, &p) == EINVAL, "bad arguments");
}

/* 31 digits, the most a party holds (CC_NUMLEN - 1) */
static const char digits31[] = "1234567890123456789012345678901";

/* a number that outgrows the party with its prefixes is an
 * error (the caller refuses the call, cause 28), never a buffer left
 * unwritten */
static void test_to_sip_overflow(void)
{
	struct numbering n;
	struct cc_party p, sip;
	char digits30[sizeof(digits31) - 1];

	num_de(&n);
	p = party(digits31, CC_TON_NATIONAL);
	memset(&sip, 0xa5, sizeof(sip));
	ok(number_to_sip(&n, &p, &sip) == EOVERFLOW && !sip.number[0] &&
	   sip.ton == CC_TON_UNKNOWN, "31-digit national + country code: "
	   "EOVERFLOW, the SIP form absent (not garbage)");
	memcpy(digits30, digits31, sizeof(digits30) - 1);
	digits30[sizeof(digits30) - 1] = '\0';
	p = party(digits30, CC_TON_NATIONAL);
	ok(number_to_sip(&n, &p, &sip) == EOVERFLOW,
	   "30-digit national + 49: EOVERFLOW");
	p = party(digits31 + 2, CC_TON_NATIONAL);
	ok(!number_to_sip(&n, &p, &sip) && strlen(sip.number) == 31 &&
	   sip.ton == CC_TON_INTERNATIONAL, "29-digit national + 49: 31 "
	   "digits, a global number");
	p = party(digits31 + 1, CC_TON_SUBSCRIBER);
	ok(number_to_sip(&n, &p, &sip) == EOVERFLOW,
	   "30-digit subscriber + 49 30: EOVERFLOW");
	p = party(digits31, CC_TON_INTERNATIONAL);
	ok(!number_to_sip(&n, &p, &sip) && !strcmp(sip.number, digits31),
	   "31-digit international: fits as it is");
	n.sipfmt = NUMBER_SIP_NATIONAL;
	ok(number_to_sip(&n, &p, &sip) == EOVERFLOW,
	   "national format: 00 + 31 digits: EOVERFLOW");
	p = party(digits31, CC_TON_UNKNOWN);
	n.sipfmt = NUMBER_SIP_E164;
	ok(!number_to_sip(&n, &p, &sip) && !strcmp(sip.number, digits31),
	   "31-digit TON unknown, no prefix: passed through");
	p = party("30123", CC_TON_NATIONAL);
	p.pres = CC_PRES_RESTRICTED;
	p.screen = 3;
	ok(!number_to_sip(&n, &p, &sip) && sip.pres == CC_PRES_RESTRICTED &&
	   sip.screen == 3, "presentation and screening carried over");
}

struct from_case {
	int fmt;
	const char *user;
	const char *num;
	int ton;
	int npi;
};

static const struct from_case from_cases[] = {
	{ NUMBER_PRI_TON, "+4930123", "30123", CC_TON_NATIONAL, CC_NPI_E164 },
	{ NUMBER_PRI_TON, "+3312345", "3312345", CC_TON_INTERNATIONAL,
	  CC_NPI_E164 },
	{ NUMBER_PRI_TON, "004930123", "30123", CC_TON_NATIONAL,
	  CC_NPI_E164 },
	{ NUMBER_PRI_TON, "0033123", "33123", CC_TON_INTERNATIONAL,
	  CC_NPI_E164 },
	{ NUMBER_PRI_TON, "030123", "30123", CC_TON_NATIONAL, CC_NPI_E164 },
	{ NUMBER_PRI_TON, "1000", "1000", CC_TON_UNKNOWN, CC_NPI_E164 },
	{ NUMBER_PRI_TON, "+49-30-123", "30123", CC_TON_NATIONAL,
	  CC_NPI_E164 },
	{ NUMBER_PRI_TON, "+49(30)123.4", "301234", CC_TON_NATIONAL,
	  CC_NPI_E164 },
	{ NUMBER_PRI_TON, "123;phone-context=+4930", "123", CC_TON_UNKNOWN,
	  CC_NPI_E164 },
	{ NUMBER_PRI_TON, "*21#", "*21#", CC_TON_UNKNOWN, CC_NPI_E164 },
	{ NUMBER_PRI_PREFIX, "+4930123", "030123", CC_TON_UNKNOWN,
	  CC_NPI_E164 },
	{ NUMBER_PRI_PREFIX, "+3312345", "003312345", CC_TON_UNKNOWN,
	  CC_NPI_E164 },
	{ NUMBER_PRI_PREFIX, "030123", "030123", CC_TON_UNKNOWN,
	  CC_NPI_E164 },
	/* doc/ARCHITECTURE, facts: a non-numeric user gives no number, not an error */
	{ NUMBER_PRI_TON, "sipp", "", CC_TON_UNKNOWN, CC_NPI_UNKNOWN },
	{ NUMBER_PRI_TON, "alice123", "", CC_TON_UNKNOWN, CC_NPI_UNKNOWN },
	{ NUMBER_PRI_TON, "12a", "", CC_TON_UNKNOWN, CC_NPI_UNKNOWN },
	{ NUMBER_PRI_TON, "", "", CC_TON_UNKNOWN, CC_NPI_UNKNOWN },
	{ NUMBER_PRI_TON, "+", "", CC_TON_UNKNOWN, CC_NPI_UNKNOWN },
	{ NUMBER_PRI_TON, "++49", "", CC_TON_UNKNOWN, CC_NPI_UNKNOWN },
};

static void test_from_sip(void)
{
	struct numbering n;

	for (size_t i = 0; i < sizeof(from_cases) / sizeof(from_cases[0]);
	     i++) {
		const struct from_case *c = &from_cases[i];
		struct cc_party p;
		int err;

		num_de(&n);
		n.prifmt = c->fmt;
		memset(&p, 0xa5, sizeof(p));
		err = from_user(&n, c->user, &p);
		ok(!err && !strcmp(p.number, c->num) && p.ton == c->ton &&
		   p.npi == c->npi && p.pres == CC_PRES_ALLOWED,
		   "%s: \"%s\" -> \"%s\" TON %d NPI %d (got \"%s\" %d %d)",
		   number_prifmt_name(c->fmt), c->user, c->num, c->ton,
		   c->npi, p.number, p.ton, p.npi);
	}
}

static void test_from_sip_edges(void)
{
	struct numbering n;
	struct cc_party p;
	char user[64];

	num_de(&n);
	ok(from_user(&n, "+4912345678901234567890123456789012", &p)
	   == EOVERFLOW && !p.number[0], "too long: EOVERFLOW, no number");
	n.prifmt = NUMBER_PRI_PREFIX;
	memset(&p, 0xa5, sizeof(p));
	ok(from_user(&n, "+33" "12345678901234567890123456789", &p)
	   == EOVERFLOW && !p.number[0] && p.ton == CC_TON_UNKNOWN,
	   "prefix format: 00 + 31 digits: EOVERFLOW, the party absent");
	n.prifmt = NUMBER_PRI_TON;
	ok(number_from_sip(NULL, &p, &p) == EINVAL &&
	   number_from_sip(&n, NULL, &p) == EINVAL &&
	   number_from_sip(&n, &p, NULL) == EINVAL &&
	   number_from_sip(&n, &p, &p) == EINVAL, "bad arguments");

	n.npi = CC_NPI_PRIVATE;
	ok(!from_user(&n, "1000", &p) && p.npi == CC_NPI_PRIVATE,
	   "configured NPI is used");

	/* round trip: SIP -> PRI -> SIP */
	num_de(&n);
	ok(!from_user(&n, "+4930123", &p) &&
	   !to_user(&n, &p, user, sizeof(user)) &&
	   !strcmp(user, "+4930123"), "+4930123 round trip");
	ok(!from_user(&n, "+3312345", &p) &&
	   !to_user(&n, &p, user, sizeof(user)) &&
	   !strcmp(user, "+3312345"), "+3312345 round trip");
}

int main(void)
{
	test_to_sip();
	test_to_sip_nocc();
	test_to_sip_overflow();
	test_from_sip();
	test_from_sip_edges();

	return tap_done();
}
