/*
 * Fuzz target: the credentials of an incoming request (sip/auth.c): the
 * input is an Authorization header's value, in an INVITE, against a
 * trunk's challenge (401 and 407 alike).  No input may pass: its nonce
 * is never one sipauth signed with this run's key (RFC 7616 §5.4).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include "sip/sip_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sip_msg *invite(const uint8_t *data, size_t size, bool proxy)
{
	struct sip_msg *msg = NULL;
	struct mbuf *mb = mbuf_alloc(512 + size);

	if (!mb)
		return NULL;
	(void)mbuf_printf(mb, "INVITE sip:1@127.0.0.1 SIP/2.0\r\n"
			  "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1\r\n"
			  "From: <sip:a@127.0.0.1>;tag=1\r\n"
			  "To: <sip:1@127.0.0.1>\r\nCall-ID: f\r\n"
			  "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
			  "%sAuthorization: %b\r\n"
			  "Content-Length: 0\r\n\r\n", proxy ? "Proxy-" : "",
			  data, size);
	mb->pos = 0;
	(void)sip_msg_decode(&msg, mb);
	mem_deref(mb);
	return msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sipauth *a;
	struct sipua_challenge ch = {
		.user = "gw", .password = "secret", .realm = "sipri",
	};

	if (!a && sipauth_alloc(&a))
		abort();
	for (int proxy = 0; proxy < 2; proxy++) {
		struct sip_msg *msg = invite(data, size, proxy);

		ch.proxy = proxy;
		if (msg && sipauth_verify(a, &ch, 0, msg, 1000000) ==
		    SIPAUTH_OK)
			abort();
		mem_deref(msg);
	}
	return 0;
}
