/*
 * sip/reinvite.c: re-INVITE (RFC 3261 §14) on a confirmed dialog.
 *
 * Received: an offer gets our answer (RFC 3264 §8: sendonly/inactive is
 * answered recvonly/inactive and we stop sending RTP; sendrecv resumes;
 * another G.711 law switches the bridge), none gets our SDP as the offer
 * with the answer in the ACK.  Against our own pending offer it gets 491,
 * against one not yet ACKed 500 with Retry-After (§14.2).
 *
 * Sent: as the session refresh when the peer lacks UPDATE (RFC 4028
 * §7.4), and with the hold/retrieval offer of sip/hold.c.  A 491 is retried after the §14.1 back-off: 2.1-4 s when we own
 * the Call-ID (we placed the call), else 0-2 s, in units of 10 ms.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

/* RFC 3261 §14.2: why a re-INVITE cannot be taken now, or 0 */
static int reinv_busy(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sip *sip = leg->ua->sip;

	if (leg->mod.req_offer) {
		sipleg_log(leg, LOG_LVL_INFO, "re-INVITE against ours: 491");
		(void)sip_treplyf(NULL, NULL, sip, msg, false, 491,
				  "Request Pending", "Content-Length: 0\r\n\r\n");
		return 491;
	}
	if (leg->state != LEG_CONFIRMED || leg->mod.reinv_in) {
		(void)sip_treplyf(NULL, NULL, sip, msg, false, 500,
				  "Server Internal Error",
				  "Retry-After: 1\r\n"
				  "Content-Length: 0\r\n\r\n");
		return 500;
	}
	return 0;
}

/* RFC 3261 §13.3.1.4: our 2xx again at T1, doubling up to T2 */
static void retrans_handler(void *arg)
{
	struct sipleg *leg = arg;
	struct sipmod *m = &leg->mod;
	unsigned next = sipua_t1(leg->ua) << (++m->reinv_txc < 8 ?
					       m->reinv_txc : 8);

	(void)sip_send(leg->ua->sip, m->reinv_msg->sock, m->reinv_msg->tp,
		       &m->reinv_dst, m->reinv_2xx);
	timer_start(&m->tmr_reinv, next < SIPUA_T2 ? next : SIPUA_T2,
		    retrans_handler, leg);
}

/* §13.3.1.4: no ACK within 64*T1: the session ends (BYE, cause 102) */
static void ack_timeout_handler(void *arg)
{
	struct sipleg *leg = arg;

	sipleg_log(leg, LOG_LVL_WARN, "no ACK for the re-INVITE's 2xx");
	leg->mod.reinv_in = false;
	sipreinv_stop(leg);
	sipleg_disconnect(leg, 102, CC_LOC_PRIV_LOCAL);
	(void)sipleg_bye(leg, 102);
}

static void retrans_start(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;
	struct pl rp;

	if (!m->reinv_2xx)
		return;
	m->reinv_msg = mem_ref((void *)msg);
	sip_reply_addr(&m->reinv_dst, msg,
		       !msg_param_exists(&msg->via.params, "rport", &rp));
	m->reinv_txc = 0;
	if (msg->tp == SIP_TRANSP_UDP)
		timer_start(&m->tmr_reinv, sipua_t1(leg->ua), retrans_handler,
			    leg);
	timer_start(&m->tmr_reinv_ack, 64 * sipua_t1(leg->ua),
		    ack_timeout_handler, leg);
}

/* the ACK came, or the leg ends: no more 2xx retransmissions */
void sipreinv_stop(struct sipleg *leg)
{
	struct sipmod *m = &leg->mod;

	timer_cancel(&m->tmr_reinv);
	timer_cancel(&m->tmr_reinv_ack);
	m->reinv_2xx = mem_deref(m->reinv_2xx);
	m->reinv_msg = mem_deref(m->reinv_msg);
}

/* a re-INVITE received on the dialog */
void sipreinv_request(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;
	bool sdp = siphdr_is_sdp(msg), held = m->held;
	struct mbuf *body = NULL;
	int law = leg->law, status, err;

	if (reinv_busy(leg, msg))
		return;
	status = sipst_request(leg, msg);
	if (status) {
		(void)sipst_refuse(leg, msg, status, NULL);
		return;
	}
	if (sdp)
		err = sipmedia_answer_from(leg, msg, &body);
	else
		err = sipmedia_offer(leg, &body);
	if (err) {
		/* RFC 3261 §14.2: the session stays as it was */
		(void)sip_treply(NULL, leg->ua->sip, msg, 488,
				 "Not Acceptable Here");
		return;
	}
	(void)sip_dialog_update(leg->dlg, msg);   /* target refresh */
	sipleg_log(leg, LOG_LVL_INFO, "re-INVITE%s", sdp ? " with an offer" :
		   " without SDP: our offer in the 2xx");
	sipreinv_stop(leg);
	sipmod_reply_200(leg, msg, body, &m->reinv_2xx);
	mem_deref(body);
	m->reinv_in = true;
	m->reinv_cseq = msg->cseq.num;
	retrans_start(leg, msg);
	m->reinv_offer = !sdp;
	sipst_start(leg);
	if (sdp)
		sipmod_media_changed(leg, law, held);
}

/* the ACK of our 2xx to a re-INVITE; it carries the answer when the
 * re-INVITE had no offer (RFC 3264 §4) */
void sipreinv_ack(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;
	bool held = m->held;
	int law = leg->law;

	m->reinv_in = false;
	sipreinv_stop(leg);
	if (!m->reinv_offer)
		return;
	m->reinv_offer = false;
	if (!siphdr_is_sdp(msg) || sipmedia_take_answer(leg, msg)) {
		sipleg_log(leg, LOG_LVL_WARN, "no usable answer in the ACK");
		return;
	}
	sipmod_media_changed(leg, law, held);
}

static void glare_handler(void *arg)
{
	struct sipleg *leg = arg;
	int err;

	if (leg->state != LEG_CONFIRMED)
		return;
	sipleg_log(leg, LOG_LVL_INFO, "re-INVITE again after the 491");
	err = sipreinv_send(leg);
	if (err == EBUSY)   /* the peer's own request came first */
		timer_start(&leg->mod.tmr_glare, 100, glare_handler, leg);
}

static void ack_2xx(struct sipleg *leg)
{
	int err;

	/* RFC 3261 §13.2.2.4: the ACK carries the re-INVITE's CSeq */
	err = sip_drequestf(NULL, leg->ua->sip, false, "ACK", leg->dlg,
			    leg->mod.req_cseq, NULL, NULL, NULL, NULL,
			    "Content-Length: 0\r\n\r\n");
	if (err)
		sipleg_log(leg, LOG_LVL_WARN, "ACK failed: %m", err);
}

static void reinv_success(struct sipleg *leg, const struct sip_msg *msg)
{
	bool held = leg->mod.held;
	int law = leg->law;

	(void)sip_dialog_update(leg->dlg, msg);
	if (leg->mod.hold_req) {   /* our hold/retrieval offer (hold.c) */
		sipst_response(leg, msg);
		sipst_start(leg);
		siphold_answered(leg, msg);
		return;
	}
	if (!siphdr_is_sdp(msg) || sipmedia_take_answer(leg, msg))
		sipleg_log(leg, LOG_LVL_WARN, "re-INVITE 2xx without a usable "
			   "answer: media unchanged");
	sipst_response(leg, msg);
	sipst_start(leg);
	sipmod_media_changed(leg, law, held);
}

static void reinv_resp_handler(int err, const struct sip_msg *msg,
			       void *arg);

/* RFC 3261 §22.2: the same offer again, with credentials */
static int reinv_again(struct sipleg *leg)
{
	struct sipmod *m = &leg->mod;

	m->req_cseq = sip_dialog_lseq(leg->dlg);
	return sipmod_offer_send(leg, "INVITE", reinv_resp_handler);
}

static void reinv_resp_handler(int err, const struct sip_msg *msg,
			       void *arg)
{
	struct sipleg *leg = arg;
	struct sipmod *m = &leg->mod;
	uint32_t ms;

	if (msg && msg->scode < 200)
		return;
	m->req_offer = false;
	if (msg && msg->scode < 300)
		ack_2xx(leg);   /* libre ACKs the 3xx-6xx itself */
	if (leg->state != LEG_CONFIRMED)
		return;
	if (sipauthc_challenged(leg, msg, leg->dlg) && !reinv_again(leg))
		return;
	if (err || !msg) {
		sipleg_log(leg, LOG_LVL_INFO, "re-INVITE failed: %m", err);
		if (m->hold_req)
			siphold_failed(leg, err, 0);
		if (err == ETIMEDOUT)
			(void)sipmod_dialog_gone(leg, 408);
		return;
	}
	if (msg->scode < 300) {
		reinv_success(leg, msg);
	}
	else if (msg->scode == 491) {
		ms = sipmod_backoff(leg);
		sipleg_log(leg, LOG_LVL_INFO, "491: re-INVITE again in %u ms",
			   ms);
		timer_start(&m->tmr_glare, ms, glare_handler, leg);
	}
	else if (sipst_retry_422(leg, msg)) {
		(void)sipreinv_send(leg);
	}
	else {
		/* RFC 3261 §14.1: the session goes on unchanged */
		sipleg_log(leg, LOG_LVL_INFO, "re-INVITE got %u", msg->scode);
		if (m->hold_req)
			siphold_failed(leg, 0, msg->scode);
		(void)sipmod_dialog_gone(leg, msg->scode);
	}
}

/* a 2xx of our re-INVITE again (its ACK was lost): ACK it again (RFC
 * 3261 §13.2.2.4); true when it was ours */
bool sipreinv_response(struct sipua *ua, const struct sip_msg *msg)
{
	struct le *le;

	if (msg->scode < 200 || msg->scode >= 300 ||
	    pl_strcmp(&msg->cseq.met, "INVITE"))
		return false;
	for (le = ua->legl.head; le; le = le->next) {
		struct sipleg *leg = le->data;

		if (!leg->mod.req_invite || !leg->dlg ||
		    msg->cseq.num != leg->mod.req_cseq ||
		    !sip_dialog_cmp(leg->dlg, msg))
			continue;
		ack_2xx(leg);
		return true;
	}
	return false;
}

/* our re-INVITE with our current SDP as the offer */
int sipreinv_send(struct sipleg *leg)
{
	struct sipmod *m = &leg->mod;
	int err;

	if (m->req || m->reinv_in)
		return EBUSY;
	m->req_cseq = sip_dialog_lseq(leg->dlg);
	err = sipmod_offer_send(leg, "INVITE", reinv_resp_handler);
	if (!err) {
		m->req_invite = true;
		sipleg_log(leg, LOG_LVL_INFO, "re-INVITE (%s)", m->hold_req ?
			   "hold/retrieval offer" : "session refresh");
	}
	return err;
}
