/*
 * sip/media.c: SDP offer/answer (RFC 3264) for G.711 with telephone-event
 * (RFC 4733), and the RTP/RTCP sockets on the configured port range,
 * which the leg hands over to the media plane (sip/rtp.c).  Only the
 * payload types the offer/answer gave count (RFC 3264 §5.1): the
 * negotiated G.711 law, and telephone-event only with the payload type
 * the peer's SDP gave it (RFC 4733 §7.1.1).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

int sipmedia_alloc(struct sipleg *leg, const struct sa *peer)
{
	struct sipua *ua = leg->ua;
	struct sa laddr, sdpaddr;
	int err;

	err = siprtp_alloc(&leg->rtpx, &ua->media_addr, ua->conf.rtp_port_min,
			   ua->conf.rtp_port_max);
	if (err) {
		sipleg_log(leg, LOG_LVL_WARN, "no RTP port in %u-%u: %m",
			   ua->conf.rtp_port_min, ua->conf.rtp_port_max, err);
		return err;
	}
	ua->stats.rtp++;
	laddr = *siprtp_local(leg->rtpx);
	/* o= and c=: never the wildcard the socket may be on (sip/addr.c) */
	sipaddr_pick(ua, peer, &laddr, &sdpaddr);
	sipleg_log(leg, LOG_LVL_DEBUG, "RTP on %J, in SDP %J", &laddr,
		   &sdpaddr);
	err = sdp_session_alloc(&leg->sdp, &sdpaddr);
	if (err)
		return err;
	err = sdp_media_add(&leg->sdpm, leg->sdp, sdp_media_audio,
			    sa_port(&laddr), sipsrtp_proto(leg));
	if (err)
		return err;
	/* RFC 3551 static payload types 8 and 0; RFC 4733 events 0-15 */
	err  = sdp_format_add(NULL, leg->sdpm, false, "8", "PCMA", 8000, 1,
			      NULL, NULL, NULL, false, NULL);
	err |= sdp_format_add(NULL, leg->sdpm, false, "0", "PCMU", 8000, 1,
			      NULL, NULL, NULL, false, NULL);
	err |= sdp_format_add(NULL, leg->sdpm, false, "101",
			      "telephone-event", 8000, 1, NULL, NULL, NULL,
			      false, "0-15");
	err |= sdp_media_set_lattr(leg->sdpm, true, sdp_attr_ptime, "20");
	return err ? err : sipsrtp_alloc(leg);   /* RFC 4568 (sip/srtp.c) */
}

/* the first G.711 format in the remote's order (RFC 3264 §6.1, §5.1) */
static bool g711_handler(struct sdp_format *fmt, void *arg)
{
	int *law = arg;

	/* RFC 3551 §6: static payload types need no rtpmap */
	if (!fmt->name || !fmt->name[0]) {
		if (fmt->pt == 0 || fmt->pt == 8) {
			*law = fmt->pt == 8 ? 'A' : 'U';
			return true;
		}
		return false;
	}
	if (fmt->srate != 8000)
		return false;
	if (!str_casecmp(fmt->name, "PCMA") || !str_casecmp(fmt->name, "PCMU")) {
		*law = !str_casecmp(fmt->name, "PCMA") ? 'A' : 'U';
		return true;
	}
	return false;
}

/* after a complete offer/answer: codec, keys and remote address */
static int media_update(struct sipleg *leg, bool offer)
{
	const struct sa *raddr;
	struct sa rtcp;
	int law = 0;

	(void)sdp_media_format_apply(leg->sdpm, false, NULL, -1, NULL, -1, -1,
				     g711_handler, &law);
	raddr = sdp_media_raddr(leg->sdpm);
	if (!law || !sdp_media_rport(leg->sdpm) || !raddr ||
	    sipsrtp_negotiate(leg, offer))
		return EPROTO;
	leg->law = law;
	leg->pt = leg->law == 'A' ? 8 : 0;
	leg->sdp_done = true;
	sipdtmf_sdp(leg);
	/* RFC 3264 §8.4: held (sendonly/inactive offered, or the RFC 2543
	 * c=0.0.0.0): we send no RTP until the peer resumes */
	leg->mod.held = !(sdp_media_dir(leg->sdpm) & SDP_SENDONLY) ||
		sa_is_any(raddr);
	sdp_media_raddr_rtcp(leg->sdpm, &rtcp);
	sipguard_update(leg, raddr, &rtcp);
	sipleg_log(leg, LOG_LVL_DEBUG, "media: %s to %J",
		   leg->law == 'A' ? "PCMA" : "PCMU", &leg->rtp_raddr);
	sipleg_media_sync(leg);
	return 0;
}

int sipmedia_offer(struct sipleg *leg, struct mbuf **mbp)
{
	int err = sipsrtp_offer(leg);   /* after an answer: ours again */

	return err ? err : sdp_encode(mbp, leg->sdp, true);
}

int sipmedia_encode(struct sipleg *leg, struct mbuf **mbp)
{
	/* our answer once an offer came in, else (late offer) our offer */
	return sdp_encode(mbp, leg->sdp, !leg->sdp_done);
}

/*
 * libre refuses a whole SDP for one a=rtpmap without a clock rate (as in
 * the RFC 4475 messages, "a=rtpmap:31 LPC"); such a line only describes a
 * format we do not use, so a second attempt goes without it.
 */
static int decode_lenient(struct sipleg *leg, const struct pl *body,
			  bool offer)
{
	struct mbuf *mb = mbuf_alloc(body->l);
	struct pl rest = *body;
	int err = 0;

	if (!mb)
		return ENOMEM;
	while (rest.l && !err) {
		struct pl line = rest;
		const char *nl = pl_strchr(&rest, '\n');

		line.l = nl ? (size_t)(nl - rest.p) + 1 : rest.l;
		pl_advance(&rest, line.l);
		if (line.l > 9 && !memcmp(line.p, "a=rtpmap:", 9)) {
			struct pl r = line;

			pl_advance(&r, 9);
			if (!pl_strchr(&r, '/'))
				continue;
		}
		err = mbuf_write_pl(mb, &line);
	}
	mb->pos = 0;
	if (!err)
		err = sdp_decode(leg->sdp, mb, offer);
	mem_deref(mb);
	return err;
}

static int decode_body(struct sipleg *leg, const struct sip_msg *msg,
		       bool offer)
{
	struct mbuf *mb = msg->mb;
	size_t pos = mb->pos, end = mb->end;
	struct pl body;
	int err;

	/* octets past Content-Length are not ours (RFC 3261 §18.3) */
	if (pl_isset(&msg->clen) && pl_u32(&msg->clen) < mbuf_get_left(mb))
		mb->end = mb->pos + pl_u32(&msg->clen);
	body.p = (const char *)mbuf_buf(mb);
	body.l = mbuf_get_left(mb);
	err = sdp_decode(leg->sdp, mb, offer);
	mb->pos = pos;
	if (err == EBADMSG)
		err = decode_lenient(leg, &body, offer);
	mb->end = end;
	return err;
}

/* an offer came in (INVITE or re-INVITE): decode it and check it */
int sipmedia_answer_from(struct sipleg *leg, const struct sip_msg *msg,
			 struct mbuf **mbp)
{
	int err;

	err = decode_body(leg, msg, true);
	if (err)
		return err;
	err = media_update(leg, true);
	if (err)
		return err;
	return mbp ? sdp_encode(mbp, leg->sdp, false) : 0;
}

/* the answer to our offer (18x, 2xx, or the ACK of a late offer) */
int sipmedia_take_answer(struct sipleg *leg, const struct sip_msg *msg)
{
	int err;

	err = decode_body(leg, msg, false);
	if (err)
		return err;
	return media_update(leg, false);
}
