/*
 * The 8 kHz clock.  Every tick moves VD_CHUNK samples across each cable
 * for every open audio channel, as a DAHDI span's interrupt does each
 * millisecond, and 64 bits of every D-channel's queue (dchan.c).  A
 * silent far end sends the law's idle code.  Only a channel that gained a
 * block to read, or room for a block to write, is woken.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <poll.h>
#include <string.h>
#include "vdahdi.h"

void vd_active_add(struct vdahdi *vd, struct vd_chan *ch)
{
	for (struct vd_chan *c = vd->active; c; c = c->next_active)
		if (c == ch)
			return;
	ch->next_active = vd->active;
	vd->active = ch;
}

void vd_active_remove(struct vdahdi *vd, struct vd_chan *ch)
{
	for (struct vd_chan **pp = &vd->active; *pp; pp = &(*pp)->next_active) {
		if (*pp == ch) {
			*pp = ch->next_active;
			ch->next_active = NULL;
			return;
		}
	}
}

static bool chan_active(const struct vd_chan *ch)
{
	return ch && ch->owner && ch->rx.size && !vd_chan_is_dchan(ch);
}

static bool line_up(const struct vd_chan *ch)
{
	return ch->span && vd_span_up(ch->span);
}

/* Blocks a ring holds, and blocks of room it has */
static size_t blocks(const struct vd_chan *ch, const struct vd_ring *r)
{
	return r->count / ch->blocksize;
}

static size_t room_blocks(const struct vd_chan *ch, const struct vd_ring *r)
{
	return (r->size - r->count) / ch->blocksize;
}

/* Take one chunk of far's transmit ring; a freed block is news to it */
static size_t tx_take(struct vd_chan *far, uint8_t *chunk)
{
	size_t room = room_blocks(far, &far->tx);
	size_t n = vd_ring_get(&far->tx, chunk, VD_CHUNK);

	if (room_blocks(far, &far->tx) > room)
		far->news |= POLLOUT;
	return n;
}

/* Receive one chunk into ch->rx from what the far end sends */
static void chan_receive(struct vdahdi *vd, struct vd_chan *ch)
{
	struct vd_chan *far = ch->peer;
	uint8_t chunk[VD_CHUNK];
	size_t room, had = blocks(ch, &ch->rx);

	if (line_up(ch) && chan_active(far))
		vd_line_send(vd, far, chunk, tx_take(far, chunk));
	else
		memset(chunk, vd_law_silence(far && line_up(ch) ? far->law :
					     ch->law), VD_CHUNK);
	vd_line_receive(ch, chunk);

	/* a reader that falls behind loses the oldest samples */
	room = ch->rx.size - ch->rx.count;
	if (room < VD_CHUNK) {
		vd_ring_drop(&ch->rx, VD_CHUNK - room);
		ch->overruns++;
	}
	vd_ring_put(&ch->rx, chunk, VD_CHUNK);
	if (blocks(ch, &ch->rx) > had)
		ch->news |= POLLIN;
}

static void timer_tick(struct vdahdi *vd)
{
	for (struct vd_file *f = vd->files; f; f = f->next) {
		struct vd_timer *t = &f->timer;

		if (f->kind != VD_TIMER || !t->interval)
			continue;
		t->left -= VD_CHUNK;
		if (t->left > 0)
			continue;
		t->left += t->interval;
		t->expired++;
		vd_file_wake(vd, f);
	}
}

void vd_clock_tick(struct vdahdi *vd)
{
	struct vd_chan *ch;

	for (ch = vd->active; ch; ch = ch->next_active)
		chan_receive(vd, ch);

	/* a transmit ring nobody pulled from still goes out on the line */
	for (ch = vd->active; ch; ch = ch->next_active) {
		uint8_t chunk[VD_CHUNK];

		if (!chan_active(ch->peer) || !line_up(ch))
			tx_take(ch, chunk);
	}

	for (ch = vd->active; ch; ch = ch->next_active)
		if (ch->news)
			vd_chan_wake(vd, ch);

	vd_dchan_tick(vd);
	timer_tick(vd);
	vd->samples += VD_CHUNK;
}
