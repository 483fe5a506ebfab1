/*
 * Call core internals shared by call.c and fsm.c.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_CALL_INT_H
#define SIPRI_CALL_INT_H

#include <re_types.h>
#include <re_mem.h>
#include <re_list.h>
#include "common/timer.h"
#include "gateway/call/call.h"

struct call_leg {
	const struct leg_ops *ops;
	void *leg;
	bool told;       /* we sent it DISCONNECT */
	bool clearing;   /* it sent us DISCONNECT */
	bool released;   /* it is gone */
};

struct call {
	unsigned id;
	enum call_state state;
	struct call_leg legs[2];
	struct timer guard;    /* bounds the time spent clearing */
	struct timer limit;    /* the maximum duration, once answered */
	uint32_t max_ms;       /* 0: none */
	call_done_h *doneh;
	void *arg;
	bool ringback;         /* local ringback wanted (call_ringback_local) */
};

typedef void (fsm_action)(struct call *call, enum call_side from,
			  const struct cc_msg *msg);

struct fsm_row {
	enum call_state state;   /* CALL_NSTATES: any live state */
	enum call_side side;     /* the leg the message came from */
	enum cc_type type;
	enum call_state next;    /* CALL_NSTATES: stay */
	fsm_action *act;
};

const struct fsm_row *fsm_lookup(enum call_state state, enum call_side side,
				 enum cc_type type);
enum call_state fsm_next(const struct fsm_row *row, enum call_state cur);

void call_send(struct call *call, enum call_side to, const struct cc_msg *msg);
void call_leg_release(struct call *call, enum call_side side);
void call_check_done(struct call *call);

#endif
