/*
 * rtpdtmf: DTMF in RTP captures, for the DTMF end-to-end cases.
 *
 *   rtpdtmf pcap OUT.pcap DIGITS [IMPAIRMENT...]
 *       RFC 4733 telephone-event packets (payload type 101) for SIPp to
 *       play: per digit a 100 ms event (a start packet with the marker,
 *       updates every 20 ms, the end packet three times), then 100 ms of
 *       gap; each event has its own timestamp.  IMPAIRMENTs (jitter=MS
 *       reorder=PCT loss=PCT seed=N, tests/tools/impair.h) change when
 *       and whether packets leave.
 *   rtpdtmf scan IN.pcap PORT
 *       the RTP sent to UDP port PORT in a capture (pcap, Ethernet or
 *       Linux cooked): one line per telephone-event
 *         event DIGIT ts=T marker=M updates=U ends=E duration=D
 *       then, from a spandsp DTMF detector run over the G.711 audio
 *       (payload types 0 and 8) in sequence order,
 *         inband "DIGITS" packets=N
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp.h>
#include "tests/tools/impair.h"

enum { HDR = 14 + 20 + 8 + 12, EV = 4, MAXPKT = 65536, MAXEV = 256 };

static const char codes[] = "0123456789*#ABCD";

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

/* one telephone-event packet, as it leaves the sender */
struct evpkt {
	double ms;
	uint16_t seq;
	uint32_t ts;
	bool marker, end;
	int code;
	unsigned dur;
};

static void write_packet(FILE *fp, const struct evpkt *k)
{
	uint8_t f[HDR + EV] = {0}, *ip = f + 14, *udp = ip + 20, *rtp = udp + 8;
	long us = (long)(k->ms * 1000 + 0.5);
	uint32_t rec[4] = {(uint32_t)(us / 1000000), (uint32_t)(us % 1000000),
			   HDR + EV, HDR + EV};

	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + 12 + EV);
	ip[8] = 64;
	ip[9] = 17;
	put32(ip + 12, 0x7f000001);
	put32(ip + 16, 0x7f000001);
	put16(udp, 6000);
	put16(udp + 2, 6002);
	put16(udp + 4, 8 + 12 + EV);
	rtp[0] = 0x80;
	rtp[1] = 101 | (k->marker ? 0x80 : 0);
	put16(rtp + 2, k->seq);
	put32(rtp + 4, k->ts);
	put32(rtp + 8, 0x4733);
	rtp[12] = (uint8_t)k->code;
	rtp[13] = (uint8_t)((k->end ? 0x80 : 0) | 10);
	put16(rtp + 14, (uint16_t)k->dur);
	fwrite(rec, 4, 4, fp);
	fwrite(f, 1, sizeof(f), fp);
}

/* per digit: 4 updates 20 ms apart (the first with the marker), the end
 * three times, 120 ms of gap; then the impairments (impair.h) */
static int make_pcap(const char *out, const char *digits,
		     const struct impair *o)
{
	uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1};
	size_t n = 0, cap = 7 * strlen(digits) + 1, kept;
	struct evpkt *pk = calloc(cap, sizeof(*pk));
	double *ms = calloc(cap, sizeof(*ms));
	size_t *order = calloc(cap, sizeof(*order));
	unsigned t = 0;
	uint16_t seq = 1;
	FILE *fp = fopen(out, "wb");

	if (!fp || !pk || !ms || !order)
		return 1;
	for (const char *d = digits; *d; d++) {
		const char *c = strchr(codes, *d);
		uint32_t ts = 8000 + (uint32_t)(d - digits) * 1600;

		if (!c)
			continue;
		for (int k = 1; k <= 7; k++, n++) {
			pk[n] = (struct evpkt){t, seq++, ts, k == 1, k > 4,
					      (int)(c - codes),
					      k > 4 ? 800 : 160u * k};
			if (k <= 4)
				t += 20;
		}
		t += 120;
	}
	srand(o->seed);
	for (size_t k = 0; k < n; k++)
		ms[k] = pk[k].ms;
	kept = impair_apply(o, ms, n, order);
	fwrite(gh, 4, 6, fp);
	for (size_t k = 0; k < kept; k++) {
		pk[order[k]].ms = ms[order[k]];
		write_packet(fp, &pk[order[k]]);
	}
	fclose(fp);
	free(pk);
	free(ms);
	free(order);
	return 0;
}

struct event {
	uint32_t ts;
	int code;
	bool marker;
	unsigned updates, ends, dur;
};

struct audio {
	uint16_t seq;
	uint8_t pt;
	uint8_t pl[480];
	size_t n;
};

static struct event evs[MAXEV];
static unsigned nev;
static struct audio *aud;
static size_t naud, aud_cap;
static char inband[256];
static size_t ninband;

static void event_in(const uint8_t *rtp, const uint8_t *pl)
{
	uint32_t ts = get32(rtp + 4);
	struct event *e = NULL;

	for (unsigned i = 0; i < nev; i++)
		if (evs[i].ts == ts && evs[i].code == pl[0])
			e = &evs[i];
	if (!e) {
		if (nev == MAXEV)
			return;
		e = &evs[nev++];
		e->ts = ts;
		e->code = pl[0];
	}
	if (rtp[1] & 0x80)
		e->marker = true;
	if (pl[1] & 0x80)
		e->ends++;
	else
		e->updates++;
	e->dur = get16(pl + 2);
}

static void rtp_in(const uint8_t *rtp, size_t len)
{
	size_t hl = 12 + 4 * (rtp[0] & 0x0f);
	uint8_t pt = rtp[1] & 0x7f;

	if (len < hl || (rtp[0] >> 6) != 2)
		return;
	if (pt >= 96 && len - hl >= EV) {
		event_in(rtp, rtp + hl);
		return;
	}
	if ((pt != 0 && pt != 8) || len - hl > 480)
		return;
	if (naud == aud_cap) {
		aud_cap = aud_cap ? 2 * aud_cap : 1024;
		aud = realloc(aud, aud_cap * sizeof(*aud));
		if (!aud)
			exit(1);
	}
	aud[naud].seq = get16(rtp + 2);
	aud[naud].pt = pt;
	aud[naud].n = len - hl;
	memcpy(aud[naud].pl, rtp + hl, len - hl);
	naud++;
}

/* the UDP payload of one captured frame, if it goes to port */
static void frame_in(const uint8_t *f, size_t len, uint32_t link,
		     uint16_t port)
{
	size_t off = link == 113 ? 16 : link == 276 ? 20 : 14;
	const uint8_t *ip;
	size_t ihl;

	if (len < off + 28)
		return;
	ip = f + off;
	ihl = 4 * (ip[0] & 0x0f);
	if ((ip[0] >> 4) != 4 || ip[9] != 17 || len < off + ihl + 8)
		return;
	if (get16(ip + ihl + 2) != port)
		return;
	rtp_in(ip + ihl + 8, len - off - ihl - 8);
}

static void digits_h(void *arg, const char *d, int len)
{
	(void)arg;
	for (int i = 0; i < len && ninband + 1 < sizeof(inband); i++)
		inband[ninband++] = d[i];
}

static int cmp_seq(const void *a, const void *b)
{
	const struct audio *x = a, *y = b;

	return (int16_t)(x->seq - y->seq);
}

static void detect(void)
{
	dtmf_rx_state_t *rx = dtmf_rx_init(NULL, digits_h, NULL);
	int16_t amp[480];

	qsort(aud, naud, sizeof(*aud), cmp_seq);
	for (size_t i = 0; i < naud; i++) {
		for (size_t k = 0; k < aud[i].n; k++)
			amp[k] = aud[i].pt == 8 ? alaw_to_linear(aud[i].pl[k]) :
				ulaw_to_linear(aud[i].pl[k]);
		dtmf_rx(rx, amp, (int)aud[i].n);
	}
	dtmf_rx_free(rx);
}

static int scan(const char *in, uint16_t port)
{
	uint8_t gh[24], rec[16];
	static uint8_t f[MAXPKT];
	uint32_t link;
	FILE *fp = fopen(in, "rb");

	if (!fp || fread(gh, 1, 24, fp) != 24 ||
	    (get32(gh) != 0xd4c3b2a1 && get32(gh) != 0x4d3cb2a1)) {
		fprintf(stderr, "rtpdtmf: %s: not a little-endian pcap\n", in);
		return 1;
	}
	link = gh[20] | gh[21] << 8 | gh[22] << 16 | (uint32_t)gh[23] << 24;
	while (fread(rec, 1, 16, fp) == 16) {
		uint32_t cap = rec[8] | rec[9] << 8 | rec[10] << 16 |
			(uint32_t)rec[11] << 24;

		if (cap > MAXPKT || fread(f, 1, cap, fp) != cap)
			break;
		frame_in(f, cap, link, port);
	}
	fclose(fp);
	for (unsigned i = 0; i < nev; i++)
		printf("event %c ts=%u marker=%d updates=%u ends=%u "
		       "duration=%u\n", evs[i].code < 16 ?
		       codes[evs[i].code] : '?', evs[i].ts, evs[i].marker,
		       evs[i].updates, evs[i].ends, evs[i].dur);
	detect();
	printf("inband \"%s\" packets=%zu\n", inband, naud);
	free(aud);
	return 0;
}

int main(int argc, char **argv)
{
	struct impair o = IMPAIR_INIT;

	if (argc >= 4 && !strcmp(argv[1], "pcap")) {
		for (int i = 4; i < argc; i++)
			if (impair_opt(&o, argv[i]))
				goto usage;
		return make_pcap(argv[2], argv[3], &o);
	}
	if (argc == 4 && !strcmp(argv[1], "scan"))
		return scan(argv[2], (uint16_t)atoi(argv[3]));
 usage:
	fprintf(stderr, "usage: rtpdtmf pcap OUT DIGITS " IMPAIR_USAGE
		" | scan IN PORT\n");
	return 2;
}
