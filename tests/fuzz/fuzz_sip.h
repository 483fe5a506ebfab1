/*
 * tests/fuzz/: what fuzz_sipmsg.c (the datagrams) and fuzz_sipcore.c
 * (the fake core under the sipua) share.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_FUZZ_SIP_H
#define SIPRI_FUZZ_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sip/sip_int.h"

enum {
	FUZZ_GW_PORT   = 5060,   /* the sipua's UDP listener */
	FUZZ_PEER_PORT = 5070,   /* the peer that sends the input */
};

struct fuzz_sip {
	struct sipua_conf conf;
	struct sipua *ua;
	struct list calls;        /* struct fuzz_call, newest last */
	struct udp_sock *peer;
	struct sa gw;
	bool handled;             /* the STUN probe came back */
	char totag[64];           /* of the last response to the peer */
	char rseq[16];
	bool policy_set;          /* "!ua" came first */
	bool info_dtmf;           /* INFO in application/dtmf */
	unsigned waited;          /* ms of "!wait" so far */
};

/* fuzz_sipcore.c */
void fuzz_core_policy(struct fuzz_sip *f, const uint8_t *p, size_t n);
int  fuzz_core_alloc(struct fuzz_sip *f);
void fuzz_core_step(struct fuzz_sip *f, const uint8_t *p, size_t n);
void fuzz_core_free(struct fuzz_sip *f);

#endif
