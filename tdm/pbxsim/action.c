/*
 * What the script makes pbxsim send: SETUP, the answers to an incoming
 * SETUP (SETUP ACKNOWLEDGE, CALL PROCEEDING, ALERTING, PROGRESS, CONNECT,
 * or a refusal with a cause), INFORMATION digits, DISCONNECT and RESTART.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dahdi/user.h>
#include "pbxsim.h"

void call_destructor(void *data)
{
	struct call *call = data;

	mem_deref(call->audio);
}

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

static int setup_build(struct pbxsim *p, const struct cmd *c,
		       struct pri_sr *sr, int *chanp, char *called,
		       char *calling)
{
	const struct dahdi_chaninfo *info = prilink_info(p->link);
	int chan = 1, plan, cplan, pres = PRI_PRES_ALLOWED, err;
	bool complete = !cmd_opt(c, "complete") || cmd_flag(c, "complete");

	if (cmd_int(c, "chan", &chan) == EINVAL || chan < 1 || chan > 31)
		return EINVAL;
	err = plan_get(c, "ton", "npi", &plan);
	err |= plan_get(c, "cton", "cnpi", &cplan);
	if (cmd_opt(c, "pres"))
		err |= sim_pres_parse(&pres, cmd_opt(c, "pres"));
	if (err)
		return EINVAL;

	pri_sr_set_channel(sr, chan, cmd_flag(c, "exclusive"), 1);
	pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH,
			  info->law == DAHDI_LAW_MULAW ? PRI_LAYER_1_ULAW :
			  PRI_LAYER_1_ALAW);
	/* Q.931 §4.5.27: Sending Complete unless digits follow */
	pri_sr_set_called(sr, called, plan, complete);
	if (calling)
		pri_sr_set_caller(sr, calling, NULL, cplan,
				  pres | PRI_PRES_USER_NUMBER_UNSCREENED);
	sim_log(p, "-> SETUP called=%s ton=%s npi=%s calling=%s cton=%s "
		"cnpi=%s pres=%s chan=%d%s complete=%s", called,
		sim_ton_name(plan), sim_npi_name(plan),
		calling ? calling : "", sim_ton_name(cplan),
		sim_npi_name(cplan), sim_pres_name(pres), chan,
		cmd_flag(c, "exclusive") ? " exclusive" : "",
		complete ? "yes" : "no");
	*chanp = chan;
	return 0;
}

int call_place(struct pbxsim *p, const struct cmd *c)
{
	struct pri *pri = prilink_pri(p->link);
	char called[64], calling[64];
	struct pri_sr *sr;
	struct call *call;
	int chan, err;

	if (p->call)
		return EBUSY;
	str_ncpy(called, cmd_pos(c, 0), sizeof(called));
	str_ncpy(calling, cmd_opt(c, "calling") ? cmd_opt(c, "calling") : "",
		 sizeof(calling));
	call = mem_zalloc(sizeof(*call), call_destructor);
	sr = pri_sr_new();
	if (!call || !sr) {
		err = ENOMEM;
		goto out;
	}
	err = setup_build(p, c, sr, &chan, called,
			  calling[0] ? calling : NULL);
	if (err)
		goto out;
	call->c = pri_new_call(pri);
	if (!call->c || pri_setup(pri, call->c, sr)) {
		err = EPROTO;
		goto out;
	}
	str_ncpy(call->called, called, sizeof(call->called));
	p->call = call;
	call = NULL;
	call_chan_open(p, p->call, chan);
 out:
	if (sr)
		pri_sr_free(sr);
	mem_deref(call);
	prilink_sched(p->link);
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
static int reject(struct pbxsim *p, struct call *call, int cause)
{
	struct pri *pri = prilink_pri(p->link);
	int res;

	switch (cause) {
	case 1: case 34: case 44: case 81: case 82:
		sim_log(p, "-> RELEASE COMPLETE cause=%d (%s)", cause,
			pri_cause2str(cause));
		break;
	case 6: case 7: case 26:
		sim_log(p, "-> RELEASE cause=%d (%s)", cause,
			pri_cause2str(cause));
		break;
	default:
		sim_log(p, "-> CALL PROCEEDING chan=%d (libpri needs it "
			"before cause %d)", call->chan, cause);
		pri_proceeding(pri, call->c, call->chan, 0);
		sim_log(p, "-> DISCONNECT cause=%d (%s)", cause,
			pri_cause2str(cause));
		call->hungup = true;
		return pri_hangup(pri, call->c, cause);
	}
	res = pri_hangup(pri, call->c, cause);
	call_cleared(p);
	return res;
}

int call_respond(struct pbxsim *p, const struct cmd *c)
{
	struct pri *pri = prilink_pri(p->link);
	const char *what = c->argv[0];
	struct call *call = p->call;
	int inband = 0, res, cause;

	if (!call)
		return ENOENT;
	if (inband_get(c, &inband))
		return EINVAL;

	if (!strcmp(what, "setup_ack")) {
		sim_log(p, "-> SETUP ACKNOWLEDGE chan=%d", call->chan);
		res = pri_need_more_info(pri, call->c, call->chan, 0);
	}
	else if (!strcmp(what, "proceeding")) {
		sim_log(p, "-> CALL PROCEEDING chan=%d%s", call->chan,
			inband ? " pi=8" : "");
		res = pri_proceeding(pri, call->c, call->chan, inband);
	}
	else if (!strcmp(what, "alerting")) {
		sim_log(p, "-> ALERTING chan=%d%s", call->chan,
			inband ? " pi=8" : "");
		res = pri_acknowledge(pri, call->c, call->chan, inband);
	}
	else if (!strcmp(what, "progress")) {
		sim_log(p, "-> PROGRESS chan=%d pi=8", call->chan);
		res = pri_progress(pri, call->c, call->chan, 1);
	}
	else if (!strcmp(what, "answer")) {
		sim_log(p, "-> CONNECT chan=%d", call->chan);
		res = pri_answer(pri, call->c, call->chan, 0);
		call->answered = true;
	}
	else if (!strcmp(what, "reject")) {
		cause = PRI_CAUSE_USER_BUSY;
		if (cmd_pos(c, 0))
			cause = atoi(cmd_pos(c, 0));
		res = reject(p, call, cause);
	}
	else {
		return EINVAL;
	}
	prilink_sched(p->link);
	return res ? EPROTO : 0;
}

int call_hangup(struct pbxsim *p, int cause)
{
	struct call *call = p->call;
	int res;

	if (!call)
		return ENOENT;
	if (call->hungup)
		return EALREADY;
	sim_log(p, "-> DISCONNECT cause=%d (%s)", cause,
		pri_cause2str(cause));
	call->hungup = true;
	res = pri_hangup(prilink_pri(p->link), call->c, cause);
	prilink_sched(p->link);
	return res ? EPROTO : 0;
}

/* Overlap sending (Q.931 §5.1.3): one INFORMATION per digit */
int call_info(struct pbxsim *p, const char *digits)
{
	struct pri *pri = prilink_pri(p->link);
	int err = 0;

	if (!p->call)
		return ENOENT;
	sim_log(p, "-> INFORMATION digits=%s", digits);
	for (const char *d = digits; *d && !err; d++) {
		if (pri_information(pri, p->call->c, *d))
			err = EPROTO;
	}
	prilink_sched(p->link);
	return err;
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
