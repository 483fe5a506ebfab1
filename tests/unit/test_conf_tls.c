/*
 * SIP over TLS and SRTP in the configuration (gateway/config/conf_tls.c):
 * the [sip] tls_* files, a trunk's transport = tls, media and sips, the
 * URIs routes write for them, and each rule that joins them.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf.h"
#include "gateway/route/route_priv.h"
#include "tests/tap.h"

#define SPAN "[span 1]\ndchan=16\nbchan=1-15\ngroup = pbx\n"
#define TLS_SIP "[sip]\nlisten = udp:127.0.0.1:5060, tls:127.0.0.1:5061\n" \
	"tls_certificate = /etc/sipri/cert.pem\ntls_key = key.pem\n" \
	"tls_ca = /etc/sipri/ca.pem\n"

static struct conf *parse(const char *txt, struct conf_err *err, int *e)
{
	struct conf *conf = NULL;

	memset(err, 0, sizeof(*err));
	*e = conf_parse(&conf, "/etc/sipri/mem.conf", txt, strlen(txt), err);
	return conf;
}

static void test_keys(void)
{
	static const char txt[] = SPAN TLS_SIP
		"[trunk a]\nhost = pbx.example.net\nport = 5061\n"
		"transport = tls\nmedia = srtp\n"
		"[trunk b]\nhost = 192.0.2.10\ntransport = tls\nsips = yes\n"
		"media = srtp-optional\n"
		"[trunk c]\nhost = 192.0.2.11\n"
		"[route r]\ndirection = pri-to-sip\nmatch = any\n"
		"trunk = a, b\n";
	const struct conf_trunk *a, *b, *c;
	const struct conf_listen *l;
	const struct route *r;
	struct conf_err err;
	struct conf *conf;
	int e;

	conf = parse(txt, &err, &e);
	ok(!e && conf, "TLS keys parse: %s", err.msg);
	if (!conf)
		return;
	l = list_ledata(list_tail(&conf->sip.listenl));
	ok(l && l->tp == CONF_TP_TLS && sa_port(&l->addr) == 5061,
	   "listen tls:127.0.0.1:5061");
	ok(conf->sip.tls_cert && conf->sip.tls_key && conf->sip.tls_ca &&
	   !strcmp(conf->sip.tls_ca, "/etc/sipri/ca.pem"),
	   "tls_certificate, tls_key and tls_ca are kept");
	a = conf_trunk_find(conf, "a");
	b = conf_trunk_find(conf, "b");
	c = conf_trunk_find(conf, "c");
	ok(a && a->tp == CONF_TP_TLS && a->srtp == CONF_SRTP_ON && !a->sips,
	   "trunk a: tls, media = srtp");
	ok(b && b->sips && b->srtp == CONF_SRTP_OPTIONAL,
	   "trunk b: sips, media = srtp-optional");
	ok(c && c->tp == CONF_TP_UDP && c->srtp == CONF_SRTP_OFF && !c->sips,
	   "trunk c: the defaults, udp and rtp");
	r = list_ledata(list_head(&conf->routel));
	ok(r && r->ntrunks == 2 && !strcmp(r->trunk_uri[0],
	   "sip:${number}@pbx.example.net:5061;transport=tls") &&
	   !strcmp(r->trunk_uri[1], "sips:${number}@192.0.2.10"),
	   "route URIs: ;transport=tls, and sips: (%s, %s)",
	   r ? r->trunk_uri[0] : "", r && r->ntrunks > 1 ?
	   r->trunk_uri[1] : "");
	mem_deref(conf);
}

/* each rule, with the key it names */
static void test_rules(void)
{
	static const struct {
		const char *txt;
		const char *key;
		const char *msg;
	} rows[] = {
		{SPAN "[sip]\nlisten = tls:127.0.0.1:5061\n",
		 "tls_certificate", "needs our certificate"},
		{SPAN "[sip]\nlisten = tls:127.0.0.1:5061\n"
		 "tls_certificate = c.pem\n", "tls_key", "and its key"},
		{SPAN "[trunk a]\nhost = 192.0.2.1\ntransport = tls\n",
		 "transport", "needs a tls: address"},
		{SPAN "[trunk a]\nhost = 192.0.2.1\nsips = yes\n",
		 "sips", "need transport = tls"},
		{SPAN "[sip]\ntls_ca = ", "tls_ca", "empty path"},
	};
	struct conf_err err;
	struct conf *conf;
	int e;

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		conf = parse(rows[i].txt, &err, &e);
		ok(e && !conf && !strcmp(err.key, rows[i].key) &&
		   strstr(err.msg, rows[i].msg), "refused, key \"%s\": %s",
		   rows[i].key, err.msg);
		mem_deref(conf);
	}
}

int main(void)
{
	test_keys();
	test_rules();
	return tap_done();
}
