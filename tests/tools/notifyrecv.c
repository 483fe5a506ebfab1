/*
 * notifyrecv: the service manager's end of sd_notify(3), for tests.
 *
 *   notifyrecv SOCKET
 *
 * Binds a unix datagram socket at SOCKET (what NOTIFY_SOCKET names) and
 * prints every line of every datagram it receives as
 *   MS LINE
 * with MS the CLOCK_MONOTONIC time of arrival in milliseconds, flushed
 * at once, until SIGTERM.  A test reads the order and the spacing of
 * READY=1 and WATCHDOG=1 from it (tests/e2e/gw_sdnotify.sh).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int sock_bind(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "notifyrecv: path too long: %s\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "notifyrecv: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return fd;
}

/* one datagram: its lines, each with the time it arrived */
static void print_msg(char *buf, unsigned long long ms)
{
	char *save = NULL;

	for (char *l = strtok_r(buf, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		printf("%llu %s\n", ms, l);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: notifyrecv SOCKET\n");
		return 2;
	}
	fd = sock_bind(argv[1]);
	if (fd < 0)
		return 1;
	for (;;) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		buf[n] = '\0';
		print_msg(buf, now_ms());
	}
	fprintf(stderr, "notifyrecv: recv: %s\n", strerror(errno));
	return 1;
}
