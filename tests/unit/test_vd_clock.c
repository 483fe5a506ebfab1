/*
 * vdahdi's 8 kHz clock: blocking reads pace out at real time on B-channels
 * and on a pseudo channel, audio crosses the cable intact, and a silent
 * far end sends the law's idle code (A-law 0xd5 on E1, mu-law 0xff on T1).
 * VD_TYPE=t1 in the environment selects the T1 expectations.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include "tests/unit/vdtest.h"

enum { BS = 160, NBLOCKS = 50 };

static double time_reads(int fd, int n)
{
	uint8_t buf[BS];
	double t0 = vt_now();

	for (int i = 0; i < n; i++)
		if (read(fd, buf, BS) != BS)
			return -1;
	return vt_now() - t0;
}

static int find_ramp(const uint8_t *buf, size_t len, size_t want)
{
	for (size_t i = 0; i + want <= len; i++) {
		size_t k = 0;

		while (k < want && buf[i + k] == (uint8_t)(buf[i] + k))
			k++;
		if (k == want)
			return 1;
	}
	return 0;
}

int main(void)
{
	const char *type = getenv("VD_TYPE");
	int t1 = type && !strcmp(type, "t1");
	int near_ch = 1, far_ch = t1 ? 25 : 32;
	uint8_t idle = t1 ? 0xff : 0xd5, buf[4 * BS];
	int a, b, p, allidle = 1;
	double secs;

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	b = vt_open_chan(far_ch, 0);
	ok(b >= 0 && !vt_ioctl_int(b, DAHDI_SET_BLOCKSIZE, BS),
	   "open B-channel %d, blocksize %d", far_ch, BS);

	secs = time_reads(b, NBLOCKS);
	ok(secs > NBLOCKS * 0.020 * 0.97 && secs < NBLOCKS * 0.020 * 1.03,
	   "%d blocking reads of 20 ms took %.3f s (real time +-3%%)",
	   NBLOCKS, secs);

	for (int i = 0; i < 5; i++) {
		ok(read(b, buf, BS) == BS, "read block %d", i);
		for (int k = 0; k < BS; k++)
			allidle &= buf[k] == idle;
	}
	ok(allidle, "silent far end sends idle code 0x%02x", idle);

	/* audio across the cable: a ramp written on span 1 arrives on span 2 */
	a = vt_open_chan(near_ch, 0);
	ok(a >= 0 && !vt_ioctl_int(a, DAHDI_SET_BLOCKSIZE, BS),
	   "open B-channel %d", near_ch);
	for (int k = 0; k < BS; k++)
		buf[k] = (uint8_t)(k + 16);
	int found = 0;

	for (int i = 0; i < 20 && !found; i++) {
		uint8_t rx[2 * BS];

		if (write(a, buf, BS) != BS)
			break;
		if (read(b, rx, BS) != BS || read(b, rx + BS, BS) != BS)
			break;
		found = find_ramp(rx, 2 * BS, BS);
		if (write(a, buf, BS) != BS)
			break;
	}
	ok(found, "a 160-sample block written on %d is read intact on %d",
	   near_ch, far_ch);

	p = open(DEV "/pseudo", O_RDWR);
	ok(p >= 0 && !vt_ioctl_int(p, DAHDI_SET_BLOCKSIZE, BS),
	   "open a pseudo channel");
	secs = time_reads(p, NBLOCKS);
	ok(secs > NBLOCKS * 0.020 * 0.97 && secs < NBLOCKS * 0.020 * 1.03,
	   "pseudo: %d reads took %.3f s", NBLOCKS, secs);

	close(a);
	close(b);
	close(p);
	return tap_done();
}
