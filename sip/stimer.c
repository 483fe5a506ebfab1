/*
 * sip/stimer.c: session timers (RFC 4028), our own: libre has none.
 *
 * Negotiation, on every INVITE, re-INVITE and UPDATE:
 *   as UAS  Session-Expires below our Min-SE gets 422 with Min-SE when the
 *           UAC supports "timer" (else it is raised, §9); the refresher is
 *           the one asked for, else the UAC if it supports "timer", else
 *           us (§9); the 2xx carries Session-Expires;refresher= and, for a
 *           UAC that supports "timer", Require: timer.
 *   as UAC  Supported: timer, Session-Expires and Min-SE; a 422 is retried
 *           once with its larger Min-SE (§7.4); the 2xx names the
 *           refresher, and one without Session-Expires means no timer
 *           (§7.2).
 * Running: the refresher refreshes at half the interval (§10), with UPDATE
 * when the peer allows it, else re-INVITE; the other side ends the session
 * at SE - min(32 s, SE/3) without a refresh (§10): BYE with Reason
 * Q.850;cause=102 and DISCONNECT cause 102 to the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <string.h>
#include "sip/sip_int.h"

enum { CAUSE_TIMER_EXPIRY = 102 };   /* Q.850: recovery on timer expiry */

/*
 * RFC 4028 §4: Session-Expires = delta-seconds *(SEMI se-params),
 * se-params = refresher-param / generic-param; Min-SE = delta-seconds
 * *(SEMI generic-param).  ref may be NULL (Min-SE).
 */
int sipst_parse(const struct pl *val, uint32_t *se,
		enum sipst_refresher *ref)
{
	struct pl rest, r;
	uint64_t v = 0;
	size_t i;

	if (!val || !se)
		return EINVAL;
	for (i = 0; i < val->l && isdigit((unsigned char)val->p[i]); i++) {
		v = v * 10 + (uint64_t)(val->p[i] - '0');
		if (v > 0xffffffffULL)
			return EBADMSG;
	}
	if (!i || !v)
		return EBADMSG;
	rest.p = val->p + i;
	rest.l = val->l - i;
	while (rest.l && (rest.p[0] == ' ' || rest.p[0] == '\t'))
		pl_advance(&rest, 1);
	if (rest.l && rest.p[0] != ';')
		return EBADMSG;
	*se = (uint32_t)v;
	if (!ref)
		return 0;
	*ref = SIPST_REF_NONE;
	if (msg_param_decode(&rest, "refresher", &r))
		return 0;
	if (!pl_strcasecmp(&r, "uac"))
		*ref = SIPST_REF_UAC;
	else if (!pl_strcasecmp(&r, "uas"))
		*ref = SIPST_REF_UAS;
	else
		return EBADMSG;
	return 0;
}

/* what the peer's message says it can do: "timer" (RFC 4028 §7.1, §9)
 * and, when it has an Allow, UPDATE (RFC 3311 §5.1) */
void sipst_peer_caps(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;

	if (sip_msg_hdr_has_value(msg, SIP_HDR_SUPPORTED, "timer") ||
	    sip_msg_hdr_has_value(msg, SIP_HDR_REQUIRE, "timer"))
		m->peer_timer = true;
	if (sip_msg_hdr(msg, SIP_HDR_ALLOW))
		m->peer_update = sip_msg_hdr_has_value(msg, SIP_HDR_ALLOW,
						       "UPDATE");
}

/* the interval this leg asks for and allows (0: no timers), from its
 * trunk or sipua_conf */
static uint32_t conf_se(const struct sipleg *leg)
{
	return leg->mod.conf_set ? leg->mod.conf_se :
		leg->ua->conf.session_expires;
}

static uint32_t conf_min_se(const struct sipleg *leg)
{
	uint32_t v = leg->mod.conf_set ? leg->mod.conf_min_se :
		leg->ua->conf.min_se;

	return v ? v : SIPST_MIN_SE_DEFAULT;
}

/* the largest Min-SE a peer may ask of us: a longer interval would
 * leave a dead call undetected for that long */
static uint32_t max_min_se(const struct sipleg *leg)
{
	uint32_t v = leg->ua->conf.max_min_se;

	return v ? v : SIPST_MAX_MIN_SE_DEFAULT;
}

/* a trunk's values for this leg; st or a field below 0: sipua_conf's */
void sipst_conf(struct sipleg *leg, const struct sipleg_stimer *st)
{
	struct sipmod *m = &leg->mod;

	if (!st || (st->session_expires < 0 && st->min_se < 0))
		return;
	m->conf_se = st->session_expires >= 0 ?
		(uint32_t)st->session_expires : leg->ua->conf.session_expires;
	m->conf_min_se = st->min_se > 0 ? (uint32_t)st->min_se :
		leg->ua->conf.min_se;
	m->conf_set = true;
}

/*
 * An INVITE, re-INVITE or UPDATE received (we are its UAS): negotiate the
 * interval and the refresher.  0, or the status to refuse it with: 422
 * (interval too small, RFC 4028 §9), 400 (malformed header) or 403 (a
 * Min-SE above max_min_se, sipri's bound).
 */
int sipst_request(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;
	const struct sip_hdr *hse, *hmin;
	enum sipst_refresher ref = SIPST_REF_NONE;
	uint32_t se = 0, min = 0, ours = conf_min_se(leg), cse = conf_se(leg);

	sipst_peer_caps(leg, msg);
	if (!cse)
		return 0;   /* we do not support "timer": ignore it (§9) */
	hmin = sip_msg_hdr(msg, SIP_HDR_MIN_SE);
	if (hmin && sipst_parse(&hmin->val, &min, NULL))
		return 400;
	hse = sip_msg_hdr(msg, SIP_HDR_SESSION_EXPIRES);
	if (hse && sipst_parse(&hse->val, &se, &ref))
		return 400;
	if (min > max_min_se(leg))
		return 403;
	m->min_se = min > ours ? min : ours;
	if (!hse) {
		/* §9: none asked; we may ask when the UAC supports it, and
		 * a running timer stays as it is */
		if (m->role != SIPST_NONE)
			return 0;
		if (!m->peer_timer) {
			m->se = 0;
			m->role = SIPST_NONE;
			return 0;
		}
		se = cse;
	}
	else if (se < ours) {
		/* §9: too small: 422, or raise it for a UAC without timer */
		if (m->peer_timer)
			return 422;
		se = ours;
	}
	else if (se > cse && cse >= m->min_se) {
		se = cse;   /* §9: the UAS may reduce it */
	}
	if (se < m->min_se)
		se = m->min_se;
	m->se = se;
	/* §9: as asked; else the UAC if it supports timer, else us */
	if (ref == SIPST_REF_NONE)
		ref = m->peer_timer ? SIPST_REF_UAC : SIPST_REF_UAS;
	m->role = ref == SIPST_REF_UAS ? SIPST_US : SIPST_PEER;
	return 0;
}

/* refuse a request with sipst_request()'s status: RFC 4028 §6's 422
 * Session Interval Too Small carries our Min-SE */
int sipst_refuse(struct sipleg *leg, const struct sip_msg *msg, int status,
		 struct sip_strans **stp)
{
	struct sip *sip = leg->ua->sip;

	if (status == 403) {
		sipleg_log(leg, LOG_LVL_INFO, "Min-SE above max_min_se %u: "
			   "403", max_min_se(leg));
		return sip_treply(stp, sip, msg, 403, "Min-SE Too Large");
	}
	if (status != 422)
		return sip_treply(stp, sip, msg, 400, "Bad Request");
	sipleg_log(leg, LOG_LVL_INFO, "Session-Expires below Min-SE %u: 422",
		   conf_min_se(leg));
	return sip_treplyf(stp, NULL, sip, msg, false, 422,
			   "Session Interval Too Small",
			   "Min-SE: %u\r\n"
			   "Content-Length: 0\r\n\r\n", conf_min_se(leg));
}

bool sipst_on(const struct sipleg *leg)
{
	return conf_se(leg) != 0;
}

/* headers of our 2xx to an INVITE, re-INVITE or UPDATE (RFC 4028 §9):
 * Supported (siphdr_leg_supported), then the session timer's */
int sipst_resp_hdrs(struct re_printf *pf, void *arg)
{
	const struct sipleg *leg = arg;
	const struct sipmod *m = &leg->mod;
	int err;

	err = siphdr_leg_supported(pf, arg);
	if (!conf_se(leg))
		return err;
	if (!m->se || m->role == SIPST_NONE)
		return err;
	err |= re_hprintf(pf, "Session-Expires: %u;refresher=%s\r\n", m->se,
			  m->role == SIPST_US ? "uas" : "uac");
	if (m->peer_timer)
		err |= re_hprintf(pf, "Require: timer\r\n");
	return err;
}

/* headers of our INVITE, re-INVITE or UPDATE (RFC 4028 §7.1, §7.4):
 * Supported (siphdr_leg_supported), then the session timer's */
int sipst_req_hdrs(struct re_printf *pf, void *arg)
{
	const struct sipleg *leg = arg;
	const struct sipmod *m = &leg->mod;
	uint32_t min = m->min_se ? m->min_se : conf_min_se(leg);
	int err;

	err = siphdr_leg_supported(pf, arg);
	if (!conf_se(leg))
		return err;
	err |= re_hprintf(pf, "Session-Expires: %u%s\r\n"
			 "Min-SE: %u\r\n",
			 m->se ? m->se : conf_se(leg),
			 m->role == SIPST_US ? ";refresher=uac" :
			 m->role == SIPST_PEER ? ";refresher=uas" : "", min);
	return err;
}

/* a 2xx to our INVITE, re-INVITE or UPDATE (RFC 4028 §7.2) */
void sipst_response(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;
	enum sipst_refresher ref = SIPST_REF_NONE;
	const struct sip_hdr *hdr;
	uint32_t se;

	sipst_peer_caps(leg, msg);
	if (!conf_se(leg))
		return;
	hdr = sip_msg_hdr(msg, SIP_HDR_SESSION_EXPIRES);
	if (!hdr || sipst_parse(&hdr->val, &se, &ref)) {
		m->se = 0;   /* §7.2: no Session-Expires, no expiration */
		m->role = SIPST_NONE;
		return;
	}
	m->se = se;
	m->role = ref == SIPST_REF_UAS ? SIPST_PEER : SIPST_US;
}

/* RFC 4028 §7.4: a 422 to our request: retry with its Min-SE, once */
bool sipst_retry_422(struct sipleg *leg, const struct sip_msg *msg)
{
	struct sipmod *m = &leg->mod;
	const struct sip_hdr *hdr;
	uint32_t min, cur;

	if (msg->scode != 422 || !conf_se(leg))
		return false;
	hdr = sip_msg_hdr(msg, SIP_HDR_MIN_SE);
	if (!hdr || sipst_parse(&hdr->val, &min, NULL))
		return false;
	if (m->min_se >= min)
		return false;   /* already tried with it: give up */
	if (min > max_min_se(leg)) {
		sipleg_log(leg, LOG_LVL_INFO, "422 asks Min-SE %u, above "
			   "max_min_se %u: not retried", min, max_min_se(leg));
		return false;
	}
	cur = m->se ? m->se : conf_se(leg);
	m->min_se = min;
	m->se = cur > min ? cur : min;
	sipleg_log(leg, LOG_LVL_INFO, "422: again with Session-Expires %u",
		   m->se);
	return true;
}

/* §10: no refresh in time: BYE and cause 102 to the core */
static void expire_handler(void *arg)
{
	struct sipleg *leg = arg;

	if (leg->state != LEG_CONFIRMED)
		return;
	sipleg_log(leg, LOG_LVL_WARN, "session expired (Session-Expires %u, "
		   "RFC 4028 §10)", leg->mod.se);
	sipleg_disconnect(leg, CAUSE_TIMER_EXPIRY, CC_LOC_PRIV_LOCAL);
	(void)sipleg_bye(leg, CAUSE_TIMER_EXPIRY);
}

static void refresh_handler(void *arg)
{
	struct sipleg *leg = arg;
	struct sipmod *m = &leg->mod;
	int err;

	if (leg->state != LEG_CONFIRMED)
		return;
	err = sipmod_refresh(leg);
	if (err)
		sipleg_log(leg, LOG_LVL_WARN, "session refresh: %m", err);
	/* the session still ends at SE unless the refresh succeeds */
	timer_start(&m->tmr_se, m->se * 1000 / 2, expire_handler, leg);
}

/* (re)start the timer after a successful (re)negotiation (§10) */
void sipst_start(struct sipleg *leg)
{
	struct sipmod *m = &leg->mod;
	uint64_t ms;

	timer_cancel(&m->tmr_se);
	if (m->role == SIPST_NONE || !m->se || leg->state != LEG_CONFIRMED)
		return;
	ms = (uint64_t)m->se * 1000;
	if (m->role == SIPST_US) {
		timer_start(&m->tmr_se, ms / 2, refresh_handler, leg);
	}
	else {
		uint64_t margin = ms / 3 < 32000 ? ms / 3 : 32000;

		timer_start(&m->tmr_se, ms - margin, expire_handler, leg);
	}
	sipleg_log(leg, LOG_LVL_DEBUG, "session timer %u s, refresher %s",
		   m->se, m->role == SIPST_US ? "us" : "peer");
}
