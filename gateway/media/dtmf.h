/*
 * DTMF on a B-channel's media path (spandsp dtmf_rx and dtmf_tx).
 *
 * TDM -> SIP: every block read from the B-channel runs through dtmf_rx;
 * its realtime callback marks the start and the end of each digit, and
 * the owner hears of them as events (START, then UPDATE once a block,
 * then END with the duration), clocked by the TDM blocks.  While a digit
 * is relayed out of band, the in-band tone is suppressed: the audio to
 * RTP goes through a short delay line (longer than the detector's
 * latency) and the blocks that held the tone leave as the law's idle
 * code, so no leading or trailing fragment of it reaches the far end.
 * Digits that were never in-band (ISDN KEYPAD or INFORMATION) are
 * synthesised: as events (for RFC 4733 or INFO), or as a tone mixed into
 * the audio to RTP (in-band relay).
 *
 * SIP -> TDM: digits from RFC 4733 and from INFO are played with dtmf_tx
 * over what the jitter buffer gives the B-channel.  The same digit from
 * the other source within DTMF_DEDUP_MS is one key press sent twice by a
 * peer that uses both methods, and plays once.
 *
 * Everything is allocated with the object: the per-block functions never
 * allocate and never log.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_DTMF_H
#define SIPRI_DTMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	DTMF_MAXDELAY  = 480,    /* samples: 60 ms of delay line at most */
	DTMF_DEDUP_MS  = 1000,   /* INFO and RFC 4733 copies of one press */
};

struct dtmf_prm {
	int threshold;           /* dBm0: weakest tone detected */
	int twist;               /* dB: acceptable normal twist */
	int reverse_twist;       /* dB: acceptable reverse twist */
	int level;               /* dBm0: generated tone level */
	unsigned on_ms, off_ms;  /* generated tone and gap lengths */
	unsigned delay_ms;       /* suppression delay line, TDM -> RTP */
};

enum dtmf_phase { DTMF_START, DTMF_UPDATE, DTMF_END };

/* where a digit for the B-channel came from, for duplicate detection */
enum dtmf_src { DTMF_SRC_RTP, DTMF_SRC_INFO };

struct dtmf_event {
	char digit;              /* 0-9 * # A-D */
	enum dtmf_phase phase;
	uint32_t ts;             /* RTP timestamp of the event's start */
	unsigned dur;            /* samples since the start */
};

typedef void (dtmf_event_h)(const struct dtmf_event *ev, void *arg);

struct dtmf_stats {
	uint64_t detected, synthesised, played, duplicates, suppressed;
};

struct dtmf;

int  dtmf_alloc(struct dtmf **dp, char law, const struct dtmf_prm *prm,
		dtmf_event_h *eventh, void *arg);
/* relay out of band (mute and delay the in-band tone) or not */
void dtmf_set_suppress(struct dtmf *d, bool on);
/* a B-channel block (TDM law) whose audio leaves as RTP timestamp ts:
 * returns the block to send instead (delayed, tones suppressed) */
const uint8_t *dtmf_tdm_in(struct dtmf *d, const uint8_t *p, size_t n,
			   uint32_t ts);
/* the block about to be written to the B-channel: digits played over it */
void dtmf_tdm_out(struct dtmf *d, uint8_t *p, size_t n);
/* a digit from SIP for the B-channel; EALREADY when it is a duplicate */
int  dtmf_play(struct dtmf *d, char digit, enum dtmf_src src, uint64_t now);
/* a digit from the PRI (KEYPAD, INFORMATION) for SIP: as events, or in
 * the audio when inband */
int  dtmf_send(struct dtmf *d, char digit, bool inband);
const struct dtmf_stats *dtmf_stats(const struct dtmf *d);
bool dtmf_valid(char digit);

#endif
