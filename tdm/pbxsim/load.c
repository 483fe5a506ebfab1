/*
 * `load`: a call generator.  It places N calls at R calls/s, spread evenly
 * on libre timers (at most `concurrent` at once), each on a hunted free
 * B-channel and to an incrementing called number; once a call is
 * connected it is cleared with cause 16 after `hold` ms.  When every call
 * has ended it reports what it attempted, how many connected, the causes
 * of those that failed, and the setup latency (SETUP sent to CONNECT
 * received): min, median, p99 and max.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pbxsim.h"

enum { CAUSES = 128 };

struct load {
	struct pbxsim *p;
	unsigned n;                /* calls to place */
	double rate;               /* calls per second */
	int hold_ms;
	unsigned concurrent;       /* 0: no limit */
	double timeout_s;
	char prefix[32];
	char calling[32];
	int width;                 /* digits of the sequence number */
	unsigned attempted, connected, failed, done, active, peak;
	unsigned early;            /* cleared by the far end before hold */
	unsigned timedout;
	unsigned causes[CAUSES];
	uint32_t *lat_us;          /* setup latencies, n entries */
	uint64_t t0, t_first, t_last;  /* tmr_jiffies() */
	struct tmr tmr;            /* the next SETUP */
	struct tmr tmr_deadline;
	bool finished;
};

static void destructor(void *data)
{
	struct load *l = data;

	tmr_cancel(&l->tmr);
	tmr_cancel(&l->tmr_deadline);
	/* calls still up run on without their load */
	for (struct le *le = list_head(&l->p->calls); le; le = le->next) {
		struct call *call = le->data;

		if (call->load == l)
			call->load = NULL;
	}
	mem_deref(l->lat_us);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile q (0..1] of the sorted latencies, in ms */
static double pct_ms(const uint32_t *v, unsigned n, double q)
{
	unsigned k = (unsigned)(q * n + 0.999999);

	if (!n)
		return 0;
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1] / 1000.0;
}

static void report(struct load *l)
{
	struct pbxsim *p = l->p;
	unsigned nl = l->connected;
	double span_s = (l->t_last - l->t_first) / 1000.0;

	sim_log(p, "load: done: attempted=%u connected=%u failed=%u of "
		"calls=%u (rate %.1f/s, hold %d ms)", l->attempted,
		l->connected, l->failed, l->n, l->rate, l->hold_ms);
	qsort(l->lat_us, nl, sizeof(*l->lat_us), cmp_u32);
	if (nl)
		sim_log(p, "load: setup latency ms: min=%.1f median=%.1f "
			"p99=%.1f max=%.1f (%u calls)",
			pct_ms(l->lat_us, nl, 0), pct_ms(l->lat_us, nl, 0.5),
			pct_ms(l->lat_us, nl, 0.99), pct_ms(l->lat_us, nl, 1),
			nl);
	for (int i = 0; i < CAUSES; i++) {
		if (l->causes[i])
			sim_log(p, "load: failed with cause=%d (%s): %u", i,
				pri_cause2str(i), l->causes[i]);
	}
	if (l->timedout)
		sim_log(p, "load: timed out: %u calls", l->timedout);
	if (l->attempted < l->n)
		sim_log(p, "load: not attempted: %u calls",
			l->n - l->attempted);
	sim_log(p, "load: peak %u calls at once, %.1f calls/s achieved, "
		"%u cleared early by the far end", l->peak,
		l->attempted > 1 && span_s > 0 ?
		(l->attempted - 1) / span_s : 0.0, l->early);
}

static void finish(struct load *l)
{
	if (l->finished)
		return;
	l->finished = true;
	tmr_cancel(&l->tmr);
	tmr_cancel(&l->tmr_deadline);
	report(l);
	run_kick(l->p);
}

static void place(struct load *l)
{
	struct setup_prm prm = {
		.plan = PRI_TON_UNKNOWN << 4 | PRI_NPI_E163_E164,
		.cplan = PRI_TON_UNKNOWN << 4 | PRI_NPI_E163_E164,
		.pres = PRI_PRES_ALLOWED,
		.complete = true,
		.load = l,
	};
	char called[64];
	struct call *call;

	snprintf(called, sizeof(called), "%s%0*u", l->prefix, l->width,
		 l->attempted + 1);
	prm.called = called;
	prm.calling = l->calling[0] ? l->calling : NULL;
	l->t_last = tmr_jiffies();
	if (!l->attempted)
		l->t_first = l->t_last;
	l->attempted++;
	if (++l->active > l->peak)
		l->peak = l->active;
	if (call_setup(&call, l->p, &prm) && !call)
		sim_log(l->p, "load: SETUP %s failed", called);
}

/* Place every call that is due; re-arm for the next */
static void tick_h(void *arg)
{
	struct load *l = arg;

	while (!l->finished && l->attempted < l->n) {
		uint64_t elapsed = tmr_jiffies() - l->t0;
		uint64_t due = (uint64_t)(l->attempted * 1000.0 / l->rate);

		if (l->concurrent && l->active >= l->concurrent)
			return;    /* load_ended() resumes */
		if (due > elapsed) {
			tmr_start(&l->tmr, due - elapsed, tick_h, l);
			return;
		}
		place(l);
	}
}

static void deadline_h(void *arg)
{
	load_abort(arg, "timeout");
}

static int parse(struct load *l, const struct cmd *c)
{
	int n = 0, conc = 0;
	const char *s;

	l->rate = 10;
	if (cmd_int(c, "calls", &n) || n < 1 || n > 1000000 ||
	    cmd_num(c, "rate", &l->rate) == EINVAL || l->rate <= 0 ||
	    l->rate > 10000 ||
	    cmd_int(c, "hold", &l->hold_ms) == EINVAL || l->hold_ms < 0 ||
	    cmd_int(c, "concurrent", &conc) == EINVAL || conc < 0 ||
	    cmd_num(c, "timeout", &l->timeout_s) == EINVAL)
		return EINVAL;
	l->n = (unsigned)n;
	l->concurrent = (unsigned)conc;
	s = cmd_opt(c, "called");
	str_ncpy(l->prefix, s ? s : "", sizeof(l->prefix));
	s = cmd_opt(c, "calling");
	str_ncpy(l->calling, s ? s : "", sizeof(l->calling));
	for (unsigned v = l->n; v; v /= 10)
		l->width++;
	if (l->timeout_s <= 0)
		l->timeout_s = l->n / l->rate + l->hold_ms / 1000.0 + 10;
	return 0;
}

int load_start(struct pbxsim *p, const struct cmd *c)
{
	struct load *l;
	int err;

	if (p->load && !p->load->finished)
		return EBUSY;
	l = mem_zalloc(sizeof(*l), destructor);
	if (!l)
		return ENOMEM;
	l->p = p;
	tmr_init(&l->tmr);
	tmr_init(&l->tmr_deadline);
	err = parse(l, c);
	if (!err) {
		l->lat_us = mem_zalloc(l->n * sizeof(*l->lat_us), NULL);
		if (!l->lat_us)
			err = ENOMEM;
	}
	if (err) {
		mem_deref(l);
		return err;
	}
	mem_deref(p->load);
	p->load = l;
	sim_log(p, "load: calls=%u rate=%.1f/s hold=%d ms concurrent=%u "
		"called=%s+%u digits timeout=%.1f s", l->n, l->rate,
		l->hold_ms, l->concurrent, l->prefix, l->width, l->timeout_s);
	l->t0 = tmr_jiffies();
	tmr_start(&l->tmr_deadline, (uint64_t)(l->timeout_s * 1000),
		  deadline_h, l);
	tick_h(l);
	return 0;
}

static void hold_h(void *arg)
{
	call_hangup(arg, PRI_CAUSE_NORMAL_CLEARING);
}

/* CONNECT received for one of the load's calls */
void load_connected(struct call *call)
{
	struct load *l = call->load;
	uint64_t us = sim_usec() - call->t_setup_us;

	if (l->connected < l->n)
		l->lat_us[l->connected] = us > UINT32_MAX ? UINT32_MAX :
			(uint32_t)us;
	l->connected++;
	tmr_start(&call->tmr, (uint64_t)l->hold_ms, hold_h, call);
}

/* One of the load's calls has ended */
void load_ended(struct call *call, int cause)
{
	struct load *l = call->load;

	call->load = NULL;
	l->active--;
	l->done++;
	if (!call->answered) {
		l->failed++;
		l->causes[cause & (CAUSES - 1)]++;
		sim_log(l->p, "load: call(%u) to %s failed, cause=%d", call->id,
			call->called, cause);
	}
	else if (!call->hungup) {
		l->early++;
	}
	if (l->done == l->n)
		finish(l);
	else if (!l->finished && l->concurrent)
		tmr_start(&l->tmr, 0, tick_h, l);
}

/* Give up: clear the calls still up, count them and the rest as failed */
void load_abort(struct load *l, const char *why)
{
	if (!l || l->finished)
		return;
	sim_log(l->p, "load: %s", why);
	for (struct le *le = list_head(&l->p->calls); le; le = le->next) {
		struct call *call = le->data;

		if (call->load != l)
			continue;
		call->load = NULL;
		l->active--;
		l->done++;
		l->failed++;
		l->timedout++;
		if (!call->hungup)
			call_hangup(call, PRI_CAUSE_NORMAL_CLEARING);
	}
	l->failed += l->n - l->attempted;
	finish(l);
}

bool load_done(const struct load *l)
{
	return l && l->finished;
}

bool load_ok(const struct load *l)
{
	return l && l->finished && !l->failed && l->attempted == l->n;
}

int load_get(const struct load *l, const char *name, unsigned *vp)
{
	if (!l)
		return ENOENT;
	if (!strcmp(name, "attempted"))
		*vp = l->attempted;
	else if (!strcmp(name, "connected"))
		*vp = l->connected;
	else if (!strcmp(name, "failed"))
		*vp = l->failed;
	else
		return ENOENT;
	return 0;
}

/* Seconds a command waiting for the load should allow it, at most */
double load_wait_s(const struct load *l)
{
	uint64_t now = tmr_jiffies();
	uint64_t end = l->t0 + (uint64_t)(l->timeout_s * 1000);

	return (end > now ? (end - now) / 1000.0 : 0) + 5;
}
