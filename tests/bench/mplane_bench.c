/*
 * The media plane's own CPU per channel-frame, apart from the rig:
 *   tests/bench/mplane_bench [STREAMS [SECONDS]]
 *
 * STREAMS streams (default 60) on the plane's workers (one per core),
 * each a call's media as the gateway sets it up: a B-channel, an RTP
 * session with its peer, and the bridge between them (A-law both ways,
 * DTMF detection, the jitter buffer at the defaults, 20-400 ms).  The
 * B-channel is a socketpair (SOCK_SEQPACKET: a read is a block), so a
 * read or a write of a block that is there does not sleep, as on DAHDI
 * hardware, where on vdahdi each is a FUSE round trip.  A clock thread
 * plays the span: every 20 ms it writes a block of 1004 Hz into each
 * channel and takes what the worker wrote back.  An echo thread sends
 * every RTP packet back to where it came from.
 *
 * After a settling second it measures the workers (the threads named
 * sipri-media*, from /proc/self/task) for SECONDS: their CPU per channel
 * per 20 ms frame (schedstat), and what went through against the
 * frames expected (blocks the workers wrote, RTP packets they sent).
 * A report, not a test: BENCHMARKS.md.
 *
 *   tests/bench/mplane_bench --floor|--floor-clocked [STREAMS [SECONDS]]
 * measures the floor instead: threads of the same number (named
 * sipri-floor*) make the same system calls per channel and frame as a
 * worker, with no work between them, on a loop of their own (epoll, a
 * 4 ms timerfd grid): the B-channel's read and write, the RTP packet's
 * sendto and, when the echo wakes the thread, its recv.  What a worker
 * costs above that is sipri's own.  --floor-clocked reads the RTP on
 * the channel's slot instead (the echo of the frame before), with no
 * wake-up of its own: the floor of a design that reads RTP on the clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <re.h>
#include <spandsp.h>
#include "common/timer.h"
#include "gateway/mplane/mplane.h"

enum {
	MAX_STREAMS = 480,
	BLOCK = 160,             /* samples a 20 ms frame */
	SETTLE_MS = 1000,
	TONE_LEN = 8000,         /* a second of 1004 Hz, looped */
};

struct chan {
	struct mplane_stream *ms;
	int fd[2];               /* [0] the worker's, [1] the span's */
	unsigned long written;   /* blocks the worker wrote */
};

static struct chan chans[MAX_STREAMS];
static unsigned nchan;
static atomic_bool stop;
static atomic_ulong echoed;
static uint8_t tone[TONE_LEN];

/* ---- the span: a block in, what the worker wrote out --------------- */

static void ts_add_ms(struct timespec *ts, long ms)
{
	ts->tv_nsec += ms * 1000000;
	while (ts->tv_nsec >= 1000000000) {
		ts->tv_nsec -= 1000000000;
		ts->tv_sec++;
	}
}

static void *clock_main(void *arg)
{
	struct timespec next;
	size_t pos = 0;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load(&stop)) {
		ts_add_ms(&next, BLOCK / 8);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		for (unsigned i = 0; i < nchan; i++) {
			uint8_t buf[BLOCK];

			(void)write(chans[i].fd[1], tone + pos, BLOCK);
			while (read(chans[i].fd[1], buf, sizeof(buf)) > 0)
				chans[i].written++;
		}
		pos = (pos + BLOCK) % TONE_LEN;
	}
	return NULL;
}

/* ---- the SIP peer: every RTP packet back where it came from -------- */

static void *echo_main(void *arg)
{
	int fd = *(int *)arg;

	while (!atomic_load(&stop)) {
		uint8_t buf[2048];
		struct sockaddr_storage from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &len);

		if (n > 0 && sendto(fd, buf, (size_t)n, 0,
				    (struct sockaddr *)&from, len) == n)
			atomic_fetch_add(&echoed, 1);
	}
	return NULL;
}

static int echo_open(struct sa *addr)
{
	struct timeval tv = {0, 100000};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	sa_set_str(addr, "127.0.0.1", 0);
	if (fd < 0 || bind(fd, &addr->u.sa, addr->len) ||
	    getsockname(fd, &addr->u.sa, &addr->len) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	return fd;
}

/* ---- a call's media on the plane ----------------------------------- */

static void ev_h(const struct mplane_msg *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

static int stream_start(struct chan *c, struct mplane *mp,
			const struct sa *peer)
{
	struct mplane_msg m;
	struct siprtp *rtp = NULL;
	struct sa ip;
	int err;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, c->fd))
		return errno;
	err = mplane_stream_alloc(&c->ms, mp, ev_h, c);
	sa_set_str(&ip, "127.0.0.1", 0);
	if (!err)
		err = siprtp_alloc(&rtp, &ip, 30000, 39999);
	if (err)
		return err;
	memset(&m, 0, sizeof(m));
	m.op = MPLANE_CMD_RTP;
	m.u.rtp = rtp;
	err = mplane_send(c->ms, &m);
	if (err) {
		mem_deref(rtp);
		return err;
	}
	memset(&m, 0, sizeof(m));
	m.op = MPLANE_CMD_DESC;
	m.u.desc.law = 'A';
	m.u.desc.pt = 8;
	m.u.desc.rtp = *peer;
	m.u.desc.rtcp = *peer;
	m.u.desc.send = true;
	err = mplane_send(c->ms, &m);
	memset(&m, 0, sizeof(m));
	m.op = MPLANE_CMD_BRIDGE;
	m.u.bridge.tdm_law = m.u.bridge.rtp_law = 'A';
	m.u.bridge.jb_min = 20 * 8;
	m.u.bridge.jb_max = 400 * 8;
	m.u.bridge.dtmf = (struct dtmf_prm){.threshold = -30, .twist = 8,
		.reverse_twist = 4, .level = -10, .on_ms = 100, .off_ms = 60,
		.delay_ms = 40};
	if (!err)
		err = mplane_send(c->ms, &m);
	memset(&m, 0, sizeof(m));
	m.op = MPLANE_CMD_TDM;
	m.u.tdm.fd = c->fd[0];
	m.u.tdm.law = 'A';
	if (!err)
		err = mplane_send(c->ms, &m);
	return err;
}

/* ---- the floor: the same system calls, no work ---------------------- */

enum { FLOOR_SLOT_MS = 4, FLOOR_SLOTS = BLOCK / 8 / FLOOR_SLOT_MS,
       RTP_LEN = 12 + BLOCK };

struct floor {
	pthread_t th;
	unsigned idx, nthreads;
	bool clocked;            /* RTP read on the slot, not on a wake-up */
	struct sa peer;
	int ep, tfd;
	int *udp;                /* per channel of this thread */
};

static void floor_slot(struct floor *f, unsigned slot)
{
	uint8_t buf[RTP_LEN] = {0x80, 8};

	for (unsigned i = f->idx, k = 0; i < nchan; i += f->nthreads, k++) {
		if (k % FLOOR_SLOTS != slot)
			continue;
		if (read(chans[i].fd[0], buf + 12, BLOCK) == BLOCK)
			(void)write(chans[i].fd[0], buf + 12, BLOCK);
		(void)sendto(f->udp[k], buf, sizeof(buf), 0,
			     &f->peer.u.sa, f->peer.len);
		/* clocked: the last frame's echo, waiting since */
		if (f->clocked)
			while (recv(f->udp[k], buf, sizeof(buf), 0) > 0)
				;
	}
}

static void *floor_main(void *arg)
{
	struct floor *f = arg;
	char name[16];
	unsigned slot = 0;

	snprintf(name, sizeof(name), "sipri-floor%u", f->idx);
	(void)pthread_setname_np(pthread_self(), name);
	while (!atomic_load(&stop)) {
		struct epoll_event ev[64];
		int n = epoll_wait(f->ep, ev, 64, 100);

		for (int j = 0; j < n; j++) {
			uint8_t buf[2048];
			uint64_t ticks;

			if (ev[j].data.fd != f->tfd) {
				(void)recv(ev[j].data.fd, buf, sizeof(buf), 0);
				continue;
			}
			if (read(f->tfd, &ticks, sizeof(ticks)) > 0)
				floor_slot(f, slot++ % FLOOR_SLOTS);
		}
	}
	return NULL;
}

static int floor_add(struct floor *f, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};

	return epoll_ctl(f->ep, EPOLL_CTL_ADD, fd, &ev) ? errno : 0;
}

static int floor_start(struct floor *f, const struct sa *peer)
{
	struct itimerspec its = {{0, FLOOR_SLOT_MS * 1000000L},
				 {0, FLOOR_SLOT_MS * 1000000L}};
	unsigned k = 0;
	int err;

	f->peer = *peer;
	f->ep = epoll_create1(0);
	f->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	f->udp = calloc(nchan, sizeof(*f->udp));
	if (f->ep < 0 || f->tfd < 0 || !f->udp)
		return ENOMEM;
	err = floor_add(f, f->tfd);
	for (unsigned i = f->idx; i < nchan && !err; i += f->nthreads) {
		struct sa ip;

		sa_set_str(&ip, "127.0.0.1", 0);
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0,
			       chans[i].fd))
			return errno;
		f->udp[k] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (f->udp[k] < 0 || bind(f->udp[k], &ip.u.sa, ip.len))
			return errno;
		if (!f->clocked)
			err = floor_add(f, f->udp[k]);
		k++;
	}
	if (!err)
		err = timerfd_settime(f->tfd, 0, &its, NULL) ? errno : 0;
	return err ? err : pthread_create(&f->th, NULL, floor_main, f);
}

static void floor_stop(struct floor *f)
{
	pthread_join(f->th, NULL);
	for (unsigned i = f->idx, k = 0; i < nchan; i += f->nthreads, k++) {
		close(f->udp[k]);
		close(chans[i].fd[0]);
		close(chans[i].fd[1]);
	}
	free(f->udp);
	close(f->tfd);
	close(f->ep);
}

/* ---- measuring ------------------------------------------------------ */

/* the first line of /proc/self/task/TID/NAME into buf; false: none */
static bool task_line(const char *tid, const char *name, char *buf,
		      size_t n)
{
	char path[300];
	bool got;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%s/%s", tid, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	got = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	return got;
}

static const char *measured = "sipri-media";   /* the threads' names */

/* CPU seconds of the measured threads, from schedstat (in ns: stat's
 * user and kernel split counts clock ticks, too coarse here) */
static double workers_cpu(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	double run = 0;

	while (d && (e = readdir(d))) {
		char comm[32], sched[128];
		unsigned long long ns;

		if (e->d_name[0] != '.' &&
		    task_line(e->d_name, "comm", comm, sizeof(comm)) &&
		    !strncmp(comm, measured, strlen(measured)) &&
		    task_line(e->d_name, "schedstat", sched, sizeof(sched)) &&
		    sscanf(sched, "%llu", &ns) == 1)
			run += (double)ns / 1e9;
	}
	if (d)
		closedir(d);
	return run;
}

struct mark {
	double run;
	unsigned long written, echoed;
};

static void mark_take(struct mark *m)
{
	m->run = workers_cpu();
	m->written = 0;
	for (unsigned i = 0; i < nchan; i++)
		m->written += chans[i].written;
	m->echoed = atomic_load(&echoed);
}

static struct mark m0, m1;
static struct tmr t_mark, t_end;

static void end_h(void *arg)
{
	(void)arg;
	mark_take(&m1);
	re_cancel();
}

static void mark_h(void *arg)
{
	unsigned secs = *(unsigned *)arg;

	mark_take(&m0);
	tmr_start(&t_end, secs * 1000ULL, end_h, NULL);
}

static void tone_make(void)
{
	for (int i = 0; i < TONE_LEN; i++)
		tone[i] = linear_to_alaw((int16_t)(10000 *
			sin(2 * M_PI * 1004.0 * i / 8000.0)));
}

/* the streams on the media plane, or the floor's threads */
static int setup(bool floor, bool clocked, struct mplane **mpp,
		 struct floor *fl, unsigned *nthreads, const struct sa *peer)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int err = 0;

	if (!floor) {
		if (mplane_alloc(mpp, 0, 4096))
			return ENOMEM;
		*nthreads = mplane_threads(*mpp);
		for (unsigned i = 0; i < nchan && !err; i++)
			err = stream_start(&chans[i], *mpp, peer);
		return err;
	}
	measured = "sipri-floor";
	*nthreads = cores < 1 ? 1 : cores > MPLANE_MAX_THREADS ?
		MPLANE_MAX_THREADS : (unsigned)cores;
	for (unsigned t = 0; t < *nthreads && !err; t++) {
		fl[t].idx = t;
		fl[t].nthreads = *nthreads;
		fl[t].clocked = clocked;
		err = floor_start(&fl[t], peer);
	}
	return err;
}

static void teardown(struct mplane *mp, struct floor *fl, unsigned nthreads)
{
	if (!mp) {
		for (unsigned t = 0; t < nthreads; t++)
			floor_stop(&fl[t]);
		return;
	}
	for (unsigned i = 0; i < nchan; i++) {
		chans[i].ms = mem_deref(chans[i].ms);
		close(chans[i].fd[1]);
	}
	mem_deref(mp);   /* the workers are gone: their fds may close */
	for (unsigned i = 0; i < nchan; i++)
		close(chans[i].fd[0]);
}

int main(int argc, char **argv)
{
	static struct floor fl[MPLANE_MAX_THREADS];
	struct mplane *mp = NULL;
	pthread_t clk, echo;
	struct sa peer;
	unsigned secs, nthreads = 0;
	double frames, r;
	bool clocked = argc > 1 && !strcmp(argv[1], "--floor-clocked");
	bool floor = clocked || (argc > 1 && !strcmp(argv[1], "--floor"));
	int efd, err;

	argv += floor;
	argc -= floor;
	nchan = argc > 1 ? (unsigned)atoi(argv[1]) : 60;
	secs = argc > 2 ? (unsigned)atoi(argv[2]) : 10;
	if (!nchan || nchan > MAX_STREAMS || !secs) {
		fprintf(stderr, "usage: mplane_bench [--floor] [STREAMS "
			"(1-%d) [SECONDS]]\n", MAX_STREAMS);
		return 2;
	}
	tone_make();
	if (libre_init() || timer_thread_init()) {
		fprintf(stderr, "mplane_bench: no libre\n");
		return 1;
	}
	efd = echo_open(&peer);
	err = efd < 0 ? errno : setup(floor, clocked, &mp, fl, &nthreads,
						&peer);
	if (err || pthread_create(&echo, NULL, echo_main, &efd) ||
	    pthread_create(&clk, NULL, clock_main, NULL)) {
		fprintf(stderr, "mplane_bench: setup: %s\n", strerror(err));
		return 1;
	}
	tmr_init(&t_mark);
	tmr_init(&t_end);
	tmr_start(&t_mark, SETTLE_MS, mark_h, &secs);
	(void)re_main(NULL);

	atomic_store(&stop, true);
	pthread_join(clk, NULL);
	pthread_join(echo, NULL);
	frames = (double)nchan * secs * 8000 / BLOCK;
	r = (m1.run - m0.run) * 1e6 / frames;
	printf("%u streams on %u %s, %u s: %.2f us per channel-frame on the "
	       "CPU; blocks written %.1f%%, RTP echoed %.1f%% of the "
	       "frames\n", nchan, nthreads, !floor ? "workers" : clocked ?
	       "floor threads (the system calls alone, RTP on the clock)" :
	       "floor threads (the system calls alone)", secs, r,
	       100.0 * (double)(m1.written - m0.written) / frames,
	       100.0 * (double)(m1.echoed - m0.echoed) / frames);
	teardown(mp, fl, nthreads);
	close(efd);
	timer_thread_close();
	libre_close();
	return 0;
}
