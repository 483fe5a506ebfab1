/*
 * A B-channel's reads, clocked rather than polled, and its writes.
 *
 * DAHDI fills a channel's receive buffer from the span's 1 ms tick: a
 * block of BCHAN_BLOCK samples every 20 ms, at a phase of the channel's
 * own.  Polling for each block costs a wake-up per channel and frame,
 * and on vdahdi two FUSE polls and a notification besides the read.  So
 * the reader polls only until a first block comes, and then reads on a
 * timer, a block's time apart, just after each block is due: one read()
 * per block.  The reads fall on a grid of SLOT_MS, so that the channels
 * of a loop share a few wake-ups a block rather than one each, for at
 * most SLOT_MS of delay.
 *
 * A channel whose buffers were just set up needs no poll either: DAHDI_
 * SET_BUFINFO empties them (dahdi-base reallocates them), and the span's
 * 1 ms tick completes a block every BLOCK_MS from then, so the first
 * block's time is known until they fill up (BCHAN_NUMBUFS blocks).  The
 * owner passes the time of that ioctl (since).
 *
 * The timer follows the driver's clock, not the other way round:
 * - a read that finds no block yet moves the phase later, and tries
 *   again shortly (RETRY_MS);
 * - a wake-up that came late reads every block due by then;
 * - every CHECK_EVERY blocks one more read looks for a backlog (the
 *   driver's clock caught up after a stall) and takes it, moving the
 *   phase earlier;
 * - a whole block's time with nothing (span down, clock stopped) goes
 *   back to polling, as does an error that is not the channel's end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <dahdi/user.h>
#include <re.h>
#include "tdmpri.h"

enum {
	BLOCK_MS = BCHAN_BLOCK / 8,   /* 8 samples a millisecond */
	MARGIN_MS = 1,                /* after the block is due */
	SINCE_MS = 1,                 /* since is a floor and one tick late */
	SLOT_MS = 4,                  /* the grid reads fall on */
	RETRY_MS = 2,                 /* no block yet: again in */
	CHECK_EVERY = 250,            /* blocks between backlog checks */
	READ_BURST = BCHAN_NUMBUFS,   /* at most, at one wake-up */
};

enum io_state { IO_STOPPED, IO_POLLING, IO_CLOCKED };

struct bchan_io {
	int fd;                  /* not owned: its struct bchan closes it */
	bool linear;
	enum io_state state;
	struct tmr tmr;
	uint64_t due;            /* tmr_jiffies() of the next read */
	uint64_t dry_since;      /* the first read with no block; 0: none */
	unsigned blocks;         /* read while clocked, for CHECK_EVERY */
	uint64_t events;         /* DAHDI events seen (and dropped) */
	bchan_recv_h *rh;
	void *arg;
};

static void fd_handler(int flags, void *arg);

static void io_stop(struct bchan_io *io)
{
	if (io->state == IO_POLLING)
		fd_close(io->fd);
	tmr_cancel(&io->tmr);
	io->state = IO_STOPPED;
}

static void io_destructor(void *data)
{
	io_stop(data);
}

static void events_drain(struct bchan_io *io)
{
	int ev;

	while (!dahdi_event_get(io->fd, &ev) && ev != DAHDI_EVENT_NONE)
		io->events++;
}

/* one block read and handed on: 0, EAGAIN when none is there yet, or
 * the read's error */
static int read_block(struct bchan_io *io)
{
	int16_t buf[DAHDI_MAX_BLOCKSIZE];

	for (;;) {
		ssize_t n = read(io->fd, buf, sizeof(buf));

		if (n > 0) {
			if (io->rh)
				io->rh(buf, io->linear ? (size_t)n / 2 :
				       (size_t)n, io->arg);
			return 0;
		}
		if (n == 0 || errno == EWOULDBLOCK)
			return EAGAIN;
		if (errno == ELAST)
			events_drain(io);   /* then the block behind them */
		else if (errno != EINTR)
			return errno;
	}
}

/* the owner still holds io (the caller holds a reference of its own) */
static bool owned(const struct bchan_io *io)
{
	return io->state != IO_STOPPED && mem_nrefs(io) > 1;
}

/* every block there is, up to a burst; how many were read */
static unsigned read_all(struct bchan_io *io, int *errp)
{
	unsigned n = 0;

	*errp = 0;
	while (n < READ_BURST && owned(io) && !(*errp = read_block(io)))
		n++;
	return n;
}

static void tick(void *arg);

static void poll_start(struct bchan_io *io)
{
	tmr_cancel(&io->tmr);
	io->state = fd_listen(io->fd, FD_READ, fd_handler, io) ?
		IO_STOPPED : IO_POLLING;
}

static void clock_start(struct bchan_io *io, uint64_t due)
{
	uint64_t now = tmr_jiffies();

	if (io->state == IO_POLLING)
		fd_close(io->fd);
	io->state = IO_CLOCKED;
	io->due = (due + SLOT_MS - 1) / SLOT_MS * SLOT_MS;
	tmr_start(&io->tmr, due > now ? due - now : 0, tick, io);
}

/* a read ended in err, not EAGAIN: the channel is gone (dahdi_gone():
 * it would be ready for ever; the D-channel takes the span, and so the
 * call, down), or something else went wrong: poll again */
static void read_failed(struct bchan_io *io, int err)
{
	if (dahdi_gone(err))
		io_stop(io);
	else
		poll_start(io);
}

static void tick(void *arg)
{
	struct bchan_io *io = arg;
	uint64_t now = tmr_jiffies();
	int err = 0;

	mem_ref(io);
	/* one block, or each one a late wake-up owes */
	while (io->due <= now && owned(io) && !(err = read_block(io))) {
		io->due += BLOCK_MS;
		io->dry_since = 0;
		io->blocks++;
	}
	if (!owned(io))
		goto out;
	if (!err && io->blocks >= CHECK_EVERY) {
		/* a backlog: the blocks fall due earlier than read */
		io->blocks = 0;
		if (read_all(io, &err) && io->due > now + SLOT_MS)
			io->due -= SLOT_MS;
		if (err == EAGAIN)
			err = 0;
	}
	if (err == EAGAIN) {
		if (!io->dry_since) {
			io->dry_since = now;
		}
		else if (now - io->dry_since >= BLOCK_MS) {
			io->dry_since = 0;
			poll_start(io);
			goto out;
		}
		io->due = now + RETRY_MS;
		err = 0;
	}
	if (err)
		read_failed(io, err);
	else if (owned(io))
		clock_start(io, io->due);
 out:
	mem_deref(io);
}

/* polling: the first block after a start, or after the clock stopped;
 * the blocks waiting are taken, then the next is read on time */
static void fd_handler(int flags, void *arg)
{
	struct bchan_io *io = arg;
	int err;

	if (!(flags & (FD_READ | FD_EXCEPT)))
		return;
	mem_ref(io);
	if (read_all(io, &err) && owned(io) && err == EAGAIN) {
		io->blocks = 0;
		io->dry_since = 0;
		clock_start(io, tmr_jiffies() + BLOCK_MS + MARGIN_MS);
	}
	else if (err && err != EAGAIN && owned(io)) {
		read_failed(io, err);
	}
	mem_deref(io);
}

/* the first block: on the clock at once while the buffers set up at
 * since can hold what has come (blocks late by then are read at once),
 * else polled for */
static void io_begin(struct bchan_io *io, uint64_t since)
{
	uint64_t now = tmr_jiffies();

	if (since && since <= now &&
	    now < since + (BCHAN_NUMBUFS - 1) * BLOCK_MS)
		clock_start(io, since + BLOCK_MS + MARGIN_MS + SINCE_MS);
	else
		poll_start(io);
}

/*
 * The reads and writes of a B-channel opened elsewhere (bchan_fd), on
 * the calling thread's loop: a media-plane worker's, while the thread
 * that opened the channel keeps it open and does its ioctls.  The owner
 * frees the bchan_io before the channel closes.
 */
int bchan_io_alloc(struct bchan_io **iop, int fd, bool linear,
		   uint64_t since, bchan_recv_h *rh, void *arg)
{
	struct bchan_io *io;

	if (!iop || fd < 0)
		return EINVAL;
	io = mem_zalloc(sizeof(*io), io_destructor);
	if (!io)
		return ENOMEM;
	io->fd = fd;
	io->linear = linear;
	io->rh = rh;
	io->arg = arg;
	tmr_init(&io->tmr);
	io_begin(io, since);
	if (io->state == IO_STOPPED) {
		mem_deref(io);
		return EBADF;
	}
	*iop = io;
	return 0;
}

int bchan_fd_write(int fd, bool linear, const void *buf, size_t n,
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

int bchan_io_write(struct bchan_io *io, const void *buf, size_t n)
{
	if (!io)
		return EINVAL;
	return bchan_fd_write(io->fd, io->linear, buf, n, io);
}

/* blocks of silence ahead of the first real block (idle: the law's idle
 * code, for a channel not opened linear): the slack a late wake-up may
 * use before the driver runs dry */
int bchan_io_prime(struct bchan_io *io, unsigned blocks, uint8_t idle)
{
	int16_t lin[BCHAN_BLOCK] = {0};
	uint8_t law[BCHAN_BLOCK];
	int err = 0;

	if (!io || blocks >= BCHAN_NUMBUFS)
		return EINVAL;
	memset(law, idle, sizeof(law));
	for (unsigned i = 0; i < blocks && !err; i++)
		err = bchan_io_write(io, io->linear ? (const void *)lin :
				     (const void *)law, BCHAN_BLOCK);
	return err;
}

uint64_t bchan_io_events(const struct bchan_io *io)
{
	return io ? io->events : 0;
}
