/*
 * A B-channel read on a clock (tdm/pri/bchanio.c), over vdahdi: the far
 * end (channel 2, span 1) sends numbered blocks, one value per block;
 * channel 33 (span 2) is read by bchan_alloc()'s reader in libre's loop,
 * which is stalled once for 60 ms on the way.  Every byte must arrive
 * once and in order (each number exactly one block long), the reader
 * must have caught up after the stall (the driver's queue short again,
 * DAHDI_GET_BUFINFO's readbufs), and vdahdi's
 * counters must show about one read per block, with no poll and no poll
 * notification once the clock runs.  The first block, too, is read on
 * the clock: its buffers were just set up, so no poll at all.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <re.h>
#include "tdm/pri/tdmpri.h"
#include "tests/unit/vdtest.h"

enum {
	BS = BCHAN_BLOCK,
	SEND = 150,          /* blocks sent, numbered 1..SEND */
	WANT = 140,          /* blocks received before the check */
	STALL_MS = 60,       /* the loop stalls once, early on */
	SETTLED = 80,        /* blocks in, the stall well behind */
};

struct rx {
	uint8_t data[(WANT + 8) * BS];
	size_t len;
	unsigned blocks;
	unsigned late_calls; /* blocks handed on after the reader was freed */
	bool freed;
	int fd;              /* the reader's channel */
	int min_waiting;     /* blocks still queued after one, once SETTLED */
	uint64_t first_at;   /* tmr_jiffies() of the first block */
};

static void recv_h(const void *buf, size_t n, void *arg)
{
	struct rx *rx = arg;

	if (rx->freed) {
		rx->late_calls++;
		return;
	}
	if (!rx->blocks)
		rx->first_at = tmr_jiffies();
	if (rx->len + n <= sizeof(rx->data)) {
		memcpy(rx->data + rx->len, buf, n);
		rx->len += n;
	}
	if (++rx->blocks >= SETTLED) {
		struct dahdi_bufferinfo bi;

		/* the least: a reader that never caught up keeps its lag,
		 * one that did sees a short queue now and then */
		if (!ioctl(rx->fd, DAHDI_GET_BUFINFO, &bi) &&
		    bi.readbufs < rx->min_waiting)
			rx->min_waiting = bi.readbufs;
	}
	if (rx->blocks >= WANT)
		re_cancel();
}

/* the far end: numbered blocks, paced by its own transmit queue */
/* the far end's writer; main reads it once the thread is joined */
struct far_end {
	int fd;
	int sent;            /* blocks written */
	int err;             /* the write's errno, if one failed */
};

static void *sender(void *arg)
{
	struct far_end *fe = arg;
	uint8_t buf[BS];

	for (int k = 1; k <= SEND; k++) {
		memset(buf, k, sizeof(buf));
		if (write(fe->fd, buf, sizeof(buf)) != BS) {
			fe->err = errno;
			break;
		}
		fe->sent = k;
	}
	return NULL;
}

static void stall_h(void *arg)
{
	(void)arg;
	usleep(STALL_MS * 1000);
}

static void give_up(void *arg)
{
	(void)arg;
	re_cancel();
}

/* the numbers in order, each exactly one block long; the first and the
 * last run may be cut by the window; idle (0xd5) only before them */
static bool in_order(const struct rx *rx, unsigned *runsp)
{
	size_t i = 0;
	unsigned runs = 0, expect = 0;

	while (i < rx->len && rx->data[i] == 0xd5)
		i++;
	while (i < rx->len) {
		size_t j = i;

		while (j < rx->len && rx->data[j] == rx->data[i])
			j++;
		if ((expect && rx->data[i] != expect) ||
		    (i > 0 && rx->data[i - 1] != 0xd5 && j < rx->len &&
		     j - i != BS)) {
			tap_diag("at byte %zu: %u for %zu bytes after %u "
				 "numbers", i, rx->data[i], j - i, runs);
			return false;
		}
		expect = rx->data[i] + 1;
		runs++;
		i = j;
	}
	*runsp = runs;
	if (!runs)
		tap_diag("no number in %zu bytes (the first %u)", rx->len,
			 rx->len ? rx->data[0] : 0);
	return runs > 0;
}

int main(void)
{
	static struct rx rx;
	struct far_end fe = {.fd = -1};
	struct tmr stall, limit;
	struct bchan *b = NULL;
	struct vt_rq rs, r0, r1;
	uint64_t opened;
	unsigned runs = 0;
	bool sorted;
	pthread_t th;
	int far;

	ok(vt_wait_span_ok(1, 2), "span 1 out of alarm");
	far = vt_open_bchan(2, 0, BS, 4);
	ok(far >= 0, "channel 2 opened as the far end");
	if (libre_init() || far < 0)
		return tap_done();
	tmr_init(&stall);
	tmr_init(&limit);
	ok(!vt_requests(2, &rs), "vdahdi's counters read before the open");
	opened = tmr_jiffies();
	ok(!bchan_alloc(&b, 33, false, recv_h, &rx),
	   "channel 33 opened with a reader in the loop");
	rx.fd = bchan_fd(b);
	rx.min_waiting = BCHAN_NUMBUFS;
	ok(!vt_requests(2, &r0), "vdahdi's counters read");
	fe.fd = far;
	if (pthread_create(&th, NULL, sender, &fe)) {
		ok(0, "the sender thread");
		return tap_done();
	}
	tmr_start(&stall, 1000, stall_h, NULL);
	tmr_start(&limit, 10000, give_up, NULL);
	re_main(NULL);

	pthread_join(th, NULL);
	ok(rx.blocks >= WANT, "%u blocks received", rx.blocks);
	ok(fe.sent == SEND, "the far end sent %d blocks (%s)", fe.sent,
	   fe.err ? strerror(fe.err) : "no error");
	ok(!vt_requests(2, &r1), "vdahdi's counters read again");
	sorted = in_order(&rx, &runs);
	ok(sorted, "%u numbered blocks, each once, in order, whole, across "
	   "a %d ms stall of the loop", runs, STALL_MS);
	ok(runs >= WANT - 20, "the numbers came (%u)", runs);
	ok(rx.min_waiting <= 1, "caught up after the stall: down to %d "
	   "blocks waiting in the driver", rx.min_waiting);
	tap_diag("reads %llu (empty %llu), polls %llu, notifications %llu, "
	     "blocks %llu", r1.read - r0.read, r1.empty - r0.empty,
	     r1.poll - r0.poll, r1.notify - r0.notify, r1.blocks - r0.blocks);
	/* polled, each block costs 2 reads (one empty) and 2 polls */
	ok(r1.read - r0.read + r1.poll - r0.poll <=
	   (r1.blocks - r0.blocks) * 5 / 4,
	   "about one read per block and no polls once on the clock");
	ok(r1.notify - r0.notify <= 2, "no poll notifications on the clock");
	ok(r1.poll - rs.poll == 0 && r1.notify - rs.notify == 0,
	   "no poll from the open on: the first block too came on the clock "
	   "(%llu polls)", r1.poll - rs.poll);
	tap_diag("the first block came %lld ms after the open (a block is "
		 "%d ms)", (long long)(rx.first_at - opened), BS / 8);

	/* freed: no block handed on after, nothing left in the loop */
	b = mem_deref(b);
	rx.freed = true;
	tmr_start(&limit, 100, give_up, NULL);
	re_main(NULL);
	ok(rx.late_calls == 0, "nothing after the reader was freed");
	tmr_cancel(&stall);
	tmr_cancel(&limit);
	close(far);
	libre_close();
	return tap_done();
}
