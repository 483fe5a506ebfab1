/*
 * What one channel-frame costs in FUSE requests, from vdahdi's own
 * counters (the status file's "requests span N" lines), and how vdahdi
 * wakes its pollers:
 * - a reader paced by the device (blocking reads), answering each block
 *   with a write, costs 2 requests per frame: no poll, no notification;
 * - an edge-triggered epoll client that takes one block per wake-up is
 *   woken for every new block, though blocks are still queued, as
 *   dahdi-base wakes its waiters for every buffer it fills;
 * - a reader that polled and then reads on a clock of its own (as
 *   tdm/pri/bchanio.c) gets no more poll notifications: a poll handle is
 *   notified once.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include "tests/unit/vdtest.h"

enum { BS = 160, FRAMES = 50 };

static int open_bchan(int channo, int flags, int numbufs)
{
	return vt_open_bchan(channo, flags, BS, numbufs);
}

static void test_blocking(void)
{
	uint8_t buf[BS];
	struct vt_rq r0, r1;
	int fd = open_bchan(32, 0, 4), n = 0;
	unsigned long long req;

	ok(fd >= 0 && read(fd, buf, BS) == BS && !vt_requests(2, &r0),
	   "channel 32, blocking: first block read");
	memset(buf, 0xd5, BS);
	for (; n < FRAMES; n++)
		if (read(fd, buf, BS) != BS || write(fd, buf, BS) != BS)
			break;
	ok(n == FRAMES && !vt_requests(2, &r1), "%d frames: a read, then a write",
	   n);
	req = (r1.read - r0.read) + (r1.write - r0.write) +
		(r1.poll - r0.poll) + (r1.ioctl - r0.ioctl);
	ok(r1.blocks - r0.blocks == FRAMES, "vdahdi counted %llu blocks read",
	   r1.blocks - r0.blocks);
	ok(req <= 2 * FRAMES, "%.2f FUSE requests per channel-frame (at most "
	   "2)", (double)req / FRAMES);
	ok(r1.poll == r0.poll && r1.notify == r0.notify,
	   "no poll and no poll notification");
	close(fd);
}

static void test_edge(void)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET};
	uint8_t buf[BS];
	int fd = open_bchan(33, O_NONBLOCK, 8), pace = open_bchan(34, 0, 4);
	int ep = epoll_create1(0), woken = 0;

	ok(fd >= 0 && pace >= 0 && !epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev),
	   "channel 33 in an edge-triggered epoll");
	/* three blocks' time, paced by the device, lets 33 queue three */
	ioctl(fd, DAHDI_FLUSH, &(int){DAHDI_FLUSH_READ});
	for (int k = 0; k < 3; k++)
		(void)!read(pace, buf, BS);
	for (int k = 0; k < 10; k++) {
		if (epoll_wait(ep, &ev, 1, 1000) != 1 ||
		    read(fd, buf, BS) != BS)
			break;
		woken++;
	}
	ok(woken == 10, "one block per wake-up, blocks still queued: woken "
	   "for every new block (%d of 10)", woken);
	close(ep);
	close(fd);
	close(pace);
}

static void test_stopped_poller(void)
{
	struct epoll_event ev = {.events = EPOLLIN};
	uint8_t buf[BS];
	int fd = open_bchan(35, O_NONBLOCK, 8), pace = open_bchan(36, 0, 4);
	int ep = epoll_create1(0), n = 0;
	struct vt_rq r0, r1;

	ok(fd >= 0 && pace >= 0 && !epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) &&
	   epoll_wait(ep, &ev, 1, 1000) == 1 &&
	   !epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) && !vt_requests(2, &r0),
	   "channel 35 polled until its first block, then not");
	for (; n < FRAMES; n++) {
		if (read(pace, buf, BS) != BS)
			break;
		/* each block once the pace's is in: one read each */
		while (read(fd, buf, BS) == BS)
			;
	}
	ok(n == FRAMES && !vt_requests(2, &r1), "%d frames read on the pace", n);
	ok(r1.notify - r0.notify <= 1, "%llu poll notifications once it "
	   "stopped polling (at most 1)", r1.notify - r0.notify);
	close(ep);
	close(fd);
	close(pace);
}

int main(void)
{
	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	test_blocking();
	test_edge();
	test_stopped_poller();
	return tap_done();
}
