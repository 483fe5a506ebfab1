/*
 * sip/refused.c: the INVITEs a gate of sip/flood.c refused, remembered
 * so that their retransmissions get the same answer.
 *
 * The gates answer 503 statelessly, so that a flood costs no transaction.
 * But RFC 3261 §8.2.7 lets a request be answered statelessly only when
 * an identical request would always get the same response, and a gate's
 * answer depends on the moment: the loop behind, the source's bucket
 * empty, no B-channel free.  A UAC that has not seen the 503 yet (the
 * loop that refused it was late) retransmits its INVITE at T1, 2*T1...
 * (§17.1.1.2), and a retransmission that finds the gate open became a
 * call the UAC had already given up: answered by the PBX, never ACKed,
 * holding a B-channel for 64*T1 and then its BYE for as long again,
 * at just the moment channels are short.
 *
 * So each INVITE refused by a gate is kept, as its transaction's key
 * (Call-ID, From tag, CSeq, top Via branch and sent-by: §17.2.3), for
 * 64*T1, as long as its UAC retransmits it (Timer B); a retransmission
 * gets the same 503 again, statelessly, before any gate, and takes no
 * token.  At most REFUSED_MAX are kept, the oldest dropped first, with no
 * timer: the expired ones go as the next refusal comes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

enum {
	REFUSED_HASH = 256,
	REFUSED_MAX  = 4096,
};

struct refusal {
	struct le he;             /* in refused->ht, by key */
	struct le le;             /* in refused->age, oldest first */
	struct siprefused *rf;
	char *key;
	uint64_t expires;         /* ms, tmr_jiffies() */
	int cause;                /* of the 503's Reason */
};

struct siprefused {
	struct hash *ht;
	struct list age;
	unsigned n;
};

static void refusal_destructor(void *arg)
{
	struct refusal *r = arg;

	hash_unlink(&r->he);
	list_unlink(&r->le);
	mem_deref(r->key);
	r->rf->n--;
}

static void refused_destructor(void *arg)
{
	struct siprefused *rf = arg;

	list_flush(&rf->age);
	mem_deref(rf->ht);
}

int siprefused_alloc(struct siprefused **rfp)
{
	struct siprefused *rf = mem_zalloc(sizeof(*rf), refused_destructor);
	int err;

	if (!rf)
		return ENOMEM;
	err = hash_alloc(&rf->ht, REFUSED_HASH);
	if (err) {
		mem_deref(rf);
		return err;
	}
	*rfp = rf;
	return 0;
}

/* RFC 3261 §17.2.3: what makes a retransmission the same transaction */
static int key_print(char **keyp, const struct sip_msg *msg)
{
	return re_sdprintf(keyp, "%r|%r|%u|%r|%r", &msg->callid,
			   &msg->from.tag, msg->cseq.num, &msg->via.branch,
			   &msg->via.sentby);
}

static bool key_cmp(struct le *le, void *arg)
{
	const struct refusal *r = le->data;

	return !strcmp(r->key, arg);
}

/* drop the expired, oldest first, and the oldest beyond keep */
static void expire(struct siprefused *rf, uint64_t now, unsigned keep)
{
	struct refusal *r;

	while ((r = list_ledata(list_head(&rf->age))) &&
	       (r->expires <= now || rf->n > keep))
		mem_deref(r);
}

/* the cause the INVITE was refused with, if it was: 0 for none */
int siprefused_cause(struct siprefused *rf, const struct sip_msg *msg)
{
	struct refusal *r;
	char *key = NULL;

	if (!rf || !rf->age.head || key_print(&key, msg))
		return 0;
	expire(rf, tmr_jiffies(), REFUSED_MAX);
	r = list_ledata(hash_lookup(rf->ht, hash_joaat_str(key), key_cmp,
				    key));
	mem_deref(key);
	return r ? r->cause : 0;
}

/* a gate refused the INVITE with a 503 of this cause, for ttl ms */
void siprefused_add(struct siprefused *rf, const struct sip_msg *msg,
		    int cause, uint64_t ttl)
{
	uint64_t now = tmr_jiffies();
	struct refusal *r;

	if (!rf)
		return;
	expire(rf, now, REFUSED_MAX - 1);
	r = mem_zalloc(sizeof(*r), refusal_destructor);
	if (!r)
		return;
	r->rf = rf;
	rf->n++;
	if (key_print(&r->key, msg)) {
		mem_deref(r);
		return;
	}
	r->expires = now + ttl;
	r->cause = cause;
	hash_append(rf->ht, hash_joaat_str(r->key), &r->he, r);
	list_append(&rf->age, &r->le, r);
}
