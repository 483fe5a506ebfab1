/*
 * pbxsim: a scriptable ISDN PRI peer.  It drives one D-channel (network or
 * CPE side) through DAHDI and libpri and runs a scenario against whatever
 * is on the other end of the span: another pbxsim, sipri, or a real PBX.
 * See tdm/pbxsim/README for the scenario language.
 *
 * Exit status: 0 when every expectation passed, 1 when one failed (the log
 * says which), 2 for a usage, script or setup error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/timer.h"
#include "pbxsim.h"

struct opts {
	int node;
	const char *switchname;
	int switchtype;
	int span, dchan;
	int debug;
	double timeout;
	bool check_only;
	char *text;                /* the scenario, from -f and -e */
	const char *scriptname;
	char *timers[16];
	int ntimers;
};

static void usage(void)
{
	fprintf(stderr,
"usage: pbxsim [-nv] [--node network|cpe] [--switch TYPE] --span N | --dchan CHANNO\n"
"              [--settle S] [--timeout S] [--timer NAME=MS]... [--max-calls N]\n"
"              -f SCRIPT | -e 'CMD; ...'\n"
"  --node      network (default) or cpe\n"
"  --switch    euroisdn (default), national, ni1, dms100, 4ess, 5ess, qsig\n"
"  --span N    use span N's D-channel; --dchan CHANNO names it directly\n"
"  --settle S  after DCHAN_UP, `wait up` waits S more seconds (default 1.5)\n"
"  --timeout S give up on the whole scenario after S seconds (default 60)\n"
"  --timer     a libpri timer in ms, e.g. T309=2000 or T200=500\n"
"  --max-calls at most N calls at once (default: no limit); more: cause 34\n"
"  -f SCRIPT   run the scenario in SCRIPT; -e CMDS runs CMDS (both add up)\n"
"  -n          check the scenario and exit\n"
"  -v          log Q.931 messages (twice: Q.921 too)\n");
}

static int text_add(struct opts *o, const char *more)
{
	char *t = NULL;
	int err = re_sdprintf(&t, "%s%s\n", o->text ? o->text : "", more);

	if (err)
		return err;
	mem_deref(o->text);
	o->text = t;
	return 0;
}

static int file_add(struct opts *o, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[65536];
	size_t n;

	if (!f)
		return errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	o->scriptname = path;
	return text_add(o, buf);
}

static int opts_parse(struct opts *o, int argc, char **argv,
		      struct pbxsim *p)
{
	static const struct option lo[] = {
		{"node", required_argument, NULL, 'N'},
		{"switch", required_argument, NULL, 'S'},
		{"span", required_argument, NULL, 's'},
		{"dchan", required_argument, NULL, 'D'},
		{"settle", required_argument, NULL, 'W'},
		{"timeout", required_argument, NULL, 'T'},
		{"timer", required_argument, NULL, 'R'},
		{"max-calls", required_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch, err = 0;

	while (!err && (ch = getopt_long(argc, argv, "e:f:nvh", lo,
					 NULL)) != -1) {
		switch (ch) {
		case 'N': err = prilink_node_parse(&o->node, optarg); break;
		case 'S': o->switchname = optarg; break;
		case 's': o->span = atoi(optarg); break;
		case 'D': o->dchan = atoi(optarg); break;
		case 'W': p->settle = atof(optarg); break;
		case 'T': o->timeout = atof(optarg); break;
		case 'M': p->max_calls = (unsigned)atoi(optarg); break;
		case 'R':
			if (o->ntimers == 16)
				return E2BIG;
			o->timers[o->ntimers++] = optarg;
			break;
		case 'e': err = text_add(o, optarg); break;
		case 'f': err = file_add(o, optarg); break;
		case 'n': o->check_only = true; break;
		case 'v':
			o->debug |= o->debug & PRI_DEBUG_Q931_DUMP ?
				PRI_DEBUG_Q921_DUMP | PRI_DEBUG_Q921_STATE :
				PRI_DEBUG_Q931_DUMP | PRI_DEBUG_Q931_STATE;
			break;
		default:
			return EINVAL;
		}
	}
	if (err)
		return err;
	if (optind != argc || !o->text)
		return EINVAL;
	if (!o->check_only && (o->span < 1) == (o->dchan < 1))
		return EINVAL;
	return 0;
}

static void log_h(struct prilink *l, bool error, const char *msg)
{
	(void)l;
	re_printf("%s%s%s", error ? "libpri error: " : "libpri: ", msg,
		  msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
}

static int timers_set(struct pbxsim *p, const struct opts *o)
{
	for (int i = 0; i < o->ntimers; i++) {
		char name[16];
		int ms, idx;

		if (sscanf(o->timers[i], "%15[^=]=%d", name, &ms) != 2)
			return EINVAL;
		idx = pri_timer2idx(name);
		if (idx < 0 || pri_set_timer(prilink_pri(p->link), idx, ms)) {
			re_fprintf(stderr, "pbxsim: unknown timer %s\n", name);
			return EINVAL;
		}
	}
	return 0;
}

static int link_open(struct pbxsim *p, const struct opts *o)
{
	struct prilink_prm prm = {
		.dchan = o->dchan,
		.node = o->node,
		.debug = o->debug,
		.overlap = true,
	};
	int err;

	if (o->span) {
		err = dahdi_dchan_find(&prm.dchan, o->span);
		if (err) {
			re_fprintf(stderr, "pbxsim: span %d: no D-channel "
				   "(%m)\n", o->span, err);
			return err;
		}
	}
	prm.switchtype = o->switchtype;
	prilink_set_log(log_h);
	err = prilink_alloc(&p->link, &prm, call_event, call_dahdi_event, p);
	if (err) {
		re_fprintf(stderr, "pbxsim: D-channel %d: %m%s\n", prm.dchan,
			   err, err == ENOTSUP ? " (not an HDLC channel: "
			   "hardhdlc= in system.conf?)" : "");
		return err;
	}
	p->node = o->node;
	snprintf(p->name, sizeof(p->name), "span%d",
		 prilink_info(p->link)->spanno);
	return 0;
}

static void watchdog_h(void *arg)
{
	struct pbxsim *p = arg;

	run_fail(p, p->waiting, "the scenario timed out");
	if (p->load)
		load_abort(p->load, "the scenario timed out");
	call_hangup_all(p);
	p->exit_code = 1;
	re_cancel();
}

static void signal_h(int sig)
{
	re_fprintf(stderr, "pbxsim: signal %d\n", sig);
	re_cancel();
}

static int run(struct pbxsim *p, struct opts *o)
{
	struct tmr watchdog;
	int err;

	err = link_open(p, o);
	if (err)
		return err;
	err = timers_set(p, o);
	if (err)
		return err;
	sim_log(p, "D-channel %d, %s side, %s, %s", prilink_info(p->link)->channo,
		o->node == PRI_NETWORK ? "network" : "CPE",
		prilink_info(p->link)->t1 ? "T1" : "E1", o->switchname);
	tmr_init(&watchdog);
	tmr_start(&watchdog, (uint64_t)(o->timeout * 1000), watchdog_h, p);
	run_start(p);
	err = re_main(signal_h);
	tmr_cancel(&watchdog);
	return err;
}

int main(int argc, char **argv)
{
	struct opts o = {.node = PRI_NETWORK, .switchname = "euroisdn",
			 .timeout = 60.0};
	struct pbxsim p;
	int err, code = 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&p, 0, sizeof(p));
	str_ncpy(p.name, "-", sizeof(p.name));
	p.settle = 1.5;
	p.exit_code = -1;
	list_init(&p.events);
	list_init(&p.calls);
	tmr_init(&p.tmr_run);
	tmr_init(&p.tmr_wait);

	err = libre_init();
	if (err)
		return 2;
	fd_setsize(1024);
	/* PBXSIM_ABSTIME: stamp with libre's clock itself, so the logs of
	 * several pbxsims interleave in true order */
	p.t0 = getenv("PBXSIM_ABSTIME") ? 0 : tmr_jiffies();

	err = opts_parse(&o, argc, argv, &p);
	if (!err && prilink_switch_parse(&o.switchtype, o.switchname, false)) {
		fprintf(stderr, "pbxsim: unknown switchtype '%s'\n",
			o.switchname);
		err = EINVAL;
	}
	if (err) {
		usage();
		goto out;
	}
	err = script_parse(&p.script, o.text, o.scriptname);
	if (!err)
		err = run_check(p.script);
	if (err || o.check_only) {
		code = err ? 2 : 0;
		goto out;
	}
	err = run(&p, &o);
	code = p.exit_code < 0 ? 2 : p.exit_code;
 out:
	tmr_cancel(&p.tmr_run);
	tmr_cancel(&p.tmr_wait);
	p.load = mem_deref(p.load);
	list_flush(&p.calls);
	p.link = mem_deref(p.link);
	timer_thread_close();   /* the heap libpri's scheduler ran on */
	list_flush(&p.events);
	mem_deref(p.script);
	mem_deref(o.text);
	libre_close();
	return code;
}
