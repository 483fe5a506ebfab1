/*
 * gateway/metrics.c: Prometheus metrics (see metrics.h).  The names and
 * labels are a contract (sipri.conf(5), [metrics]); every family has its
 * HELP and TYPE lines, counters end in _total and durations are seconds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <re.h>
#include <dahdi/user.h>
#include "common/log.h"
#include "gateway/acct.h"
#include "gateway/cdr.h"
#include "gateway/gw.h"
#include "gateway/metrics.h"
#include "gateway/trunk.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

enum { RESULTS = 4, CAUSES = 128, STATUSES = 700, BUCKETS = 10 };
enum result { R_ANSWERED, R_FAILED, R_CANCELLED, R_REJECTED };

static const char *const result_names[RESULTS] = {
	"answered", "failed", "cancelled", "rejected"
};
static const char *const dir_names[2] = {"pri_to_sip", "sip_to_pri"};
/* sipri_call_setup_seconds: start to answer */
static const double bucket_le[BUCKETS] = {
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
};
static const char *const bucket_name[BUCKETS] = {
	"0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60"
};

struct metrics {
	struct gw *gw;
	struct http_sock *http;
	struct sa laddr;
	uint64_t calls[2][RESULTS];
	uint64_t causes[2][CAUSES];
	uint64_t statuses[STATUSES];
	uint64_t setup_bucket[BUCKETS];   /* cumulative at print */
	uint64_t setup_count;
	double setup_sum;
	uint64_t rtp_lost;
};

static enum result result_of(const struct acct *a, bool refused)
{
	enum acct_by caller = a->dir == ACCT_PRI_TO_SIP ? ACCT_BY_PRI :
		ACCT_BY_SIP;

	if (refused)
		return R_REJECTED;
	if (a->answer)
		return R_ANSWERED;
	return a->released_by == caller ? R_CANCELLED : R_FAILED;
}

void metrics_call(struct metrics *m, const struct acct *a, bool refused)
{
	if (!m || !a)
		return;
	m->calls[a->dir][result_of(a, refused)]++;
	if (a->cause > 0 && a->cause < CAUSES)
		m->causes[a->dir][a->cause]++;
	if (a->sip_status >= 100 && a->sip_status < STATUSES)
		m->statuses[a->sip_status]++;
	if (a->rtp_lost > 0)
		m->rtp_lost += (uint64_t)a->rtp_lost;
	if (a->answer && a->answer >= a->start) {
		double s = (double)(a->answer - a->start) / 1000.0;

		for (int i = 0; i < BUCKETS; i++) {
			if (s <= bucket_le[i]) {
				m->setup_bucket[i]++;
				break;
			}
		}
		m->setup_count++;
		m->setup_sum += s;
	}
}

static int family(struct re_printf *pf, const char *name, const char *type,
		  const char *help)
{
	return re_hprintf(pf, "# HELP %s %s\n# TYPE %s %s\n", name, help,
			  name, type);
}

static int print_spans(struct re_printf *pf, const struct gw *gw)
{
	static const struct { uint32_t bit; const char *name; } alarms[] = {
		{DAHDI_ALARM_RED, "red"}, {DAHDI_ALARM_YELLOW, "yellow"},
		{DAHDI_ALARM_BLUE, "blue"}, {DAHDI_ALARM_LOOPBACK, "loopback"},
		{DAHDI_ALARM_RECOVER, "recover"},
		{DAHDI_ALARM_NOTOPEN, "notopen"},
	};
	const char *fams[] = {"sipri_span_up", "sipri_dchannel_up",
			      "sipri_span_alarms", "sipri_bchannels"};
	const char *helps[] = {
		"Whether the span takes calls: D-channel up, no alarm.",
		"Whether the span's D-channel (Q.921) is up.",
		"The span's DAHDI alarms, one series per alarm.",
		"The span's B-channels by state."
	};
	struct le *le;
	int err = 0;

	for (int f = 0; f < 4; f++) {
		err |= family(pf, fams[f], "gauge", helps[f]);
		LIST_FOREACH(&gw->spans, le) {
			const struct gw_span *s = le->data;
			struct tdm_span_state st;

			tdm_span_state(s->span, &st);
			if (f == 0 || f == 1)
				err |= re_hprintf(pf, "%s{span=\"%u\"} %d\n",
						  fams[f], s->num, f == 0 ?
						  st.up : st.dchan_up);
			for (size_t i = 0; f == 2 && i < ARRAY_SIZE(alarms);
			     i++)
				err |= re_hprintf(pf, "%s{span=\"%u\",alarm="
						  "\"%s\"} %d\n", fams[f],
						  s->num, alarms[i].name,
						  !!(st.alarms & alarms[i].bit));
			if (f == 3)
				err |= re_hprintf(pf,
					"%s{span=\"%u\",state=\"idle\"} %u\n"
					"%s{span=\"%u\",state=\"busy\"} %u\n"
					"%s{span=\"%u\",state=\"blocked\"} %u\n"
					"%s{span=\"%u\",state=\"restarting\"} "
					"%u\n", fams[f], s->num, st.idle,
					fams[f], s->num, st.busy, fams[f],
					s->num, st.blocked, fams[f], s->num,
					st.restarting);
		}
	}
	return err;
}

static int print_calls(struct re_printf *pf, const struct metrics *m)
{
	uint64_t cum = 0;
	int err = 0;

	err |= family(pf, "sipri_calls_active", "gauge",
		      "Calls live now.");
	err |= re_hprintf(pf, "sipri_calls_active %u\n",
			  gw_live_calls(m->gw));
	err |= family(pf, "sipri_calls_total", "counter",
		      "Call attempts ended, by direction and result.");
	for (int d = 0; d < 2; d++)
		for (int r = 0; r < RESULTS; r++)
			err |= re_hprintf(pf, "sipri_calls_total{direction="
					  "\"%s\",result=\"%s\"} %llu\n",
					  dir_names[d], result_names[r],
					  (unsigned long long)m->calls[d][r]);
	err |= family(pf, "sipri_q850_causes_total", "counter",
		      "Q.850 causes the calls ended with, by direction.");
	for (int d = 0; d < 2; d++)
		for (int c = 1; c < CAUSES; c++)
			if (m->causes[d][c])
				err |= re_hprintf(pf, "sipri_q850_causes_total"
					"{direction=\"%s\",cause=\"%d\"} %llu\n",
					dir_names[d], c, (unsigned long long)
					m->causes[d][c]);
	err |= family(pf, "sipri_sip_responses_total", "counter",
		      "Final responses to the calls' INVITEs, sent or "
		      "received, by status code.");
	for (int s = 100; s < STATUSES; s++)
		if (m->statuses[s])
			err |= re_hprintf(pf, "sipri_sip_responses_total{code="
					  "\"%d\"} %llu\n", s,
					  (unsigned long long)m->statuses[s]);
	err |= family(pf, "sipri_call_setup_seconds", "histogram",
		      "From SETUP or INVITE to the answer, answered calls.");
	for (int i = 0; i < BUCKETS; i++) {
		cum += m->setup_bucket[i];
		err |= re_hprintf(pf, "sipri_call_setup_seconds_bucket{le="
				  "\"%s\"} %llu\n", bucket_name[i],
				  (unsigned long long)cum);
	}
	err |= re_hprintf(pf, "sipri_call_setup_seconds_bucket{le=\"+Inf\"} "
			  "%llu\nsipri_call_setup_seconds_sum %.3f\n"
			  "sipri_call_setup_seconds_count %llu\n",
			  (unsigned long long)m->setup_count, m->setup_sum,
			  (unsigned long long)m->setup_count);
	err |= family(pf, "sipri_rtp_lost_packets_total", "counter",
		      "RTP packets lost from the SIP peers (RFC 3550 A.3), "
		      "calls ended.");
	err |= re_hprintf(pf, "sipri_rtp_lost_packets_total %llu\n",
			  (unsigned long long)m->rtp_lost);
	return err;
}

static int print_sip(struct re_printf *pf, const struct metrics *m)
{
	const struct gw *gw = m->gw;
	struct sipua_stats st;
	struct le *le;
	int err = 0;

	err |= family(pf, "sipri_trunk_up", "gauge",
		      "Whether the trunk is up (its OPTIONS pings answered).");
	LIST_FOREACH(&gw->conf->trunkl, le) {
		const struct conf_trunk *tr = le->data;

		err |= re_hprintf(pf, "sipri_trunk_up{trunk=\"%s\"} %d\n",
				  tr->name, trunks_up(tr, gw->trunks));
	}
	sipua_stats(gw->ua, &st);
	err |= family(pf, "sipri_sip_rejected_total", "counter",
		      "SIP requests and connections refused before a call, "
		      "by reason.");
	err |= re_hprintf(pf,
		"sipri_sip_rejected_total{reason=\"acl\"} %u\n"
		"sipri_sip_rejected_total{reason=\"rate\"} %u\n"
		"sipri_sip_rejected_total{reason=\"busy\"} %u\n"
		"sipri_sip_rejected_total{reason=\"overload\"} %u\n"
		"sipri_sip_rejected_total{reason=\"tcp\"} %u\n"
		"sipri_sip_rejected_total{reason=\"tcp_timeout\"} %u\n",
		st.refused, st.rate_limited, st.busy, st.overload,
		st.tcp_refused, st.tcp_timedout);
	err |= family(pf, "sipri_cdr_write_errors_total", "counter",
		      "Call detail records that could not be written.");
	err |= re_hprintf(pf, "sipri_cdr_write_errors_total %llu\n",
			  (unsigned long long)cdr_errors(gw->cdr));
	return err;
}

static int print_media(struct re_printf *pf, const struct gw *gw)
{
	uint64_t cmds, wakes;
	int err = 0;

	mplane_counts(gw->mp, &cmds, &wakes);
	err |= family(pf, "sipri_media_commands_total", "counter",
		      "Commands the calls sent to the media threads.");
	err |= re_hprintf(pf, "sipri_media_commands_total %llu\n",
			  (unsigned long long)cmds);
	err |= family(pf, "sipri_media_wakeups_total", "counter",
		      "Wake-ups of the media threads those commands took.");
	err |= re_hprintf(pf, "sipri_media_wakeups_total %llu\n",
			  (unsigned long long)wakes);
	return err;
}

int metrics_print(struct re_printf *pf, const struct metrics *m)
{
	return print_spans(pf, m->gw) | print_calls(pf, m) |
		print_sip(pf, m) | print_media(pf, m->gw);
}

static void http_handler(struct http_conn *conn, const struct http_msg *msg,
			 void *arg)
{
	const struct metrics *m = arg;

	if (pl_strcmp(&msg->met, "GET") && pl_strcmp(&msg->met, "HEAD")) {
		(void)http_ereply(conn, 405, "Method Not Allowed");
		return;
	}
	if (pl_strcmp(&msg->path, "/metrics")) {
		(void)http_ereply(conn, 404, "Not Found");
		return;
	}
	(void)http_creply(conn, 200, "OK", "text/plain; version=0.0.4; "
			  "charset=utf-8", "%H", metrics_print, m);
}

void metrics_apply(struct metrics *m, const struct conf *conf)
{
	const struct sa *laddr = &conf->metrics.listen;
	char addr[64];
	int err;

	if (!m)
		return;
	if (m->http && sa_cmp(&m->laddr, laddr, SA_ALL))
		return;
	m->http = mem_deref(m->http);
	m->laddr = *laddr;
	if (!sa_isset(laddr, SA_ALL))
		return;
	re_snprintf(addr, sizeof(addr), "%J", laddr);
	err = http_listen(&m->http, laddr, http_handler, m);
	if (err)
		log_warnx("metrics on %s: %s", addr, strerror(err));
	else
		log_info("metrics on http://%s/metrics", addr);
}

static void metrics_destructor(void *arg)
{
	struct metrics *m = arg;

	mem_deref(m->http);
}

int metrics_alloc(struct metrics **mp, struct gw *gw)
{
	struct metrics *m;

	if (!mp || !gw)
		return EINVAL;
	m = mem_zalloc(sizeof(*m), metrics_destructor);
	if (!m)
		return ENOMEM;
	m->gw = gw;
	*mp = m;
	return 0;
}
