/*
 * vdahdi events: pulling the cable raises ALARM at both ends (POLLPRI via
 * poll and epoll, ELAST from read and write, DAHDI_GETEVENT pops it), a
 * blocked reader is woken with ELAST, the spans report RED, and restoring
 * the cable gives NOALARM and clears the alarm within 0.5 s.  DAHDI_FLUSH
 * with DAHDI_FLUSH_EVENT discards pending events.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <sys/epoll.h>
#include "tests/unit/vdtest.h"

static int blocked_fd;
static int blocked_errno;

static void *blocked_read(void *arg)
{
	uint8_t buf[512];

	(void)arg;
	if (read(blocked_fd, buf, sizeof(buf)) < 0)
		blocked_errno = errno;
	return NULL;
}

static int span_alarms(int spanno)
{
	int ctl = open(DEV "/ctl", O_RDWR);
	struct dahdi_spaninfo si = {.spanno = spanno};

	if (ctl < 0 || ioctl(ctl, DAHDI_SPANSTAT, &si))
		si.alarms = -1;
	if (ctl >= 0)
		close(ctl);
	return si.alarms;
}

int main(void)
{
	int a, b, ep, ev = -1;
	uint8_t buf[64] = {0x02, 0x01, 0x7f, 0, 0};
	struct epoll_event eev = {.events = EPOLLIN | EPOLLPRI};
	struct dahdi_params pa = {0};
	pthread_t th;
	double t0;

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	a = vt_open_chan(16, O_NONBLOCK);
	b = vt_open_chan(47, 0);   /* blocking */
	ok(a >= 0 && b >= 0, "open D-channels 16 and 47");
	ok(!(vt_poll(a, POLLPRI, 50) & POLLPRI), "no POLLPRI before the fault");

	ep = epoll_create1(0);
	eev.data.fd = a;
	epoll_ctl(ep, EPOLL_CTL_ADD, a, &eev);

	blocked_fd = b;
	pthread_create(&th, NULL, blocked_read, NULL);
	usleep(100000);
	ok(!vt_fault("cut 1\n"), "pull the cable of pair 1");
	pthread_join(th, NULL);
	ok(blocked_errno == ELAST, "a blocked read is woken with ELAST (%d)",
	   blocked_errno);

	ok(epoll_wait(ep, &eev, 1, 1000) == 1 && (eev.events & EPOLLPRI),
	   "epoll reports EPOLLPRI");
	ok(vt_poll(a, POLLPRI, 1000) & POLLPRI, "poll reports POLLPRI");
	ok(read(a, buf + 8, 8) < 0 && errno == ELAST, "read fails with ELAST");
	ok(write(a, buf, 5) < 0 && errno == ELAST, "write fails with ELAST");
	ok(!ioctl(a, DAHDI_GETEVENT, &ev) && ev == DAHDI_EVENT_ALARM,
	   "GETEVENT gives ALARM on span 1 (%d)", ev);
	ok(!ioctl(b, DAHDI_GETEVENT, &ev) && ev == DAHDI_EVENT_ALARM,
	   "GETEVENT gives ALARM on span 2 (%d)", ev);
	ok(!ioctl(a, DAHDI_GETEVENT, &ev) && ev == DAHDI_EVENT_NONE,
	   "then the queue is empty");
	ok(!(vt_poll(a, POLLPRI, 0) & POLLPRI), "POLLPRI clears with the queue");
	ok(span_alarms(1) & DAHDI_ALARM_RED && span_alarms(2) & DAHDI_ALARM_RED,
	   "SPANSTAT shows RED on both spans");
	pa.channo = 0;
	ok(!ioctl(a, DAHDI_GET_PARAMS, &pa) && (pa.chan_alarms & DAHDI_ALARM_RED),
	   "GET_PARAMS chan_alarms shows RED");

	/* frames sent while the line is down are lost */
	ok(write(a, buf, 5) == 5, "write succeeds into a dead line");

	t0 = vt_now();
	ok(!vt_fault("restore 1\n"), "restore the cable");
	ok(vt_wait_span_ok(1, 0.5) && vt_wait_span_ok(2, 0.5),
	   "alarms clear within 0.5 s (%.3f s)", vt_now() - t0);
	ok(!ioctl(b, DAHDI_GETEVENT, &ev) && ev == DAHDI_EVENT_NOALARM,
	   "GETEVENT gives NOALARM (%d)", ev);
	fcntl(b, F_SETFL, O_NONBLOCK);
	ok(read(b, buf + 8, 8) < 0 && errno == EAGAIN,
	   "the frame sent during the outage never arrives");

	vt_fault("cut 1\n");
	vt_fault("restore 1\n");
	ok(!vt_ioctl_int(a, DAHDI_FLUSH, DAHDI_FLUSH_EVENT) &&
	   !ioctl(a, DAHDI_GETEVENT, &ev) && ev == DAHDI_EVENT_NONE,
	   "DAHDI_FLUSH_EVENT discards pending events");

	close(ep);
	close(a);
	close(b);
	return tap_done();
}
