/*
 * mpq: a message queue between two threads' loops (see mpq.h).  The
 * list is under a mutex held for a few pointer moves; the eventfd is
 * written only when a push finds the list empty, so a burst costs the
 * receiver one wake-up and one read.
 *
 * A receiver that keeps up takes each message as it comes, so a push
 * still finds the list empty, and wakes it, every time.  A batching
 * queue (mpq_batch) owes the wake-up instead, and pays it once at the
 * end of its pusher's loop turn: libre runs a timer of 0 ms after the
 * turn's fd handlers (re_main: fd_poll, then tmr_poll), so the commands
 * of a whole turn cost one wake-up, on this machine a system call and an
 * IPI on the pusher's side and a sleep and a wake on the receiver's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <re.h>
#include "common/mpq.h"

struct mpq {
	pthread_mutex_t lock;
	struct mpq_msg *head;
	struct mpq_msg **tail;
	int efd;
	bool listening;
	mpq_h *h;
	void *arg;
	/* the pusher's (mpq_batch) */
	bool batch;
	bool owed;               /* a wake-up is owed to the receiver */
	struct tmr kick_tmr;     /* on the pusher's loop */
	atomic_ulong wakes;      /* eventfd writes */
};

/* take the whole list */
static struct mpq_msg *take(struct mpq *q)
{
	struct mpq_msg *l;

	pthread_mutex_lock(&q->lock);
	l = q->head;
	q->head = NULL;
	q->tail = &q->head;
	pthread_mutex_unlock(&q->lock);
	return l;
}

/* hand each message to the receiver while it listens, and free it; the
 * receiver may unlisten and free the queue from inside its handler: the
 * rest are then only freed */
static void flush(struct mpq *q, struct mpq_msg *l)
{
	while (l) {
		struct mpq_msg *next = l->next;

		l->next = NULL;
		if (q->listening && q->h)
			q->h(l, q->arg);
		mem_deref(l);
		l = next;
	}
}

static void destructor(void *data)
{
	struct mpq *q = data;

	q->listening = false;
	if (q->batch)   /* freed on the pusher's thread (mpq.h) */
		tmr_cancel(&q->kick_tmr);
	flush(q, take(q));   /* never received: just freed */
	if (q->efd >= 0)
		close(q->efd);
	pthread_mutex_destroy(&q->lock);
}

int mpq_alloc(struct mpq **qp)
{
	struct mpq *q;

	if (!qp)
		return EINVAL;
	q = mem_zalloc(sizeof(*q), destructor);
	if (!q)
		return ENOMEM;
	pthread_mutex_init(&q->lock, NULL);
	q->tail = &q->head;
	tmr_init(&q->kick_tmr);
	q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->efd < 0) {
		int err = errno;

		mem_deref(q);
		return err;
	}
	*qp = q;
	return 0;
}

static void read_handler(int flags, void *arg)
{
	struct mpq *q = arg;
	uint64_t n;

	if (!(flags & FD_READ))
		return;
	/* reset first: a push after the take wakes us again */
	(void)read(q->efd, &n, sizeof(n));
	mem_ref(q);
	flush(q, take(q));
	mem_deref(q);
}

int mpq_listen(struct mpq *q, mpq_h *h, void *arg)
{
	int err;

	if (!q || !h)
		return EINVAL;
	q->h = h;
	q->arg = arg;
	err = fd_listen(q->efd, FD_READ, read_handler, q);
	q->listening = !err;
	return err;
}

/* on the thread that listened, before its loop goes */
void mpq_unlisten(struct mpq *q)
{
	if (!q || !q->listening)
		return;
	fd_close(q->efd);
	q->listening = false;
}

/* an eventfd's counter cannot overflow here: at most one write per take
 * (or per kick, for a wake-up owed), so EAGAIN is impossible */
static int wake(struct mpq *q)
{
	uint64_t one = 1;

	atomic_fetch_add_explicit(&q->wakes, 1, memory_order_relaxed);
	return write(q->efd, &one, sizeof(one)) == sizeof(one) ? 0 : errno;
}

static void kick_handler(void *arg)
{
	mpq_kick(arg);
}

int mpq_push(struct mpq *q, struct mpq_msg *msg)
{
	bool empty;

	if (!q || !msg)
		return EINVAL;
	msg->next = NULL;
	pthread_mutex_lock(&q->lock);
	empty = q->head == NULL;
	*q->tail = msg;
	q->tail = &msg->next;
	pthread_mutex_unlock(&q->lock);
	if (!empty)
		return 0;
	if (!q->batch)
		return wake(q);
	if (!q->owed)
		tmr_start(&q->kick_tmr, 0, kick_handler, q);
	q->owed = true;
	return 0;
}

/* the pusher's thread, on a loop that runs (re_main) */
void mpq_batch(struct mpq *q)
{
	if (q)
		q->batch = true;
}

/* the pusher's thread: a wake-up owed goes now (before it waits for the
 * receiver, or once its loop has ended) */
void mpq_kick(struct mpq *q)
{
	if (!q || !q->owed)
		return;
	q->owed = false;
	tmr_cancel(&q->kick_tmr);
	(void)wake(q);
}

/* how many times a push or a kick woke the receiver */
unsigned long mpq_wakes(const struct mpq *q)
{
	return q ? atomic_load_explicit(&q->wakes, memory_order_relaxed) : 0;
}
