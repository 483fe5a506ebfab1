/*
 * mkpcap: write a pcap file of RTP packets carrying G.711 audio, for SIPp
 * to play (<exec play_pcap_audio="..."/>).
 *
 *   mkpcap OUT.pcap FREQ|noise|ans LEVEL_DBM0 SECONDS [A|U] [OPTION=N]...
 *
 * FREQ: a sine (Hz); noise: white noise; ans: the V.25 answer tone with
 * phase reversals (2100 Hz, reversed every 450 ms: spandsp
 * modem_connect_tones_tx, ANS/PR), at its own level.
 * 20 ms packets (160 samples), payload type 8 (PCMA) or 0 (PCMU), on
 * 127.0.0.1:6000 -> 127.0.0.1:6002 (SIPp rewrites the addresses).
 * The level is dBm0 per ITU-T G.711: a sine at 0 dBm0 peaks at 3.14 dBov
 * below full scale for A-law (as spandsp's tone generator uses).
 *
 * Network impairments, applied to the send times SIPp follows (the RTP
 * timestamps and sequence numbers stay those of the sender):
 *   (tests/tools/impair.h: jitter=MS reorder=PCT loss=PCT seed=N)
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>
#include "tests/tools/impair.h"

enum { N = 160, HDR = 14 + 20 + 8 + 12 };

struct pkt {
	uint8_t payload[N];
	uint16_t seq;
	uint32_t ts;
	double send_ms;
};


static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

static uint16_t ip_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (p[i] << 8) | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static void frame(uint8_t *f, const struct pkt *k, int pt)
{
	uint8_t *ip = f + 14, *udp = ip + 20, *rtp = udp + 8;

	memset(f, 0, HDR);
	put16(f + 12, 0x0800);                  /* Ethernet: IPv4 */
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + 12 + N);
	ip[8] = 64;
	ip[9] = 17;                             /* UDP */
	put32(ip + 12, 0x7f000001);
	put32(ip + 16, 0x7f000001);
	put16(ip + 10, ip_csum(ip, 20));
	put16(udp, 6000);
	put16(udp + 2, 6002);
	put16(udp + 4, 8 + 12 + N);
	rtp[0] = 0x80;
	rtp[1] = pt | (k->seq == 0 ? 0x80 : 0);
	put16(rtp + 2, k->seq);
	put32(rtp + 4, k->ts);
	put32(rtp + 8, 0x5195a1);
	memcpy(rtp + 12, k->payload, N);
}

/* The signal, 160 samples per packet */
static void signal_gen(struct pkt *pk, int npk, const char *what,
		       double dbm0, int alaw)
{
	/* 0 dBm0 = 3.14 dB below a full-scale sine (G.711) */
	double amp = 32767.0 * pow(10.0, (dbm0 - 3.14) / 20.0);
	modem_connect_tones_tx_state_t ans;
	double freq = atof(what);

	modem_connect_tones_tx_init(&ans, MODEM_CONNECT_TONES_ANS_PR);
	for (int k = 0; k < npk; k++) {
		int16_t s[N];

		if (!strcmp(what, "ans"))
			modem_connect_tones_tx(&ans, s, N);
		for (int i = 0; !strcmp(what, "noise") && i < N; i++)
			/* uniform, scaled to the sine's rms */
			s[i] = (int16_t)lrint((impair_urand() * 2 - 1) * amp *
					      sqrt(1.5));
		for (int i = 0; freq > 0 && i < N; i++) {
			double t = (double)(k * N + i) / 8000.0;

			s[i] = (int16_t)lrint(amp * sin(2 * M_PI * freq * t));
		}
		for (int i = 0; i < N; i++)
			pk[k].payload[i] = alaw ? linear_to_alaw(s[i]) :
				linear_to_ulaw(s[i]);
		pk[k].seq = (uint16_t)k;
		pk[k].ts = (uint32_t)k * N;
		pk[k].send_ms = k * 20.0;
	}
}

/* Jitter, reordering, loss (impair.h); returns the packets left */
static int impair_pkts(struct pkt *pk, int npk, const struct impair *o)
{
	double *ms = calloc(npk > 0 ? npk : 1, sizeof(*ms));
	size_t *order = calloc(npk > 0 ? npk : 1, sizeof(*order));
	struct pkt *out = calloc(npk > 0 ? npk : 1, sizeof(*out));
	size_t n = 0;

	if (ms && order && out) {
		for (int k = 0; k < npk; k++)
			ms[k] = pk[k].send_ms;
		n = impair_apply(o, ms, (size_t)npk, order);
		for (size_t k = 0; k < n; k++) {
			out[k] = pk[order[k]];
			out[k].send_ms = ms[order[k]];
		}
		memcpy(pk, out, n * sizeof(*pk));
	}
	free(ms);
	free(order);
	free(out);
	return (int)n;
}

int main(int argc, char **argv)
{
	uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
	struct impair o = IMPAIR_INIT;
	struct pkt *pk;
	int alaw = 1, npk, argi = 5;
	FILE *fp;

	if (argc < 5) {
		fprintf(stderr, "usage: mkpcap OUT FREQ|noise|ans DBM0 SECONDS "
			"[A|U] " IMPAIR_USAGE "\n");
		return 2;
	}
	if (argc > 5 && !strchr(argv[5], '=')) {
		alaw = argv[5][0] != 'U';
		argi = 6;
	}
	for (; argi < argc; argi++) {
		if (impair_opt(&o, argv[argi])) {
			fprintf(stderr, "mkpcap: bad option %s\n", argv[argi]);
			return 2;
		}
	}
	srand(o.seed);
	npk = (int)(atof(argv[4]) * 50);
	pk = calloc(npk > 0 ? npk : 1, sizeof(*pk));
	if (!pk)
		return 1;
	signal_gen(pk, npk, argv[2], atof(argv[3]), alaw);
	npk = impair_pkts(pk, npk, &o);
	fp = fopen(argv[1], "wb");
	if (!fp)
		return 1;
	fwrite(gh, 4, 2, fp);                   /* magic, version 2.4 */
	fwrite(&gh[2], 4, 4, fp);               /* zone, sigfigs, snaplen, DLT */
	for (int k = 0; k < npk; k++) {
		uint8_t f[HDR + N];
		uint32_t rec[4];
		long us = lround(pk[k].send_ms * 1000);

		frame(f, &pk[k], alaw ? 8 : 0);
		rec[0] = (uint32_t)(us / 1000000);
		rec[1] = (uint32_t)(us % 1000000);
		rec[2] = rec[3] = HDR + N;
		fwrite(rec, 4, 4, fp);
		fwrite(f, 1, HDR + N, fp);
	}
	fclose(fp);
	free(pk);
	return 0;
}
