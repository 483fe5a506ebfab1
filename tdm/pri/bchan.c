/*
 * A B-channel's audio from the libre loop.  The channel is opened as DAHDI
 * hands it to a PBX: /dev/dahdi/channel, SPECIFY, SET_BLOCKSIZE 160 (20 ms),
 * SET_BUFINFO with BCHAN_NUMBUFS buffers each way (as chan_dahdi's
 * buffers= setting) and, when asked, AUDIOMODE + SETLINEAR for 16-bit
 * samples.  Its reads (bchanio.c) are paced by the span's 8 kHz clock;
 * the owner writes one block per block read, so the transmit queue
 * neither starves nor grows, after priming it with a few blocks of slack
 * (bchan_io_prime): a process that wakes up late then neither loses received
 * audio nor lets the driver send idle in the middle of its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <dahdi/user.h>
#include <re.h>
#include "tdmpri.h"

struct bchan {
	int fd;
	int channo;
	bool linear;
	bool disowned;           /* its fd is another's to close */
	uint64_t since;          /* buffers set up empty (tmr_jiffies()) */
	struct bchan_io *io;     /* reading on this loop, or NULL */
};

static void destructor(void *data)
{
	struct bchan *b = data;

	b->io = mem_deref(b->io);
	if (b->fd >= 0 && !b->disowned)
		close(b->fd);
}

/* Another loop closes the fd (tdm_chan_h); it stays usable for ioctls
 * until then */
void bchan_disown(struct bchan *b)
{
	if (b)
		b->disowned = true;
}

static int chan_setup(struct bchan *b)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = BCHAN_NUMBUFS,
		.bufsize = BCHAN_BLOCK,
	};
	int v;

	/* bufsize is the block size: DAHDI_SET_BUFINFO reallocates the
	 * buffers as DAHDI_SET_BLOCKSIZE would (dahdi-base.c), one ioctl,
	 * and one FUSE round trip on vdahdi, fewer per call */
	if (ioctl(b->fd, DAHDI_SET_BUFINFO, &bi) < 0)
		return errno;
	b->since = tmr_jiffies();
	if (!b->linear)
		return 0;
	/* linear samples need audio mode, as chan_dahdi sets it */
	v = 1;
	if (ioctl(b->fd, DAHDI_AUDIOMODE, &v) < 0)
		return errno;
	if (ioctl(b->fd, DAHDI_SETLINEAR, &v) < 0)
		return errno;
	return 0;
}

int bchan_alloc(struct bchan **bp, int channo, bool linear,
		bchan_recv_h *rh, void *arg)
{
	struct bchan *b;
	int err;

	if (!bp || channo < 1)
		return EINVAL;
	b = mem_zalloc(sizeof(*b), destructor);
	if (!b)
		return ENOMEM;
	b->fd = -1;
	b->channo = channo;
	b->linear = linear;

	err = dahdi_chan_bind(&b->fd, channo, NULL);
	if (err)
		goto out;
	err = chan_setup(b);
	if (err)
		goto out;
	/* no handler: its reads happen elsewhere (bchan_io_alloc) */
	if (rh)
		err = bchan_io_alloc(&b->io, b->fd, linear, b->since, rh,
				     arg);
 out:
	if (err)
		mem_deref(b);
	else
		*bp = b;
	return err;
}

/* Write n samples (at most one block); EAGAIN when the queue is full */
int bchan_write(struct bchan *b, const void *buf, size_t n)
{
	if (!b)
		return EINVAL;
	return bchan_fd_write(b->fd, b->linear, buf, n, b->io);
}

/*
 * Ask the channel's echo canceller (hardware, or OSLEC in the kernel) for
 * taps taps (8 per ms), or turn it off with 0, as chan_dahdi does:
 * DAHDI_ECHOCANCEL_PARAMS with no extra parameters.
 */
int bchan_echocancel(struct bchan *b, unsigned taps)
{
	struct dahdi_echocanparams ecp;

	if (!b || b->fd < 0)
		return EINVAL;
	memset(&ecp, 0, sizeof(ecp));
	ecp.tap_length = taps;
	if (ioctl(b->fd, DAHDI_ECHOCANCEL_PARAMS, &ecp) < 0)
		return errno;
	return 0;
}

int bchan_channo(const struct bchan *b)
{
	return b ? b->channo : -1;
}

uint64_t bchan_events(const struct bchan *b)
{
	return b ? bchan_io_events(b->io) : 0;
}

int bchan_fd(const struct bchan *b)
{
	return b ? b->fd : -1;
}

uint64_t bchan_since(const struct bchan *b)
{
	return b ? b->since : 0;
}

