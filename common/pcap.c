/*
 * common/pcap.c: protocol traces as pcap files (see pcap.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <re.h>
#include "common/pcap.h"

enum {
	PCAP_MAGIC = 0xa1b2c3d4,   /* microsecond timestamps, our order */
	SNAPLEN = 65535,
	ARPHRD_LAPD = 8445,        /* linux/if_arp.h */
	ETH_P_LAPD = 0x0030,       /* linux/if_ether.h */
	SLL_HOST = 0, SLL_OUTGOING = 4,
	FLOWS_MAX = 256,           /* TCP directions remembered */
};

/* one direction of a TCP connection: its next sequence number */
struct flow {
	struct le le;
	struct pcapw *pw;
	struct sa src, dst;
	uint32_t seq;
};

struct pcapw {
	int fd;
	char *path;
	int err;
	uint16_t ipid;
	struct list flows;         /* most recent first */
	unsigned nflows;
};

static void flow_destructor(void *arg)
{
	struct flow *f = arg;

	list_unlink(&f->le);
	f->pw->nflows--;
}

static void pcapw_destructor(void *arg)
{
	struct pcapw *pw = arg;

	if (pw->fd >= 0)
		(void)close(pw->fd);
	list_flush(&pw->flows);
	mem_deref(pw->path);
}

static int write_all(struct pcapw *pw, struct iovec *iov, int n)
{
	size_t want = 0;
	ssize_t got;

	if (pw->fd < 0)
		return pw->err ? pw->err : EBADF;
	for (int i = 0; i < n; i++)
		want += iov[i].iov_len;
	got = writev(pw->fd, iov, n);
	if (got == (ssize_t)want)
		return 0;
	pw->err = got < 0 ? errno : ENOSPC;
	(void)close(pw->fd);
	pw->fd = -1;
	return pw->err;
}

/* the savefile header (libpcap's pcap-savefile(5)), version 2.4 */
static int header_write(struct pcapw *pw, uint32_t linktype)
{
	const uint32_t magic = PCAP_MAGIC, zero = 0, snaplen = SNAPLEN;
	const uint16_t major = 2, minor = 4;
	uint8_t h[24];
	struct iovec iov = {h, sizeof(h)};

	memcpy(h, &magic, 4);
	memcpy(h + 4, &major, 2);
	memcpy(h + 6, &minor, 2);
	memcpy(h + 8, &zero, 4);        /* thiszone: UTC */
	memcpy(h + 12, &zero, 4);       /* sigfigs */
	memcpy(h + 16, &snaplen, 4);
	memcpy(h + 20, &linktype, 4);
	return write_all(pw, &iov, 1);
}

int pcapw_open(struct pcapw **pwp, const char *path, uint32_t linktype)
{
	struct pcapw *pw;
	struct stat st;
	int err;

	if (!pwp || !path)
		return EINVAL;
	pw = mem_zalloc(sizeof(*pw), pcapw_destructor);
	if (!pw)
		return ENOMEM;
	pw->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (pw->fd < 0) {
		err = errno;
		goto out;
	}
	err = str_dup(&pw->path, path);
	if (!err && fstat(pw->fd, &st))
		err = errno;
	if (!err && st.st_size == 0)
		err = header_write(pw, linktype);
 out:
	if (err)
		mem_deref(pw);
	else
		*pwp = pw;
	return err;
}

const char *pcapw_path(const struct pcapw *pw)
{
	return pw ? pw->path : NULL;
}

int pcapw_error(const struct pcapw *pw)
{
	return pw ? pw->err : EINVAL;
}

/* a record: its header, then parts that add up to the packet */
static int record_write(struct pcapw *pw, struct iovec *iov, int n)
{
	struct timespec ts;
	uint32_t h[4];
	size_t len = 0;

	for (int i = 1; i < n; i++)
		len += iov[i].iov_len;
	clock_gettime(CLOCK_REALTIME, &ts);
	h[0] = (uint32_t)ts.tv_sec;
	h[1] = (uint32_t)(ts.tv_nsec / 1000);
	h[2] = h[3] = (uint32_t)len;
	iov[0].iov_base = h;
	iov[0].iov_len = sizeof(h);
	return write_all(pw, iov, n);
}

int pcapw_lapd(struct pcapw *pw, bool tx, bool network,
	       const uint8_t *frame, size_t len)
{
	/* Linux's LAPD pseudo-header, like its cooked capture's (SLL):
	 * packet type, ARPHRD, address length, address (its first byte:
	 * whether we are the network side), protocol; big-endian */
	uint8_t ph[16] = {0};
	struct iovec iov[3];

	if (!pw || !frame)
		return EINVAL;
	ph[1] = tx ? SLL_OUTGOING : SLL_HOST;
	ph[2] = ARPHRD_LAPD >> 8;
	ph[3] = ARPHRD_LAPD & 0xff;
	ph[5] = 1;
	ph[6] = network;
	ph[15] = ETH_P_LAPD;
	iov[1] = (struct iovec){ph, sizeof(ph)};
	iov[2] = (struct iovec){(void *)frame, len};
	return record_write(pw, iov, 3);
}

/* RFC 1071: the one's complement sum, folded */
static uint32_t sum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* an address's bytes in network order: 4 (IPv4) or 16 (IPv6) */
static size_t addr_bytes(const struct sa *sa, uint8_t *b)
{
	if (sa_af(sa) == AF_INET6) {
		sa_in6(sa, b);
		return 16;
	}
	put32(b, sa_in(sa));
	return 4;
}

static bool flow_match(struct le *le, void *arg)
{
	const struct flow *f = le->data;
	const struct sa *const *ends = arg;

	return sa_cmp(&f->src, ends[0], SA_ALL) &&
		sa_cmp(&f->dst, ends[1], SA_ALL);
}

/* the sequence number of this direction's next byte (from 1) */
static uint32_t flow_seq(struct pcapw *pw, const struct sa *src,
			 const struct sa *dst, size_t len)
{
	const struct sa *ends[2] = {src, dst};
	struct flow *f = list_ledata(list_apply(&pw->flows, true, flow_match,
						ends));
	uint32_t seq;

	if (!f) {
		if (pw->nflows >= FLOWS_MAX)   /* the least recent goes */
			mem_deref(list_ledata(list_tail(&pw->flows)));
		f = mem_zalloc(sizeof(*f), flow_destructor);
		if (!f)
			return 1;
		f->pw = pw;
		f->src = *src;
		f->dst = *dst;
		f->seq = 1;
		pw->nflows++;
	}
	else {
		list_unlink(&f->le);
	}
	list_prepend(&pw->flows, &f->le, f);
	seq = f->seq;
	f->seq += (uint32_t)len;
	return seq;
}

/* the UDP (8 bytes) or TCP (20 bytes) header, its checksum over the
 * pseudo-header of RFC 768 / RFC 793 §3.1 (RFC 8200 §8.1 for IPv6) */
static size_t l4_header(struct pcapw *pw, bool tcp, const struct sa *src,
			const struct sa *dst, const uint8_t *data, size_t len,
			uint8_t *h)
{
	uint8_t a[16], pseudo[4];
	size_t hl = tcp ? 20 : 8, al;
	uint32_t sum;

	memset(h, 0, hl);
	put16(h, sa_port(src));
	put16(h + 2, sa_port(dst));
	if (tcp) {
		put32(h + 4, flow_seq(pw, src, dst, len));
		h[12] = 5 << 4;           /* data offset: 5 words */
		h[13] = 0x18;             /* PSH, ACK */
		put16(h + 14, 65535);     /* window */
	}
	else {
		put16(h + 4, (uint16_t)(hl + len));
	}
	al = addr_bytes(src, a);
	sum = sum_add(0, a, al);
	al = addr_bytes(dst, a);
	sum = sum_add(sum, a, al);
	put16(pseudo, tcp ? IPPROTO_TCP : IPPROTO_UDP);
	put16(pseudo + 2, (uint16_t)(hl + len));
	sum = sum_add(sum, pseudo, 4);
	sum = sum_add(sum_add(sum, h, hl), data, len);
	put16(h + (tcp ? 16 : 6), sum_fold(sum) ? sum_fold(sum) : 0xffff);
	return hl;
}

/* the IPv4 (RFC 791) or IPv6 (RFC 8200) header before l4len bytes */
static size_t ip_header(struct pcapw *pw, bool tcp, const struct sa *src,
			const struct sa *dst, size_t l4len, uint8_t *h)
{
	uint8_t proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;

	if (sa_af(src) == AF_INET6) {
		memset(h, 0, 40);
		h[0] = 0x60;
		put16(h + 4, (uint16_t)l4len);
		h[6] = proto;
		h[7] = 64;
		addr_bytes(src, h + 8);
		addr_bytes(dst, h + 24);
		return 40;
	}
	memset(h, 0, 20);
	h[0] = 0x45;
	put16(h + 2, (uint16_t)(20 + l4len));
	put16(h + 4, pw->ipid++);
	h[6] = 0x40;                      /* don't fragment */
	h[8] = 64;
	h[9] = proto;
	addr_bytes(src, h + 12);
	addr_bytes(dst, h + 16);
	put16(h + 10, sum_fold(sum_add(0, h, 20)));
	return 20;
}

int pcapw_ip(struct pcapw *pw, bool tcp, const struct sa *src,
	     const struct sa *dst, const uint8_t *data, size_t len)
{
	uint8_t ip[40], l4[20];
	struct iovec iov[4];
	size_t l4len;

	if (!pw || !src || !dst || !data || sa_af(src) != sa_af(dst))
		return EINVAL;
	if (len > SNAPLEN - 60)
		return EMSGSIZE;
	l4len = l4_header(pw, tcp, src, dst, data, len, l4);
	iov[1] = (struct iovec){ip, ip_header(pw, tcp, src, dst,
					      l4len + len, ip)};
	iov[2] = (struct iovec){l4, l4len};
	iov[3] = (struct iovec){(void *)data, len};
	return record_write(pw, iov, 4);
}
