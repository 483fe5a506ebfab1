/*
 * One call on a PRI span: libpri's Q.931 call <-> cc_msg, and the call's
 * B-channel.  Call flows per RFC 3666 §2/§3 and Q.931 §5; libpri's own
 * rules (doc/ARCHITECTURE, facts): HANGUP_REQ (DISCONNECT received)
 * needs a pri_hangup() reply, pri_hangup() after HANGUP frees libpri's
 * call, and after HANGUP_ACK the call pointer is dead.
 *
 * A leg lives in its span's list until libpri's call is gone AND the call
 * core has detached; only then is it freed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <dahdi/user.h>
#include "tdm/pri/tdmpri.h"
#include "tdm/tdm_int.h"

enum {
	GUARD_MS   = 30000,  /* a hangup libpri never confirms */
	RETRIES    = 2,      /* re-hunts after glare (cause 44) */
	T302_MS    = 10000,  /* Q.931 Table 9-1: T302, 10-15 s */
	OVERLAP_MAX_MS = 40000,
};

static struct pri *leg_pri(const struct tdm_leg *leg)
{
	return prilink_pri(leg->span->link);
}

/* the B-channel opened (its fd) or is about to close (-1): whoever
 * reads it on another loop starts, or stops (and closes it, if it took
 * it: the timeslot is then "closing" until it says it did) */
static void chan_tell(struct tdm_leg *leg, int fd)
{
	bool taken;

	if (leg->detached || !leg->chanh || (fd >= 0 && leg->given))
		return;
	taken = leg->chanh(fd, leg->arg);
	if (fd < 0 || !taken)
		return;
	leg->given = true;
	bchan_disown(leg->b);
	leg->span->closing[leg->chan]++;
}

static void chan_close(struct tdm_leg *leg)
{
	if (leg->b)
		chan_tell(leg, -1);
	leg->b = mem_deref(leg->b);
	leg->given = false;
}

/* the B-channel of timeslot ts: a close of it on another loop that has
 * not happened yet (EBUSY, as DAHDI answers a second open) is waited for
 * once */
static int chan_open(struct tdm_leg *leg, int ts)
{
	struct tdm_span *span = leg->span;
	int channo = prilink_channo(span->link, ts);
	int err = bchan_alloc(&leg->b, channo, false, NULL, NULL);

	if (err == EBUSY && span->waith) {
		tdm_leg_log(leg, LOG_LVL_INFO, "channel %d is still closing on "
			    "the media plane: waiting for it", ts);
		span->waith(span->wait_arg);
		err = bchan_alloc(&leg->b, channo, false, NULL, NULL);
	}
	return err;
}

static void leg_destructor(void *data)
{
	struct tdm_leg *leg = data;

	timer_cancel(&leg->digit_tmr);
	timer_cancel(&leg->report_tmr);
	timer_cancel(&leg->t310_tmr);
	chan_close(leg);
	tdm_span_unclaim(leg->span, leg->chan, leg);
	list_unlink(&leg->le);
}

static struct tdm_leg *leg_alloc(struct tdm_span *span)
{
	struct tdm_leg *leg = mem_zalloc(sizeof(*leg), leg_destructor);

	if (!leg)
		return NULL;
	leg->span = span;
	timer_init(&leg->digit_tmr);
	timer_init(&leg->report_tmr);
	timer_init(&leg->t310_tmr);
	list_append(&span->legs, &leg->le, leg);   /* the list's reference */
	return leg;
}

/* Free the leg once nobody needs it: no libpri call, core detached.
 * Reporting RELEASE may detach the core, which calls this too: only the
 * first call drops the list's reference (callers that use the leg after
 * a report hold their own) */
static void leg_maybe_free(struct tdm_leg *leg)
{
	if (leg->c || !leg->detached || !leg->le.list)
		return;
	list_unlink(&leg->le);
	mem_deref(leg);
}

static void report(struct tdm_leg *leg, const struct cc_msg *msg)
{
	if (!leg->detached && leg->msgh)
		leg->msgh(msg, leg->arg);
}

static void report_type(struct tdm_leg *leg, enum cc_type type, int cause)
{
	struct cc_msg msg;

	cc_msg_init(&msg, type);
	msg.cause = cause;
	msg.location = CC_LOC_PUB_LOCAL;
	report(leg, &msg);
}

/* Use timeslot ts for the call: claim it and open its B-channel */
static int chan_take(struct tdm_leg *leg, int ts)
{
	int err;

	if (ts == leg->chan && leg->b)
		return 0;
	err = tdm_span_claim(leg->span, ts, leg);
	if (err)
		return err;
	tdm_span_unclaim(leg->span, leg->chan, leg);
	chan_close(leg);
	leg->chan = ts;
	/* its audio is read and written on the media plane (chan_tell) */
	err = chan_open(leg, ts);
	if (!err && leg->span->prm.ec_taps)
		tdm_leg_echocancel(leg, leg->span->prm.ec_taps);
	if (!err)
		chan_tell(leg, bchan_fd(leg->b));
	return err;
}

static void chan_drop(struct tdm_leg *leg)
{
	chan_close(leg);
	tdm_span_unclaim(leg->span, leg->chan, leg);
	leg->chan = 0;
}

/* The network may answer on another channel than we asked for */
static void chan_follow(struct tdm_leg *leg, int channel)
{
	int ts = channel & 0xff;

	if (channel < 0 || ts < 1 || ts == 0xff || ts == leg->chan)
		return;
	/* Q.931 §5.1.2: a preferred channel leaves the choice to it */
	tdm_leg_log(leg, LOG_LVL_INFO, "the network chose channel %d", ts);
	if (chan_take(leg, ts)) {
		tdm_leg_log(leg, LOG_LVL_WARN, "channel %d is not ours to "
			    "use: clearing (cause 44)", ts);
		report_type(leg, CC_DISCONNECT, 44);
	}
}

static void guard_expired(void *arg)
{
	struct tdm_leg *leg = arg;
	int ts = leg->chan;

	/* libpri never confirmed the clearing: drop its call ourselves,
	 * and RESTART the channel (Q.931 §5.5.1: the far end may still
	 * think it busy); it stays out of hunting until acknowledged */
	tdm_leg_log(leg, LOG_LVL_WARN, "clearing not confirmed in %d s: "
		    "dropping the call%s", GUARD_MS / 1000,
		    ts ? ", RESTART for its channel" : "");
	mem_ref(leg);
	if (leg->c)
		pri_destroycall(leg_pri(leg), leg->c);
	leg->c = NULL;
	chan_drop(leg);
	if (ts)
		tdm_span_restart(leg->span, ts);
	report_type(leg, CC_RELEASE, 102);   /* recovery on timer expiry */
	leg_maybe_free(leg);
	mem_deref(leg);
}

static void report_release(void *arg);

/*
 * Q.931 §5.3.2 exceptions: before the call is active, libpri (1.6, legacy
 * hangup: see tdm/pri/link.c) clears with causes 1, 34, 44, 81 and 82 by
 * sending RELEASE COMPLETE, and frees its call right away, with no event
 * to follow: the leg must not wait for one (its channel stayed busy and
 * the guard timer later handed libpri a dead call pointer).
 */
static bool released_at_once(int cause)
{
	switch (cause) {
	case 1: case 34: case 44: case 81: case 82:
		return true;
	default:
		return false;
	}
}

/*
 * Clear libpri's call with a cause.  In the call-present state libpri
 * sends RELEASE COMPLETE only for causes 1, 34, 44, 81 and 82, RELEASE
 * for 6, 7 and 26, and otherwise nothing until the call has proceeded:
 * so for other causes send CALL PROCEEDING first (Q.931 §5.3.2).
 */
static void hangup(struct tdm_leg *leg, int cause)
{
	struct pri *pri = leg_pri(leg);
	bool present = !leg->outgoing && !leg->proceeding && !leg->answered;

	if (leg->hanging || !leg->c)
		return;
	cause = cause ? cause : 16;
	tdm_leg_log(leg, LOG_LVL_INFO, "%s sent, cause %d (%s)",
		    !leg->answered && released_at_once(cause) ?
		    "RELEASE COMPLETE" : present && (cause == 6 ||
		    cause == 7 || cause == 26) ? "RELEASE" : "DISCONNECT",
		    cause, pri_cause2str(cause));
	leg->hanging = true;
	timer_cancel(&leg->t310_tmr);
	if (present && !released_at_once(cause) && cause != 6 &&
	    cause != 7 && cause != 26) {
		pri_proceeding(pri, leg->c, leg->chan, 0);
		leg->proceeding = true;
	}
	pri_hangup(pri, leg->c, cause);
	prilink_sched(leg->span->link);
	if (!leg->answered && released_at_once(cause)) {
		/* libpri has sent RELEASE COMPLETE and freed its call: no
		 * HANGUP_ACK will come.  Report RELEASE from the loop */
		leg->c = NULL;
		chan_drop(leg);
		leg->report_cause = cause;
		timer_start(&leg->report_tmr, 0, report_release, leg);
		return;
	}
	timer_start(&leg->report_tmr, GUARD_MS, guard_expired, leg);
}

static void offer(struct tdm_leg *leg)
{
	timer_cancel(&leg->digit_tmr);
	leg->offered = true;
	leg->setup.sending_complete = true;
	if (leg->span->seth)
		leg->span->seth(leg, &leg->setup, leg->span->arg);
	if (!leg->msgh) {   /* nobody took the call */
		leg->detached = true;
		hangup(leg, 34);
		return;
	}
	/* Q.931 §5.2.5.2: the number is complete and the call is routed;
	 * CALL PROCEEDING now stops the caller's T303 while SIP works */
	if (leg->c && !leg->proceeding && !leg->hanging) {
		tdm_leg_log(leg, LOG_LVL_DEBUG, "CALL PROCEEDING sent");
		leg->proceeding = true;
		pri_proceeding(leg_pri(leg), leg->c, leg->chan, 0);
		prilink_sched(leg->span->link);
	}
}

static void digits_timeout(void *arg)
{
	struct tdm_leg *leg = arg;

	if (leg->ovl_capped)
		tdm_leg_log(leg, LOG_LVL_INFO, "overlap receiving has lasted "
			    "its %d ms: the number is complete",
			    leg->span->prm.overlap_max > 0 ?
			    leg->span->prm.overlap_max : OVERLAP_MAX_MS);
	offer(leg);   /* Q.931 T302 expired: the number is complete */
}

/*
 * Q.931 §5.2.4.3: T302 restarts with each digit, but a caller trickling
 * digits cannot hold the channel forever: the whole collection ends
 * overlap_max after the SETUP, as if T302 had expired.
 */
static void t302_start(struct tdm_leg *leg)
{
	const struct tdm_span_prm *prm = &leg->span->prm;
	uint64_t t302 = prm->digit_timeout > 0 ? prm->digit_timeout : T302_MS;
	uint64_t max = prm->overlap_max > 0 ? prm->overlap_max :
		OVERLAP_MAX_MS;
	uint64_t spent = tmr_jiffies() - leg->ovl_start;
	uint64_t left = spent < max ? max - spent : 0;

	leg->ovl_capped = left <= t302;
	timer_start(&leg->digit_tmr, leg->ovl_capped ? left : t302,
		    digits_timeout, leg);
}

/* the SETUP names a B-channel (not "any channel", not the interface) */
static bool ts_named(const pri_event_ring *r)
{
	int ts = r->channel & 0xff;

	return r->channel >= 0 && ts >= 1 && ts != 0xff;
}

/*
 * Q.931 §5.2.3.1: the channel for a call from the network.  The one the
 * SETUP indicates when it is free here (c); when it is not (glare: our
 * own SETUP has just taken it) or none is indicated, and the network
 * accepts an alternative ("preferred", or "any channel"), any other free
 * one, which our first response names as exclusive (c); else the cause
 * of RELEASE COMPLETE (d): 44 for the exclusive channel, 34 for none
 * free.
 */
static int incoming_chan(struct tdm_leg *leg, const pri_event_ring *r)
{
	int ts = r->channel & 0xff;

	if (ts_named(r) && !chan_take(leg, ts))
		return 0;
	if (ts_named(r) && !r->flexible)
		return 44;   /* requested circuit/channel not available */
	ts = tdm_span_hunt(leg->span, 0);
	if (!ts || chan_take(leg, ts))
		return 34;   /* no circuit/channel available */
	if (ts_named(r))
		tdm_leg_log(leg, LOG_LVL_INFO, "channel %d preferred is busy "
			    "here: taking channel %d (Q.931 §5.2.3.1 c)",
			    r->channel & 0xff, ts);
	return 0;
}

void tdm_leg_incoming(struct tdm_span *span, const pri_event_ring *r)
{
	struct pri *pri = prilink_pri(span->link);
	int ts = r->channel & 0xff, cause;
	struct tdm_leg *leg;
	struct cc_msg *s;

	leg = leg_alloc(span);
	if (!leg) {
		tdm_span_log(span, LOG_LVL_WARN, "SETUP received: out of "
			     "memory, clearing (cause 47)");
		pri_hangup(pri, r->call, 47);   /* resource unavailable */
		return;
	}
	leg->c = r->call;
	s = &leg->setup;
	cc_msg_init(s, CC_SETUP);
	tdm_party_from_pri(&s->called, r->callednum, r->calledplan, -1);
	tdm_party_from_pri(&s->calling, r->callingnum, r->callingplan,
			   r->callingpres);
	if (r->redirectingnum[0]) {
		tdm_party_from_pri(&s->redirecting, r->redirectingnum,
				   r->callingplanrdnis, -1);
		s->redirect_reason = r->redirectingreason;
	}
	if (r->progressmask & PRI_PROG_INBAND_AVAILABLE)
		s->progress = CC_PI_INBAND;

	cause = incoming_chan(leg, r);
	if (cause == 44)
		tdm_leg_log(leg, LOG_LVL_WARN, "SETUP received for channel "
			    "%d exclusive, which is not ours to use", ts);
	else if (cause)
		tdm_leg_log(leg, LOG_LVL_WARN, "SETUP received: no B-channel "
			    "is free here");
	if (cause) {
		leg->detached = true;
		hangup(leg, cause);
		return;
	}
	tdm_log_setup_in(leg, r);
	if (span->prm.overlap && !r->complete) {
		char first[CC_NUMLEN];

		/* the SETUP's digits may complete the number already */
		str_ncpy(first, s->called.number, sizeof(first));
		s->called.number[0] = '\0';
		if (tdm_ovl_add(leg, first)) {
			offer(leg);
			return;
		}
		/* overlap receiving (Q.931 §5.2.4): SETUP ACK, then digits */
		pri_need_more_info(pri, leg->c, leg->chan, 0);
		leg->ovl_start = tmr_jiffies();
		t302_start(leg);
		tdm_leg_log(leg, LOG_LVL_DEBUG, "SETUP ACKNOWLEDGE sent: "
			    "overlap receiving");
		return;
	}
	offer(leg);
}

static void info_received(struct tdm_leg *leg, const char *digits,
			  bool complete)
{
	struct cc_msg msg;

	if (leg->offered && !leg->answered && !leg->outgoing) {
		/* Q.931 §5.2.4.3: after CALL PROCEEDING the number is
		 * complete; digits the caller still sends are not passed on */
		return;
	}
	if (leg->offered) {
		cc_msg_init(&msg, CC_INFO);
		str_ncpy(msg.digits, digits, sizeof(msg.digits));
		msg.dtmf = leg->answered;   /* in the call: DTMF, not dialling */
		report(leg, &msg);
		return;
	}
	/* Q.931 §5.2.4.3: Sending Complete, '#', or the length rule end
	 * the collection; otherwise T302 restarts with each digit */
	if (tdm_ovl_add(leg, digits) || complete)
		offer(leg);
	else
		t302_start(leg);
}

/* Q.931 §4.5.18 keypad facility in an INFORMATION during the call:
 * digits the user pressed, relayed as DTMF */
static void keypad_received(struct tdm_leg *leg, const char *digits)
{
	struct cc_msg msg;

	if (!leg->offered && !leg->outgoing)
		return;
	cc_msg_init(&msg, CC_INFO);
	str_ncpy(msg.digits, digits, sizeof(msg.digits));
	msg.dtmf = true;
	report(leg, &msg);
}

/* Q.931 §5.9 NOTIFY: the user holds (0x79) or retrieves (0x7a) the
 * call (§4.5.22); other notifications mean nothing to SIP.  Hold needs an
 * active call: before CONNECT the core ignores it (gateway/call/fsm.c) */
static void notify_received(struct tdm_leg *leg, int info)
{
	struct cc_msg msg;

	if (info != CC_NOTIFY_REMOTE_HOLD &&
	    info != CC_NOTIFY_REMOTE_RETRIEVAL)
		return;
	cc_msg_init(&msg, CC_NOTIFY);
	msg.notify = info;
	report(leg, &msg);
}

static int dial(struct tdm_leg *leg)
{
	struct pri *pri = leg_pri(leg);
	const struct cc_msg *s = &leg->setup;
	char called[CC_NUMLEN], calling[CC_NUMLEN];
	struct pri_sr *sr;
	int ts, err;

	ts = tdm_span_hunt(leg->span, leg->refused);
	if (!ts)
		return EBUSY;
	err = chan_take(leg, ts);
	if (err)
		return err;
	leg->c = pri_new_call(pri);
	sr = pri_sr_new();
	if (!leg->c || !sr) {
		pri_sr_free(sr);
		return ENOMEM;
	}
	str_ncpy(called, s->called.number, sizeof(called));
	str_ncpy(calling, s->calling.number, sizeof(calling));
	pri_sr_set_channel(sr, ts, leg->span->prm.exclusive, 0);
	pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH,
			  tdm_leg_law(leg) == 'U' ? PRI_LAYER_1_ULAW :
			  PRI_LAYER_1_ALAW);
	/* overlap sending (Q.931 §5.1.3): no Sending Complete, and the
	 * rest of the number follows in INFORMATION (overlap.c) */
	pri_sr_set_called(sr, called, tdm_party_plan(&s->called),
			  s->sending_complete);
	pri_sr_set_caller(sr, calling[0] ? calling : NULL, NULL,
			  tdm_party_plan(&s->calling),
			  tdm_party_pres(&s->calling));
	if (s->redirecting.number[0]) {
		char redir[CC_NUMLEN];

		str_ncpy(redir, s->redirecting.number, sizeof(redir));
		pri_sr_set_redirecting(sr, redir,
				       tdm_party_plan(&s->redirecting),
				       tdm_party_pres(&s->redirecting),
				       s->redirect_reason < 0 ? 0 :
				       s->redirect_reason);
	}
	err = pri_setup(pri, leg->c, sr) ? EIO : 0;
	pri_sr_free(sr);
	prilink_sched(leg->span->link);
	if (err)
		tdm_leg_log(leg, LOG_LVL_WARN, "SETUP not sent: libpri "
			    "refused it");
	else
		tdm_log_setup_out(leg);
	return err;
}

int tdm_leg_dial(struct tdm_leg **legp, struct tdm_span *span,
		 const struct cc_msg *setup)
{
	struct tdm_leg *leg;
	int err;

	if (!legp || !span || !setup)
		return EINVAL;
	if (!tdm_span_up(span))
		return ENOTCONN;
	leg = leg_alloc(span);
	if (!leg)
		return ENOMEM;
	leg->outgoing = true;
	leg->retries = RETRIES;
	leg->setup = *setup;
	err = dial(leg);
	if (err) {
		if (leg->c)
			pri_destroycall(prilink_pri(span->link), leg->c);
		leg->c = NULL;
		leg->detached = true;
		chan_drop(leg);
		leg_maybe_free(leg);
		return err;
	}
	*legp = leg;
	return 0;
}

/*
 * Glare: the network gave our channel away; hunt another and retry.
 * Only cause 44 (requested circuit/channel not available) means that:
 * Q.931 §5.2.3.1 c) has the network send cause 34 (no circuit/channel
 * available) when it has no B-channel at all, and a PBX refusing the
 * call with 34 must not get the same SETUP again.  The re-hunt skips
 * every channel refused so far: ascending hunting would otherwise pick
 * the refused one again.
 */
static bool redial(struct tdm_leg *leg, int cause)
{
	if (!leg->outgoing || leg->proceeding || leg->answered ||
	    leg->hanging || leg->retries <= 0 || cause != 44)
		return false;
	leg->retries--;
	/* Q.931 §5.2.3.1: glare on an exclusive channel */
	tdm_leg_log(leg, LOG_LVL_INFO, "channel refused (cause 44): hunting "
		    "another, %d more tries", leg->retries);
	if (leg->chan > 0 && leg->chan < TDM_MAXTS)
		leg->refused |= 1u << leg->chan;
	chan_drop(leg);
	if (!dial(leg))
		return true;
	tdm_leg_log(leg, LOG_LVL_INFO, "no other channel for the call");
	if (leg->c)
		pri_destroycall(leg_pri(leg), leg->c);
	leg->c = NULL;
	return false;
}

static void hangup_event(struct tdm_leg *leg, const pri_event *e)
{
	const pri_event_hangup *h = &e->hangup;
	struct pri *pri = leg_pri(leg);
	int cause = h->cause;

	tdm_log_hangup(leg, e);
	switch (e->e) {
	case PRI_EVENT_HANGUP_REQ:
		/* Q.931 §5.3.4: a DISCONNECT is answered with RELEASE */
		report_type(leg, CC_DISCONNECT, cause);
		leg->hanging = true;
		pri_hangup(pri, leg->c, cause);
		timer_start(&leg->report_tmr, GUARD_MS, guard_expired, leg);
		return;
	case PRI_EVENT_HANGUP:
		pri_hangup(pri, leg->c, cause);   /* frees libpri's call */
		break;
	default:  /* HANGUP_ACK: libpri's call is already gone */
		break;
	}
	leg->c = NULL;
	if (redial(leg, cause))
		return;
	timer_cancel(&leg->report_tmr);
	chan_drop(leg);
	report_type(leg, CC_RELEASE, cause);
	leg_maybe_free(leg);
}

static q931_call *event_call(const pri_event *e)
{
	switch (e->e) {
	case PRI_EVENT_PROCEEDING:
	case PRI_EVENT_PROGRESS:    return e->proceeding.call;
	case PRI_EVENT_RINGING:     return e->ringing.call;
	case PRI_EVENT_ANSWER:      return e->answer.call;
	case PRI_EVENT_SETUP_ACK:   return e->setup_ack.call;
	case PRI_EVENT_INFO_RECEIVED: return e->ring.call;
	case PRI_EVENT_KEYPAD_DIGIT: return e->digit.call;
	case PRI_EVENT_NOTIFY:      return e->notify.call;
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_REQ:
	case PRI_EVENT_HANGUP_ACK:  return e->hangup.call;
	default:                    return NULL;
	}
}

/*
 * Q.931 §4.5.23: PI 8 (in-band information) and PI 1 (not end-to-end
 * ISDN: progress may come in-band) open the early media path.  A cause
 * with it is an announcement before clearing: libpri reports a DISCONNECT
 * with PI 8 before the answer so (pri_set_inbanddisconnect), and a
 * PROGRESS with a cause is the same (Q.931 §5.3.4.1, §5.4).
 */
static void progress_event(struct tdm_leg *leg, enum cc_type type,
			   int channel, int mask, int cause)
{
	struct cc_msg msg;

	chan_follow(leg, channel);
	cc_msg_init(&msg, type);
	if (mask & PRI_PROG_INBAND_AVAILABLE) {
		msg.progress = CC_PI_INBAND;
		msg.early_media = true;
	}
	else if (mask & PRI_PROG_CALL_NOT_E2E_ISDN) {
		msg.progress = CC_PI_NOT_E2E_ISDN;
		msg.early_media = true;
	}
	if (type == CC_PROGRESS && cause > 0) {
		msg.cause = cause;
		msg.location = CC_LOC_PRIV_REMOTE;
	}
	report(leg, &msg);
}

/*
 * T310 (Q.931 §5.1.6 and Table 9-2): started when CALL PROCEEDING arrives
 * for our SETUP, stopped by ALERTING, CONNECT, PROGRESS or DISCONNECT; on
 * expiry the user clears with cause 102 (recovery on timer expiry).
 * libpri 1.6 accepts PRI_TIMER_T310 but never runs it, so the leg does.
 */
static void t310_expired(void *arg)
{
	struct tdm_leg *leg = arg;

	mem_ref(leg);
	tdm_leg_log(leg, LOG_LVL_WARN, "T310 expired: no answer after CALL "
		    "PROCEEDING");
	report_type(leg, CC_DISCONNECT, 102);
	hangup(leg, 102);
	mem_deref(leg);
}

void tdm_leg_event(struct tdm_span *span, const pri_event *e)
{
	struct tdm_leg *leg = tdm_span_leg_of(span, event_call(e));

	if (!leg) {
		tdm_span_log(span, LOG_LVL_DEBUG, "%s ignored",
			     pri_event2str(e->e));
		return;
	}
	mem_ref(leg);
	tdm_log_event(leg, e);
	if (e->e != PRI_EVENT_SETUP_ACK && e->e != PRI_EVENT_INFO_RECEIVED &&
	    e->e != PRI_EVENT_KEYPAD_DIGIT && e->e != PRI_EVENT_NOTIFY)
		timer_cancel(&leg->t310_tmr);
	switch (e->e) {
	case PRI_EVENT_SETUP_ACK:
		chan_follow(leg, e->setup_ack.channel);
		leg->setup_acked = true;
		tdm_ovl_send(leg);
		report_type(leg, CC_SETUP_ACK, 0);
		break;
	case PRI_EVENT_PROCEEDING:
		if (leg->outgoing && leg->span->prm.t310 > 0 && !leg->hanging)
			timer_start(&leg->t310_tmr, leg->span->prm.t310,
				    t310_expired, leg);
		leg->proceeding = true;
		progress_event(leg, CC_PROCEEDING, e->proceeding.channel,
			       e->proceeding.progressmask, 0);
		break;
	case PRI_EVENT_PROGRESS:
		progress_event(leg, CC_PROGRESS, e->proceeding.channel,
			       e->proceeding.progressmask,
			       e->proceeding.cause);
		break;
	case PRI_EVENT_RINGING:
		leg->proceeding = true;
		leg->alerted = true;
		progress_event(leg, CC_ALERTING, e->ringing.channel,
			       e->ringing.progressmask, 0);
		break;
	case PRI_EVENT_ANSWER:
		leg->answered = true;
		progress_event(leg, CC_CONNECT, e->answer.channel,
			       e->answer.progressmask, 0);
		break;
	case PRI_EVENT_INFO_RECEIVED:
		info_received(leg, e->ring.callednum, e->ring.complete);
		break;
	case PRI_EVENT_KEYPAD_DIGIT:
		keypad_received(leg, e->digit.digits);
		break;
	case PRI_EVENT_NOTIFY:
		notify_received(leg, e->notify.info);
		break;
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_REQ:
	case PRI_EVENT_HANGUP_ACK:
		hangup_event(leg, e);
		break;
	}
	mem_deref(leg);
}

/* The span failed or the channel was restarted: drop libpri's call
 * without signalling (as chan_dahdi does on RESTART) and release */
void tdm_leg_lost(struct tdm_leg *leg, int cause)
{
	tdm_leg_log(leg, LOG_LVL_INFO, "call dropped without signalling, "
		    "cause %d (%s)", cause, pri_cause2str(cause));
	mem_ref(leg);
	if (leg->c)
		pri_destroycall(leg_pri(leg), leg->c);
	leg->c = NULL;
	timer_cancel(&leg->report_tmr);
	timer_cancel(&leg->t310_tmr);
	chan_drop(leg);
	report_type(leg, CC_RELEASE, cause);
	leg_maybe_free(leg);
	mem_deref(leg);
}

static void report_release(void *arg)
{
	struct tdm_leg *leg = arg;

	mem_ref(leg);
	report_type(leg, CC_RELEASE, leg->report_cause);
	leg_maybe_free(leg);
	mem_deref(leg);
}

int tdm_leg_send(struct tdm_leg *leg, const struct cc_msg *msg)
{
	struct pri *pri = leg_pri(leg);
	bool inband = msg->early_media || msg->progress == CC_PI_INBAND;
	int res = 0;

	if (!leg->c) {
		if (msg->type == CC_DISCONNECT || msg->type == CC_RELEASE) {
			/* already gone: say so from the loop, not re-entrantly */
			leg->report_cause = msg->cause;
			timer_start(&leg->report_tmr, 0, report_release, leg);
			return 0;
		}
		return ENOTCONN;
	}
	switch (msg->type) {
	case CC_PROCEEDING:
		if (leg->outgoing || leg->proceeding)
			return 0;
		tdm_leg_log(leg, LOG_LVL_DEBUG, "CALL PROCEEDING sent%s",
			    inband ? ", PI 8" : "");
		leg->proceeding = true;
		res = pri_proceeding(pri, leg->c, leg->chan, inband);
		break;
	case CC_ALERTING:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "ALERTING sent%s",
			    inband ? ", PI 8" : "");
		leg->proceeding = true;
		leg->alerted = true;
		res = pri_acknowledge(pri, leg->c, leg->chan, inband);
		break;
	case CC_PROGRESS:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "PROGRESS sent, PI 8");
		res = pri_progress(pri, leg->c, leg->chan, 1);
		break;
	case CC_CONNECT:
		tdm_leg_log(leg, LOG_LVL_INFO, "CONNECT sent");
		leg->answered = true;
		res = pri_answer(pri, leg->c, leg->chan, 0);
		break;
	case CC_INFO:
		/* overlap sending before the answer */
		if (leg->outgoing && !leg->answered)
			return tdm_ovl_queue(leg, msg->digits);
		if (!leg->answered)
			tdm_leg_log(leg, LOG_LVL_DEBUG, "INFORMATION sent: "
				    "digits %s", msg->digits);
		for (const char *d = msg->digits; *d && !leg->answered; d++)
			res |= pri_information(pri, leg->c, *d);
		break;
	case CC_NOTIFY:
		/* Q.931 §5.9 NOTIFY (remote hold/retrieval); libpri sends
		 * these descriptions on EuroISDN E1 only: elsewhere the
		 * hold stays local */
		if (!msg->notify)
			return 0;
		tdm_leg_log(leg, LOG_LVL_DEBUG, "NOTIFY sent, description "
			    "0x%02x", msg->notify);
		res = pri_notify(pri, leg->c, leg->chan, msg->notify);
		break;
	case CC_DISCONNECT:
	case CC_RELEASE:
		hangup(leg, msg->cause);
		return 0;
	default:
		return 0;
	}
	prilink_sched(leg->span->link);
	if (res)
		tdm_leg_log(leg, LOG_LVL_WARN, "%s not sent: libpri refused it",
			    cc_type_name(msg->type));
	return res ? EIO : 0;
}

void tdm_leg_set_handlers(struct tdm_leg *leg, tdm_msg_h *msgh,
			  tdm_chan_h *chanh, void *arg)
{
	leg->msgh = msgh;
	leg->chanh = chanh;
	leg->arg = arg;
	if (leg->b)
		chan_tell(leg, bchan_fd(leg->b));   /* opened before */
}

/* the open B-channel's fd, or -1 */
int tdm_leg_fd(const struct tdm_leg *leg)
{
	return leg && leg->b ? bchan_fd(leg->b) : -1;
}

/* The core let go: clear what is left and free the leg when done */
void tdm_leg_detach(struct tdm_leg *leg)
{
	if (!leg || leg->detached)
		return;
	leg->detached = true;
	leg->msgh = NULL;
	leg->chanh = NULL;
	if (leg->c && !leg->hanging)
		hangup(leg, 16);
	if (!leg->c)
		timer_cancel(&leg->report_tmr);
	leg_maybe_free(leg);
}

char tdm_leg_law(const struct tdm_leg *leg)
{
	return prilink_info(leg->span->link)->law == DAHDI_LAW_MULAW ?
		'U' : 'A';
}

int tdm_leg_spanno(const struct tdm_leg *leg)
{
	return leg->span->prm.spanno;
}

int tdm_leg_chan(const struct tdm_leg *leg)
{
	return leg ? leg->chan : 0;
}

uint64_t tdm_leg_chan_since(const struct tdm_leg *leg)
{
	return leg ? bchan_since(leg->b) : 0;
}

/* The B-channel's DAHDI echo canceller: taps, or 0 for off (fax) */
int tdm_leg_echocancel(struct tdm_leg *leg, unsigned taps)
{
	return leg && leg->b ? bchan_echocancel(leg->b, taps) : ENOTCONN;
}

/*
 * Clearing with in-band information (Q.931 §5.3.4.1, ETSI EN 300 403
 * §5.3.4.1: the network's DISCONNECT with progress indicator #8).
 * libpri 1.6 puts no progress indicator in DISCONNECT, so this sends
 * what libpri offers for it and reports on the far side for a DISCONNECT
 * with PI 8 (pri_set_inbanddisconnect): PROGRESS with the cause and PI 8.
 * The tone follows on the B-channel; the caller clears, or T306 does.
 * Only for a call the PBX placed and that is not answered.
 */
int tdm_leg_inband_clear(struct tdm_leg *leg, int cause)
{
	if (!leg || !leg->c || !leg->b || leg->outgoing || leg->answered ||
	    leg->hanging)
		return EALREADY;
	tdm_leg_log(leg, LOG_LVL_INFO, "PROGRESS sent, cause %d (%s), PI 8: "
		    "clearing with in-band information", cause,
		    pri_cause2str(cause));
	leg->proceeding = true;
	if (pri_progress_with_cause(leg_pri(leg), leg->c, leg->chan, 1,
				    cause))
		return EIO;
	prilink_sched(leg->span->link);
	return 0;
}

