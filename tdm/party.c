/*
 * Party numbers between libpri and cc_party.  libpri packs a number's
 * type (TON) and plan (NPI) into one octet as Q.931 §4.5.10 does: bits
 * 7-5 type of number, bits 4-1 numbering plan; presentation and screening
 * likewise: bits 7-6 presentation indicator, bits 2-1 screening.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <string.h>
#include "tdm/tdm_int.h"

void tdm_party_from_pri(struct cc_party *p, const char *num, int plan,
			int pres)
{
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	/* keep digits and the keypad symbols a number may carry */
	for (; num && *num && n + 1 < sizeof(p->number); num++)
		if (isdigit((unsigned char)*num) || *num == '*' || *num == '#')
			p->number[n++] = *num;
	p->ton = plan >= 0 ? (plan >> 4) & 0x7 : CC_TON_UNKNOWN;
	p->npi = plan >= 0 ? plan & 0xf : CC_NPI_UNKNOWN;
	p->pres = pres >= 0 ? (pres >> 5) & 0x3 : CC_PRES_ALLOWED;
	p->screen = pres >= 0 ? pres & 0x3 : 0;
}

int tdm_party_plan(const struct cc_party *p)
{
	return (p->ton & 0x7) << 4 | (p->npi & 0xf);
}

int tdm_party_pres(const struct cc_party *p)
{
	return (p->pres & 0x3) << 5 | (p->screen & 0x3);
}
