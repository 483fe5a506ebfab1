/*
 * siptest: a sipua with a scripted fake core, for the SIPp tests of sip/.
 *
 * Incoming INVITEs: the Request-URI user picks the behaviour:
 *   answer            CONNECT at once; echo RTP back
 *   ring-answer       ALERTING, CONNECT 200 ms later
 *   early-answer      PROGRESS with early media, CONNECT 300 ms later
 *   ring              ALERTING, then wait (CANCEL tests)
 *   answer-hangup     CONNECT, DISCONNECT cause 16 (BYE) 500 ms later
 *   reject-N[-user]   DISCONNECT cause N (location user with -user)
 *   ring-reject-N     ALERTING, then DISCONNECT cause N 200 ms later
 *   busy              DISCONNECT cause 17
 *   anything else     DISCONNECT cause 1
 * Outgoing (-o URI): -m call | call-wait | cancel | cancel-now, see usage.
 *
 * Every cc_msg from a leg is printed on stdout as one line:
 *   EV <leg> <TYPE> cause=N progress=P early=0|1 law=A|U|-
 * (SETUP lines add called=, calling=, pres=, redir=, user=).  On SIGTERM it
 * frees everything and prints "live N rtp_tx N legs N rtp N refused N"
 * (sipua_stats) and "mem blocks N"; the exit status is 0 only with no live
 * legs.
 *
 * Its one SIP peer accepts requests from 127.0.0.1 (any port, either
 * transport) and is trusted (RFC 3325 §4); -u makes it untrusted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include "common/log.h"
#include "common/timer.h"
#include "sip/sipleg.h"

struct tcall {
	struct le le;
	struct sipleg *leg;
	struct tmr tmr;
	unsigned id;
	char user[64];
	struct siprtp *rtp;      /* the leg's RTP session, run here */
	unsigned rtp_rx;
	uint32_t ts;
	int step;
};

static struct {
	struct sipua *ua;
	struct list calls;
	unsigned next_id;
	const char *mode;
	const char *out_uri;
	struct cc_msg setup;
	unsigned hold_ms;
	unsigned cancel_ms;
	int cancel_cause;
	unsigned rtp_tx;
	bool exit_on_release;
	bool untrusted;
} t;

/* RFC 3398 §7.2.4.1 (cause -> status) and §8.2.6.1 (status -> cause),
 * and 487 -> 16 (our CANCEL); the daemon takes its tables from the core */
static int to_status(int cause, int location, void *arg)
{
	(void)arg;
	switch (cause) {
	case 1: case 2: case 3: return 404;
	case 16: return 480;
	case 17: return 486;
	case 18: return 408;
	case 19: case 20: return 480;
	case 21: return location == 0 ? 603 : 403;
	case 22: return 410;
	case 27: return 502;
	case 28: return 484;
	case 34: case 38: case 41: case 42: case 47: return 503;
	case 102: return 504;
	default: return 500;
	}
}

static int from_status(int status, void *arg)
{
	(void)arg;
	switch (status) {
	case 404: case 604: case 485: return 1;
	case 403: case 603: return 21;
	case 408: return 102;
	case 410: return 22;
	case 480: return 18;
	case 484: return 28;
	case 486: case 600: return 17;
	case 487: return 16;
	case 500: case 503: return 41;
	case 502: return 38;
	case 504: return 102;
	default: return 31;
	}
}

static void call_destructor(void *arg)
{
	struct tcall *c = arg;

	tmr_cancel(&c->tmr);
	c->rtp = mem_deref(c->rtp);
	list_unlink(&c->le);
}

static void print_msg(const struct tcall *c, const struct cc_msg *m)
{
	int law = c->leg ? sipleg_media_law(c->leg) : 0;

	printf("EV %u %s cause=%d progress=%d early=%d law=%c",
	       c->id, cc_type_name(m->type), m->cause, m->progress,
	       m->early_media, law ? law : '-');
	if (m->type == CC_INFO)
		printf(" digits=%s", m->digits);
	if (m->type == CC_RELEASE)
		printf(" rtp_rx=%u", c->rtp_rx);
	printf("\n");
	fflush(stdout);
}

static void send_type(struct tcall *c, enum cc_type type, int cause,
		      int location)
{
	struct cc_msg m;

	cc_msg_init(&m, type);
	m.cause = cause;
	m.location = location;
	if (type == CC_PROGRESS) {
		m.progress = CC_PI_INBAND;
		m.early_media = true;
	}
	if (sipleg_send(c->leg, &m))
		printf("SEND-ERR %u %s\n", c->id, cc_type_name(type));
}

static void out_step(void *arg);

static void msg_handler(const struct cc_msg *m, void *arg)
{
	struct tcall *c = arg;

	print_msg(c, m);
	if (m->type == CC_CONNECT && !strcmp(t.mode, "call") && t.hold_ms)
		tmr_start(&c->tmr, t.hold_ms, out_step, c);
	if (m->type == CC_ALERTING && !strcmp(t.mode, "cancel"))
		tmr_start(&c->tmr, t.cancel_ms, out_step, c);
	if (m->type == CC_RELEASE) {
		c->leg = NULL;
		mem_deref(c);
		if (t.exit_on_release && !t.calls.head)
			re_cancel();
	}
}

/* echo G.711 back, with our own timestamps */
static void rtp_handler(const uint8_t *pcm, size_t len, uint32_t ts,
			uint16_t seq, void *arg)
{
	struct tcall *c = arg;
	(void)ts;
	(void)seq;

	if (!c->rtp_rx++ && !siprtp_send(c->rtp, pcm, len, c->ts, true))
		t.rtp_tx++;
	else if (c->rtp_rx > 1 && !siprtp_send(c->rtp, pcm, len, c->ts, false))
		t.rtp_tx++;
	c->ts += (uint32_t)len;
}

static void rtp_event(const struct siprtp_event *ev, void *arg)
{
	struct tcall *c = arg;

	sipleg_rtp_event(c->leg, ev);
}

/* the leg's media: its RTP session runs on this loop, as the daemon's
 * runs on its media plane */
static void media_handler(const struct sipmdesc *d, void *arg)
{
	struct tcall *c = arg;

	if (!c->rtp) {
		c->rtp = sipleg_rtp_take(c->leg);
		if (siprtp_start(c->rtp, rtp_handler, NULL, rtp_event, c))
			c->rtp = mem_deref(c->rtp);
	}
	if (d->closed)
		c->rtp = mem_deref(c->rtp);
	else
		(void)siprtp_update(c->rtp, d);
}

static void script_step(void *arg)
{
	struct tcall *c = arg;
	const char *u = c->user;

	if (!strcmp(u, "ring-answer") || !strcmp(u, "early-answer"))
		send_type(c, CC_CONNECT, 0, 0);
	else if (!strcmp(u, "answer-hangup"))
		send_type(c, CC_DISCONNECT, 16, CC_LOC_PRIV_LOCAL);
	else if (!strncmp(u, "ring-reject-", 12))
		send_type(c, CC_DISCONNECT, atoi(u + 12), CC_LOC_PRIV_LOCAL);
}

static void script_start(struct tcall *c)
{
	const char *u = c->user;

	send_type(c, CC_PROCEEDING, 0, 0);
	if (!strcmp(u, "answer")) {
		send_type(c, CC_CONNECT, 0, 0);
	}
	else if (!strcmp(u, "ring-answer")) {
		send_type(c, CC_ALERTING, 0, 0);
		tmr_start(&c->tmr, 200, script_step, c);
	}
	else if (!strcmp(u, "early-answer")) {
		send_type(c, CC_PROGRESS, 0, 0);
		tmr_start(&c->tmr, 300, script_step, c);
	}
	else if (!strcmp(u, "ring")) {
		send_type(c, CC_ALERTING, 0, 0);
	}
	else if (!strcmp(u, "answer-hangup")) {
		send_type(c, CC_CONNECT, 0, 0);
		tmr_start(&c->tmr, 500, script_step, c);
	}
	else if (!strncmp(u, "reject-", 7)) {
		send_type(c, CC_DISCONNECT, atoi(u + 7),
			  strstr(u, "-user") ? CC_LOC_USER : CC_LOC_PRIV_LOCAL);
	}
	else if (!strncmp(u, "ring-reject-", 12)) {
		send_type(c, CC_ALERTING, 0, 0);
		tmr_start(&c->tmr, 200, script_step, c);
	}
	else if (!strcmp(u, "busy")) {
		send_type(c, CC_DISCONNECT, 17, CC_LOC_USER);
	}
	else {
		send_type(c, CC_DISCONNECT, 1, CC_LOC_PRIV_LOCAL);
	}
}

static struct tcall *call_new(void)
{
	struct tcall *c = mem_zalloc(sizeof(*c), call_destructor);

	if (!c)
		return NULL;
	c->id = ++t.next_id;
	list_append(&t.calls, &c->le, c);
	return c;
}

static void invite_handler(struct sipleg *leg, const struct cc_msg *setup,
			   const char *ruri_user, void *arg)
{
	struct tcall *c = call_new();
	(void)arg;

	if (!c)
		return;
	c->leg = leg;
	str_ncpy(c->user, ruri_user, sizeof(c->user));
	sipleg_set_handlers(leg, msg_handler, media_handler, c);
	printf("EV %u SETUP called=%s calling=%s pres=%d redir=%s "
	       "redir_reason=%d user=%s\n", c->id, setup->called.number,
	       setup->calling.number, setup->calling.pres,
	       setup->redirecting.number, setup->redirect_reason,
	       ruri_user);
	fflush(stdout);
	script_start(c);
}

static void out_step(void *arg)
{
	struct tcall *c = arg;

	send_type(c, CC_DISCONNECT, t.cancel_cause, CC_LOC_USER);
}

static int place_call(void)
{
	struct tcall *c = call_new();
	int err;

	if (!c)
		return ENOMEM;
	err = sipleg_invite(&c->leg, t.ua, t.out_uri, &t.setup, msg_handler,
			    c);
	if (err) {
		printf("INVITE-ERR %d\n", err);
		mem_deref(c);
		return err;
	}
	sipleg_set_handlers(c->leg, msg_handler, media_handler, c);
	if (!strcmp(t.mode, "cancel-now"))
		out_step(c);
	return 0;
}

static void signal_handler(int sig)
{
	(void)sig;
	re_cancel();
}

static void usage(void)
{
	fprintf(stderr,
		"usage: siptest [-l udp|tcp:IP:PORT]... [-C timer_c_ms] "
		"[-B timer_b_ms]\n"
		"  [-o URI -m call|call-wait|cancel|cancel-now] [-H hold_ms] "
		"[-K cancel_ms] [-k cause]\n"
		"  [-f calling] [-r (restricted)] [-d redirecting] [-n called]"
		" [-x (exit after release)] [-u (peer untrusted)] [-v]\n");
	exit(2);
}

static void add_listen(struct sipua_conf *conf, const char *arg)
{
	struct sipua_listen *l;

	if (conf->nlisten >= SIPUA_MAX_LISTEN || strlen(arg) < 5)
		usage();
	l = &conf->listen[conf->nlisten++];
	l->proto = !strncmp(arg, "tcp:", 4) ? SIPUA_TCP : SIPUA_UDP;
	str_ncpy(l->addr, arg + 4, sizeof(l->addr));
}

/* the peer: 127.0.0.1, any port and transport (sip/acl.c); no host,
 * so that no outgoing call takes its policy */
static void add_peer(struct sipua_conf *conf)
{
	struct sipua_peer *p = &conf->peers[conf->npeers++];

	p->rel100 = conf->rel100;
	p->alert_inband = conf->alert_inband;
	str_ncpy(p->src[0].addr, "127.0.0.1", sizeof(p->src[0].addr));
	p->src[0].prefix = 32;
	p->src[0].proto = -1;
	p->nsrc = 1;
	p->trusted = !t.untrusted;
}

static int parse_args(int argc, char **argv, struct sipua_conf *conf)
{
	int ch;

	while ((ch = getopt(argc, argv, "l:C:B:o:m:H:K:k:f:rd:n:xuv")) != -1) {
		switch (ch) {
		case 'l': add_listen(conf, optarg); break;
		case 'C': conf->timer_c_ms = atoi(optarg); break;
		case 'B': conf->timer_b_ms = atoi(optarg); break;
		case 'o': t.out_uri = optarg; break;
		case 'm': t.mode = optarg; break;
		case 'H': t.hold_ms = atoi(optarg); break;
		case 'K': t.cancel_ms = atoi(optarg); break;
		case 'k': t.cancel_cause = atoi(optarg); break;
		case 'f': str_ncpy(t.setup.calling.number, optarg,
				   CC_NUMLEN); break;
		case 'r': t.setup.calling.pres = CC_PRES_RESTRICTED; break;
		case 'd': str_ncpy(t.setup.redirecting.number, optarg,
				   CC_NUMLEN);
			  t.setup.redirect_reason = 15; break;
		case 'n': str_ncpy(t.setup.called.number, optarg,
				   CC_NUMLEN); break;
		case 'x': t.exit_on_release = true; break;
		case 'u': t.untrusted = true; break;
		case 'v': log_set_level(LOG_LVL_DEBUG); break;
		default: usage();
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sipua_conf conf;
	struct sipleg_causes causes = {to_status, from_status, NULL};
	struct memstat mstat;
	struct sipua_stats st;
	unsigned live;
	int err;

	memset(&conf, 0, sizeof(conf));
	cc_msg_init(&t.setup, CC_SETUP);
	t.mode = "call";
	t.cancel_cause = 16;
	t.cancel_ms = 0;
	log_init("siptest", true, LOG_LVL_INFO);
	parse_args(argc, argv, &conf);
	if (!conf.nlisten)
		add_listen(&conf, "udp:127.0.0.1:5060");
	add_peer(&conf);
	str_ncpy(conf.user_agent, "sipri-siptest", sizeof(conf.user_agent));
	conf.rtp_port_min = 20000;
	conf.rtp_port_max = 20999;

	err = libre_init();
	if (err)
		return 1;
	err = sipua_alloc(&t.ua, &conf, &causes, invite_handler, NULL);
	if (err) {
		fprintf(stderr, "sipua_alloc: %s\n", strerror(err));
		goto out;
	}
	printf("READY\n");
	fflush(stdout);
	if (t.out_uri && place_call())
		goto out;
	err = re_main(signal_handler);
	/* a leg released just before SIGTERM delivers its RELEASE from a
	 * 0 ms timer, which the loop stopped before running: run what is
	 * due now, as the next pass would have */
	timer_heap_run(timer_thread_heap(), timer_now());
 out:
	live = sipua_live_legs(t.ua);
	sipua_stats(t.ua, &st);
	printf("live %u rtp_tx %u legs %u rtp %u refused %u\n", live,
	       t.rtp_tx, st.legs, st.rtp, st.refused);
	t.ua = mem_deref(t.ua);
	list_flush(&t.calls);
	if (timer_heap_count(timer_thread_heap()))
		printf("sip/'s timers left %zu\n",
		       timer_heap_count(timer_thread_heap()));
	timer_thread_close();
	libre_close();
	tmr_debug();
	if (!mem_get_stat(&mstat))
		printf("mem blocks %zu\n", mstat.blocks_cur);
	fflush(stdout);
	return live ? 1 : 0;
}
