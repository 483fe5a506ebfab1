/*
 * Echo control on a media bridge (media_ec.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <re.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>
#include "gateway/media/echo.h"
#include "gateway/media/media_ec.h"

enum {
	GATE_HOLD = 8000 * 3,     /* samples the detector runs after a gate */
	MAXBLOCK = 480,
};

/* one direction's tone disabler */
struct ans_det {
	modem_connect_tones_rx_state_t rx;
	unsigned open;            /* samples the detector still runs */
};

struct media_ec {
	char law;
	struct echo *ec;          /* NULL: no software canceller */
	bool off;                 /* turned off by a tone */
	struct ans_det det[2];    /* 0: from the line, 1: to the line */
	float gate_coef;
	media_ec_off_h *offh;
	void *arg;
};

static void destructor(void *data)
{
	struct media_ec *me = data;

	mem_deref(me->ec);
}

int media_ec_alloc(struct media_ec **mep, char law, unsigned soft_taps,
		   media_ec_off_h *offh, void *arg)
{
	struct media_ec *me;
	int err = 0;

	if (!mep || (law != 'A' && law != 'U'))
		return EINVAL;
	me = mem_zalloc(sizeof(*me), destructor);
	if (!me)
		return ENOMEM;
	me->law = law;
	me->offh = offh;
	me->arg = arg;
	me->gate_coef = (float)(2 * cos(2 * M_PI * 2100 / 8000));
	for (int d = 0; d < 2; d++)
		modem_connect_tones_rx_init(&me->det[d].rx,
					    MODEM_CONNECT_TONES_ANS_PR,
					    NULL, NULL);
	if (soft_taps)
		err = echo_alloc(&me->ec, soft_taps);
	if (err)
		mem_deref(me);
	else
		*mep = me;
	return err;
}

static void to_linear(const struct media_ec *me, int16_t *lin,
		      const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lin[i] = me->law == 'U' ? ulaw_to_linear(p[i]) :
			alaw_to_linear(p[i]);
}

/* Does 2100 Hz hold most of the block's energy? (Goertzel) */
static bool gate(const struct media_ec *me, const int16_t *s, size_t n)
{
	float s1 = 0, s2 = 0, total = 0, p;

	for (size_t i = 0; i < n; i++) {
		float s0 = s[i] + me->gate_coef * s1 - s2;

		s2 = s1;
		s1 = s0;
		total += (float)s[i] * s[i];
	}
	p = s1 * s1 + s2 * s2 - me->gate_coef * s1 * s2;
	/* a pure tone gives p = total * n / 2 */
	return total > n * 100.0f && p > 0.25f * total * (float)n;
}

static void off(struct media_ec *me, int tone)
{
	me->off = true;
	if (me->offh)
		me->offh(tone, me->arg);
}

/* CED (2100 Hz) or ANS/ANSam with phase reversals: off */
static void detect(struct media_ec *me, struct ans_det *d, const int16_t *s,
		   size_t n)
{
	int tone;

	if (gate(me, s, n))
		d->open = GATE_HOLD;
	if (!d->open)
		return;
	d->open = d->open > n ? d->open - (unsigned)n : 0;
	modem_connect_tones_rx(&d->rx, s, (int)n);
	tone = modem_connect_tones_rx_get(&d->rx);
	if (tone == MODEM_CONNECT_TONES_ANS ||
	    tone == MODEM_CONNECT_TONES_ANS_PR ||
	    tone == MODEM_CONNECT_TONES_ANSAM ||
	    tone == MODEM_CONNECT_TONES_ANSAM_PR)
		off(me, tone);
}

void media_ec_rx(struct media_ec *me, uint8_t *p, size_t n)
{
	int16_t lin[MAXBLOCK];

	if (!me || me->off || n > MAXBLOCK)
		return;
	to_linear(me, lin, p, n);
	detect(me, &me->det[0], lin, n);
	if (!me->ec || me->off)
		return;
	echo_rx(me->ec, lin, n);
	for (size_t i = 0; i < n; i++)
		p[i] = me->law == 'U' ? linear_to_ulaw(lin[i]) :
			linear_to_alaw(lin[i]);
}

void media_ec_tx(struct media_ec *me, const uint8_t *p, size_t n)
{
	int16_t lin[MAXBLOCK];

	if (!me || me->off || n > MAXBLOCK)
		return;
	to_linear(me, lin, p, n);
	detect(me, &me->det[1], lin, n);
	echo_tx(me->ec, lin, n);
}

bool media_ec_active(const struct media_ec *me)
{
	return me && !me->off;
}

double media_ec_erle(const struct media_ec *me)
{
	return me ? echo_erle(me->ec) : 0;
}

double media_ec_delay_ms(const struct media_ec *me)
{
	return me && me->ec ? echo_path_delay(me->ec) / 8.0 : 0;
}
