/*
 * The call state machine as a table: each row names a state, the leg a
 * message came from and its type, the state to go to and what to do.  A
 * message with no row is refused and logged; races are rows of their own.
 *
 * Call flows: RFC 3666 §2 (SIP to ISDN) and §3 (ISDN to SIP); clearing
 * collisions: Q.931 §5.3 (clearing), RFC 3261 §9.1 (CANCEL against 200).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include "gateway/call/call_int.h"

/* Forward the message to the other leg */
static void act_forward(struct call *call, enum call_side from,
			const struct cc_msg *msg)
{
	call_send(call, !from, msg);
}

/* One leg starts clearing: tell the other, which has not heard yet */
static void act_disconnect(struct call *call, enum call_side from,
			   const struct cc_msg *msg)
{
	call->legs[from].clearing = true;
	call_send(call, !from, msg);
}

/* A leg is gone; clear the other unless it knows (told, or clearing on
 * its own); end when both are gone */
static void act_release(struct call *call, enum call_side from,
			const struct cc_msg *msg)
{
	struct cc_msg disc;

	struct call_leg *other = &call->legs[!from];

	call_leg_release(call, from);
	if (!other->released && !other->told && !other->clearing) {
		cc_msg_init(&disc, CC_DISCONNECT);
		disc.cause = msg->cause ? msg->cause : 16;
		disc.location = msg->location;
		call_send(call, !from, &disc);
	}
	call_check_done(call);
}

/* A race the table expects: nothing to forward */
static void act_collision(struct call *call, enum call_side from,
			  const struct cc_msg *msg)
{
	call_log(call, LOG_LVL_INFO, "%s from %s crosses the clearing: "
		 "not forwarded", cc_type_name(msg->type),
		 from == SIDE_A ? "A" : "B");
	if (msg->type == CC_DISCONNECT)
		call->legs[from].clearing = true;
}

/* A duplicate that changes nothing (a second 180, CONNECT ACK) */
static void act_ignore(struct call *call, enum call_side from,
		       const struct cc_msg *msg)
{
	(void)call;
	(void)from;
	(void)msg;
}

/* A NOTIFY before the answer: hold needs an active call (Q.931 §5.9, RFC
 * 3264 §8.4 needs a confirmed dialog); a law change is the leg's own */
static void act_notify_early(struct call *call, enum call_side from,
			     const struct cc_msg *msg)
{
	if (msg->notify)
		call_log(call, LOG_LVL_INFO, "NOTIFY 0x%02x from %s before "
			 "the answer: not forwarded", msg->notify,
			 from == SIDE_A ? "A" : "B");
}

#define A SIDE_A
#define B SIDE_B
#define ANY_STATE CALL_NSTATES
#define SAME      CALL_NSTATES

static const struct fsm_row rows[] = {
	/* establishment: A's SETUP goes to B; B's answers come back */
	{CALL_NULL,       A, CC_SETUP,       CALL_INIT,       act_forward},
	{CALL_INIT,       B, CC_SETUP_ACK,   SAME,            act_forward},
	{CALL_INIT,       A, CC_INFO,        SAME,            act_forward},
	{CALL_INIT,       B, CC_PROCEEDING,  CALL_PROCEEDING, act_forward},
	{CALL_INIT,       B, CC_ALERTING,    CALL_ALERTING,   act_forward},
	{CALL_INIT,       B, CC_PROGRESS,    CALL_PROCEEDING, act_forward},
	{CALL_INIT,       B, CC_CONNECT,     CALL_ACTIVE,     act_forward},
	{CALL_PROCEEDING, A, CC_INFO,        SAME,            act_forward},
	{CALL_PROCEEDING, B, CC_PROCEEDING,  SAME,            act_ignore},
	{CALL_PROCEEDING, B, CC_PROGRESS,    SAME,            act_forward},
	{CALL_PROCEEDING, B, CC_ALERTING,    CALL_ALERTING,   act_forward},
	{CALL_PROCEEDING, B, CC_CONNECT,     CALL_ACTIVE,     act_forward},
	{CALL_ALERTING,   B, CC_ALERTING,    SAME,            act_ignore},
	{CALL_ALERTING,   B, CC_PROGRESS,    SAME,            act_forward},
	{CALL_ALERTING,   B, CC_CONNECT,     CALL_ACTIVE,     act_forward},
	{CALL_ACTIVE,     A, CC_CONNECT_ACK, SAME,            act_ignore},
	{CALL_ACTIVE,     B, CC_CONNECT_ACK, SAME,            act_ignore},
	/* in-call digits (DTMF relay) both ways */
	{CALL_ACTIVE,     A, CC_INFO,        SAME,            act_forward},
	{CALL_ACTIVE,     B, CC_INFO,        SAME,            act_forward},
	/* hold, retrieval, codec change of the active call (the bridge has
	 * taken the new law already): Q.931 §5.9 NOTIFY where it applies */
	{CALL_ACTIVE,     A, CC_NOTIFY,      SAME,            act_forward},
	{CALL_ACTIVE,     B, CC_NOTIFY,      SAME,            act_forward},
	/* ... before the answer (an early UPDATE) only the leg's own bridge
	 * law changes, which the leg glue has applied */
	{ANY_STATE,       A, CC_NOTIFY,      SAME,            act_notify_early},
	{ANY_STATE,       B, CC_NOTIFY,      SAME,            act_notify_early},

	/* clearing from either side, in any live state */
	{ANY_STATE,       A, CC_DISCONNECT,  CALL_RELEASING,  act_disconnect},
	{ANY_STATE,       B, CC_DISCONNECT,  CALL_RELEASING,  act_disconnect},
	{ANY_STATE,       A, CC_RELEASE,     CALL_RELEASING,  act_release},
	{ANY_STATE,       B, CC_RELEASE,     CALL_RELEASING,  act_release},

	/* collisions while clearing:
	 * DISCONNECT against BYE: both legs clear at once (Q.931 §5.3.3) */
	{CALL_RELEASING,  A, CC_DISCONNECT,  SAME,            act_collision},
	{CALL_RELEASING,  B, CC_DISCONNECT,  SAME,            act_collision},
	/* CANCEL against CONNECT (RFC 3261 §9.1): the answer lost the race;
	 * the leg that answered has already been told to clear */
	{CALL_RELEASING,  B, CC_CONNECT,     SAME,            act_collision},
	{CALL_RELEASING,  B, CC_ALERTING,    SAME,            act_collision},
	{CALL_RELEASING,  B, CC_PROGRESS,    SAME,            act_collision},
	{CALL_RELEASING,  B, CC_PROCEEDING,  SAME,            act_collision},
	{CALL_RELEASING,  A, CC_INFO,        SAME,            act_collision},
	{CALL_RELEASING,  B, CC_INFO,        SAME,            act_collision},
	{CALL_RELEASING,  A, CC_CONNECT_ACK, SAME,            act_collision},
	{CALL_RELEASING,  B, CC_CONNECT_ACK, SAME,            act_collision},
	{CALL_RELEASING,  A, CC_NOTIFY,      SAME,            act_collision},
	{CALL_RELEASING,  B, CC_NOTIFY,      SAME,            act_collision},
};

/* Rows for a given state take precedence over ANY_STATE rows */
const struct fsm_row *fsm_lookup(enum call_state state, enum call_side side,
				 enum cc_type type)
{
	const struct fsm_row *any = NULL;

	if (state == CALL_DONE)
		return NULL;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct fsm_row *r = &rows[i];

		if (r->side != side || r->type != type)
			continue;
		if (r->state == state)
			return r;
		if (r->state == ANY_STATE && !any)
			any = r;
	}
	return any;
}

enum call_state fsm_next(const struct fsm_row *row, enum call_state cur)
{
	return row->next == SAME ? cur : row->next;
}
