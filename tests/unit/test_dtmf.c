/*
 * DTMF on the media path (gateway/media/dtmf.c) and the INFO bodies
 * (sip/dtmf.c), without a network:
 *  - digits played by spandsp dtmf_tx through dtmf_tdm_in are detected
 *    once each, START, UPDATEs, END, with their length;
 *  - with suppression on and the 40 ms delay line, no sample of any tone
 *    reaches the audio to RTP, at every phase of the tones against the
 *    20 ms blocks; without the delay line fragments leak (the negative
 *    control), and with suppression off the audio passes untouched;
 *  - digits from SIP play on the B-channel (found again by a detector);
 *    the same digit by INFO and RFC 4733 within a second plays once,
 *    twice by one method plays twice, and a second apart twice;
 *  - ISDN digits become events of the configured length, or in-band
 *    tones in the audio to RTP;
 *  - the INFO bodies: application/dtmf-relay and application/dtmf, and
 *    what is refused (EPROTO: 415, EBADMSG: 400);
 *  - the configuration: defaults, and a trunk's dtmf and dtmf_info that
 *    override [general]'s or inherit them.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include <stdlib.h>
#include <string.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES   /* states on the stack */
#include <spandsp.h>
#include "gateway/config/conf.h"
#include "gateway/media/dtmf.h"
#include "sip/sip_int.h"
#include "tests/tap.h"

enum { N = 160 };

static const char digits16[] = "0123456789*#ABCD";

struct rec {
	char starts[64], ends[64];
	unsigned nstart, nend, nupdate;
	unsigned dur[64];
	bool ts_constant;
	uint32_t ts;
};

static void on_event(const struct dtmf_event *ev, void *arg)
{
	struct rec *r = arg;

	switch (ev->phase) {
	case DTMF_START:
		r->ts = ev->ts;
		if (r->nstart < 63)
			r->starts[r->nstart++] = ev->digit;
		break;
	case DTMF_UPDATE:
		r->nupdate++;
		if (ev->ts != r->ts)
			r->ts_constant = false;
		break;
	case DTMF_END:
		if (ev->ts != r->ts)
			r->ts_constant = false;
		if (r->nend < 63) {
			r->dur[r->nend] = ev->dur;
			r->ends[r->nend++] = ev->digit;
		}
		break;
	}
}

static const struct dtmf_prm prm40 = {-30, 8, 4, -10, 100, 60, 40};

/* feed `lead` samples of silence, then the digits (on/off ms) through
 * dtmf_tdm_in; count tone samples that reach the RTP side */
static unsigned feed(struct dtmf *d, const char *dg, int on, int off,
		     int lead, bool *same)
{
	dtmf_tx_state_t tx;
	int16_t amp[N];
	uint8_t blk[N];
	unsigned leaked = 0;
	uint32_t ts = 1000;

	dtmf_tx_init(&tx);
	dtmf_tx_set_level(&tx, -10, 0);
	dtmf_tx_set_timing(&tx, on, off);
	dtmf_tx_put(&tx, dg, -1);
	if (same)
		*same = true;
	for (int k = 0; k < 250; k++) {
		int n = 0;
		const uint8_t *o;

		memset(amp, 0, sizeof(amp));
		if (k > 0 || lead == 0)
			n = dtmf_tx(&tx, amp, N);
		else
			n = dtmf_tx(&tx, amp + lead, N - lead);
		(void)n;
		for (int i = 0; i < N; i++)
			blk[i] = linear_to_alaw(amp[i]);
		o = dtmf_tdm_in(d, blk, N, ts);
		ts += N;
		for (int i = 0; i < N; i++)
			if (abs(alaw_to_linear(o[i])) > 100)
				leaked++;
		if (same && memcmp(o, blk, N))
			*same = false;
	}
	return leaked;
}

static void test_detect(void)
{
	struct rec r = {.ts_constant = true};
	struct dtmf *d = NULL;
	bool durs = true;

	ok(!dtmf_alloc(&d, 'A', &prm40, on_event, &r), "detector up");
	dtmf_set_suppress(d, true);
	feed(d, digits16, 50, 50, 0, NULL);
	ok(!strcmp(r.starts, digits16) && !strcmp(r.ends, digits16),
	   "16 digits at 50 ms on / 50 ms off: each started and ended once, "
	   "in order (%s)", r.ends);
	ok(r.nupdate >= 16, "updates between start and end (%u)", r.nupdate);
	ok(r.ts_constant, "one timestamp through each event");
	for (unsigned i = 0; i < r.nend; i++)
		if (r.dur[i] < 300 || r.dur[i] > 500)
			durs = false;
	ok(durs, "each near 50 ms (400 samples): first %u", r.dur[0]);
	ok(dtmf_stats(d)->detected == 16, "16 counted");
	mem_deref(d);
}

/* the worst leak over phases of the tones against the blocks */
static unsigned worst_leak(unsigned delay_ms)
{
	struct dtmf_prm prm = prm40;
	unsigned worst = 0;

	prm.delay_ms = delay_ms;
	for (int ph = 0; ph < N; ph += 10) {
		struct rec r = {.ts_constant = true};
		struct dtmf *d = NULL;
		unsigned l;

		if (dtmf_alloc(&d, 'A', &prm, on_event, &r))
			return ~0u;
		dtmf_set_suppress(d, true);
		l = feed(d, digits16, 50, 50, ph, NULL);
		if (l > worst)
			worst = l;
		mem_deref(d);
	}
	return worst;
}

static void test_suppress(void)
{
	struct rec r = {.ts_constant = true};
	struct dtmf *d = NULL;
	unsigned leak0 = worst_leak(0), leak20 = worst_leak(20);
	unsigned leak40 = worst_leak(40);
	bool same;

	tap_diag("tone samples leaked to RTP (16 digits, worst of 16 phases): "
		 "delay 0 ms: %u, 20 ms: %u, 40 ms: %u", leak0, leak20, leak40);
	ok(leak40 == 0, "40 ms delay line: no sample of any tone reaches RTP");
	ok(leak0 > 16 * 80, "no delay line: fragments leak (%u samples): the "
	   "detector's latency is real", leak0);

	ok(!dtmf_alloc(&d, 'A', &prm40, on_event, &r), "detector up");
	dtmf_set_suppress(d, false);
	ok(feed(d, "159", 50, 50, 0, &same) > 0 && same,
	   "suppression off (in-band): the audio passes untouched");
	ok(!strcmp(r.ends, "159"), "and the digits are still detected");
	mem_deref(d);
}

struct det {
	char got[64];
	size_t n;
};

static void det_h(void *arg, const char *dg, int len)
{
	struct det *t = arg;

	for (int i = 0; i < len && t->n < 63; i++)
		t->got[t->n++] = dg[i];
}

/* run the B-channel side for `blocks` and detect what was played */
static void out_blocks(struct dtmf *d, dtmf_rx_state_t *rx, int blocks)
{
	uint8_t blk[N];
	int16_t amp[N];

	for (int k = 0; k < blocks; k++) {
		memset(blk, 0xd5, N);
		dtmf_tdm_out(d, blk, N);
		for (int i = 0; i < N; i++)
			amp[i] = alaw_to_linear(blk[i]);
		dtmf_rx(rx, amp, N);
	}
}

static void test_play(void)
{
	struct dtmf *d = NULL;
	struct det t = {0};
	dtmf_rx_state_t rx;

	dtmf_rx_init(&rx, det_h, &t);
	ok(!dtmf_alloc(&d, 'A', &prm40, NULL, NULL), "generator up");
	ok(!dtmf_play(d, '1', DTMF_SRC_RTP, 1000), "1 by RFC 4733 plays");
	ok(dtmf_play(d, '1', DTMF_SRC_INFO, 1200) == EALREADY,
	   "1 by INFO 200 ms later: the same press, not played");
	ok(!dtmf_play(d, '2', DTMF_SRC_INFO, 1300), "2 by INFO plays");
	ok(!dtmf_play(d, '2', DTMF_SRC_INFO, 1400),
	   "2 by INFO again: a second press by one method plays");
	ok(dtmf_play(d, '2', DTMF_SRC_RTP, 1450) == EALREADY,
	   "2 by RFC 4733: pairs with one INFO copy");
	ok(dtmf_play(d, '2', DTMF_SRC_RTP, 1500) == EALREADY,
	   "2 by RFC 4733 again: pairs with the other INFO copy");
	ok(!dtmf_play(d, '3', DTMF_SRC_RTP, 5000) &&
	   !dtmf_play(d, '3', DTMF_SRC_INFO, 6500),
	   "3 by both, 1.5 s apart: two presses, both play");
	ok(dtmf_play(d, 'x', DTMF_SRC_INFO, 7000) == EINVAL,
	   "a non-DTMF character is refused");
	out_blocks(d, &rx, 100);
	t.got[t.n] = '\0';
	ok(!strcmp(t.got, "12233"), "the B-channel carries 1 2 2 3 3 "
	   "(got %s)", t.got);
	ok(dtmf_stats(d)->duplicates == 3 && dtmf_stats(d)->played == 5,
	   "3 duplicates, 5 played");
	mem_deref(d);
}

static void test_send(void)
{
	struct rec r = {.ts_constant = true};
	struct dtmf *d = NULL;
	struct det t = {0};
	dtmf_rx_state_t rx;
	uint8_t blk[N];
	int16_t amp[N];

	ok(!dtmf_alloc(&d, 'A', &prm40, on_event, &r), "relay up");
	dtmf_set_suppress(d, true);
	ok(!dtmf_send(d, '4', false) && !dtmf_send(d, '7', false),
	   "KEYPAD 4 7 queued as events");
	feed(d, "", 50, 50, 0, NULL);
	ok(!strcmp(r.starts, "47") && !strcmp(r.ends, "47") &&
	   r.dur[0] == 800 && r.dur[1] == 800,
	   "4 and 7 sent as events of 100 ms (%u, %u samples)", r.dur[0],
	   r.dur[1]);
	mem_deref(d);

	/* in-band: the tones go into the audio to RTP */
	dtmf_rx_init(&rx, det_h, &t);
	ok(!dtmf_alloc(&d, 'A', &prm40, NULL, NULL), "relay up");
	ok(!dtmf_send(d, '9', true), "KEYPAD 9 in-band");
	for (int k = 0; k < 20; k++) {
		const uint8_t *o;

		memset(blk, 0xd5, N);
		o = dtmf_tdm_in(d, blk, N, k * N);
		for (int i = 0; i < N; i++)
			amp[i] = alaw_to_linear(o[i]);
		dtmf_rx(&rx, amp, N);
	}
	t.got[t.n] = '\0';
	ok(!strcmp(t.got, "9"), "9 is in the RTP audio (got %s)", t.got);
	mem_deref(d);
}

static int parse(const char *ctype, const char *body, char *dg,
		 unsigned *ms)
{
	struct pl type, sub, b;
	const char *sl = strchr(ctype, '/');

	type.p = ctype;
	type.l = (size_t)(sl - ctype);
	sub.p = sl + 1;
	sub.l = strlen(sl + 1);
	pl_set_str(&b, body);
	return sipdtmf_info_parse(&type, &sub, &b, dg, ms);
}

static void test_info(void)
{
	char dg = 0;
	unsigned ms = 0;

	ok(!parse("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n",
		  &dg, &ms) && dg == '5' && ms == 160,
	   "dtmf-relay: Signal=5, Duration=160");
	ok(!parse("Application/DTMF-Relay", "duration = 80\nsignal= *\n",
		  &dg, &ms) && dg == '*' && ms == 80,
	   "dtmf-relay: any case, spaces, any order");
	ok(!parse("application/dtmf-relay", "Signal=11\r\n", &dg, &ms) &&
	   dg == '#', "dtmf-relay: Signal=11 is # (RFC 4733 code)");
	ok(!parse("application/dtmf-relay", "Signal=d\r\n", &dg, &ms) &&
	   dg == 'D', "dtmf-relay: Signal=d is D");
	ok(!parse("application/dtmf", "9\r\n", &dg, &ms) && dg == '9',
	   "dtmf: 9");
	ok(!parse("application/dtmf", " 13", &dg, &ms) && dg == 'B',
	   "dtmf: code 13 is B");
	ok(parse("text/plain", "Signal=1", &dg, &ms) == EPROTO,
	   "text/plain: unsupported (415)");
	ok(parse("application/sdp", "v=0", &dg, &ms) == EPROTO,
	   "application/sdp: unsupported (415)");
	ok(parse("application/dtmf-relay", "Signal=X\r\n", &dg, &ms) ==
	   EBADMSG, "Signal=X: malformed (400)");
	ok(parse("application/dtmf-relay", "Signal=16\r\n", &dg, &ms) ==
	   EBADMSG, "Signal=16 (flash): not a digit (400)");
	ok(parse("application/dtmf-relay", "Duration=100\r\n", &dg, &ms) ==
	   EBADMSG, "no Signal: malformed (400)");
	ok(parse("application/dtmf-relay", "Signal=1\r\nSignal=2\r\n", &dg,
		 &ms) == EBADMSG, "two Signals: malformed (400)");
	ok(parse("application/dtmf-relay", "Signal=1\r\nDuration=x\r\n",
		 &dg, &ms) == EBADMSG, "Duration=x: malformed (400)");
	ok(parse("application/dtmf", "17", &dg, &ms) == EBADMSG,
	   "dtmf 17: malformed (400)");
	ok(parse("application/dtmf", "", &dg, &ms) == EBADMSG,
	   "dtmf empty: malformed (400)");
}

static void test_conf(void)
{
	const char *txt = "[span 1]\ndchan=16\nbchan=1-15,17-31\n"
		"[general]\ndtmf = info\ndtmf_level = -12\n"
		"dtmf_threshold = -35\n"
		"[trunk a]\nhost = 192.0.2.1\n"
		"[trunk b]\nhost = 192.0.2.2\ndtmf = rfc4733\n"
		"dtmf_info = dtmf\n";
	const char *dflt = "[span 1]\ndchan=16\nbchan=1-15,17-31\n";
	const struct conf_trunk *a, *b;
	struct conf *conf = NULL;
	struct conf_err err;

	ok(!conf_parse(&conf, "mem.conf", dflt, strlen(dflt), &err),
	   "minimal config: %s", err.msg);
	ok(conf && conf->gen.dtmf == CONF_DTMF_AUTO &&
	   conf->gen.dtmf_info == CONF_DTMF_INFO_RELAY &&
	   conf->gen.dtmfdsp.threshold == -30 &&
	   conf->gen.dtmfdsp.twist == 8 &&
	   conf->gen.dtmfdsp.reverse_twist == 4 &&
	   conf->gen.dtmfdsp.level == -10 &&
	   conf->gen.dtmfdsp.duration == 100 && conf->gen.dtmfdsp.gap == 60 &&
	   conf->gen.dtmfdsp.delay == 40, "DTMF defaults as documented");
	conf = mem_deref(conf);

	ok(!conf_parse(&conf, "mem.conf", txt, strlen(txt), &err),
	   "DTMF keys parse: %s", err.msg);
	if (!conf)
		return;
	a = conf_trunk_find(conf, "a");
	b = conf_trunk_find(conf, "b");
	ok(conf->gen.dtmfdsp.level == -12 &&
	   conf->gen.dtmfdsp.threshold == -35, "negative dBm0 values");
	ok(a && a->dtmf == CONF_DTMF_INFO &&
	   a->dtmf_info == CONF_DTMF_INFO_RELAY,
	   "trunk a inherits [general] dtmf = info");
	ok(b && b->dtmf == CONF_DTMF_RFC4733 &&
	   b->dtmf_info == CONF_DTMF_INFO_DTMF,
	   "trunk b has its own dtmf and dtmf_info");
	mem_deref(conf);
}

int main(void)
{
	test_detect();
	test_suppress();
	test_play();
	test_send();
	test_info();
	test_conf();
	return tap_done();
}
