/*
 * Overlap dialling, the gateway's part.
 *
 * PRI -> SIP: the span collects digits (tdm/leg.c) until Sending
 * Complete, '#', T302, or the number-length rule here: the first
 * pri-to-sip route that matches the number so far says it is complete
 * at its max_length (route_number_complete()).  Only then is the call
 * routed and the INVITE sent, with the whole number.
 *
 * SIP -> PRI: a route with overlap = yes sends the first overlap_digits
 * digits of the called number in a SETUP without Sending Complete, and
 * the rest as one INFORMATION per digit once the network has sent SETUP
 * ACKNOWLEDGE (Q.931 §5.1.3).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "common/sipuser.h"
#include "gateway/gw.h"
#include "gateway/route/number.h"
#include "gateway/route/route.h"

/*
 * Routes see the called number in its SIP form (sipri.conf(5)).  A
 * number that has outgrown that form is complete: offered now, the call
 * is refused with cause 28 (gw.c) instead of waiting for T302.
 */
bool gw_number_complete(const struct cc_party *called, void *arg)
{
	struct gw *gw = arg;
	char user[CC_NUMLEN + 1];
	struct cc_party sip;

	if (number_to_sip(&gw->conf->num, called, &sip) ||
	    sipuser_text(user, sizeof(user), &sip))
		return true;
	return route_number_complete(&gw->conf->routel, user);
}

void gw_overlap_setup(struct gw_call *gc, const struct cc_msg *setup,
		      unsigned ndigits)
{
	struct call *call = mem_ref(gc->call);
	struct cc_msg out = *setup, info;
	size_t len = strlen(setup->called.number);

	if (ndigits > len)
		ndigits = (unsigned)len;
	out.called.number[ndigits] = '\0';
	out.sending_complete = false;
	call_log(call, LOG_LVL_INFO, "overlap sending: %u of %zu digits in "
		 "the SETUP", ndigits, len);
	call_input(call, SIDE_A, &out);
	if (ndigits < len && call_state(call) != CALL_RELEASING &&
	    call_state(call) != CALL_DONE) {
		cc_msg_init(&info, CC_INFO);
		str_ncpy(info.digits, setup->called.number + ndigits,
			 sizeof(info.digits));
		call_input(call, SIDE_A, &info);
	}
	mem_deref(call);
}
