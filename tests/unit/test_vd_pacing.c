/*
 * vdahdi D-channels are paced like a 64 kbit/s HDLC line: at most numbufs
 * frames wait for the line (the next write gets EAGAIN, POLLOUT goes
 * away, a blocking write waits for a frame to leave), and a writer that
 * writes as fast as it may sees its frames arrive at the far end at the
 * line rate, about 8 bytes per millisecond.  A CPU hog can only make the
 * frames later, never faster, so the rate has a firm upper bound and a
 * generous lower one.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include "tdm/vdahdi/vdahdi.h"
#include "tests/unit/vdtest.h"

enum { NUMBUFS = 4, PAYLOAD = 100, FRAMES = 60 };

static int set_numbufs(int fd, int n)
{
	struct dahdi_bufferinfo bi = {.numbufs = n, .bufsize = 1024};

	return ioctl(fd, DAHDI_SET_BUFINFO, &bi);
}

/* frame k: PAYLOAD bytes plus two FCS placeholders */
static ssize_t send_frame(int fd, int k)
{
	uint8_t buf[PAYLOAD + 2];

	for (int i = 0; i < PAYLOAD; i++)
		buf[i] = (uint8_t)(k * 7 + i);
	buf[PAYLOAD] = buf[PAYLOAD + 1] = 0;
	return write(fd, buf, sizeof(buf));
}

/* write FRAMES frames whenever POLLOUT allows, read them at the far end;
 * returns the bits they took on the line; *t0 is taken before the first
 * write, *t1 after the last arrival: the line cannot have sent them all
 * in less */
static unsigned stream(int a, int b, double *t0, double *t1)
{
	int sent = 0, got = 0;
	unsigned bits = 0;

	*t0 = vt_now();
	while (got < FRAMES) {
		struct pollfd p[2] = {
			{.fd = a, .events = sent < FRAMES ? POLLOUT : 0},
			{.fd = b, .events = POLLIN},
		};
		uint8_t buf[PAYLOAD + 2];
		ssize_t r;

		if (poll(p, 2, 2000) <= 0)
			break;
		if ((p[0].revents & POLLOUT) && send_frame(a, sent) > 0)
			sent++;
		if (!(p[1].revents & POLLIN))
			continue;
		r = read(b, buf, sizeof(buf));
		if (r != (ssize_t)sizeof(buf) || buf[1] != (uint8_t)(got * 7 + 1))
			break;
		*t1 = vt_now();
		bits += vd_hdlc_bits(buf, r);
		got++;
	}
	return got == FRAMES ? bits : 0;
}

/* numbufs frames are taken, then the queue is full until one has left */
static void test_burst(int a, int b)
{
	struct dahdi_bufferinfo bi = {0};
	int n = 0, rc, tries;
	double t0, ms;

	while (n < 2 * NUMBUFS && send_frame(a, n) > 0)
		n++;
	ok(n == NUMBUFS && errno == EAGAIN,
	   "a burst of writes stops with EAGAIN after numbufs frames (%d)", n);
	ok(!(vt_poll(a, POLLOUT, 0) & POLLOUT), "no POLLOUT while full");
	rc = ioctl(a, DAHDI_GET_BUFINFO, &bi);
	ok(!rc && bi.writebufs == NUMBUFS, "GET_BUFINFO: %d frames wait to "
	   "be sent", bi.writebufs);
	ok(vt_poll(a, POLLOUT, 1000) & POLLOUT,
	   "POLLOUT once the line has taken a frame");
	ok(vt_poll(b, POLLIN, 1000) & POLLIN, "... which the far end reads");

	/* a blocking writer waits for the line: one frame is ~13 ms.  A
	 * writer descheduled between filling the queue and its blocking
	 * write finds room already; a queue that never blocks never waits:
	 * up to 3 tries, one that waits is enough */
	ioctl(b, DAHDI_FLUSH, &(int){DAHDI_FLUSH_READ});
	for (tries = 1; tries <= 3; tries++) {
		while (send_frame(a, 0) > 0)
			;
		fcntl(a, F_SETFL, 0);
		t0 = vt_now();
		rc = send_frame(a, 0);
		ms = 1000 * (vt_now() - t0);
		fcntl(a, F_SETFL, O_NONBLOCK);
		if (rc <= 0 || ms > 5)
			break;
	}
	ok(rc > 0 && ms > 5, "a blocking write into a full queue waits for "
	   "the line (%.1f ms, try %d)", ms, tries);
	ioctl(a, DAHDI_FLUSH, &(int){DAHDI_FLUSH_WRITE});
	ioctl(b, DAHDI_FLUSH, &(int){DAHDI_FLUSH_READ});
}

int main(void)
{
	int a, b;
	double t0 = 0, t1 = 0, ms, rate;
	unsigned bits;

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	a = vt_open_chan(16, O_NONBLOCK);
	b = vt_open_chan(47, O_NONBLOCK);
	ok(a >= 0 && b >= 0 && !set_numbufs(a, NUMBUFS) &&
	   !set_numbufs(b, 32), "D-channels 16 (numbufs %d) and 47", NUMBUFS);
	test_burst(a, b);

	/* as fast as POLLOUT allows: the far end gets the line rate; the
	 * clock ticks each millisecond, so 2% covers the first tick */
	bits = stream(a, b, &t0, &t1);
	ms = 1000 * (t1 - t0);
	rate = bits / 8.0 / ms;
	ok(bits > 0, "%d frames of %d bytes sent and received in order",
	   FRAMES, PAYLOAD + 2);
	ok(bits && rate <= 8.0 * 1.02,
	   "no faster than the line: %.2f bytes/ms with flags and stuffing "
	   "(64 kbit/s: 8)", rate);
	ok(bits && rate >= 8.0 / 4,
	   "and not much slower: %.2f bytes/ms over %.0f ms", rate, ms);

	close(a);
	close(b);
	return tap_done();
}
