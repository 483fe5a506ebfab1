/*
 * gateway/ctl_cmd.c: what sipri-ctl(8) can ask (see ctl.h): show spans,
 * calls and trunks; hangup; channel restart, block and unblock; reload;
 * trace on and off; originate, a test call.  Each answers as text for
 * people or, asked "json", as one JSON document for scripts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "gateway/ctl.h"
#include "gateway/gw.h"
#include "gateway/originate.h"
#include "gateway/trace.h"
#include "gateway/trunk.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

enum { ARGS_MAX = 8 };

struct req {
	struct gw *gw;
	bool json;
	int argc;
	char *argv[ARGS_MAX];
	struct mbuf *out;
	struct ctl_later *later;  /* for a reply that comes later */
	bool later_taken;         /* ... which this request's will */
};

static bool fail(struct req *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)mbuf_printf(r->out, "%v\n", fmt, &ap);
	va_end(ap);
	return false;
}

static bool arg_is(const struct req *r, int i, const char *s)
{
	return i < r->argc && !strcmp(r->argv[i], s);
}

/* a decimal number in [min, max], or -1 */
static long arg_num(const struct req *r, int i, long min, long max)
{
	char *end;
	long v;

	if (i >= r->argc)
		return -1;
	v = strtol(r->argv[i], &end, 10);
	return *end || v < min || v > max ? -1 : v;
}

static struct gw_span *span_of(struct gw *gw, long num)
{
	return num < 0 ? NULL : gw_span_find(gw, (unsigned)num);
}

/* ---- show ----------------------------------------------------------- */

static void span_show(struct req *r, const struct gw_span *s, bool first)
{
	struct tdm_span_state st;

	tdm_span_state(s->span, &st);
	if (r->json)
		(void)mbuf_printf(r->out, "%s{\"span\":%u,\"up\":%s,"
				  "\"dchannel_up\":%s,\"alarms\":%u,"
				  "\"channels\":{", first ? "" : ",", s->num,
				  st.up ? "true" : "false",
				  st.dchan_up ? "true" : "false", st.alarms);
	else
		(void)mbuf_printf(r->out, "span %u: %s, D-channel %s, alarms "
				  "0x%x, B-channels: %u idle, %u busy, %u "
				  "blocked, %u restarting\n", s->num,
				  st.up ? "up" : "down",
				  st.dchan_up ? "up" : "down", st.alarms,
				  st.idle, st.busy, st.blocked, st.restarting);
	for (int ts = 1, n = 0; ts < 32; ts++) {
		const char *cs = tdm_span_chan_state(s->span, ts);

		if (!cs)
			continue;
		if (r->json)
			(void)mbuf_printf(r->out, "%s\"%d\":\"%s\"",
					  n++ ? "," : "", ts, cs);
		else
			(void)mbuf_printf(r->out, "  %2d %s\n", ts, cs);
	}
	if (r->json)
		(void)mbuf_printf(r->out, "}}");
}

static bool show_spans(struct req *r)
{
	struct le *le;
	bool first = true;

	if (r->json)
		(void)mbuf_printf(r->out, "[");
	LIST_FOREACH(&r->gw->spans, le) {
		span_show(r, le->data, first);
		first = false;
	}
	if (r->json)
		(void)mbuf_printf(r->out, "]\n");
	return true;
}

static void call_show(struct req *r, const struct gw_call *gc, bool first)
{
	const struct acct *a = &gc->acct;
	uint64_t now = acct_now();
	uint64_t since = a->answer ? a->answer : a->start;
	const char *codec = a->law == 'A' ? "PCMA" : a->law == 'U' ?
		"PCMU" : "-";

	if (r->json) {
		(void)mbuf_printf(r->out, "%s{\"id\":%u,\"direction\":\"%s\","
			"\"state\":\"%s\",\"calling\":\"%s\",\"called\":\"%s\","
			"\"pri\":{\"span\":%d,\"channel\":%d},"
			"\"sip\":{\"trunk\":\"%s\",\"call_id\":%H},"
			"\"answered\":%s,\"duration_s\":%llu,\"codec\":\"%s\","
			"\"rtp_rx_packets\":%llu,\"rtp_lost\":%lld,"
			"\"jitter_ms\":%.1f}", first ? "" : ",",
			a->call_id, a->dir == ACCT_PRI_TO_SIP ? "pri_to_sip" :
			"sip_to_pri", call_state_name(call_state(gc->call)),
			a->calling, a->called, a->span, a->channel, a->trunk,
			acct_json_str, a->sip_call_id[0] ? a->sip_call_id :
			NULL, a->answer ? "true" : "false",
			(unsigned long long)((now - since) / 1000), codec,
			(unsigned long long)gc->rtpstat.received,
			(long long)rtpstat_lost(&gc->rtpstat),
			rtpstat_jitter_ms(&gc->rtpstat, 8));
		return;
	}
	(void)mbuf_printf(r->out, "call %u %s %s: %s -> %s, span %d channel "
		"%d, trunk %s (%s), %s %llu s, %s, RTP %llu received, %lld "
		"lost, jitter %.1f ms\n", a->call_id,
		a->dir == ACCT_PRI_TO_SIP ? "pri_to_sip" : "sip_to_pri",
		call_state_name(call_state(gc->call)), a->calling, a->called,
		a->span, a->channel, a->trunk, a->sip_call_id,
		a->answer ? "up" : "since", (unsigned long long)
		((now - since) / 1000), codec,
		(unsigned long long)gc->rtpstat.received,
		(long long)rtpstat_lost(&gc->rtpstat),
		rtpstat_jitter_ms(&gc->rtpstat, 8));
}

static bool show_calls(struct req *r)
{
	struct le *le;
	bool first = true;

	if (r->json)
		(void)mbuf_printf(r->out, "[");
	LIST_FOREACH(&r->gw->calls, le) {
		call_show(r, le->data, first);
		first = false;
	}
	if (r->json)
		(void)mbuf_printf(r->out, "]\n");
	else if (first)
		(void)mbuf_printf(r->out, "no calls\n");
	return true;
}

static bool show_trunks(struct req *r)
{
	struct le *le;
	bool first = true;

	if (r->json)
		(void)mbuf_printf(r->out, "[");
	LIST_FOREACH(&r->gw->conf->trunkl, le) {
		const struct conf_trunk *tr = le->data;
		const char *reg = sipua_reg_state(r->gw->ua, tr->name);
		bool up = trunks_up(tr, r->gw->trunks);

		if (r->json)
			(void)mbuf_printf(r->out, "%s{\"trunk\":\"%s\","
					  "\"host\":%H,\"port\":%u,"
					  "\"options\":%u,\"up\":%s,"
					  "\"registration\":%s%s%s}",
					  first ? "" : ",", tr->name,
					  acct_json_str, tr->host,
					  tr->port, tr->options,
					  up ? "true" : "false",
					  reg ? "\"" : "", reg ? reg : "null",
					  reg ? "\"" : "");
		else
			(void)mbuf_printf(r->out, "trunk %s: %s:%u, %s (OPTIONS "
					  "%s), registration %s\n", tr->name,
					  tr->host, tr->port, up ? "up" : "down",
					  tr->options ? "pinged" : "off",
					  reg ? reg : "none");
		first = false;
	}
	if (r->json)
		(void)mbuf_printf(r->out, "]\n");
	return true;
}

/* ---- actions -------------------------------------------------------- */

static bool hangup(struct req *r)
{
	long id = arg_num(r, 1, 1, 0xffffffffL);
	long cause = r->argc > 2 ? arg_num(r, 2, 1, 127) : 16;
	struct le *le;

	if (id < 0 || cause < 0 || r->argc > 3)
		return fail(r, "usage: hangup ID [CAUSE]  (CAUSE 1-127, "
			    "default 16)");
	LIST_FOREACH(&r->gw->calls, le) {
		struct gw_call *gc = le->data;

		if ((long)call_id(gc->call) == id) {
			call_log(gc->call, LOG_LVL_INFO, "hangup asked for "
				 "(sipri-ctl), cause %ld", cause);
			call_hangup(gc->call, (int)cause);
			(void)mbuf_printf(r->out, "call %ld: cleared with cause "
					  "%ld\n", id, cause);
			return true;
		}
	}
	return fail(r, "no call %ld", id);
}

static bool channel(struct req *r)
{
	long spanno = arg_num(r, 2, 1, 255), ts = arg_num(r, 3, 1, 31);
	struct gw_span *s = span_of(r->gw, spanno);
	int err;

	if (r->argc != 4 || ts < 0 || !(arg_is(r, 1, "restart") ||
	    arg_is(r, 1, "block") || arg_is(r, 1, "unblock")))
		return fail(r, "usage: channel restart|block|unblock SPAN CHAN");
	if (!s)
		return fail(r, "no span %s", r->argv[2]);
	err = arg_is(r, 1, "restart") ? tdm_span_restart(s->span, (int)ts) :
		tdm_span_block(s->span, (int)ts, arg_is(r, 1, "block"));
	if (err)
		return fail(r, "span %ld has no B-channel %ld", spanno, ts);
	(void)mbuf_printf(r->out, "span %ld channel %ld: %s\n", spanno, ts,
			  tdm_span_chan_state(s->span, (int)ts));
	return true;
}

static bool reload(struct req *r)
{
	char path[512];

	if (r->argc != 1)
		return fail(r, "usage: reload");
	/* the running conf, and its path with it, goes in gw_reload */
	str_ncpy(path, r->gw->conf->path, sizeof(path));
	if (gw_reload(r->gw, path))
		return fail(r, "reload failed: the configuration stays (see "
			    "the log)");
	(void)mbuf_printf(r->out, "configuration reloaded\n");
	return true;
}

static bool trace(struct req *r)
{
	bool on = arg_is(r, 1, "on");
	long spanno;
	int err;

	if (r->argc != 4 || !(on || arg_is(r, 1, "off")) ||
	    !(arg_is(r, 2, "span") || arg_is(r, 2, "trunk")))
		return fail(r, "usage: trace on|off span N|trunk NAME");
	if (arg_is(r, 2, "span")) {
		spanno = arg_num(r, 3, 1, 255);
		err = spanno < 0 ? ENOENT :
			gwtrace_span(r->gw->trace, (unsigned)spanno, on);
	}
	else {
		err = gwtrace_trunk(r->gw->trace, r->argv[3], on);
	}
	if (err)
		return fail(r, "trace of %s %s: %s", r->argv[2], r->argv[3],
			    err == ENOENT ? "no such one" : strerror(err));
	(void)mbuf_printf(r->out, "trace of %s %s %s\n", r->argv[2],
			  r->argv[3], on ? "on" : "off");
	return true;
}

/* a test call out of a span, answered when it is over (originate.c) */
static bool originate(struct req *r)
{
	long spanno = arg_num(r, 1, 1, 255);
	struct gw_span *s = span_of(r->gw, spanno);
	bool tone = arg_is(r, 3, "tone");
	int err;

	if (r->argc < 3 || r->argc > 4 || spanno < 0 ||
	    (r->argc == 4 && !tone) ||
	    strspn(r->argv[2], "0123456789*#") != strlen(r->argv[2]))
		return fail(r, "usage: originate SPAN NUMBER [tone]");
	if (!s)
		return fail(r, "no span %s", r->argv[1]);
	err = originate_start(r->gw, s, r->argv[2], tone, r->json, r->later);
	if (err)
		return fail(r, "span %ld: no test call: %s", spanno,
			    err == ENOTCONN ? "the span is down" :
			    err == EBUSY ? "no free B-channel" : strerror(err));
	r->later_taken = true;
	return true;
}

/* ---- dispatch ------------------------------------------------------- */

static bool show(struct req *r)
{
	if (r->argc == 2 && arg_is(r, 1, "spans"))
		return show_spans(r);
	if (r->argc == 2 && arg_is(r, 1, "calls"))
		return show_calls(r);
	if (r->argc == 2 && arg_is(r, 1, "trunks"))
		return show_trunks(r);
	return fail(r, "usage: show spans|calls|trunks");
}

static bool dispatch(struct req *r)
{
	if (arg_is(r, 0, "show"))
		return show(r);
	if (arg_is(r, 0, "hangup"))
		return hangup(r);
	if (arg_is(r, 0, "channel"))
		return channel(r);
	if (arg_is(r, 0, "reload"))
		return reload(r);
	if (arg_is(r, 0, "trace"))
		return trace(r);
	if (arg_is(r, 0, "originate"))
		return originate(r);
	return fail(r, "unknown command; commands: show spans|calls|trunks, "
		    "hangup ID [CAUSE], channel restart|block|unblock SPAN "
		    "CHAN, reload, trace on|off span N|trunk NAME, originate "
		    "SPAN NUMBER [tone]");
}

enum ctl_res ctl_cmd_run(struct gw *gw, char *line, struct mbuf *out,
			 struct ctl_later *later)
{
	struct req r = {.gw = gw, .out = out, .later = later};
	char *save = NULL, *w;
	bool ok;

	w = strtok_r(line, " \t\r", &save);
	if (w && !strcmp(w, "json"))
		r.json = true;
	else if (!w || strcmp(w, "text")) {
		(void)fail(&r, "a request is: text|json COMMAND [ARGS]");
		return CTL_ERROR;
	}
	while ((w = strtok_r(NULL, " \t\r", &save)) && r.argc < ARGS_MAX)
		r.argv[r.argc++] = w;
	ok = dispatch(&r);
	return r.later_taken ? CTL_LATER : ok ? CTL_OK : CTL_ERROR;
}
