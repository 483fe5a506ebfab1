/*
 * The media DSP of a call, set up from the configuration when its media
 * bridge starts: the jitter buffer's bounds, and echo control
 * (media_ec.h): DAHDI's canceller is asked for
 * when the B-channel opens (tdm/leg.c, echocancel = yes); here the media
 * bridge gets the software canceller (software_ec = yes) and the fax and
 * modem tone disabler, which turns both off when a 2100 Hz answer tone
 * is heard (ITU-T G.168 §5: a canceller must not stay in the path of a
 * V-series modem or a fax).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "gateway/gw.h"
#include "gateway/media/media.h"
#include "gateway/media/media_ec.h"
#include "tdm/tdm.h"
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

static void tone_off(int tone, void *arg)
{
	struct gw_call *gc = arg;

	call_log(gc->call, LOG_LVL_INFO, "%s heard: echo cancellation off",
		 modem_connect_tone_to_str(tone));
	if (gc->tdm && gc->gw->conf->gen.media.echocancel)
		tdm_leg_echocancel(gc->tdm, 0);
}

/* The bridge is up: jitter bounds; echo control when a canceller is on */
void dspctl_start(struct gw_call *gc)
{
	const struct conf_media *cm = &gc->gw->conf->gen.media;
	int err;

	if (!gc->media || gc->ec || !gc->tdm)
		return;
	media_set_jitter(gc->media, cm->jb_min * 8, cm->jb_max * 8);
	if (!cm->soft_ec && !cm->echocancel)
		return;
	err = media_ec_alloc(&gc->ec, tdm_leg_law(gc->tdm),
			     cm->soft_ec ? cm->soft_ec_taps : 0, tone_off, gc);
	if (err) {
		call_log(gc->call, LOG_LVL_WARN, "no echo control: %s",
			 strerror(err));
		return;
	}
	media_set_ec(gc->media, gc->ec);
	if (cm->soft_ec)
		call_log(gc->call, LOG_LVL_INFO, "software echo canceller, "
			 "%u taps", cm->soft_ec_taps);
}

/* The bridge goes: say how well the canceller did */
void dspctl_end(struct gw_call *gc)
{
	if (!gc->ec)
		return;
	if (gc->gw->conf->gen.media.soft_ec)
		call_log(gc->call, LOG_LVL_INFO, "echo canceller: ERLE %.1f dB "
			 "(last second), echo path %.1f ms%s",
			 media_ec_erle(gc->ec), media_ec_delay_ms(gc->ec),
			 media_ec_active(gc->ec) ? "" : ", turned off by tone");
	if (gc->media)
		media_set_ec(gc->media, NULL);
	gc->ec = mem_deref(gc->ec);
}
