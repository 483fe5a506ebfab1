/*
 * An adaptive jitter buffer for G.711 on the RTP -> TDM path.
 *
 * Packets go in by RTP timestamp; the TDM clock takes one block out per
 * read.  The playout delay follows the measured interarrival jitter
 * (RFC 3550 §6.4.1): it grows after an underrun, on up to the target,
 * and sheds audio again, a little at a time, once the jitter has gone.
 * Everything is allocated up front: put and get never allocate.
 *
 * - Delay: the target is three times the measured jitter (enough for the
 *   lateness the jitter implies), within the configured minimum and
 *   maximum; playout starts one frame above it, so the buffer adds at
 *   most one frame beyond what the jitter needs.
 * - Adapting: once a second, by the least slack of that second's reads
 *   (the audio left beyond the frame each took): more than the target
 *   was not needed, and is shed; after running dry, until the target is
 *   met, the audio is stretched instead of waiting to run dry again.
 *   Either is one step of 5 to 15 ms: anywhere in quiet audio, else only
 *   where the audio repeats (a pitch period, a tone's whole periods),
 *   with a cross-fade, so a tone keeps its waveform.  A steady stream is
 *   left alone.
 * - Reordering: packets go into slots by timestamp; a late one is used
 *   while its samples have not been played.
 * - Loss: missing samples are concealed with spandsp's packet loss
 *   concealment (plc_fillin: the last pitch period repeated, fading out
 *   after 50 ms), so a lost packet leaves no gap.
 * - Timestamp jumps: beyond RESYNC_SPAN the buffer restarts on the new
 *   timeline (a new source, or a long silence suppressed).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_JB_H
#define SIPRI_JB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <spandsp/telephony.h>
#include <spandsp/plc.h>

enum {
	JB_SIZE     = 8192,   /* samples held at most: about 1 s at 8 kHz */
	JB_MIN      = 160,    /* default smallest target delay: one frame */
	JB_MAX      = 3200,   /* default largest target delay: 400 ms */
	JB_MAXFRAME = 480,    /* samples per get at most */
};

struct jb_stats {
	uint64_t put, late, dropped, underruns, shrunk, resyncs;
	uint64_t stretched;   /* steps grown towards the target */
	uint64_t concealed;   /* samples made up by loss concealment */
};

struct jb {
	uint8_t ring[JB_SIZE];
	uint8_t valid[JB_SIZE / 8];
	bool started;
	bool buffering;       /* ran dry: refilling to the target */
	bool played;          /* audio played: concealment has a history */
	bool dried;           /* ran dry since the delay last met the target */
	uint32_t playout;     /* RTP timestamp of the next sample out */
	uint32_t horizon;     /* played up to here (ahead after a stretch) */
	uint32_t newest;      /* one past the newest sample in */
	uint64_t now;         /* local clock in samples (advanced by get) */
	int64_t transit;      /* RFC 3550 §6.4.1 relative transit, previous */
	double jitter;        /* interarrival jitter estimate, samples */
	unsigned target;      /* current target delay, samples */
	unsigned low;         /* the least slack of this window, samples */
	unsigned min, max;    /* bounds of the target, samples */
	unsigned calm;        /* whole frames of this window (since dry) */
	uint8_t silence;      /* the law's idle code */
	char law;             /* 'A' or 'U', from the idle code */
	plc_state_t plc;
	struct jb_stats st;
};

void jb_init(struct jb *jb, uint8_t silence);
/* the target delay's bounds, samples (min <= max <= JB_SIZE / 2) */
int  jb_set_bounds(struct jb *jb, unsigned min, unsigned max);
void jb_put(struct jb *jb, uint32_t ts, const uint8_t *p, size_t n);
void jb_get(struct jb *jb, uint8_t *out, size_t n);
unsigned jb_delay(const struct jb *jb);   /* buffered samples now */

#endif
