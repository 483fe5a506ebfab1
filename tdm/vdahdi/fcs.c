/*
 * HDLC framing: the frame check sequence, FCS-16 (ITU-T Q.921 §2.7, ISO
 * 3309): CRC-CCITT, reflected polynomial 0x8408, preset to all ones, sent
 * complemented and low byte first.  RFC 1662 appendix C gives the same
 * algorithm and the good-frame residue 0xf0b8.  And the length of a frame
 * on the line, which paces the D-channels (dchan.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vdahdi.h"

enum {
	FCS_INIT = 0xffff,
	FCS_GOOD = 0xf0b8,
	FCS_POLY = 0x8408,
};

uint16_t vd_fcs16(uint16_t fcs, const uint8_t *p, size_t len)
{
	while (len--) {
		fcs ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			fcs = (fcs & 1) ? (fcs >> 1) ^ FCS_POLY : fcs >> 1;
	}
	return fcs;
}

/* frame holds len bytes of payload followed by two bytes to fill in */
void vd_fcs16_append(uint8_t *frame, size_t len)
{
	uint16_t fcs = vd_fcs16(FCS_INIT, frame, len) ^ 0xffff;

	frame[len]     = fcs & 0xff;
	frame[len + 1] = fcs >> 8;
}

/* len counts the payload and the two FCS bytes */
bool vd_fcs16_good(const uint8_t *frame, size_t len)
{
	return len >= 2 && vd_fcs16(FCS_INIT, frame, len) == FCS_GOOD;
}

/*
 * Bits a frame takes on the line: its octets, low-order bit first (Q.921
 * §2.8), with a 0 stuffed after every five contiguous 1s (transparency,
 * Q.921 §2.6), and one flag (Q.921 §2.2): between frames the closing flag
 * of one opens the next.  len counts the payload and the two FCS bytes.
 */
unsigned vd_hdlc_bits(const uint8_t *frame, size_t len)
{
	unsigned bits = 8 * len + 8, ones = 0;

	for (size_t i = 0; i < len; i++) {
		for (int b = 0; b < 8; b++) {
			if (!(frame[i] >> b & 1)) {
				ones = 0;
				continue;
			}
			if (++ones == 5) {
				bits++;
				ones = 0;
			}
		}
	}
	return bits;
}
