/*
 * libpri events.  pbxsim holds any number of calls.  What a PBX always
 * does is done here without asking the script:
 * - a SETUP gets a B-channel: the one it asks for if free, else (unless
 *   it says "exclusive") a free one; none free: refused with cause 34, the
 *   one asked for exclusively busy: cause 44 (Q.931 §5.2.3.1); beyond
 *   --max-calls: cause 34;
 * - DISCONNECT received (HANGUP_REQ): answer with RELEASE (pri_hangup);
 * - RELEASE received (HANGUP): pri_hangup() frees libpri's call.
 * Every event is logged; the events of script-driven calls and of the link
 * are queued for the script's expectations, those of automatic calls
 * (autoanswer, load) are not.
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
	[EV_NOTIFY] = "notify",
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
void call_chan_open(struct call *call, int chan)
{
	struct pbxsim *p = call->p;
	int channo, err;

	if (chan < 1 || (chan == call->chan && call->audio))
		return;
	call->chan = chan;
	call->audio = mem_deref(call->audio);
	if (chan_busy(p, chan, call)) {
		call_log(call, "B-channel %d is another call's: no audio",
			 chan);
		return;
	}
	channo = prilink_channo(p->link, chan);
	err = audio_alloc(&call->audio, p, channo);
	if (err) {
		call_log(call, "B-channel %d (channel %d): cannot open: %m",
			 chan, channo, err);
		return;
	}
	audio_set_echo(call->audio, call->automatic && p->aa.echo);
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
	se->exclusive = -1;
	se->notify = -1;
	return se;
}

enum { EVENTS_MAX = 4096 };   /* a script that never expects: drop old */

static void ev_queue(struct pbxsim *p, struct sim_event *se)
{
	if (!se)
		return;
	if (list_count(&p->events) >= EVENTS_MAX)
		mem_deref(list_head(&p->events)->data);
	list_append(&p->events, &se->le, se);
	run_kick(p);
}

/* The call is gone: say so; `expect cleared` sees it (call_end) */
void call_cleared_queue(struct call *call)
{
	struct sim_event *se;

	call_log(call, "call cleared");
	if (call->automatic)
		return;
	se = ev_new(EV_CLEARED);
	if (se)
		se->callid = call->id;
	ev_queue(call->p, se);
}

/*
 * A SETUP that never left (no free B-channel, --max-calls): the call ends
 * here with cause 34, no circuit/channel available (Q.850), as a switch
 * would end it; the script sees `release cause=34`, then `cleared`.
 */
void call_refused_here(struct call *call, const char *why)
{
	struct sim_event *se;

	call_log(call, "SETUP called=%s not sent: %s: cleared here with "
		 "cause=34 (%s)", call->called, why,
		 pri_cause2str(PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION));
	if (!call->automatic) {
		se = ev_new(EV_RELEASE);
		if (se) {
			se->callid = call->id;
			se->cause = PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION;
		}
		ev_queue(call->p, se);
	}
	call_cleared_queue(call);
	call_end(call, PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION);
}

static struct call *ring_received(struct pbxsim *p, const pri_event_ring *r,
				  struct sim_event *se)
{
	struct call *call;

	str_ncpy(se->called, r->callednum, sizeof(se->called));
	str_ncpy(se->calling, r->callingnum, sizeof(se->calling));
	se->calledplan = r->calledplan;
	se->callingplan = r->callingplan;
	se->callingpres = r->callingpres;
	se->complete = r->complete;
	se->chan = chan_of(r->channel);
	se->exclusive = !r->flexible;
	p->stats.offered++;
	if (call_new(&call, p, r->call, true)) {
		sim_log(p, "<- SETUP: out of memory");
		return NULL;
	}
	call->automatic = p->aa.on;
	str_ncpy(call->called, r->callednum, sizeof(call->called));
	call_log(call, "<- SETUP called=%s ton=%s npi=%s calling=%s cton=%s "
		 "cnpi=%s pres=%s chan=%d%s complete=%s",
		 se->called, sim_ton_name(se->calledplan),
		 sim_npi_name(se->calledplan), se->calling,
		 sim_ton_name(se->callingplan), sim_npi_name(se->callingplan),
		 sim_pres_name(se->callingpres), se->chan,
		 r->flexible ? "" : " exclusive", r->complete ? "yes" : "no");
	return call;
}

/* Q.931 §5.2.3.1: channel selection at the destination */
static void ring_accept(struct call *call, int req, bool exclusive)
{
	struct pbxsim *p = call->p;
	int chan = -1, cause = 0;

	if (p->max_calls && p->stats.active > p->max_calls) {
		call_log(call, "over --max-calls %u", p->max_calls);
		cause = PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION;
	}
	else if (req > 0 && !chan_busy(p, req, call)) {
		chan = req;
	}
	else if (req > 0 && exclusive) {
		call_log(call, "B-channel %d is busy", req);
		cause = PRI_CAUSE_REQUESTED_CHAN_UNAVAIL;
	}
	else if ((chan = chan_hunt(p)) < 0) {
		call_log(call, "no free B-channel");
		cause = PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION;
	}
	if (cause) {
		call_reject(call, cause);
		return;
	}
	if (req > 0 && chan != req)
		call_log(call, "B-channel %d is busy: chan=%d instead",
			 req, chan);
	call_counted(call);
	call_chan_open(call, chan);
	if (call->automatic)
		autoanswer_setup(call);
}

static void hangup_received(struct pbxsim *p, struct call *call,
			    const pri_event *e, struct sim_event *se)
{
	struct pri *pri = prilink_pri(p->link);
	const pri_event_hangup *h = &e->hangup;
	char who[16] = "";

	if (call)
		re_snprintf(who, sizeof(who), "call(%u) ", call->id);
	se->cause = h->cause;
	se->chan = chan_of(h->channel);
	if (p->noclear && e->e != PRI_EVENT_HANGUP_ACK) {
		sim_log(p, "%s<- %s cause=%d: left unanswered (noclear)", who,
			e->e == PRI_EVENT_HANGUP_REQ ? "DISCONNECT" : "RELEASE",
			h->cause);
		return;
	}
	switch (e->e) {
	case PRI_EVENT_HANGUP_REQ:
		/* Q.931 §5.3.4: DISCONNECT is answered with RELEASE */
		sim_log(p, "%s<- DISCONNECT cause=%d (%s)", who, h->cause,
			pri_cause2str(h->cause));
		sim_log(p, "%s-> RELEASE cause=%d", who, h->cause);
		if (call)
			tmr_cancel(&call->tmr);
		pri_hangup(pri, h->call, h->cause);
		break;
	case PRI_EVENT_HANGUP:
		/* RELEASE or RELEASE COMPLETE: free libpri's call record */
		sim_log(p, "%s<- RELEASE cause=%d (%s)", who, h->cause,
			pri_cause2str(h->cause));
		pri_hangup(pri, h->call, h->cause);
		break;
	case PRI_EVENT_HANGUP_ACK:
		sim_log(p, "%s<- RELEASE COMPLETE cause=%d", who, h->cause);
		break;
	}
}

static void progress_received(struct pbxsim *p, struct call *call,
			      const char *msg, int channel, int progress,
			      int mask, struct sim_event *se)
{
	char who[16] = "";

	if (call)
		re_snprintf(who, sizeof(who), "call(%u) ", call->id);
	se->chan = chan_of(channel);
	se->progress = mask ? progress : -1;
	if (se->progress >= 0)
		sim_log(p, "%s<- %s chan=%d pi=%d", who, msg, se->chan,
			progress);
	else
		sim_log(p, "%s<- %s chan=%d", who, msg, se->chan);
	if (call && se->chan > 0)
		call_chan_open(call, se->chan);
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
	case PRI_EVENT_NOTIFY:       return EV_NOTIFY;
	default:                     return EV_OTHER;
	}
}

/* libpri's call of a call event, NULL for link events */
static q931_call *ev_call(const pri_event *e)
{
	switch (e->e) {
	case PRI_EVENT_SETUP_ACK:     return e->setup_ack.call;
	case PRI_EVENT_PROCEEDING:
	case PRI_EVENT_PROGRESS:      return e->proceeding.call;
	case PRI_EVENT_RINGING:       return e->ringing.call;
	case PRI_EVENT_ANSWER:        return e->answer.call;
	case PRI_EVENT_CONNECT_ACK:   return e->connect_ack.call;
	case PRI_EVENT_INFO_RECEIVED: return e->ring.call;
	case PRI_EVENT_HANGUP_REQ:
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_ACK:    return e->hangup.call;
	case PRI_EVENT_NOTIFY:        return e->notify.call;
	default:                      return NULL;
	}
}

/* Q.931 §5.5.2: a RESTART received returns the channel (chan < 1: every
 * channel) to idle; the calls on it end without clearing messages, and
 * libpri, which answers RESTART ACKNOWLEDGE itself, forgets them.  Called
 * once the `restart` event is queued: a script sees it, then `cleared`.
 * The sender of a RESTART for every channel drops its own too (action.c) */
void call_drop_restarted(struct pbxsim *p, int chan)
{
	struct le *le = list_head(&p->calls);

	p->restarts |= chan > 0 ? 1u << chan : chan_all(p);
	p->restart_last = tmr_jiffies();
	while (le) {
		struct call *call = le->data;

		le = le->next;
		if (chan > 0 && call->chan != chan)
			continue;
		p->stats.restarted++;
		call_log(call, "B-channel %d restarted: call dropped",
			 call->chan);
		if (call->c)
			pri_destroycall(prilink_pri(p->link), call->c);
		call->c = NULL;
		call_cleared_queue(call);
		call_end(call, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE);
	}
}

static void event_log(struct pbxsim *p, struct call *call,
		      const pri_event *e, struct sim_event *se)
{
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP:
		p->up = true;
		p->up_since = tmr_jiffies();
		sim_log(p, "D-channel up");
		break;
	case PRI_EVENT_DCHAN_DOWN:
		p->up = false;
		p->restarts = 0;   /* the far end restarts anew when back */
		sim_log(p, "D-channel down");
		break;
	case PRI_EVENT_SETUP_ACK:
		progress_received(p, call, "SETUP ACKNOWLEDGE",
				  e->setup_ack.channel, -1, 0, se);
		break;
	case PRI_EVENT_PROCEEDING:
		progress_received(p, call, "CALL PROCEEDING",
				  e->proceeding.channel,
				  e->proceeding.progress,
				  e->proceeding.progressmask, se);
		break;
	case PRI_EVENT_PROGRESS:
		progress_received(p, call, "PROGRESS", e->proceeding.channel,
				  e->proceeding.progress,
				  e->proceeding.progressmask, se);
		/* a cause with in-band information (Q.931 §5.3.4.1) */
		if (e->proceeding.cause > 0) {
			se->cause = e->proceeding.cause;
			sim_log(p, "call(%u) <- PROGRESS cause=%d (%s)",
				call ? call->id : 0, se->cause,
				pri_cause2str(se->cause));
		}
		break;
	case PRI_EVENT_RINGING:
		progress_received(p, call, "ALERTING", e->ringing.channel,
				  e->ringing.progress,
				  e->ringing.progressmask, se);
		break;
	case PRI_EVENT_ANSWER:
		progress_received(p, call, "CONNECT", e->answer.channel,
				  e->answer.progress, e->answer.progressmask,
				  se);
		break;
	case PRI_EVENT_CONNECT_ACK:
		if (call)
			call_log(call, "<- CONNECT ACKNOWLEDGE");
		else
			sim_log(p, "<- CONNECT ACKNOWLEDGE");
		break;
	case PRI_EVENT_NOTIFY:
		/* Q.931 §5.9: e.g. 0x79 remote hold, 0x7a remote retrieval */
		se->notify = e->notify.info;
		if (call)
			call_log(call, "<- NOTIFY info=0x%02x", se->notify);
		else
			sim_log(p, "<- NOTIFY info=0x%02x", se->notify);
		break;
	case PRI_EVENT_RESTART:
		se->chan = chan_of(e->restart.channel);
		sim_log(p, "<- RESTART chan=%d", se->chan);
		break;
	case PRI_EVENT_RESTART_ACK:
		se->chan = chan_of(e->restartack.channel);
		sim_log(p, "<- RESTART ACKNOWLEDGE chan=%d", se->chan);
		break;
	case PRI_EVENT_SERVICE:   /* status 0 in service, 2 out of service */
		se->chan = chan_of(e->service.channel);
		sim_log(p, "<- SERVICE chan=%d status=%d", se->chan,
			e->service.changestatus);
		break;
	default:
		sim_log(p, "<- %s", pri_event2str(e->e));
		break;
	}
}

static void info_received(struct pbxsim *p, struct call *call,
			  const pri_event *e, struct sim_event *se)
{
	size_t n;

	str_ncpy(se->called, e->ring.callednum, sizeof(se->called));
	if (!call) {
		sim_log(p, "<- INFORMATION digits=%s", se->called);
		return;
	}
	call_log(call, "<- INFORMATION digits=%s", se->called);
	n = strlen(call->called);
	str_ncpy(call->called + n, e->ring.callednum,
		 sizeof(call->called) - n);
}

/* What follows an event, once it is queued */
static void event_after(struct call *call, int type, int req, bool excl,
			int cause)
{
	switch (type) {
	case PRI_EVENT_RING:
		ring_accept(call, req, excl);
		break;
	case PRI_EVENT_ANSWER:
		if (!call->answered) {
			call->answered = true;
			call->p->stats.connected++;
			if (call->load)
				load_connected(call);
		}
		break;
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_ACK:
		call_cleared_queue(call);
		call_end(call, cause);
		break;
	}
}

void call_event(const pri_event *e, void *arg)
{
	struct pbxsim *p = arg;
	struct sim_event *se = ev_new(ev_type(e->e));
	struct call *call = call_find(p, ev_call(e));
	int type = e->e, req = -1, cause, chan;
	bool excl = false;

	if (!se)
		return;
	switch (type) {
	case PRI_EVENT_RING:
		call = ring_received(p, &e->ring, se);
		req = se->chan;
		excl = !e->ring.flexible;
		break;
	case PRI_EVENT_INFO_RECEIVED:
		info_received(p, call, e, se);
		break;
	case PRI_EVENT_HANGUP_REQ:
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_ACK:
		hangup_received(p, call, e, se);
		break;
	default:
		event_log(p, call, e, se);
		break;
	}
	/* e may be dead from here on (a libpri call was made) */
	cause = se->cause;
	chan = se->chan;
	if (call)
		se->callid = call->id;
	if (call && call->automatic)
		mem_deref(se);
	else
		ev_queue(p, se);
	if (call)
		event_after(call, type, req, excl, cause);
	if (type == PRI_EVENT_RESTART)
		call_drop_restarted(p, chan);
	run_kick(p);    /* the counters may have changed: `expect stats` */
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
