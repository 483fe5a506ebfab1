/*
 * RFC 4028 negotiation (sip/stimer.c), row by row: what sipri, as the UAS
 * of an INVITE/UPDATE or the UAC reading a 2xx, makes of Session-Expires,
 * Min-SE, Supported/Require: timer and the refresher parameter.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"
#include "tests/tap.h"


enum { SE = 1800, MIN_SE = 90 };

/* a request or response with these extra header lines */
static struct sip_msg *msg_make(bool response, const char *hdrs)
{
	struct sip_msg *msg = NULL;
	struct mbuf *mb = mbuf_alloc(512);

	(void)mbuf_printf(mb, "%s\r\n"
			  "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1\r\n"
			  "From: <sip:a@127.0.0.1>;tag=1\r\n"
			  "To: <sip:b@127.0.0.1>\r\n"
			  "Call-ID: c1\r\n"
			  "CSeq: 1 INVITE\r\n"
			  "%s"
			  "Content-Length: 0\r\n\r\n",
			  response ? "SIP/2.0 200 OK" :
			  "INVITE sip:b@127.0.0.1 SIP/2.0", hdrs);
	mb->pos = 0;
	if (sip_msg_decode(&msg, mb))
		msg = NULL;
	mem_deref(mb);
	return msg;
}

struct uas_row {
	const char *hdrs;
	int status;               /* sipst_request's answer */
	uint32_t se;
	enum sipst_role role;
	const char *what;
};

static const struct uas_row uas_rows[] = {
	{"", 0, 0, SIPST_NONE, "nothing asked, no timer support: no timer"},
	{"Supported: timer\r\n", 0, SE, SIPST_PEER,
	 "§9: UAC supports timer, asked nothing: ours, refresher=uac"},
	{"Supported: timer\r\nSession-Expires: 60\r\n", 422, 0, SIPST_NONE,
	 "§9: below Min-SE from a UAC with timer: 422"},
	{"Session-Expires: 60\r\n", 0, MIN_SE, SIPST_US,
	 "§9: below Min-SE without timer support: raised, we refresh"},
	{"Supported: timer\r\nSession-Expires: 3600;refresher=uas\r\n", 0, SE,
	 SIPST_US, "§9: above ours: reduced; refresher=uas is us"},
	{"Supported: timer\r\nSession-Expires: 3600\r\nMin-SE: 2000\r\n", 0,
	 3600, SIPST_PEER, "§9: not reduced below the request's Min-SE"},
	{"Supported: timer\r\nSession-Expires: 100;refresher=uac\r\n", 0, 100,
	 SIPST_PEER, "refresher=uac: the peer refreshes"},
	{"Require: timer\r\nSession-Expires: 120\r\n", 0, 120, SIPST_PEER,
	 "Require: timer counts as support"},
	{"Session-Expires: soon\r\n", 400, 0, SIPST_NONE,
	 "Session-Expires not delta-seconds: 400"},
	{"Session-Expires: 120;refresher=both\r\n", 400, 0, SIPST_NONE,
	 "refresher neither uac nor uas: 400"},
	{"Session-Expires: 120\r\nMin-SE: x\r\n", 400, 0, SIPST_NONE,
	 "Min-SE not delta-seconds: 400"},
	{"x: 120\r\n", 0, 120, SIPST_US,
	 "the compact form x:, from a UAC without timer: we refresh"},
	{"Supported: timer\r\nSession-Expires: 90\r\n", 0, MIN_SE,
	 SIPST_PEER, "exactly Min-SE is enough"},
	{"Supported: timer\r\nSession-Expires: 86400\r\nMin-SE: 86400\r\n",
	 403, 0, SIPST_NONE, "a Min-SE above max_min_se (7200): 403"},
	{"Supported: timer\r\nSession-Expires: 7200\r\nMin-SE: 7200\r\n",
	 0, 7200, SIPST_PEER, "a Min-SE of exactly max_min_se: taken"},
};

struct uac_row {
	const char *hdrs;
	uint32_t se;
	enum sipst_role role;
	const char *what;
};

static const struct uac_row uac_rows[] = {
	{"Session-Expires: 600;refresher=uac\r\nRequire: timer\r\n", 600,
	 SIPST_US, "§7.2: 2xx refresher=uac: we refresh"},
	{"Session-Expires: 600;refresher=uas\r\nRequire: timer\r\n", 600,
	 SIPST_PEER, "§7.2: 2xx refresher=uas: the peer refreshes"},
	{"", 0, SIPST_NONE, "§7.2: 2xx without Session-Expires: no timer"},
	{"Session-Expires: 600\r\n", 600, SIPST_US,
	 "2xx without refresher (a UAS without timer): we refresh"},
};

static void leg_init(struct sipleg *leg, struct sipua *ua)
{
	memset(leg, 0, sizeof(*leg));
	leg->ua = ua;
	leg->state = LEG_INCOMING;
}

int main(void)
{
	struct sipua ua;
	struct sipleg leg;
	size_t i;

	libre_init();
	memset(&ua, 0, sizeof(ua));
	ua.conf.session_expires = SE;
	ua.conf.min_se = MIN_SE;

	for (i = 0; i < ARRAY_SIZE(uas_rows); i++) {
		const struct uas_row *r = &uas_rows[i];
		struct sip_msg *msg = msg_make(false, r->hdrs);
		int status;

		leg_init(&leg, &ua);
		status = msg ? sipst_request(&leg, msg) : -1;
		ok(status == r->status && (status ||
		   (leg.mod.se == r->se && leg.mod.role == r->role)),
		   "UAS: %s (status %d, se %u, role %d)", r->what, status,
		   leg.mod.se, leg.mod.role);
		mem_deref(msg);
	}
	for (i = 0; i < ARRAY_SIZE(uac_rows); i++) {
		const struct uac_row *r = &uac_rows[i];
		struct sip_msg *msg = msg_make(true, r->hdrs);

		leg_init(&leg, &ua);
		if (msg)
			sipst_response(&leg, msg);
		ok(msg && leg.mod.se == r->se && leg.mod.role == r->role,
		   "UAC: %s (se %u, role %d)", r->what, leg.mod.se,
		   leg.mod.role);
		mem_deref(msg);
	}

	/* §7.4: a 422 raises our interval to its Min-SE, once */
	leg_init(&leg, &ua);
	ua.conf.session_expires = 100;
	{
		struct sip_msg *m422 = msg_make(true, "Min-SE: 120\r\n");

		m422->scode = 422;
		ok(sipst_retry_422(&leg, m422) && leg.mod.se == 120,
		   "§7.4: 422 with Min-SE 120: again with 120");
		ok(!sipst_retry_422(&leg, m422),
		   "§7.4: the same Min-SE again: no second retry");
		mem_deref(m422);
		leg_init(&leg, &ua);
		m422 = msg_make(true, "Min-SE: 7201\r\n");
		m422->scode = 422;
		ok(!sipst_retry_422(&leg, m422) && leg.mod.se == 0,
		   "a 422 asking more than max_min_se (7200): not retried");
		mem_deref(m422);
	}

	/* session_expires 0: timers off, Session-Expires ignored */
	ua.conf.session_expires = 0;
	{
		struct sip_msg *msg = msg_make(false, "Supported: timer\r\n"
					       "Session-Expires: 60\r\n");

		leg_init(&leg, &ua);
		ok(!sipst_request(&leg, msg) && leg.mod.role == SIPST_NONE,
		   "session_expires = 0: no 422, no timer");
		mem_deref(msg);
	}

	libre_close();
	return tap_done();
}
