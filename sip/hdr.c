/*
 * sip/hdr.c: the headers that carry the ISDN information:
 * Reason (RFC 3326), P-Asserted-Identity and Privacy (RFC 3325/3323),
 * Diversion (RFC 5806).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <string.h>
#include "common/sipuser.h"
#include "sip/sip_int.h"

bool siphdr_isdigits(const struct pl *pl)
{
	size_t i;

	if (!pl || !pl->l)
		return false;
	for (i = 0; i < pl->l; i++)
		if (!isdigit((unsigned char)pl->p[i]))
			return false;
	return true;
}

/* RFC 3326 §2: reason-value = protocol *(SEMI reason-params);
 * the protocol Q.850 carries cause=N, a Q.850 cause value 1..127 */
static int reason_value_cause(const struct pl *val)
{
	struct pl proto, params, cause;

	if (re_regex(val->p, val->l, "[ \t]*[^ \t;]+[ \t]*[^]*",
		     NULL, &proto, NULL, &params))
		return 0;
	if (pl_strcasecmp(&proto, "Q.850"))
		return 0;
	if (msg_param_decode(&params, "cause", &cause))
		return 0;
	if (!siphdr_isdigits(&cause) || cause.l > 3)
		return 0;
	if (pl_u32(&cause) < 1 || pl_u32(&cause) > 127)
		return 0;
	return (int)pl_u32(&cause);
}

/* a header value may hold several comma-separated reason-values */
int siphdr_reason_raw(const struct pl *val)
{
	struct pl rest = *val;

	while (rest.l) {
		struct pl one = rest;
		const char *comma = NULL;
		bool quoted = false;
		size_t i;
		int cause;

		for (i = 0; i < rest.l; i++) {
			if (rest.p[i] == '"')
				quoted = !quoted;
			else if (rest.p[i] == ',' && !quoted) {
				comma = rest.p + i;
				break;
			}
		}
		if (comma)
			one.l = comma - rest.p;
		cause = reason_value_cause(&one);
		if (cause)
			return cause;
		if (!comma)
			break;
		pl_advance(&rest, one.l + 1);
	}
	return 0;
}

static bool reason_handler(const struct sip_hdr *hdr,
			   const struct sip_msg *msg, void *arg)
{
	int *cause = arg;
	(void)msg;

	*cause = siphdr_reason_raw(&hdr->val);
	return *cause != 0;
}

/* the Q.850 cause of the message's Reason header; 0 if none */
int siphdr_reason_cause(const struct sip_msg *msg)
{
	int cause = 0;

	if (!msg)
		return 0;
	(void)sip_msg_hdr_apply(msg, true, SIP_HDR_REASON, reason_handler,
				&cause);
	return cause;
}

/*
 * A telephone number from a URI user part: digits with an optional
 * leading '+' and RFC 3966 visual separators.  Anything else ("sipp",
 * "anonymous") gives no number, which is not an error (doc/ARCHITECTURE,
 * facts).
 */
static void number_from_pl(struct cc_party *party, const struct pl *user)
{
	size_t i, n = 0;
	bool plus = false;

	memset(party->number, 0, sizeof(party->number));
	party->ton = CC_TON_UNKNOWN;
	party->npi = CC_NPI_UNKNOWN;
	for (i = 0; i < user->l; i++) {
		char c = user->p[i];

		if (c == ';')   /* user parameters, e.g. ;phone-context */
			break;
		if (i == 0 && c == '+') {
			plus = true;
			continue;
		}
		if (c == '-' || c == '.' || c == '(' || c == ')')
			continue;
		if (!isdigit((unsigned char)c) || n + 1 >= CC_NUMLEN) {
			party->number[0] = '\0';
			return;
		}
		party->number[n++] = c;
	}
	party->number[n] = '\0';
	if (plus && n) {
		party->ton = CC_TON_INTERNATIONAL;
		party->npi = CC_NPI_E164;
	}
	else if (n) {
		party->npi = CC_NPI_E164;
	}
}

void siphdr_user_number(struct cc_party *party, const struct uri *uri)
{
	number_from_pl(party, &uri->user);
}

/* sip:, sips: or tel: (RFC 3966) name-addr or addr-spec */
static bool party_from_hdr(struct cc_party *party, const struct pl *val)
{
	struct sip_addr addr;
	struct pl num;

	if (sip_addr_decode(&addr, val))
		return false;
	if (!re_regex(addr.auri.p, addr.auri.l, "tel:[^;]+", &num)) {
		number_from_pl(party, &num);
		return true;
	}
	number_from_pl(party, &addr.uri.user);
	return true;
}

bool siphdr_privacy(const struct sip_msg *msg)
{
	/* RFC 3323 §4.2: id (RFC 3325 §7), header and user hide identity */
	return sip_msg_hdr_has_value(msg, SIP_HDR_PRIVACY, "id") ||
		sip_msg_hdr_has_value(msg, SIP_HDR_PRIVACY, "header") ||
		sip_msg_hdr_has_value(msg, SIP_HDR_PRIVACY, "user");
}

/* RFC 5806 §4 diversion-reason -> Q.931 §4.5.14 reason for redirection */
static int diversion_reason(const struct pl *params)
{
	static const struct { const char *name; int q931; } map[] = {
		{"unknown", 0}, {"user-busy", 1}, {"no-answer", 2},
		{"unavailable", 9}, {"out-of-service", 9},
		{"deflection", 10}, {"unconditional", 15},
	};
	struct pl reason;
	size_t i;

	if (msg_param_decode(params, "reason", &reason))
		return 0;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (!pl_strcasecmp(&reason, map[i].name))
			return map[i].q931;
	return 0;
}

static void diversion(struct cc_msg *setup, const struct sip_msg *msg)
{
	const struct sip_hdr *hdr = sip_msg_xhdr(msg, "Diversion");
	struct sip_addr addr;
	struct pl first;
	const char *comma;

	if (!hdr)
		return;
	/* the first value is the most recent diversion (RFC 5806 §4) */
	first = hdr->val;
	comma = pl_strchr(&first, ',');
	if (comma && !pl_strchr(&first, '<'))
		first.l = comma - first.p;
	if (sip_addr_decode(&addr, &first))
		return;
	number_from_pl(&setup->redirecting, &addr.uri.user);
	setup->redirect_reason = diversion_reason(&addr.params);
}

/*
 * SETUP parties from an INVITE: called = Request-URI user; calling =
 * P-Asserted-Identity, else From (RFC 3325 §9.1, RFC 3398 §7.1);
 * Privacy: id -> presentation restricted; Diversion -> redirecting.
 * P-Asserted-Identity and Privacy count only from a trusted peer (RFC
 * 3325 §4 and §5: an element outside the trust domain may not assert an
 * identity); from others they are dropped and From alone names the
 * caller.
 */
void siphdr_parties(struct cc_msg *setup, const struct sip_msg *msg,
		    bool trusted)
{
	const struct sip_hdr *pai;
	bool privacy = siphdr_privacy(msg);

	siphdr_user_number(&setup->called, &msg->uri);
	pai = sip_msg_hdr(msg, SIP_HDR_P_ASSERTED_IDENTITY);
	if (pai && !trusted) {
		char v[LOG_TEXT_LEN(128)];

		sip_log(LOG_LVL_DEBUG, "sip: P-Asserted-Identity from "
			"untrusted %J dropped: %s", &msg->src,
			log_text(v, sizeof(v), pai->val.p, pai->val.l));
		pai = NULL;
	}
	if (!pai || !party_from_hdr(&setup->calling, &pai->val))
		number_from_pl(&setup->calling, &msg->from.uri.user);
	if ((trusted && privacy) ||
	    !pl_strcasecmp(&msg->from.uri.host, "anonymous.invalid"))
		setup->calling.pres = CC_PRES_RESTRICTED;
	/* whoever sent it, the wish is kept in our log (sipri.conf(5)) */
	setup->hide_calling = setup->calling.pres == CC_PRES_RESTRICTED ||
		privacy;
	if (pai)
		setup->calling.screen = 3;   /* network provided */
	diversion(setup, msg);
	setup->sending_complete = true;
}

/* %H: a party as a URI user part, by the one writer (sipuser.h) */
static int print_number(struct re_printf *pf, const struct cc_party *p)
{
	char user[SIPUSER_LEN];
	int err;

	err = sipuser_write(user, sizeof(user), p);
	return err ? err : re_hprintf(pf, "%s", user);
}

/*
 * The identity headers of an outgoing INVITE (RFC 3325 §9.1, RFC 3323,
 * RFC 5806); From itself is written by the dialog.
 */
int siphdr_print_identity_h(struct re_printf *pf, void *arg)
{
	const struct siphdr_ident *id = arg;
	const struct cc_msg *setup = id->setup;
	const char *host = id->host;
	int err = 0;

	if (setup->calling.number[0])
		err |= re_hprintf(pf, "P-Asserted-Identity: <sip:%H@%s>\r\n",
				  print_number, &setup->calling, host);
	if (setup->calling.pres == CC_PRES_RESTRICTED)
		err |= re_hprintf(pf, "Privacy: id\r\n");
	if (setup->redirecting.number[0]) {
		static const char *const rs[16] = {
			[0] = "unknown", [1] = "user-busy", [2] = "no-answer",
			[9] = "unavailable", [10] = "deflection",
			[15] = "unconditional",
		};
		int r = setup->redirect_reason;
		const char *reason = (r >= 0 && r < 16 && rs[r]) ?
			rs[r] : "unknown";

		err |= re_hprintf(pf, "Diversion: <sip:%H@%s>;reason=%s"
				  ";counter=1\r\n",
				  print_number, &setup->redirecting, host,
				  reason);
	}
	return err;
}

bool siphdr_is_sdp(const struct sip_msg *msg)
{
	return mbuf_get_left(msg->mb) > 0 &&
		msg_ctype_cmp(&msg->ctyp, "application", "sdp");
}

/*
 * Option tags (RFC 3261 §19.2, §8.2.2.3).  The extensions sipri knows:
 * a Require naming any other one gets 420.  Add new ones here and in
 * siphdr_supported().
 */
bool siphdr_option_known(const struct pl *tag)
{
	static const char *const known[] = {
		"100rel",   /* RFC 3262 */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (!pl_strcasecmp(tag, known[i]))
			return true;
	return false;
}

/* a Supported or Require header (comma lists too) names the tag */
bool siphdr_has_option(const struct sip_msg *msg, enum sip_hdrid id,
		       const char *tag)
{
	return sip_msg_hdr_has_value(msg, id, tag);
}

/* %H: a leg's Supported header: 100rel by its peer's policy, timer when
 * its session timer is on; arg: the struct sipleg */
int siphdr_leg_supported(struct re_printf *pf, void *arg)
{
	const struct sipleg *leg = arg;
	struct siphdr_sup sup = {leg->rel.policy != SIPUA_100REL_DISABLED,
				 sipst_on(leg)};

	return siphdr_supported(pf, &sup);
}

/* %H: our Supported header (RFC 3261 §20.37); arg: struct siphdr_sup */
int siphdr_supported(struct re_printf *pf, void *arg)
{
	const struct siphdr_sup *sup = arg;
	bool rel100 = sup && sup->rel100, timer = sup && sup->timer;

	return re_hprintf(pf, "Supported: %s%s%s\r\n",
			  rel100 ? "100rel" : "",
			  rel100 && timer ? ", " : "",
			  timer ? "timer" : "");
}
