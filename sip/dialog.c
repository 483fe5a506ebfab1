/*
 * sip/dialog.c: requests inside an INVITE dialog: ACK, BYE and OPTIONS
 * here; re-INVITE (sip/reinvite.c), UPDATE (sip/modify.c) and INFO
 * (sip/dtmf.c) dispatched.
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

void sipdlg_request(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipua *ua = leg->ua;

	if (!pl_strcmp(&msg->met, "ACK")) {
		if (leg->mod.reinv_in && msg->cseq.num == leg->mod.reinv_cseq)
			sipreinv_ack(leg, msg);
		else if (!leg->uac)
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
		sipdtmf_info_request(leg, msg);
	else if (!pl_strcmp(&msg->met, "PRACK"))
		siprel_prack(leg, msg);
	else if (!pl_strcmp(&msg->met, "INVITE"))
		sipreinv_request(leg, msg);
	else if (!pl_strcmp(&msg->met, "UPDATE"))
		sipmod_update(leg, msg);
	else if (!pl_strcmp(&msg->met, "OPTIONS"))
		(void)sip_replyf(ua->sip, msg, 200, "OK",
				 "Allow: " SIPUA_ALLOW "\r\n"
				 "Content-Length: 0\r\n\r\n");
	else   /* CANCEL that matched no transaction */
		(void)sip_reply(ua->sip, msg, 481,
				"Call/Transaction Does Not Exist");
}
