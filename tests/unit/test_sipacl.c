/*
 * The SIP side's access list (sip/acl.c), row by row: which peer a
 * request's source (address, port, transport) belongs to, by IPv4 and
 * IPv6 prefixes, ports and transports, the most specific source winning;
 * no peer means no source; and the rate limit of the refusals' log line.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"

enum { ANY = -1 };

/* the peers, in file order: index = the peer sipacl_match returns */
static const struct {
	const char *name;
	struct sipua_source src[3];
} peers[] = {
	{"lan",   {{"10.1.0.0", 16, 0, ANY},
		   {"192.0.2.10", 32, 5060, SIPUA_UDP}}},
	{"host",  {{"10.1.2.3", 32, 0, ANY}}},
	{"v6",    {{"2001:db8::", 32, 0, ANY},
		   {"::1", 128, 5070, SIPUA_TCP}}},
	{"edge",  {{"10.1.2.3", 32, 5080, ANY}}},
	{"tcp",   {{"198.51.100.7", 32, 5060, SIPUA_TCP}}},
	{"udp",   {{"198.51.100.7", 32, 5060, ANY}}},
	{"odd",   {{"172.16.0.0", 12, 0, ANY}}},
	{"tie1",  {{"203.0.113.5", 32, 0, ANY}}},
	{"tie2",  {{"203.0.113.5", 32, 0, ANY}}},
	{"none",  {{"", 0, 0, 0}}},
	{"bad",   {{"bogus", 32, 0, ANY}, {"192.0.2.99", 33, 0, ANY}}},
};

static const struct {
	const char *src;          /* "ip:port" or "[ip6]:port" */
	enum sip_transp tp;
	int peer;
	const char *what;
} rows[] = {
	{"10.1.200.9:1234", SIP_TRANSP_UDP, 0, "inside a /16"},
	{"10.2.0.1:5060", SIP_TRANSP_UDP, -1, "outside every prefix: none"},
	{"10.1.2.3:5060", SIP_TRANSP_TCP, 1, "a /32 beats the /16 it is in"},
	{"10.1.2.3:5080", SIP_TRANSP_UDP, 3, "a /32 with a port beats one "
	 "without"},
	{"192.0.2.10:5060", SIP_TRANSP_UDP, 0, "address, port and transport"},
	{"192.0.2.10:5061", SIP_TRANSP_UDP, -1, "another port: none"},
	{"192.0.2.10:5060", SIP_TRANSP_TCP, -1, "another transport: none"},
	{"[2001:db8:ffff::1]:5060", SIP_TRANSP_UDP, 2, "inside an IPv6 /32"},
	{"[2001:db9::1]:5060", SIP_TRANSP_UDP, -1, "outside it: none"},
	{"[::1]:5070", SIP_TRANSP_TCP, 2, "IPv6 /128, port and transport"},
	{"[::1]:5070", SIP_TRANSP_UDP, -1, "... by UDP: none"},
	{"[::1]:5071", SIP_TRANSP_TCP, -1, "... from another port: none"},
	{"[::ffff:10.1.0.1]:5060", SIP_TRANSP_UDP, 0, "IPv4-mapped IPv6 "
	 "matches the IPv4 list"},
	{"198.51.100.7:5060", SIP_TRANSP_TCP, 4, "a transport is more "
	 "specific"},
	{"198.51.100.7:5060", SIP_TRANSP_UDP, 5, "... and does not match "
	 "another one"},
	{"172.31.255.255:5060", SIP_TRANSP_UDP, 6, "a /12: the last address"},
	{"172.32.0.0:5060", SIP_TRANSP_UDP, -1, "a /12: the next one: none"},
	{"172.15.255.255:5060", SIP_TRANSP_UDP, -1, "a /12: the one before"},
	{"203.0.113.5:5060", SIP_TRANSP_UDP, 7, "a tie: the first peer"},
	{"192.0.2.99:5060", SIP_TRANSP_UDP, -1, "a bad source accepts none"},
	{"127.0.0.1:5060", SIP_TRANSP_UDP, -1, "no peer's: none"},
};

static void conf_make(struct sipua_conf *conf)
{
	size_t i, j;

	memset(conf, 0, sizeof(*conf));
	for (i = 0; i < ARRAY_SIZE(peers); i++) {
		struct sipua_peer *p = &conf->peers[conf->npeers++];

		str_ncpy(p->host, peers[i].name, sizeof(p->host));
		for (j = 0; j < ARRAY_SIZE(peers[i].src); j++)
			if (peers[i].src[j].addr[0])
				p->src[p->nsrc++] = peers[i].src[j];
	}
}

static int match(const struct sipacl *acl, const char *src,
		 enum sip_transp tp)
{
	struct sa sa;

	if (sa_decode(&sa, src, strlen(src)))
		return -2;
	return sipacl_match(acl, &sa, tp);
}

static void test_rows(void)
{
	static struct sipua_conf conf;
	static struct sipacl acl;
	size_t i;

	conf_make(&conf);
	sipacl_build(&acl, &conf);
	ok(acl.n == 11, "the bad sources are left out (%u of 13 built)",
	   acl.n);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		int got = match(&acl, rows[i].src, rows[i].tp);

		ok(got == rows[i].peer, "%s %s: %s (peer %d, want %d)",
		   rows[i].src, sip_transp_name(rows[i].tp), rows[i].what,
		   got, rows[i].peer);
	}
}

/* the default is deny: no peer, or a peer without sources, takes none;
 * a /0 takes every address of its family only */
static void test_deny(void)
{
	static struct sipua_conf conf;
	static struct sipacl acl;
	struct sipua_source all = {"0.0.0.0", 0, 0, ANY};

	memset(&conf, 0, sizeof(conf));
	sipacl_build(&acl, &conf);
	ok(acl.n == 0 && match(&acl, "127.0.0.1:5060", SIP_TRANSP_UDP) == -1,
	   "no peer: 127.0.0.1 is refused");
	ok(match(&acl, "[::1]:5060", SIP_TRANSP_TCP) == -1,
	   "no peer: ::1 is refused");
	str_ncpy(conf.peers[0].host, "out-only", sizeof(conf.peers[0].host));
	conf.npeers = 1;
	sipacl_build(&acl, &conf);
	ok(match(&acl, "127.0.0.1:5060", SIP_TRANSP_UDP) == -1,
	   "a peer without sources: refused");
	conf.peers[0].src[0] = all;
	conf.peers[0].nsrc = 1;
	sipacl_build(&acl, &conf);
	ok(match(&acl, "198.18.7.1:1", SIP_TRANSP_TCP) == 0,
	   "0.0.0.0/0 takes any IPv4 source");
	ok(match(&acl, "[2001:db8::1]:5060", SIP_TRANSP_UDP) == -1,
	   "... and no IPv6 one");
}

/* one line per 10 s, counting the ones left out */
static void test_log_limit(void)
{
	struct sipacl_log rl;
	unsigned n = 99;
	bool due;

	memset(&rl, 0, sizeof(rl));
	due = sipacl_log_due(&rl, 0, &n);
	ok(due && n == 0, "the first refusal is logged (%u before)", n);
	ok(!sipacl_log_due(&rl, 1, &n) && !sipacl_log_due(&rl, 5000, &n) &&
	   !sipacl_log_due(&rl, 9999, &n), "the next ones within 10 s are not");
	due = sipacl_log_due(&rl, 10000, &n);
	ok(due && n == 3, "10 s on, one line again, with the 3 not logged "
	   "(%u)", n);
	ok(!sipacl_log_due(&rl, 10001, &n), "then quiet again");
	due = sipacl_log_due(&rl, 60000, &n);
	ok(due && n == 1, "after a pause: logged, with the 1 left out "
	   "before (%u)", n);
}

int main(void)
{
	libre_init();
	test_rows();
	test_deny();
	test_log_limit();
	libre_close();
	return tap_done();
}
