/*
 * vdahdi: a virtual DAHDI.  A FUSE filesystem that presents the DAHDI
 * character-device ABI of dahdi/user.h (ctl, channel, chan/S/C, pseudo,
 * timer) over N back-to-back span pairs: span 1 is cabled to span 2,
 * span 3 to span 4, and so on.
 *
 * One thread runs everything: the FUSE session fd and a 1 ms timerfd share
 * one epoll loop, so no state here needs a lock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VDAHDI_H
#define VDAHDI_H

#define FUSE_USE_VERSION 35
#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <dahdi/user.h>

enum {
	VD_CHUNK      = 8,     /* samples moved per 1 ms tick, as DAHDI does */
	VD_RATE       = 8000,  /* samples per second */
	VD_MAXSPANS   = 32,
	VD_MAXCHANS   = 32,    /* per span: E1 has 31 timeslots */
	VD_MAXFRAME   = 1024,  /* D-channel MRU, without FCS */
	VD_NEVENTS    = 64,    /* DAHDI_MAX_EVENTSIZE */
	VD_MAXPSEUDO  = 256,
	VD_PSEUDOBASE = 1000,  /* pseudo channel numbers start here */
};

enum vd_type { VD_E1, VD_T1 };

/* What a file handle is bound to */
enum vd_kind {
	VD_CTL,
	VD_CHANNEL,  /* /dev/dahdi/channel, or chan/S/C once bound */
	VD_PSEUDO,
	VD_TIMER,
	VD_FAULT,    /* the fault-injection control file */
};

/* FUSE requests served, by operation: what one channel-frame costs.
 * B-channels count per span, the rest in struct vdahdi (stats.c). */
enum vd_rq_op {
	VD_RQ_READ, VD_RQ_READ_EMPTY, VD_RQ_WRITE, VD_RQ_POLL, VD_RQ_IOCTL,
	VD_RQ_NOTIFY,  /* poll notifications sent (no reply comes back) */
	VD_RQ_N
};

struct vd_rqstat {
	uint64_t rq[VD_RQ_N];
	uint64_t blocks;         /* B-channel blocks read: channel-frames */
};

struct vd_file;
struct vd_tone;
struct vd_detect;

/* A queue of HDLC frames (D-channel), each stored with its FCS */
struct vd_frame {
	struct vd_frame *next;
	size_t len;
	unsigned bits;           /* its length on the line (vd_hdlc_bits) */
	uint8_t buf[];
};

struct vd_event_q {
	int ev[VD_NEVENTS];
	unsigned head, count;
};

/* A byte ring of line samples (A-law or mu-law, as on the wire) */
struct vd_ring {
	uint8_t *buf;
	size_t size;
	size_t head;   /* read position */
	size_t count;
};

struct vd_chan {
	int channo;              /* global channel number, 1-based */
	int chanpos;             /* timeslot within the span, 1-based */
	struct vd_span *span;    /* NULL for pseudo channels */
	struct vd_chan *peer;    /* the far end of the cable */
	int sigtype;             /* from CHANCONFIG; 0 = unconfigured */
	int deflaw;              /* the line's law: DAHDI_LAW_ALAW/MULAW */
	int law;                 /* current law (DAHDI_SETLAW) */
	bool linear;             /* DAHDI_SETLINEAR */
	bool audiomode;          /* DAHDI_AUDIOMODE; off = transparent */
	char echocan[16];
	/* DAHDI_ECHOCANCEL_PARAMS requests, kept across opens for tests */
	unsigned ec_taps;        /* the last tap length asked; 0 = off */
	unsigned ec_on, ec_off;  /* requests to enable and to disable */
	struct vd_file *owner;   /* the open file bound to it, if any */

	/* buffers (DAHDI_SET_BLOCKSIZE, DAHDI_SET_BUFINFO) */
	int blocksize;           /* samples per read/write block */
	int numbufs;
	struct vd_ring rx, tx;   /* B-channel audio */
	struct vd_frame *rxq;    /* D-channel frames received */
	unsigned rxq_len;
	struct vd_frame *txq;    /* D-channel frames queued for the line */
	unsigned txq_len;
	unsigned tx_left;        /* bits of txq's head still to send */
	uint64_t overruns;
	unsigned news;           /* since the last wake-up, POLLIN: a block
				  * or frame arrived, POLLOUT: room was freed,
				  * POLLPRI: an event was queued */

	/* what a DAHDI channel does to its audio (line.c); none of it
	 * outlives the open file, as dahdi-base's close_channel resets it */
	uint8_t *gains;          /* DAHDI_SETGAINS: rx[256] then tx[256],
				  * indexed by the law byte; NULL: unity */
	int zone;                /* tone zone; -1: none loaded */
	struct vd_tone *tone;    /* DAHDI_SENDTONE: going out to the line */
	int confno, confmode;    /* DAHDI_SETCONF */
	uint8_t rxlast[VD_CHUNK];  /* the last chunk received, for a
				    * channel that monitors this one */
	int tonedetect;          /* DAHDI_TONEDETECT mode */
	struct vd_detect *detect;  /* its DTMF receiver */

	struct vd_event_q events;
	struct vd_chan *next_active;  /* list of open audio channels */
};

struct vd_span {
	int spanno;
	enum vd_type type;
	struct vd_span *peer;
	struct vd_chan chans[VD_MAXCHANS];  /* index = chanpos - 1 */
	int nchans;              /* 31 (E1) or 24 (T1) */
	int dchan;               /* D-channel position: 16 or 24 */
	int basechan;            /* channo of chanpos 1 */
	bool configured;         /* SPANCONFIG seen */
	bool started;            /* STARTUP seen, not SHUTDOWN */
	bool cable_cut;          /* fault injection */
	int lineconfig, lbo, sync;
	int alarms;
	unsigned badfcs;         /* frames left to corrupt on transmit */
	uint64_t frames_tx, frames_bad;
	struct vd_rqstat brq;    /* requests on its B-channels */
};

struct vd_timer {
	int interval;            /* samples; 0 = off */
	int left;
	int expired;             /* unacknowledged expirations */
	bool ping;
};

struct vd_file {
	enum vd_kind kind;
	struct vd_chan *chan;
	struct vd_chan pseudo;   /* storage when kind == VD_PSEUDO */
	struct vd_timer timer;
	struct fuse_pollhandle *ph;
	fuse_req_t rd_req;       /* a blocked read */
	size_t rd_size;
	fuse_req_t wr_req;       /* a blocked write, waiting for room */
	uint8_t *wr_buf;
	size_t wr_size;
	unsigned last_revents;   /* what the last poll reply said */
	unsigned poll_events;    /* what the poller waits for (0: unknown) */
	char *fault_out;         /* reply text of the fault file */
	bool flushed;            /* closed once; a reopen may take over */
	struct vd_file *next;    /* all open files */
};

struct vdahdi {
	enum vd_type type;
	int nspans;
	struct vd_span spans[VD_MAXSPANS];
	int nchannels;           /* real channels in all spans */
	struct vd_file *files;
	struct vd_chan *active;  /* open audio channels, moved by the clock */
	uint64_t samples;        /* clock position in samples */
	uint64_t ticks_late;     /* ticks the loop had to catch up */
	unsigned hdlc_bits;      /* D-channel bits a tick sends: the line rate
				  * in kbit/s; 0 = unpaced, frames at once */
	struct fuse_session *se;
	int tone_zone;
	bool zones[DAHDI_TONE_ZONE_MAX];  /* loaded (LOADZONE) */
	struct {
		int src, dst;
	} conflinks[DAHDI_MAX_CONF];     /* DAHDI_CONFLINK (conf.c) */
	struct vd_rqstat drq;    /* requests on D-channels */
	struct vd_rqstat orq;    /* on every other file */
};

/* span.c */
int  vd_init(struct vdahdi *vd, enum vd_type type, int pairs);
void vd_fini(struct vdahdi *vd);
struct vd_chan *vd_chan_find(struct vdahdi *vd, int channo);
struct vd_span *vd_span_find(struct vdahdi *vd, int spanno);
void vd_span_update_alarms(struct vd_span *span);
bool vd_span_up(const struct vd_span *span);
void vd_chan_reset(struct vd_chan *ch);
int  vd_chan_bind(struct vdahdi *vd, struct vd_file *f, struct vd_chan *ch);
void vd_chan_unbind(struct vdahdi *vd, struct vd_file *f);
bool vd_chan_is_dchan(const struct vd_chan *ch);

/* event.c: DAHDI event queue; a pending event makes read/write fail ELAST */
void vd_event_put(struct vd_chan *ch, int event);
int  vd_event_get(struct vd_chan *ch);
bool vd_event_pending(const struct vd_chan *ch);

/* fcs.c: HDLC FCS-16 (ITU-T Q.921 §2.7, RFC 1662 appendix C) and the
 * bits a frame takes on the line */
uint16_t vd_fcs16(uint16_t fcs, const uint8_t *p, size_t len);
void vd_fcs16_append(uint8_t *frame, size_t len);
bool vd_fcs16_good(const uint8_t *frame, size_t len);
unsigned vd_hdlc_bits(const uint8_t *frame, size_t len);

/* ring.c */
int    vd_ring_alloc(struct vd_ring *r, size_t size);
void   vd_ring_free(struct vd_ring *r);
size_t vd_ring_put(struct vd_ring *r, const uint8_t *p, size_t n);
size_t vd_ring_get(struct vd_ring *r, uint8_t *p, size_t n);
void   vd_ring_drop(struct vd_ring *r, size_t n);
void   vd_ring_flush(struct vd_ring *r);

/* dchan.c */
int  vd_dchan_write(struct vdahdi *vd, struct vd_chan *ch,
		    const uint8_t *buf, size_t len);
int  vd_dchan_read(struct vd_chan *ch, uint8_t *buf, size_t size,
		   size_t *lenp);
bool vd_dchan_writable(const struct vd_chan *ch);
void vd_dchan_tick(struct vdahdi *vd);
void vd_dchan_flush(struct vd_chan *ch);
void vd_dchan_flush_tx(struct vd_chan *ch);

/* bchan.c */
int    vd_bchan_setbuf(struct vd_chan *ch, int blocksize, int numbufs);
size_t vd_bchan_frame_bytes(const struct vd_chan *ch);
bool   vd_bchan_readable(const struct vd_chan *ch);
bool   vd_bchan_writable(const struct vd_chan *ch);
int    vd_bchan_read(struct vd_chan *ch, uint8_t *buf, size_t size,
		     size_t *lenp);
int    vd_bchan_write(struct vd_chan *ch, const uint8_t *buf, size_t len,
		      size_t *donep);
uint8_t vd_law_silence(int law);
int16_t vd_law_decode(int law, uint8_t s);
uint8_t vd_law_encode(int law, int16_t s);

/* line.c: what crosses the cable each tick, after what the channels'
 * settings do to it */
void vd_line_send(struct vdahdi *vd, struct vd_chan *ch, uint8_t *chunk,
		  size_t n);
void vd_line_receive(struct vd_chan *ch, uint8_t *chunk);
void vd_line_reset(struct vd_chan *ch);
bool vd_chan_audio(const struct vd_chan *ch);
struct vd_chan *vd_chan_lookup(struct vdahdi *vd, int channo);
struct vd_chan *vd_chan_arg(struct vdahdi *vd, struct vd_file *f,
			    int channo);

/* gain.c: DAHDI_GETGAINS, DAHDI_SETGAINS */
int  vd_gain_get(struct vdahdi *vd, struct vd_file *f, struct dahdi_gains *g);
int  vd_gain_set(struct vdahdi *vd, struct vd_file *f, struct dahdi_gains *g);
void vd_gain_apply(const struct vd_chan *ch, uint8_t *chunk, bool tx);

/* conf.c: DAHDI_SETCONF, DAHDI_GETCONF, DAHDI_CONFLINK */
int  vd_conf_set(struct vdahdi *vd, struct vd_file *f,
		 struct dahdi_confinfo *ci);
int  vd_conf_get(struct vdahdi *vd, struct vd_file *f,
		 struct dahdi_confinfo *ci);
int  vd_conf_link(struct vdahdi *vd, struct vd_file *f,
		  const struct dahdi_confinfo *ci);
void vd_conf_send(struct vdahdi *vd, const struct vd_chan *ch,
		  uint8_t *chunk);

/* tone.c: tone zones, DAHDI_SENDTONE */
int  vd_zone_load(struct vdahdi *vd, int zone);
int  vd_zone_free(struct vdahdi *vd, int zone);
int  vd_zone_set(struct vdahdi *vd, struct vd_chan *ch, int zone);
int  vd_tone_start(struct vd_chan *ch, int tone);
void vd_tone_stop(struct vd_chan *ch);
void vd_tone_fill(struct vd_chan *ch, uint8_t *p, size_t n);

/* detect.c: DAHDI_TONEDETECT, DTMF as DTMFDOWN/DTMFUP events */
int  vd_detect_set(struct vd_chan *ch, int mode);
void vd_detect_run(struct vd_chan *ch, uint8_t *chunk);
void vd_detect_stop(struct vd_chan *ch);

/* clock.c: the 8 kHz clock */
void vd_clock_tick(struct vdahdi *vd);
void vd_active_add(struct vdahdi *vd, struct vd_chan *ch);
void vd_active_remove(struct vdahdi *vd, struct vd_chan *ch);

/* fs.c */
extern const struct fuse_lowlevel_ops vd_ops;

/* io.c: read, write and poll semantics */
void vd_io_read(struct vdahdi *vd, struct vd_file *f, fuse_req_t req,
		size_t size, bool nonblock);
void vd_io_write(struct vdahdi *vd, struct vd_file *f, fuse_req_t req,
		 const uint8_t *buf, size_t size, bool nonblock);
void vd_file_wake(struct vdahdi *vd, struct vd_file *f);
void vd_chan_wake(struct vdahdi *vd, struct vd_chan *ch);
void vd_wake_all(struct vdahdi *vd);
unsigned vd_file_revents(const struct vd_file *f);
int  vd_chan_open(struct vdahdi *vd, struct vd_file *f, struct vd_chan *ch);
void vd_file_close(struct vdahdi *vd, struct vd_file *f);

/* ioctl.c */
int vd_ioctl(struct vdahdi *vd, struct vd_file *f, unsigned int cmd,
	     const void *in, void *out, size_t outsz);

/* stats.c: request counters */
struct vd_rqstat *vd_stats_of(struct vdahdi *vd, const struct vd_file *f);
void vd_stats_count(struct vdahdi *vd, const struct vd_file *f,
		    enum vd_rq_op op);
void vd_stats_print(const struct vdahdi *vd, FILE *fp);

/* fault.c: the control file inside the mount */
int vd_fault_write(struct vdahdi *vd, const char *buf, size_t len);
char *vd_fault_status(struct vdahdi *vd);

#endif
