/*
 * sip/census.c: what the SIP side holds right now, for the stats line
 * sipri logs on SIGUSR1 (gateway/main.c): its legs, live or releasing,
 * and libre's transactions, lingering ones included.
 *
 * libre 1.1.0 exports no count of its transactions.  sip_debug() prints
 * them, one indented line per transaction under "client transactions:"
 * and "server transactions:" (after "transports:" and "connections:"),
 * and that is what is counted here: libre's own tables, with the
 * transactions that linger after their final response (Timers D, J, K
 * and L of RFC 3261 §17 and RFC 6026, 64*T1 at most), which a count of
 * our own requests would miss.  The text is made only when asked for,
 * never on a call's path.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

/* the indented entries of sip_debug()'s transaction sections */
static unsigned transactions_count(const char *text)
{
	bool in_trans = false;
	unsigned n = 0;

	while (*text) {
		size_t len = strcspn(text, "\n");

		if (len >= 2 && text[0] == ' ' && text[1] == ' ')
			n += in_trans;
		else if (len)   /* a section's header, e.g. "connections:" */
			in_trans = len >= 13 &&
				!strncmp(text + len - 13, "transactions:", 13);
		text += len;
		if (*text == '\n')
			text++;
	}
	return n;
}

int sipcensus_take(const struct sipua *ua, struct sipcensus *c)
{
	char *text = NULL;
	int err;

	if (!ua || !c)
		return EINVAL;
	memset(c, 0, sizeof(*c));
	c->legs = list_count(&ua->legl);
	err = re_sdprintf(&text, "%H", sip_debug, ua->sip);
	if (err)
		return err;
	c->transactions = transactions_count(text);
	mem_deref(text);
	return 0;
}
