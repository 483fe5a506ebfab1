/*
 * In-band call progress towards the PBX: the gateway plays the country's
 * tones on the B-channel of a call the PBX placed (gateway/media/tone.c).
 *
 * - Ringback: SIP answered 180 without SDP, so there is no early media
 *   to bridge (RFC 3960 §3: the UAC generates ringback locally); the
 *   ALERTING carries progress indicator 8 and the gateway rings itself
 *   until media arrives or the call is answered.
 * - Clearing with a tone: on a span with inband_disconnect, a call that
 *   fails before the answer is cleared with PI 8 and the cause, and the
 *   busy, congestion or special information tone plays (Q.931 §5.3.4.1)
 *   until the PBX clears or T306 expires (Q.931 Table 9-1).
 *
 * The tone plays on the call's stream (gateway/mplane/frame.c), clocked
 * by the B-channel; the bridge's audio ends a local ringback there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/gw.h"
#include "gateway/mplane/mplane.h"
#include "tdm/tdm.h"

static const char *country_of(const struct gw_call *gc)
{
	const struct conf *conf = gc->gw->conf;
	const struct conf_span *cs =
		conf_span_find(conf, (unsigned)tdm_leg_spanno(gc->tdm));

	return cs && cs->country[0] ? cs->country : conf->gen.media.country;
}

static int tone_start(struct gw_call *gc, enum tone_kind kind)
{
	struct mplane_msg m = {.op = MPLANE_CMD_TONE};
	int err;

	if (!gc->tdm)
		return ENOTCONN;
	m.u.tone.kind = kind;
	m.u.tone.law = tdm_leg_law(gc->tdm);
	str_ncpy(m.u.tone.country, country_of(gc), sizeof(m.u.tone.country));
	/* the country was checked when the configuration was read */
	err = tone_country_known(m.u.tone.country) ? gw_media_cmd(gc, &m) :
		ENOENT;
	gc->tone = gc->tone || !err;
	if (err)
		call_log(gc->call, LOG_LVL_WARN, "no %s tone: %s",
			 tone_kind_name(kind), strerror(err));
	else
		call_log(gc->call, LOG_LVL_INFO, "playing %s tone (%s)",
			 tone_kind_name(kind), country_of(gc));
	return err;
}

/* 180 without SDP on a call from the PBX: ring locally, with PI 8 */
void progress_alerting(struct gw_call *gc, struct cc_msg *msg)
{
	if (gc->tdm_side != SIDE_A || msg->early_media || gc->bridged)
		return;
	if (!tone_start(gc, TONE_RINGBACK))
		msg->progress = CC_PI_INBAND;
}

static void t306_expired(void *arg)
{
	struct gw_call *gc = arg;
	struct cc_msg disc;

	call_log(gc->call, LOG_LVL_INFO, "T306 expired: clearing");
	progress_stop(gc);
	if (!gc->tdm)
		return;
	cc_msg_init(&disc, CC_DISCONNECT);
	disc.cause = gc->t306_cause;
	tdm_leg_send(gc->tdm, &disc);
}

/* A failure before the answer: clear with a tone when the span wants it.
 * True when the tone has taken over the DISCONNECT */
bool progress_disconnect(struct gw_call *gc, const struct cc_msg *msg)
{
	const struct conf_span *cs;
	int cause = msg->cause ? msg->cause : 16;

	if (!gc->tdm || gc->tdm_side != SIDE_A || cause == 16)
		return false;
	cs = conf_span_find(gc->gw->conf, (unsigned)tdm_leg_spanno(gc->tdm));
	if (!cs || !cs->inband_disconnect)
		return false;
	if (tdm_leg_inband_clear(gc->tdm, cause))
		return false;
	tone_start(gc, tone_for_cause(cause));
	gc->t306_cause = cause;
	timer_start(&gc->t306, gc->gw->conf->gen.media.t306, t306_expired, gc);
	return true;
}

void progress_stop(struct gw_call *gc)
{
	struct mplane_msg m = {.op = MPLANE_CMD_TONE};

	timer_cancel(&gc->t306);
	if (gc->tone)
		(void)gw_media_cmd(gc, &m);   /* TONE_NONE: stop */
	gc->tone = false;
}
