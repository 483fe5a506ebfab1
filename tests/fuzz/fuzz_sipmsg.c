/*
 * Fuzz target: the whole SIP request path.  Each input is a short script
 * of SIP datagrams that a peer at 127.0.0.1:5070 sends over UDP to a
 * sipua listening on 127.0.0.1:5060, through libre's transport and
 * transaction layers to sipri's request_handler (sip/ua.c), the ACL, the
 * INVITE handling (sip/uas.c), SDP, and the in-dialog requests of a live
 * dialog (ACK, BYE, re-INVITE, UPDATE, PRACK, INFO, CANCEL).  A fake core
 * answers as the gateway would.  Run it in a private network namespace
 * (unshare -n): replies go where the fuzzed Via and Contact say.
 *
 * Input: segments separated by a line "%%".  A segment that starts with
 * '!' is a step of the fake core on the newest call (fuzz_sipcore.c);
 * "!ua ..." as the first segment sets the peer's policy; "!wait N" runs
 * the loop N ms (100 ms an input at most: with "!ua t1=1", sip/'s own
 * retransmissions and 64*T1 timeouts fit in it).  Any other
 * segment is one datagram; in it "[totag]" becomes the To tag and
 * "[rseq]" the RSeq of the last response the peer received.
 *
 * After each datagram the peer sends a STUN Binding request, which libre
 * answers from the same socket: its reply means the datagram before it
 * was handled.  Then every timer due is run.  At the end of an input all
 * is freed; a block or a timer left over aborts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/fuzz/fuzz_sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	FUZZ_MAX_INPUT = 65536,
	FUZZ_MAX_SEGS  = 24,
	FUZZ_GUARD_MS  = 10000,
	FUZZ_SETTLE    = 64,
	FUZZ_PASSES    = 4,      /* a request, its answer, what follows */
	FUZZ_WAIT_MAX  = 100,    /* ms of "!wait" per input, at most */
};

static const uint8_t stun_tid[12] = "sipri-fuzz!!";

/* a STUN Binding response to our request (RFC 5389 §6) */
static bool is_stun_reply(const struct mbuf *mb)
{
	const uint8_t *p = mbuf_buf(mb);

	return mbuf_get_left(mb) >= 20 && p[0] == 0x01 && p[1] == 0x01 &&
		!memcmp(p + 8, stun_tid, sizeof(stun_tid));
}

static void copy_pl(char *buf, size_t sz, const struct pl *pl)
{
	if (pl_isset(pl) && pl->l < sz)
		(void)pl_strcpy(pl, buf, sz);
}

/* note what later segments may refer to: To tag, RSeq */
static void peer_response(struct fuzz_sip *f, const struct sip_msg *msg)
{
	const struct sip_hdr *rseq = sip_msg_hdr(msg, SIP_HDR_RSEQ);

	copy_pl(f->totag, sizeof(f->totag), &msg->to.tag);
	if (rseq)
		copy_pl(f->rseq, sizeof(f->rseq), &rseq->val);
}

/* the peer answers sipri's requests 200, without a body */
static void peer_request(struct fuzz_sip *f, const struct sip_msg *msg,
			 const struct sa *src)
{
	struct mbuf *mb;

	if (!pl_strcmp(&msg->met, "ACK"))
		return;
	mb = mbuf_alloc(512);
	if (!mb)
		return;
	if (!mbuf_printf(mb, "SIP/2.0 200 OK\r\nVia: %r\r\nFrom: %r\r\n"
			 "To: %r%s\r\nCall-ID: %r\r\nCSeq: %r\r\n"
			 "Content-Length: 0\r\n\r\n",
			 &msg->via.val, &msg->from.val, &msg->to.val,
			 pl_isset(&msg->to.tag) ? "" : ";tag=fuzzpeer",
			 &msg->callid, &sip_msg_hdr(msg, SIP_HDR_CSEQ)->val)) {
		mb->pos = 0;
		(void)udp_send(f->peer, src, mb);
	}
	mem_deref(mb);
}

static void peer_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct fuzz_sip *f = arg;
	struct sip_msg *msg = NULL;

	if (is_stun_reply(mb)) {
		f->handled = true;
		re_cancel();
		return;
	}
	if (sip_msg_decode(&msg, mb))
		return;
	if (msg->req && sip_msg_hdr(msg, SIP_HDR_CSEQ))
		peer_request(f, msg, src);
	else if (!msg->req)
		peer_response(f, msg);
	mem_deref(msg);
}

static void loop_stop(void *arg)
{
	(void)arg;
	re_cancel();
}

/* the next timer's expiry in ms, or UINT64_MAX with none but probe:
 * libre's (its transactions) and sip/'s own (common/timer.h) */
static uint64_t timers_next(struct tmr *probe)
{
	struct le *le = probe->le.list ? probe->le.list->head : NULL;
	uint64_t own = timer_heap_next(timer_thread_heap());

	for (; le; le = le->next)
		if (le->data != probe) {
			uint64_t re = tmr_get_expire(le->data);

			return re < own ? re : own;
		}
	return own;
}

/* run the loop until no timer is due, and a few passes more for the
 * datagrams that sipri and the peer send each other */
static void settle(void)
{
	struct tmr probe;
	int i;

	tmr_init(&probe);
	for (i = 0; i < FUZZ_SETTLE; i++) {
		tmr_start(&probe, 0, loop_stop, NULL);
		(void)re_main(NULL);
		tmr_start(&probe, 0, loop_stop, NULL);
		if (i >= FUZZ_PASSES && timers_next(&probe) > 0)
			break;
	}
	tmr_cancel(&probe);
}

static int send_bytes(struct fuzz_sip *f, const void *p, size_t n)
{
	struct mbuf *mb = mbuf_alloc(n + 1);
	int err;

	if (!mb)
		return ENOMEM;
	(void)mbuf_write_mem(mb, p, n);
	mb->pos = 0;
	err = udp_send(f->peer, &f->gw, mb);
	mem_deref(mb);
	return err;
}

static void guard_expired(void *arg)
{
	(void)arg;
	fprintf(stderr, "fuzz_sipmsg: the datagram was never handled\n");
	abort();
}

/* one datagram, then the STUN probe, and wait for its reply */
static void send_datagram(struct fuzz_sip *f, const struct mbuf *seg)
{
	uint8_t stun[20] = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42};
	struct tmr guard;

	memcpy(stun + 8, stun_tid, sizeof(stun_tid));
	if (send_bytes(f, seg->buf, seg->end) ||
	    send_bytes(f, stun, sizeof(stun)))
		return;
	f->handled = false;
	tmr_init(&guard);
	tmr_start(&guard, FUZZ_GUARD_MS, guard_expired, NULL);
	while (!f->handled)
		(void)re_main(NULL);
	tmr_cancel(&guard);
	settle();
}

/* the segment with its tokens replaced */
static struct mbuf *segment_expand(const struct fuzz_sip *f,
				   const uint8_t *p, size_t n)
{
	struct mbuf *mb = mbuf_alloc(n + 64);
	size_t i;

	if (!mb)
		return NULL;
	for (i = 0; i < n; i++) {
		if (p[i] == '[' && n - i >= 7 && !memcmp(p + i, "[totag]", 7)) {
			(void)mbuf_write_str(mb, f->totag);
			i += 6;
		}
		else if (p[i] == '[' && n - i >= 6 &&
			 !memcmp(p + i, "[rseq]", 6)) {
			(void)mbuf_write_str(mb, f->rseq);
			i += 5;
		}
		else {
			(void)mbuf_write_u8(mb, p[i]);
		}
	}
	return mb;
}

/* "!wait N": N ms of the loop, for sip/'s timers with a short T1 */
static void run_wait(struct fuzz_sip *f, const uint8_t *p, size_t n)
{
	struct tmr tmr;
	struct pl num;
	uint32_t ms;

	if (re_regex((const char *)p, n, "[0-9]+", &num))
		return;
	ms = num.l > 4 ? FUZZ_WAIT_MAX : pl_u32(&num);
	if (ms > FUZZ_WAIT_MAX - f->waited)
		ms = FUZZ_WAIT_MAX - f->waited;
	f->waited += ms;
	tmr_init(&tmr);
	tmr_start(&tmr, ms, loop_stop, NULL);
	(void)re_main(NULL);
	tmr_cancel(&tmr);
	settle();
}

static void run_segment(struct fuzz_sip *f, const uint8_t *p, size_t n)
{
	struct mbuf *mb;

	if (n >= 5 && !memcmp(p, "!wait", 5)) {
		run_wait(f, p + 5, n - 5);
		return;
	}
	if (n && p[0] == '!') {
		fuzz_core_step(f, p + 1, n - 1);
		settle();
		return;
	}
	mb = segment_expand(f, p, n);
	if (mb && mb->end > 4)   /* libre drops 4 bytes or less unseen */
		send_datagram(f, mb);
	mem_deref(mb);
}

/* the end of the segment at p: the line "%%" after it, or the end */
static size_t segment_len(const uint8_t *p, size_t n, size_t *skip)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++) {
		if (p[i] != '\n' || p[i + 1] != '%' || p[i + 2] != '%')
			continue;
		if (i + 3 == n || p[i + 3] == '\n') {
			*skip = 3;
			return i + 1;
		}
		if (i + 4 <= n && p[i + 3] == '\r' &&
		    (i + 4 == n || p[i + 4] == '\n')) {
			*skip = 4;
			return i + 1;
		}
	}
	*skip = 0;
	return n;
}

static int fuzz_open(struct fuzz_sip *f, const uint8_t **p, size_t *n)
{
	size_t skip, len = segment_len(*p, *n, &skip);
	struct sa laddr;
	int err;

	memset(f, 0, sizeof(*f));
	if (*n && (*p)[0] == '!' && len >= 3 && !memcmp(*p, "!ua", 3)) {
		size_t adv = len + skip > *n ? *n : len + skip;

		fuzz_core_policy(f, *p + 3, len - 3);
		*p += adv;
		*n -= adv;
	}
	err = fuzz_core_alloc(f);
	if (err)
		return err;
	(void)sa_set_str(&f->gw, "127.0.0.1", FUZZ_GW_PORT);
	(void)sa_set_str(&laddr, "127.0.0.1", FUZZ_PEER_PORT);
	err = udp_listen(&f->peer, &laddr, peer_recv, f);
	if (err)
		fprintf(stderr, "fuzz_sipmsg: bind 127.0.0.1:%u: %s\n",
			FUZZ_PEER_PORT, strerror(err));
	return err;
}

static void fuzz_close(struct fuzz_sip *f)
{
	fuzz_core_free(f);
	f->peer = mem_deref(f->peer);
	settle();
}

/* every block and timer of the input is gone */
static void check_clean(const struct memstat *before)
{
	struct memstat now;
	struct tmr probe;

	tmr_init(&probe);
	tmr_start(&probe, 1000, loop_stop, NULL);
	if (timers_next(&probe) != UINT64_MAX) {
		tmr_debug();
		fprintf(stderr, "fuzz_sipmsg: %zu of sip/'s timers left\n",
			timer_heap_count(timer_thread_heap()));
		abort();
	}
	tmr_cancel(&probe);
	if (!mem_get_stat(&now) && now.blocks_cur != before->blocks_cur) {
		fprintf(stderr, "fuzz_sipmsg: %zu blocks left\n",
			now.blocks_cur - before->blocks_cur);
		mem_debug();
		abort();
	}
}

static void spin_handler(int flags, void *arg)
{
	(void)flags;
	(void)arg;
}

/*
 * libre's loop waits 1 ms for a timer that is due already; a pipe that is
 * always readable makes each pass of the loop return at once.
 */
static void spin_init(void)
{
	static int fds[2];

	if (pipe(fds) || write(fds[1], "x", 1) != 1 ||
	    fd_listen(fds[0], FD_READ, spin_handler, NULL))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct memstat before;
	struct fuzz_sip f;
	int segs = 0;

	if (!init) {
		if (libre_init() || timer_thread_init())
			abort();
		log_init("fuzz_sipmsg", true, getenv("FUZZ_SIPMSG_DEBUG") ?
			 LOG_LVL_DEBUG : LOG_LVL_ERR);
		spin_init();
		init = true;
	}
	if (size > FUZZ_MAX_INPUT)
		return 0;
	memset(&before, 0, sizeof(before));
	(void)mem_get_stat(&before);
	if (fuzz_open(&f, &data, &size)) {
		fuzz_close(&f);
		abort();
	}
	while (size && segs++ < FUZZ_MAX_SEGS) {
		size_t skip, len = segment_len(data, size, &skip);

		run_segment(&f, data, len);
		len = len + skip > size ? size : len + skip;
		data += len;
		size -= len;
	}
	fuzz_close(&f);
	check_clean(&before);
	return 0;
}
