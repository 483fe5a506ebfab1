/*
 * sip/overload.c: new INVITEs refused early while the loop falls behind.
 *
 * A loop that cannot keep up shows it first in the SIP sockets' receive
 * queues.  Past their size the kernel drops datagrams, and it drops ACKs
 * and BYEs as readily as INVITEs: calls then hang unacknowledged and
 * B-channels stay busy, and the gateway collapses rather than degrades.
 * So:
 *   - libre's SIP UDP sockets get a large receive buffer (udp_rcvbuf);
 *   - while more than overload_queue bytes wait in them, a new INVITE
 *     gets a stateless 503 with Retry-After (sip/flood.c's first gate).
 *     Everything else (ACK, BYE, CANCEL, PRACK, responses, in-dialog
 *     requests) is handled as ever, so the calls already taken complete.
 * The queue is read per INVITE with SO_MEMINFO, one system call.
 *
 * libre 1.1.0 does not hand out its sockets: they are found once, at
 * start, among our descriptors by their local address.
 *
 * debug_stall_us stalls the loop for every INVITE taken, as if each call
 * cost that much, so that tests can overload it at a modest rate
 * (tests/e2e/gw_overload.sh); refusing stays cheap, as it is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>
#include "sip/sip_int.h"

/* a descriptor of libre's, if it is a SIP UDP socket */
static bool is_sip_udp(const struct sipua *ua, int fd)
{
	struct sa local;
	int type = 0;
	socklen_t len = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    type != SOCK_DGRAM)
		return false;
	sa_init(&local, AF_UNSPEC);
	if (getsockname(fd, &local.u.sa, &local.len))
		return false;
	return sip_transp_isladdr(ua->sip, SIP_TRANSP_UDP, &local);
}

static void rcvbuf_set(const struct sipua *ua, int fd)
{
	int v = (int)ua->conf.udp_rcvbuf;
	socklen_t len = sizeof(v);

	/* past net.core.rmem_max needs CAP_NET_ADMIN; else the sysctl's */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (!getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len))
		sip_log(LOG_LVL_INFO, "sip: UDP receive buffer of %u KiB on "
			"socket %d", (unsigned)v / 1024, fd);
}

/* Find libre's SIP UDP sockets and size their receive buffers */
void sipovl_init(struct sipua *ua)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	ua->novl = 0;
	if (!d) {
		sip_log(LOG_LVL_WARN, "sip: /proc/self/fd: %m: no overload "
			"control", errno);
		return;
	}
	while ((e = readdir(d)) && ua->novl < SIPUA_MAX_UDP) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d) ||
		    !is_sip_udp(ua, fd))
			continue;
		ua->ovl_fd[ua->novl++] = fd;
		if (ua->conf.udp_rcvbuf)
			rcvbuf_set(ua, fd);
	}
	closedir(d);
}

/* bytes waiting in the SIP UDP sockets' receive queues */
static uint64_t queued(const struct sipua *ua)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < ua->novl; i++) {
		uint32_t mi[SK_MEMINFO_VARS];
		socklen_t len = sizeof(mi);

		if (!getsockopt(ua->ovl_fd[i], SOL_SOCKET, SO_MEMINFO, mi, &len))
			sum += mi[SK_MEMINFO_RMEM_ALLOC];
	}
	return sum;
}

/* whether a new INVITE should be refused: the loop is behind */
bool sipovl_behind(const struct sipua *ua)
{
	return ua->conf.overload_queue &&
		queued(ua) > ua->conf.overload_queue;
}

/* an INVITE was taken: the debug stall, when configured */
void sipovl_stall(const struct sipua *ua)
{
	if (ua->conf.debug_stall_us)
		(void)usleep(ua->conf.debug_stall_us);
}
