/*
 * DAHDI_SETCONF, DAHDI_GETCONF and DAHDI_CONFLINK, with dahdi-base's
 * rules (dahdi_ioctl_setconf, dahdi_ioctl_getconf, dahdi_ioctl_conflink):
 * a channel in audio mode joins conference confno (1..DAHDI_MAX_CONF; -1
 * picks the first empty one) or, in DIGITALMON and the MONITOR modes,
 * names the channel it monitors; mode 0 with conference 0 leaves.
 *
 * Of the modes, DIGITALMON moves audio: the channel sends its line what
 * the monitored channel receives, untouched, which is how Asterisk
 * bridges two DAHDI channels natively.  Conferences and the MONITOR modes
 * are kept and reported but mix nothing.  CONFLINK keeps dahdi-base's
 * table of conference links (built with CONFIG_DAHDI_CONFLINK; without
 * it the driver answers ENOSYS).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "vdahdi.h"

static bool mode_monitors(int mode)
{
	switch (mode) {
	case DAHDI_CONF_MONITOR:
	case DAHDI_CONF_MONITORTX:
	case DAHDI_CONF_MONITORBOTH:
	case DAHDI_CONF_DIGITALMON:
	case DAHDI_CONF_MONITOR_RX_PREECHO:
	case DAHDI_CONF_MONITOR_TX_PREECHO:
	case DAHDI_CONF_MONITORBOTH_PREECHO:
		return true;
	default:
		return false;
	}
}

static void conf_mark(const struct vd_chan *ch, bool *used)
{
	int mode = ch->confmode & DAHDI_CONF_MODE_MASK;

	if (ch->confno > 0 && ch->confno <= DAHDI_MAX_CONF &&
	    !mode_monitors(mode) && mode != DAHDI_CONF_NORMAL)
		used[ch->confno] = true;
}

/* dahdi_first_empty_conference: the lowest number nobody talks in */
static int conf_first_empty(struct vdahdi *vd)
{
	bool used[DAHDI_MAX_CONF + 1] = {false};

	for (int s = 0; s < vd->nspans; s++)
		for (int i = 0; i < vd->spans[s].nchans; i++)
			conf_mark(&vd->spans[s].chans[i], used);
	for (struct vd_file *f = vd->files; f; f = f->next)
		if (f->kind == VD_PSEUDO && f->chan)
			conf_mark(f->chan, used);
	for (int n = 1; n <= DAHDI_MAX_CONF; n++)
		if (!used[n])
			return n;
	return -1;
}

/* The channel ci names, in audio mode, or NULL */
static struct vd_chan *conf_chan(struct vdahdi *vd, struct vd_file *f,
				 const struct dahdi_confinfo *ci)
{
	struct vd_chan *ch = vd_chan_arg(vd, f, ci->chan);

	return vd_chan_audio(ch) ? ch : NULL;
}

int vd_conf_set(struct vdahdi *vd, struct vd_file *f,
		struct dahdi_confinfo *ci)
{
	struct vd_chan *ch = conf_chan(vd, f, ci);
	int mode = ci->confmode & DAHDI_CONF_MODE_MASK;

	if (!ch)
		return EINVAL;
	if (mode_monitors(mode)) {
		if (!ci->confno || !vd_chan_lookup(vd, ci->confno))
			return EINVAL;
	}
	else if (ci->confno < -1 || ci->confno > DAHDI_MAX_CONF) {
		return EINVAL;
	}
	/* leaving takes mode 0 and conference 0 together */
	if ((!ci->confno && ci->confmode) || (!ci->confmode && ci->confno))
		return EINVAL;
	if (ci->confno == -1)
		ci->confno = conf_first_empty(vd);
	if (ci->confno < 1 && ci->confmode)
		return EBUSY;
	ci->chan = ch->channo;
	ch->confno = ci->confno;
	ch->confmode = ci->confmode;
	return 0;
}

int vd_conf_get(struct vdahdi *vd, struct vd_file *f,
		struct dahdi_confinfo *ci)
{
	struct vd_chan *ch = conf_chan(vd, f, ci);

	if (!ch)
		return EINVAL;
	ci->chan = ch->channo;
	ci->confno = ch->confno;
	ci->confmode = ch->confmode;
	return 0;
}

/* chan: the conference listened to; confno: the one it is linked into;
 * confmode non-zero adds the link, 0 removes it; 0 and 0 clear them all */
int vd_conf_link(struct vdahdi *vd, struct vd_file *f,
		 const struct dahdi_confinfo *ci)
{
	int free_slot = -1;

	if (!vd_chan_audio(f->chan))
		return EINVAL;
	if (ci->chan < 0 || ci->chan > DAHDI_MAX_CONF ||
	    ci->confno < 0 || ci->confno > DAHDI_MAX_CONF ||
	    (ci->chan && ci->chan == ci->confno))
		return EINVAL;
	if (!ci->chan && !ci->confno) {
		memset(vd->conflinks, 0, sizeof(vd->conflinks));
		return 0;
	}
	for (int i = 0; i < DAHDI_MAX_CONF; i++) {
		if (vd->conflinks[i].src == ci->chan &&
		    vd->conflinks[i].dst == ci->confno) {
			if (ci->confmode)
				return EEXIST;
			vd->conflinks[i].src = vd->conflinks[i].dst = 0;
			return 0;
		}
		if (free_slot < 0 && !vd->conflinks[i].src &&
		    !vd->conflinks[i].dst)
			free_slot = i;
	}
	if (!ci->confmode)
		return ENOENT;
	if (free_slot < 0)
		return ENOSPC;
	vd->conflinks[free_slot].src = ci->chan;
	vd->conflinks[free_slot].dst = ci->confno;
	return 0;
}

/* DIGITALMON: ch sends what the channel it monitors received */
void vd_conf_send(struct vdahdi *vd, const struct vd_chan *ch,
		  uint8_t *chunk)
{
	const struct vd_chan *mon;

	if ((ch->confmode & DAHDI_CONF_MODE_MASK) != DAHDI_CONF_DIGITALMON)
		return;
	mon = vd_chan_lookup(vd, ch->confno);
	if (mon && mon->owner)
		memcpy(chunk, mon->rxlast, VD_CHUNK);
}
