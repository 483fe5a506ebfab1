/*
 * sip/leg.c: what UAC and UAS legs share: lifetime, delivery of cc_msg to
 * the core, release, BYE, and the public entry points.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

void sipleg_stop_timers(struct sipleg *leg)
{
	timer_cancel(&leg->tmr_2xx);
	timer_cancel(&leg->tmr_ack);
	timer_cancel(&leg->tmr_cancel);
	timer_cancel(&leg->tmr_b);
	timer_cancel(&leg->tmr_c);
	sipmod_stop(leg);
	siprel_stop(leg);
}

static void leg_destructor(void *arg)
{
	struct sipleg *leg = arg;

	sipleg_stop_timers(leg);
	timer_cancel(&leg->tmr_rel);
	list_unlink(&leg->le);
	if (leg->live && leg->ua)
		leg->ua->live--;
	/* a pending transaction: stop its callbacks (libre cancels it) */
	mem_deref(leg->req);
	mem_deref(leg->byereq);
	mem_deref(leg->auth);
	if (leg->st && leg->invite) {
		(void)sip_treply(&leg->st, leg->ua->sip, leg->invite, 500,
				 "Server Internal Error");
	}
	siprel_free(leg);
	mem_deref(leg->st);
	mem_deref(leg->invite);
	mem_deref(leg->resp2xx);
	mem_deref(leg->cancel_mb);
	mem_deref(leg->dlg);
	mem_deref(leg->ruri);
	mem_deref(leg->to_uri);
	mem_deref(leg->from_uri);
	mem_deref(leg->from_hdr);
	mem_deref(leg->inforeq);
	mem_deref(leg->via_branch);
	mem_deref(leg->via_sentby);
	leg->mediah = NULL;
	sipguard_close(leg);
	explicit_bzero(&leg->mdesc, sizeof(leg->mdesc));   /* the keys */
	mem_deref(leg->sdp);
	mem_deref(leg->causes_arg);
}

int sipleg_alloc(struct sipleg **legp, struct sipua *ua, bool uac)
{
	struct sipleg *leg;

	leg = mem_zalloc(sizeof(*leg), leg_destructor);
	if (!leg)
		return ENOMEM;
	leg->ua = ua;
	leg->uac = uac;
	leg->live = true;
	leg->tp = SIP_TRANSP_NONE;
	leg->rel.peer = -1;
	leg->rel.policy = ua->conf.rel100;
	ua->live++;
	ua->stats.legs++;
	list_append(&ua->legl, &leg->le, leg);
	*legp = leg;
	return 0;
}

/*
 * The leg's peer: index i in conf.peers (none: -1, or out of range).  Its
 * settings are copied into the leg now, and its credentials made
 * (sip/authc.c): a reload that removes or reorders trunks changes
 * nothing for a live leg, whose index may then name another trunk.
 */
int sipleg_set_peer(struct sipleg *leg, int i)
{
	const struct sipua_peer *p = sipua_peer_get(leg->ua, i);
	const struct sipua_conf *c = &leg->ua->conf;

	leg->rel.peer = p ? i : -1;
	leg->rel.policy = p ? p->rel100 : c->rel100;
	leg->peer.nat = p && p->nat;
	leg->peer.early_media_always = p && p->early_media_always;
	leg->peer.trusted = p && p->trusted;
	leg->peer.media = p ? p->media : SIPUA_MEDIA_RTP;
	leg->peer.alert_inband = p ? p->alert_inband : c->alert_inband;
	leg->auth = mem_deref(leg->auth);
	return sipauthc_alloc(&leg->auth, leg->ua, leg->rel.peer);
}

static int peer_find(const struct sipua_conf *conf, const struct pl *host,
		     uint16_t port)
{
	for (unsigned i = 0; i < conf->npeers; i++) {
		const struct sipua_peer *p = &conf->peers[i];

		if (!pl_strcasecmp(host, p->host) && p->port == port)
			return (int)i;
	}
	return -1;
}

/* UAC: the peer the Request-URI names; a trunk without a port sends
 * port-less URIs (RFC 3263) */
int sipleg_set_peer_uri(struct sipleg *leg, const char *uri)
{
	struct pl host;
	struct uri u;
	int i = -1;

	pl_set_str(&host, uri);
	if (!uri_decode(&u, &host))
		i = peer_find(&leg->ua->conf, &u.host, u.port);
	return sipleg_set_peer(leg, i);
}

int sipleg_status(const struct sipleg *leg)
{
	return leg ? leg->status : 0;
}

int sipleg_peer(const struct sipleg *leg)
{
	return leg ? leg->rel.peer : -1;
}

void sipleg_set_causes_arg(struct sipleg *leg, void *mem_arg)
{
	if (!leg)
		return;
	mem_deref(leg->causes_arg);
	leg->causes_arg = mem_ref(mem_arg);
}

static void *causes_arg(const struct sipleg *leg)
{
	return leg->causes_arg ? leg->causes_arg : leg->ua->causes.arg;
}

/* Q.850 cause -> SIP status by the leg's tables (RFC 3398 §7.2.4.1) */
int sipleg_to_status(const struct sipleg *leg, int cause, int location)
{
	return leg->ua->causes.to_status(cause, location, causes_arg(leg));
}

/* SIP status -> Q.850 cause by the leg's tables (RFC 3398 §8.2.6.1) */
int sipleg_from_status(const struct sipleg *leg, int scode)
{
	return leg->ua->causes.from_status(scode, causes_arg(leg));
}

const char *sipleg_callid(const struct sipleg *leg)
{
	const char *id = leg ? sip_dialog_callid(leg->dlg) : NULL;

	return id ? id : "-";
}

void sipleg_deliver(struct sipleg *leg, const struct cc_msg *msg)
{
	sipleg_log(leg, LOG_LVL_DEBUG, "-> core %s cause %d",
		   cc_type_name(msg->type), msg->cause);
	sipleg_media_sync(leg);   /* before the message, as it happened */
	if (leg->msgh)
		leg->msgh(msg, leg->arg);
}

/* the far end clears: tell the core once */
void sipleg_disconnect(struct sipleg *leg, int cause, int location)
{
	struct cc_msg msg;

	if (leg->disc_sent || leg->state == LEG_RELEASED)
		return;
	leg->disc_sent = true;
	if (!leg->rel_cause)
		leg->rel_cause = cause;
	cc_msg_init(&msg, CC_DISCONNECT);
	msg.cause = cause;
	msg.location = location;
	sipleg_deliver(leg, &msg);
}

static void release_handler(void *arg)
{
	struct sipleg *leg = arg;
	struct cc_msg msg;

	cc_msg_init(&msg, CC_RELEASE);
	msg.cause = leg->rel_cause;
	msg.location = CC_LOC_PRIV_LOCAL;
	if (leg->live) {
		leg->live = false;
		leg->ua->live--;
	}
	sipleg_deliver(leg, &msg);
	leg->msgh = NULL;
	leg->mediah = NULL;
	mem_deref(leg);
}

/*
 * The leg is finished: stop media and timers, and deliver RELEASE from the
 * main loop (never from inside a call of the core), then free the leg.
 */
void sipleg_release(struct sipleg *leg, int cause)
{
	if (leg->state == LEG_RELEASED)
		return;
	sipleg_log(leg, LOG_LVL_INFO, "released (cause %d)", cause);
	leg->state = LEG_RELEASED;
	if (!leg->rel_cause)
		leg->rel_cause = cause;
	sipleg_stop_timers(leg);
	sipguard_close(leg);
	timer_start(&leg->tmr_rel, 0, release_handler, leg);
}

/* RFC 3261 §15.1.1: any response to the BYE, or none, ends the session */
static void bye_resp_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct sipleg *leg = arg;

	if (msg && msg->scode < 200)
		return;
	if (sipauthc_challenged(leg, msg, leg->dlg) &&
	    !sipleg_bye(leg, leg->rel_cause))
		return;
	sipleg_log(leg, LOG_LVL_DEBUG, "BYE answered: %u (%m)",
		   msg ? msg->scode : 0, err);
	sipleg_release(leg, leg->rel_cause);
}

/* BYE with RFC 3326 Reason */
int sipleg_bye(struct sipleg *leg, int cause)
{
	int err;

	sipleg_stop_timers(leg);
	leg->state = LEG_BYE;
	if (!leg->rel_cause)
		leg->rel_cause = cause;
	sipguard_close(leg);
	leg->byereq = mem_deref(leg->byereq);
	err = sip_drequestf(&leg->byereq, leg->ua->sip, true, "BYE", leg->dlg,
			    0, leg->auth, NULL, bye_resp_handler, leg,
			    "Reason: Q.850;cause=%d\r\n"
			    "Content-Length: 0\r\n\r\n", cause);
	if (err) {
		sipleg_log(leg, LOG_LVL_WARN, "BYE failed: %m", err);
		sipleg_release(leg, cause);
	}
	return err;
}

void sipleg_set_handlers(struct sipleg *leg, sipleg_msg_h *msgh,
			 sipleg_media_h *mediah, void *arg)
{
	if (!leg)
		return;
	leg->msgh = msgh;
	leg->mediah = mediah;
	leg->arg = arg;
	/* the new handler hears the description as it stands */
	memset(&leg->mdesc, 0, sizeof(leg->mdesc));
	sipleg_media_sync(leg);
}

int sipleg_send(struct sipleg *leg, const struct cc_msg *msg)
{
	if (!leg || !msg)
		return EINVAL;
	if (leg->state == LEG_RELEASED)
		return EALREADY;
	sipleg_log(leg, LOG_LVL_DEBUG, "<- core %s cause %d",
		   cc_type_name(msg->type), msg->cause);
	if (msg->type == CC_NOTIFY)
		return siphold_notify(leg, msg);
	return leg->uac ? sipuac_send(leg, msg) : sipuas_send(leg, msg);
}

int sipleg_media_law(const struct sipleg *leg)
{
	return leg ? leg->law : 0;
}

/* the RTP session, whole, for the media plane; NULL: none, or taken */
struct siprtp *sipleg_rtp_take(struct sipleg *leg)
{
	struct siprtp *r;

	if (!leg || leg->media_closed)
		return NULL;
	r = leg->rtpx;
	leg->rtpx = NULL;
	return r;
}

static void mdesc_fill(const struct sipleg *leg, struct sipmdesc *d)
{
	d->closed = leg->media_closed;
	if (d->closed)
		return;
	if (leg->sdp_done) {
		d->law = (char)leg->law;
		d->pt = leg->pt;
		d->telev = leg->telev;
		d->telev_pt = leg->telev_pt;
	}
	d->rtp = leg->m_rtp;
	d->rtcp = leg->m_rtcp;
	d->events = sipguard_may_send(leg);
	/* RFC 3264 §8.4: nothing to a held party (sip/hold.c: our hold) */
	d->send = d->events && !leg->mod.held && !leg->mod.lhold;
	d->may_latch = sipguard_may_latch(leg);
	sipguard_sig(leg, &d->sig);
	sipsrtp_keys(leg, d);
	d->watch_ms = sipwatch_ms(leg);
}

/* the media description changed: tell the core (its media plane) */
void sipleg_media_sync(struct sipleg *leg)
{
	struct sipmdesc d;

	if (!leg->mediah)
		return;
	memset(&d, 0, sizeof(d));
	mdesc_fill(leg, &d);
	if (!memcmp(&d, &leg->mdesc, sizeof(d))) {
		explicit_bzero(&d, sizeof(d));
		return;
	}
	leg->mdesc = d;
	explicit_bzero(&d, sizeof(d));
	leg->mediah(&leg->mdesc, leg->arg);
}

/* what the RTP session told, through the core */
void sipleg_rtp_event(struct sipleg *leg, const struct siprtp_event *ev)
{
	if (leg && ev)
		sipguard_event(leg, ev);
}
