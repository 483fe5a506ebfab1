/*
 * A D-channel's frames, read and written by two threads of its own.
 *
 * Why: on a poll-driven loop a received frame costs a wake-up, a poll, the
 * read, a read that finds nothing (EAGAIN), and, level-triggered, a second
 * poll; on vdahdi each of those is a FUSE round trip.  A thread parked in
 * a blocking read() costs one request per frame, and the loop hears of it
 * through a queue (common/mpq.h) that wakes it once for a burst.  The fd
 * is blocking from then on, so writes go through a second thread: the
 * loop queues a frame and never waits on the device, even when a paced
 * line's transmit buffers are full (dahdi-base parks such a write).
 *
 * - DAHDI events: a pending event fails read() and write() with ELAST
 *   (dahdi-base wakes a parked reader for it).  The reader pops them with
 *   DAHDI_GETEVENT and queues them in order with the frames; the writer
 *   waits for that and tries again.
 * - A channel that is gone (dahdi_gone(): ENODEV, EIO, ENOTCONN ...) is
 *   reported once, and the thread that met it stops.
 * - Stopping: the writer first writes what is queued (a RELEASE COMPLETE
 *   queued just before the program ends still goes out), for at most
 *   DRAIN_MS; then a flag, and SIG_DCHANIO (no SA_RESTART) until each
 *   thread has left, so a thread parked in read() or write() returns
 *   EINTR (vdahdi answers FUSE's interrupt with EINTR, as dahdi-base's
 *   interruptible waits do).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dahdi/user.h>
#include <re.h>
#include "common/mpq.h"
#include "tdmpri.h"

#define SIG_DCHANIO (SIGRTMIN + 3)

enum {
	FRAME_MAX = 1024 + 2,    /* libpri's frames carry the 2-byte FCS */
	RETRY_MS  = 5,           /* a write met ELAST: the reader pops it */
	DRAIN_MS  = 200,         /* the writer's time for what is queued */
};

/* what a thread tells the loop */
struct dmsg {
	struct mpq_msg le;
	enum dchanio_kind kind;
	int val;                 /* the event, or the error */
	size_t len;
	uint8_t buf[FRAME_MAX];
};

/* a frame on its way out */
struct wframe {
	struct wframe *next;
	size_t len;
	uint8_t buf[];
};

struct dchanio {
	int fd;
	struct mpq *mq;          /* threads -> loop */
	dchanio_h *h;
	void *arg;
	pthread_mutex_t lock;    /* the write queue, and the writer's waits */
	pthread_cond_t cond;
	struct wframe *whead, **wtail;
	pthread_t reader, writer;
	bool has_reader, has_writer;
	atomic_bool stop, reader_done, writer_done;
	bool drain;              /* the writer leaves once the queue is empty */
	atomic_bool gone;        /* a thread reported the channel gone */
};

static void sig_nop(int sig)
{
	(void)sig;
}

static void sig_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_nop;   /* no SA_RESTART: a parked call fails EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIG_DCHANIO, &sa, NULL);
}

/* named for top -H, perf and the benchmark's CPU split (/proc/PID/task/
 * TID/comm); every signal blocked but ours: the process's own go to its
 * loop */
static void thread_setup(const char *name)
{
	sigset_t set;

	(void)pthread_setname_np(pthread_self(), name);

	sigfillset(&set);
	sigdelset(&set, SIG_DCHANIO);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
}

static void tell(struct dchanio *d, enum dchanio_kind kind, int val,
		 struct dmsg *m)
{
	if (!m)
		m = mem_zalloc(sizeof(*m), NULL);
	if (!m)
		return;
	m->kind = kind;
	m->val = val;
	if (mpq_push(d->mq, &m->le))
		mem_deref(m);
}

/* the channel is gone: say so once; the thread that met it stops */
static void tell_gone(struct dchanio *d, int err)
{
	if (!atomic_exchange(&d->gone, true))
		tell(d, DCHANIO_GONE, err, NULL);
}

/* pop the pending events into the queue; false once the channel is gone */
static bool events_pop(struct dchanio *d)
{
	for (;;) {
		int ev, err = dahdi_event_get(d->fd, &ev);

		if (err && dahdi_gone(err)) {
			tell_gone(d, err);
			return false;
		}
		if (err || ev == DAHDI_EVENT_NONE)
			return true;
		tell(d, DCHANIO_EVENT, ev, NULL);
	}
}

static void pause_ms(unsigned ms)
{
	struct timespec ts = {0, (long)ms * 1000000};

	(void)nanosleep(&ts, NULL);
}

static void *reader_main(void *arg)
{
	struct dchanio *d = arg;

	thread_setup("dchan-rx");
	while (!atomic_load(&d->stop)) {
		struct dmsg *m = mem_zalloc(sizeof(*m), NULL);
		ssize_t n;
		int err;

		if (!m) {
			pause_ms(RETRY_MS);
			continue;
		}
		n = read(d->fd, m->buf, sizeof(m->buf));
		if (n > 0) {
			m->len = (size_t)n;
			tell(d, DCHANIO_FRAME, 0, m);
			continue;
		}
		err = n < 0 ? errno : EAGAIN;
		mem_deref(m);
		if (err == ELAST) {
			if (!events_pop(d))
				break;
		}
		else if (dahdi_gone(err)) {
			tell_gone(d, err);
			break;
		}
		else if (err != EINTR) {
			pause_ms(RETRY_MS);   /* not parked (EAGAIN), or odd */
		}
	}
	atomic_store(&d->reader_done, true);
	return NULL;
}

/* write one frame, parked while the line's buffers are full; false once
 * the channel is gone */
static bool write_frame(struct dchanio *d, const struct wframe *f)
{
	while (!atomic_load(&d->stop)) {
		ssize_t n = write(d->fd, f->buf, f->len);
		int err = n < 0 ? errno : 0;

		if (n >= 0 || err == EINTR)
			return true;     /* EINTR: we are being stopped */
		if (dahdi_gone(err)) {
			tell_gone(d, err);
			return false;
		}
		if (err != ELAST && err != EAGAIN)
			return true;     /* the frame is lost, as on a bad line */
		pause_ms(RETRY_MS);  /* the reader pops the event */
	}
	return true;
}

static struct wframe *wq_take(struct dchanio *d)
{
	struct wframe *f;

	pthread_mutex_lock(&d->lock);
	while (!d->whead && !d->drain && !atomic_load(&d->stop))
		pthread_cond_wait(&d->cond, &d->lock);
	f = d->whead;
	if (f) {
		d->whead = f->next;
		if (!d->whead)
			d->wtail = &d->whead;
	}
	pthread_mutex_unlock(&d->lock);
	return f;
}

static void *writer_main(void *arg)
{
	struct dchanio *d = arg;
	struct wframe *f;
	bool alive = true;

	thread_setup("dchan-tx");
	while ((f = wq_take(d))) {
		if (alive)
			alive = write_frame(d, f);
		mem_deref(f);
	}
	atomic_store(&d->writer_done, true);
	return NULL;
}

/* wait up to ms for a thread to leave on its own */
static bool thread_left(atomic_bool *done, unsigned ms)
{
	for (unsigned i = 0; i < ms && !atomic_load(done); i++)
		pause_ms(1);
	return atomic_load(done);
}

static void thread_stop(pthread_t th, atomic_bool *done)
{
	while (!atomic_load(done)) {
		pthread_kill(th, SIG_DCHANIO);
		pause_ms(1);
	}
	pthread_join(th, NULL);
}

/* the writer leaves once its queue is empty (drain), or at once (stop) */
static void writer_tell(struct dchanio *d, bool stop)
{
	pthread_mutex_lock(&d->lock);
	d->drain = true;
	if (stop)
		atomic_store(&d->stop, true);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

static void destructor(void *data)
{
	struct dchanio *d = data;

	writer_tell(d, false);
	if (d->has_writer)
		(void)thread_left(&d->writer_done, DRAIN_MS);
	writer_tell(d, true);
	if (d->has_reader)
		thread_stop(d->reader, &d->reader_done);
	if (d->has_writer)
		thread_stop(d->writer, &d->writer_done);
	while (d->whead) {
		struct wframe *f = d->whead;

		d->whead = f->next;
		mem_deref(f);
	}
	mpq_unlisten(d->mq);
	mem_deref(d->mq);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
}

static void mq_handler(struct mpq_msg *msg, void *arg)
{
	struct dchanio *d = arg;
	struct dmsg *m = (struct dmsg *)msg;

	d->h(m->kind, m->val, m->buf, m->len, d->arg);
}

/* threads start with every signal blocked (thread_setup opens ours) */
static int thread_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(th, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

int dchanio_alloc(struct dchanio **dp, int fd, dchanio_h *h, void *arg)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct dchanio *d;
	int fl, err;

	if (!dp || fd < 0 || !h)
		return EINVAL;
	pthread_once(&once, sig_install);
	d = mem_zalloc(sizeof(*d), destructor);
	if (!d)
		return ENOMEM;
	d->fd = fd;
	d->h = h;
	d->arg = arg;
	d->wtail = &d->whead;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->cond, NULL);
	err = mpq_alloc(&d->mq);
	if (!err)
		err = mpq_listen(d->mq, mq_handler, d);
	fl = fcntl(fd, F_GETFL);
	if (!err && (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0))
		err = errno;
	if (!err)
		err = thread_start(&d->reader, reader_main, d);
	d->has_reader = !err;
	if (!err)
		err = thread_start(&d->writer, writer_main, d);
	d->has_writer = d->has_reader && !err;
	if (err) {
		mem_deref(d);
		return err;
	}
	*dp = d;
	return 0;
}

/* queue a frame for the writer; the loop never waits for the device */
int dchanio_send(struct dchanio *d, const uint8_t *frame, size_t len)
{
	struct wframe *f;

	if (!d || !frame || !len)
		return EINVAL;
	f = mem_alloc(sizeof(*f) + len, NULL);
	if (!f)
		return ENOMEM;
	f->next = NULL;
	f->len = len;
	memcpy(f->buf, frame, len);
	pthread_mutex_lock(&d->lock);
	*d->wtail = f;
	d->wtail = &f->next;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return 0;
}
