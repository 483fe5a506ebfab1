/*
 * The media plane's private types, shared by the core's side (mplane.c)
 * and the workers' (worker.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_MPLANE_INT_H
#define SIPRI_MPLANE_INT_H

#include <pthread.h>
#include <re.h>
#include "gateway/mplane/mplane.h"
#include "common/mpq.h"

/* the plane's own commands, beside those of mplane.h */
enum {
	MPLANE_CMD_OPEN = 100,   /* a stream is made (mplane_stream_alloc) */
	MPLANE_CMD_SYNC,         /* nothing: its seq is waited for */
	MPLANE_CMD_STOP,         /* the worker's loop ends */
	MPLANE_CMD_END,          /* CLOSE, then EV_CLOSED (mplane_end) */
};

/* a command or an event on a queue; ownership moves with it */
struct mplane_env {
	struct mpq_msg q;        /* first: the queue's header */
	uint32_t id;             /* the stream's; 0: the worker's own */
	uint64_t seq;            /* commands: the worker's count of them */
	void *out;               /* the core's, written before done
				    (mplane_call, mplane_close) */
	struct mplane_msg m;
};

/* one worker thread; the core makes it and joins it */
struct mworker {
	unsigned idx;
	pthread_t th;
	bool inited;             /* lock and cond made */
	bool running;            /* the thread was created */
	struct mplane_env *stop; /* the STOP command, made up front */
	int maxfds;
	struct mpq *cmdq;        /* listened on the worker's loop */
	struct mpq *evq;         /* the core's */
	/* core-only */
	uint64_t sent;           /* commands pushed */
	unsigned streams;        /* open streams: the load */
	/* under lock: the worker's progress, for mplane_sync */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint64_t done;           /* the seq of the last command taken */
	bool started;            /* its loop is listening (or failed) */
	int start_err;
	/* worker-only */
	struct hash *sh;         /* struct wstream, by id */
};

/* a stream as its worker holds it (stream.c) */
struct wstream {
	struct le le;            /* in mworker.sh */
	struct mworker *w;
	uint32_t id;
	struct mplane_stats st;
	struct bchan_io *io;     /* the B-channel, or NULL */
	int tdm_fd;              /* its fd if ours to close (.own), or -1 */
	int tdm_span, tdm_ts;
	uint32_t tdm_close_us;   /* tests: a late close */
	char tdm_law;
	struct siprtp *rtp;      /* the SIP leg's RTP session, or NULL */
	struct media *media;     /* the bridge, its DSP below */
	struct dtmf *dtmf;
	struct media_ec *ec;
	struct tone_gen *tone;
	struct tone_meter meter; /* METER: while metering */
	bool metering;
	enum mplane_dtmf_out dtmf_out;
	char ringback_country[16];
};

/* frame.c: the per-frame path */
void frame_tdm(const void *buf, size_t n, void *arg);
int  frame_to_rtp(const uint8_t *p, size_t n, uint32_t ts, bool marker,
		  void *arg);
int  frame_to_tdm(const uint8_t *p, size_t n, void *arg);
void frame_rtp(const uint8_t *g711, size_t n, uint32_t ts, uint16_t seq,
	       void *arg);
void frame_telev(char digit, void *arg);
void frame_dtmf(const struct dtmf_event *e, void *arg);
void frame_ec_off(int tone, void *arg);
void frame_rtp_event(const struct siprtp_event *e, void *arg);

struct wstream *wstream_alloc(struct mworker *w, uint32_t id);
void wstream_cmd(struct wstream *s, struct mplane_env *env);
void mworker_event(struct mworker *w, uint32_t id, const struct mplane_msg *m);

int  mworker_start(struct mworker *w);
void mworker_stop(struct mworker *w);
int  mworker_push(struct mworker *w, struct mplane_env *env, uint64_t *seq);
void mworker_wait(struct mworker *w, uint64_t seq);
int  mplane_env_alloc(struct mplane_env **envp, uint32_t id,
		      const struct mplane_msg *m);

#endif
