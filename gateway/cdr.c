/*
 * gateway/cdr.c: call detail records (see cdr.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include "common/log.h"
#include "gateway/acct.h"
#include "gateway/cdr.h"
#include "gateway/config/conf.h"

enum { CDR_LOG_INTERVAL_MS = 10000 };

struct cdr {
	char *path;
	bool csv;
	int fd;
	struct mbuf *rec;             /* the record being made, reused */
	uint64_t errors;
	uint64_t logged;              /* the last error line, tmr_jiffies */
	uint64_t unlogged;            /* errors since it */
};

static void cdr_close(struct cdr *c)
{
	if (c->fd >= 0)
		(void)close(c->fd);
	c->fd = -1;
}

static void cdr_destructor(void *arg)
{
	struct cdr *c = arg;

	cdr_close(c);
	mem_deref(c->path);
	mem_deref(c->rec);
}

int cdr_alloc(struct cdr **cp)
{
	struct cdr *c;

	if (!cp)
		return EINVAL;
	c = mem_zalloc(sizeof(*c), cdr_destructor);
	if (!c)
		return ENOMEM;
	c->fd = -1;
	c->rec = mbuf_alloc(1024);
	if (!c->rec) {
		mem_deref(c);
		return ENOMEM;
	}
	*cp = c;
	return 0;
}

/* a failure, logged at most once per interval with the count since */
static void cdr_failed(struct cdr *c, const char *what, int err)
{
	uint64_t now = tmr_jiffies();

	c->unlogged++;
	if (c->logged && now - c->logged < CDR_LOG_INTERVAL_MS)
		return;
	log_warnx("CDR file %s: %s: %s (%llu records lost since the last "
		  "such line)", c->path, what, strerror(err),
		  (unsigned long long)c->unlogged);
	c->logged = now;
	c->unlogged = 0;
}

/* open the file, its folder made (0750) when missing; CSV: the header
 * line first in a new file */
static void cdr_open(struct cdr *c)
{
	char dir[512];
	struct stat st;

	str_ncpy(dir, c->path, sizeof(dir));
	if (mkdir(dirname(dir), 0750) && errno != EEXIST) {
		cdr_failed(c, "its folder cannot be made", errno);
		return;
	}
	c->fd = open(c->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		     0640);
	if (c->fd < 0) {
		cdr_failed(c, "cannot be opened", errno);
		return;
	}
	if (c->csv && !fstat(c->fd, &st) && st.st_size == 0) {
		char *hdr = NULL;

		if (!re_sdprintf(&hdr, "%H\n", acct_csv_header, NULL) &&
		    write(c->fd, hdr, strlen(hdr)) < 0)
			cdr_failed(c, "header not written", errno);
		mem_deref(hdr);
	}
}

void cdr_apply(struct cdr *c, const struct conf *conf)
{
	const char *path = conf->cdr.file;

	if (!c)
		return;
	cdr_close(c);
	c->path = mem_deref(c->path);
	c->csv = conf->cdr.csv;
	if (!path)
		return;
	if (str_dup(&c->path, path))
		return;
	cdr_open(c);
	if (c->fd >= 0)
		log_info("CDRs to %s (%s)", c->path, c->csv ? "CSV" : "JSON");
}

void cdr_write(struct cdr *c, const struct acct *a)
{
	ssize_t n;
	int err;

	if (!c || !c->path || !a)
		return;
	if (c->fd < 0)
		cdr_open(c);   /* a file that could not be opened: again */
	mbuf_rewind(c->rec);   /* made in one pass, in a buffer kept */
	err = mbuf_printf(c->rec, "%H\n", c->csv ? acct_csv : acct_json, a);
	if (err || c->fd < 0) {
		c->errors++;
		if (err)
			cdr_failed(c, "record not made", err);
		return;
	}
	n = write(c->fd, c->rec->buf, c->rec->end);
	if (n != (ssize_t)c->rec->end) {
		c->errors++;
		cdr_failed(c, "write failed", n < 0 ? errno : ENOSPC);
	}
}

uint64_t cdr_errors(const struct cdr *c)
{
	return c ? c->errors : 0;
}
