/*
 * The two kinds of leg as the call core sees them (struct leg_ops), and
 * the media bridge between them.  A leg's protocol object is created when
 * the core forwards it the SETUP: a TDM leg hunts a channel on the span
 * group, a SIP leg sends its INVITE.  A leg that cannot be created
 * releases at once with a cause (34 when no channel is free).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/gw.h"
#include "gateway/media.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

/* ---- media ---------------------------------------------------------- */

static int media_to_rtp(const uint8_t *p, size_t n, uint32_t ts, bool marker,
			void *arg)
{
	struct gw_call *gc = arg;

	return gc->sip ? sipleg_rtp_send(gc->sip, p, n, ts, marker) : ENOTCONN;
}

static int media_to_tdm(const uint8_t *p, size_t n, void *arg)
{
	struct gw_call *gc = arg;

	return gc->tdm ? tdm_leg_write(gc->tdm, p, n) : ENOTCONN;
}

static void tdm_audio(const uint8_t *buf, size_t n, void *arg)
{
	struct gw_call *gc = arg;

	if (gw_tone_block(gc, n))
		return;
	if (gc->media)
		media_tdm_block(gc->media, buf, n);
}

static void sip_rtp(const uint8_t *p, size_t len, uint32_t ts, uint16_t seq,
		    bool marker, void *arg)
{
	struct gw_call *gc = arg;

	(void)seq;
	(void)marker;
	if (gc->media)
		media_rtp_packet(gc->media, p, len, ts);
}

/* The call's media counters, once, when the bridge goes */
static void media_end(struct gw_call *gc)
{
	const struct media_stats *st;
	const struct jb_stats *jb;

	if (!gc->media)
		return;
	st = media_stats(gc->media);
	jb = media_jb_stats(gc->media);
	call_log(gc->call, LOG_LVL_INFO, "media: %llu TDM blocks, %llu RTP "
		 "sent (%llu failed), %llu RTP received, %llu TDM write errors",
		 (unsigned long long)st->tdm_blocks,
		 (unsigned long long)st->rtp_sent,
		 (unsigned long long)st->send_errors,
		 (unsigned long long)st->rtp_recv,
		 (unsigned long long)st->write_errors);
	call_log(gc->call, LOG_LVL_INFO, "jitter buffer: %llu late, %llu "
		 "underruns, %llu shrinks, %llu resyncs, %llu samples concealed",
		 (unsigned long long)jb->late, (unsigned long long)jb->underruns,
		 (unsigned long long)jb->shrunk, (unsigned long long)jb->resyncs,
		 (unsigned long long)jb->concealed);
	gw_dsp_end(gc);
	gc->media = mem_deref(gc->media);
}

/* Start or update the bridge once both sides can carry audio */
static void media_update(struct gw_call *gc)
{
	int law;

	if (!gc->tdm || !gc->sip)
		return;
	law = sipleg_media_law(gc->sip);
	if (law != 'A' && law != 'U')
		return;
	if (gc->media) {
		media_set_rtp_law(gc->media, (char)law);
		return;
	}
	if (media_alloc(&gc->media, tdm_leg_law(gc->tdm), (char)law,
			media_to_rtp, media_to_tdm, gc))
		call_log(gc->call, LOG_LVL_WARN, "no media bridge");
	gw_dsp_start(gc);
}

/* ---- messages from the legs ----------------------------------------- */

static void from_tdm(const struct cc_msg *msg, void *arg)
{
	struct gw_call *gc = arg;

	call_input(gc->call, gc->tdm_side, msg);
}

static void from_sip(const struct cc_msg *msg, void *arg)
{
	struct gw_call *gc = arg;

	if (msg->type == CC_RELEASE)
		gc->sip = NULL;   /* the leg frees itself after this */
	else
		media_update(gc);
	call_input(gc->call, !gc->tdm_side, msg);
}

void gw_tdm_attach(struct gw_call *gc, struct tdm_leg *leg)
{
	gc->tdm = leg;
	tdm_leg_set_handlers(leg, from_tdm, tdm_audio, gc);
}

void gw_sip_attach(struct gw_call *gc, struct sipleg *leg)
{
	gc->sip = leg;
	sipleg_set_handlers(leg, from_sip, sip_rtp, gc);
}

/* A leg that cannot be set up releases at once with a cause */
static void release_now(struct gw_call *gc, enum call_side side, int cause)
{
	struct cc_msg rel;

	cc_msg_init(&rel, CC_RELEASE);
	rel.cause = cause;
	rel.location = CC_LOC_PRIV_LOCAL;
	call_input(gc->call, side, &rel);
}

/* ---- the TDM leg ---------------------------------------------------- */

static int tdm_dial(struct gw_call *gc, const struct cc_msg *setup)
{
	int err = ENOENT;

	for (struct le *le = list_head(&gc->gw->spans); le; le = le->next) {
		struct gw_span *s = le->data;
		struct tdm_leg *leg;

		if (strcmp(s->group, gc->group))
			continue;
		err = tdm_leg_dial(&leg, s->span, setup);
		if (!err) {
			gw_tdm_attach(gc, leg);
			return 0;
		}
	}
	return err;
}

static int tdm_leg_send_op(void *arg, const struct cc_msg *msg)
{
	struct gw_call *gc = arg;
	int err;

	if (msg->type == CC_SETUP && !gc->tdm) {
		err = tdm_dial(gc, msg);
		if (err) {
			/* Q.850 34: no circuit/channel available; 38 when
			 * every span of the group is down */
			call_log(gc->call, LOG_LVL_INFO, "no B-channel in group "
				 "%s: %s", gc->group, strerror(err));
			release_now(gc, gc->tdm_side, err == ENOTCONN ? 38 : 34);
		}
		return 0;
	}
	if (!gc->tdm)
		return ENOTCONN;
	if (msg->type == CC_CONNECT || msg->type == CC_ALERTING ||
	    msg->type == CC_PROGRESS)
		media_update(gc);
	if (msg->type == CC_ALERTING) {
		struct cc_msg alert = *msg;

		gw_tone_alerting(gc, &alert);   /* local ringback, PI 8 */
		return tdm_leg_send(gc->tdm, &alert);
	}
	if (msg->type == CC_DISCONNECT && gw_tone_disconnect(gc, msg))
		return 0;
	return tdm_leg_send(gc->tdm, msg);
}

static void tdm_leg_detach_op(void *arg)
{
	struct gw_call *gc = arg;

	media_end(gc);
	gw_tone_stop(gc);
	if (gc->tdm)
		tdm_leg_detach(gc->tdm);
	gc->tdm = NULL;
}

const struct leg_ops gw_tdm_ops = {"pri", tdm_leg_send_op, tdm_leg_detach_op};

/* ---- the SIP leg ---------------------------------------------------- */

static int sip_leg_send(void *arg, const struct cc_msg *msg)
{
	struct gw_call *gc = arg;
	struct sipleg *leg = NULL;
	int err;

	if (msg->type == CC_SETUP && !gc->sip) {
		err = sipleg_invite(&leg, gc->gw->ua, gc->uri, msg, from_sip,
				    gc);
		if (err) {
			call_log(gc->call, LOG_LVL_WARN, "INVITE to %s: %s",
				 gc->uri, strerror(err));
			release_now(gc, !gc->tdm_side, 41);
			return 0;
		}
		gw_sip_attach(gc, leg);
		return 0;
	}
	if (!gc->sip)
		return ENOTCONN;
	if (msg->type == CC_CONNECT || msg->type == CC_ALERTING ||
	    msg->type == CC_PROGRESS)
		media_update(gc);
	return sipleg_send(gc->sip, msg);
}

static void sip_leg_detach(void *arg)
{
	struct gw_call *gc = arg;

	media_end(gc);
	if (gc->sip)
		sipleg_set_handlers(gc->sip, NULL, NULL, NULL);
	gc->sip = NULL;
}

const struct leg_ops gw_sip_ops = {"sip", sip_leg_send, sip_leg_detach};
