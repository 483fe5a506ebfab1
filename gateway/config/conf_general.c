/*
 * [general], [sip] and [numbering]: the singleton sections.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf_priv.h"

enum { MS_MAX = 86400000 };   /* one day: a sane bound for any timer */

void conf_general_init(struct conf_general *gen)
{
	memset(gen, 0, sizeof(*gen));
	gen->loglevel = CONF_LOG_INFO;
	gen->rtp_min  = 10000;
	gen->rtp_max  = 20000;
	gen->rel100   = CONF_100REL_SUPPORTED;
	conf_dtmf_init(gen);
	gen->t1       = 500;      /* RFC 3261 §17.1.1.1 */
	gen->t2       = 4000;     /* RFC 3261 §17.1.2.2 */
	gen->timer_b  = 0;        /* 0: 64*T1, set in conf_general_done() */
	gen->timer_c  = 180000;   /* RFC 3261 §16.6: > 3 minutes */
	gen->t301     = 180000;   /* Q.931 Table 9-1: minimum 3 minutes */
	gen->t303     = 4000;     /* Q.931 Table 9-1 */
	gen->t310     = 30000;    /* Q.931 Table 9-2 (user side) 30-120 s */
	gen->t302     = 10000;    /* Q.931 Table 9-1: 10-15 s */
	gen->session_expires = 1800;   /* RFC 4028 §4: recommended */
	gen->min_se   = 90;       /* RFC 4028 §4: at least 90 s */
	gen->max_min_se = 7200;
	gen->rtp_timeout = 60;
	gen->overlap_max = 40000; /* T302 restarts bounded by this */
	conf_media_init(&gen->media);
}

static int timer_key(struct conf_ctx *ctx, const struct pl *key,
		     const struct pl *val)
{
	struct conf_general *gen = &ctx->conf->gen;
	static const struct {
		const char *key;
		size_t off;
	} timers[] = {
		{ "t1",      offsetof(struct conf_general, t1) },
		{ "t2",      offsetof(struct conf_general, t2) },
		{ "timer_b", offsetof(struct conf_general, timer_b) },
		{ "timer_c", offsetof(struct conf_general, timer_c) },
		{ "t301",    offsetof(struct conf_general, t301) },
		{ "t303",    offsetof(struct conf_general, t303) },
		{ "t310",    offsetof(struct conf_general, t310) },
		{ "t302",    offsetof(struct conf_general, t302) },
		{ "overlap_max", offsetof(struct conf_general, overlap_max) },
	};

	for (size_t i = 0; i < sizeof(timers) / sizeof(timers[0]); i++) {
		if (pl_strcmp(key, timers[i].key))
			continue;
		return conf_val_u32(ctx, val, 1, MS_MAX,
				    (uint32_t *)((char *)gen + timers[i].off));
	}

	return ENOENT;
}

int conf_general_key(struct conf_ctx *ctx, const struct pl *key,
		     const struct pl *val)
{
	struct conf_general *gen = &ctx->conf->gen;
	uint32_t lo, hi;
	int err, i;

	err = conf_dtmf_general_key(ctx, key, val);
	if (err != ENOENT)
		return err;
	if (!pl_strcmp(key, "log_level")) {
		err = conf_val_enum(ctx, val, conf_loglevel_names, &i);
		gen->loglevel = err ? gen->loglevel : (enum conf_loglevel)i;
	}
	else if (!pl_strcmp(key, "rtp_ports")) {
		err = conf_val_range(ctx, val, 1024, 65535, &lo, &hi);
		if (!err && hi - lo < 3)
			err = conf_errf(ctx, ERANGE, "range %r holds fewer "
					"than two RTP/RTCP port pairs", val);
		gen->rtp_min = err ? gen->rtp_min : (uint16_t)lo;
		gen->rtp_max = err ? gen->rtp_max : (uint16_t)hi;
	}
	else if (!pl_strcmp(key, "100rel")) {
		err = conf_val_enum(ctx, val, conf_100rel_names, &i);
		gen->rel100 = err ? gen->rel100 : (enum conf_100rel)i;
	}
	else if (!pl_strcmp(key, "session_expires"))
		err = conf_val_u32(ctx, val, 0, 86400, &gen->session_expires);
	else if (!pl_strcmp(key, "min_se"))
		err = conf_val_u32(ctx, val, 1, 86400, &gen->min_se);
	else if (!pl_strcmp(key, "max_min_se"))
		err = conf_val_u32(ctx, val, 90, 86400, &gen->max_min_se);
	else if (!pl_strcmp(key, "rtp_timeout"))
		err = conf_val_u32(ctx, val, 0, 86400, &gen->rtp_timeout);
	else if (!pl_strcmp(key, "max_call_duration"))
		err = conf_val_u32(ctx, val, 0, 864000,
				   &gen->max_call_duration);
	else if (!pl_strcmp(key, "max_calls"))
		err = conf_val_u32(ctx, val, 0, 100000, &gen->max_calls);
	else if (!pl_strcmp(key, "media_threads"))   /* gateway/mplane/ */
		err = conf_val_u32(ctx, val, 0, 64, &gen->media_threads);
	else if (!pl_strcmp(key, "debug_close_us"))
		err = conf_val_u32(ctx, val, 0, 5000000, &gen->debug_close_us);
	else if (!pl_strcmp(key, "control"))
		err = conf_val_path(ctx, val, &gen->control);
	else if (!pl_strcmp(key, "trace_dir"))
		err = conf_val_path(ctx, val, &gen->trace_dir);
	else if ((err = conf_media_key(ctx, key, val)) == ENOENT)
		err = timer_key(ctx, key, val);

	return err;
}

/* cross-key rules of [general], checked once the file is read */
int conf_general_done(struct conf_ctx *ctx)
{
	struct conf_general *gen = &ctx->conf->gen;

	if (!gen->timer_b)
		gen->timer_b = 64 * gen->t1;   /* RFC 3261 §17.1.1.2 */
	if (conf_media_done(ctx))
		return ERANGE;

	if (gen->session_expires && gen->min_se > gen->session_expires)
		return conf_err_at(ctx, 0, "general", "min_se", ERANGE,
				   "Min-SE (%u s) is above session_expires "
				   "(%u s)", gen->min_se, gen->session_expires);

	if (gen->max_min_se < gen->min_se)
		return conf_err_at(ctx, 0, "general", "max_min_se", ERANGE,
				   "max_min_se (%u s) is below min_se (%u s)",
				   gen->max_min_se, gen->min_se);

	if (gen->overlap_max < gen->t302)
		return conf_err_at(ctx, 0, "general", "overlap_max", ERANGE,
				   "overlap_max (%u ms) is below T302 (%u ms)",
				   gen->overlap_max, gen->t302);

	if (gen->t2 < gen->t1)
		return conf_err_at(ctx, 0, "general", "t2", ERANGE,
				   "T2 (%u ms) is below T1 (%u ms)",
				   gen->t2, gen->t1);

	return 0;
}

static int listen_one(struct conf_ctx *ctx, const struct pl *item)
{
	struct conf_listen *l;
	const char *colon = pl_strchr(item, ':');
	struct pl tp, addr;
	int tpi, err;

	if (!colon)
		return conf_errf(ctx, EINVAL, "bad listen address \"%r\" "
				 "(expected udp:, tcp: or tls:ADDR:PORT)",
				 item);

	tp.p = item->p;
	tp.l = colon - item->p;
	addr.p = colon + 1;
	addr.l = item->l - tp.l - 1;

	if (conf_val_enum(ctx, &tp, conf_tp_names, &tpi))
		return EINVAL;

	l = mem_zalloc(sizeof(*l), NULL);
	if (!l)
		return conf_errf(ctx, ENOMEM, "out of memory");

	l->tp = (enum conf_tp)tpi;
	err = sa_decode(&l->addr, addr.p, addr.l);
	if (err || !sa_port(&l->addr)) {
		mem_deref(l);
		return conf_errf(ctx, EINVAL, "bad address \"%r\" (expected "
				 "IP:PORT or [IPv6]:PORT)", &addr);
	}

	list_append(&ctx->conf->sip.listenl, &l->le, l);
	return 0;
}

/* listen = udp:127.0.0.1:5060, tcp:127.0.0.1:5060 */
static int listen_key(struct conf_ctx *ctx, const struct pl *val)
{
	struct pl rest = *val, item;

	list_flush(&ctx->conf->sip.listenl);

	while (conf_list_next(&rest, &item)) {
		int err = listen_one(ctx, &item);
		if (err)
			return err;
	}

	if (list_isempty(&ctx->conf->sip.listenl))
		return conf_errf(ctx, EINVAL, "no listen address");

	return 0;
}

/* an address without a port: 192.0.2.53, ::1 or [::1], on port 53 */
static int dns_addr(struct sa *sa, const struct pl *item)
{
	struct pl a = *item;

	if (a.l > 2 && a.p[0] == '[' && a.p[a.l - 1] == ']') {
		a.p++;
		a.l -= 2;
	}
	return sa_set(sa, &a, 53);
}

/* dns_server = 192.0.2.53, [2001:db8::53]:5353 (port 53 by default) */
static int dns_key(struct conf_ctx *ctx, const struct pl *val)
{
	struct conf_sip *sip = &ctx->conf->sip;
	struct pl rest = *val, item;

	sip->ndns = 0;
	while (conf_list_next(&rest, &item)) {
		if (sip->ndns == ARRAY_SIZE(sip->dns))
			return conf_errf(ctx, EINVAL, "more than %zu DNS "
					 "servers", ARRAY_SIZE(sip->dns));
		if (sa_decode(&sip->dns[sip->ndns], item.p, item.l) &&
		    dns_addr(&sip->dns[sip->ndns], &item))
			return conf_errf(ctx, EINVAL, "bad DNS server \"%r\" "
					 "(expected IP or IP:PORT)", &item);
		sip->ndns++;
	}
	if (!sip->ndns)
		return conf_errf(ctx, EINVAL, "no DNS server");
	return 0;
}

/* sip/tcpgate.c: accepted TCP/TLS connections and their timeouts */
static int tcp_key(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val)
{
	struct conf_sip *sip = &ctx->conf->sip;

	if (!pl_strcmp(key, "tcp_max_connections"))
		return conf_val_u32(ctx, val, 0, 100000, &sip->tcp_max_conns);
	if (!pl_strcmp(key, "tcp_max_per_source"))
		return conf_val_u32(ctx, val, 0, 100000,
				    &sip->tcp_max_per_source);
	if (!pl_strcmp(key, "tcp_setup_timeout"))
		return conf_val_u32(ctx, val, 1, 3600, &sip->tcp_setup_timeout);
	if (!pl_strcmp(key, "tcp_idle_timeout"))
		return conf_val_u32(ctx, val, 1, 86400, &sip->tcp_idle_timeout);
	return ENOENT;
}

/* sip/overload.c: the SIP sockets' queue, and a stall for tests */
static int overload_key(struct conf_ctx *ctx, const struct pl *key,
			const struct pl *val)
{
	struct conf_sip *sip = &ctx->conf->sip;

	if (!pl_strcmp(key, "udp_rcvbuf"))
		return conf_val_u32(ctx, val, 0, 1u << 30, &sip->udp_rcvbuf);
	if (!pl_strcmp(key, "overload_queue"))
		return conf_val_u32(ctx, val, 0, 1u << 30,
				    &sip->overload_queue);
	if (!pl_strcmp(key, "debug_stall_us"))
		return conf_val_u32(ctx, val, 0, 1000000, &sip->debug_stall_us);
	return ENOENT;
}

/* sip/flood.c's gates: generous for a trunk, tight for a flood */
void conf_sip_init(struct conf_sip *sip)
{
	sip->invite_rate = 50;
	sip->invite_burst = 100;
	sip->max_dialogs = 2048;
	sip->tcp_max_conns = 256;
	sip->tcp_max_per_source = 32;
	sip->tcp_setup_timeout = 10;
	sip->tcp_idle_timeout = 300;
	sip->udp_rcvbuf = 4u << 20;
	sip->overload_queue = 256u << 10;
}

static int flood_key(struct conf_ctx *ctx, const struct pl *key,
		     const struct pl *val)
{
	struct conf_sip *sip = &ctx->conf->sip;
	int err, i;

	if (!pl_strcmp(key, "invite_rate"))
		return conf_val_u32(ctx, val, 0, 100000, &sip->invite_rate);
	if (!pl_strcmp(key, "invite_burst"))
		return conf_val_u32(ctx, val, 1, 100000, &sip->invite_burst);
	if (!pl_strcmp(key, "max_dialogs"))
		return conf_val_u32(ctx, val, 0, 1000000, &sip->max_dialogs);
	if (pl_strcmp(key, "invite_over"))
		return ENOENT;
	err = conf_val_enum(ctx, val, conf_invite_over_names, &i);
	sip->invite_drop = err ? sip->invite_drop : i == 1;
	return err;
}

int conf_sip_key(struct conf_ctx *ctx, const struct pl *key,
		 const struct pl *val)
{
	int err;

	if (!pl_strcmp(key, "dns_server"))
		return dns_key(ctx, val);
	if (!pl_strcmp(key, "listen"))
		return listen_key(ctx, val);
	if (!pl_strcmp(key, "user_agent"))
		return conf_val_str(ctx, val, &ctx->conf->sip.user_agent);

	err = flood_key(ctx, key, val);
	if (err == ENOENT)
		err = tcp_key(ctx, key, val);
	if (err == ENOENT)
		err = overload_key(ctx, key, val);
	if (err == ENOENT)
		err = conf_addr_key(ctx, key, val);
	return err == ENOENT ? conf_tls_sip_key(ctx, key, val) : err;
}

static const uint8_t npi_values[] = {
	CC_NPI_UNKNOWN, CC_NPI_E164, CC_NPI_NATIONAL, CC_NPI_PRIVATE
};

int conf_numbering_key(struct conf_ctx *ctx, const struct pl *key,
		       const struct pl *val)
{
	struct numbering *n = &ctx->conf->num;
	int err, i;

	if (!pl_strcmp(key, "country_code"))
		return conf_val_digits(ctx, val, n->cc, 4);
	if (!pl_strcmp(key, "area_code"))
		return conf_val_digits(ctx, val, n->area, sizeof(n->area));
	if (!pl_strcmp(key, "national_prefix"))
		return conf_val_digits(ctx, val, n->natpfx,
				       sizeof(n->natpfx));
	if (!pl_strcmp(key, "international_prefix"))
		return conf_val_digits(ctx, val, n->intlpfx,
				       sizeof(n->intlpfx));

	if (!pl_strcmp(key, "sip_format")) {
		err = conf_val_enum(ctx, val, conf_sipfmt_names, &i);
		n->sipfmt = err ? n->sipfmt : (enum number_sipfmt)i;
	}
	else if (!pl_strcmp(key, "pri_format")) {
		err = conf_val_enum(ctx, val, conf_prifmt_names, &i);
		n->prifmt = err ? n->prifmt : (enum number_prifmt)i;
	}
	else if (!pl_strcmp(key, "pri_npi")) {
		err = conf_val_enum(ctx, val, conf_npi_names, &i);
		n->npi = err ? n->npi : npi_values[i];
	}
	else
		return ENOENT;

	return err;
}

static int listen_add(struct conf *conf, enum conf_tp tp, const char *addr)
{
	struct conf_listen *l = mem_zalloc(sizeof(*l), NULL);

	if (!l)
		return ENOMEM;

	l->tp = tp;
	(void)sa_decode(&l->addr, addr, strlen(addr));
	list_append(&conf->sip.listenl, &l->le, l);
	return 0;
}

/* [sip] without listen: UDP and TCP on every IPv4 address, port 5060 */
int conf_sip_done(struct conf_ctx *ctx)
{
	struct conf *conf = ctx->conf;
	int err;

	if (conf_addr_done(ctx))
		return EINVAL;
	if (!list_isempty(&conf->sip.listenl))
		return 0;

	err  = listen_add(conf, CONF_TP_UDP, "0.0.0.0:5060");
	err |= listen_add(conf, CONF_TP_TCP, "0.0.0.0:5060");
	if (err)
		return conf_err_at(ctx, 0, "sip", "listen", ENOMEM,
				   "out of memory");

	return 0;
}

/* [cdr]: file = PATH, format = json | csv (gateway/cdr.c) */
int conf_cdr_key(struct conf_ctx *ctx, const struct pl *key,
		 const struct pl *val)
{
	static const char *const formats[] = {"json", "csv", NULL};
	struct conf_cdr *cdr = &ctx->conf->cdr;
	int i;

	if (!pl_strcmp(key, "file"))
		return conf_val_path(ctx, val, &cdr->file);
	if (pl_strcmp(key, "format"))
		return ENOENT;
	if (conf_val_enum(ctx, val, formats, &i))
		return EINVAL;
	cdr->csv = i == 1;
	return 0;
}

/* [metrics]: listen = ADDRESS:PORT (gateway/metrics.c) */
int conf_metrics_key(struct conf_ctx *ctx, const struct pl *key,
		     const struct pl *val)
{
	struct sa *sa = &ctx->conf->metrics.listen;

	if (pl_strcmp(key, "listen"))
		return ENOENT;
	if (sa_decode(sa, val->p, val->l) || !sa_port(sa))
		return conf_errf(ctx, EINVAL, "bad address \"%r\" (expected "
				 "ADDRESS:PORT)", val);
	return 0;
}
