/*
 * The one boundary between a number (struct cc_party in its SIP form:
 * TON international for an RFC 3966 §5.1.4 global number, "+4930123";
 * anything else a local number, "1000") and a SIP URI user part.  Every
 * URI user sipri writes from a number (Request-URI, To, From,
 * P-Asserted-Identity, Diversion) comes from sipuser_write(), so a '#'
 * is %23 in all of them (RFC 3261 §25.1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_SIPUSER_H
#define SIPRI_SIPUSER_H

#include <stddef.h>
#include "common/cc.h"

/* room for any party's user part: '+', every character escaped, NUL */
enum { SIPUSER_LEN = 1 + 3 * (CC_NUMLEN - 1) + 1 };

int sipuser_escape(char *buf, size_t size, const char *s);
int sipuser_write(char *buf, size_t size, const struct cc_party *p);
int sipuser_text(char *buf, size_t size, const struct cc_party *p);
int sipuser_party(struct cc_party *p, const char *text);

#endif
