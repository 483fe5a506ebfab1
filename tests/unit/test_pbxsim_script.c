/*
 * pbxsim's scenario syntax (tdm/pbxsim/script.c) and the interpreter's
 * check of every command before it runs (run.c).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "tdm/pbxsim/pbxsim.h"
#include "tests/tap.h"

static struct script *parse(const char *text)
{
	struct script *s = NULL;

	if (script_parse(&s, text, "test"))
		return NULL;
	return s;
}

static bool valid(const char *text)
{
	struct script *s = parse(text);
	bool ok = s && !run_check(s);

	mem_deref(s);
	return ok;
}

/* `info`'s escapes: bytes no PBX should send (README) */
static void test_unescape(void)
{
	char buf[16];

	ok(!script_unescape(buf, sizeof(buf), "12#") && !strcmp(buf, "12#"),
	   "info digits without escapes are as written");
	ok(!script_unescape(buf, sizeof(buf), "5\\r\\nX\\t\\\\") &&
	   !strcmp(buf, "5\r\nX\t\\"), "\\r \\n \\t \\\\");
	ok(!script_unescape(buf, sizeof(buf), "\\x41\\xFF\\x0a") &&
	   !strcmp(buf, "A\xff\n"), "\\xHH, either case");
	ok(script_unescape(buf, sizeof(buf), "\\x00") == EBADMSG &&
	   script_unescape(buf, sizeof(buf), "\\x4") == EBADMSG &&
	   script_unescape(buf, sizeof(buf), "\\q") == EBADMSG &&
	   script_unescape(buf, sizeof(buf), "1\\") == EBADMSG,
	   "NUL, short \\x, unknown escape, trailing \\ refused");
	ok(script_unescape(buf, 4, "1234") == EOVERFLOW, "too long refused");
	ok(valid("info '5\\r\\n5#'"), "an info with escapes checks");
}

int main(void)
{
	struct script *s;
	double d = 0;
	int i = 0;

	libre_init();
	s = parse("wait up 10 # comment\n"
		  "call 1234 calling=5678 pres=restricted exclusive; "
		  "dtmf 0123456789*#ABCD\n\n"
		  "dtmf \"#1\" level=-12 ; expect setup called='12 34'\n");
	ok(s && s->n == 5, "five commands, comments and blank lines "
	   "skipped (%zu)", s ? s->n : 0);
	if (s && s->n == 5) {
		ok(s->cmds[0].line == 1 && s->cmds[3].line == 4,
		   "line numbers kept");
		ok(!strcmp(cmd_pos(&s->cmds[1], 0), "1234"), "positional");
		ok(!strcmp(cmd_opt(&s->cmds[1], "calling"), "5678"),
		   "KEY=VALUE option");
		ok(cmd_flag(&s->cmds[1], "exclusive"), "bare flag");
		ok(!strcmp(cmd_pos(&s->cmds[2], 0), "0123456789*#ABCD"),
		   "'#' inside a word is not a comment");
		ok(!strcmp(cmd_pos(&s->cmds[3], 0), "#1"), "quoted word");
		ok(!cmd_num(&s->cmds[3], "level", &d) && d == -12,
		   "numeric option");
		ok(!strcmp(cmd_opt(&s->cmds[4], "called"), "12 34"),
		   "quoted option value");
		ok(cmd_int(&s->cmds[4], "timeout", &i) == ENOENT,
		   "absent option");
		ok(!run_check(s), "the script checks");
	}
	mem_deref(s);

	ok(!parse("dtmf \"12"), "unterminated quote refused");
	ok(!valid("dial 1234"), "unknown command refused");
	ok(!valid("call 1234 colour=red"), "unknown option refused");
	ok(!valid("call"), "missing argument refused");
	ok(!valid("expect nonsense"), "unknown event refused");
	ok(!valid("expect tone"), "expect tone without a frequency refused");
	ok(!valid("wait sideways"), "wait up|down only");
	ok(valid("expect hangup cause=17 timeout=3; expect dtmf 12#; "
		 "expect notone 1004 ftol=5; reject 17; tone 1004 -10 2; "
		 "proceeding inband; hangup"), "a mixed scenario checks");
	/* several calls, autoanswer, load, counters (README) */
	ok(valid("autoanswer ring=500 hold=2000 echo; autoanswer reject=34; "
		 "autoanswer off"), "autoanswer and its options");
	ok(!valid("autoanswer colour=red"), "unknown autoanswer option "
	   "refused");
	ok(valid("load calls=30 rate=20 hold=2000 concurrent=30 called=200 "
		 "calling=5551234 timeout=20 nowait"), "load and its options");
	ok(!valid("load calls=30 speed=3"), "unknown load option refused");
	ok(valid("stats; expect stats answered=30 failed=0 peak=30 "
		 "timeout=10; expect load; expect load ok; "
		 "expect load connected=30 failed=0"), "stats and expect "
	   "load/stats");
	ok(valid("expect stats restarted=1 active=0"), "expect stats "
	   "restarted: calls a RESTART dropped");
	ok(!valid("expect stats colour=3"), "unknown counter refused");
	ok(!valid("expect load answered=3"), "expect load: its own counters "
	   "only");
	ok(!valid("expect stats nonsense"), "expect stats: only ok as a "
	   "word");
	ok(valid("answer call=2; hangup 16 call=2; tone 1004 -10 1 call=3; "
		 "expect tone 1004 call=3; expect connect call=2; "
		 "drain call=1; dtmf 12 call=1"), "call=N on call commands");
	ok(valid("expect cadence 425 on=1000 off=4000; expect nocadence "
		 "440+480 on=2000 off=4000 cycles=3 ftol=5 ttol=40 call=2; "
		 "hybrid gain=-6 delay=10; hybrid off; "
		 "expect tone 1004 maxgap=20"),
	   "cadence, hybrid and maxgap check");
	ok(!valid("expect cadence 425") && !valid("expect cadence x on=1 "
						   "off=1") &&
	   !valid("expect cadence 425+ on=1 off=1") &&
	   !valid("hybrid loud=3"),
	   "cadence without times or a frequency, unknown hybrid option "
	   "refused");
	ok(valid("notify hold; notify retrieval call=2; notify 0x79"),
	   "notify: hold, retrieval or a number, call=N");
	ok(valid("expect notone 1004 ftol=5 onset=1500 timeout=10; "
		 "expect tone 1500 onset=1500 call=2"),
	   "expect tone|notone onset=HZ");
	ok(!valid("expect notone 1004 onset=x") &&
	   !valid("expect tone 1004 onset=50") &&
	   !valid("expect cadence 425 on=1000 off=4000 onset=425") &&
	   !valid("expect connect onset=1500"),
	   "onset= needs a frequency in 200..3400, on tone and notone only");
	ok(!valid("notify") && !valid("notify hold chan=3"),
	   "notify needs its notification and takes only call=");
	ok(!valid("restart 5 call=2"), "call=N refused where it means "
	   "nothing");
	test_unescape();
	libre_close();
	return tap_done();
}
