/*
 * Writes to different channels do not wait for each other, as on a
 * DAHDI character device.  A FUSE file would serialise them on its
 * inode's lock, held for the whole round trip to vdahdi, and every
 * channel opened through /dev/dahdi/channel shares one inode: a writer
 * parked on a full channel would then hold up every other process's
 * writes (tdm/vdahdi/fs.c).
 *
 * Here the D-channels run at 8 kbit/s (vd_parallel.sh): a frame of 1 KiB
 * keeps the line for about a second, so a blocking write queued behind it
 * is parked that long.  A write to another channel, made meanwhile, must
 * come back while the first is still parked.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "tests/unit/vdtest.h"

enum { BIG = 1026, SMALL = 10 };

static atomic_bool parked;

static void *parked_writer(void *arg)
{
	static uint8_t buf[BIG];
	int fd = *(int *)arg;

	atomic_store(&parked, true);
	(void)write(fd, buf, sizeof(buf));   /* waits for the line */
	atomic_store(&parked, false);
	return NULL;
}

int main(void)
{
	static uint8_t big[BIG];
	uint8_t small[SMALL] = {0x02, 0x01, 0x01};
	struct dahdi_bufferinfo bi = {.numbufs = 2, .bufsize = 1100};
	pthread_t th;
	double t0, ms;
	ssize_t n;
	bool still;
	int a, b;

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	a = vt_open_chan(16, 0);
	b = vt_open_chan(47, O_NONBLOCK);
	if (!ok(a >= 0 && b >= 0 && !ioctl(a, DAHDI_SET_BUFINFO, &bi),
		"D-channels 16 (blocking, two buffers) and 47"))
		return tap_done();

	/* the line is busy for a second; the write after the two frames
	 * the buffers take is parked */
	ok(write(a, big, sizeof(big)) == sizeof(big) &&
	   write(a, big, sizeof(big)) == sizeof(big), "two 1 KiB frames on 16");
	if (!ok(!pthread_create(&th, NULL, parked_writer, &a),
		"a second writer on 16"))
		return tap_done();
	usleep(100 * 1000);

	t0 = vt_now();
	n = write(b, small, sizeof(small));
	ms = 1000 * (vt_now() - t0);
	still = atomic_load(&parked);
	ok(n == sizeof(small), "a write on 47 meanwhile is taken");
	ok(still, "... while the writer on 16 is still parked (%.1f ms)", ms);

	pthread_join(th, NULL);
	ok(!atomic_load(&parked), "the writer on 16 went on once the line "
	   "took its frame");
	close(a);
	close(b);
	return tap_done();
}
