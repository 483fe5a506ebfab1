/*
 * RESTART (Q.931 §5.5) on a gateway span, in both directions.
 *
 * Received: the calls on the channel (or the interface) are cleared with
 * cause 41; libpri sends RESTART ACKNOWLEDGE itself.
 *
 * Sent: the channels to restart are taken out of hunting at once (the
 * span's restarting mask) and restarted one at a time, as chan_dahdi does
 * (libpri keeps one RESTART transaction on the global call reference).
 * A channel goes back into hunting with its RESTART ACKNOWLEDGE; without
 * one, T316 sends the RESTART once more (§5.5.1), and after a second T316
 * the channel is taken back into service: a far end that never answers
 * RESTART must not shrink the span for good.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include <dahdi/user.h>
#include "tdm/pri/tdmpri.h"
#include "tdm/tdm_int.h"

enum {
	T316_MS       = 120000,  /* Q.931 Table 9-1: T316, 2 minutes */
	RESTART_SENDS = 2,       /* the RESTART and one retransmission */
};

static void restart_next(struct tdm_span *span);
static void restart_t316(void *arg);

static void restart_xmit(struct tdm_span *span)
{
	pri_reset(prilink_pri(span->link), span->restart_ts);
	prilink_sched(span->link);
	timer_start(&span->restart_tmr, T316_MS, restart_t316, span);
}

static void restart_send(struct tdm_span *span)
{
	span->restart_tries++;
	/* routine maintenance is detail; a RESTART unanswered is not */
	tdm_span_log(span, span->restart_tries > 1 ? LOG_LVL_WARN :
		     LOG_LVL_DEBUG, "RESTART sent for channel %d%s",
		     span->restart_ts, span->restart_tries > 1 ?
		     " again (T316 expired)" : "");
	restart_xmit(span);
}

static void restart_done(struct tdm_span *span)
{
	timer_cancel(&span->restart_tmr);
	span->restarting &= ~(1u << span->restart_ts);
	span->restart_ts = 0;
	span->restart_tries = 0;
	restart_next(span);
}

static void restart_t316(void *arg)
{
	struct tdm_span *span = arg;

	if (span->restart_tries < RESTART_SENDS) {
		restart_send(span);
		return;
	}
	tdm_span_log(span, LOG_LVL_WARN, "no RESTART ACKNOWLEDGE for channel "
		     "%d after T316 twice: back in service", span->restart_ts);
	restart_done(span);   /* back into service unacknowledged */
}

/* A whole-span batch begins: log it once, however often it is renewed */
static void batch_begin(struct tdm_span *span, const char *why)
{
	unsigned n = 0;

	if (span->restart_batch)
		return;
	for (int ts = 1; ts < TDM_MAXTS; ts++)
		n += !!(span->bchans & (1u << ts));
	span->restart_batch = true;
	span->restart_since = tmr_jiffies();
	tdm_span_log(span, LOG_LVL_INFO, "restarting %u B-channels (%s, "
		     "Q.931 §5.5)", n, why);
}

/* Nothing left to restart: a batch in progress has ended */
static void batch_end(struct tdm_span *span)
{
	if (!span->restart_batch)
		return;
	tdm_span_log(span, LOG_LVL_INFO, "all channels restarted, in "
		     "service after %llu ms", (unsigned long long)
		     (tmr_jiffies() - span->restart_since));
	span->restart_batch = false;
}

/* Send the next queued RESTART, when none is awaiting its ACK */
static void restart_next(struct tdm_span *span)
{
	if (span->restart_ts || !tdm_span_up(span))
		return;
	if (!span->restarting) {
		batch_end(span);
		return;
	}
	for (int ts = 1; ts < TDM_MAXTS; ts++) {
		if (span->restarting & (1u << ts)) {
			span->restart_ts = ts;
			restart_send(span);
			return;
		}
	}
}

/* Clear the calls on timeslot ts, or (ts < 0) on every timeslot */
static void calls_clear(struct tdm_span *span, int ts, int cause)
{
	for (int t = 1; t < TDM_MAXTS; t++) {
		struct tdm_leg *leg = span->chans[t];

		if (leg && (ts < 0 || ts == t))
			tdm_leg_lost(leg, cause);
	}
}

/* RESTART received for one channel or (channel < 0) the interface */
void tdm_restart_received(struct tdm_span *span, int channel)
{
	int ts = channel & 0xff;
	bool all = channel < 0 || ts == 0xff;

	if (all)
		tdm_span_log(span, LOG_LVL_INFO, "RESTART received for the "
			     "interface");
	else
		tdm_span_log(span, LOG_LVL_INFO, "RESTART received for "
			     "channel %d", ts);
	calls_clear(span, all ? -1 : ts, 41);
}

void tdm_restart_acked(struct tdm_span *span, int channel)
{
	int ts = channel & 0xff;

	if (span->restart_ts && (channel < 0 || ts == span->restart_ts)) {
		tdm_span_log(span, LOG_LVL_DEBUG, "RESTART ACKNOWLEDGE "
			     "received for channel %d", span->restart_ts);
		restart_done(span);
		return;
	}
	tdm_span_log(span, LOG_LVL_WARN, "RESTART ACKNOWLEDGE (channel %d) "
		     "that no RESTART of ours awaits", channel < 0 ? -1 : ts);
}

/*
 * The far end re-established the data link (Q.931 §5.8.8, data link
 * reset): a RESTART in flight may have been lost with the I frames libpri
 * discarded, and T316 would leave its channel out of service for minutes.
 * Send it again now.  This happens when both ends start at once
 * (doc/ARCHITECTURE, facts: libpri's start-up race); if the first one did
 * arrive, the far end acknowledges twice, which is harmless.
 */
void tdm_restart_relink(struct tdm_span *span)
{
	if (!span->restart_ts || !tdm_span_up(span))
		return;
	tdm_span_log(span, LOG_LVL_INFO, "RESTART sent for channel %d again "
		     "(the data link was re-established)", span->restart_ts);
	restart_xmit(span);
}

/* The span came up or went down: RESTART everything on the way up when
 * configured; a RESTART in flight is sent again once the span is back */
void tdm_restart_link(struct tdm_span *span, bool up)
{
	if (!up) {
		timer_cancel(&span->restart_tmr);
		span->restart_ts = 0;
		span->restart_tries = 0;
		return;
	}
	if (span->prm.restart_on_up) {
		batch_begin(span, "D-channel up");
		span->restarting |= span->bchans;
	}
	restart_next(span);
}

/*
 * RESTART timeslot chan, or (chan <= 0) every B-channel of the span:
 * its calls are cleared with cause 41 (temporary failure) and the
 * channels stay out of hunting until acknowledged.
 */
int tdm_span_restart(struct tdm_span *span, int chan)
{
	if (!span || chan >= TDM_MAXTS)
		return EINVAL;
	if (chan > 0 && !(span->bchans & (1u << chan)))
		return EINVAL;
	calls_clear(span, chan > 0 ? chan : -1, 41);
	if (chan <= 0)
		batch_begin(span, "asked for");
	span->restarting |= chan > 0 ? 1u << chan : span->bchans;
	restart_next(span);
	return 0;
}
