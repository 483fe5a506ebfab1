/*
 * The media plane's workers (gateway/mplane/): threads that start and
 * stop; a stream goes to the least loaded worker; commands reach the
 * stream's worker in order and its events come back on the core's loop;
 * mplane_sync waits for the worker; mplane_close hands back the
 * stream's counters; a closed stream's events are dropped; and a plane
 * freed with work pending stops without a hang or a leak (ASan's leak
 * check runs at exit).  A B-channel (here a socketpair) is read and
 * written on the worker: a block in clocks a tone's block out, and once
 * the core took the channel back the worker reads nothing more.
 * Without a wait (the call core's way): a B-channel given .own is closed
 * by the worker, which says so to the plane's handler; UNBRIDGE's
 * counters come as an event; mplane_end's EV_CLOSED comes after every
 * other event of the stream; mplane_sync_all returns once every worker
 * took what was sent before.  A batching plane wakes a worker once for
 * what one turn of the core's loop sent it.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <re.h>
#include "common/timer.h"
#include "gateway/mplane/mplane.h"
#include "tests/tap.h"

enum { MAXFDS = 4096, NPING = 50, GUARD_MS = 10000 };

struct probe {
	struct mplane_stream *ms;
	unsigned pongs;
	uint32_t next;           /* the value the next pong must echo */
	bool order_ok;
	bool worker_ok;
};

static unsigned pongs_total, pongs_want;
static bool guard_fired;

static void pong_h(const struct mplane_msg *ev, void *arg)
{
	struct probe *p = arg;

	if (ev->op != MPLANE_EV_PONG)
		return;
	if (ev->u.ping != p->next)
		p->order_ok = false;
	if (ev->worker != mplane_stream_worker(p->ms))
		p->worker_ok = false;
	p->next++;
	p->pongs++;
	if (++pongs_total >= pongs_want)
		re_cancel();
}

static void guard_h(void *arg)
{
	(void)arg;
	guard_fired = true;
	re_cancel();
}

/* run the core's loop until want pongs came (or the guard fired) */
static void run_until(unsigned want)
{
	struct timer guard;

	timer_init(&guard);
	pongs_total = 0;
	pongs_want = want;
	guard_fired = false;
	timer_start(&guard, GUARD_MS, guard_h, NULL);
	(void)re_main(NULL);
	timer_cancel(&guard);
}

static void probe_init(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	p->order_ok = p->worker_ok = true;
}

static int ping(struct probe *p, uint32_t v)
{
	struct mplane_msg m = {.op = MPLANE_CMD_PING, .u.ping = v};

	return mplane_send(p->ms, &m);
}

static void test_threads(void)
{
	struct mplane *mp = NULL;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	unsigned n;

	n = mplane_alloc(&mp, 0, MAXFDS) ? 0 : mplane_threads(mp);
	ok(n == (unsigned)(cores < 1 ? 1 : cores),
	   "threads: 0 means one per core (%u)", n);
	mp = mem_deref(mp);
	ok(mplane_alloc(&mp, MPLANE_MAX_THREADS + 1, MAXFDS) == EINVAL,
	   "threads: more than %d refused", MPLANE_MAX_THREADS);
}

static void test_placement(struct mplane *mp)
{
	struct probe p[5];
	struct mplane_stats st;
	bool ok_place = true;

	for (unsigned i = 0; i < 4; i++) {
		probe_init(&p[i]);
		mplane_stream_alloc(&p[i].ms, mp, pong_h, &p[i]);
		ok_place &= mplane_stream_worker(p[i].ms) == i % 2;
	}
	ok(ok_place && mplane_load(mp, 0) == 2 && mplane_load(mp, 1) == 2,
	   "placement: 4 streams alternate over 2 workers");
	ok(!mplane_close(p[2].ms, &st) && mplane_load(mp, 0) == 1,
	   "placement: a close unloads its worker");
	probe_init(&p[4]);
	mplane_stream_alloc(&p[4].ms, mp, pong_h, &p[4]);
	ok(mplane_stream_worker(p[4].ms) == 0,
	   "placement: the next stream goes to the least loaded worker");
	for (unsigned i = 0; i < 5; i++)
		mem_deref(p[i].ms);
	ok(mplane_load(mp, 0) == 0 && mplane_load(mp, 1) == 0,
	   "placement: freed handles close their streams");
}

static void test_events(struct mplane *mp)
{
	struct probe p[3];
	struct mplane_stats st;
	bool all = true;

	for (unsigned i = 0; i < 3; i++) {
		probe_init(&p[i]);
		mplane_stream_alloc(&p[i].ms, mp, pong_h, &p[i]);
	}
	for (uint32_t v = 0; v < NPING; v++)
		for (unsigned i = 0; i < 3; i++)
			all &= !ping(&p[i], v);
	run_until(3 * NPING);
	ok(all && !guard_fired && pongs_total == 3 * NPING,
	   "events: %u pongs for %u pings", pongs_total, 3 * NPING);
	for (unsigned i = 0; i < 3; i++)
		all &= p[i].order_ok && p[i].worker_ok && p[i].pongs == NPING;
	ok(all, "events: in order, from each stream's worker");

	memset(&st, 0, sizeof(st));
	all = !mplane_close(p[0].ms, &st);
	ok(all && st.cmds == NPING + 1,
	   "close: the worker counted %llu commands (%u)",
	   (unsigned long long)st.cmds, NPING + 1);
	ok(mplane_send(p[0].ms, &(struct mplane_msg){.op = MPLANE_CMD_PING})
	   == ENOTCONN, "close: a closed stream takes no command");

	/* sync: once it returns, the worker has answered every ping */
	for (uint32_t v = 0; v < NPING; v++)
		ping(&p[1], NPING + v);
	ok(!mplane_sync(p[1].ms), "sync: the worker took every command");
	/* p[2]'s pings are answered too, but its stream closed first */
	ping(&p[2], NPING);
	mplane_close(p[2].ms, NULL);
	run_until(NPING);
	ok(!guard_fired && p[1].pongs == 2 * NPING && p[1].order_ok &&
	   p[2].pongs == NPING,
	   "sync: %u pongs were waiting; a closed stream's were dropped",
	   p[1].pongs - NPING);
	for (unsigned i = 0; i < 3; i++)
		mem_deref(p[i].ms);
}

static bool tone_out(int fd, const uint8_t *in, size_t n)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint8_t out[MEDIA_MAXBLOCK];
	bool idle = true;
	ssize_t got;

	if (write(fd, in, n) != (ssize_t)n || poll(&pfd, 1, GUARD_MS) != 1)
		return false;
	got = read(fd, out, sizeof(out));
	for (ssize_t i = 0; i < got; i++)
		idle &= out[i] == 0xd5;
	return got == (ssize_t)n && !idle;
}

static void test_tdm(struct mplane *mp)
{
	struct probe p;
	struct mplane_msg tone = {.op = MPLANE_CMD_TONE};
	struct mplane_msg tdm = {.op = MPLANE_CMD_TDM};
	uint8_t in[160], peek[160];
	int sv[2];

	probe_init(&p);
	memset(in, 0xd5, sizeof(in));   /* A-law idle */
	/* non-blocking, as sipri opens a B-channel (tdm/pri/dahdi.c) */
	if (!ok(!socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) &&
		!mplane_stream_alloc(&p.ms, mp, pong_h, &p),
		"tdm: a stream and a B-channel (a socketpair)"))
		return;
	tone.u.tone.kind = TONE_RINGBACK;
	tone.u.tone.law = 'A';
	str_ncpy(tone.u.tone.country, "de", sizeof(tone.u.tone.country));
	tdm.u.tdm.fd = sv[0];
	tdm.u.tdm.law = 'A';
	mplane_send(p.ms, &tone);
	mplane_send(p.ms, &tdm);
	ok(tone_out(sv[1], in, sizeof(in)),
	   "tdm: a block in, a block of ringback out, from the worker");
	tdm.u.tdm.fd = -1;
	ok(!mplane_call(p.ms, &tdm, NULL), "tdm: the core takes it back");
	ok(write(sv[1], in, sizeof(in)) == sizeof(in) && !mplane_sync(p.ms) &&
	   recv(sv[0], peek, sizeof(peek), MSG_PEEK | MSG_DONTWAIT) ==
	   sizeof(peek), "tdm: the worker reads no more: the block waits");
	close(sv[0]);
	close(sv[1]);
	mem_deref(p.ms);
}

/* what an async stream told, in order */
struct rec {
	enum mplane_op ops[16];
	unsigned n;
	int tdm_span, tdm_ts;    /* the plane's EV_TDM_CLOSED */
	unsigned tdm_closed;
};

static void rec_h(const struct mplane_msg *ev, void *arg)
{
	struct rec *r = arg;

	if (r->n < 16)
		r->ops[r->n++] = ev->op;
	if (ev->op == MPLANE_EV_CLOSED)
		re_cancel();
}

static void plane_h(const struct mplane_msg *ev, void *arg)
{
	struct rec *r = arg;

	if (ev->op != MPLANE_EV_TDM_CLOSED)
		return;
	r->tdm_span = ev->u.tdm.span;
	r->tdm_ts = ev->u.tdm.ts;
	r->tdm_closed++;
}

/* the peer of a socketpair whose other end was closed */
static bool peer_closed(int fd)
{
	uint8_t b = 0;

	return send(fd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
		(errno == EPIPE || errno == ECONNRESET);
}

static void test_async(struct mplane *mp)
{
	struct mplane_msg tdm = {.op = MPLANE_CMD_TDM};
	struct mplane_msg m = {.op = MPLANE_CMD_PING};
	struct mplane_stream *ms = NULL;
	struct rec r;
	int sv[2];
	bool order;

	memset(&r, 0, sizeof(r));
	mplane_set_handler(mp, plane_h, &r);
	if (!ok(!socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) &&
		!mplane_stream_alloc(&ms, mp, rec_h, &r),
		"async: a stream and a B-channel given to it"))
		return;
	tdm.u.tdm.fd = sv[0];
	tdm.u.tdm.law = 'A';
	tdm.u.tdm.own = true;
	tdm.u.tdm.span = 3;
	tdm.u.tdm.ts = 17;
	mplane_send(ms, &tdm);
	tdm.u.tdm.fd = -1;
	mplane_send(ms, &tdm);
	ok(!mplane_sync_all(mp) && peer_closed(sv[1]),
	   "async: the worker closed the B-channel it owned (sync_all)");

	mplane_send(ms, &m);
	m.op = MPLANE_CMD_UNBRIDGE;
	mplane_send(ms, &m);
	ok(!mplane_end(ms) && mplane_send(ms, &m) == ENOTCONN,
	   "async: an ended stream takes no command");
	run_until(UINT32_MAX);
	order = r.n == 3 && r.ops[0] == MPLANE_EV_PONG &&
		r.ops[1] == MPLANE_EV_STATS && r.ops[2] == MPLANE_EV_CLOSED;
	ok(!guard_fired && order, "async: PONG, then UNBRIDGE's STATS, then "
	   "CLOSED last (%u events)", r.n);
	ok(r.tdm_closed == 1 && r.tdm_span == 3 && r.tdm_ts == 17,
	   "async: the plane heard span %d timeslot %d closed", r.tdm_span,
	   r.tdm_ts);
	ok(mplane_load(mp, 0) + mplane_load(mp, 1) == 0,
	   "async: the ended stream no longer loads its worker");
	mplane_set_handler(mp, NULL, NULL);
	mem_deref(ms);
	close(sv[1]);
}

/* work pending at the stop: queued commands and events are freed */
static void test_stop(void)
{
	struct mplane *mp = NULL;
	struct probe p[8];

	ok(!mplane_alloc(&mp, 3, MAXFDS), "stop: a plane of 3 workers");
	for (unsigned i = 0; i < 8; i++) {
		probe_init(&p[i]);
		mplane_stream_alloc(&p[i].ms, mp, pong_h, &p[i]);
		for (uint32_t v = 0; v < NPING; v++)
			ping(&p[i], v);
	}
	mplane_sync(p[7].ms);   /* some pongs now wait in the core's queue */
	mp = mem_deref(mp);
	for (unsigned i = 0; i < 8; i++)
		mem_deref(p[i].ms);
	ok(1, "stop: freed with streams open and events pending");
}

/* a batching plane (mplane_batch): the commands one turn of the core's
 * loop sends, a block's time apart (time for a worker to take each one
 * as it comes), wake each worker once; a wait inside the turn still
 * returns (mplane_sync kicks the wake-up owed) */
static struct probe bp[2];
static uint64_t turn_wakes;

static void batch_turn(void *arg)
{
	struct mplane *mp = arg;
	uint64_t cmds, wakes0, wakes1;

	mplane_counts(mp, &cmds, &wakes0);
	for (uint32_t v = 0; v < 4; v++) {
		for (unsigned i = 0; i < 2; i++)
			(void)ping(&bp[i], v);
		usleep(20000);
	}
	mplane_counts(mp, &cmds, &wakes1);
	turn_wakes = wakes1 - wakes0;
}

static void test_batch(void)
{
	struct mplane *mp = NULL;
	struct timer t;
	uint64_t cmds, wakes0, wakes1;
	bool sync_ok;

	ok(!mplane_alloc(&mp, 2, MAXFDS), "batch: a plane of 2 workers");
	mplane_batch(mp);
	for (unsigned i = 0; i < 2; i++) {
		probe_init(&bp[i]);
		mplane_stream_alloc(&bp[i].ms, mp, pong_h, &bp[i]);
	}
	sync_ok = !mplane_sync(bp[0].ms) && !mplane_sync(bp[1].ms);
	ok(sync_ok, "batch: mplane_sync returns (the wake-up owed goes)");
	mplane_counts(mp, &cmds, &wakes0);
	timer_init(&t);
	timer_start(&t, 1, batch_turn, mp);
	run_until(8);
	mplane_counts(mp, &cmds, &wakes1);
	ok(!guard_fired && bp[0].pongs == 4 && bp[1].pongs == 4 &&
	   bp[0].order_ok && bp[1].order_ok,
	   "batch: 8 pings in one loop turn, 8 pongs in order");
	ok(turn_wakes == 0 && wakes1 - wakes0 == 2,
	   "batch: no wake-up during the turn, one per worker after it "
	   "(%llu, %llu)", (unsigned long long)turn_wakes,
	   (unsigned long long)(wakes1 - wakes0));
	ok(cmds == 4 + 8, "batch: the commands counted (%llu)",
	   (unsigned long long)cmds);
	for (unsigned i = 0; i < 2; i++)
		bp[i].ms = mem_deref(bp[i].ms);
	mem_deref(mp);
}

int main(void)
{
	struct mplane *mp = NULL;

	if (libre_init() || timer_thread_init())
		return 1;
	test_threads();
	ok(!mplane_alloc(&mp, 2, MAXFDS) && mplane_threads(mp) == 2,
	   "a plane of 2 workers");
	test_placement(mp);
	test_events(mp);
	test_tdm(mp);
	test_async(mp);
	mp = mem_deref(mp);
	test_batch();
	test_stop();
	timer_thread_close();
	libre_close();
	return tap_done();
}
