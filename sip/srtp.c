/*
 * sip/srtp.c: SRTP (RFC 3711) on a leg's RTP and RTCP sockets, keyed by
 * SDP security descriptions (RFC 4568), per the peer's media mode:
 *
 *   rtp            RTP/AVP, no crypto attribute
 *   srtp           RTP/SAVP with a=crypto; an offer or answer without a
 *                  usable crypto attribute is refused (the UAS says 488
 *                  before the call reaches the PRI, sip/uas.c)
 *   srtp-optional  RTP/AVP with a=crypto (best effort: a peer that knows
 *                  SDES answers with one, any other ignores it); offers
 *                  in RTP/AVP or RTP/SAVP are taken, with SRTP when they
 *                  carry a usable crypto attribute
 *
 * Our offer lists AES_CM_128_HMAC_SHA1_80 (tag 1) and _32 (tag 2), each
 * with its own random key, made once per leg; an answer names one of
 * them by tag and suite (RFC 4568 §7.1.3).  Every later offer of ours
 * lists them again (sipsrtp_offer).  Answering, we take the first crypto
 * attribute of the offer we support (§7.1.2) and answer with its tag and
 * our key.
 * libre's SRTP sits under libre's RTP as a UDP helper: it encrypts what
 * rtp_send writes and decrypts before RTP sees a packet.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <openssl/rand.h>
#include "sip/sip_int.h"

enum { SIPSRTP_LAYER = 20 };

struct sipsrtp {
	enum sipua_media mode;
	struct udp_helper *uh_rtp;
	struct udp_helper *uh_rtcp;
	struct sipsdes ours[2];       /* offered: tag 1 _80, tag 2 _32 */
	struct sipsdes tx;            /* ours as agreed */
	struct sipsdes rx;            /* the peer's as agreed */
	struct srtp *enc;
	struct srtp *dec;
	bool on;                      /* SRTP agreed and keyed */
	unsigned drop_rtp;            /* packets dropped (counters only) */
	unsigned drop_rtcp;
};

static void srtp_destructor(void *arg)
{
	struct sipsrtp *s = arg;

	/* the media path's counters, once per call */
	if (s->drop_rtp || s->drop_rtcp)
		sip_log(LOG_LVL_INFO, "sip: SRTP: dropped %u RTP and %u RTCP "
			"packets (authentication or replay, RFC 3711 §3.3)",
			s->drop_rtp, s->drop_rtcp);

	mem_deref(s->uh_rtp);
	mem_deref(s->uh_rtcp);
	mem_deref(s->enc);
	mem_deref(s->dec);
	explicit_bzero(s, sizeof(*s));   /* the master keys */
}

static enum sipua_media leg_mode(const struct sipleg *leg)
{
	return leg->peer.media;   /* sipleg_set_peer */
}

/* the m= line's transport of our offer (RFC 3711 §12: RTP/SAVP) */
const char *sipsrtp_proto(const struct sipleg *leg)
{
	return leg_mode(leg) == SIPUA_MEDIA_SRTP ? sdp_proto_rtpsavp :
		sdp_proto_rtpavp;
}

/* quiet media path: nothing is logged in the helpers */
typedef int (srtp_op_h)(struct srtp *srtp, struct mbuf *mb);

static bool helper_send(int *err, struct sipsrtp *s, struct mbuf *mb,
			srtp_op_h *op)
{
	if (s->on)
		*err = op(s->enc, mb);
	return false;
}

/* true: the packet is dropped (RFC 3711 §3.3 step 5: authentication) */
static bool helper_recv(struct sipsrtp *s, struct mbuf *mb, srtp_op_h *op,
			unsigned *drops)
{
	if (!s->on)
		return s->mode == SIPUA_MEDIA_SRTP;
	if (op(s->dec, mb)) {
		++*drops;
		return true;
	}
	return false;
}

static bool send_rtp(int *err, struct sa *dst, struct mbuf *mb, void *arg)
{
	(void)dst;
	return helper_send(err, arg, mb, srtp_encrypt);
}

static bool send_rtcp(int *err, struct sa *dst, struct mbuf *mb, void *arg)
{
	(void)dst;
	return helper_send(err, arg, mb, srtcp_encrypt);
}

static bool recv_rtp(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipsrtp *s = arg;
	(void)src;

	return helper_recv(s, mb, srtp_decrypt, &s->drop_rtp);
}

static bool recv_rtcp(struct sa *src, struct mbuf *mb, void *arg)
{
	struct sipsrtp *s = arg;
	(void)src;

	return helper_recv(s, mb, srtcp_decrypt, &s->drop_rtcp);
}

/* our offer's crypto attributes: ours, tags 1 and 2 */
static int offer_attrs(struct sipleg *leg, struct sipsrtp *s)
{
	int err = 0;

	sdp_media_del_lattr(leg->sdpm, "crypto");
	for (unsigned i = 0; i < ARRAY_SIZE(s->ours) && !err; i++)
		err = sdp_media_set_lattr(leg->sdpm, false, "crypto", "%H",
					  sipsdes_encode, &s->ours[i]);
	return err;
}

static int ours_make(struct sipsrtp *s)
{
	for (unsigned i = 0; i < ARRAY_SIZE(s->ours); i++) {
		struct sipsdes *c = &s->ours[i];

		c->tag = i + 1;
		c->suite = i ? SRTP_AES_CM_128_HMAC_SHA1_32 :
			SRTP_AES_CM_128_HMAC_SHA1_80;
		/* RFC 4568 §6.1, RFC 3711 §8: keys from a strong source */
		if (RAND_bytes(c->key, SIPSDES_KEYLEN) != 1)
			return EIO;
	}
	return 0;
}

/*
 * Before each offer of ours (re-INVITE, UPDATE, hold): answering an
 * offer left one crypto attribute with the peer's tag; an offer lists
 * ours again, tags 1 and 2, with the keys we have (RFC 4568 §7.1.4: an
 * offer may keep them), so that the answer names one of them (§7.1.3).
 */
int sipsrtp_offer(struct sipleg *leg)
{
	return leg->srtp ? offer_attrs(leg, leg->srtp) : 0;
}

/* after sipmedia_alloc made the RTP socket and the SDP media line */
int sipsrtp_alloc(struct sipleg *leg)
{
	struct sipsrtp *s;
	int err;

	if (leg_mode(leg) == SIPUA_MEDIA_RTP)
		return 0;
	s = mem_zalloc(sizeof(*s), srtp_destructor);
	if (!s)
		return ENOMEM;
	s->mode = leg_mode(leg);
	/* an offer's RTP/AVP or RTP/SAVP is taken, and answered alike */
	err = s->mode == SIPUA_MEDIA_SRTP_OPTIONAL ?
		sdp_media_set_alt_protos(leg->sdpm, 2, sdp_proto_rtpavp,
					 sdp_proto_rtpsavp) : 0;
	err |= ours_make(s);
	err |= offer_attrs(leg, s);
	err |= udp_register_helper(&s->uh_rtp, rtp_sock(leg->rtp),
				   SIPSRTP_LAYER, send_rtp, recv_rtp, s);
	err |= udp_register_helper(&s->uh_rtcp, rtcp_sock(leg->rtp),
				   SIPSRTP_LAYER, send_rtcp, recv_rtcp, s);
	if (err) {
		mem_deref(s);
		return err;
	}
	leg->srtp = s;
	return 0;
}

/* (re)key a direction when its suite or key changed (RFC 4568 §7.1.4) */
static int rekey(struct srtp **ctxp, struct sipsdes *cur,
		 const struct sipsdes *want)
{
	struct srtp *ctx = NULL;
	int err;

	if (*ctxp && cur->suite == want->suite &&
	    !memcmp(cur->key, want->key, SIPSDES_KEYLEN))
		return 0;
	err = srtp_alloc(&ctx, want->suite, want->key, SIPSDES_KEYLEN, 0);
	if (err)
		return err;
	mem_deref(*ctxp);
	*ctxp = ctx;
	*cur = *want;
	return 0;
}

struct pick {
	const struct sipsrtp *s;
	bool answer;                  /* the crypto of an answer to ours */
	struct sipsdes c;
	bool found;
};

static bool crypto_handler(const char *name, const char *value, void *arg)
{
	struct pick *p = arg;
	struct sipsdes c;
	(void)name;

	if (sipsdes_decode(&c, value))
		return false;
	if (p->answer) {
		/* §7.1.3: the tag of one of ours, with its suite */
		if (!c.tag || c.tag > ARRAY_SIZE(p->s->ours) ||
		    p->s->ours[c.tag - 1].suite != c.suite)
			return false;
	}
	p->c = c;
	p->found = true;
	return true;
}

/* answering an offer: ours for the picked suite, with the offer's tag */
static int answer_attr(struct sipleg *leg, struct sipsrtp *s,
		       const struct sipsdes *theirs, struct sipsdes *tx)
{
	const struct sipsdes *mine = &s->ours[0];

	if (theirs->suite == s->ours[1].suite)
		mine = &s->ours[1];
	*tx = *mine;
	tx->tag = theirs->tag;
	sdp_media_del_lattr(leg->sdpm, "crypto");
	return sdp_media_set_lattr(leg->sdpm, false, "crypto", "%H",
				   sipsdes_encode, tx);
}

/* offer/answer without a usable crypto: plain RTP if the mode allows */
static int no_crypto(struct sipleg *leg, struct sipsrtp *s, bool offer)
{
	if (s->mode == SIPUA_MEDIA_SRTP ||
	    !str_casecmp(sdp_media_proto(leg->sdpm), sdp_proto_rtpsavp)) {
		sipleg_log(leg, LOG_LVL_INFO, "SRTP: no usable a=crypto in "
			   "the %s", offer ? "offer" : "answer");
		return EPROTO;
	}
	if (offer)   /* our answer says plain RTP */
		sdp_media_del_lattr(leg->sdpm, "crypto");
	s->on = false;
	return 0;
}

/*
 * After an offer (offer) or an answer to ours was decoded and its codec
 * taken: the keys.  EPROTO: the media must be refused (RFC 4568 §7.1.2:
 * 488 when answering).
 */
int sipsrtp_negotiate(struct sipleg *leg, bool offer)
{
	struct sipsrtp *s = leg->srtp;
	struct pick p = {s, !offer, {0}, false};
	struct sipsdes tx;
	int err;

	if (!s)
		return 0;
	(void)sdp_media_rattr_apply(leg->sdpm, "crypto", crypto_handler, &p);
	if (!p.found)
		return no_crypto(leg, s, offer);
	if (offer) {
		err = answer_attr(leg, s, &p.c, &tx);
		if (err)
			return err;
	}
	else {
		tx = s->ours[p.c.tag - 1];
	}
	err  = rekey(&s->enc, &s->tx, &tx);
	err |= rekey(&s->dec, &s->rx, &p.c);
	if (err)
		return err;
	if (!s->on)
		sipleg_log(leg, LOG_LVL_INFO, "SRTP: %s (tag %u)",
			   sipsdes_suite_name(p.c.suite), p.c.tag);
	s->on = true;
	return 0;
}

/* SRTP is keyed: for logs and tests */
bool sipsrtp_on(const struct sipleg *leg)
{
	return leg->srtp && leg->srtp->on;
}
