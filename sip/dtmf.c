/*
 * sip/dtmf.c: DTMF on the SIP side.
 *
 *   INFO (RFC 6086 §4.2, legacy usage without Info-Package) with
 *     application/dtmf-relay  "Signal=5\r\nDuration=160\r\n"
 *     application/dtmf        "5"
 *   received: 200 and CC_INFO (dtmf) to the core; an unknown body type
 *   gets 415 with Accept (RFC 3261 §21.4.13), a malformed body 400.
 *   Sent: one digit per INFO, one INFO at a time, the rest queued.
 *
 *   telephone-event (RFC 4733): the payload type negotiated in the SDP;
 *   its packets are sent and received by the RTP session (sip/rtp.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <string.h>
#include "sip/sip_int.h"

enum { DUR_MAX_MS = 10000 };

static const char codes[] = "0123456789*#ABCD";   /* RFC 4733 §3.2 */

static bool all_digits(const struct pl *v)
{
	for (size_t i = 0; i < v->l; i++)
		if (!isdigit((unsigned char)v->p[i]))
			return false;
	return true;
}

/* a digit character, or the RFC 4733 event code 0-15 in decimal */
static int digit_of(const struct pl *v, char *digit)
{
	uint32_t code;

	if (v->l == 1 && v->p[0] &&
	    strchr(codes, toupper((unsigned char)v->p[0]))) {
		*digit = (char)toupper((unsigned char)v->p[0]);
		return 0;
	}
	if (!v->l || v->l > 2 || !all_digits(v))
		return EBADMSG;
	code = pl_u32(v);
	if (code >= sizeof(codes) - 1)
		return EBADMSG;
	*digit = codes[code];
	return 0;
}

static void trim(struct pl *pl)
{
	while (pl->l && isspace((unsigned char)pl->p[0]))
		pl_advance(pl, 1);
	while (pl->l && isspace((unsigned char)pl->p[pl->l - 1]))
		pl->l--;
}

/* "Signal=5" and "Duration=160" lines, in any order, any case */
static int relay_parse(const struct pl *body, char *digit, unsigned *dur)
{
	struct pl rest = *body;
	bool sig = false;

	while (rest.l) {
		const char *nl = pl_strchr(&rest, '\n');
		struct pl line = rest, key, val;
		const char *eq;

		line.l = nl ? (size_t)(nl - rest.p) : rest.l;
		pl_advance(&rest, nl ? line.l + 1 : line.l);
		eq = pl_strchr(&line, '=');
		if (!eq)
			continue;
		key.p = line.p;
		key.l = (size_t)(eq - line.p);
		val.p = eq + 1;
		val.l = line.l - key.l - 1;
		trim(&key);
		trim(&val);
		if (!pl_strcasecmp(&key, "Signal")) {
			if (sig || digit_of(&val, digit))
				return EBADMSG;
			sig = true;
		}
		else if (!pl_strcasecmp(&key, "Duration")) {
			uint32_t ms = pl_u32(&val);

			if (!val.l || val.l > 5 || !all_digits(&val) ||
			    ms > DUR_MAX_MS)
				return EBADMSG;
			*dur = ms;
		}
	}
	return sig ? 0 : EBADMSG;
}

int sipdtmf_info_parse(const struct pl *type, const struct pl *subtype,
		       const struct pl *body, char *digit, unsigned *dur_ms)
{
	struct pl v;

	if (!type || !subtype || !body || !digit || !dur_ms)
		return EINVAL;
	*dur_ms = 0;
	if (pl_strcasecmp(type, "application"))
		return EPROTO;
	if (!pl_strcasecmp(subtype, "dtmf-relay"))
		return relay_parse(body, digit, dur_ms);
	if (pl_strcasecmp(subtype, "dtmf"))
		return EPROTO;
	v = *body;
	trim(&v);
	return digit_of(&v, digit);
}

static void info_reply(struct sipleg *leg, const struct sip_msg *msg,
		       int err)
{
	struct sip *sip = leg->ua->sip;

	if (err == EPROTO)
		(void)sip_treplyf(NULL, NULL, sip, msg, false, 415,
				  "Unsupported Media Type",
				  "Accept: application/dtmf-relay, "
				  "application/dtmf\r\n"
				  "Content-Length: 0\r\n\r\n");
	else if (err)
		(void)sip_treply(NULL, sip, msg, 400, "Bad Request");
	else
		(void)sip_treply(NULL, sip, msg, 200, "OK");
}

/* An INFO inside the dialog */
void sipdtmf_info_request(struct sipleg *leg, const struct sip_msg *msg)
{
	struct cc_msg cc;
	struct pl body;
	unsigned dur;
	int err;

	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	if (pl_isset(&msg->clen) && pl_u32(&msg->clen) < body.l)
		body.l = pl_u32(&msg->clen);
	if (!body.l) {   /* RFC 6086 §4.2.2: an empty INFO is fine */
		info_reply(leg, msg, 0);
		return;
	}
	cc_msg_init(&cc, CC_INFO);
	cc.dtmf = true;
	err = sipdtmf_info_parse(&msg->ctyp.type, &msg->ctyp.subtype, &body,
				 &cc.digits[0], &dur);
	info_reply(leg, msg, err);
	if (err) {
		sipleg_log(leg, LOG_LVL_INFO, "INFO refused: %s",
			   err == EPROTO ? "unknown body type" : "malformed");
		return;
	}
	cc.digits[1] = '\0';
	cc.dtmf_ms = dur;
	sipleg_deliver(leg, &cc);
}

static int info_send_one(struct sipleg *leg, char digit, unsigned ms);

static void info_resp_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct sipleg *leg = arg;
	char d;
	unsigned ms;

	if (msg && msg->scode < 200)
		return;
	if (err || (msg && msg->scode >= 300))
		sipleg_log(leg, LOG_LVL_INFO, "INFO answered %u (%m)",
			   msg ? msg->scode : 0, err);
	leg->inforeq = mem_deref(leg->inforeq);
	if (leg->state != LEG_CONFIRMED || !leg->dtmf_q[0])
		return;
	d = leg->dtmf_q[0];
	ms = leg->dtmf_ms[0];
	memmove(leg->dtmf_q, leg->dtmf_q + 1, sizeof(leg->dtmf_q) - 1);
	memmove(leg->dtmf_ms, leg->dtmf_ms + 1,
		sizeof(leg->dtmf_ms) - sizeof(leg->dtmf_ms[0]));
	(void)info_send_one(leg, d, ms);
}

static int info_send_one(struct sipleg *leg, char digit, unsigned ms)
{
	char body[48];

	if (leg->info_type == SIPLEG_INFO_DTMF)
		(void)re_snprintf(body, sizeof(body), "%c", digit);
	else
		(void)re_snprintf(body, sizeof(body),
				  "Signal=%c\r\nDuration=%u\r\n", digit, ms);
	return sip_drequestf(&leg->inforeq, leg->ua->sip, true, "INFO",
			     leg->dlg, 0, NULL, NULL, info_resp_handler, leg,
			     "Content-Type: application/%s\r\n"
			     "Content-Length: %zu\r\n\r\n%s",
			     leg->info_type == SIPLEG_INFO_DTMF ?
			     "dtmf" : "dtmf-relay", strlen(body), body);
}

/* DTMF by INFO: one digit per request, one request at a time */
int sipdtmf_info_send(struct sipleg *leg, const struct cc_msg *msg)
{
	unsigned ms = msg->dtmf_ms ? msg->dtmf_ms : 100;

	if (leg->state != LEG_CONFIRMED || !msg->digits[0])
		return msg->dtmf ? 0 : EPROTO;   /* a digit too early: lost */
	for (const char *d = msg->digits; *d; d++) {
		size_t n = strlen(leg->dtmf_q);

		if (!strchr(codes, *d))
			continue;
		if (!leg->inforeq) {
			int err = info_send_one(leg, *d, ms);

			if (err)
				return err;
			continue;
		}
		if (n + 1 >= sizeof(leg->dtmf_q))
			return ENOSPC;
		leg->dtmf_q[n] = *d;
		leg->dtmf_q[n + 1] = '\0';
		leg->dtmf_ms[n] = (uint16_t)(ms > DUR_MAX_MS ? DUR_MAX_MS : ms);
	}
	return 0;
}

/* ---- RFC 4733 telephone-event ------------------------------------- */

/* after an offer/answer: telephone-event in the remote's SDP, at 8 kHz */
void sipdtmf_sdp(struct sipleg *leg)
{
	const struct sdp_format *fmt;

	fmt = sdp_media_rformat(leg->sdpm, "telephone-event");
	leg->telev = fmt && fmt->pt >= 96 && fmt->pt <= 127 &&
		(!fmt->srate || fmt->srate == 8000);
	leg->telev_pt = leg->telev ? (uint8_t)fmt->pt : 0;
}

bool sipleg_telev(const struct sipleg *leg)
{
	return leg && leg->telev;
}

void sipleg_set_info_type(struct sipleg *leg, enum sipleg_info_type type)
{
	if (leg)
		leg->info_type = type;
}
