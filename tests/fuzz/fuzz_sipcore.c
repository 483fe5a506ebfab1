/*
 * The fake core of fuzz_sipmsg: a sipua whose one trunk takes requests
 * from 127.0.0.1, and a core that answers each INVITE by its
 * Request-URI user, as tests/sip/siptest.c does:
 *   ring       PROCEEDING, ALERTING
 *   early      PROGRESS with in-band information (183 with SDP)
 *   wait       nothing (the 100 Trying only)
 *   reject     DISCONNECT cause 17 (486)
 *   otherwise  PROCEEDING, ALERTING, CONNECT: a live dialog at once
 * Steps between datagrams act on the newest call: "!alert", "!progress",
 * "!connect", "!disc N", "!hold", "!retrieve", "!dtmf DIGITS".
 * The policy ("!ua" words): "100rel=off", "100rel=required", "timer=off",
 * "untrusted", "alert180", "info=dtmf", "t1=N" (ms, 1..500).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/fuzz_sip.h"

struct fuzz_call {
	struct le le;
	struct sipleg *leg;
};

/* RFC 3398 §7.2.4.1 and §8.2.6.1, a few rows: enough for the leg */
static int to_status(int cause, int location, void *arg)
{
	(void)location;
	(void)arg;
	switch (cause) {
	case 1:  return 404;
	case 16: return 480;
	case 17: return 486;
	default: return 500;
	}
}

static int from_status(int status, void *arg)
{
	(void)arg;
	switch (status) {
	case 404: return 1;
	case 486: return 17;
	case 487: return 16;
	default:  return 31;
	}
}

static void call_destructor(void *arg)
{
	struct fuzz_call *c = arg;

	list_unlink(&c->le);
}

static void msg_handler(const struct cc_msg *m, void *arg)
{
	struct fuzz_call *c = arg;

	if (m->type == CC_RELEASE)
		mem_deref(c);
}

/* the leg's media description: no RTP session is run here */
static void media_handler(const struct sipmdesc *d, void *arg)
{
	(void)d;
	(void)arg;
}

static void send_type(struct fuzz_call *c, enum cc_type type, int cause)
{
	struct cc_msg m;

	cc_msg_init(&m, type);
	m.cause = cause;
	m.location = CC_LOC_PRIV_LOCAL;
	if (type == CC_PROGRESS) {
		m.progress = CC_PI_INBAND;
		m.early_media = true;
	}
	(void)sipleg_send(c->leg, &m);
}

static void invite_handler(struct sipleg *leg, const struct cc_msg *setup,
			   const char *user, void *arg)
{
	struct fuzz_sip *f = arg;
	struct fuzz_call *c = mem_zalloc(sizeof(*c), call_destructor);
	(void)setup;

	if (!c)
		return;
	c->leg = leg;
	list_append(&f->calls, &c->le, c);
	sipleg_set_handlers(leg, msg_handler, media_handler, c);
	if (!strcmp(user, "wait"))
		return;
	if (!strcmp(user, "reject")) {
		send_type(c, CC_DISCONNECT, 17);
		return;
	}
	if (!strcmp(user, "early")) {
		send_type(c, CC_PROGRESS, 0);
		return;
	}
	send_type(c, CC_PROCEEDING, 0);
	send_type(c, CC_ALERTING, 0);
	if (strcmp(user, "ring"))
		send_type(c, CC_CONNECT, 0);
}

static bool has_word(const uint8_t *p, size_t n, const char *w)
{
	size_t l = strlen(w);

	for (; p && n >= l; p++, n--)
		if (!memcmp(p, w, l))
			return true;
	return false;
}

/* "t1=N": sip/'s own T1 (sipua_conf.t1_ms), 1..500 ms */
static unsigned policy_t1(const uint8_t *p, size_t n)
{
	struct pl num;

	if (!p || re_regex((const char *)p, n, "t1=[0-9]+", &num))
		return 0;
	if (num.l > 3 || !pl_u32(&num))
		return 1;
	return pl_u32(&num) > 500 ? 500 : pl_u32(&num);
}

void fuzz_core_policy(struct fuzz_sip *f, const uint8_t *p, size_t n)
{
	struct sipua_conf *c = &f->conf;

	c->rel100 = SIPUA_100REL_SUPPORTED;
	if (has_word(p, n, "100rel=off"))
		c->rel100 = SIPUA_100REL_DISABLED;
	if (has_word(p, n, "100rel=required"))
		c->rel100 = SIPUA_100REL_REQUIRED;
	c->session_expires = has_word(p, n, "timer=off") ? 0 : 1800;
	c->alert_inband = has_word(p, n, "alert180") ? SIPUA_ALERT_180 :
		SIPUA_ALERT_183;
	c->peers[0].trusted = !has_word(p, n, "untrusted");
	f->info_dtmf = has_word(p, n, "info=dtmf");
	c->t1_ms = policy_t1(p, n);
	f->policy_set = true;
}

static void conf_init(struct fuzz_sip *f)
{
	struct sipua_conf *c = &f->conf;
	struct sipua_peer *peer = &c->peers[0];

	if (!f->policy_set)
		fuzz_core_policy(f, NULL, 0);
	c->nlisten = 1;
	c->listen[0].proto = SIPUA_UDP;
	re_snprintf(c->listen[0].addr, sizeof(c->listen[0].addr),
		    "127.0.0.1:%u", FUZZ_GW_PORT);
	str_ncpy(c->user_agent, "sipri-fuzz", sizeof(c->user_agent));
	/* a DNS server nobody answers for: no /etc/resolv.conf read */
	str_ncpy(c->dns[0], "127.0.0.1:53", sizeof(c->dns[0]));
	c->ndns = 1;
	c->rtp_port_min = 20000;
	c->rtp_port_max = 20999;
	c->npeers = 1;
	peer->rel100 = c->rel100;
	peer->alert_inband = c->alert_inband;
	str_ncpy(peer->src[0].addr, "127.0.0.1", sizeof(peer->src[0].addr));
	peer->src[0].prefix = 32;
	peer->src[0].proto = -1;
	peer->nsrc = 1;
}

int fuzz_core_alloc(struct fuzz_sip *f)
{
	struct sipleg_causes causes = {to_status, from_status, NULL};

	conf_init(f);
	return sipua_alloc(&f->ua, &f->conf, &causes, invite_handler, f);
}

static void core_notify(struct fuzz_call *c, int notify)
{
	struct cc_msg m;

	cc_msg_init(&m, CC_NOTIFY);
	m.notify = notify;
	(void)sipleg_send(c->leg, &m);
}

static void core_dtmf(struct fuzz_sip *f, struct fuzz_call *c,
		      const struct pl *arg)
{
	struct cc_msg m;

	cc_msg_init(&m, CC_INFO);
	m.dtmf = true;
	m.dtmf_ms = 100;
	(void)pl_strcpy(arg, m.digits, sizeof(m.digits));
	sipleg_set_info_type(c->leg, f->info_dtmf ? SIPLEG_INFO_DTMF :
			     SIPLEG_INFO_DTMF_RELAY);
	(void)sipleg_send(c->leg, &m);
}

void fuzz_core_step(struct fuzz_sip *f, const uint8_t *p, size_t n)
{
	struct fuzz_call *c = list_ledata(list_tail(&f->calls));
	struct pl verb, arg = PL_INIT;

	if (!c || re_regex((const char *)p, n, "[a-z]+[ \t]*[^ \t\r\n]*",
			   &verb, NULL, &arg))
		return;
	if (!pl_strcmp(&verb, "alert"))
		send_type(c, CC_ALERTING, 0);
	else if (!pl_strcmp(&verb, "progress"))
		send_type(c, CC_PROGRESS, 0);
	else if (!pl_strcmp(&verb, "connect"))
		send_type(c, CC_CONNECT, 0);
	else if (!pl_strcmp(&verb, "disc"))
		send_type(c, CC_DISCONNECT, pl_isset(&arg) ?
			  (int)pl_u32(&arg) : 16);
	else if (!pl_strcmp(&verb, "hold"))
		core_notify(c, CC_NOTIFY_REMOTE_HOLD);
	else if (!pl_strcmp(&verb, "retrieve"))
		core_notify(c, CC_NOTIFY_REMOTE_RETRIEVAL);
	else if (!pl_strcmp(&verb, "dtmf"))
		core_dtmf(f, c, &arg);
}

/* freeing the sipua frees its legs without calling any handler */
void fuzz_core_free(struct fuzz_sip *f)
{
	f->ua = mem_deref(f->ua);
	list_flush(&f->calls);
}
