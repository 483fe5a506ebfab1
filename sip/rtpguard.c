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
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sip/sip_int.h"

enum {
	GUARD_LAYER = -1000,      /* the first udp helper: before SRTP */
	GUARD_LOG_MAX = 4,        /* refusal lines logged per leg and socket */
};

void sipguard_set(struct sipguard *g, const struct sa *sdp)
{
	if (sa_cmp(sdp, &g->sdp, SA_ALL))
		return;             /* the same address: a latch holds */
	g->sdp = *sdp;
	g->want = *sdp;
	g->latched = false;
}

bool sipguard_pass(struct sipguard *g, const struct sa *src, bool may_latch)
{
	if (!sa_isset(&g->want, SA_ALL))
		return false;       /* nothing negotiated yet */
	if (g->latched || !may_latch)
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

static bool leg_nat(const struct sipleg *leg)
{
	int peer = sipleg_peer(leg);

	return peer >= 0 && leg->ua->conf.peers[peer].nat;
}

static bool guard_recv(struct sipleg *leg, struct sipguard *g,
		       const struct sa *src, const char *what)
{
	bool was = g->latched;

	if (sipguard_pass(g, src, leg_nat(leg) && leg_answered(leg))) {
		if (!was && g->latched)
			sipleg_log(leg, LOG_LVL_INFO, "%s latched to %J (nat)",
				   what, src);
		return false;       /* on to libre's RTP layer */
	}
	if (g->refused++ < GUARD_LOG_MAX)
		sipleg_log(leg, LOG_LVL_INFO, "%s from %J refused: not the "
			   "peer's %J", what, src, &g->want);
	leg->ua->stats.media_refused++;
	return true;                /* dropped */
}

static bool rtp_guard_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;
	bool drop;
	(void)mb;

	drop = guard_recv(leg, &leg->guard[0], src, "RTP");
	if (!drop && leg->guard[0].latched)
		leg->rtp_raddr = leg->guard[0].want;   /* RFC 4961 */
	return drop;
}

static bool rtcp_guard_h(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipleg *leg = arg;
	(void)mb;

	return guard_recv(leg, &leg->guard[1], src, "RTCP");
}

int sipguard_start(struct sipleg *leg)
{
	int err;

	err = udp_register_helper(&leg->guard[0].uh, rtp_sock(leg->rtp),
				  GUARD_LAYER, NULL, rtp_guard_h, leg);
	if (!err && rtcp_sock(leg->rtp))
		err = udp_register_helper(&leg->guard[1].uh,
					  rtcp_sock(leg->rtp), GUARD_LAYER,
					  NULL, rtcp_guard_h, leg);
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
	int peer = sipleg_peer(leg);

	if (leg->state == LEG_CONFIRMED)
		return true;
	if (leg->state != LEG_EARLY && leg->state != LEG_ANSWERED &&
	    leg->state != LEG_INCOMING && leg->state != LEG_CALLING)
		return false;
	return leg->rel.pracked || (peer >= 0 &&
				    leg->ua->conf.peers[peer].early_media_always);
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
	}
	leg->rtp = mem_deref(leg->rtp);
}
