/*
 * Fuzz target: the RFC 3262 header parsers of sip/prack.c (RAck, RSeq)
 * and the option-tag checks (Require/Supported 100rel), on whatever SIP
 * message libre decodes from the bytes.  Must never crash, leak or trip
 * UBSan; what they accept must be in range.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sip/sip_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sip_msg *msg = NULL;
	struct mbuf *mb = mbuf_alloc(size + 1);
	uint32_t rseq = 0, cseq = 0;
	struct pl met;

	if (!mb)
		return 0;
	(void)mbuf_write_mem(mb, data, size);
	mb->pos = 0;
	if (sip_msg_decode(&msg, mb))
		goto out;
	if (siprel_rack_decode(msg, &rseq, &cseq, &met) && !met.l)
		abort();
	if (siprel_rseq_decode(msg, &rseq) && (!rseq || rseq > 0x7fffffff))
		abort();
	(void)siphdr_has_option(msg, SIP_HDR_REQUIRE, "100rel");
	(void)siphdr_has_option(msg, SIP_HDR_SUPPORTED, "100rel");
 out:
	mem_deref(msg);
	mem_deref(mb);
	return 0;
}
