/*
 * A simulated 2-to-4-wire hybrid: part of what the PBX receives on the
 * B-channel comes back to the far end, attenuated (the echo return loss,
 * ERL) and delayed, on top of what the PBX itself sends.  This is the
 * echo a line echo canceller (G.168) has to remove.
 *
 * The delay counts from the moment a block is read; what pbxsim writes
 * then takes the B-channel's own buffering on top.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include "pbxsim.h"

int hybrid_set(struct hybrid *h, double gain_db, double delay_ms)
{
	unsigned delay = (unsigned)lround(delay_ms * TONE_RATE / 1000);

	if (gain_db <= -60) {        /* `hybrid off` */
		h->on = false;
		return 0;
	}
	if (gain_db > 0 || gain_db < -60 || delay_ms < 0 ||
	    delay + 2 * BCHAN_BLOCK >= HYBRID_RING)
		return EINVAL;
	memset(h, 0, sizeof(*h));
	h->on = true;
	h->gain = (float)pow(10, gain_db / 20);
	h->delay = delay;
	return 0;
}

void hybrid_in(struct hybrid *h, const int16_t *s, size_t n)
{
	for (size_t i = 0; h->on && i < n; i++)
		h->ring[h->w++ % HYBRID_RING] = s[i];
}

/*
 * Mix the echo of the block just received, delay samples late, into out,
 * the block written in answer to it: out[i] hears the received sample
 * that came delay samples before the block's own i-th.  The echo is tied
 * to the received samples, not to how many blocks pbxsim wrote, so the
 * blocks written ahead as slack (audio.c) carry none and do not move it.
 */
void hybrid_mix(struct hybrid *h, int16_t *out, size_t n)
{
	uint64_t base;

	if (!h->on || h->w < n)
		return;
	base = h->w - n;
	for (size_t i = 0; i < n; i++) {
		float v = out[i];

		if (base + i >= h->delay &&
		    h->w - (base + i - h->delay) <= HYBRID_RING)
			v += h->gain * h->ring[(base + i - h->delay) %
						 HYBRID_RING];
		out[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
}
