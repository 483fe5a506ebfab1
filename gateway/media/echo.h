/*
 * A software line echo canceller for one B-channel (ITU-T G.168 in
 * spirit): an NLMS adaptive FIR filter models the hybrid's echo of what
 * the gateway sent to the line, and subtracts it from what comes back.
 * A Geigel detector (near-end louder than half the recent far-end peak)
 * freezes the adaptation during double talk, so near-end speech passes
 * and the filter does not diverge.
 *
 * Samples are 16-bit linear.  The filter spans ECHO_BULK + taps samples
 * after a sample was sent: the first ECHO_BULK (one 20 ms block) cannot
 * hold echo, since a block sent is never heard back within its own
 * block.  spandsp's echo_can_update() is not used: Debian 12's build
 * prints on every sample (doc/ARCHITECTURE, facts).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_ECHO_H
#define SIPRI_ECHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	ECHO_BULK = 160,          /* samples of pure delay, not modelled */
	ECHO_MAXTAPS = 2048,
};

struct echo_stats {
	uint64_t samples;         /* processed */
	uint64_t dtalk;           /* samples with adaptation frozen */
	uint64_t realigns;        /* echo path moves looked for */
	double in_pow, out_pow;   /* mean square over the last second */
};

struct echo;

int  echo_alloc(struct echo **ep, unsigned taps);
/* what went to the line, after it was written */
void echo_tx(struct echo *e, const int16_t *tx, size_t n);
/* what came back, in place: the echo taken out */
void echo_rx(struct echo *e, int16_t *rx, size_t n);
/* echo return loss enhancement over the last second, dB */
double echo_erle(const struct echo *e);
const struct echo_stats *echo_stats(const struct echo *e);
unsigned echo_path_delay(const struct echo *e);   /* samples */

#endif
