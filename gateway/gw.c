/*
 * The gateway: spans and SIP stack from the configuration, and a call for
 * every SETUP or INVITE, routed by the configured rules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <libpri.h>
#include "common/sipuser.h"
#include "gateway/route/cause.h"
#include "gateway/gw.h"
#include "gateway/route/number.h"
#include "gateway/route/route.h"
#include "gateway/cdr.h"
#include "gateway/ctl.h"
#include "gateway/metrics.h"
#include "gateway/originate.h"
#include "gateway/trace.h"
#include "gateway/mplane/mplane.h"
#include "gateway/trunk.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

enum { STOP_GRACE_MS = 5000 };

/* ---- calls ---------------------------------------------------------- */

static void gc_destructor(void *data)
{
	struct gw_call *gc = data;

	list_unlink(&gc->le);
	timer_cancel(&gc->inband_tmr);
	progress_stop(gc);
	gw_acct_sip(gc);
	acct_end(&gc->acct);
	cdr_write(gc->gw->cdr, &gc->acct);
	metrics_call(gc->gw->metrics, &gc->acct, false);
	gc->ms = mem_deref(gc->ms);   /* closes a B-channel it still has */
	gc->call = mem_deref(gc->call);
	gc->causes = mem_deref(gc->causes);
}

/* The call is over: it goes once its stream has ended (the media
 * counters of its record come from there), without waiting for it */
static void call_done(struct call *call, void *arg)
{
	struct gw_call *gc = arg;
	struct gw *gw = gc->gw;

	(void)call;
	timer_cancel(&gc->inband_tmr);
	progress_stop(gc);
	list_unlink(&gc->le);
	list_append(&gw->ending, &gc->le, gc);
	if (mplane_end(gc->ms))
		gw_call_closed(gc);
}

void gw_call_closed(struct gw_call *gc)
{
	struct gw *gw = gc->gw;

	list_unlink(&gc->le);
	mem_deref(gc);
	/* both counts walk lists: only when the line is logged */
	if (log_enabled(LOG_LVL_INFO))
		log_info("calls live=%u busy_channels=%u", gw_live_calls(gw),
			 gw_busy_channels(gw));
	if (gw->stopping && !gw_live_calls(gw))
		re_cancel();
}

/* the SIP trunk of a call: its progress-indicator policy, cause
 * overrides, DTMF method and session timer */
static void call_trunk(struct gw_call *gc, const struct conf_trunk *tr)
{
	gw_call_policy(gc, tr);
	if (!tr)
		return;
	str_ncpy(gc->acct.trunk, tr->name, sizeof(gc->acct.trunk));
	mem_deref(gc->causes);
	gc->causes = mem_ref(tr->causes);
	gc->dtmf_mode = (enum conf_dtmf)tr->dtmf;
	gc->dtmf_info = (enum conf_dtmf_info)tr->dtmf_info;
	gc->session_expires = tr->session_expires;
	gc->min_se = tr->min_se;
}

int gw_call_alloc(struct gw_call **gcp, struct gw *gw, enum call_side tdm)
{
	struct gw_call *gc = mem_zalloc(sizeof(*gc), gc_destructor);
	int err;

	if (!gc)
		return ENOMEM;
	gc->gw = gw;
	gc->tdm_side = tdm;
	gc->dtmf_mode = gw->conf->gen.dtmf;
	gc->dtmf_info = gw->conf->gen.dtmf_info;
	gc->session_expires = -1;   /* the trunk's, else [general]'s */
	gc->min_se = -1;
	timer_init(&gc->t306);
	acct_start(&gc->acct, ++gw->next_id, tdm == SIDE_A ?
		   ACCT_PRI_TO_SIP : ACCT_SIP_TO_PRI);
	rtpstat_init(&gc->rtpstat);
	err = call_alloc(&gc->call, gw->next_id, call_done, gc);
	if (err) {
		mem_deref(gc);
		return err;
	}
	call_set_max_duration(gc->call, gw->conf->gen.max_call_duration * 1000);
	call_attach(gc->call, tdm, &gw_tdm_ops, gc);
	call_attach(gc->call, !tdm, &gw_sip_ops, gc);
	list_append(&gw->calls, &gc->le, gc);   /* the list's reference */
	*gcp = gc;
	return 0;
}

/* calls up, and those whose stream is still ending */
unsigned gw_live_calls(const struct gw *gw)
{
	return list_count(&gw->calls) + list_count(&gw->ending);
}

struct gw_span *gw_span_find(const struct gw *gw, unsigned num)
{
	struct le *le;

	LIST_FOREACH(&gw->spans, le) {
		struct gw_span *s = le->data;

		if (s->num == num)
			return s;
	}
	return NULL;
}

unsigned gw_busy_channels(const struct gw *gw)
{
	unsigned n = 0;

	for (struct le *le = list_head(&gw->spans); le; le = le->next)
		n += tdm_span_busy(((struct gw_span *)le->data)->span);
	return n;
}

static bool over_limit(const struct gw *gw)
{
	/* a call whose stream is ending holds nothing of the limit's */
	return gw->stopping || (gw->conf->gen.max_calls &&
				list_count(&gw->calls) >=
				gw->conf->gen.max_calls);
}

/* the call's numbers, as they came and as they go on */
static void acct_numbers(struct acct *a, const struct cc_msg *in,
			 const struct cc_msg *out)
{
	bool sip = a->dir == ACCT_SIP_TO_PRI;

	acct_raw(a->calling_raw, sizeof(a->calling_raw), &in->calling, sip);
	acct_raw(a->called_raw, sizeof(a->called_raw), &in->called, sip);
	acct_raw(a->calling, sizeof(a->calling), &out->calling, !sip);
	acct_raw(a->called, sizeof(a->called), &out->called, !sip);
}

/* ---- PRI -> SIP ----------------------------------------------------- */

/* a call attempt refused before it became a call: its record has the
 * numbers as they came and the cause; sipri refused it */
static void acct_refused(struct gw *gw, struct acct *a, enum acct_dir dir,
			 const struct cc_msg *setup, int cause)
{
	bool sip = dir == ACCT_SIP_TO_PRI;

	acct_start(a, ++gw->next_id, dir);
	acct_raw(a->calling_raw, sizeof(a->calling_raw), &setup->calling, sip);
	acct_raw(a->called_raw, sizeof(a->called_raw), &setup->called, sip);
	a->cause = cause;
	a->location = CC_LOC_PRIV_LOCAL;
	a->released_by = ACCT_BY_GATEWAY;
}

static void reject_tdm(struct gw *gw, struct tdm_leg *leg,
		       const struct cc_msg *setup, int cause)
{
	struct cc_msg disc;
	struct acct a;

	cc_msg_init(&disc, CC_DISCONNECT);
	disc.cause = cause;
	tdm_leg_send(leg, &disc);
	acct_refused(gw, &a, ACCT_PRI_TO_SIP, setup, cause);
	a.span = tdm_leg_spanno(leg);
	a.channel = tdm_leg_chan(leg);
	acct_end(&a);
	cdr_write(gw->cdr, &a);
	metrics_call(gw->metrics, &a, true);
	tdm_leg_detach(leg);
}

/*
 * A number that does not fit its other form (a 31-digit national number
 * with the country code before it): Q.850 cause 28, invalid number
 * format (SIP 484, RFC 3398 §7.2.4.1), never a truncated number.
 */
static int number_refused(const char *dir, const char *which,
			  const char *number, bool priv, int err)
{
	char num[LOG_TEXT_LEN(CC_NUMLEN * 2)];

	log_warnx("%s call: %s number '%s' does not convert (%s): refused, "
		  "cause 28", dir, which, log_number(num, sizeof(num), number,
						      priv), strerror(err));
	return 28;
}

/* a calling or redirecting number is private with presentation
 * restricted (Q.931 §4.5.10, RFC 3323) */
static int party_refused(const char *dir, const char *which,
			 const struct cc_party *p, int err)
{
	return number_refused(dir, which, p->number,
			      p->pres == CC_PRES_RESTRICTED, err);
}

/* a number or SIP user for a log line, made safe (common/log.h) */
static const char *safe(char *buf, size_t size, const char *s)
{
	return log_text(buf, size, s, LOG_NUL);
}

/* PRI -> SIP: the numbers of the INVITE, in their SIP form (the
 * called one as the route rewrote it); 0 or the cause to refuse with */
static int tdm_numbers(const struct numbering *num,
		       const struct cc_msg *setup, struct cc_msg *out,
		       const struct route_result *rr)
{
	int err;

	out->called = rr->called;
	err = number_to_sip(num, &setup->calling, &out->calling);
	if (err)
		return party_refused("PRI", "calling", &setup->calling, err);
	err = number_to_sip(num, &setup->redirecting, &out->redirecting);
	if (err)
		return party_refused("PRI", "redirecting",
				     &setup->redirecting, err);
	return 0;
}

/* the called number as routes see it (sipri.conf(5)): its SIP form's
 * text; 0 or the cause to refuse the call with */
static int tdm_route_view(const struct gw *gw, const struct cc_party *called,
			  char *user, size_t size)
{
	struct cc_party sip;
	int err;

	err = number_to_sip(&gw->conf->num, called, &sip);
	if (!err)
		err = sipuser_text(user, size, &sip);
	return err ? party_refused("PRI", "called", called, err) : 0;
}

/*
 * No route took the number: Q.850 28, invalid number format (address
 * incomplete), when it is too long for the route's rewrite or URI
 * (EOVERFLOW) or too short for any route; else 3, no route to
 * destination.
 */
static int route_cause(const struct gw *gw, enum route_dir dir,
		       const char *number, int err)
{
	if (err == EOVERFLOW)
		return number_refused(dir == ROUTE_PRI_TO_SIP ? "PRI" : "SIP",
				      "called", number, false, err);
	return route_number_short(&gw->conf->routel, dir, number) ? 28 : 3;
}

/* route PRI -> SIP; 0 or the cause to refuse the call with */
static int tdm_route(struct gw *gw, const char *user,
		     struct route_result *rr)
{
	int err = route_select(&gw->conf->routel, ROUTE_PRI_TO_SIP, user,
			       trunks_up, gw->trunks, rr);
	char luser[LOG_TEXT_LEN(CC_NUMLEN + 1)];

	switch (err) {
	case 0:
		return 0;
	case EHOSTDOWN:
		log_warnx("PRI call for %s: every trunk of route %s is down",
			  safe(luser, sizeof(luser), user), rr->name);
		return 38;   /* Q.850: network out of order */
	default:
		return route_cause(gw, ROUTE_PRI_TO_SIP, user, err);
	}
}

static void tdm_setup(struct tdm_leg *leg, const struct cc_msg *setup,
		      void *arg)
{
	struct gw *gw = arg;
	struct route_result rr;
	struct cc_msg out = *setup;
	char user[CC_NUMLEN + 1], luser[LOG_TEXT_LEN(CC_NUMLEN)];
	struct gw_call *gc;
	int cause;

	if (over_limit(gw)) {
		reject_tdm(gw, leg, setup, 34);   /* no circuit/channel */
		return;
	}
	cause = tdm_route_view(gw, &setup->called, user, sizeof(user));
	if (!cause)
		cause = tdm_route(gw, user, &rr);
	if (!cause)
		cause = tdm_numbers(rr.trunk ? &rr.trunk->num : &gw->conf->num,
				    setup, &out, &rr);
	if (cause) {
		reject_tdm(gw, leg, setup, cause);
		return;
	}
	if (gw_call_alloc(&gc, gw, SIDE_A)) {
		reject_tdm(gw, leg, setup, 47);   /* resource unavailable */
		return;
	}
	str_ncpy(gc->uri, rr.uri, sizeof(gc->uri));
	call_trunk(gc, rr.trunk);
	acct_numbers(&gc->acct, setup, &out);
	gw_tdm_attach(gc, leg);
	gw_acct_tdm(gc);
	call_log(gc->call, LOG_LVL_INFO, "PRI call for %s via route %s to %s",
		 safe(luser, sizeof(luser), setup->called.number), rr.name,
		 gc->uri);
	call_input(gc->call, SIDE_A, &out);
}

/* ---- SIP -> PRI ----------------------------------------------------- */

static void reject_sip(struct gw *gw, struct sipleg *leg,
		       const struct cc_msg *setup, const char *ruri_user,
		       const struct conf_trunk *tr, int cause)
{
	struct cc_msg disc;
	struct acct a;

	cc_msg_init(&disc, CC_DISCONNECT);
	disc.cause = cause;
	disc.location = CC_LOC_PRIV_LOCAL;
	sipleg_send(leg, &disc);
	acct_refused(gw, &a, ACCT_SIP_TO_PRI, setup, cause);
	str_ncpy(a.called_raw, ruri_user, sizeof(a.called_raw));
	a.sip_status = sipleg_status(leg);
	str_ncpy(a.sip_call_id, sipleg_callid(leg), sizeof(a.sip_call_id));
	if (tr)
		str_ncpy(a.trunk, tr->name, sizeof(a.trunk));
	acct_end(&a);
	cdr_write(gw->cdr, &a);
	metrics_call(gw->metrics, &a, true);
	sipleg_set_handlers(leg, NULL, NULL, NULL);
}

/* the trunk a SIP peer index names (sip_conf builds them in file order) */
static const struct conf_trunk *trunk_at(const struct conf *conf, int idx)
{
	struct le *le;

	for (le = list_head(&conf->trunkl); le && idx >= 0; le = le->next)
		if (!idx--)
			return le->data;
	return NULL;
}

/* SIP -> PRI: the numbers of the SETUP, from their SIP form; 0 or the
 * cause to refuse the call with */
static int sip_numbers(const struct numbering *num,
		       const struct cc_msg *setup, struct cc_msg *out,
		       const struct route_result *rr)
{
	struct cc_party called;
	int err;

	err = sipuser_party(&called, rr->number);
	if (!err)
		err = number_from_sip(num, &called, &out->called);
	if (err)
		return number_refused("SIP", "called", rr->number, false, err);
	err = number_from_sip(num, &setup->calling, &out->calling);
	if (err)
		return number_refused("SIP", "calling", setup->calling.number,
				      setup->hide_calling, err);
	out->calling.pres = setup->calling.pres;
	err = number_from_sip(num, &setup->redirecting, &out->redirecting);
	if (err)
		return party_refused("SIP", "redirecting",
				     &setup->redirecting, err);
	return 0;
}

static void sip_invite(struct sipleg *leg, const struct cc_msg *setup,
		       const char *ruri_user, void *arg)
{
	struct gw *gw = arg;
	const struct conf_trunk *tr = trunk_at(gw->conf, sipleg_peer(leg));
	const struct numbering *num = tr ? &tr->num : &gw->conf->num;
	struct route_result rr;
	struct cc_msg out = *setup;
	char luser[LOG_TEXT_LEN(CC_NUMLEN * 2)];
	struct gw_call *gc;
	int cause, err;

	if (tr)   /* its overrides apply from the first response on */
		sipleg_set_causes_arg(leg, tr->causes);
	if (over_limit(gw)) {
		reject_sip(gw, leg, setup, ruri_user, tr, 34);
		return;
	}
	err = route_lookup(&gw->conf->routel, ROUTE_SIP_TO_PRI, ruri_user,
			   &rr);
	if (err || !rr.group) {
		reject_sip(gw, leg, setup, ruri_user, tr,
			   route_cause(gw, ROUTE_SIP_TO_PRI, ruri_user, err));
		return;
	}
	if (rr.trunk)   /* the route names the trunk (sipri.conf(5)) */
		sipleg_set_causes_arg(leg, rr.trunk->causes);
	cause = sip_numbers(num, setup, &out, &rr);
	if (cause) {
		reject_sip(gw, leg, setup, ruri_user, tr, cause);
		return;
	}
	if (gw_call_alloc(&gc, gw, SIDE_B)) {
		reject_sip(gw, leg, setup, ruri_user, tr, 47);
		return;
	}
	str_ncpy(gc->group, rr.group, sizeof(gc->group));
	/* the trunk the route names, else the one the INVITE came from */
	call_trunk(gc, rr.trunk ? rr.trunk : tr);
	acct_numbers(&gc->acct, setup, &out);
	str_ncpy(gc->acct.called_raw, ruri_user, sizeof(gc->acct.called_raw));
	gw_sip_attach(gc, leg);
	gw_acct_sip(gc);
	call_log(gc->call, LOG_LVL_INFO, "SIP call for %s via route %s to "
		 "group %s", safe(luser, sizeof(luser), ruri_user), rr.name,
		 gc->group);
	if (rr.overlap)
		gw_overlap_setup(gc, &out, rr.overlap_digits);
	else
		call_input(gc->call, SIDE_A, &out);
}

/* ---- set-up --------------------------------------------------------- */

/*
 * Whether a new SIP call could be taken at all, before sip/flood.c lets
 * the INVITE become a leg: some span up with a free B-channel, and
 * max_calls not reached; else the cause of its 503.
 */
static int sip_admit(void *arg)
{
	const struct gw *gw = arg;
	bool up = false;

	if (over_limit(gw))
		return 34;   /* no circuit/channel available */
	for (struct le *le = list_head(&gw->spans); le; le = le->next) {
		const struct tdm_span *span = ((struct gw_span *)le->data)->span;

		if (tdm_span_up(span) && tdm_span_free(span))
			return 0;
		up = up || tdm_span_up(span);
	}
	return up ? 34 : 38;   /* 38: network out of order */
}

/* OPTIONS gets 503 while no call could be taken (sip/options.c), so a
 * proxy that probes with it routes around us: no span up, no free
 * B-channel, max_calls reached */
static bool pri_available(void *arg)
{
	return sip_admit(arg) == 0;
}

static void span_state(struct tdm_span *span, bool up, void *arg)
{
	(void)arg;
	log_info("span %d %s", tdm_span_no(span), up ? "up" : "down");
}

static int switch_type(enum conf_switch sw)
{
	static const int types[] = {
		[CONF_SW_EUROISDN] = PRI_SWITCH_EUROISDN_E1,
		[CONF_SW_NATIONAL] = PRI_SWITCH_NI2,
		[CONF_SW_NI1]      = PRI_SWITCH_NI1,
		[CONF_SW_DMS100]   = PRI_SWITCH_DMS100,
		[CONF_SW_4ESS]     = PRI_SWITCH_ATT4ESS,
		[CONF_SW_5ESS]     = PRI_SWITCH_LUCENT5E,
		[CONF_SW_QSIG]     = PRI_SWITCH_QSIG,
	};

	return types[sw];
}

static enum tdm_pri_debug pri_debug_of(enum conf_pri_debug d)
{
	return d == CONF_PRI_DEBUG_Q931 ? TDM_PRI_DEBUG_Q931 :
		d == CONF_PRI_DEBUG_Q921 ? TDM_PRI_DEBUG_Q921 :
		d == CONF_PRI_DEBUG_ALL ? TDM_PRI_DEBUG_ALL :
		TDM_PRI_DEBUG_NONE;
}

static void span_destructor(void *data)
{
	struct gw_span *s = data;

	list_unlink(&s->le);
	s->span = mem_deref(s->span);
}

/* a B-channel the media plane closed (MPLANE_EV_TDM_CLOSED) */
static void plane_event(const struct mplane_msg *ev, void *arg)
{
	struct gw_span *s = gw_span_find(arg, (unsigned)ev->u.tdm.span);

	if (ev->op == MPLANE_EV_TDM_CLOSED && s)
		tdm_span_chan_closed(s->span, ev->u.tdm.ts);
}

/* a B-channel to open whose close the media plane has not made yet */
static void chan_wait(void *arg)
{
	struct gw *gw = arg;

	(void)mplane_sync_all(gw->mp);
}

static int span_add(struct gw *gw, const struct conf_span *cs)
{
	struct tdm_span_prm prm = {0};
	struct gw_span *s = mem_zalloc(sizeof(*s), span_destructor);
	int err;

	if (!s)
		return ENOMEM;
	prm.spanno = cs->num;
	prm.dchan = cs->dchan;
	prm.node = cs->node == CONF_NODE_NETWORK ? PRI_NETWORK : PRI_CPE;
	prm.switchtype = switch_type(cs->switchtype);
	prm.overlap = cs->overlap;
	prm.hunt = cs->hunting == CONF_HUNT_DESCENDING ? TDM_HUNT_DESC :
		cs->hunting == CONF_HUNT_ROUNDROBIN ? TDM_HUNT_RR :
		TDM_HUNT_ASC;
	prm.exclusive = cs->chansel == CONF_CHANSEL_EXCLUSIVE;
	prm.restart_on_up = cs->restart_on_up;
	prm.pri_debug = pri_debug_of(cs->pri_debug);
	for (unsigned i = 0; i < cs->nbchan; i++)
		prm.bchan[prm.nbchan++] = cs->bchan[i];
	prm.t303 = gw->conf->gen.t303;
	prm.t310 = gw->conf->gen.t310;
	prm.t301 = gw->conf->gen.t301;
	prm.digit_timeout = gw->conf->gen.t302;
	prm.overlap_max = gw->conf->gen.overlap_max;
	prm.ec_taps = gw->conf->gen.media.echocancel ?
		gw->conf->gen.media.ec_taps : 0;
	err = tdm_span_alloc(&s->span, &prm, tdm_setup, span_state, gw);
	if (err) {
		log_err("span %u: %s", cs->num, strerror(err));
		mem_deref(s);
		return err;
	}
	tdm_span_set_number_handler(s->span, gw_number_complete);
	tdm_span_set_wait_handler(s->span, chan_wait, gw);
	s->gw = gw;
	s->num = cs->num;
	str_ncpy(s->group, cs->group ? cs->group : "default",
		 sizeof(s->group));
	list_append(&gw->spans, &s->le, s);
	return 0;
}

static enum sipua_100rel rel100_of(enum conf_100rel r)
{
	return r == CONF_100REL_REQUIRED ? SIPUA_100REL_REQUIRED :
		r == CONF_100REL_DISABLED ? SIPUA_100REL_DISABLED :
		SIPUA_100REL_SUPPORTED;
}

static int sip_proto(enum conf_tp tp)
{
	return tp == CONF_TP_TLS ? SIPUA_TLS : tp == CONF_TP_TCP ?
		SIPUA_TCP : SIPUA_UDP;
}

/* who may call through a trunk (sip/acl.c; sipri.conf(5) "sources") */
static void sip_sources(struct sipua_peer *p, const struct conf_trunk *t)
{
	_Static_assert((int)CONF_SOURCES_MAX <= (int)SIPUA_MAX_SOURCES,
		       "every source of a trunk fits its SIP peer");

	for (unsigned i = 0; i < t->nsources; i++) {
		const struct conf_source *cs = &t->sources[i];
		struct sipua_source *s = &p->src[p->nsrc++];

		re_snprintf(s->addr, sizeof(s->addr), "%j", &cs->addr);
		s->prefix = (uint8_t)cs->prefix;
		s->port = sa_port(&cs->addr);
		s->proto = cs->tp < 0 ? -1 : sip_proto(cs->tp);
	}
	p->trusted = t->trusted;
	p->nat = t->nat;
	p->early_media_always = t->early_media_always;
	if (!t->nsources)
		log_info("trunk %s accepts no SIP request (%s)", t->name,
			 t->sources_set ? "sources = none" :
			 "its host is a name: see \"sources\"");
}

/* [sip] advertise, external, local_nets, rtp_bind (sip/addr.c) */
static void sip_addrs(struct sipua_conf *sc, const struct conf_sip *cs)
{
	_Static_assert((int)CONF_NETS_MAX <= (int)SIPUA_MAX_NETS,
		       "every local network fits the SIP stack's");

	if (sa_isset(&cs->advertise, SA_ADDR))
		re_snprintf(sc->advertise, sizeof(sc->advertise), "%j",
			    &cs->advertise);
	if (sa_isset(&cs->external, SA_ADDR))
		re_snprintf(sc->external, sizeof(sc->external), "%j",
			    &cs->external);
	if (sa_af(&cs->rtp_bind) != AF_UNSPEC)   /* 0.0.0.0 too */
		re_snprintf(sc->media_addr, sizeof(sc->media_addr), "%j",
			    &cs->rtp_bind);
	for (unsigned i = 0; i < cs->nnets; i++) {
		struct sipua_source *s = &sc->local_nets[sc->nlocal++];

		re_snprintf(s->addr, sizeof(s->addr), "%j",
			    &cs->nets[i].addr);
		s->prefix = (uint8_t)cs->nets[i].prefix;
		s->proto = -1;
	}
}

static void sip_tls_conf(struct sipua_tls *t, const struct conf_sip *s)
{
	if (s->tls_cert)
		str_ncpy(t->cert, s->tls_cert, sizeof(t->cert));
	if (s->tls_key)
		str_ncpy(t->key, s->tls_key, sizeof(t->key));
	if (s->tls_ca)
		str_ncpy(t->ca, s->tls_ca, sizeof(t->ca));
}

/* digest authentication both ways (sip/auth.c, sip/authc.c) */
static void sip_peer_auth(struct sipua_peer *p, const struct conf_trunk *t)
{
	const struct conf_auth *a = &t->auth;
	struct sipua_challenge *ch = &p->chall;

	str_ncpy(p->name, t->name, sizeof(p->name));
	if (a->chall_user) {
		str_ncpy(ch->user, a->chall_user, sizeof(ch->user));
		str_ncpy(ch->password, a->chall_pass, sizeof(ch->password));
		str_ncpy(ch->realm, a->realm ? a->realm : "sipri",
			 sizeof(ch->realm));
		ch->algs = a->alg == CONF_AUTH_MD5 ? SIPUA_AUTH_MD5 :
			a->alg == CONF_AUTH_SHA256 ? SIPUA_AUTH_SHA256 : 0;
		ch->nonce_ttl = a->nonce_ttl;
		ch->proxy = a->status == 407;
	}
	if (a->user) {
		str_ncpy(p->cred.user, a->user, sizeof(p->cred.user));
		str_ncpy(p->cred.password, a->pass, sizeof(p->cred.password));
		p->cred.reg = a->reg;
		p->cred.reg_expires = a->reg_expires;
	}
}

/* the SIP peers are the trunks, in file order (sipleg_peer's index) */
static void sip_conf(struct sipua_conf *sc, const struct conf *conf)
{
	memset(sc, 0, sizeof(*sc));
	for (struct le *le = list_head(&conf->sip.listenl);
	     le && sc->nlisten < SIPUA_MAX_LISTEN; le = le->next) {
		const struct conf_listen *l = le->data;
		struct sipua_listen *sl = &sc->listen[sc->nlisten++];

		sl->proto = sip_proto(l->tp);
		re_snprintf(sl->addr, sizeof(sl->addr), "%J", &l->addr);
	}
	for (unsigned i = 0; i < conf->sip.ndns && i < SIPUA_MAX_DNS; i++)
		re_snprintf(sc->dns[sc->ndns++], sizeof(sc->dns[0]), "%J",
			    &conf->sip.dns[i]);
	if (conf->sip.user_agent)
		str_ncpy(sc->user_agent, conf->sip.user_agent,
			 sizeof(sc->user_agent));
	sc->t1_ms = conf->gen.t1;
	sc->timer_b_ms = conf->gen.timer_b;
	sc->timer_c_ms = conf->gen.timer_c;
	sc->session_expires = conf->gen.session_expires;
	sc->min_se = conf->gen.min_se;
	sc->max_min_se = conf->gen.max_min_se;
	sc->invite_rate = conf->sip.invite_rate;
	sc->invite_burst = conf->sip.invite_burst;
	sc->invite_drop = conf->sip.invite_drop;
	sc->max_dialogs = conf->sip.max_dialogs;
	sc->tcp_max_conns = conf->sip.tcp_max_conns;
	sc->tcp_max_per_source = conf->sip.tcp_max_per_source;
	sc->tcp_setup_timeout = conf->sip.tcp_setup_timeout;
	sc->tcp_idle_timeout = conf->sip.tcp_idle_timeout;
	sc->udp_rcvbuf = conf->sip.udp_rcvbuf;
	sc->overload_queue = conf->sip.overload_queue;
	sc->debug_stall_us = conf->sip.debug_stall_us;
	sc->rtp_timeout = conf->gen.rtp_timeout;
	sc->rel100 = rel100_of(conf->gen.rel100);
	for (struct le *le = list_head(&conf->trunkl);
	     le && sc->npeers < SIPUA_MAX_PEERS; le = le->next) {
		const struct conf_trunk *t = le->data;
		struct sipua_peer *p = &sc->peers[sc->npeers++];

		str_ncpy(p->host, t->host, sizeof(p->host));
		p->port = t->port;
		p->rel100 = rel100_of(t->rel100 >= 0 ?
				      (enum conf_100rel)t->rel100 :
				      conf->gen.rel100);
		p->alert_inband = t->alert_inband == CONF_ALERT_180 ?
			SIPUA_ALERT_180 : SIPUA_ALERT_183;
		p->tp = sip_proto(t->tp);
		re_snprintf(p->uri, sizeof(p->uri), "%H", conf_trunk_uri, t);
		p->media = t->srtp == CONF_SRTP_ON ? SIPUA_MEDIA_SRTP :
			t->srtp == CONF_SRTP_OPTIONAL ?
			SIPUA_MEDIA_SRTP_OPTIONAL : SIPUA_MEDIA_RTP;
		sip_sources(p, t);
		sip_peer_auth(p, t);
	}
	if (!sc->npeers)   /* sip/acl.c: no peer, no source */
		log_warnx("no [trunk]: every SIP request gets 403");
	sip_tls_conf(&sc->tls, &conf->sip);
	sc->rtp_port_min = conf->gen.rtp_min;
	sc->rtp_port_max = conf->gen.rtp_max;
	sip_addrs(sc, &conf->sip);
}

static void gw_destructor(void *data)
{
	struct gw *gw = data;

	timer_cancel(&gw->stop_tmr);
	originate_flush(gw);
	list_flush(&gw->calls);
	list_flush(&gw->ending);
	gw->cdr = mem_deref(gw->cdr);   /* after the calls: their records */
	gw->metrics = mem_deref(gw->metrics);
	gw->ctl = mem_deref(gw->ctl);
	gw->trace = mem_deref(gw->trace);
	gw->mp = mem_deref(gw->mp);   /* after the calls: joins the workers */
	gw->trunks = mem_deref(gw->trunks);
	gw->ua = mem_deref(gw->ua);
	list_flush(&gw->spans);
	gw->conf = mem_deref(gw->conf);
}

int gw_alloc(struct gw **gwp, struct conf *conf)
{
	/* the arg is a trunk's cause_map, or NULL for the defaults */
	static const struct sipleg_causes causes = {
		gw_to_status, gw_from_status, NULL
	};
	struct sipua_conf sc;
	struct gw *gw;
	int err = 0;

	gw = mem_zalloc(sizeof(*gw), gw_destructor);
	if (!gw)
		return ENOMEM;
	gw->conf = mem_ref(conf);
	timer_init(&gw->stop_tmr);
	err = mplane_alloc(&gw->mp, conf->gen.media_threads, 0);
	if (err)
		log_err("media plane: %s", strerror(err));
	else
		log_info("media plane: %u threads", mplane_threads(gw->mp));
	mplane_batch(gw->mp);   /* the gateway's loop runs from here on */
	mplane_set_handler(gw->mp, plane_event, gw);
	for (struct le *le = list_head(&conf->spanl); le && !err; le = le->next)
		err = span_add(gw, le->data);
	if (!err) {
		sip_conf(&sc, conf);
		err = sipua_alloc(&gw->ua, &sc, &causes, sip_invite, gw);
		if (err)
			log_err("SIP: %s", strerror(err));
	}
	if (!err) {
		sipua_set_avail_handler(gw->ua, pri_available, gw);
		sipua_set_admit_handler(gw->ua, sip_admit, gw);
		err = trunks_alloc(&gw->trunks, conf, gw->ua);
	}
	if (!err)
		err = cdr_alloc(&gw->cdr);
	if (!err)
		cdr_apply(gw->cdr, conf);
	if (!err)
		err = metrics_alloc(&gw->metrics, gw);
	if (!err)
		metrics_apply(gw->metrics, conf);
	if (!err)
		err = ctl_alloc(&gw->ctl, gw);
	if (!err)
		ctl_apply(gw->ctl, conf);
	if (!err)
		err = gwtrace_alloc(&gw->trace, gw);
	if (!err)
		gwtrace_apply(gw->trace, conf);
	if (err)
		mem_deref(gw);
	else
		*gwp = gw;
	return err;
}

int gw_to_status(int cause, int location, void *arg)
{
	return cause_to_status(arg, cause, location);
}

int gw_from_status(int status, void *arg)
{
	return cause_from_status(arg, status);
}

/* SIGHUP: routes and mapping tables change; spans and calls stay */
int gw_reload(struct gw *gw, const char *path)
{
	struct sipua_conf sc;
	struct conf_err cerr = {0};
	struct conf *conf = NULL;
	int err;

	err = conf_load(&conf, path, &cerr);
	if (err) {
		log_warnx("reload failed, keeping the running configuration: %s",
			  cerr.msg);
		return err;
	}
	mem_deref(gw->conf);
	gw->conf = conf;
	trunks_reload(gw->trunks, conf);
	cdr_apply(gw->cdr, conf);   /* reopened: logrotate moved it */
	metrics_apply(gw->metrics, conf);
	ctl_apply(gw->ctl, conf);
	gwtrace_apply(gw->trace, conf);
	/* the SIP peers are indexes into the trunk list: renew them too */
	sip_conf(&sc, conf);
	sipua_set_policy(gw->ua, &sc);
	log_info("configuration reloaded from %s", path);
	return 0;
}

static void stop_expired(void *arg)
{
	(void)arg;
	log_warnx("calls did not clear in %d ms: stopping anyway",
		  STOP_GRACE_MS);
	re_cancel();
}

/* SIGTERM: clear every call with cause 16, then stop the loop */
void gw_shutdown(struct gw *gw)
{
	struct le *le;

	gw->stopping = true;
	originate_flush(gw);
	log_info("shutting down: clearing %u calls", gw_live_calls(gw));
	if (!gw_live_calls(gw)) {
		re_cancel();
		return;
	}
	timer_start(&gw->stop_tmr, STOP_GRACE_MS, stop_expired, gw);
	le = list_head(&gw->calls);
	while (le) {
		struct gw_call *gc = le->data;

		le = le->next;
		call_hangup(gc->call, 16);
	}
}
