/*
 * The calls pbxsim holds at once: the list, the current call the script's
 * commands act on, B-channel hunting and the call counters.
 *
 * The current call (README) is the one the script last placed with `call`
 * or took with `expect setup`; once it is gone, the most recent call still
 * there that is not automatic (autoanswer, load).  A command's call=N
 * option picks call N instead.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include "pbxsim.h"

static void call_destructor(void *data)
{
	struct call *call = data;

	tmr_cancel(&call->tmr);
	mem_deref(call->audio);
	list_unlink(&call->le);
}

int call_new(struct call **callp, struct pbxsim *p, q931_call *c,
	     bool incoming)
{
	struct call *call;

	if (!callp || !p)
		return EINVAL;
	call = mem_zalloc(sizeof(*call), call_destructor);
	if (!call)
		return ENOMEM;
	call->p = p;
	call->id = ++p->next_id;
	call->c = c;
	call->incoming = incoming;
	call->chan = -1;
	tmr_init(&call->tmr);
	list_append(&p->calls, &call->le, call);
	p->stats.active++;
	*callp = call;
	return 0;
}

/* The call holds its B-channel: it counts towards the peak */
void call_counted(struct call *call)
{
	struct sim_stats *st = &call->p->stats;

	if (st->active > st->peak)
		st->peak = st->active;
}

/*
 * The call is gone (RELEASE or RELEASE COMPLETE, or refused here): count
 * how it ended and free it.  libpri's call record must already be freed.
 */
void call_end(struct call *call, int cause)
{
	struct pbxsim *p;
	struct sim_stats *st;

	if (!call)
		return;
	p = call->p;
	st = &p->stats;
	if (call->answered && call->hungup)
		st->cleared_local++;
	else if (call->answered)
		st->cleared_remote++;
	else if (!call->refused)
		st->failed++;
	st->active--;
	if (call->load)
		load_ended(call, cause);
	if (p->cur == call)
		p->cur = NULL;
	mem_deref(call);
	run_kick(p);
}

struct call *call_find(const struct pbxsim *p, const q931_call *c)
{
	for (struct le *le = list_head(&p->calls); le && c; le = le->next) {
		struct call *call = le->data;

		if (call->c == c)
			return call;
	}
	return NULL;
}

struct call *call_by_id(const struct pbxsim *p, unsigned id)
{
	for (struct le *le = list_head(&p->calls); le; le = le->next) {
		struct call *call = le->data;

		if (call->id == id)
			return call;
	}
	return NULL;
}

/* The current call: see the top of this file; never an automatic one */
struct call *call_current(const struct pbxsim *p)
{
	if (p->cur)
		return p->cur;
	for (struct le *le = list_tail(&p->calls); le; le = le->prev) {
		struct call *call = le->data;

		if (!call->automatic)
			return call;
	}
	return NULL;
}

bool chan_busy(const struct pbxsim *p, int chan, const struct call *except)
{
	for (struct le *le = list_head(&p->calls); le; le = le->next) {
		const struct call *call = le->data;

		if (call != except && call->chan == chan)
			return true;
	}
	return false;
}

/* Some call is being cleared (we sent DISCONNECT, no RELEASE yet) */
bool calls_clearing(const struct pbxsim *p)
{
	for (struct le *le = list_head(&p->calls); le; le = le->next) {
		const struct call *call = le->data;

		if (call->hungup)
			return true;
	}
	return false;
}

/*
 * A free B-channel timeslot, -1 if none: E1 1-15 and 17-31 (16 carries
 * the D-channel), T1 1-23.  The network side hunts upwards, the user side
 * downwards, so the two rarely pick the same channel at once (glare).
 */
int chan_hunt(const struct pbxsim *p)
{
	const struct dahdi_chaninfo *info = prilink_info(p->link);
	int last = info->t1 ? 23 : 31;
	bool up = p->node == PRI_NETWORK;

	for (int i = 1; i <= last; i++) {
		int ts = up ? i : last + 1 - i;

		if (!info->t1 && ts == 16)
			continue;
		if (!chan_busy(p, ts, NULL))
			return ts;
	}
	return -1;
}

/* Every B-channel timeslot of the span, bit n for timeslot n */
uint32_t chan_all(const struct pbxsim *p)
{
	const struct dahdi_chaninfo *info = prilink_info(p->link);
	int last = info->t1 ? 23 : 31;
	uint32_t all = 0;

	for (int ts = 1; ts <= last; ts++)
		all |= info->t1 || ts != 16 ? 1u << ts : 0;
	return all;
}

/*
 * When the far end's RESTARTs (Q.931 §5.5.1) count as over, in jiffies; 0
 * when none is under way.  A far end that restarts its channels on the way
 * up sends them one after the other: the batch is over once every
 * B-channel has been restarted, or window ms after the last RESTART when
 * the far end restarts only some.
 */
uint64_t chan_restarts_quiet(const struct pbxsim *p, uint64_t window)
{
	if (!p->restarts || (p->restarts & chan_all(p)) == chan_all(p))
		return 0;
	return p->restart_last + window;
}

void call_log(const struct call *call, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	re_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sim_log(call->p, "call(%u) %s", call->id, buf);
}

static const struct {
	const char *name;
	size_t off;
} counters[] = {
	{"offered", offsetof(struct sim_stats, offered)},
	{"answered", offsetof(struct sim_stats, answered)},
	{"refused", offsetof(struct sim_stats, refused)},
	{"placed", offsetof(struct sim_stats, placed)},
	{"connected", offsetof(struct sim_stats, connected)},
	{"failed", offsetof(struct sim_stats, failed)},
	{"cleared_local", offsetof(struct sim_stats, cleared_local)},
	{"cleared_remote", offsetof(struct sim_stats, cleared_remote)},
	{"active", offsetof(struct sim_stats, active)},
	{"peak", offsetof(struct sim_stats, peak)},
	{"restarted", offsetof(struct sim_stats, restarted)},
};

/* A counter by name; ENOENT if there is none of that name */
int stats_get(const struct sim_stats *st, const char *name, unsigned *vp)
{
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (!strcmp(name, counters[i].name)) {
			*vp = *(const unsigned *)(const void *)
				((const char *)st + counters[i].off);
			return 0;
		}
	}
	return ENOENT;
}

void stats_log(const struct pbxsim *p)
{
	char buf[256] = "";
	size_t n = 0;

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		unsigned v = 0;

		stats_get(&p->stats, counters[i].name, &v);
		n += re_snprintf(buf + n, sizeof(buf) - n, " %s=%u",
				 counters[i].name, v);
	}
	sim_log(p, "stats:%s", buf);
}

/* Microseconds on the monotonic clock, for latencies */
uint64_t sim_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
