/*
 * Numbers as SIP URI user parts (see sipuser.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "common/sipuser.h"

/*
 * RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved ),
 * unreserved = alphanum / mark ("-_.!~*'()"), user-unreserved =
 * "&=+$,;?/".  Anything else is written %HH.
 */
static bool user_unreserved(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		(c >= 'A' && c <= 'Z') || (c && strchr("-_.!~*'()&=+$,;?/",
						       c));
}

/* s escaped for a URI user part ("#": %23); EOVERFLOW if it does not
 * fit buf (which then holds "") */
int sipuser_escape(char *buf, size_t size, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t pos = 0;

	if (!buf || !size || !s)
		return EINVAL;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = user_unreserved(*s) ? 1 : 3;

		if (pos + n >= size) {
			buf[0] = '\0';
			return EOVERFLOW;
		}
		if (n == 1) {
			buf[pos++] = *s;
			continue;
		}
		buf[pos++] = '%';
		buf[pos++] = hex[c >> 4];
		buf[pos++] = hex[c & 0xf];
	}
	buf[pos] = '\0';
	return 0;
}

/* the text of a SIP-form party, unescaped: "+4930123" for a global
 * number, the digits otherwise; "" for an absent number */
int sipuser_text(char *buf, size_t size, const struct cc_party *p)
{
	bool plus;
	size_t len;

	if (!buf || !size || !p)
		return EINVAL;

	plus = p->ton == CC_TON_INTERNATIONAL && p->number[0];
	len = strnlen(p->number, sizeof(p->number));
	if (len == sizeof(p->number) || plus + len >= size) {
		buf[0] = '\0';
		return EOVERFLOW;
	}
	if (plus)
		buf[0] = '+';
	memcpy(buf + plus, p->number, len);
	buf[plus + len] = '\0';
	return 0;
}

/* the URI user part of a party: its text, escaped (RFC 3261 §25.1) */
int sipuser_write(char *buf, size_t size, const struct cc_party *p)
{
	char text[CC_NUMLEN + 1];
	int err;

	if (!buf || !size || !p)
		return EINVAL;

	err = sipuser_text(text, sizeof(text), p);
	if (!err)
		err = sipuser_escape(buf, size, text);
	if (err)
		buf[0] = '\0';
	return err;
}

/*
 * A number's text ("+4930123", "1000", as routes write it) as a SIP-form
 * party: a leading '+' is TON international, NPI E.164 (RFC 3966 §5.1.4);
 * otherwise TON and NPI unknown.  The rest is taken as it is.
 * EOVERFLOW: longer than a party holds (p is then absent).
 */
int sipuser_party(struct cc_party *p, const char *text)
{
	bool plus;

	if (!p || !text)
		return EINVAL;

	memset(p, 0, sizeof(*p));
	plus = text[0] == '+';
	if (strlen(text + plus) >= sizeof(p->number))
		return EOVERFLOW;
	strcpy(p->number, text + plus);
	if (plus) {
		p->ton = CC_TON_INTERNATIONAL;
		p->npi = CC_NPI_E164;
	}
	return 0;
}
