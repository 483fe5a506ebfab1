/*
 * Fuzz target: the RFC 4568 a=crypto parser (sip/sdes.c).  The input is
 * an attribute's value, as libre's SDP decoder hands it over.  A line it
 * takes must name one of our two suites and carry a key that encodes
 * back to a line which decodes to the same.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char value[512], again[128];
	struct sipsdes c, d;

	if (size >= sizeof(value))
		return 0;
	memcpy(value, data, size);
	value[size] = '\0';
	if (sipsdes_decode(&c, value))
		return 0;
	if (c.suite != SRTP_AES_CM_128_HMAC_SHA1_80 &&
	    c.suite != SRTP_AES_CM_128_HMAC_SHA1_32)
		__builtin_trap();
	re_snprintf(again, sizeof(again), "%H", sipsdes_encode, &c);
	if (sipsdes_decode(&d, again) || d.tag != c.tag ||
	    d.suite != c.suite || memcmp(d.key, c.key, SIPSDES_KEYLEN))
		__builtin_trap();
	return 0;
}
