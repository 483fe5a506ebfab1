/*
 * tcpconn: open TCP connections to a SIP server and say what became of
 * each (tests/e2e/gw_tcpgate.sh).
 *
 *   tcpconn [-b SRC] [-n N] [-o [-c]] [-w SECS] [-H] HOST PORT
 *
 * Opens N connections (default 1) one after the other, from address SRC
 * when given.  With -o each sends an OPTIONS and waits for its response:
 * "conn I: answered CODE", or "conn I: closed" when the server ends the
 * connection first; with -c it then waits for the server to end it too.
 * Without -o each waits for the server to end it: "conn I: closed after
 * MS ms".  Either waits at most SECS (default 10),
 * then says "conn I: open".  With -H the connections still open are held
 * until standard input ends.  Exit status 0, or 2 on a usage or socket
 * error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

enum { MAXCONN = 1024 };

struct opts {
	const char *src;
	int n;
	int wait_ms;
	int options;
	int hold;
	int close_wait;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int conn_open(const struct opts *o, const struct sockaddr_in *dst)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in src = {.sin_family = AF_INET};

	if (fd < 0)
		return -1;
	if (o->src && (inet_pton(AF_INET, o->src, &src.sin_addr) != 1 ||
		       bind(fd, (struct sockaddr *)&src, sizeof(src)))) {
		close(fd);
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)dst, sizeof(*dst))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int options_send(int fd, int i, const char *host, int port)
{
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	char ip[INET_ADDRSTRLEN], msg[1024];
	int n;

	if (getsockname(fd, (struct sockaddr *)&me, &len) ||
	    !inet_ntop(AF_INET, &me.sin_addr, ip, sizeof(ip)))
		return -1;
	n = snprintf(msg, sizeof(msg),
		     "OPTIONS sip:%s:%d;transport=tcp SIP/2.0\r\n"
		     "Via: SIP/2.0/TCP %s:%d;branch=z9hG4bK-tcpconn-%d-%d\r\n"
		     "Max-Forwards: 70\r\n"
		     "From: <sip:tcpconn@%s>;tag=tc%d\r\n"
		     "To: <sip:%s:%d>\r\n"
		     "Call-ID: tcpconn-%d-%d@%s\r\n"
		     "CSeq: 1 OPTIONS\r\n"
		     "Content-Length: 0\r\n\r\n",
		     host, port, ip, ntohs(me.sin_port), (int)getpid(), i,
		     ip, i, host, port, (int)getpid(), i, ip);
	return write(fd, msg, n) == n ? 0 : -1;
}

/* what the server did with connection fd within wait_ms: with an
 * OPTIONS sent (opt), its answer; else whether it ended the connection */
static void conn_watch(const struct opts *o, int fd, int i, int opt)
{
	long long t0 = now_ms();
	char buf[2048];
	size_t have = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = o->wait_ms - (now_ms() - t0);
		ssize_t r;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
			printf("conn %d: open\n", i);
			return;
		}
		r = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (r <= 0) {
			if (opt)
				printf("conn %d: closed\n", i);
			else
				printf("conn %d: closed after %lld ms\n", i,
				       now_ms() - t0);
			return;
		}
		have += r;
		buf[have] = '\0';
		if (opt && strstr(buf, "\r\n")) {
			int code = 0;

			sscanf(buf, "SIP/2.0 %d", &code);
			printf("conn %d: answered %d\n", i, code);
			if (o->close_wait)
				conn_watch(o, fd, i, 0);
			return;
		}
		if (have == sizeof(buf) - 1)
			have = 0;
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: tcpconn [-b SRC] [-n N] [-o [-c]] [-w SECS] [-H] "
		"HOST PORT\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = {.n = 1, .wait_ms = 10000};
	struct sockaddr_in dst = {.sin_family = AF_INET};
	static int fds[MAXCONN];
	int c, i;

	while ((c = getopt(argc, argv, "b:n:ocw:H")) != -1) {
		switch (c) {
		case 'b': o.src = optarg; break;
		case 'n': o.n = atoi(optarg); break;
		case 'o': o.options = 1; break;
		case 'c': o.close_wait = 1; break;
		case 'w': o.wait_ms = atoi(optarg) * 1000; break;
		case 'H': o.hold = 1; break;
		default: return usage();
		}
	}
	if (argc - optind != 2 || o.n < 1 || o.n > MAXCONN ||
	    inet_pton(AF_INET, argv[optind], &dst.sin_addr) != 1)
		return usage();
	dst.sin_port = htons(atoi(argv[optind + 1]));
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < o.n; i++) {
		fds[i] = conn_open(&o, &dst);
		if (fds[i] < 0) {
			perror("tcpconn: connect");
			return 2;
		}
		if (o.options && options_send(fds[i], i + 1, argv[optind],
					      atoi(argv[optind + 1])))
			printf("conn %d: closed\n", i + 1);
		else
			conn_watch(&o, fds[i], i + 1, o.options);
	}
	if (o.hold)
		while (read(0, &c, 1) > 0)
			;
	for (i = 0; i < o.n; i++)
		close(fds[i]);
	return 0;
}
