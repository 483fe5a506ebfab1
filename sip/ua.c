/*
 * sip/ua.c: the SIP stack of the gateway: transports, listeners and the
 * dispatch of incoming requests that libre's transaction layer passes up.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <string.h>
#include "sip/sip_int.h"

static void ua_destructor(void *arg)
{
	struct sipua *ua = arg;

	ua->tcp = mem_deref(ua->tcp);   /* accept() must not find ua */
	/* legs first: they own requests and transactions of ua->sip */
	list_flush(&ua->legl);
	list_flush(&ua->regl);
	ua->auth = mem_deref(ua->auth);
	ua->lsnr_req = mem_deref(ua->lsnr_req);
	ua->lsnr_resp = mem_deref(ua->lsnr_resp);
	if (ua->sip) {
		sip_close(ua->sip, true);
		ua->sip = mem_deref(ua->sip);
	}
	ua->dnsc = mem_deref(ua->dnsc);
	ua->flood = mem_deref(ua->flood);
	ua->tls = mem_deref(ua->tls);
}

const struct sipua_conf *sipua_conf(const struct sipua *ua)
{
	return &ua->conf;
}

/* peer i of the configuration in force; NULL: none (-1, or a reload
 * left fewer peers) */
const struct sipua_peer *sipua_peer_get(const struct sipua *ua, int i)
{
	if (!ua || i < 0 || (unsigned)i >= ua->conf.npeers)
		return NULL;
	return &ua->conf.peers[i];
}

unsigned sipua_t1(const struct sipua *ua)
{
	return ua->conf.t1_ms ? ua->conf.t1_ms : SIPUA_T1_DEFAULT;
}

unsigned sipua_live_legs(const struct sipua *ua)
{
	return ua ? ua->live : 0;
}

void sipua_stats(const struct sipua *ua, struct sipua_stats *st)
{
	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (ua)
		*st = ua->stats;
}

int sipua_contact(struct re_printf *pf, const struct sipua *ua,
		  const char *user, enum sip_transp tp, const struct sa *laddr,
		  const struct sa *peer)
{
	struct sa host;

	if (!user)
		user = ua->conf.contact_user[0] ? ua->conf.contact_user :
			"sipri";
	sipaddr_pick(ua, peer, laddr, &host);   /* never 0.0.0.0 */
	if (tp == SIP_TRANSP_UDP)
		return re_hprintf(pf, "<sip:%s@%J>", user, &host);
	return re_hprintf(pf, "<sip:%s@%J%s>", user, &host,
			  sip_transp_param(tp));
}

int sipua_contact_h(struct re_printf *pf, void *arg)
{
	const struct sipua_contact_ctx *c = arg;

	return sipua_contact(pf, c->ua, c->user, c->tp, c->laddr, c->peer);
}

/* the leg whose dialog (or, without a To tag, whose INVITE) this is */
struct sipleg *sipua_find_leg(struct sipua *ua, const struct sip_msg *msg)
{
	struct le *le;

	for (le = ua->legl.head; le; le = le->next) {
		struct sipleg *leg = le->data;

		if (leg->state == LEG_RELEASED || !leg->dlg)
			continue;
		if (sip_dialog_cmp(leg->dlg, msg))
			return leg;
	}
	return NULL;
}

static int reply_allow(struct sipua *ua, const struct sip_msg *msg,
		       uint16_t scode, const char *reason)
{
	struct siphdr_sup sup = {ua->conf.rel100 != SIPUA_100REL_DISABLED,
				 ua->conf.session_expires != 0};

	return sip_replyf(ua->sip, msg, scode, reason,
			  "Allow: " SIPUA_ALLOW "\r\n"
			  "Accept: application/sdp, application/dtmf-relay, "
			  "application/dtmf\r\n"
			  "%H"
			  "Content-Length: 0\r\n\r\n",
			  siphdr_supported, &sup);
}

static bool is_known_method(const struct pl *met)
{
	static const char *const known[] = {
		"REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "REFER",
		"UPDATE", "PUBLISH",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (!pl_strcmp(met, known[i]))
			return true;
	return false;
}

static bool is_our_method(const struct pl *met)
{
	return !pl_strcmp(met, "INVITE") || !pl_strcmp(met, "ACK") ||
		!pl_strcmp(met, "BYE") || !pl_strcmp(met, "CANCEL") ||
		!pl_strcmp(met, "OPTIONS") || !pl_strcmp(met, "INFO") ||
		!pl_strcmp(met, "UPDATE") || !pl_strcmp(met, "PRACK");
}

static bool hdr_count_handler(const struct sip_hdr *hdr,
			      const struct sip_msg *msg, void *arg)
{
	unsigned *n = arg;
	(void)hdr;
	(void)msg;
	++*n;
	return false;
}

static unsigned hdr_count(const struct sip_msg *msg, enum sip_hdrid id)
{
	unsigned n = 0;

	(void)sip_msg_hdr_apply(msg, true, id, hdr_count_handler, &n);
	return n;
}

/* RFC 3261 §25.1: Request-Line = Method SP Request-URI SP SIP-Version
 * CRLF, with single spaces (RFC 4475 §3.1.2.7-10) */
static bool request_line_ok(const struct sip_msg *msg)
{
	const char *p = msg->met.p;
	const uint8_t *end = msg->mb->buf + msg->mb->end;
	size_t want = msg->met.l + 1 + msg->ruri.l + 1 + 7;
	size_t i;

	if (!p || msg->ruri.p != p + msg->met.l + 1)
		return false;
	for (i = 0; (const uint8_t *)p + i < end; i++)
		if (p[i] == '\r' || p[i] == '\n')
			break;
	return i == want && p[msg->met.l] == ' ' &&
		p[msg->met.l + 1 + msg->ruri.l] == ' ';
}

/* Via, From, To, Contact: quotes balanced (RFC 4475 §3.1.2.6), no LWS
 * inside <> (RFC 3261 §25.1 LAQUOT/RAQUOT, RFC 4475 §3.1.2.14); Via: no
 * empty parameters (RFC 4475 §3.1.2.1; a user part may hold ";;") */
static bool value_bad_handler(const struct sip_hdr *hdr,
			      const struct sip_msg *msg, void *arg)
{
	const struct pl *v = &hdr->val;
	bool quoted = false;
	char prev = 0;
	size_t i;
	bool via = hdr->id == SIP_HDR_VIA;
	(void)msg;
	(void)arg;

	for (i = 0; i < v->l; i++) {
		char c = v->p[i];

		if (c == '"' && prev != '\\')
			quoted = !quoted;
		if (!quoted) {
			if (via && (c == ';' || c == ',') &&
			    (prev == ';' || prev == ','))
				return true;
			if (c == '<' && i + 1 < v->l &&
			    (v->p[i + 1] == ' ' || v->p[i + 1] == '\t'))
				return true;
			if (c == '>' && (prev == ' ' || prev == '\t'))
				return true;
		}
		prev = c;
	}
	return quoted || (via && (prev == ';' || prev == ','));
}

static bool values_bad(const struct sip_msg *msg)
{
	static const enum sip_hdrid ids[] = {
		SIP_HDR_VIA, SIP_HDR_FROM, SIP_HDR_TO, SIP_HDR_CONTACT,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		if (sip_msg_hdr_apply(msg, true, ids[i], value_bad_handler,
				      NULL))
			return true;
	return false;
}

/*
 * RFC 3261 §8.1.1 and §20: the headers every request must carry once, and
 * values that must parse.  libre 1.1.0 decodes leniently and passes such
 * messages up (RFC 4475 §3.1.2, §3.3.1, §3.3.8, §3.3.9).
 */
static const char *request_malformed(const struct sip_msg *msg)
{
	static const enum sip_hdrid once[] = {
		SIP_HDR_TO, SIP_HDR_FROM, SIP_HDR_CALL_ID, SIP_HDR_CSEQ,
		SIP_HDR_MAX_FORWARDS, SIP_HDR_CONTENT_LENGTH,
		SIP_HDR_CONTENT_TYPE,
	};
	const struct sip_hdr *hdr;
	struct sip_addr addr;
	size_t i;

	if (!request_line_ok(msg))
		return "Request-Line";
	for (i = 0; i < ARRAY_SIZE(once); i++)
		if (hdr_count(msg, once[i]) > 1)
			return "repeated single-valued header";
	if (values_bad(msg))
		return "Via/From/To/Contact syntax";
	if (!pl_isset(&msg->to.auri) || !pl_isset(&msg->from.auri) ||
	    !pl_isset(&msg->callid) || !pl_isset(&msg->cseq.met) ||
	    !sip_msg_hdr(msg, SIP_HDR_VIA))
		return "missing To/From/Call-ID/CSeq/Via";
	/* §8.2: CSeq method must match the request line */
	if (pl_cmp(&msg->cseq.met, &msg->met))
		return "CSeq method mismatch";
	/* a single-valued header carrying a comma list (RFC 4475 §3.3.8) */
	hdr = sip_msg_hdr(msg, SIP_HDR_CSEQ);
	if (hdr && pl_strchr(&hdr->val, ','))
		return "CSeq with a list";
	/* CSeq number is 32 bits (§8.1.1.5); Max-Forwards 0-255 (§20.22) */
	hdr = sip_msg_hdr(msg, SIP_HDR_CSEQ);
	if (hdr) {
		struct pl num;

		if (re_regex(hdr->val.p, hdr->val.l, "[0-9]+", &num) ||
		    num.l > 10 || pl_u64(&num) > 0xffffffffULL)
			return "CSeq number";
	}
	if (pl_isset(&msg->maxfwd)) {
		if (!siphdr_isdigits(&msg->maxfwd) ||
		    msg->maxfwd.l > 9 || pl_u32(&msg->maxfwd) > 255)
			return "Max-Forwards";
	}
	if (pl_isset(&msg->clen) &&
	    (!siphdr_isdigits(&msg->clen) || msg->clen.l > 9))
		return "Content-Length";
	/* RFC 3261 §18.3: a datagram shorter than its Content-Length */
	if (msg->tp == SIP_TRANSP_UDP && pl_isset(&msg->clen) &&
	    pl_u32(&msg->clen) > mbuf_get_left(msg->mb))
		return "Content-Length beyond the datagram";
	/* the From and To name-addr must parse (RFC 4475 §3.1.2.6, .14) */
	hdr = sip_msg_hdr(msg, SIP_HDR_FROM);
	if (!hdr || sip_addr_decode(&addr, &hdr->val))
		return "From";
	hdr = sip_msg_hdr(msg, SIP_HDR_TO);
	if (!hdr || sip_addr_decode(&addr, &hdr->val))
		return "To";
	/* the Request-URI must parse, with no escaped headers in it
	 * (RFC 3261 §19.1.5, RFC 4475 §3.1.2.11) */
	if (pl_isset(&msg->uri.headers))
		return "Request-URI headers";
	if (pl_strchr(&msg->ruri, '<') || pl_strchr(&msg->ruri, '>') ||
	    pl_strchr(&msg->ruri, ' '))
		return "Request-URI syntax";
	return NULL;
}

/* RFC 3261 §8.2.2.1: we serve sip:, and sips: over TLS (RFC 5630 §3.1.1);
 * 416 for other schemes, 400 when the Request-URI has no scheme at all */
static int ruri_check(const struct sip_msg *msg)
{
	struct pl scheme = msg->ruri;
	size_t i;

	if (pl_isset(&msg->uri.scheme))
		return !pl_strcasecmp(&msg->uri.scheme, "sip") ||
			(!pl_strcasecmp(&msg->uri.scheme, "sips") &&
			 msg->tp == SIP_TRANSP_TLS) ? 0 : 416;
	/* RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	for (i = 0; i < scheme.l; i++) {
		char c = scheme.p[i];

		if (c == ':')
			break;
		if (!isalpha((unsigned char)c) &&
		    (!i || (!isdigit((unsigned char)c) && !strchr("+-.", c))))
			return 400;
	}
	if (!i || i == scheme.l)
		return 400;
	scheme.l = i;
	return pl_strcasecmp(&scheme, "sip") ? 416 : 400;
}

struct require_ctx {
	const struct sipua *ua;
	struct pl bad;
};

static bool require_handler(const struct sip_hdr *hdr,
			    const struct sip_msg *msg, void *arg)
{
	struct require_ctx *ctx = arg;
	(void)msg;

	/* RFC 4028 §9: "timer" is ours when session timers are on */
	if (siphdr_option_known(&hdr->val) ||
	    (ctx->ua->conf.session_expires &&
	     !pl_strcasecmp(&hdr->val, "timer")))
		return false;
	ctx->bad = hdr->val;
	return true;
}

/*
 * RFC 3261 §8.2.2.3: every option-tag in Require must be ours
 * (siphdr_option_known); 100rel may still be refused per peer by the UAS
 * (prack.c).  Not for ACK and CANCEL.
 */
static bool require_refused(struct sipua *ua, const struct sip_msg *msg)
{
	struct require_ctx ctx = {ua, PL_INIT};

	if (!pl_strcmp(&msg->met, "ACK") || !pl_strcmp(&msg->met, "CANCEL"))
		return false;
	if (!sip_msg_hdr_apply(msg, true, SIP_HDR_REQUIRE, require_handler,
			       &ctx))
		return false;
	(void)sip_replyf(ua->sip, msg, 420, "Bad Extension",
			 "Unsupported: %r\r\n"
			 "Content-Length: 0\r\n\r\n", &ctx.bad);
	return true;
}

/* OPTIONS outside a dialog: RFC 3261 §11.2; 503 while no span is up */
static void options_reply(struct sipua *ua, const struct sip_msg *msg)
{
	if (sipopt_unavailable(ua, msg))
		return;
	(void)reply_allow(ua, msg, 200, "OK");
}

static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct sipua *ua = arg;
	struct sipleg *leg;
	const char *bad;
	int status, peer;
	bool ack = !pl_strcmp(&msg->met, "ACK");

	/* first of all, whether its source is a peer's (sip/acl.c, RFC
	 * 3261 §8.2): a stranger learns nothing but 403 */
	if (!sipacl_check(ua, msg, &peer))
		return true;
	if (pl_strcmp(&msg->ver, "2.0") && pl_strcmp(&msg->ver, "SIP/2.0")) {
		sip_log(LOG_LVL_DEBUG, "sip: version '%r'", &msg->ver);
		if (!ack)
			(void)sip_reply(ua->sip, msg, 505,
					"Version Not Supported");
		return true;
	}
	bad = request_malformed(msg);
	if (bad) {
		sip_log(LOG_LVL_DEBUG, "sip: bad %r from %J: %s", &msg->met,
			&msg->src, bad);
		if (!ack)
			(void)sip_reply(ua->sip, msg, 400, "Bad Request");
		return true;
	}
	if (!is_our_method(&msg->met)) {
		if (is_known_method(&msg->met))
			(void)reply_allow(ua, msg, 405, "Method Not Allowed");
		else
			(void)reply_allow(ua, msg, 501, "Not Implemented");
		return true;
	}

	status = ruri_check(msg);
	if (status) {
		if (!ack)
			(void)sip_reply(ua->sip, msg, (uint16_t)status,
					status == 416 ? "Unsupported URI Scheme"
					: "Bad Request");
		return true;
	}
	if (require_refused(ua, msg))
		return true;

	if (pl_isset(&msg->to.tag)) {
		leg = sipua_find_leg(ua, msg);
		if (leg) {
			sipdlg_request(leg, msg);
			return true;
		}
		/* RFC 3261 §12.2.2: no such dialog */
		if (!ack)
			(void)sip_reply(ua->sip, msg, 481,
					"Call/Transaction Does Not Exist");
		return true;
	}

	if (!pl_strcmp(&msg->met, "INVITE")) {
		sipuas_invite(ua, msg, peer);
	}
	else if (!pl_strcmp(&msg->met, "OPTIONS")) {
		options_reply(ua, msg);
	}
	else if (ack) {
		/* ACK for a 2xx has the To tag; anything else is stray */
	}
	else {
		/* CANCEL that matched no transaction (libre took the others),
		 * BYE or INFO outside a dialog: RFC 3261 §9.2, §15.1.2 */
		(void)sip_reply(ua->sip, msg, 481,
				"Call/Transaction Does Not Exist");
	}
	return true;
}

/* Responses libre's client transactions did not take: 2xx retransmissions
 * and the responses to our own CANCEL */
static bool response_handler(const struct sip_msg *msg, void *arg)
{
	struct sipua *ua = arg;

	return sipreinv_response(ua, msg) || sipuac_response(ua, msg);
}

/*
 * libre 1.1.0 answers a CANCEL that matches an INVITE transaction itself
 * (200) and only calls the cancel handler, without the message.  Its trace
 * hook sees each message just before dispatch, so the Reason cause of a
 * CANCEL is taken from there (RFC 3326).
 */
static void trace_handler(bool tx, enum sip_transp tp, const struct sa *src,
			  const struct sa *dst, const uint8_t *pkt, size_t len,
			  void *arg)
{
	struct sipua *ua = arg;
	struct sip_msg *msg = NULL;
	struct mbuf *mb;

	siptcp_seen(ua->tcp, tp, tx ? dst : src);
	if (ua->msgh)
		ua->msgh(sipacl_match(&ua->acl, tx ? dst : src, tp), tx,
			 tp != SIP_TRANSP_UDP, src, dst, pkt, len,
			 ua->msg_arg);
	if (tx || len < 7 || memcmp(pkt, "CANCEL ", 7))
		return;
	ua->cancel_cause = 0;
	/* a mem object: the message takes a reference to it (a struct
	 * mbuf on the stack here corrupted the stack, tests/fuzz/FUZZING) */
	mb = mbuf_alloc(len);
	if (!mb)
		return;
	(void)mbuf_write_mem(mb, pkt, len);
	mb->pos = 0;
	if (!sip_msg_decode(&msg, mb))
		ua->cancel_cause = siphdr_reason_cause(msg);
	mem_deref(msg);
	mem_deref(mb);
}

void sipua_set_msg_handler(struct sipua *ua, sipua_msg_h *h, void *arg)
{
	if (!ua)
		return;
	ua->msgh = h;
	ua->msg_arg = arg;
}

static int add_transports(struct sipua *ua)
{
	unsigned i;
	int err;

	for (i = 0; i < ua->conf.nlisten; i++) {
		const struct sipua_listen *l = &ua->conf.listen[i];
		struct sa laddr;

		err = sa_decode(&laddr, l->addr, strlen(l->addr));
		if (err) {
			sip_log(LOG_LVL_ERR, "sip: bad listen address '%s'",
				l->addr);
			return err;
		}
		if (sa_is_any(&laddr) && l->proto != SIPUA_TLS)
			err = sipaddr_listen_any(ua, l->proto == SIPUA_TCP ?
					SIP_TRANSP_TCP : SIP_TRANSP_UDP, &laddr);
		else   /* one per address (sip/addr.c) */
			err = siptls_transp_add(ua, l->proto, &laddr);
		if (err) {
			sip_log(LOG_LVL_ERR, "sip: listen %s %s: %m",
				sip_transp_name(siptls_transp(l->proto)),
				l->addr, err);
			return err;
		}
		if (i == 0)
			sa_cpy(&ua->sip_laddr, &laddr);
		if (i == 0 && !ua->conf.media_addr[0])
			sa_cpy(&ua->media_addr, &laddr);
	}
	return 0;
}

/*
 * The DNS client libre's SIP core resolves request targets with (RFC 3263:
 * NAPTR, SRV, then A/AAAA for a name without a port).  Without one, only
 * numeric hosts work, which is logged, not fatal.
 */
static int dns_init(struct sipua *ua)
{
	struct sa srv[SIPUA_MAX_DNS];
	uint32_t n = 0;
	char domain[64];
	int err;

	for (unsigned i = 0; i < ua->conf.ndns && n < SIPUA_MAX_DNS; i++) {
		err = sa_decode(&srv[n], ua->conf.dns[i],
				strlen(ua->conf.dns[i]));
		if (err)
			err = sa_set_str(&srv[n], ua->conf.dns[i], 53);
		if (err) {
			sip_log(LOG_LVL_ERR, "sip: bad DNS server '%s'",
				ua->conf.dns[i]);
			return err;
		}
		n++;
	}
	if (!n) {
		n = SIPUA_MAX_DNS;
		if (dns_srv_get(domain, sizeof(domain), srv, &n) || !n) {
			sip_log(LOG_LVL_WARN, "sip: no DNS server (none in "
				"/etc/resolv.conf): trunk hosts must be "
				"addresses");
			return 0;
		}
	}
	return dnsc_alloc(&ua->dnsc, NULL, srv, n);
}

void sipua_set_policy(struct sipua *ua, const struct sipua_conf *conf)
{
	struct sipua_conf *c;

	if (!ua || !conf)
		return;
	c = &ua->conf;
	memcpy(c->peers, conf->peers, sizeof(c->peers));
	c->npeers = conf->npeers;
	c->rel100 = conf->rel100;
	c->session_expires = conf->session_expires;
	c->min_se = conf->min_se;
	c->max_min_se = conf->max_min_se;
	c->rtp_timeout = conf->rtp_timeout;
	c->invite_rate = conf->invite_rate;
	c->invite_burst = conf->invite_burst;
	c->invite_drop = conf->invite_drop;
	c->max_dialogs = conf->max_dialogs;
	c->tcp_max_conns = conf->tcp_max_conns;
	c->tcp_max_per_source = conf->tcp_max_per_source;
	c->tcp_setup_timeout = conf->tcp_setup_timeout;
	c->tcp_idle_timeout = conf->tcp_idle_timeout;
	c->overload_queue = conf->overload_queue;
	c->debug_stall_us = conf->debug_stall_us;
	c->t1_ms = conf->t1_ms;
	c->timer_b_ms = conf->timer_b_ms;
	c->timer_c_ms = conf->timer_c_ms;
	sipacl_build(&ua->acl, c);
	sipregc_sync(ua);
}

int sipua_alloc(struct sipua **uap, const struct sipua_conf *conf,
		const struct sipleg_causes *causes, sipua_invite_h *inviteh,
		void *arg)
{
	struct sipua *ua;
	int err;

	if (!uap || !conf || !causes || !causes->to_status ||
	    !causes->from_status || !conf->nlisten)
		return EINVAL;

	ua = mem_zalloc(sizeof(*ua), ua_destructor);
	if (!ua)
		return ENOMEM;
	ua->conf = *conf;
	ua->causes = *causes;
	ua->inviteh = inviteh;
	ua->arg = arg;
	sipacl_build(&ua->acl, &ua->conf);
	if (!ua->conf.rtp_port_min)
		ua->conf.rtp_port_min = 10000;
	if (!ua->conf.rtp_port_max)
		ua->conf.rtp_port_max = 20000;
	if (ua->conf.media_addr[0]) {
		err = sa_set_str(&ua->media_addr, ua->conf.media_addr, 0);
		if (err) {
			sip_log(LOG_LVL_ERR, "sip: bad media address '%s'",
				ua->conf.media_addr);
			goto out;
		}
	}

	err  = sipflood_alloc(&ua->flood);
	err |= siptcp_alloc(&ua->tcp, ua);
	err |= sipauth_alloc(&ua->auth);
	err |= sipaddr_init(ua);
	err |= dns_init(ua);
	if (err)
		goto out;
	/* libre keeps transactions in hash tables of these many buckets,
	 * searched per message.  A finished INVITE client transaction lives
	 * 32 s more (Timer D, RFC 3261 §17.1.1.2): at 150 calls/s that is
	 * some 10000 transactions, which 32 buckets made the gateway's
	 * hottest spot (tests/bench/gw_bench.sh, BENCHMARKS.md) */
	err = sip_alloc(&ua->sip, ua->dnsc, SIPUA_HASH_TRANS,
			SIPUA_HASH_TRANS, SIPUA_HASH_CONN,
			ua->conf.user_agent[0] ? ua->conf.user_agent : NULL,
			NULL, ua);
	if (err)
		goto out;
	sip_set_trace_handler(ua->sip, trace_handler);
	err = add_transports(ua);
	if (err)
		goto out;
	sipovl_init(ua);
	err  = sip_listen(&ua->lsnr_req, ua->sip, true, request_handler, ua);
	err |= sip_listen(&ua->lsnr_resp, ua->sip, false, response_handler,
			  ua);
	if (!err)
		sipregc_sync(ua);   /* RFC 3261 §10 */
 out:
	if (err)
		mem_deref(ua);
	else
		*uap = ua;
	return err;
}
