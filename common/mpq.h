/*
 * mpq: a message queue between two threads' libre loops.  Any thread
 * pushes; the one thread that listens (mpq_listen, on its own loop) takes
 * every message waiting on one wake-up of an eventfd.  A message is a
 * mem object whose ownership moves wholesale with the push: the sender
 * never touches it again, and the queue derefs it once the receiver's
 * handler returned (or, never received, when the queue goes).  A handler
 * may unlisten and free the queue: the messages after it are then only
 * freed.
 *
 * Why not libre's mqueue: its messages wait in a pipe, so those left at
 * a stop could not be freed (the exit would leak), and it wakes the loop
 * once per message where a burst needs one wake-up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_COMMON_MPQ_H
#define SIPRI_COMMON_MPQ_H

#include <stdbool.h>

/* the header every message starts with */
struct mpq_msg {
	struct mpq_msg *next;
};

typedef void (mpq_h)(struct mpq_msg *msg, void *arg);

struct mpq;

int  mpq_alloc(struct mpq **qp);
/* on the receiving thread: h(msg, arg) for each message, in order */
int  mpq_listen(struct mpq *q, mpq_h *h, void *arg);
void mpq_unlisten(struct mpq *q);
/* any thread; msg (a mem object) is the queue's from now on */
int  mpq_push(struct mpq *q, struct mpq_msg *msg);
/*
 * A queue with one pusher, whose thread runs a libre loop, may batch:
 * its pushes then wake the receiver once at the end of the loop's turn
 * rather than as they come.  On the pusher's thread, which also frees
 * the queue: mpq_kick before it waits for the receiver, or once its loop
 * has ended, or a push would never arrive.
 */
void mpq_batch(struct mpq *q);
void mpq_kick(struct mpq *q);
unsigned long mpq_wakes(const struct mpq *q);

#endif
