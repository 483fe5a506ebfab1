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
 * The keys agreed go to the RTP session in the media description
 * (sipsrtp_keys), where libre's SRTP sits under libre's RTP as a UDP
 * helper (sip/rtp.c): it encrypts what rtp_send writes and decrypts
 * before RTP sees a packet.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <openssl/rand.h>
#include "sip/sip_int.h"

struct sipsrtp {
	enum sipua_media mode;
	struct sipsdes ours[2];       /* offered: tag 1 _80, tag 2 _32 */
	struct sipsdes tx;            /* ours as agreed */
	struct sipsdes rx;            /* the peer's as agreed */
	bool on;                      /* SRTP agreed and keyed */
};

static void srtp_destructor(void *arg)
{
	struct sipsrtp *s = arg;

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
	if (err) {
		mem_deref(s);
		return err;
	}
	leg->srtp = s;
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
	s->tx = tx;
	s->rx = p.c;
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

/* the agreed keys, for the RTP session (sip/rtp.c) */
void sipsrtp_keys(const struct sipleg *leg, struct sipmdesc *d)
{
	const struct sipsrtp *s = leg->srtp;

	d->srtp_only = s && s->mode == SIPUA_MEDIA_SRTP;
	d->srtp = s && s->on;
	if (!d->srtp)
		return;
	d->tx_suite = s->tx.suite;
	d->rx_suite = s->rx.suite;
	memcpy(d->tx_key, s->tx.key, SIPRTP_KEYLEN);
	memcpy(d->rx_key, s->rx.key, SIPRTP_KEYLEN);
}
