/*
 * D-channels: HDLC frames across the cable, one frame per read.
 *
 * As with a real DAHDI HDLC channel, the writer hands over the frame plus
 * two placeholder bytes and the "driver" fills in the FCS; the reader gets
 * the frame plus its two FCS bytes.  The receiving end checks the FCS and
 * drops a bad frame with a BADFCS event (Q.921 §2.9: frames with FCS errors
 * are discarded), so fault injection exercises the real recovery path.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

static void rxq_push(struct vd_chan *ch, struct vd_frame *fr)
{
	struct vd_frame **pp = &ch->rxq;

	while (*pp)
		pp = &(*pp)->next;
	*pp = fr;
	ch->rxq_len++;
}

static void deliver(struct vd_chan *rx, struct vd_frame *fr)
{
	if (!rx->owner || !vd_chan_is_dchan(rx)) {
		free(fr);
		return;
	}
	if (!vd_fcs16_good(fr->buf, fr->len)) {
		rx->span->frames_bad++;
		vd_event_put(rx, DAHDI_EVENT_BADFCS);
		free(fr);
		return;
	}
	if (rx->rxq_len >= (unsigned)rx->numbufs) {
		rx->overruns++;
		vd_event_put(rx, DAHDI_EVENT_OVERRUN);
		free(fr);
		return;
	}
	rxq_push(rx, fr);
}

int vd_dchan_write(struct vd_chan *ch, const uint8_t *buf, size_t len)
{
	struct vd_span *span = ch->span;
	struct vd_frame *fr;

	if (len < 3 || len > VD_MAXFRAME + 2)
		return EINVAL;

	/* a span in alarm has no line: the frame is lost */
	if (!span || !vd_span_up(span))
		return 0;

	fr = malloc(sizeof(*fr) + len);
	if (!fr)
		return ENOMEM;
	fr->next = NULL;
	fr->len = len;
	memcpy(fr->buf, buf, len);
	vd_fcs16_append(fr->buf, len - 2);
	span->frames_tx++;
	if (span->badfcs) {
		span->badfcs--;
		fr->buf[len - 1] ^= 0x5a;
	}
	deliver(ch->peer, fr);
	return 0;
}

int vd_dchan_read(struct vd_chan *ch, uint8_t *buf, size_t size,
		  size_t *lenp)
{
	struct vd_frame *fr = ch->rxq;

	if (!fr)
		return EAGAIN;
	ch->rxq = fr->next;
	ch->rxq_len--;
	*lenp = fr->len < size ? fr->len : size;
	memcpy(buf, fr->buf, *lenp);
	free(fr);
	return 0;
}

void vd_dchan_flush(struct vd_chan *ch)
{
	while (ch->rxq) {
		struct vd_frame *fr = ch->rxq;

		ch->rxq = fr->next;
		free(fr);
	}
	ch->rxq_len = 0;
}
