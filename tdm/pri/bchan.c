/*
 * A B-channel's audio from the libre loop.  The channel is opened as DAHDI
 * hands it to a PBX: /dev/dahdi/channel, SPECIFY, SET_BLOCKSIZE 160 (20 ms),
 * SET_BUFINFO with BCHAN_NUMBUFS buffers each way (as chan_dahdi's
 * buffers= setting) and, when asked, AUDIOMODE + SETLINEAR for 16-bit
 * samples.  Reads are paced by the span's 8 kHz clock; the owner writes
 * one block per block read, so the transmit queue neither starves nor
 * grows, after priming it with a few blocks of slack (bchan_prime): a
 * process that wakes up late then neither loses received audio nor lets
 * the driver send idle in the middle of its own.
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

enum { READ_BURST = 8 };

/* a B-channel's reads and writes, on the loop that listens to its fd */
struct bchan_io {
	int fd;                  /* not owned: its struct bchan closes it */
	bool linear;
	bool listening;
	uint64_t events;         /* DAHDI events seen (and dropped) */
	bchan_recv_h *rh;
	void *arg;
};

struct bchan {
	int fd;
	int channo;
	bool linear;
	struct bchan_io *io;     /* listening on this loop, or NULL */
};

static void io_stop(struct bchan_io *io)
{
	if (io->listening)
		fd_close(io->fd);
	io->listening = false;
}

static void io_destructor(void *data)
{
	io_stop(data);
}

static void destructor(void *data)
{
	struct bchan *b = data;

	b->io = mem_deref(b->io);
	if (b->fd >= 0)
		close(b->fd);
}

static void events_drain(struct bchan_io *io)
{
	int ev;

	while (!dahdi_event_get(io->fd, &ev) && ev != DAHDI_EVENT_NONE)
		io->events++;
}

static void fd_handler(int flags, void *arg)
{
	struct bchan_io *io = arg;
	int16_t buf[DAHDI_MAX_BLOCKSIZE];

	if (!(flags & (FD_READ | FD_EXCEPT)))
		return;
	mem_ref(io);
	for (int i = 0; i < READ_BURST && io->listening; i++) {
		ssize_t n = read(io->fd, buf, sizeof(buf));

		if (n < 0) {
			if (errno == ELAST) {
				events_drain(io);
				continue;
			}
			/* the channel is gone (dahdi_gone()) and would be
			 * ready to poll for ever: stop listening; the
			 * D-channel takes the span, and so the call, down */
			if (dahdi_gone(errno))
				io_stop(io);
			break;
		}
		if (n == 0)
			break;
		if (io->rh)
			io->rh(buf, io->linear ? (size_t)n / 2 : (size_t)n,
			       io->arg);
	}
	mem_deref(io);
}

/*
 * The reads and writes of a B-channel opened elsewhere (bchan_fd), on
 * the calling thread's loop: a media-plane worker's, while the thread
 * that opened the channel keeps it open and does its ioctls.  The owner
 * frees the bchan_io before the channel closes.
 */
int bchan_io_alloc(struct bchan_io **iop, int fd, bool linear,
		   bchan_recv_h *rh, void *arg)
{
	struct bchan_io *io;
	int err;

	if (!iop || fd < 0)
		return EINVAL;
	io = mem_zalloc(sizeof(*io), io_destructor);
	if (!io)
		return ENOMEM;
	io->fd = fd;
	io->linear = linear;
	io->rh = rh;
	io->arg = arg;
	err = fd_listen(fd, FD_READ, fd_handler, io);
	if (err) {
		mem_deref(io);
		return err;
	}
	io->listening = true;
	*iop = io;
	return 0;
}

static int chan_setup(struct bchan *b)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = BCHAN_NUMBUFS,
		.bufsize = BCHAN_BLOCK,
	};
	int v = BCHAN_BLOCK;

	if (ioctl(b->fd, DAHDI_SET_BLOCKSIZE, &v) < 0)
		return errno;
	if (ioctl(b->fd, DAHDI_SET_BUFINFO, &bi) < 0)
		return errno;
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
		err = bchan_io_alloc(&b->io, b->fd, linear, rh, arg);
 out:
	if (err)
		mem_deref(b);
	else
		*bp = b;
	return err;
}

static int io_write(int fd, bool linear, const void *buf, size_t n,
		    struct bchan_io *io)
{
	size_t len;
	ssize_t w;

	if (!buf || !n || n > BCHAN_BLOCK)
		return EINVAL;
	len = linear ? 2 * n : n;
	w = write(fd, buf, len);
	if (w < 0 && errno == ELAST && io) {
		events_drain(io);
		w = write(fd, buf, len);
	}
	if (w < 0)
		return errno;
	return (size_t)w == len ? 0 : EAGAIN;
}

/* Write n samples (at most one block); EAGAIN when the queue is full */
int bchan_write(struct bchan *b, const void *buf, size_t n)
{
	if (!b)
		return EINVAL;
	return io_write(b->fd, b->linear, buf, n, b->io);
}

int bchan_io_write(struct bchan_io *io, const void *buf, size_t n)
{
	if (!io)
		return EINVAL;
	return io_write(io->fd, io->linear, buf, n, io);
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
	return b && b->io ? b->io->events : 0;
}

int bchan_fd(const struct bchan *b)
{
	return b ? b->fd : -1;
}

/* blocks of silence ahead of the first real block (idle: the law's idle
 * code, for a channel not opened linear): the slack a late wake-up may
 * use before the driver runs dry */
int bchan_prime(struct bchan *b, unsigned blocks, uint8_t idle)
{
	int16_t lin[BCHAN_BLOCK] = {0};
	uint8_t law[BCHAN_BLOCK];
	int err = 0;

	if (!b || blocks >= BCHAN_NUMBUFS)
		return EINVAL;
	memset(law, idle, sizeof(law));
	for (unsigned i = 0; i < blocks && !err; i++)
		err = bchan_write(b, b->linear ? (const void *)lin :
				  (const void *)law, BCHAN_BLOCK);
	return err;
}
