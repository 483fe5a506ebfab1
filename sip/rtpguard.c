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
 * helpers sit on each socket (sip/rtp.c, on the media plane's loop), the
 * gate (before SRTP) and the latch (after SRTP).  The gate drops what comes
 * from another source than the wanted one, except, while the guard may
 * latch, candidates; the latch takes a candidate only if it got through
 * SRTP's authentication (RFC 3711 §3.3 step 5) and is RTP version 2 with
 * a payload type the offer/answer gave (RTCP: an RTCP packet type).  On
 * a plain RTP leg, which proves nothing, the candidate must also come
 * from the address of the dialog's SIP peer (a NAT maps both).
 *
 * Here: the guard's rules, which sip/rtp.c applies per packet, and the
 * leg's part, which feeds them through the media description.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sip/sip_int.h"

enum { GUARD_LOG_MAX = 4 };   /* refusal lines logged per leg and socket */

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

/* latching: with nat = yes, once answered (the description's may_latch) */
bool sipguard_may_latch(const struct sipleg *leg)
{
	return leg->peer.nat && leg_answered(leg);
}

/* the address plain RTP must come from to latch: the dialog's SIP peer */
void sipguard_sig(const struct sipleg *leg, struct sa *sig)
{
	const struct sa *s = leg->uac ? &leg->dst :
		leg->invite ? &leg->invite->src : NULL;

	if (s)
		*sig = *s;
	else
		sa_init(sig, AF_UNSPEC);
}

/* after an offer/answer: the addresses the peer's SDP names */
void sipguard_update(struct sipleg *leg, const struct sa *rtp,
		     const struct sa *rtcp)
{
	/* RFC 2543 hold (c=0.0.0.0): the holder may still play music from
	 * where it sent before */
	if (sa_is_any(rtp) && sa_isset(&leg->m_rtp, SA_ALL))
		return;
	if (!sa_cmp(rtp, &leg->m_rtp, SA_ALL))
		leg->rtp_latched = false;   /* a new address: latch again */
	leg->m_rtp = *rtp;
	leg->m_rtcp = *rtcp;
	if (!leg->rtp_latched)
		leg->rtp_raddr = *rtp;
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

/* The RTP session's end: what it refused past the logged ones, and what
 * SRTP dropped.  It may come after its leg is gone (the media plane
 * tells it late): only the Call-ID is needed */
void sipua_rtp_closed(struct sipua *ua, const char *callid,
		      const struct siprtp_event *ev)
{
	char cid[LOG_TEXT_LEN(64)];

	if (!ua || !ev || ev->type != SIPRTP_CLOSED)
		return;
	(void)log_text(cid, sizeof(cid), callid, LOG_NUL);
	for (int i = 0; i < 2; i++) {
		uint32_t n = ev->refused[i];

		if (n > GUARD_LOG_MAX) {
			log_info("sip(%s): %s: %u packets from other sources "
				 "refused", cid, i ? "RTCP" : "RTP", n);
			ua->stats.media_refused += n - GUARD_LOG_MAX;
		}
	}
	if (ev->srtp_drops[0] || ev->srtp_drops[1])
		log_info("sip(%s): SRTP: dropped %u RTP and %u RTCP packets "
			 "(authentication or replay, RFC 3711 §3.3)", cid,
			 ev->srtp_drops[0], ev->srtp_drops[1]);
}

/* what the RTP session tells the leg (sip/rtp.c, through the core) */
void sipguard_event(struct sipleg *leg, const struct siprtp_event *ev)
{
	const char *what = ev->rtcp ? "RTCP" : "RTP";

	switch (ev->type) {

	case SIPRTP_REFUSED:
		sipleg_log(leg, LOG_LVL_INFO, "%s from %J refused: not the "
			   "peer's %J", what, &ev->src, &ev->want);
		leg->ua->stats.media_refused++;
		break;

	case SIPRTP_LATCHED:
		sipleg_log(leg, LOG_LVL_INFO, "%s latched to %J (nat)", what,
			   &ev->src);
		if (!ev->rtcp) {
			leg->rtp_raddr = ev->src;   /* RFC 4961 */
			leg->rtp_latched = true;
		}
		break;

	case SIPRTP_CLOSED:
		sipua_rtp_closed(leg->ua, sipleg_callid(leg), ev);
		break;

	case SIPRTP_TIMEOUT:
		sipwatch_expired(leg, ev->idle_ms);
		break;
	}
}

/* the RTP session ends: no more media on this leg */
void sipguard_close(struct sipleg *leg)
{
	leg->rtpx = mem_deref(leg->rtpx);   /* never handed over */
	leg->srtp = mem_deref(leg->srtp);
	leg->media_closed = true;
	sipleg_media_sync(leg);
}
