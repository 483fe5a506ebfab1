/*
 * sip/prack.c: reliable provisional responses (RFC 3262) in both
 * directions, the per-peer 100rel policy, and the early dialogs of an
 * outgoing INVITE that forks (RFC 3261 §12.1.2, §13.2.2.4).
 *
 *   UAS  18x with Require: 100rel and RSeq, retransmitted at T1 doubling
 *        to T2 until the PRACK whose RAck matches; one unacknowledged at a
 *        time (the next ones wait); no 2xx while one with SDP waits; none
 *        in 64*T1: 504 and the PBX gets the mapped cause
 *   UAC  Supported (or Require) 100rel in the INVITE; a PRACK for every
 *        in-order reliable 1xx, on its own early dialog
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

enum { PRACK_TIMEOUT_STATUS = 504 };

/* one early dialog of our INVITE (one To tag) */
struct sipearly {
	struct le le;
	struct sipleg *leg;
	struct sip_dialog *dlg;
	struct sip_request *prack;   /* our PRACK, until its response */
	uint32_t rseq;        /* the last in-order RSeq (RFC 3262 §4) */
	bool rseq_set;
	bool ended;           /* a losing fork's 2xx: ACKed and BYE sent */
};

void siprel_stop(struct sipleg *leg)
{
	struct siprel *r = &leg->rel;

	timer_cancel(&r->tmr_rtx);
	timer_cancel(&r->tmr_wait);
	r->mb = mem_deref(r->mb);
	r->nq = 0;
	r->answer_wait = false;
}

void siprel_free(struct sipleg *leg)
{
	siprel_stop(leg);
	list_flush(&leg->rel.earlyl);
	leg->rel.tmpl = mem_deref(leg->rel.tmpl);
}

/* ---- UAS ----------------------------------------------------------- */

/*
 * RFC 3262 §3 before anything is allocated for an INVITE: a Require:
 * 100rel the peer's policy refuses gets 420 (RFC 3261 §8.2.2.3), an
 * INVITE without 100rel for a peer that must use it gets 421 (RFC 3261
 * §21.4.15); both statelessly.  True when refused; else *sup says
 * whether the INVITE supports or requires 100rel, for siprel_uas_init.
 */
bool siprel_uas_refused(struct sipua *ua, const struct sip_msg *msg,
			int peer, bool *supp)
{
	const struct sipua_peer *p = sipua_peer_get(ua, peer);
	enum sipua_100rel policy = p ? p->rel100 : ua->conf.rel100;
	bool req = siphdr_has_option(msg, SIP_HDR_REQUIRE, "100rel");
	bool sup = req || siphdr_has_option(msg, SIP_HDR_SUPPORTED, "100rel");

	*supp = sup;

	if (req && policy == SIPUA_100REL_DISABLED) {
		(void)sip_replyf(ua->sip, msg, 420, "Bad Extension",
				 "Unsupported: 100rel\r\n"
				 "Content-Length: 0\r\n\r\n");
		return true;
	}
	if (!sup && policy == SIPUA_100REL_REQUIRED) {
		(void)sip_replyf(ua->sip, msg, 421, "Extension Required",
				 "Require: 100rel\r\n"
				 "Content-Length: 0\r\n\r\n");
		return true;
	}
	return false;
}

/* the INVITE passed siprel_uas_refused(), which said whether it supports
 * 100rel (sup): whether our 18x go reliably */
void siprel_uas_init(struct sipleg *leg, bool sup)
{
	struct siprel *r = &leg->rel;

	r->on = sup && r->policy != SIPUA_100REL_DISABLED;
	/* RFC 3262 §3: the first RSeq is random in 1 .. 2^31-1 */
	r->rseq = rand_u32() & 0x3fffffff;
}

static void rtx_handler(void *arg)
{
	struct sipleg *leg = arg;
	struct siprel *r = &leg->rel;
	unsigned next;

	(void)sip_send(leg->ua->sip, leg->invite->sock, leg->invite->tp,
		       &leg->resp_dst, r->mb);
	r->txc++;
	next = sipua_t1(leg->ua) << (r->txc < 8 ? r->txc : 8);
	timer_start(&r->tmr_rtx, next < SIPUA_T2 ? next : SIPUA_T2,
		    rtx_handler, leg);
}

/* RFC 3262 §3: no PRACK in 64*T1: reject the INVITE with a 5xx */
static void wait_handler(void *arg)
{
	struct sipleg *leg = arg;
	const struct sipleg_causes *c = &leg->ua->causes;
	int cause = c->from_status(PRACK_TIMEOUT_STATUS, c->arg);

	if (cause <= 0)
		cause = 102;
	sipleg_log(leg, LOG_LVL_INFO, "no PRACK for RSeq %u: %d",
		   leg->rel.rseq, PRACK_TIMEOUT_STATUS);
	siprel_stop(leg);
	(void)sipuas_reply(leg, PRACK_TIMEOUT_STATUS, false, cause, NULL, 0);
	sipleg_disconnect(leg, cause, CC_LOC_PRIV_LOCAL);
	sipleg_release(leg, cause);
}

static int uas_send_rel(struct sipleg *leg, uint16_t scode, bool sdp)
{
	struct siprel *r = &leg->rel;
	unsigned t1 = sipua_t1(leg->ua);
	struct pl rp;
	int err;

	r->mb = mem_deref(r->mb);
	err = sipuas_reply(leg, scode, sdp, 0, &r->mb, r->rseq + 1);
	if (err)
		return err;
	r->rseq++;
	r->sent = true;
	r->mb_sdp = sdp;
	r->txc = 0;
	sip_reply_addr(&leg->resp_dst, leg->invite,
		       !msg_param_exists(&leg->invite->via.params, "rport",
					 &rp));
	if (leg->invite->tp == SIP_TRANSP_UDP)
		timer_start(&r->tmr_rtx, t1, rtx_handler, leg);
	timer_start(&r->tmr_wait, 64 * t1, wait_handler, leg);
	sipleg_log(leg, LOG_LVL_DEBUG, "reliable %u RSeq %u%s", scode,
		   r->rseq, sdp ? " with SDP" : "");
	return 0;
}

/* a 18x for the core's ALERTING/PROGRESS, sent reliably; RFC 3262 §3: not
 * before the previous one is acknowledged, so it waits in the queue */
int siprel_uas_1xx(struct sipleg *leg, uint16_t scode, bool sdp)
{
	struct siprel *r = &leg->rel;

	if (!r->mb)
		return uas_send_rel(leg, scode, sdp);
	if (r->nq == SIPREL_QLEN) {
		sipleg_log(leg, LOG_LVL_WARN, "%u dropped: %u provisionals "
			   "wait for a PRACK", scode, r->nq);
		return 0;
	}
	r->q[r->nq].scode = scode;
	r->q[r->nq].sdp = sdp;
	r->nq++;
	return 0;
}

/* RFC 3262 §3: a 2xx waits while a reliable 1xx with SDP is unacknowledged */
bool siprel_uas_hold_2xx(struct sipleg *leg)
{
	struct siprel *r = &leg->rel;
	unsigned i;
	bool sdp = r->mb && r->mb_sdp;

	for (i = 0; r->mb && i < r->nq; i++)
		sdp = sdp || r->q[i].sdp;
	if (sdp)
		r->answer_wait = true;
	return sdp;
}

/* RFC 3262 §7.2: RAck = response-num CSeq-num Method */
bool siprel_rack_decode(const struct sip_msg *msg, uint32_t *rseq,
			uint32_t *cseq, struct pl *met)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_RACK);
	struct pl a, b;

	if (!h || re_regex(h->val.p, h->val.l,
			   "[0-9]+[ \t]+[0-9]+[ \t]+[^ \t]+", &a, NULL, &b,
			   NULL, met))
		return false;
	if (a.l > 10 || b.l > 10 || pl_u64(&a) > 0xffffffffULL ||
	    pl_u64(&b) > 0xffffffffULL)
		return false;
	*rseq = pl_u32(&a);
	*cseq = pl_u32(&b);
	return true;
}

/* RFC 3262 §7.1: RSeq = 1*DIGIT, 1 to 2^31-1 */
bool siprel_rseq_decode(const struct sip_msg *msg, uint32_t *rseq)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_RSEQ);

	if (!h || !siphdr_isdigits(&h->val) || h->val.l > 10 ||
	    pl_u64(&h->val) > 0x7fffffffULL || !pl_u32(&h->val))
		return false;
	*rseq = pl_u32(&h->val);
	return true;
}

/* the next queued 1xx, or the 2xx that waited */
static void uas_acked(struct sipleg *leg)
{
	struct siprel *r = &leg->rel;

	timer_cancel(&r->tmr_rtx);
	timer_cancel(&r->tmr_wait);
	r->mb = mem_deref(r->mb);
	if (r->nq) {
		uint16_t scode = r->q[0].scode;
		bool sdp = r->q[0].sdp;

		r->nq--;
		memmove(r->q, r->q + 1, r->nq * sizeof(r->q[0]));
		(void)uas_send_rel(leg, scode, sdp);
		return;
	}
	if (r->answer_wait) {
		r->answer_wait = false;
		(void)sipuas_answer(leg);
	}
}

/*
 * Offer/answer in the PRACK (RFC 3262 §5, RFC 6337 §3.1): an SDP answers
 * the offer our 1xx carried, or is a new offer that the 200 answers.
 */
static int prack_sdp(struct sipleg *leg, const struct sip_msg *msg,
		     struct mbuf **bodyp)
{
	if (!siphdr_is_sdp(msg))
		return 0;
	if (!leg->sdp_done)
		return sipmedia_take_answer(leg, msg);
	return sipmedia_answer_from(leg, msg, bodyp);
}

/* a PRACK inside the dialog (RFC 3262 §3, §4) */
void siprel_prack(struct sipleg *leg, const struct sip_msg *msg)
{
	struct siprel *r = &leg->rel;
	struct mbuf *body = NULL;
	uint32_t rseq = 0, cseq = 0;
	struct pl met;
	bool pending;

	if (leg->uac || !leg->invite || !r->on || !r->sent ||
	    !siprel_rack_decode(msg, &rseq, &cseq, &met) || rseq != r->rseq ||
	    cseq != leg->invite->cseq.num || pl_strcmp(&met, "INVITE") ||
	    (!r->mb && leg->state != LEG_EARLY &&
	     leg->state != LEG_ANSWERED && leg->state != LEG_CONFIRMED)) {
		sipleg_log(leg, LOG_LVL_INFO, "PRACK RAck %u %u matches no "
			   "reliable 1xx: 481", rseq, cseq);
		(void)sip_treply(NULL, leg->ua->sip, msg, 481,
				 "Call/Transaction Does Not Exist");
		return;
	}
	pending = r->mb != NULL;
	if (pending && prack_sdp(leg, msg, &body)) {
		(void)sip_treply(NULL, leg->ua->sip, msg, 488,
				 "Not Acceptable Here");
		return;
	}
	(void)sip_treplyf(NULL, NULL, leg->ua->sip, msg, false, 200, "OK",
			  "%s"
			  "Content-Length: %zu\r\n\r\n%b",
			  body ? "Content-Type: application/sdp\r\n" : "",
			  body ? mbuf_get_left(body) : (size_t)0,
			  body ? mbuf_buf(body) : NULL,
			  body ? mbuf_get_left(body) : (size_t)0);
	mem_deref(body);
	if (pending) {
		sipleg_log(leg, LOG_LVL_DEBUG, "PRACK for RSeq %u", rseq);
		r->pracked = true;
		sipleg_media_sync(leg);
		uas_acked(leg);
	}
}

/* ---- UAC ----------------------------------------------------------- */

/* %H: Require: 100rel in our INVITE when the peer's policy says so
 * (RFC 3262 §4; Supported comes from sipst_req_hdrs); arg: the leg */
int siprel_uac_hdrs(struct re_printf *pf, void *arg)
{
	const struct sipleg *leg = arg;

	if (leg->rel.policy == SIPUA_100REL_REQUIRED)
		return re_hprintf(pf, "Require: 100rel\r\n");
	return 0;
}

static void early_destructor(void *arg)
{
	struct sipearly *e = arg;

	list_unlink(&e->le);
	mem_deref(e->prack);   /* no callback after this (libre) */
	mem_deref(e->dlg);
}

static struct sipearly *early_find(struct sipleg *leg,
				   const struct sip_msg *msg)
{
	struct le *le;

	for (le = leg->rel.earlyl.head; le; le = le->next) {
		struct sipearly *e = le->data;

		if (sip_dialog_cmp(e->dlg, msg))
			return e;
	}
	return NULL;
}

/*
 * The early dialog of a 1xx with a To tag (RFC 3261 §12.1.2): each new
 * tag forks one from the INVITE's dialog, kept as the template; the
 * first becomes the leg's dialog.
 */
static struct sipearly *early_get(struct sipleg *leg,
				  const struct sip_msg *msg)
{
	struct siprel *r = &leg->rel;
	struct sipearly *e = early_find(leg, msg);

	if (e)
		return e;
	if (!r->tmpl && sip_dialog_established(leg->dlg))
		return NULL;
	e = mem_zalloc(sizeof(*e), early_destructor);
	if (!e)
		return NULL;
	e->leg = leg;
	if (sip_dialog_fork(&e->dlg, r->tmpl ? r->tmpl : leg->dlg, msg)) {
		mem_deref(e);
		return NULL;
	}
	if (!r->tmpl) {
		r->tmpl = leg->dlg;
		leg->dlg = mem_ref(e->dlg);
	}
	else {
		sipleg_log(leg, LOG_LVL_INFO, "forked: early dialog %r",
			   &msg->to.tag);
	}
	list_append(&r->earlyl, &e->le, e);
	return e;
}

static void prack_send(struct sipleg *leg, struct sipearly *e);

/* RFC 3261 §22.2: a challenged PRACK goes again with credentials */
static void prack_resp_handler(int err, const struct sip_msg *msg,
			       void *arg)
{
	struct sipearly *e = arg;
	(void)err;

	if (msg && msg->scode >= 200 && sipauthc_challenged(e->leg, msg, e->dlg))
		prack_send(e->leg, e);
}

/* RFC 3262 §7.1 PRACK, on the early dialog of the 1xx */
static void prack_send(struct sipleg *leg, struct sipearly *e)
{
	int err;

	e->prack = mem_deref(e->prack);
	err = sip_drequestf(&e->prack, leg->ua->sip, true, "PRACK", e->dlg,
			    0, leg->auth, NULL, prack_resp_handler, e,
			    "RAck: %u %u INVITE\r\n"
			    "Content-Length: 0\r\n\r\n",
			    e->rseq, leg->invite_cseq);
	if (err)
		sipleg_log(leg, LOG_LVL_WARN, "PRACK failed: %m", err);
}

/*
 * A 1xx to our INVITE: its early dialog, and a PRACK when it is reliable.
 * False: a retransmitted (or out of order) reliable 1xx, which must not be
 * processed further (RFC 3262 §4).
 */
bool siprel_uac_1xx(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipearly *e = NULL;
	uint32_t rseq;

	if (msg->scode > 100 && pl_isset(&msg->to.tag))
		e = early_get(leg, msg);
	if (!e || !sip_msg_hdr(msg, SIP_HDR_RSEQ) ||
	    leg->rel.policy == SIPUA_100REL_DISABLED ||
	    !siphdr_has_option(msg, SIP_HDR_REQUIRE, "100rel"))
		return true;
	if (!siprel_rseq_decode(msg, &rseq))
		return false;
	if (e->rseq_set && rseq != e->rseq + 1) {
		sipleg_log(leg, LOG_LVL_DEBUG, "%u RSeq %u again (last %u): "
			   "ignored", msg->scode, rseq, e->rseq);
		return false;
	}
	e->rseq = rseq;
	e->rseq_set = true;
	prack_send(leg, e);
	leg->rel.pracked = true;
	sipleg_media_sync(leg);
	return true;
}

/* the 2xx: its dialog becomes the leg's (RFC 3261 §13.2.2.4) */
int siprel_uac_2xx(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipearly *e = early_get(leg, msg);

	if (!e) {
		if (!sip_dialog_established(leg->dlg))
			return sip_dialog_create(leg->dlg, msg);
		return sip_dialog_update(leg->dlg, msg);
	}
	if (leg->dlg != e->dlg) {
		mem_deref(leg->dlg);
		leg->dlg = mem_ref(e->dlg);
	}
	return sip_dialog_update(leg->dlg, msg);
}

/*
 * A 2xx from another fork once one has won (RFC 3261 §13.2.2.4): ACK it,
 * and end that dialog with BYE (Q.850 26, non-selected user clearing);
 * its retransmissions get the ACK again.  False: not such a 2xx.
 */
bool siprel_uac_2xx_other(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sip *sip = leg->ua->sip;
	struct sipearly *e;

	if (!leg->rel.tmpl || sip_dialog_cmp(leg->dlg, msg) ||
	    !sip_dialog_cmp_half(leg->dlg, msg))
		return false;
	e = early_get(leg, msg);
	if (!e)
		return false;
	(void)sip_drequestf(NULL, sip, false, "ACK", e->dlg,
			    leg->invite_cseq, NULL, NULL, NULL, NULL,
			    "Content-Length: 0\r\n\r\n");
	if (e->ended)
		return true;
	e->ended = true;
	sipleg_log(leg, LOG_LVL_INFO, "2xx from fork %r too: ACK and BYE",
		   &msg->to.tag);
	(void)sip_drequestf(NULL, sip, true, "BYE", e->dlg, 0, NULL, NULL,
			    NULL, NULL,
			    "Reason: Q.850;cause=26\r\n"
			    "Content-Length: 0\r\n\r\n");
	return true;
}
