/*
 * DAHDI_GETGAINS and DAHDI_SETGAINS: a channel's receive and transmit
 * gain tables, 256 entries each, map a law byte to a law byte, as
 * dahdi-base applies them: the receive table to what comes in from the
 * line, the transmit table to what goes out to it, on audio channels
 * only.  A channel opens with unity tables; setting unity frees them, so
 * the media path pays nothing for gains nobody set.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

enum { GAIN_TABLE = 256 };

static bool table_unity(const unsigned char *t)
{
	for (int i = 0; i < GAIN_TABLE; i++)
		if (t[i] != i)
			return false;
	return true;
}

int vd_gain_get(struct vdahdi *vd, struct vd_file *f, struct dahdi_gains *g)
{
	struct vd_chan *ch = vd_chan_arg(vd, f, g->chan);

	if (!vd_chan_audio(ch))
		return EINVAL;
	g->chan = ch->channo;
	for (int i = 0; i < GAIN_TABLE; i++) {
		g->rxgain[i] = ch->gains ? ch->gains[i] : i;
		g->txgain[i] = ch->gains ? ch->gains[GAIN_TABLE + i] : i;
	}
	return 0;
}

int vd_gain_set(struct vdahdi *vd, struct vd_file *f, struct dahdi_gains *g)
{
	struct vd_chan *ch = vd_chan_arg(vd, f, g->chan);

	if (!vd_chan_audio(ch))
		return EINVAL;
	g->chan = ch->channo;
	if (table_unity(g->rxgain) && table_unity(g->txgain)) {
		free(ch->gains);
		ch->gains = NULL;
		return 0;
	}
	if (!ch->gains) {
		ch->gains = malloc(2 * GAIN_TABLE);
		if (!ch->gains)
			return ENOMEM;
	}
	memcpy(ch->gains, g->rxgain, GAIN_TABLE);
	memcpy(ch->gains + GAIN_TABLE, g->txgain, GAIN_TABLE);
	return 0;
}

void vd_gain_apply(const struct vd_chan *ch, uint8_t *chunk, bool tx)
{
	const uint8_t *t = ch->gains + (tx ? GAIN_TABLE : 0);

	for (int i = 0; i < VD_CHUNK; i++)
		chunk[i] = t[chunk[i]];
}
