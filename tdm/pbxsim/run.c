/*
 * The interpreter.  Commands run in order; a command either acts and is
 * done at once, or waits (expect, wait, sleep, drain) until what it waits
 * for has happened or its timeout has expired.  The interpreter runs from
 * a zero-delay timer, so it never runs inside libpri or a B-channel read:
 * events only queue and kick it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "pbxsim.h"

struct op {
	const char *name;
	int minpos, maxpos;
	const char *keys;          /* options and flags it accepts */
	enum step (*start)(struct pbxsim *p, const struct cmd *c);
	enum step (*poll)(struct pbxsim *p, const struct cmd *c,
			  bool expired);
};

enum { LINGER_MS = 4000 };     /* at the end: wait for the call to clear */

static const double EXPECT_TIMEOUT = 5.0;

void run_fail(struct pbxsim *p, const struct cmd *c, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	re_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->nfail++;
	if (c)
		sim_log(p, "FAIL %s:%d: %s: %s", p->script->name, c->line,
			c->argv[0], buf);
	else
		sim_log(p, "FAIL: %s", buf);
}

static void finish(struct pbxsim *p, int code)
{
	if (p->exit_code >= 0)
		return;
	p->exit_code = code;
	tmr_cancel(&p->tmr_wait);
	load_abort(p->load, "the scenario ended");
	/* a failed scenario leaves no call hanging at the far end */
	if (code)
		call_hangup_all(p);
	if (p->stats.offered || p->stats.placed)
		stats_log(p);
	sim_log(p, code ? "scenario failed" : "scenario passed");
	re_cancel();
}

static void wait_h(void *arg)
{
	run_kick(arg);
}

/* The deadline of a waiting command: the timeout= option or dflt */
static void wait_arm(struct pbxsim *p, const struct cmd *c, double dflt)
{
	double t = dflt;

	cmd_num(c, "timeout", &t);
	p->wait_until = tmr_jiffies() + (uint64_t)(t * 1000);
	tmr_start(&p->tmr_wait, (uint64_t)(t * 1000), wait_h, p);
}

static bool expired_now(const struct pbxsim *p)
{
	return p->wait_until && tmr_jiffies() >= p->wait_until;
}

/* The call a command acts on: call=N, else the current call */
static struct call *cmd_call(struct pbxsim *p, const struct cmd *c)
{
	int id = 0;

	if (cmd_int(c, "call", &id) != ENOENT)
		return id > 0 ? call_by_id(p, (unsigned)id) : NULL;
	return call_current(p);
}

static struct audio *call_audio(struct pbxsim *p, const struct cmd *c)
{
	struct call *call = cmd_call(p, c);

	return call ? call->audio : NULL;
}

static double pos_num(const struct cmd *c, int i, double dflt)
{
	const char *s = cmd_pos(c, i);

	return s ? atof(s) : dflt;
}

/* ---- waiting commands ------------------------------------------------ */

static enum step wait_start(struct pbxsim *p, const struct cmd *c)
{
	double t = pos_num(c, 1, 10.0);

	p->wait_until = tmr_jiffies() + (uint64_t)(t * 1000);
	tmr_start(&p->tmr_wait, (uint64_t)(t * 1000), wait_h, p);
	return STEP_WAIT;
}

/*
 * `wait up`: the D-channel is up and has stayed up for the settle time.
 * libpri's startup race: the side that starts first loses its SABME and
 * the peer reports DCHAN_UP about T200 (1 s) earlier; a SETUP sent in that
 * window is lost with cause 101.  Settling past T200 closes the window.
 * A far end that restarts its channels on the way up (Q.931 §5.5.1) takes
 * no call on them until acknowledged: `wait up` also waits out the batch.
 */
static enum step wait_poll(struct pbxsim *p, const struct cmd *c,
			   bool expired)
{
	bool want_up = !strcmp(cmd_pos(c, 0), "up");
	double settle = p->settle;
	uint64_t now = tmr_jiffies();

	cmd_num(c, "settle", &settle);
	if (!want_up && !p->up)
		return STEP_DONE;
	if (want_up && p->up) {
		uint64_t window = (uint64_t)(settle * 1000);
		uint64_t ready = p->up_since + window;

		ready = MAX(ready, chan_restarts_quiet(p, window));

		if (now >= ready)
			return STEP_DONE;
		tmr_start(&p->tmr_wait, ready - now, wait_h, p);
		return STEP_WAIT;
	}
	if (expired) {
		run_fail(p, c, "D-channel not %s", want_up ? "up" : "down");
		return STEP_FAIL;
	}
	return STEP_WAIT;
}

static enum step sleep_start(struct pbxsim *p, const struct cmd *c)
{
	double t = pos_num(c, 0, 1.0);

	p->wait_until = tmr_jiffies() + (uint64_t)(t * 1000);
	tmr_start(&p->tmr_wait, (uint64_t)(t * 1000), wait_h, p);
	return STEP_WAIT;
}

static enum step sleep_poll(struct pbxsim *p, const struct cmd *c,
			    bool expired)
{
	(void)p;
	(void)c;
	return expired ? STEP_DONE : STEP_WAIT;
}

static enum step drain_start(struct pbxsim *p, const struct cmd *c)
{
	wait_arm(p, c, 30.0);
	return STEP_WAIT;
}

static enum step drain_poll(struct pbxsim *p, const struct cmd *c,
			    bool expired)
{
	if (!audio_playing(call_audio(p, c)))
		return STEP_DONE;
	if (expired) {
		run_fail(p, c, "audio still playing");
		return STEP_FAIL;
	}
	return STEP_WAIT;
}

/* ---- expectations ---------------------------------------------------- */

static enum step expect_start(struct pbxsim *p, const struct cmd *c)
{
	const char *what = cmd_pos(c, 0);
	double dur = 1.0, onset;

	wait_arm(p, c, EXPECT_TIMEOUT);
	if (!strcmp(what, "tone") || !strcmp(what, "notone")) {
		if (!call_audio(p, c)) {
			run_fail(p, c, "no call with a B-channel");
			return STEP_FAIL;
		}
		cmd_num(c, "dur", &dur);
		audio_measure_start(call_audio(p, c), dur);
		if (cmd_opt(c, "maxgap"))
			audio_measure_gaps(call_audio(p, c));
		if (cmd_num(c, "onset", &onset) == 0)
			audio_measure_onset(call_audio(p, c), onset);
	}
	else if (!strcmp(what, "cadence") || !strcmp(what, "nocadence")) {
		int cycles = 2;

		if (!call_audio(p, c)) {
			run_fail(p, c, "no call with a B-channel");
			return STEP_FAIL;
		}
		cmd_int(c, "cycles", &cycles);
		audio_cadence_start(call_audio(p, c), (unsigned)cycles);
	}
	else if (!strcmp(what, "load")) {
		if (!p->load) {
			run_fail(p, c, "no load was started");
			return STEP_FAIL;
		}
		wait_arm(p, c, load_wait_s(p->load));
	}
	return STEP_WAIT;
}

static enum step tone_poll(struct pbxsim *p, const struct cmd *c,
			   bool expired)
{
	const struct tone_meter *m = audio_meter(call_audio(p, c));
	bool negative = !strcmp(cmd_pos(c, 0), "notone");
	double want = pos_num(c, 1, 0), ftol = 5, ltol = 1, level, f, l;
	double maxgap;
	bool ok;

	if (!m || !m->done) {
		if (!expired)
			return STEP_WAIT;
		run_fail(p, c, "%s", !m ? "call gone" : m->started ?
			 "tone ended early" : "no tone received");
		return STEP_FAIL;
	}
	f = tone_meter_freq(m);
	l = tone_meter_level(m);
	cmd_num(c, "ftol", &ftol);
	cmd_num(c, "ltol", &ltol);
	sim_log(p, "measured tone %.2f Hz %.2f dBm0 over %.2f s, longest gap "
		"%.1f ms%s", f, l, m->count / (double)TONE_RATE,
		tone_meter_max_gap_ms(m), m->ended_early ? " (ended early)" : "");
	if (m->ended_early) {
		run_fail(p, c, "tone ended early");
		return STEP_FAIL;
	}
	ok = fabs(f - want) <= ftol;
	if (!negative && ok && cmd_num(c, "level", &level) == 0)
		ok = fabs(l - level) <= ltol;
	if (!negative && ok && cmd_num(c, "maxgap", &maxgap) == 0 &&
	    tone_meter_max_gap_ms(m) > maxgap) {
		run_fail(p, c, "a gap of %.1f ms, more than %.1f ms",
			 tone_meter_max_gap_ms(m), maxgap);
		return STEP_FAIL;
	}
	if (ok == negative) {
		run_fail(p, c, "%.2f Hz %.2f dBm0: %s %.1f Hz", f, l,
			 negative ? "is" : "is not", want);
		return STEP_FAIL;
	}
	return STEP_DONE;
}

static enum step dtmf_poll(struct pbxsim *p, const struct cmd *c,
			   bool expired)
{
	const char *want = cmd_pos(c, 1);
	const char *got = audio_digits(call_audio(p, c));
	size_t n = strlen(want);

	if (strlen(got) >= n) {
		bool ok = !strncmp(got, want, n);

		sim_log(p, "DTMF received %b", got, n);
		if (!ok)
			run_fail(p, c, "received DTMF %b, expected %s",
				 got, n, want);
		audio_digits_consume(call_audio(p, c), n);
		return ok ? STEP_DONE : STEP_FAIL;
	}
	if (!expired)
		return STEP_WAIT;
	run_fail(p, c, "received DTMF \"%s\", expected %s", got, want);
	return STEP_FAIL;
}

static enum step number_poll(struct pbxsim *p, const struct cmd *c,
			     bool expired)
{
	const char *want = cmd_pos(c, 1);
	const struct call *call = cmd_call(p, c);
	const char *got = call ? call->called : "";

	if (!strcmp(got, want)) {
		sim_log(p, "called number complete: %s", got);
		return STEP_DONE;
	}
	if (!expired)
		return STEP_WAIT;
	run_fail(p, c, "called number \"%s\", expected %s", got, want);
	return STEP_FAIL;
}

static enum step expect_poll(struct pbxsim *p, const struct cmd *c,
			     bool expired)
{
	const char *what = cmd_pos(c, 0);
	char why[256];
	bool fail;

	if (!strcmp(what, "tone") || !strcmp(what, "notone"))
		return tone_poll(p, c, expired);
	if (!strcmp(what, "cadence") || !strcmp(what, "nocadence"))
		return cadence_poll(p, c, audio_cadence(call_audio(p, c)),
				    expired);
	if (!strcmp(what, "dtmf"))
		return dtmf_poll(p, c, expired);
	if (!strcmp(what, "number"))
		return number_poll(p, c, expired);
	if (!strcmp(what, "load") || !strcmp(what, "stats"))
		return expect_counts_poll(p, c, expired);
	if (expect_event_match(p, c, why, sizeof(why), &fail)) {
		if (fail)
			run_fail(p, c, "%s", why);
		return fail ? STEP_FAIL : STEP_DONE;
	}
	if (!expired)
		return STEP_WAIT;
	run_fail(p, c, "timeout waiting for %s", what);
	return STEP_FAIL;
}

/* ---- acting commands ------------------------------------------------- */

static enum step result(struct pbxsim *p, const struct cmd *c, int err)
{
	if (!err)
		return STEP_DONE;
	run_fail(p, c, "%m", err);
	return STEP_FAIL;
}

static enum step call_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, call_place(p, c));
}

static enum step respond_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, call_respond(p, cmd_call(p, c), c));
}

static enum step hangup_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, call_hangup(cmd_call(p, c),
					(int)pos_num(c, 0, 16)));
}

static enum step info_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, call_info(cmd_call(p, c), cmd_pos(c, 0)));
}

static enum step keypad_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, call_keypad(cmd_call(p, c), cmd_pos(c, 0)));
}

static enum step notify_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, call_notify(cmd_call(p, c), cmd_pos(c, 0)));
}

static enum step autoanswer_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, autoanswer_set(p, c));
}

static enum step stats_start(struct pbxsim *p, const struct cmd *c)
{
	(void)c;
	stats_log(p);
	return STEP_DONE;
}

/* `load ... [nowait]`: wait for the run unless told not to */
static enum step load_cmd_start(struct pbxsim *p, const struct cmd *c)
{
	int err = load_start(p, c);

	if (err)
		return result(p, c, err);
	if (cmd_flag(c, "nowait"))
		return STEP_DONE;
	p->wait_until = tmr_jiffies() +
		(uint64_t)(load_wait_s(p->load) * 1000);
	tmr_start(&p->tmr_wait, p->wait_until - tmr_jiffies(), wait_h, p);
	return STEP_WAIT;
}

static enum step load_cmd_poll(struct pbxsim *p, const struct cmd *c,
			       bool expired)
{
	if (!load_done(p->load)) {
		if (!expired)
			return STEP_WAIT;
		load_abort(p->load, "timeout");
	}
	if (load_ok(p->load))
		return STEP_DONE;
	run_fail(p, c, "calls failed (see the load: lines)");
	return STEP_FAIL;
}

/* `noclear [off]`: a far end that never confirms a clearing */
static enum step noclear_start(struct pbxsim *p, const struct cmd *c)
{
	const char *v = cmd_pos(c, 0);

	if (v && strcmp(v, "off") && strcmp(v, "on"))
		return result(p, c, EINVAL);
	p->noclear = !v || !strcmp(v, "on");
	return STEP_DONE;
}

static enum step restart_start(struct pbxsim *p, const struct cmd *c)
{
	const char *what = cmd_pos(c, 0);

	if (what && !strcmp(what, "all"))
		return result(p, c, call_restart_all(p));
	return result(p, c, call_restart(p, (int)pos_num(c, 0, 1)));
}

static enum step tone_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, audio_play_tone(call_audio(p, c), pos_num(c, 0, 0),
					    pos_num(c, 1, -10),
					    pos_num(c, 2, 1)));
}

static enum step dtmf_start(struct pbxsim *p, const struct cmd *c)
{
	double level = -10;
	int on = 50, off = 50;

	cmd_num(c, "level", &level);
	cmd_int(c, "on", &on);
	cmd_int(c, "off", &off);
	return result(p, c, audio_play_dtmf(call_audio(p, c), cmd_pos(c, 0),
					    level, on, off));
}

static enum step silence_start(struct pbxsim *p, const struct cmd *c)
{
	return result(p, c, audio_play_silence(call_audio(p, c),
					       pos_num(c, 0, 1)));
}

static enum step hybrid_start(struct pbxsim *p, const struct cmd *c)
{
	double gain = -6, delay = 0;

	if (cmd_flag(c, "off")) {
		gain = -60;
		return result(p, c, audio_set_hybrid(call_audio(p, c), gain, 0));
	}
	cmd_num(c, "gain", &gain);
	cmd_num(c, "delay", &delay);
	sim_log(p, "hybrid echo: %.1f dB, %.1f ms", gain, delay);
	return result(p, c, audio_set_hybrid(call_audio(p, c), gain, delay));
}

static enum step log_start(struct pbxsim *p, const struct cmd *c)
{
	char buf[256] = "";
	size_t n = 0;

	for (int i = 1; i < c->argc; i++)
		n += re_snprintf(buf + n, sizeof(buf) - n, "%s%s",
				 i > 1 ? " " : "", c->argv[i]);
	sim_log(p, "log: %s", buf);
	return STEP_DONE;
}

#define EXPECT_KEYS "timeout called calling ton npi cton cnpi pres cause " \
	"chan pi complete exclusive digits info level ftol ltol dur call ok on off " \
	"cycles ttol maxgap onset " STATS_KEYS
#define STATS_KEYS "offered answered refused placed connected failed " \
	"cleared_local cleared_remote active peak restarted attempted"

static const struct op ops[] = {
	{"wait",       1, 2, "settle",   wait_start,    wait_poll},
	{"sleep",      1, 1, "",         sleep_start,   sleep_poll},
	{"drain",      0, 0, "timeout call", drain_start, drain_poll},
	{"expect",     1, 2, EXPECT_KEYS, expect_start, expect_poll},
	{"call",       1, 1, "calling ton npi cton cnpi pres chan exclusive "
	 "complete", call_start, NULL},
	{"setup_ack",  0, 0, "call",     respond_start, NULL},
	{"proceeding", 0, 0, "pi inband call chan", respond_start, NULL},
	{"alerting",   0, 0, "pi inband call", respond_start, NULL},
	{"progress",   0, 0, "pi inband call cause", respond_start, NULL},
	{"answer",     0, 0, "call",     respond_start, NULL},
	{"reject",     0, 1, "call",     respond_start, NULL},
	{"hangup",     0, 1, "call",     hangup_start,  NULL},
	{"info",       1, 1, "call",     info_start,    NULL},
	{"keypad",     1, 1, "call",     keypad_start,  NULL},
	{"notify",     1, 1, "call",     notify_start,  NULL},
	{"restart",    0, 1, "",         restart_start, NULL},
	{"noclear",    0, 1, "",         noclear_start, NULL},
	{"tone",       3, 3, "call",     tone_start,    NULL},
	{"dtmf",       1, 1, "level on off call", dtmf_start, NULL},
	{"silence",    1, 1, "call",     silence_start, NULL},
	{"hybrid",     0, 0, "gain delay off call", hybrid_start, NULL},
	{"autoanswer", 0, 0, "ring hold reject echo off", autoanswer_start,
	 NULL},
	{"load",       0, 0, "calls rate hold called calling concurrent "
	 "timeout nowait", load_cmd_start, load_cmd_poll},
	{"stats",      0, 0, "",         stats_start,   NULL},
	{"log",        0, CMD_MAXARGS, "", log_start,   NULL},
};

static const struct op *op_find(const char *name)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	}
	return NULL;
}

static bool key_allowed(const char *keys, const char *word)
{
	size_t len = strcspn(word, "=");
	const char *k = keys;

	while (*k) {
		size_t kl = strcspn(k, " ");

		if (kl == len && !strncmp(k, word, len))
			return true;
		k += kl;
		k += strspn(k, " ");
	}
	return false;
}

static int cmd_check(const struct cmd *c, const char *name)
{
	const struct op *op = op_find(c->argv[0]);
	int npos = 0;

	if (!op) {
		re_fprintf(stderr, "pbxsim: %s:%d: unknown command %s\n",
			   name, c->line, c->argv[0]);
		return EINVAL;
	}
	if (op->start == log_start)
		return 0;
	for (int i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		bool opt = strchr(w, '=') && w[0] >= 'a' && w[0] <= 'z';

		/* bare flags (exclusive, inband...) follow the positionals */
		if (!opt && npos >= op->minpos && key_allowed(op->keys, w))
			opt = true;
		else if (!opt)
			npos++;
		if (opt && !key_allowed(op->keys, w)) {
			re_fprintf(stderr, "pbxsim: %s:%d: %s: unknown "
				   "option %s\n", name, c->line, c->argv[0], w);
			return EINVAL;
		}
	}
	if (npos < op->minpos || npos > op->maxpos) {
		re_fprintf(stderr, "pbxsim: %s:%d: %s takes %d to %d "
			   "arguments\n", name, c->line, c->argv[0],
			   op->minpos, op->maxpos);
		return EINVAL;
	}
	return 0;
}

static int expect_check(const struct cmd *c, const char *name)
{
	const char *what = cmd_pos(c, 0);
	bool needs_arg = !strcmp(what, "tone") || !strcmp(what, "notone") ||
		!strcmp(what, "dtmf") || !strcmp(what, "number");
	double hz;

	if (cmd_opt(c, "onset") && (strcmp(what, "tone") &&
				    strcmp(what, "notone"))) {
		re_fprintf(stderr, "pbxsim: %s:%d: expect %s: onset= is for "
			   "tone and notone\n", name, c->line, what);
		return EINVAL;
	}
	if (cmd_opt(c, "onset") && (cmd_num(c, "onset", &hz) || hz < 200 ||
				    hz > 3400)) {
		re_fprintf(stderr, "pbxsim: %s:%d: expect %s: onset=HZ, 200 "
			   "to 3400\n", name, c->line, what);
		return EINVAL;
	}
	if (!strcmp(what, "load") || !strcmp(what, "stats"))
		return expect_counts_check(c, name);
	if (!strcmp(what, "cadence") || !strcmp(what, "nocadence")) {
		if (!cadence_check(c))
			return 0;
		re_fprintf(stderr, "pbxsim: %s:%d: expect %s FREQ[+FREQ] "
			   "on=MS off=MS\n", name, c->line, what);
		return EINVAL;
	}
	if (needs_arg != (cmd_pos(c, 1) != NULL) ||
	    (!needs_arg && expect_event_check(c))) {
		re_fprintf(stderr, "pbxsim: %s:%d: expect %s: unknown event "
			   "or missing argument\n", name, c->line, what);
		return EINVAL;
	}
	return 0;
}

/* Check every command before running any */
int run_check(const struct script *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct cmd *c = &s->cmds[i];
		int err = cmd_check(c, s->name);

		if (!err && !strcmp(c->argv[0], "wait") &&
		    strcmp(cmd_pos(c, 0), "up") && strcmp(cmd_pos(c, 0), "down"))
			err = EINVAL;
		if (!err && !strcmp(c->argv[0], "expect"))
			err = expect_check(c, s->name);
		if (err)
			return err;
	}
	return 0;
}

static void run_h(void *arg)
{
	struct pbxsim *p = arg;

	while (p->exit_code < 0) {
		const struct cmd *c = p->waiting;
		const struct op *op;
		enum step st;

		if (c) {
			st = op_find(c->argv[0])->poll(p, c, expired_now(p));
			if (st == STEP_WAIT)
				return;
			p->waiting = NULL;
			p->wait_until = 0;
			tmr_cancel(&p->tmr_wait);
			if (st == STEP_FAIL)
				finish(p, 1);
			continue;
		}
		if (p->pc >= p->script->n) {
			/* let the calls being cleared finish their exchange */
			bool clearing = calls_clearing(p);

			if (clearing && !p->wait_until) {
				p->wait_until = tmr_jiffies() + LINGER_MS;
				tmr_start(&p->tmr_wait, LINGER_MS, wait_h, p);
			}
			if (clearing && !expired_now(p))
				return;
			finish(p, 0);
			return;
		}
		c = &p->script->cmds[p->pc++];
		op = op_find(c->argv[0]);
		st = op->start(p, c);
		if (st == STEP_WAIT)
			p->waiting = c;
		else if (st == STEP_FAIL)
			finish(p, 1);
	}
}

void run_kick(struct pbxsim *p)
{
	if (p && p->exit_code < 0)
		tmr_start(&p->tmr_run, 0, run_h, p);
}

int run_start(struct pbxsim *p)
{
	if (!p || !p->script)
		return EINVAL;
	p->exit_code = -1;
	run_kick(p);
	return 0;
}
