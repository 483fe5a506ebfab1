/*
 * Channels through the DAHDI ABI, the way Asterisk's chan_dahdi opens a
 * PRI D-channel: open /dev/dahdi/channel, SPECIFY, GET_PARAMS (the sigtype
 * must be HDLCFCS or HARDHDLC), SPANSTAT, SET_BUFINFO.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <dahdi/user.h>
#include "tdmpri.h"

enum {
	DCHAN_NUMBUFS = 32,    /* as chan_dahdi: room for a burst of frames */
	DCHAN_BUFSIZE = 1024,  /* the D-channel MRU */
	SCAN_MAXCHANS = 4096,
};

static int ctl_open(int *fdp)
{
	int fd = open(DAHDI_DEV_DIR "/ctl", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return errno;
	*fdp = fd;
	return 0;
}

static int chan_info(int fd, struct dahdi_chaninfo *info)
{
	struct dahdi_params p;
	struct dahdi_spaninfo si;

	memset(&p, 0, sizeof(p));
	if (ioctl(fd, DAHDI_GET_PARAMS, &p) < 0)
		return errno;
	memset(&si, 0, sizeof(si));
	si.spanno = p.spanno;
	if (ioctl(fd, DAHDI_SPANSTAT, &si) < 0)
		return errno;

	memset(info, 0, sizeof(*info));
	info->channo = p.channo;
	info->spanno = p.spanno;
	info->chanpos = p.chanpos;
	info->basechan = p.channo - p.chanpos;
	info->sigtype = p.sigtype;
	info->t1 = si.totalchans == 24 || !strncmp(si.spantype, "T1", 2) ||
		!strncmp(si.spantype, "J1", 2);
	info->law = p.curlaw ? p.curlaw :
		info->t1 ? DAHDI_LAW_MULAW : DAHDI_LAW_ALAW;
	info->alarms = si.alarms;
	return 0;
}

/* Open /dev/dahdi/channel non-blocking and bind it to channo */
int dahdi_chan_bind(int *fdp, int channo, struct dahdi_chaninfo *info)
{
	int fd, err = 0;

	if (!fdp || channo < 1)
		return EINVAL;
	fd = open(DAHDI_DEV_DIR "/channel", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (ioctl(fd, DAHDI_SPECIFY, &channo) < 0) {
		err = errno;
		goto out;
	}
	if (info)
		err = chan_info(fd, info);
 out:
	if (err)
		close(fd);
	else
		*fdp = fd;
	return err;
}

int dahdi_dchan_open(int *fdp, int channo, struct dahdi_chaninfo *info)
{
	struct dahdi_chaninfo ci;
	struct dahdi_bufferinfo bi;
	int fd, err;

	if (!fdp || !info)
		return EINVAL;
	err = dahdi_chan_bind(&fd, channo, &ci);
	if (err)
		return err;

	/* Q.921 runs on an HDLC channel whose FCS the hardware handles */
	if (ci.sigtype != DAHDI_SIG_HDLCFCS && ci.sigtype != DAHDI_SIG_HARDHDLC) {
		err = ENOTSUP;
		goto out;
	}
	memset(&bi, 0, sizeof(bi));
	bi.txbufpolicy = DAHDI_POLICY_IMMEDIATE;
	bi.rxbufpolicy = DAHDI_POLICY_IMMEDIATE;
	bi.numbufs = DCHAN_NUMBUFS;
	bi.bufsize = DCHAN_BUFSIZE;
	if (ioctl(fd, DAHDI_SET_BUFINFO, &bi) < 0)
		err = errno;
 out:
	if (err) {
		close(fd);
		return err;
	}
	*info = ci;
	*fdp = fd;
	return 0;
}

static bool sig_is_dchan(int sigtype)
{
	return sigtype == DAHDI_SIG_HDLCFCS || sigtype == DAHDI_SIG_HARDHDLC;
}

/* The D-channel of span spanno: walk the channels with GET_PARAMS */
int dahdi_dchan_find(int *channop, int spanno)
{
	struct dahdi_spaninfo si;
	int fd = -1, err, misses = 0;

	if (!channop || spanno < 1)
		return EINVAL;
	err = ctl_open(&fd);
	if (err)
		return err;

	memset(&si, 0, sizeof(si));
	si.spanno = spanno;
	if (ioctl(fd, DAHDI_SPANSTAT, &si) < 0) {
		err = errno == EINVAL ? ENODEV : errno;
		goto out;
	}
	err = ENOENT;
	for (int c = 1; c < SCAN_MAXCHANS && misses < 64; c++) {
		struct dahdi_params p;

		memset(&p, 0, sizeof(p));
		p.channo = c;
		if (ioctl(fd, DAHDI_GET_PARAMS, &p) < 0) {
			misses++;
			continue;
		}
		misses = 0;
		if (p.spanno == spanno && sig_is_dchan(p.sigtype)) {
			*channop = p.channo;
			err = 0;
			break;
		}
		if (p.spanno > spanno)
			break;
	}
 out:
	close(fd);
	return err;
}

/* Pop one event (DAHDI_EVENT_NONE when there is none) */
/* the span's alarms now (DAHDI_ALARM_* bits), by a channel of it */
int dahdi_span_alarms(int fd, int spanno, uint32_t *alarms)
{
	struct dahdi_spaninfo si;

	memset(&si, 0, sizeof(si));
	si.spanno = spanno;
	if (ioctl(fd, DAHDI_SPANSTAT, &si) < 0)
		return errno;
	*alarms = (uint32_t)si.alarms;
	return 0;
}

int dahdi_event_get(int fd, int *eventp)
{
	int ev = DAHDI_EVENT_NONE;

	if (!eventp)
		return EINVAL;
	if (ioctl(fd, DAHDI_GETEVENT, &ev) < 0)
		return errno;
	*eventp = ev;
	return 0;
}

/*
 * An error that says the channel is gone, not that it is busy: ENODEV
 * from DAHDI once its span was removed (dahdi-base.c's nodev_* file
 * operations), ENXIO for a channel no longer configured, ENOTCONN from a
 * FUSE device (vdahdi) whose daemon died, EIO from a dead driver.
 */
bool dahdi_gone(int err)
{
	return err == ENODEV || err == ENXIO || err == ENOTCONN || err == EIO;
}

const char *dahdi_event_name(int event)
{
	switch (event) {
	case DAHDI_EVENT_NONE:     return "none";
	case DAHDI_EVENT_ALARM:    return "alarm";
	case DAHDI_EVENT_NOALARM:  return "noalarm";
	case DAHDI_EVENT_ABORT:    return "abort";
	case DAHDI_EVENT_OVERRUN:  return "overrun";
	case DAHDI_EVENT_BADFCS:   return "badfcs";
	case DAHDI_EVENT_REMOVED:  return "removed";
	default:                   return "event";
	}
}
