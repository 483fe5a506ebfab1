/*
 * sip/modify.c: changing an established or early session (sipmod_*).
 * UPDATE (RFC 3311), received in an early or confirmed dialog with or
 * without an SDP offer, and sent without SDP as our session refresh
 * (RFC 4028 §7.4, §9) and with SDP as the hold offer of sip/hold.c; the
 * offer machinery re-INVITE shares (sip/reinvite.c); what a change of
 * the media means for the core (codec law, hold: CC_NOTIFY); the 491
 * back-off; stopping it all when the leg ends.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

/* RFC 3311 §5.1 / RFC 3261 §14.1: a target refresh request has a Contact */
int sipmod_send_h(enum sip_transp tp, const struct sa *src,
		  const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;
	struct sipua_contact_ctx c = {leg->ua, tp, src, dst, NULL};
	(void)dst;

	return mbuf_printf(mb, "Contact: %H\r\n", sipua_contact_h, &c);
}

/* RFC 3311 §5.2: an UPDATE needs an early or a confirmed dialog */
bool sipmod_early_ok(const struct sipleg *leg)
{
	switch (leg->state) {

	case LEG_EARLY:
	case LEG_ANSWERED:
	case LEG_CONFIRMED:
		return sip_dialog_established(leg->dlg);

	default:
		return false;
	}
}

/* RFC 3311 §5.2: an offer of ours still waits for its answer */
static bool our_offer_pending(const struct sipleg *leg)
{
	if (leg->mod.req_offer || (leg->mod.reinv_in && leg->mod.reinv_offer))
		return true;
	if (leg->uac)
		return !leg->sdp_done;          /* the INVITE's offer */
	return leg->late_offer && !leg->sdp_done;   /* offer in our 2xx */
}

/*
 * After an offer/answer changed the media: tell the core (its bridge
 * reads the law again) with CC_NOTIFY; a hold or a resume carries the
 * Q.931 §4.5.22 notification (remote hold / remote retrieval).
 */
void sipmod_media_changed(struct sipleg *leg, int old_law, bool old_held)
{
	struct cc_msg cc;

	if (leg->law == old_law && leg->mod.held == old_held)
		return;
	cc_msg_init(&cc, CC_NOTIFY);
	if (leg->mod.held != old_held)
		cc.notify = leg->mod.held ? CC_NOTIFY_REMOTE_HOLD :
			CC_NOTIFY_REMOTE_RETRIEVAL;
	sipleg_log(leg, LOG_LVL_INFO, "media: %s%s", leg->law == 'A' ?
		   "PCMA" : "PCMU", leg->mod.held ? ", held" : "");
	sipleg_deliver(leg, &cc);
}

/* 200 to an UPDATE or re-INVITE: Contact (target refresh), Allow, the
 * session timer, and our SDP when there is one */
void sipmod_reply_200(struct sipleg *leg, const struct sip_msg *msg,
		      struct mbuf *body, struct mbuf **mbp)
{
	struct sipua_contact_ctx c = {leg->ua, msg->tp, &msg->dst, &msg->src,
				      NULL};

	(void)sip_treplyf(NULL, mbp, leg->ua->sip, msg, true, 200, "OK",
			  "Contact: %H\r\n"
			  "Allow: " SIPUA_ALLOW "\r\n"
			  "%H"
			  "%s"
			  "Content-Length: %zu\r\n\r\n%b",
			  sipua_contact_h, &c, sipst_resp_hdrs, leg,
			  body ? "Content-Type: application/sdp\r\n" : "",
			  body ? mbuf_get_left(body) : (size_t)0,
			  body ? mbuf_buf(body) : NULL,
			  body ? mbuf_get_left(body) : (size_t)0);
}

/* an UPDATE received (RFC 3311 §5.2) */
void sipmod_update(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sip *sip = leg->ua->sip;
	bool sdp = siphdr_is_sdp(msg), held = leg->mod.held;
	struct mbuf *body = NULL;
	int law = leg->law, status;

	if (!sipmod_early_ok(leg)) {
		(void)sip_treply(NULL, sip, msg, 481,
				 "Call/Transaction Does Not Exist");
		return;
	}
	if (sdp && our_offer_pending(leg)) {
		sipleg_log(leg, LOG_LVL_INFO, "UPDATE offer against ours: 491");
		(void)sip_treply(NULL, sip, msg, 491, "Request Pending");
		return;
	}
	if (mbuf_get_left(msg->mb) && !sdp) {
		(void)sip_replyf(sip, msg, 415, "Unsupported Media Type",
				 "Accept: application/sdp\r\n"
				 "Content-Length: 0\r\n\r\n");
		return;
	}
	status = sipst_request(leg, msg);
	if (status) {
		(void)sipst_refuse(leg, msg, status, NULL);
		return;
	}
	if (sdp && sipmedia_answer_from(leg, msg, &body)) {
		(void)sip_treply(NULL, sip, msg, 488, "Not Acceptable Here");
		return;
	}
	(void)sip_dialog_update(leg->dlg, msg);   /* target refresh */
	sipleg_log(leg, LOG_LVL_INFO, "UPDATE%s", sdp ? " with an offer" : "");
	sipmod_reply_200(leg, msg, body, NULL);
	mem_deref(body);
	sipst_start(leg);   /* RFC 4028 §10: a refresh restarts the timer */
	if (sdp)
		sipmod_media_changed(leg, law, held);
}

/* RFC 5057 §5.1, RFC 3261 §12.2.1.2: 481 and 408 mean the dialog is
 * gone, and so does no response at all (libre's Timer F or B: ETIMEDOUT,
 * taken as 408); true when the call was ended */
bool sipmod_dialog_gone(struct sipleg *leg, uint16_t scode)
{
	int cause;

	if (scode != 481 && scode != 408)
		return false;
	cause = sipleg_from_status(leg, scode);
	if (cause <= 0)
		cause = 102;
	sipleg_log(leg, LOG_LVL_INFO, "%s got %u: ending the call",
		   leg->mod.req_invite ? "re-INVITE" : "UPDATE", scode);
	sipleg_disconnect(leg, cause, CC_LOC_PRIV_LOCAL);
	(void)sipleg_bye(leg, cause);
	return true;
}

static void update_resp_handler(int err, const struct sip_msg *msg,
				void *arg)
{
	struct sipleg *leg = arg;

	if (msg && msg->scode < 200)
		return;
	if (leg->state != LEG_CONFIRMED)
		return;
	if (sipauthc_challenged(leg, msg, leg->dlg) && !sipmod_refresh(leg))
		return;
	if (err || !msg) {
		sipleg_log(leg, LOG_LVL_INFO, "UPDATE failed: %m", err);
		if (err == ETIMEDOUT)
			(void)sipmod_dialog_gone(leg, 408);
		return;   /* else the session ends at its expiry */
	}
	if (msg->scode < 300) {
		sipst_response(leg, msg);
		sipst_start(leg);
	}
	else if (sipst_retry_422(leg, msg)) {
		(void)sipmod_refresh(leg);
	}
	else if (msg->scode == 405 || msg->scode == 501) {
		leg->mod.peer_update = false;   /* then by re-INVITE */
		(void)sipmod_refresh(leg);
	}
	else if (!sipmod_dialog_gone(leg, msg->scode)) {
		sipleg_log(leg, LOG_LVL_INFO, "UPDATE got %u", msg->scode);
	}
}

/* our session refresh: UPDATE without SDP if the peer allows it, else
 * re-INVITE with our offer (RFC 4028 §7.4 and §9) */
int sipmod_refresh(struct sipleg *leg)
{
	struct sipmod *m = &leg->mod;
	int err;

	if (m->req)
		return EBUSY;
	if (!m->peer_update)
		return sipreinv_send(leg);
	err = sip_drequestf(&m->req, leg->ua->sip, true, "UPDATE", leg->dlg,
			    0, leg->auth, sipmod_send_h, update_resp_handler, leg,
			    "Allow: " SIPUA_ALLOW "\r\n"
			    "%H"
			    "Content-Length: 0\r\n\r\n",
			    sipst_req_hdrs, leg);
	if (!err) {
		m->req_invite = false;
		m->req_offer = false;
		sipleg_log(leg, LOG_LVL_INFO, "UPDATE (session refresh)");
	}
	return err;
}

/* an UPDATE (RFC 3311 §5.1) or a re-INVITE (RFC 3261 §14.1) carrying
 * our current SDP as the offer; resph gets its responses */
int sipmod_offer_send(struct sipleg *leg, const char *method,
		      sip_resp_h *resph)
{
	struct sipmod *m = &leg->mod;
	struct mbuf *offer = NULL;
	int err;

	err = sipmedia_offer(leg, &offer);
	if (err)
		return err;
	err = sip_drequestf(&m->req, leg->ua->sip, true, method, leg->dlg,
			    0, leg->auth, sipmod_send_h, resph, leg,
			    "Allow: " SIPUA_ALLOW "\r\n"
			    "%H"
			    "Content-Type: application/sdp\r\n"
			    "Content-Length: %zu\r\n\r\n%b",
			    sipst_req_hdrs, leg,
			    mbuf_get_left(offer), mbuf_buf(offer),
			    mbuf_get_left(offer));
	mem_deref(offer);
	if (!err)
		m->req_offer = true;
	return err;
}

/* RFC 3261 §14.1: the back-off after a 491, in units of 10 ms */
uint32_t sipmod_backoff(const struct sipleg *leg)
{
	if (leg->uac)   /* the Call-ID is ours */
		return 2100 + 10 * (rand_u32() % 191);
	return 10 * (rand_u32() % 201);
}

/* the leg ends or clears: no more timers or in-dialog requests */
void sipmod_stop(struct sipleg *leg)
{
	struct sipmod *m = &leg->mod;

	timer_cancel(&m->tmr_se);
	timer_cancel(&m->tmr_glare);
	siphold_stop(leg);
	m->req = mem_deref(m->req);
	m->req_offer = false;
	m->setup = mem_deref(m->setup);
	sipreinv_stop(leg);
}

