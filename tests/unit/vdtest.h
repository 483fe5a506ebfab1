/*
 * Helpers for the vdahdi unit tests: they run inside the test sandbox
 * (tests/lib/common.sh) against vdahdi mounted at /dev/dahdi and
 * configured with conf/system.conf (or its T1 twin).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VDTEST_H
#define VDTEST_H
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <dahdi/user.h>
#include "tests/tap.h"

#define DEV "/dev/dahdi"

static inline double vt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* open /dev/dahdi/channel and bind it; -1 with errno on failure */
static inline int vt_open_chan(int channo, int flags)
{
	int fd = open(DEV "/channel", O_RDWR | flags);

	if (fd < 0)
		return -1;
	if (ioctl(fd, DAHDI_SPECIFY, &channo)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static inline int vt_ioctl_int(int fd, unsigned long cmd, int v)
{
	return ioctl(fd, cmd, &v);
}

/* write a command to the fault control file */
static inline int vt_fault(const char *cmd)
{
	int fd = open(DEV "/vdahdi", O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, cmd, strlen(cmd));
	close(fd);
	return n == (ssize_t)strlen(cmd) ? 0 : -1;
}

/* the status file, NUL-terminated in buf; its length, or -1 */
static inline ssize_t vt_status(char *buf, size_t size)
{
	int fd = open(DEV "/vdahdi", O_RDONLY);
	ssize_t len = 0, n = 0;

	if (fd < 0)
		return -1;
	while (len + 1 < (ssize_t)size &&
	       (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return n < 0 ? -1 : len;
}

/* a span's B-channel FUSE requests, from the status file's "requests
 * span N" line */
struct vt_rq {
	unsigned long long read, empty, write, poll, ioctl, notify, blocks;
};

static inline int vt_requests(int spanno, struct vt_rq *r)
{
	char buf[8192], key[32], *p;

	if (vt_status(buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(key, sizeof(key), "requests span %d ", spanno);
	p = strstr(buf, key);
	if (!p || sscanf(p + strlen(key), "read=%llu read_empty=%llu "
			 "write=%llu poll=%llu ioctl=%llu notify=%llu "
			 "blocks=%llu", &r->read, &r->empty, &r->write,
			 &r->poll, &r->ioctl, &r->notify, &r->blocks) != 7)
		return -1;
	return 0;
}

/* a B-channel opened as sipri opens one: blocks of bs, numbufs each way */
static inline int vt_open_bchan(int channo, int flags, int bs, int numbufs)
{
	struct dahdi_bufferinfo bi = {.numbufs = numbufs, .bufsize = bs};
	int fd = vt_open_chan(channo, flags);

	if (fd >= 0 && (ioctl(fd, DAHDI_SET_BLOCKSIZE, &bs) ||
			ioctl(fd, DAHDI_SET_BUFINFO, &bi))) {
		close(fd);
		return -1;
	}
	return fd;
}

static inline short vt_poll(int fd, short events, int ms)
{
	struct pollfd p = {.fd = fd, .events = events};

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* wait until the span pair is out of alarm */
static inline int vt_wait_span_ok(int spanno, double secs)
{
	int ctl = open(DEV "/ctl", O_RDWR);
	double end = vt_now() + secs;
	int ok_ = 0;

	while (ctl >= 0 && vt_now() < end) {
		struct dahdi_spaninfo si = {.spanno = spanno};

		if (!ioctl(ctl, DAHDI_SPANSTAT, &si) && !si.alarms) {
			ok_ = 1;
			break;
		}
		usleep(10000);
	}
	if (ctl >= 0)
		close(ctl);
	return ok_;
}
#endif
