/*
 * gateway/media/rtpstat.c: what a receiver knows of an RTP stream, as
 * RFC 3550 defines it for reception reports: packets received, packets
 * lost (A.3: expected from the extended highest sequence number, less
 * received; duplicates can make it negative) and the interarrival jitter
 * (A.8, in timestamp units; 8 per ms at 8 kHz).  Pure: the caller gives
 * each packet's sequence number, timestamp and arrival time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_MEDIA_RTPSTAT_H
#define SIPRI_GATEWAY_MEDIA_RTPSTAT_H

#include <stdbool.h>
#include <stdint.h>

struct rtpstat {
	bool started;
	uint16_t max_seq;          /* highest sequence number seen */
	uint32_t cycles;           /* its wraps, shifted by 16 (A.1) */
	uint32_t base_seq;
	uint64_t received;
	int64_t transit;           /* the previous packet's, ts units */
	double jitter;             /* ts units */
};

void rtpstat_init(struct rtpstat *s);
/* a packet: seq, RTP timestamp, arrival in timestamp units (ms * 8) */
void rtpstat_rx(struct rtpstat *s, uint16_t seq, uint32_t ts,
		uint64_t arrival);
int64_t rtpstat_lost(const struct rtpstat *s);
double  rtpstat_jitter_ms(const struct rtpstat *s, unsigned clock_khz);

#endif
