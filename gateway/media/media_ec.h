/*
 * Echo control on a media bridge: the optional software canceller
 * (echo.c) on the audio from the B-channel, and the tone disabler that
 * turns echo cancellation off for the rest of the call when a fax or
 * modem answers: 2100 Hz CED/ANS, with or without phase reversals (ITU-T
 * V.25, G.168 §3.3/§5), heard in either direction (spandsp
 * modem_connect_tones_rx).  The owner is told, so it can also turn off
 * DAHDI's canceller.
 *
 * A 2100 Hz Goertzel filter gates the spandsp detector, so a call without
 * a fax costs well under a microsecond per block.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_MEDIA_EC_H
#define SIPRI_MEDIA_EC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* a fax or modem answer tone was heard: echo cancellation must go off */
typedef void (media_ec_off_h)(int tone, void *arg);

struct media_ec;

/* soft_taps 0: no software canceller, only the tone disabler */
int  media_ec_alloc(struct media_ec **mep, char law, unsigned soft_taps,
		    media_ec_off_h *offh, void *arg);
/* a block from the B-channel, in place (the law's bytes) */
void media_ec_rx(struct media_ec *me, uint8_t *p, size_t n);
/* the block that went to the B-channel */
void media_ec_tx(struct media_ec *me, const uint8_t *p, size_t n);
bool media_ec_active(const struct media_ec *me);
double media_ec_erle(const struct media_ec *me);
double media_ec_delay_ms(const struct media_ec *me);

#endif
