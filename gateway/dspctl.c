/*
 * The media DSP of a call, set up from the configuration when its media
 * bridge starts: the jitter buffer's bounds, and echo control
 * (media_ec.h): DAHDI's canceller is asked for when the B-channel opens
 * (tdm/leg.c, echocancel = yes); here the media bridge (on the media
 * plane, gateway/mplane/) gets the software canceller (software_ec =
 * yes) and the fax and modem tone disabler, which turns both off when a 2100 Hz answer tone
 * is heard (ITU-T G.168 §5: a canceller must not stay in the path of a
 * V-series modem or a fax).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/gw.h"
#include "gateway/mplane/mplane.h"
#include "tdm/tdm.h"
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

/* the worker heard an answer tone and turned its echo control off */
void dspctl_tone_heard(struct gw_call *gc, int tone)
{
	call_log(gc->call, LOG_LVL_INFO, "%s heard: echo cancellation off",
		 modem_connect_tone_to_str(tone));
	if (gc->tdm && gc->gw->conf->gen.media.echocancel)
		tdm_leg_echocancel(gc->tdm, 0);
}

/* The bridge starts: jitter bounds; echo control when a canceller is on */
void dspctl_start(struct gw_call *gc, struct mplane_bridge *b)
{
	const struct conf_media *cm = &gc->gw->conf->gen.media;

	b->jb_min = cm->jb_min * 8;
	b->jb_max = cm->jb_max * 8;
	b->ec = cm->soft_ec || cm->echocancel;
	b->soft_ec_taps = cm->soft_ec ? cm->soft_ec_taps : 0;
	gc->ec = b->ec;
	if (cm->soft_ec)
		call_log(gc->call, LOG_LVL_INFO, "software echo canceller, "
			 "%u taps", cm->soft_ec_taps);
}

/* The bridge went: say how well the canceller did */
void dspctl_end(struct gw_call *gc, const struct mplane_stats *st)
{
	if (!gc->ec || !st->ec)
		return;
	gc->ec = false;
	if (gc->gw->conf->gen.media.soft_ec)
		call_log(gc->call, LOG_LVL_INFO, "echo canceller: ERLE %.1f dB "
			 "(last second), echo path %.1f ms%s", st->erle,
			 st->ec_delay_ms,
			 st->ec_active ? "" : ", turned off by tone");
}
