/*
 * The gateway's TDM side: PRI spans (one libpri instance each, through
 * tdm/pri) and per-call TDM legs that speak the neutral cc_msg language
 * of common/cc.h.
 *
 *   tdm_span_*  a span: its D-channel link, its B-channels and their
 *               hunting, alarms and D-channel state, RESTART handling
 *   tdm_leg_*   one call on a span: Q.931 via libpri <-> cc_msg, and the
 *               call's B-channel (opened per call, blocksize 160)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_TDM_H
#define SIPRI_TDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/cc.h"

struct tdm_span;
struct tdm_leg;

enum tdm_hunt { TDM_HUNT_ASC, TDM_HUNT_DESC, TDM_HUNT_RR };
/* what libpri decodes into the log (at debug level, see tdm/log.c) */
enum tdm_pri_debug { TDM_PRI_DEBUG_NONE, TDM_PRI_DEBUG_Q931,
		     TDM_PRI_DEBUG_Q921, TDM_PRI_DEBUG_ALL };

struct tdm_span_prm {
	int spanno;
	int dchan;            /* D-channel number; 0: find it */
	int node;             /* PRI_NETWORK or PRI_CPE */
	int switchtype;       /* PRI_SWITCH_* */
	bool overlap;         /* overlap receiving and sending */
	enum tdm_hunt hunt;
	bool exclusive;       /* outgoing SETUPs demand their channel */
	uint16_t bchan[31];   /* DAHDI channel numbers of the B-channels */
	unsigned nbchan;      /* 0: every timeslot but the D-channel */
	int t303, t310, t301; /* ms; 0 keeps libpri's default */
	int digit_timeout;    /* ms between overlap digits (Q.931 T302);
				 0: 10 s */
	int overlap_max;      /* ms overlap receiving may last in all,
				 however the digits trickle; 0: 40 s */
	unsigned ec_taps;     /* DAHDI echo canceller taps; 0: none asked */
	bool restart_on_up;   /* RESTART every B-channel when the span
				 comes up (Q.931 §5.5.1) */
	enum tdm_pri_debug pri_debug;
};

/* A SETUP arrived: the gateway makes a call of it or refuses it */
typedef void (tdm_setup_h)(struct tdm_leg *leg, const struct cc_msg *setup,
			   void *arg);
/* The span became usable (D-channel up, no alarm) or stopped being so */
typedef void (tdm_span_h)(struct tdm_span *span, bool up, void *arg);
/* Overlap receiving: is the called number collected so far complete
 * (a number-length rule)?  Asked after the SETUP and each digit */
typedef bool (tdm_number_h)(const struct cc_party *called, void *arg);
/* A Q.921 frame on the span's D-channel (tx: sent by us), for traces */
typedef void (tdm_frame_h)(const struct tdm_span *span, bool tx,
			   const uint8_t *frame, size_t len, void *arg);
/* A message for the call core */
typedef void (tdm_msg_h)(const struct cc_msg *msg, void *arg);
/* The call's B-channel opened (fd), or is about to close (-1): its
 * audio is read and written on another loop (gateway/mplane/).  Taking
 * the fd (true) makes closing it the handler's: that loop closes it once
 * its reads stopped, and tdm_span_chan_closed() says so; until then the
 * timeslot is not hunted.  Not taken (false), the leg closes it, and the
 * other loop must have stopped when -1 returns. */
typedef bool (tdm_chan_h)(int fd, void *arg);
/* A channel to open is still held by a close on another loop: wait until
 * that loop closed it (rare: the far end chose it at once) */
typedef void (tdm_wait_h)(void *arg);

int  tdm_span_alloc(struct tdm_span **sp, const struct tdm_span_prm *prm,
		    tdm_setup_h *seth, tdm_span_h *spanh, void *arg);
void tdm_span_set_number_handler(struct tdm_span *span, tdm_number_h *numh);
void tdm_span_set_wait_handler(struct tdm_span *span, tdm_wait_h *waith,
			       void *arg);
/* the fd of timeslot ts that a tdm_chan_h took is closed */
void tdm_span_chan_closed(struct tdm_span *span, int ts);
/* fh NULL: no more frames */
void tdm_span_set_frame_handler(struct tdm_span *span, tdm_frame_h *fh,
				void *arg);
int  tdm_span_no(const struct tdm_span *span);
/* the span is the network side of Q.921/Q.931 */
bool tdm_span_network(const struct tdm_span *span);
bool tdm_span_up(const struct tdm_span *span);
/* what a span is now, for metrics and sipri-ctl */
struct tdm_span_state {
	bool up;              /* takes calls: D-channel up, no alarm */
	bool dchan_up;
	uint32_t alarms;      /* DAHDI_ALARM_* bits; DAHDI_ALARM_NOTOPEN
			       * when the device is gone */
	unsigned idle, busy, blocked, restarting;   /* B-channels */
};
void tdm_span_state(const struct tdm_span *span, struct tdm_span_state *st);
unsigned tdm_span_busy(const struct tdm_span *span);
/* B-channels free for a new call */
unsigned tdm_span_free(const struct tdm_span *span);
int  tdm_span_restart(struct tdm_span *span, int chan);
/* timeslot ts out of hunting, or back into it */
int  tdm_span_block(struct tdm_span *span, int ts, bool block);
/* "idle", "busy", "restarting", "blocked"; NULL: not a B-channel here */
const char *tdm_span_chan_state(const struct tdm_span *span, int ts);
/* clear every call on the span with cause (e.g. shutdown, 16) */
void tdm_span_clear(struct tdm_span *span, int cause);

int  tdm_leg_dial(struct tdm_leg **legp, struct tdm_span *span,
		  const struct cc_msg *setup);
void tdm_leg_set_handlers(struct tdm_leg *leg, tdm_msg_h *msgh,
			  tdm_chan_h *chanh, void *arg);
int  tdm_leg_send(struct tdm_leg *leg, const struct cc_msg *msg);
int  tdm_leg_fd(const struct tdm_leg *leg);
void tdm_leg_detach(struct tdm_leg *leg);
char tdm_leg_law(const struct tdm_leg *leg);
int  tdm_leg_spanno(const struct tdm_leg *leg);
/* the B-channel's timeslot (Q.931 channel number); 0 for none yet */
int  tdm_leg_chan(const struct tdm_leg *leg);
/* when its B-channel's buffers were set up (bchan_since()); 0: none */
uint64_t tdm_leg_chan_since(const struct tdm_leg *leg);
int  tdm_leg_echocancel(struct tdm_leg *leg, unsigned taps);
int  tdm_leg_inband_clear(struct tdm_leg *leg, int cause);

#endif
