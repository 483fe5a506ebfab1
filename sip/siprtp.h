/*
 * A SIP leg's RTP session, apart from its leg (sip/rtp.c): the sockets,
 * the guard and latch (sip/rtpguard.c), SRTP (RFC 3711), telephone-event
 * (RFC 4733) both ways and the watch for a silent peer (sip/rtpwatch.c).
 * It runs on the loop of whoever owns it, a media-plane worker, and
 * knows the leg only through a plain description (struct sipmdesc) that
 * the leg makes after each change of its offer/answer or dialog state
 * (sipleg_set_media_handler), and through events the leg is told of
 * (sipleg_rtp_event).  Nothing of it is shared with the leg's thread.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_SIPRTP_H
#define SIPRI_SIPRTP_H

#include <re.h>

enum { SIPRTP_KEYLEN = 30 };   /* AES_CM_128: 16 key + 14 salt */

/* the leg's media as its offer/answer and dialog leave it: a copy */
struct sipmdesc {
	bool closed;                  /* the leg's media is over */
	char law;                     /* 'A', 'U'; 0: not negotiated */
	uint8_t pt;                   /* the payload type we send */
	bool telev;                   /* RFC 4733 negotiated, with ... */
	uint8_t telev_pt;             /* ... the peer's payload type */
	struct sa rtp, rtcp;          /* the peer's, as its SDP names them */
	bool send;                    /* audio may go: the peer showed it
					 receives us, and nobody holds */
	bool events;                  /* telephone-events may go */
	bool may_latch;               /* nat, and answered (rtpguard.c) */
	struct sa sig;                /* plain RTP latches only from this
					 address; unset: any */
	bool srtp_only;               /* plain packets are dropped */
	bool srtp;                    /* keyed: the suites and keys below */
	enum srtp_suite tx_suite, rx_suite;
	uint8_t tx_key[SIPRTP_KEYLEN], rx_key[SIPRTP_KEYLEN];
	uint32_t watch_ms;            /* a silent peer is cleared after
					 this (rtpwatch.c); 0: not watched */
};

enum siprtp_evtype {
	SIPRTP_REFUSED = 1,           /* a packet from another source */
	SIPRTP_LATCHED,               /* the peer's NAT mapping found */
	SIPRTP_TIMEOUT,               /* no packet for watch_ms */
	SIPRTP_CLOSED,                /* the session's counters, at its end */
};

struct siprtp_event {
	enum siprtp_evtype type;
	bool rtcp;                    /* of the RTCP socket */
	struct sa src, want;          /* REFUSED, LATCHED */
	uint64_t idle_ms;             /* TIMEOUT */
	uint32_t refused[2];          /* CLOSED: RTP, RTCP */
	uint32_t srtp_drops[2];       /* CLOSED: RTP, RTCP (RFC 3711 §3.3) */
};

typedef void (siprtp_recv_h)(const uint8_t *g711, size_t n, uint32_t ts,
			     uint16_t seq, void *arg);
typedef void (siprtp_dtmf_h)(char digit, void *arg);
typedef void (siprtp_event_h)(const struct siprtp_event *ev, void *arg);

struct siprtp;

/* the sockets, bound in the port range but listened on no loop yet:
 * made by the leg (sip/media.c) for its SDP, then handed over whole
 * (sipleg_rtp_take) to the thread that runs it */
int  siprtp_alloc(struct siprtp **rp, const struct sa *ip, uint16_t port_min,
		  uint16_t port_max);
const struct sa *siprtp_local(const struct siprtp *r);
/* on the owner's loop: listen, and hand packets and events over */
int  siprtp_start(struct siprtp *r, siprtp_recv_h *recvh,
		  siprtp_dtmf_h *dtmfh, siprtp_event_h *evh, void *arg);
int  siprtp_update(struct siprtp *r, const struct sipmdesc *d);
/* G.711 in the negotiated law; EAGAIN: held back on purpose (held, or
 * the peer has not shown it receives us), ENOTCONN: nowhere to send */
int  siprtp_send(struct siprtp *r, const uint8_t *g711, size_t n,
		 uint32_t ts, bool marker);
/* one RFC 4733 §2.3 event packet */
int  siprtp_telev_send(struct siprtp *r, char digit, bool end, unsigned dur,
		       uint32_t ts, bool marker);
bool siprtp_telev(const struct siprtp *r);

#endif
