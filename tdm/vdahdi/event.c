/*
 * The DAHDI per-channel event queue.  A queued event shows as POLLPRI, and
 * read() and write() fail with ELAST until DAHDI_GETEVENT has popped it.
 * Like DAHDI, a full queue drops the newest event.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <poll.h>
#include "vdahdi.h"

void vd_event_put(struct vd_chan *ch, int event)
{
	struct vd_event_q *q = &ch->events;

	if (q->count == VD_NEVENTS)
		return;
	q->ev[(q->head + q->count) % VD_NEVENTS] = event;
	q->count++;
	ch->news |= POLLPRI;    /* the clock wakes whoever waits */
}

int vd_event_get(struct vd_chan *ch)
{
	struct vd_event_q *q = &ch->events;
	int ev;

	if (!q->count)
		return DAHDI_EVENT_NONE;
	ev = q->ev[q->head];
	q->head = (q->head + 1) % VD_NEVENTS;
	q->count--;
	return ev;
}

bool vd_event_pending(const struct vd_chan *ch)
{
	return ch->events.count > 0;
}
