/*
 * vdahdi D-channels: one HDLC frame per read with a correct FCS-16 in both
 * directions, size limits, O_NONBLOCK, and BADFCS fault injection (the
 * corrupted frame is dropped and the far end gets a BADFCS event).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "tdm/vdahdi/vdahdi.h"
#include "tests/unit/vdtest.h"

static int send_frame(int fd, const char *payload)
{
	uint8_t buf[300];
	size_t n = strlen(payload);

	memcpy(buf, payload, n);
	buf[n] = buf[n + 1] = 0;   /* FCS placeholders, filled by the driver */
	return write(fd, buf, n + 2) == (ssize_t)(n + 2) ? 0 : -1;
}

static void check_frame(int fd, const char *payload, const char *dir)
{
	uint8_t buf[300];
	size_t n = strlen(payload);
	ssize_t r;

	ok(vt_poll(fd, POLLIN, 1000) & POLLIN, "%s: POLLIN when a frame waits", dir);
	r = read(fd, buf, sizeof(buf));
	ok(r == (ssize_t)n + 2, "%s: one frame per read (%zd bytes, want %zu)",
	   dir, r, n + 2);
	ok(r >= 2 && !memcmp(buf, payload, n), "%s: payload intact", dir);
	ok(r >= 2 && vd_fcs16_good(buf, r), "%s: FCS-16 is correct", dir);
}

int main(void)
{
	int a, b, ev = -1;
	uint8_t buf[2048] = {0};

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	a = vt_open_chan(16, O_NONBLOCK);
	b = vt_open_chan(47, O_NONBLOCK);
	ok(a >= 0 && b >= 0, "open D-channels 16 and 47");

	ok(!send_frame(a, "\x02\x01\x7f"), "write a SABME on span 1");
	check_frame(b, "\x02\x01\x7f", "1->2");
	ok(!send_frame(b, "\x02\x01\x73"), "write a UA on span 2");
	check_frame(a, "\x02\x01\x73", "2->1");

	send_frame(a, "first frame");
	send_frame(a, "second, longer frame");
	check_frame(b, "first frame", "back-to-back #1");
	check_frame(b, "second, longer frame", "back-to-back #2");

	errno = 0;
	ok(read(b, buf, sizeof(buf)) < 0 && errno == EAGAIN,
	   "O_NONBLOCK read with no frame gives EAGAIN");
	ok(write(a, buf, 2) < 0 && errno == EINVAL,
	   "a write shorter than address+FCS gives EINVAL");
	ok(write(a, buf, VD_MAXFRAME + 3) < 0 && errno == EINVAL,
	   "a write longer than the MRU gives EINVAL");

	/* BADFCS: corrupt the next frame span 1 sends */
	ok(!vt_fault("badfcs 1 1\n"), "inject one bad FCS on span 1");
	send_frame(a, "corrupted");
	ok(vt_poll(b, POLLPRI | POLLIN, 1000) & POLLPRI, "far end sees POLLPRI");
	ok(read(b, buf, sizeof(buf)) < 0 && errno == ELAST,
	   "read fails with ELAST while the event is pending");
	ok(!ioctl(b, DAHDI_GETEVENT, &ev) && ev == DAHDI_EVENT_BADFCS,
	   "DAHDI_GETEVENT gives BADFCS (%d)", ev);
	ok(read(b, buf, sizeof(buf)) < 0 && errno == EAGAIN,
	   "the corrupted frame was dropped");
	send_frame(a, "next one is fine");
	check_frame(b, "next one is fine", "after BADFCS");

	close(a);
	close(b);
	return tap_done();
}
