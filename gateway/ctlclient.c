/*
 * gateway/ctlclient.c, sipri-ctl(8): ask a running sipri over its control socket
 * (gateway/ctl.c).
 *
 *   sipri-ctl [-s PATH] [-j] COMMAND [ARGS...]
 *
 * Sends "text|json COMMAND ARGS" as one line and prints the reply: its
 * output on standard output, exit 0; or, when sipri says "error", the
 * message on standard error, exit 1.  Exit 1 too when sipri cannot be
 * reached.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#define CTL_PATH "/run/sipri/sipri.ctl"

static int usage(void)
{
	fprintf(stderr, "usage: sipri-ctl [-s PATH] [-j] COMMAND [ARGS...]\n"
		"commands:\n"
		"  show spans|calls|trunks\n"
		"  hangup ID [CAUSE]\n"
		"  channel restart|block|unblock SPAN CHAN\n"
		"  reload\n"
		"  trace on|off span N|trunk NAME\n");
	return 1;
}

static int ctl_connect(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* the request line: "text|json ARGS..." */
static int request_send(int fd, bool json, int argc, char **argv)
{
	char line[1024];
	size_t n = (size_t)snprintf(line, sizeof(line), "%s",
				    json ? "json" : "text");

	for (int i = 0; i < argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s",
				      argv[i]);
	if (n >= sizeof(line) - 1) {
		fprintf(stderr, "sipri-ctl: request too long\n");
		return -1;
	}
	line[n++] = '\n';
	return write(fd, line, n) == (ssize_t)n ? 0 : -1;
}

/* the reply: "ok" or "error", then the output, until sipri closes */
static int reply_print(int fd)
{
	char buf[4096];
	bool first = true, ok = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		if (first) {
			char *nl = memchr(buf, '\n', (size_t)n);

			if (!nl)
				break;
			ok = nl - buf == 2 && !memcmp(buf, "ok", 2);
			p = nl + 1;
			first = false;
		}
		fwrite(p, 1, (size_t)(buf + n - p), ok ? stdout : stderr);
	}
	if (first) {
		fprintf(stderr, "sipri-ctl: no reply from sipri\n");
		return 1;
	}
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *path = CTL_PATH;
	bool json = false;
	int c, fd, rc;

	while ((c = getopt(argc, argv, "+s:jh")) != -1) {
		switch (c) {
		case 's': path = optarg; break;
		case 'j': json = true; break;
		default:  return usage();
		}
	}
	if (optind >= argc)
		return usage();
	fd = ctl_connect(path);
	if (fd < 0) {
		fprintf(stderr, "sipri-ctl: %s: %s (is sipri running?)\n", path,
			strerror(errno));
		return 1;
	}
	if (request_send(fd, json, argc - optind, argv + optind)) {
		close(fd);
		return 1;
	}
	shutdown(fd, SHUT_WR);
	rc = reply_print(fd);
	close(fd);
	return rc;
}
