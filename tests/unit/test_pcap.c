/*
 * common/pcap.c: what a trace file holds, read back byte by byte.
 * (tests/e2e/gw_trace.sh has tshark decode the traces of a real call.)
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include "common/pcap.h"
#include "tests/tap.h"

static uint8_t file[4096];
static size_t flen;

static void file_read(const char *path)
{
	FILE *f = fopen(path, "rb");

	flen = f ? fread(file, 1, sizeof(file), f) : 0;
	if (f)
		fclose(f);
}

static uint32_t le32(size_t off)
{
	uint32_t v;

	memcpy(&v, file + off, 4);
	return v;
}

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

/* RFC 1071: a sum over data holding its checksum comes to 0xffff */
static unsigned sum(uint32_t s, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += 2)
		s += (uint32_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static void test_lapd(const char *path)
{
	static const uint8_t sabme[] = {0x00, 0x01, 0x7f};
	struct pcapw *pw = NULL;

	unlink(path);
	ok(pcapw_open(&pw, path, PCAP_LINUX_LAPD) == 0, "lapd: opened");
	ok(pcapw_lapd(pw, true, true, sabme, sizeof(sabme)) == 0 &&
	   pcapw_lapd(pw, false, true, sabme, 2) == 0, "lapd: two frames");
	mem_deref(pw);
	ok(pcapw_open(&pw, path, PCAP_LINUX_LAPD) == 0 &&
	   pcapw_lapd(pw, false, false, sabme, 1) == 0,
	   "lapd: opened again, a third frame appended");
	mem_deref(pw);
	file_read(path);
	ok(flen == 24 + 3 * 32 + 3 + 2 + 1, "lapd: one header, 3 records "
	   "(%zu bytes)", flen);
	ok(le32(0) == 0xa1b2c3d4 && le32(4) == (2 | 4u << 16) &&
	   le32(16) == 65535 && le32(20) == 177,
	   "lapd: magic, version 2.4, snaplen, LINKTYPE_LINUX_LAPD");
	ok(le32(24 + 8) == 19 && le32(24 + 12) == 19,
	   "lapd: the record's lengths: 16 + 3");
	ok(be16(file + 40) == 4 && be16(file + 42) == 8445 &&
	   be16(file + 44) == 1 && file[46] == 1 && be16(file + 54) == 0x30 &&
	   !memcmp(file + 56, sabme, 3),
	   "lapd: sent, ARPHRD_LAPD, network side, ETH_P_LAPD, the frame");
	ok(be16(file + 59 + 16) == 0 && file[59 + 16 + 6] == 1 &&
	   file[59 + 34 + 16 + 6] == 0,
	   "lapd: received; the third from the user side");
}

static void test_ip(const char *path)
{
	static const uint8_t msg[] = "OPTIONS sip:x SIP/2.0\r\n\r\n";
	struct sa a, b, a6, b6;
	struct pcapw *pw = NULL;
	const uint8_t *p;
	size_t n = sizeof(msg) - 1;

	unlink(path);
	sa_set_str(&a, "192.0.2.1", 5060);
	sa_set_str(&b, "198.51.100.7", 5062);
	sa_set_str(&a6, "2001:db8::1", 5061);
	sa_set_str(&b6, "2001:db8::2", 40000);
	ok(pcapw_open(&pw, path, PCAP_RAW) == 0 &&
	   pcapw_ip(pw, false, &a, &b, msg, n) == 0 &&
	   pcapw_ip(pw, true, &a6, &b6, msg, n) == 0 &&
	   pcapw_ip(pw, true, &a6, &b6, msg, n) == 0 &&
	   pcapw_ip(pw, true, &b6, &a6, msg, n) == 0,
	   "ip: UDP over IPv4, three TCP segments over IPv6");
	ok(pcapw_ip(pw, false, &a, &b6, msg, n) == EINVAL,
	   "ip: an IPv4 source to an IPv6 destination is refused");
	mem_deref(pw);
	file_read(path);
	ok(le32(20) == 101 && flen == 24 + 16 + 28 + n + 3 * (16 + 60 + n),
	   "ip: LINKTYPE_RAW, 4 records (%zu bytes)", flen);
	p = file + 40;
	ok(p[0] == 0x45 && be16(p + 2) == 28 + n && p[9] == 17 &&
	   be32(p + 12) == 0xc0000201 && be32(p + 16) == 0xc6336407 &&
	   sum(0, p, 20) == 0xffff, "ip: the IPv4 header, its checksum good");
	ok(be16(p + 20) == 5060 && be16(p + 22) == 5062 &&
	   be16(p + 24) == 8 + n && !memcmp(p + 28, msg, n) &&
	   sum(sum(sum(17 + 8 + n, p + 12, 8), p + 20, 8 + n), NULL, 0) ==
	   0xffff, "ip: the UDP header and message, its checksum good");
	p += 28 + n + 16;
	ok(p[0] == 0x60 && be16(p + 4) == 20 + n && p[6] == 6 &&
	   be16(p + 40) == 5061 && be16(p + 42) == 40000 &&
	   be32(p + 44) == 1 && p[53] == 0x18 &&
	   sum(sum(6 + 20 + n, p + 8, 32), p + 40, 20 + n) == 0xffff,
	   "ip: IPv6 and TCP, from sequence number 1, its checksum good");
	p += 60 + n + 16;
	ok(be32(p + 44) == 1 + n, "ip: the next segment's sequence follows");
	p += 60 + n + 16;
	ok(be16(p + 40) == 40000 && be32(p + 44) == 1,
	   "ip: the other direction counts from 1 on its own");
}

int main(void)
{
	char path[] = "/tmp/test_pcap.XXXXXX";
	int fd;

	libre_init();
	fd = mkstemp(path);
	if (fd < 0) {
		ok(0, "a temporary file");
		return tap_done();
	}
	close(fd);
	test_lapd(path);
	test_ip(path);
	ok(pcapw_open(&(struct pcapw *){NULL}, "/nonexistent/x.pcap",
		      PCAP_RAW) == ENOENT, "a path that cannot be made: ENOENT");
	unlink(path);
	libre_close();
	return tap_done();
}
