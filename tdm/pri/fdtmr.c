/*
 * fdtmr: a one-shot timer on a timerfd of its own, in libre's main loop.
 *
 * libre 1.1.0 keeps every tmr in one sorted list and walks it from the
 * far end on each tmr_start(): a short timer costs a walk past every
 * longer one.  Under call load the list holds thousands of SIP
 * transaction timers (Timer D lingers 32 s), and libpri's scheduler,
 * re-armed after every D-channel event, spent most of sipri's CPU in that
 * walk (tests/bench/gw_bench.sh, BENCHMARKS.md).  A timerfd re-arms in
 * O(1), and not at all when the deadline has not moved.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include <re.h>
#include "tdmpri.h"

struct fdtmr {
	int fd;
	uint64_t due_us;         /* CLOCK_MONOTONIC deadline; 0: idle */
	fdtmr_h *h;
	void *arg;
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void destructor(void *data)
{
	struct fdtmr *t = data;

	if (t->fd >= 0) {
		fd_close(t->fd);
		close(t->fd);
	}
}

static void fd_handler(int flags, void *arg)
{
	struct fdtmr *t = arg;
	uint64_t n;

	(void)flags;
	if (read(t->fd, &n, sizeof(n)) != sizeof(n) || !t->due_us)
		return;   /* EAGAIN: re-armed or cancelled meanwhile */
	t->due_us = 0;
	t->h(t->arg);
}

int fdtmr_alloc(struct fdtmr **tp, fdtmr_h *h, void *arg)
{
	struct fdtmr *t;
	int err;

	if (!tp || !h)
		return EINVAL;
	t = mem_zalloc(sizeof(*t), destructor);
	if (!t)
		return ENOMEM;
	t->h = h;
	t->arg = arg;
	t->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	err = t->fd < 0 ? errno : fd_listen(t->fd, FD_READ, fd_handler, t);
	if (err)
		mem_deref(t);
	else
		*tp = t;
	return err;
}

/* Fire once, us microseconds from now (0 or less: at the next poll) */
void fdtmr_start_us(struct fdtmr *t, int64_t us)
{
	struct itimerspec its;
	uint64_t due;

	if (!t)
		return;
	due = now_us() + (uint64_t)(us > 0 ? us : 0);
	if (due == t->due_us)
		return;
	t->due_us = due;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = due / 1000000;
	its.it_value.tv_nsec = (long)(due % 1000000) * 1000;
	(void)timerfd_settime(t->fd, TFD_TIMER_ABSTIME, &its, NULL);
}

void fdtmr_cancel(struct fdtmr *t)
{
	struct itimerspec its;

	if (!t || !t->due_us)
		return;
	t->due_us = 0;
	memset(&its, 0, sizeof(its));
	(void)timerfd_settime(t->fd, 0, &its, NULL);
}
