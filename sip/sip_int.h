/*
 * sip/: private types shared by the files of the SIP leg.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_SIP_INT_H
#define SIPRI_SIP_INT_H

#include <re.h>
#include "common/log.h"
#include "common/timer.h"
#include "sip/sipleg.h"
#include "sip/siprtp.h"

enum {
	SIPUA_T1_DEFAULT      = 500,      /* RFC 3261 §17.1.1.1 */
	SIPUA_T2              = 4000,
	SIPUA_TIMER_C_DEFAULT = 180000,   /* RFC 3261 §16.6 step 11: > 3 min */
	SIPUA_PT_TELEV        = 101,
	SIPUA_HASH_TRANS      = 4096,     /* transaction hash buckets */
	SIPUA_HASH_CONN       = 256,      /* TCP connection hash buckets */
	SIPUA_CAUSE_NORMAL    = 16,       /* Q.850 normal call clearing */
	SIPUA_RETRY_AFTER_S   = 30,       /* RFC 3261 §20.33: no span up */
	SIPUA_RETRY_BUSY_S    = 5,        /* ... busy or over a rate */
	SIPUA_MAX_UDP         = 8,        /* overload.c: SIP UDP sockets */
};

#define SIPUA_ALLOW "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, PRACK"

enum { SIPREL_QLEN = 4 };

/* RFC 3262 state of one leg (prack.c) */
struct siprel {
	enum sipua_100rel policy;     /* this leg's peer's policy */
	int peer;                     /* index in conf.peers; -1 none */
	bool on;                      /* UAS: our 18x go reliably */
	/* UAS */
	uint32_t rseq;                /* RSeq of the last reliable 1xx sent */
	bool sent;                    /* ... one was sent */
	struct mbuf *mb;              /* the unacknowledged 1xx, or NULL */
	bool mb_sdp;                  /* ... and it carries SDP */
	struct timer tmr_rtx;         /* its retransmission, T1 doubling */
	struct timer tmr_wait;        /* 64*T1 for the PRACK */
	uint32_t txc;
	struct {
		uint16_t scode;
		bool sdp;
	} q[SIPREL_QLEN];             /* provisionals waiting for a PRACK */
	unsigned nq;
	bool answer_wait;             /* the 2xx waits for the PRACK */
	bool pracked;                 /* a reliable 1xx of ours was PRACKed,
					 or (UAC) we PRACKed one */
	/* UAC */
	struct sip_dialog *tmpl;      /* the dialog before any To tag */
	struct list earlyl;           /* struct sipearly, one per To tag */
};

/* acl.c: the peers' sources, compiled */
struct sipacl_entry {
	struct sa net;                /* the address; its port: 0 any */
	unsigned prefix;
	int proto;                    /* enum sipua_proto; -1 any */
	int peer;                     /* index in conf.peers */
};

struct sipacl {
	struct sipacl_entry e[SIPUA_MAX_PEERS * SIPUA_MAX_SOURCES];
	unsigned n;
};

/* the rate limit of the refusals' log line */
struct sipacl_log {
	uint64_t last;                /* ms, tmr_jiffies() */
	bool logged;
	unsigned suppressed;
};

/* flood.c: the per-source INVITE rate, and its log lines */
struct sipflood {
	struct hash *ht;              /* struct bucket, by source address */
	unsigned n;
	struct siprefused *refused;   /* refused.c: the INVITEs refused */
	struct sipacl_log rate_log;
	struct sipacl_log busy_log;
	struct sipacl_log overload_log;
};

struct sipauth;

struct sipua {
	struct sipua_conf conf;
	struct sipauth *auth;         /* auth.c: nonces and their counts */
	struct list regl;             /* register.c: struct sipregc */
	struct sipflood *flood;
	struct siptcp *tcp;           /* tcpgate.c: inbound TCP/TLS */
	int ovl_fd[SIPUA_MAX_UDP];    /* overload.c: libre's SIP UDP sockets */
	unsigned novl;
	sipua_admit_h *admith;        /* the core: can a call be taken? */
	void *admit_arg;
	sipua_msg_h *msgh;            /* traces (sip/ua.c) */
	void *msg_arg;
	struct sipacl acl;
	struct sipacl_log acl_log;
	struct sipua_stats stats;
	struct sipleg_causes causes;
	struct sip *sip;
	struct dnsc *dnsc;            /* NULL: numeric hosts only */
	struct siptls *tls;           /* tls.c: NULL without a tls listener */
	struct sip_lsnr *lsnr_req;
	struct sip_lsnr *lsnr_resp;
	struct list legl;             /* every leg, live or releasing */
	struct sa media_addr;         /* RTP sockets' address */
	struct sa sip_laddr;          /* the first listen address */
	struct sipaddr_conf {         /* addr.c */
		struct sa adv;        /* advertise; unset: none */
		struct sa ext;        /* external; unset: none */
		struct sipacl nets;   /* local_nets (peer index 0) */
	} addr;
	sipua_invite_h *inviteh;
	void *arg;
	unsigned live;
	int cancel_cause;             /* Reason of the CANCEL being handled */
	sipua_avail_h *availh;        /* options.c: some span up? */
	void *avail_arg;
};

/* RFC 4028 refresher role */
enum sipst_role {
	SIPST_NONE = 0,   /* no session timer */
	SIPST_US,         /* we send the refreshes */
	SIPST_PEER,       /* the peer does; we watch for expiry */
};

/* RFC 3311, RFC 3261 §14, RFC 4028: one leg's in-dialog changes */
struct sipmod {
	struct sip_request *req;      /* our UPDATE or re-INVITE */
	bool req_invite;              /* req is a re-INVITE */
	bool req_offer;               /* req carries an offer not answered */
	uint32_t req_cseq;            /* its CSeq, for the ACK */
	bool retry;                   /* a re-INVITE wanted after 491 */
	struct timer tmr_glare;       /* RFC 3261 §14.1 back-off */
	bool reinv_in;                /* a re-INVITE answered, ACK pending */
	uint32_t reinv_cseq;
	bool reinv_offer;             /* our offer in its 2xx (no SDP came) */
	struct sip_msg *reinv_msg;    /* it, for its 2xx retransmission */
	struct mbuf *reinv_2xx;       /* RFC 3261 §13.3.1.4, until the ACK */
	struct sa reinv_dst;
	unsigned reinv_txc;
	struct timer tmr_reinv;       /* 2xx retransmission */
	struct timer tmr_reinv_ack;   /* 64*T1 wait for the ACK */
	bool held;                    /* the peer holds us: no RTP to it */
	/* sip/hold.c: the PBX holds the call (Q.931 NOTIFY) */
	bool lhold;                   /* our hold is in force: no RTP */
	bool hold_want;               /* what the PBX asked for last */
	bool hold_sent;               /* what our pending offer asks */
	bool hold_req;                /* req is our hold/retrieval offer */
	struct timer tmr_hold;        /* the offer waits for req, or 491 */
	bool peer_update;             /* the peer's Allow lists UPDATE */
	bool peer_timer;              /* the peer supports "timer" */
	/* RFC 4028 session timer */
	uint32_t se;                  /* Session-Expires, s; 0: none */
	uint32_t min_se;              /* Min-SE we apply, s */
	enum sipst_role role;
	struct timer tmr_se;          /* refresh (us) or expiry (peer) */
	struct cc_msg *setup;         /* UAC: for an INVITE again on 422 */
	bool conf_set;                /* a trunk's values below, not ua's */
	uint32_t conf_se;             /* session_expires; 0: no timers */
	uint32_t conf_min_se;
};

/* rtpguard.c: the one source a session takes RTP (or RTCP) from */
struct sipguard {
	struct sa sdp;                /* what the peer's SDP names */
	struct sa want;               /* it, or the latched source (nat) */
	bool latched;
	unsigned refused;             /* packets dropped */
};

enum leg_state {
	LEG_IDLE = 0,      /* UAC: INVITE not sent yet */
	LEG_CALLING,       /* UAC: INVITE sent, nothing received */
	LEG_INCOMING,      /* UAS: INVITE received, no 1xx beyond 100 */
	LEG_EARLY,         /* a 18x went out or came in */
	LEG_ANSWERED,      /* UAS: 200 sent, waiting for the ACK */
	LEG_CONFIRMED,     /* ACK sent or received: the call is up */
	LEG_CANCELLING,    /* UAC: CANCEL wanted or sent, waiting for final */
	LEG_BYE,           /* BYE sent, waiting for its response */
	LEG_RELEASED,      /* RELEASE delivered or scheduled */
};

struct sipleg {
	struct le le;                 /* in sipua.legl */
	struct sipua *ua;
	struct sip_dialog *dlg;
	enum leg_state state;
	bool uac;
	bool live;                    /* counted in ua->live */

	/* core side */
	sipleg_msg_h *msgh;
	sipleg_media_h *mediah;
	void *arg;
	int rel_cause;                /* cause for DISCONNECT on release */
	void *causes_arg;             /* the cause tables' arg (ref), or NULL */
	bool disc_sent;               /* DISCONNECT already delivered */
	struct timer tmr_rel;         /* deferred RELEASE */
	uint16_t status;              /* the INVITE's final response, sent
				       * (UAS) or received (UAC); 0: none */

	/* UAS */
	struct sip_strans *st;        /* INVITE server transaction */
	struct sip_msg *invite;       /* the INVITE (ref) */
	struct mbuf *resp2xx;         /* 2xx for retransmission (§13.3.1.4) */
	struct sa resp_dst;
	struct timer tmr_2xx;         /* 2xx retransmit */
	struct timer tmr_ack;         /* 64*T1 wait for ACK */
	int bye_cause;                /* core cleared before the ACK came */
	uint32_t txc;
	bool late_offer;              /* INVITE without SDP: offer in 2xx */

	/* UAC */
	struct sip_auth *auth;        /* authc.c: our credentials, or NULL */
	uint32_t auth_cseq;           /* ... the CSeq that carried them */
	bool auth_sent;
	struct sip_request *req;      /* INVITE client transaction */
	struct sip_request *byereq;   /* BYE or in-dialog request */
	uint32_t invite_cseq;
	enum sip_transp tp;
	struct sa dst;                /* where the INVITE went */
	struct sa laddr;              /* our address toward it */
	char *ruri;
	char *to_uri;                 /* To of the INVITE, without tag */
	char *from_uri;
	char *from_hdr;               /* From of the INVITE, with our tag */
	char *via_branch;             /* INVITE Via branch, from a 1xx */
	char *via_sentby;
	bool prov_rcvd;               /* a 1xx arrived: CANCEL may go */
	bool alerted;
	bool answered;
	int cancel_cause;             /* > 0: CANCEL wanted with this cause */
	bool cancel_sent;
	struct mbuf *cancel_mb;       /* our own CANCEL, for retransmission */
	struct timer tmr_cancel;
	struct timer tmr_b;
	struct timer tmr_c;

	/* media: the SDP here, the RTP session on the media plane */
	struct sipsrtp *srtp;         /* srtp.c: SDES keys */
	struct sdp_session *sdp;
	struct sdp_media *sdpm;
	struct siprtp *rtpx;          /* until handed over (sipleg_rtp_take) */
	struct sa m_rtp, m_rtcp;      /* the peer's, per SDP (rtpguard.c) */
	struct sa rtp_raddr;          /* where our RTP goes, for logs */
	bool rtp_latched;
	bool media_closed;            /* sipguard_close */
	struct sipmdesc mdesc;        /* the last told (sipleg_media_sync) */
	int law;                      /* 'A', 'U' or 0 */
	uint8_t pt;                   /* payload type we send */
	bool sdp_done;                /* offer/answer complete */

	/* DTMF (sip/dtmf.c) */
	enum sipleg_info_type info_type;
	struct sip_request *inforeq;  /* one INFO at a time */
	char dtmf_q[CC_NUMLEN];       /* digits waiting for it */
	uint16_t dtmf_ms[CC_NUMLEN];  /* and their durations */
	bool telev;                   /* telephone-event negotiated */
	uint8_t telev_pt;             /* the remote's payload type for it */

	/* in-dialog session changes: UPDATE, re-INVITE (sip/modify.c,
	 * sip/reinvite.c) and the session timer (sip/stimer.c) */
	struct sipmod mod;

	struct siprel rel;            /* 100rel/PRACK (prack.c) */

	/* the peer's settings, copied when the leg is made (sipleg_set_peer,
	 * as rel.policy): a reload changes nothing for a live leg */
	struct {
		bool nat;                 /* rtpguard.c: latching */
		bool early_media_always;  /* rtpguard.c */
		bool trusted;             /* uas.c: RFC 3325 identity */
		enum sipua_media media;   /* srtp.c */
		enum sipua_alert_inband alert_inband;   /* uas.c */
	} peer;
};

/* ua.c */
const struct sipua_conf *sipua_conf(const struct sipua *ua);
const struct sipua_peer *sipua_peer_get(const struct sipua *ua, int i);
unsigned sipua_t1(const struct sipua *ua);
struct sipleg *sipua_find_leg(struct sipua *ua, const struct sip_msg *msg);
/* our Contact on a message over laddr to peer (addr.c picks the host);
 * user NULL: contact_user */
int  sipua_contact(struct re_printf *pf, const struct sipua *ua,
		   const char *user, enum sip_transp tp,
		   const struct sa *laddr, const struct sa *peer);
/* %H print handler for our Contact; peer NULL: not known */
struct sipua_contact_ctx {
	const struct sipua *ua;
	enum sip_transp tp;
	const struct sa *laddr;
	const struct sa *peer;
	const char *user;             /* NULL: contact_user */
};

/* addr.c: our address toward a peer (sipri.conf(5), ADDRESSES) */
int  sipaddr_init(struct sipua *ua);
void sipaddr_pick(const struct sipua *ua, const struct sa *peer,
		  const struct sa *laddr, struct sa *out);
int  sipaddr_uri_peer(const char *uri, struct sa *peer);
int  sipaddr_listen_any(struct sipua *ua, enum sip_transp tp,
			const struct sa *any);
int  sipua_contact_h(struct re_printf *pf, void *arg);

/* acl.c: access control by source (RFC 3261 §8.2) */
void sipacl_build(struct sipacl *acl, const struct sipua_conf *conf);
int  sipacl_match(const struct sipacl *acl, const struct sa *src,
		  enum sip_transp tp);
bool sipacl_check(struct sipua *ua, const struct sip_msg *msg, int *peerp);
int  sipacl_add(struct sipacl *acl, const struct sipua_source *src, int peer);
bool sipacl_log_due(struct sipacl_log *rl, uint64_t now,
		    unsigned *suppressed);

/* flood.c */
int  sipflood_alloc(struct sipflood **fp);
bool sipflood_rate(struct sipua *ua, const struct sip_msg *msg);
bool sipflood_admit(struct sipua *ua, const struct sip_msg *msg);

/* refused.c: INVITEs a flood gate refused, whose retransmissions get the
 * same 503 again (RFC 3261 §8.2.7) */
struct siprefused;
int  siprefused_alloc(struct siprefused **rfp);
int  siprefused_cause(struct siprefused *rf, const struct sip_msg *msg);
void siprefused_add(struct siprefused *rf, const struct sip_msg *msg,
		    int cause, uint64_t ttl);

/* overload.c */
void sipovl_init(struct sipua *ua);
bool sipovl_behind(const struct sipua *ua);
void sipovl_stall(const struct sipua *ua);

/* tcpgate.c */
struct siptcp;
int  siptcp_alloc(struct siptcp **gp, struct sipua *ua);
void siptcp_seen(struct siptcp *g, enum sip_transp tp, const struct sa *peer);

/* rtpguard.c */
void sipguard_set(struct sipguard *g, const struct sa *sdp);
bool sipguard_pass(struct sipguard *g, const struct sa *src, bool may_latch);
bool sipguard_latch(struct sipguard *g, const struct sa *src, bool may_latch,
		    bool valid);
void sipguard_update(struct sipleg *leg, const struct sa *rtp,
		     const struct sa *rtcp);
void sipguard_close(struct sipleg *leg);
bool sipguard_may_send(const struct sipleg *leg);
bool sipguard_may_latch(const struct sipleg *leg);
void sipguard_sig(const struct sipleg *leg, struct sa *sig);
void sipguard_event(struct sipleg *leg, const struct siprtp_event *ev);

/* rtpwatch.c */
uint32_t sipwatch_ms(const struct sipleg *leg);
void sipwatch_expired(struct sipleg *leg, uint64_t idle_ms);

/* leg.c: the media description, told to the core when it changed */
void sipleg_media_sync(struct sipleg *leg);

/* digest.c: RFC 7616 §3.4.1 response, qop=auth */
enum sipdigest_alg { SIPDIGEST_MD5 = 0, SIPDIGEST_SHA256 };
enum { SIPDIGEST_HEXLEN = 64 };
struct sipdigest_in {
	enum sipdigest_alg alg;
	struct pl user, realm, password, method, uri, nonce, nc, cnonce, qop;
};
const char *sipdigest_alg_name(enum sipdigest_alg alg);
int  sipdigest_alg_decode(const struct pl *name, enum sipdigest_alg *alg);
int  sipdigest_response(char *hex, const struct sipdigest_in *in);

/* auth.c: digest challenges of incoming requests (RFC 3261 §22) */
enum sipauth_verdict {
	SIPAUTH_OK = 0,
	SIPAUTH_CHALLENGE,   /* 401 */
	SIPAUTH_STALE,       /* 401, stale=true */
	SIPAUTH_REPLAY,      /* 401: a nonce count used before */
	SIPAUTH_FORBIDDEN,   /* 403 */
	SIPAUTH_BAD_URI,     /* 400: the digest uri is another resource */
};
int  sipauth_alloc(struct sipauth **ap);
int  sipauth_nonce(char *buf, size_t size, const struct sipauth *a, int peer,
		   enum sipdigest_alg alg, uint64_t now_ms);
enum sipauth_verdict sipauth_verify(struct sipauth *a,
				    const struct sipua_challenge *ch, int peer,
				    const struct sip_msg *msg, uint64_t now_ms);
bool sipauth_check(struct sipua *ua, const struct sip_msg *msg, int peer);

/* authc.c: answering a peer's challenge (RFC 3261 §22.2) */
int  sipauthc_alloc(struct sip_auth **authp, const struct sipua *ua,
		    int peer);
bool sipauthc_challenged(struct sipleg *leg, const struct sip_msg *msg,
			 struct sip_dialog *dlg);

/* register.c: our registrations (RFC 3261 §10) */
void sipregc_sync(struct sipua *ua);
uint32_t sipregc_wait(unsigned failc, uint32_t retry_after);
uint32_t sipregc_expiry(uint32_t asked, uint32_t granted);
uint64_t sipregc_refresh_ms(uint32_t expiry);

/* leg.c */
int  sipleg_alloc(struct sipleg **legp, struct sipua *ua, bool uac);
int  sipleg_set_peer(struct sipleg *leg, int i);
int  sipleg_set_peer_uri(struct sipleg *leg, const char *uri);
void sipleg_deliver(struct sipleg *leg, const struct cc_msg *msg);
void sipleg_disconnect(struct sipleg *leg, int cause, int location);
void sipleg_release(struct sipleg *leg, int cause);
int  sipleg_bye(struct sipleg *leg, int cause);
void sipleg_stop_timers(struct sipleg *leg);
int  sipleg_to_status(const struct sipleg *leg, int cause, int location);
int  sipleg_from_status(const struct sipleg *leg, int scode);

/* uas.c */
void sipuas_invite(struct sipua *ua, const struct sip_msg *msg, int peer);
int  sipuas_send(struct sipleg *leg, const struct cc_msg *msg);
void sipuas_ack(struct sipleg *leg, const struct sip_msg *msg);

int  sipuas_reply(struct sipleg *leg, int scode, bool sdp, int cause,
		  struct mbuf **mbp, uint32_t rseq);
int  sipuas_answer(struct sipleg *leg);

/* prack.c: RFC 3262 reliable provisional responses */
bool siprel_uas_refused(struct sipua *ua, const struct sip_msg *msg,
			int peer, bool *sup);
void siprel_uas_init(struct sipleg *leg, bool sup);
int  siprel_uas_1xx(struct sipleg *leg, uint16_t scode, bool sdp);
bool siprel_uas_hold_2xx(struct sipleg *leg);
void siprel_prack(struct sipleg *leg, const struct sip_msg *msg);
bool siprel_rack_decode(const struct sip_msg *msg, uint32_t *rseq,
			uint32_t *cseq, struct pl *met);
bool siprel_rseq_decode(const struct sip_msg *msg, uint32_t *rseq);
int  siprel_uac_hdrs(struct re_printf *pf, void *arg);
bool siprel_uac_1xx(struct sipleg *leg, const struct sip_msg *msg);
int  siprel_uac_2xx(struct sipleg *leg, const struct sip_msg *msg);
bool siprel_uac_2xx_other(struct sipleg *leg, const struct sip_msg *msg);
void siprel_stop(struct sipleg *leg);
void siprel_free(struct sipleg *leg);

/* uac.c */
int  sipuac_send(struct sipleg *leg, const struct cc_msg *msg);
bool sipuac_response(struct sipua *ua, const struct sip_msg *msg);

/* dialog.c: requests inside a dialog */
void sipdlg_request(struct sipleg *leg, const struct sip_msg *msg);

/* dtmf.c: INFO (RFC 6086) and telephone-event (RFC 4733) */
void sipdtmf_info_request(struct sipleg *leg, const struct sip_msg *msg);
int  sipdtmf_info_send(struct sipleg *leg, const struct cc_msg *msg);
int  sipdtmf_info_parse(const struct pl *type, const struct pl *subtype,
			const struct pl *body, char *digit, unsigned *dur_ms);
void sipdtmf_sdp(struct sipleg *leg);

/* tls.c: SIP over TLS (RFC 3261 §26.2, RFC 5922) */
struct siptls;
int  siptls_alloc(struct siptls **stp, struct sipua *ua);
void siptls_expect(struct sipua *ua, enum sip_transp tp, const char *uri);
enum sip_transp siptls_transp(int proto);
int  siptls_transp_add(struct sipua *ua, int proto, const struct sa *laddr);
int  siptls_dialog_alloc(struct sip_dialog **dlgp, const char *uri,
			 const char *to_uri, const char *from_name,
			 const char *from_uri);

/* srtp.c: SRTP with SDES keys (RFC 3711, RFC 4568) */
int  sipsrtp_alloc(struct sipleg *leg);
int  sipsrtp_negotiate(struct sipleg *leg, bool offer);
int  sipsrtp_offer(struct sipleg *leg);
const char *sipsrtp_proto(const struct sipleg *leg);
bool sipsrtp_on(const struct sipleg *leg);
void sipsrtp_keys(const struct sipleg *leg, struct sipmdesc *d);

/* sdes.c: RFC 4568 §9.1 a=crypto, with one inline key||salt (§6.1) */
enum { SIPSDES_KEYLEN = 30 };   /* AES_CM_128: 16 key + 14 salt */
struct sipsdes {
	uint32_t tag;
	enum srtp_suite suite;
	uint8_t key[SIPSDES_KEYLEN];
};
int  sipsdes_decode(struct sipsdes *c, const char *value);
int  sipsdes_encode(struct re_printf *pf, void *arg);   /* %H */
const char *sipsdes_suite_name(enum srtp_suite suite);

/* hdr.c: header helpers */
bool siphdr_isdigits(const struct pl *pl);
int  siphdr_reason_cause(const struct sip_msg *msg);
int  siphdr_reason_raw(const struct pl *val);
void siphdr_user_number(struct cc_party *party, const struct uri *uri);
/* RFC 3323 §4.2: Privacy id, header or user hides the caller */
bool siphdr_privacy(const struct sip_msg *msg);
void siphdr_parties(struct cc_msg *setup, const struct sip_msg *msg,
		    bool trusted);
struct siphdr_ident {
	const struct cc_msg *setup;
	const char *host;
};
int  siphdr_print_identity_h(struct re_printf *pf, void *arg);
bool siphdr_is_sdp(const struct sip_msg *msg);
bool siphdr_option_known(const struct pl *tag);
bool siphdr_has_option(const struct sip_msg *msg, enum sip_hdrid id,
		       const char *tag);
/* what our Supported header lists (siphdr_supported) */
struct siphdr_sup {
	bool rel100;     /* RFC 3262, for this peer */
	bool timer;      /* RFC 4028, when session timers are on */
};
int  siphdr_supported(struct re_printf *pf, void *arg);
int  siphdr_leg_supported(struct re_printf *pf, void *arg);

/* media.c */
/* peer: where the SDP goes, for our c= address (addr.c); NULL unknown */
int  sipmedia_alloc(struct sipleg *leg, const struct sa *peer);
int  sipmedia_offer(struct sipleg *leg, struct mbuf **mbp);
int  sipmedia_answer_from(struct sipleg *leg, const struct sip_msg *msg,
			  struct mbuf **mbp);
int  sipmedia_take_answer(struct sipleg *leg, const struct sip_msg *msg);
int  sipmedia_encode(struct sipleg *leg, struct mbuf **mbp);

/* options.c */
bool sipopt_unavailable(struct sipua *ua, const struct sip_msg *msg);

/* stimer.c: RFC 4028 session timer */
enum { SIPST_SE_DEFAULT = 1800, SIPST_MIN_SE_DEFAULT = 90,
       SIPST_MAX_MIN_SE_DEFAULT = 7200 };
enum sipst_refresher {
	SIPST_REF_NONE = 0,
	SIPST_REF_UAC,
	SIPST_REF_UAS,
};
int  sipst_parse(const struct pl *val, uint32_t *se,
		 enum sipst_refresher *ref);
int  sipst_request(struct sipleg *leg, const struct sip_msg *msg);
int  sipst_refuse(struct sipleg *leg, const struct sip_msg *msg, int status,
		     struct sip_strans **stp);
/* %H print handlers; arg: the struct sipleg */
bool sipst_on(const struct sipleg *leg);
int  sipst_resp_hdrs(struct re_printf *pf, void *arg);
int  sipst_req_hdrs(struct re_printf *pf, void *arg);
void sipst_response(struct sipleg *leg, const struct sip_msg *msg);
bool sipst_retry_422(struct sipleg *leg, const struct sip_msg *msg);
void sipst_peer_caps(struct sipleg *leg, const struct sip_msg *msg);
void sipst_conf(struct sipleg *leg, const struct sipleg_stimer *st);
void sipst_start(struct sipleg *leg);

/* modify.c: session changes - UPDATE (RFC 3311) and what re-INVITE
 * shares with it */
void sipmod_stop(struct sipleg *leg);
uint32_t sipmod_backoff(const struct sipleg *leg);
void sipmod_update(struct sipleg *leg, const struct sip_msg *msg);
int  sipmod_refresh(struct sipleg *leg);
int  sipmod_send_h(enum sip_transp tp, const struct sa *src,
		   const struct sa *dst, struct mbuf *mb, void *arg);
bool sipmod_early_ok(const struct sipleg *leg);
void sipmod_media_changed(struct sipleg *leg, int old_law, bool old_held);
void sipmod_reply_200(struct sipleg *leg, const struct sip_msg *msg,
		      struct mbuf *body, struct mbuf **mbp);
int  sipmod_offer_send(struct sipleg *leg, const char *method,
		       sip_resp_h *resph);
bool sipmod_dialog_gone(struct sipleg *leg, uint16_t scode);

/* hold.c: the PBX's hold and retrieval toward SIP */
int  siphold_notify(struct sipleg *leg, const struct cc_msg *msg);
void siphold_answered(struct sipleg *leg, const struct sip_msg *msg);
void siphold_failed(struct sipleg *leg, int err, uint16_t scode);
void siphold_stop(struct sipleg *leg);

/* reinvite.c: RFC 3261 §14 */
void sipreinv_request(struct sipleg *leg, const struct sip_msg *msg);
void sipreinv_ack(struct sipleg *leg, const struct sip_msg *msg);
int  sipreinv_send(struct sipleg *leg);
bool sipreinv_response(struct sipua *ua, const struct sip_msg *msg);
void sipreinv_stop(struct sipleg *leg);

/* log.c */
void sip_log(enum log_level level, const char *fmt, ...);
void sipleg_log(const struct sipleg *leg, enum log_level level,
		const char *fmt, ...);

#endif
