/*
 * What pbxsim sends for the script, autoanswer and load: SETUP (on a
 * hunted B-channel unless told), the answers to an incoming SETUP (SETUP
 * ACKNOWLEDGE, CALL PROCEEDING, ALERTING, PROGRESS, CONNECT, or a refusal
 * with a cause), INFORMATION digits, DISCONNECT and RESTART.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dahdi/user.h>
#include "pbxsim.h"

/* TON and NPI options (Q.931 §4.5.8): the octet-3 plan libpri wants */
static int plan_get(const struct cmd *c, const char *tonkey,
		    const char *npikey, int *planp)
{
	int ton = PRI_TON_UNKNOWN, npi = PRI_NPI_E163_E164, err = 0;

	if (cmd_opt(c, tonkey))
		err = sim_ton_parse(&ton, cmd_opt(c, tonkey));
	if (!err && cmd_opt(c, npikey))
		err = sim_npi_parse(&npi, cmd_opt(c, npikey));
	*planp = ton << 4 | npi;
	return err;
}

static int setup_parse(struct pbxsim *p, const struct cmd *c,
		       struct setup_prm *prm)
{
	int err;

	memset(prm, 0, sizeof(*prm));
	prm->called = cmd_pos(c, 0);
	prm->calling = cmd_opt(c, "calling");
	prm->pres = PRI_PRES_ALLOWED;
	prm->complete = !cmd_opt(c, "complete") || cmd_flag(c, "complete");
	prm->exclusive = cmd_flag(c, "exclusive");
	if (cmd_int(c, "chan", &prm->chan) == EINVAL ||
	    (cmd_opt(c, "chan") &&
	     (prm->chan < 1 || prm->chan > 31 ||
	      (prm->chan > 23 && prilink_info(p->link)->t1))))
		return EINVAL;
	err = plan_get(c, "ton", "npi", &prm->plan);
	err |= plan_get(c, "cton", "cnpi", &prm->cplan);
	if (cmd_opt(c, "pres"))
		err |= sim_pres_parse(&prm->pres, cmd_opt(c, "pres"));
	return err ? EINVAL : 0;
}

static void setup_build(struct pbxsim *p, const struct setup_prm *prm,
			struct pri_sr *sr)
{
	const struct dahdi_chaninfo *info = prilink_info(p->link);

	pri_sr_set_channel(sr, prm->chan, prm->exclusive, 1);
	pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH,
			  info->law == DAHDI_LAW_MULAW ? PRI_LAYER_1_ULAW :
			  PRI_LAYER_1_ALAW);
	/* Q.931 §4.5.27: Sending Complete unless digits follow */
	pri_sr_set_called(sr, (char *)prm->called, prm->plan, prm->complete);
	if (prm->calling && prm->calling[0])
		pri_sr_set_caller(sr, (char *)prm->calling, NULL, prm->cplan,
				  prm->pres | PRI_PRES_USER_NUMBER_UNSCREENED);
}

/*
 * Send a SETUP (Q.931 §5.1.1).  chan 0 hunts a free B-channel; an
 * explicit chan is sent as asked even when busy here.  *callp is NULL when
 * the call ended at once (no free B-channel).
 */
int call_setup(struct call **callp, struct pbxsim *p,
	       const struct setup_prm *prm)
{
	struct pri *pri = prilink_pri(p->link);
	struct setup_prm sp = *prm;
	struct pri_sr *sr = NULL;
	struct call *call;
	int err;

	*callp = NULL;
	err = call_new(&call, p, NULL, false);
	if (err)
		return err;
	p->stats.placed++;
	call->load = sp.load;
	call->automatic = sp.load != NULL;
	if (!sp.chan)
		sp.chan = chan_hunt(p);
	str_ncpy(call->called, sp.called, sizeof(call->called));
	if (p->max_calls && p->stats.active > p->max_calls) {
		call_refused_here(call, "over --max-calls");
		return 0;
	}
	if (sp.chan < 1) {
		call_refused_here(call, "no free B-channel");
		return 0;
	}
	call_log(call, "-> SETUP called=%s ton=%s npi=%s calling=%s cton=%s "
		 "cnpi=%s pres=%s chan=%d%s complete=%s", sp.called,
		 sim_ton_name(sp.plan), sim_npi_name(sp.plan),
		 sp.calling ? sp.calling : "", sim_ton_name(sp.cplan),
		 sim_npi_name(sp.cplan), sim_pres_name(sp.pres), sp.chan,
		 sp.exclusive ? " exclusive" : "", sp.complete ? "yes" : "no");
	sr = pri_sr_new();
	if (!sr) {
		err = ENOMEM;
		goto out;
	}
	setup_build(p, &sp, sr);
	call->c = pri_new_call(pri);
	call->t_setup_us = sim_usec();
	if (!call->c || pri_setup(pri, call->c, sr)) {
		err = EPROTO;
		goto out;
	}
	call_counted(call);
	call_chan_open(call, sp.chan);
	*callp = call;
 out:
	if (sr)
		pri_sr_free(sr);
	if (err) {
		if (call->c)
			pri_destroycall(pri, call->c);
		call_log(call, "SETUP failed: %m", err);
		call_cleared_queue(call);
		call_end(call, PRI_CAUSE_DESTINATION_OUT_OF_ORDER);
	}
	prilink_sched(p->link);
	return err;
}

int call_place(struct pbxsim *p, const struct cmd *c)
{
	struct setup_prm prm;
	struct call *call;
	int err;

	err = setup_parse(p, c, &prm);
	if (err)
		return err;
	err = call_setup(&call, p, &prm);
	if (!err && call)
		p->cur = call;
	return err;
}

/* Q.931 §4.5.23: libpri sends progress indicator 8 (in-band) or none */
static int inband_get(const struct cmd *c, int *inbandp)
{
	int pi = 0;

	if (cmd_int(c, "pi", &pi) == EINVAL || (pi != 0 && pi != 8))
		return EINVAL;
	*inbandp = pi == 8 || cmd_flag(c, "inband");
	return 0;
}

/*
 * Refuse an incoming SETUP.  libpri 1.6 answers a SETUP it holds in the
 * call-present state with RELEASE COMPLETE only for causes 1, 34, 44, 81
 * and 82, and with RELEASE for 6, 7 and 26.  For any other cause it wants
 * to send DISCONNECT, which it only does once the call has been answered
 * in some way: it would send nothing at all.  So for those causes send
 * CALL PROCEEDING first, then DISCONNECT with the cause (Q.931 §5.3.2).
 */
int call_reject(struct call *call, int cause)
{
	struct pri *pri = prilink_pri(call->p->link);
	int chan = call->chan > 0 ? call->chan : 0;
	int res;

	if (!call->incoming || call->answered || call->hungup)
		return EALREADY;
	call->refused = true;
	call->hungup = true;
	call->p->stats.refused++;
	switch (cause) {
	case 1: case 34: case 44: case 81: case 82:
		call_log(call, "-> RELEASE COMPLETE cause=%d (%s)", cause,
			 pri_cause2str(cause));
		break;
	case 6: case 7: case 26:
		call_log(call, "-> RELEASE cause=%d (%s)", cause,
			 pri_cause2str(cause));
		break;
	default:
		call_log(call, "-> CALL PROCEEDING chan=%d (libpri needs it "
			 "before cause %d)", chan, cause);
		pri_proceeding(pri, call->c, chan, 0);
		call_log(call, "-> DISCONNECT cause=%d (%s)", cause,
			 pri_cause2str(cause));
		res = pri_hangup(pri, call->c, cause);
		prilink_sched(call->p->link);
		return res ? EPROTO : 0;
	}
	res = pri_hangup(pri, call->c, cause);
	prilink_sched(call->p->link);
	if (cause != 6 && cause != 7 && cause != 26) {
		/* RELEASE COMPLETE: libpri has freed the call already */
		call_cleared_queue(call);
		call_end(call, cause);
	}
	return res ? EPROTO : 0;
}

/* CONNECT (Q.931 §5.2.8) */
int call_answer(struct call *call)
{
	struct pbxsim *p = call->p;
	int res;

	if (!call->incoming || call->hungup)
		return EALREADY;
	call_log(call, "-> CONNECT chan=%d", call->chan);
	res = pri_answer(prilink_pri(p->link), call->c, call->chan, 0);
	if (!call->answered)
		p->stats.answered++;
	call->answered = true;
	prilink_sched(p->link);
	run_kick(p);
	return res ? EPROTO : 0;
}

int call_respond(struct pbxsim *p, struct call *call, const struct cmd *c)
{
	struct pri *pri = prilink_pri(p->link);
	const char *what = c->argv[0];
	int inband = 0, cause = 0, chan, res;

	if (!call)
		return ENOENT;
	if (inband_get(c, &inband))
		return EINVAL;

	if (!strcmp(what, "answer"))
		return call_answer(call);
	if (!strcmp(what, "reject"))
		return call_reject(call, cmd_pos(c, 0) ? atoi(cmd_pos(c, 0)) :
				   PRI_CAUSE_USER_BUSY);
	if (!strcmp(what, "setup_ack")) {
		call_log(call, "-> SETUP ACKNOWLEDGE chan=%d", call->chan);
		res = pri_need_more_info(pri, call->c, call->chan, 0);
	}
	else if (!strcmp(what, "proceeding")) {
		/* chan=N: the network picks another B-channel than the
		 * preferred one asked for (Q.931 §5.2.3.1 b) */
		if (cmd_int(c, "chan", &chan) == 0)
			call_chan_open(call, chan);
		call_log(call, "-> CALL PROCEEDING chan=%d%s", call->chan,
			 inband ? " pi=8" : "");
		res = pri_proceeding(pri, call->c, call->chan, inband);
	}
	else if (!strcmp(what, "alerting")) {
		call_log(call, "-> ALERTING chan=%d%s", call->chan,
			 inband ? " pi=8" : "");
		res = pri_acknowledge(pri, call->c, call->chan, inband);
	}
	else if (!strcmp(what, "progress") &&
		 cmd_int(c, "cause", &cause) == 0 && cause > 0) {
		/* in-band information with a cause: an announcement before
		 * clearing, reported the way libpri reports a DISCONNECT with
		 * progress indicator 8 to a pri_set_inbanddisconnect() peer */
		call_log(call, "-> PROGRESS chan=%d pi=8 cause=%d", call->chan,
			 cause);
		res = pri_progress_with_cause(pri, call->c, call->chan, 1,
					      cause);
	}
	else if (!strcmp(what, "progress")) {
		call_log(call, "-> PROGRESS chan=%d pi=8", call->chan);
		res = pri_progress(pri, call->c, call->chan, 1);
	}
	else {
		return EINVAL;
	}
	prilink_sched(p->link);
	return res ? EPROTO : 0;
}

/* DISCONNECT (Q.931 §5.3.3) */
int call_hangup(struct call *call, int cause)
{
	int res;

	if (!call)
		return ENOENT;
	if (call->hungup)
		return EALREADY;
	call_log(call, "-> DISCONNECT cause=%d (%s)", cause,
		 pri_cause2str(cause));
	call->hungup = true;
	tmr_cancel(&call->tmr);
	res = pri_hangup(prilink_pri(call->p->link), call->c, cause);
	prilink_sched(call->p->link);
	return res ? EPROTO : 0;
}

/* Clear every call still up (a failed or timed-out scenario) */
void call_hangup_all(struct pbxsim *p)
{
	for (struct le *le = list_head(&p->calls); le; le = le->next) {
		struct call *call = le->data;

		if (!call->hungup)
			call_hangup(call, PRI_CAUSE_NORMAL_CLEARING);
	}
}

/* Overlap sending (Q.931 §5.1.3): one INFORMATION per digit; escapes
 * (script_unescape) send any byte but NUL */
int call_info(struct call *call, const char *digits)
{
	char bytes[256];
	struct pri *pri;
	int err;

	if (!call)
		return ENOENT;
	err = script_unescape(bytes, sizeof(bytes), digits);
	if (err)
		return err;
	pri = prilink_pri(call->p->link);
	call_log(call, "-> INFORMATION digits=%s", digits);
	for (const char *d = bytes; *d && !err; d++) {
		if (pri_information(pri, call->c, *d))
			err = EPROTO;
	}
	prilink_sched(call->p->link);
	return err;
}

/* Q.931 §4.5.18: the digits in one INFORMATION's keypad facility */
int call_keypad(struct call *call, const char *digits)
{
	int res;

	if (!call)
		return ENOENT;
	call_log(call, "-> INFORMATION keypad=%s", digits);
	res = pri_keypad_facility(prilink_pri(call->p->link), call->c,
				  digits);
	prilink_sched(call->p->link);
	return res ? EPROTO : 0;
}

/* Q.931 §5.9 NOTIFY with a §4.5.22 notification description: "hold"
 * (0x79 remote hold), "retrieval" (0x7a remote retrieval) or a number */
int call_notify(struct call *call, const char *what)
{
	char *end;
	long info;
	int res;

	if (!call)
		return ENOENT;
	if (!strcmp(what, "hold"))
		info = 0x79;
	else if (!strcmp(what, "retrieval"))
		info = 0x7a;
	else {
		info = strtol(what, &end, 0);
		if (*end || info < 0 || info > 0x7f)
			return EINVAL;
	}
	call_log(call, "-> NOTIFY info=0x%02lx", info);
	res = pri_notify(prilink_pri(call->p->link), call->c, call->chan,
			 (int)info);
	prilink_sched(call->p->link);
	return res ? EPROTO : 0;
}

/* Q.931 §5.5: RESTART for one B-channel */
int call_restart(struct pbxsim *p, int chan)
{
	int res;

	sim_log(p, "-> RESTART chan=%d", chan);
	res = pri_reset(prilink_pri(p->link), chan);
	prilink_sched(p->link);
	return res ? EPROTO : 0;
}

/*
 * Q.931 §5.5.1: RESTART for every B-channel of the span, one message a
 * channel (libpri sends the class "indicated channels" only), as a PBX
 * recovering from a fault does.  Its own calls on them are over: they
 * end here without clearing messages, as those of a RESTART received.
 */
int call_restart_all(struct pbxsim *p)
{
	bool t1 = prilink_info(p->link)->t1;
	int err = 0;

	call_drop_restarted(p, -1);
	for (int ts = 1; ts <= (t1 ? 23 : 31) && !err; ts++) {
		if (!t1 && ts == 16)
			continue;   /* the D-channel */
		err = call_restart(p, ts);
	}
	return err;
}
