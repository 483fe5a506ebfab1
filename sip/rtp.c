/*
 * sip/rtp.c: a leg's RTP session on its owner's loop (see siprtp.h).
 *
 * Three UDP helpers sit on each socket: the gate (before SRTP), SRTP,
 * and the latch (after SRTP); sip/rtpguard.c says why.  Received audio
 * in the negotiated payload type goes to the owner; telephone-events are
 * told once each; any packet from the peer's source counts for the
 * watch.  Quiet media path: nothing here logs; what the leg must hear
 * of goes as an event.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "sip/siprtp.h"

enum {
	GUARD_LAYER = -1000,      /* the first udp helper: before SRTP */
	SRTP_LAYER = 20,
	LATCH_LAYER = 1000,       /* after SRTP's */
	GUARD_LOG_MAX = 4,        /* refusals told per socket */
	RTP_HDR_MIN = 12,         /* RFC 3550 §5.1 */
	RTCP_HDR_MIN = 8,         /* RFC 3550 §6.4.1 */
	RTCP_PT_SR = 200,         /* RFC 3550 §12.1 */
	RTCP_PT_PSFB = 206,       /* RFC 4585 §6.1: the last we know of */
	TELEV_LEN = 4,            /* RFC 4733 §2.3 payload */
	TELEV_LATE = 8000,        /* a late packet is at most 1 s back */
	TELEV_VOL = 10,           /* -10 dBm0, RFC 4733 §2.3.4 */
	WATCH_LOOKS = 4,          /* per watch_ms (rtpwatch.c) */
};

static const char codes[] = "0123456789*#ABCD";   /* RFC 4733 §3.2 */

struct side {
	struct siprtp *r;
	bool rtcp;
	struct udp_helper *gate, *sec, *latch;
	struct sipguard g;
	uint32_t drops;           /* SRTP authentication or replay */
};

struct siprtp {
	struct rtp_sock *rs;
	struct side side[2];      /* RTP, RTCP */
	struct sipmdesc d;
	struct sa rtcp_peer;      /* what rtcp_start was given */
	struct srtp *enc, *dec;
	struct sipsdes enc_k, dec_k;
	struct sa raddr;          /* where RTP goes: the SDP's, or latched */
	struct mbuf *txmb;        /* reused for every packet */
	bool ev_seen;             /* the last RFC 4733 event in */
	uint8_t ev_code;
	uint32_t ev_ts;
	uint64_t pkts, pkts_seen; /* from the peer's source (watch) */
	uint64_t rx_at;           /* when pkts last moved, ms */
	struct timer watch;
	siprtp_recv_h *recvh;
	siprtp_dtmf_h *dtmfh;
	siprtp_event_h *evh;
	void *arg;
};

static void event(struct siprtp *r, struct siprtp_event *ev)
{
	if (r->evh)
		r->evh(ev, r->arg);
}

static void destructor(void *data)
{
	struct siprtp *r = data;
	struct siprtp_event ev = {.type = SIPRTP_CLOSED};

	timer_cancel(&r->watch);
	for (int i = 0; i < 2; i++) {
		ev.refused[i] = r->side[i].g.refused;
		ev.srtp_drops[i] = r->side[i].drops;
		/* the helpers before their sockets */
		r->side[i].gate = mem_deref(r->side[i].gate);
		r->side[i].sec = mem_deref(r->side[i].sec);
		r->side[i].latch = mem_deref(r->side[i].latch);
	}
	if (r->evh)
		event(r, &ev);
	mem_deref(r->rs);
	mem_deref(r->enc);
	mem_deref(r->dec);
	mem_deref(r->txmb);
	explicit_bzero(&r->d, sizeof(r->d));   /* the master keys */
	explicit_bzero(&r->enc_k, sizeof(r->enc_k));
	explicit_bzero(&r->dec_k, sizeof(r->dec_k));
}

/* ---- receiving ------------------------------------------------------ */

/*
 * An event is known by its timestamp (RFC 4733 §2.5.1.2) and code: the
 * first packet seen of an event tells the digit; updates, the end
 * packets (§2.5.1.4) and a late packet of an earlier event (RFC 3550
 * modular order, within a second) do not.
 */
static bool late_event(uint32_t last_ts, uint32_t ts)
{
	int32_t back = (int32_t)(last_ts - ts);

	return back > 0 && back <= TELEV_LATE;
}

static void telev_in(struct siprtp *r, const struct rtp_header *hdr,
		       struct mbuf *mb)
{
	uint8_t code;

	if (mbuf_get_left(mb) < TELEV_LEN)
		return;
	code = mbuf_buf(mb)[0];
	if (code >= sizeof(codes) - 1)
		return;   /* not a DTMF event (RFC 4733 §3.2) */
	if (r->ev_seen && ((r->ev_ts == hdr->ts && r->ev_code == code) ||
			   late_event(r->ev_ts, hdr->ts)))
		return;
	r->ev_seen = true;
	r->ev_ts = hdr->ts;
	r->ev_code = code;
	if (r->dtmfh)
		r->dtmfh(codes[code], r->arg);
}

/* RFC 3264 §5.1: only the payload types the offer/answer gave count */
static void rtp_recv_handler(const struct sa *src, const struct rtp_header *hdr,
			     struct mbuf *mb, void *arg)
{
	struct siprtp *r = arg;
	(void)src;

	r->pkts++;
	if (!r->d.law)
		return;
	if (hdr->pt == r->d.pt) {
		if (r->recvh)
			r->recvh(mbuf_buf(mb), mbuf_get_left(mb), hdr->ts,
				 hdr->seq, r->arg);
	}
	else if (r->d.telev && hdr->pt == r->d.telev_pt) {
		telev_in(r, hdr, mb);
	}
}

static void refused(struct side *s, const struct sa *src)
{
	struct siprtp_event ev = {.type = SIPRTP_REFUSED, .rtcp = s->rtcp};

	if (s->g.refused++ >= GUARD_LOG_MAX)
		return;
	ev.src = *src;
	ev.want = s->g.want;
	event(s->r, &ev);
}

static bool gate_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct side *s = arg;
	(void)mb;

	if (sipguard_pass(&s->g, src, s->r->d.may_latch))
		return false;       /* on to SRTP, then the latch */
	refused(s, src);
	return true;
}

/* plain RTP proves nothing of its sender: it must at least come from the
 * address the dialog's SIP messages come from (unknown: any) */
static bool from_sip_peer(const struct siprtp *r, const struct sa *src)
{
	return r->d.srtp || !sa_isset(&r->d.sig, SA_ADDR) ||
		sa_cmp(src, &r->d.sig, SA_ADDR);
}

/* RFC 3550 §5.1: version 2, a payload type the offer/answer gave */
static bool rtp_valid(const struct siprtp *r, const struct mbuf *mb)
{
	const uint8_t *p = mbuf_buf(mb);
	uint8_t pt;

	if (mbuf_get_left(mb) < RTP_HDR_MIN || p[0] >> 6 != RTP_VERSION)
		return false;
	pt = p[1] & 0x7f;
	return r->d.law && (pt == r->d.pt ||
			    (r->d.telev && pt == r->d.telev_pt));
}

/* RFC 3550 §6.4: version 2, an RTCP packet type */
static bool rtcp_valid(const struct mbuf *mb)
{
	const uint8_t *p = mbuf_buf(mb);

	return mbuf_get_left(mb) >= RTCP_HDR_MIN &&
		p[0] >> 6 == RTP_VERSION && p[1] >= RTCP_PT_SR &&
		p[1] <= RTCP_PT_PSFB;
}

static bool latch_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct side *s = arg;
	struct siprtp *r = s->r;
	bool was = s->g.latched;
	bool valid = (s->rtcp ? rtcp_valid(mb) : rtp_valid(r, mb)) &&
		from_sip_peer(r, src);

	if (!sipguard_latch(&s->g, src, r->d.may_latch, valid)) {
		refused(s, src);
		return true;
	}
	if (!was && s->g.latched) {
		struct siprtp_event ev = {.type = SIPRTP_LATCHED,
					  .rtcp = s->rtcp, .src = *src};

		if (!s->rtcp)
			r->raddr = s->g.want;   /* RFC 4961 */
		event(r, &ev);
	}
	return false;           /* on to libre's RTP layer */
}

/* ---- SRTP (RFC 3711), keyed by the leg's SDES (sip/srtp.c) ---------- */

typedef int (srtp_op_h)(struct srtp *srtp, struct mbuf *mb);

static bool sec_send(int *err, struct sa *dst, struct mbuf *mb, void *arg)
{
	struct side *s = arg;
	(void)dst;

	if (s->r->d.srtp && s->r->enc)
		*err = (s->rtcp ? srtcp_encrypt : srtp_encrypt)(s->r->enc, mb);
	return false;
}

/* true: dropped (RFC 3711 §3.3 step 5: authentication) */
static bool sec_recv(struct sa *src, struct mbuf *mb, void *arg)
{
	struct side *s = arg;
	srtp_op_h *op = s->rtcp ? srtcp_decrypt : srtp_decrypt;
	(void)src;

	if (!s->r->d.srtp || !s->r->dec)
		return s->r->d.srtp_only;
	if (op(s->r->dec, mb)) {
		s->drops++;
		return true;
	}
	return false;
}

/* (re)key a direction when its suite or key changed (RFC 4568 §7.1.4) */
static int rekey(struct srtp **ctxp, struct sipsdes *cur,
		 enum srtp_suite suite, const uint8_t *key)
{
	struct srtp *ctx = NULL;
	int err;

	if (*ctxp && cur->suite == suite &&
	    !memcmp(cur->key, key, SIPSDES_KEYLEN))
		return 0;
	err = srtp_alloc(&ctx, suite, key, SIPSDES_KEYLEN, 0);
	if (err)
		return err;
	mem_deref(*ctxp);
	*ctxp = ctx;
	cur->suite = suite;
	memcpy(cur->key, key, SIPSDES_KEYLEN);
	return 0;
}

/* ---- the session ---------------------------------------------------- */

int siprtp_alloc(struct siprtp **rp, const struct sa *ip, uint16_t port_min,
		 uint16_t port_max)
{
	struct siprtp *r;
	int err;

	if (!rp || !ip)
		return EINVAL;
	r = mem_zalloc(sizeof(*r), destructor);
	if (!r)
		return ENOMEM;
	timer_init(&r->watch);
	err = rtp_listen(&r->rs, IPPROTO_UDP, ip, port_min, port_max, true,
			 rtp_recv_handler, NULL, r);
	if (err) {
		mem_deref(r);
		return err;
	}
	/* no loop listens until siprtp_start, on the owner's */
	udp_thread_detach(rtp_sock(r->rs));
	udp_thread_detach(rtcp_sock(r->rs));
	*rp = r;
	return 0;
}

const struct sa *siprtp_local(const struct siprtp *r)
{
	return r ? rtp_local(r->rs) : NULL;
}

static int helpers_add(struct siprtp *r, struct side *s, struct udp_sock *us)
{
	int err;

	s->r = r;
	err = udp_register_helper(&s->gate, us, GUARD_LAYER, NULL, gate_h, s);
	if (!err)
		err = udp_register_helper(&s->sec, us, SRTP_LAYER, sec_send,
					  sec_recv, s);
	if (!err)
		err = udp_register_helper(&s->latch, us, LATCH_LAYER, NULL,
					  latch_h, s);
	return err;
}

int siprtp_start(struct siprtp *r, siprtp_recv_h *recvh, siprtp_dtmf_h *dtmfh,
		 siprtp_event_h *evh, void *arg)
{
	int err;

	if (!r)
		return EINVAL;
	r->recvh = recvh;
	r->dtmfh = dtmfh;
	r->evh = evh;
	r->arg = arg;
	r->side[1].rtcp = true;
	err = helpers_add(r, &r->side[0], rtp_sock(r->rs));
	if (!err)
		err = helpers_add(r, &r->side[1], rtcp_sock(r->rs));
	if (!err)
		err = udp_thread_attach(rtp_sock(r->rs));
	if (!err)
		err = udp_thread_attach(rtcp_sock(r->rs));
	return err;
}

static void watch_h(void *arg)
{
	struct siprtp *r = arg;
	uint64_t now = timer_now(), idle;
	struct siprtp_event ev = {.type = SIPRTP_TIMEOUT};

	if (!r->d.watch_ms)
		return;
	if (r->pkts != r->pkts_seen) {
		r->pkts_seen = r->pkts;
		r->rx_at = now;
	}
	idle = now - r->rx_at;
	if (idle < r->d.watch_ms) {
		timer_start(&r->watch, r->d.watch_ms / WATCH_LOOKS, watch_h, r);
		return;
	}
	ev.idle_ms = idle;
	event(r, &ev);
}

/* the watch starts, or counts again, whenever it is (re)armed */
static void watch_update(struct siprtp *r, uint32_t old_ms)
{
	if (r->d.watch_ms == old_ms)
		return;
	timer_cancel(&r->watch);
	if (!r->d.watch_ms)
		return;
	r->pkts_seen = r->pkts;
	r->rx_at = timer_now();
	timer_start(&r->watch, r->d.watch_ms / WATCH_LOOKS, watch_h, r);
}

int siprtp_update(struct siprtp *r, const struct sipmdesc *d)
{
	uint32_t old_watch;
	int err = 0;

	if (!r || !d)
		return EINVAL;
	old_watch = r->d.watch_ms;
	r->d = *d;
	sipguard_set(&r->side[0].g, &d->rtp);
	sipguard_set(&r->side[1].g, &d->rtcp);
	r->raddr = r->side[0].g.want;
	if (d->srtp) {
		err  = rekey(&r->enc, &r->enc_k, d->tx_suite, d->tx_key);
		err |= rekey(&r->dec, &r->dec_k, d->rx_suite, d->rx_key);
	}
	if (sa_isset(&d->rtcp, SA_ALL) &&
	    !sa_cmp(&d->rtcp, &r->rtcp_peer, SA_ALL)) {
		r->rtcp_peer = d->rtcp;
		rtcp_start(r->rs, "sipri", &r->rtcp_peer);
	}
	watch_update(r, old_watch);
	return err;
}

static struct mbuf *txbuf(struct siprtp *r)
{
	if (!r->txmb)
		r->txmb = mbuf_alloc(RTP_HEADER_SIZE + 320);
	if (r->txmb)
		r->txmb->pos = r->txmb->end = RTP_HEADER_SIZE;
	return r->txmb;
}

int siprtp_send(struct siprtp *r, const uint8_t *g711, size_t n, uint32_t ts,
		bool marker)
{
	struct mbuf *mb;
	int err;

	if (!r || !g711)
		return EINVAL;
	if (!r->d.law || !sa_isset(&r->raddr, SA_ALL))
		return ENOTCONN;
	if (!r->d.send)
		return EAGAIN;   /* RFC 3264 §8.4: nothing to a held party */
	mb = txbuf(r);
	if (!mb)
		return ENOMEM;
	err = mbuf_write_mem(mb, g711, n);
	if (err)
		return err;
	mb->pos = RTP_HEADER_SIZE;
	return rtp_send(r->rs, &r->raddr, false, marker, r->d.pt, ts, mb);
}

int siprtp_telev_send(struct siprtp *r, char digit, bool end, unsigned dur,
		      uint32_t ts, bool marker)
{
	const char *c = digit ? strchr(codes, digit) : NULL;
	struct mbuf *mb;
	uint8_t pl[TELEV_LEN];

	if (!r || !c)
		return EINVAL;
	if (!r->d.telev || !sa_isset(&r->raddr, SA_ALL))
		return ENOTCONN;
	if (!r->d.events)
		return EAGAIN;
	mb = txbuf(r);
	if (!mb)
		return ENOMEM;
	if (dur > 0xffff)
		dur = 0xffff;   /* RFC 4733 §2.5.2.1 long events: not split */
	pl[0] = (uint8_t)(c - codes);
	pl[1] = (uint8_t)((end ? 0x80 : 0) | TELEV_VOL);
	pl[2] = (uint8_t)(dur >> 8);
	pl[3] = (uint8_t)dur;
	(void)mbuf_write_mem(mb, pl, sizeof(pl));
	mb->pos = RTP_HEADER_SIZE;
	return rtp_send(r->rs, &r->raddr, false, marker, r->d.telev_pt, ts,
			mb);
}

bool siprtp_telev(const struct siprtp *r)
{
	return r && r->d.telev;
}
