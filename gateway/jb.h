/*
 * An adaptive jitter buffer for G.711 on the RTP -> TDM path.
 *
 * Packets go in by RTP timestamp; the TDM clock takes one block out per
 * read.  The playout delay follows the measured interarrival jitter
 * (RFC 3550 §6.4.1): it grows after an underrun and sheds audio again,
 * a little at a time, once the jitter has gone.  Everything is allocated
 * up front: put and get never allocate.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_JB_H
#define SIPRI_JB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	JB_SIZE     = 8192,   /* samples held at most: about 1 s at 8 kHz */
	JB_MIN      = 160,    /* the smallest target delay: one frame */
	JB_MAX      = 3200,   /* the largest target delay: 400 ms */
};

struct jb_stats {
	uint64_t put, late, dropped, underruns, shrunk, resyncs;
};

struct jb {
	uint8_t ring[JB_SIZE];
	uint8_t valid[JB_SIZE / 8];
	bool started;
	bool buffering;       /* ran dry: refilling to the target */
	uint32_t playout;     /* RTP timestamp of the next sample out */
	uint32_t newest;      /* one past the newest sample in */
	uint64_t now;         /* local clock in samples (advanced by get) */
	int64_t transit;      /* RFC 3550 §6.4.1 relative transit, previous */
	double jitter;        /* interarrival jitter estimate, samples */
	unsigned target;      /* current target delay, samples */
	unsigned calm;        /* frames since the buffer last ran dry */
	uint8_t silence;      /* the law's idle code */
	struct jb_stats st;
};

void jb_init(struct jb *jb, uint8_t silence);
void jb_put(struct jb *jb, uint32_t ts, const uint8_t *p, size_t n);
void jb_get(struct jb *jb, uint8_t *out, size_t n);
unsigned jb_delay(const struct jb *jb);   /* buffered samples now */

#endif
