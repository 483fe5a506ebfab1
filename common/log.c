/*
 * Logging to syslog, or to stderr in the foreground (-d).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
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

const char *log_text(char *buf, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t pos = 0, i;

	if (!buf || !size)
		return "";
	if (!s)
		s = "";
	if (len == LOG_NUL)
		len = strlen(s);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ctl = c < 0x20 || c == 0x7f;

		if (pos + (ctl ? 3 : 1) >= size)
			break;
		if (!ctl) {
			buf[pos++] = (char)c;
			continue;
		}
		buf[pos++] = '%';
		buf[pos++] = hex[c >> 4];
		buf[pos++] = hex[c & 0xf];
	}
	buf[pos] = '\0';
	return buf;
}

const char *log_number(char *buf, size_t size, const char *num, bool priv)
{
	size_t len, keep, i;

	log_text(buf, size, num, LOG_NUL);
	if (!priv || log_enabled(LOG_LVL_DEBUG) || !size)
		return buf;
	/* the digits but the last two, and anything else but a leading
	 * '+', become 'x' (log_text's escapes too) */
	len = strlen(buf);
	keep = len > 2 ? 2 : 0;
	for (i = buf[0] == '+' ? 1 : 0; i + keep < len; i++)
		buf[i] = 'x';
	if (len <= 2)
		for (i = 0; i < len; i++)
			buf[i] = 'x';
	return buf;
}
