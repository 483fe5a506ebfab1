/*
 * sip/flood.c: what an INVITE may cost before we know we can take it.
 *
 * An INVITE from a trunk's source (sip/acl.c) passes four gates before
 * a leg, a dialog, a transaction or an RTP port exists for it.  Past any
 * of them it gets a stateless 503 with Retry-After (RFC 3261 §21.5.4)
 * and a Reason (RFC 3326), and nothing is kept of it but its key:
 *   0. the loop: while it is behind (sip/overload.c), none is taken;
 *   1. the rate of its source (sipflood_rate): a token bucket per source
 *      address, filled at invite_rate per second up to invite_burst; an
 *      INVITE finding it empty gets 503 or, with invite_over = drop, no
 *      answer at all.  Gates 0 and 1 come before the trunk's digest
 *      challenge (sip/auth.c, two HMACs a 401), so a challenged call
 *      costs two tokens;
 *   2. the dialogs: at most max_dialogs legs live at once;
 *   3. the core's admission (sipua_admit_h): a span up with a free
 *      B-channel, max_calls not reached.
 * Gates 2 and 3 (sipflood_admit) come after the challenge.
 * The log line for each gate is rate-limited like the ACL's.  The INVITEs
 * refused are remembered for 64*T1 (sip/refused.c): a retransmission of
 * one gets the same 503 before any gate, never a call its UAC gave up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

enum {
	FLOOD_HASH    = 256,
	FLOOD_BUCKETS = 4096,     /* sources tracked at once */
	MILLI         = 1000,     /* tokens are counted in thousandths */
	CAUSE_NO_CIRCUIT = 34,    /* Q.850 */
	CAUSE_CONGESTION = 42,    /* Q.850 switching equipment congestion */
};

struct bucket {
	struct le he;
	struct sa src;
	uint64_t tokens;          /* in thousandths of an INVITE */
	uint64_t last;            /* ms, when it was last filled */
};

static void flood_destructor(void *arg)
{
	struct sipflood *f = arg;

	hash_flush(f->ht);
	mem_deref(f->ht);
	mem_deref(f->refused);
}

int sipflood_alloc(struct sipflood **fp)
{
	struct sipflood *f = mem_zalloc(sizeof(*f), flood_destructor);
	int err;

	if (!f)
		return ENOMEM;
	err = hash_alloc(&f->ht, FLOOD_HASH);
	if (!err)
		err = siprefused_alloc(&f->refused);
	if (err) {
		mem_deref(f);
		return err;
	}
	*fp = f;
	return 0;
}

static bool src_cmp(struct le *le, void *arg)
{
	const struct bucket *b = le->data;

	return sa_cmp(&b->src, arg, SA_ADDR);
}

static void fill(struct bucket *b, const struct sipua_conf *c, uint64_t now)
{
	uint64_t cap = (uint64_t)c->invite_burst * MILLI;

	b->tokens += (now - b->last) * c->invite_rate;   /* ms x per s */
	if (b->tokens > cap)
		b->tokens = cap;
	b->last = now;
}

/* a full bucket tells nothing a new one would not: forget those */
static bool full_apply(struct le *le, void *arg)
{
	struct bucket *b = le->data;
	const struct sipua *ua = arg;

	fill(b, &ua->conf, tmr_jiffies());
	if (b->tokens >= (uint64_t)ua->conf.invite_burst * MILLI) {
		hash_unlink(&b->he);
		mem_deref(b);
		ua->flood->n--;
	}
	return false;
}

static struct bucket *bucket_get(struct sipua *ua, const struct sa *src,
				 uint64_t now)
{
	struct sipflood *f = ua->flood;
	uint32_t key = sa_hash(src, SA_ADDR);
	struct bucket *b;

	b = list_ledata(hash_lookup(f->ht, key, src_cmp, (void *)src));
	if (b)
		return b;
	if (f->n >= FLOOD_BUCKETS)
		(void)hash_apply(f->ht, full_apply, ua);
	if (f->n >= FLOOD_BUCKETS)
		return NULL;
	b = mem_zalloc(sizeof(*b), NULL);
	if (!b)
		return NULL;
	b->src = *src;
	b->tokens = (uint64_t)ua->conf.invite_burst * MILLI;
	b->last = now;
	hash_append(f->ht, key, &b->he, b);
	f->n++;
	return b;
}

/* one token from the source's bucket; false when there is none */
static bool rate_take(struct sipua *ua, const struct sa *src)
{
	uint64_t now = tmr_jiffies();
	struct bucket *b;

	if (!ua->conf.invite_rate)
		return true;
	b = bucket_get(ua, src, now);
	if (!b)
		return false;   /* too many sources at once: fail closed */
	fill(b, &ua->conf, now);
	if (b->tokens < MILLI)
		return false;
	b->tokens -= MILLI;
	return true;
}

static void reply_503(struct sipua *ua, const struct sip_msg *msg, int cause)
{
	(void)sip_replyf(ua->sip, msg, 503, "Service Unavailable",
			 "Retry-After: %u\r\n"
			 "Reason: Q.850;cause=%d\r\n"
			 "Content-Length: 0\r\n\r\n", SIPUA_RETRY_BUSY_S,
			 cause);
}

/* a gate's refusal, kept while the UAC may retransmit (Timer B) */
static void busy_reply(struct sipua *ua, const struct sip_msg *msg,
		       int cause)
{
	reply_503(ua, msg, cause);
	siprefused_add(ua->flood->refused, msg, cause, 64 * sipua_t1(ua));
}

static void flood_log(struct sipacl_log *rl, const struct sip_msg *msg,
		      const char *why, bool replied)
{
	unsigned n;

	if (sipacl_log_due(rl, tmr_jiffies(), &n))
		sip_log(LOG_LVL_WARN, "sip: INVITE from %J: %s, %s (%u more "
			"since the last such line)", &msg->src, why,
			replied ? "503" : "dropped", n);
}

void sipua_set_admit_handler(struct sipua *ua, sipua_admit_h *h, void *arg)
{
	if (!ua)
		return;
	ua->admith = h;
	ua->admit_arg = arg;
}

/* gates 0 and 1: whether the loop keeps up and a new INVITE is within
 * its source's rate; false after refusing it (or dropping it) */
bool sipflood_rate(struct sipua *ua, const struct sip_msg *msg)
{
	const struct sipua_conf *c = &ua->conf;
	int cause;

	/* RFC 3261 §8.2.7: a retransmission, the same answer again */
	cause = siprefused_cause(ua->flood->refused, msg);
	if (cause) {
		sip_log(LOG_LVL_DEBUG, "sip: INVITE from %J again: 503 again "
			"(cause %d)", &msg->src, cause);
		reply_503(ua, msg, cause);
		return false;
	}
	if (sipovl_behind(ua)) {
		ua->stats.overload++;
		flood_log(&ua->flood->overload_log, msg, "the loop is behind "
			  "(overload_queue)", true);
		busy_reply(ua, msg, CAUSE_CONGESTION);
		return false;
	}
	if (rate_take(ua, &msg->src))
		return true;
	ua->stats.rate_limited++;
	flood_log(&ua->flood->rate_log, msg, "over invite_rate",
		  !c->invite_drop);
	if (!c->invite_drop)
		busy_reply(ua, msg, CAUSE_CONGESTION);
	return false;
}

/* gates 2 and 3: whether a new INVITE may become a leg; false after
 * refusing it */
bool sipflood_admit(struct sipua *ua, const struct sip_msg *msg)
{
	const struct sipua_conf *c = &ua->conf;
	int cause;

	if (c->max_dialogs && ua->live >= c->max_dialogs) {
		ua->stats.busy++;
		flood_log(&ua->flood->busy_log, msg, "max_dialogs reached",
			  true);
		busy_reply(ua, msg, CAUSE_CONGESTION);
		return false;
	}
	cause = ua->admith ? ua->admith(ua->admit_arg) : 0;
	if (cause) {
		ua->stats.busy++;
		flood_log(&ua->flood->busy_log, msg, cause == CAUSE_NO_CIRCUIT ?
			  "no free B-channel" : "no call can be taken", true);
		busy_reply(ua, msg, cause);
		return false;
	}
	sipovl_stall(ua);
	return true;
}
