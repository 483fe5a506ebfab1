/*
 * `expect cadence FREQ[+FREQ2] on=MS off=MS [cycles=N] [ftol=HZ]
 *  [ttol=MS]` and its negative control `expect nocadence ...`: time the
 * on/off cycles of a tone on the call's B-channel (cadence.c) and check
 * them against the expectation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pbxsim.h"

static void want_freqs(const struct cmd *c, double *f1, double *f2)
{
	char *end;

	*f1 = strtod(cmd_pos(c, 1), &end);
	*f2 = *end == '+' ? strtod(end + 1, NULL) : 0;
}

int cadence_check(const struct cmd *c)
{
	double f1, f2, v;
	const char *s = cmd_pos(c, 1);
	char *end;

	if (!s)
		return EINVAL;
	f1 = strtod(s, &end);
	if (end == s || (*end && *end != '+'))
		return EINVAL;
	if (*end == '+') {
		s = end + 1;
		f2 = strtod(s, &end);
		if (end == s || *end || f2 <= 0)
			return EINVAL;
	}
	if (f1 <= 0 || cmd_num(c, "on", &v) || cmd_num(c, "off", &v))
		return EINVAL;
	return 0;
}

/* Every period within ttol, each frequency within ftol */
static bool cadence_matches(const struct cmd *c,
			    const struct cadence_meter *m, double g1,
			    double g2)
{
	double f1, f2, on = 0, off = 0, ftol = 10, ttol = 50;
	bool ok;

	want_freqs(c, &f1, &f2);
	cmd_num(c, "on", &on);
	cmd_num(c, "off", &off);
	cmd_num(c, "ftol", &ftol);
	cmd_num(c, "ttol", &ttol);
	ok = fabs(g1 - f1) <= ftol &&
		(f2 ? fabs(g2 - f2) <= ftol : g2 == 0);
	for (unsigned i = 0; i < m->want; i++) {
		ok = ok && fabs(m->on_ms[i] - on) <= ttol &&
			fabs(m->off_ms[i] - off) <= ttol;
	}
	return ok;
}

enum step cadence_poll(struct pbxsim *p, const struct cmd *c,
		       const struct cadence_meter *m, bool expired)
{
	bool negative = !strcmp(cmd_pos(c, 0), "nocadence");
	char times[256];
	size_t n = 0;
	double g1, g2;

	if (!m || !m->done) {
		if (!expired)
			return STEP_WAIT;
		run_fail(p, c, "%s", !m ? "call gone" : !m->armed ?
			 "no tone received" : "cadence incomplete");
		return STEP_FAIL;
	}
	cadence_freqs(m, &g1, &g2);
	for (unsigned i = 0; i < m->want; i++)
		n += (size_t)snprintf(times + n, sizeof(times) - n,
				      " %.1f/%.1f", m->on_ms[i], m->off_ms[i]);
	if (g2)
		sim_log(p, "measured cadence %.1f+%.1f Hz, on/off ms:%s",
			g1, g2, times);
	else
		sim_log(p, "measured cadence %.1f Hz, on/off ms:%s", g1, times);
	if (cadence_matches(c, m, g1, g2) == negative) {
		run_fail(p, c, "the cadence %s %s", negative ? "is" : "is not",
			 cmd_pos(c, 1));
		return STEP_FAIL;
	}
	return STEP_DONE;
}
