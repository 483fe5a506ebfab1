/*
 * [sip] addresses for real networks (gateway/config/conf_addr.c,
 * sipri.conf(5) ADDRESSES): advertise, external, local_nets and rtp_bind
 * parse, default, show in the dump, and refuse what cannot work - a
 * wildcard to advertise, a port, a name, a network with host bits.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "gateway/config/conf.h"
#include "tests/tap.h"

static const char head[] = "[span 1]\ndchan=16\nbchan=1-15\n[sip]\n";

static struct conf *parse(const char *sip, struct conf_err *err)
{
	char txt[1024];
	struct conf *conf = NULL;

	snprintf(txt, sizeof(txt), "%s%s", head, sip);
	if (conf_parse(&conf, "mem.conf", txt, strlen(txt), err))
		return NULL;
	return conf;
}

static bool addr_is(const struct sa *sa, const char *want)
{
	struct sa w;

	return !sa_set_str(&w, want, 0) && sa_cmp(sa, &w, SA_ADDR);
}

static bool net_is(const struct conf_source *n, const char *addr,
		   unsigned prefix)
{
	return addr_is(&n->addr, addr) && n->prefix == prefix &&
		!sa_port(&n->addr) && n->tp < 0;
}

static void test_set(void)
{
	struct conf_err err;
	struct conf *conf = parse("advertise = 192.0.2.1\n"
				  "external = [2001:db8::5]\n"
				  "local_nets = 192.0.2.0/24, [fd00::]/8, "
				  "198.51.100.7\n"
				  "rtp_bind = 0.0.0.0\n", &err);
	const struct conf_sip *s = conf ? &conf->sip : NULL;
	char dump[4096] = "";

	ok(conf, "the four keys parse: %s", conf ? "" : err.msg);
	if (!conf)
		return;
	ok(addr_is(&s->advertise, "192.0.2.1"), "advertise 192.0.2.1");
	ok(addr_is(&s->external, "2001:db8::5"), "external [2001:db8::5]");
	ok(sa_af(&s->rtp_bind) == AF_INET && sa_is_any(&s->rtp_bind),
	   "rtp_bind may be the wildcard");
	ok(s->nnets == 3 && net_is(&s->nets[0], "192.0.2.0", 24) &&
	   net_is(&s->nets[1], "fd00::", 8) &&
	   net_is(&s->nets[2], "198.51.100.7", 32),
	   "local_nets: the list replaces the default; no prefix is /32");
	re_snprintf(dump, sizeof(dump), "%H", conf_debug, conf);
	if (!ok(strstr(dump, "advertise: 192.0.2.1\n") &&
		strstr(dump, "external: 2001:db8::5\n") &&
		strstr(dump, "rtp_bind: 0.0.0.0\n") &&
		strstr(dump, "local_net: [fd00::]/8\n"), "the dump shows them"))
		tap_diag("%s", dump);
	mem_deref(conf);
}

static void test_defaults(void)
{
	struct conf_err err;
	struct conf *conf = parse("", &err);
	const struct conf_sip *s = conf ? &conf->sip : NULL;

	ok(conf, "no address key parses");
	if (!conf)
		return;
	ok(!sa_isset(&s->advertise, SA_ADDR) &&
	   !sa_isset(&s->external, SA_ADDR) &&
	   sa_af(&s->rtp_bind) == AF_UNSPEC,
	   "no advertise, external or rtp_bind by default");
	ok(s->nnets == 8 && net_is(&s->nets[0], "10.0.0.0", 8) &&
	   net_is(&s->nets[1], "172.16.0.0", 12) &&
	   net_is(&s->nets[2], "192.168.0.0", 16) &&
	   net_is(&s->nets[3], "127.0.0.0", 8) &&
	   net_is(&s->nets[7], "fe80::", 10),
	   "local_nets default: RFC 1918, loopback, link-local (%u)",
	   s->nnets);
	mem_deref(conf);
}

struct bad {
	const char *sip;
	const char *key;
	const char *msg;    /* NULL: any */
};

static void test_bad(void)
{
	static const struct bad bads[] = {
		{ "advertise = 0.0.0.0\n", "advertise",
		  "mem.conf:5: [sip] key \"advertise\": 0.0.0.0 cannot be "
		  "advertised: give the address peers reach sipri at" },
		{ "external = [::]\n", "external", NULL },
		{ "advertise = sip.example.net\n", "advertise",
		  "mem.conf:5: [sip] key \"advertise\": bad address "
		  "\"sip.example.net\" (expected an IPv4 or IPv6 address, "
		  "no port)" },
		{ "external = 203.0.113.5:5060\n", "external", NULL },
		{ "rtp_bind = any\n", "rtp_bind", NULL },
		{ "local_nets = 10.0.0.0/8:5060\n", "local_nets",
		  "mem.conf:5: [sip] key \"local_nets\": bad network "
		  "\"10.0.0.0/8:5060\" (expected ADDR[/PREFIX], an IPv6 ADDR "
		  "in brackets)" },
		{ "local_nets = 10.0.0.0/8;transport=udp\n", "local_nets",
		  NULL },
		{ "local_nets = 10.1.2.3/8\n", "local_nets",
		  "mem.conf:5: [sip] key \"local_nets\": network "
		  "\"10.1.2.3/8\" has bits set beyond its /8 prefix" },
		{ "local_nets = 10.0.0.0/33\n", "local_nets", NULL },
		{ "local_nets = lan\n", "local_nets", NULL },
		{ "local_nets = 1.0.0.0/8, 2.0.0.0/8, 3.0.0.0/8, 4.0.0.0/8, "
		  "5.0.0.0/8, 6.0.0.0/8, 7.0.0.0/8, 8.0.0.0/8, 9.0.0.0/8, "
		  "10.0.0.0/8, 11.0.0.0/8, 12.0.0.0/8, 13.0.0.0/8, "
		  "14.0.0.0/8, 15.0.0.0/8, 16.0.0.0/8, 17.0.0.0/8\n",
		  "local_nets", "mem.conf:5: [sip] key \"local_nets\": more "
		  "than 16 networks" },
	};

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		struct conf_err err;
		struct conf *conf = parse(b->sip, &err);

		ok(!conf && err.line == 5 && !strcmp(err.key, b->key) &&
		   (!b->msg || !strcmp(err.msg, b->msg)),
		   "bad #%zu refused: %s", i, err.msg);
		mem_deref(conf);
	}
}

int main(void)
{
	test_set();
	test_defaults();
	test_bad();
	return tap_done();
}
