/*
 * B-channels: blocks of audio in the channel's law, or 16-bit linear after
 * DAHDI_SETLINEAR.  The rings hold what is on the wire (A-law or mu-law
 * bytes) and are sized numbufs x blocksize, so a reader that falls behind
 * loses the oldest audio and a writer that runs ahead of the clock is held
 * back: neither builds up latency.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "vdahdi.h"
#include "g711.h"

uint8_t vd_law_silence(int law)
{
	/* A-law 0x00 is loud; the silent codes are 0xd5 and 0xff */
	return law == DAHDI_LAW_MULAW ? 0xff : 0xd5;
}

int vd_bchan_setbuf(struct vd_chan *ch, int blocksize, int numbufs)
{
	int err;

	if (blocksize < 16 || blocksize > DAHDI_MAX_BLOCKSIZE)
		return EINVAL;
	if (numbufs < 2 || numbufs > DAHDI_MAX_NUM_BUFS)
		return EINVAL;
	/* dahdi-base refuses more than DAHDI_MAX_BUF_SPACE in all */
	if ((size_t)blocksize * numbufs > DAHDI_MAX_BUF_SPACE)
		return EINVAL;

	err = vd_ring_alloc(&ch->rx, (size_t)blocksize * numbufs);
	if (!err)
		err = vd_ring_alloc(&ch->tx, (size_t)blocksize * numbufs);
	if (err)
		return err;
	ch->blocksize = blocksize;
	ch->numbufs = numbufs;
	return 0;
}

static bool is_linear(const struct vd_chan *ch)
{
	return ch->linear && ch->audiomode;
}

size_t vd_bchan_frame_bytes(const struct vd_chan *ch)
{
	return (size_t)ch->blocksize * (is_linear(ch) ? 2 : 1);
}

bool vd_bchan_readable(const struct vd_chan *ch)
{
	return ch->rx.count >= (size_t)ch->blocksize;
}

bool vd_bchan_writable(const struct vd_chan *ch)
{
	return ch->tx.size - ch->tx.count >= (size_t)ch->blocksize;
}

int16_t vd_law_decode(int law, uint8_t s)
{
	return law == DAHDI_LAW_MULAW ? ulaw_to_linear(s) : alaw_to_linear(s);
}

uint8_t vd_law_encode(int law, int16_t s)
{
	return law == DAHDI_LAW_MULAW ? linear_to_ulaw(s) : linear_to_alaw(s);
}

/* One read returns at most one block, as DAHDI does */
int vd_bchan_read(struct vd_chan *ch, uint8_t *buf, size_t size,
		  size_t *lenp)
{
	uint8_t block[DAHDI_MAX_BLOCKSIZE];
	size_t n;

	if (!vd_bchan_readable(ch))
		return EAGAIN;
	vd_ring_get(&ch->rx, block, ch->blocksize);

	if (!is_linear(ch)) {
		n = size < (size_t)ch->blocksize ? size : (size_t)ch->blocksize;
		memcpy(buf, block, n);
		*lenp = n;
		return 0;
	}
	n = size / 2 < (size_t)ch->blocksize ? size / 2 : (size_t)ch->blocksize;
	for (size_t i = 0; i < n; i++) {
		int16_t s = vd_law_decode(ch->law, block[i]);

		memcpy(buf + 2 * i, &s, 2);
	}
	*lenp = 2 * n;
	return 0;
}

/* One write takes at most one block; *donep says how many bytes */
int vd_bchan_write(struct vd_chan *ch, const uint8_t *buf, size_t len,
		   size_t *donep)
{
	uint8_t block[DAHDI_MAX_BLOCKSIZE];
	size_t n, room = ch->tx.size - ch->tx.count;

	if (!vd_bchan_writable(ch))
		return EAGAIN;
	/* a write stops the tone of a span channel (dahdi_chan_write) */
	if (ch->span)
		vd_tone_stop(ch);

	n = is_linear(ch) ? len / 2 : len;
	if (n > (size_t)ch->blocksize)
		n = ch->blocksize;
	if (n > room)
		n = room;
	if (!n)
		return EINVAL;

	if (!is_linear(ch)) {
		vd_ring_put(&ch->tx, buf, n);
		*donep = n;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		int16_t s;

		memcpy(&s, buf + 2 * i, 2);
		block[i] = vd_law_encode(ch->law, s);
	}
	vd_ring_put(&ch->tx, block, n);
	*donep = 2 * n;
	return 0;
}
