/*
 * common/pcap.c: protocol traces as pcap files (the libpcap savefile
 * format: a 24-byte file header, then a 16-byte header per record), for
 * Wireshark and tshark.  One file holds one link type:
 *   - LINKTYPE_LINUX_LAPD (177): Q.921 frames of a D-channel, each after
 *     Linux's 16-byte LAPD pseudo-header (direction, and whether we are
 *     the network side, which sets the meaning of Q.921's C/R bit);
 *   - LINKTYPE_RAW (101): IPv4 or IPv6 packets, made here around a SIP
 *     message with the addresses and ports it really had (UDP, or TCP
 *     with the sequence numbers of each direction's bytes).
 * A record is written with one writev() on a file opened O_APPEND, so a
 * reader never sees half of one; a write error closes the file (the
 * caller logs it).  Writes are synchronous: traces are for diagnosis, on
 * demand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_COMMON_PCAP_H
#define SIPRI_COMMON_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <re.h>

enum { PCAP_LINUX_LAPD = 177, PCAP_RAW = 101 };

struct pcapw;

/* open path for appending (made 0640 with its header if new or empty) */
int  pcapw_open(struct pcapw **pwp, const char *path, uint32_t linktype);
const char *pcapw_path(const struct pcapw *pw);
/* a write failed: the file is closed and this is its errno (0: none) */
int  pcapw_error(const struct pcapw *pw);

/* a Q.921 frame (without its FCS), tx: sent by us */
int  pcapw_lapd(struct pcapw *pw, bool tx, bool network,
		const uint8_t *frame, size_t len);

/* a message between src and dst over UDP (tcp false) or TCP */
int  pcapw_ip(struct pcapw *pw, bool tcp, const struct sa *src,
	      const struct sa *dst, const uint8_t *data, size_t len);

/* free with mem_deref() */

#endif
