/*
 * sip/hold.c: the PBX holds or retrieves the call (Q.931 §5.9 NOTIFY,
 * §4.5.22 remote hold 0x79 / remote retrieval 0x7a, arriving here as
 * CC_NOTIFY) and sipri tells the SIP peer with an offer of its own:
 * a=sendonly to hold, a=sendrecv to retrieve (RFC 3264 §8.4).  The offer
 * goes in an UPDATE when the peer's Allow lists it (RFC 3311 §5.1), else
 * in a re-INVITE (sip/reinvite.c, with its 491 back-off, RFC 3261 §14.1).
 *
 * While the hold stands sipri sends no RTP.  A failed offer (488, 491
 * given up, timeout) is rolled back: the call and its media stay as they
 * were (RFC 3261 §14.1, RFC 3311 §5.1).  Only a confirmed dialog can be
 * held; a NOTIFY before the answer is logged and ignored.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sip/sip_int.h"

enum { HOLD_RETRY_MS = 100 };   /* another request of ours still runs */

static int hold_offer(struct sipleg *leg);

static const char *hold_name(bool hold)
{
	return hold ? "hold" : "retrieval";
}

/* our SDP direction back to the state in force (RFC 3264 §8: a failed
 * offer changes nothing) */
static void hold_rollback(struct sipleg *leg)
{
	sdp_media_set_ldir(leg->sdpm, leg->mod.lhold ? SDP_SENDONLY :
			   SDP_SENDRECV);
}

static void retry_handler(void *arg)
{
	struct sipleg *leg = arg;

	if (leg->state == LEG_CONFIRMED)
		(void)hold_offer(leg);
}

/* the answer to our hold/retrieval offer came in a 2xx: the hold is in
 * force (or lifted); a law change still reaches the core, but the
 * direction is ours and goes back to nobody */
void siphold_answered(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;
	int law = leg->law;

	m->hold_req = false;
	if (!siphdr_is_sdp(msg) || sipmedia_take_answer(leg, msg)) {
		sipleg_log(leg, LOG_LVL_WARN, "%s offer: no usable answer: "
			   "media unchanged", hold_name(m->hold_sent));
		hold_rollback(leg);
		return;
	}
	m->lhold = m->hold_sent;
	sipleg_media_sync(leg);
	sipleg_log(leg, LOG_LVL_INFO, "%s answered: RTP to the peer %s",
		   hold_name(m->lhold), m->lhold ? "stops" : "resumes");
	sipmod_media_changed(leg, law, m->held);
	if (m->hold_want != m->lhold)   /* the PBX changed its mind */
		timer_start(&m->tmr_hold, 0, retry_handler, leg);
}

/* the offer failed (error response, timeout): roll back */
void siphold_failed(struct sipleg *leg, int err, uint16_t scode)
{
	struct sipmod *m = &leg->mod;

	m->hold_req = false;
	hold_rollback(leg);
	if (err)
		sipleg_log(leg, LOG_LVL_INFO, "%s offer failed (%m): media "
			   "unchanged", hold_name(m->hold_sent), err);
	else
		sipleg_log(leg, LOG_LVL_INFO, "%s offer refused (%u): media "
			   "unchanged", hold_name(m->hold_sent), scode);
	m->hold_want = m->lhold;
}

static void update_resp_handler(int err, const struct sip_msg *msg,
				void *arg)
{
	struct sipleg *leg = arg;
	struct sipmod *m = &leg->mod;

	if (msg && msg->scode < 200)
		return;
	m->req_offer = false;
	if (leg->state != LEG_CONFIRMED)
		return;
	if (sipauthc_challenged(leg, msg, leg->dlg) &&
	    !sipmod_offer_send(leg, "UPDATE", update_resp_handler))
		return;
	if (!err && msg && msg->scode < 300) {
		(void)sip_dialog_update(leg->dlg, msg);
		sipst_response(leg, msg);
		sipst_start(leg);   /* RFC 4028 §10: a refresh too */
		siphold_answered(leg, msg);
	}
	else if (msg && msg->scode == 491) {
		uint32_t ms = sipmod_backoff(leg);

		sipleg_log(leg, LOG_LVL_INFO, "491: UPDATE again in %u ms",
			   ms);
		m->hold_req = false;
		hold_rollback(leg);
		timer_start(&m->tmr_hold, ms, retry_handler, leg);
	}
	else if (msg && (msg->scode == 405 || msg->scode == 501)) {
		m->peer_update = false;   /* RFC 3311 §5.1: re-INVITE then */
		m->hold_req = false;
		hold_rollback(leg);
		timer_start(&m->tmr_hold, 0, retry_handler, leg);
	}
	else {
		siphold_failed(leg, err, msg ? msg->scode : 0);
		/* RFC 3261 §12.2.1.2: no response at all counts as 408 */
		(void)sipmod_dialog_gone(leg, msg ? msg->scode :
					 err == ETIMEDOUT ? 408 : 0);
	}
}

/* send the offer for hold_want, or wait until our other request ends */
static int hold_offer(struct sipleg *leg)
{
	struct sipmod *m = &leg->mod;
	int err;

	if (m->hold_req || m->hold_want == m->lhold ||
	    timer_isrunning(&m->tmr_hold))   /* a 491 back-off runs */
		return 0;
	if (m->req || m->reinv_in || timer_isrunning(&m->tmr_glare)) {
		timer_start(&m->tmr_hold, HOLD_RETRY_MS, retry_handler, leg);
		return 0;
	}
	m->hold_sent = m->hold_want;
	m->hold_req = true;
	sdp_media_set_ldir(leg->sdpm, m->hold_sent ? SDP_SENDONLY :
			   SDP_SENDRECV);
	if (!m->peer_update) {
		err = sipreinv_send(leg);
	}
	else {
		err = sipmod_offer_send(leg, "UPDATE", update_resp_handler);
		if (!err) {
			m->req_invite = false;
			sipleg_log(leg, LOG_LVL_INFO, "UPDATE with a %s offer",
				   hold_name(m->hold_sent));
		}
	}
	if (err)
		siphold_failed(leg, err, 0);
	return err;
}

/* CC_NOTIFY from the core: the PBX holds or retrieves the call */
int siphold_notify(struct sipleg *leg, const struct cc_msg *msg)
{
	struct sipmod *m = &leg->mod;
	bool hold;

	if (msg->notify != CC_NOTIFY_REMOTE_HOLD &&
	    msg->notify != CC_NOTIFY_REMOTE_RETRIEVAL)
		return 0;   /* a codec change of the PRI side: nothing here */
	hold = msg->notify == CC_NOTIFY_REMOTE_HOLD;
	if (leg->state != LEG_CONFIRMED || !leg->sdpm || !leg->sdp_done) {
		sipleg_log(leg, LOG_LVL_INFO, "NOTIFY remote %s before the "
			   "dialog is confirmed: ignored", hold_name(hold));
		return 0;
	}
	sipleg_log(leg, LOG_LVL_INFO, "NOTIFY remote %s from the PBX",
		   hold_name(hold));
	m->hold_want = hold;
	return hold_offer(leg);
}

void siphold_stop(struct sipleg *leg)
{
	timer_cancel(&leg->mod.tmr_hold);
	leg->mod.hold_req = false;
}
