/*
 * Overlap dialling, the digits of a TDM leg (the timers and the call
 * flow stay in leg.c).
 *
 * Receiving (Q.931 §5.2.4): digits from the SETUP and each INFORMATION
 * add to the called number until it is complete.  Sending (Q.931
 * §5.1.3): digits after the SETUP wait for SETUP ACKNOWLEDGE, then go one
 * per INFORMATION.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "tdm/pri/tdmpri.h"
#include "tdm/tdm_int.h"

/*
 * Add digits to the called number.  True when the number is complete:
 * '#' ends the dialling (it is not part of the number), or the gateway's
 * number-length rule (the span's number handler) says so.  Only digits
 * and '*' are kept, as from the SETUP (party.c): the Q.931 §4.5.8 IA5
 * characters of an INFORMATION may be anything, and CR, LF or a letter
 * must never reach a SIP header.
 */
bool tdm_ovl_add(struct tdm_leg *leg, const char *digits)
{
	struct cc_party *called = &leg->setup.called;
	size_t len = strlen(called->number);
	bool end = false;

	for (; *digits && !end; digits++) {
		char c = *digits;

		if (c == '#')
			end = true;
		else if (((c >= '0' && c <= '9') || c == '*') &&
			 len + 1 < sizeof(called->number))
			called->number[len++] = c;
	}
	called->number[len] = '\0';
	return end || (leg->span->numh &&
		       leg->span->numh(called, leg->span->arg));
}

/*
 * After SETUP ACKNOWLEDGE: one INFORMATION per digit.  libpri 1.6's
 * INFORMATION cannot carry Sending Complete: the network ends the number
 * by its own analysis or its T302.
 */
void tdm_ovl_send(struct tdm_leg *leg)
{
	struct pri *pri = prilink_pri(leg->span->link);

	if (!leg->c || !leg->setup_acked || leg->hanging)
		return;
	for (const char *d = leg->ovl_digits; *d; d++)
		(void)pri_information(pri, leg->c, *d);
	leg->ovl_digits[0] = '\0';
	prilink_sched(leg->span->link);
}

/* digits to send before the answer: held until SETUP ACKNOWLEDGE */
int tdm_ovl_queue(struct tdm_leg *leg, const char *digits)
{
	size_t len = strlen(leg->ovl_digits);

	/* Q.931 §5.1.5.1: CALL PROCEEDING ends overlap sending */
	if (leg->proceeding)
		return 0;
	str_ncpy(leg->ovl_digits + len, digits, sizeof(leg->ovl_digits) - len);
	tdm_ovl_send(leg);
	return 0;
}
