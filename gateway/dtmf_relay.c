/*
 * DTMF relay between a call's B-channel (gateway/media/dtmf.c) and its SIP leg,
 * by the trunk's method (sipri.conf(5) `dtmf`):
 *   rfc4733  telephone-event (RFC 4733) when negotiated, else in-band
 *   info     SIP INFO (RFC 6086), application/dtmf-relay or /dtmf
 *   inband   the tones stay in the audio
 *   auto     RFC 4733 when negotiated, else INFO
 * Out of band, the in-band copy is suppressed, so the far end never hears
 * a digit twice.  From SIP, RFC 4733 events and INFO both play on the
 * B-channel, once per key press.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/gw.h"
#include "gateway/media/dtmf.h"
#include "gateway/media/media.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

enum { TELEV_ENDS = 3 };   /* RFC 4733 §2.5.1.4: the end packet, thrice */

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

/* A digit from the B-channel (detected or synthesised): out by method */
static void tdm_event(const struct dtmf_event *ev, void *arg)
{
	struct gw_call *gc = arg;

	if (!gc->sip)
		return;
	switch (method(gc)) {
	case CONF_DTMF_RFC4733:
		if (ev->phase != DTMF_END) {
			(void)sipleg_telev_send(gc->sip, ev->digit, false,
						ev->dur, ev->ts,
						ev->phase == DTMF_START);
			break;
		}
		for (int i = 0; i < TELEV_ENDS; i++)
			(void)sipleg_telev_send(gc->sip, ev->digit, true,
						ev->dur, ev->ts, false);
		break;
	case CONF_DTMF_INFO:
		if (ev->phase == DTMF_END)
			info_send(gc, ev->digit, ev->dur / 8);
		break;
	default:
		return;
	}
	if (ev->phase == DTMF_END)
		call_log(gc->call, LOG_LVL_DEBUG, "DTMF %c to SIP (%u ms)",
			 ev->digit, ev->dur / 8);
}

static void play(struct gw_call *gc, char digit, enum dtmf_src src)
{
	int err = dtmf_play(gc->dtmf, digit, src, tmr_jiffies());

	call_log(gc->call, LOG_LVL_DEBUG, "DTMF %c from SIP by %s%s", digit,
		 src == DTMF_SRC_RTP ? "RFC 4733" : "INFO",
		 err == EALREADY ? ": duplicate, not played" :
		 err ? ": not played" : "");
}

/* RFC 4733 event from the SIP leg (once per event) */
static void sip_dtmf(char digit, void *arg)
{
	struct gw_call *gc = arg;

	if (gc->dtmf)
		play(gc, digit, DTMF_SRC_RTP);
}

/* The bridge exists or its SDP changed: DTMF handling follows */
void dtmf_relay_update(struct gw_call *gc)
{
	const struct conf_dtmfdsp *c = &gc->gw->conf->gen.dtmfdsp;
	struct dtmf_prm prm = {
		c->threshold, (int)c->twist, (int)c->reverse_twist, c->level,
		c->duration, c->gap, c->delay
	};

	if (!gc->media || !gc->tdm || !gc->sip)
		return;
	if (!gc->dtmf && dtmf_alloc(&gc->dtmf, tdm_leg_law(gc->tdm), &prm,
				    tdm_event, gc)) {
		call_log(gc->call, LOG_LVL_WARN, "no DTMF handling");
		return;
	}
	media_set_dtmf(gc->media, gc->dtmf);
	dtmf_set_suppress(gc->dtmf, method(gc) != CONF_DTMF_INBAND);
	sipleg_set_dtmf_handler(gc->sip, sip_dtmf);
	sipleg_set_info_type(gc->sip, gc->dtmf_info == CONF_DTMF_INFO_DTMF ?
			     SIPLEG_INFO_DTMF : SIPLEG_INFO_DTMF_RELAY);
}

/* CC_INFO on its way to the TDM leg: DTMF from SIP plays in-band */
bool dtmf_relay_to_tdm(struct gw_call *gc, const struct cc_msg *msg)
{
	if (msg->type != CC_INFO || !msg->dtmf)
		return false;
	for (const char *d = msg->digits; gc->dtmf && *d; d++)
		play(gc, *d, DTMF_SRC_INFO);
	return true;
}

/* CC_INFO on its way to the SIP leg: ISDN digits in a call (KEYPAD,
 * INFORMATION) go out like detected ones */
bool dtmf_relay_to_sip(struct gw_call *gc, const struct cc_msg *msg)
{
	enum conf_dtmf m;

	if (msg->type != CC_INFO || !msg->dtmf)
		return false;
	if (!gc->sip)
		return true;
	m = method(gc);
	for (const char *d = msg->digits; *d; d++) {
		if (!dtmf_valid(*d))
			continue;
		if (m == CONF_DTMF_INFO)
			info_send(gc, *d, gc->gw->conf->gen.dtmfdsp.duration);
		else if (gc->dtmf)
			(void)dtmf_send(gc->dtmf, *d, m == CONF_DTMF_INBAND);
	}
	return true;
}

/* The bridge goes: the counters, once */
void dtmf_relay_end(struct gw_call *gc)
{
	const struct dtmf_stats *st;

	if (!gc->dtmf)
		return;
	st = dtmf_stats(gc->dtmf);
	call_log(gc->call, LOG_LVL_INFO, "dtmf: %llu detected, %llu from "
		 "ISDN, %llu played, %llu duplicates, %llu blocks suppressed",
		 (unsigned long long)st->detected,
		 (unsigned long long)st->synthesised,
		 (unsigned long long)st->played,
		 (unsigned long long)st->duplicates,
		 (unsigned long long)st->suppressed);
	if (gc->media)
		media_set_dtmf(gc->media, NULL);
	if (gc->sip)
		sipleg_set_dtmf_handler(gc->sip, NULL);
	gc->dtmf = mem_deref(gc->dtmf);
}
