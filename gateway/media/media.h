/*
 * The media bridge: one B-channel and one RTP stream, G.711 both ways.
 *
 * It is clocked by the TDM side: every block read from the B-channel goes
 * out as one RTP packet (20 ms at blocksize 160) and pulls one block from
 * the jitter buffer for the B-channel.  Laws that differ are transcoded
 * by table; equal laws pass bytes through untouched.  Nothing on this
 * path allocates or logs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_MEDIA_H
#define SIPRI_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "gateway/media/jb.h"

enum { MEDIA_MAXBLOCK = 480 };   /* samples: up to 60 ms per block */

/* send one G.711 payload (RTP law) with its RTP timestamp; EAGAIN: not
 * sent on purpose (the far end holds the call), not an error */
typedef int (media_send_h)(const uint8_t *p, size_t n, uint32_t ts,
			   bool marker, void *arg);
/* write one block to the B-channel (TDM law) */
typedef int (media_write_h)(const uint8_t *p, size_t n, void *arg);

struct media_stats {
	uint64_t tdm_blocks, rtp_sent, rtp_recv, send_errors, write_errors;
	uint64_t rtp_held;             /* blocks not sent during a hold */
};

struct media;
struct dtmf;
struct media_ec;

int  media_alloc(struct media **mp, char tdm_law, char rtp_law,
		 media_send_h *sendh, media_write_h *writeh, void *arg);
int  media_set_rtp_law(struct media *m, char rtp_law);
/* DTMF detection, suppression and generation on this bridge (dtmf.h);
 * the caller keeps d alive as long as the bridge */
void media_set_dtmf(struct media *m, struct dtmf *d);
void media_set_ec(struct media *m, struct media_ec *ec);
int  media_set_jitter(struct media *m, unsigned min, unsigned max);
void media_tdm_block(struct media *m, const uint8_t *p, size_t n);
void media_rtp_packet(struct media *m, const uint8_t *p, size_t n,
		      uint32_t ts);
const struct media_stats *media_stats(const struct media *m);
const struct jb_stats *media_jb_stats(const struct media *m);
unsigned media_jb_delay(const struct media *m);
uint8_t media_silence(char law);

#endif
