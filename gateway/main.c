/*
 * sipri: the PSTN-to-SIP gateway daemon.
 *
 *   sipri [-dnv] [-f FILE]
 *     -f FILE  configuration (default SYSCONFDIR/sipri.conf)
 *     -d       stay in the foreground and log to stderr
 *     -n       check the configuration, print "configuration OK" or the
 *              error with its file and line, and exit
 *     -v       more verbose (repeat for debug)
 *
 * One libre main loop runs everything.  SIGHUP reloads routes and mapping
 * tables without dropping calls; SIGTERM (or SIGINT) clears live calls
 * with cause 16 and BYE, then exits; SIGUSR1 logs what sipri holds now,
 * in one line whose format is kept stable for scripts (README):
 *   stats: calls=N legs=N transactions=N fds=N timers=N heap=N
 *
 * Under systemd (debian/sipri.service, Type=notify) it tells the manager
 * READY=1 once the spans are open and the SIP transports bound, and,
 * with WatchdogSec=, pings WATCHDOG=1 from the loop at half the interval
 * (sd_notify(3), sd_watchdog_enabled(3)); without NOTIFY_SOCKET these
 * are no-ops.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <re.h>
#include <systemd/sd-daemon.h>
#include "common/memtrim.h"
#include "gateway/gw.h"
#include "sip/sipleg.h"

enum { FD_MAX = 8192 };

struct daemon {
	struct gw *gw;
	const char *path;
	int sigfd;
	struct timer wdog;     /* systemd's watchdog ping */
	uint64_t wdog_ms;
	struct timer trim;     /* common/memtrim.c */
};

static void usage(void)
{
	fprintf(stderr, "usage: sipri [-dnv] [-f FILE]\n");
	exit(2);
}

/* the open file descriptors of this process, /proc's own left out */
static unsigned fds_count(void)
{
	DIR *dir = opendir("/proc/self/fd");
	unsigned n = 0;

	if (!dir)
		return 0;
	while (readdir(dir))
		n++;
	closedir(dir);
	return n >= 3 ? n - 3 : 0;   /* ".", ".." and the directory's fd */
}

/*
 * SIGUSR1: calls live in the core, SIP legs (live or releasing), libre's
 * transactions (lingering ones too, sip/census.c), open fds, live timers
 * and the bytes malloc has handed out and not had back (every thread's
 * arena, mallinfo2): what a soak run tells from RSS, which also holds
 * the arenas' free space (0 under ASan, whose allocator is not
 * malloc's).  A test or a soak run reads it to see that, once the calls
 * are gone and the transactions have lingered their 64*T1, nothing is
 * left behind.
 */
static void log_stats(const struct gw *gw)
{
	struct mallinfo2 mi = mallinfo2();
	struct sipcensus c;

	if (sipcensus_take(gw->ua, &c))
		memset(&c, 0, sizeof(c));
	log_info("stats: calls=%u legs=%u transactions=%u fds=%u timers=%zu "
		 "heap=%zu", gw_live_calls(gw), c.legs, c.transactions,
		 fds_count(), timer_thread_count(), mi.uordblks + mi.hblkhd);
}

/* Signals arrive through a signalfd, so they are handled in the loop */
static void signal_read(int flags, void *arg)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;

	(void)flags;
	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			gw_reload(d->gw, d->path);
			break;
		case SIGUSR1:
			log_stats(d->gw);
			break;
		case SIGTERM:
		case SIGINT:
			if (!d->gw->stopping) {
				sd_notify(0, "STOPPING=1");
				gw_shutdown(d->gw);
			}
			break;
		}
	}
}

/* nothing live: no call and no SIP transaction, lingering ones included
 * (counted only once the calls are gone) */
static bool idle(const struct gw *gw)
{
	struct sipcensus c;

	return !gw_live_calls(gw) && !sipcensus_take(gw->ua, &c) &&
		!c.transactions;
}

/* freed memory back to the kernel once the load has fallen */
static void trim_check(void *arg)
{
	struct daemon *d = arg;

	(void)memtrim_check(idle(d->gw));
	timer_start(&d->trim, MEMTRIM_EVERY_MS, trim_check, d);
}

/* From the loop itself: a loop that hangs misses its pings, and systemd
 * kills and restarts sipri after WatchdogSec */
static void watchdog_ping(void *arg)
{
	struct daemon *d = arg;

	sd_notify(0, "WATCHDOG=1");
	timer_start(&d->wdog, d->wdog_ms, watchdog_ping, d);
}

/* WATCHDOG_USEC (and WATCHDOG_PID, when set, is ours): ping at half
 * the interval, the first one half an interval after READY=1 */
static void watchdog_start(struct daemon *d)
{
	uint64_t usec;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return;
	d->wdog_ms = usec / 2000 ? usec / 2000 : 1;
	log_info("watchdog: a ping every %llu ms",
		 (unsigned long long)d->wdog_ms);
	timer_start(&d->wdog, d->wdog_ms, watchdog_ping, d);
}

static int signals_setup(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return errno;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sigfd < 0)
		return errno;
	return fd_listen(d->sigfd, FD_READ, signal_read, d);
}

static void fd_limit(void)
{
	struct rlimit rl = {FD_MAX, FD_MAX};

	setrlimit(RLIMIT_NOFILE, &rl);
	fd_setsize(FD_MAX);
}

static int load(struct conf **confp, const char *path)
{
	struct conf_err cerr = {0};
	int err = conf_load(confp, path, &cerr);

	if (err)
		fprintf(stderr, "sipri: %s\n", cerr.msg[0] ? cerr.msg :
			strerror(err));
	return err;
}

/* the last word: calls still live, and what the SIP side allocated and
 * refused (sip/acl.c, sip/flood.c, sip/rtpguard.c) over the run */
static void log_stopped(const struct gw *gw)
{
	struct sipua_stats st;

	log_info("stopped: calls live=%u", gw_live_calls(gw));
	sipua_stats(gw->ua, &st);
	log_info("stopped: sip legs=%u rtp=%u refused=%u rate_limited=%u "
		 "busy=%u overload=%u media_refused=%u tcp_refused=%u "
		 "tcp_timedout=%u", st.legs, st.rtp, st.refused,
		 st.rate_limited, st.busy, st.overload, st.media_refused,
		 st.tcp_refused, st.tcp_timedout);
}

int main(int argc, char **argv)
{
	struct daemon d = {.path = SYSCONFDIR "/sipri.conf", .sigfd = -1};
	struct conf *conf = NULL;
	bool foreground = false, check = false;
	int verbose = 0, c, err;

	while ((c = getopt(argc, argv, "df:nv")) != -1) {
		switch (c) {
		case 'd': foreground = true; break;
		case 'f': d.path = optarg; break;
		case 'n': check = true; break;
		case 'v': verbose++; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();

	err = libre_init();
	if (err)
		return 1;
	if (load(&conf, d.path)) {
		libre_close();
		return 1;
	}
	if (check) {
		printf("configuration OK\n");
		mem_deref(conf);
		libre_close();
		return 0;
	}
	log_init("sipri", foreground, verbose > 1 ? LOG_LVL_DEBUG :
		 verbose ? LOG_LVL_INFO : (enum log_level)conf->gen.loglevel);
	if (!foreground && daemon(0, 0)) {
		log_err("daemon: %s", strerror(errno));
		return 1;
	}
	fd_limit();
	err = timer_thread_init();   /* sipri's own timers (common/timer.h) */
	if (!err)
		err = signals_setup(&d);
	if (!err)
		err = gw_alloc(&d.gw, conf);
	mem_deref(conf);
	if (err) {
		log_err("cannot start: %s", strerror(err));
		goto out;
	}
	log_info("sipri %s running (%s)", PACKAGE_VERSION, d.path);
	watchdog_start(&d);
	timer_start(&d.trim, MEMTRIM_EVERY_MS, trim_check, &d);
	sd_notifyf(0, "READY=1\nSTATUS=running, spans open: %u",
		   list_count(&d.gw->spans));
	err = re_main(NULL);
	log_stopped(d.gw);
 out:
	timer_cancel(&d.wdog);
	timer_cancel(&d.trim);
	d.gw = mem_deref(d.gw);
	if (d.sigfd >= 0) {
		fd_close(d.sigfd);
		close(d.sigfd);
	}
	timer_thread_close();
	libre_close();
	return err ? 1 : 0;
}
