/*
 * Fuzz target: the RFC 4028 Session-Expires / Min-SE value parser
 * (sip/stimer.c), as a header value and as Min-SE (no refresher).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include "sip/sip_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl val = {(const char *)data, size};
	enum sipst_refresher ref = SIPST_REF_NONE;
	uint32_t se = 0;

	/* a value that parses is a positive delta-seconds (RFC 4028 §4) */
	if (!sipst_parse(&val, &se, &ref) &&
	    (!se || ref > SIPST_REF_UAS))
		abort();
	if (!sipst_parse(&val, &se, NULL) && !se)
		abort();
	return 0;
}
