/*
 * sip/register.c: our registration with a trunk (RFC 3261 §10), one per
 * peer with cred.reg set.  sip:USER@HOST is bound to our Contact,
 * sip:USER@our-address, so that the trunk's calls come to sipri with
 * USER in the Request-URI.  All REGISTERs of one binding share a Call-ID
 * and count up their CSeq (§10.2).  They go to the trunk's URI, over its
 * transport: a sips: one (RFC 5630) or ;transport=tls over TLS, whose
 * server must be named by its certificate (RFC 5922 §7.2, sip/tls.c).
 *
 *   2xx       REGISTERED; refreshed halfway through the expiry granted
 *             (the Contact's expires, else Expires; §10.2.4), at most
 *             what we asked for (§10.2.1); one that
 *             grants nothing (expires 0) is a failure
 *   401/407   again at once with the trunk's credentials (§22.2); a
 *             second challenge means they are wrong: FAILED
 *   423       again at once with its Min-Expires (§10.2.8)
 *   other, or no response
 *             FAILED; again after Retry-After when given (§20.33), else
 *             after 30 s doubling to 30 min
 *
 * Every change of state is logged: register(TRUNK){STATE}: ...  A reload
 * keeps a registration whose trunk keys stayed as they were; one that
 * ends (reload, stop) removes its binding (§10.2.2).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

enum {
	REG_FAIL_MIN_S = 30,
	REG_FAIL_MAX_S = 1800,
};

enum sipregc_state { REG_IDLE = 0, REG_REGISTERING, REG_REGISTERED,
		     REG_FAILED };

/* what a registration is made of: a reload keeps it when this stays */
struct sipregc_key {
	char name[SIPUA_STRLEN];      /* the trunk, for logs */
	char host[SIPUA_STRLEN];
	uint16_t port;
	char uri[SIPUA_STRLEN * 2];   /* the registrar's, with its transport */
	struct sipua_cred cred;       /* user: also the Contact user */
};

struct sipregc {
	struct le le;
	struct sipua *ua;
	struct sipregc_key key;
	bool mark;                    /* sync: still configured */
	struct sip_dialog *dlg;
	struct sip_auth *auth;
	struct sip_request *req;
	struct timer tmr;
	enum sipregc_state state;
	uint32_t expires;             /* what we ask for, s */
	uint32_t granted;             /* what the registrar said, s */
	unsigned failc;               /* failures in a row */
	bool authed;                  /* credentials sent since the 2xx */
	bool bound;                   /* a 2xx came: the registrar has us */
	struct sa contact;            /* our Contact's address (sip/addr.c) */
};

static const char *state_name(enum sipregc_state s)
{
	static const char *const names[] = {
		"IDLE", "REGISTERING", "REGISTERED", "FAILED",
	};

	return names[s];
}

static void reg_log(const struct sipregc *r, enum log_level lvl,
		    const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sip_log(lvl, "register(%s){%s}: %s", r->key.name,
		state_name(r->state), buf);
}

/*
 * RFC 3261 §10.2.2: Contact "*" with Expires 0 removes our bindings.
 * Sent once, statelessly, as we go (stop or reload): nobody waits for
 * the answer.
 */
static int unreg_send_handler(enum sip_transp tp, const struct sa *src,
			      const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct sipregc *r = arg;
	(void)src;
	(void)dst;
	(void)mb;

	siptls_expect(r->ua, tp, r->key.uri);   /* RFC 5922 §7.2 */
	return 0;
}

static void regc_unregister(struct sipregc *r)
{
	int err;

	if (!r->bound || !r->ua->sip)
		return;
	err = sip_drequestf(NULL, r->ua->sip, false, "REGISTER", r->dlg, 0,
			    r->auth, unreg_send_handler, NULL, r,
			    "Contact: *\r\n"
			    "Expires: 0\r\n"
			    "Content-Length: 0\r\n\r\n");
	r->state = REG_IDLE;
	reg_log(r, err ? LOG_LVL_WARN : LOG_LVL_INFO, "unregistering "
		"(Contact: *, Expires: 0)%s", err ? ": not sent" : "");
}

static void regc_destructor(void *arg)
{
	struct sipregc *r = arg;

	regc_unregister(r);
	timer_cancel(&r->tmr);
	list_unlink(&r->le);
	mem_deref(r->req);
	mem_deref(r->auth);
	mem_deref(r->dlg);
}

static int send_handler(enum sip_transp tp, const struct sa *src,
			const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct sipregc *r = arg;
	struct sipua_contact_ctx c = {r->ua, tp, src, dst, r->key.cred.user};

	/* our address toward the registrar, as every Contact of ours has
	 * it (advertise, external: sipri.conf(5), ADDRESSES) */
	sipaddr_pick(r->ua, dst, src, &r->contact);
	siptls_expect(r->ua, tp, r->key.uri);   /* RFC 5922 §7.2 */
	return mbuf_printf(mb, "Contact: %H;expires=%u\r\n", sipua_contact_h,
			   &c, r->expires);
}

static void resp_handler(int err, const struct sip_msg *msg, void *arg);

static int regc_send(struct sipregc *r)
{
	return sip_drequestf(&r->req, r->ua->sip, true, "REGISTER", r->dlg,
			     0, r->auth, send_handler, resp_handler, r,
			     "Expires: %u\r\n"
			     "Content-Length: 0\r\n\r\n", r->expires);
}

static void tmr_handler(void *arg)
{
	struct sipregc *r = arg;
	int err;

	if (r->state != REG_REGISTERED)
		r->state = REG_REGISTERING;
	r->authed = false;
	err = regc_send(r);
	if (err) {
		r->state = REG_FAILED;
		r->failc++;
		reg_log(r, LOG_LVL_WARN, "REGISTER not sent (%m): again in "
			"%u s", err, REG_FAIL_MIN_S);
		timer_start(&r->tmr, REG_FAIL_MIN_S * 1000, tmr_handler, r);
	}
}

/* our binding among the 2xx's Contacts: its expires (§10.2.4) */
static bool contact_handler(const struct sip_hdr *hdr,
			    const struct sip_msg *msg, void *arg)
{
	struct sipregc *r = arg;
	struct sip_addr c;
	struct pl val;
	struct sa host;
	(void)msg;

	if (sip_addr_decode(&c, &hdr->val) ||
	    pl_strcmp(&c.uri.user, r->key.cred.user))
		return false;
	if (sa_set(&host, &c.uri.host, c.uri.port) ||
	    !sa_cmp(&host, &r->contact, SA_ALL))
		return false;
	if (msg_param_decode(&c.params, "expires", &val))
		return false;
	r->granted = pl_u32(&val);
	return true;
}

static uint32_t granted(struct sipregc *r, const struct sip_msg *msg)
{
	r->granted = pl_isset(&msg->expires) ? pl_u32(&msg->expires) :
		r->expires;
	(void)sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, contact_handler,
				r);
	return r->granted;
}

static void failed(struct sipregc *r, int err, const struct sip_msg *msg);

/*
 * The expiry we count with: what the registrar granted, but never more
 * than we asked for (RFC 3261 §10.2.1: it may shorten the interval, not
 * lengthen it; a larger one is taken as ours).  Refreshed halfway.
 */
uint32_t sipregc_expiry(uint32_t asked, uint32_t granted)
{
	return granted < asked ? granted : asked;
}

uint64_t sipregc_refresh_ms(uint32_t expiry)
{
	return (uint64_t)expiry * 500;
}

static void registered(struct sipregc *r, const struct sip_msg *msg)
{
	uint32_t exp = sipregc_expiry(r->expires, granted(r, msg));
	uint64_t refresh_ms = sipregc_refresh_ms(exp);

	if (!exp) {   /* our binding is not among the registrar's */
		failed(r, 0, msg);
		return;
	}
	r->state = REG_REGISTERED;
	r->bound = true;
	r->failc = 0;
	reg_log(r, LOG_LVL_INFO, "%u %r, expires in %u s, refresh in %llu ms",
		msg->scode, &msg->reason, exp, refresh_ms);
	timer_start(&r->tmr, refresh_ms, tmr_handler, r);
}

/* RFC 3261 §20.33: Retry-After's delta-seconds, or 0 */
static uint32_t retry_after(const struct sip_msg *msg)
{
	const struct sip_hdr *hdr = msg ? sip_msg_hdr(msg, SIP_HDR_RETRY_AFTER)
		: NULL;
	struct pl num;

	if (!hdr || re_regex(hdr->val.p, hdr->val.l, "[0-9]+", &num))
		return 0;
	return pl_u32(&num);
}

/* s until the next try after failc failures in a row (0: the first) */
uint32_t sipregc_wait(unsigned failc, uint32_t retry_after)
{
	uint32_t wait = REG_FAIL_MIN_S << (failc < 6 ? failc : 6);

	if (retry_after)
		return retry_after;
	return wait < REG_FAIL_MAX_S ? wait : REG_FAIL_MAX_S;
}

static void failed(struct sipregc *r, int err, const struct sip_msg *msg)
{
	uint32_t ra = retry_after(msg);
	uint32_t wait = sipregc_wait(r->failc, ra);

	r->failc++;
	r->state = REG_FAILED;
	if (msg)
		reg_log(r, LOG_LVL_WARN, "%u %r%s, again in %u s%s",
			msg->scode, &msg->reason, msg->scode < 300 ?
			" without our binding" : "", wait, ra ?
			" (Retry-After)" : "");
	else
		reg_log(r, LOG_LVL_WARN, "no response (%m), again in %u s",
			err, wait);
	timer_start(&r->tmr, wait * 1000, tmr_handler, r);
}

/* 401/407 (§22.2) and 423 (§10.2.8): again at once; false: give up */
static bool retry_now(struct sipregc *r, const struct sip_msg *msg)
{
	const struct sip_hdr *minexp;

	if ((msg->scode == 401 || msg->scode == 407) && r->auth &&
	    !r->authed) {
		sip_auth_reset(r->auth);
		if (sip_auth_authenticate(r->auth, msg))
			return false;
		r->authed = true;
		return !regc_send(r);
	}
	if (msg->scode == 423) {
		minexp = sip_msg_hdr(msg, SIP_HDR_MIN_EXPIRES);
		if (!minexp || pl_u32(&minexp->val) <= r->expires)
			return false;
		r->expires = pl_u32(&minexp->val);
		return !regc_send(r);
	}
	return false;
}

static void resp_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct sipregc *r = arg;

	if (msg && msg->scode < 200)
		return;
	if (!err && msg && msg->scode < 300) {
		registered(r, msg);
		return;
	}
	if (!err && msg && retry_now(r, msg))
		return;
	failed(r, err, msg);
}

static int regc_alloc(struct sipua *ua, int peer,
		      const struct sipregc_key *key)
{
	struct sipregc *r;
	char aor[160];
	struct uri u;
	struct pl pl;
	int err;

	pl_set_str(&pl, key->uri);
	if (uri_decode(&u, &pl))
		return EINVAL;
	r = mem_zalloc(sizeof(*r), regc_destructor);
	if (!r)
		return ENOMEM;
	r->ua = ua;
	r->key = *key;
	r->mark = true;
	r->expires = key->cred.reg_expires ? key->cred.reg_expires : 3600;
	timer_init(&r->tmr);
	list_append(&ua->regl, &r->le, r);
	/* §10.2: Request-URI the registrar's domain (the trunk's URI, with
	 * its transport, as the INVITEs'), To and From the AOR, in its
	 * scheme */
	(void)re_snprintf(aor, sizeof(aor), "%r:%s@%s", &u.scheme,
			  key->cred.user, key->host);
	err  = siptls_dialog_alloc(&r->dlg, key->uri, aor, NULL, aor);
	err |= sipauthc_alloc(&r->auth, ua, peer);
	if (err) {
		mem_deref(r);
		return err;
	}
	r->state = REG_REGISTERING;
	reg_log(r, LOG_LVL_INFO, "%s at %s, asking for %u s", aor, key->uri,
		r->expires);
	timer_start(&r->tmr, 0, tmr_handler, r);
	return 0;
}

static void key_make(struct sipregc_key *k, const struct sipua_peer *p)
{
	memset(k, 0, sizeof(*k));
	str_ncpy(k->name, p->name[0] ? p->name : p->host, sizeof(k->name));
	str_ncpy(k->host, p->host, sizeof(k->host));
	k->port = p->port;
	str_ncpy(k->uri, p->uri, sizeof(k->uri));
	k->cred = p->cred;
}

static struct sipregc *regc_find(struct sipua *ua,
				 const struct sipregc_key *key)
{
	struct le *le;

	LIST_FOREACH(&ua->regl, le) {
		struct sipregc *r = le->data;

		if (!memcmp(&r->key, key, sizeof(*key)))
			return r;
	}
	return NULL;
}

/* start the registrations the configuration asks for; one whose trunk
 * and keys are as they were goes on as it is, the others end */
void sipregc_sync(struct sipua *ua)
{
	struct sipregc_key key;
	struct sipregc *r;
	struct le *le;

	LIST_FOREACH(&ua->regl, le)
		((struct sipregc *)le->data)->mark = false;
	for (unsigned i = 0; i < ua->conf.npeers; i++) {
		const struct sipua_peer *p = &ua->conf.peers[i];

		if (!p->cred.reg || !p->cred.user[0])
			continue;
		key_make(&key, p);
		r = regc_find(ua, &key);
		if (r)
			r->mark = true;
		else if (regc_alloc(ua, (int)i, &key))
			sip_log(LOG_LVL_WARN, "register(%s): cannot register "
				"at \"%s\"", key.name, key.uri);
	}
	le = list_head(&ua->regl);
	while (le) {
		r = le->data;
		le = le->next;
		if (!r->mark)
			mem_deref(r);
	}
}

/* the registration state of trunk name: "REGISTERED", "REGISTERING",
 * "FAILED", "IDLE"; NULL when it does not register */
const char *sipua_reg_state(const struct sipua *ua, const char *name)
{
	struct le *le;

	if (!ua || !name)
		return NULL;
	LIST_FOREACH(&ua->regl, le) {
		const struct sipregc *r = le->data;

		if (!strcmp(r->key.name, name))
			return state_name(r->state);
	}
	return NULL;
}
