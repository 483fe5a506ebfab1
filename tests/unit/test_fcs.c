/*
 * FCS-16 and HDLC framing: known vectors, the good-frame residue, and
 * detection of corruption.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "tdm/vdahdi/vdahdi.h"
#include "tests/tap.h"

int main(void)
{
	/* CRC-16/X-25 (the HDLC FCS) check value of "123456789" is 0x906e */
	const uint8_t check[] = "123456789";
	uint16_t fcs = vd_fcs16(0xffff, check, 9) ^ 0xffff;
	uint8_t frame[64];

	ok(fcs == 0x906e, "FCS of \"123456789\" is 0x906e (got 0x%04x)", fcs);

	/* a Q.921 SABME from the network side: SAPI 0, C/R=1, TEI 0 */
	memcpy(frame, "\x02\x01\x7f", 3);
	vd_fcs16_append(frame, 3);
	ok(vd_fcs16_good(frame, 5), "appended FCS verifies");
	ok(frame[3] != 0 || frame[4] != 0, "FCS bytes were filled in");

	for (int bit = 0; bit < 40; bit++) {
		uint8_t bad[5];

		memcpy(bad, frame, 5);
		bad[bit / 8] ^= 1 << (bit % 8);
		if (vd_fcs16_good(bad, 5)) {
			ok(0, "single-bit error at bit %d detected", bit);
			return tap_done();
		}
	}
	ok(1, "every single-bit error in the frame is detected");
	ok(!vd_fcs16_good(frame, 1), "a frame shorter than its FCS is bad");

	/* low byte first on the wire (Q.921 §2.7) */
	memcpy(frame, check, 9);
	vd_fcs16_append(frame, 9);
	ok(frame[9] == 0x6e && frame[10] == 0x90, "FCS sent low byte first");

	/* line length: 8 bits an octet, one flag, a 0 after five 1s */
	memset(frame, 0, 10);
	ok(vd_hdlc_bits(frame, 10) == 88, "10 zero octets: 80 bits + flag "
	   "(got %u)", vd_hdlc_bits(frame, 10));
	memset(frame, 0xff, 2);
	ok(vd_hdlc_bits(frame, 2) == 16 + 3 + 8, "16 ones take 3 stuffed "
	   "zeros (got %u)", vd_hdlc_bits(frame, 2));
	frame[0] = 0x7e;   /* a flag's pattern in the data: one stuffed 0 */
	ok(vd_hdlc_bits(frame, 1) == 8 + 1 + 8, "0x7e in a frame is "
	   "stuffed once (got %u)", vd_hdlc_bits(frame, 1));
	frame[0] = 0xf0;   /* four ones, then one: a run across octets */
	frame[1] = 0x01;
	ok(vd_hdlc_bits(frame, 2) == 16 + 1 + 8, "runs of ones carry across "
	   "octets (got %u)", vd_hdlc_bits(frame, 2));
	return tap_done();
}
