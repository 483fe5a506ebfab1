/*
 * Tone zones and DAHDI_SENDTONE.
 *
 * dahdi_cfg's LOADZONE carries the zone's tones in its variable-length
 * tail, which FUSE does not pass (DESIGN.md), but its header names the
 * zone by libtonezone's number, and libtonezone holds the same table:
 * the tones are rebuilt from there.  A channel takes the default zone
 * when it opens (DAHDI_SETTONEZONE changes it); SENDTONE without a zone
 * gives ENODATA, as with the driver, and libtonezone then loads one.
 *
 * As dahdi-base plays them (start_tone, __dahdi_getbuf_chunk): a tone goes
 * out to the line whenever the channel has nothing written to send, a
 * write stops it, and tone -1 stops it too.  Each tone is the zone's
 * string, "[!]f1[+f2|*f2][/ms]" parts separated by commas: a part
 * without a duration plays for ever; after the last part the tone starts
 * again at the first part without "!", or ends if every part has one.
 * Each frequency at -10 dBm0 (libtonezone's level), DTMF digits
 * (DAHDI_TONE_DTMF_BASE..) at the zone's DTMF levels, for ever.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dahdi/tonezone.h>
#include "vdahdi.h"

enum { TONE_PARTS = 32, TONE_LEVEL = -10 };

struct part {
	float f1, f2;
	unsigned samples;        /* 0: for ever */
	bool modulate;           /* f1 modulated by f2 ("*") */
};

struct vd_tone {
	struct part part[TONE_PARTS];
	int nparts;
	int loop;                /* part to go on with after the last; -1 */
	float amp1, amp2;        /* peak amplitudes */
	int cur;                 /* the part playing */
	unsigned left;           /* its samples left */
	double ph1, ph2;         /* radians */
};

/* dBm0 to the peak of a sine, as libtonezone computes its gains */
static float level_amp(int dbm0)
{
	return powf(10.0f, (dbm0 - 3.14f) / 20.0f) * 32768.0f;
}

static int part_parse(struct part *p, const char *s, bool *solo)
{
	int f1, f2 = 0, ms = 0;
	char c;

	*solo = false;
	if (sscanf(s, "%d%c%d/%d", &f1, &c, &f2, &ms) == 4 &&
	    (c == '+' || c == '*')) {
		p->modulate = c == '*';
	}
	else if (sscanf(s, "%d%c%d", &f1, &c, &f2) == 3 &&
		 (c == '+' || c == '*')) {
		p->modulate = c == '*';
	}
	else if (sscanf(s, "%d/%d", &f1, &ms) == 2) {
		f2 = 0;
	}
	else if (sscanf(s, "%d", &f1) == 1) {
		*solo = true;    /* a bare frequency also marks the loop */
	}
	else {
		return EINVAL;
	}
	if (f1 < 0 || f2 < 0 || ms < 0)
		return EINVAL;
	p->f1 = f1;
	p->f2 = f2;
	p->samples = (unsigned)ms * (VD_RATE / 1000);
	return 0;
}

static int tone_parse(struct vd_tone *t, const char *data)
{
	char buf[256], *save = NULL;
	int first_loop = -1;

	snprintf(buf, sizeof(buf), "%s", data);
	for (char *s = strtok_r(buf, ",", &save); s;
	     s = strtok_r(NULL, ",", &save)) {
		struct part *p = &t->part[t->nparts];
		bool solo;

		if (t->nparts == TONE_PARTS)
			return EINVAL;
		if (*s == '!')
			s++;
		else if (first_loop < 0)
			first_loop = t->nparts;
		if (part_parse(p, s, &solo))
			return EINVAL;
		if (solo)
			first_loop = t->nparts;
		t->nparts++;
	}
	t->loop = first_loop;
	return t->nparts ? 0 : EINVAL;
}

/* the zone's tone toneid, NULL if the zone has none */
static const char *zone_tone(int zone, int toneid)
{
	struct tone_zone *z = tone_zone_find_by_num(zone);

	for (int i = 0; z && i < DAHDI_TONE_MAX; i++)
		if (z->tones[i].toneid == toneid && z->tones[i].data[0])
			return z->tones[i].data;
	return NULL;
}

static int dtmf_tone(struct vd_tone *t, int zone, int digit)
{
	static const float low[4] = {697, 770, 852, 941};
	static const float high[4] = {1209, 1336, 1477, 1633};
	/* DAHDI_TONE_DTMF_0..9, s (*), p (#), A..D: row and column */
	static const unsigned char key[16] = {
		0x31, 0x00, 0x01, 0x02, 0x10, 0x11, 0x12, 0x20, 0x21, 0x22,
		0x30, 0x32, 0x03, 0x13, 0x23, 0x33,
	};
	struct tone_zone *z = tone_zone_find_by_num(zone);

	if (!z)
		return ENODATA;
	t->part[0].f1 = low[key[digit] >> 4];
	t->part[0].f2 = high[key[digit] & 0xf];
	t->nparts = 1;
	t->loop = 0;
	t->amp1 = level_amp(z->dtmf_low_level);
	t->amp2 = level_amp(z->dtmf_high_level);
	return 0;
}

static int tone_build(struct vd_tone *t, int zone, int tone)
{
	const char *data;

	if (tone >= DAHDI_TONE_DTMF_BASE && tone <= DAHDI_TONE_DTMF_MAX)
		return dtmf_tone(t, zone, tone - DAHDI_TONE_DTMF_BASE);
	if (tone < 0 || tone > DAHDI_TONE_MAX)
		return EINVAL;
	data = zone_tone(zone, tone);
	if (!data)
		return ENOSYS;   /* the zone is loaded but has no such tone */
	t->amp1 = t->amp2 = level_amp(TONE_LEVEL);
	return tone_parse(t, data);
}

/* start_tone: any tone playing stops first; -1 only stops it */
int vd_tone_start(struct vd_chan *ch, int tone)
{
	struct vd_tone *t;
	int err;

	vd_tone_stop(ch);
	if (tone == -1)
		return 0;
	if (ch->zone < 0)
		return ENODATA;
	t = calloc(1, sizeof(*t));
	if (!t)
		return ENOMEM;
	err = tone_build(t, ch->zone, tone);
	if (err) {
		free(t);
		return err;
	}
	t->left = t->part[0].samples;
	ch->tone = t;
	return 0;
}

void vd_tone_stop(struct vd_chan *ch)
{
	free(ch->tone);
	ch->tone = NULL;
}

static float part_sample(struct vd_tone *t, const struct part *p)
{
	float s1 = t->amp1 * sinf((float)t->ph1);
	float s2 = t->amp2 * sinf((float)t->ph2);

	t->ph1 = fmod(t->ph1 + 2 * M_PI * p->f1 / VD_RATE, 2 * M_PI);
	t->ph2 = fmod(t->ph2 + 2 * M_PI * p->f2 / VD_RATE, 2 * M_PI);
	if (!p->modulate)
		return (p->f1 ? s1 : 0) + (p->f2 ? s2 : 0);
	/* the second frequency modulates the first's amplitude */
	return s1 * (0.9f * fabsf(s2 - 32768.0f) + 1.0f) / 32768.0f;
}

/* Next part once this one is over; false when the tone has ended */
static bool part_next(struct vd_tone *t)
{
	if (!t->part[t->cur].samples || --t->left)
		return true;
	t->cur = t->cur + 1 < t->nparts ? t->cur + 1 : t->loop;
	if (t->cur < 0)
		return false;
	t->left = t->part[t->cur].samples;
	return true;
}

/* n samples of ch's tone, in its law; silence once the tone ends */
void vd_tone_fill(struct vd_chan *ch, uint8_t *p, size_t n)
{
	struct vd_tone *t = ch->tone;

	for (size_t i = 0; i < n; i++) {
		float s;

		if (!t) {
			p[i] = vd_law_silence(ch->law);
			continue;
		}
		s = part_sample(t, &t->part[t->cur]);
		p[i] = vd_law_encode(ch->law, (int16_t)fmaxf(-32767.0f,
						fminf(32767.0f, s)));
		if (!part_next(t)) {
			vd_tone_stop(ch);
			t = NULL;
		}
	}
}

/* ---- zones ----------------------------------------------------------- */

int vd_zone_load(struct vdahdi *vd, int zone)
{
	if (zone < 0 || zone >= DAHDI_TONE_ZONE_MAX)
		return EINVAL;
	vd->zones[zone] = true;
	return 0;
}

int vd_zone_free(struct vdahdi *vd, int zone)
{
	if (zone < 0 || zone >= DAHDI_TONE_ZONE_MAX)
		return EINVAL;
	vd->zones[zone] = false;
	return 0;
}

/* DAHDI_SETTONEZONE; zone -1 (or a channel opening) takes the default */
int vd_zone_set(struct vdahdi *vd, struct vd_chan *ch, int zone)
{
	if (zone == DAHDI_TONE_ZONE_DEFAULT)
		zone = vd->tone_zone;
	if (zone < 0 || zone >= DAHDI_TONE_ZONE_MAX || !vd->zones[zone])
		return ENODATA;
	vd_tone_stop(ch);
	ch->zone = zone;
	return 0;
}
