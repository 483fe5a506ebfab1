/*
 * sip/uac.c: the outgoing INVITE (UAC) half of our INVITE dialog usage:
 * INVITE with an SDP offer, early dialog, 2xx ACK (also for
 * retransmissions), CANCEL with Reason and the CANCEL/200 race, Timer B
 * and Timer C.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "common/sipuser.h"
#include "sip/sip_int.h"

static void cancel_send(struct sipleg *leg);

/* Contact, and where the INVITE goes (for our own CANCEL) */
static int send_handler(enum sip_transp tp, const struct sa *src,
			const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;
	struct sipua_contact_ctx c = {leg->ua, tp, src, dst, NULL};

	leg->tp = tp;
	leg->dst = *dst;
	leg->laddr = *src;
	siptls_expect(leg->ua, tp, leg->ruri);   /* RFC 5922 §7.2 */
	return mbuf_printf(mb, "Contact: %H\r\n", sipua_contact_h, &c);
}

static void ack_send(struct sipleg *leg)
{
	int err;

	/* RFC 3261 §13.2.2.4: the ACK carries the INVITE's CSeq number */
	err = sip_drequestf(NULL, leg->ua->sip, false, "ACK", leg->dlg,
			    leg->invite_cseq, NULL, NULL, NULL, NULL,
			    "Content-Length: 0\r\n\r\n");
	if (err)
		sipleg_log(leg, LOG_LVL_WARN, "ACK failed: %m", err);
}

static void uac_fail(struct sipleg *leg, int cause)
{
	sipleg_disconnect(leg, cause, CC_LOC_BEYOND);
	sipleg_release(leg, cause);
}

static int status_cause(const struct sipleg *leg, int scode)
{
	int cause = sipleg_from_status(leg, scode);

	return cause > 0 ? cause : 127;   /* Q.850 interworking */
}

/* Timer B analogue: no response at all.  RFC 3261 §17.1.1.2 reports it
 * as a 408, which RFC 3398 §8.2.6.1 maps to cause 102 */
static void timer_b_handler(void *arg)
{
	struct sipleg *leg = arg;

	sipleg_log(leg, LOG_LVL_INFO, "Timer B: no response");
	if (leg->state == LEG_CANCELLING) {
		sipleg_release(leg, leg->cancel_cause);
		return;
	}
	uac_fail(leg, status_cause(leg, 408));
}

/*
 * Timer C (RFC 3261 §16.6 step 11): a 1xx but no final response.  The call
 * is cancelled; the cause is 19 "no answer from user (user alerted)" after
 * a 180 and else the 408 mapping (102), as RFC 3398 §8.2.6.1 and Q.850.
 */
static void timer_c_handler(void *arg)
{
	struct sipleg *leg = arg;
	int cause = leg->alerted ? 19 : status_cause(leg, 408);

	sipleg_log(leg, LOG_LVL_INFO, "Timer C: no final response");
	sipleg_disconnect(leg, cause, CC_LOC_PRIV_LOCAL);
	leg->cancel_cause = cause;
	leg->state = LEG_CANCELLING;
	sipleg_media_sync(leg);
	cancel_send(leg);
}

/* RFC 3261 §9.1: no final response within 64*T1 of the CANCEL */
static void cancel_timeout_handler(void *arg)
{
	struct sipleg *leg = arg;

	sipleg_release(leg, leg->cancel_cause);
}

static void cancel_retrans_handler(void *arg)
{
	struct sipleg *leg = arg;
	unsigned next = sipua_t1(leg->ua) << (++leg->txc < 8 ? leg->txc : 8);

	(void)sip_send(leg->ua->sip, NULL, leg->tp, &leg->dst, leg->cancel_mb);
	timer_start(&leg->tmr_2xx, next < SIPUA_T2 ? next : SIPUA_T2,
		    cancel_retrans_handler, leg);
}

/*
 * Our own CANCEL, since libre's carries no Reason (RFC 3326).  RFC 3261
 * §9.1: same Request-URI, Call-ID, To, From and CSeq number as the INVITE,
 * one Via equal to the INVITE's top Via; only after a 1xx came back.
 */
static void cancel_send(struct sipleg *leg)
{
	const char *ua_name = leg->ua->conf.user_agent;
	struct mbuf *mb;
	int err;

	if (leg->cancel_sent || !leg->prov_rcvd)
		return;
	mb = mbuf_alloc(512);
	if (!mb)
		return;
	err = mbuf_printf(mb, "CANCEL %s SIP/2.0\r\n"
			  "Via: SIP/2.0/%s %s;branch=%s;rport\r\n"
			  "Max-Forwards: 70\r\n"
			  "To: <%s>\r\n"
			  "From: %s\r\n"
			  "Call-ID: %s\r\n"
			  "CSeq: %u CANCEL\r\n"
			  "Reason: Q.850;cause=%d\r\n"
			  "%s%s%s"
			  "Content-Length: 0\r\n\r\n",
			  leg->ruri, sip_transp_name(leg->tp),
			  leg->via_sentby, leg->via_branch, leg->to_uri,
			  leg->from_hdr, sip_dialog_callid(leg->dlg),
			  leg->invite_cseq, leg->cancel_cause,
			  ua_name[0] ? "User-Agent: " : "", ua_name,
			  ua_name[0] ? "\r\n" : "");
	if (err) {
		mem_deref(mb);
		return;
	}
	mb->pos = 0;
	leg->cancel_mb = mb;
	leg->cancel_sent = true;
	sipleg_log(leg, LOG_LVL_INFO, "CANCEL (cause %d)", leg->cancel_cause);
	(void)sip_send(leg->ua->sip, NULL, leg->tp, &leg->dst, mb);
	leg->txc = 0;
	if (leg->tp == SIP_TRANSP_UDP)
		timer_start(&leg->tmr_2xx, sipua_t1(leg->ua),
			    cancel_retrans_handler, leg);
	timer_start(&leg->tmr_cancel, 64 * sipua_t1(leg->ua),
		    cancel_timeout_handler, leg);
}

static void provisional(struct sipleg *leg, const struct sip_msg *msg)
{
	bool sdp = siphdr_is_sdp(msg);
	struct cc_msg cc;

	timer_cancel(&leg->tmr_b);
	if (!leg->prov_rcvd) {
		leg->prov_rcvd = true;
		leg->via_branch = mem_deref(leg->via_branch);
		leg->via_sentby = mem_deref(leg->via_sentby);
		(void)pl_strdup(&leg->via_branch, &msg->via.branch);
		(void)pl_strdup(&leg->via_sentby, &msg->via.sentby);
		(void)pl_strdup(&leg->from_hdr, &msg->from.val);
	}
	if (leg->state == LEG_CANCELLING) {
		cancel_send(leg);
		return;
	}
	/* RFC 3261 §12.1.2: a 1xx with a To tag makes an early dialog; a
	 * reliable one gets its PRACK, a repeated one goes no further */
	if (!siprel_uac_1xx(leg, msg))
		return;
	if (sdp && !leg->sdp_done && sipmedia_take_answer(leg, msg))
		sipleg_log(leg, LOG_LVL_WARN, "unusable SDP in %u",
			   msg->scode);

	if (msg->scode == 100) {
		if (leg->state != LEG_CALLING)
			return;
		cc_msg_init(&cc, CC_PROCEEDING);
	}
	else if (msg->scode == 180) {
		cc_msg_init(&cc, CC_ALERTING);
		cc.early_media = sdp && leg->sdp_done;
		if (cc.early_media)
			cc.progress = CC_PI_INBAND;
		leg->alerted = true;
	}
	else {
		cc_msg_init(&cc, CC_PROGRESS);
		cc.early_media = sdp && leg->sdp_done;
		cc.progress = cc.early_media ? CC_PI_INBAND : CC_PI_NONE;
	}
	leg->state = LEG_EARLY;
	sipleg_media_sync(leg);
	sipleg_deliver(leg, &cc);
}

static void success(struct sipleg *leg, const struct sip_msg *msg)
{
	struct cc_msg cc;

	timer_cancel(&leg->tmr_b);
	timer_cancel(&leg->tmr_c);
	(void)siprel_uac_2xx(leg, msg);
	leg->answered = true;
	sipleg_media_sync(leg);
	ack_send(leg);
	if (siphdr_is_sdp(msg) && !leg->sdp_done &&
	    sipmedia_take_answer(leg, msg))
		sipleg_log(leg, LOG_LVL_WARN, "unusable SDP in 2xx");

	if (leg->state == LEG_CANCELLING) {
		/* the CANCEL/200 race (RFC 3261 §9.1): ACK, then BYE */
		sipleg_log(leg, LOG_LVL_INFO, "200 crossed our CANCEL");
		timer_cancel(&leg->tmr_cancel);
		(void)sipleg_bye(leg, leg->cancel_cause);
		return;
	}
	leg->state = LEG_CONFIRMED;
	sipst_response(leg, msg);   /* RFC 4028 §7.2 */
	sipst_start(leg);
	sipleg_media_sync(leg);   /* rtpwatch.c: watched from now */
	cc_msg_init(&cc, CC_CONNECT);
	sipleg_deliver(leg, &cc);
	if (!leg->sdp_done) {
		sipleg_log(leg, LOG_LVL_WARN, "answered without SDP answer");
		sipleg_disconnect(leg, 127, CC_LOC_PRIV_LOCAL);
		(void)sipleg_bye(leg, 127);
	}
}

static int invite_send(struct sipleg *leg, const struct cc_msg *setup,
		       const char *host);

/* our host in From, P-Asserted-Identity and Diversion (sip/addr.c) */
static void from_host(char *host, size_t size, const struct sipua *ua,
		      const char *uri)
{
	struct sa peer, a;
	bool known = !sipaddr_uri_peer(uri, &peer);

	sipaddr_pick(ua, known ? &peer : NULL, &ua->sip_laddr, &a);
	(void)re_snprintf(host, size, sa_af(&a) == AF_INET6 ? "[%j]" : "%j",
			  &a);
}

/* the INVITE again, with the next CSeq; a CANCEL waits for its 1xx */
static bool invite_again(struct sipleg *leg)
{
	char host[64];

	if (!leg->mod.setup)
		return false;
	leg->prov_rcvd = false;
	from_host(host, sizeof(host), leg->ua, leg->ruri);
	return !invite_send(leg, leg->mod.setup, host);
}

/* RFC 4028 §7.4: a 422 is retried with its larger Min-SE; RFC 3261
 * §22.2: a 401/407 with our credentials */
static bool retry_422(struct sipleg *leg, const struct sip_msg *msg)
{
	if (sipauthc_challenged(leg, msg, leg->dlg))
		return invite_again(leg);
	return leg->mod.setup && sipst_retry_422(leg, msg) &&
		invite_again(leg);
}

static void invite_resp_handler(int err, const struct sip_msg *msg,
				void *arg)
{
	struct sipleg *leg = arg;
	char reason[LOG_TEXT_LEN(64)];
	int cause;

	if (leg->state == LEG_RELEASED)
		return;
	if (err || !msg) {
		/* libre's Timer B or a transport error (RFC 3261 §8.1.3.1:
		 * treated as 408 and 503) */
		sipleg_log(leg, LOG_LVL_INFO, "INVITE failed: %m", err);
		leg->status = err == ETIMEDOUT ? 408 : 503;
		if (leg->state == LEG_CANCELLING) {
			sipleg_release(leg, leg->cancel_cause);
			return;
		}
		uac_fail(leg, status_cause(leg, err == ETIMEDOUT ? 408 : 503));
		return;
	}
	if (msg->scode < 200) {
		provisional(leg, msg);
		return;
	}
	leg->status = msg->scode;
	if (msg->scode < 300) {
		success(leg, msg);
		return;
	}
	/* libre's client transaction has ACKed the 3xx-6xx */
	if (leg->state != LEG_CANCELLING && retry_422(leg, msg))
		return;
	if (leg->state == LEG_CANCELLING) {
		sipleg_release(leg, leg->cancel_cause);
		return;
	}
	cause = siphdr_reason_cause(msg);
	if (!cause)
		cause = status_cause(leg, msg->scode);
	sipleg_log(leg, LOG_LVL_INFO, "%u %s (cause %d)", msg->scode,
		   log_text(reason, sizeof(reason), msg->reason.p,
			    msg->reason.l), cause);
	uac_fail(leg, cause);
}

/* responses libre passes up: 2xx retransmissions (the INVITE transaction
 * ends with the first 2xx, RFC 3261 §13.2.2.4) and our CANCEL's */
bool sipuac_response(struct sipua *ua, const struct sip_msg *msg)
{
	struct le *le;

	for (le = ua->legl.head; le; le = le->next) {
		struct sipleg *leg = le->data;

		if (!leg->uac || !leg->dlg)
			continue;
		if (!pl_strcmp(&msg->cseq.met, "CANCEL") &&
		    sip_dialog_cmp_half(leg->dlg, msg)) {
			if (msg->scode >= 200)
				timer_cancel(&leg->tmr_2xx);
			return true;
		}
		if (!pl_strcmp(&msg->cseq.met, "INVITE") &&
		    msg->scode >= 200 && msg->scode < 300 &&
		    leg->answered && sip_dialog_cmp(leg->dlg, msg)) {
			ack_send(leg);
			return true;
		}
		if (!pl_strcmp(&msg->cseq.met, "INVITE") &&
		    msg->scode >= 200 && msg->scode < 300 &&
		    leg->answered && siprel_uac_2xx_other(leg, msg))
			return true;
	}
	return false;
}

/* the core clears: CANCEL before the answer, BYE after it */
static int uac_clear(struct sipleg *leg, const struct cc_msg *msg)
{
	int cause = msg->cause > 0 ? msg->cause : SIPUA_CAUSE_NORMAL;

	leg->disc_sent = true;
	switch (leg->state) {

	case LEG_CALLING:
	case LEG_EARLY:
		leg->cancel_cause = cause;
		leg->state = LEG_CANCELLING;
		sipleg_media_sync(leg);
		timer_cancel(&leg->tmr_c);
		cancel_send(leg);   /* or when the first 1xx comes */
		return 0;

	case LEG_CONFIRMED:
		return sipleg_bye(leg, cause);

	default:
		return 0;
	}
}

int sipuac_send(struct sipleg *leg, const struct cc_msg *msg)
{
	switch (msg->type) {

	case CC_DISCONNECT:
	case CC_RELEASE:
		return uac_clear(leg, msg);

	case CC_INFO:
		return sipdtmf_info_send(leg, msg);

	case CC_CONNECT_ACK:
		return 0;

	default:
		return EPROTO;
	}
}

/* To: the called number at the Request-URI's host (RFC 3261 §8.1.1.2),
 * its user written as the Request-URI's is (sipuser.h) */
static int to_uri_make(char **top, const char *uri, const struct cc_msg *setup)
{
	char user[SIPUSER_LEN];
	struct uri u;
	struct pl pl;
	int err;

	pl_set_str(&pl, uri);
	if (uri_decode(&u, &pl))
		return EINVAL;
	if (!setup->called.number[0])
		return str_dup(top, uri);
	err = sipuser_write(user, sizeof(user), &setup->called);
	if (err)
		return err;
	if (u.port)
		return re_sdprintf(top, "sip:%s@%r:%u", user, &u.host, u.port);
	return re_sdprintf(top, "sip:%s@%r", user, &u.host);
}

/* From: the calling number at our address, or anonymous (RFC 3325
 * §9.3 / RFC 3323 §4.1.1.3) when presentation is restricted or there is
 * no number */
static int from_uri_make(char **fromp, const struct cc_msg *setup,
			 const char *host, bool anon)
{
	char user[SIPUSER_LEN];
	int err;

	if (anon)
		return re_sdprintf(fromp, "sip:anonymous@anonymous.invalid");
	err = sipuser_write(user, sizeof(user), &setup->calling);
	return err ? err : re_sdprintf(fromp, "sip:%s@%s", user, host);
}

static int invite_send(struct sipleg *leg, const struct cc_msg *setup,
		       const char *host)
{
	struct mbuf *offer = NULL;
	int err;

	err = sipmedia_offer(leg, &offer);
	if (err)
		return err;
	leg->invite_cseq = sip_dialog_lseq(leg->dlg);
	err = sip_drequestf(&leg->req, leg->ua->sip, true, "INVITE", leg->dlg,
			    0, leg->auth, send_handler, invite_resp_handler, leg,
			    "%H"
			    "Allow: " SIPUA_ALLOW "\r\n"
			    "%H"
			    "%H"
			    "Content-Type: application/sdp\r\n"
			    "Content-Length: %zu\r\n\r\n%b",
			    siphdr_print_identity_h, &(struct siphdr_ident){
				    setup, host}, sipst_req_hdrs, leg,
			    siprel_uac_hdrs, leg,
			    mbuf_get_left(offer), mbuf_buf(offer),
			    mbuf_get_left(offer));
	mem_deref(offer);
	return err;
}

int sipleg_invite(struct sipleg **legp, struct sipua *ua, const char *uri,
		  const struct cc_msg *setup, sipleg_msg_h *msgh, void *arg)
{
	return sipleg_invite_stimer(legp, ua, uri, setup, NULL, msgh, arg);
}

int sipleg_invite_stimer(struct sipleg **legp, struct sipua *ua,
			 const char *uri, const struct cc_msg *setup,
			 const struct sipleg_stimer *st, sipleg_msg_h *msgh,
			 void *arg)
{
	const struct sipua_conf *conf;
	struct sipleg *leg = NULL;
	struct sa peer;
	bool anon;
	char host[64];
	int err;

	if (!legp || !ua || !uri || !setup)
		return EINVAL;
	conf = &ua->conf;
	err = sipleg_alloc(&leg, ua, true);
	if (err)
		return err;
	leg->msgh = msgh;
	leg->arg = arg;
	leg->disc_sent = false;
	sipst_conf(leg, st);
	from_host(host, sizeof(host), ua, uri);

	err  = str_dup(&leg->ruri, uri);
	err |= to_uri_make(&leg->to_uri, uri, setup);
	if (err)
		goto out;
	anon = setup->calling.pres == CC_PRES_RESTRICTED ||
		!setup->calling.number[0];
	err = from_uri_make(&leg->from_uri, setup, host, anon);
	if (err)
		goto out;
	err = siptls_dialog_alloc(&leg->dlg, uri, leg->to_uri,
				  anon ? "Anonymous" : NULL, leg->from_uri);
	if (err)
		goto out;
	/* the peer's settings: its media mode, for the offer */
	err = sipleg_set_peer_uri(leg, uri);
	if (err)
		goto out;
	err = sipmedia_alloc(leg, sipaddr_uri_peer(uri, &peer) ? NULL : &peer);
	if (err)
		goto out;
	leg->state = LEG_CALLING;
	sipleg_media_sync(leg);
	err = invite_send(leg, setup, host);
	if (err)
		goto out;
	timer_start(&leg->tmr_b, conf->timer_b_ms ? conf->timer_b_ms :
		    64 * sipua_t1(ua), timer_b_handler, leg);
	timer_start(&leg->tmr_c, conf->timer_c_ms ? conf->timer_c_ms :
		    SIPUA_TIMER_C_DEFAULT, timer_c_handler, leg);
	sipleg_log(leg, LOG_LVL_INFO, "INVITE %s", uri);
	leg->mod.setup = mem_alloc(sizeof(*setup), NULL);   /* for a 422 */
	if (leg->mod.setup)
		*leg->mod.setup = *setup;
 out:
	if (err) {
		sip_log(LOG_LVL_WARN, "sip: INVITE %s: %m", uri, err);
		leg->msgh = NULL;
		mem_deref(leg);
	}
	else {
		*legp = leg;
	}
	return err;
}
