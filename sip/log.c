/*
 * sip/log.c: log lines of the SIP leg, formatted with libre's re_printf
 * (%r, %J, %m) and written through the daemon's logger.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include "sip/sip_int.h"

void sip_log(enum log_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	(void)re_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(level, "%s", buf);
}

static const char *state_name(enum leg_state state)
{
	static const char *const names[] = {
		"IDLE", "CALLING", "INCOMING", "EARLY", "ANSWERED",
		"CONFIRMED", "CANCELLING", "BYE", "RELEASED",
	};

	return (unsigned)state < ARRAY_SIZE(names) ? names[state] : "?";
}

/* sip(CALL-ID){STATE}: ...; the peer chose an incoming call's Call-ID,
 * so it is made safe (common/log.h) */
void sipleg_log(const struct sipleg *leg, enum log_level level,
		const char *fmt, ...)
{
	char buf[512], cid[LOG_TEXT_LEN(64)];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	(void)re_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(level, "sip(%s){%s}: %s",
		log_text(cid, sizeof(cid), sipleg_callid(leg), LOG_NUL),
		state_name(leg->state), buf);
}
