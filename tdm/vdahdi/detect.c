/*
 * DAHDI_TONEDETECT: a channel's DTMF receiver, as the echo-canceller
 * modules of DAHDI cards provide one.  With DAHDI_TONEDETECT_ON, every
 * digit received from the line queues DAHDI_EVENT_DTMFDOWN | digit when
 * it starts and DAHDI_EVENT_DTMFUP | digit when it ends; with
 * DAHDI_TONEDETECT_MUTE as well, the reader gets silence while the digit
 * lasts.  Mode 0 turns the receiver off.  Once TONEDETECT succeeds,
 * Asterisk's chan_dahdi takes DTMF from these events only and runs no
 * detector of its own, so a receiver must be there when it is accepted.
 * The receiver is spandsp's (dtmf_rx), on the 8 samples of every tick.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"
#include <spandsp.h>

struct vd_detect {
	dtmf_rx_state_t *rx;
	struct vd_chan *ch;
	int digit;               /* the digit present, 0: none */
};

/* spandsp's real-time report: code is the digit, or 0 when it ends */
static void digit_h(void *arg, int code, int level, int delay)
{
	struct vd_detect *d = arg;

	(void)level;
	(void)delay;
	if (code && !d->digit) {
		d->digit = code;
		vd_event_put(d->ch, DAHDI_EVENT_DTMFDOWN | code);
	}
	else if (!code && d->digit) {
		vd_event_put(d->ch, DAHDI_EVENT_DTMFUP | d->digit);
		d->digit = 0;
	}
}

int vd_detect_set(struct vd_chan *ch, int mode)
{
	struct vd_detect *d;

	ch->tonedetect = mode;
	if (!(mode & DAHDI_TONEDETECT_ON)) {
		vd_detect_stop(ch);
		return 0;
	}
	if (ch->detect)
		return 0;
	d = calloc(1, sizeof(*d));
	if (!d)
		return ENOMEM;
	d->ch = ch;
	d->rx = dtmf_rx_init(NULL, NULL, NULL);
	if (!d->rx) {
		free(d);
		return ENOMEM;
	}
	dtmf_rx_set_realtime_callback(d->rx, digit_h, d);
	ch->detect = d;
	return 0;
}

void vd_detect_run(struct vd_chan *ch, uint8_t *chunk)
{
	struct vd_detect *d = ch->detect;
	int16_t amp[VD_CHUNK];

	for (int i = 0; i < VD_CHUNK; i++)
		amp[i] = vd_law_decode(ch->law, chunk[i]);
	dtmf_rx(d->rx, amp, VD_CHUNK);
	if (d->digit && (ch->tonedetect & DAHDI_TONEDETECT_MUTE))
		memset(chunk, vd_law_silence(ch->law), VD_CHUNK);
}

void vd_detect_stop(struct vd_chan *ch)
{
	if (!ch->detect)
		return;
	dtmf_rx_free(ch->detect->rx);
	free(ch->detect);
	ch->detect = NULL;
}
