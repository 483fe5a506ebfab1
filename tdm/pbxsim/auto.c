/*
 * `autoanswer`: incoming calls answered without the script, as a PBX
 * extension that picks up.  Each SETUP, once it has its B-channel
 * (call.c), gets CALL PROCEEDING and ALERTING, then CONNECT after the ring
 * time; with hold=, pbxsim clears it with cause 16 after that long.  With
 * reject=CAUSE every SETUP is refused instead; with echo the B-channel's
 * audio goes back out.  The counters (calls.c) say how it went.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "pbxsim.h"

int autoanswer_set(struct pbxsim *p, const struct cmd *c)
{
	struct autoanswer aa = {.on = true};

	if (cmd_flag(c, "off")) {
		p->aa.on = false;
		sim_log(p, "autoanswer off");
		return 0;
	}
	if (cmd_int(c, "ring", &aa.ring_ms) == EINVAL || aa.ring_ms < 0 ||
	    cmd_int(c, "hold", &aa.hold_ms) == EINVAL || aa.hold_ms < 0 ||
	    cmd_int(c, "reject", &aa.reject) == EINVAL ||
	    (cmd_opt(c, "reject") && (aa.reject < 1 || aa.reject > 127)))
		return EINVAL;
	aa.echo = cmd_flag(c, "echo");
	p->aa = aa;
	if (aa.reject)
		sim_log(p, "autoanswer: refuse every SETUP with cause %d",
			aa.reject);
	else
		sim_log(p, "autoanswer: ring %d ms, hold %d ms%s", aa.ring_ms,
			aa.hold_ms, aa.echo ? ", echo" : "");
	return 0;
}

static void hold_h(void *arg)
{
	struct call *call = arg;

	call_hangup(call, PRI_CAUSE_NORMAL_CLEARING);
}

static void answer(struct call *call)
{
	const struct autoanswer *aa = &call->p->aa;

	if (call_answer(call))
		return;
	if (aa->hold_ms)
		tmr_start(&call->tmr, aa->hold_ms, hold_h, call);
}

static void ring_h(void *arg)
{
	answer(arg);
}

/* A SETUP with its B-channel: Q.931 §5.2.5.1, §5.2.5.2, §5.2.8 */
void autoanswer_setup(struct call *call)
{
	struct pbxsim *p = call->p;
	struct pri *pri = prilink_pri(p->link);
	const struct autoanswer *aa = &p->aa;

	if (aa->reject) {
		call_reject(call, aa->reject);
		return;
	}
	call_log(call, "-> CALL PROCEEDING chan=%d", call->chan);
	pri_proceeding(pri, call->c, call->chan, 0);
	call_log(call, "-> ALERTING chan=%d", call->chan);
	pri_acknowledge(pri, call->c, call->chan, 0);
	prilink_sched(p->link);
	if (aa->ring_ms)
		tmr_start(&call->tmr, aa->ring_ms, ring_h, call);
	else
		answer(call);
}
