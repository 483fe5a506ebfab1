/*
 * Internals of the gateway's TDM side (span.c, leg.c, party.c, log.c).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_TDM_INT_H
#define SIPRI_TDM_INT_H

#include <re.h>
#include <libpri.h>
#include "common/log.h"
#include "common/timer.h"
#include "tdm/tdm.h"

enum { TDM_MAXTS = 32 };   /* timeslots 1..31 */

struct prilink;
struct bchan;

struct tdm_span {
	struct tdm_span_prm prm;
	uint32_t bchans;                  /* bit n: timeslot n carries calls */
	struct prilink *link;
	struct list legs;                 /* legs with a Q.931 call or channel */
	struct tdm_leg *chans[TDM_MAXTS]; /* timeslot -> the leg using it */
	uint8_t closing[TDM_MAXTS];       /* fds of the timeslot taken by a
					   * tdm_chan_h and not yet closed */
	tdm_wait_h *waith;
	void *wait_arg;
	int dchan;                        /* the D-channel's DAHDI number */
	bool dchan_up;
	bool alarm;
	bool gone;                        /* the D-channel's device is gone */
	struct timer reopen_tmr;          /* ... and is tried again */
	bool was_up;
	int rr;                           /* round-robin hunting position */
	uint32_t blocked;                 /* bit n: timeslot n out of hunting
					   * by hand (tdm_span_block) */
	uint32_t restarting;              /* bit n: timeslot n awaits RESTART
					   * ACKNOWLEDGE (sent or queued) */
	int restart_ts;                   /* the RESTART sent, 0 for none */
	int restart_tries;                /* its sends so far */
	struct timer restart_tmr;         /* T316 */
	bool restart_batch;               /* restarting the whole span */
	uint64_t restart_since;           /* ... since (tmr_jiffies) */
	tdm_setup_h *seth;
	tdm_span_h *spanh;
	tdm_number_h *numh;               /* overlap: number complete? */
	tdm_frame_h *fh;                  /* a trace of the D-channel */
	void *fh_arg;
	void *arg;
};

struct tdm_leg {
	struct le le;                /* in span->legs */
	struct tdm_span *span;
	q931_call *c;                /* NULL once libpri's call is gone */
	int chan;                    /* timeslot, 0 for none */
	struct bchan *b;
	bool given;                  /* b's fd was taken by chanh */
	bool outgoing;
	bool proceeding;             /* incoming: PROCEEDING sent */
	bool alerted;                /* ALERTING received or sent */
	bool answered;
	bool offered;                /* incoming: SETUP given to the gateway */
	bool hanging;                /* we sent DISCONNECT/RELEASE */
	bool detached;               /* the call core let go */
	int retries;                 /* outgoing: channel re-hunts left */
	uint32_t refused;            /* outgoing: timeslots refused (44) */
	struct cc_msg setup;         /* incoming: collected during overlap */
	struct timer digit_tmr;      /* overlap receiving (T302) */
	uint64_t ovl_start;          /* when it began, tmr_jiffies() */
	bool ovl_capped;             /* digit_tmr ends it at overlap_max */
	bool setup_acked;            /* outgoing: SETUP ACKNOWLEDGE came */
	char ovl_digits[CC_NUMLEN];  /* outgoing: digits for INFORMATION */
	struct timer report_tmr;     /* deferred RELEASE report */
	struct timer t310_tmr;       /* outgoing: T310, ours (see leg.c) */
	int report_cause;
	tdm_msg_h *msgh;
	tdm_chan_h *chanh;
	void *arg;
};

/*
 * A TDM leg's state, read from its flags by tdm_leg_state(): the Q.931
 * §2.1.1 user-side call states, merged where the leg does not tell them
 * apart.  For the log lines only; the flags stay the truth.
 */
enum tdm_leg_state {
	TDM_LEG_NULL,           /* U0: no Q.931 call (yet, or any more) */
	TDM_LEG_CALLING,        /* U1 call initiated: SETUP sent */
	TDM_LEG_OVERLAP_SEND,   /* U2 overlap sending */
	TDM_LEG_OVERLAP_RECV,   /* U25 overlap receiving */
	TDM_LEG_PRESENT,        /* U6 call present: SETUP received */
	TDM_LEG_PROCEEDING,     /* U3, U9: CALL PROCEEDING */
	TDM_LEG_ALERTING,       /* U4 call delivered, U7 call received */
	TDM_LEG_ACTIVE,         /* U10 */
	TDM_LEG_CLEARING,       /* U11, U12, U19: DISCONNECT or RELEASE */
};

/* span.c */
int  tdm_span_hunt(struct tdm_span *span, uint32_t avoid);

/* restart.c */
void tdm_restart_received(struct tdm_span *span, int channel);
void tdm_restart_acked(struct tdm_span *span, int channel);
void tdm_restart_link(struct tdm_span *span, bool up);
void tdm_restart_relink(struct tdm_span *span);
int  tdm_span_claim(struct tdm_span *span, int ts, struct tdm_leg *leg);
void tdm_span_unclaim(struct tdm_span *span, int ts, struct tdm_leg *leg);
struct tdm_leg *tdm_span_leg_of(const struct tdm_span *span,
				 const q931_call *c);

/* leg.c */
void tdm_leg_incoming(struct tdm_span *span, const pri_event_ring *ring);
void tdm_leg_event(struct tdm_span *span, const pri_event *e);
void tdm_leg_lost(struct tdm_leg *leg, int cause);

/* overlap.c: overlap digits, receiving and sending */
bool tdm_ovl_add(struct tdm_leg *leg, const char *digits);
void tdm_ovl_send(struct tdm_leg *leg);
int  tdm_ovl_queue(struct tdm_leg *leg, const char *digits);

/* log.c: pri(SPAN/CHAN){STATE}: and pri(SPAN){UP|DOWN}: lines, and
 * libpri's own messages (at debug level, its errors at warn) */
enum tdm_leg_state tdm_leg_state(const struct tdm_leg *leg);
void tdm_leg_log(const struct tdm_leg *leg, enum log_level level,
		 const char *fmt, ...);
void tdm_span_log(const struct tdm_span *span, enum log_level level,
		  const char *fmt, ...);
const char *tdm_ton_name(int plan);
void tdm_log_setup_in(const struct tdm_leg *leg, const pri_event_ring *r);
void tdm_log_setup_out(const struct tdm_leg *leg);
void tdm_log_event(const struct tdm_leg *leg, const pri_event *e);
void tdm_log_hangup(const struct tdm_leg *leg, const pri_event *e);
void tdm_log_libpri(void);

/* party.c: Q.931 party numbers <-> cc_party */
void tdm_party_from_pri(struct cc_party *p, const char *num, int plan,
			int pres);
int  tdm_party_plan(const struct cc_party *p);
int  tdm_party_pres(const struct cc_party *p);

#endif
