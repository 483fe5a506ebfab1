/*
 * The media bridge: pass-through when the laws match, A-law <-> mu-law
 * transcoding when they differ (checked by decoding both sides), 20 ms
 * RTP timestamps with the marker on the first packet, and RTP audio
 * reaching the B-channel through the jitter buffer.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <re.h>
#include <stdlib.h>
#include <string.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>
#include "gateway/media/media.h"
#include "tests/tap.h"

enum { N = 160 };

struct sink {
	uint8_t last_rtp[N], last_tdm[N];
	uint32_t ts[8];
	bool marker[8];
	int nsent, nwritten;
};

static int on_send(const uint8_t *p, size_t n, uint32_t ts, bool marker,
		   void *arg)
{
	struct sink *s = arg;

	memcpy(s->last_rtp, p, n);
	if (s->nsent < 8) {
		s->ts[s->nsent] = ts;
		s->marker[s->nsent] = marker;
	}
	s->nsent++;
	return 0;
}

static int on_write(const uint8_t *p, size_t n, void *arg)
{
	struct sink *s = arg;

	memcpy(s->last_tdm, p, n);
	s->nwritten++;
	return 0;
}

static int16_t dec(char law, uint8_t b)
{
	return law == 'A' ? alaw_to_linear(b) : ulaw_to_linear(b);
}

static void tone(char law, uint8_t *p, int k0)
{
	for (int i = 0; i < N; i++) {
		int16_t s = (int16_t)(8000 * sin(2 * M_PI * 1004 * (k0 + i) / 8000.0));

		p[i] = law == 'A' ? linear_to_alaw(s) : linear_to_ulaw(s);
	}
}

/* largest difference between two blocks after decoding each in its law */
static int maxdiff(char la, const uint8_t *a, char lb, const uint8_t *b)
{
	int m = 0;

	for (int i = 0; i < N; i++) {
		int d = abs(dec(la, a[i]) - dec(lb, b[i]));

		if (d > m)
			m = d;
	}
	return m;
}

static void run(char tdm, char rtp)
{
	struct sink s = {0};
	struct media *m = NULL;
	uint8_t blk[N];

	ok(!media_alloc(&m, tdm, rtp, on_send, on_write, &s),
	   "%c-law TDM, %c-law RTP: bridge up", tdm, rtp);
	for (int k = 0; k < 6; k++) {
		tone(tdm, blk, k * N);
		media_tdm_block(m, blk, N);
	}
	if (tdm == rtp)
		ok(!memcmp(s.last_rtp, blk, N), "same law: bytes pass untouched");
	else
		ok(maxdiff(tdm, blk, rtp, s.last_rtp) < 600,
		   "transcoded: the tone decodes the same (max diff %d)",
		   maxdiff(tdm, blk, rtp, s.last_rtp));
	ok(s.nsent == 6 && s.ts[1] - s.ts[0] == N && s.ts[5] - s.ts[4] == N,
	   "one RTP packet per block, timestamps step by %d", N);
	ok(s.marker[0] && !s.marker[1], "marker bit on the first packet only");

	/* RTP in: after the jitter buffer's delay, the audio reaches TDM */
	uint8_t pkt[N];
	int got = 0;

	for (int k = 0; k < 10; k++) {
		tone(rtp, pkt, k * N);
		media_rtp_packet(m, pkt, N, 5000 + k * N);
		tone(tdm, blk, 0);
		media_tdm_block(m, blk, N);
		if (s.last_tdm[0] != media_silence(tdm) ||
		    s.last_tdm[40] != media_silence(tdm))
			got++;
	}
	ok(got >= 7, "RTP audio reaches the B-channel (%d of 10 blocks)", got);
	ok(s.nwritten == 16, "one B-channel write per TDM block");
	mem_deref(m);
}

int main(void)
{
	struct media *m = NULL;

	run('A', 'A');
	run('A', 'U');
	run('U', 'A');
	run('U', 'U');
	ok(media_alloc(&m, 'X', 'A', NULL, NULL, NULL) == EINVAL,
	   "an unknown law is refused");
	return tap_done();
}
