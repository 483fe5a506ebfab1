/*
 * rtpinject: a SIP peer's media and an attacker's, for the media-guard
 * end-to-end cases (tests/e2e/gw_rtpguard.sh).
 *
 *   rtpinject [OPTION...] SDP_ADDR:PORT
 *
 * Binds SDP_ADDR:PORT (the address the peer's SDP names) and waits, at
 * most --wait seconds, for the gateway's first RTP packet there: its
 * source is the gateway's RTP port.  From then on, every 20 ms for --secs
 * seconds, it sends G.711 packets (payload type --pt, 8 PCMA or 0 PCMU):
 *   --tone HZ          the peer's own stream, an HZ tone (0: silence),
 *                      from SDP_ADDR:PORT, or from --from ADDR:PORT (a
 *                      NAT's mapping of it); after --tone-ms, silence
 *   --rogue ADDR:PORT:HZ  another sender's HZ tone, with its own SSRC,
 *                      sent to the gateway's RTP port (repeatable)
 *   --rtcp ADDR:PORT   an RTCP sender report each second from there to
 *                      the gateway's RTCP port (RTP port + 1)
 *   --event DIGIT:PT:MS   an RFC 4733 event in the peer's stream, 100 ms
 *                      long, with payload type PT, MS after the start
 *                      (repeatable)
 * At the end it prints what each of its sockets received:
 *   rx sdp=N from=N rogue=N
 * Exit status 1 when the gateway sent nothing within --wait.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <spandsp/telephony.h>
#include <spandsp/bit_operations.h>
#include <spandsp/g711.h>

enum { MAXSRC = 8, MAXEV = 16, FRAME = 160, HDR = 12, EVLEN = 4,
       EV_MS = 100 };

static const char codes[] = "0123456789*#ABCD";

struct sender {
	int fd;
	double hz;
	uint32_t ssrc;
	uint16_t seq;
	uint32_t ts;
	unsigned long rx;
};

struct event {
	int code, pt;
	double at_ms;
};

struct opts {
	struct sockaddr_in sdp, from, rtcp;
	bool has_from, has_rtcp;
	struct sender rogue[MAXSRC];
	int nrogue;
	struct event ev[MAXEV];
	int nev;
	double hz, tone_ms, secs, wait;
	int pt;
};

static void usage(void)
{
	fprintf(stderr, "usage: rtpinject [--tone HZ] [--pt 8|0] [--from A:P]"
		" [--tone-ms MS] [--rogue A:P:HZ]... [--rtcp A:P] [--event D:PT:MS]..."
		" [--secs S] [--wait S] SDP_ADDR:PORT\n");
	exit(2);
}

/* "a.b.c.d:port" */
static int parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n;

	if (!colon || (n = (size_t)(colon - s)) >= sizeof(host))
		return EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)atoi(colon + 1));
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : EINVAL;
}

static int bind_udp(const struct sockaddr_in *sin)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (const struct sockaddr *)sin, sizeof(*sin))) {
		perror("rtpinject: bind");
		exit(2);
	}
	return fd;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

static void rtp_header(uint8_t *p, const struct sender *s, int pt, bool m)
{
	p[0] = 0x80;
	p[1] = (uint8_t)((m ? 0x80 : 0) | pt);
	put16(p + 2, s->seq);
	put32(p + 4, s->ts);
	put32(p + 8, s->ssrc);
}

static void send_to(int fd, const uint8_t *p, size_t len,
		    const struct sockaddr_in *dst)
{
	(void)sendto(fd, p, len, 0, (const struct sockaddr *)dst, sizeof(*dst));
}

/* one 20 ms frame of an HZ tone at about -10 dBm0 */
static void send_tone(struct sender *s, int pt, const struct sockaddr_in *dst)
{
	uint8_t pkt[HDR + FRAME];

	rtp_header(pkt, s, pt, s->seq == 0);
	for (int i = 0; i < FRAME; i++) {
		double t = (s->ts + (uint32_t)i) / 8000.0;
		int16_t v = (int16_t)(s->hz > 0 ? 7000 * sin(2 * M_PI * s->hz * t)
				      : 0);

		pkt[HDR + i] = pt == 8 ? linear_to_alaw(v) : linear_to_ulaw(v);
	}
	send_to(s->fd, pkt, sizeof(pkt), dst);
	s->seq++;
	s->ts += FRAME;
}

/* RFC 4733 §2.3: an event packet in s's stream, at the event's ts */
static void send_event(struct sender *s, const struct event *e,
		       uint32_t ev_ts, unsigned dur, bool end,
		       const struct sockaddr_in *dst)
{
	uint8_t pkt[HDR + EVLEN];
	uint32_t ts = s->ts;

	s->ts = ev_ts;
	rtp_header(pkt, s, e->pt, dur == FRAME);
	s->ts = ts + FRAME;     /* the stream's clock runs on */
	pkt[HDR] = (uint8_t)e->code;
	pkt[HDR + 1] = (uint8_t)((end ? 0x80 : 0) | 10);
	put16(pkt + HDR + 2, (uint16_t)dur);
	send_to(s->fd, pkt, sizeof(pkt), dst);
	s->seq++;
}

/* RFC 3550 §6.4.1: a sender report with no report block */
static void send_sr(int fd, uint32_t ssrc, const struct sockaddr_in *dst)
{
	uint8_t pkt[28] = {0x80, 200, 0, 6};

	put32(pkt + 4, ssrc);
	send_to(fd, pkt, sizeof(pkt), dst);
}

static unsigned long drain(int fd, struct sockaddr_in *src)
{
	uint8_t buf[2048];
	socklen_t sl = sizeof(*src);
	unsigned long n = 0;

	while (recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			(struct sockaddr *)src, &sl) > 0) {
		n++;
		sl = sizeof(*src);
	}
	return n;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->pt = 8;
	o->secs = 5;
	o->wait = 15;
	o->tone_ms = 1e9;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-') {
			if (i != argc - 1 || parse_addr(a, &o->sdp))
				usage();
			return;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--tone"))
			o->hz = atof(v);
		else if (!strcmp(a, "--tone-ms"))
			o->tone_ms = atof(v);
		else if (!strcmp(a, "--pt"))
			o->pt = atoi(v);
		else if (!strcmp(a, "--secs"))
			o->secs = atof(v);
		else if (!strcmp(a, "--wait"))
			o->wait = atof(v);
		else if (!strcmp(a, "--from") && !parse_addr(v, &o->from))
			o->has_from = true;
		else if (!strcmp(a, "--rtcp") && !parse_addr(v, &o->rtcp))
			o->has_rtcp = true;
		else if (!strcmp(a, "--rogue") && o->nrogue < MAXSRC) {
			struct sockaddr_in sin;
			const char *hz = strrchr(v, ':');
			char addr[64];

			if (!hz || (size_t)(hz - v) >= sizeof(addr))
				usage();
			memcpy(addr, v, (size_t)(hz - v));
			addr[hz - v] = '\0';
			if (parse_addr(addr, &sin))
				usage();
			o->rogue[o->nrogue].fd = bind_udp(&sin);
			o->rogue[o->nrogue].hz = atof(hz + 1);
			o->rogue[o->nrogue].ssrc = 0x60000000u + (uint32_t)o->nrogue;
			o->nrogue++;
		}
		else if (!strcmp(a, "--event") && o->nev < MAXEV) {
			struct event *e = &o->ev[o->nev++];
			const char *c = strchr(codes, v[0]);

			if (!c || !v[0] || v[1] != ':' ||
			    sscanf(v + 2, "%d:%lf", &e->pt, &e->at_ms) != 2)
				usage();
			e->code = (int)(c - codes);
		}
		else
			usage();
	}
	usage();
}

/* the event that covers t_ms, if any, and its packet's duration */
static const struct event *event_at(const struct opts *o, double t_ms,
				    unsigned *dur, bool *end)
{
	for (int i = 0; i < o->nev; i++) {
		double d = t_ms - o->ev[i].at_ms;

		if (d >= 0 && d < EV_MS) {
			*dur = (unsigned)(d / 20 + 1) * FRAME;
			*end = d + 20 >= EV_MS;
			return &o->ev[i];
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct sender peer = {.ssrc = 0x51a1e7u};
	struct sockaddr_in gw, gw_rtcp, src;
	int sdp_fd, rtcp_fd = -1;
	unsigned long rx_sdp = 0, rx_from = 0, rx_rogue = 0;
	struct pollfd pfd;
	double t0, next;

	parse_opts(argc, argv, &o);
	sdp_fd = bind_udp(&o.sdp);
	peer.fd = o.has_from ? bind_udp(&o.from) : sdp_fd;
	peer.hz = o.hz;
	if (o.has_rtcp)
		rtcp_fd = bind_udp(&o.rtcp);

	pfd.fd = sdp_fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)(o.wait * 1000)) != 1) {
		fprintf(stderr, "rtpinject: no RTP from the gateway within "
			"%.0f s\n", o.wait);
		return 1;
	}
	rx_sdp = drain(sdp_fd, &gw);
	printf("gateway RTP from %s:%u\n", inet_ntoa(gw.sin_addr),
	       ntohs(gw.sin_port));
	gw_rtcp = gw;
	gw_rtcp.sin_port = htons((uint16_t)(ntohs(gw.sin_port) + 1));

	t0 = next = now_ms();
	while (next - t0 < o.secs * 1000) {
		double t = next - t0;
		unsigned dur;
		bool end;
		const struct event *e = event_at(&o, t, &dur, &end);
		struct timespec ts;

		peer.hz = t < o.tone_ms ? o.hz : 0;
		if (e)
			send_event(&peer, e, (uint32_t)(e->at_ms * 8), dur,
				   end, &gw);
		else
			send_tone(&peer, o.pt, &gw);
		for (int i = 0; i < o.nrogue; i++)
			send_tone(&o.rogue[i], o.pt, &gw);
		if (rtcp_fd >= 0 && (long)t % 1000 < 20)
			send_sr(rtcp_fd, 0x7e7e7e7eu, &gw_rtcp);
		rx_sdp += drain(sdp_fd, &src);
		if (peer.fd != sdp_fd)
			rx_from += drain(peer.fd, &src);
		for (int i = 0; i < o.nrogue; i++)
			rx_rogue += drain(o.rogue[i].fd, &src);
		next += 20;
		ts.tv_sec = (time_t)(next / 1e3);
		ts.tv_nsec = (long)(fmod(next, 1e3) * 1e6);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
	}
	printf("rx sdp=%lu from=%lu rogue=%lu\n", rx_sdp, rx_from, rx_rogue);
	return 0;
}
