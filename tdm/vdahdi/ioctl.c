/*
 * The DAHDI ioctls (dahdi/user.h).  FUSE passes "restricted" ioctls: the
 * argument size comes from the _IOC encoding of the command, so in points
 * at _IOC_SIZE(cmd) bytes for _IOW and out has room for _IOR.
 *
 * Unknown commands get ENOTTY; a bad argument gets EINVAL.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "vdahdi.h"

#define VD_VERSION "vdahdi " PACKAGE_VERSION " (DAHDI 2.11 ABI)"

static int in_int(const void *in)
{
	int v;

	memcpy(&v, in, sizeof(v));
	return v;
}

static void out_int(void *out, int v)
{
	memcpy(out, &v, sizeof(v));
}

/* ---- spans (mostly through /dev/dahdi/ctl) -------------------------- */

static int span_linecompat(const struct vd_span *span)
{
	if (span->type == VD_E1)
		return DAHDI_CONFIG_AMI | DAHDI_CONFIG_HDB3 |
			DAHDI_CONFIG_CCS | DAHDI_CONFIG_CRC4;
	return DAHDI_CONFIG_AMI | DAHDI_CONFIG_B8ZS | DAHDI_CONFIG_D4 |
		DAHDI_CONFIG_ESF | DAHDI_CONFIG_CCS;
}

static int ioc_spanstat(struct vdahdi *vd, struct vd_file *f,
			struct dahdi_spaninfo *si)
{
	struct vd_span *span;
	int spanno = si->spanno, configured = 0;

	if (!spanno && f->chan && f->chan->span)
		spanno = f->chan->span->spanno;
	span = vd_span_find(vd, spanno);
	if (!span)
		return EINVAL;

	for (int i = 0; i < span->nchans; i++)
		configured += span->chans[i].sigtype != 0;

	memset(si, 0, sizeof(*si));
	si->spanno = span->spanno;
	snprintf(si->name, sizeof(si->name), "VDAHDI/%d", span->spanno);
	snprintf(si->desc, sizeof(si->desc), "vdahdi %s span %d (cabled to %d)",
		 span->type == VD_E1 ? "E1" : "T1", span->spanno,
		 span->peer->spanno);
	si->alarms = span->alarms;
	si->numchans = configured;
	si->totalchans = span->nchans;
	si->totalspans = vd->nspans;
	si->lbo = span->lbo;
	si->lineconfig = span->lineconfig;
	si->syncsrc = 0;
	snprintf(si->location, sizeof(si->location), "vdahdi pair %d",
		 (span->spanno + 1) / 2);
	snprintf(si->manufacturer, sizeof(si->manufacturer), "sipri");
	snprintf(si->devicetype, sizeof(si->devicetype), "vdahdi %s",
		 span->type == VD_E1 ? "E1" : "T1");
	si->linecompat = span_linecompat(span);
	memcpy(si->spantype, span->type == VD_E1 ? "E1" : "T1", 3);
	return 0;
}

static int ioc_spanconfig(struct vdahdi *vd, const struct dahdi_lineconfig *lc)
{
	struct vd_span *span = vd_span_find(vd, lc->span);

	if (!span)
		return EINVAL;
	/* E1 framing on a T1 span (or the reverse) cannot be right */
	if (lc->lineconfig & ~span_linecompat(span) &
	    ~(DAHDI_CONFIG_NTTE | DAHDI_CONFIG_TERM | DAHDI_CONFIG_NOTOPEN))
		return EINVAL;
	span->lineconfig = lc->lineconfig;
	span->lbo = lc->lbo;
	span->sync = lc->sync;
	span->configured = true;
	vd_span_update_alarms(span);
	return 0;
}

static int ioc_startup(struct vdahdi *vd, int spanno, bool up)
{
	struct vd_span *span = vd_span_find(vd, spanno);

	if (!span)
		return EINVAL;
	span->started = up;
	vd_span_update_alarms(span);
	return 0;
}

static bool sigtype_digital(int sig)
{
	switch (sig) {
	case DAHDI_SIG_NONE:
	case DAHDI_SIG_CLEAR:
	case DAHDI_SIG_HDLCRAW:
	case DAHDI_SIG_HDLCFCS:
	case DAHDI_SIG_HDLCNET:
	case DAHDI_SIG_HARDHDLC:
		return true;
	default:
		return false;
	}
}

static int ioc_chanconfig(struct vdahdi *vd, const struct dahdi_chanconfig *cc)
{
	struct vd_chan *ch = vd_chan_find(vd, cc->chan);

	if (!ch || !sigtype_digital(cc->sigtype))
		return EINVAL;
	if (cc->deflaw < DAHDI_LAW_DEFAULT || cc->deflaw > DAHDI_LAW_ALAW)
		return EINVAL;
	if (ch->owner && ch->sigtype != cc->sigtype)
		return EBUSY;
	ch->sigtype = cc->sigtype;
	if (cc->deflaw)
		ch->deflaw = cc->deflaw;
	else
		ch->deflaw = ch->span->type == VD_E1 ? DAHDI_LAW_ALAW :
			DAHDI_LAW_MULAW;
	if (!ch->owner)
		ch->law = ch->deflaw;
	return 0;
}

static int ioc_attach_echocan(struct vdahdi *vd,
			      const struct dahdi_attach_echocan *ae)
{
	struct vd_chan *ch = vd_chan_find(vd, ae->chan);

	if (!ch)
		return EINVAL;
	snprintf(ch->echocan, sizeof(ch->echocan), "%.*s",
		 (int)sizeof(ae->echocan), ae->echocan);
	return 0;
}

static int ioc_get_params(struct vdahdi *vd, struct vd_file *f,
			  struct dahdi_params *p)
{
	int channo = p->channo & ~DAHDI_GET_PARAMS_RETURN_MASTER;
	struct vd_chan *ch;

	/* our channels have no masters: RETURN_MASTER names the same one */
	ch = channo ? vd_chan_find(vd, channo) : f->chan;
	if (!ch && channo && f->chan && f->chan->channo == channo)
		ch = f->chan;
	if (!ch)
		return EINVAL;

	memset(p, 0, sizeof(*p));
	p->channo = ch->channo;
	p->chanpos = ch->chanpos;
	p->spanno = ch->span ? ch->span->spanno : 0;
	p->sigtype = ch->sigtype;
	p->sigcap = DAHDI_SIG_CLEAR | DAHDI_SIG_HDLCRAW | DAHDI_SIG_HDLCFCS |
		DAHDI_SIG_HDLCNET | DAHDI_SIG_HARDHDLC;
	p->curlaw = ch->law;
	p->chan_alarms = ch->span ? ch->span->alarms : 0;
	if (ch->span)
		snprintf(p->name, sizeof(p->name), "VDAHDI/%d/%d",
			 ch->span->spanno, ch->chanpos);
	else
		snprintf(p->name, sizeof(p->name), "Pseudo/%d", ch->channo);
	return 0;
}

static int ioc_zone(struct vdahdi *vd, int zone)
{
	if (zone < 0 || zone >= DAHDI_TONE_ZONE_MAX)
		return EINVAL;
	vd->tone_zone = zone;
	return 0;
}

/* ---- channels ------------------------------------------------------- */

static int ioc_set_bufinfo(struct vd_chan *ch, const struct dahdi_bufferinfo *bi)
{
	if (bi->numbufs < 2 || bi->numbufs > DAHDI_MAX_NUM_BUFS ||
	    bi->bufsize < 16 || bi->bufsize > DAHDI_MAX_BLOCKSIZE ||
	    bi->numbufs * bi->bufsize > DAHDI_MAX_BUF_SPACE)
		return EINVAL;
	if (vd_chan_is_dchan(ch)) {
		ch->numbufs = bi->numbufs;
		ch->blocksize = bi->bufsize;
		return 0;
	}
	return vd_bchan_setbuf(ch, bi->bufsize, bi->numbufs);
}

static void ioc_get_bufinfo(const struct vd_chan *ch, struct dahdi_bufferinfo *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->numbufs = ch->numbufs;
	bi->bufsize = ch->blocksize;
	if (vd_chan_is_dchan(ch)) {
		bi->readbufs = ch->rxq_len;
		bi->writebufs = ch->txq_len;
	}
	else {
		bi->readbufs = ch->rx.count / ch->blocksize;
		bi->writebufs = ch->tx.count / ch->blocksize;
	}
}

static int ioc_flush(struct vd_chan *ch, int what)
{
	if (what & ~DAHDI_FLUSH_ALL)
		return EINVAL;
	if (what & DAHDI_FLUSH_READ) {
		vd_ring_flush(&ch->rx);
		vd_dchan_flush(ch);
	}
	if (what & DAHDI_FLUSH_WRITE) {
		vd_ring_flush(&ch->tx);
		vd_dchan_flush_tx(ch);
	}
	if (what & DAHDI_FLUSH_EVENT)
		memset(&ch->events, 0, sizeof(ch->events));
	return 0;
}

static int ioc_setlaw(struct vd_chan *ch, int law)
{
	if (law < DAHDI_LAW_DEFAULT || law > DAHDI_LAW_ALAW)
		return EINVAL;
	ch->law = law ? law : ch->deflaw;
	return 0;
}

/* Tones, conferences and tone detection on a bound channel; ENOTTY if
 * not one of them.  _IOWR commands find their argument in out. */
static int chan_audio_ioctl(struct vdahdi *vd, struct vd_file *f,
			    unsigned int cmd, const void *in, void *out)
{
	struct vd_chan *ch = f->chan;
	struct dahdi_confinfo ci;

	switch (cmd) {
	case DAHDI_SENDTONE:
		return vd_tone_start(ch, in_int(in));
	case DAHDI_SETTONEZONE:
		return vd_zone_set(vd, ch, in_int(in));
	case DAHDI_GETTONEZONE:
		out_int(out, ch->zone >= 0 ? ch->zone : 0);
		return 0;
	case DAHDI_TONEDETECT:
		return vd_chan_is_dchan(ch) ? EINVAL :
			vd_detect_set(ch, in_int(in));
	case DAHDI_SETCONF:
	case DAHDI_GETCONF:
		return (cmd == DAHDI_SETCONF ? vd_conf_set :
			vd_conf_get)(vd, f, out);
	case DAHDI_SETCONF_V1:
		memcpy(&ci, in, sizeof(ci));
		return vd_conf_set(vd, f, &ci);
	case DAHDI_GETCONF_V1:
		return vd_conf_get(vd, f, memset(out, 0, sizeof(ci)));
	default:
		return ENOTTY;
	}
}

/* Commands a bound channel (or pseudo) answers; ENOTTY if not one */
static int chan_ioctl(struct vd_chan *ch, unsigned int cmd, const void *in,
		      void *out)
{
	switch (cmd) {
	case DAHDI_GET_BLOCKSIZE:
		out_int(out, ch->blocksize);
		return 0;
	case DAHDI_SET_BLOCKSIZE:
		if (vd_chan_is_dchan(ch))
			return EINVAL;
		return vd_bchan_setbuf(ch, in_int(in), ch->numbufs);
	case DAHDI_GET_BUFINFO:
		ioc_get_bufinfo(ch, out);
		return 0;
	case DAHDI_SET_BUFINFO:
		return ioc_set_bufinfo(ch, in);
	case DAHDI_FLUSH:
		return ioc_flush(ch, in_int(in));
	case DAHDI_GETEVENT:
		out_int(out, vd_event_get(ch));
		return 0;
	case DAHDI_CHANNO:
		out_int(out, ch->channo);
		return 0;
	case DAHDI_SETLINEAR:
		if (vd_chan_is_dchan(ch))
			return EINVAL;
		ch->linear = in_int(in) != 0;
		return 0;
	case DAHDI_SETLAW:
		return ioc_setlaw(ch, in_int(in));
	case DAHDI_AUDIOMODE:
		ch->audiomode = in_int(in) != 0;
		return 0;
	case DAHDI_ECHOCANCEL_PARAMS: {
		/* header only: FUSE passes _IOC_SIZE bytes; params ignored.
		 * Recorded for the status file (fault.c) */
		const struct dahdi_echocanparams *ecp = in;

		if (vd_chan_is_dchan(ch) || ecp->tap_length > 1024)
			return EINVAL;
		ch->ec_taps = ecp->tap_length;
		if (ecp->tap_length)
			ch->ec_on++;
		else
			ch->ec_off++;
		return 0;
	}
	case DAHDI_ECHOCANCEL:
	case DAHDI_ECHOTRAIN:
	case DAHDI_HDLCFCSMODE:
	case DAHDI_HDLCRAWMODE:
	case DAHDI_CONFMUTE:
		return 0;
	default:
		return ENOTTY;
	}
}

/* ---- the timer device ----------------------------------------------- */

static int timer_ioctl(struct vd_timer *t, unsigned int cmd, const void *in,
		       void *out)
{
	int v;

	switch (cmd) {
	case DAHDI_TIMERCONFIG:
		v = in_int(in);
		if (v < 0)
			return EINVAL;
		t->interval = v;
		t->left = v;
		return 0;
	case DAHDI_TIMERACK:
		v = in_int(in);
		if (v < 0 || v > t->expired)
			v = t->expired;
		t->expired -= v;
		return 0;
	case DAHDI_TIMERPING:
		t->ping = true;
		return 0;
	case DAHDI_TIMERPONG:
		t->ping = false;
		return 0;
	case DAHDI_GETEVENT:
		out_int(out, t->ping ? DAHDI_EVENT_TIMER_PING :
			t->expired ? DAHDI_EVENT_TIMER_EXPIRED :
			DAHDI_EVENT_NONE);
		return 0;
	default:
		return ENOTTY;
	}
}

/* ---- dispatch ------------------------------------------------------- */

/* Gains and conference links: any file, a channel by number */
static int common_audio_ioctl(struct vdahdi *vd, struct vd_file *f,
			      unsigned int cmd, const void *in, void *out)
{
	struct dahdi_gains g;

	switch (cmd) {
	case DAHDI_GETGAINS:
		return vd_gain_get(vd, f, out);
	case DAHDI_GETGAINS_V1:   /* _IOR: no channel number comes in */
		return vd_gain_get(vd, f, memset(out, 0, sizeof(g)));
	case DAHDI_SETGAINS:      /* _IOW: nothing goes back; copy it */
		memcpy(&g, in, sizeof(g));
		return vd_gain_set(vd, f, &g);
	case DAHDI_CONFLINK:
		return vd_conf_link(vd, f, in);
	default:
		return ENOTTY;
	}
}

/* Commands every file answers (the ctl device's set) */
static int ctl_ioctl(struct vdahdi *vd, struct vd_file *f, unsigned int cmd,
		     const void *in, void *out)
{
	struct dahdi_versioninfo *vi = out;

	switch (cmd) {
	case DAHDI_GETVERSION:
		snprintf(vi->version, sizeof(vi->version), "%s", VD_VERSION);
		snprintf(vi->echo_canceller, sizeof(vi->echo_canceller), "none");
		return 0;
	case DAHDI_SPANSTAT:
		return ioc_spanstat(vd, f, out);
	case DAHDI_SPANCONFIG:
		return ioc_spanconfig(vd, in);
	case DAHDI_CHANCONFIG:
		return ioc_chanconfig(vd, in);
	case DAHDI_STARTUP:
		return ioc_startup(vd, in_int(in), true);
	case DAHDI_SHUTDOWN:
		return ioc_startup(vd, in_int(in), false);
	case DAHDI_GET_PARAMS:
		return ioc_get_params(vd, f, out);
	case DAHDI_SET_PARAMS:
		return ioc_get_params(vd, f, &(struct dahdi_params){
				.channo = ((const struct dahdi_params *)in)->channo});
	case DAHDI_ATTACH_ECHOCAN:
		return ioc_attach_echocan(vd, in);
	case DAHDI_DEFAULTZONE:
		return ioc_zone(vd, in_int(in));
	case DAHDI_FREEZONE:
		return vd_zone_free(vd, in_int(in));
	case DAHDI_LOADZONE: {
		/* variable length: FUSE passes the header only; tone.c takes
		 * the tones from libtonezone by the zone's number */
		const struct dahdi_tone_def_header *th = in;

		return th->count < 0 ? EINVAL : vd_zone_load(vd, th->zone);
	}
	case DAHDI_GETGAINS:
	case DAHDI_GETGAINS_V1:
	case DAHDI_SETGAINS:
	case DAHDI_CONFLINK:
		return common_audio_ioctl(vd, f, cmd, in, out);
	case DAHDI_HDLC_RATE:
		return in_int(in) == 56 || in_int(in) == 64 ? 0 : EINVAL;
	default:
		return ENOTTY;
	}
}

static int channel_specify(struct vdahdi *vd, struct vd_file *f, int channo)
{
	if (f->chan)
		return EINVAL;
	if (channo < 1 || channo > vd->nchannels)
		return EINVAL;
	return vd_chan_open(vd, f, vd_chan_find(vd, channo));
}

int vd_ioctl(struct vdahdi *vd, struct vd_file *f, unsigned int cmd,
	     const void *in, void *out, size_t outsz)
{
	int err;

	(void)outsz;
	if (_IOC_TYPE(cmd) != DAHDI_CODE)
		return ENOTTY;
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && _IOC_SIZE(cmd) && !in)
		return EFAULT;

	switch (f->kind) {
	case VD_TIMER:
		err = timer_ioctl(&f->timer, cmd, in, out);
		break;
	case VD_CHANNEL:
		/* an unbound channel file accepts nothing but SPECIFY */
		if (cmd == DAHDI_SPECIFY)
			return channel_specify(vd, f, in_int(in));
		if (!f->chan)
			return EINVAL;
		/* fall through */
	case VD_PSEUDO:
		err = f->chan ? chan_ioctl(f->chan, cmd, in, out) : ENOTTY;
		if (err == ENOTTY && f->chan)
			err = chan_audio_ioctl(vd, f, cmd, in, out);
		break;
	default:
		err = ENOTTY;
		break;
	}
	if (err == ENOTTY && f->kind != VD_FAULT)
		err = ctl_ioctl(vd, f, cmd, in, out);
	return err;
}
