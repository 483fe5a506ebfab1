/*
 * The per-frame path of a stream, on its worker's loop: a block read
 * from the B-channel goes out as a tone's block or through the bridge
 * (gateway/media/media.c: echo control, DTMF, the law) to RTP, and pulls
 * one block from the jitter buffer for the B-channel; RTP in goes into
 * the jitter buffer.  The TDM side clocks it all.  Nothing here logs or
 * allocates; what the core must hear of goes as an event.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <spandsp.h>
#include "gateway/media/media_ec.h"
#include "gateway/mplane/mplane_int.h"
#include "tdm/pri/tdmpri.h"

/* one block of tone in place of the bridge's; the bridge's audio ends a
 * local ringback (early media or the answer's) */
static bool tone_block(struct wstream *s, size_t n)
{
	uint8_t buf[MEDIA_MAXBLOCK];

	if (s->media && tone_playing(s->tone) == TONE_RINGBACK)
		tone_stop(s->tone);
	if (!tone_active(s->tone) || n > sizeof(buf))
		return false;
	tone_fill(s->tone, buf, n);
	(void)bchan_io_write(s->io, buf, n);
	return true;
}

/* the B-channel's audio into the meter (sipri-ctl originate) */
static void meter_feed(struct wstream *s, const uint8_t *buf, size_t n)
{
	int16_t lin[MEDIA_MAXBLOCK];

	n = n < MEDIA_MAXBLOCK ? n : MEDIA_MAXBLOCK;
	for (size_t i = 0; i < n; i++)
		lin[i] = s->tdm_law == 'U' ? ulaw_to_linear(buf[i]) :
			alaw_to_linear(buf[i]);
	tone_meter_feed(&s->meter, lin, n);
}

void frame_tdm(const void *buf, size_t n, void *arg)
{
	struct wstream *s = arg;

	if (s->metering)
		meter_feed(s, buf, n);
	if (tone_block(s, n))
		return;
	if (s->media)
		media_tdm_block(s->media, buf, n);
}

int frame_to_rtp(const uint8_t *p, size_t n, uint32_t ts, bool marker,
		 void *arg)
{
	struct wstream *s = arg;

	return s->rtp ? siprtp_send(s->rtp, p, n, ts, marker) : ENOTCONN;
}

int frame_to_tdm(const uint8_t *p, size_t n, void *arg)
{
	struct wstream *s = arg;

	return s->io ? bchan_io_write(s->io, p, n) : ENOTCONN;
}

/* RFC 3550 A.3 and A.8 on every packet of the negotiated payload type;
 * the core hears the counters now and then, for show calls */
static void rtp_count(struct wstream *s, uint32_t ts, uint16_t seq)
{
	struct mplane_msg ev = {.op = MPLANE_EV_RTPSTAT};

	rtpstat_rx(&s->st.rtp, seq, ts, tmr_jiffies() * 8);
	if (s->st.rtp.received % MPLANE_RTPSTAT_EVERY)
		return;
	ev.u.rtpstat = s->st.rtp;
	mworker_event(s->w, s->id, &ev);
}

void frame_rtp(const uint8_t *g711, size_t n, uint32_t ts, uint16_t seq,
	       void *arg)
{
	struct wstream *s = arg;

	rtp_count(s, ts, seq);
	if (s->media)
		media_rtp_packet(s->media, g711, n, ts);
}

/* an RFC 4733 event in: played on the B-channel, once per key press */
void frame_telev(char digit, void *arg)
{
	struct wstream *s = arg;
	struct mplane_msg ev = {.op = MPLANE_EV_PLAYED};

	if (!s->dtmf)
		return;
	ev.u.dtmf.digit = digit;
	ev.u.dtmf.src = DTMF_SRC_RTP;
	ev.u.dtmf.err = dtmf_play(s->dtmf, digit, DTMF_SRC_RTP, tmr_jiffies());
	mworker_event(s->w, s->id, &ev);
}

enum { TELEV_ENDS = 3 };   /* RFC 4733 §2.5.1.4: the end packet, thrice */

/* a digit from the B-channel (detected or synthesised): RFC 4733 goes
 * from here; the core hears of its end (INFO, the log) */
void frame_dtmf(const struct dtmf_event *e, void *arg)
{
	struct wstream *s = arg;
	struct mplane_msg ev = {.op = MPLANE_EV_DTMF};

	if (s->dtmf_out == MPLANE_DTMF_RFC4733) {
		if (e->phase != DTMF_END)
			(void)siprtp_telev_send(s->rtp, e->digit, false, e->dur,
						e->ts, e->phase == DTMF_START);
		for (int i = 0; e->phase == DTMF_END && i < TELEV_ENDS; i++)
			(void)siprtp_telev_send(s->rtp, e->digit, true, e->dur,
						e->ts, false);
	}
	if (e->phase != DTMF_END)
		return;
	ev.u.dtmf.digit = e->digit;
	ev.u.dtmf.dur = e->dur;
	mworker_event(s->w, s->id, &ev);
}

/* G.168 §5: a modem's or fax's answer tone; the core turns DAHDI's
 * canceller off too */
void frame_ec_off(int tone, void *arg)
{
	struct wstream *s = arg;
	struct mplane_msg ev = {.op = MPLANE_EV_ECOFF};

	ev.u.tone_heard = tone;
	mworker_event(s->w, s->id, &ev);
}

void frame_rtp_event(const struct siprtp_event *e, void *arg)
{
	struct wstream *s = arg;
	struct mplane_msg ev = {.op = MPLANE_EV_RTP};

	ev.u.rtp_ev = *e;
	mworker_event(s->w, s->id, &ev);
}
