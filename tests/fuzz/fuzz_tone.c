/*
 * Fuzz target: the libtonezone tone-string parser (gateway/media/tone.c,
 * "[!]F1[+F2][/MS],...").  Must never crash or trip UBSan, whatever the
 * bytes; what parses must respect the bounds it promises.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/media/tone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tone_step st[TONE_MAXSTEPS];
	char desc[512];
	size_t n = 0;

	if (size >= sizeof(desc))
		size = sizeof(desc) - 1;
	memcpy(desc, data, size);
	desc[size] = '\0';
	if (tone_parse(desc, st, TONE_MAXSTEPS, &n))
		return 0;
	if (n < 1 || n > TONE_MAXSTEPS)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (st[i].f1 > 4000 || st[i].f2 > 4000 || st[i].ms > 600000)
			abort();
	}
	return 0;
}
