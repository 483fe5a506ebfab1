/*
 * The call's B-channel: every received 20 ms block feeds the DTMF receiver
 * and, while an expectation asks, the tone meter; then one block from the
 * play queue (tones, DTMF, silence) goes back.  Nothing is logged here:
 * the script reads the results.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "pbxsim.h"

enum play_kind { PLAY_TONE, PLAY_DTMF, PLAY_SILENCE };

/* blocks written ahead when the first block arrives: 60 ms of slack */
enum { PBXSIM_PRIME = 3 };

struct play {
	struct le le;
	enum play_kind kind;
	bool started;
	int freq, level, on_ms, off_ms;
	unsigned samples;          /* tone and silence length */
	char digits[64];
};

struct audio {
	struct pbxsim *p;
	struct bchan *b;
	struct list playq;
	struct play *cur;
	unsigned left;             /* samples left of a tone or silence */
	tone_gen_descriptor_t tdesc;
	tone_gen_state_t tgen;
	dtmf_tx_state_t dtx;
	dtmf_rx_state_t drx;
	struct tone_meter meter;
	struct cadence_meter cadence;
	bool measuring;
	bool cadencing;
	bool primed;
	bool echo;                 /* send back what comes in */
	struct hybrid hyb;         /* a 2-to-4-wire hybrid's echo */
	char digits[128];
	size_t ndigits;
};

static void destructor(void *data)
{
	struct audio *a = data;

	a->b = mem_deref(a->b);
	mem_deref(a->cur);
	list_flush(&a->playq);
}

static void digits_h(void *arg, const char *digits, int len)
{
	struct audio *a = arg;

	for (int i = 0; i < len; i++) {
		if (a->ndigits + 1 < sizeof(a->digits))
			a->digits[a->ndigits++] = digits[i];
	}
	a->digits[a->ndigits] = '\0';
	run_kick(a->p);
}

static void play_begin(struct audio *a, struct play *pl)
{
	switch (pl->kind) {
	case PLAY_TONE:
		tone_gen_descriptor_init(&a->tdesc, pl->freq, pl->level, 0, 0,
					 (int)(pl->samples / 8) + 20, 0, 0, 0, 0);
		tone_gen_init(&a->tgen, &a->tdesc);
		a->left = pl->samples;
		break;
	case PLAY_DTMF:
		dtmf_tx_init(&a->dtx);
		dtmf_tx_set_level(&a->dtx, pl->level, 0);
		dtmf_tx_set_timing(&a->dtx, pl->on_ms, pl->off_ms);
		dtmf_tx_put(&a->dtx, pl->digits, -1);
		break;
	case PLAY_SILENCE:
		a->left = pl->samples;
		break;
	}
	pl->started = true;
}

/* Up to n samples of the current item; 0 when it is over */
static int play_gen(struct audio *a, struct play *pl, int16_t *s, int n)
{
	int got;

	switch (pl->kind) {
	case PLAY_TONE:
		if (n > (int)a->left)
			n = (int)a->left;
		got = n ? tone_gen(&a->tgen, s, n) : 0;
		a->left -= got;
		return got;
	case PLAY_DTMF:
		return dtmf_tx(&a->dtx, s, n);
	case PLAY_SILENCE:
		if (n > (int)a->left)
			n = (int)a->left;
		memset(s, 0, n * sizeof(*s));
		a->left -= n;
		return n;
	}
	return 0;
}

static bool play_over(const struct audio *a, const struct play *pl)
{
	return pl->kind != PLAY_DTMF && !a->left;
}

static void play_fill(struct audio *a, int16_t *s, int n)
{
	int done = 0;

	while (done < n) {
		int got, want = n - done;

		if (!a->cur) {
			struct le *le = list_head(&a->playq);

			if (!le)
				break;
			a->cur = le->data;
			list_unlink(le);
			play_begin(a, a->cur);
		}
		got = play_gen(a, a->cur, s + done, want);
		if (got > 0)
			done += got;
		/* an item is over as soon as its last sample is out, so the
		 * next one (queued after `drain`) follows with no gap */
		if (got < want || play_over(a, a->cur))
			a->cur = mem_deref(a->cur);
	}
	if (done < n)
		memset(s + done, 0, (n - done) * sizeof(*s));
}

static void recv_h(const void *buf, size_t n, void *arg)
{
	struct audio *a = arg;
	const int16_t *s = buf;
	int16_t out[BCHAN_BLOCK];
	bool was_playing = audio_playing(a);

	dtmf_rx(&a->drx, s, (int)n);
	hybrid_in(&a->hyb, s, n);
	if (a->measuring) {
		tone_meter_feed(&a->meter, s, n);
		if (a->meter.done) {
			a->measuring = false;
			run_kick(a->p);
		}
	}
	if (a->cadencing) {
		cadence_feed(&a->cadence, s, n);
		if (a->cadence.done) {
			a->cadencing = false;
			run_kick(a->p);
		}
	}
	/* one block out per block in; PBXSIM_PRIME more at first, as slack
	 * for a late wake-up (tdm/pri/bchan.c) */
	for (int i = a->primed ? 0 : PBXSIM_PRIME; i >= 0; i--) {
		bool loop = a->echo && i == 0 && !audio_playing(a) &&
			n <= BCHAN_BLOCK;

		if (loop) {
			bchan_write(a->b, s, n);
			continue;
		}
		play_fill(a, out, BCHAN_BLOCK);
		if (i == 0)   /* the answer to this block, not the slack */
			hybrid_mix(&a->hyb, out, n);
		bchan_write(a->b, out, BCHAN_BLOCK);
	}
	a->primed = true;
	if (was_playing && !audio_playing(a))
		run_kick(a->p);
}

int audio_alloc(struct audio **ap, struct pbxsim *p, int channo)
{
	struct audio *a;
	int err;

	if (!ap || !p)
		return EINVAL;
	a = mem_zalloc(sizeof(*a), destructor);
	if (!a)
		return ENOMEM;
	a->p = p;
	list_init(&a->playq);
	dtmf_rx_init(&a->drx, digits_h, a);
	err = bchan_alloc(&a->b, channo, true, recv_h, a);
	if (err)
		mem_deref(a);
	else
		*ap = a;
	return err;
}

static int play_add(struct audio *a, struct play *pl)
{
	if (!a) {
		mem_deref(pl);
		return ENOENT;
	}
	list_append(&a->playq, &pl->le, pl);
	return 0;
}

int audio_play_tone(struct audio *a, double freq, double level,
		    double dur_s)
{
	struct play *pl = mem_zalloc(sizeof(*pl), NULL);

	if (!pl)
		return ENOMEM;
	pl->kind = PLAY_TONE;
	pl->freq = (int)lround(freq);
	pl->level = (int)lround(level);
	pl->samples = (unsigned)(dur_s * TONE_RATE);
	return play_add(a, pl);
}

int audio_play_dtmf(struct audio *a, const char *digits, double level,
		    int on_ms, int off_ms)
{
	struct play *pl = mem_zalloc(sizeof(*pl), NULL);

	if (!pl)
		return ENOMEM;
	pl->kind = PLAY_DTMF;
	pl->level = (int)lround(level);
	pl->on_ms = on_ms;
	pl->off_ms = off_ms;
	str_ncpy(pl->digits, digits, sizeof(pl->digits));
	return play_add(a, pl);
}

int audio_play_silence(struct audio *a, double dur_s)
{
	struct play *pl = mem_zalloc(sizeof(*pl), NULL);

	if (!pl)
		return ENOMEM;
	pl->kind = PLAY_SILENCE;
	pl->samples = (unsigned)(dur_s * TONE_RATE);
	return play_add(a, pl);
}

/* Echo: each received block goes back out while nothing is queued */
void audio_set_echo(struct audio *a, bool echo)
{
	if (a)
		a->echo = echo;
}

/* The hybrid: what comes in goes back out, delayed and attenuated, mixed
 * with what is played (hybrid.c) */
int audio_set_hybrid(struct audio *a, double gain_db, double delay_ms)
{
	if (!a)
		return ENOENT;
	return hybrid_set(&a->hyb, gain_db, delay_ms);
}

bool audio_playing(const struct audio *a)
{
	return a && (a->cur || list_head(&a->playq));
}

/* Wait for a tone's onset (above -40 dBm0), then measure dur_s of it */
void audio_measure_start(struct audio *a, double dur_s)
{
	if (!a)
		return;
	tone_meter_init(&a->meter, dur_s, -40.0);
	a->measuring = true;
}

/* The tone being measured may have gaps: measure through them */
void audio_measure_gaps(struct audio *a)
{
	if (a)
		a->meter.gaps_ok = true;
}

/* The measurement starts at the onset of a tone of hz, not any tone */
void audio_measure_onset(struct audio *a, double hz)
{
	if (a)
		a->meter.onset_hz = hz;
}

/* Time the on/off cycles of a tone, from its next onset after silence */
void audio_cadence_start(struct audio *a, unsigned cycles)
{
	if (!a)
		return;
	cadence_init(&a->cadence, cycles, -30.0);
	a->cadencing = true;
}

const struct cadence_meter *audio_cadence(const struct audio *a)
{
	return a ? &a->cadence : NULL;
}

const struct tone_meter *audio_meter(const struct audio *a)
{
	return a ? &a->meter : NULL;
}

const char *audio_digits(const struct audio *a)
{
	return a ? a->digits : "";
}

void audio_digits_consume(struct audio *a, size_t n)
{
	if (!a)
		return;
	if (n > a->ndigits)
		n = a->ndigits;
	memmove(a->digits, a->digits + n, a->ndigits - n + 1);
	a->ndigits -= n;
}
