/*
 * `expect EVENT [checks]`: find the first queued event of that kind.  The
 * events before it are dropped with it, so a script's expectations also
 * check the order of events.  A found event whose fields differ from the
 * checks fails the expectation at once.
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
	if (cmd_opt(c, "complete") &&
	    cmd_flag(c, "complete") != (se->complete > 0))
		return "complete";
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

	*failp = false;
	if (want_type(c, &want)) {
		*failp = true;
		re_snprintf(why, whysz, "unknown event %s", cmd_pos(c, 0));
		return true;
	}
	for (le = list_head(&p->events); le; le = le->next) {
		const struct sim_event *se = le->data;
		const char *bad;

		if (!type_matches(want, se->type))
			continue;
		bad = check_fields(c, se);
		if (bad) {
			*failp = true;
			re_snprintf(why, whysz, "%s: %s differs (got "
				    "called=%s calling=%s cause=%d chan=%d "
				    "pi=%d)", sim_ev_name(se->type), bad,
				    se->called, se->calling, se->cause,
				    se->chan, se->progress);
		}
		/* drop this event and everything before it */
		while (list_head(&p->events) != le)
			mem_deref(list_head(&p->events)->data);
		mem_deref(le->data);
		return true;
	}
	return false;
}
