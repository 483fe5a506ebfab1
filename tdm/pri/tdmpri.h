/*
 * tdmpri: the TDM side's glue between DAHDI, libpri and libre's main loop.
 *
 *   dahdi_*    open D- and B-channels through the real DAHDI ABI
 *              (dahdi/user.h) and find a span's D-channel
 *   dchanio_*  a D-channel's frames read and written by two threads of
 *              its own, handed to and from the loop
 *   prilink_*  one libpri instance run inside re_main(): the D-channel's
 *              frames through a dchanio, libpri's scheduler on the thread's
 *              timer heap (common/timer.h),
 *              and DAHDI events (ALARM, NOALARM, BADFCS, ...) reported to
 *              the owner
 *   bchan_*    one B-channel's audio, block by block, from the loop
 *
 * Every function returns 0 or a positive errno.  Objects are libre mem
 * objects: release them with mem_deref().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TDMPRI_H
#define TDMPRI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libpri.h>

#define DAHDI_DEV_DIR "/dev/dahdi"

/* ---- dahdi.c: channels through the DAHDI ABI ------------------------ */

/* What GET_PARAMS and SPANSTAT say about a channel and its span */
struct dahdi_chaninfo {
	int channo;     /* global channel number */
	int spanno;
	int chanpos;    /* timeslot within the span, 1-based */
	int basechan;   /* channo of timeslot 0: B channo = basechan + ts */
	int sigtype;    /* DAHDI_SIG_* */
	int law;        /* DAHDI_LAW_ALAW or DAHDI_LAW_MULAW */
	bool t1;        /* the span is a T1 (24 timeslots), else E1 */
	int alarms;     /* the span's alarms at open time */
};

int  dahdi_chan_bind(int *fdp, int channo, struct dahdi_chaninfo *info);
int  dahdi_dchan_open(int *fdp, int channo, struct dahdi_chaninfo *info);
int  dahdi_dchan_find(int *channop, int spanno);
int  dahdi_event_get(int fd, int *eventp);
int  dahdi_span_alarms(int fd, int spanno, uint32_t *alarms);
bool dahdi_gone(int err);
const char *dahdi_event_name(int event);

/* ---- names.c: command-line names of libpri settings ----------------- */

int  prilink_switch_parse(int *switchtypep, const char *name, bool t1);
int  prilink_node_parse(int *nodep, const char *name);

/* ---- dchanio.c: a D-channel's frames, off the loop ------------------ */

/*
 * Two threads of its own read (blocking) and write a D-channel's frames,
 * so the loop pays no poll and no empty read per frame, and never waits
 * on the device.  The fd turns blocking and must outlive the dchanio.
 * The loop hears, in order, through dchanio_h:
 *   DCHANIO_FRAME  a frame read (len bytes, FCS included);
 *   DCHANIO_EVENT  a DAHDI event (val), popped for a read that met ELAST;
 *   DCHANIO_GONE   the channel is gone (val: the errno), said once.
 */
enum dchanio_kind { DCHANIO_FRAME, DCHANIO_EVENT, DCHANIO_GONE };

struct dchanio;

typedef void (dchanio_h)(enum dchanio_kind kind, int val,
			 const uint8_t *frame, size_t len, void *arg);

int  dchanio_alloc(struct dchanio **dp, int fd, dchanio_h *h, void *arg);
int  dchanio_send(struct dchanio *d, const uint8_t *frame, size_t len);

/* ---- link.c: one libpri instance in the libre loop ------------------ */

struct prilink;

struct prilink_prm {
	int dchan;        /* D-channel number (see dahdi_dchan_find) */
	int node;         /* PRI_NETWORK or PRI_CPE */
	int switchtype;   /* PRI_SWITCH_* */
	int debug;        /* PRI_DEBUG_* mask, 0 for none */
	bool overlap;     /* pri_set_overlapdial */
	bool inband_disc; /* pri_set_inbanddisconnect: a DISCONNECT with PI 8
			     before the answer comes as PRI_EVENT_PROGRESS
			     with its cause */
};

/*
 * A libpri event.  ev is valid until the handler's first libpri call:
 * copy what is needed first.  After any libpri call made outside these
 * handlers, call prilink_sched() to re-arm libpri's timers.
 */
typedef void (prilink_event_h)(const pri_event *ev, void *arg);
/*
 * The far end re-established the data link while it was up (a SABME,
 * Q.921 MDL-ERROR F): the I frames libpri had not had acknowledged are
 * gone, and libpri reports no event for it
 */
typedef void (prilink_reset_h)(void *arg);
/* A DAHDI event on the D-channel (DAHDI_EVENT_ALARM, NOALARM, BADFCS..).
 * DAHDI_EVENT_REMOVED: the channel is gone (prilink_lost() says why), the
 * link is closed and quiet for good: free it, and open a new one once the
 * channel can be opened again */
typedef void (prilink_dahdi_h)(int event, void *arg);
/* A Q.921 frame read or written (tx) on the D-channel, without its FCS */
typedef void (prilink_frame_h)(bool tx, const uint8_t *frame, size_t len,
			       void *arg);
/* One line of a libpri message or error, without its newline; l is NULL
 * for a line of no link (process-wide, see prilink_set_log) */
typedef void (prilink_log_h)(struct prilink *l, bool error, const char *msg);

int  prilink_alloc(struct prilink **lp, const struct prilink_prm *prm,
		   prilink_event_h *eh, prilink_dahdi_h *dh, void *arg);
void prilink_set_reset_handler(struct prilink *l, prilink_reset_h *rh);
void prilink_set_frame_handler(struct prilink *l, prilink_frame_h *fh);
struct pri *prilink_pri(const struct prilink *l);
const struct dahdi_chaninfo *prilink_info(const struct prilink *l);
/* the span's alarms now (DAHDI_ALARM_* bits); ENODEV when gone */
int  prilink_alarms(const struct prilink *l, uint32_t *alarms);
int  prilink_lost(const struct prilink *l);
void prilink_sched(struct prilink *l);
void prilink_set_log(prilink_log_h *lh);
int  prilink_channo(const struct prilink *l, int prichan);

/* ---- bchan.c: a B-channel's audio ----------------------------------- */

struct bchan;

/*
 * BCHAN_BLOCK samples a block (20 ms).  The driver keeps BCHAN_NUMBUFS
 * blocks each way: a reader that wakes up late finds what it missed
 * instead of losing it, and the writer's slack (bchan_io_prime) fits.
 */
enum { BCHAN_BLOCK = 160, BCHAN_NUMBUFS = 8 };

/*
 * One received block of n samples: 16-bit linear when the channel was
 * opened linear, else the line's law, one byte per sample.
 */
typedef void (bchan_recv_h)(const void *buf, size_t n, void *arg);

/* rh NULL: the channel's reads happen on another loop (bchan_io) */
int  bchan_alloc(struct bchan **bp, int channo, bool linear,
		 bchan_recv_h *rh, void *arg);
int  bchan_fd(const struct bchan *b);
/* when its buffers were last set up empty (tmr_jiffies()): bchan_io's
 * since */
uint64_t bchan_since(const struct bchan *b);
void bchan_disown(struct bchan *b);
int  bchan_write(struct bchan *b, const void *buf, size_t n);
int  bchan_echocancel(struct bchan *b, unsigned taps);
int  bchan_channo(const struct bchan *b);
uint64_t bchan_events(const struct bchan *b);

/* ---- bchanio.c: a B-channel's reads, clocked, and its writes ------- */
struct bchan_io;
/* since: the tmr_jiffies() at which the channel's buffers were last set
 * up empty (bchan_since()), so that the first block's time is known; 0
 * when it is not */
int  bchan_io_alloc(struct bchan_io **iop, int fd, bool linear,
		    uint64_t since, bchan_recv_h *rh, void *arg);
int  bchan_io_write(struct bchan_io *io, const void *buf, size_t n);
int  bchan_io_prime(struct bchan_io *io, unsigned blocks, uint8_t idle);
uint64_t bchan_io_events(const struct bchan_io *io);
/* io (optional): where DAHDI events met on the way are counted */
int  bchan_fd_write(int fd, bool linear, const void *buf, size_t n,
		    struct bchan_io *io);

#endif
