/*
 * `expect EVENT [checks]`: find the first queued event of that kind.  The
 * events before it are dropped with it, so a script's expectations also
 * check the order of events.  A found event whose fields differ from the
 * checks fails the expectation at once.  With call=N only call N's events
 * count, and only call N's events before it are dropped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pbxsim.h"

static bool type_matches(enum sim_ev want, enum sim_ev got)
{
	/* `hangup`: whatever clears the call from the far end */
	if (want == EV_OTHER)
		return got == EV_DISCONNECT || got == EV_RELEASE;
	return want == got;
}

static int want_type(const struct cmd *c, enum sim_ev *typep)
{
	const char *name = cmd_pos(c, 0);

	if (!name)
		return EINVAL;
	if (!strcmp(name, "hangup")) {
		*typep = EV_OTHER;
		return 0;
	}
	return sim_ev_parse(typep, name);
}

/* Is the word an event name `expect` knows? */
int expect_event_check(const struct cmd *c)
{
	enum sim_ev t;

	return want_type(c, &t);
}

static bool int_differs(const struct cmd *c, const char *key, int got)
{
	int want;

	return cmd_int(c, key, &want) == 0 && want != got;
}

static bool plan_differs(const struct cmd *c, const char *tonkey,
			 const char *npikey, int plan)
{
	int ton, npi;

	if (cmd_opt(c, tonkey) &&
	    (sim_ton_parse(&ton, cmd_opt(c, tonkey)) || ton != (plan >> 4 & 7)))
		return true;
	if (cmd_opt(c, npikey) &&
	    (sim_npi_parse(&npi, cmd_opt(c, npikey)) || npi != (plan & 15)))
		return true;
	return false;
}

static bool str_differs(const struct cmd *c, const char *key,
			const char *got)
{
	const char *want = cmd_opt(c, key);

	return want && strcmp(want, got);
}

/* Which check failed, or NULL when the event passes them all */
static const char *check_fields(const struct cmd *c,
				const struct sim_event *se)
{
	int pres;

	if (str_differs(c, "called", se->called))
		return "called";
	if (str_differs(c, "calling", se->calling))
		return "calling";
	if (str_differs(c, "digits", se->called))
		return "digits";
	if (plan_differs(c, "ton", "npi", se->calledplan))
		return "ton/npi";
	if (plan_differs(c, "cton", "cnpi", se->callingplan))
		return "cton/cnpi";
	if (cmd_opt(c, "pres") &&
	    (sim_pres_parse(&pres, cmd_opt(c, "pres")) ||
	     pres != (se->callingpres & 0x60)))
		return "pres";
	if (int_differs(c, "cause", se->cause))
		return "cause";
	if (int_differs(c, "chan", se->chan))
		return "chan";
	if (int_differs(c, "pi", se->progress))
		return "pi";
	if (int_differs(c, "info", se->notify))
		return "info";
	if (cmd_opt(c, "complete") &&
	    cmd_flag(c, "complete") != (se->complete > 0))
		return "complete";
	if ((cmd_opt(c, "exclusive") || cmd_flag(c, "exclusive")) &&
	    cmd_flag(c, "exclusive") != (se->exclusive > 0))
		return "exclusive";
	return NULL;
}

/*
 * true when the expectation is settled: *failp says how, *why what went
 * wrong.  false: keep waiting.
 */
bool expect_event_match(struct pbxsim *p, const struct cmd *c, char *why,
			size_t whysz, bool *failp)
{
	enum sim_ev want;
	struct le *le;
	int id = 0;

	*failp = false;
	if (want_type(c, &want)) {
		*failp = true;
		re_snprintf(why, whysz, "unknown event %s", cmd_pos(c, 0));
		return true;
	}
	if (cmd_int(c, "call", &id) == EINVAL)
		id = -1;
	for (le = list_head(&p->events); le; le = le->next) {
		const struct sim_event *se = le->data;
		const char *bad;

		if (!type_matches(want, se->type))
			continue;
		if (id && se->callid != (unsigned)id)
			continue;
		/* `expect setup` makes its call the current one */
		if (se->type == EV_SETUP)
			p->cur = call_by_id(p, se->callid);
		bad = check_fields(c, se);
		if (bad) {
			*failp = true;
			re_snprintf(why, whysz, "%s: %s differs (got "
				    "called=%s calling=%s cause=%d chan=%d "
				    "pi=%d)", sim_ev_name(se->type), bad,
				    se->called, se->calling, se->cause,
				    se->chan, se->progress);
		}
		/* drop this event and everything (of call N) before it */
		for (struct le *x = list_head(&p->events); x != le;) {
			struct sim_event *old = x->data;

			x = x->next;
			if (!id || old->callid == (unsigned)id)
				mem_deref(old);
		}
		mem_deref(le->data);
		return true;
	}
	return false;
}

/* `expect load`, `expect stats`: counters, each KEY=N, must be N */
static bool counts_match(struct pbxsim *p, const struct cmd *c, bool load,
			 char *why, size_t whysz)
{
	for (int i = 2; i < c->argc; i++) {
		char key[32];
		const char *w = c->argv[i];
		size_t len = strcspn(w, "=");
		unsigned got = 0;

		if (!w[len] || len >= sizeof(key))
			continue;
		str_ncpy(key, w, len + 1);
		if (!strcmp(key, "timeout"))
			continue;
		if (load ? load_get(p->load, key, &got) :
		    stats_get(&p->stats, key, &got))
			continue;
		if (got != (unsigned)atoi(w + len + 1)) {
			re_snprintf(why, whysz, "%s=%u, expected %s", key, got,
				    w + len + 1);
			return false;
		}
	}
	return true;
}

static enum step expect_load_poll(struct pbxsim *p, const struct cmd *c,
				  bool expired)
{
	bool checks = false;
	char why[128] = "";

	if (!load_done(p->load)) {
		if (!expired)
			return STEP_WAIT;
		load_abort(p->load, "timeout");
	}
	for (int i = 2; i < c->argc; i++)
		checks |= strchr(c->argv[i], '=') &&
			strncmp(c->argv[i], "timeout=", 8);
	if (!counts_match(p, c, true, why, sizeof(why))) {
		run_fail(p, c, "%s", why);
		return STEP_FAIL;
	}
	if ((!checks || cmd_flag(c, "ok")) && !load_ok(p->load)) {
		run_fail(p, c, "calls failed (see the load: lines)");
		return STEP_FAIL;
	}
	return STEP_DONE;
}

static enum step expect_stats_poll(struct pbxsim *p, const struct cmd *c,
				   bool expired)
{
	char why[128] = "";

	if (counts_match(p, c, false, why, sizeof(why)))
		return STEP_DONE;
	if (!expired)
		return STEP_WAIT;
	stats_log(p);
	run_fail(p, c, "%s", why);
	return STEP_FAIL;
}

enum step expect_counts_poll(struct pbxsim *p, const struct cmd *c,
			     bool expired)
{
	return !strcmp(cmd_pos(c, 0), "load") ?
		expect_load_poll(p, c, expired) :
		expect_stats_poll(p, c, expired);
}

/* expect load|stats [ok] [KEY=N]...: only counters of that kind */
int expect_counts_check(const struct cmd *c, const char *name)
{
	bool load = !strcmp(cmd_pos(c, 0), "load");
	struct sim_stats st;
	const char *extra = cmd_pos(c, 1);

	memset(&st, 0, sizeof(st));
	if (extra && strcmp(extra, "ok"))
		goto bad;
	for (int i = 2; i < c->argc; i++) {
		char key[32];
		const char *w = c->argv[i];
		size_t len = strcspn(w, "=");
		unsigned v;

		if (!w[len])
			continue;
		if (len >= sizeof(key))
			goto bad;
		str_ncpy(key, w, len + 1);
		if (!strcmp(key, "timeout"))
			continue;
		if (load ? strcmp(key, "attempted") && strcmp(key, "connected")
		    && strcmp(key, "failed") : stats_get(&st, key, &v) != 0)
			goto bad;
	}
	return 0;
 bad:
	re_fprintf(stderr, "pbxsim: %s:%d: expect %s: unknown check\n",
		   name, c->line, cmd_pos(c, 0));
	return EINVAL;
}
