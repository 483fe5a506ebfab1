/*
 * vdahdi B-channel buffering: DAHDI_SET_BLOCKSIZE and SET_BUFINFO decide
 * the read size (doubled by SETLINEAR unless AUDIOMODE is off), bad sizes
 * are refused, and both directions are bounded to numbufs x blocksize: a
 * writer ahead of the clock waits, a reader that falls behind loses the
 * oldest audio rather than gaining latency.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include "tests/unit/vdtest.h"

enum { BS = 160 };

int main(void)
{
	uint8_t buf[4096];
	int a, b, bs = 0, nb, total = 0;
	struct dahdi_bufferinfo bi = {0};
	double t0, secs;

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	a = vt_open_chan(1, O_NONBLOCK);
	b = vt_open_chan(32, 0);
	ok(a >= 0 && b >= 0, "open B-channels 1 and 32");

	ok(!ioctl(b, DAHDI_GET_BLOCKSIZE, &bs) && bs == DAHDI_DEFAULT_BLOCKSIZE,
	   "default blocksize is %d (got %d)", DAHDI_DEFAULT_BLOCKSIZE, bs);
	ok(!vt_ioctl_int(b, DAHDI_SET_BLOCKSIZE, BS) &&
	   !ioctl(b, DAHDI_GET_BLOCKSIZE, &bs) && bs == BS,
	   "SET_BLOCKSIZE %d reads back", BS);
	ok(vt_ioctl_int(b, DAHDI_SET_BLOCKSIZE, 15) && errno == EINVAL,
	   "blocksize 15 is refused with EINVAL");
	ok(vt_ioctl_int(b, DAHDI_SET_BLOCKSIZE, DAHDI_MAX_BLOCKSIZE + 1) &&
	   errno == EINVAL, "blocksize %d is refused", DAHDI_MAX_BLOCKSIZE + 1);
	ok(read(b, buf, sizeof(buf)) == BS, "a read returns one block of %d", BS);

	ok(!vt_ioctl_int(b, DAHDI_SETLINEAR, 1) &&
	   read(b, buf, sizeof(buf)) == 2 * BS,
	   "SETLINEAR: a read returns %d bytes of 16-bit samples", 2 * BS);
	ok(!vt_ioctl_int(b, DAHDI_AUDIOMODE, 0) &&
	   read(b, buf, sizeof(buf)) == BS,
	   "AUDIOMODE off: transparent, %d bytes again", BS);
	vt_ioctl_int(b, DAHDI_AUDIOMODE, 1);

	/* linear through the cable: a constant level survives G.711 */
	vt_ioctl_int(a, DAHDI_SET_BLOCKSIZE, BS);
	vt_ioctl_int(a, DAHDI_SETLINEAR, 1);
	int16_t lin[BS], got[BS];
	int good = 0;

	for (int k = 0; k < BS; k++)
		lin[k] = 1000;
	for (int i = 0; i < 20 && !good; i++) {
		(void)!write(a, lin, sizeof(lin));
		if (read(b, got, sizeof(got)) != sizeof(got))
			break;
		good = abs(got[0] - 1000) < 40 && abs(got[BS - 1] - 1000) < 40;
	}
	ok(good, "linear 1000 arrives as %d (A-law quantised)", got[0]);

	/* a writer ahead of the clock is held to numbufs x blocksize */
	ioctl(a, DAHDI_GET_BUFINFO, &bi);
	nb = bi.numbufs;
	vt_ioctl_int(a, DAHDI_SETLINEAR, 0);
	vt_ioctl_int(a, DAHDI_FLUSH, DAHDI_FLUSH_BOTH);
	memset(buf, 0x55, sizeof(buf));
	for (int i = 0; i < 100; i++) {
		ssize_t n = write(a, buf, BS);

		if (n < 0)
			break;
		total += n;
	}
	ok(errno == EAGAIN && total <= (nb + 1) * BS,
	   "non-blocking writer stops with EAGAIN after %d bytes (numbufs %d)",
	   total, nb);
	ok(!(vt_poll(a, POLLOUT, 0) & POLLOUT), "a full writer has no POLLOUT");
	ok(vt_poll(a, POLLOUT, 100) & POLLOUT,
	   "POLLOUT returns once the clock has taken a block");

	int flags = fcntl(a, F_GETFL);

	fcntl(a, F_SETFL, flags & ~O_NONBLOCK);
	t0 = vt_now();
	for (int i = 0; i < 25; i++)
		(void)!write(a, buf, BS);
	secs = vt_now() - t0;
	ok(secs > 25 * 0.020 * 0.85,
	   "blocking writer is paced by the clock: 25 blocks in %.3f s", secs);

	/* a reader that stops reading does not build up latency */
	bi.numbufs = 4;
	bi.bufsize = BS;
	ok(!ioctl(b, DAHDI_SET_BUFINFO, &bi), "SET_BUFINFO numbufs=4 bufsize=%d", BS);
	vt_ioctl_int(b, DAHDI_SETLINEAR, 0);
	usleep(300000);
	ioctl(b, DAHDI_GET_BUFINFO, &bi);
	ok(bi.readbufs <= 4, "after 300 ms unread, %d blocks wait (<= numbufs 4)",
	   bi.readbufs);
	fcntl(b, F_SETFL, fcntl(b, F_GETFL) | O_NONBLOCK);
	int avail = 0;

	while (read(b, buf, BS) == BS && avail < 100)
		avail++;
	ok(avail <= 5, "only %d blocks could be read without waiting", avail);

	bi.numbufs = 1;
	ok(ioctl(b, DAHDI_SET_BUFINFO, &bi) && errno == EINVAL,
	   "numbufs 1 is refused");
	bi.numbufs = 32;
	bi.bufsize = 2048;
	ok(ioctl(b, DAHDI_SET_BUFINFO, &bi) && errno == EINVAL,
	   "32 x 2048 exceeds DAHDI_MAX_BUF_SPACE and is refused");
	close(a);
	close(b);
	return tap_done();
}
