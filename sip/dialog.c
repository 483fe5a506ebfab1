/*
 * sip/dialog.c: requests inside an INVITE dialog: ACK, BYE, INFO, OPTIONS,
 * re-INVITE; and the INFO (application/dtmf-relay) we send.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

/* RFC 3261 §15.1.2: 200 to the BYE; a pending INVITE gets 487 */
static void bye_request(struct sipleg *leg, const struct sip_msg *msg)
{
	int cause = siphdr_reason_cause(msg);

	if (!cause)
		cause = SIPUA_CAUSE_NORMAL;
	(void)sip_treply(NULL, leg->ua->sip, msg, 200, "OK");
	if (leg->st)
		(void)sip_treply(&leg->st, leg->ua->sip, leg->invite, 487,
				 "Request Terminated");
	sipleg_log(leg, LOG_LVL_INFO, "BYE (cause %d)", cause);
	if (leg->state == LEG_BYE) {
		/* both ends sent BYE: ours will be answered or time out */
		sipleg_release(leg, leg->rel_cause);
		return;
	}
	sipleg_disconnect(leg, cause, CC_LOC_BEYOND);
	sipleg_release(leg, cause);
}

/* RFC 6086 legacy INFO with application/dtmf-relay */
static void info_request(struct sipleg *leg, const struct sip_msg *msg)
{
	struct cc_msg cc;
	int err;

	if (!mbuf_get_left(msg->mb)) {
		(void)sip_treply(NULL, leg->ua->sip, msg, 200, "OK");
		return;
	}
	cc_msg_init(&cc, CC_INFO);
	err = siphdr_dtmf_relay(cc.digits, sizeof(cc.digits), msg);
	if (err == EPROTO) {
		(void)sip_treplyf(NULL, NULL, leg->ua->sip, msg, false, 415,
				  "Unsupported Media Type",
				  "Accept: application/dtmf-relay\r\n"
				  "Content-Length: 0\r\n\r\n");
		return;
	}
	if (err) {
		(void)sip_treply(NULL, leg->ua->sip, msg, 400, "Bad Request");
		return;
	}
	(void)sip_treply(NULL, leg->ua->sip, msg, 200, "OK");
	sipleg_deliver(leg, &cc);
}

/* re-INVITE on a confirmed dialog: a new offer gets an answer, none gets
 * our current SDP as the offer (RFC 3264 §8, RFC 3261 §14.2) */
static void reinvite_request(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipua_contact_ctx c = {leg->ua, msg->tp, &msg->dst};
	struct mbuf *body = NULL;
	int err;

	if (leg->state != LEG_CONFIRMED) {
		(void)sip_treplyf(NULL, NULL, leg->ua->sip, msg, false, 500,
				  "Server Internal Error",
				  "Retry-After: 1\r\n"
				  "Content-Length: 0\r\n\r\n");
		return;
	}
	if (siphdr_is_sdp(msg))
		err = sipmedia_answer_from(leg, msg, &body);
	else
		err = sdp_encode(&body, leg->sdp, true);
	if (err) {
		(void)sip_treply(NULL, leg->ua->sip, msg, 488,
				 "Not Acceptable Here");
		return;
	}
	(void)sip_dialog_update(leg->dlg, msg);
	(void)sip_treplyf(NULL, NULL, leg->ua->sip, msg, true, 200, "OK",
			  "Contact: %H\r\n"
			  "Allow: " SIPUA_ALLOW "\r\n"
			  "Content-Type: application/sdp\r\n"
			  "Content-Length: %zu\r\n\r\n%b",
			  sipua_contact_h, &c,
			  mbuf_get_left(body), mbuf_buf(body),
			  mbuf_get_left(body));
	mem_deref(body);
}

void sipdlg_request(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipua *ua = leg->ua;

	if (!pl_strcmp(&msg->met, "ACK")) {
		if (!leg->uac)
			sipuas_ack(leg, msg);
		return;
	}
	/* RFC 3261 §12.2.2: a CSeq lower than the last one gets 500 */
	if (!sip_dialog_rseq_valid(leg->dlg, msg)) {
		(void)sip_reply(ua->sip, msg, 500, "Server Internal Error");
		return;
	}
	if (!pl_strcmp(&msg->met, "BYE"))
		bye_request(leg, msg);
	else if (!pl_strcmp(&msg->met, "INFO"))
		info_request(leg, msg);
	else if (!pl_strcmp(&msg->met, "PRACK"))
		siprel_prack(leg, msg);
	else if (!pl_strcmp(&msg->met, "INVITE"))
		reinvite_request(leg, msg);
	else if (!pl_strcmp(&msg->met, "OPTIONS"))
		(void)sip_replyf(ua->sip, msg, 200, "OK",
				 "Allow: " SIPUA_ALLOW "\r\n"
				 "Content-Length: 0\r\n\r\n");
	else   /* CANCEL that matched no transaction */
		(void)sip_reply(ua->sip, msg, 481,
				"Call/Transaction Does Not Exist");
}

static void info_resp_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct sipleg *leg = arg;

	if (msg && msg->scode < 200)
		return;
	(void)err;
	if (leg->state == LEG_CONFIRMED && leg->dtmf_q[0]) {
		char d[2] = {leg->dtmf_q[0], '\0'};

		memmove(leg->dtmf_q, leg->dtmf_q + 1, sizeof(leg->dtmf_q) - 1);
		(void)sipdlg_info(leg, d);
	}
}

/* DTMF by INFO, one digit per request, one request at a time */
int sipdlg_info(struct sipleg *leg, const char *digits)
{
	char body[48];
	size_t n;

	if (leg->state != LEG_CONFIRMED || !digits || !digits[0])
		return EPROTO;
	if (leg->inforeq) {
		n = strlen(leg->dtmf_q);
		(void)str_ncpy(leg->dtmf_q + n, digits,
			       sizeof(leg->dtmf_q) - n);
		return 0;
	}
	if (digits[1]) {
		(void)str_ncpy(leg->dtmf_q, digits + 1, sizeof(leg->dtmf_q));
	}
	(void)re_snprintf(body, sizeof(body),
			  "Signal=%c\r\nDuration=160\r\n", digits[0]);
	return sip_drequestf(&leg->inforeq, leg->ua->sip, true, "INFO",
			     leg->dlg, 0, NULL, NULL, info_resp_handler, leg,
			     "Content-Type: application/dtmf-relay\r\n"
			     "Content-Length: %zu\r\n\r\n%s",
			     strlen(body), body);
}
