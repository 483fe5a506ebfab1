/*
 * Read, write and poll on DAHDI channels, following dahdi-base's rules:
 * - a pending event makes read() and write() fail with ELAST and shows as
 *   POLLPRI until DAHDI_GETEVENT pops it;
 * - a D-channel read returns one frame; a B-channel read one block;
 * - without O_NONBLOCK, read and write wait (here: the request is parked
 *   and answered later) and a signal interrupts them with EINTR.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

enum { IO_MAX = 2 * DAHDI_MAX_BLOCKSIZE };

static int chan_read(struct vd_file *f, uint8_t *buf, size_t size,
		     size_t *lenp)
{
	struct vd_chan *ch = f->chan;

	if (!ch || (f->kind != VD_CHANNEL && f->kind != VD_PSEUDO))
		return EINVAL;
	if (vd_event_pending(ch))
		return ELAST;
	if (vd_chan_is_dchan(ch))
		return vd_dchan_read(ch, buf, size, lenp);
	return vd_bchan_read(ch, buf, size, lenp);
}

static int chan_write(struct vdahdi *vd, struct vd_file *f,
		      const uint8_t *buf, size_t size, size_t *donep)
{
	struct vd_chan *ch = f->chan;
	int err;

	if (!ch || (f->kind != VD_CHANNEL && f->kind != VD_PSEUDO))
		return EINVAL;
	if (vd_event_pending(ch))
		return ELAST;
	if (!vd_chan_is_dchan(ch))
		return vd_bchan_write(ch, buf, size, donep);

	err = vd_dchan_write(vd, ch, buf, size);
	if (!err) {
		*donep = size;
		vd_chan_wake(vd, ch->peer);   /* unpaced, it is there now */
	}
	return err;
}

static void reply_read(struct vdahdi *vd, fuse_req_t req, struct vd_file *f,
		       size_t size)
{
	uint8_t buf[IO_MAX];
	size_t len = 0;
	int err;

	err = chan_read(f, buf, size < IO_MAX ? size : IO_MAX, &len);
	if (err == EAGAIN)
		vd_stats_count(vd, f, VD_RQ_READ_EMPTY);
	else if (!err)
		vd_stats_of(vd, f)->blocks++;
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_buf(req, (const char *)buf, len);
}

static void io_interrupt(fuse_req_t req, void *arg)
{
	struct vd_file *f = arg;

	if (f->rd_req == req) {
		f->rd_req = NULL;
		fuse_reply_err(req, EINTR);
	}
	else if (f->wr_req == req) {
		f->wr_req = NULL;
		free(f->wr_buf);
		f->wr_buf = NULL;
		fuse_reply_err(req, EINTR);
	}
}

/* Would a read wait?  An unbound file or a pending event answers at once */
static bool read_blocks(const struct vd_file *f)
{
	const struct vd_chan *ch = f->chan;

	if (!ch || vd_event_pending(ch))
		return false;
	return vd_chan_is_dchan(ch) ? ch->rxq == NULL : !vd_bchan_readable(ch);
}

void vd_io_read(struct vdahdi *vd, struct vd_file *f, fuse_req_t req,
		size_t size, bool nonblock)
{
	if (read_blocks(f) && !nonblock) {
		if (f->rd_req) {
			fuse_reply_err(req, EBUSY);
			return;
		}
		f->rd_req = req;
		f->rd_size = size;
		fuse_req_interrupt_func(req, io_interrupt, f);
		return;
	}
	reply_read(vd, req, f, size);
	vd_file_wake(vd, f);
}

void vd_io_write(struct vdahdi *vd, struct vd_file *f, fuse_req_t req,
		 const uint8_t *buf, size_t size, bool nonblock)
{
	size_t done = 0;
	int err = chan_write(vd, f, buf, size, &done);

	if (err == EAGAIN && !nonblock && !f->wr_req) {
		f->wr_buf = malloc(size ? size : 1);
		if (!f->wr_buf) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		memcpy(f->wr_buf, buf, size);
		f->wr_size = size;
		f->wr_req = req;
		fuse_req_interrupt_func(req, io_interrupt, f);
		return;
	}
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_write(req, done);
	vd_file_wake(vd, f);
}

unsigned vd_file_revents(const struct vd_file *f)
{
	const struct vd_chan *ch = f->chan;
	unsigned rev = 0;

	switch (f->kind) {
	case VD_FAULT:
		return POLLIN | POLLOUT;
	case VD_TIMER:
		return f->timer.expired || f->timer.ping ? POLLPRI : 0;
	case VD_CTL:
		return 0;
	default:
		break;
	}
	if (!ch)
		return 0;
	if (vd_event_pending(ch))
		rev |= POLLPRI;
	if (vd_chan_is_dchan(ch)) {
		if (ch->rxq)
			rev |= POLLIN | POLLRDNORM;
		if (vd_dchan_writable(ch))
			rev |= POLLOUT | POLLWRNORM;
		return rev;
	}
	if (vd_bchan_readable(ch))
		rev |= POLLIN | POLLRDNORM;
	if (vd_bchan_writable(ch))
		rev |= POLLOUT | POLLWRNORM;
	return rev;
}

static void wake_writer(struct vdahdi *vd, struct vd_file *f)
{
	size_t done = 0;
	int err = chan_write(vd, f, f->wr_buf, f->wr_size, &done);

	if (err == EAGAIN)
		return;
	if (err)
		fuse_reply_err(f->wr_req, err);
	else
		fuse_reply_write(f->wr_req, done);
	f->wr_req = NULL;
	free(f->wr_buf);
	f->wr_buf = NULL;
}

static void wake_reader(struct vdahdi *vd, struct vd_file *f)
{
	if (read_blocks(f))
		return;
	reply_read(vd, f->rd_req, f, f->rd_size);
	f->rd_req = NULL;
}

/*
 * Answer parked requests that can now go on; notify a poller of news it
 * waits for.  News is a readiness that was not there, and, as dahdi-base
 * wakes its waiters for every buffer filled or emptied, each new block or
 * frame: an edge-triggered poller that takes one block per wake-up is
 * woken for the next.  A notification costs the poller a FUSE poll
 * request, so none goes out for what it does not wait for.
 */
void vd_file_wake(struct vdahdi *vd, struct vd_file *f)
{
	struct vd_chan *ch = f->chan;
	unsigned rev, news, want;

	if (f->rd_req)
		wake_reader(vd, f);
	if (f->wr_req)
		wake_writer(vd, f);

	rev = vd_file_revents(f);
	news = rev & ~f->last_revents;
	if (ch) {
		news |= rev & ch->news;
		ch->news = 0;
	}
	want = f->poll_events ? f->poll_events : ~0u;
	if (f->ph && (news & want)) {
		/* one notification answers every poll so far (libfuse's
		 * poll()); a poller still waiting polls again, with a new
		 * handle, so a reader that stopped polling costs nothing */
		fuse_lowlevel_notify_poll(f->ph);
		fuse_pollhandle_destroy(f->ph);
		f->ph = NULL;
		vd_stats_count(vd, f, VD_RQ_NOTIFY);
	}
	f->last_revents = rev;
}

void vd_chan_wake(struct vdahdi *vd, struct vd_chan *ch)
{
	if (ch && ch->owner)
		vd_file_wake(vd, ch->owner);
}

void vd_wake_all(struct vdahdi *vd)
{
	for (struct vd_file *f = vd->files; f; f = f->next)
		vd_file_wake(vd, f);
}

int vd_chan_open(struct vdahdi *vd, struct vd_file *f, struct vd_chan *ch)
{
	int err;

	if (!ch)
		return ENXIO;
	/* the previous owner was closed; FUSE just has not released it */
	if (ch->owner && ch->owner->flushed)
		vd_chan_unbind(vd, ch->owner);
	err = vd_chan_bind(vd, f, ch);
	if (err)
		return err;
	if (!vd_chan_is_dchan(ch))
		vd_active_add(vd, ch);
	return 0;
}

void vd_file_close(struct vdahdi *vd, struct vd_file *f)
{
	if (f->rd_req)
		fuse_reply_err(f->rd_req, EBADF);
	if (f->wr_req)
		fuse_reply_err(f->wr_req, EBADF);
	vd_chan_unbind(vd, f);
	if (f->ph)
		fuse_pollhandle_destroy(f->ph);
	for (struct vd_file **pp = &vd->files; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	free(f->wr_buf);
	free(f->fault_out);
	free(f);
}
