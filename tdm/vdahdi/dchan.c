/*
 * D-channels: HDLC frames across the cable, one frame per read, paced
 * like the line.
 *
 * As with a real DAHDI HDLC channel, the writer hands over the frame plus
 * two placeholder bytes and the "driver" fills in the FCS; the reader gets
 * the frame plus its two FCS bytes.  The receiving end checks the FCS and
 * drops a bad frame with a BADFCS event (Q.921 §2.9: frames with FCS errors
 * are discarded), so fault injection exercises the real recovery path.
 *
 * The transmitter is dahdi-base's: a write fills one of numbufs buffers
 * (EAGAIN, or a wait, while all are full; POLLOUT only while one is free),
 * and every millisecond the span sends the next 64 bits of the frame at
 * the head, stuffed bits and the flag between frames included
 * (vd_hdlc_bits).  A frame reaches the far end once its last bit has left,
 * about one millisecond per 8 bytes, so a sender that writes whenever it
 * may (user-space MTP2 sends fill-in frames so) is held to the line rate.
 * Frames queued when their writer closes still go out: the line was
 * already sending them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

static void queue_push(struct vd_frame **qp, unsigned *lenp,
		       struct vd_frame *fr)
{
	while (*qp)
		qp = &(*qp)->next;
	*qp = fr;
	(*lenp)++;
}

static void queue_flush(struct vd_frame **qp, unsigned *lenp)
{
	while (*qp) {
		struct vd_frame *fr = *qp;

		*qp = fr->next;
		free(fr);
	}
	*lenp = 0;
}

/* The last bit of fr has left ch: the far end receives it */
static void deliver(struct vd_chan *ch, struct vd_frame *fr)
{
	struct vd_chan *rx = ch->peer;

	/* a span in alarm has no line: the frame is lost */
	if (!vd_span_up(ch->span) || !rx->owner || !vd_chan_is_dchan(rx)) {
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
	fr->next = NULL;
	queue_push(&rx->rxq, &rx->rxq_len, fr);
	rx->news |= POLLIN;
}

/* Send up to bits bits of ch's queue; true when a frame has left */
static bool line_send(struct vd_chan *ch, unsigned bits)
{
	bool sent = false;

	while (ch->txq && bits) {
		struct vd_frame *fr = ch->txq;
		unsigned n = bits < ch->tx_left ? bits : ch->tx_left;

		ch->tx_left -= n;
		bits -= n;
		if (ch->tx_left)
			break;
		ch->txq = fr->next;
		ch->txq_len--;
		ch->tx_left = ch->txq ? ch->txq->bits : 0;
		deliver(ch, fr);
		sent = true;
	}
	if (sent)
		ch->news |= POLLOUT;
	return sent;
}

bool vd_dchan_writable(const struct vd_chan *ch)
{
	return ch->txq_len < (unsigned)ch->numbufs;
}

int vd_dchan_write(struct vdahdi *vd, struct vd_chan *ch,
		   const uint8_t *buf, size_t len)
{
	struct vd_span *span = ch->span;
	struct vd_frame *fr;

	if (len < 3 || len > VD_MAXFRAME + 2)
		return EINVAL;
	if (!vd_dchan_writable(ch))
		return EAGAIN;
	/* a span in alarm has no line: the frame is lost now, not sent
	 * later should the line come back before its bits would have left */
	if (!vd_span_up(span))
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
	fr->bits = vd_hdlc_bits(fr->buf, len);
	if (!ch->txq)
		ch->tx_left = fr->bits;
	queue_push(&ch->txq, &ch->txq_len, fr);
	if (!vd->hdlc_bits)     /* unpaced: the frame arrives at once */
		line_send(ch, ~0u);
	return 0;
}

/* One millisecond of every D-channel's line */
void vd_dchan_tick(struct vdahdi *vd)
{
	for (int s = 0; s < vd->nspans; s++) {
		struct vd_span *span = &vd->spans[s];

		for (int i = 0; i < span->nchans; i++) {
			struct vd_chan *ch = &span->chans[i];

			if (!ch->txq || !line_send(ch, vd->hdlc_bits))
				continue;
			vd_chan_wake(vd, ch);
			vd_chan_wake(vd, ch->peer);
		}
	}
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
	queue_flush(&ch->rxq, &ch->rxq_len);
}

void vd_dchan_flush_tx(struct vd_chan *ch)
{
	queue_flush(&ch->txq, &ch->txq_len);
	ch->tx_left = 0;
}
