/*
 * gateway/acct.c: what a call attempt was, for its CDR (gateway/cdr.c),
 * the metrics and sipri-ctl: one struct acct per attempt, answered or
 * not, refused ones too (no route, no channel), filled as the call goes
 * and closed when it ends.  Times are the wall clock (CDRs are billed by
 * them), in milliseconds since the epoch.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_ACCT_H
#define SIPRI_GATEWAY_ACCT_H

#include <stdbool.h>
#include <stdint.h>
#include <re.h>
#include "common/cc.h"

enum acct_dir { ACCT_PRI_TO_SIP, ACCT_SIP_TO_PRI };
/* who cleared the call first: a side's DISCONNECT/RELEASE, or sipri */
enum acct_by { ACCT_BY_NONE, ACCT_BY_PRI, ACCT_BY_SIP, ACCT_BY_GATEWAY };

struct acct {
	unsigned call_id;            /* sipri's call(N); 0 refused early */
	enum acct_dir dir;
	/* the numbers as received, and as sent on after mapping */
	char calling_raw[CC_NUMLEN], called_raw[CC_NUMLEN];
	char calling[CC_NUMLEN], called[CC_NUMLEN];
	uint64_t start, ring, answer, end;   /* ms since the epoch; 0: not */
	int cause, location;         /* Q.850 of the clearing; 0: none */
	int sip_status;              /* the INVITE's final response; 0 */
	enum acct_by released_by;
	bool released_seen;          /* a clearing message has passed */
	int span, channel;           /* 0: none */
	char trunk[64];
	char sip_call_id[128];
	char law;                    /* 'A', 'U' or 0: no media */
	uint64_t rtp_rx;             /* RTP packets received */
	int64_t rtp_lost;            /* RFC 3550 A.3 */
	double jitter_ms;            /* RFC 3550 A.8, at the end */
	bool closed;                 /* acct_end ran */
};

uint64_t acct_now(void);
/* a number as it is on the wire: in SIP with its '+' when it has one
 * (TON international), on the PRI as its digits */
void acct_raw(char *buf, size_t size, const struct cc_party *p, bool sip);
void acct_start(struct acct *a, unsigned call_id, enum acct_dir dir);
/* a message from (tx false) or to (tx true) the leg on side by */
void acct_msg(struct acct *a, enum acct_by side, bool tx,
	      const struct cc_msg *msg);
void acct_end(struct acct *a);

int  acct_json(struct re_printf *pf, const struct acct *a);
int  acct_csv(struct re_printf *pf, const struct acct *a);
int  acct_csv_header(struct re_printf *pf, void *unused);
/* s as a JSON string (RFC 8259 §7), or null for NULL */
int  acct_json_str(struct re_printf *pf, const char *s);
const char *acct_by_name(enum acct_by by);

#endif
