/*
 * gateway/originate.c: the test call (see originate.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <re.h>
#include "common/log.h"
#include "common/timer.h"
#include "common/tonemeter.h"
#include "gateway/ctl.h"
#include "gateway/gw.h"
#include "gateway/media/tone.h"
#include "gateway/mplane/mplane.h"
#include "gateway/originate.h"
#include "gateway/route/cause.h"
#include "tdm/tdm.h"

enum {
	ORIG_ANSWER_MS = 30000,  /* a test call not answered by then ends */
	ORIG_PLAY_MS = 2000,     /* from the answer to sipri's DISCONNECT */
	ORIG_CAUSE = 16,         /* Q.850 normal call clearing */
	ORIG_TONE_HZ = 1004,
};

/* what comes back is measured for 1 s after it starts (and a 100 ms
 * settling time), from the first block above -50 dBm0; with the tone,
 * only once the block is mostly 1004 Hz */
#define ORIG_METER_S      1.0
#define ORIG_METER_THRESH -50.0

struct origin {
	struct le le;                /* in gw->origins */
	struct gw *gw;
	struct tdm_leg *leg;
	struct mplane_stream *ms;
	struct ctl_later *later;
	struct timer tmr;
	char number[32];
	unsigned span;
	bool tone, json;
	bool tdm_fd;                 /* the stream reads the B-channel */
	bool answered, metering, cleared_by_us, done;
	uint64_t t0, answer_ms;
	int chan, cause;
	struct tone_meter meter;
};

static void json_report(const struct origin *o, struct mbuf *mb)
{
	bool rx = o->meter.count > 0;

	(void)mbuf_printf(mb, "{\"span\":%u,\"channel\":%d,\"number\":\"%s\","
			  "\"answered\":%s,", o->span, o->chan, o->number,
			  o->answered ? "true" : "false");
	if (o->answered)
		(void)mbuf_printf(mb, "\"answer_ms\":%llu,",
				  (unsigned long long)o->answer_ms);
	(void)mbuf_printf(mb, "\"tone_sent\":%s,", o->tone ? "true" : "false");
	if (o->tone)
		(void)mbuf_printf(mb, "\"sent_hz\":%d,\"sent_dbm0\":%d,",
				  ORIG_TONE_HZ, TONE_TEST_DBM0);
	(void)mbuf_printf(mb, "\"received\":%s,", rx ? "true" : "false");
	if (rx)
		(void)mbuf_printf(mb, "\"received_hz\":%.1f,\"received_dbm0\":"
				  "%.1f,\"max_gap_ms\":%.1f,",
				  tone_meter_freq(&o->meter),
				  tone_meter_level(&o->meter),
				  tone_meter_max_gap_ms(&o->meter));
	(void)mbuf_printf(mb, "\"cause\":%d,\"cause_text\":\"%s\","
			  "\"released_by\":\"%s\"}\n", o->cause,
			  cause_name(o->cause),
			  o->cleared_by_us ? "sipri" : "pri");
}

static void text_report(const struct origin *o, struct mbuf *mb)
{
	(void)mbuf_printf(mb, "span %u channel %d: %s ", o->span, o->chan,
			  o->number);
	if (!o->answered) {
		(void)mbuf_printf(mb, "not answered\n");
	}
	else {
		(void)mbuf_printf(mb, "answered after %llu ms\n",
				  (unsigned long long)o->answer_ms);
		if (o->tone)
			(void)mbuf_printf(mb, "sent: %d Hz at %d dBm0\n",
					  ORIG_TONE_HZ, TONE_TEST_DBM0);
		else
			(void)mbuf_printf(mb, "sent: silence\n");
		if (o->meter.count)
			(void)mbuf_printf(mb, "received: %.1f Hz at %.1f dBm0,"
					  " longest gap %.1f ms\n",
					  tone_meter_freq(&o->meter),
					  tone_meter_level(&o->meter),
					  tone_meter_max_gap_ms(&o->meter));
		else
			(void)mbuf_printf(mb, "received: nothing above %.0f "
					  "dBm0\n", ORIG_METER_THRESH);
	}
	(void)mbuf_printf(mb, "cleared: cause %d (%s) by %s\n", o->cause,
			  cause_name(o->cause), o->cleared_by_us ? "sipri" :
			  "the PRI side");
}

/* the client hears it all, once; answered is success */
static void report(struct origin *o)
{
	struct mbuf *mb;

	if (o->done)
		return;
	o->done = true;
	log_info("originate: span %u channel %d to %s: %s, cause %d; %llu ms "
		 "heard, %u samples measured", o->span, o->chan, o->number,
		 o->answered ? "answered" : "not answered", o->cause,
		 (unsigned long long)(o->meter.pos / 8), o->meter.count);
	mb = mbuf_alloc(512);
	if (!mb)
		return;
	if (o->json)
		json_report(o, mb);
	else
		text_report(o, mb);
	ctl_later_reply(o->later, o->answered, mb);
	mem_deref(mb);
}

static void meter_end(struct origin *o)
{
	struct mplane_msg m[2] = {{.op = MPLANE_CMD_METER_END},
				  {.op = MPLANE_CMD_TONE}};
	void *outs[2] = {&o->meter, NULL};

	if (!o->metering)
		return;
	o->metering = false;
	m[1].u.tone.kind = TONE_NONE;
	(void)mplane_calls(o->ms, m, outs, 2);
}

static void hangup(struct origin *o)
{
	struct cc_msg dis;

	timer_cancel(&o->tmr);
	meter_end(o);
	if (!o->cause) {
		o->cause = ORIG_CAUSE;
		o->cleared_by_us = true;
	}
	cc_msg_init(&dis, CC_DISCONNECT);
	dis.cause = ORIG_CAUSE;
	dis.location = CC_LOC_PRIV_LOCAL;
	(void)tdm_leg_send(o->leg, &dis);
}

static void timeout(void *arg)
{
	hangup(arg);
}

/* answered: the tone (or silence) out, the meter on what comes back */
static void answered(struct origin *o)
{
	struct mplane_msg m[2] = {{.op = MPLANE_CMD_TONE},
				  {.op = MPLANE_CMD_METER}};

	o->answered = true;
	o->answer_ms = timer_now() - o->t0;
	o->chan = tdm_leg_chan(o->leg);
	m[0].u.tone.kind = o->tone ? TONE_TEST : TONE_NONE;
	m[0].u.tone.law = tdm_leg_law(o->leg);
	/* the test tone is the same in every zone; the generator wants one */
	str_ncpy(m[0].u.tone.country, o->gw->conf->gen.media.country,
		 sizeof(m[0].u.tone.country));
	m[1].u.meter.dur_s = ORIG_METER_S;
	m[1].u.meter.thresh_dbm0 = ORIG_METER_THRESH;
	m[1].u.meter.onset_hz = o->tone ? ORIG_TONE_HZ : 0;
	o->metering = !mplane_send(o->ms, &m[0]) &&
		!mplane_send(o->ms, &m[1]);
	timer_start(&o->tmr, ORIG_PLAY_MS, timeout, o);
}

static void from_tdm(const struct cc_msg *msg, void *arg)
{
	struct origin *o = arg;

	if (!o->chan)
		o->chan = tdm_leg_chan(o->leg);
	switch (msg->type) {

	case CC_CONNECT:
		if (!o->answered)
			answered(o);
		break;
	case CC_DISCONNECT:      /* the leg answers it with RELEASE */
		timer_cancel(&o->tmr);
		meter_end(o);
		if (!o->cause)
			o->cause = msg->cause;
		break;
	case CC_RELEASE:
		meter_end(o);
		if (!o->cause)
			o->cause = msg->cause;
		report(o);
		mem_deref(o);    /* detaches the leg (destructor) */
		break;
	default:
		break;
	}
}

/* the B-channel opened (fd): the stream reads, writes and closes it;
 * or it is about to close (-1): the stream stops and closes it */
static bool tdm_chan(int fd, void *arg)
{
	struct origin *o = arg;
	struct mplane_msg m;

	gw_tdm_cmd(&m, fd, o->leg);
	if (fd >= 0) {
		o->tdm_fd = !mplane_send(o->ms, &m);
		return o->tdm_fd;
	}
	if (o->tdm_fd)
		(void)mplane_send(o->ms, &m);
	o->tdm_fd = false;
	return false;
}

static void media_event(const struct mplane_msg *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

static void destructor(void *data)
{
	struct origin *o = data;

	timer_cancel(&o->tmr);
	list_unlink(&o->le);
	if (o->leg && !o->done)
		hangup(o);
	if (!o->done) {
		o->cause = o->cause ? o->cause : ORIG_CAUSE;
		o->cleared_by_us = true;
		report(o);
	}
	/* the stream goes, and closes the B-channel it still has */
	o->ms = mem_deref(o->ms);
	if (o->leg)
		tdm_leg_detach(o->leg);
	mem_deref(o->later);
}

int originate_start(struct gw *gw, struct gw_span *span, const char *number,
		    bool tone, bool json, struct ctl_later *later)
{
	struct origin *o;
	struct cc_msg setup;
	int err;

	o = mem_zalloc(sizeof(*o), destructor);
	if (!o)
		return ENOMEM;
	o->gw = gw;
	o->span = span->num;
	o->tone = tone;
	o->json = json;
	o->t0 = timer_now();
	str_ncpy(o->number, number, sizeof(o->number));
	timer_init(&o->tmr);
	err = mplane_stream_alloc(&o->ms, gw->mp, media_event, o);
	cc_msg_init(&setup, CC_SETUP);
	str_ncpy(setup.called.number, number, sizeof(setup.called.number));
	setup.called.ton = CC_TON_UNKNOWN;
	setup.called.npi = CC_NPI_E164;
	setup.sending_complete = true;
	if (!err)
		err = tdm_leg_dial(&o->leg, span->span, &setup);
	if (err) {
		o->done = true;   /* the error is the reply */
		mem_deref(o);
		return err;
	}
	tdm_leg_set_handlers(o->leg, from_tdm, tdm_chan, o);
	o->later = mem_ref(later);
	list_append(&gw->origins, &o->le, o);
	timer_start(&o->tmr, ORIG_ANSWER_MS, timeout, o);
	log_info("originate: span %u: a test call to %s%s", o->span, number,
		 tone ? ", with 1004 Hz" : "");
	return 0;
}

void originate_flush(struct gw *gw)
{
	list_flush(&gw->origins);
}
