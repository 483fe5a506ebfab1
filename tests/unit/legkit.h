/*
 * A SIP leg on real RTP sockets for the unit tests of its media
 * (test_rtpguard.c, test_sdes.c): a sipua that is only its
 * configuration, with one peer (index 0), and SDP bodies handed to the
 * leg as the messages that carry them.  No SIP is sent.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_TESTS_LEGKIT_H
#define SIPRI_TESTS_LEGKIT_H

#include <string.h>
#include "sip/sip_int.h"

/* ua: zeroed by the caller, with the peer's settings in conf.peers[0] */
static int kit_leg(struct sipua *ua, struct sipleg **legp, bool uac)
{
	int err;

	ua->conf.npeers = 1;
	ua->conf.rtp_port_min = 20000;
	ua->conf.rtp_port_max = 29999;
	(void)sa_set_str(&ua->media_addr, "127.0.0.1", 0);
	err = sipleg_alloc(legp, ua, uac);
	if (err)
		return err;
	err = sipleg_set_peer(*legp, 0);
	return err ? err : sipmedia_alloc(*legp, NULL);
}

/* a message carrying sdp, as sipmedia_* read one: a 200 to our INVITE
 * (an answer), or an INVITE (an offer) */
static struct sip_msg *kit_sdp_msg(bool request, const char *sdp)
{
	struct sip_msg *msg = NULL;
	struct mbuf *mb = mbuf_alloc(1024);

	if (!mb)
		return NULL;
	(void)mbuf_printf(mb, "%s\r\n"
			  "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1\r\n"
			  "From: <sip:a@127.0.0.1>;tag=1\r\n"
			  "To: <sip:b@127.0.0.1>;tag=2\r\n"
			  "Call-ID: kit\r\nCSeq: 1 INVITE\r\n"
			  "Content-Type: application/sdp\r\n"
			  "Content-Length: %zu\r\n\r\n%s",
			  request ? "INVITE sip:b@127.0.0.1 SIP/2.0" :
			  "SIP/2.0 200 OK", strlen(sdp), sdp);
	mb->pos = 0;
	(void)sip_msg_decode(&msg, mb);
	mem_deref(mb);
	return msg;
}

/* the peer's SDP: audio at 127.0.0.1:port, PCMA, proto and crypto
 * lines as given ("" none; each line ends in \r\n) */
static int kit_sdp(char *buf, size_t size, uint16_t port, const char *proto,
		   const char *crypto)
{
	return re_snprintf(buf, size, "v=0\r\n"
			   "o=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
			   "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
			   "m=audio %u %s 8\r\na=rtpmap:8 PCMA/8000\r\n%s",
			   port, proto, crypto);
}

#endif
