/*
 * The call object: two legs, a state, and the engine that runs fsm.c's
 * table.  Legs may call back into call_input() from inside a send; the
 * state changes before the action runs and the call holds a reference to
 * itself while it works, so re-entry is safe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include "gateway/call/call_int.h"

enum {
	GUARD_MS = 40000,        /* clearing longer than this is a stuck leg */
	CALL_CAUSE_NORMAL = 16,  /* Q.850 normal call clearing */
};

static const char *state_names[CALL_NSTATES] = {
	[CALL_NULL]       = "NULL",
	[CALL_INIT]       = "INIT",
	[CALL_PROCEEDING] = "PROCEEDING",
	[CALL_ALERTING]   = "ALERTING",
	[CALL_ACTIVE]     = "ACTIVE",
	[CALL_RELEASING]  = "RELEASING",
	[CALL_DONE]       = "DONE",
};

const char *call_state_name(enum call_state state)
{
	return state < CALL_NSTATES ? state_names[state] : "?";
}

static void call_destructor(void *arg)
{
	struct call *call = arg;

	timer_cancel(&call->guard);
	timer_cancel(&call->limit);
	for (int s = 0; s < 2; s++) {
		struct call_leg *l = &call->legs[s];

		if (l->ops && l->ops->detach)
			l->ops->detach(l->leg);
	}
}

int call_alloc(struct call **callp, unsigned id, call_done_h *doneh,
	       void *arg)
{
	struct call *call;

	if (!callp)
		return EINVAL;
	call = mem_zalloc(sizeof(*call), call_destructor);
	if (!call)
		return ENOMEM;
	call->id = id;
	call->state = CALL_NULL;
	call->doneh = doneh;
	call->arg = arg;
	timer_init(&call->guard);
	timer_init(&call->limit);
	*callp = call;
	return 0;
}

void call_attach(struct call *call, enum call_side side,
		 const struct leg_ops *ops, void *leg)
{
	call->legs[side].ops = ops;
	call->legs[side].leg = leg;
}

unsigned call_id(const struct call *call)
{
	return call->id;
}

enum call_state call_state(const struct call *call)
{
	return call->state;
}

void call_log(const struct call *call, enum log_level level,
	      const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (!log_enabled(level))
		return;
	n = snprintf(line, sizeof(line), "call(%u){%s}: ", call->id,
		     call_state_name(call->state));
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	log_msg(level, "%s", line);
}

static void guard_expired(void *arg)
{
	struct call *call = arg;

	call_log(call, LOG_LVL_ERR, "legs did not release in %d ms: "
		 "forcing them down", GUARD_MS);
	mem_ref(call);
	call_leg_release(call, SIDE_A);
	call_leg_release(call, SIDE_B);
	call_check_done(call);
	mem_deref(call);
}

void call_set_max_duration(struct call *call, uint32_t max_ms)
{
	call->max_ms = max_ms;
}

static void limit_expired(void *arg)
{
	struct call *call = arg;

	call_log(call, LOG_LVL_INFO, "the maximum duration (%u ms) is "
		 "reached: clearing (cause %d)", call->max_ms,
		 CALL_CAUSE_NORMAL);
	call_hangup(call, CALL_CAUSE_NORMAL);
}

void call_leg_release(struct call *call, enum call_side side)
{
	struct call_leg *l = &call->legs[side];

	if (l->released)
		return;
	l->released = true;
	if (l->ops && l->ops->detach)
		l->ops->detach(l->leg);
	l->ops = NULL;
	l->leg = NULL;
}

void call_check_done(struct call *call)
{
	if (call->state == CALL_DONE)
		return;
	if (!call->legs[SIDE_A].released || !call->legs[SIDE_B].released)
		return;
	call->state = CALL_DONE;
	timer_cancel(&call->guard);
	call_log(call, LOG_LVL_INFO, "both legs released");
	if (call->doneh)
		call->doneh(call, call->arg);
}

void call_send(struct call *call, enum call_side to, const struct cc_msg *msg)
{
	struct call_leg *l = &call->legs[to];
	struct cc_msg disc;
	int err;

	if (l->released || !l->ops)
		return;
	if (msg->type == CC_DISCONNECT) {
		if (l->told)
			return;
		l->told = true;
	}
	call_log(call, LOG_LVL_DEBUG, "-> %s %s%s", l->ops->name,
		 cc_type_name(msg->type), msg->cause ? " (with cause)" : "");
	err = l->ops->send(l->leg, msg);
	if (!err || l->released)
		return;

	/* the leg could not take it: it is gone; clear the other side */
	call_log(call, LOG_LVL_WARN, "%s leg refused %s: %s", l->ops->name,
		 cc_type_name(msg->type), strerror(err));
	call_leg_release(call, to);
	if (call->state != CALL_RELEASING)
		call->state = CALL_RELEASING;
	cc_msg_init(&disc, CC_DISCONNECT);
	disc.cause = 41;   /* Q.850: temporary failure */
	disc.location = CC_LOC_PRIV_LOCAL;
	call_send(call, !to, &disc);
	call_check_done(call);
}

void call_input(struct call *call, enum call_side side,
		const struct cc_msg *msg)
{
	const struct fsm_row *row;
	enum call_state prev = call->state;

	row = fsm_lookup(call->state, side, msg->type);
	if (!row) {
		call_log(call, LOG_LVL_WARN, "%s from %s not allowed here: "
			 "refused", cc_type_name(msg->type),
			 side == SIDE_A ? "A" : "B");
		return;
	}
	mem_ref(call);
	call->state = fsm_next(row, call->state);
	if (call->state != prev)
		call_log(call, LOG_LVL_DEBUG, "%s from %s, was %s",
			 cc_type_name(msg->type), side == SIDE_A ? "A" : "B",
			 call_state_name(prev));
	if (call->state == CALL_RELEASING && prev != CALL_RELEASING) {
		timer_cancel(&call->limit);
		timer_start(&call->guard, GUARD_MS, guard_expired, call);
	}
	if (call->state == CALL_ACTIVE && prev != CALL_ACTIVE && call->max_ms)
		timer_start(&call->limit, call->max_ms, limit_expired, call);
	row->act(call, side, msg);
	mem_deref(call);
}

/* Clear the call from the gateway's side (shutdown, span failure) */
void call_hangup(struct call *call, int cause)
{
	struct cc_msg disc;

	if (call->state == CALL_DONE)
		return;
	mem_ref(call);
	if (call->state != CALL_RELEASING) {
		call->state = CALL_RELEASING;
		timer_cancel(&call->limit);
		timer_start(&call->guard, GUARD_MS, guard_expired, call);
	}
	cc_msg_init(&disc, CC_DISCONNECT);
	disc.cause = cause;
	disc.location = CC_LOC_PRIV_LOCAL;
	call_send(call, SIDE_A, &disc);
	call_send(call, SIDE_B, &disc);
	call_check_done(call);
	mem_deref(call);
}

/* the policy hook for local ringback (sipri.conf(5) ringback = local):
 * the state; the tone itself is gateway/progress.c's */
void call_ringback_local(struct call *call, bool on)
{
	if (!call || call->ringback == on)
		return;
	call->ringback = on;
	call_log(call, LOG_LVL_INFO, "local ringback %s", on ? "on" : "off");
}

bool call_ringback(const struct call *call)
{
	return call && call->ringback;
}
