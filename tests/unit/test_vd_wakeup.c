/*
 * What one channel-frame costs in FUSE requests, from vdahdi's own
 * counters (the status file's "requests span N" lines), and how vdahdi
 * wakes its pollers:
 * - a reader paced by the device (blocking reads), answering each block
 *   with a write, costs 2 requests per frame: no poll, no notification;
 * - an edge-triggered epoll client that takes one block per wake-up is
 *   woken for every new block, though blocks are still queued, as
 *   dahdi-base wakes its waiters for every buffer it fills.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include "tests/unit/vdtest.h"

enum { BS = 160, FRAMES = 50 };

struct rq {
	unsigned long long read, empty, write, poll, ioctl, notify, blocks;
};

/* span spanno's B-channel requests from the status file */
static int rq_get(int spanno, struct rq *r)
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

static int open_bchan(int channo, int flags, int numbufs)
{
	struct dahdi_bufferinfo bi = {.numbufs = numbufs, .bufsize = BS};
	int fd = vt_open_chan(channo, flags);

	if (fd >= 0 && (ioctl(fd, DAHDI_SET_BLOCKSIZE, &(int){BS}) ||
			ioctl(fd, DAHDI_SET_BUFINFO, &bi))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_blocking(void)
{
	uint8_t buf[BS];
	struct rq r0, r1;
	int fd = open_bchan(32, 0, 4), n = 0;
	unsigned long long req;

	ok(fd >= 0 && read(fd, buf, BS) == BS && !rq_get(2, &r0),
	   "channel 32, blocking: first block read");
	memset(buf, 0xd5, BS);
	for (; n < FRAMES; n++)
		if (read(fd, buf, BS) != BS || write(fd, buf, BS) != BS)
			break;
	ok(n == FRAMES && !rq_get(2, &r1), "%d frames: a read, then a write",
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

int main(void)
{
	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	test_blocking();
	test_edge();
	return tap_done();
}
