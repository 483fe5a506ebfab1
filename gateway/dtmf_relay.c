/*
 * DTMF relay between a call's B-channel (gateway/media/dtmf.c) and its SIP leg,
 * by the trunk's method (sipri.conf(5) `dtmf`):
 *   rfc4733  telephone-event (RFC 4733) when negotiated, else in-band
 *   info     SIP INFO (RFC 6086), application/dtmf-relay or /dtmf
 *   inband   the tones stay in the audio
 *   auto     RFC 4733 when negotiated, else INFO
 * Out of band, the in-band copy is suppressed, so the far end never hears
 * a digit twice.  From SIP, RFC 4733 events and INFO both play on the
 * B-channel, once per key press.  The detector, the generator and the
 * RFC 4733 packets run on the call's stream (gateway/mplane/frame.c);
 * here the method is chosen, and INFO sent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/gw.h"
#include "gateway/mplane/mplane.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

static enum conf_dtmf method(const struct gw_call *gc)
{
	bool telev = sipleg_telev(gc->sip);

	switch (gc->dtmf_mode) {
	case CONF_DTMF_AUTO:
		return telev ? CONF_DTMF_RFC4733 : CONF_DTMF_INFO;
	case CONF_DTMF_RFC4733:
		return telev ? CONF_DTMF_RFC4733 : CONF_DTMF_INBAND;
	default:
		return gc->dtmf_mode;
	}
}

static void info_send(struct gw_call *gc, char digit, unsigned ms)
{
	struct cc_msg info;

	cc_msg_init(&info, CC_INFO);
	info.dtmf = true;
	info.dtmf_ms = ms;
	info.digits[0] = digit;
	if (sipleg_send(gc->sip, &info))
		call_log(gc->call, LOG_LVL_INFO, "DTMF %c: INFO not sent",
			 digit);
}

/* A digit from the B-channel (detected or synthesised) ended on the
 * stream, which sent it by RFC 4733 itself: INFO goes from here */
static void tdm_digit(struct gw_call *gc, char digit, unsigned dur)
{
	switch (method(gc)) {
	case CONF_DTMF_RFC4733:
		break;
	case CONF_DTMF_INFO:
		info_send(gc, digit, dur / 8);
		break;
	default:
		return;
	}
	call_log(gc->call, LOG_LVL_DEBUG, "DTMF %c to SIP (%u ms)", digit,
		 dur / 8);
}

void dtmf_relay_event(struct gw_call *gc, const struct mplane_msg *ev)
{
	const struct mplane_dtmf *d = &ev->u.dtmf;

	if (ev->op == MPLANE_EV_DTMF) {
		if (gc->sip)
			tdm_digit(gc, d->digit, d->dur);
		return;
	}
	call_log(gc->call, LOG_LVL_DEBUG, "DTMF %c from SIP by %s%s",
		 d->digit, d->src == DTMF_SRC_RTP ? "RFC 4733" : "INFO",
		 d->err == EALREADY ? ": duplicate, not played" :
		 d->err ? ": not played" : "");
}

static void play(struct gw_call *gc, char digit, enum dtmf_src src)
{
	struct mplane_msg m = {.op = MPLANE_CMD_DTMF_PLAY};

	m.u.dtmf.digit = digit;
	m.u.dtmf.src = src;
	(void)gw_media_cmd(gc, &m);   /* the log line: its PLAYED event */
}

/* The bridge exists or its SDP changed: DTMF handling follows (the
 * stream is told only of a change) */
void dtmf_relay_update(struct gw_call *gc)
{
	struct mplane_msg m = {.op = MPLANE_CMD_DTMF_MODE};
	enum conf_dtmf how;

	if (!gc->bridged || !gc->tdm || !gc->sip)
		return;
	how = method(gc);
	m.u.mode.out = how == CONF_DTMF_RFC4733 ? MPLANE_DTMF_RFC4733 :
		how == CONF_DTMF_INFO ? MPLANE_DTMF_INFO : MPLANE_DTMF_INBAND;
	m.u.mode.suppress = how != CONF_DTMF_INBAND;
	if (!gc->dtmf_set || gc->dtmf_out != m.u.mode.out ||
	    gc->dtmf_suppress != m.u.mode.suppress) {
		gc->dtmf_set = !gw_media_cmd(gc, &m);
		gc->dtmf_out = m.u.mode.out;
		gc->dtmf_suppress = m.u.mode.suppress;
	}
	sipleg_set_info_type(gc->sip, gc->dtmf_info == CONF_DTMF_INFO_DTMF ?
			     SIPLEG_INFO_DTMF : SIPLEG_INFO_DTMF_RELAY);
}

/* the parameters of the bridge's detector and generator */
void dtmf_relay_prm(const struct gw_call *gc, struct dtmf_prm *prm)
{
	const struct conf_dtmfdsp *c = &gc->gw->conf->gen.dtmfdsp;

	prm->threshold = c->threshold;
	prm->twist = (int)c->twist;
	prm->reverse_twist = (int)c->reverse_twist;
	prm->level = c->level;
	prm->on_ms = c->duration;
	prm->off_ms = c->gap;
	prm->delay_ms = c->delay;
}

/* CC_INFO on its way to the TDM leg: DTMF from SIP plays in-band */
bool dtmf_relay_to_tdm(struct gw_call *gc, const struct cc_msg *msg)
{
	if (msg->type != CC_INFO || !msg->dtmf)
		return false;
	for (const char *d = msg->digits; gc->bridged && *d; d++)
		play(gc, *d, DTMF_SRC_INFO);
	return true;
}

/* CC_INFO on its way to the SIP leg: ISDN digits in a call (KEYPAD,
 * INFORMATION) go out like detected ones */
bool dtmf_relay_to_sip(struct gw_call *gc, const struct cc_msg *msg)
{
	struct mplane_msg m = {.op = MPLANE_CMD_DTMF_SEND};
	enum conf_dtmf how;

	if (msg->type != CC_INFO || !msg->dtmf)
		return false;
	if (!gc->sip)
		return true;
	how = method(gc);
	for (const char *d = msg->digits; *d; d++) {
		if (!dtmf_valid(*d))
			continue;
		if (how == CONF_DTMF_INFO) {
			info_send(gc, *d, gc->gw->conf->gen.dtmfdsp.duration);
			continue;
		}
		m.u.dtmf.digit = *d;
		m.u.dtmf.inband = how == CONF_DTMF_INBAND;
		if (gc->bridged)
			(void)gw_media_cmd(gc, &m);
	}
	return true;
}

/* The bridge went: the counters, once */
void dtmf_relay_end(struct gw_call *gc, const struct mplane_stats *st)
{
	const struct dtmf_stats *d = &st->dtmfst;

	if (!st->dtmf)
		return;
	call_log(gc->call, LOG_LVL_INFO, "dtmf: %llu detected, %llu from "
		 "ISDN, %llu played, %llu duplicates, %llu blocks suppressed",
		 (unsigned long long)d->detected,
		 (unsigned long long)d->synthesised,
		 (unsigned long long)d->played,
		 (unsigned long long)d->duplicates,
		 (unsigned long long)d->suppressed);
}
