/*
 * Number mapping between a Q.931 party number (digits + type of number +
 * numbering plan, Q.931 §4.5.10) and its SIP form: a struct cc_party
 * whose TON international is an RFC 3966 global number.  Only
 * common/sipuser.c turns the SIP form into a URI user part and back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_NUMBER_H
#define SIPRI_GATEWAY_NUMBER_H

#include <stddef.h>
#include "common/cc.h"

/* How a PRI number is written as a SIP user */
enum number_sipfmt {
	NUMBER_SIP_E164 = 0,   /* +4930123 (RFC 3966 global number) */
	NUMBER_SIP_NATIONAL,   /* 030123, 00331234 (dialling prefixes) */
	NUMBER_SIP_RAW,        /* the PRI digits unchanged */
};

/* How a SIP number is written on the PRI */
enum number_prifmt {
	NUMBER_PRI_TON = 0,    /* TON national 30123, no prefix digits */
	NUMBER_PRI_PREFIX,     /* TON unknown 030123, with prefix digits */
};

enum { NUMBER_PFXLEN = 8 };

struct numbering {
	char cc[NUMBER_PFXLEN];       /* our country code, "49"; "" unset */
	char area[NUMBER_PFXLEN];     /* our area code for subscriber TON */
	char natpfx[NUMBER_PFXLEN];   /* national (trunk) prefix, "0" */
	char intlpfx[NUMBER_PFXLEN];  /* international prefix, "00" */
	enum number_sipfmt sipfmt;
	enum number_prifmt prifmt;
	uint8_t npi;                  /* enum cc_npi put on PRI numbers */
};

void numbering_init(struct numbering *n);
int  number_to_sip(const struct numbering *n, const struct cc_party *p,
		   struct cc_party *sip);
int  number_from_sip(const struct numbering *n, const struct cc_party *sip,
		     struct cc_party *p);
const char *number_sipfmt_name(enum number_sipfmt fmt);
const char *number_prifmt_name(enum number_prifmt fmt);

#endif
