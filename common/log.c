/*
 * Logging to syslog, or to stderr in the foreground (-d).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include "common/log.h"

/* the daemon's one logging destination (process-wide by nature) */
static struct {
	bool to_stderr;
	enum log_level level;
} log_dest = {true, LOG_LVL_INFO};

void log_init(const char *ident, bool to_stderr, enum log_level level)
{
	log_dest.to_stderr = to_stderr;
	log_dest.level = level;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_level(enum log_level level)
{
	log_dest.level = level;
}

bool log_enabled(enum log_level level)
{
	return level <= log_dest.level;
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const int prio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
	struct timespec ts;

	if (!log_enabled(level))
		return;
	if (!log_dest.to_stderr) {
		vsyslog(prio[level], fmt, ap);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "%02ld:%02ld:%02ld.%03ld ", (ts.tv_sec / 3600) % 24,
		(ts.tv_sec / 60) % 60, ts.tv_sec % 60, ts.tv_nsec / 1000000);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}
