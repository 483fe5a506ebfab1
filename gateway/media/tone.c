/*
 * Call-progress tones (see tone.h).  The cadence of a tone comes from
 * libtonezone's table for the country; each step becomes a spandsp
 * super_tone_tx step: the steps played once ('!') in a row, then the
 * repeated ones nested under a step of endless cycles.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include <dahdi/tonezone.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>
#include "gateway/media/tone.h"

enum {
	TONE_LEVEL = -13,       /* dBm0 per frequency (E.180 §2: -10 +-5) */
	TONE_MAXBLOCK = 480,
};

struct tone_gen {
	char country[10];
	char law;
	enum tone_kind kind;            /* playing, or TONE_NONE */
	super_tone_tx_step_t *tree[TONE_NKINDS];
	super_tone_tx_state_t tx;
};

static const char *const kind_names[TONE_NKINDS] = {
	[TONE_NONE] = "none", [TONE_RINGBACK] = "ringback",
	[TONE_BUSY] = "busy", [TONE_CONGESTION] = "congestion",
	[TONE_INFO] = "special information", [TONE_TEST] = "test",
};

const char *tone_kind_name(enum tone_kind kind)
{
	return kind < TONE_NKINDS ? kind_names[kind] : "?";
}

/* libtonezone's tone numbers (dahdi/user.h DAHDI_TONE_*) */
static int zone_toneid(enum tone_kind kind)
{
	switch (kind) {
	case TONE_RINGBACK:   return DAHDI_TONE_RINGTONE;
	case TONE_BUSY:       return DAHDI_TONE_BUSY;
	case TONE_CONGESTION: return DAHDI_TONE_CONGESTION;
	case TONE_INFO:       return DAHDI_TONE_INFO;
	default:              return -1;
	}
}

/*
 * Q.850 causes that the PSTN announces in-band (E.180 and ETSI practice):
 * user busy gets the busy tone; a number that does not exist (1, 3, 22,
 * 28) the special information tone; the rest congestion.
 */
enum tone_kind tone_for_cause(int cause)
{
	switch (cause) {
	case 17:
		return TONE_BUSY;
	case 1: case 3: case 22: case 28:
		return TONE_INFO;
	default:
		return TONE_CONGESTION;
	}
}

static struct tone_zone *zone_find(const char *country)
{
	char cc[10];

	if (!country)
		return NULL;
	str_ncpy(cc, country, sizeof(cc));
	return tone_zone_find(cc);
}

bool tone_country_known(const char *country)
{
	return zone_find(country) != NULL;
}

const char *tone_zone_desc(const char *country, enum tone_kind kind)
{
	struct tone_zone *z = zone_find(country);
	int id = zone_toneid(kind);

	if (!z || id < 0)
		return NULL;
	for (int i = 0; i < DAHDI_TONE_MAX; i++) {
		if (z->tones[i].toneid == id && z->tones[i].data[0])
			return z->tones[i].data;
	}
	return NULL;
}

static int parse_uint(const char **sp, unsigned max, unsigned *vp)
{
	const char *s = *sp;
	unsigned v = 0;

	if (*s < '0' || *s > '9')
		return EBADMSG;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned)(*s++ - '0');
		if (v > max)
			return EBADMSG;
	}
	*sp = s;
	*vp = v;
	return 0;
}

/* One "[!]F1[+F2][/MS]" step; a modulated "F1*F2" is taken as F1+F2 */
static int parse_step(const char **sp, struct tone_step *st)
{
	const char *s = *sp;
	unsigned f1, f2 = 0, ms = 0;
	int err;

	memset(st, 0, sizeof(*st));
	if (*s == '!') {
		st->once = true;
		s++;
	}
	err = parse_uint(&s, 4000, &f1);
	if (!err && (*s == '+' || *s == '*')) {
		s++;
		err = parse_uint(&s, 4000, &f2);
	}
	if (!err && *s == '/') {
		s++;
		err = parse_uint(&s, 600000, &ms);
	}
	if (err || (*s && *s != ','))
		return EBADMSG;
	st->f1 = (uint16_t)f1;
	st->f2 = (uint16_t)f2;
	st->ms = ms;
	*sp = s;
	return 0;
}

int tone_parse(const char *desc, struct tone_step *steps, size_t max,
	       size_t *np)
{
	const char *s = desc;
	size_t n = 0;

	if (!desc || !steps || !np)
		return EINVAL;
	while (*s) {
		int err;

		if (n >= max)
			return EOVERFLOW;
		err = parse_step(&s, &steps[n++]);
		if (err)
			return err;
		if (*s == ',')
			s++;
	}
	*np = n;
	return n ? 0 : EBADMSG;
}

static super_tone_tx_step_t *make_step(const struct tone_step *st,
					int level)
{
	float f1 = st->f1, f2 = st->f2;

	if (!st->f1 && st->f2) {   /* "0+F" never happens; be safe */
		f1 = f2;
		f2 = 0;
	}
	return super_tone_tx_make_step(NULL, f1, level, f2, level,
				       (int)st->ms, 1);
}

/* Append the step to a list; a silence forever ("0") ends the tone */
static int list_add(super_tone_tx_step_t **head, super_tone_tx_step_t **tail,
		    const struct tone_step *st, int level)
{
	super_tone_tx_step_t *x;

	if (!st->f1 && !st->f2 && !st->ms)
		return 0;
	x = make_step(st, level);
	if (!x)
		return ENOMEM;
	if (*tail)
		(*tail)->next = x;
	else
		*head = x;
	*tail = x;
	return 0;
}

/* once-steps, then the repeated ones nested under an endless step */
static int tree_build(super_tone_tx_step_t **treep,
		      const struct tone_step *steps, size_t n, int level)
{
	super_tone_tx_step_t *once = NULL, *otail = NULL, *rep = NULL,
		*rtail = NULL, *loop;
	bool repeating = false;
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		repeating |= !steps[i].once;
		err = repeating ? list_add(&rep, &rtail, &steps[i], level) :
			list_add(&once, &otail, &steps[i], level);
	}
	if (!err && rep) {
		loop = super_tone_tx_make_step(NULL, 0, 0, 0, 0, 0, 0);
		if (!loop)
			err = ENOMEM;
		else {
			loop->nest = rep;
			rep = NULL;
			if (otail)
				otail->next = loop;
			else
				once = loop;
		}
	}
	if (rep)
		super_tone_tx_free_tone(rep);
	if (err || !once) {
		if (once)
			super_tone_tx_free_tone(once);
		return err ? err : ENOENT;
	}
	*treep = once;
	return 0;
}

static void destructor(void *data)
{
	struct tone_gen *tg = data;

	for (int k = 0; k < TONE_NKINDS; k++) {
		if (tg->tree[k])
			super_tone_tx_free_tone(tg->tree[k]);
	}
}

int tone_gen_alloc(struct tone_gen **tgp, const char *country, char law)
{
	struct tone_gen *tg;

	if (!tgp || (law != 'A' && law != 'U') || !tone_country_known(country))
		return EINVAL;
	tg = mem_zalloc(sizeof(*tg), destructor);
	if (!tg)
		return ENOMEM;
	str_ncpy(tg->country, country, sizeof(tg->country));
	tg->law = law;
	*tgp = tg;
	return 0;
}

/* Start (or restart) a tone; ENOENT when the zone has none such */
int tone_play(struct tone_gen *tg, enum tone_kind kind)
{
	struct tone_step steps[TONE_MAXSTEPS];
	const char *desc;
	size_t n;
	int err;

	if (!tg || kind <= TONE_NONE || kind >= TONE_NKINDS)
		return EINVAL;
	if (tg->kind == kind)
		return 0;
	if (!tg->tree[kind]) {
		/* the test tone is the same in every zone: 1004 Hz, not a
		 * submultiple of 8000, so it exercises every G.711 code */
		desc = kind == TONE_TEST ? "1004" :
			tone_zone_desc(tg->country, kind);
		if (!desc)
			return ENOENT;
		err = tone_parse(desc, steps, TONE_MAXSTEPS, &n);
		if (!err)
			err = tree_build(&tg->tree[kind], steps, n,
					 kind == TONE_TEST ? TONE_TEST_DBM0 :
					 TONE_LEVEL);
		if (err)
			return err;
	}
	super_tone_tx_init(&tg->tx, tg->tree[kind]);
	tg->kind = kind;
	return 0;
}

void tone_stop(struct tone_gen *tg)
{
	if (tg)
		tg->kind = TONE_NONE;
}

bool tone_active(const struct tone_gen *tg)
{
	return tg && tg->kind != TONE_NONE;
}

enum tone_kind tone_playing(const struct tone_gen *tg)
{
	return tg ? tg->kind : TONE_NONE;
}

bool tone_fill(struct tone_gen *tg, uint8_t *buf, size_t n)
{
	int16_t amp[TONE_MAXBLOCK];
	int got;

	if (!tone_active(tg) || !buf || n > TONE_MAXBLOCK)
		return false;
	got = super_tone_tx(&tg->tx, amp, (int)n);
	if (got < 0)
		got = 0;
	memset(amp + got, 0, (n - (size_t)got) * sizeof(amp[0]));
	for (size_t i = 0; i < n; i++)
		buf[i] = tg->law == 'U' ? linear_to_ulaw(amp[i]) :
			linear_to_alaw(amp[i]);
	return true;
}
