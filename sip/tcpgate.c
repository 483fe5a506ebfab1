/*
 * sip/tcpgate.c: what an inbound TCP or TLS connection may hold.
 *
 * libre 1.1.0 accepts SIP connections inside its transport, with no hook
 * before it allocates the connection and, for TLS, starts the handshake.
 * Its own bounds are loose: a connection that sends no message is closed
 * after 32 s, one that receives none after 900 s, and nothing caps their
 * number.  A flood of silent connections would take every descriptor,
 * and with them the RTP sockets of calls.
 *
 * So the gate sits at accept(2), which libre calls through the dynamic
 * linker: sipri defines accept(), and a connection accepted on one of the
 * SIP listeners is closed at once, before libre sees it, when
 *   - no trunk's sources accept its address over that transport
 *     (sip/acl.c): a source the config does not name gets no handshake;
 *   - tcp_max_connections connections are open, or tcp_max_per_source
 *     from its address.
 * Once a second, a connection that has carried no SIP message within
 * tcp_setup_timeout of its accept (the TLS handshake included), or none
 * either way for tcp_idle_timeout, is shut down; libre then reads the end
 * of the stream and frees it.  Refusals are logged at most once per 10 s.
 *
 * A connection is known by its descriptor and the socket's inode, since
 * descriptors are reused once libre closes them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "sip/sip_int.h"

enum {
	TCPGATE_HASH     = 64,
	TCPGATE_SWEEP_MS = 1000,
};

struct tcpconn {
	struct le le;               /* in gate->connl */
	struct le he;               /* in gate->ht, by peer address:port */
	int fd;
	dev_t dev;                  /* the socket's identity: fd numbers */
	ino_t ino;                  /* are reused */
	struct sa peer;
	enum sip_transp tp;
	uint64_t born;              /* ms, tmr_jiffies() */
	uint64_t last;              /* ms, the last SIP message either way */
	bool msg;                   /* some SIP message has passed */
};

struct siptcp {
	struct sipua *ua;           /* not referenced: it owns the gate */
	struct list connl;
	struct hash *ht;
	unsigned n;
	struct timer tmr;
	struct sipacl_log cap_log;
	struct sipacl_log timeout_log;
};

/* process-wide, as accept() is */
static struct siptcp *gate;

static void conn_del(struct siptcp *g, struct tcpconn *c)
{
	g->n--;
	list_unlink(&c->le);
	hash_unlink(&c->he);
	mem_deref(c);
}

static void gate_destructor(void *arg)
{
	struct siptcp *g = arg;

	if (gate == g)
		gate = NULL;
	timer_cancel(&g->tmr);
	hash_clear(g->ht);
	list_flush(&g->connl);
	mem_deref(g->ht);
}

int siptcp_alloc(struct siptcp **gp, struct sipua *ua)
{
	struct siptcp *g = mem_zalloc(sizeof(*g), gate_destructor);
	int err;

	if (!g)
		return ENOMEM;
	g->ua = ua;
	err = hash_alloc(&g->ht, TCPGATE_HASH);
	if (err) {
		mem_deref(g);
		return err;
	}
	gate = g;
	*gp = g;
	return 0;
}

/* closed by libre since (its inode changed), or by its peer */
static bool conn_gone(const struct tcpconn *c)
{
	struct pollfd p = {.fd = c->fd, .events = POLLRDHUP};
	struct stat st;

	if (fstat(c->fd, &st) || st.st_dev != c->dev || st.st_ino != c->ino)
		return true;
	return poll(&p, 1, 0) > 0 &&
		(p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

static void reap(struct siptcp *g, bool timeouts);

static unsigned count_from(const struct siptcp *g, const struct sa *peer)
{
	unsigned n = 0;

	for (struct le *le = list_head(&g->connl); le; le = le->next) {
		const struct tcpconn *c = le->data;

		n += sa_cmp(&c->peer, peer, SA_ADDR);
	}
	return n;
}

static bool full(const struct siptcp *g, const struct sa *peer)
{
	const struct sipua_conf *cf = &g->ua->conf;

	return (cf->tcp_max_conns && g->n >= cf->tcp_max_conns) ||
		(cf->tcp_max_per_source &&
		 count_from(g, peer) >= cf->tcp_max_per_source);
}

/* why a connection from peer is refused for the caps; NULL: it is not */
static const char *cap_refusal(struct siptcp *g, const struct sa *peer)
{
	if (!full(g, peer))
		return NULL;
	reap(g, false);   /* only now: connections that ended since */
	if (!full(g, peer))
		return NULL;
	return g->n >= g->ua->conf.tcp_max_conns && g->ua->conf.tcp_max_conns ?
		"tcp_max_connections reached" : "tcp_max_per_source reached";
}

static void gate_log(struct sipacl_log *rl, const struct sa *peer,
		     enum sip_transp tp, const char *why)
{
	unsigned n;

	if (sipacl_log_due(rl, tmr_jiffies(), &n))
		sip_log(LOG_LVL_WARN, "sip: %s connection from %J: %s, closed "
			"(%u more since the last such line)",
			sip_transp_name(tp), peer, why, n);
}

static void sweep(void *arg);

static int conn_add(struct siptcp *g, int fd, const struct sa *peer,
		    enum sip_transp tp)
{
	struct tcpconn *c;
	struct stat st;

	if (fstat(fd, &st))
		return errno;
	/* an entry on this descriptor is of a connection closed since */
	for (struct le *le = list_head(&g->connl); le; le = le->next) {
		c = le->data;
		if (c->fd == fd) {
			conn_del(g, c);
			break;
		}
	}
	c = mem_zalloc(sizeof(*c), NULL);
	if (!c)
		return ENOMEM;
	c->fd = fd;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->peer = *peer;
	c->tp = tp;
	c->born = c->last = tmr_jiffies();
	list_append(&g->connl, &c->le, c);
	hash_append(g->ht, sa_hash(peer, SA_ALL), &c->he, c);
	g->n++;
	if (!timer_isrunning(&g->tmr))
		timer_start(&g->tmr, TCPGATE_SWEEP_MS, sweep, g);
	return 0;
}

/* the transport of the SIP listener lfd; SIP_TRANSP_NONE: not one */
static enum sip_transp listener_tp(const struct siptcp *g, int lfd)
{
	struct sa local;

	sa_init(&local, AF_UNSPEC);
	if (getsockname(lfd, &local.u.sa, &local.len))
		return SIP_TRANSP_NONE;
	if (sip_transp_isladdr(g->ua->sip, SIP_TRANSP_TCP, &local))
		return SIP_TRANSP_TCP;
	if (sip_transp_isladdr(g->ua->sip, SIP_TRANSP_TLS, &local))
		return SIP_TRANSP_TLS;
	return SIP_TRANSP_NONE;
}

/* whether connection fd, just accepted on lfd, may go on to libre */
static bool gate_admit(struct siptcp *g, int lfd, int fd)
{
	enum sip_transp tp = listener_tp(g, lfd);
	struct sipacl_log *rl = &g->cap_log;
	const char *why;
	struct sa peer;

	if (tp == SIP_TRANSP_NONE)
		return true;   /* not SIP's */
	sa_init(&peer, AF_UNSPEC);
	if (getpeername(fd, &peer.u.sa, &peer.len))
		return false;
	if (sipacl_match(&g->ua->acl, &peer, tp) < 0) {
		why = "no trunk accepts this source";
		rl = &g->ua->acl_log;   /* one line for the ACL's 403s too */
	}
	else {
		why = cap_refusal(g, &peer);
	}
	if (!why && conn_add(g, fd, &peer, tp))
		why = "out of memory";
	if (!why)
		return true;
	g->ua->stats.tcp_refused++;
	gate_log(rl, &peer, tp, why);
	return false;
}

/*
 * accept(2) as libre's TCP listeners call it: the kernel's, then the
 * gate.  A refused connection is closed and reported as aborted before
 * it was accepted, which libre ignores.
 */
int accept(int lfd, struct sockaddr *addr, socklen_t *len)
{
	int fd = accept4(lfd, addr, len, 0);

	if (fd < 0 || !gate || gate_admit(gate, lfd, fd))
		return fd;
	(void)close(fd);
	errno = ECONNABORTED;
	return -1;
}

static bool conn_expired(const struct sipua_conf *cf,
			 const struct tcpconn *c, uint64_t now)
{
	if (!c->msg)
		return now - c->born >= cf->tcp_setup_timeout * 1000ull;
	return now - c->last >= cf->tcp_idle_timeout * 1000ull;
}

/* forget the connections that ended; with timeouts, end the expired */
static void reap(struct siptcp *g, bool timeouts)
{
	uint64_t now = tmr_jiffies();
	struct le *le = list_head(&g->connl);

	while (le) {
		struct tcpconn *c = le->data;

		le = le->next;
		if (conn_gone(c)) {
			conn_del(g, c);
			continue;
		}
		if (!timeouts || !conn_expired(&g->ua->conf, c, now))
			continue;
		g->ua->stats.tcp_timedout++;
		gate_log(&g->timeout_log, &c->peer, c->tp, c->msg ?
			 "idle past tcp_idle_timeout" :
			 "no SIP message within tcp_setup_timeout");
		(void)shutdown(c->fd, SHUT_RDWR);   /* libre closes it */
		conn_del(g, c);
	}
}

static void sweep(void *arg)
{
	struct siptcp *g = arg;

	reap(g, true);
	if (g->n)
		timer_start(&g->tmr, TCPGATE_SWEEP_MS, sweep, g);
}

static bool peer_cmp(struct le *le, void *arg)
{
	const struct tcpconn *c = le->data;

	return sa_cmp(&c->peer, arg, SA_ALL);
}

/* a SIP message went to or came from peer over tp (the trace hook) */
void siptcp_seen(struct siptcp *g, enum sip_transp tp, const struct sa *peer)
{
	struct tcpconn *c;

	if (!g || !g->n || tp == SIP_TRANSP_UDP)
		return;
	c = list_ledata(hash_lookup(g->ht, sa_hash(peer, SA_ALL), peer_cmp,
				    (void *)peer));
	if (!c)
		return;
	c->msg = true;
	c->last = tmr_jiffies();
}
