/*
 * The media guard (sip/rtpguard.c), step by step: nothing is taken before
 * an address is negotiated; then only that address and port; with
 * latching, the first source once it is allowed and none other after it;
 * a new SDP address lets it latch again, the same one keeps the latch.
 * Then on a leg's real sockets with nat = yes, its RTP session run on
 * this loop as the media plane runs it: a candidate latches only
 * after SRTP authenticated its packet (a forged one latches nothing), and
 * on plain RTP only with a negotiated payload type, from the SIP peer's
 * address.  Last, a reload that reorders or removes trunks under a live
 * leg: the leg keeps its peer's settings (early media, nat, media).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"
#include "tests/unit/legkit.h"

static struct sa addr(const char *s)
{
	struct sa sa;

	if (sa_decode(&sa, s, strlen(s)))
		sa_init(&sa, AF_UNSPEC);
	return sa;
}

/* a packet that proves itself (valid): through the gate and the latch */
static bool pass(struct sipguard *g, const char *src, bool may_latch)
{
	struct sa sa = addr(src);

	return sipguard_pass(g, &sa, may_latch) &&
		sipguard_latch(g, &sa, may_latch, true);
}

/* the gate lets a candidate by; what comes after it drops or refuses it */
static void candidates(void)
{
	struct sipguard g;
	struct sa sdp = addr("192.0.2.1:7000"), spoof = addr("198.51.100.6:1"),
		peer = addr("198.51.100.9:40000");

	memset(&g, 0, sizeof(g));
	sipguard_set(&g, &sdp);
	tap_ok(sipguard_pass(&g, &spoof, true) && !g.latched,
	       "may latch: the gate lets a candidate by, and latches nothing");
	tap_ok(!sipguard_latch(&g, &spoof, true, false) && !g.latched,
	       "a candidate that proves nothing (not RTP, a payload type not "
	       "given): dropped, nothing latched");
	tap_ok(sipguard_latch(&g, &sdp, true, false) && !g.latched,
	       "... from the SDP's address: taken, nothing latched");
	/* a forged SRTP packet: the gate let it by, SRTP dropped it, the
	 * latch never saw it */
	tap_ok(sipguard_pass(&g, &peer, true) &&
	       sipguard_latch(&g, &peer, true, true) && g.latched &&
	       sa_cmp(&g.want, &peer, SA_ALL),
	       "the first candidate that proves itself latches");
	tap_ok(!sipguard_pass(&g, &spoof, true),
	       "then the gate refuses the other one");
}

struct run {
	struct sipleg *leg;
	struct siprtp *rtp;           /* its RTP session, run on this loop */
	bool latched;                 /* the session latched RTP ... */
	struct sa latched_to;         /* ... to this source */
	unsigned audio;               /* packets the leg delivered */
	unsigned want;                /* ... to wait for */
	bool timeout;
	struct tmr tmr;
};

static void audio_h(const uint8_t *pcm, size_t len, uint32_t ts,
		    uint16_t seq, void *arg)
{
	struct run *r = arg;
	(void)pcm;
	(void)len;
	(void)ts;
	(void)seq;

	if (++r->audio >= r->want)
		re_cancel();
}

/* the session's events go to the leg, as the daemon's core passes them */
static void event_h(const struct siprtp_event *ev, void *arg)
{
	struct run *r = arg;

	if (ev->type == SIPRTP_LATCHED && !ev->rtcp) {
		r->latched = true;
		r->latched_to = ev->src;
	}
	sipleg_rtp_event(r->leg, ev);
}

static void media_h(const struct sipmdesc *d, void *arg)
{
	struct run *r = arg;

	(void)siprtp_update(r->rtp, d);
}

static void timeout_h(void *arg)
{
	struct run *r = arg;

	r->timeout = true;
	re_cancel();
}

/* one RTP packet with pt from us to the leg; srtp: encrypted with it */
static int rtp_from(struct udp_sock *us, struct run *r, uint8_t pt,
		    uint16_t seq, struct srtp *srtp)
{
	struct rtp_header h = {.ver = RTP_VERSION, .pt = pt, .seq = seq,
			       .ts = 160u * seq, .ssrc = 0x5151};
	struct mbuf *mb = mbuf_alloc(256);
	uint8_t pcm[160];
	int err;

	if (!mb)
		return ENOMEM;
	memset(pcm, 0xd5, sizeof(pcm));
	err  = rtp_hdr_encode(mb, &h);
	err |= mbuf_write_mem(mb, pcm, sizeof(pcm));
	mb->pos = 0;
	if (!err && srtp)
		err = srtp_encrypt(srtp, mb);
	else if (!err && !srtp && pt == 8 && seq == 0)   /* a forged tag */
		err = mbuf_write_mem(mb, pcm, 10);
	mb->pos = 0;
	if (!err)
		err = udp_send(us, siprtp_local(r->rtp), mb);
	mem_deref(mb);
	return err;
}

/* the main loop until the leg delivered want packets in all, or 2 s */
static bool wait_audio(struct run *r, unsigned want)
{
	r->want = want;
	if (r->audio >= want)
		return true;
	tmr_start(&r->tmr, 2000, timeout_h, r);
	(void)re_main(NULL);
	tmr_cancel(&r->tmr);
	return !r->timeout;
}

/* a socket on ip, any port (tests may run side by side) */
static struct udp_sock *sock(const char *ip, struct sa *local)
{
	struct udp_sock *us = NULL;
	struct sa sa;

	if (sa_set_str(&sa, ip, 0) || udp_listen(&us, &sa, NULL, NULL) ||
	    udp_local_get(us, local))
		return mem_deref(us);
	return us;
}

/* an answered UAC leg to a nat = yes peer, the answer taken */
static int answered_leg(struct sipua *ua, struct run *r, const char *proto,
			const char *crypto)
{
	struct sip_msg *msg;
	struct mbuf *offer = NULL;
	char sdp[512];
	int err;

	memset(ua, 0, sizeof(*ua));
	ua->conf.peers[0].nat = true;
	ua->conf.peers[0].media = crypto[0] ? SIPUA_MEDIA_SRTP :
		SIPUA_MEDIA_RTP;
	err = kit_leg(ua, &r->leg, true);
	if (err)
		return err;
	(void)kit_sdp(sdp, sizeof(sdp), 7000, proto, crypto);
	msg = kit_sdp_msg(false, sdp);
	err = sipmedia_offer(r->leg, &offer);
	err = err ? err : sipmedia_take_answer(r->leg, msg);
	mem_deref(offer);
	mem_deref(msg);
	r->leg->answered = true;
	(void)sa_set_str(&r->leg->dst, "127.0.0.1", 5062);   /* SIP peer */
	r->rtp = sipleg_rtp_take(r->leg);
	err = err ? err : siprtp_start(r->rtp, audio_h, NULL, event_h, r);
	r->leg->mediah = media_h;   /* the description as it stands */
	r->leg->arg = r;
	sipleg_media_sync(r->leg);
	return err;
}

/* 30 octets 0x00..0x1d: the peer's key in its answer */
#define KEY "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"

static void srtp_leg(void)
{
	static struct sipua ua;
	struct run r = {0};
	struct sa sa, want;
	struct udp_sock *spoof = sock("127.0.0.1", &sa),
		*peer = sock("127.0.0.1", &want);
	struct srtp *enc = NULL;
	uint8_t key[SIPSDES_KEYLEN];
	int err;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	err = answered_leg(&ua, &r, "RTP/SAVP", "a=crypto:1 "
			   "AES_CM_128_HMAC_SHA1_80 inline:" KEY "\r\n");
	err = err ? err : srtp_alloc(&enc, SRTP_AES_CM_128_HMAC_SHA1_80, key,
				     sizeof(key), 0);
	if (!tap_ok(!err && spoof && peer && sipsrtp_on(r.leg),
		    "SRTP leg, nat = yes, answered: keyed"))
		goto out;
	/* the forged packet first: an RTP header, PCMA, a made-up tag */
	err  = rtp_from(spoof, &r, 8, 0, NULL);
	err |= rtp_from(peer, &r, 8, 1, enc);
	tap_ok(!err && wait_audio(&r, 1) && r.audio == 1,
	       "SRTP: a forged packet from another source, then the peer's: "
	       "the peer's is heard, the forged one not");
	tap_ok(r.latched && sa_cmp(&r.latched_to, &want, SA_ALL),
	       "... and the guard latched to the peer, not the forger");
	tap_ok(sa_cmp(&r.leg->rtp_raddr, &want, SA_ALL),
	       "... our RTP goes to the peer");
	err  = rtp_from(spoof, &r, 8, 2, enc);
	err |= rtp_from(peer, &r, 8, 3, enc);
	tap_ok(!err && wait_audio(&r, 2) && r.audio == 2 &&
	       ua.stats.media_refused == 1,
	       "after the latch even a good packet from the forger is refused");
 out:
	mem_deref(enc);
	mem_deref(spoof);
	mem_deref(peer);
	r.rtp = mem_deref(r.rtp);
	mem_deref(r.leg);
}

static void rtp_leg(void)
{
	static struct sipua ua;
	struct run r = {0};
	struct sa sa, want;
	struct udp_sock *spoof = sock("127.0.0.1", &sa),
		*far = sock("127.0.0.2", &sa), *peer = sock("127.0.0.1", &want);
	int err;

	err = answered_leg(&ua, &r, "RTP/AVP", "");
	if (!tap_ok(!err && spoof && far && peer && !sipsrtp_on(r.leg),
		    "plain RTP leg, nat = yes, answered"))
		goto out;
	err  = rtp_from(spoof, &r, 99, 1, NULL);
	err |= rtp_from(far, &r, 8, 2, NULL);
	err |= rtp_from(peer, &r, 8, 3, NULL);
	tap_ok(!err && wait_audio(&r, 1) && r.audio == 1 && r.latched &&
	       sa_cmp(&r.latched_to, &want, SA_ALL),
	       "RTP: a payload type not given, then PCMA from another address "
	       "than the SIP peer's, then the peer's: latched to the peer");
	tap_ok(ua.stats.media_refused == 2, "... the other two refused");
 out:
	mem_deref(spoof);
	mem_deref(far);
	mem_deref(peer);
	r.rtp = mem_deref(r.rtp);
	mem_deref(r.leg);
}

/* the reload's configuration: peers as given, by index */
static void reload(struct sipua *ua, const struct sipua_peer *peers,
		   unsigned n)
{
	static struct sipua_conf c;

	memset(&c, 0, sizeof(c));
	for (unsigned i = 0; i < n; i++)
		c.peers[i] = peers[i];
	c.npeers = n;
	sipua_set_policy(ua, &c);
}

static void reloaded(void)
{
	static struct sipua ua;
	struct sipleg *leg = NULL;
	struct sipua_peer plain = {.name = "plain"}, early = {
		.name = "early", .early_media_always = true,
		.media = SIPUA_MEDIA_SRTP};
	int err;

	memset(&ua, 0, sizeof(ua));
	ua.conf.peers[0] = early;
	err = kit_leg(&ua, &leg, false);
	if (!tap_ok(!err && leg->rel.peer == 0, "a leg of peer 0, which has "
		    "early_media = always and media = srtp"))
		goto out;
	leg->state = LEG_EARLY;
	tap_ok(sipguard_may_send(leg) && leg->srtp,
	       "early media may go to it; SRTP is on the leg");
	tap_ok(sipua_peer_get(&ua, 0) && !sipua_peer_get(&ua, 1) &&
	       !sipua_peer_get(&ua, -1), "sipua_peer_get: 0 only");
	/* SIGHUP: a new trunk first, the leg's peer second */
	reload(&ua, (struct sipua_peer[]){plain, early}, 2);
	tap_ok(sipguard_may_send(leg) && leg->peer.media == SIPUA_MEDIA_SRTP,
	       "reload, trunks reordered (index 0 is another trunk now): the "
	       "leg keeps its peer's settings");
	reload(&ua, (struct sipua_peer[]){plain}, 1);
	tap_ok(sipguard_may_send(leg) && !sipua_peer_get(&ua, 1),
	       "reload, its trunk removed: the same; sipua_peer_get(1): none");
	reload(&ua, NULL, 0);
	tap_ok(sipguard_may_send(leg), "reload without trunks: the same");
 out:
	mem_deref(leg);
}

int main(void)
{
	struct sipguard g;
	struct sa sdp = addr("192.0.2.1:7000"), sdp2 = addr("192.0.2.1:7100");
	struct sa map;

	memset(&g, 0, sizeof(g));
	tap_ok(!pass(&g, "192.0.2.1:7000", false),
	       "nothing negotiated: nothing taken");
	tap_ok(!pass(&g, "192.0.2.1:7000", true),
	       "nothing negotiated: nothing latched either");

	sipguard_set(&g, &sdp);
	tap_ok(pass(&g, "192.0.2.1:7000", false), "the SDP's address and port");
	tap_ok(!pass(&g, "192.0.2.1:7002", false), "another port: refused");
	tap_ok(!pass(&g, "192.0.2.2:7000", false), "another address: refused");
	tap_ok(!pass(&g, "[::ffff:192.0.2.2]:7000", false),
	       "another family: refused");

	/* nat = yes, before the answer: the SDP's only */
	tap_ok(!pass(&g, "198.51.100.9:40000", false),
	       "latching not yet allowed: the mapping is refused");
	tap_ok(!g.latched, "... and nothing latched");
	/* after the answer: the first source latches */
	tap_ok(pass(&g, "198.51.100.9:40000", true), "the first source latches");
	map = addr("198.51.100.9:40000");
	tap_ok(g.latched && sa_cmp(&g.want, &map, SA_ALL),
	       "... and is what the guard wants");
	tap_ok(pass(&g, "198.51.100.9:40000", true), "it keeps passing");
	tap_ok(!pass(&g, "198.51.100.9:40002", true),
	       "after the latch: another port refused");
	tap_ok(!pass(&g, "192.0.2.1:7000", true),
	       "after the latch: even the SDP's address is refused");

	sipguard_set(&g, &sdp);
	tap_ok(g.latched, "the same SDP address again: the latch holds");
	sipguard_set(&g, &sdp2);
	tap_ok(!g.latched, "a new SDP address: unlatched");
	tap_ok(pass(&g, "192.0.2.1:7100", false), "... and it is taken");
	tap_ok(!pass(&g, "198.51.100.9:40000", false),
	       "... the old latched source is not");
	tap_ok(pass(&g, "203.0.113.4:5000", true), "... it may latch again");

	candidates();
	libre_init();
	log_init("test_rtpguard", true, LOG_LVL_WARN);
	srtp_leg();
	rtp_leg();
	reloaded();
	libre_close();
	return tap_done();
}
