/*
 * What crosses the cable each tick, shaped as dahdi-base's transmit and
 * receive paths shape it.  Going out (__dahdi_getbuf_chunk and
 * __dahdi_process_getaudio_chunk): what the owner wrote, else its tone
 * (DAHDI_SENDTONE), else idle; a channel in DIGITALMON conference mode
 * sends what the channel it monitors receives; last the transmit gain.
 * Coming in (__dahdi_process_putaudio_chunk): the receive gain, then the
 * DTMF receiver of DAHDI_TONEDETECT, which may mute the digit.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

/* Gains and conferences need an audio channel (DAHDI_FLAG_AUDIO) */
bool vd_chan_audio(const struct vd_chan *ch)
{
	return ch && !vd_chan_is_dchan(ch) && ch->audiomode;
}

/* A channel by number, a span's or an open pseudo channel */
struct vd_chan *vd_chan_lookup(struct vdahdi *vd, int channo)
{
	if (channo < VD_PSEUDOBASE)
		return vd_chan_find(vd, channo);
	for (struct vd_file *f = vd->files; f; f = f->next)
		if (f->kind == VD_PSEUDO && f->chan &&
		    f->chan->channo == channo)
			return f->chan;
	return NULL;
}

/* The channel an ioctl names: channo, or the file's own when 0 */
struct vd_chan *vd_chan_arg(struct vdahdi *vd, struct vd_file *f,
			    int channo)
{
	if (!channo || (f->chan && f->chan->channo == channo))
		return f->chan;
	return vd_chan_lookup(vd, channo);
}

/* n bytes of chunk came from ch's write ring; complete what it sends */
void vd_line_send(struct vdahdi *vd, struct vd_chan *ch, uint8_t *chunk,
		  size_t n)
{
	if (n < VD_CHUNK && ch->tone) {
		vd_tone_fill(ch, chunk + n, VD_CHUNK - n);
		n = VD_CHUNK;
	}
	if (n < VD_CHUNK)
		memset(chunk + n, vd_law_silence(ch->law), VD_CHUNK - n);
	if (!ch->audiomode)
		return;
	if (ch->confmode)
		vd_conf_send(vd, ch, chunk);
	if (ch->gains)
		vd_gain_apply(ch, chunk, true);
}

void vd_line_receive(struct vd_chan *ch, uint8_t *chunk)
{
	if (ch->audiomode && ch->gains)
		vd_gain_apply(ch, chunk, false);
	if (ch->detect)
		vd_detect_run(ch, chunk);
	memcpy(ch->rxlast, chunk, VD_CHUNK);
}

/* Back to a fresh channel's: unity gains, no tone, no conference */
void vd_line_reset(struct vd_chan *ch)
{
	free(ch->gains);
	ch->gains = NULL;
	vd_tone_stop(ch);
	vd_detect_stop(ch);
	ch->tonedetect = 0;
	ch->confno = ch->confmode = 0;
	ch->zone = -1;
	memset(ch->rxlast, vd_law_silence(ch->law), VD_CHUNK);
}
