/*
 * gateway/ctl.c: the control socket (see ctl.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <re.h>
#include "common/log.h"
#include "common/timer.h"
#include "gateway/config/conf.h"
#include "gateway/ctl.h"

enum {
	CTL_MAX_CLIENTS = 64,
	CTL_LINE_MAX = 1024,
	CTL_IDLE_MS = 10000,
};

struct ctl {
	struct gw *gw;
	char *path;
	int fd;
	struct list clients;
	unsigned n;
};

struct ctl_client {
	struct le le;
	struct ctl *ctl;
	int fd;
	char line[CTL_LINE_MAX];
	size_t len;
	struct mbuf *out;           /* the reply, until it is all written */
	struct ctl_later *later;    /* a reply still to come, or NULL */
	struct timer tmr;
};

struct ctl_later {
	struct ctl_client *cl;      /* NULL once the client has gone */
};

static void client_destructor(void *arg)
{
	struct ctl_client *cl = arg;

	timer_cancel(&cl->tmr);
	fd_close(cl->fd);
	(void)close(cl->fd);
	list_unlink(&cl->le);
	cl->ctl->n--;
	mem_deref(cl->out);
	if (cl->later)
		cl->later->cl = NULL;
	mem_deref(cl->later);
}

/* write what the socket takes; the rest when it is writable again */
static void client_flush(struct ctl_client *cl)
{
	ssize_t n = send(cl->fd, mbuf_buf(cl->out), mbuf_get_left(cl->out),
			 MSG_NOSIGNAL);

	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		mem_deref(cl);
		return;
	}
	if (n > 0)
		mbuf_advance(cl->out, n);
	if (!mbuf_get_left(cl->out))
		mem_deref(cl);
}

static void client_handler(int flags, void *arg);

static void client_reply(struct ctl_client *cl, bool ok,
			 const struct mbuf *body)
{
	cl->out = mbuf_alloc(512);
	if (!cl->out || fd_listen(cl->fd, FD_WRITE | FD_EXCEPT,
				  client_handler, cl)) {
		mem_deref(cl);
		return;
	}
	(void)mbuf_printf(cl->out, "%s\n%b", ok ? "ok" : "error",
			  body->buf, body->end);
	cl->out->pos = 0;
	client_flush(cl);
}

void ctl_later_reply(struct ctl_later *l, bool ok, const struct mbuf *body)
{
	if (l && l->cl && !l->cl->out)
		client_reply(l->cl, ok, body);
}

/* waiting for a later reply: more input is ignored; its end is only
 * sipri-ctl's half-close (a client gone for good shows when the reply
 * cannot be sent) */
static void client_waiting(int flags, void *arg)
{
	struct ctl_client *cl = arg;
	char buf[256];
	ssize_t n;

	(void)flags;
	n = recv(cl->fd, buf, sizeof(buf), 0);
	if (n == 0)
		fd_close(cl->fd);
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		mem_deref(cl);
}

static void client_request(struct ctl_client *cl)
{
	struct mbuf *body = mbuf_alloc(512);
	enum ctl_res res;

	cl->later = mem_zalloc(sizeof(*cl->later), NULL);
	if (!body || !cl->later) {
		mem_deref(body);
		mem_deref(cl);
		return;
	}
	cl->later->cl = cl;
	timer_cancel(&cl->tmr);
	res = ctl_cmd_run(cl->ctl->gw, cl->line, body, cl->later);
	if (res == CTL_LATER) {
		if (fd_listen(cl->fd, FD_READ, client_waiting, cl))
			mem_deref(cl);
	}
	else {
		client_reply(cl, res == CTL_OK, body);
	}
	mem_deref(body);
}

static void client_handler(int flags, void *arg)
{
	struct ctl_client *cl = arg;
	ssize_t n;
	char *nl;

	if (cl->out) {                  /* replying */
		if (flags & (FD_WRITE | FD_EXCEPT))
			client_flush(cl);
		return;
	}
	n = recv(cl->fd, cl->line + cl->len, sizeof(cl->line) - 1 - cl->len,
		 0);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			mem_deref(cl);
		return;
	}
	cl->len += (size_t)n;
	cl->line[cl->len] = '\0';
	nl = strchr(cl->line, '\n');
	if (!nl && cl->len < sizeof(cl->line) - 1)
		return;
	if (nl)
		*nl = '\0';
	else
		cl->line[0] = '\0';   /* too long: an empty request, an error */
	client_request(cl);
}

static void client_idle(void *arg)
{
	mem_deref(arg);
}

static void accept_handler(int flags, void *arg)
{
	struct ctl *c = arg;
	struct ctl_client *cl;
	int fd;

	(void)flags;
	fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (c->n >= CTL_MAX_CLIENTS) {
		(void)close(fd);
		return;
	}
	cl = mem_zalloc(sizeof(*cl), client_destructor);
	if (!cl) {
		(void)close(fd);
		return;
	}
	cl->ctl = c;
	cl->fd = fd;
	c->n++;
	list_append(&c->clients, &cl->le, cl);
	timer_init(&cl->tmr);
	timer_start(&cl->tmr, CTL_IDLE_MS, client_idle, cl);
	if (fd_listen(fd, FD_READ, client_handler, cl))
		mem_deref(cl);
}

static void ctl_close(struct ctl *c)
{
	list_flush(&c->clients);
	if (c->fd >= 0) {
		fd_close(c->fd);
		(void)close(c->fd);
		(void)unlink(c->path);
	}
	c->fd = -1;
	c->path = mem_deref(c->path);
}

/* a socket file left by a sipri that died: nobody answers on it */
static bool stale(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool dead;

	if (fd < 0)
		return false;
	dead = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) &&
		errno == ECONNREFUSED;
	(void)close(fd);
	return dead;
}

static int ctl_open(struct ctl *c, const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char dir[sizeof(sun.sun_path)];
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return ENAMETOOLONG;
	str_ncpy(sun.sun_path, path, sizeof(sun.sun_path));
	str_ncpy(dir, path, sizeof(dir));
	if (mkdir(dirname(dir), 0755) && errno != EEXIST)
		return errno;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	err = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ? errno : 0;
	if (err == EADDRINUSE && stale(&sun)) {
		(void)unlink(path);
		err = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ?
			errno : 0;
	}
	/* mode 0660: for the group sipri-ctl runs in */
	if (!err && chmod(path, 0660))
		err = errno;
	if (!err && listen(fd, 16))
		err = errno;
	if (!err)
		err = fd_listen(fd, FD_READ, accept_handler, c);
	if (err) {
		(void)close(fd);
		return err;
	}
	c->fd = fd;
	return str_dup(&c->path, path);
}

void ctl_apply(struct ctl *c, const struct conf *conf)
{
	const char *path = conf->gen.control ? conf->gen.control : CTL_PATH;
	int err;

	if (!c || (c->path && !strcmp(c->path, path)))
		return;
	ctl_close(c);
	err = ctl_open(c, path);
	if (err)
		log_warnx("control socket %s: %s (sipri-ctl cannot reach this "
			  "sipri)", path, strerror(err));
	else
		log_info("control socket %s", path);
}

static void ctl_destructor(void *arg)
{
	ctl_close(arg);
}

int ctl_alloc(struct ctl **cp, struct gw *gw)
{
	struct ctl *c;

	if (!cp || !gw)
		return EINVAL;
	c = mem_zalloc(sizeof(*c), ctl_destructor);
	if (!c)
		return ENOMEM;
	c->gw = gw;
	c->fd = -1;
	*cp = c;
	return 0;
}
