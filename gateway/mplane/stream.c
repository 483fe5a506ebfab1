/*
 * A stream as its worker holds it: one call's B-channel, RTP session,
 * bridge and tones, changed only by the core's commands (mplane.h).
 * The per-frame path is frame.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <unistd.h>
#include "gateway/media/media_ec.h"
#include "gateway/mplane/mplane_int.h"
#include "tdm/pri/tdmpri.h"

/* the bridge goes; st (optional) gets its counters */
static void unbridge(struct wstream *s, struct mplane_stats *st)
{
	if (st)
		st->rtp = s->st.rtp;
	if (st && s->media) {
		st->bridged = true;
		st->media = *media_stats(s->media);
		st->jb = *media_jb_stats(s->media);
	}
	if (st && s->dtmf) {
		st->dtmf = true;
		st->dtmfst = *dtmf_stats(s->dtmf);
	}
	if (st && s->ec) {
		st->ec = true;
		st->ec_active = media_ec_active(s->ec);
		st->erle = media_ec_erle(s->ec);
		st->ec_delay_ms = media_ec_delay_ms(s->ec);
	}
	s->media = mem_deref(s->media);
	s->dtmf = mem_deref(s->dtmf);
	s->ec = mem_deref(s->ec);
}

/* the RTP session goes; its CLOSED event goes to the core as EV_RTP */
static void rtp_close(struct wstream *s)
{
	s->rtp = mem_deref(s->rtp);
}

/* I/O on the B-channel stops; a fd that is ours is closed, after its
 * reader left the loop, and the core hears which channel is free */
static void tdm_stop(struct wstream *s)
{
	struct mplane_msg ev = {.op = MPLANE_EV_TDM_CLOSED};

	s->io = mem_deref(s->io);
	if (s->tdm_fd < 0)
		return;
	if (s->tdm_close_us)
		(void)usleep(s->tdm_close_us);   /* debug_close_us */
	(void)close(s->tdm_fd);
	s->tdm_fd = -1;
	ev.u.tdm.fd = -1;
	ev.u.tdm.span = s->tdm_span;
	ev.u.tdm.ts = s->tdm_ts;
	mworker_event(s->w, 0, &ev);
}

static void destructor(void *data)
{
	struct wstream *s = data;

	hash_unlink(&s->le);
	unbridge(s, NULL);
	rtp_close(s);
	tdm_stop(s);
	s->tone = mem_deref(s->tone);
}

struct wstream *wstream_alloc(struct mworker *w, uint32_t id)
{
	struct wstream *s = mem_zalloc(sizeof(*s), destructor);

	if (!s)
		return NULL;
	s->w = w;
	s->id = id;
	s->tdm_fd = -1;
	rtpstat_init(&s->st.rtp);
	return s;
}

/*
 * TDM_PRIME blocks of the law's silence ahead in the transmit buffer of a
 * channel just set up (since): the block written after each block read
 * then has that much slack, so a late wake-up does not make the driver
 * send idle in the middle of the audio, which would also shift the echo
 * path under an echo canceller.
 */
enum { TDM_PRIME = 2 };

/* the B-channel: read and written here until the core says -1 */
static void tdm_set(struct wstream *s, const struct mplane_msg *m)
{
	tdm_stop(s);
	if (m->u.tdm.fd < 0)
		return;
	s->tdm_law = m->u.tdm.law;
	if (m->u.tdm.own) {
		s->tdm_fd = m->u.tdm.fd;
		s->tdm_span = m->u.tdm.span;
		s->tdm_ts = m->u.tdm.ts;
		s->tdm_close_us = m->u.tdm.close_us;
	}
	(void)bchan_io_alloc(&s->io, m->u.tdm.fd, false, m->u.tdm.since,
			     frame_tdm, s);
	if (s->io && m->u.tdm.since)
		(void)bchan_io_prime(s->io, TDM_PRIME,
				     media_silence(s->tdm_law));
}

/* UNBRIDGE: the counters to the waiting core, or as an event */
static void unbridge_cmd(struct wstream *s, struct mplane_env *env)
{
	struct mplane_msg ev = {.op = MPLANE_EV_STATS};

	if (env->out) {
		unbridge(s, env->out);
		return;
	}
	unbridge(s, &ev.u.stats);
	mworker_event(s->w, s->id, &ev);
}

/* END: the stream goes; EV_CLOSED follows its last events */
static void end(struct wstream *s)
{
	struct mplane_msg ev = {.op = MPLANE_EV_CLOSED};
	struct mworker *w = s->w;
	uint32_t id = s->id;

	mem_deref(s);
	mworker_event(w, id, &ev);
}

static void rtp_set(struct wstream *s, struct mplane_env *env)
{
	rtp_close(s);
	s->rtp = env->m.u.rtp;   /* ours now */
	env->m.u.rtp = NULL;
	if (siprtp_start(s->rtp, frame_rtp, frame_telev, frame_rtp_event, s))
		s->rtp = mem_deref(s->rtp);
}

static void bridge(struct wstream *s, const struct mplane_bridge *b)
{
	if (s->media) {
		(void)media_set_rtp_law(s->media, b->rtp_law);
		return;
	}
	if (media_alloc(&s->media, b->tdm_law, b->rtp_law, frame_to_rtp,
			frame_to_tdm, s))
		return;
	(void)media_set_jitter(s->media, b->jb_min, b->jb_max);
	if (!dtmf_alloc(&s->dtmf, b->tdm_law, &b->dtmf, frame_dtmf, s))
		media_set_dtmf(s->media, s->dtmf);
	if (b->ec && !media_ec_alloc(&s->ec, b->tdm_law, b->soft_ec_taps,
				     frame_ec_off, s))
		media_set_ec(s->media, s->ec);
}

static void tone(struct wstream *s, const struct mplane_tone *t)
{
	if (t->kind == TONE_NONE) {
		s->tone = mem_deref(s->tone);
		return;
	}
	if (!s->tone && tone_gen_alloc(&s->tone, t->country, t->law))
		return;
	(void)tone_play(s->tone, t->kind);
}

static void dtmf_cmd(struct wstream *s, const struct mplane_msg *m)
{
	struct mplane_msg ev = {.op = MPLANE_EV_PLAYED};

	if (!s->dtmf)
		return;
	if (m->op == MPLANE_CMD_DTMF_SEND) {
		(void)dtmf_send(s->dtmf, m->u.dtmf.digit, m->u.dtmf.inband);
		return;
	}
	ev.u.dtmf = m->u.dtmf;
	ev.u.dtmf.err = dtmf_play(s->dtmf, m->u.dtmf.digit, m->u.dtmf.src,
				  tmr_jiffies());
	mworker_event(s->w, s->id, &ev);
}

void wstream_cmd(struct wstream *s, struct mplane_env *env)
{
	const struct mplane_msg *m = &env->m;
	struct mplane_msg ev;

	s->st.cmds++;
	switch ((int)m->op) {

	case MPLANE_CMD_PING:
		memset(&ev, 0, sizeof(ev));
		ev.op = MPLANE_EV_PONG;
		ev.u.ping = m->u.ping;
		mworker_event(s->w, s->id, &ev);
		break;
	case MPLANE_CMD_TDM:
		tdm_set(s, m);
		break;
	case MPLANE_CMD_RTP:
		rtp_set(s, env);
		break;
	case MPLANE_CMD_DESC:
		(void)siprtp_update(s->rtp, &m->u.desc);
		break;
	case MPLANE_CMD_RTP_CLOSE:
		rtp_close(s);
		break;
	case MPLANE_CMD_BRIDGE:
		bridge(s, &m->u.bridge);
		break;
	case MPLANE_CMD_UNBRIDGE:
		unbridge_cmd(s, env);
		break;
	case MPLANE_CMD_DTMF_MODE:
		s->dtmf_out = m->u.mode.out;
		if (s->dtmf)
			dtmf_set_suppress(s->dtmf, m->u.mode.suppress);
		break;
	case MPLANE_CMD_DTMF_PLAY:
	case MPLANE_CMD_DTMF_SEND:
		dtmf_cmd(s, m);
		break;
	case MPLANE_CMD_TONE:
		tone(s, &m->u.tone);
		break;
	case MPLANE_CMD_METER:
		tone_meter_init(&s->meter, m->u.meter.dur_s,
				m->u.meter.thresh_dbm0);
		s->meter.onset_hz = m->u.meter.onset_hz;
		s->metering = true;
		break;
	case MPLANE_CMD_METER_END:
		if (env->out)
			*(struct tone_meter *)env->out = s->meter;
		s->metering = false;
		break;
	case MPLANE_CMD_CLOSE:
		if (env->out)
			*(struct mplane_stats *)env->out = s->st;
		mem_deref(s);
		break;
	case MPLANE_CMD_END:
		end(s);
		break;
	default:
		break;
	}
}
