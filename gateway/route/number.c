/*
 * Number mapping PRI <-> SIP.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "gateway/route/number.h"

void numbering_init(struct numbering *n)
{
	if (!n)
		return;

	memset(n, 0, sizeof(*n));
	strcpy(n->natpfx, "0");
	strcpy(n->intlpfx, "00");
	n->sipfmt = NUMBER_SIP_E164;
	n->prifmt = NUMBER_PRI_TON;
	n->npi = CC_NPI_E164;
}

const char *number_sipfmt_name(enum number_sipfmt fmt)
{
	switch (fmt) {

	case NUMBER_SIP_E164:     return "e164";
	case NUMBER_SIP_NATIONAL: return "national";
	case NUMBER_SIP_RAW:      return "raw";
	default:                  return "?";
	}
}

const char *number_prifmt_name(enum number_prifmt fmt)
{
	switch (fmt) {

	case NUMBER_PRI_TON:    return "ton";
	case NUMBER_PRI_PREFIX: return "prefix";
	default:                return "?";
	}
}

static bool has_prefix(const char *s, const char *pfx)
{
	size_t n = strlen(pfx);

	return n && !strncmp(s, pfx, n);
}

/* join up to three strings into buf; EOVERFLOW if it does not fit */
static int join(char *buf, size_t size, const char *a, const char *b,
		const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);

	if (la + lb + lc + 1 > size)
		return EOVERFLOW;

	memcpy(buf, a, la);
	memcpy(buf + la, b, lb);
	memcpy(buf + la + lb, c, lc + 1);
	return 0;
}

/*
 * The E.164 digits (country code first, no "+") of a PRI number, or
 * ENOENT when its TON does not tell (Q.931 §4.5.10: unknown TON numbers
 * carry their dialling prefixes; network-specific/abbreviated have none).
 */
static int pri_to_e164(const struct numbering *n, const struct cc_party *p,
		       char *e164, size_t size)
{
	const char *num = p->number;

	switch (p->ton) {

	case CC_TON_INTERNATIONAL:
		return join(e164, size, num, "", "");

	case CC_TON_NATIONAL:
		if (!n->cc[0])
			return ENOENT;
		return join(e164, size, n->cc, num, "");

	case CC_TON_SUBSCRIBER:
		if (!n->cc[0] || !n->area[0])
			return ENOENT;
		return join(e164, size, n->cc, n->area, num);

	case CC_TON_UNKNOWN:
		/* check "00" before "0": the international prefix usually
		 * starts with the national one */
		if (has_prefix(num, n->intlpfx))
			return join(e164, size, num + strlen(n->intlpfx),
				    "", "");
		if (n->cc[0] && has_prefix(num, n->natpfx))
			return join(e164, size, n->cc,
				    num + strlen(n->natpfx), "");
		return ENOENT;

	default:
		return ENOENT;
	}
}

/*
 * The national dialling form (Q.931 TON expressed by prefix digits):
 * our country's numbers with the national prefix, others with the
 * international prefix; subscriber and unknown numbers unchanged.
 */
static int pri_to_national(const struct numbering *n,
			   const struct cc_party *p, char *user, size_t size)
{
	const char *num = p->number;

	switch (p->ton) {

	case CC_TON_INTERNATIONAL:
		if (n->cc[0] && has_prefix(num, n->cc))
			return join(user, size, n->natpfx,
				    num + strlen(n->cc), "");
		return join(user, size, n->intlpfx, num, "");

	case CC_TON_NATIONAL:
		return join(user, size, n->natpfx, num, "");

	default:
		return join(user, size, num, "", "");
	}
}

/* a local number in SIP form (sipuser.h): TON and NPI unknown */
static int sip_set(struct cc_party *sip, const char *a, const char *b)
{
	sip->ton = CC_TON_UNKNOWN;
	sip->npi = CC_NPI_UNKNOWN;
	return join(sip->number, sizeof(sip->number), a, b, "");
}

static int to_sip(const struct numbering *n, const struct cc_party *p,
		  struct cc_party *sip)
{
	int err;

	if (n->sipfmt == NUMBER_SIP_NATIONAL)
		return pri_to_national(n, p, sip->number, sizeof(sip->number));

	if (n->sipfmt == NUMBER_SIP_RAW || !p->number[0])
		return sip_set(sip, p->number, "");

	err = pri_to_e164(n, p, sip->number, sizeof(sip->number));
	if (!err) {
		sip->ton = CC_TON_INTERNATIONAL;
		sip->npi = CC_NPI_E164;
	}
	if (err != ENOENT)
		return err;

	/* no country code configured: keep a national number national */
	if (p->ton == CC_TON_NATIONAL)
		return sip_set(sip, n->natpfx, p->number);

	return sip_set(sip, p->number, "");
}

/*
 * PRI party number -> its SIP form (sipuser.h: TON international is the
 * RFC 3966 global number "+4930123"), per the configured SIP format.
 * In E.164 format a number whose E.164 form cannot be derived (an
 * extension, TON unknown without prefix) is passed through unchanged,
 * and without a country code a national number gets its prefix (030123).
 * An absent number stays absent.  EOVERFLOW: the SIP form is longer than
 * a party holds (a 31-digit national number with its country code);
 * sip is then absent, and the call must be refused (Q.850 cause 28).
 */
int number_to_sip(const struct numbering *n, const struct cc_party *p,
		  struct cc_party *sip)
{
	int err;

	if (!n || !p || !sip || sip == p)
		return EINVAL;

	memset(sip, 0, sizeof(*sip));
	err = to_sip(n, p, sip);
	if (err) {
		memset(sip, 0, sizeof(*sip));
		return err;
	}
	sip->pres = p->pres;
	sip->screen = p->screen;
	return 0;
}

/*
 * The dialled digits of a SIP user part: RFC 3966 §5.1.1 visual
 * separators are dropped, user parameters (";phone-context=...") end it.
 * EBADMSG when it is not a telephone number at all ("sipp", "alice").
 */
static int sip_digits(const char *user, char *buf, size_t size)
{
	size_t len = 0;

	for (; *user && *user != ';'; user++) {
		char c = *user;

		if (strchr("-.()", c))
			continue;
		if (!((c >= '0' && c <= '9') || c == '*' || c == '#'))
			return EBADMSG;
		if (len + 1 >= size)
			return EOVERFLOW;
		buf[len++] = c;
	}

	buf[len] = '\0';
	return 0;
}

static int party_set(struct cc_party *p, uint8_t ton, const char *a,
		     const char *b)
{
	p->ton = ton;
	return join(p->number, sizeof(p->number), a, b, "");
}

/* an E.164 number (no "+") onto the PRI, per the configured PRI format */
static int from_e164(const struct numbering *n, const char *e164,
		     struct cc_party *p)
{
	bool ours = n->cc[0] && has_prefix(e164, n->cc);
	const char *nsn = ours ? e164 + strlen(n->cc) : e164;

	if (n->prifmt == NUMBER_PRI_PREFIX)
		return party_set(p, CC_TON_UNKNOWN,
				 ours ? n->natpfx : n->intlpfx, nsn);

	return party_set(p, ours ? CC_TON_NATIONAL : CC_TON_INTERNATIONAL,
			 nsn, "");
}

/*
 * SIP-form party (sipuser.h; sipuser_party() makes one of a Request-URI
 * user) -> PRI party number (Q.931 §4.5.10 TON/NPI).
 *   +4930123 with country code 49  -> national 30123
 *   +3312345                       -> international 3312345
 *   0030123 (international prefix) -> as +30123
 *   030123 (national prefix)       -> national 30123
 *   123                            -> unknown 123
 * With the "prefix" PRI format numbers keep or gain their dialling
 * prefixes and go as TON unknown.  A non-numeric user ("sipp") gives an
 * absent number and no error: the SETUP goes without it.  EOVERFLOW:
 * too long for the PRI (p is then absent; Q.850 cause 28, SIP 484).
 */
int number_from_sip(const struct numbering *n, const struct cc_party *sip,
		    struct cc_party *p)
{
	char digits[CC_NUMLEN + NUMBER_PFXLEN];
	bool plus;
	int err;

	if (!n || !sip || !p || sip == p)
		return EINVAL;

	memset(p, 0, sizeof(*p));
	plus = sip->ton == CC_TON_INTERNATIONAL;

	err = sip_digits(sip->number, digits, sizeof(digits));
	if (err == EBADMSG || (!err && !digits[0]))
		return 0;
	if (err)
		return err;

	p->npi = n->npi;

	if (plus)
		err = from_e164(n, digits, p);
	else if (has_prefix(digits, n->intlpfx))
		err = from_e164(n, digits + strlen(n->intlpfx), p);
	else if (n->prifmt == NUMBER_PRI_TON && has_prefix(digits, n->natpfx))
		err = party_set(p, CC_TON_NATIONAL,
				digits + strlen(n->natpfx), "");
	else
		err = party_set(p, CC_TON_UNKNOWN, digits, "");

	if (err)
		memset(p, 0, sizeof(*p));

	return err;
}
