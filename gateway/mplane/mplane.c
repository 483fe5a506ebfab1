/*
 * The media plane, the core's side (see mplane.h): the workers, the
 * core's event queue, and a handle per stream.  Only the core's thread
 * calls these functions.
 *
 * A stream goes to the worker with the fewest open streams (round robin
 * among equals), and stays there for its life.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include "gateway/mplane/mplane_int.h"

enum { HANDLE_BUCKETS = 256 };

struct mplane {
	struct mworker *w;       /* n of them */
	unsigned n;
	struct mpq *evq;         /* events, listened on the core's loop */
	struct hash *sh;         /* struct mplane_stream, by id */
	uint32_t next_id;
	unsigned rr;             /* where the next search for the least
				    loaded worker starts */
	mplane_event_h *h;       /* events of no stream */
	void *arg;
};

struct mplane_stream {
	struct le le;            /* in mplane.sh while open */
	struct mplane *mp;       /* outlives its streams */
	struct mworker *w;
	uint32_t id;
	mplane_event_h *evh;
	void *arg;
};

/* what a message never taken still owns */
static void env_destructor(void *data)
{
	struct mplane_env *env = data;

	if (env->m.op == MPLANE_CMD_RTP)
		mem_deref(env->m.u.rtp);
	explicit_bzero(&env->m.u, sizeof(env->m.u));   /* DESC: SRTP keys */
}

int mplane_env_alloc(struct mplane_env **envp, uint32_t id,
		     const struct mplane_msg *m)
{
	struct mplane_env *env = mem_zalloc(sizeof(*env), env_destructor);

	if (!env)
		return ENOMEM;
	env->id = id;
	env->m = *m;
	*envp = env;
	return 0;
}

static bool id_cmp(struct le *le, void *arg)
{
	const struct mplane_stream *ms = le->data;

	return ms->id == *(const uint32_t *)arg;
}

/* an event from a worker: to its stream's handler, if it is still open
 * (or ending: mplane_end), or to the plane's */
static void event_handler(struct mpq_msg *msg, void *arg)
{
	struct mplane *mp = arg;
	struct mplane_env *env = (struct mplane_env *)msg;
	struct mplane_stream *ms;

	if (env->m.op == MPLANE_EV_TDM_CLOSED) {
		if (mp->h)
			mp->h(&env->m, mp->arg);
		return;
	}
	ms = list_ledata(hash_lookup(mp->sh, env->id, id_cmp, &env->id));
	if (!ms)
		return;
	/* the last: the handler may free the handle */
	if (env->m.op == MPLANE_EV_CLOSED)
		hash_unlink(&ms->le);
	if (ms->evh)
		ms->evh(&env->m, ms->arg);
}

/* a handle left open when the plane goes: closed, its worker gone */
static bool orphan(struct le *le, void *arg)
{
	struct mplane_stream *ms = le->data;
	(void)arg;

	ms->w = NULL;
	return false;
}

static void mplane_destructor(void *data)
{
	struct mplane *mp = data;

	/* the workers free what they own, then the queues go */
	for (unsigned i = 0; mp->w && i < mp->n; i++)
		mworker_stop(&mp->w[i]);
	for (unsigned i = 0; mp->w && i < mp->n; i++)
		mem_deref(mp->w[i].cmdq);
	mp->w = mem_deref(mp->w);
	mpq_unlisten(mp->evq);
	mp->evq = mem_deref(mp->evq);
	(void)hash_apply(mp->sh, orphan, NULL);
	hash_clear(mp->sh);
	mp->sh = mem_deref(mp->sh);
}

static unsigned threads_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MPLANE_MAX_THREADS ? MPLANE_MAX_THREADS :
		(unsigned)n;
}

/* fd numbers are the process's: each loop's table must hold them all */
static int fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > INT_MAX)
		return 1024;
	return (int)rl.rlim_cur;
}

static int workers_start(struct mplane *mp, int maxfds)
{
	int err = 0;

	for (unsigned i = 0; i < mp->n && !err; i++) {
		struct mworker *w = &mp->w[i];

		w->idx = i;
		w->maxfds = maxfds;
		w->evq = mp->evq;
		err = mpq_alloc(&w->cmdq);
		if (!err)
			err = mworker_start(w);
	}
	return err;
}

int mplane_alloc(struct mplane **mpp, unsigned nthreads, int maxfds)
{
	struct mplane *mp;
	int err;

	if (!mpp || nthreads > MPLANE_MAX_THREADS || maxfds < 0)
		return EINVAL;
	if (!maxfds)
		maxfds = fd_limit();
	mp = mem_zalloc(sizeof(*mp), mplane_destructor);
	if (!mp)
		return ENOMEM;
	mp->n = nthreads ? nthreads : threads_default();
	mp->w = mem_zalloc(mp->n * sizeof(*mp->w), NULL);
	err = mp->w ? 0 : ENOMEM;
	if (!err)
		err = hash_alloc(&mp->sh, HANDLE_BUCKETS);
	if (!err)
		err = mpq_alloc(&mp->evq);
	if (!err)
		err = mpq_listen(mp->evq, event_handler, mp);
	if (!err)
		err = workers_start(mp, maxfds);
	if (err)
		mem_deref(mp);
	else
		*mpp = mp;
	return err;
}

unsigned mplane_threads(const struct mplane *mp)
{
	return mp ? mp->n : 0;
}

unsigned mplane_load(const struct mplane *mp, unsigned worker)
{
	return mp && worker < mp->n ? mp->w[worker].streams : 0;
}

static struct mworker *least_loaded(struct mplane *mp)
{
	struct mworker *best = NULL;

	for (unsigned k = 0; k < mp->n; k++) {
		struct mworker *w = &mp->w[(mp->rr + k) % mp->n];

		if (!best || w->streams < best->streams)
			best = w;
	}
	mp->rr = (best->idx + 1) % mp->n;
	return best;
}

static int push(struct mplane_stream *ms, const struct mplane_msg *m,
		void *out, uint64_t *seq)
{
	struct mplane_env *env;
	int err;

	err = mplane_env_alloc(&env, ms->id, m);
	if (err)
		return err;
	env->out = out;
	return mworker_push(ms->w, env, seq);
}

/* the handle leaves its worker (the CLOSE is on its way) */
static void detach(struct mplane_stream *ms)
{
	ms->w->streams--;
	ms->w = NULL;
	hash_unlink(&ms->le);
}

static void close_async(struct mplane_stream *ms)
{
	struct mplane_msg m = {.op = MPLANE_CMD_CLOSE};

	if (!ms->w)
		return;
	(void)push(ms, &m, NULL, NULL);
	detach(ms);
}

static void stream_destructor(void *data)
{
	struct mplane_stream *ms = data;

	close_async(ms);
	hash_unlink(&ms->le);   /* ending: its EV_CLOSED is not awaited */
}

int mplane_stream_alloc(struct mplane_stream **msp, struct mplane *mp,
			mplane_event_h *evh, void *arg)
{
	struct mplane_msg m = {.op = (enum mplane_op)MPLANE_CMD_OPEN};
	struct mplane_stream *ms;
	int err;

	if (!msp || !mp)
		return EINVAL;
	ms = mem_zalloc(sizeof(*ms), stream_destructor);
	if (!ms)
		return ENOMEM;
	ms->mp = mp;
	if (!++mp->next_id)
		++mp->next_id;
	ms->id = mp->next_id;
	ms->evh = evh;
	ms->arg = arg;
	ms->w = least_loaded(mp);
	ms->w->streams++;
	hash_append(mp->sh, ms->id, &ms->le, ms);
	err = push(ms, &m, NULL, NULL);
	if (err)
		mem_deref(ms);
	else
		*msp = ms;
	return err;
}

unsigned mplane_stream_worker(const struct mplane_stream *ms)
{
	return ms && ms->w ? ms->w->idx : 0;
}

int mplane_send(struct mplane_stream *ms, const struct mplane_msg *cmd)
{
	if (!ms || !cmd)
		return EINVAL;
	if (!ms->w)
		return ENOTCONN;
	return push(ms, cmd, NULL, NULL);
}

/* push m and wait until the worker took it; close: the handle is
 * detached from its worker first */
static int push_wait(struct mplane_stream *ms, const struct mplane_msg *m,
		     void *out, bool close)
{
	struct mworker *w;
	uint64_t seq = 0;
	int err;

	if (!ms)
		return EINVAL;
	w = ms->w;
	if (!w)
		return ENOTCONN;
	err = push(ms, m, out, &seq);
	if (close)
		detach(ms);
	if (!err)
		mworker_wait(w, seq);
	return err;
}

int mplane_sync(struct mplane_stream *ms)
{
	struct mplane_msg m = {.op = (enum mplane_op)MPLANE_CMD_SYNC};

	return push_wait(ms, &m, NULL, false);
}

int mplane_call(struct mplane_stream *ms, const struct mplane_msg *cmd,
		void *out)
{
	if (!cmd)
		return EINVAL;
	return push_wait(ms, cmd, out, false);
}

int mplane_calls(struct mplane_stream *ms, const struct mplane_msg *cmds,
		 void *const *outs, size_t n)
{
	int err = 0;

	if (!ms || !cmds || !n)
		return EINVAL;
	if (!ms->w)
		return ENOTCONN;
	/* the worker takes them in order: waiting for the last is enough */
	for (size_t i = 0; i + 1 < n && !err; i++)
		err = push(ms, &cmds[i], outs ? outs[i] : NULL, NULL);
	if (!err)
		err = push_wait(ms, &cmds[n - 1], outs ? outs[n - 1] : NULL,
				false);
	return err;
}

int mplane_end(struct mplane_stream *ms)
{
	struct mplane_msg m = {.op = (enum mplane_op)MPLANE_CMD_END};
	int err;

	if (!ms)
		return EINVAL;
	if (!ms->w)
		return ENOTCONN;
	err = push(ms, &m, NULL, NULL);
	if (err)
		return err;
	/* off its worker's load; in the table until EV_CLOSED */
	ms->w->streams--;
	ms->w = NULL;
	return 0;
}

/* on the core's thread, whose loop runs: a loop turn's commands to a
 * worker wake it once (mpq_batch) */
void mplane_batch(struct mplane *mp)
{
	for (unsigned i = 0; mp && i < mp->n; i++)
		mpq_batch(mp->w[i].cmdq);
}

/* commands sent to the workers, and the wake-ups they took */
void mplane_counts(const struct mplane *mp, uint64_t *cmds, uint64_t *wakes)
{
	*cmds = *wakes = 0;
	for (unsigned i = 0; mp && i < mp->n; i++) {
		*cmds += mp->w[i].sent;
		*wakes += mpq_wakes(mp->w[i].cmdq);
	}
}

void mplane_set_handler(struct mplane *mp, mplane_event_h *h, void *arg)
{
	if (!mp)
		return;
	mp->h = h;
	mp->arg = arg;
}

int mplane_sync_all(struct mplane *mp)
{
	struct mplane_msg m = {.op = (enum mplane_op)MPLANE_CMD_SYNC};
	uint64_t seq[MPLANE_MAX_THREADS];
	int err = 0;

	if (!mp)
		return EINVAL;
	for (unsigned i = 0; i < mp->n && !err; i++) {
		struct mplane_env *env;

		err = mplane_env_alloc(&env, 0, &m);
		if (!err)
			err = mworker_push(&mp->w[i], env, &seq[i]);
		if (err)
			return err;
	}
	for (unsigned i = 0; i < mp->n; i++)
		mworker_wait(&mp->w[i], seq[i]);
	return 0;
}

int mplane_close(struct mplane_stream *ms, struct mplane_stats *st)
{
	struct mplane_msg m = {.op = MPLANE_CMD_CLOSE};

	if (st)
		memset(st, 0, sizeof(*st));
	return push_wait(ms, &m, st, true);
}
