/*
 * gateway/trace.c: protocol traces on demand (see trace.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include "common/log.h"
#include "common/pcap.h"
#include "gateway/config/conf.h"
#include "gateway/gw.h"
#include "gateway/trace.h"
#include "sip/sipleg.h"
#include "tdm/tdm.h"

#define TRACE_DIR "/var/log/sipri/trace"

struct gwtrace {
	struct gw *gw;
	char *dir;
	struct list files;          /* struct trace_file */
};

/* one trace: a span's (trunk NULL) or a trunk's */
struct trace_file {
	struct le le;
	struct gwtrace *t;
	unsigned spanno;
	bool network;               /* the span's side of Q.921 */
	char *trunk;
	int peer;                   /* the trunk's SIP peer index */
	struct pcapw *pw;
};


static void msg_handler(int peer, bool tx, bool tcp, const struct sa *src,
			const struct sa *dst, const uint8_t *msg, size_t len,
			void *arg);

/* the SIP stack's message hook only while a trunk is traced: without
 * one, no message pays for the match against the trunks' sources */
static void msgh_sync(struct gwtrace *t)
{
	struct le *le;

	LIST_FOREACH(&t->files, le) {
		if (((struct trace_file *)le->data)->trunk) {
			sipua_set_msg_handler(t->gw->ua, msg_handler, t);
			return;
		}
	}
	sipua_set_msg_handler(t->gw->ua, NULL, NULL);
}

/* every trace ends, one at a time (each unlinks itself and may drop the
 * message hook, which looks at the list: never a half-flushed one) */
static void files_end(struct gwtrace *t)
{
	struct trace_file *f;

	while ((f = list_ledata(list_head(&t->files))))
		mem_deref(f);
}

static void file_destructor(void *arg)
{
	struct trace_file *f = arg;
	struct gw_span *s;

	list_unlink(&f->le);
	if (!f->trunk && (s = gw_span_find(f->t->gw, f->spanno)))
		tdm_span_set_frame_handler(s->span, NULL, NULL);
	if (f->trunk)
		msgh_sync(f->t);
	if (f->pw)
		log_info("trace %s: ended", pcapw_path(f->pw));
	mem_deref(f->pw);
	mem_deref(f->trunk);
}

/* a write failed: the file is closed, the trace ends; calls go on */
static void file_failed(struct trace_file *f)
{
	log_warnx("trace %s: %s; tracing stopped", pcapw_path(f->pw),
		  strerror(pcapw_error(f->pw)));
	mem_deref(f);
}

static void frame_handler(const struct tdm_span *span, bool tx,
			  const uint8_t *frame, size_t len, void *arg)
{
	struct trace_file *f = arg;

	(void)span;
	if (pcapw_lapd(f->pw, tx, f->network, frame, len) &&
	    pcapw_error(f->pw))
		file_failed(f);
}

static void msg_handler(int peer, bool tx, bool tcp, const struct sa *src,
			const struct sa *dst, const uint8_t *msg, size_t len,
			void *arg)
{
	struct gwtrace *t = arg;
	struct le *le;

	(void)tx;
	if (peer < 0)
		return;
	LIST_FOREACH(&t->files, le) {
		struct trace_file *f = le->data;

		if (f->trunk && f->peer == peer) {
			if (pcapw_ip(f->pw, tcp, src, dst, msg, len) &&
			    pcapw_error(f->pw))
				file_failed(f);
			return;
		}
	}
}

static struct trace_file *file_find(const struct gwtrace *t,
				    unsigned spanno, const char *trunk)
{
	struct le *le;

	LIST_FOREACH(&t->files, le) {
		struct trace_file *f = le->data;

		if (trunk ? f->trunk && !strcmp(f->trunk, trunk) :
		    !f->trunk && f->spanno == spanno)
			return f;
	}
	return NULL;
}

/* the file DIR/NAME, DIR made (0750) if need be */
static int file_open(struct trace_file *f, const char *name,
		     uint32_t linktype)
{
	char path[512];

	if (!f->t->dir)
		return ENOENT;
	if (mkdir(f->t->dir, 0750) && errno != EEXIST)
		return errno;
	if (re_snprintf(path, sizeof(path), "%s/%s", f->t->dir, name) < 0)
		return ENAMETOOLONG;
	return pcapw_open(&f->pw, path, linktype);
}

/* f's file DIR/NAME opened, or f freed; what: "span 2", "trunk x" */
static int file_start(struct trace_file *f, const char *name,
		      uint32_t linktype, const char *what)
{
	int err = file_open(f, name, linktype);

	if (err) {
		log_warnx("trace of %s: %s/%s: %s", what, f->t->dir, name,
			  strerror(err));
		mem_deref(f);
		return err;
	}
	log_info("trace %s: started", pcapw_path(f->pw));
	return 0;
}

static int file_new(struct trace_file **fp, struct gwtrace *t)
{
	struct trace_file *f = mem_zalloc(sizeof(*f), file_destructor);

	if (!f)
		return ENOMEM;
	f->t = t;
	f->peer = -1;
	list_append(&t->files, &f->le, f);
	*fp = f;
	return 0;
}

int gwtrace_span(struct gwtrace *t, unsigned spanno, bool on)
{
	struct trace_file *f;
	struct gw_span *s;
	char name[32], what[32];
	int err;

	if (!t)
		return EINVAL;
	f = file_find(t, spanno, NULL);
	if (!on || f) {
		if (!on)
			mem_deref(f);
		return 0;
	}
	s = gw_span_find(t->gw, spanno);
	if (!s)
		return ENOENT;
	err = file_new(&f, t);
	if (err)
		return err;
	f->spanno = spanno;
	f->network = tdm_span_network(s->span);
	re_snprintf(name, sizeof(name), "span-%u.pcap", spanno);
	re_snprintf(what, sizeof(what), "span %u", spanno);
	err = file_start(f, name, PCAP_LINUX_LAPD, what);
	if (!err)
		tdm_span_set_frame_handler(s->span, frame_handler, f);
	return err;
}

/* the SIP peer index of trunk name: its place among the trunks */
static int peer_of(const struct conf *conf, const char *name)
{
	struct le *le;
	int i = 0;

	LIST_FOREACH(&conf->trunkl, le) {
		const struct conf_trunk *tr = le->data;

		if (!strcmp(tr->name, name))
			return i;
		i++;
	}
	return -1;
}

int gwtrace_trunk(struct gwtrace *t, const char *name, bool on)
{
	struct trace_file *f;
	char fname[300], what[300];
	int err, peer;

	if (!t || !name)
		return EINVAL;
	f = file_find(t, 0, name);
	if (!on || f) {
		if (!on)
			mem_deref(f);
		return 0;
	}
	peer = peer_of(t->gw->conf, name);
	if (peer < 0)
		return ENOENT;
	err = file_new(&f, t);
	if (!err)
		err = str_dup(&f->trunk, name);
	if (err) {
		mem_deref(f);
		return err;
	}
	f->peer = peer;
	re_snprintf(fname, sizeof(fname), "trunk-%s.pcap", name);
	re_snprintf(what, sizeof(what), "trunk %s", name);
	err = file_start(f, fname, PCAP_RAW, what);
	if (!err)
		msgh_sync(t);
	return err;
}

void gwtrace_apply(struct gwtrace *t, const struct conf *conf)
{
	const char *dir = conf->gen.trace_dir ? conf->gen.trace_dir :
		TRACE_DIR;
	struct le *le;

	if (!t)
		return;
	if (str_cmp(dir, t->dir)) {   /* elsewhere now: all start anew */
		files_end(t);
		t->dir = mem_deref(t->dir);
		(void)str_dup(&t->dir, dir);
	}
	LIST_FOREACH(&conf->spanl, le) {
		const struct conf_span *cs = le->data;

		(void)gwtrace_span(t, cs->num, cs->trace);
	}
	le = list_head(&t->files);
	while (le) {        /* the trunks are indexed anew; gone ones end */
		struct trace_file *f = le->data;

		le = le->next;
		if (f->trunk && (f->peer = peer_of(conf, f->trunk)) < 0)
			mem_deref(f);
	}
	LIST_FOREACH(&conf->trunkl, le) {
		const struct conf_trunk *tr = le->data;

		(void)gwtrace_trunk(t, tr->name, tr->trace);
	}
}

static void gwtrace_destructor(void *arg)
{
	struct gwtrace *t = arg;

	files_end(t);
	sipua_set_msg_handler(t->gw->ua, NULL, NULL);
	mem_deref(t->dir);
}

int gwtrace_alloc(struct gwtrace **tp, struct gw *gw)
{
	struct gwtrace *t;

	if (!tp || !gw)
		return EINVAL;
	t = mem_zalloc(sizeof(*t), gwtrace_destructor);
	if (!t)
		return ENOMEM;
	t->gw = gw;
	*tp = t;
	return 0;
}
