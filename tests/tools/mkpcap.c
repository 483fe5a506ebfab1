/*
 * mkpcap: write a pcap file of RTP packets carrying a G.711 tone, for SIPp
 * to play (<exec play_pcap_audio="..."/>).
 *
 *   mkpcap OUT.pcap FREQ_HZ LEVEL_DBM0 SECONDS [A|U]
 *
 * 20 ms packets (160 samples), payload type 8 (PCMA) or 0 (PCMU), on
 * 127.0.0.1:6000 -> 127.0.0.1:6002 (SIPp rewrites the addresses).
 * The level is dBm0 per ITU-T G.711: a sine at 0 dBm0 peaks at 3.14 dBov
 * below full scale for A-law (as spandsp's tone generator uses).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>

enum { N = 160, HDR = 14 + 20 + 8 + 12 };

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

static void packet(uint8_t *f, const uint8_t *payload, uint16_t seq,
		   uint32_t ts, int pt)
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
	rtp[1] = pt | (seq == 0 ? 0x80 : 0);
	put16(rtp + 2, seq);
	put32(rtp + 4, ts);
	put32(rtp + 8, 0x5195a1);
	memcpy(rtp + 12, payload, N);
}

int main(int argc, char **argv)
{
	uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
	double freq, dbm0, secs, amp;
	int alaw, npk;
	FILE *fp;

	if (argc < 5) {
		fprintf(stderr, "usage: mkpcap OUT FREQ DBM0 SECONDS [A|U]\n");
		return 2;
	}
	freq = atof(argv[2]);
	dbm0 = atof(argv[3]);
	secs = atof(argv[4]);
	alaw = argc < 6 || argv[5][0] != 'U';
	/* 0 dBm0 = 3.14 dB below a full-scale sine (G.711) */
	amp = 32767.0 * pow(10.0, (dbm0 - 3.14) / 20.0);
	npk = (int)(secs * 50);
	fp = fopen(argv[1], "wb");
	if (!fp)
		return 1;
	gh[1] = 0x00040002;
	fwrite(gh, 4, 2, fp);                   /* magic, version 2.4 */
	fwrite(&gh[2], 4, 4, fp);               /* zone, sigfigs, snaplen, DLT */
	for (int k = 0; k < npk; k++) {
		uint8_t payload[N], frame[HDR + N];
		uint32_t rec[4];

		for (int i = 0; i < N; i++) {
			double t = (double)(k * N + i) / 8000.0;
			int16_t s = (int16_t)lrint(amp * sin(2 * M_PI * freq * t));

			payload[i] = alaw ? linear_to_alaw(s) : linear_to_ulaw(s);
		}
		packet(frame, payload, (uint16_t)k, (uint32_t)k * N,
		       alaw ? 8 : 0);
		rec[0] = k / 50;                /* 20 ms apart */
		rec[1] = (k % 50) * 20000;
		rec[2] = rec[3] = HDR + N;
		fwrite(rec, 4, 4, fp);
		fwrite(frame, 1, HDR + N, fp);
	}
	fclose(fp);
	return 0;
}
