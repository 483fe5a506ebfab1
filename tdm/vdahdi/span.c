/*
 * Spans and channels: the cabling between span pairs, configuration state
 * and the alarms that follow from it.
 *
 * A span is in RED alarm until both ends of its cable are configured
 * (SPANCONFIG) and started (STARTUP), and while the cable is pulled.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

static void span_init(struct vd_span *span, enum vd_type type, int spanno,
		      int basechan)
{
	span->spanno = spanno;
	span->type = type;
	span->nchans = type == VD_E1 ? 31 : 24;
	span->dchan = type == VD_E1 ? 16 : 24;
	span->basechan = basechan;
	span->alarms = DAHDI_ALARM_RED;

	for (int i = 0; i < span->nchans; i++) {
		struct vd_chan *ch = &span->chans[i];

		ch->span = span;
		ch->chanpos = i + 1;
		ch->channo = basechan + i;
		ch->deflaw = type == VD_E1 ? DAHDI_LAW_ALAW : DAHDI_LAW_MULAW;
		ch->law = ch->deflaw;
	}
}

int vd_init(struct vdahdi *vd, enum vd_type type, int pairs)
{
	int chan = 1;

	if (pairs < 1 || 2 * pairs > VD_MAXSPANS)
		return EINVAL;

	memset(vd, 0, sizeof(*vd));
	vd->type = type;
	vd->hdlc_bits = 64;   /* 64 kbit/s: 64 bits a 1 ms tick */
	vd->nspans = 2 * pairs;
	for (int s = 0; s < vd->nspans; s++) {
		span_init(&vd->spans[s], type, s + 1, chan);
		chan += vd->spans[s].nchans;
	}
	vd->nchannels = chan - 1;

	/* span 2k-1 is cabled to span 2k, timeslot to timeslot */
	for (int s = 0; s < vd->nspans; s += 2) {
		struct vd_span *a = &vd->spans[s], *b = &vd->spans[s + 1];

		a->peer = b;
		b->peer = a;
		for (int i = 0; i < a->nchans; i++) {
			a->chans[i].peer = &b->chans[i];
			b->chans[i].peer = &a->chans[i];
		}
	}
	return 0;
}

static void chan_free_buffers(struct vd_chan *ch)
{
	vd_ring_free(&ch->rx);
	vd_ring_free(&ch->tx);
	vd_dchan_flush(ch);
	vd_line_reset(ch);
}

void vd_fini(struct vdahdi *vd)
{
	for (int s = 0; s < vd->nspans; s++) {
		for (int i = 0; i < vd->spans[s].nchans; i++) {
			chan_free_buffers(&vd->spans[s].chans[i]);
			vd_dchan_flush_tx(&vd->spans[s].chans[i]);
		}
	}
}

struct vd_span *vd_span_find(struct vdahdi *vd, int spanno)
{
	if (spanno < 1 || spanno > vd->nspans)
		return NULL;
	return &vd->spans[spanno - 1];
}

struct vd_chan *vd_chan_find(struct vdahdi *vd, int channo)
{
	for (int s = 0; s < vd->nspans; s++) {
		struct vd_span *span = &vd->spans[s];

		if (channo >= span->basechan &&
		    channo < span->basechan + span->nchans)
			return &span->chans[channo - span->basechan];
	}
	return NULL;
}

bool vd_chan_is_dchan(const struct vd_chan *ch)
{
	return (ch->sigtype & DAHDI_SIG_HDLCRAW) == DAHDI_SIG_HDLCRAW ||
		ch->sigtype == DAHDI_SIG_HARDHDLC;
}

bool vd_span_up(const struct vd_span *span)
{
	return span->alarms == DAHDI_ALARM_NONE;
}

static int span_alarm_state(const struct vd_span *span)
{
	const struct vd_span *p = span->peer;
	bool up = span->configured && span->started && !span->cable_cut &&
		p->configured && p->started && !p->cable_cut;

	return up ? DAHDI_ALARM_NONE : DAHDI_ALARM_RED;
}

/* Recompute the alarms of span and its peer; tell their open channels */
void vd_span_update_alarms(struct vd_span *span)
{
	struct vd_span *ends[2] = {span, span->peer};

	for (int e = 0; e < 2; e++) {
		struct vd_span *s = ends[e];
		int alarms = span_alarm_state(s);

		if (alarms == s->alarms)
			continue;
		s->alarms = alarms;
		for (int i = 0; i < s->nchans; i++) {
			struct vd_chan *ch = &s->chans[i];

			if (!ch->owner)
				continue;
			vd_event_put(ch, alarms ? DAHDI_EVENT_ALARM :
				     DAHDI_EVENT_NOALARM);
		}
	}
}

/* Back to the state of a freshly opened channel */
void vd_chan_reset(struct vd_chan *ch)
{
	memset(&ch->events, 0, sizeof(ch->events));
	ch->law = ch->deflaw;
	ch->linear = false;
	ch->audiomode = true;
	ch->overruns = 0;
	vd_dchan_flush(ch);
	vd_line_reset(ch);
	/* DAHDI's defaults at open, HDLC channels too (dahdi-base's
	 * initialize_channel): DAHDI_DEFAULT_BLOCKSIZE, DAHDI_DEFAULT_NUM_BUFS */
	if (!vd_chan_is_dchan(ch)) {
		vd_bchan_setbuf(ch, DAHDI_DEFAULT_BLOCKSIZE,
				DAHDI_DEFAULT_NUM_BUFS);
	}
	else {
		ch->numbufs = DAHDI_DEFAULT_NUM_BUFS;
		ch->blocksize = DAHDI_DEFAULT_BLOCKSIZE;
	}
}

int vd_chan_bind(struct vdahdi *vd, struct vd_file *f, struct vd_chan *ch)
{
	if (!ch->sigtype)
		return ENXIO;
	if (ch->owner)
		return EBUSY;
	ch->owner = f;
	f->chan = ch;
	vd_chan_reset(ch);
	vd_zone_set(vd, ch, DAHDI_TONE_ZONE_DEFAULT);  /* none: ENODATA */
	return 0;
}

void vd_chan_unbind(struct vdahdi *vd, struct vd_file *f)
{
	struct vd_chan *ch = f->chan;

	if (!ch)
		return;
	vd_active_remove(vd, ch);
	if (ch->owner == f)
		ch->owner = NULL;
	vd_dchan_flush(ch);
	vd_line_reset(ch);
	if (f->kind == VD_PSEUDO)
		chan_free_buffers(ch);
	f->chan = NULL;
}
