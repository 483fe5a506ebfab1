/*
 * rtplevel: the level of the G.711 audio in the RTP packets of a pcap
 * capture (dumpcap -P), as a test measures what a SIP peer received.
 *
 *   rtplevel FILE.pcap PORT FROM_S TO_S [WINDOW_S [HZ]]
 *
 * Takes the UDP packets to destination PORT (IPv4, Ethernet or Linux
 * cooked capture), decodes payload types 0 (PCMU) and 8 (PCMA), and
 * prints the RMS level in dBm0 of those captured between FROM_S and TO_S
 * seconds after the first of them, and the packet count:
 *   level -16.02 dBm0 packets 125
 * With WINDOW_S, also the median of the levels of consecutive windows
 * that long (robust to a short disturbance on a loaded machine):
 *   level -16.02 dBm0 packets 125 median -16.10 dBm0
 * With HZ, the windows' levels are those of the HZ component alone (a
 * single-bin DFT over each window), so a tone is measured apart from
 * the noise or echo under it:
 *   ... median -15.02 dBm0
 * Levels follow spandsp's convention (a full-scale sine is +3.14 dBm0).
 * Exit status 1 when no packet matched.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>

enum { MAXWIN = 1024 };

static double win_sumsq[MAXWIN];
static unsigned long win_n[MAXWIN];
static double win_i[MAXWIN], win_q[MAXWIN];   /* with HZ: the bin */

static double dbm0(double sumsq, unsigned long n)
{
	return 20 * log10(sqrt(sumsq / n) / 32768.0) + 6.16;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double hz;   /* 0: the windows' whole level */

/* The median level of the windows that hold samples */
static double median(int nwin)
{
	double v[MAXWIN];
	int n = 0;

	for (int w = 0; w < nwin; w++) {
		if (!win_n[w])
			continue;
		if (hz > 0)   /* a sine of amplitude A: mean square A^2 / 2 */
			v[n++] = dbm0(2 * (win_i[w] * win_i[w] +
					   win_q[w] * win_q[w]) / win_n[w],
				      win_n[w]);
		else
			v[n++] = dbm0(win_sumsq[w], win_n[w]);
	}
	if (!n)
		return -99;
	qsort(v, n, sizeof(v[0]), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The RTP packet in a captured frame, or NULL */
static const uint8_t *rtp_of(const uint8_t *f, size_t len, uint32_t dlt,
			     unsigned port, size_t *rlen)
{
	size_t l2 = dlt == 113 ? 16 : 14, ihl;
	const uint8_t *ip = f + l2, *udp;

	if (len < l2 + 20 + 8 + 12 || get16(ip - 2) != 0x0800 ||
	    (ip[0] >> 4) != 4 || ip[9] != 17)
		return NULL;
	ihl = (size_t)(ip[0] & 15) * 4;
	udp = ip + ihl;
	if (l2 + ihl + 8 + 12 > len || get16(udp + 2) != port)
		return NULL;
	*rlen = len - l2 - ihl - 8;
	return udp + 8;
}

int main(int argc, char **argv)
{
	uint32_t gh[6], rec[4];
	double from, to, t0 = -1, sumsq = 0, win = 0;
	unsigned long nsamp = 0, npk = 0;
	unsigned port;
	uint8_t f[65536];
	FILE *fp;

	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: rtplevel FILE.pcap PORT FROM_S TO_S "
			"[WINDOW_S [HZ]]\n");
		return 2;
	}
	if (argc >= 6)
		win = atof(argv[5]);
	if (argc == 7)
		hz = atof(argv[6]);
	port = (unsigned)atoi(argv[2]);
	from = atof(argv[3]);
	to = atof(argv[4]);
	fp = fopen(argv[1], "rb");
	if (!fp || fread(gh, 4, 6, fp) != 6 || gh[0] != 0xa1b2c3d4) {
		fprintf(stderr, "rtplevel: %s: not a pcap file\n", argv[1]);
		return 2;
	}
	while (fread(rec, 4, 4, fp) == 4 && rec[2] <= sizeof(f) &&
	       fread(f, 1, rec[2], fp) == rec[2]) {
		double t = rec[0] + rec[1] / 1e6;
		const uint8_t *rtp;
		size_t rlen;
		int pt;

		rtp = rtp_of(f, rec[2], gh[5], port, &rlen);
		if (!rtp || (rtp[0] >> 6) != 2)
			continue;
		pt = rtp[1] & 0x7f;
		if (pt != 0 && pt != 8)
			continue;
		if (t0 < 0)
			t0 = t;
		if (t - t0 < from || t - t0 > to)
			continue;
		npk++;
		int w = win > 0 ? (int)((t - t0 - from) / win) : 0;

		for (size_t i = 12; i < rlen; i++) {
			double s = pt ? alaw_to_linear(rtp[i]) :
				ulaw_to_linear(rtp[i]);

			sumsq += s * s;
			nsamp++;
			if (w >= 0 && w < MAXWIN) {
				double ph = 2 * M_PI * hz * win_n[w] / 8000;

				win_sumsq[w] += s * s;
				win_i[w] += s * cos(ph);
				win_q[w] += s * sin(ph);
				win_n[w]++;
			}
		}
	}
	fclose(fp);
	if (!nsamp) {
		printf("level -99.00 dBm0 packets 0\n");
		return 1;
	}
	printf("level %.2f dBm0 packets %lu", dbm0(sumsq, nsamp), npk);
	if (win > 0)
		printf(" median %.2f dBm0", median(MAXWIN));
	printf("\n");
	return 0;
}
