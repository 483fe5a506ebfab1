/*
 * tdm/log.c: log lines of the PRI leg and its span, formatted with
 * libre's re_printf (%r, %m) and written through the daemon's logger,
 * as sip/log.c does for the SIP leg:
 *
 *   pri(SPAN/CHAN){STATE}: ...   a call: the DAHDI span number, the
 *                                B-channel's timeslot ('-' while none is
 *                                chosen) and the leg's Q.931 state
 *   pri(SPAN){UP|DOWN}: ...      the span: usable for calls or not
 *   pri(SPAN): libpri: ...       libpri's own messages, one a line
 *
 * Received and sent messages: info for a call's milestones (SETUP,
 * CONNECT, the far end's clearing and ours, channel changes), debug for
 * the rest, warn for what breaks the protocol.  Nothing on the media
 * path logs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include "tdm/pri/tdmpri.h"
#include "tdm/tdm_int.h"

enum { LINE_MAX_LEN = 512 };

enum tdm_leg_state tdm_leg_state(const struct tdm_leg *leg)
{
	if (!leg->c)
		return TDM_LEG_NULL;
	if (leg->hanging)
		return TDM_LEG_CLEARING;
	if (leg->answered)
		return TDM_LEG_ACTIVE;
	if (leg->alerted)
		return TDM_LEG_ALERTING;
	if (leg->proceeding)
		return TDM_LEG_PROCEEDING;
	if (leg->outgoing)
		return leg->setup_acked ? TDM_LEG_OVERLAP_SEND :
			TDM_LEG_CALLING;
	/* Q.931 §5.2.4: T302 runs while the leg collects digits */
	return timer_isrunning(&leg->digit_tmr) ? TDM_LEG_OVERLAP_RECV :
		TDM_LEG_PRESENT;
}

static const char *state_name(enum tdm_leg_state state)
{
	static const char *const names[] = {
		"NULL", "CALLING", "OVERLAP_SEND", "OVERLAP_RECV", "PRESENT",
		"PROCEEDING", "ALERTING", "ACTIVE", "CLEARING",
	};

	return (unsigned)state < ARRAY_SIZE(names) ? names[state] : "?";
}

/* pri(SPAN/CHAN){STATE}: ... */
void tdm_leg_log(const struct tdm_leg *leg, enum log_level level,
		 const char *fmt, ...)
{
	char buf[LINE_MAX_LEN], chan[8] = "-";
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	(void)re_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (leg->chan)
		(void)re_snprintf(chan, sizeof(chan), "%d", leg->chan);
	log_msg(level, "pri(%d/%s){%s}: %s", leg->span->prm.spanno, chan,
		state_name(tdm_leg_state(leg)), buf);
}

/* pri(SPAN){UP|DOWN}: ... */
void tdm_span_log(const struct tdm_span *span, enum log_level level,
		  const char *fmt, ...)
{
	char buf[LINE_MAX_LEN];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	(void)re_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_msg(level, "pri(%d){%s}: %s", span->prm.spanno,
		tdm_span_up(span) ? "UP" : "DOWN", buf);
}

/* Q.931 §4.5.8, §4.5.10: the type of number in libpri's TON/NPI octet
 * (bits 7-5) */
const char *tdm_ton_name(int plan)
{
	static const char *const names[] = {
		"unknown", "international", "national", "network-specific",
		"subscriber", "type 5", "abbreviated", "type 7",
	};

	return plan < 0 ? "unknown" : names[(plan >> 4) & 0x7];
}

enum { PARTY_STR_LEN = LOG_TEXT_LEN(CC_NUMLEN) + 24 };

/* "4930123 (international)", or "none"; a private number (presentation
 * restricted) hidden below debug level, every number made safe: the
 * digits are the PBX's (common/log.h) */
static const char *party_str(char *buf, size_t size, const char *num,
			     int plan, bool priv)
{
	char n[LOG_TEXT_LEN(CC_NUMLEN)];

	if (!num || !num[0])
		return "none";
	(void)re_snprintf(buf, size, "%s (%s)",
			  log_number(n, sizeof(n), num, priv),
			  tdm_ton_name(plan));
	return buf;
}

/* Q.931 §4.5.10 octet 3a: presentation restricted */
static bool pres_restricted(int pres)
{
	return pres >= 0 && ((pres >> 5) & 0x3) == CC_PRES_RESTRICTED;
}

void tdm_log_setup_in(const struct tdm_leg *leg, const pri_event_ring *r)
{
	char called[PARTY_STR_LEN], calling[PARTY_STR_LEN];

	if (!log_enabled(LOG_LVL_INFO))
		return;
	tdm_leg_log(leg, LOG_LVL_INFO, "SETUP received: called %s, calling "
		    "%s, channel %d %s%s",
		    party_str(called, sizeof(called), r->callednum,
			      r->calledplan, false),
		    party_str(calling, sizeof(calling), r->callingnum,
			      r->callingplan, pres_restricted(r->callingpres)),
		    leg->chan, r->flexible ? "preferred" : "exclusive",
		    r->complete ? ", sending complete" : "");
}

void tdm_log_setup_out(const struct tdm_leg *leg)
{
	const struct cc_msg *s = &leg->setup;
	char called[PARTY_STR_LEN], calling[PARTY_STR_LEN];

	if (!log_enabled(LOG_LVL_INFO))
		return;
	tdm_leg_log(leg, LOG_LVL_INFO, "SETUP sent: called %s, calling %s, "
		    "channel %d %s%s",
		    party_str(called, sizeof(called), s->called.number,
			      tdm_party_plan(&s->called), false),
		    party_str(calling, sizeof(calling), s->calling.number,
			      tdm_party_plan(&s->calling),
			      s->calling.pres == CC_PRES_RESTRICTED ||
			      s->hide_calling),
		    leg->chan, leg->span->prm.exclusive ? "exclusive" :
		    "preferred", s->sending_complete ? ", sending complete" :
		    ", overlap sending");
}

/* Q.931 §4.5.23 progress descriptions, as libpri's mask holds them */
static const char *pi_str(int mask)
{
	if (mask & PRI_PROG_INBAND_AVAILABLE)
		return ", PI 8 (in-band information)";
	if (mask & PRI_PROG_CALL_NOT_E2E_ISDN)
		return ", PI 1 (not end-to-end ISDN)";
	return "";
}

/* A message the leg received (the clearing ones: tdm_log_hangup) */
void tdm_log_event(const struct tdm_leg *leg, const pri_event *e)
{
	char d[LOG_TEXT_LEN(sizeof(e->ring.callednum))];

	switch (e->e) {
	case PRI_EVENT_SETUP_ACK:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "SETUP ACKNOWLEDGE "
			    "received%s%s", leg->ovl_digits[0] ?
			    ": sending digits " : "",
			    log_text(d, sizeof(d), leg->ovl_digits, LOG_NUL));
		break;
	case PRI_EVENT_PROCEEDING:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "CALL PROCEEDING received%s",
			    pi_str(e->proceeding.progressmask));
		break;
	case PRI_EVENT_PROGRESS:
		if (e->proceeding.cause > 0)
			tdm_leg_log(leg, LOG_LVL_INFO, "PROGRESS received, "
				    "cause %d (%s)%s", e->proceeding.cause,
				    pri_cause2str(e->proceeding.cause),
				    pi_str(e->proceeding.progressmask));
		else
			tdm_leg_log(leg, LOG_LVL_DEBUG, "PROGRESS received%s",
				    pi_str(e->proceeding.progressmask));
		break;
	case PRI_EVENT_RINGING:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "ALERTING received%s",
			    pi_str(e->ringing.progressmask));
		break;
	case PRI_EVENT_ANSWER:
		tdm_leg_log(leg, LOG_LVL_INFO, "CONNECT received");
		break;
	case PRI_EVENT_INFO_RECEIVED:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "INFORMATION received: "
			    "digits %s%s", log_text(d, sizeof(d),
			    e->ring.callednum, LOG_NUL),
			    e->ring.complete ? ", sending complete" : "");
		break;
	case PRI_EVENT_KEYPAD_DIGIT:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "INFORMATION received: keypad "
			    "%s", log_text(d, sizeof(d), e->digit.digits,
					   LOG_NUL));
		break;
	case PRI_EVENT_NOTIFY:
		tdm_leg_log(leg, LOG_LVL_DEBUG, "NOTIFY received, "
			    "description 0x%02x", e->notify.info);
		break;
	}
}

/*
 * libpri reports a DISCONNECT as HANGUP_REQ, a RELEASE or RELEASE
 * COMPLETE as HANGUP, and the end of a clearing we began as HANGUP_ACK.
 * The far end's clearing is a milestone; the answers to ours are detail.
 */
void tdm_log_hangup(const struct tdm_leg *leg, const pri_event *e)
{
	int cause = e->hangup.cause;
	const char *what = e->e == PRI_EVENT_HANGUP_REQ ? "DISCONNECT" :
		e->e == PRI_EVENT_HANGUP ? "RELEASE/RELEASE COMPLETE" : NULL;

	if (!what)
		tdm_leg_log(leg, LOG_LVL_DEBUG, "clearing complete, cause %d "
			    "(%s)", cause, pri_cause2str(cause));
	else
		tdm_leg_log(leg, leg->hanging ? LOG_LVL_DEBUG : LOG_LVL_INFO,
			    "%s received, cause %d (%s)", what, cause,
			    pri_cause2str(cause));
}

/*
 * One line of libpri's (tdm/pri/link.c joins its pieces): its messages
 * at debug level, its errors at warn.  libpri's hooks are process-wide;
 * the link names the span.
 */
static void libpri_line(struct prilink *l, bool error, const char *line)
{
	enum log_level level = error ? LOG_LVL_WARN : LOG_LVL_DEBUG;
	const struct dahdi_chaninfo *info = prilink_info(l);

	char safe[LINE_MAX_LEN];

	if (!log_enabled(level))
		return;
	/* its decodes quote the IEs' octets: made safe (common/log.h) */
	log_text(safe, sizeof(safe), line, LOG_NUL);
	if (info)
		log_msg(level, "pri(%d): libpri: %s", info->spanno, safe);
	else
		log_msg(level, "pri: libpri: %s", safe);
}

/* libpri's messages and errors into the daemon's log */
void tdm_log_libpri(void)
{
	prilink_set_log(libpri_line);
}
