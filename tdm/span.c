/*
 * A gateway PRI span: one libpri link, the B-channels it may use, their
 * hunting, and what happens when the span fails or restarts.
 *
 * - D-channel down or a RED alarm takes the span out of hunting and clears
 *   its calls with cause 38 (network out of order, Q.850); it comes back
 *   when the D-channel is up again with no alarm.  Q.931 §5.8.8 would let
 *   active calls wait T309 for the data link, and libpri 1.6 keeps them
 *   so when left alone.  Tried under BADFCS bursts
 *   (tests/e2e/gw_faults_badfcs.sh), a call whose DISCONNECT from the PBX
 *   was lost in the link's reset stayed up here, the PBX having cleared
 *   it, until the RTP watch ended it (with media flowing it never would):
 *   after re-establishing the link, libpri tells its Q.931 only when
 *   I-frames of its own were outstanding, and nothing asks after the call
 *   (no STATUS ENQUIRY).  So every call goes, as with chan_dahdi when
 *   T309 is off.
 * - RESTART (Q.931 §5.5) in both directions: tdm/restart.c.
 * - A D-channel whose device is gone (DAHDI removed the span, or a FUSE
 *   vdahdi died: tdm/pri/link.c) takes the span out of service like an
 *   alarm; the channel is opened again every second, on a new libpri
 *   link, and the span comes back with its D-channel.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <re.h>
#include <dahdi/user.h>
#include "tdm/pri/tdmpri.h"
#include "tdm/tdm_int.h"

static void span_destructor(void *data)
{
	struct tdm_span *span = data;

	timer_cancel(&span->restart_tmr);
	timer_cancel(&span->reopen_tmr);
	list_flush(&span->legs);
	span->link = mem_deref(span->link);
}

bool tdm_span_up(const struct tdm_span *span)
{
	return span->dchan_up && !span->alarm && !span->gone;
}

void tdm_span_set_number_handler(struct tdm_span *span, tdm_number_h *numh)
{
	if (span)
		span->numh = numh;
}

void tdm_span_set_wait_handler(struct tdm_span *span, tdm_wait_h *waith,
			       void *arg)
{
	if (!span)
		return;
	span->waith = waith;
	span->wait_arg = arg;
}

void tdm_span_chan_closed(struct tdm_span *span, int ts)
{
	if (span && ts >= 1 && ts < TDM_MAXTS && span->closing[ts])
		span->closing[ts]--;
}

static void frame_handler(bool tx, const uint8_t *frame, size_t len,
			  void *arg)
{
	struct tdm_span *span = arg;

	if (span->fh)
		span->fh(span, tx, frame, len, span->fh_arg);
}

void tdm_span_set_frame_handler(struct tdm_span *span, tdm_frame_h *fh,
				void *arg)
{
	if (!span)
		return;
	span->fh = fh;
	span->fh_arg = arg;
	prilink_set_frame_handler(span->link, fh ? frame_handler : NULL);
}

int tdm_span_no(const struct tdm_span *span)
{
	return span->prm.spanno;
}

bool tdm_span_network(const struct tdm_span *span)
{
	return span && span->prm.node == PRI_NETWORK;
}

static bool chan_usable(const struct tdm_span *span, int ts)
{
	return ts >= 1 && ts < TDM_MAXTS && (span->bchans & (1u << ts));
}

/* Free for a new call: usable, no call on it, not being restarted, not
 * blocked */
static bool chan_free(const struct tdm_span *span, int ts)
{
	return chan_usable(span, ts) && !span->chans[ts] &&
		!span->closing[ts] &&
		!((span->restarting | span->blocked) & (1u << ts));
}

void tdm_span_state(const struct tdm_span *span, struct tdm_span_state *st)
{
	memset(st, 0, sizeof(*st));
	st->up = tdm_span_up(span);
	st->dchan_up = span->dchan_up && !span->gone;
	if (span->gone || prilink_alarms(span->link, &st->alarms))
		st->alarms = DAHDI_ALARM_NOTOPEN;
	for (int ts = 1; ts < TDM_MAXTS; ts++) {
		if (!chan_usable(span, ts))
			continue;
		if (span->chans[ts])
			st->busy++;
		else if (span->restarting & (1u << ts))
			st->restarting++;
		else if (span->blocked & (1u << ts))
			st->blocked++;
		else
			st->idle++;
	}
}

const char *tdm_span_chan_state(const struct tdm_span *span, int ts)
{
	if (!chan_usable(span, ts))
		return NULL;
	if (span->chans[ts])
		return "busy";
	if (span->restarting & (1u << ts))
		return "restarting";
	return span->blocked & (1u << ts) ? "blocked" : "idle";
}

/*
 * Take timeslot ts out of hunting (block) or back (unblock); a call on it
 * goes on.  Where the switch type has them (NI-2, 4ESS, 5ESS: libpri's
 * SERVICE messages), the far end is told the channel is out of service
 * or back in it.
 */
int tdm_span_block(struct tdm_span *span, int ts, bool block)
{
	int sw = span ? span->prm.switchtype : 0;

	if (!span || !chan_usable(span, ts))
		return EINVAL;
	if (block)
		span->blocked |= 1u << ts;
	else
		span->blocked &= ~(1u << ts);
	tdm_span_log(span, LOG_LVL_INFO, "channel %d %s", ts, block ?
		     "blocked: out of hunting" : "unblocked");
	if ((sw == PRI_SWITCH_NI2 || sw == PRI_SWITCH_ATT4ESS ||
	     sw == PRI_SWITCH_LUCENT5E) && tdm_span_up(span)) {
		pri_maintenance_service(prilink_pri(span->link),
					span->prm.spanno, ts, block ? 2 : 0);
		prilink_sched(span->link);
	}
	return 0;
}

unsigned tdm_span_busy(const struct tdm_span *span)
{
	unsigned n = 0;

	for (int ts = 1; ts < TDM_MAXTS; ts++)
		n += span->chans[ts] != NULL;
	return n;
}

unsigned tdm_span_free(const struct tdm_span *span)
{
	unsigned n = 0;

	for (int ts = 1; ts < TDM_MAXTS; ts++)
		n += chan_free(span, ts);
	return n;
}

/* Channel hunting for an outgoing call, skipping the timeslots in avoid
 * (bit n: timeslot n); 0 when every channel is taken */
int tdm_span_hunt(struct tdm_span *span, uint32_t avoid)
{
	int first = 1, step = 1;

	if (span->prm.hunt == TDM_HUNT_DESC) {
		first = TDM_MAXTS - 1;
		step = -1;
	}
	else if (span->prm.hunt == TDM_HUNT_RR) {
		first = span->rr % (TDM_MAXTS - 1) + 1;
	}
	for (int i = 0, ts = first; i < TDM_MAXTS - 1; i++) {
		if (chan_free(span, ts) && !(avoid & (1u << ts))) {
			span->rr = ts;
			return ts;
		}
		ts += step;
		if (ts >= TDM_MAXTS)
			ts = 1;
		if (ts < 1)
			ts = TDM_MAXTS - 1;
	}
	return 0;
}

int tdm_span_claim(struct tdm_span *span, int ts, struct tdm_leg *leg)
{
	if (!chan_usable(span, ts))
		return EINVAL;
	if (span->chans[ts] && span->chans[ts] != leg)
		return EBUSY;
	if (span->restarting & (1u << ts))
		return EBUSY;   /* Q.931 §5.5.1: not for calls until ACKed */
	span->chans[ts] = leg;
	return 0;
}

void tdm_span_unclaim(struct tdm_span *span, int ts, struct tdm_leg *leg)
{
	if (ts >= 1 && ts < TDM_MAXTS && span->chans[ts] == leg)
		span->chans[ts] = NULL;
}

struct tdm_leg *tdm_span_leg_of(const struct tdm_span *span,
				 const q931_call *c)
{
	struct le *le;

	for (le = list_head(&span->legs); le; le = le->next) {
		struct tdm_leg *leg = le->data;

		if (c && leg->c == c)
			return leg;
	}
	return NULL;
}

/* Clear every call, e.g. with 38 on failure or 16 on shutdown */
void tdm_span_clear(struct tdm_span *span, int cause)
{
	struct le *le = list_head(&span->legs);

	while (le) {
		struct tdm_leg *leg = le->data;

		le = le->next;
		tdm_leg_lost(leg, cause);
	}
}

static void span_state(struct tdm_span *span)
{
	bool up = tdm_span_up(span);

	if (up == span->was_up)
		return;
	span->was_up = up;
	if (!up)
		tdm_span_clear(span, 38);   /* Q.850: network out of order */
	tdm_restart_link(span, up);
	if (span->spanh)
		span->spanh(span, up, span->arg);
}

static void event_handler(const pri_event *e, void *arg)
{
	struct tdm_span *span = arg;

	switch (e->e) {
	case PRI_EVENT_DCHAN_UP:
		span->dchan_up = true;
		tdm_span_log(span, LOG_LVL_INFO, "D-channel up%s",
			     span->alarm ? " (alarm still on)" : "");
		span_state(span);
		break;
	case PRI_EVENT_DCHAN_DOWN:
		span->dchan_up = false;
		/* Q.921 §5.6: the data link is released */
		tdm_span_log(span, LOG_LVL_WARN, "D-channel down");
		span_state(span);
		break;
	case PRI_EVENT_RESTART:
		tdm_restart_received(span, e->restart.channel);
		break;
	case PRI_EVENT_RESTART_ACK:
		tdm_restart_acked(span, e->restartack.channel);
		break;
	case PRI_EVENT_RING:
		tdm_leg_incoming(span, &e->ring);
		break;
	default:
		tdm_leg_event(span, e);
		break;
	}
}

/* The far end re-established the link it had up (Q.921 MDL-ERROR F) */
static void reset_handler(void *arg)
{
	struct tdm_span *span = arg;

	tdm_span_log(span, LOG_LVL_INFO, "D-channel re-established by the "
		     "far end");
	tdm_restart_relink(span);
}

static void span_gone(struct tdm_span *span);

static void dahdi_handler(int event, void *arg)
{
	struct tdm_span *span = arg;

	if (event == DAHDI_EVENT_REMOVED) {
		span_gone(span);
	}
	else if (event == DAHDI_EVENT_ALARM) {
		span->alarm = true;
		tdm_span_log(span, LOG_LVL_WARN, "alarm");
	}
	else if (event == DAHDI_EVENT_NOALARM) {
		span->alarm = false;
		tdm_span_log(span, LOG_LVL_INFO, "alarm cleared");
	}
	else {
		tdm_span_log(span, LOG_LVL_DEBUG, "DAHDI event %s",
			     dahdi_event_name(event));
	}
	span_state(span);
}

static void set_timers(struct pri *pri, const struct tdm_span_prm *prm)
{
	if (prm->t303)
		pri_set_timer(pri, PRI_TIMER_T303, prm->t303);
	if (prm->t310)
		pri_set_timer(pri, PRI_TIMER_T310, prm->t310);
	if (prm->t301)
		pri_set_timer(pri, PRI_TIMER_T301, prm->t301);
}

/* libpri's PRI_DEBUG_* mask for the span's pri_debug setting.  The
 * decodes are logged at debug level only: below it libpri is not asked
 * for them at all, since decoding every frame costs */
static int debug_mask(enum tdm_pri_debug d)
{
	static const int masks[] = {
		[TDM_PRI_DEBUG_NONE] = 0,
		[TDM_PRI_DEBUG_Q931] = PRI_DEBUG_Q931_DUMP |
			PRI_DEBUG_Q931_STATE | PRI_DEBUG_Q931_ANOMALY,
		[TDM_PRI_DEBUG_Q921] = PRI_DEBUG_Q921_DUMP |
			PRI_DEBUG_Q921_STATE,
		[TDM_PRI_DEBUG_ALL]  = PRI_DEBUG_ALL,
	};

	if (!log_enabled(LOG_LVL_DEBUG) || (unsigned)d >= ARRAY_SIZE(masks))
		return 0;
	return masks[d];
}

/* The configured B-channels as timeslots of this span */
static void bchans_set(struct tdm_span *span)
{
	const struct dahdi_chaninfo *info = prilink_info(span->link);
	int nts = info->t1 ? 24 : 31;

	for (unsigned i = 0; i < span->prm.nbchan; i++) {
		int ts = span->prm.bchan[i] - info->basechan;

		if (ts >= 1 && ts <= nts)
			span->bchans |= 1u << ts;
	}
	if (span->prm.nbchan)
		return;
	for (int ts = 1; ts <= nts; ts++)
		if (info->basechan + ts != info->channo)
			span->bchans |= 1u << ts;
}

/* The libpri link on the span's D-channel, with the span's settings */
static int link_open(struct tdm_span *span, struct prilink **lp)
{
	const struct tdm_span_prm *prm = &span->prm;
	struct prilink_prm p = {
		.dchan = span->dchan,
		.node = prm->node,
		.switchtype = prm->switchtype,
		.overlap = prm->overlap,
		.inband_disc = true,   /* Q.931 §5.3.4.1: announcements */
		.debug = debug_mask(prm->pri_debug),
	};
	int err = prilink_alloc(lp, &p, event_handler, dahdi_handler, span);

	if (err)
		return err;
	set_timers(prilink_pri(*lp), prm);
	prilink_set_reset_handler(*lp, reset_handler);
	prilink_set_frame_handler(*lp, span->fh ? frame_handler : NULL);
	return 0;
}

enum { REOPEN_MS = 1000 };

/*
 * The D-channel's device came back (e.g. DAHDI registered the span
 * again, or vdahdi was mounted and configured again): a new link, whose
 * fresh Q.921 establishes the data link anew and reports DCHAN_UP.  The
 * old link's libpri stays allocated (libpri 1.6 has no pri_destroy()),
 * once per loss of the device.  Until then: again in a second.
 */
static void span_reopen(void *arg)
{
	struct tdm_span *span = arg;
	struct prilink *l;

	if (link_open(span, &l)) {
		timer_start(&span->reopen_tmr, REOPEN_MS, span_reopen, span);
		return;
	}
	mem_deref(span->link);
	span->link = l;
	span->gone = false;
	span->alarm = prilink_info(l)->alarms != 0;
	tdm_span_log(span, LOG_LVL_INFO, "D-channel %d open again%s",
		     span->dchan, span->alarm ? " (alarm on)" : "");
}

/* The D-channel is gone: no call can live on, none can be made */
static void span_gone(struct tdm_span *span)
{
	int err = prilink_lost(span->link);

	tdm_span_log(span, LOG_LVL_WARN, "D-channel %d gone (%s): out of "
		     "service until it opens again", span->dchan,
		     err ? strerror(err) : "span removed");
	span->gone = true;
	span->dchan_up = false;   /* the next link must come up itself */
	timer_start(&span->reopen_tmr, REOPEN_MS, span_reopen, span);
}

int tdm_span_alloc(struct tdm_span **sp, const struct tdm_span_prm *prm,
		   tdm_setup_h *seth, tdm_span_h *spanh, void *arg)
{
	struct tdm_span *span;
	int err;

	if (!sp || !prm)
		return EINVAL;
	span = mem_zalloc(sizeof(*span), span_destructor);
	if (!span)
		return ENOMEM;
	span->prm = *prm;
	span->seth = seth;
	span->spanh = spanh;
	span->arg = arg;
	timer_init(&span->restart_tmr);
	timer_init(&span->reopen_tmr);

	span->dchan = prm->dchan;
	if (!span->dchan) {
		err = dahdi_dchan_find(&span->dchan, prm->spanno);
		if (err)
			goto out;
	}
	tdm_log_libpri();
	err = link_open(span, &span->link);
	if (err)
		goto out;
	span->alarm = prilink_info(span->link)->alarms != 0;
	bchans_set(span);
 out:
	if (err)
		mem_deref(span);
	else
		*sp = span;
	return err;
}
