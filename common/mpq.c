/*
 * mpq: a message queue between two threads' loops (see mpq.h).  The
 * list is under a mutex held for a few pointer moves; the eventfd is
 * written only when a push finds the list empty, so a burst costs the
 * receiver one wake-up and one read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <pthread.h>
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

int mpq_push(struct mpq *q, struct mpq_msg *msg)
{
	uint64_t one = 1;
	bool wake;

	if (!q || !msg)
		return EINVAL;
	msg->next = NULL;
	pthread_mutex_lock(&q->lock);
	wake = q->head == NULL;
	*q->tail = msg;
	q->tail = &msg->next;
	pthread_mutex_unlock(&q->lock);
	/* an eventfd's counter cannot overflow here: at most one write per
	 * take, so EAGAIN is impossible */
	if (wake && write(q->efd, &one, sizeof(one)) != sizeof(one))
		return errno;
	return 0;
}
