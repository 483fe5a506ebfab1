/*
 * sipri configuration: an INI file (see doc/sipri.conf.5), loaded into
 * one immutable struct conf.  A reload builds a new struct conf and
 * swaps it in only when loading succeeded; calls hold a reference
 * (mem_ref) to the conf their route came from.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_CONF_H
#define SIPRI_GATEWAY_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <re.h>
#include "gateway/route/number.h"

enum { CONF_MAXBCHAN = 31, CONF_MAXCHAN = 1023, CONF_TLS_PATH_MAX = 256 };

enum conf_loglevel { CONF_LOG_ERR, CONF_LOG_WARN, CONF_LOG_INFO,
		     CONF_LOG_DEBUG };
enum conf_100rel { CONF_100REL_SUPPORTED, CONF_100REL_REQUIRED,
		   CONF_100REL_DISABLED };
enum conf_dtmf { CONF_DTMF_AUTO, CONF_DTMF_RFC4733, CONF_DTMF_INFO,
		 CONF_DTMF_INBAND };
enum conf_dtmf_info { CONF_DTMF_INFO_RELAY, CONF_DTMF_INFO_DTMF };
enum conf_switch { CONF_SW_EUROISDN, CONF_SW_NATIONAL, CONF_SW_NI1,
		   CONF_SW_DMS100, CONF_SW_4ESS, CONF_SW_5ESS, CONF_SW_QSIG };
enum conf_node { CONF_NODE_CPE, CONF_NODE_NETWORK };
enum conf_hunt { CONF_HUNT_ASCENDING, CONF_HUNT_DESCENDING,
		 CONF_HUNT_ROUNDROBIN };
enum conf_chansel { CONF_CHANSEL_EXCLUSIVE, CONF_CHANSEL_PREFERRED };
/* libpri's decodes into the log at debug level ([span N] pri_debug) */
enum conf_pri_debug { CONF_PRI_DEBUG_NONE, CONF_PRI_DEBUG_Q931,
		      CONF_PRI_DEBUG_Q921, CONF_PRI_DEBUG_ALL };
enum conf_tp { CONF_TP_UDP, CONF_TP_TCP, CONF_TP_TLS };
/* a trunk's media: RTP, SRTP (SDES, RFC 4568) or SRTP when taken */
enum conf_srtp { CONF_SRTP_OFF, CONF_SRTP_ON, CONF_SRTP_OPTIONAL };
/* the progress-indicator <-> 18x policy of a trunk (sipri.conf(5)) */
enum conf_alert_inband { CONF_ALERT_183, CONF_ALERT_180 };
enum conf_ringback { CONF_RINGBACK_LOCAL, CONF_RINGBACK_NONE };

/* DTMF on the B-channels ([general] dtmf_*; levels in dBm0) */
struct conf_dtmfdsp {
	int threshold;                 /* detector: weakest tone */
	uint32_t twist, reverse_twist; /* detector: dB */
	int level;                     /* generator */
	uint32_t duration, gap;        /* generator, ms */
	uint32_t delay;                /* suppression delay line, ms */
};

/* [general] media keys (conf_media.c); times in milliseconds */
struct conf_media {
	char country[10];              /* libtonezone code, default "us" */
	bool echocancel;               /* ask DAHDI for echo cancellation */
	uint32_t ec_taps;              /* DAHDI canceller taps */
	bool soft_ec;                  /* sipri's own NLMS canceller */
	uint32_t soft_ec_taps;
	uint32_t jb_min, jb_max;       /* jitter buffer delay bounds */
	unsigned jb_line;              /* the line of the last of the two */
	uint32_t t306;                 /* Q.931 T306: in-band tone on clearing */
};

/* [general]; all times in milliseconds */
struct conf_general {
	enum conf_loglevel loglevel;
	uint16_t rtp_min, rtp_max;     /* rtp_ports = MIN-MAX */
	enum conf_100rel rel100;
	enum conf_dtmf dtmf;
	enum conf_dtmf_info dtmf_info;
	struct conf_dtmfdsp dtmfdsp;
	uint32_t t1, t2;               /* RFC 3261 §17.1.1.1 */
	uint32_t timer_b;              /* RFC 3261 §17.1.1.2: 64*T1 */
	uint32_t timer_c;              /* RFC 3261 §16.6 */
	uint32_t t301, t303, t310;     /* Q.931 §9.1 Table 9-1 */
	uint32_t t302;                 /* overlap receiving: digit gap */
	uint32_t session_expires;      /* RFC 4028, s; 0: no timers */
	uint32_t min_se;               /* RFC 4028 Min-SE, s */
	uint32_t max_min_se;           /* the largest a peer may ask, s */
	uint32_t rtp_timeout;          /* s without RTP; 0: never cleared */
	uint32_t max_call_duration;    /* s after the answer; 0: none */
	uint32_t overlap_max;          /* ms overlap receiving may last */
	uint32_t max_calls;            /* 0: bounded by B-channels only */
	uint32_t media_threads;        /* the media plane's; 0: one per core */
	uint32_t debug_close_us;       /* tests: a B-channel's close waits */
	char *control;                 /* absolute path or NULL */
	char *trace_dir;               /* pcap traces; NULL: the default */
	struct conf_media media;
};

/* [cdr]: call detail records (gateway/cdr.c) */
struct conf_cdr {
	char *file;                    /* appended to; NULL: no CDRs */
	bool csv;                      /* CSV rows, not JSON lines */
};

/* [metrics]: Prometheus metrics over HTTP (gateway/metrics.c) */
struct conf_metrics {
	struct sa listen;              /* unset: no metrics server */
};

/* [span N] */
struct conf_span {
	struct le le;
	unsigned num;                  /* DAHDI span number */
	unsigned dchan;                /* DAHDI channel number */
	uint16_t bchan[CONF_MAXBCHAN]; /* DAHDI channel numbers, ordered */
	unsigned nbchan;
	enum conf_switch switchtype;
	enum conf_node node;
	enum conf_hunt hunting;
	enum conf_chansel chansel;
	bool overlap;
	bool restart_on_up;            /* RESTART all B-channels on up */
	bool trace;                    /* a pcap of the D-channel */
	enum conf_pri_debug pri_debug;
	char *group;
	char country[10];              /* "": [general]'s */
	bool inband_disconnect;        /* clearing with PI 8 and a tone */
	unsigned line;
};

/* [sip] listen = TP:ADDR:PORT, ... */
struct conf_listen {
	struct le le;
	enum conf_tp tp;
	struct sa addr;
};

/* a source a trunk accepts requests from (conf_source.c, "sources") */
enum { CONF_SOURCES_MAX = 8, CONF_NETS_MAX = 16 };
struct conf_source {
	struct sa addr;                /* the network; its port 0: any */
	unsigned prefix;               /* 0..32 (IPv4), 0..128 (IPv6) */
	int tp;                        /* enum conf_tp; -1: any */
};

struct conf_sip {
	struct list listenl;           /* struct conf_listen */
	char *user_agent;
	struct sa dns[4];              /* dns_server; none: resolv.conf */
	unsigned ndns;
	uint32_t invite_rate;          /* INVITEs/s per source; 0: any */
	uint32_t invite_burst;
	bool invite_drop;              /* past the rate: no 503 either */
	uint32_t max_dialogs;          /* legs at once; 0: any */
	/* sip/tcpgate.c: accepted TCP/TLS connections at most, in all and
	 * from one address (0: any), and their setup and idle timeouts (s) */
	uint32_t tcp_max_conns;
	uint32_t tcp_max_per_source;
	uint32_t tcp_setup_timeout;
	uint32_t tcp_idle_timeout;
	uint32_t udp_rcvbuf;           /* sip/overload.c */
	uint32_t overload_queue;
	uint32_t debug_stall_us;
	/* conf_addr.c: addresses for real networks; unset: AF_UNSPEC */
	struct sa advertise;           /* Contact, From, SDP o=/c= */
	struct sa external;            /* the same beyond local_nets */
	struct sa rtp_bind;            /* the RTP sockets' address */
	struct conf_source nets[CONF_NETS_MAX];   /* local_nets */
	unsigned nnets;
	bool nets_set;
	char *tls_cert;                /* PEM files (conf_tls.c), or NULL */
	char *tls_key;
	char *tls_ca;
};

/* a trunk's digest authentication (conf_auth.c) */
enum conf_auth_alg { CONF_AUTH_BOTH = 0, CONF_AUTH_MD5, CONF_AUTH_SHA256 };
struct conf_auth {
	char *chall_user;              /* it must authenticate as; NULL none */
	char *chall_pass;
	char *realm;                   /* NULL: "sipri" */
	enum conf_auth_alg alg;
	uint32_t nonce_ttl;            /* s */
	uint32_t status;               /* 401, or 407 as a proxy does */
	char *user;                    /* our credentials; NULL none */
	char *pass;
	bool reg;                      /* REGISTER user@host */
	uint32_t reg_expires;          /* s */
};

/* [trunk NAME] */
struct conf_trunk {
	struct le le;
	char *name;
	char *host;
	uint16_t port;
	enum conf_tp tp;
	uint32_t options;              /* OPTIONS ping interval s; 0 off */
	uint32_t options_timeout;      /* ms per ping; 0: 64*T1 */
	uint32_t options_failures;     /* failed pings in a row: down */
	struct cause_map *causes;      /* cause.N / status.S overrides */
	struct numbering num;          /* [numbering] + sip_format */
	int sipfmt;                    /* enum number_sipfmt; -1 unset */
	int dtmf;                      /* enum conf_dtmf; -1: [general]'s */
	int dtmf_info;                 /* enum conf_dtmf_info; likewise */
	int64_t session_expires;       /* RFC 4028 override, s; -1 unset */
	int64_t min_se;                /* -1 unset */
	int rel100;                    /* enum conf_100rel; -1: [general] */
	enum conf_alert_inband alert_inband;  /* ALERTING with PI 1/8 */
	enum conf_ringback ringback;   /* 180 without SDP */
	bool inband_disc;              /* DISCONNECT with PI 8: announce */
	uint32_t inband_disc_ms;       /* ... for at most this long */
	/* who may call through it (RFC 3261 §8.2); no "sources" key: the
	 * host's address when it is one, else nobody */
	struct conf_source sources[CONF_SOURCES_MAX];
	unsigned nsources;             /* 0: accepts no request */
	bool sources_set;              /* "sources" was given */
	bool trusted;                  /* RFC 3325 §4: its PAI/Privacy */
	bool nat;                      /* media by symmetric latching */
	bool trace;                    /* a pcap of its SIP messages */
	bool early_media_always;       /* early media without a PRACK */
	enum conf_srtp srtp;           /* "media" */
	bool sips;                     /* sips: Request-URIs (RFC 5630) */
	struct conf_auth auth;
	unsigned line;
};

struct conf {
	char *path;                    /* as given */
	char *dir;                     /* the file's folder, absolute */
	struct conf_general gen;
	struct conf_sip sip;
	struct conf_cdr cdr;
	struct conf_metrics metrics;
	struct numbering num;          /* [numbering] */
	struct list spanl;             /* struct conf_span, by span number */
	struct list trunkl;            /* struct conf_trunk */
	struct list routel;            /* struct route, in file order */
};

/* "FILE:LINE: [SECTION] key "KEY": reason" */
struct conf_err {
	unsigned line;                 /* 0: not about one line */
	char key[48];                  /* "" when not about one key */
	char msg[512];
};

int conf_load(struct conf **confp, const char *path, struct conf_err *err);
int conf_parse(struct conf **confp, const char *path, const char *buf,
	       size_t len, struct conf_err *err);

const struct conf_span  *conf_span_find(const struct conf *conf,
					unsigned num);
const struct conf_trunk *conf_trunk_find(const struct conf *conf,
					 const char *name);
bool conf_group_exists(const struct conf *conf, const char *group);

const char *conf_switch_name(enum conf_switch sw);
const char *conf_node_name(enum conf_node node);
const char *conf_hunt_name(enum conf_hunt hunt);
const char *conf_tp_name(enum conf_tp tp);
int conf_debug(struct re_printf *pf, const struct conf *conf);
int conf_port_print(struct re_printf *pf, void *arg);
/* a trunk's URI scheme, "sip" or "sips", and ";transport=..." or "" */
const char *conf_trunk_scheme(const struct conf_trunk *tr);
const char *conf_trunk_tp_param(const struct conf_trunk *tr);
/* %H: the trunk's URI without a user (arg: struct conf_trunk) */
int conf_trunk_uri(struct re_printf *pf, void *arg);
/* %H: one source as written in "sources" (arg: struct conf_source) */
int conf_source_print(struct re_printf *pf, void *arg);

#endif
