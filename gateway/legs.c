/*
 * The two kinds of leg as the call core sees them (struct leg_ops), and
 * the media bridge between them.  A leg's protocol object is created when
 * the core forwards it the SETUP: a TDM leg hunts a channel on the span
 * group, a SIP leg sends its INVITE.  A leg that cannot be created
 * releases at once with a cause (34 when no channel is free).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/gw.h"
#include "gateway/mplane/mplane.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

/* ---- media: the call's stream on the media plane ------------------ */

static void media_event(const struct mplane_msg *ev, void *arg);
static void media_tally(struct gw_call *gc, const struct mplane_stats *st);

/* the call's stream, made on first use */
static struct mplane_stream *stream(struct gw_call *gc)
{
	if (!gc->ms && mplane_stream_alloc(&gc->ms, gc->gw->mp, media_event,
					   gc))
		call_log(gc->call, LOG_LVL_WARN, "no media stream");
	return gc->ms;
}

int gw_media_cmd(struct gw_call *gc, const struct mplane_msg *m)
{
	return mplane_send(stream(gc), m);
}

static void media_event(const struct mplane_msg *ev, void *arg)
{
	struct gw_call *gc = arg;

	switch (ev->op) {

	case MPLANE_EV_DTMF:
	case MPLANE_EV_PLAYED:
		dtmf_relay_event(gc, ev);
		break;
	case MPLANE_EV_ECOFF:
		dspctl_tone_heard(gc, ev->u.tone_heard);
		break;
	case MPLANE_EV_RTP:
		if (gc->sip)
			sipleg_rtp_event(gc->sip, &ev->u.rtp_ev);
		else   /* the RTP session's end, after its leg's */
			sipua_rtp_closed(gc->gw->ua, gc->sip_callid,
					 &ev->u.rtp_ev);
		break;
	case MPLANE_EV_RTPSTAT:
		gc->rtpstat = ev->u.rtpstat;
		break;
	case MPLANE_EV_STATS:
		media_tally(gc, &ev->u.stats);
		break;
	case MPLANE_EV_CLOSED:
		gw_call_closed(gc);
		break;
	default:
		break;
	}
}

void gw_tdm_cmd(struct mplane_msg *m, int fd, const struct tdm_leg *leg)
{
	memset(m, 0, sizeof(*m));
	m->op = MPLANE_CMD_TDM;
	m->u.tdm.fd = fd;
	if (fd < 0)
		return;
	m->u.tdm.law = tdm_leg_law(leg);
	m->u.tdm.own = true;
	m->u.tdm.span = tdm_leg_spanno(leg);
	m->u.tdm.ts = tdm_leg_chan(leg);
	m->u.tdm.since = tdm_leg_chan_since(leg);
}

/* the B-channel opened (fd): the stream reads, writes and closes it;
 * or it is about to close (-1): the stream stops and closes it */
static bool tdm_chan(int fd, void *arg)
{
	struct gw_call *gc = arg;
	struct mplane_msg m;

	gw_tdm_cmd(&m, fd, gc->tdm);
	if (fd >= 0) {
		m.u.tdm.close_us = gc->gw->conf->gen.debug_close_us;
		gc->tdm_fd = !gw_media_cmd(gc, &m);
		return gc->tdm_fd;
	}
	if (gc->tdm_fd)
		(void)gw_media_cmd(gc, &m);
	gc->tdm_fd = false;
	return false;
}

/* The bridge goes (its counters come back as MPLANE_EV_STATS) */
static void media_end(struct gw_call *gc)
{
	struct mplane_msg m = {.op = MPLANE_CMD_UNBRIDGE};

	if (gc->bridged)
		(void)gw_media_cmd(gc, &m);
	gc->bridged = false;
	gc->dtmf_set = false;
}

/* the call's media counters, once its bridge went */
static void media_tally(struct gw_call *gc, const struct mplane_stats *st)
{
	const struct media_stats *ms = &st->media;
	const struct jb_stats *jb = &st->jb;

	if (!st->bridged)
		return;
	call_log(gc->call, LOG_LVL_INFO, "media: %llu TDM blocks, %llu RTP "
		 "sent (%llu failed, %llu held back), %llu RTP received, %llu "
		 "TDM write errors",
		 (unsigned long long)ms->tdm_blocks,
		 (unsigned long long)ms->rtp_sent,
		 (unsigned long long)ms->send_errors,
		 (unsigned long long)ms->rtp_held,
		 (unsigned long long)ms->rtp_recv,
		 (unsigned long long)ms->write_errors);
	call_log(gc->call, LOG_LVL_INFO, "jitter buffer: %llu late, %llu "
		 "underruns, %llu shrinks, %llu resyncs, %llu samples concealed",
		 (unsigned long long)jb->late, (unsigned long long)jb->underruns,
		 (unsigned long long)jb->shrunk, (unsigned long long)jb->resyncs,
		 (unsigned long long)jb->concealed);
	gc->rtpstat = st->rtp;
	gc->acct.rtp_rx = ms->rtp_recv;
	gc->acct.rtp_lost = rtpstat_lost(&st->rtp);
	gc->acct.jitter_ms = rtpstat_jitter_ms(&st->rtp, 8);
	dspctl_end(gc, st);
	dtmf_relay_end(gc, st);
}

/* Start or update the bridge once both sides can carry audio.  Each
 * message of a call's set-up comes here: a bridge that has the law
 * already is not told again (a command is a worker's wake-up) */
static void media_update(struct gw_call *gc)
{
	struct mplane_msg m = {.op = MPLANE_CMD_BRIDGE};
	int law;

	if (!gc->tdm || !gc->sip)
		return;
	law = sipleg_media_law(gc->sip);
	if (law != 'A' && law != 'U')
		return;
	m.u.bridge.tdm_law = tdm_leg_law(gc->tdm);
	m.u.bridge.rtp_law = (char)law;
	if (!gc->bridged) {
		dspctl_start(gc, &m.u.bridge);
		dtmf_relay_prm(gc, &m.u.bridge.dtmf);
	}
	if (!gc->bridged || gc->bridge_law != law) {
		if (gw_media_cmd(gc, &m)) {
			call_log(gc->call, LOG_LVL_WARN, "no media bridge");
			return;
		}
		gc->acct.law = (char)law;
		gc->bridge_law = (char)law;
		gc->bridged = true;
	}
	dtmf_relay_update(gc);
}

/* the SIP leg's media description changed: to its RTP session; an
 * answer that came without a message to the core (in a PRACK, RFC 3262
 * §5) starts the bridge too */
static void sip_media(const struct sipmdesc *d, void *arg)
{
	struct gw_call *gc = arg;
	struct mplane_msg m = {.op = MPLANE_CMD_DESC};

	if (d->closed) {
		if (!gc->rtp)
			return;
		gc->rtp = false;
		media_end(gc);
		/* its CLOSED comes back as an MPLANE_EV_RTP */
		m.op = MPLANE_CMD_RTP_CLOSE;
		(void)gw_media_cmd(gc, &m);
		return;
	}
	m.u.desc = *d;
	(void)gw_media_cmd(gc, &m);
	explicit_bzero(&m, sizeof(m));   /* SRTP keys */
	media_update(gc);
}

/* the SIP leg's RTP session moves to the call's stream */
static void rtp_handover(struct gw_call *gc, struct sipleg *leg)
{
	struct mplane_msg m = {.op = MPLANE_CMD_RTP};

	m.u.rtp = sipleg_rtp_take(leg);
	if (!m.u.rtp)
		return;
	if (gw_media_cmd(gc, &m)) {
		mem_deref(m.u.rtp);
		call_log(gc->call, LOG_LVL_WARN, "no RTP on the media plane");
		return;
	}
	gc->rtp = true;
}

/* ---- the progress-indicator policy (sipri.conf(5)) ------------------- */

void gw_call_policy(struct gw_call *gc, const struct conf_trunk *trunk)
{
	gc->pol.ringback_local = !trunk || trunk->ringback ==
		CONF_RINGBACK_LOCAL;
	gc->pol.inband_disc = !trunk || trunk->inband_disc;
	gc->pol.inband_disc_ms = trunk ? trunk->inband_disc_ms : 30000;
}

static void inband_expired(void *arg)
{
	struct gw_call *gc = arg;

	call_log(gc->call, LOG_LVL_INFO, "in-band announcement: %u ms are "
		 "over, clearing with cause %d", gc->pol.inband_disc_ms,
		 gc->inband_cause);
	call_hangup(gc->call, gc->inband_cause);
}

/*
 * An in-band announcement before clearing (Q.931 §5.3.4.1: a DISCONNECT
 * with PI 8 before the answer, which the TDM leg reports as PROGRESS with
 * the cause).  As Asterisk's inbanddisconnect: the early media stays open
 * and SIP gets 183 with SDP; the final response follows when the PBX
 * releases or the timer expires.  Off, or once answered: clearing now.
 */
static void inband_clearing(struct gw_call *gc, const struct cc_msg *msg)
{
	enum call_state st = call_state(gc->call);
	struct cc_msg m = *msg;

	if (!gc->pol.inband_disc || gc->tdm_side != SIDE_B ||
	    st == CALL_ACTIVE || st == CALL_RELEASING) {
		m.type = CC_DISCONNECT;
		call_input(gc->call, gc->tdm_side, &m);
		return;
	}
	if (timer_isrunning(&gc->inband_tmr))
		return;
	gc->inband_cause = msg->cause;
	call_log(gc->call, LOG_LVL_INFO, "in-band announcement before "
		 "clearing (cause %d): early media for up to %u ms",
		 msg->cause, gc->pol.inband_disc_ms);
	timer_start(&gc->inband_tmr, gc->pol.inband_disc_ms, inband_expired,
		    gc);
	call_input(gc->call, gc->tdm_side, &m);
}

/* ---- messages from the legs ----------------------------------------- */

/* ---- the call's record (acct.c) ---------------------------------- */

void gw_acct_tdm(struct gw_call *gc)
{
	if (!gc->tdm)
		return;
	gc->acct.span = tdm_leg_spanno(gc->tdm);
	if (tdm_leg_chan(gc->tdm))
		gc->acct.channel = tdm_leg_chan(gc->tdm);
}

void gw_acct_sip(struct gw_call *gc)
{
	if (!gc->sip)
		return;
	if (sipleg_status(gc->sip))
		gc->acct.sip_status = sipleg_status(gc->sip);
	if (!gc->acct.sip_call_id[0] && sipleg_callid(gc->sip))
		str_ncpy(gc->acct.sip_call_id, sipleg_callid(gc->sip),
			 sizeof(gc->acct.sip_call_id));
}

static void from_tdm(const struct cc_msg *msg, void *arg)
{
	struct gw_call *gc = arg;

	gw_acct_tdm(gc);
	acct_msg(&gc->acct, ACCT_BY_PRI, false, msg);

	if (msg->type == CC_PROGRESS && msg->cause > 0) {
		inband_clearing(gc, msg);
		return;
	}
	if (msg->type == CC_DISCONNECT || msg->type == CC_RELEASE)
		timer_cancel(&gc->inband_tmr);
	call_input(gc->call, gc->tdm_side, msg);
}

static void from_sip(const struct cc_msg *msg, void *arg)
{
	struct gw_call *gc = arg;

	gw_acct_sip(gc);
	acct_msg(&gc->acct, ACCT_BY_SIP, false, msg);
	if (msg->type == CC_RELEASE)
		gc->sip = NULL;   /* the leg frees itself after this */
	else
		media_update(gc);
	call_input(gc->call, !gc->tdm_side, msg);
}

void gw_tdm_attach(struct gw_call *gc, struct tdm_leg *leg)
{
	gc->tdm = leg;
	/* a B-channel already open is told to tdm_chan now */
	tdm_leg_set_handlers(leg, from_tdm, tdm_chan, gc);
}

void gw_sip_attach(struct gw_call *gc, struct sipleg *leg)
{
	gc->sip = leg;
	str_ncpy(gc->sip_callid, sipleg_callid(leg), sizeof(gc->sip_callid));
	rtp_handover(gc, leg);
	sipleg_set_handlers(leg, from_sip, sip_media, gc);
}

/* A leg that cannot be set up releases at once with a cause */
static void release_now(struct gw_call *gc, enum call_side side, int cause)
{
	struct cc_msg rel;

	cc_msg_init(&rel, CC_RELEASE);
	rel.cause = cause;
	rel.location = CC_LOC_PRIV_LOCAL;
	acct_msg(&gc->acct, ACCT_BY_GATEWAY, true, &rel);
	call_input(gc->call, side, &rel);
}

/* ---- the TDM leg ---------------------------------------------------- */

enum { GROUP_SPANS_MAX = 64 };

/* the group's spans, the one with the most free B-channels first (file
 * order among equals): calls, and the D-channels' signalling, spread over
 * the group instead of filling one span before the next */
static unsigned group_spans(const struct gw_call *gc, struct gw_span **v)
{
	unsigned n = 0, free[GROUP_SPANS_MAX];

	for (struct le *le = list_head(&gc->gw->spans); le &&
	     n < GROUP_SPANS_MAX; le = le->next) {
		struct gw_span *s = le->data;
		unsigned f, i;

		if (strcmp(s->group, gc->group))
			continue;
		f = tdm_span_free(s->span);
		for (i = n; i > 0 && free[i - 1] < f; i--) {
			v[i] = v[i - 1];
			free[i] = free[i - 1];
		}
		v[i] = s;
		free[i] = f;
		n++;
	}
	return n;
}

static int tdm_dial(struct gw_call *gc, const struct cc_msg *setup)
{
	struct gw_span *v[GROUP_SPANS_MAX];
	unsigned n = group_spans(gc, v);
	int err = ENOENT;

	for (unsigned i = 0; i < n; i++) {
		struct tdm_leg *leg;

		err = tdm_leg_dial(&leg, v[i]->span, setup);
		if (!err) {
			gw_tdm_attach(gc, leg);
			return 0;
		}
	}
	return err;
}

/* PRI -> SIP: a 180 without SDP is ALERTING without early media; the
 * policy may want ringback played locally (call_ringback_local) */
static void ringback_policy(struct gw_call *gc, const struct cc_msg *msg)
{
	switch (msg->type) {

	case CC_ALERTING:
		if (!msg->early_media && gc->pol.ringback_local)
			call_ringback_local(gc->call, true);
		else if (msg->early_media)
			call_ringback_local(gc->call, false);
		break;

	case CC_PROGRESS:
		if (msg->early_media)
			call_ringback_local(gc->call, false);
		break;

	case CC_CONNECT:
	case CC_DISCONNECT:
	case CC_RELEASE:
		call_ringback_local(gc->call, false);
		break;

	default:
		break;
	}
}

static int tdm_leg_send_op(void *arg, const struct cc_msg *msg)
{
	struct gw_call *gc = arg;
	int err;

	if (msg->type == CC_SETUP && !gc->tdm) {
		err = tdm_dial(gc, msg);
		if (err) {
			/* Q.850 34: no circuit/channel available; 38 when
			 * every span of the group is down */
			call_log(gc->call, LOG_LVL_INFO, "no B-channel in group "
				 "%s: %s", gc->group, strerror(err));
			release_now(gc, gc->tdm_side, err == ENOTCONN ? 38 : 34);
		}
		return 0;
	}
	if (!gc->tdm)
		return ENOTCONN;
	acct_msg(&gc->acct, ACCT_BY_PRI, true, msg);
	if (dtmf_relay_to_tdm(gc, msg))
		return 0;
	if (msg->type == CC_CONNECT || msg->type == CC_ALERTING ||
	    msg->type == CC_PROGRESS)
		media_update(gc);
	ringback_policy(gc, msg);
	if (msg->type == CC_ALERTING) {
		struct cc_msg alert = *msg;

		if (call_ringback(gc->call))   /* the trunk's policy */
			progress_alerting(gc, &alert);   /* local ringback, PI 8 */
		return tdm_leg_send(gc->tdm, &alert);
	}
	if (msg->type == CC_DISCONNECT && progress_disconnect(gc, msg))
		return 0;
	return tdm_leg_send(gc->tdm, msg);
}

static void tdm_leg_detach_op(void *arg)
{
	struct gw_call *gc = arg;

	gw_acct_tdm(gc);
	progress_stop(gc);
	/* the bridge goes, then the B-channel (closed by the stream) */
	media_end(gc);
	(void)tdm_chan(-1, gc);
	if (gc->tdm)
		tdm_leg_detach(gc->tdm);
	gc->tdm = NULL;
}

const struct leg_ops gw_tdm_ops = {"pri", tdm_leg_send_op, tdm_leg_detach_op};

/* ---- the SIP leg ---------------------------------------------------- */

static int sip_leg_send(void *arg, const struct cc_msg *msg)
{
	struct gw_call *gc = arg;
	struct sipleg *leg = NULL;
	int err;

	if (msg->type == CC_SETUP && !gc->sip) {
		struct sipleg_stimer st = {
			gc->session_expires, gc->min_se
		};

		err = sipleg_invite_stimer(&leg, gc->gw->ua, gc->uri, msg, &st,
					   from_sip, gc);
		if (err) {
			call_log(gc->call, LOG_LVL_WARN, "INVITE to %s: %s",
				 gc->uri, strerror(err));
			release_now(gc, !gc->tdm_side, 41);
			return 0;
		}
		sipleg_set_causes_arg(leg, gc->causes);
		gw_sip_attach(gc, leg);
		return 0;
	}
	if (!gc->sip)
		return ENOTCONN;
	acct_msg(&gc->acct, ACCT_BY_SIP, true, msg);
	if (dtmf_relay_to_sip(gc, msg))
		return 0;
	if (msg->type == CC_CONNECT || msg->type == CC_ALERTING ||
	    msg->type == CC_PROGRESS)
		media_update(gc);
	err = sipleg_send(gc->sip, msg);
	gw_acct_sip(gc);   /* a final response may have gone */
	return err;
}

static void sip_leg_detach(void *arg)
{
	struct gw_call *gc = arg;

	gw_acct_sip(gc);
	if (gc->sip && gc->rtp) {
		struct sipmdesc closed = {.closed = true};

		sip_media(&closed, gc);   /* the bridge, the RTP session go */
	}
	media_end(gc);
	if (gc->sip)
		sipleg_set_handlers(gc->sip, NULL, NULL, NULL);
	gc->sip = NULL;
}

const struct leg_ops gw_sip_ops = {"sip", sip_leg_send, sip_leg_detach};
