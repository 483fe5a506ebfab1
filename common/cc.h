/*
 * Neutral call-control messages: the only language the call core and the
 * two legs share.  Each leg turns its protocol (Q.931 via libpri, SIP via
 * libre) into these Q.931-shaped primitives and back; the core never sees
 * a libpri or SIP type.
 *
 * Codes follow ITU-T Q.931 §4.5 (party numbers, progress indicator) and
 * Q.850 (cause and location).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_CC_H
#define SIPRI_CC_H

#include <stdbool.h>
#include <stdint.h>

enum cc_type {
	CC_SETUP = 0,
	CC_SETUP_ACK,      /* overlap receiving: send more digits */
	CC_PROCEEDING,
	CC_ALERTING,
	CC_PROGRESS,
	CC_CONNECT,
	CC_CONNECT_ACK,
	CC_INFO,           /* digits: overlap dialling or DTMF */
	CC_DISCONNECT,     /* clearing starts (BYE, CANCEL, final 3xx-6xx) */
	CC_RELEASE,        /* clearing done; the leg is gone */
	CC_NOTIFY,         /* the active call's media changed: hold,
			      retrieval, codec (notify says which) */
	CC_NTYPES
};

/* Q.931 §4.5.10 type of number */
enum cc_ton {
	CC_TON_UNKNOWN       = 0,
	CC_TON_INTERNATIONAL = 1,
	CC_TON_NATIONAL      = 2,
	CC_TON_NETWORK       = 3,
	CC_TON_SUBSCRIBER    = 4,
	CC_TON_ABBREVIATED   = 6,
};

/* Q.931 §4.5.10 numbering plan identification */
enum cc_npi {
	CC_NPI_UNKNOWN  = 0,
	CC_NPI_E164     = 1,
	CC_NPI_DATA     = 3,
	CC_NPI_TELEX    = 4,
	CC_NPI_NATIONAL = 8,
	CC_NPI_PRIVATE  = 9,
};

/* Q.931 §4.5.10 presentation indicator */
enum cc_pres {
	CC_PRES_ALLOWED     = 0,
	CC_PRES_RESTRICTED  = 1,
	CC_PRES_UNAVAILABLE = 2,
};

/* Q.850 §2.2.4 location */
enum cc_loc {
	CC_LOC_USER         = 0,
	CC_LOC_PRIV_LOCAL   = 1,
	CC_LOC_PUB_LOCAL    = 2,
	CC_LOC_TRANSIT      = 3,
	CC_LOC_PUB_REMOTE   = 4,
	CC_LOC_PRIV_REMOTE  = 5,
	CC_LOC_INTERNATIONAL = 7,
	CC_LOC_BEYOND       = 10,
};

/* Q.931 §4.5.23 progress description */
enum cc_progress {
	CC_PI_NONE          = 0,
	CC_PI_NOT_E2E_ISDN  = 1,
	CC_PI_DEST_NON_ISDN = 2,
	CC_PI_ORIG_NON_ISDN = 3,
	CC_PI_RETURNED_ISDN = 4,
	CC_PI_INBAND        = 8,   /* in-band information now available */
};

/* Q.931 §4.5.22 notification description (with CC_NOTIFY); 0: the
 * media changed otherwise (codec law), nothing for the far end */
enum cc_notify {
	CC_NOTIFY_NONE             = 0,
	CC_NOTIFY_REMOTE_HOLD      = 0x79,
	CC_NOTIFY_REMOTE_RETRIEVAL = 0x7a,
};

enum { CC_NUMLEN = 32 };

struct cc_party {
	char number[CC_NUMLEN];   /* digits only; "" when absent */
	uint8_t ton;              /* enum cc_ton */
	uint8_t npi;              /* enum cc_npi */
	uint8_t pres;             /* enum cc_pres */
	uint8_t screen;           /* Q.931 screening indicator, 0..3 */
};

struct cc_msg {
	enum cc_type type;
	struct cc_party called;
	struct cc_party calling;
	struct cc_party redirecting;
	int redirect_reason;      /* Q.931 reason for redirection; -1 none */
	int cause;                /* Q.850 cause value; 0 = none.  With
				     CC_PROGRESS: an in-band announcement
				     before clearing (Q.931 §5.3.4.1, a
				     DISCONNECT with PI 8 before answer) */
	int location;             /* enum cc_loc, with cause */
	int progress;             /* enum cc_progress; 0 = none */
	bool sending_complete;    /* SETUP: no more digits follow */
	bool hide_calling;        /* SETUP: the caller asked for privacy
				     (RFC 3323 §4.2) even where it is not
				     granted: logs hide the number */
	bool early_media;         /* ALERTING/PROGRESS: media path is open */
	char digits[CC_NUMLEN];   /* CC_INFO */
	bool dtmf;                /* CC_INFO: DTMF in a call, not dialling */
	unsigned dtmf_ms;         /* CC_INFO DTMF: tone length; 0 unknown */
	int notify;               /* CC_NOTIFY: enum cc_notify */
};

const char *cc_type_name(enum cc_type type);
void cc_msg_init(struct cc_msg *msg, enum cc_type type);

#endif
