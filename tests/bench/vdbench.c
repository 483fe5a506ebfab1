/*
 * vdbench: load vdahdi with audio on every B-channel of every span and
 * report what each channel received against real time.
 *
 *   vdbench SECONDS CHANNO...
 *
 * Each channel is opened non-blocking with 4 buffers of 160 samples.  One
 * thread per 30 channels (a span) serves its channels from an edge-
 * triggered epoll loop: every block read is answered with one block of
 * tone, as a gateway relaying media would do.
 * Prints one line:  chans=N secs=S samples_ratio=R client_cpu_us_per_frame=C
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
#include <time.h>
#include <unistd.h>
#include <dahdi/user.h>

enum { BS = 160, MAXCH = 1024 };

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

static int open_chan(int channo)
{
	int fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK);
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

static int fds[MAXCH];
static long long got[MAXCH];
static uint8_t tone[BS];
static double t_end;

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[64];
	uint8_t buf[BS];

	while (now() < t_end) {
		int k = epoll_wait(w->ep, evs, 64, 100);

		for (int j = 0; j < k; j++) {
			int i = evs[j].data.u32;
			ssize_t r;

			/* edge-triggered: drain what is there */
			while ((r = read(fds[i], buf, BS)) > 0) {
				got[i] += r;
				(void)!write(fds[i], tone, BS);
			}
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static struct worker workers[MAXCH / 30 + 1];
	uint8_t buf[BS];
	double secs, t0, c0;
	long long total = 0;
	int n = argc - 2, nw;

	if (argc < 3 || n > MAXCH) {
		fprintf(stderr, "usage: vdbench SECONDS CHANNO...\n");
		return 2;
	}
	secs = atof(argv[1]);
	for (int k = 0; k < BS; k++)   /* A-law-ish bytes; content is opaque */
		tone[k] = (uint8_t)(0xd5 ^ (int)(40 * sin(2 * M_PI * k / 8)));

	for (int i = 0; i < n; i++)
		fds[i] = open_chan(atoi(argv[i + 2]));
	/* let every channel settle, then measure */
	usleep(200000);
	for (int i = 0; i < n; i++)
		while (read(fds[i], buf, BS) > 0)
			;

	nw = (n + 29) / 30;
	t0 = now();
	c0 = cpu_self();
	t_end = t0 + secs;
	for (int w = 0; w < nw; w++) {
		struct worker *wk = &workers[w];

		wk->ep = epoll_create1(0);
		wk->first = w * 30;
		wk->count = n - wk->first < 30 ? n - wk->first : 30;
		for (int i = wk->first; i < wk->first + wk->count; i++) {
			struct epoll_event ev = {.events = EPOLLIN | EPOLLET};

			ev.data.u32 = i;
			epoll_ctl(wk->ep, EPOLL_CTL_ADD, fds[i], &ev);
		}
		pthread_create(&wk->th, NULL, worker_run, wk);
	}
	for (int w = 0; w < nw; w++)
		pthread_join(workers[w].th, NULL);
	/* what waits unread at the end was delivered inside the window too */
	secs = now() - t0;
	for (int i = 0; i < n; i++) {
		ssize_t r;

		while ((r = read(fds[i], buf, BS)) > 0)
			got[i] += r;
		total += got[i];
	}
	printf("chans=%d threads=%d secs=%.2f samples_ratio=%.5f "
	       "client_cpu_us_per_frame=%.2f\n", n, nw, secs,
	       (double)total / (n * 8000.0 * secs),
	       (cpu_self() - c0) * 1e6 / (n * secs * 50));
	return 0;
}
