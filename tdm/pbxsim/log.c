/*
 * pbxsim's log: one line per event, stamped with the seconds since start
 * and the span ("  1.234 pbxsim[span1]: <- SETUP called=1234 ..."), plus
 * the names of Q.931 numbering fields (Q.931 §4.5.8, §4.5.10).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pbxsim.h"

void sim_log(const struct pbxsim *p, const char *fmt, ...)
{
	uint64_t ms = tmr_jiffies() - (p ? p->t0 : 0);
	va_list ap;

	re_printf("%3llu.%03llu pbxsim[%s]: ", (unsigned long long)ms / 1000,
		  (unsigned long long)ms % 1000, p ? p->name : "-");
	va_start(ap, fmt);
	re_vfprintf(stdout, fmt, ap);
	va_end(ap);
	re_printf("\n");
	fflush(stdout);
}

struct name {
	const char *name;
	int val;
};

/* Q.931 §4.5.10: type of number (bits 7-5 of octet 3) */
static const struct name tons[] = {
	{"unknown", PRI_TON_UNKNOWN},
	{"international", PRI_TON_INTERNATIONAL},
	{"national", PRI_TON_NATIONAL},
	{"network", PRI_TON_NET_SPECIFIC},
	{"subscriber", PRI_TON_SUBSCRIBER},
	{"abbreviated", PRI_TON_ABBREVIATED},
};

/* Q.931 §4.5.10: numbering plan identification (bits 4-1) */
static const struct name npis[] = {
	{"unknown", PRI_NPI_UNKNOWN},
	{"isdn", PRI_NPI_E163_E164},
	{"data", PRI_NPI_X121},
	{"telex", PRI_NPI_F69},
	{"national", PRI_NPI_NATIONAL},
	{"private", PRI_NPI_PRIVATE},
};

static int name_parse(int *vp, const char *s, const struct name *tab,
		      size_t n, int max)
{
	char *end;
	long l;

	if (!vp || !s)
		return EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(s, tab[i].name)) {
			*vp = tab[i].val;
			return 0;
		}
	}
	l = strtol(s, &end, 0);
	if (end == s || *end || l < 0 || l > max)
		return EINVAL;
	*vp = (int)l;
	return 0;
}

static const char *name_of(int v, const struct name *tab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (tab[i].val == v)
			return tab[i].name;
	}
	return "?";
}

int sim_ton_parse(int *tonp, const char *s)
{
	return name_parse(tonp, s, tons, sizeof(tons) / sizeof(tons[0]), 7);
}

int sim_npi_parse(int *npip, const char *s)
{
	return name_parse(npip, s, npis, sizeof(npis) / sizeof(npis[0]), 15);
}

/* Q.931 §4.5.10 octet 3a: presentation indicator, bits 7-6 */
int sim_pres_parse(int *presp, const char *s)
{
	if (!presp || !s)
		return EINVAL;
	if (!strcmp(s, "allowed"))
		*presp = PRI_PRES_ALLOWED;
	else if (!strcmp(s, "restricted"))
		*presp = PRI_PRES_RESTRICTED;
	else
		return EINVAL;
	return 0;
}

const char *sim_ton_name(int plan)
{
	return name_of((plan >> 4) & 7, tons, sizeof(tons) / sizeof(tons[0]));
}

const char *sim_npi_name(int plan)
{
	return name_of(plan & 15, npis, sizeof(npis) / sizeof(npis[0]));
}

const char *sim_pres_name(int pres)
{
	switch (pres & 0x60) {
	case PRI_PRES_ALLOWED:    return "allowed";
	case PRI_PRES_RESTRICTED: return "restricted";
	case 0x40:                return "unavailable";
	default:                  return "reserved";
	}
}
