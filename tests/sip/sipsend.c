/*
 * sipsend: send one raw SIP message (an RFC 4475 torture message) to a
 * server and print the status line of every response that comes back.
 *
 *   sipsend [-t] [-w MS] PORT FILE
 *
 * UDP (default): the socket is bound to 127.0.0.1 and the port of the
 * message's top Via sent-by (5060 if it has none), because a server sends
 * its response to the source address and the Via port (RFC 3261 §18.2.2),
 * not to the socket the request came from.  With -t the message goes over
 * a TCP connection and the responses come back on it (§18.2.2 too).
 *
 * Output: one line "RESPONSE <status line>" per response that carries the
 * request's Call-ID (responses to earlier messages, still retransmitted,
 * are skipped), or "NORESPONSE" when none arrived within MS milliseconds
 * (default 700).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static size_t load(const char *path, char *buf, size_t sz)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, sz, f);
	fclose(f);
	return n;
}

/* the port of the first Via (or compact v) header's sent-by */
static int via_port(const char *msg, size_t len)
{
	const char *p = msg, *end = msg + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *q = p;

		if (!eol)
			eol = end;
		if (!strncasecmp(q, "via", 3) || !strncasecmp(q, "v", 1)) {
			q += tolower((unsigned char)*q) == 'v' &&
				!strncasecmp(q, "via", 3) ? 3 : 1;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if (q < eol && *q == ':') {
				/* SIP / 2.0 / UDP host[:port] */
				int slashes = 0;

				while (q < eol && slashes < 2)
					if (*q++ == '/')
						slashes++;
				while (q < eol && isspace((unsigned char)*q))
					q++;
				while (q < eol && !isspace((unsigned char)*q))
					q++;   /* transport */
				while (q < eol && isspace((unsigned char)*q))
					q++;
				while (q < eol && *q != ':' && *q != ';' &&
				       *q != ',' && !isspace((unsigned char)*q))
					q++;
				if (q < eol && *q == ':')
					return atoi(q + 1) > 0 ? atoi(q + 1) : 5060;
				return 5060;
			}
		}
		p = eol + 1;
	}
	return 5060;
}

/* the Call-ID (or compact i) value of a message; "" if none */
static void call_id(const char *msg, size_t len, char *id, size_t sz)
{
	const char *p = msg, *end = msg + len;

	id[0] = '\0';
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *q;

		if (!eol)
			eol = end;
		q = NULL;
		if (!strncasecmp(p, "call-id", 7))
			q = p + 7;
		else if (!strncasecmp(p, "i", 1) && p + 1 < eol &&
			 (p[1] == ':' || p[1] == ' '))
			q = p + 1;
		if (q) {
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if (q < eol && *q == ':') {
				size_t n = 0;

				q++;
				while (q < eol && (*q == ' ' || *q == '\t'))
					q++;
				while (q < eol && *q != '\r' && n + 1 < sz)
					id[n++] = *q++;
				id[n] = '\0';
				return;
			}
		}
		p = eol + 1;
	}
}

static int print_responses(const char *buf, size_t n, const char *id)
{
	const char *p = buf, *end = buf + n;
	int printed = 0;

	/* a TCP read may hold several responses */
	while (p < end) {
		const char *s = memmem(p, end - p, "SIP/2.0 ", 8);
		const char *eol;

		if (!s)
			break;
		eol = memchr(s, '\r', end - s);
		if (!eol)
			eol = memchr(s, '\n', end - s);
		if (!eol)
			eol = end;
		if (!id[0] || memmem(s, end - s, id, strlen(id))) {
			printf("RESPONSE %.*s\n", (int)(eol - s), s);
			printed = 1;
		}
		p = eol;
	}
	return printed;
}

int main(int argc, char **argv)
{
	static char msg[65536], buf[65536];
	char id[256];
	struct sockaddr_in dst, src;
	int tcp = 0, wait_ms = 700, fd, ch, got = 0;
	size_t len;

	while ((ch = getopt(argc, argv, "tw:")) != -1) {
		if (ch == 't')
			tcp = 1;
		else if (ch == 'w')
			wait_ms = atoi(optarg);
		else
			return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: sipsend [-t] [-w ms] PORT FILE\n");
		return 2;
	}
	len = load(argv[optind + 1], msg, sizeof(msg));
	call_id(msg, len, id, sizeof(id));
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons(atoi(argv[optind]));
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		return 2;
	if (!tcp) {
		int one = 1;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		memset(&src, 0, sizeof(src));
		src.sin_family = AF_INET;
		src.sin_port = htons(via_port(msg, len));
		src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0) {
			perror("bind");
			return 2;
		}
		if (sendto(fd, msg, len, 0, (struct sockaddr *)&dst,
			   sizeof(dst)) < 0) {
			perror("sendto");
			return 2;
		}
	}
	else {
		if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0 ||
		    write(fd, msg, len) != (ssize_t)len) {
			perror("tcp");
			return 2;
		}
	}
	/* stale retransmissions to an earlier message may keep coming: stop
	 * after a few waits in any case */
	for (int rounds = 0; rounds < 4; rounds++) {
		struct pollfd pfd = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&pfd, 1, wait_ms) <= 0)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		got |= print_responses(buf, (size_t)n, id);
	}
	if (!got)
		printf("NORESPONSE\n");
	close(fd);
	return 0;
}
