/*
 * The call state machine, scenario by scenario, against fake legs that
 * write what they receive into a transcript.  The transcript is compared
 * with tests/unit/fsm_test.ok (osmocom style), and the key facts of each
 * scenario are also asserted one by one.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/timer.h"
#include "gateway/call/call.h"
#include "tests/tap.h"

struct fake_leg {
	const char *name;
	struct call *call;
	enum call_side side;
	int refuse;                /* send() fails with this errno */
	bool release_on_disc;      /* answer DISCONNECT with RELEASE at once */
	int got[CC_NTYPES];
	int last_cause;
	bool detached;
};

static FILE *transcript;
static int done_calls;

static int fake_send(void *arg, const struct cc_msg *msg)
{
	struct fake_leg *l = arg;

	fprintf(transcript, "  %s <- %s", l->name, cc_type_name(msg->type));
	if (msg->cause)
		fprintf(transcript, " cause=%d", msg->cause);
	fputc('\n', transcript);
	if (l->refuse)
		return l->refuse;
	l->got[msg->type]++;
	l->last_cause = msg->cause;
	if (msg->type == CC_DISCONNECT && l->release_on_disc) {
		struct cc_msg rel;

		cc_msg_init(&rel, CC_RELEASE);
		rel.cause = msg->cause;
		call_input(l->call, l->side, &rel);
	}
	return 0;
}

static void fake_detach(void *arg)
{
	struct fake_leg *l = arg;

	l->detached = true;
}

static const struct leg_ops fake_ops = {"fake", fake_send, fake_detach};

static void on_done(struct call *call, void *arg)
{
	(void)arg;
	fprintf(transcript, "  call %u done\n", call_id(call));
	done_calls++;
}

static struct call *scenario(const char *title, struct fake_leg *a,
			     struct fake_leg *b)
{
	static unsigned id;
	struct call *call = NULL;

	fprintf(transcript, "%s\n", title);
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	a->name = "A";
	b->name = "B";
	a->side = SIDE_A;
	b->side = SIDE_B;
	call_alloc(&call, ++id, on_done, NULL);
	a->call = b->call = call;
	call_attach(call, SIDE_A, &fake_ops, a);
	call_attach(call, SIDE_B, &fake_ops, b);
	return call;
}

/* feed a message from a side and log the resulting state */
static void feed(struct call *call, enum call_side side, enum cc_type type,
		 int cause)
{
	struct cc_msg msg;

	cc_msg_init(&msg, type);
	msg.cause = cause;
	fprintf(transcript, "%s: %s%s", side == SIDE_A ? "A" : "B",
		cc_type_name(type), cause ? "" : "\n");
	if (cause)
		fprintf(transcript, " cause=%d\n", cause);
	call_input(call, side, &msg);
	fprintf(transcript, "  state %s\n", call_state_name(call_state(call)));
}

/* a NOTIFY with a Q.931 §4.5.22 notification (hold, retrieval) */
static void feed_notify(struct call *call, enum call_side side, int notify)
{
	struct cc_msg msg;

	cc_msg_init(&msg, CC_NOTIFY);
	msg.notify = notify;
	fprintf(transcript, "%s: NOTIFY notify=0x%02x\n",
		side == SIDE_A ? "A" : "B", notify);
	call_input(call, side, &msg);
	fprintf(transcript, "  state %s\n", call_state_name(call_state(call)));
}

static void establish(struct call *call)
{
	feed(call, SIDE_A, CC_SETUP, 0);
	feed(call, SIDE_B, CC_PROCEEDING, 0);
	feed(call, SIDE_B, CC_ALERTING, 0);
	feed(call, SIDE_B, CC_CONNECT, 0);
}

int main(void)
{
	struct fake_leg a, b;
	struct call *c;
	char *got = NULL, *want = NULL;
	size_t gotlen = 0;
	int before;

	libre_init();
	log_init("test_fsm", true, LOG_LVL_ERR);
	transcript = open_memstream(&got, &gotlen);

	c = scenario("== answered call, A clears", &a, &b);
	establish(c);
	ok(b.got[CC_SETUP] == 1 && a.got[CC_PROCEEDING] == 1 &&
	   a.got[CC_ALERTING] == 1 && a.got[CC_CONNECT] == 1,
	   "SETUP goes to B; PROCEEDING, ALERTING, CONNECT come back to A");
	ok(call_state(c) == CALL_ACTIVE, "the call is ACTIVE");
	feed(c, SIDE_A, CC_DISCONNECT, 16);
	ok(b.got[CC_DISCONNECT] == 1 && b.last_cause == 16,
	   "A's DISCONNECT reaches B with cause 16");
	feed(c, SIDE_B, CC_RELEASE, 16);
	ok(a.got[CC_DISCONNECT] == 0, "A, already clearing, is not told again");
	before = done_calls;
	feed(c, SIDE_A, CC_RELEASE, 16);
	ok(done_calls == before + 1 && a.detached && b.detached,
	   "both legs released: the call is done and the legs detached");
	mem_deref(c);

	c = scenario("== rejected at setup (busy)", &a, &b);
	feed(c, SIDE_A, CC_SETUP, 0);
	feed(c, SIDE_B, CC_DISCONNECT, 17);
	ok(a.got[CC_DISCONNECT] == 1 && a.last_cause == 17,
	   "B's rejection reaches A with cause 17");
	feed(c, SIDE_B, CC_RELEASE, 17);
	feed(c, SIDE_A, CC_RELEASE, 17);
	ok(call_state(c) == CALL_DONE, "the call is done");
	mem_deref(c);

	c = scenario("== DISCONNECT against BYE", &a, &b);
	establish(c);
	feed(c, SIDE_A, CC_DISCONNECT, 16);
	feed(c, SIDE_B, CC_DISCONNECT, 16);
	ok(b.got[CC_DISCONNECT] == 1 && a.got[CC_DISCONNECT] == 0,
	   "crossing DISCONNECTs: only the first is forwarded");
	feed(c, SIDE_A, CC_RELEASE, 16);
	feed(c, SIDE_B, CC_RELEASE, 16);
	ok(call_state(c) == CALL_DONE, "both release: done");
	mem_deref(c);

	c = scenario("== CANCEL against CONNECT", &a, &b);
	feed(c, SIDE_A, CC_SETUP, 0);
	feed(c, SIDE_B, CC_ALERTING, 0);
	feed(c, SIDE_A, CC_DISCONNECT, 16);
	feed(c, SIDE_B, CC_CONNECT, 0);
	ok(a.got[CC_CONNECT] == 0 && b.got[CC_DISCONNECT] == 1,
	   "a CONNECT after A's CANCEL is not forwarded; B was told to clear");
	feed(c, SIDE_B, CC_RELEASE, 16);
	feed(c, SIDE_A, CC_RELEASE, 16);
	ok(call_state(c) == CALL_DONE, "done");
	mem_deref(c);

	c = scenario("== a message the table does not allow", &a, &b);
	feed(c, SIDE_A, CC_SETUP, 0);
	feed(c, SIDE_B, CC_SETUP, 0);
	feed(c, SIDE_A, CC_CONNECT, 0);
	ok(call_state(c) == CALL_INIT && a.got[CC_SETUP] == 0 &&
	   b.got[CC_CONNECT] == 0, "B's SETUP and A's CONNECT are refused");
	call_hangup(c, 16);
	feed(c, SIDE_A, CC_RELEASE, 16);
	feed(c, SIDE_B, CC_RELEASE, 16);
	mem_deref(c);

	c = scenario("== B vanishes mid-call (span alarm)", &a, &b);
	establish(c);
	feed(c, SIDE_B, CC_RELEASE, 38);
	ok(a.got[CC_DISCONNECT] == 1 && a.last_cause == 38,
	   "A is cleared with B's cause 38");
	feed(c, SIDE_A, CC_RELEASE, 38);
	ok(call_state(c) == CALL_DONE, "done");
	mem_deref(c);

	c = scenario("== B refuses the SETUP", &a, &b);
	b.refuse = EIO;
	feed(c, SIDE_A, CC_SETUP, 0);
	ok(a.got[CC_DISCONNECT] == 1 && a.last_cause == 41,
	   "A is cleared with cause 41 when B cannot take the SETUP");
	feed(c, SIDE_A, CC_RELEASE, 41);
	ok(call_state(c) == CALL_DONE, "done");
	mem_deref(c);

	c = scenario("== shutdown clears both legs, which release at once",
		     &a, &b);
	a.release_on_disc = b.release_on_disc = true;
	establish(c);
	call_hangup(c, 16);
	fprintf(transcript, "  state %s\n", call_state_name(call_state(c)));
	ok(a.last_cause == 16 && b.last_cause == 16 &&
	   call_state(c) == CALL_DONE,
	   "call_hangup(16) sends DISCONNECT 16 both ways; re-entrant releases end it");
	mem_deref(c);

	c = scenario("== hold and codec change: NOTIFY", &a, &b);
	feed(c, SIDE_A, CC_SETUP, 0);
	feed(c, SIDE_B, CC_ALERTING, 0);
	feed(c, SIDE_B, CC_NOTIFY, 0);
	ok(a.got[CC_NOTIFY] == 0 && call_state(c) == CALL_ALERTING,
	   "NOTIFY before the answer (early UPDATE) stays in its leg");
	feed_notify(c, SIDE_A, CC_NOTIFY_REMOTE_HOLD);
	ok(b.got[CC_NOTIFY] == 0 && call_state(c) == CALL_ALERTING,
	   "the PBX's NOTIFY remote hold before the answer is not forwarded");
	feed(c, SIDE_B, CC_CONNECT, 0);
	feed(c, SIDE_A, CC_NOTIFY, 0);
	feed(c, SIDE_B, CC_NOTIFY, 0);
	ok(b.got[CC_NOTIFY] == 1 && a.got[CC_NOTIFY] == 1 &&
	   call_state(c) == CALL_ACTIVE,
	   "NOTIFY (hold, retrieval, codec) crosses an ACTIVE call both ways");
	feed(c, SIDE_A, CC_DISCONNECT, 16);
	feed(c, SIDE_B, CC_NOTIFY, 0);
	ok(a.got[CC_NOTIFY] == 1, "NOTIFY crossing the clearing is dropped");
	feed(c, SIDE_B, CC_RELEASE, 16);
	feed(c, SIDE_A, CC_RELEASE, 16);
	mem_deref(c);

	fclose(transcript);
	fputs(got, stdout);

	/* the transcript must match the checked-in one */
	const char *dir = getenv("top_srcdir");
	char path[512];
	FILE *fp;
	size_t wantlen = 0;

	snprintf(path, sizeof(path), "%s/tests/unit/fsm_test.ok",
		 dir ? dir : ".");
	fp = fopen(path, "r");
	if (fp) {
		want = calloc(1, 65536);
		wantlen = fread(want, 1, 65535, fp);
		fclose(fp);
	}
	ok(want && wantlen == gotlen && !memcmp(want, got, gotlen),
	   "transcript matches %s", path);
	free(want);
	free(got);

	timer_thread_close();
	libre_close();
	/* leaks are caught by LeakSanitizer in the sanitizer build */
	return tap_done();
}
