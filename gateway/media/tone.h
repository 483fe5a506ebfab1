/*
 * Call-progress tones on a B-channel: ringback, busy, congestion and the
 * special information tone of a country, with the cadences of DAHDI's
 * libtonezone tables (tone_zone_find: no kernel involved), played through
 * spandsp's super_tone_tx.  ITU-T E.180 describes the tones.
 *
 * A zone describes a tone as "[!]F1[+F2][/MS],..." (tonezone.h): steps
 * of one or two frequencies (0 for silence) lasting MS (none: forever);
 * steps marked '!' play once, the rest repeat.  tone_parse() reads that.
 *
 * The generator is clocked by the B-channel: tone_fill() gives one block
 * in the line's law.  Nothing on that path allocates or logs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_TONE_H
#define SIPRI_TONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tone_kind {
	TONE_NONE = 0,
	TONE_RINGBACK,
	TONE_BUSY,
	TONE_CONGESTION,
	TONE_INFO,          /* special information tone (E.180 §7) */
	TONE_TEST,          /* 1004 Hz at TONE_TEST_DBM0, steady (originate) */
	TONE_NKINDS
};

enum { TONE_MAXSTEPS = 32 };
enum { TONE_TEST_DBM0 = -10 };   /* TONE_TEST's level */

struct tone_step {
	uint16_t f1, f2;    /* Hz; 0 = none */
	uint32_t ms;        /* 0 = forever */
	bool once;          /* '!': not part of the repeated cadence */
};

struct tone_gen;

/* country: a libtonezone code ("de", "us"...); law: 'A' or 'U' */
int  tone_gen_alloc(struct tone_gen **tgp, const char *country, char law);
int  tone_play(struct tone_gen *tg, enum tone_kind kind);
void tone_stop(struct tone_gen *tg);
bool tone_active(const struct tone_gen *tg);
enum tone_kind tone_playing(const struct tone_gen *tg);
/* n samples of the tone in the law; false (and nothing) when idle */
bool tone_fill(struct tone_gen *tg, uint8_t *buf, size_t n);

/* The in-band tone for a clearing cause (Q.850) */
enum tone_kind tone_for_cause(int cause);
const char *tone_kind_name(enum tone_kind kind);
bool tone_country_known(const char *country);
/* The zone's description of a tone, NULL when it has none */
const char *tone_zone_desc(const char *country, enum tone_kind kind);
int  tone_parse(const char *desc, struct tone_step *steps, size_t max,
		size_t *np);

#endif
