/*
 * libpri events and call control.  pbxsim holds one call at a time.  What
 * a PBX always does is done here without asking the script:
 * - DISCONNECT received (HANGUP_REQ): answer with RELEASE (pri_hangup);
 * - RELEASE received (HANGUP): pri_hangup() frees libpri's call;
 * - a SETUP while a call is up is refused with cause 17 (user busy).
 * Every event is logged and queued for the script's expectations.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <dahdi/user.h>
#include "pbxsim.h"

static const char *ev_names[] = {
	[EV_SETUP] = "setup", [EV_SETUP_ACK] = "setup_ack",
	[EV_PROCEEDING] = "proceeding", [EV_ALERTING] = "alerting",
	[EV_PROGRESS] = "progress", [EV_CONNECT] = "connect",
	[EV_CONNECT_ACK] = "connect_ack", [EV_INFO] = "info",
	[EV_DISCONNECT] = "disconnect", [EV_RELEASE] = "release",
	[EV_CLEARED] = "cleared", [EV_RESTART] = "restart",
	[EV_RESTART_ACK] = "restart_ack", [EV_DCHAN_UP] = "dchan_up",
	[EV_DCHAN_DOWN] = "dchan_down", [EV_ALARM] = "alarm",
	[EV_NOALARM] = "noalarm", [EV_BADFCS] = "badfcs",
	[EV_OTHER] = "other",
};

const char *sim_ev_name(enum sim_ev ev)
{
	return ev <= EV_OTHER ? ev_names[ev] : "?";
}

int sim_ev_parse(enum sim_ev *evp, const char *name)
{
	for (int i = 0; i <= EV_OTHER; i++) {
		if (!strcmp(name, ev_names[i])) {
			*evp = i;
			return 0;
		}
	}
	return EINVAL;
}

static int chan_of(int prichan)
{
	int ts = prichan & 0xff;

	return prichan < 0 || ts < 1 || ts == 0xff ? -1 : ts;
}

/* (Re)open the B-channel when the call's timeslot is known or moves */
void call_chan_open(struct pbxsim *p, struct call *call, int chan)
{
	int channo, err;

	if (chan < 1 || (chan == call->chan && call->audio))
		return;
	call->chan = chan;
	call->audio = mem_deref(call->audio);
	channo = prilink_channo(p->link, chan);
	err = audio_alloc(&call->audio, p, channo);
	if (err)
		sim_log(p, "B-channel %d (channel %d): cannot open: %m",
			chan, channo, err);
}

/* The call is gone: `cleared` follows the event that cleared it */
static void call_free(struct pbxsim *p)
{
	p->call = mem_deref(p->call);
	p->cleared = true;
}

static void ev_destructor(void *data)
{
	struct sim_event *se = data;

	list_unlink(&se->le);
}

static struct sim_event *ev_new(enum sim_ev type)
{
	struct sim_event *se = mem_zalloc(sizeof(*se), ev_destructor);

	if (!se)
		return NULL;
	se->type = type;
	se->cause = -1;
	se->chan = -1;
	se->progress = -1;
	se->complete = -1;
	return se;
}

static void ev_queue(struct pbxsim *p, struct sim_event *se)
{
	if (!se)
		return;
	list_append(&p->events, &se->le, se);
	run_kick(p);
}

static void ring_received(struct pbxsim *p, const pri_event_ring *r,
			  struct sim_event *se)
{
	struct pri *pri = prilink_pri(p->link);
	struct call *call;

	str_ncpy(se->called, r->callednum, sizeof(se->called));
	str_ncpy(se->calling, r->callingnum, sizeof(se->calling));
	se->calledplan = r->calledplan;
	se->callingplan = r->callingplan;
	se->callingpres = r->callingpres;
	se->complete = r->complete;
	se->chan = chan_of(r->channel);
	sim_log(p, "<- SETUP called=%s ton=%s npi=%s calling=%s cton=%s "
		"cnpi=%s pres=%s chan=%d%s complete=%s",
		se->called, sim_ton_name(se->calledplan),
		sim_npi_name(se->calledplan), se->calling,
		sim_ton_name(se->callingplan), sim_npi_name(se->callingplan),
		sim_pres_name(se->callingpres), se->chan,
		r->flexible ? "" : " exclusive", r->complete ? "yes" : "no");

	if (p->call) {
		/* Q.850 cause 17: one call at a time */
		sim_log(p, "-> RELEASE COMPLETE cause=17 (a call is up)");
		pri_hangup(pri, r->call, PRI_CAUSE_USER_BUSY);
		return;
	}
	call = mem_zalloc(sizeof(*call), call_destructor);
	if (!call)
		return;
	call->c = r->call;
	call->incoming = true;
	str_ncpy(call->called, r->callednum, sizeof(call->called));
	p->call = call;
	call_chan_open(p, call, se->chan > 0 ? se->chan : 1);
}

static bool is_ours(const struct pbxsim *p, const q931_call *c)
{
	return p->call && p->call->c == c;
}

static void hangup_received(struct pbxsim *p, const pri_event *e,
			    struct sim_event *se)
{
	struct pri *pri = prilink_pri(p->link);
	const pri_event_hangup *h = &e->hangup;

	se->cause = h->cause;
	se->chan = chan_of(h->channel);
	switch (e->e) {
	case PRI_EVENT_HANGUP_REQ:
		/* Q.931 §5.3.4: DISCONNECT is answered with RELEASE */
		sim_log(p, "<- DISCONNECT cause=%d (%s)", h->cause,
			pri_cause2str(h->cause));
		sim_log(p, "-> RELEASE cause=%d", h->cause);
		pri_hangup(pri, h->call, h->cause);
		break;
	case PRI_EVENT_HANGUP:
		/* RELEASE or RELEASE COMPLETE: free libpri's call record */
		sim_log(p, "<- RELEASE cause=%d (%s)", h->cause,
			pri_cause2str(h->cause));
		pri_hangup(pri, h->call, h->cause);
		if (is_ours(p, h->call))
			call_free(p);
		break;
	case PRI_EVENT_HANGUP_ACK:
		sim_log(p, "<- RELEASE COMPLETE cause=%d", h->cause);
		if (is_ours(p, h->call))
			call_free(p);
		break;
	}
}

static void progress_received(struct pbxsim *p, const char *msg,
			      int channel, int progress, int mask,
			      struct sim_event *se)
{
	se->chan = chan_of(channel);
	se->progress = mask ? progress : -1;
	if (se->progress >= 0)
		sim_log(p, "<- %s chan=%d pi=%d", msg, se->chan, progress);
	else
		sim_log(p, "<- %s chan=%d", msg, se->chan);
	if (p->call && se->chan > 0)
		call_chan_open(p, p->call, se->chan);
}

static enum sim_ev ev_type(int e)
{
	switch (e) {
	case PRI_EVENT_DCHAN_UP:     return EV_DCHAN_UP;
	case PRI_EVENT_DCHAN_DOWN:   return EV_DCHAN_DOWN;
	case PRI_EVENT_RING:         return EV_SETUP;
	case PRI_EVENT_SETUP_ACK:    return EV_SETUP_ACK;
	case PRI_EVENT_PROCEEDING:   return EV_PROCEEDING;
	case PRI_EVENT_RINGING:      return EV_ALERTING;
	case PRI_EVENT_PROGRESS:     return EV_PROGRESS;
	case PRI_EVENT_ANSWER:       return EV_CONNECT;
	case PRI_EVENT_CONNECT_ACK:  return EV_CONNECT_ACK;
	case PRI_EVENT_INFO_RECEIVED: return EV_INFO;
	case PRI_EVENT_HANGUP_REQ:   return EV_DISCONNECT;
	case PRI_EVENT_HANGUP:       return EV_RELEASE;
	case PRI_EVENT_HANGUP_ACK:   return EV_RELEASE;
	case PRI_EVENT_RESTART:      return EV_RESTART;
	case PRI_EVENT_RESTART_ACK:  return EV_RESTART_ACK;
	default:                     return EV_OTHER;
	}
}

static void event_log(struct pbxsim *p, const pri_event *e,
		      struct sim_event *se)
{
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP:
		p->up = true;
		p->up_since = tmr_jiffies();
		sim_log(p, "D-channel up");
		break;
	case PRI_EVENT_DCHAN_DOWN:
		p->up = false;
		sim_log(p, "D-channel down");
		break;
	case PRI_EVENT_SETUP_ACK:
		progress_received(p, "SETUP ACKNOWLEDGE", e->setup_ack.channel,
				  -1, 0, se);
		break;
	case PRI_EVENT_PROCEEDING:
		progress_received(p, "CALL PROCEEDING", e->proceeding.channel,
				  e->proceeding.progress,
				  e->proceeding.progressmask, se);
		break;
	case PRI_EVENT_PROGRESS:
		progress_received(p, "PROGRESS", e->proceeding.channel,
				  e->proceeding.progress,
				  e->proceeding.progressmask, se);
		break;
	case PRI_EVENT_RINGING:
		progress_received(p, "ALERTING", e->ringing.channel,
				  e->ringing.progress,
				  e->ringing.progressmask, se);
		break;
	case PRI_EVENT_ANSWER:
		progress_received(p, "CONNECT", e->answer.channel,
				  e->answer.progress, e->answer.progressmask,
				  se);
		if (p->call)
			p->call->answered = true;
		break;
	case PRI_EVENT_CONNECT_ACK:
		sim_log(p, "<- CONNECT ACKNOWLEDGE");
		break;
	case PRI_EVENT_RESTART:
		se->chan = chan_of(e->restart.channel);
		sim_log(p, "<- RESTART chan=%d", se->chan);
		break;
	case PRI_EVENT_RESTART_ACK:
		se->chan = chan_of(e->restartack.channel);
		sim_log(p, "<- RESTART ACKNOWLEDGE chan=%d", se->chan);
		break;
	default:
		sim_log(p, "<- %s", pri_event2str(e->e));
		break;
	}
}

/* The call ended on our side (a refused SETUP): free it, say so */
void call_cleared(struct pbxsim *p)
{
	p->call = mem_deref(p->call);
	sim_log(p, "call cleared");
	ev_queue(p, ev_new(EV_CLEARED));
}

void call_event(const pri_event *e, void *arg)
{
	struct pbxsim *p = arg;
	struct sim_event *se = ev_new(ev_type(e->e));

	if (!se)
		return;
	switch (e->e) {
	case PRI_EVENT_RING:
		ring_received(p, &e->ring, se);
		break;
	case PRI_EVENT_INFO_RECEIVED:
		str_ncpy(se->called, e->ring.callednum, sizeof(se->called));
		sim_log(p, "<- INFORMATION digits=%s", se->called);
		if (p->call && is_ours(p, e->ring.call)) {
			size_t n = strlen(p->call->called);

			str_ncpy(p->call->called + n, e->ring.callednum,
				 sizeof(p->call->called) - n);
		}
		break;
	case PRI_EVENT_HANGUP_REQ:
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_ACK:
		hangup_received(p, e, se);
		break;
	default:
		event_log(p, e, se);
		break;
	}
	ev_queue(p, se);
	if (p->cleared) {
		p->cleared = false;
		sim_log(p, "call cleared");
		ev_queue(p, ev_new(EV_CLEARED));
	}
}

void call_dahdi_event(int event, void *arg)
{
	struct pbxsim *p = arg;
	enum sim_ev type;

	switch (event) {
	case DAHDI_EVENT_ALARM:   type = EV_ALARM;   break;
	case DAHDI_EVENT_NOALARM: type = EV_NOALARM; break;
	case DAHDI_EVENT_BADFCS:  type = EV_BADFCS;  break;
	default:                  type = EV_OTHER;   break;
	}
	sim_log(p, "DAHDI event %s", dahdi_event_name(event));
	ev_queue(p, ev_new(type));
}
