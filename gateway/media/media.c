/*
 * The media bridge (see media.h).  G.711 per ITU-T G.711; the A-law <->
 * mu-law conversion tables follow G.711 Tables 3 and 4 via spandsp.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <re.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include "gateway/media/dtmf.h"
#include "gateway/media/jb.h"
#include "gateway/media/media.h"
#include "gateway/media/media_ec.h"

struct media {
	char tdm_law, rtp_law;       /* 'A' or 'U' */
	const uint8_t *to_rtp;       /* NULL: same law, bytes pass through */
	const uint8_t *to_tdm;
	uint8_t a2u[256], u2a[256];
	uint32_t ts;                 /* next RTP timestamp out */
	bool started;
	struct jb jb;
	struct dtmf *dtmf;           /* not owned; NULL: no DTMF handling */
	media_send_h *sendh;
	media_write_h *writeh;
	void *arg;
	struct media_ec *ec;         /* echo control; not a reference */
	struct media_stats st;
};

uint8_t media_silence(char law)
{
	return law == 'U' ? 0xff : 0xd5;
}

static bool law_ok(char law)
{
	return law == 'A' || law == 'U';
}

int media_set_rtp_law(struct media *m, char rtp_law)
{
	if (!law_ok(rtp_law))
		return EINVAL;
	m->rtp_law = rtp_law;
	if (rtp_law == m->tdm_law) {
		m->to_rtp = m->to_tdm = NULL;
	}
	else if (m->tdm_law == 'A') {
		m->to_rtp = m->a2u;
		m->to_tdm = m->u2a;
	}
	else {
		m->to_rtp = m->u2a;
		m->to_tdm = m->a2u;
	}
	return 0;
}

int media_alloc(struct media **mp, char tdm_law, char rtp_law,
		media_send_h *sendh, media_write_h *writeh, void *arg)
{
	struct media *m;

	if (!mp || !law_ok(tdm_law) || !law_ok(rtp_law))
		return EINVAL;
	m = mem_zalloc(sizeof(*m), NULL);
	if (!m)
		return ENOMEM;
	for (int i = 0; i < 256; i++) {
		m->a2u[i] = alaw_to_ulaw((uint8_t)i);
		m->u2a[i] = ulaw_to_alaw((uint8_t)i);
	}
	m->tdm_law = tdm_law;
	m->ts = rand_u32();
	m->sendh = sendh;
	m->writeh = writeh;
	m->arg = arg;
	jb_init(&m->jb, media_silence(tdm_law));
	media_set_rtp_law(m, rtp_law);
	*mp = m;
	return 0;
}

static void transcode(const uint8_t *table, uint8_t *dst, const uint8_t *src,
		      size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = table[src[i]];
}

/* One block from the B-channel: out to RTP, and one block back in */
void media_tdm_block(struct media *m, const uint8_t *p, size_t n)
{
	uint8_t buf[MEDIA_MAXBLOCK], ecbuf[MEDIA_MAXBLOCK];
	const uint8_t *out = p;

	if (n > MEDIA_MAXBLOCK)
		n = MEDIA_MAXBLOCK;
	m->st.tdm_blocks++;
	if (media_ec_active(m->ec)) {   /* take the line's echo out */
		memcpy(ecbuf, p, n);
		media_ec_rx(m->ec, ecbuf, n);
		out = p = ecbuf;
	}
	if (m->dtmf)
		out = p = dtmf_tdm_in(m->dtmf, p, n, m->ts);
	if (m->to_rtp) {
		transcode(m->to_rtp, buf, p, n);
		out = buf;
	}
	if (m->sendh) {
		int err = m->sendh(out, n, m->ts, !m->started, m->arg);

		if (err == EAGAIN)
			m->st.rtp_held++;
		else if (err)
			m->st.send_errors++;
		else
			m->st.rtp_sent++;
		m->started = true;
	}
	m->ts += n;

	jb_get(&m->jb, buf, n);
	if (m->dtmf)
		dtmf_tdm_out(m->dtmf, buf, n);
	media_ec_tx(m->ec, buf, n);   /* the canceller's reference: all of it */
	if (m->writeh && m->writeh(buf, n, m->arg))
		m->st.write_errors++;
}

/* One RTP payload in: into the jitter buffer, in the TDM law */
void media_rtp_packet(struct media *m, const uint8_t *p, size_t n,
		      uint32_t ts)
{
	uint8_t buf[MEDIA_MAXBLOCK];

	if (n > MEDIA_MAXBLOCK)
		n = MEDIA_MAXBLOCK;
	m->st.rtp_recv++;
	if (m->to_tdm) {
		transcode(m->to_tdm, buf, p, n);
		p = buf;
	}
	jb_put(&m->jb, ts, p, n);
}

void media_set_dtmf(struct media *m, struct dtmf *d)
{
	m->dtmf = d;
}

/* The jitter buffer's bounds, samples */
int media_set_jitter(struct media *m, unsigned min, unsigned max)
{
	return jb_set_bounds(&m->jb, min, max);
}

/* Echo control on the B-channel's audio (media_ec.h); the caller owns it
 * and keeps it for the bridge's life */
void media_set_ec(struct media *m, struct media_ec *ec)
{
	m->ec = ec;
}

const struct media_stats *media_stats(const struct media *m)
{
	return &m->st;
}

unsigned media_jb_delay(const struct media *m)
{
	return jb_delay(&m->jb);
}

const struct jb_stats *media_jb_stats(const struct media *m)
{
	return &m->jb.st;
}
