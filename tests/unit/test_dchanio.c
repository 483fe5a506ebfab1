/*
 * A D-channel's frames through its own threads (tdm/pri/dchanio.c), over
 * vdahdi at 64 kbit/s: channel 47 (span 2) is the dchanio's, channel 16
 * (span 1) the far end, a plain blocking fd.
 * - Frames in: numbered frames from the far end arrive in libre's loop,
 *   each once and in order, at one FUSE read apiece: no poll and no read
 *   that finds nothing (vdahdi's counters).  The far end sends a frame
 *   once the loop has had the one before, as Q.921's window would have
 *   it: 47 has two receive buffers, which a loaded machine could
 *   overrun, as a DAHDI driver would.
 * - Frames out: dchanio_send() only queues.  With two transmit buffers
 *   and 1 KiB frames (about 130 ms each on the line), ten sends return
 *   while the far end has had at most four of them (sends that waited
 *   for the line would leave it eight); all ten then arrive.
 * - Events: pulling the cable comes to the loop as DAHDI_EVENT_ALARM.
 * - Stopping: frames queued just before the dchanio is freed still go out
 *   (the writer drains its queue), and the freeing ends the reader parked
 *   in read().
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <stdatomic.h>
#include <re.h>
#include "tdm/pri/tdmpri.h"
#include "tests/unit/vdtest.h"

enum {
	NIN = 50,            /* frames the far end sends */
	NBIG = 10,           /* 1 KiB frames sent from the loop */
	BIG = 1024,
	NDRAIN = 5,          /* frames queued just before the free */
};

struct loop_rx {
	atomic_uint frames;  /* numbered frames received */
	unsigned in_order;   /* ... carrying the number expected */
	unsigned alarms;     /* DAHDI_EVENT_ALARM */
	unsigned gone;
	unsigned want;       /* re_cancel() at this many frames */
	bool want_alarm;
};

static void io_h(enum dchanio_kind kind, int val, const uint8_t *frame,
		 size_t len, void *arg)
{
	struct loop_rx *rx = arg;

	switch (kind) {
	case DCHANIO_FRAME:
		if (len == 4 && frame[0] == 0xab &&
		    frame[1] == atomic_load(&rx->frames) + 1)
			rx->in_order++;
		atomic_fetch_add(&rx->frames, 1);
		if (rx->want && atomic_load(&rx->frames) >= rx->want)
			re_cancel();
		break;
	case DCHANIO_EVENT:
		if (val == DAHDI_EVENT_ALARM) {
			rx->alarms++;
			if (rx->want_alarm)
				re_cancel();
		}
		break;
	case DCHANIO_GONE:
		rx->gone++;
		break;
	}
}

static void timeout_h(void *arg)
{
	*(bool *)arg = true;
	re_cancel();
}

/* run the loop until a handler cancels it, or ms pass; false on timeout */
static bool loop_run(unsigned ms)
{
	struct tmr t;
	bool late = false;

	tmr_init(&t);
	tmr_start(&t, ms, timeout_h, &late);
	re_main(NULL);
	tmr_cancel(&t);
	return !late;
}

struct far_end {
	int fd;
	struct loop_rx *rx;
};

/* frame k goes once the loop has had k - 1 (for at most 5 s) */
static void *far_send(void *arg)
{
	struct far_end *fe = arg;
	uint8_t f[4] = {0xab, 0, 0x03, 0x00};   /* FCS bytes: vdahdi's */
	double end = vt_now() + 5;

	for (int k = 1; k <= NIN; k++) {
		while (atomic_load(&fe->rx->frames) < (unsigned)k - 1 &&
		       vt_now() < end)
			usleep(200);
		f[1] = (uint8_t)k;
		if (write(fe->fd, f, sizeof(f)) != sizeof(f))
			break;
	}
	return NULL;
}

/* vdahdi's D-channel request counter NAME (read, read_empty, poll ...) */
static long dchan_count(const char *name)
{
	static char st[16384];
	char key[32];
	const char *p;

	if (vt_status(st, sizeof(st)) < 0 ||
	    !(p = strstr(st, "requests dchan ")))
		return -1;
	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(p, key);
	return p ? atol(p + strlen(key)) : -1;
}

/* frames the far end can read within ms, each at most BIG + 2 bytes
 * (the events the cable left on it popped on the way); ms 0: those that
 * are there now */
static int far_read(int fd, int want, unsigned ms)
{
	static uint8_t buf[BIG + 8];
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	double end = vt_now() + ms / 1000.0;
	int got = 0;

	while (got < want) {
		int ev, r = poll(&pfd, 1, ms ? 20 : 0);

		if (r != 1) {
			if (!ms || vt_now() >= end)
				break;
			continue;
		}
		if (read(fd, buf, sizeof(buf)) > 0)
			got++;
		else if (errno == ELAST)
			(void)ioctl(fd, DAHDI_GETEVENT, &ev);
	}
	return got;
}

static void test_in(struct dchanio *d, int far, struct loop_rx *rx)
{
	long reads0 = dchan_count("read"), empty0 = dchan_count("read_empty");
	long poll0 = dchan_count("poll");
	struct far_end fe = {.fd = far, .rx = rx};
	pthread_t th;
	bool in_time;

	(void)d;
	rx->want = NIN;
	if (!ok(!pthread_create(&th, NULL, far_send, &fe), "far end sends"))
		return;
	in_time = loop_run(5000);
	ok(in_time && atomic_load(&rx->frames) == NIN,
	   "in: %u of %d frames reached the loop", atomic_load(&rx->frames),
	   NIN);
	ok(rx->in_order == NIN, "in: each once and in order (%u)",
	   rx->in_order);
	pthread_join(th, NULL);
	ok(dchan_count("read_empty") == empty0 && dchan_count("poll") == poll0,
	   "in: no poll and no empty read (poll %ld, empty %ld more)",
	   dchan_count("poll") - poll0, dchan_count("read_empty") - empty0);
	/* the far end's reads are counted too: it read nothing here */
	ok(dchan_count("read") - reads0 <= NIN + 1,
	   "in: one read a frame (%ld reads for %d)",
	   dchan_count("read") - reads0, NIN);
	rx->want = 0;
}

static void test_out(struct dchanio *d, int far)
{
	static uint8_t big[BIG];
	int early, rest;

	for (int k = 0; k < NBIG; k++) {
		big[0] = (uint8_t)k;
		if (dchanio_send(d, big, sizeof(big)))
			break;
	}
	/* the line takes about 130 ms a frame: the sends only queued */
	early = far_read(far, NBIG, 0);
	ok(early <= 4, "out: %d sends returned with %d of them on the far "
	   "end yet", NBIG, early);
	rest = far_read(far, NBIG - early, 4000);
	ok(early + rest == NBIG, "out: all %d arrived (%d)", NBIG,
	   early + rest);
}

static void test_alarm(struct loop_rx *rx)
{
	rx->want_alarm = true;
	ok(!vt_fault("cut 1"), "cable of pair 1 pulled");
	ok(loop_run(3000), "event: the loop heard it");
	ok(rx->alarms >= 1, "event: DAHDI_EVENT_ALARM reached the loop");
	rx->want_alarm = false;
	ok(!vt_fault("restore 1") && vt_wait_span_ok(2, 3),
	   "cable back, span 2 out of alarm");
}

int main(void)
{
	struct dahdi_bufferinfo bi = {
		.txbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
		.numbufs = 2, .bufsize = BIG + 16,
	}, fbi = bi;
	uint8_t small[4] = {0x02, 0x01, 0x03, 0x00};
	struct loop_rx rx = {0};
	struct dchanio *d = NULL;
	int mine, far, fl, got;

	ok(vt_wait_span_ok(2, 2), "span 2 out of alarm");
	ok(!libre_init(), "libre");
	mine = vt_open_chan(47, O_NONBLOCK);
	far = vt_open_chan(16, 0);
	/* the far end keeps what arrives while nobody reads it */
	fbi.numbufs = 16;
	if (!ok(mine >= 0 && far >= 0 &&
		!ioctl(mine, DAHDI_SET_BUFINFO, &bi) &&
		!ioctl(far, DAHDI_SET_BUFINFO, &fbi),
		"D-channels 47 (two transmit buffers) and 16 (16)"))
		return tap_done();
	if (!ok(!dchanio_alloc(&d, mine, io_h, &rx), "dchanio on 47"))
		return tap_done();
	fl = fcntl(mine, F_GETFL);
	ok(fl >= 0 && !(fl & O_NONBLOCK), "its fd turned blocking");

	test_in(d, far, &rx);
	test_out(d, far);
	test_alarm(&rx);

	for (int k = 0; k < NDRAIN; k++)
		dchanio_send(d, small, sizeof(small));
	d = mem_deref(d);    /* the reader is parked in read() */
	got = far_read(far, NDRAIN, 2000);
	ok(got == NDRAIN, "stop: the %d frames queued before the free went "
	   "out (%d)", NDRAIN, got);
	ok(rx.gone == 0, "the channel was never reported gone");
	ok(write(mine, small, sizeof(small)) == sizeof(small),
	   "the fd is the caller's again, and works");

	close(mine);
	close(far);
	libre_close();
	return tap_done();
}
