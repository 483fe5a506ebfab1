/*
 * A media-plane worker: one thread with its own libre loop and timer
 * heap (common/timer.h), that owns its streams and takes the core's
 * commands from its queue.  Everything it allocates is freed on its own
 * thread before the thread ends; it touches no object of the core's but
 * the queues and its struct mworker's locked progress.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "common/timer.h"
#include "gateway/mplane/mplane_int.h"

enum { STREAM_BUCKETS = 64 };

static bool id_cmp(struct le *le, void *arg)
{
	const struct wstream *s = le->data;

	return s->id == *(const uint32_t *)arg;
}

static struct wstream *wstream_find(struct mworker *w, uint32_t id)
{
	return list_ledata(hash_lookup(w->sh, id, id_cmp, &id));
}

/* an event to the core, from this worker */
void mworker_event(struct mworker *w, uint32_t id, const struct mplane_msg *m)
{
	struct mplane_env *env;

	if (mplane_env_alloc(&env, id, m))
		return;   /* out of memory: the event is lost */
	env->m.worker = w->idx;
	(void)mpq_push(w->evq, &env->q);
}

static void stream_open(struct mworker *w, uint32_t id)
{
	struct wstream *s;

	if (wstream_find(w, id))
		return;
	s = wstream_alloc(w, id);
	if (s)   /* else its commands find nothing and are dropped */
		hash_append(w->sh, id, &s->le, s);
}

static void stream_cmd(struct mworker *w, struct mplane_env *env)
{
	struct wstream *s = wstream_find(w, env->id);
	struct mplane_msg ev = {.op = MPLANE_EV_CLOSED};

	if (s)
		wstream_cmd(s, env);
	else if (env->m.op == (enum mplane_op)MPLANE_CMD_END)
		mworker_event(w, env->id, &ev);   /* never made: still told */
}

/* the core may wait for this command (mplane_sync) */
static void progress(struct mworker *w, uint64_t seq)
{
	pthread_mutex_lock(&w->lock);
	w->done = seq;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void cmd_handler(struct mpq_msg *msg, void *arg)
{
	struct mworker *w = arg;
	struct mplane_env *env = (struct mplane_env *)msg;

	switch ((int)env->m.op) {

	case MPLANE_CMD_OPEN:
		stream_open(w, env->id);
		break;

	case MPLANE_CMD_SYNC:
		break;

	case MPLANE_CMD_STOP:
		re_cancel();
		break;

	default:
		stream_cmd(w, env);
		break;
	}
	progress(w, env->seq);
}

static void started(struct mworker *w, int err)
{
	pthread_mutex_lock(&w->lock);
	w->started = true;
	w->start_err = err;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static int loop_init(struct mworker *w)
{
	int err = re_thread_init();

	if (!err)
		err = fd_setsize(w->maxfds);
	if (!err)
		err = timer_thread_init();
	if (!err)
		err = hash_alloc(&w->sh, STREAM_BUCKETS);
	if (!err)
		err = mpq_listen(w->cmdq, cmd_handler, w);
	return err;
}

static void *worker_main(void *arg)
{
	struct mworker *w = arg;
	char name[16];
	int err;

	/* named for top -H, perf and /proc/PID/task/TID/comm */
	(void)re_snprintf(name, sizeof(name), "sipri-media%u", w->idx);
	(void)pthread_setname_np(pthread_self(), name);
	err = loop_init(w);

	started(w, err);
	if (!err)
		(void)re_main(NULL);
	/* the streams still open, freed on their own thread */
	mpq_unlisten(w->cmdq);
	hash_flush(w->sh);
	w->sh = mem_deref(w->sh);
	timer_thread_close();
	re_thread_close();
	return NULL;
}

/* the thread, once its loop listens; its error otherwise */
int mworker_start(struct mworker *w)
{
	struct mplane_msg m = {.op = (enum mplane_op)MPLANE_CMD_STOP};
	int err;

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->inited = true;
	/* made now, so that a stop cannot fail for want of memory */
	err = mplane_env_alloc(&w->stop, 0, &m);
	if (!err)
		err = pthread_create(&w->th, NULL, worker_main, w);
	if (err)
		return err;
	w->running = true;
	pthread_mutex_lock(&w->lock);
	while (!w->started)
		pthread_cond_wait(&w->cond, &w->lock);
	err = w->start_err;
	pthread_mutex_unlock(&w->lock);
	return err;
}

/* the loop ends after the commands before STOP; the thread is joined */
void mworker_stop(struct mworker *w)
{
	if (w->running) {
		if (!w->start_err) {
			(void)mworker_push(w, w->stop, NULL);
			mpq_kick(w->cmdq);
			w->stop = NULL;
		}
		pthread_join(w->th, NULL);
		w->running = false;
	}
	w->stop = mem_deref(w->stop);
	if (w->inited) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		w->inited = false;
	}
}

/* env is the worker's from now on; *seq (optional): its number */
int mworker_push(struct mworker *w, struct mplane_env *env, uint64_t *seq)
{
	env->seq = ++w->sent;
	if (seq)
		*seq = env->seq;
	return mpq_push(w->cmdq, &env->q);
}

/* until the worker has taken the command numbered seq */
void mworker_wait(struct mworker *w, uint64_t seq)
{
	mpq_kick(w->cmdq);   /* a batch's wake-up, owed: now */
	pthread_mutex_lock(&w->lock);
	while (w->done < seq)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}
