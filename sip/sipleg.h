/*
 * sip/: the SIP side of the gateway, on libre's SIP core (transports,
 * transactions, dialogs) with our own INVITE dialog usage.  libre's sipsess
 * is not used (doc/ARCHITECTURE, facts: libre's sipsess).
 *
 * Two objects:
 *   struct sipua   the SIP stack: transports, listeners, the dispatch of
 *                  incoming requests (OPTIONS, 405/501, 481, 483, 400 ...)
 *   struct sipleg  one call's SIP leg: an INVITE dialog usage, UAC or UAS,
 *                  with its SDP offer/answer and RTP session
 *
 * The core talks to a leg only in neutral cc_msg primitives (common/cc.h):
 *
 *   UAC  sipleg_invite(SETUP)  -> INVITE with an SDP offer
 *        100 -> PROCEEDING, 180 -> ALERTING, 183 -> PROGRESS,
 *        2xx -> CONNECT (ACKed), 3xx-6xx -> DISCONNECT, then RELEASE
 *        sipleg_send(DISCONNECT): CANCEL before the answer, BYE after it
 *   UAS  INVITE -> sipua_invite_h(SETUP) (100 Trying already sent)
 *        sipleg_send: ALERTING -> 180, PROGRESS -> 183 (with PI 1 or 8:
 *        183 with SDP, see sipri.conf(5)), CONNECT -> 200,
 *        DISCONNECT -> final 3xx-6xx before the answer, BYE after it
 *        CANCEL / BYE received -> DISCONNECT, then RELEASE
 *   Both sides do RFC 3262 (100rel/PRACK) per the peer's policy: reliable
 *   18x and their PRACKs stay inside the leg (sip/prack.c).
 *   In the call: a peer's re-INVITE/UPDATE hold or codec change -> NOTIFY
 *   (remote hold/retrieval, or none for a law change); sipleg_send(NOTIFY
 *   remote hold/retrieval) -> our a=sendonly / a=sendrecv offer in an
 *   UPDATE or re-INVITE (sip/hold.c), ignored before the dialog is
 *   confirmed.
 *
 * Lifetime: the sipua owns every leg.  The last message a leg delivers is
 * CC_RELEASE; the sipua frees the leg right after that handler returns, so
 * the core must drop its pointer there.  A leg never calls its handler from
 * inside sipleg_send() or sipleg_invite(); events arrive from the main loop.
 * Freeing the sipua frees all legs without calling any handler.
 *
 * Every Reason header is RFC 3326 `Reason: Q.850;cause=N`.
 *
 * This header includes no libre header, so the call core may include it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_SIPLEG_H
#define SIPRI_SIPLEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/cc.h"
#include "sip/siprtp.h"

struct sipua;
struct sipleg;

enum sipua_proto {
	SIPUA_UDP = 0,
	SIPUA_TCP,
	SIPUA_TLS,       /* RFC 3261 §26.2, RFC 5922 (sip/tls.c) */
};

/* a peer's media (sip/srtp.c): RTP/AVP only; SRTP with SDES keys
 * (RFC 4568, RTP/SAVP) or 488; SRTP when the peer takes it, else RTP */
enum sipua_media {
	SIPUA_MEDIA_RTP = 0,
	SIPUA_MEDIA_SRTP,
	SIPUA_MEDIA_SRTP_OPTIONAL,
};

/* RFC 3262 policy: off; offer 100rel (and send 18x reliably when the
 * peer supports it); demand it (Require: 100rel, 421 without it) */
enum sipua_100rel {
	SIPUA_100REL_DISABLED = 0,
	SIPUA_100REL_SUPPORTED,
	SIPUA_100REL_REQUIRED,
};

enum {
	SIPUA_MAX_LISTEN = 8, SIPUA_MAX_DNS = 4, SIPUA_STRLEN = 64,
	SIPUA_MAX_PEERS = 32, SIPUA_MAX_SOURCES = 8, SIPUA_ADDRLEN = 48,
	SIPUA_MAX_NETS = 16,
	SIPUA_PATHLEN = 256,
};

/*
 * A source a peer accepts requests from (sip/acl.c): the first prefix
 * bits of addr, and when set the port and the transport.
 */
struct sipua_source {
	char addr[SIPUA_ADDRLEN];    /* an IP address, "192.0.2.0", "::1" */
	uint8_t prefix;              /* 0..32 (IPv4), 0..128 (IPv6) */
	uint16_t port;               /* 0: any */
	int proto;                   /* enum sipua_proto; -1: any */
};

/*
 * A SIP peer (a trunk) with its own policy.  Outgoing INVITEs match it by
 * the Request-URI's host and port (no match: the global policy).
 * Incoming requests match it by their source (sip/acl.c); one that
 * matches no peer's sources is refused with 403 before anything is
 * allocated, unless it belongs to a dialog we hold: no peer, no calls.
 */
/* what the PBX's ALERTING with in-band information (PI 1 or 8) becomes */
enum sipua_alert_inband {
	SIPUA_ALERT_183 = 0,      /* 183 Session Progress with SDP */
	SIPUA_ALERT_180,          /* 180 Ringing with SDP */
};

/* inbound digest challenge (sip/auth.c, RFC 3261 §22); user "": none */
enum { SIPUA_AUTH_MD5 = 1, SIPUA_AUTH_SHA256 = 2 };
struct sipua_challenge {
	char user[SIPUA_STRLEN];
	char password[SIPUA_STRLEN];
	char realm[SIPUA_STRLEN];
	unsigned algs;               /* SIPUA_AUTH_*; 0: both */
	uint32_t nonce_ttl;          /* s; 0: 300 */
	bool proxy;                  /* 407 and Proxy-Authenticate */
};

/* our credentials toward the peer (sip/authc.c), and our registration
 * with it (sip/register.c, RFC 3261 §10); user "": none */
struct sipua_cred {
	char user[SIPUA_STRLEN];
	char password[SIPUA_STRLEN];
	bool reg;                    /* REGISTER with the peer */
	uint32_t reg_expires;        /* s, what we ask for */
};

struct sipua_peer {
	char name[SIPUA_STRLEN];     /* for logs */
	char host[SIPUA_STRLEN];
	uint16_t port;
	enum sipua_100rel rel100;
	enum sipua_alert_inband alert_inband;
	struct sipua_source src[SIPUA_MAX_SOURCES];   /* what it accepts */
	unsigned nsrc;
	/* RFC 3325 §4: in our trust domain: its P-Asserted-Identity and
	 * Privacy are taken; from others the caller is From's user */
	bool trusted;
	/* behind a NAT: media from the first source after the answer
	 * (symmetric latching, sip/rtpguard.c) instead of its SDP's */
	bool nat;
	/* early media to it (sip/rtpguard.c): only once a reliable 18x is
	 * PRACKed (false), or as soon as the SDP is known (true) */
	bool early_media_always;
	enum sipua_media media;
	/* how it is reached: enum sipua_proto; over TLS its certificate
	 * must name host (sip/tls.c) */
	int tp;
	/* its URI without a user, as the INVITEs' Request-URI has it:
	 * sip[s]:HOST[:PORT][;transport=...] (RFC 3261 §19.1.1, RFC 5630);
	 * our REGISTER goes there */
	char uri[SIPUA_STRLEN * 2];
	struct sipua_challenge chall;
	struct sipua_cred cred;
};

struct sipua_listen {
	enum sipua_proto proto;
	char addr[SIPUA_STRLEN];     /* "ip:port", e.g. "127.0.0.1:5060" */
};

/*
 * TLS (sip/tls.c): our certificate chain and its key, for the tls
 * listeners and the connections we open; the CAs a server we connect to
 * must chain to.  Its certificate must name a TLS peer's host (RFC 5922
 * §7.2); "" ca: servers are not verified and no TLS peer may be set.
 */
struct sipua_tls {
	char cert[SIPUA_PATHLEN];
	char key[SIPUA_PATHLEN];
	char ca[SIPUA_PATHLEN];
};

struct sipua_conf {
	struct sipua_listen listen[SIPUA_MAX_LISTEN];
	unsigned nlisten;
	struct sipua_tls tls;
	char user_agent[SIPUA_STRLEN];   /* User-Agent and Server; "" none */
	char contact_user[SIPUA_STRLEN]; /* user part of our Contact; "" = sipri */
	/*
	 * Timers in ms; 0 takes the default.  libre 1.1.0 fixes T1 = 500 ms
	 * and Timer B = 64*T1 inside its transaction layer; t1_ms paces the
	 * timers sip/ runs itself (2xx and CANCEL retransmission), timer_b_ms
	 * ends an outgoing INVITE that got no response at all, timer_c_ms one
	 * that got no final response (RFC 3261 §16.6 step 11, default 180 s).
	 */
	unsigned t1_ms;
	unsigned timer_b_ms;
	unsigned timer_c_ms;
	enum sipua_100rel rel100;
	enum sipua_alert_inband alert_inband;
	struct sipua_peer peers[SIPUA_MAX_PEERS];
	unsigned npeers;
	uint16_t rtp_port_min;           /* RTP/RTCP port range; 0 = 10000 */
	uint16_t rtp_port_max;           /* 0 = 20000 */
	char media_addr[SIPUA_STRLEN];   /* the RTP sockets' address;
					    "" = first listen address */
	/*
	 * What we write as our address (sip/addr.c): in Contact, From,
	 * P-Asserted-Identity, Diversion and the SDP o=/c= lines.  Toward
	 * a peer outside local_nets: external when set; else advertise
	 * when set; else the local address when it is not a wildcard;
	 * else that of the interface toward the peer.  Never 0.0.0.0.
	 */
	char advertise[SIPUA_ADDRLEN];   /* "" none */
	char external[SIPUA_ADDRLEN];    /* "" none */
	struct sipua_source local_nets[SIPUA_MAX_NETS];   /* port, proto: 0, -1 */
	unsigned nlocal;
	/* DNS servers ("ip:port") for trunk names (RFC 3263 NAPTR/SRV/A);
	 * none: the nameservers of /etc/resolv.conf */
	char dns[SIPUA_MAX_DNS][SIPUA_STRLEN];
	unsigned ndns;
	/* RFC 4028 session timer, in seconds: the interval we ask for and
	 * allow at most (0: no session timers, "timer" unsupported), and
	 * the smallest we accept (0 = 90) */
	uint32_t session_expires;
	uint32_t min_se;
	/* the largest Min-SE a peer may ask of us, in seconds (0 = 7200):
	 * above it a request is refused, a 422 not retried */
	uint32_t max_min_se;
	/* seconds without RTP from a peer that should send it before an
	 * answered call clears with cause 41 (sip/rtpwatch.c); 0: never */
	uint32_t rtp_timeout;
	/* sip/flood.c: INVITEs per second from one source address (0: no
	 * limit) and the burst allowed; past it 503, or nothing with
	 * invite_drop; at most max_dialogs legs at once (0: no limit) */
	uint32_t invite_rate;
	uint32_t invite_burst;
	bool invite_drop;
	uint32_t max_dialogs;
	/* sip/tcpgate.c: accepted TCP/TLS connections at most, in all and
	 * from one address (0: no limit); seconds a connection may stay
	 * without its first SIP message, and without any message */
	uint32_t tcp_max_conns;
	uint32_t tcp_max_per_source;
	uint32_t tcp_setup_timeout;
	uint32_t tcp_idle_timeout;
	/* sip/overload.c: the SIP UDP sockets' receive buffer (bytes; 0:
	 * the system's), the bytes waiting in them past which a new INVITE
	 * gets 503 (0: never), and, for
	 * tests: a stall per INVITE taken (microseconds) */
	uint32_t udp_rcvbuf;
	uint32_t overload_queue;
	uint32_t debug_stall_us;
};

/* The core's cause-mapping tables, injected (RFC 3398 §7.2.4.1/§8.2.6.1) */
struct sipleg_causes {
	int (*to_status)(int cause, int location, void *arg); /* Q.850 -> SIP */
	int (*from_status)(int status, void *arg);            /* SIP -> Q.850 */
	void *arg;
};

/* A call-control message from the leg to the core */
typedef void (sipleg_msg_h)(const struct cc_msg *msg, void *arg);

/*
 * A new incoming INVITE.  The handler must call sipleg_set_handlers() to
 * take the leg, and may answer at once with sipleg_send().  If it does not
 * set handlers, the INVITE is refused with 500 and the leg is released.
 */
typedef void (sipua_invite_h)(struct sipleg *leg, const struct cc_msg *setup,
			      const char *ruri_user, void *arg);

/* The leg's media description changed (sip/siprtp.h): for its RTP
 * session, which runs on the media plane */
typedef void (sipleg_media_h)(const struct sipmdesc *d, void *arg);

int  sipua_alloc(struct sipua **uap, const struct sipua_conf *conf,
		 const struct sipleg_causes *causes, sipua_invite_h *inviteh,
		 void *arg);
/* SIGHUP: take the policy of a new configuration (peers with their media
 * and TLS names, 100rel, session timers, SIP timers) for the calls to
 * come; listeners, TLS files, DNS servers and the RTP port range stay */
void sipua_set_policy(struct sipua *ua, const struct sipua_conf *conf);
/* the number of legs not yet released, for "no calls are live" checks */
unsigned sipua_live_legs(const struct sipua *ua);
/* counters since sipua_alloc */
struct sipua_stats {
	unsigned legs;          /* legs allocated, both ways */
	unsigned rtp;           /* RTP sockets opened */
	unsigned refused;       /* requests refused by source (403) */
	unsigned media_refused; /* RTP/RTCP packets from a wrong source */
	unsigned rate_limited;  /* INVITEs over their source's rate */
	unsigned busy;          /* INVITEs refused 503 before a leg */
	unsigned tcp_refused;   /* TCP/TLS connections closed at accept */
	unsigned tcp_timedout;  /* ... closed by the setup or idle timeout */
	unsigned overload;      /* INVITEs refused 503: the loop was behind */
};
void sipua_stats(const struct sipua *ua, struct sipua_stats *st);
/* trunk name's registration (sip/register.c): "REGISTERED",
 * "REGISTERING", "FAILED", "IDLE"; NULL when it does not register */
const char *sipua_reg_state(const struct sipua *ua, const char *name);
/*
 * What the SIP side holds now (sip/census.c), for the stats line of
 * SIGUSR1: legs allocated, live or releasing (a dialog, or an INVITE
 * that has none yet), and libre's client and server transactions,
 * those lingering after their final response included.
 */
struct sipcensus {
	unsigned legs;
	unsigned transactions;
};
int  sipcensus_take(const struct sipua *ua, struct sipcensus *c);
/* free with mem_deref() */

/*
 * OPTIONS (sip/options.c).  The availability handler says whether the
 * gateway can take calls (a span up with a free B-channel, max_calls not
 * reached); while it says no, OPTIONS
 * is answered 503 instead of 200 (RFC 3261 §11.2, §21.5.4).
 */
typedef bool (sipua_avail_h)(void *arg);
void sipua_set_avail_handler(struct sipua *ua, sipua_avail_h *h, void *arg);
/*
 * Admission (sip/flood.c): whether a new INVITE could become a call at
 * all (a span up with a free B-channel, max_calls not reached): 0, or the
 * Q.850 cause of a stateless 503 with Retry-After, before any leg or RTP
 * port is allocated for it.
 */
typedef int (sipua_admit_h)(void *arg);
void sipua_set_admit_handler(struct sipua *ua, sipua_admit_h *h, void *arg);

/*
 * Every SIP message sent (tx) or received, as on the wire (decrypted on
 * TLS), with the peer it goes to or comes from by its sources (-1 for
 * none), for traces.  tcp: over TCP or TLS.  h NULL: no more.
 */
typedef void (sipua_msg_h)(int peer, bool tx, bool tcp, const struct sa *src,
			   const struct sa *dst, const uint8_t *msg,
			   size_t len, void *arg);
void sipua_set_msg_handler(struct sipua *ua, sipua_msg_h *h, void *arg);

/*
 * One OPTIONS ping to uri (RFC 3261 §11.1).  The handler is called once:
 * with the final response's status, or with err (ETIMEDOUT: no final
 * response within timeout_ms; or a transport error) and scode 0.
 * Freeing the ping (mem_deref) stops it; the handler may do so.
 */
struct sipua_ping;
typedef void (sipua_ping_h)(int err, uint16_t scode, void *arg);
int  sipua_ping(struct sipua_ping **pingp, struct sipua *ua, const char *uri,
		unsigned timeout_ms, sipua_ping_h *h, void *arg);

/*
 * Place an outgoing call.  uri is the Request-URI ("sip:1234@host:port");
 * setup carries the called (To user), calling (From/P-Asserted-Identity)
 * and redirecting (Diversion) numbers in their SIP form (TON international
 * for "+"), each written by sipuser_write() (common/sipuser.h) as the
 * gateway's Request-URI user is.
 */
int  sipleg_invite(struct sipleg **legp, struct sipua *ua, const char *uri,
		   const struct cc_msg *setup, sipleg_msg_h *msgh, void *arg);
/* the same with the trunk's RFC 4028 session timer, in seconds; a field
 * below 0 takes sipua_conf's (session_expires 0: none for this call) */
struct sipleg_stimer {
	int64_t session_expires;
	int64_t min_se;
};
int  sipleg_invite_stimer(struct sipleg **legp, struct sipua *ua,
			  const char *uri, const struct cc_msg *setup,
			  const struct sipleg_stimer *st, sipleg_msg_h *msgh,
			  void *arg);
/* mediah hears the description at once, then at each change */
void sipleg_set_handlers(struct sipleg *leg, sipleg_msg_h *msgh,
			 sipleg_media_h *mediah, void *arg);
int  sipleg_send(struct sipleg *leg, const struct cc_msg *msg);

/* the leg's RTP session (sip/siprtp.h), whole: the caller owns it from
 * now and runs it on its own loop; NULL when there is none (or no more) */
struct siprtp *sipleg_rtp_take(struct sipleg *leg);
/* an event of the session the leg handed over: logs, counters, and a
 * silent peer's call cleared (sip/rtpwatch.c) */
void sipleg_rtp_event(struct sipleg *leg, const struct siprtp_event *ev);
/* an RTP session's CLOSED event, once its leg may be gone */
void sipua_rtp_closed(struct sipua *ua, const char *callid,
		      const struct siprtp_event *ev);
/*
 * DTMF (sip/dtmf.c).  Digits received by RFC 4733 telephone-event come
 * from the RTP session (siprtp.h), once per event; digits received by
 * INFO (application/dtmf-relay or application/dtmf) come as CC_INFO with
 * dtmf set.  A CC_INFO sent with
 * dtmf set goes out as one INFO per digit, in the body type set here.
 */
enum sipleg_info_type { SIPLEG_INFO_DTMF_RELAY = 0, SIPLEG_INFO_DTMF };
void sipleg_set_info_type(struct sipleg *leg, enum sipleg_info_type type);
/* telephone-event was negotiated (RFC 4733 §7.1.1) */
bool sipleg_telev(const struct sipleg *leg);

/* negotiated law: 'A' (PCMA) or 'U' (PCMU); 0 = none yet */
int  sipleg_media_law(const struct sipleg *leg);
/*
 * The arg this leg passes to the cause tables (struct sipleg_causes), in
 * place of the sipua's: a trunk's overrides.  It must be a libre mem
 * object; the leg keeps a reference until it is freed.  NULL: the sipua's.
 */
void sipleg_set_causes_arg(struct sipleg *leg, void *mem_arg);
/* the index in sipua_conf.peers of the leg's peer; -1: none matched */
int  sipleg_peer(const struct sipleg *leg);
/* the INVITE's final response, sent (UAS) or received (UAC); 0: none */
int  sipleg_status(const struct sipleg *leg);
/* the leg's Call-ID, for logs */
const char *sipleg_callid(const struct sipleg *leg);

#endif
