/*
 * sip/rtpguard.c: who may send a leg media.
 *
 * RTP and RTCP are taken only once the offer/answer is complete, and only
 * from the address and port the peer's SDP names (RFC 3264 §5: the c= and
 * m= lines; RTCP at a=rtcp, RFC 3605, else the RTP port + 1, RFC 3550
 * §11).  Anything else is dropped before libre's RTP layer sees it, so a
 * stranger who guesses the port can neither play audio into the call nor
 * touch its RTCP statistics.
 *
 * With the trunk's nat = yes, the peer is behind a NAT and its SDP names
 * an address its packets never come from: the first source seen once the
 * call is answered is latched instead (symmetric RTP, RFC 4961), our RTP
 * goes there, and no other source is taken afterwards.  Before the answer
 * only the SDP's address counts.  A new SDP address (re-INVITE, UPDATE)
 * lets the guard latch again.
 *
 * A packet latches only once it has shown it is the peer's: two UDP
 * helpers sit on each socket, the gate (GUARD_LAYER, before SRTP) and the
 * latch (LATCH_LAYER, after SRTP, sip/srtp.c).  The gate drops what comes
 * from another source than the wanted one, except, while the guard may
 * latch, candidates; the latch takes a candidate only if it got through
 * SRTP's authentication (RFC 3711 §3.3 step 5) and is RTP version 2 with
 * a payload type the offer/answer gave (RTCP: an RTCP packet type).  On
 * a plain RTP leg, which proves nothing, the candidate must also come
 * from the address of the dialog's SIP peer (a NAT maps both).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sip/sip_int.h"

enum {
	GUARD_LAYER = -1000,      /* the first udp helper: before SRTP */
	LATCH_LAYER = 1000,       /* after SRTP's (sip/srtp.c) */
	GUARD_LOG_MAX = 4,        /* refusal lines logged per leg and socket */
	RTP_HDR_MIN = 12,         /* RFC 3550 §5.1 */
	RTCP_HDR_MIN = 8,         /* RFC 3550 §6.4.1 */
	RTCP_PT_SR = 200,         /* RFC 3550 §12.1 */
	RTCP_PT_PSFB = 206,       /* RFC 4585 §6.1: the last we know of */
};

void sipguard_set(struct sipguard *g, const struct sa *sdp)
{
	if (sa_cmp(sdp, &g->sdp, SA_ALL))
		return;             /* the same address: a latch holds */
	g->sdp = *sdp;
	g->want = *sdp;
	g->latched = false;
}

/* the gate: the wanted source; while the guard may latch, a candidate
 * too, which only sipguard_latch can make the wanted one */
bool sipguard_pass(struct sipguard *g, const struct sa *src, bool may_latch)
{
	if (!sa_isset(&g->want, SA_ALL))
		return false;       /* nothing negotiated yet */
	if (sa_cmp(src, &g->want, SA_ALL))
		return true;
	return may_latch && !g->latched;
}

/* after SRTP: whether a packet the gate let through goes on; a valid
 * candidate latches */
bool sipguard_latch(struct sipguard *g, const struct sa *src, bool may_latch,
		    bool valid)
{
	if (g->latched || !may_latch)
		return true;        /* the gate took only the wanted source */
	if (!valid)
		return sa_cmp(src, &g->want, SA_ALL);
	g->want = *src;
	g->latched = true;
	return true;
}

static bool leg_answered(const struct sipleg *leg)
{
	if (leg->uac)
		return leg->answered;
	return leg->state == LEG_ANSWERED || leg->state == LEG_CONFIRMED;
}

static bool may_latch(const struct sipleg *leg)
{
	return leg->peer.nat && leg_answered(leg);
}

static void refused(struct sipleg *leg, struct sipguard *g,
		    const struct sa *src, const char *what)
{
	if (g->refused++ < GUARD_LOG_MAX)
		sipleg_log(leg, LOG_LVL_INFO, "%s from %J refused: not the "
			   "peer's %J", what, src, &g->want);
	leg->ua->stats.media_refused++;
}

/* true: dropped */
static bool gate(struct sipleg *leg, struct sipguard *g, const struct sa *src,
		 const char *what)
{
	if (sipguard_pass(g, src, may_latch(leg)))
		return false;       /* on to SRTP, then the latch */
	refused(leg, g, src, what);
	return true;
}

static bool latch(struct sipleg *leg, struct sipguard *g, const struct sa *src,
		  bool valid, const char *what)
{
	bool was = g->latched;

	if (!sipguard_latch(g, src, may_latch(leg), valid)) {
		refused(leg, g, src, what);
		return true;
	}
	if (!was && g->latched) {
		sipleg_log(leg, LOG_LVL_INFO, "%s latched to %J (nat)", what,
			   src);
		if (g == &leg->guard[0])
			leg->rtp_raddr = g->want;   /* RFC 4961 */
	}
	return false;           /* on to libre's RTP layer */
}

/* plain RTP proves nothing of its sender: it must at least come from the
 * address the dialog's SIP messages come from (unknown: any) */
static bool from_sip_peer(const struct sipleg *leg, const struct sa *src)
{
	const struct sa *sig = leg->uac ? &leg->dst :
		leg->invite ? &leg->invite->src : NULL;

	return sipsrtp_on(leg) || !sig || !sa_isset(sig, SA_ADDR) ||
		sa_cmp(src, sig, SA_ADDR);
}

/* RFC 3550 §5.1: version 2, a payload type the offer/answer gave */
static bool rtp_valid(const struct sipleg *leg, const struct mbuf *mb)
{
	const uint8_t *p = mbuf_buf(mb);
	uint8_t pt;

	if (mbuf_get_left(mb) < RTP_HDR_MIN || p[0] >> 6 != RTP_VERSION)
		return false;
	pt = p[1] & 0x7f;
	return leg->law && (pt == leg->pt ||
			    (leg->telev && pt == leg->telev_pt));
}

/* RFC 3550 §6.4: version 2, an RTCP packet type */
static bool rtcp_valid(const struct mbuf *mb)
{
	const uint8_t *p = mbuf_buf(mb);

	return mbuf_get_left(mb) >= RTCP_HDR_MIN &&
		p[0] >> 6 == RTP_VERSION && p[1] >= RTCP_PT_SR &&
		p[1] <= RTCP_PT_PSFB;
}

static bool rtp_gate_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;
	(void)mb;

	return gate(leg, &leg->guard[0], src, "RTP");
}

static bool rtcp_gate_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;
	(void)mb;

	return gate(leg, &leg->guard[1], src, "RTCP");
}

static bool rtp_latch_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;

	return latch(leg, &leg->guard[0], src, rtp_valid(leg, mb) &&
		     from_sip_peer(leg, src), "RTP");
}

static bool rtcp_latch_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;

	return latch(leg, &leg->guard[1], src, rtcp_valid(mb) &&
		     from_sip_peer(leg, src), "RTCP");
}

static int helpers_add(struct sipguard *g, struct udp_sock *us,
		       udp_helper_recv_h *gateh, udp_helper_recv_h *latchh,
		       struct sipleg *leg)
{
	int err;

	err = udp_register_helper(&g->uh, us, GUARD_LAYER, NULL, gateh, leg);
	if (!err)
		err = udp_register_helper(&g->uh_latch, us, LATCH_LAYER, NULL,
					  latchh, leg);
	return err;
}

int sipguard_start(struct sipleg *leg)
{
	int err;

	err = helpers_add(&leg->guard[0], rtp_sock(leg->rtp), rtp_gate_h,
			  rtp_latch_h, leg);
	if (!err && rtcp_sock(leg->rtp))
		err = helpers_add(&leg->guard[1], rtcp_sock(leg->rtp),
				  rtcp_gate_h, rtcp_latch_h, leg);
	return err;
}

/* after an offer/answer: the addresses the peer's SDP names */
void sipguard_update(struct sipleg *leg, const struct sa *rtp,
		     const struct sa *rtcp)
{
	/* RFC 2543 hold (c=0.0.0.0): the holder may still play music from
	 * where it sent before */
	if (sa_is_any(rtp) && sa_isset(&leg->guard[0].want, SA_ALL))
		return;
	sipguard_set(&leg->guard[0], rtp);
	sipguard_set(&leg->guard[1], rtcp);
	leg->rtp_raddr = leg->guard[0].want;
}

/*
 * Whether we may send media to the peer's address yet.  An INVITE's
 * source address is easily forged over UDP, and its SDP may name anyone:
 * sending RTP there before the peer has shown that it receives our
 * messages would make sipri a traffic amplifier aimed at a third party.
 * So media goes only once the dialog is confirmed (the ACK of our 2xx,
 * or our ACK of theirs), or its early dialog is PRACKed (RFC 3262: the
 * PRACK echoes our RSeq and To tag); a trunk with early_media = always
 * gets early media as soon as the SDP is known, as without 100rel.
 */
bool sipguard_may_send(const struct sipleg *leg)
{
	if (leg->state == LEG_CONFIRMED)
		return true;
	if (leg->state != LEG_EARLY && leg->state != LEG_ANSWERED &&
	    leg->state != LEG_INCOMING && leg->state != LEG_CALLING)
		return false;
	return leg->rel.pracked || leg->peer.early_media_always;
}

/* the RTP session ends: the UDP helpers (ours, SRTP's) before their
 * sockets, whose end frees what is still registered */
void sipguard_close(struct sipleg *leg)
{
	leg->srtp = mem_deref(leg->srtp);
	for (size_t i = 0; i < ARRAY_SIZE(leg->guard); i++) {
		if (leg->guard[i].uh && leg->guard[i].refused > GUARD_LOG_MAX)
			sipleg_log(leg, LOG_LVL_INFO, "%s: %u packets from "
				   "other sources refused", i ? "RTCP" : "RTP",
				   leg->guard[i].refused);
		leg->guard[i].uh = mem_deref(leg->guard[i].uh);
		leg->guard[i].uh_latch = mem_deref(leg->guard[i].uh_latch);
	}
	leg->rtp = mem_deref(leg->rtp);
}
