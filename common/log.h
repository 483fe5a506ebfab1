/*
 * Logging: syslog or stderr, relayd-style levels.  Every call-context line
 * carries a call(ID){STATE}: prefix (see call_log in call.h); the legs'
 * lines carry sip(CALL-ID){STATE}: (sip/log.c) and pri(SPAN/CHAN){STATE}:
 * (tdm/log.c).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_LOG_H
#define SIPRI_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(const char *ident, bool to_stderr, enum log_level level);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
void log_vmsg(enum log_level level, const char *fmt, va_list ap);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Text from a peer (a percent-decoded URI user, a number from a Q.931
 * IE, a reason phrase), made safe for one log line: every control
 * character (below 0x20, and DEL) is written %HH, so a CR or LF cannot
 * start a forged line.  len: the bytes of s, or LOG_NUL for a C string
 * (which may hold NULs then only as its end).  Cut to fit buf; returns
 * buf.  LOG_TEXT_LEN(n): room for n bytes all escaped.
 */
#define LOG_NUL ((size_t)-1)
#define LOG_TEXT_LEN(n) (3 * (n) + 1)
const char *log_text(char *buf, size_t size, const char *s, size_t len);

/*
 * A calling or connected number for a log line (sipri.conf(5), LOGGING):
 * a private one (SIP Privacy: id, header or user; Q.931 presentation
 * restricted) shows no digit but its last two below debug level, each
 * other one as 'x' ("+xxxxxxx34"; "xx" for a number of two or fewer);
 * at debug level, or when not private, the number itself.  Made safe as
 * log_text() does; returns buf.
 */
const char *log_number(char *buf, size_t size, const char *num, bool priv);

#define log_warnx(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
#define log_err(...)   log_msg(LOG_LVL_ERR, __VA_ARGS__)

#endif
