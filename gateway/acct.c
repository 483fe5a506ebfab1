/*
 * gateway/acct.c: what a call attempt was (see acct.h), and its record
 * as one JSON object or one CSV row (RFC 4180), with the CDR's field
 * names (sipri.conf(5), cdr_file).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <time.h>
#include <re.h>
#include "gateway/acct.h"
#include "gateway/route/cause.h"

uint64_t acct_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void acct_raw(char *buf, size_t size, const struct cc_party *p, bool sip)
{
	bool plus = sip && p->ton == CC_TON_INTERNATIONAL && p->number[0];

	re_snprintf(buf, size, "%s%s", plus ? "+" : "", p->number);
}

void acct_start(struct acct *a, unsigned call_id, enum acct_dir dir)
{
	memset(a, 0, sizeof(*a));
	a->call_id = call_id;
	a->dir = dir;
	a->start = acct_now();
}

/* the side the call was placed to */
static enum acct_by called_side(const struct acct *a)
{
	return a->dir == ACCT_PRI_TO_SIP ? ACCT_BY_SIP : ACCT_BY_PRI;
}

void acct_msg(struct acct *a, enum acct_by side, bool tx,
	      const struct cc_msg *msg)
{
	uint64_t now;

	if (!a || !msg || a->closed)
		return;
	now = acct_now();
	switch (msg->type) {
	case CC_CONNECT:     /* an answer ends the post-dial delay too */
	case CC_ALERTING:
	case CC_PROGRESS:
		if (tx || side != called_side(a))
			break;
		if (!a->ring)
			a->ring = now;
		if (msg->type == CC_CONNECT && !a->answer)
			a->answer = now;
		break;
	case CC_DISCONNECT:
	case CC_RELEASE:
		if (a->released_seen)
			break;
		a->released_seen = true;
		a->released_by = tx ? ACCT_BY_GATEWAY : side;
		a->cause = msg->cause;
		a->location = msg->location;
		break;
	default:
		break;
	}
}

void acct_end(struct acct *a)
{
	if (!a || a->closed)
		return;
	a->end = acct_now();
	a->closed = true;
}

const char *acct_by_name(enum acct_by by)
{
	switch (by) {
	case ACCT_BY_PRI:     return "pri";
	case ACCT_BY_SIP:     return "sip";
	case ACCT_BY_GATEWAY: return "gateway";
	default:              return NULL;
	}
}

static const char *codec_name(char law)
{
	return law == 'A' ? "PCMA" : law == 'U' ? "PCMU" : NULL;
}

/* RFC 3339, UTC, milliseconds: 2026-12-03T22:51:14.123Z */
static int time_print(struct re_printf *pf, const uint64_t *ms)
{
	time_t t = (time_t)(*ms / 1000);
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return re_hprintf(pf, "%s.%03uZ", buf, (unsigned)(*ms % 1000));
}

static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c != 0x7f && c != '"' && c != '\\';
}

/* RFC 8259 §7: a string, or null; runs of plain characters go out
 * whole (a record is made once per call, on the loop) */
int acct_json_str(struct re_printf *pf, const char *s)
{
	int err;

	if (!s)
		return re_hprintf(pf, "null");
	err = pf->vph("\"", 1, pf->arg);
	while (*s) {
		size_t n = 0;

		while (s[n] && json_plain((unsigned char)s[n]))
			n++;
		if (n)
			err |= pf->vph(s, n, pf->arg);
		s += n;
		if (!*s)
			break;
		err |= *s == '"' || *s == '\\' ?
			re_hprintf(pf, "\\%c", *s) :
			re_hprintf(pf, "\\u%04x", (unsigned char)*s);
		s++;
	}
	return err | pf->vph("\"", 1, pf->arg);
}

static const char *str_or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* the fields in order: a name, and its value as a string (NULL: null)
 * or, with num set, a number */
struct field {
	const char *name;
	const char *str;
	bool num;
	char buf[32];
};

enum { NFIELDS = 24 };

static void field_u64(struct field *f, const char *name, uint64_t v,
		      bool set)
{
	f->name = name;
	f->num = set;
	f->str = set ? f->buf : NULL;
	re_snprintf(f->buf, sizeof(f->buf), "%llu", (unsigned long long)v);
}

static void field_i64(struct field *f, const char *name, int64_t v,
		      bool set)
{
	f->name = name;
	f->num = set;
	f->str = set ? f->buf : NULL;
	re_snprintf(f->buf, sizeof(f->buf), "%lld", (long long)v);
}

static void field_time(struct field *f, const char *name, uint64_t ms)
{
	f->name = name;
	f->num = false;
	f->str = ms ? f->buf : NULL;
	if (ms)
		re_snprintf(f->buf, sizeof(f->buf), "%H", time_print, &ms);
}

static void field_str(struct field *f, const char *name, const char *s)
{
	f->name = name;
	f->num = false;
	f->str = str_or_null(s);
}

static void fields_make(struct field *f, const struct acct *a)
{
	uint64_t rung = a->ring ? a->ring : a->answer;
	char jit[32];
	int i = 0;

	field_u64(&f[i++], "call_id", a->call_id, true);
	field_str(&f[i++], "direction", a->dir == ACCT_PRI_TO_SIP ?
		  "pri_to_sip" : "sip_to_pri");
	field_str(&f[i++], "calling", a->calling);
	field_str(&f[i++], "called", a->called);
	field_str(&f[i++], "calling_raw", a->calling_raw);
	field_str(&f[i++], "called_raw", a->called_raw);
	field_time(&f[i++], "start", a->start);
	field_time(&f[i++], "answer", a->answer);
	field_time(&f[i++], "end", a->end);
	field_u64(&f[i++], "duration_ms", a->answer && a->end > a->answer ?
		  a->end - a->answer : 0, true);
	field_u64(&f[i++], "pdd_ms", rung - a->start, rung >= a->start &&
		  rung);
	field_i64(&f[i++], "q850_cause", a->cause, a->cause > 0);
	field_i64(&f[i++], "q850_location", a->location, a->cause > 0);
	field_i64(&f[i++], "sip_status", a->sip_status, a->sip_status > 0);
	field_str(&f[i++], "reason", a->cause > 0 ? cause_name(a->cause) :
		  NULL);
	field_str(&f[i++], "released_by", acct_by_name(a->released_by));
	field_i64(&f[i++], "span", a->span, a->span > 0);
	field_i64(&f[i++], "channel", a->channel, a->channel > 0);
	field_str(&f[i++], "trunk", a->trunk);
	field_str(&f[i++], "sip_call_id", a->sip_call_id);
	field_str(&f[i++], "codec", codec_name(a->law));
	field_u64(&f[i++], "rtp_rx_packets", a->rtp_rx, true);
	field_i64(&f[i++], "rtp_lost", a->rtp_lost, true);
	re_snprintf(jit, sizeof(jit), "%.1f", a->jitter_ms);
	f[i].name = "jitter_ms";
	f[i].num = true;
	str_ncpy(f[i].buf, jit, sizeof(f[i].buf));
	f[i].str = f[i].buf;
}

int acct_json(struct re_printf *pf, const struct acct *a)
{
	struct field f[NFIELDS];
	int err = 0;

	fields_make(f, a);
	err |= pf->vph("{", 1, pf->arg);
	for (int i = 0; i < NFIELDS; i++) {
		err |= re_hprintf(pf, "%s\"%s\":", i ? "," : "", f[i].name);
		err |= f[i].num ? pf->vph(f[i].str, strlen(f[i].str), pf->arg) :
			acct_json_str(pf, f[i].str);
	}
	return err | pf->vph("}", 1, pf->arg);
}

/* RFC 4180 §2: quoted when it holds a comma, a quote or a line break */
static int csv_str(struct re_printf *pf, const char *s)
{
	int err = 0;

	if (!s)
		return 0;
	if (!strpbrk(s, ",\"\r\n"))
		return re_hprintf(pf, "%s", s);
	err |= re_hprintf(pf, "\"");
	for (; *s; s++)
		err |= re_hprintf(pf, *s == '"' ? "\"\"" : "%c", *s);
	return err | re_hprintf(pf, "\"");
}

int acct_csv(struct re_printf *pf, const struct acct *a)
{
	struct field f[NFIELDS];
	int err = 0;

	fields_make(f, a);
	for (int i = 0; i < NFIELDS; i++) {
		if (i)
			err |= re_hprintf(pf, ",");
		err |= csv_str(pf, f[i].str);
	}
	return err;
}

int acct_csv_header(struct re_printf *pf, void *unused)
{
	struct acct a;
	struct field f[NFIELDS];
	int err = 0;

	(void)unused;
	memset(&a, 0, sizeof(a));
	fields_make(f, &a);
	for (int i = 0; i < NFIELDS; i++)
		err |= re_hprintf(pf, "%s%s", i ? "," : "", f[i].name);
	return err;
}
