/*
 * The FUSE side: the device files, open/close, and the read, write and
 * poll semantics of DAHDI character devices (dahdi-base's chan_read,
 * chan_write and chan_poll, reproduced from their documented behaviour).
 *
 * Blocking reads and writes are parked with their fuse_req_t and answered
 * from the clock or from the far end's write; O_NONBLOCK (seen in the
 * flags FUSE passes with every read and write) gives EAGAIN instead.
 *
 * A character device takes writes from many openers at once.  A FUSE
 * file would serialise them all on its inode's lock, held for the whole
 * round trip: every B- and D-channel opened through /dev/dahdi/channel
 * shares one inode, so one writer waiting for us held up every other
 * process's writes.  Device files are therefore opened with parallel
 * direct writes (open_reply), and given a size no write reaches
 * (DEV_SIZE), since the kernel still locks a write past the end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/fuse.h>
#include "vdahdi.h"

enum {
	INO_ROOT = 1, INO_CTL, INO_CHANNEL, INO_PSEUDO, INO_TIMER, INO_FAULT,
	INO_CHANDIR,
	INO_SPANDIR = 0x1000,   /* + spanno */
	INO_CHAN    = 0x10000,  /* + channo */
};

static const struct {
	const char *name;
	fuse_ino_t ino;
} root_entries[] = {
	{"ctl", INO_CTL}, {"channel", INO_CHANNEL}, {"pseudo", INO_PSEUDO},
	{"timer", INO_TIMER}, {"vdahdi", INO_FAULT}, {"chan", INO_CHANDIR},
};

static struct vdahdi *req_vd(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

static struct vd_file *file_of(const struct fuse_file_info *fi)
{
	return (struct vd_file *)(uintptr_t)fi->fh;
}

static bool is_dir(fuse_ino_t ino)
{
	return ino == INO_ROOT || ino == INO_CHANDIR ||
		(ino > INO_SPANDIR && ino < INO_CHAN);
}

static bool ino_valid(struct vdahdi *vd, fuse_ino_t ino)
{
	if (ino >= INO_ROOT && ino <= INO_CHANDIR)
		return true;
	if (ino > INO_SPANDIR && ino < INO_CHAN)
		return vd_span_find(vd, ino - INO_SPANDIR) != NULL;
	if (ino > INO_CHAN)
		return vd_chan_find(vd, ino - INO_CHAN) != NULL;
	return false;
}

/* the size of a device file: past any write position (see the top) */
static const off_t DEV_SIZE = (off_t)1 << 62;

/* the files a program reads and writes as a DAHDI device */
static bool is_dev(fuse_ino_t ino)
{
	return ino == INO_CHANNEL || ino == INO_PSEUDO || ino > INO_CHAN;
}

static void fill_stat(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	if (is_dir(ino)) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	}
	else {
		/* regular files: a FUSE char device node would open a real
		 * device.  DAHDI programs never stat their devices. */
		st->st_mode = S_IFREG | 0666;
		st->st_nlink = 1;
		if (is_dev(ino))
			st->st_size = DEV_SIZE;
	}
}

static fuse_ino_t lookup_ino(struct vdahdi *vd, fuse_ino_t parent,
			     const char *name)
{
	char *end;
	long n;

	if (parent == INO_ROOT) {
		for (size_t i = 0; i < sizeof(root_entries) /
			     sizeof(root_entries[0]); i++)
			if (!strcmp(name, root_entries[i].name))
				return root_entries[i].ino;
		return 0;
	}

	/* chan/SSS/CCC: span number, then the channel's position in it */
	n = strtol(name, &end, 10);
	if (*end || n < 1)
		return 0;
	if (parent == INO_CHANDIR)
		return vd_span_find(vd, n) ? INO_SPANDIR + n : 0;
	if (parent > INO_SPANDIR && parent < INO_CHAN) {
		struct vd_span *span = vd_span_find(vd, parent - INO_SPANDIR);

		if (span && n <= span->nchans)
			return INO_CHAN + span->basechan + n - 1;
	}
	return 0;
}

static void vd_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	fuse_ino_t ino = lookup_ino(req_vd(req), parent, name);

	if (!ino) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.ino = ino;
	e.attr_timeout = 60;
	e.entry_timeout = 60;
	fill_stat(ino, &e.attr);
	fuse_reply_entry(req, &e);
}

static void vd_getattr(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	if (!ino_valid(req_vd(req), ino)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fill_stat(ino, &st);
	fuse_reply_attr(req, &st, 60);
}

static size_t dir_add(fuse_req_t req, char *buf, size_t size, size_t pos,
		      const char *name, fuse_ino_t ino, off_t next)
{
	struct stat st;
	size_t len;

	fill_stat(ino, &st);
	len = fuse_add_direntry(req, buf + pos, size > pos ? size - pos : 0,
				name, &st, next);
	return len;
}

static void vd_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	struct vdahdi *vd = req_vd(req);
	char *buf = calloc(1, size), name[16];
	size_t pos = 0, len;
	off_t i = off;

	(void)fi;
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	for (;; i++) {
		fuse_ino_t child;

		if (ino == INO_ROOT) {
			if (i >= (off_t)(sizeof(root_entries) /
					 sizeof(root_entries[0])))
				break;
			snprintf(name, sizeof(name), "%s", root_entries[i].name);
			child = root_entries[i].ino;
		}
		else if (ino == INO_CHANDIR) {
			if (i >= vd->nspans)
				break;
			snprintf(name, sizeof(name), "%03d", (int)i + 1);
			child = INO_SPANDIR + i + 1;
		}
		else {
			struct vd_span *span = vd_span_find(vd,
							    ino - INO_SPANDIR);

			if (!span || i >= span->nchans)
				break;
			snprintf(name, sizeof(name), "%03d", (int)i + 1);
			child = INO_CHAN + span->basechan + i;
		}
		len = dir_add(req, buf, size, pos, name, child, i + 1);
		if (pos + len > size)
			break;
		pos += len;
	}
	fuse_reply_buf(req, buf, pos);
	free(buf);
}

static int pseudo_open(struct vdahdi *vd, struct vd_file *f)
{
	static int next_pseudo;
	struct vd_chan *ch = &f->pseudo;
	int err;

	ch->channo = VD_PSEUDOBASE + (next_pseudo++ % VD_MAXPSEUDO);
	ch->chanpos = ch->channo;
	ch->sigtype = DAHDI_SIG_CLEAR;
	ch->deflaw = DAHDI_LAW_MULAW;   /* DAHDI pseudo channels are mu-law */
	err = vd_chan_bind(vd, f, ch);
	if (err)
		return err;
	vd_active_add(vd, ch);
	return 0;
}

/*
 * Direct I/O, not seekable.  A device is a stream, as a character device
 * is: no file position, so the kernel takes no position lock around a
 * read() or write() (fdget_pos) and a thread parked in read() does not
 * hold back another's write() on the same fd, as on DAHDI; and its
 * writes run in parallel.  libfuse 3.14 has no field for
 * FOPEN_PARALLEL_DIRECT_WRITES (kernel 6.2), so the reply is the
 * protocol's own struct.
 */
static int open_reply(fuse_req_t req, struct vd_file *f, bool dev)
{
	struct fuse_open_out out = {
		.fh = (uintptr_t)f,
		.open_flags = FOPEN_DIRECT_IO | FOPEN_NONSEEKABLE |
			(dev ? FOPEN_STREAM | FOPEN_PARALLEL_DIRECT_WRITES : 0),
	};
	struct iovec iov = {.iov_base = &out, .iov_len = sizeof(out)};

	return fuse_reply_iov(req, &iov, 1);
}

static void vd_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vdahdi *vd = req_vd(req);
	struct vd_file *f;
	int err = 0;

	(void)fi;
	if (is_dir(ino)) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	switch (ino) {
	case INO_CTL:     f->kind = VD_CTL; break;
	case INO_CHANNEL: f->kind = VD_CHANNEL; break;
	case INO_TIMER:   f->kind = VD_TIMER; break;
	case INO_FAULT:
		f->kind = VD_FAULT;
		f->fault_out = vd_fault_status(vd);
		break;
	case INO_PSEUDO:
		f->kind = VD_PSEUDO;
		err = pseudo_open(vd, f);
		break;
	default:
		f->kind = VD_CHANNEL;
		err = vd_chan_open(vd, f, vd_chan_find(vd, ino - INO_CHAN));
		break;
	}
	if (err) {
		free(f->fault_out);
		free(f);
		fuse_reply_err(req, err);
		return;
	}
	f->next = vd->files;
	vd->files = f;
	if (open_reply(req, f, is_dev(ino)) == -ENOENT)
		vd_file_close(vd, f);   /* the opener was interrupted */
}

/* FUSE sends FLUSH synchronously on every close() but RELEASE only later;
 * mark the file so that an immediate reopen may take its channel over. */
static void vd_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct vd_file *f = file_of(fi);

	(void)ino;
	f->flushed = true;
	fuse_reply_err(req, 0);
}

static void vd_release(fuse_req_t req, fuse_ino_t ino,
		       struct fuse_file_info *fi)
{
	(void)ino;
	vd_file_close(req_vd(req), file_of(fi));
	fuse_reply_err(req, 0);
}

static void vd_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct vd_file *f = file_of(fi);

	(void)ino;
	f->flushed = false;
	vd_stats_count(req_vd(req), f, VD_RQ_READ);
	if (f->kind == VD_FAULT) {
		size_t len = f->fault_out ? strlen(f->fault_out) : 0;

		if (off < 0 || (size_t)off >= len)
			fuse_reply_buf(req, NULL, 0);
		else
			fuse_reply_buf(req, f->fault_out + off,
				       len - off < size ? len - off : size);
		return;
	}
	vd_io_read(req_vd(req), f, req, size, fi->flags & O_NONBLOCK);
}

static void vd_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	struct vdahdi *vd = req_vd(req);
	struct vd_file *f = file_of(fi);

	(void)ino;
	(void)off;
	f->flushed = false;
	vd_stats_count(vd, f, VD_RQ_WRITE);
	if (f->kind == VD_FAULT) {
		int err = vd_fault_write(vd, buf, size);

		if (err)
			fuse_reply_err(req, err);
		else
			fuse_reply_write(req, size);
		vd_wake_all(vd);
		return;
	}
	vd_io_write(vd, f, req, (const uint8_t *)buf, size,
		    fi->flags & O_NONBLOCK);
}

static void vd_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct vd_file *f = file_of(fi);

	(void)ino;
	vd_stats_count(req_vd(req), f, VD_RQ_POLL);
	f->poll_events = fi->poll_events;
	if (ph) {
		if (f->ph)
			fuse_pollhandle_destroy(f->ph);
		f->ph = ph;
	}
	f->last_revents = vd_file_revents(f);
	fuse_reply_poll(req, f->last_revents);
}

static void vd_ioctl_op(fuse_req_t req, fuse_ino_t ino, unsigned int cmd,
			void *arg, struct fuse_file_info *fi, unsigned flags,
			const void *in_buf, size_t in_bufsz, size_t out_bufsz)
{
	struct vdahdi *vd = req_vd(req);
	struct vd_file *f = file_of(fi);
	uint64_t out[512];   /* larger than any DAHDI ioctl structure */
	int err;

	(void)ino;
	(void)arg;
	(void)in_bufsz;
	f->flushed = false;
	vd_stats_count(vd, f, VD_RQ_IOCTL);
	if ((flags & FUSE_IOCTL_COMPAT) || out_bufsz > sizeof(out)) {
		fuse_reply_err(req, ENOTTY);
		return;
	}
	memset(out, 0, out_bufsz);
	if (in_buf && out_bufsz)
		memcpy(out, in_buf, in_bufsz < out_bufsz ? in_bufsz : out_bufsz);

	err = vd_ioctl(vd, f, cmd, in_buf, out, out_bufsz);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_ioctl(req, 0, out_bufsz ? out : NULL, out_bufsz);

	/* configuration, alarms and flushes change other files' readiness */
	vd_wake_all(vd);
}

const struct fuse_lowlevel_ops vd_ops = {
	.lookup  = vd_lookup,
	.getattr = vd_getattr,
	.readdir = vd_readdir,
	.open    = vd_open,
	.read    = vd_read,
	.write   = vd_write,
	.flush   = vd_flush,
	.release = vd_release,
	.poll    = vd_poll,
	.ioctl   = vd_ioctl_op,
};
