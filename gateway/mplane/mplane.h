/*
 * The media plane (doc/ARCHITECTURE, "The media plane"): worker threads,
 * each with its own libre loop (re_thread_init) and timer heap, that own
 * the calls' per-frame work, so that the loop handling SIP and Q.931
 * never reads a B-channel or an RTP socket.  [general] media_threads
 * sets how many; 0 means one per core.
 *
 * The call core holds a handle per stream (struct mplane_stream) and
 * commands the worker that owns it through a queue (mpq.h); the worker
 * answers with events on the core's queue.  No mem object is shared
 * between threads: a command or an event carries copies, or an object
 * whose ownership moves with it.
 *
 * The core never waits for a worker on a call's way: a worker that is
 * late (descheduled, or in a slow B-channel read) would hold up every
 * call's signalling behind it.  So the end of a call is told, not
 * awaited: its counters come back as an event (EV_STATS), a B-channel
 * handed over with TDM .own is closed by the worker (EV_TDM_CLOSED, to
 * the plane's handler), and mplane_end's EV_CLOSED is the stream's last
 * event.  The waiting calls (mplane_call, mplane_close, mplane_sync) are
 * for tests and rare paths.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_MPLANE_H
#define SIPRI_MPLANE_H

#include <stdbool.h>
#include <stdint.h>
#include "common/tonemeter.h"
#include "gateway/media/dtmf.h"
#include "gateway/media/jb.h"
#include "gateway/media/rtpstat.h"
#include "gateway/media/media.h"
#include "gateway/media/tone.h"
#include "sip/siprtp.h"

enum { MPLANE_MAX_THREADS = 64 };
/* a stream's RFC 3550 receive counters reach the core (show calls) after
 * this many packets, and whole when it unbridges or closes */
enum { MPLANE_RTPSTAT_EVERY = 50 };

enum mplane_op {
	/* core -> worker */
	MPLANE_CMD_PING = 1,     /* answered by MPLANE_EV_PONG */
	MPLANE_CMD_CLOSE,        /* the stream goes (mplane_close) */
	MPLANE_CMD_TDM,          /* the B-channel: its fd, or -1: I/O stops
				    (a fd given .own is closed, EV_TDM_CLOSED;
				    one not owned: mplane_call, then the
				    core may close it) */
	MPLANE_CMD_RTP,          /* the RTP session, handed over whole */
	MPLANE_CMD_DESC,         /* the SIP leg's media description */
	MPLANE_CMD_RTP_CLOSE,    /* the SIP leg's media ends: its
				    siprtp_event CLOSED as an EV_RTP */
	MPLANE_CMD_BRIDGE,       /* start the bridge, or change its laws */
	MPLANE_CMD_UNBRIDGE,     /* the bridge goes: its counters as an
				    EV_STATS (or to mplane_call's out) */
	MPLANE_CMD_DTMF_MODE,    /* how detected digits leave */
	MPLANE_CMD_DTMF_PLAY,    /* a digit from SIP, played in-band */
	MPLANE_CMD_DTMF_SEND,    /* a digit from ISDN, out like detected */
	MPLANE_CMD_TONE,         /* a call-progress tone, or none */
	MPLANE_CMD_METER,        /* measure what the B-channel brings */
	MPLANE_CMD_METER_END,    /* mplane_call: its struct tone_meter */
	/* worker -> core */
	MPLANE_EV_PONG,
	MPLANE_EV_DTMF,          /* a digit from the B-channel ended */
	MPLANE_EV_PLAYED,        /* a digit from SIP played (or not) */
	MPLANE_EV_ECOFF,         /* an answer tone turned echo control off */
	MPLANE_EV_RTP,           /* the RTP session's (siprtp_event) */
	MPLANE_EV_RTPSTAT,       /* RTP received so far, every RTPSTAT_EVERY */
	MPLANE_EV_STATS,         /* UNBRIDGE's counters */
	MPLANE_EV_TDM_CLOSED,    /* an owned B-channel's fd is closed: to
				    the plane's handler, u.tdm's span, ts */
	MPLANE_EV_CLOSED,        /* mplane_end: the stream's last event */
};

/* how a detected digit leaves the bridge (dtmf_relay.c) */
enum mplane_dtmf_out { MPLANE_DTMF_INBAND = 0, MPLANE_DTMF_RFC4733,
		       MPLANE_DTMF_INFO };

struct mplane_bridge {
	char tdm_law, rtp_law;   /* 'A' or 'U' */
	unsigned jb_min, jb_max; /* samples */
	bool ec;                 /* echo control: the tone disabler ... */
	unsigned soft_ec_taps;   /* ... and the software canceller; 0 none */
	struct dtmf_prm dtmf;
};

struct mplane_dtmf {
	char digit;
	enum dtmf_src src;       /* PLAY, PLAYED */
	bool inband;             /* SEND */
	int err;                 /* PLAYED: dtmf_play's */
	unsigned dur;            /* EV_DTMF: samples */
};

/* METER: a tone_meter over the B-channel's received audio */
struct mplane_meter {
	double dur_s;            /* the window measured after the onset */
	double thresh_dbm0;      /* the onset: a block above this */
	double onset_hz;         /* ... mostly at this Hz; 0 any */
};

struct mplane_tone {
	enum tone_kind kind;     /* TONE_NONE: stop */
	char country[16];
	char law;
};

/* what a stream did, given back when it closes or unbridges */
struct mplane_stats {
	uint64_t cmds;           /* commands the worker took for it */
	struct rtpstat rtp;      /* RTP received, RFC 3550 A.3 and A.8 */
	bool bridged;            /* the rest is a bridge's */
	struct media_stats media;
	struct jb_stats jb;
	bool dtmf;
	struct dtmf_stats dtmfst;
	bool ec, ec_active;
	double erle, ec_delay_ms;
};

struct mplane_msg {
	enum mplane_op op;
	union {
		uint32_t ping;   /* PING, PONG: echoed */
		struct {
			int fd;
			char law;
			bool own;        /* the worker closes the fd */
			int span, ts;    /* whose: told back when closed */
			uint64_t since;  /* its buffers set up (bchan_since) */
			uint32_t close_us;   /* tests: wait before the close */
		} tdm;
		struct siprtp *rtp;
		struct sipmdesc desc;
		struct mplane_bridge bridge;
		struct {
			enum mplane_dtmf_out out;
			bool suppress;
		} mode;
		struct mplane_dtmf dtmf;
		struct mplane_tone tone;
		struct mplane_meter meter;
		int tone_heard;  /* ECOFF: spandsp's modem_connect_tone */
		struct siprtp_event rtp_ev;
		struct rtpstat rtpstat;
		struct mplane_stats stats;
	} u;
	unsigned worker;         /* events: the worker that sent it */
};

typedef void (mplane_event_h)(const struct mplane_msg *ev, void *arg);

struct mplane;
struct mplane_stream;

/* nthreads 0: one per online core; maxfds: each loop's fd table size,
 * 0: the process's RLIMIT_NOFILE */
int  mplane_alloc(struct mplane **mpp, unsigned nthreads, int maxfds);
unsigned mplane_threads(const struct mplane *mp);
unsigned mplane_load(const struct mplane *mp, unsigned worker);
/* on the core's thread, once its loop runs (re_main): the commands of a
 * turn of that loop wake each worker once, at its end */
void mplane_batch(struct mplane *mp);
/* commands sent to the workers so far, and the wake-ups they cost */
void mplane_counts(const struct mplane *mp, uint64_t *cmds, uint64_t *wakes);
/* the handler of events of no stream (EV_TDM_CLOSED) */
void mplane_set_handler(struct mplane *mp, mplane_event_h *h, void *arg);
/* wait until every worker has taken every command sent before (a rare
 * path: a B-channel whose close is still on its way) */
int  mplane_sync_all(struct mplane *mp);

/* a stream on the least loaded worker; evh gets its events on the
 * core's loop until mplane_close or the handle's end */
int  mplane_stream_alloc(struct mplane_stream **msp, struct mplane *mp,
			 mplane_event_h *evh, void *arg);
unsigned mplane_stream_worker(const struct mplane_stream *ms);
int  mplane_send(struct mplane_stream *ms, const struct mplane_msg *cmd);
/* wait until the stream's worker has taken every command sent before */
int  mplane_sync(struct mplane_stream *ms);
/* the stream goes: waits for its worker to free it; st (optional) gets
 * its counters.  The handle then only awaits mem_deref */
int  mplane_close(struct mplane_stream *ms, struct mplane_stats *st);
/* the stream goes, without a wait: its events still come, EV_CLOSED
 * last; the handle then only awaits mem_deref */
int  mplane_end(struct mplane_stream *ms);
/* send cmd and wait until the worker took it; out (optional) gets its
 * answer: UNBRIDGE a struct mplane_stats, METER_END a struct tone_meter */
int  mplane_call(struct mplane_stream *ms, const struct mplane_msg *cmd,
		 void *out);
/* n commands in order, one wait for them all (outs: NULL or per cmd) */
int  mplane_calls(struct mplane_stream *ms, const struct mplane_msg *cmds,
		  void *const *outs, size_t n);

#endif
