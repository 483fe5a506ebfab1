/*
 * One libpri instance inside libre's main loop.
 *
 * - The D-channel's frames are read and written by two threads of its own
 *   (dchanio.c); each frame read goes through pri_check_event() on the
 *   loop, and libpri's writes are queued for the writer.
 * - libpri's scheduler runs on a timer of the thread's heap
 *   (common/timer.h says why not on a libre tmr), set again from
 *   pri_schedule_next() (an absolute timeval) after every libpri call.
 * - A SABME from the far end while the link is up re-establishes it
 *   (Q.921 MDL-ERROR F): libpri discards the I frames it has not had
 *   acknowledged and tells nobody, so the owner hears of it here.
 * - DAHDI events: a pending event makes read() and write() fail with
 *   ELAST; the reader pops it with DAHDI_GETEVENT (dchanio.c).  Events
 *   are queued and delivered from the loop, never from inside libpri.
 * - A channel that is gone (link_lost) is closed and the link goes quiet;
 *   its owner hears DAHDI_EVENT_REMOVED and opens a new link when the
 *   channel can be opened again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>
#include <dahdi/user.h>
#include <re.h>
#include "common/timer.h"
#include "tdmpri.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define PRI_KEEP(p) __lsan_ignore_object(p)
#else
#define PRI_KEEP(p) ((void)(p))
#endif

enum {
	EVQ_SIZE    = 16,
	LOGLINE_MAX = 512,   /* longer libpri lines are cut */
};

/* A libpri line being put together from its pieces */
struct logline {
	char buf[LOGLINE_MAX];
	size_t len;
	bool error;          /* a piece came through pri_error */
};

struct prilink {
	struct pri *pri;
	int fd;
	struct dahdi_chaninfo info;
	struct dchanio *io;      /* the D-channel's reader and writer */
	struct timer sched;      /* libpri's scheduler */
	struct tmr tmr_evq;      /* deliver queued DAHDI events */
	int evq[EVQ_SIZE];
	unsigned nevq;
	const uint8_t *rx;       /* the frame for libpri's next read */
	size_t rxlen;
	bool up;                 /* libpri reported the D-channel up */
	prilink_reset_h *rh;
	prilink_frame_h *fh;       /* a trace's, or NULL */
	int lost_err;            /* why the channel is gone, 0 while it is not */
	struct logline logline;  /* libpri's message in progress */
	prilink_event_h *eh;
	prilink_dahdi_h *dh;
	void *arg;
};

static prilink_log_h *log_handler;

static void sched_arm(struct prilink *l);

static void destructor(void *data)
{
	struct prilink *l = data;

	timer_cancel(&l->sched);
	tmr_cancel(&l->tmr_evq);
	mem_deref(l->io);        /* its threads first: then the fd goes */
	if (l->fd >= 0)
		close(l->fd);
	/*
	 * libpri 1.6 has no pri_destroy(): the controller (and any call it
	 * still holds) lives until exit.  Detach it so that a stray callback
	 * finds no owner, and tell LeakSanitizer it is kept on purpose.
	 */
	if (l->pri) {
		pri_set_userdata(l->pri, NULL);
		PRI_KEEP(l->pri);
	}
}

static void evq_deliver(void *arg)
{
	struct prilink *l = arg;

	mem_ref(l);
	while (l->nevq) {
		int ev = l->evq[0];

		memmove(l->evq, l->evq + 1, --l->nevq * sizeof(l->evq[0]));
		if (l->dh)
			l->dh(ev, l->arg);
	}
	mem_deref(l);
}

static void evq_push(struct prilink *l, int ev)
{
	if (l->nevq < EVQ_SIZE)
		l->evq[l->nevq++] = ev;
	tmr_start(&l->tmr_evq, 0, evq_deliver, l);
}

/*
 * The channel is gone for good: DAHDI removed its span, which queues
 * DAHDI_EVENT_REMOVED on every channel and from then on answers ENODEV to
 * read, write and ioctl and is always ready to poll (dahdi-base.c,
 * disable_span() and the nodev_* file operations), or the device went
 * away under us (vdahdi's daemon died: ENOTCONN from FUSE, and EPOLLERR).
 * An fd like that never carries a frame again: stop its threads, close
 * it, stop libpri's timers and tell the owner, as chan_dahdi takes
 * a span down on DAHDI_EVENT_REMOVED.  libpri, which has no
 * pri_destroy(), stays until the owner frees the link.
 */
static void link_lost(struct prilink *l, int err)
{
	if (l->fd < 0)
		return;
	l->lost_err = err;
	l->io = mem_deref(l->io);
	(void)close(l->fd);
	l->fd = -1;
	timer_cancel(&l->sched);
	evq_push(l, DAHDI_EVENT_REMOVED);
}

/* Q.921 §3.2, §3.4.3: SAPI 0 in the address, control 011P1111 */
static bool frame_is_sabme(const uint8_t *f, ssize_t n)
{
	return n >= 3 && (f[0] >> 2) == 0 && (f[2] & 0xef) == 0x6f;
}

/* libpri reads the frame the reader handed over (frame_in), once */
static int io_read(struct pri *pri, void *buf, int len)
{
	struct prilink *l = pri_get_userdata(pri);
	size_t n;

	if (!l || !l->rx || len <= 0)
		return 0;
	n = l->rxlen < (size_t)len ? l->rxlen : (size_t)len;
	memcpy(buf, l->rx, n);
	l->rx = NULL;
	/* libpri's frames carry the 2 bytes of the FCS (q921.c) */
	if (l->fh && n > 2)
		l->fh(false, buf, n - 2, l->arg);
	return (int)n;
}

/* queued for the writer: the loop never waits on the line */
static int io_write(struct pri *pri, void *buf, int len)
{
	struct prilink *l = pri_get_userdata(pri);

	if (!l || len <= 0)
		return 0;
	if (!l->io)
		return len;   /* the line is gone: the frame is lost on it */
	if (dchanio_send(l->io, buf, (size_t)len))
		return 0;
	if (l->fh && len > 2)
		l->fh(true, buf, (size_t)len - 2, l->arg);
	return len;
}

static void dispatch(struct prilink *l, const pri_event *ev)
{
	if (ev && ev->e == PRI_EVENT_DCHAN_UP)
		l->up = true;
	else if (ev && ev->e == PRI_EVENT_DCHAN_DOWN)
		l->up = false;
	if (ev && l->eh)
		l->eh(ev, l->arg);
}

static void frame_in(struct prilink *l, const uint8_t *frame, size_t len)
{
	bool was_up = l->up, sabme = frame_is_sabme(frame, (ssize_t)len);
	pri_event *ev;

	l->rx = frame;
	l->rxlen = len;
	ev = pri_check_event(l->pri);
	l->rx = NULL;
	dispatch(l, ev);
	if (sabme && was_up && l->up && l->rh)
		l->rh(l->arg);
}

/* what the D-channel's threads tell the loop (dchanio.h) */
static void io_handler(enum dchanio_kind kind, int val, const uint8_t *frame,
		       size_t len, void *arg)
{
	struct prilink *l = arg;

	if (l->fd < 0)
		return;
	mem_ref(l);
	switch (kind) {
	case DCHANIO_FRAME:
		if (l->pri)
			frame_in(l, frame, len);
		break;
	case DCHANIO_EVENT:
		if (val == DAHDI_EVENT_REMOVED)
			link_lost(l, ENODEV);
		else
			evq_push(l, val);
		break;
	case DCHANIO_GONE:
		link_lost(l, val);
		break;
	}
	if (l->fd >= 0)
		sched_arm(l);
	mem_deref(l);
}

static void sched_handler(void *arg)
{
	struct prilink *l = arg;
	pri_event *ev;

	mem_ref(l);
	/* pri_schedule_run() returns at the first timer that makes an event */
	while ((ev = pri_schedule_run(l->pri)))
		dispatch(l, ev);
	sched_arm(l);
	mem_deref(l);
}

static void sched_arm(struct prilink *l)
{
	struct timeval *next = pri_schedule_next(l->pri), now;
	int64_t us;

	if (!next || l->fd < 0) {
		timer_cancel(&l->sched);
		return;
	}
	gettimeofday(&now, NULL);
	us = (int64_t)(next->tv_sec - now.tv_sec) * 1000000 +
		(next->tv_usec - now.tv_usec);
	/* whole ms, rounded up: libpri finds its timer due, never early */
	timer_start(&l->sched, us > 0 ? (uint64_t)(us + 999) / 1000 : 0,
		    sched_handler, l);
}

void prilink_sched(struct prilink *l)
{
	if (l && l->pri)
		sched_arm(l);
}

static void logline_flush(struct prilink *l, struct logline *ll)
{
	ll->buf[ll->len] = '\0';
	if (ll->len && log_handler)
		log_handler(l, ll->error, ll->buf);
	ll->len = 0;
	ll->error = false;
}

/*
 * libpri hands a message over in pieces (a Q.931 decode is a call per
 * information element, a hex dump a call per octet) and ends lines with
 * '\n': join the pieces and hand over each line without its newline.
 * Empty lines are dropped; an error flushes a message in progress first.
 */
static void logline_feed(struct prilink *l, struct logline *ll, bool error,
			 const char *msg)
{
	if (ll->len && ll->error != error)
		logline_flush(l, ll);
	ll->error = error;
	while (*msg) {
		size_t n = strcspn(msg, "\n");
		size_t room = sizeof(ll->buf) - 1 - ll->len;

		memcpy(ll->buf + ll->len, msg, n < room ? n : room);
		ll->len += n < room ? n : room;
		msg += n;
		if (*msg == '\n') {
			logline_flush(l, ll);
			ll->error = error;
			msg++;
		}
	}
}

static void log_piece(struct pri *pri, bool error, const char *msg)
{
	struct prilink *l = pri ? pri_get_userdata(pri) : NULL;
	struct logline own = {.len = 0};

	if (!log_handler || !msg)
		return;
	if (l) {
		logline_feed(l, &l->logline, error, msg);
		return;
	}
	/* no link (yet, or any more): no line to continue */
	logline_feed(NULL, &own, error, msg);
	logline_flush(NULL, &own);
}

static void pri_message(struct pri *pri, char *msg)
{
	log_piece(pri, false, msg);
}

static void pri_error_msg(struct pri *pri, char *msg)
{
	log_piece(pri, true, msg);
}

/* libpri's message and error hooks are process-wide, not per link */
void prilink_set_log(prilink_log_h *lh)
{
	log_handler = lh;
	pri_set_message(pri_message);
	pri_set_error(pri_error_msg);
}

/* EuroISDN (ETSI EN 300 102) follows the span: E1 or T1 flavour */
static int switch_for_span(int switchtype, bool t1)
{
	if (switchtype == PRI_SWITCH_EUROISDN_E1 ||
	    switchtype == PRI_SWITCH_EUROISDN_T1)
		return t1 ? PRI_SWITCH_EUROISDN_T1 : PRI_SWITCH_EUROISDN_E1;
	return switchtype;
}

int prilink_alloc(struct prilink **lp, const struct prilink_prm *prm,
		  prilink_event_h *eh, prilink_dahdi_h *dh, void *arg)
{
	struct prilink *l;
	int err;

	if (!lp || !prm)
		return EINVAL;
	l = mem_zalloc(sizeof(*l), destructor);
	if (!l)
		return ENOMEM;
	l->fd = -1;
	l->eh = eh;
	l->dh = dh;
	l->arg = arg;

	err = dahdi_dchan_open(&l->fd, prm->dchan, &l->info);
	if (!err)   /* before libpri, whose start sends a SABME */
		err = dchanio_alloc(&l->io, l->fd, io_handler, l);
	if (err)
		goto out;
	l->pri = pri_new_cb(l->fd, prm->node, switch_for_span(prm->switchtype,
							       l->info.t1),
			    io_read, io_write, l);
	if (!l->pri) {
		err = ENOMEM;
		goto out;
	}
	pri_set_debug(l->pri, prm->debug);
	pri_set_overlapdial(l->pri, prm->overlap);
	pri_set_inbanddisconnect(l->pri, prm->inband_disc);
	/* SERVICE messages (channel maintenance) where the switch type has
	 * them: NI-2, AT&T 4ESS, Lucent 5ESS; libpri answers SERVICE
	 * ACKNOWLEDGE itself */
	if (prm->switchtype == PRI_SWITCH_NI2 ||
	    prm->switchtype == PRI_SWITCH_ATT4ESS ||
	    prm->switchtype == PRI_SWITCH_LUCENT5E)
		pri_set_service_message_support(l->pri, 1);
	/*
	 * No pri_hangup_fix_enable(): with it, libpri 1.6 refuses a SETUP
	 * in the call-present state by sending nothing at all (its
	 * DISCONNECT needs a call that has answered), instead of RELEASE
	 * COMPLETE (Q.931 §5.2.5.3).
	 */

	err = timer_thread_init();
	if (err)
		goto out;
	sched_arm(l);
 out:
	if (err)
		mem_deref(l);
	else
		*lp = l;
	return err;
}

void prilink_set_reset_handler(struct prilink *l, prilink_reset_h *rh)
{
	if (l)
		l->rh = rh;
}

void prilink_set_frame_handler(struct prilink *l, prilink_frame_h *fh)
{
	if (l)
		l->fh = fh;
}

struct pri *prilink_pri(const struct prilink *l)
{
	return l ? l->pri : NULL;
}

const struct dahdi_chaninfo *prilink_info(const struct prilink *l)
{
	return l ? &l->info : NULL;
}

int prilink_alarms(const struct prilink *l, uint32_t *alarms)
{
	if (!l || l->fd < 0)
		return ENODEV;
	return dahdi_span_alarms(l->fd, l->info.spanno, alarms);
}

/* Why the channel is gone (after DAHDI_EVENT_REMOVED), 0 while it is not */
int prilink_lost(const struct prilink *l)
{
	return l ? l->lost_err : 0;
}

/* The DAHDI channel number of a libpri channel (timeslot in bits 0-7) */
int prilink_channo(const struct prilink *l, int prichan)
{
	int ts;

	if (!l || prichan < 0)
		return -1;
	ts = prichan & 0xff;
	if (ts < 1 || ts == 0xff)
		return -1;
	return l->info.basechan + ts;
}
