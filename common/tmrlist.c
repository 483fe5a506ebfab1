/*
 * common/tmrlist.c: libre's tmr_start(), placed from the nearer end
 * (see tmrlist.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include "common/tmrlist.h"

/* libre 1.1.0 exports the calling thread's timer list, in no header */
struct list *tmrl_get(void);

static __thread struct tmrlist_stats stats;

void tmrlist_stats(struct tmrlist_stats *st)
{
	*st = stats;
}

/* walking back from the tail: the last timer due at or before *arg */
static bool due_by(struct le *le, void *arg)
{
	stats.steps++;
	return ((const struct tmr *)le->data)->jfs <= *(const uint64_t *)arg;
}

/* walking on from the head: the first timer due after *arg */
static bool due_after(struct le *le, void *arg)
{
	stats.steps++;
	return ((const struct tmr *)le->data)->jfs > *(const uint64_t *)arg;
}

static void place(struct list *l, struct tmr *tmr, bool from_head)
{
	struct le *le;

	if (from_head) {
		le = list_apply(l, true, due_after, &tmr->jfs);
		if (le)
			list_insert_before(l, le, &tmr->le, tmr);
		else
			list_append(l, &tmr->le, tmr);
		return;
	}
	le = list_apply(l, false, due_by, &tmr->jfs);
	if (le)
		list_insert_after(l, le, &tmr->le, tmr);
	else
		list_prepend(l, &tmr->le, tmr);
}

void tmr_start(struct tmr *tmr, uint64_t delay, tmr_h *th, void *arg)
{
	struct list *l = tmrl_get();
	const struct tmr *head, *tail;

	stats.starts++;
	if (!tmr)
		return;
	if (tmr->th)
		list_unlink(&tmr->le);
	tmr->th = th;
	tmr->arg = arg;
	if (!th || !l)
		return;
	tmr->jfs = delay + tmr_jiffies();
	head = list_ledata(list_head(l));
	tail = list_ledata(list_tail(l));
	if (!delay || !tail) {          /* due now: after the due ones */
		place(l, tmr, true);
	}
	else if (tmr->jfs >= tail->jfs) {
		list_append(l, &tmr->le, tmr);
	}
	else if (tmr->jfs < head->jfs) {
		list_prepend(l, &tmr->le, tmr);
	}
	else {
		place(l, tmr, tmr->jfs - head->jfs < tail->jfs - tmr->jfs);
	}
}
