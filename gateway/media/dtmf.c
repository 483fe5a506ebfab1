/*
 * DTMF on the media path (see dtmf.h): detection with suppression
 * towards RTP, synthesised events, and generation towards the B-channel.
 * Tone frequencies and timing: ITU-T Q.23 and Q.24, through spandsp.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES   /* states embedded below */
#include <spandsp.h>
#include "gateway/media/dtmf.h"

enum {
	RING      = 1024,        /* delay line, > DTMF_MAXDELAY + a block */
	MAXBLOCK  = 480,
	HIST      = 8,           /* digits remembered for duplicates */
	SYNQ      = 32,          /* synthesised digits waiting */
};

struct hist {
	char digit;
	enum dtmf_src src;
	bool matched;
	uint64_t t;
};

struct synth {
	char q[SYNQ];
	unsigned head, n;
	char digit;              /* being sent as events; 0 none */
	uint32_t ts;
	unsigned dur, gap;       /* samples */
};

struct dtmf {
	char law;
	struct dtmf_prm prm;
	dtmf_event_h *eventh;
	void *arg;
	dtmf_rx_state_t rx;
	dtmf_tx_state_t tx;      /* to the B-channel */
	dtmf_tx_state_t txr;     /* in-band relay into the RTP audio */
	bool tx_busy, txr_busy;
	int16_t lin[256];        /* TDM law -> linear */

	/* detection and suppression */
	bool suppress;
	unsigned delay;          /* samples */
	uint8_t ring[RING];
	unsigned wpos;
	uint8_t out[MAXBLOCK];   /* delayed, tones muted */
	uint8_t pass[MAXBLOCK];  /* undelayed, with in-band relayed digits */
	char cur;                /* digit being received; 0 none */
	bool fresh;              /* its START is not out yet */
	bool ended;              /* a digit ended in this block */
	uint32_t block_ts, ev_ts;
	unsigned dur;
	unsigned mute_left;      /* samples still muted after an end */

	struct synth syn;
	struct hist hist[HIST];
	unsigned hpos;
	struct dtmf_stats st;
};

static const char digits16[] = "0123456789*#ABCD";

bool dtmf_valid(char digit)
{
	return digit && strchr(digits16, digit) != NULL;
}

static uint8_t encode(char law, int16_t s)
{
	return law == 'U' ? linear_to_ulaw(s) : linear_to_alaw(s);
}

static uint8_t idle(char law)
{
	return law == 'U' ? 0xff : 0xd5;
}

static void emit(struct dtmf *d, char digit, enum dtmf_phase ph, uint32_t ts,
		 unsigned dur)
{
	struct dtmf_event ev = {digit, ph, ts, dur};

	if (d->eventh)
		d->eventh(&ev, d->arg);
}

static void rx_end(struct dtmf *d, unsigned len)
{
	if (len > d->dur)
		d->dur = len;   /* sample-exact, the blocks are coarser */
	if (d->fresh)
		emit(d, d->cur, DTMF_START, d->ev_ts, d->dur);
	emit(d, d->cur, DTMF_END, d->ev_ts, d->dur);
	d->cur = 0;
	d->fresh = false;
	d->ended = true;
	/* the tail of the tone is still in the delay line: it leaves in
	 * the next `delay` samples (this block is muted as `ended`) */
	d->mute_left = d->delay;
}

/* spandsp's realtime report: code is the digit at its start, 0 at its
 * end, or the next digit with no gap; at the end, delay is the samples
 * since the start (the detector's latency is in both ends, so the length
 * comes out right) */
static void rx_report(void *arg, int code, int level, int delay)
{
	struct dtmf *d = arg;

	(void)level;
	if (d->cur)
		rx_end(d, delay > 0 ? (unsigned)delay : 0);
	if (!code)
		return;
	d->cur = (char)code;
	d->fresh = true;
	d->ev_ts = d->block_ts;
	d->dur = 0;
	d->st.detected++;
}

static void tx_setup(dtmf_tx_state_t *tx, const struct dtmf_prm *prm)
{
	dtmf_tx_init(tx);
	dtmf_tx_set_level(tx, prm->level, 0);
	dtmf_tx_set_timing(tx, (int)prm->on_ms, (int)prm->off_ms);
}

int dtmf_alloc(struct dtmf **dp, char law, const struct dtmf_prm *prm,
	       dtmf_event_h *eventh, void *arg)
{
	struct dtmf *d;

	if (!dp || !prm || (law != 'A' && law != 'U') ||
	    prm->delay_ms * 8 > DTMF_MAXDELAY)
		return EINVAL;
	d = mem_zalloc(sizeof(*d), NULL);
	if (!d)
		return ENOMEM;
	d->law = law;
	d->prm = *prm;
	d->eventh = eventh;
	d->arg = arg;
	d->delay = prm->delay_ms * 8;
	for (int i = 0; i < 256; i++)
		d->lin[i] = law == 'U' ? ulaw_to_linear((uint8_t)i) :
			alaw_to_linear((uint8_t)i);
	memset(d->ring, idle(law), sizeof(d->ring));
	dtmf_rx_init(&d->rx, NULL, NULL);
	dtmf_rx_parms(&d->rx, false, prm->twist, prm->reverse_twist,
		      prm->threshold);
	dtmf_rx_set_realtime_callback(&d->rx, rx_report, d);
	tx_setup(&d->tx, prm);
	tx_setup(&d->txr, prm);
	*dp = d;
	return 0;
}

void dtmf_set_suppress(struct dtmf *d, bool on)
{
	if (d)
		d->suppress = on;
}

/* through the delay line: the block that entered `delay` samples ago */
static void delay_line(struct dtmf *d, const uint8_t *p, size_t n)
{
	unsigned rd = (d->wpos - d->delay) & (RING - 1);

	for (size_t i = 0; i < n; i++)
		d->ring[(d->wpos + i) & (RING - 1)] = p[i];
	for (size_t i = 0; i < n; i++)
		d->out[i] = d->ring[(rd + i) & (RING - 1)];
	d->wpos = (d->wpos + (unsigned)n) & (RING - 1);
}

/* A digit from the PRI, sent as events: START, UPDATEs, END after on_ms,
 * then off_ms of gap before the next */
static void synth_block(struct dtmf *d, size_t n, uint32_t ts)
{
	struct synth *s = &d->syn;

	if (!s->digit) {
		if (s->gap) {
			s->gap = s->gap > n ? s->gap - (unsigned)n : 0;
			return;
		}
		if (!s->n || d->cur)
			return;
		s->digit = s->q[s->head];
		s->head = (s->head + 1) % SYNQ;
		s->n--;
		s->ts = ts;
		s->dur = (unsigned)n;
		emit(d, s->digit, DTMF_START, s->ts, s->dur);
		return;
	}
	s->dur += (unsigned)n;
	if (s->dur < d->prm.on_ms * 8) {
		emit(d, s->digit, DTMF_UPDATE, s->ts, s->dur);
		return;
	}
	emit(d, s->digit, DTMF_END, s->ts, s->dur);
	s->digit = 0;
	s->gap = d->prm.off_ms * 8;
}

static void tone_into(struct dtmf *d, dtmf_tx_state_t *tx, bool *busy,
		      uint8_t *p, size_t n)
{
	int16_t amp[MAXBLOCK];
	int k;

	if (!*busy)
		return;
	k = dtmf_tx(tx, amp, (int)n);
	for (int i = 0; i < k; i++)
		p[i] = encode(d->law, amp[i]);
	if ((size_t)k < n)
		*busy = false;
}

const uint8_t *dtmf_tdm_in(struct dtmf *d, const uint8_t *p, size_t n,
			   uint32_t ts)
{
	int16_t amp[MAXBLOCK];
	uint8_t *o;
	bool mute;

	if (n > MAXBLOCK)
		n = MAXBLOCK;
	for (size_t i = 0; i < n; i++)
		amp[i] = d->lin[p[i]];
	d->block_ts = ts;
	d->ended = false;
	dtmf_rx(&d->rx, amp, (int)n);
	if (d->cur) {
		d->dur += (unsigned)n;
		emit(d, d->cur, d->fresh ? DTMF_START : DTMF_UPDATE, d->ev_ts,
		     d->dur);
		d->fresh = false;
	}
	synth_block(d, n, ts);

	delay_line(d, p, n);
	mute = d->cur || d->ended || d->mute_left;
	if (!d->cur && !d->ended)
		d->mute_left = d->mute_left > n ? d->mute_left - (unsigned)n : 0;
	if (d->suppress) {
		o = d->out;
		if (mute) {
			memset(o, idle(d->law), n);
			d->st.suppressed++;
		}
	}
	else {
		if (!d->txr_busy)
			return p;
		memcpy(d->pass, p, n);
		o = d->pass;
	}
	tone_into(d, &d->txr, &d->txr_busy, o, n);
	return o;
}

void dtmf_tdm_out(struct dtmf *d, uint8_t *p, size_t n)
{
	if (n > MAXBLOCK)
		n = MAXBLOCK;
	tone_into(d, &d->tx, &d->tx_busy, p, n);
}

/* The same digit by the other method, not yet paired, not long ago */
static bool duplicate(struct dtmf *d, char digit, enum dtmf_src src,
		      uint64_t now)
{
	for (unsigned i = 0; i < HIST; i++) {
		struct hist *h = &d->hist[i];

		if (!h->digit || h->matched || h->digit != digit ||
		    h->src == src || now - h->t > DTMF_DEDUP_MS)
			continue;
		h->matched = true;
		return true;
	}
	return false;
}

int dtmf_play(struct dtmf *d, char digit, enum dtmf_src src, uint64_t now)
{
	char s[2] = {digit, '\0'};
	struct hist *h;

	if (!d || !dtmf_valid(digit))
		return EINVAL;
	if (duplicate(d, digit, src, now)) {
		d->st.duplicates++;
		return EALREADY;
	}
	h = &d->hist[d->hpos];
	d->hpos = (d->hpos + 1) % HIST;
	h->digit = digit;
	h->src = src;
	h->matched = false;
	h->t = now;
	if (dtmf_tx_put(&d->tx, s, 1))
		return ENOSPC;
	d->tx_busy = true;
	d->st.played++;
	return 0;
}

int dtmf_send(struct dtmf *d, char digit, bool inband)
{
	char s[2] = {digit, '\0'};
	struct synth *sy;

	if (!d || !dtmf_valid(digit))
		return EINVAL;
	d->st.synthesised++;
	if (inband) {
		if (dtmf_tx_put(&d->txr, s, 1))
			return ENOSPC;
		d->txr_busy = true;
		return 0;
	}
	sy = &d->syn;
	if (sy->n >= SYNQ)
		return ENOSPC;
	sy->q[(sy->head + sy->n) % SYNQ] = digit;
	sy->n++;
	return 0;
}

const struct dtmf_stats *dtmf_stats(const struct dtmf *d)
{
	return &d->st;
}
