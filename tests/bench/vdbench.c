/*
 * vdbench: load vdahdi with audio on every B-channel of every span and
 * report what each channel received against real time, and what every
 * 20 ms frame of a channel cost in FUSE requests.
 *
 *   vdbench [-m MODE] SECONDS CHANNO...
 *
 * Each channel is opened with 4 buffers of 160 samples.  Every block read
 * is answered with one block of tone, as a gateway relaying media does.
 * MODE is how the client waits for its blocks (one thread per 30 channels,
 * a span, unless said otherwise):
 *   et     edge-triggered epoll, one read per wake-up (the default)
 *   lt     level-triggered epoll, reads until EAGAIN (at most 8): libre's
 *          fd_listen, as sipri and pbxsim use it today
 *   clock  no poll: a 20 ms timerfd, then one non-blocking read and one
 *          write per channel
 *   block  no poll: one thread per channel, a blocking read then a write
 * Prints one line:  chans=N secs=S samples_ratio=R
 *   client_cpu_us_per_frame=C requests_per_frame=Q notify_per_frame=P
 * (Q and P from vdahdi's status file: the B-channels' FUSE requests and
 * poll notifications over the blocks they read).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <dahdi/user.h>

enum { BS = 160, MAXCH = 1024, BURST = 8 };
enum mode { M_ET, M_LT, M_CLOCK, M_BLOCK };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int open_chan(int channo, int flags)
{
	int fd = open("/dev/dahdi/channel", O_RDWR | flags);
	/* four 20 ms buffers each way, as chan_dahdi sets B-channels up */
	struct dahdi_bufferinfo bi = {.numbufs = 4, .bufsize = BS};

	if (fd < 0 || ioctl(fd, DAHDI_SPECIFY, &channo) ||
	    ioctl(fd, DAHDI_SET_BUFINFO, &bi)) {
		fprintf(stderr, "vdbench: channel %d: %s\n", channo,
			strerror(errno));
		exit(1);
	}
	return fd;
}

struct worker {
	pthread_t th;
	int ep;
	int first, count;
};

static enum mode mode = M_ET;
static int fds[MAXCH];
static long long got[MAXCH];
static uint8_t tone[BS];
static double t_end;

/* one block in, one block out; 0 when nothing was there */
static int relay(int i)
{
	uint8_t buf[BS];
	ssize_t r = read(fds[i], buf, BS);

	if (r <= 0)
		return 0;
	got[i] += r;
	(void)!write(fds[i], tone, BS);
	return 1;
}

static void *worker_poll(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[64];

	while (now() < t_end) {
		int k = epoll_wait(w->ep, evs, 64, 100);

		for (int j = 0; j < k; j++) {
			int i = evs[j].data.u32;

			/* et: vdahdi wakes us for every new block */
			for (int b = 0; relay(i) && mode == M_LT && b < BURST;
			     b++)
				;
		}
	}
	return NULL;
}

static void *worker_clock(void *arg)
{
	struct worker *w = arg;
	struct itimerspec its = {{0, 20000000}, {0, 20000000}};
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	uint64_t n;

	timerfd_settime(tfd, 0, &its, NULL);
	/* a late wake-up reads one block per tick it missed */
	while (now() < t_end && read(tfd, &n, sizeof(n)) == sizeof(n)) {
		for (int i = w->first; i < w->first + w->count; i++)
			for (uint64_t k = 0; k < n && relay(i); k++)
				;
	}
	close(tfd);
	return NULL;
}

/* block: one channel per thread; first is the channel */
static void *worker_block(void *arg)
{
	struct worker *w = arg;

	while (now() < t_end)
		relay(w->first);
	return NULL;
}

static void workers_start(struct worker *wk, int n, int per)
{
	for (int w = 0; w * per < n; w++, wk++) {
		wk->first = w * per;
		wk->count = n - wk->first < per ? n - wk->first : per;
		if (mode == M_ET || mode == M_LT) {
			wk->ep = epoll_create1(0);
			for (int i = wk->first; i < wk->first + wk->count; i++) {
				struct epoll_event ev = {.events = EPOLLIN};

				if (mode == M_ET)
					ev.events |= EPOLLET;
				ev.data.u32 = i;
				epoll_ctl(wk->ep, EPOLL_CTL_ADD, fds[i], &ev);
			}
		}
		pthread_create(&wk->th, NULL, mode == M_CLOCK ? worker_clock :
			       mode == M_BLOCK ? worker_block : worker_poll, wk);
	}
}

/* sum of the B-channel request counters and blocks in vdahdi's status */
static void vd_requests(double *rq, double *notify, double *blocks)
{
	FILE *fp = fopen("/dev/dahdi/vdahdi", "r");
	char line[512];

	*rq = *notify = *blocks = 0;
	while (fp && fgets(line, sizeof(line), fp)) {
		unsigned long long r, e, w, p, io, no, b;

		if (sscanf(line, "requests span %*d read=%llu read_empty=%llu "
			   "write=%llu poll=%llu ioctl=%llu notify=%llu "
			   "blocks=%llu", &r, &e, &w, &p, &io, &no, &b) != 7)
			continue;
		*rq += r + w + p + io;
		*notify += no;
		*blocks += b;
	}
	if (fp)
		fclose(fp);
}

static int parse_mode(const char *s)
{
	static const char *const names[] = {"et", "lt", "clock", "block"};

	for (int m = 0; m < 4; m++)
		if (!strcmp(s, names[m]))
			return m;
	return -1;
}

/* what waits unread at the end was delivered inside the window too */
static long long drain_all(int n)
{
	uint8_t buf[BS];
	long long total = 0;

	for (int i = 0; i < n; i++) {
		ssize_t r;

		fcntl(fds[i], F_SETFL, O_NONBLOCK);
		while ((r = read(fds[i], buf, BS)) > 0)
			got[i] += r;
		total += got[i];
	}
	return total;
}

static void open_all(int n, char **chans)
{
	uint8_t buf[BS];

	for (int i = 0; i < n; i++)
		fds[i] = open_chan(atoi(chans[i]), O_NONBLOCK);
	/* let every channel settle, then measure */
	usleep(200000);
	for (int i = 0; i < n; i++) {
		while (read(fds[i], buf, BS) > 0)
			;
		if (mode == M_BLOCK)
			fcntl(fds[i], F_SETFL, 0);
	}
}

int main(int argc, char **argv)
{
	static struct worker workers[MAXCH];
	double secs, t0, c0, rq0, no0, b0, rq1, no1, b1;
	int n, per, a = 1;

	if (argc > 2 && !strcmp(argv[1], "-m")) {
		int m = parse_mode(argv[2]);

		if (m < 0) {
			fprintf(stderr, "vdbench: unknown mode %s\n", argv[2]);
			return 2;
		}
		mode = m;
		a = 3;
	}
	n = argc - a - 1;
	if (n < 1 || n > MAXCH) {
		fprintf(stderr, "usage: vdbench [-m et|lt|clock|block] "
			"SECONDS CHANNO...\n");
		return 2;
	}
	secs = atof(argv[a]);
	for (int k = 0; k < BS; k++)   /* A-law-ish bytes; content is opaque */
		tone[k] = (uint8_t)(0xd5 ^ (int)(40 * sin(2 * M_PI * k / 8)));
	open_all(n, argv + a + 1);

	per = mode == M_BLOCK ? 1 : 30;
	vd_requests(&rq0, &no0, &b0);
	t0 = now();
	c0 = cpu_self();
	t_end = t0 + secs;
	workers_start(workers, n, per);
	for (int w = 0; w * per < n; w++)
		pthread_join(workers[w].th, NULL);
	secs = now() - t0;
	vd_requests(&rq1, &no1, &b1);
	printf("chans=%d secs=%.2f samples_ratio=%.5f "
	       "client_cpu_us_per_frame=%.2f requests_per_frame=%.2f "
	       "notify_per_frame=%.2f\n", n, secs,
	       (double)drain_all(n) / (n * 8000.0 * secs),
	       (cpu_self() - c0) * 1e6 / (n * secs * 50),
	       b1 > b0 ? (rq1 - rq0) / (b1 - b0) : 0,
	       b1 > b0 ? (no1 - no0) / (b1 - b0) : 0);
	return 0;
}
