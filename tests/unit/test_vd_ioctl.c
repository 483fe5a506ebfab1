/*
 * vdahdi ioctl errors and channel binding: unknown commands get ENOTTY,
 * bad arguments EINVAL, unconfigured channels ENXIO, busy ones EBUSY, and
 * the daemon stays up.  A closed channel can be reopened at once.  Also
 * the timer device and GET_PARAMS / SPANSTAT contents.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include "tests/unit/vdtest.h"

/* bopen= of a span in the status file: B-channels open now */
static int span_bopen(int spanno)
{
	char buf[8192], key[32];
	int n = -1;
	char *p;

	if (vt_status(buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(key, sizeof(key), "span %d ", spanno);
	p = strstr(buf, key);
	if (p && (p = strstr(p, "bopen=")))
		n = atoi(p + 6);
	return n;
}

int main(void)
{
	int ctl = open(DEV "/ctl", O_RDWR), ch, fd, v = 0, ev;
	struct dahdi_params pa = {0};
	struct dahdi_spaninfo si = {0};
	struct dahdi_chanconfig cc = {0};
	struct termios tio;
	double t0;

	ok(ctl >= 0, "open ctl");
	ok(ioctl(ctl, _IO(DAHDI_CODE, 200)) < 0 && errno == ENOTTY,
	   "unknown DAHDI ioctl: ENOTTY");
	ok(ioctl(ctl, TCGETS, &tio) < 0 && errno == ENOTTY,
	   "foreign ioctl (TCGETS): ENOTTY");
	si.spanno = 99;
	ok(ioctl(ctl, DAHDI_SPANSTAT, &si) < 0 && errno == EINVAL,
	   "SPANSTAT of span 99: EINVAL");
	cc.chan = 1;
	cc.sigtype = DAHDI_SIG_FXSLS;
	ok(ioctl(ctl, DAHDI_CHANCONFIG, &cc) < 0 && errno == EINVAL,
	   "CHANCONFIG with an analogue sigtype on a digital span: EINVAL");
	v = 12345;
	ok(ioctl(ctl, DAHDI_STARTUP, &v) < 0 && errno == EINVAL,
	   "STARTUP of a missing span: EINVAL");

	fd = open(DEV "/channel", O_RDWR);
	ok(ioctl(fd, DAHDI_GET_BLOCKSIZE, &v) < 0 && errno == EINVAL,
	   "unbound channel file refuses GET_BLOCKSIZE: EINVAL");
	v = 9999;
	ok(ioctl(fd, DAHDI_SPECIFY, &v) < 0 && errno == EINVAL,
	   "SPECIFY 9999: EINVAL");
	close(fd);
	errno = 0;
	ok(vt_open_chan(63, 0) < 0 && errno == EINVAL,
	   "SPECIFY of a channel beyond the spans: EINVAL");

	ch = vt_open_chan(1, 0);
	ok(ch >= 0, "SPECIFY channel 1");
	ok(vt_open_chan(1, 0) < 0 && errno == EBUSY, "second SPECIFY of 1: EBUSY");
	ok(vt_ioctl_int(ch, DAHDI_SPECIFY, 2) < 0 && errno == EINVAL,
	   "SPECIFY on a bound file: EINVAL");
	ok(vt_ioctl_int(ch, DAHDI_SETLAW, 7) < 0 && errno == EINVAL,
	   "SETLAW 7: EINVAL");
	ok(vt_ioctl_int(ch, DAHDI_FLUSH, 0x100) < 0 && errno == EINVAL,
	   "FLUSH with unknown bits: EINVAL");
	ok(!vt_ioctl_int(ch, DAHDI_SETLAW, DAHDI_LAW_MULAW) &&
	   !ioctl(ch, DAHDI_GET_PARAMS, &pa) && pa.curlaw == DAHDI_LAW_MULAW,
	   "SETLAW mu-law shows in GET_PARAMS curlaw");
	ok(pa.channo == 1 && pa.spanno == 1 && pa.chanpos == 1 &&
	   pa.sigtype == DAHDI_SIG_CLEAR, "GET_PARAMS: chan 1 span 1 pos 1 clear");
	ok(span_bopen(1) == 1, "the status file counts one open B-channel");
	close(ch);
	ch = vt_open_chan(1, 0);
	ok(ch >= 0, "close then immediate reopen of channel 1 works");
	close(ch);
	ok(span_bopen(1) == 0, "and none once it is closed");

	pa.channo = 47 | DAHDI_GET_PARAMS_RETURN_MASTER;
	ok(!ioctl(ctl, DAHDI_GET_PARAMS, &pa) && pa.channo == 47 &&
	   pa.spanno == 2 && pa.chanpos == 16 && pa.sigtype == DAHDI_SIG_HARDHDLC,
	   "GET_PARAMS 47 with RETURN_MASTER: span 2 pos 16 HARDHDLC");

	cc.chan = 5;
	cc.sigtype = 0;
	ok(!ioctl(ctl, DAHDI_CHANCONFIG, &cc), "unconfigure channel 5");
	ok(vt_open_chan(5, 0) < 0 && errno == ENXIO,
	   "SPECIFY of an unconfigured channel: ENXIO");

	si.spanno = 2;
	ok(!ioctl(ctl, DAHDI_SPANSTAT, &si) && si.totalchans == 31 &&
	   si.numchans == 31 && si.totalspans == 2 && !strcmp(si.spantype, "E1"),
	   "SPANSTAT 2: 31 channels, 2 spans, E1");

	/* the timer device: 80 samples = 10 ms */
	fd = open(DEV "/timer", O_RDWR);
	ok(fd >= 0 && !vt_ioctl_int(fd, DAHDI_TIMERCONFIG, 80), "timer: 80 samples");
	int ticks = 0;

	t0 = vt_now();
	while (vt_now() - t0 < 0.5) {
		if (!(vt_poll(fd, POLLPRI, 100) & POLLPRI))
			break;
		ioctl(fd, DAHDI_GETEVENT, &ev);
		if (ev == DAHDI_EVENT_TIMER_EXPIRED)
			ticks++;
		vt_ioctl_int(fd, DAHDI_TIMERACK, 1);
	}
	ok(ticks >= 45 && ticks <= 52, "timer expired %d times in 0.5 s (~50)",
	   ticks);
	ok(vt_ioctl_int(fd, DAHDI_TIMERCONFIG, -1) < 0 && errno == EINVAL,
	   "negative timer interval: EINVAL");
	close(fd);

	si.spanno = 1;
	ok(!ioctl(ctl, DAHDI_SPANSTAT, &si), "the daemon is still answering");
	close(ctl);
	return tap_done();
}
