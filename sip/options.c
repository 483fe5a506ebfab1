/*
 * sip/options.c: OPTIONS, both ways.
 *
 * As UAS (RFC 3261 §11.2): the 200 with Allow, Accept and Supported is
 * ua.c's; here is the 503 a gateway that can take no call (no PRI span
 * up, no free B-channel, max_calls reached) gives instead (RFC 3261
 * §21.5.4), which lets a proxy that pings sipri route around it
 * (conf/kamailio).
 *
 * As UAC (RFC 3261 §11.1): one OPTIONS ping toward a trunk peer, with a
 * time limit of its own.  libre 1.1.0 fixes Timer F at 64*T1 (32 s); a
 * ping that has no final response within the limit is cancelled and
 * reported as failed, like a Timer F expiry (§17.1.2.2, a 408).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"


struct sipua_ping {
	struct sipua *ua;             /* a reference */
	struct sip_dialog *dlg;       /* only for To/From/Call-ID/CSeq */
	struct sip_request *req;
	char *uri;                    /* its host names a TLS server */
	struct timer tmr;
	sipua_ping_h *h;
	void *arg;
};

void sipua_set_avail_handler(struct sipua *ua, sipua_avail_h *h, void *arg)
{
	if (!ua)
		return;
	ua->availh = h;
	ua->avail_arg = arg;
}

/* 503 instead of 200 while the gateway can take no call; true if sent */
bool sipopt_unavailable(struct sipua *ua, const struct sip_msg *msg)
{
	if (!ua->availh || ua->availh(ua->avail_arg))
		return false;
	sip_log(LOG_LVL_DEBUG, "sip: OPTIONS from %J: no call can be taken, 503",
		&msg->src);
	(void)sip_replyf(ua->sip, msg, 503, "Service Unavailable",
			 "Retry-After: %u\r\n"
			 "Content-Length: 0\r\n\r\n", SIPUA_RETRY_AFTER_S);
	return true;
}

static void ping_destructor(void *arg)
{
	struct sipua_ping *p = arg;

	timer_cancel(&p->tmr);
	p->req = mem_deref(p->req);   /* libre stops the transaction */
	p->dlg = mem_deref(p->dlg);
	p->uri = mem_deref(p->uri);
	p->ua = mem_deref(p->ua);
}

/* report once; the owner may free the ping from inside its handler */
static void ping_done(struct sipua_ping *p, int err, uint16_t scode)
{
	sipua_ping_h *h = p->h;

	timer_cancel(&p->tmr);
	p->h = NULL;
	p->req = mem_deref(p->req);
	if (h)
		h(err, scode, p->arg);
}

static void ping_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct sipua_ping *p = arg;

	if (!err && msg && msg->scode < 200)
		return;
	ping_done(p, err, err || !msg ? 0 : msg->scode);
}

static void ping_timeout(void *arg)
{
	ping_done(arg, ETIMEDOUT, 0);
}

static int ping_send_h(enum sip_transp tp, const struct sa *src,
		       const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct sipua_ping *p = arg;
	struct sipua_contact_ctx c = {p->ua, tp, src, dst, NULL};

	siptls_expect(p->ua, tp, p->uri);   /* RFC 5922 §7.2 */
	return mbuf_printf(mb, "Contact: %H\r\n", sipua_contact_h, &c);
}

int sipua_ping(struct sipua_ping **pingp, struct sipua *ua, const char *uri,
	       unsigned timeout_ms, sipua_ping_h *h, void *arg)
{
	struct sipua_ping *p;
	char from[128];
	struct sa peer, host;
	int err;

	if (!pingp || !ua || !uri || !timeout_ms || !h)
		return EINVAL;
	p = mem_zalloc(sizeof(*p), ping_destructor);
	if (!p)
		return ENOMEM;
	p->ua = mem_ref(ua);
	p->h = h;
	p->arg = arg;
	timer_init(&p->tmr);
	sipaddr_pick(ua, sipaddr_uri_peer(uri, &peer) ? NULL : &peer,
		     &ua->sip_laddr, &host);
	(void)re_snprintf(from, sizeof(from), sa_af(&host) == AF_INET6 ?
			  "sip:%s@[%j]" : "sip:%s@%j",
			  ua->conf.contact_user[0] ? ua->conf.contact_user :
			  "sipri", &host);
	/* RFC 3261 §11.1: To and Request-URI name the peer */
	err = str_dup(&p->uri, uri);
	if (err)
		goto out;
	err = siptls_dialog_alloc(&p->dlg, uri, uri, NULL, from);
	if (err)
		goto out;
	err = sip_drequestf(&p->req, ua->sip, true, "OPTIONS", p->dlg, 0,
			    NULL, ping_send_h, ping_resp, p,
			    "Accept: application/sdp\r\n"
			    "Content-Length: 0\r\n\r\n");
	if (err)
		goto out;
	timer_start(&p->tmr, timeout_ms, ping_timeout, p);
 out:
	if (err)
		mem_deref(p);
	else
		*pingp = p;
	return err;
}
