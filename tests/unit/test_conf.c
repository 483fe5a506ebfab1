/*
 * Config loader: the shipped configs load with the values they document,
 * defaults apply, relative paths resolve against the file's folder, and
 * bad input gives an error naming the file, line and key.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include "gateway/config/conf.h"
#include "gateway/route/cause.h"
#include "gateway/route/route.h"
#include "tests/tap.h"

static const char *srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d ? d : TOP_SRCDIR;
}

static void mem_check(void)
{
	struct memstat st;

	if (!mem_get_stat(&st))
		ok(st.blocks_cur == 0, "no libre blocks left (%zu)",
		   st.blocks_cur);
	else
		tap_diag("libre has no MEM_DEBUG: LeakSanitizer checks leaks");
}

static bool source_is(const struct conf_source *src, const char *addr,
		      unsigned prefix, uint16_t port, int tp)
{
	struct sa want;

	return !sa_set_str(&want, addr, port) &&
		sa_cmp(&src->addr, &want, SA_ALL) && src->prefix == prefix &&
		src->tp == tp;
}

static struct conf *load(const char *rel, struct conf_err *err)
{
	char path[PATH_MAX];
	struct conf *conf = NULL;
	int e;

	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	e = conf_load(&conf, path, err);
	ok(e == 0, "%s loads%s%s", rel, e ? ": " : "", e ? err->msg : "");
	return conf;
}

/* the loopback profile (README): PRI calls go to sip:<called>@127.0.0.1:5062; SIP calls
 * for any user go to span 2 with the R-URI user as the called number */
static void test_loopback_routes(const struct conf *conf)
{
	static const char *const nums[] = { "1000", "+4930123", "0", "*9#" };
	static const char *const uris[] = {
		"sip:1000@127.0.0.1:5062", "sip:+4930123@127.0.0.1:5062",
		"sip:0@127.0.0.1:5062", "sip:*9%23@127.0.0.1:5062",
	};
	struct route_result res;

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		ok(!route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, nums[i], &res) &&
		   !strcmp(res.uri, uris[i]), "PRI %s -> %s (got %s)",
		   nums[i], uris[i], res.uri);
		ok(!route_lookup(&conf->routel, ROUTE_SIP_TO_PRI, nums[i], &res) &&
		   !strcmp(res.number, nums[i]) && res.group &&
		   conf_span_find(conf, 2) &&
		   !strcmp(res.group, conf_span_find(conf, 2)->group),
		   "SIP %s -> span 2, called %s", nums[i], nums[i]);
	}

	ok(!route_lookup(&conf->routel, ROUTE_SIP_TO_PRI, "sipp", &res) &&
	   !strcmp(res.group, "pbx"), "SIP user sipp -> span 2 too");
}

static void test_loopback(void)
{
	const struct conf_span *span;
	const struct conf_trunk *tr;
	const struct conf_listen *l;
	struct conf_err err;
	struct conf *conf;

	conf = load("conf/loopback.conf", &err);
	if (!conf)
		return;

	ok(list_count(&conf->spanl) == 1, "loopback: one span");
	span = conf_span_find(conf, 2);
	ok(span && span->dchan == 47, "span 2, D-channel 47");
	ok(span && span->nbchan == 30 && span->bchan[0] == 32 &&
	   span->bchan[14] == 46 && span->bchan[15] == 48 &&
	   span->bchan[29] == 62, "B-channels 32-46,48-62");
	ok(span && span->node == CONF_NODE_CPE &&
	   span->switchtype == CONF_SW_EUROISDN, "CPE side, euroisdn");
	ok(!conf_span_find(conf, 1), "span 1 is not sipri's");

	ok(list_count(&conf->sip.listenl) == 2, "two listen addresses");
	l = list_ledata(list_head(&conf->sip.listenl));
	ok(l && l->tp == CONF_TP_UDP && sa_port(&l->addr) == 5060 &&
	   sa_is_loopback(&l->addr), "UDP 127.0.0.1:5060");
	l = list_ledata(list_tail(&conf->sip.listenl));
	ok(l && l->tp == CONF_TP_TCP && sa_port(&l->addr) == 5060,
	   "TCP 127.0.0.1:5060");

	tr = list_ledata(list_head(&conf->trunkl));
	ok(tr && !strcmp(tr->host, "127.0.0.1") && tr->port == 5062 &&
	   tr->tp == CONF_TP_UDP && tr->options == 0,
	   "trunk 127.0.0.1:5062 UDP, no OPTIONS");
	ok(tr && tr->sources_set && tr->nsources == 1 && !tr->trusted &&
	   source_is(&tr->sources[0], "127.0.0.1", 32, 0, -1),
	   "SIP only from 127.0.0.1, any port; not trusted");

	ok(conf->gen.t1 == 500 && conf->gen.timer_c == 180000 &&
	   conf->gen.timer_b == 32000, "default SIP timers");
	ok(conf->gen.session_expires == 1800 && conf->gen.min_se == 90,
	   "RFC 4028 defaults: Session-Expires 1800 s, Min-SE 90 s");
	ok(conf->gen.rel100 == CONF_100REL_SUPPORTED &&
	   conf->gen.dtmf == CONF_DTMF_AUTO, "100rel supported, dtmf auto");
	ok(list_count(&conf->routel) == 2, "two routes");
	test_loopback_routes(conf);

	mem_deref(conf);
}

/* a relative path is resolved against the file's folder */
static void test_relative_path(char *want, size_t size)
{
	char dir[] = "/tmp/test_conf.XXXXXX", path[256];
	struct conf_err err;
	struct conf *conf = NULL;
	FILE *f;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/sipri.conf", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("[general]\ncontrol = rel.ctl\n[span 1]\ndchan = 16\n"
		      "bchan = 1-15\n", f);
		fclose(f);
	}
	snprintf(want, size, "%s/rel.ctl", dir);
	ok(!conf_load(&conf, path, &err) && conf->gen.control &&
	   !strcmp(conf->gen.control, want),
	   "control path resolved against the file's folder: %s",
	   conf && conf->gen.control ? conf->gen.control : err.msg);
	mem_deref(conf);
	unlink(path);
	rmdir(dir);
}

static void test_sample(void)
{
	const struct conf_trunk *tr;
	const struct conf_span *span;
	struct conf_err err;
	struct conf *conf;
	char want[PATH_MAX + 16];

	conf = load("conf/sipri.conf", &err);
	if (!conf)
		return;

	span = conf_span_find(conf, 1);
	ok(span && span->hunting == CONF_HUNT_DESCENDING &&
	   !span->overlap && !strcmp(span->group, "pbx"),
	   "sample span 1 settings");
	tr = conf_trunk_find(conf, "carrier");
	ok(tr && cause_to_status(tr->causes, 34, CC_LOC_USER) == 503 &&
	   cause_from_status(tr->causes, 480) == 19 &&
	   cause_from_status(tr->causes, 503) == 34,
	   "sample trunk cause overrides");
	ok(tr && tr->rel100 == -1 && tr->alert_inband == CONF_ALERT_183 &&
	   tr->ringback == CONF_RINGBACK_LOCAL && tr->inband_disc &&
	   tr->inband_disc_ms == 30000,
	   "sample trunk 100rel and progress-indicator policy");
	ok(conf->num.cc[0] == '4' && !strcmp(conf->num.area, "30"),
	   "sample numbering");

	ok(conf->gen.control &&
	   !strcmp(conf->gen.control, "/run/sipri/sipri.ctl"),
	   "sample control socket: %s",
	   conf->gen.control ? conf->gen.control : "(null)");
	mem_deref(conf);
	test_relative_path(want, sizeof(want));
}

static void test_defaults(void)
{
	const struct conf_listen *l;
	const struct conf_span *span;
	struct conf_err err;
	struct conf *conf = NULL;
	const char *txt = "[span 1]\ndchan=16\nbchan=1-15,17-31\n"
		"[general]\nt1 = 250\ncontrol = /run/sipri.ctl\n";

	ok(!conf_parse(&conf, "mem.conf", txt, strlen(txt), &err),
	   "minimal config parses: %s", err.msg);
	if (!conf)
		return;

	span = conf_span_find(conf, 1);
	ok(span && span->node == CONF_NODE_CPE &&
	   span->switchtype == CONF_SW_EUROISDN &&
	   span->hunting == CONF_HUNT_ASCENDING &&
	   span->chansel == CONF_CHANSEL_EXCLUSIVE && !span->overlap &&
	   span->restart_on_up && span->pri_debug == CONF_PRI_DEBUG_NONE &&
	   !strcmp(span->group, "default"), "span defaults");
	ok(conf->gen.timer_b == 64 * 250, "Timer B defaults to 64*T1");
	ok(conf->gen.rtp_min == 10000 && conf->gen.rtp_max == 20000,
	   "default RTP ports");
	ok(conf->gen.t303 == 4000 && conf->gen.t310 == 30000 &&
	   conf->gen.t301 == 180000, "default Q.931 timers");
	ok(conf->gen.media_threads == 0, "media_threads: one per core");
	ok(!strcmp(conf->gen.control, "/run/sipri.ctl"),
	   "absolute control path kept");
	ok(list_count(&conf->sip.listenl) == 2, "default listen UDP+TCP");
	l = list_ledata(list_head(&conf->sip.listenl));
	ok(l && sa_port(&l->addr) == 5060, "default port 5060");
	ok(!strncmp(conf->sip.user_agent, "sipri/", 6), "default UA %s",
	   conf->sip.user_agent);
	ok(conf->sip.ndns == 0, "no dns_server: resolv.conf's");
	{
		char dump[2048];

		re_snprintf(dump, sizeof(dump), "%H", conf_debug, conf);
		ok(strstr(dump, "span 1: dchan 16, 30 B-channels 1..31, "
			  "euroisdn cpe, hunting ascending, channel selection "
			  "exclusive, overlap no, restart on up yes, group "
			  "default, pri debug none") != NULL,
		   "the dump shows the span's settings: %s", dump);
	}

	mem_deref(conf);
}

struct bad {
	const char *txt;
	unsigned line;
	const char *key;
	const char *msg;
};

static const struct bad bads[] = {
	{ "[general]\nt1 = 5x\n", 2, "t1",
	  "mem.conf:2: [general] key \"t1\": bad number \"5x\"" },
	{ "[general]\n100rel = maybe\n", 2, "100rel",
	  "mem.conf:2: [general] key \"100rel\": bad value \"maybe\" "
	  "(expected supported|required|disabled)" },
	{ "[general]\nrtp_ports = 20000-10000\n", 2, "rtp_ports", NULL },
	{ "[general]\nt1 = 1\nt1 = 2\n", 3, "t1",
	  "mem.conf:3: [general] key \"t1\": duplicate key" },
	{ "[general]\n[general]\n", 2, "",
	  "mem.conf:2: [general]: duplicate section" },
	{ "t1 = 5\n", 1, "", "mem.conf:1: key \"t1\" before any [section]" },
	{ "[spam]\n", 1, "", "mem.conf:1: [spam]: unknown section" },
	{ "[span]\n", 1, "", "mem.conf:1: [span]: needs a name: [span NAME]" },
	{ "[general\n", 1, "",
	  "mem.conf:1: section header without closing ']'" },
	{ "[general]\nt1\n", 2, "",
	  "mem.conf:2: expected \"key = value\" or \"[section]\"" },
	{ "[span 1]\nbchan = 1-15\n", 1, "dchan",
	  "mem.conf:1: [span 1] key \"dchan\": missing (the D-channel "
	  "number)" },
	{ "[span 1]\ndchan = 16\nbchan = 1-16\n", 1, "bchan", NULL },
	{ "[span 1]\ndchan = 16\nbchan = 1-40\n", 3, "bchan", NULL },
	{ "[span 1]\ndchan = 16\nbchan = 1-15\npri_debug = q932\n", 4,
	  "pri_debug", "mem.conf:4: [span 1] key \"pri_debug\": bad value "
	  "\"q932\" (expected none|q931|q921|all)" },
	{ "[span 1]\ndchan=16\nbchan=1-15\n[span 2]\ndchan=15\nbchan=20\n",
	  4, "dchan", "mem.conf:4: [span 2] key \"dchan\": channel 15 is "
	  "also used by span 1" },
	{ "[span 1]\ndchan=16\nbchan=1-15\n[span 1]\n", 4, "",
	  "mem.conf:4: [span 1]: duplicate span 1 (first at line 1)" },
	{ "[sip]\nlisten = sctp:1.2.3.4:5060\n", 2, "listen", NULL },
	{ "[sip]\nlisten = udp:1.2.3.4\n", 2, "listen", NULL },
	{ "[sip]\ndns_server = ns.example.net\n", 2, "dns_server", NULL },
	{ "[sip]\ndns_server = 1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5\n", 2,
	  "dns_server", NULL },
	{ "[trunk t]\nport = 5060\n", 1, "host", NULL },
	{ "[trunk t]\nhost = 1.2.3.4:5060\n", 2, "host", NULL },
	{ "[trunk t]\nhost = a b\n", 2, "host", NULL },
	{ "[trunk t]\nhost = h\ncause.200 = 486\n", 3, "cause.200", NULL },
	{ "[trunk t]\nhost = h\ncause.17 = 200\n", 3, "cause.17", NULL },
	{ "[trunk t]\nhost = h\nstatus.99 = 17\n", 3, "status.99", NULL },
	{ "[trunk t]\nhost = h\n100rel = yes\n", 3, "100rel", NULL },
	{ "[trunk t]\nhost = h\nalerting_inband = 181\n", 3,
	  "alerting_inband", NULL },
	{ "[trunk t]\nhost = h\nringback = tone\n", 3, "ringback", NULL },
	{ "[trunk t]\nhost = h\ninband_disconnect = maybe\n", 3,
	  "inband_disconnect", NULL },
	{ "[trunk t]\nhost = h\ninband_disconnect_timer = 5\n", 3,
	  "inband_disconnect_timer", NULL },
	{ "[trunk t]\nhost = h\nsources = sip.example.net\n", 3, "sources",
	  "mem.conf:3: [trunk t] key \"sources\": bad source "
	  "\"sip.example.net\" (expected ADDR[/PREFIX][:PORT]"
	  "[;transport=udp|tcp|tls], an IPv6 ADDR in brackets, or none)" },
	{ "[trunk t]\nhost = h\nsources = ::1\n", 3, "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.0/33\n", 3, "sources",
	  "mem.conf:3: [trunk t] key \"sources\": bad prefix in "
	  "\"10.0.0.0/33\" (0..32 bits)" },
	{ "[trunk t]\nhost = h\nsources = [::1]/129\n", 3, "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.0/\n", 3, "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.1.2.3/16\n", 3, "sources",
	  "mem.conf:3: [trunk t] key \"sources\": source \"10.1.2.3/16\" "
	  "has bits set beyond its /16 prefix" },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.1:0\n", 3, "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.1:5060:5061\n", 3,
	  "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = [::1\n", 3, "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.1;transport=sctp\n", 3,
	  "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.1;tranport=udp\n", 3,
	  "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.1, , 10.0.0.2\n", 3,
	  "sources", NULL },
	{ "[trunk t]\nhost = h\nsources = 10.0.0.1,10.0.0.2,10.0.0.3,"
	  "10.0.0.4,10.0.0.5,10.0.0.6,10.0.0.7,10.0.0.8,10.0.0.9\n", 3,
	  "sources", "mem.conf:3: [trunk t] key \"sources\": more than 8 "
	  "sources" },
	{ "[trunk t]\nhost = h\ntrusted = maybe\n", 3, "trusted", NULL },
	{ "[trunk t]\nhost = h\nchallenge_algorithm = sha-1\n", 3,
	  "challenge_algorithm", NULL },
	{ "[trunk t]\nhost = h\nchallenge_status = 403\n", 3,
	  "challenge_status", "mem.conf:3: [trunk t] key \"challenge_status\": "
	  "bad value \"403\" (401 or 407)" },
	{ "[trunk t]\nhost = h\nchallenge_nonce_lifetime = 0\n", 3,
	  "challenge_nonce_lifetime", NULL },
	{ "[trunk t]\nhost = h\nchallenge_realm = a\"b\n", 3,
	  "challenge_realm", NULL },
	{ "[trunk t]\nhost = h\nauth_user = u\n", 1, "auth_password",
	  NULL },
	{ "[trunk t]\nhost = h\nauth_password = p\n", 1, "auth_user",
	  NULL },
	{ "[trunk t]\nhost = h\nchallenge_password = p\n", 1,
	  "challenge_user", NULL },
	{ "[trunk t]\nhost = h\nregister_expires = 0\n", 3,
	  "register_expires", NULL },
	{ "[route r]\nmatch = any\ntrunk = t\n", 1, "direction", NULL },
	{ "[route r]\ndirection = sideways\n", 2, "direction", NULL },
	{ "[route r]\ndirection = pri-to-sip\nmatch = regex:([\n", 3,
	  "match", NULL },
	{ "[route r]\ndirection = pri-to-sip\nreplace = s/a/b\n", 3,
	  "replace", NULL },
	{ "[route r]\ndirection = pri-to-sip\nreplace = s/a/\\1/\n", 3,
	  "replace", NULL },
	{ "[route r]\ndirection = pri-to-sip\nreplace = s/a/b/g\n", 3,
	  "replace", NULL },
	{ "[route r]\ndirection = pri-to-sip\nuri = sip:${user}@h\n", 3,
	  "uri", NULL },
	{ "[route r]\ndirection = pri-to-sip\nmatch = prefix:x\n", 3,
	  "match", NULL },
	{ "[route r]\ndirection = pri-to-sip\nuri = sip:a@b\ngroup = g\n",
	  4, "group", NULL },
	{ "[route r]\ndirection = sip-to-pri\nuri = sip:a@b\n", 3, "uri",
	  NULL },
	{ "[route r]\ndirection = pri-to-sip\n", 1, "trunk", NULL },
	{ "[route r]\ndirection = pri-to-sip\ntrunk = nope\n", 3, "trunk",
	  "mem.conf:3: [route r] key \"trunk\": unknown trunk \"nope\"" },
	{ "[numbering]\ncountry_code = 4912\n", 2, "country_code", NULL },
	{ "[general]\nt1 = 99999999999999999999\n", 2, "t1", NULL },
	{ "[general]\nmedia_threads = 65\n", 2, "media_threads", NULL },
	{ "[general]\nt1 = 1\x00\n", 2, "", NULL },
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		size_t len = strlen(b->txt);
		struct conf *conf = NULL;
		struct conf_err err;
		int e;

		if (i == sizeof(bads) / sizeof(bads[0]) - 1)
			len += 2;   /* the embedded NUL and its newline */

		e = conf_parse(&conf, "mem.conf", b->txt, len, &err);
		ok(e && !conf, "bad #%zu fails: %s", i, err.msg);
		ok(err.line == b->line && !strcmp(err.key, b->key) &&
		   !strncmp(err.msg, "mem.conf:", 9),
		   "bad #%zu: line %u key \"%s\" (want %u \"%s\")", i,
		   err.line, err.key, b->line, b->key);
		if (b->msg)
			ok(!strcmp(err.msg, b->msg), "bad #%zu message: %s",
			   i, err.msg);
		mem_deref(conf);
	}
}

static void test_long_value(void)
{
	char txt[2048];
	struct conf *conf = NULL;
	struct conf_err err;
	size_t n;

	n = (size_t)snprintf(txt, sizeof(txt), "[general]\nt1 = ");
	memset(txt + n, '7', sizeof(txt) - n - 1);
	txt[sizeof(txt) - 1] = '\0';

	ok(conf_parse(&conf, "mem.conf", txt, strlen(txt), &err) == ERANGE,
	   "a 2 kB number is out of range");
	n = strlen(err.msg);
	ok(n > 100 && n < sizeof(err.msg) && !strcmp(err.msg + n - 3, "...")
	   && !strncmp(err.msg, "mem.conf:2: [general] key \"t1\": 777", 35),
	   "long value cut with ...: %.60s", err.msg);
}

/* [sip] dns_server, and a trunk with no port (RFC 3263) */
static void test_dns(void)
{
	struct conf *conf = NULL;
	struct conf_err err;
	const struct conf_trunk *tr;
	const char *txt = "[span 1]\ndchan=16\nbchan=1-15\n"
		"[sip]\ndns_server = 127.0.0.1:5353, [::1], 192.0.2.53\n"
		"[trunk carrier]\nhost = sip.example.net\n";

	ok(!conf_parse(&conf, "mem.conf", txt, strlen(txt), &err),
	   "dns_server parses: %s", err.msg);
	if (!conf)
		return;
	ok(conf->sip.ndns == 3 && sa_port(&conf->sip.dns[0]) == 5353 &&
	   sa_port(&conf->sip.dns[1]) == 53 && sa_af(&conf->sip.dns[1]) ==
	   AF_INET6 && sa_port(&conf->sip.dns[2]) == 53,
	   "three DNS servers, port 53 by default");
	tr = conf_trunk_find(conf, "carrier");
	ok(tr && tr->port == 0, "a trunk without a port keeps none");
	mem_deref(conf);
}

/* [span 1] with one more line; its test point says whether it parses */
static const struct conf_span *span_with(struct conf **confp,
					 const char *line)
{
	struct conf_err err;
	char txt[128];

	snprintf(txt, sizeof(txt), "[span 1]\ndchan=16\nbchan=1-15\n%s\n",
		 line);
	ok(!conf_parse(confp, "mem.conf", txt, strlen(txt), &err),
	   "span with \"%s\" parses: %s", line, err.msg);
	return *confp ? conf_span_find(*confp, 1) : NULL;
}

/* [span N] pri_debug: what libpri decodes into the debug log */
static void test_pri_debug(void)
{
	static const struct {
		const char *line;
		enum conf_pri_debug want;
	} tab[] = {
		{"pri_debug = none", CONF_PRI_DEBUG_NONE},
		{"pri_debug = q931", CONF_PRI_DEBUG_Q931},
		{"pri_debug = q921", CONF_PRI_DEBUG_Q921},
		{"pri_debug = all", CONF_PRI_DEBUG_ALL},
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct conf *conf = NULL;
		const struct conf_span *span = span_with(&conf, tab[i].line);

		ok(span && span->pri_debug == tab[i].want, "%s is kept",
		   tab[i].line);
		mem_deref(conf);
	}
}

/* [span N] restart_on_up: yes unless turned off (Q.931 §5.5) */
static void test_restart_on_up(void)
{
	static const struct {
		const char *line;
		bool want;
	} tab[] = {
		{"", true}, {"restart_on_up = yes", true},
		{"restart_on_up = no", false},
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct conf *conf = NULL;
		const struct conf_span *span = span_with(&conf, tab[i].line);

		ok(span && span->restart_on_up == tab[i].want,
		   "restart_on_up is %s", tab[i].want ? "yes" : "no");
		mem_deref(conf);
	}
}

/* the trace keys (gateway/trace.c): off by default, trace_dir as a path */
static void test_trace(void)
{
	static const char txt[] = "[span 1]\ndchan=16\nbchan=1-15\n"
		"[span 2]\ndchan=47\nbchan=32-46\ntrace = yes\n"
		"[trunk a]\nhost = 192.0.2.10\ntrace = yes\n"
		"[trunk b]\nhost = 192.0.2.11\n"
		"[general]\ntrace_dir = /var/tmp/traces\n";
	const struct conf_trunk *a, *b;
	struct conf_err err;
	struct conf *conf = NULL;

	ok(!conf_parse(&conf, "mem.conf", txt, strlen(txt), &err),
	   "trace keys parse: %s", err.msg);
	if (!conf)
		return;
	a = list_ledata(list_head(&conf->trunkl));
	b = list_ledata(list_tail(&conf->trunkl));
	ok(!conf_span_find(conf, 1)->trace && conf_span_find(conf, 2)->trace,
	   "span trace: no by default, yes when set");
	ok(a && b && a->trace && !b->trace,
	   "trunk trace: yes when set, no by default");
	ok(!strcmp(conf->gen.trace_dir, "/var/tmp/traces"),
	   "trace_dir kept");
	mem_deref(conf);
}

/* [trunk] sources and trusted (RFC 3261 §8.2, RFC 3325 §4), the default
 * from the host, and the dump */
static const char sources_txt[] =
	"[span 1]\ndchan=16\nbchan=1-15\n"
	"[trunk a]\nhost = 192.0.2.10\n"
	"[trunk b]\nhost = sip.example.net\n"
	"[trunk c]\nhost = [2001:db8::5]\nport = 5070\ntrusted = yes\n"
	"[trunk d]\nhost = 192.0.2.20\nsources = none\n"
	"[trunk e]\nhost = sip.example.net\nsources = 10.1.0.0/16, "
	"192.0.2.10:5060;transport=udp,[2001:db8::]/32:5070; transport=tcp\n"
	"trusted = no\n";

static void test_sources_dump(const struct conf *conf)
{
	char dump[4096];
	bool shown;

	re_snprintf(dump, sizeof(dump), "%H", conf_debug, conf);
	shown = strstr(dump, "trunk e: sip.example.net udp\n  sources "
		       "10.1.0.0/16, 192.0.2.10/32:5060;transport=udp, "
		       "[2001:db8::]/32:5070;transport=tcp, untrusted\n") &&
		strstr(dump, "trunk a: 192.0.2.10 udp\n  sources "
		       "192.0.2.10/32 (the host's), untrusted\n") &&
		strstr(dump, "  sources none (the host is a name), "
		       "untrusted\n") &&
		strstr(dump, "  sources [2001:db8::5]/128 (the host's), "
		       "trusted") &&
		strstr(dump, "trunk d: 192.0.2.20 udp\n  sources none, ");
	if (!ok(shown, "the dump shows each trunk's sources and trust"))
		tap_diag("%s", dump);
}

static void test_sources(void)
{
	struct conf *conf = NULL;
	struct conf_err err;
	const struct conf_trunk *a, *b, *c, *d, *e;

	ok(!conf_parse(&conf, "mem.conf", sources_txt, strlen(sources_txt),
		       &err), "sources and trusted parse: %s", err.msg);
	if (!conf)
		return;
	a = conf_trunk_find(conf, "a");
	b = conf_trunk_find(conf, "b");
	c = conf_trunk_find(conf, "c");
	d = conf_trunk_find(conf, "d");
	e = conf_trunk_find(conf, "e");
	ok(a && !a->sources_set && a->nsources == 1 && !a->trusted &&
	   source_is(&a->sources[0], "192.0.2.10", 32, 0, -1),
	   "no sources: the host address, any port and transport; untrusted");
	ok(b && b->nsources == 0, "no sources and a host name: nobody");
	ok(c && c->nsources == 1 && c->trusted &&
	   source_is(&c->sources[0], "2001:db8::5", 128, 0, -1),
	   "an [IPv6] host: its /128, not its port; trusted = yes");
	ok(d && d->sources_set && d->nsources == 0, "sources = none: nobody");
	ok(e && e->nsources == 3 && !e->trusted &&
	   source_is(&e->sources[0], "10.1.0.0", 16, 0, -1) &&
	   source_is(&e->sources[1], "192.0.2.10", 32, 5060, CONF_TP_UDP) &&
	   source_is(&e->sources[2], "2001:db8::", 32, 5070, CONF_TP_TCP),
	   "a prefix; a port and transport; an [IPv6] prefix with both");
	test_sources_dump(conf);
	mem_deref(conf);
}

static void test_missing_file(void)
{
	struct conf *conf = NULL;
	struct conf_err err;
	int e;

	e = conf_load(&conf, "/nonexistent/sipri.conf", &err);
	ok(e == ENOENT && !conf, "missing file: ENOENT");
	ok(strstr(err.msg, "/nonexistent/sipri.conf") != NULL,
	   "missing file named: %s", err.msg);
}

/* [trunk] digest authentication both ways and REGISTER (RFC 3261 §10,
 * §22; RFC 8760) */
static const char auth_txt[] =
	"[trunk a]\nhost = 192.0.2.10\n"
	"[trunk b]\nhost = 192.0.2.11\nchallenge_user = gw\n"
	"challenge_password = pw\nchallenge_realm = example.net\n"
	"challenge_algorithm = sha-256\nchallenge_nonce_lifetime = 60\n"
	"challenge_status = 407\n"
	"auth_user = 4930123\nauth_password = s3cret\nregister = yes\n"
	"register_expires = 600\n";

static void test_auth(void)
{
	struct conf *conf = NULL;
	struct conf_err err;
	const struct conf_trunk *a, *b;
	char dump[4096];

	ok(!conf_parse(&conf, "mem.conf", auth_txt, strlen(auth_txt), &err),
	   "authentication keys parse: %s", err.msg);
	if (!conf)
		return;
	a = conf_trunk_find(conf, "a");
	b = conf_trunk_find(conf, "b");
	ok(a && !a->auth.chall_user && !a->auth.user && !a->auth.reg &&
	   a->auth.alg == CONF_AUTH_BOTH && a->auth.nonce_ttl == 300 &&
	   a->auth.reg_expires == 3600 && a->auth.status == 401,
	   "defaults: no challenge, no credentials, no REGISTER; both "
	   "algorithms, 300 s, 401, 3600 s");
	ok(b && !strcmp(b->auth.chall_user, "gw") &&
	   !strcmp(b->auth.chall_pass, "pw") &&
	   !strcmp(b->auth.realm, "example.net") &&
	   b->auth.alg == CONF_AUTH_SHA256 && b->auth.nonce_ttl == 60 &&
	   b->auth.status == 407,
	   "the challenge: user, password, realm, SHA-256, 60 s, 407");
	ok(b && !strcmp(b->auth.user, "4930123") &&
	   !strcmp(b->auth.pass, "s3cret") && b->auth.reg &&
	   b->auth.reg_expires == 600,
	   "our credentials, register = yes, 600 s");
	re_snprintf(dump, sizeof(dump), "%H", conf_debug, conf);
	if (!ok(strstr(dump, "  challenges as example.net (407, digest sha-256, "
		       "nonces live 60 s)\n  authenticates as 4930123, "
		       "registers\n") && !strstr(dump, "s3cret") &&
		!strstr(dump, "pw"), "the dump shows them, without the "
		"passwords"))
		tap_diag("%s", dump);
	mem_deref(conf);
}

int main(void)
{
	test_loopback();
	test_sample();
	test_defaults();
	test_bad();
	test_long_value();
	test_dns();
	test_pri_debug();
	test_restart_on_up();
	test_trace();
	test_sources();
	test_auth();
	test_missing_file();
	mem_check();

	return tap_done();
}
