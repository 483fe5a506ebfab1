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

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(const char *ident, bool to_stderr, enum log_level level);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
void log_vmsg(enum log_level level, const char *fmt, va_list ap);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_warnx(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
#define log_err(...)   log_msg(LOG_LVL_ERR, __VA_ARGS__)

#endif
