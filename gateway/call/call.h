/*
 * The call core: one call joins two legs, A (where the call came from) and
 * B (where it was routed), which exchange neutral cc_msg primitives through
 * one explicit state machine (fsm.c).  The core knows neither libpri nor
 * SIP; a leg is a send function and a detach function.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_CALL_H
#define SIPRI_CALL_H

#include <stdbool.h>
#include "common/cc.h"
#include "common/log.h"

struct call;

enum call_side { SIDE_A = 0, SIDE_B = 1 };

enum call_state {
	CALL_NULL = 0,     /* A's SETUP not yet forwarded */
	CALL_INIT,         /* SETUP forwarded to B, nothing back yet */
	CALL_PROCEEDING,   /* B is proceeding */
	CALL_ALERTING,     /* B is ringing */
	CALL_ACTIVE,       /* B answered */
	CALL_RELEASING,    /* clearing: waiting for both legs to release */
	CALL_DONE,         /* both legs released */
	CALL_NSTATES
};

/* What the core needs of a leg */
struct leg_ops {
	const char *name;   /* "pri" or "sip", for logs */
	/* deliver a message to the leg's protocol; positive errno on failure */
	int  (*send)(void *leg, const struct cc_msg *msg);
	/* the call is going away: the leg must not call back any more */
	void (*detach)(void *leg);
};

/* Called when a call ends (state DONE), before it is freed */
typedef void (call_done_h)(struct call *call, void *arg);

int  call_alloc(struct call **callp, unsigned id, call_done_h *doneh,
		void *arg);
void call_attach(struct call *call, enum call_side side,
		 const struct leg_ops *ops, void *leg);
void call_input(struct call *call, enum call_side side,
		const struct cc_msg *msg);
void call_hangup(struct call *call, int cause);
/* clear the call max_ms after the answer (0: never), with cause 16 */
void call_set_max_duration(struct call *call, uint32_t max_ms);

unsigned call_id(const struct call *call);
enum call_state call_state(const struct call *call);
const char *call_state_name(enum call_state state);

/*
 * The far end rings without media (a 180 without SDP): the policy wants
 * sipri to play ringback on the B-channel itself.  A hook for the tones
 * generator: today it records the wish and the caller hears silence.
 */
void call_ringback_local(struct call *call, bool on);
bool call_ringback(const struct call *call);

/* log with the call(ID){STATE}: prefix */
void call_log(const struct call *call, enum log_level level,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
