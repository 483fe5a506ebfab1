/*
 * srtp_bench: what SRTP (RFC 3711, libre's srtp as sip/srtp.c uses it)
 * adds per channel per 20 ms frame of G.711: one 172-octet RTP packet
 * (12 header + 160 payload) protected on the way out and one unprotected
 * on the way in, against plain RTP (the header written and read only).
 * AES_CM_128_HMAC_SHA1_80 and _32.  No sockets: the CPU of the
 * cryptography alone.  Prints the median of the runs.
 *   srtp_bench
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tests/bench/bench.h"

enum { N = 160, FRAMES = 20000, RUNS = 9, KEYLEN = 30 };

struct row {
	const char *what;
	bool srtp;
	enum srtp_suite suite;
};

/* one frame out: header and payload, then protected */
static int frame_out(struct mbuf *mb, struct srtp *tx, uint16_t seq,
		     const uint8_t *pcm)
{
	struct rtp_header hdr;
	int err;

	memset(&hdr, 0, sizeof(hdr));
	hdr.ver = RTP_VERSION;
	hdr.pt = 8;
	hdr.seq = seq;
	hdr.ts = (uint32_t)seq * N;
	hdr.ssrc = 0x5151;
	mbuf_rewind(mb);
	err  = rtp_hdr_encode(mb, &hdr);
	err |= mbuf_write_mem(mb, pcm, N);
	mb->pos = 0;
	return err ? err : tx ? srtp_encrypt(tx, mb) : 0;
}

/* the same frame in: unprotected, then its header read */
static int frame_in(struct mbuf *mb, struct srtp *rx)
{
	struct rtp_header hdr;
	int err = rx ? srtp_decrypt(rx, mb) : 0;

	return err ? err : rtp_hdr_decode(&hdr, mb);
}

static double run(const struct row *r, const uint8_t *key,
		  const uint8_t *pcm)
{
	struct srtp *tx = NULL, *rx = NULL;
	struct mbuf *mb = mbuf_alloc(256);
	double t0, t;
	int err = 0;

	if (r->srtp) {
		err  = srtp_alloc(&tx, r->suite, key, KEYLEN, 0);
		err |= srtp_alloc(&rx, r->suite, key, KEYLEN, 0);
	}
	t0 = bench_cpu_now();
	for (unsigned i = 0; i < FRAMES && !err; i++) {
		err = frame_out(mb, tx, (uint16_t)i, pcm);
		mb->pos = 0;
		err |= err ? 0 : frame_in(mb, rx);
	}
	t = (bench_cpu_now() - t0) / FRAMES * 1e9;
	if (err)
		fprintf(stderr, "%s: %s\n", r->what, strerror(err));
	mem_deref(tx);
	mem_deref(rx);
	mem_deref(mb);
	return err ? -1 : t;
}

int main(void)
{
	static const struct row rows[] = {
		{"plain RTP (header only)", false, 0},
		{"SRTP AES_CM_128_HMAC_SHA1_80", true,
		 SRTP_AES_CM_128_HMAC_SHA1_80},
		{"SRTP AES_CM_128_HMAC_SHA1_32", true,
		 SRTP_AES_CM_128_HMAC_SHA1_32},
	};
	uint8_t key[KEYLEN], pcm[N];

	rand_bytes(key, sizeof(key));
	rand_bytes(pcm, sizeof(pcm));
	(void)run(&rows[1], key, pcm);   /* warm up */
	printf("| RTP, 160-octet G.711 frame out and in | CPU per channel per "
	       "20 ms frame (median of %d x %d frames) |\n", RUNS, FRAMES);
	printf("|---|---|\n");
	for (size_t l = 0; l < sizeof(rows) / sizeof(rows[0]); l++) {
		double t[RUNS], med;

		for (int i = 0; i < RUNS; i++)
			t[i] = run(&rows[l], key, pcm);
		med = bench_median(t, RUNS);
		if (t[0] < 0)   /* sorted: a failed run comes first */
			return 1;
		printf("| %s | %.2f us |\n", rows[l].what, med / 1000);
	}
	return 0;
}
