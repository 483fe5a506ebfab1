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
 * per 20 ms frame, user and kernel, and what went through against the
 * frames expected (blocks the workers wrote, RTP packets they sent).
 * A report, not a test: BENCHMARKS.md.
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
#include <sys/socket.h>
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

static int send_cmd(struct chan *c, struct mplane_msg *m)
{
	return mplane_send(c->ms, m);
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
	err = send_cmd(c, &m);
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
	err = send_cmd(c, &m);
	memset(&m, 0, sizeof(m));
	m.op = MPLANE_CMD_BRIDGE;
	m.u.bridge.tdm_law = m.u.bridge.rtp_law = 'A';
	m.u.bridge.jb_min = 20 * 8;
	m.u.bridge.jb_max = 400 * 8;
	m.u.bridge.dtmf = (struct dtmf_prm){.threshold = -30, .twist = 8,
		.reverse_twist = 4, .level = -10, .on_ms = 100, .off_ms = 60,
		.delay_ms = 40};
	if (!err)
		err = send_cmd(c, &m);
	memset(&m, 0, sizeof(m));
	m.op = MPLANE_CMD_TDM;
	m.u.tdm.fd = c->fd[0];
	m.u.tdm.law = 'A';
	if (!err)
		err = send_cmd(c, &m);
	return err;
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

/* user and kernel seconds of the media workers */
static void workers_cpu(double *user, double *sys)
{
	long hz = sysconf(_SC_CLK_TCK);
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;

	*user = *sys = 0;
	while (d && (e = readdir(d))) {
		char comm[32], stat[1024];
		unsigned long ut, st;
		const char *p;

		if (e->d_name[0] == '.' ||
		    !task_line(e->d_name, "comm", comm, sizeof(comm)) ||
		    strncmp(comm, "sipri-media", 11) ||
		    !task_line(e->d_name, "stat", stat, sizeof(stat)))
			continue;
		p = strrchr(stat, ')');
		/* after ")": the state (field 3) ... utime 14, stime 15 */
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
				"%*u %*u %lu %lu", &ut, &st) == 2) {
			*user += (double)ut / hz;
			*sys += (double)st / hz;
		}
	}
	if (d)
		closedir(d);
}

struct mark {
	double user, sys;
	unsigned long written, echoed;
};

static void mark_take(struct mark *m)
{
	workers_cpu(&m->user, &m->sys);
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

int main(int argc, char **argv)
{
	struct mplane *mp = NULL;
	pthread_t clk, echo;
	struct sa peer;
	unsigned secs;
	double frames, u, s;
	int efd, err;

	nchan = argc > 1 ? (unsigned)atoi(argv[1]) : 60;
	secs = argc > 2 ? (unsigned)atoi(argv[2]) : 10;
	if (!nchan || nchan > MAX_STREAMS || !secs) {
		fprintf(stderr, "usage: mplane_bench [STREAMS (1-%d) "
			"[SECONDS]]\n", MAX_STREAMS);
		return 2;
	}
	tone_make();
	if (libre_init() || timer_thread_init() ||
	    mplane_alloc(&mp, 0, 4096)) {
		fprintf(stderr, "mplane_bench: no media plane\n");
		return 1;
	}
	efd = echo_open(&peer);
	err = efd < 0 ? errno : 0;
	for (unsigned i = 0; i < nchan && !err; i++)
		err = stream_start(&chans[i], mp, &peer);
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
	u = (m1.user - m0.user) * 1e6 / frames;
	s = (m1.sys - m0.sys) * 1e6 / frames;
	printf("%u streams on %u workers, %u s: %.2f us per channel-frame "
	       "(user %.2f, kernel %.2f); blocks written %.1f%%, RTP echoed "
	       "%.1f%% of the frames\n", nchan, mplane_threads(mp), secs,
	       u + s, u, s, 100.0 * (double)(m1.written - m0.written) / frames,
	       100.0 * (double)(m1.echoed - m0.echoed) / frames);
	for (unsigned i = 0; i < nchan; i++) {
		chans[i].ms = mem_deref(chans[i].ms);
		close(chans[i].fd[1]);
	}
	mem_deref(mp);   /* the workers are gone: their fds may close */
	for (unsigned i = 0; i < nchan; i++)
		close(chans[i].fd[0]);
	close(efd);
	timer_thread_close();
	libre_close();
	return 0;
}
