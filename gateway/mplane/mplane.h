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
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_MPLANE_H
#define SIPRI_MPLANE_H

#include <stdbool.h>
#include <stdint.h>

enum { MPLANE_MAX_THREADS = 64 };

enum mplane_op {
	/* core -> worker */
	MPLANE_CMD_PING = 1,     /* answered by MPLANE_EV_PONG */
	MPLANE_CMD_CLOSE,        /* the stream goes (mplane_close) */
	/* worker -> core */
	MPLANE_EV_PONG,
};

/* what a stream did, given back when it closes */
struct mplane_stats {
	uint64_t cmds;           /* commands the worker took for it */
};

struct mplane_msg {
	enum mplane_op op;
	union {
		uint32_t ping;   /* PING, PONG: echoed */
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

#endif
