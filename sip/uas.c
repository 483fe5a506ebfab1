/*
 * sip/uas.c: the incoming INVITE (UAS) half of our INVITE dialog usage:
 * checks, 100 Trying, SETUP to the core, 18x/2xx/3xx-6xx from the core's
 * messages, the 2xx retransmission until ACK, and CANCEL.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

static const char *reason_phrase(int scode)
{
	switch (scode) {
	case 180: return "Ringing";
	case 183: return "Session Progress";
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 408: return "Request Timeout";
	case 410: return "Gone";
	case 415: return "Unsupported Media Type";
	case 420: return "Bad Extension";
	case 480: return "Temporarily Unavailable";
	case 484: return "Address Incomplete";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	case 488: return "Not Acceptable Here";
	case 500: return "Server Internal Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Server Time-out";
	case 600: return "Busy Everywhere";
	case 603: return "Decline";
	case 604: return "Does Not Exist Anywhere";
	default:  return scode < 300 ? "OK" : "Call Failed";
	}
}

static bool accept_ok(const struct sip_msg *msg)
{
	const struct sip_hdr *hdr = sip_msg_hdr(msg, SIP_HDR_ACCEPT);

	/* RFC 3261 §8.2.3 and §21.4.7, RFC 4475 §3.3.15: 406 */
	if (!hdr || !hdr->val.l)
		return true;
	return !re_regex(hdr->val.p, hdr->val.l, "application/sdp") ||
		!re_regex(hdr->val.p, hdr->val.l, "application/\\*") ||
		!re_regex(hdr->val.p, hdr->val.l, "\\*/\\*");
}

/* checks of a new INVITE; a status to refuse it with, or 0 */
static int invite_check(struct sipua *ua, const struct sip_msg *msg)
{
	const struct sip_hdr *hdr;
	struct sip_addr addr;

	/* the gateway forwards the call, so a spent Max-Forwards stops it
	 * (RFC 3261 §16.3 step 3) */
	if (pl_isset(&msg->maxfwd) && pl_u32(&msg->maxfwd) == 0) {
		(void)sip_reply(ua->sip, msg, 483, "Too Many Hops");
		return 483;
	}
	/* RFC 3261 §8.2.3 */
	hdr = sip_msg_hdr(msg, SIP_HDR_CONTENT_ENCODING);
	if ((hdr && pl_strcasecmp(&hdr->val, "identity")) ||
	    (mbuf_get_left(msg->mb) && !siphdr_is_sdp(msg))) {
		(void)sip_replyf(ua->sip, msg, 415, "Unsupported Media Type",
				 "Accept: application/sdp\r\n"
				 "Accept-Encoding: identity\r\n"
				 "Content-Length: 0\r\n\r\n");
		return 415;
	}
	if (!accept_ok(msg)) {
		(void)sip_replyf(ua->sip, msg, 406, "Not Acceptable",
				 "Accept: application/sdp\r\n"
				 "Content-Length: 0\r\n\r\n");
		return 406;
	}
	/* RFC 3261 §8.1.1.8: an INVITE must carry one Contact */
	hdr = sip_msg_hdr(msg, SIP_HDR_CONTACT);
	if (!hdr || sip_addr_decode(&addr, &hdr->val) ||
	    sip_msg_hdr_count(msg, SIP_HDR_CONTACT) != 1) {
		(void)sip_reply(ua->sip, msg, 400, "Bad Request");
		return 400;
	}
	return 0;
}

struct reply_hdrs {
	const struct sipleg *leg;
	int scode;
	int cause;
	uint32_t rseq;
};

/* Reason (RFC 3326) on failures; Require and RSeq on a reliable 1xx
 * (RFC 3262 §3); Supported and Contact on 18x/2xx (RFC 3261 §12.1.1) */
static int reply_hdrs_print(struct re_printf *pf, void *arg)
{
	const struct reply_hdrs *h = arg;
	const struct sip_msg *msg = h->leg->invite;
	int err = 0;

	if (h->cause > 0)
		err |= re_hprintf(pf, "Reason: Q.850;cause=%d\r\n", h->cause);
	/* RFC 3262 §3: a reliable provisional */
	if (h->rseq)
		err |= re_hprintf(pf, "Require: 100rel\r\nRSeq: %u\r\n",
				  h->rseq);
	if (h->scode < 200)
		err |= siphdr_leg_supported(pf, (void *)h->leg);
	if (h->scode < 300) {
		err |= re_hprintf(pf, "Contact: ");
		err |= sipua_contact(pf, h->leg->ua, NULL, msg->tp, &msg->dst,
				     &msg->src);
		err |= re_hprintf(pf, "\r\n");
	}
	if (h->scode >= 200 && h->scode < 300)   /* Supported too */
		err |= sipst_resp_hdrs(pf, (void *)h->leg);   /* RFC 4028 §9 */
	return err;
}

/* a response to the INVITE; sdp: with our SDP body; rseq: reliable */
int sipuas_reply(struct sipleg *leg, int scode, bool sdp, int cause,
		 struct mbuf **mbp, uint32_t rseq)
{
	const struct sip_msg *msg = leg->invite;
	struct reply_hdrs h = {leg, scode, cause, rseq};
	struct mbuf *body = NULL;
	int err;

	if (sdp) {
		err = sipmedia_encode(leg, &body);
		if (err)
			return err;
	}
	err = sip_treplyf(&leg->st, mbp, leg->ua->sip, msg, scode < 300,
			  (uint16_t)scode, reason_phrase(scode),
			  "%H"
			  "Allow: " SIPUA_ALLOW "\r\n"
			  "%s"
			  "Content-Length: %zu\r\n\r\n%b",
			  reply_hdrs_print, &h,
			  body ? "Content-Type: application/sdp\r\n" : "",
			  body ? mbuf_get_left(body) : (size_t)0,
			  body ? mbuf_buf(body) : NULL,
			  body ? mbuf_get_left(body) : (size_t)0);
	mem_deref(body);
	if (!err && scode >= 200)
		leg->status = (uint16_t)scode;
	if (err)
		sipleg_log(leg, LOG_LVL_WARN, "%d reply failed: %m", scode,
			   err);
	return err;
}

static int uas_reply(struct sipleg *leg, int scode, bool sdp, int cause,
		     struct mbuf **mbp)
{
	return sipuas_reply(leg, scode, sdp, cause, mbp, 0);
}

/* RFC 3261 §13.3.1.4: retransmit the 2xx at T1, doubling up to T2 */
static void retrans_2xx_handler(void *arg)
{
	struct sipleg *leg = arg;
	unsigned t1 = sipua_t1(leg->ua);
	unsigned next;

	(void)sip_send(leg->ua->sip, leg->invite->sock, leg->invite->tp,
		       &leg->resp_dst, leg->resp2xx);
	leg->txc++;
	next = t1 << (leg->txc < 8 ? leg->txc : 8);
	timer_start(&leg->tmr_2xx, next < SIPUA_T2 ? next : SIPUA_T2,
		    retrans_2xx_handler, leg);
}

/* RFC 3261 §13.3.1.4: no ACK in 64*T1: confirm, then end with BYE */
static void ack_timeout_handler(void *arg)
{
	struct sipleg *leg = arg;
	int cause = leg->bye_cause ? leg->bye_cause : 102;

	sipleg_log(leg, LOG_LVL_WARN, "no ACK for the 2xx");
	timer_cancel(&leg->tmr_2xx);
	if (!leg->bye_cause)
		sipleg_disconnect(leg, cause, CC_LOC_PRIV_LOCAL);
	(void)sipleg_bye(leg, cause);
}

int sipuas_answer(struct sipleg *leg)
{
	struct pl rp;
	bool rport;
	int err;

	/* RFC 3262 §3: no 2xx while a 1xx with SDP waits for its PRACK */
	if (siprel_uas_hold_2xx(leg))
		return 0;
	siprel_stop(leg);
	leg->resp2xx = mem_deref(leg->resp2xx);
	err = uas_reply(leg, 200, true, 0, &leg->resp2xx);
	if (err)
		return err;
	leg->state = LEG_ANSWERED;
	sipleg_media_sync(leg);
	rport = !msg_param_exists(&leg->invite->via.params, "rport", &rp);
	sip_reply_addr(&leg->resp_dst, leg->invite, rport);
	leg->txc = 0;
	if (leg->invite->tp == SIP_TRANSP_UDP)
		timer_start(&leg->tmr_2xx, sipua_t1(leg->ua),
			    retrans_2xx_handler, leg);
	timer_start(&leg->tmr_ack, 64 * sipua_t1(leg->ua), ack_timeout_handler,
		    leg);
	return 0;
}

/* the ACK for our 2xx (RFC 3261 §13.3.1.4); with a late offer it carries
 * the answer (RFC 3264 §4, RFC 3261 §13.2.1) */
void sipuas_ack(struct sipleg *leg, const struct sip_msg *msg)
{
	struct cc_msg cc;

	if (leg->state != LEG_ANSWERED ||
	    msg->cseq.num != leg->invite->cseq.num)
		return;
	timer_cancel(&leg->tmr_2xx);
	timer_cancel(&leg->tmr_ack);
	leg->resp2xx = mem_deref(leg->resp2xx);
	leg->state = LEG_CONFIRMED;
	sipst_start(leg);   /* RFC 4028 §10 */
	sipleg_media_sync(leg);   /* rtpwatch.c: watched from now */
	if (!leg->sdp_done && siphdr_is_sdp(msg) &&
	    sipmedia_take_answer(leg, msg))
		sipleg_log(leg, LOG_LVL_WARN, "no usable answer in the ACK");
	if (leg->bye_cause) {
		(void)sipleg_bye(leg, leg->bye_cause);
		return;
	}
	cc_msg_init(&cc, CC_CONNECT_ACK);
	sipleg_deliver(leg, &cc);
}

static int uas_clear(struct sipleg *leg, const struct cc_msg *msg)
{
	int cause = msg->cause > 0 ? msg->cause : SIPUA_CAUSE_NORMAL;
	int scode;

	leg->disc_sent = true;   /* the core cleared: no DISCONNECT back */
	switch (leg->state) {

	case LEG_INCOMING:
	case LEG_EARLY:
		scode = sipleg_to_status(leg, cause, msg->location);
		if (scode < 300 || scode > 699)
			scode = 480;
		(void)uas_reply(leg, scode, false, cause, NULL);
		sipleg_release(leg, cause);
		return 0;

	case LEG_ANSWERED:
		/* RFC 3261 §15: no BYE before the ACK (or its timeout) */
		leg->bye_cause = cause;
		return 0;

	case LEG_CONFIRMED:
		return sipleg_bye(leg, cause);

	default:
		return 0;
	}
}

/*
 * The 18x for the PBX's ALERTING or PROGRESS (the default policy table in
 * sipri.conf(5)): with a progress indicator 1 or 8 (Q.931 §4.5.23) the
 * B-channel carries in-band tones or announcements, so 183 with SDP opens
 * early media (or 180 with SDP, per the peer's alert_inband); ALERTING
 * without one is 180 without SDP; PROGRESS without one is 183 without.
 */
static uint16_t early_status(const struct sipleg *leg,
			     const struct cc_msg *msg, bool *sdp)
{
	bool inband = msg->early_media || msg->progress == CC_PI_INBAND ||
		msg->progress == CC_PI_NOT_E2E_ISDN;
	enum sipua_alert_inband ai = leg->peer.alert_inband;

	*sdp = inband;
	if (msg->type == CC_PROGRESS)
		return 183;
	if (inband && ai == SIPUA_ALERT_183)
		return 183;
	return 180;
}

int sipuas_send(struct sipleg *leg, const struct cc_msg *msg)
{
	uint16_t scode;
	bool sdp;

	switch (msg->type) {

	case CC_PROCEEDING:
	case CC_SETUP_ACK:
		return 0;   /* 100 Trying went out with the INVITE */

	case CC_ALERTING:
	case CC_PROGRESS:
		if (leg->state != LEG_INCOMING && leg->state != LEG_EARLY)
			return EPROTO;
		scode = early_status(leg, msg, &sdp);
		leg->state = LEG_EARLY;
		sipleg_media_sync(leg);
		if (leg->rel.on)
			return siprel_uas_1xx(leg, scode, sdp);
		return uas_reply(leg, scode, sdp, 0, NULL);

	case CC_CONNECT:
		if (leg->state != LEG_INCOMING && leg->state != LEG_EARLY)
			return EPROTO;
		return sipuas_answer(leg);

	case CC_DISCONNECT:
	case CC_RELEASE:
		return uas_clear(leg, msg);

	case CC_INFO:
		return sipdtmf_info_send(leg, msg);

	default:
		return EPROTO;
	}
}

/* libre answered the CANCEL with 200 already (RFC 3261 §9.2) */
static void cancel_handler(void *arg)
{
	struct sipleg *leg = arg;
	int cause = leg->ua->cancel_cause;

	if (leg->state != LEG_INCOMING && leg->state != LEG_EARLY)
		return;
	leg->ua->cancel_cause = 0;
	if (!cause)
		cause = SIPUA_CAUSE_NORMAL;   /* RFC 3398 §7.2.3: 16 */
	sipleg_log(leg, LOG_LVL_INFO, "CANCEL (cause %d)", cause);
	(void)uas_reply(leg, 487, false, 0, NULL);
	sipleg_disconnect(leg, cause, CC_LOC_BEYOND);
	sipleg_release(leg, cause);
}

static void uas_setup(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipua *ua = leg->ua;
	struct cc_msg setup;
	char user[CC_NUMLEN * 2] = "";
	char luser[LOG_TEXT_LEN(CC_NUMLEN * 2)], lcalling[LOG_TEXT_LEN(CC_NUMLEN)];

	cc_msg_init(&setup, CC_SETUP);
	/* RFC 3325 §4: identity only from a peer in our trust domain */
	siphdr_parties(&setup, msg, leg->peer.trusted);
	(void)re_snprintf(user, sizeof(user), "%H", uri_user_unescape,
			  &msg->uri.user);
	leg->state = LEG_INCOMING;
	sipleg_media_sync(leg);
	/* the user is percent-decoded: made safe */
	sipleg_log(leg, LOG_LVL_INFO, "INVITE from %J to '%s' calling '%s'",
		   &msg->src, log_text(luser, sizeof(luser), user, LOG_NUL),
		   log_number(lcalling, sizeof(lcalling),
			      setup.calling.number, setup.hide_calling));
	if (ua->inviteh)
		ua->inviteh(leg, &setup, user, ua->arg);
	if (!leg->msgh && leg->state != LEG_RELEASED) {
		/* nobody took the call */
		(void)uas_reply(leg, 503, false, 0, NULL);
		sipleg_release(leg, 0);
	}
}

/* a new INVITE, outside any dialog, from peer (sip/acl.c let it in) */
void sipuas_invite(struct sipua *ua, const struct sip_msg *msg, int peer)
{
	struct sipleg *leg = NULL;
	bool sup = false;   /* 100rel */
	int err;

	/* the request's own faults first, then its source's rate, the
	 * trunk's challenge (RFC 3261 §22.1) and whether we can take it:
	 * all answered statelessly, before anything is allocated */
	if (invite_check(ua, msg) || siprel_uas_refused(ua, msg, peer, &sup) ||
	    !sipflood_rate(ua, msg) || !sipauth_check(ua, msg, peer) ||
	    !sipflood_admit(ua, msg))
		return;
	err = sipleg_alloc(&leg, ua, false);
	if (err)
		goto fail;
	leg->invite = mem_ref((void *)msg);
	err  = sipleg_set_peer(leg, peer);
	err |= sip_strans_alloc(&leg->st, ua->sip, msg, cancel_handler, leg);
	if (err)
		goto fail;
	err = sip_dialog_accept(&leg->dlg, msg);
	if (err) {
		(void)sip_treply(&leg->st, ua->sip, msg, 400, "Bad Request");
		goto release;
	}
	siprel_uas_init(leg, sup);
	(void)sip_treply(&leg->st, ua->sip, msg, 100, "Trying");
	err = sipst_request(leg, msg);   /* RFC 4028 §9 */
	if (err) {
		(void)sipst_refuse(leg, msg, err, &leg->st);
		goto release;
	}

	err = sipmedia_alloc(leg, &msg->src);
	if (err) {
		(void)uas_reply(leg, 503, false, 0, NULL);
		goto release;
	}
	if (siphdr_is_sdp(msg)) {
		err = sipmedia_answer_from(leg, msg, NULL);
		if (err) {
			/* RFC 3264 §6: no common codec */
			sipleg_log(leg, LOG_LVL_INFO, "offer refused: %m", err);
			leg->status = 488;
			(void)sip_treplyf(&leg->st, NULL, ua->sip, msg, false,
					  488, "Not Acceptable Here",
					  "Warning: 305 sipri \"Incompatible "
					  "media format\"\r\n"
					  "Content-Length: 0\r\n\r\n");
			goto release;
		}
	}
	else {
		leg->late_offer = true;
	}
	uas_setup(leg, msg);
	return;

 fail:
	(void)sip_reply(ua->sip, msg, 500, "Server Internal Error");
	if (!leg)
		return;
 release:
	leg->disc_sent = true;
	sipleg_release(leg, 0);
}
