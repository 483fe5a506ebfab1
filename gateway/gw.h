/*
 * The gateway context: the configuration, the PRI spans, the SIP stack
 * and the live calls.  It is the one object the daemon holds; everything
 * else hangs off it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GW_H
#define SIPRI_GW_H

#include <re.h>
#include "common/timer.h"
#include "gateway/acct.h"
#include "gateway/call/call.h"
#include "gateway/config/conf.h"
#include "gateway/media/rtpstat.h"
#include "gateway/mplane/mplane.h"

struct tdm_span;
struct tdm_leg;
struct sipua;
struct sipleg;
struct trunks;
struct mplane;
struct mplane_stream;
struct mplane_msg;
struct mplane_stats;

struct gw {
	struct conf *conf;
	struct list spans;     /* struct gw_span */
	struct sipua *ua;
	struct trunks *trunks; /* OPTIONS pings, trunk up/down (trunk.h) */
	struct gwtrace *trace; /* pcap traces (trace.h) */
	struct cdr *cdr;       /* call detail records (cdr.h) */
	struct metrics *metrics; /* Prometheus (metrics.h) */
	struct ctl *ctl;       /* sipri-ctl's socket (ctl.h) */
	struct mplane *mp;     /* the media plane's workers (mplane.h) */
	struct list calls;     /* struct gw_call */
	struct list ending;    /* struct gw_call, done: their streams end */
	struct list origins;   /* test calls (originate.h) */
	unsigned next_id;
	bool stopping;
	struct timer stop_tmr;
};

struct gw_span {
	struct le le;
	struct gw *gw;
	unsigned num;
	char group[32];
	struct tdm_span *span;
};

/* The trunk's progress-indicator policy for one call (sipri.conf(5)) */
struct gw_pipolicy {
	bool ringback_local;    /* 180 without SDP: local ringback */
	bool inband_disc;       /* DISCONNECT with PI 8: play it to SIP */
	uint32_t inband_disc_ms;
};

/* One call as the gateway sees it: the core's call and the two legs */
struct gw_call {
	struct le le;
	struct gw *gw;
	struct call *call;
	enum call_side tdm_side;
	struct tdm_leg *tdm;
	struct sipleg *sip;
	char sip_callid[64];    /* the SIP leg's, for what comes after it */
	/* the call's media on the media plane (gateway/mplane/): the
	 * B-channel, the RTP session, the bridge and its DSP, tones */
	struct mplane_stream *ms;
	bool rtp;               /* the SIP leg's RTP session was handed over */
	bool tdm_fd;            /* the stream reads the B-channel */
	bool bridged;           /* the bridge runs (legs.c) */
	char bridge_law;        /* ... with this RTP law */
	bool dtmf_set;          /* ... with this DTMF mode (dtmf_relay.c) */
	enum mplane_dtmf_out dtmf_out;
	bool dtmf_suppress;
	bool ec;                /* ... with echo control (dspctl.c) */
	enum conf_dtmf dtmf_mode;        /* the trunk's (or [general]'s) */
	enum conf_dtmf_info dtmf_info;
	bool tone;              /* in-band call progress (progress.c) */
	struct timer t306;      /* Q.931 T306: the tone after clearing */
	int t306_cause;
	char uri[256];          /* PRI -> SIP: where the INVITE goes */
	int64_t session_expires;   /* PRI -> SIP: the trunk's RFC 4028 */
	int64_t min_se;            /* overrides; -1: the [general] value */
	char group[32];         /* SIP -> PRI: the span group */
	struct cause_map *causes; /* the SIP trunk's overrides (ref), or NULL */
	struct gw_pipolicy pol;
	struct timer inband_tmr;  /* an in-band announcement before clearing */
	int inband_cause;
	struct acct acct;       /* what the call was: its CDR (acct.h) */
	struct rtpstat rtpstat; /* the RTP received: loss, jitter */
};

int  gw_alloc(struct gw **gwp, struct conf *conf);
int  gw_reload(struct gw *gw, const char *path);
void gw_shutdown(struct gw *gw);
unsigned gw_live_calls(const struct gw *gw);
struct gw_span *gw_span_find(const struct gw *gw, unsigned num);
/* the call's stream ended (MPLANE_EV_CLOSED): the call goes */
void gw_call_closed(struct gw_call *gc);
unsigned gw_busy_channels(const struct gw *gw);

/* legs.c: the two leg kinds as the call core sees them */
extern const struct leg_ops gw_tdm_ops;
extern const struct leg_ops gw_sip_ops;
int  gw_call_alloc(struct gw_call **gcp, struct gw *gw, enum call_side tdm);
void gw_tdm_attach(struct gw_call *gc, struct tdm_leg *leg);
void gw_sip_attach(struct gw_call *gc, struct sipleg *leg);
void gw_call_policy(struct gw_call *gc, const struct conf_trunk *trunk);
/* acct.c's record of a call, from its legs (legs.c); on a SIP leg also
 * its final status */
void gw_acct_tdm(struct gw_call *gc);
void gw_acct_sip(struct gw_call *gc);

/* overlap.c: overlap dialling in both directions */
bool gw_number_complete(const struct cc_party *called, void *arg);
void gw_overlap_setup(struct gw_call *gc, const struct cc_msg *setup,
		      unsigned ndigits);
/* dtmf_relay.c: DTMF between the bridge and the SIP leg */
void dtmf_relay_update(struct gw_call *gc);
bool dtmf_relay_to_tdm(struct gw_call *gc, const struct cc_msg *msg);
bool dtmf_relay_to_sip(struct gw_call *gc, const struct cc_msg *msg);
void dtmf_relay_end(struct gw_call *gc, const struct mplane_stats *st);
void dtmf_relay_event(struct gw_call *gc, const struct mplane_msg *ev);
struct dtmf_prm;
void dtmf_relay_prm(const struct gw_call *gc, struct dtmf_prm *prm);

/* progress.c: in-band tones on the B-channel towards the PBX */
void progress_alerting(struct gw_call *gc, struct cc_msg *msg);
bool progress_disconnect(struct gw_call *gc, const struct cc_msg *msg);
void progress_stop(struct gw_call *gc);

/* dspctl.c: jitter bounds, software echo canceller, fax/modem tones */
struct mplane_bridge;
void dspctl_start(struct gw_call *gc, struct mplane_bridge *b);
void dspctl_end(struct gw_call *gc, const struct mplane_stats *st);
void dspctl_tone_heard(struct gw_call *gc, int tone);

/* legs.c: a command to the call's stream on the media plane; the TDM
 * command for a B-channel opened (fd), which the stream then reads,
 * writes and closes, or about to close (-1) */
int  gw_media_cmd(struct gw_call *gc, const struct mplane_msg *m);
void gw_tdm_cmd(struct mplane_msg *m, int fd, const struct tdm_leg *leg);

/* the core's cause tables, as the SIP leg wants them (gw.c) */
int gw_to_status(int cause, int location, void *arg);
int gw_from_status(int status, void *arg);

#endif
