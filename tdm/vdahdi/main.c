/*
 * vdahdi [-f] [--pairs N] [--type e1|t1] [--hdlc-rate KBITS] MOUNTPOINT
 *
 * Mounts the virtual DAHDI at MOUNTPOINT.  Without -f it daemonises once
 * the mount is ready.  fusermount3 -u MOUNTPOINT (or SIGTERM) stops it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "vdahdi.h"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: vdahdi [-f] [--pairs N] [--type e1|t1] "
		"[--hdlc-rate KBITS] MOUNTPOINT\n"
		"  -f, --foreground  stay in the foreground\n"
		"  --pairs N         span pairs to model (default 1): span 2k-1\n"
		"                    is cabled to span 2k\n"
		"  --type e1|t1      E1: 30B+D on TS16, A-law (default);\n"
		"                    T1: 23B+D on channel 24, mu-law\n"
		"  --hdlc-rate KBITS the D-channels' line rate (default 64);\n"
		"                    0: unpaced, a frame arrives as written\n");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* Run as many 1 ms ticks as the monotonic clock says are due */
static void clock_advance(struct vdahdi *vd, uint64_t t0)
{
	uint64_t due = (now_ns() - t0) * VD_RATE / 1000000000u;

	if (due > vd->samples + VD_RATE) {
		/* more than a second behind (stopped, swapped): resync */
		vd->ticks_late += (due - vd->samples) / VD_CHUNK;
		vd->samples = due - due % VD_CHUNK;
	}
	while (vd->samples + VD_CHUNK <= due)
		vd_clock_tick(vd);
}

/* Serve every queued FUSE request before sleeping again.  Returns 0 while
 * the session lives, non-zero once it is unmounted or broken. */
static int loop_drain(struct vdahdi *vd, struct fuse_buf *buf)
{
	for (;;) {
		int res = fuse_session_receive_buf(vd->se, buf);

		if (res == -EAGAIN)
			return 0;
		if (res == -EINTR)
			continue;
		if (res <= 0)     /* 0: unmounted */
			return 1;
		fuse_session_process_buf(vd->se, buf);
	}
}

static int loop_run(struct vdahdi *vd)
{
	struct fuse_buf buf = {0};
	struct epoll_event ev = {.events = EPOLLIN};
	struct itimerspec its = {
		.it_interval = {0, 1000000}, .it_value = {0, 1000000}
	};
	int ep, tfd, fusefd = fuse_session_fd(vd->se), err = 0;
	uint64_t t0;

	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (ep < 0 || tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0)
		return errno;
	fcntl(fusefd, F_SETFL, fcntl(fusefd, F_GETFL) | O_NONBLOCK);
	ev.data.fd = fusefd;
	epoll_ctl(ep, EPOLL_CTL_ADD, fusefd, &ev);
	ev.data.fd = tfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	t0 = now_ns();

	while (!fuse_session_exited(vd->se)) {
		struct epoll_event evs[2];
		int n = epoll_wait(ep, evs, 2, -1);

		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == tfd) {
				uint64_t exp;

				if (read(tfd, &exp, sizeof(exp)) > 0)
					clock_advance(vd, t0);
				continue;
			}
			if (loop_drain(vd, &buf)) {
				fuse_session_exit(vd->se);
				break;
			}
		}
	}
	free(buf.mem);
	close(tfd);
	close(ep);
	return err;
}

/* The command line; -1 to go on, else the exit status */
struct args {
	enum vd_type type;
	int pairs;
	long rate;               /* --hdlc-rate, kbit/s */
	bool foreground;
};

static int num_arg(const char *s, long lo, long hi, long *vp)
{
	char *end;

	*vp = strtol(s, &end, 10);
	return *end || *vp < lo || *vp > hi ? EINVAL : 0;
}

static int args_parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"foreground", no_argument, NULL, 'f'},
		{"pairs", required_argument, NULL, 'p'},
		{"type", required_argument, NULL, 't'},
		{"hdlc-rate", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			a->foreground = true;
			break;
		case 'p':
			if (num_arg(optarg, 1, VD_MAXSPANS / 2, &v)) {
				fprintf(stderr, "vdahdi: --pairs must be 1..%d\n",
					VD_MAXSPANS / 2);
				return 2;
			}
			a->pairs = v;
			break;
		case 't':
			if (strcmp(optarg, "e1") && strcmp(optarg, "t1")) {
				fprintf(stderr, "vdahdi: --type must be e1 or t1\n");
				return 2;
			}
			a->type = strcmp(optarg, "e1") ? VD_T1 : VD_E1;
			break;
		case 'r':
			if (num_arg(optarg, 0, 2048, &a->rate)) {
				fprintf(stderr, "vdahdi: --hdlc-rate must be "
					"0..2048 kbit/s\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static struct vdahdi vd;
	char *fargv[] = {argv[0], "-o", "fsname=vdahdi,allow_other", NULL};
	struct fuse_args fargs = FUSE_ARGS_INIT(3, fargv);
	struct args a = {.type = VD_E1, .pairs = 1, .rate = 64};
	int err = args_parse(argc, argv, &a);

	if (err >= 0)
		return err;
	if (geteuid() != 0)
		fargv[2] = "fsname=vdahdi";

	err = vd_init(&vd, a.type, a.pairs);
	if (err) {
		fprintf(stderr, "vdahdi: %s\n", strerror(err));
		return 1;
	}
	vd.hdlc_bits = a.rate;   /* kbit/s: bits per 1 ms tick */
	vd.se = fuse_session_new(&fargs, &vd_ops, sizeof(vd_ops), &vd);
	if (!vd.se)
		return 1;
	if (fuse_set_signal_handlers(vd.se) ||
	    fuse_session_mount(vd.se, argv[optind])) {
		fprintf(stderr, "vdahdi: cannot mount on %s\n", argv[optind]);
		fuse_session_destroy(vd.se);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	/* the mount is ready: only now may the parent return */
	fuse_daemonize(a.foreground);

	err = loop_run(&vd);

	fuse_session_unmount(vd.se);
	fuse_remove_signal_handlers(vd.se);
	while (vd.files)
		vd_file_close(&vd, vd.files);
	fuse_session_destroy(vd.se);
	vd_fini(&vd);
	fuse_opt_free_args(&fargs);
	return err ? 1 : 0;
}
