/*
 * Trunk state from OPTIONS pings (see trunk.h for the rules).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <re.h>
#include "common/log.h"
#include "common/timer.h"
#include "gateway/trunk.h"
#include "sip/sipleg.h"

struct trunks {
	struct list monl;             /* struct trunk_mon */
	struct sipua *ua;
};

struct trunk_mon {
	struct le le;
	struct trunks *ts;
	char name[40];
	char uri[128];
	uint32_t interval_ms;         /* 0: not pinged, always up */
	uint32_t timeout_ms;
	uint32_t threshold;
	uint32_t fails;               /* consecutive failed pings */
	bool up;
	bool mark;                    /* reload: still configured */
	struct timer tmr;
	struct sipua_ping *ping;
};

static void mon_destructor(void *arg)
{
	struct trunk_mon *m = arg;

	timer_cancel(&m->tmr);
	m->ping = mem_deref(m->ping);
	list_unlink(&m->le);
}

static void trunks_destructor(void *arg)
{
	struct trunks *ts = arg;

	list_flush(&ts->monl);
	ts->ua = mem_deref(ts->ua);
}

static struct trunk_mon *mon_find(const struct trunks *ts, const char *name)
{
	struct le *le;

	LIST_FOREACH(&ts->monl, le) {
		struct trunk_mon *m = le->data;

		if (!strcmp(m->name, name))
			return m;
	}
	return NULL;
}

bool trunk_ping_failed(int err, uint16_t scode)
{
	return err || scode == 408 || scode == 500 || scode == 503 ||
		scode == 504;
}

static void ping_start(void *arg);

static void ping_result(int err, uint16_t scode, void *arg)
{
	struct trunk_mon *m = arg;

	m->ping = mem_deref(m->ping);
	if (!trunk_ping_failed(err, scode)) {
		if (!m->up)
			log_info("trunk %s up: OPTIONS answered %u", m->name,
				 scode);
		m->up = true;
		m->fails = 0;
	}
	else {
		char why[64];

		if (err)
			str_ncpy(why, strerror(err), sizeof(why));
		else
			re_snprintf(why, sizeof(why), "status %u", scode);
		m->fails++;
		log_debug("trunk %s: OPTIONS failed, %u in a row: %s",
			  m->name, m->fails, why);
		if (m->up && m->fails >= m->threshold) {
			m->up = false;
			log_warnx("trunk %s down: %u OPTIONS failed in a row "
				  "(last: %s)", m->name, m->fails, why);
		}
	}
	timer_start(&m->tmr, m->interval_ms, ping_start, m);
}

static void ping_start(void *arg)
{
	struct trunk_mon *m = arg;
	int err;

	err = sipua_ping(&m->ping, m->ts->ua, m->uri, m->timeout_ms,
			 ping_result, m);
	if (err)
		ping_result(err, 0, m);
}

/* take the trunk's settings; start or stop pinging as they say */
static void mon_config(struct trunk_mon *m, const struct conf *conf,
		       const struct conf_trunk *tr)
{
	uint32_t interval = tr->options * 1000;

	re_snprintf(m->uri, sizeof(m->uri), "%H", conf_trunk_uri, tr);
	m->timeout_ms = tr->options_timeout ? tr->options_timeout :
		64 * conf->gen.t1;   /* RFC 3261 §17.1.2.2 Timer F */
	m->threshold = tr->options_failures;
	m->mark = true;
	if (interval == m->interval_ms)
		return;
	m->interval_ms = interval;
	timer_cancel(&m->tmr);
	m->ping = mem_deref(m->ping);
	if (!interval) {
		m->up = true;
		m->fails = 0;
		return;
	}
	timer_start(&m->tmr, 0, ping_start, m);
}

static int mon_add(struct trunks *ts, const struct conf *conf,
		   const struct conf_trunk *tr)
{
	struct trunk_mon *m = mon_find(ts, tr->name);

	if (!m) {
		m = mem_zalloc(sizeof(*m), mon_destructor);
		if (!m)
			return ENOMEM;
		m->ts = ts;
		m->up = true;
		str_ncpy(m->name, tr->name, sizeof(m->name));
		timer_init(&m->tmr);
		list_append(&ts->monl, &m->le, m);
	}
	mon_config(m, conf, tr);
	return 0;
}

void trunks_reload(struct trunks *ts, const struct conf *conf)
{
	struct le *le;

	LIST_FOREACH(&ts->monl, le)
		((struct trunk_mon *)le->data)->mark = false;
	LIST_FOREACH(&conf->trunkl, le) {
		if (mon_add(ts, conf, le->data))
			log_warnx("trunk %s: out of memory",
				  ((const struct conf_trunk *)le->data)->name);
	}
	le = list_head(&ts->monl);
	while (le) {
		struct trunk_mon *m = le->data;

		le = le->next;
		if (!m->mark)
			mem_deref(m);
	}
}

int trunks_alloc(struct trunks **tsp, const struct conf *conf,
		 struct sipua *ua)
{
	struct trunks *ts;

	if (!tsp || !conf || !ua)
		return EINVAL;
	ts = mem_zalloc(sizeof(*ts), trunks_destructor);
	if (!ts)
		return ENOMEM;
	ts->ua = mem_ref(ua);
	trunks_reload(ts, conf);
	*tsp = ts;
	return 0;
}

bool trunks_up(const struct conf_trunk *tr, void *arg)
{
	const struct trunks *ts = arg;
	const struct trunk_mon *m = ts ? mon_find(ts, tr->name) : NULL;

	return !m || m->up;
}
