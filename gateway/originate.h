/*
 * gateway/originate.c: sipri-ctl originate SPAN NUMBER [tone], a test
 * call out of a span with no SIP leg, as a line tester makes one.  Once
 * answered, the B-channel carries 1004 Hz at -10 dBm0 (with "tone") or
 * silence for two seconds while a tone meter (common/tonemeter.h)
 * measures what comes back; then sipri clears with cause 16 and the
 * client hears what happened: the answer time, the channel, the
 * frequency, level and gaps of what came back, the cause and who
 * cleared.  A call refused, or not answered within 30 s, is an error
 * with its cause.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_ORIGINATE_H
#define SIPRI_GATEWAY_ORIGINATE_H

#include <stdbool.h>

struct gw;
struct gw_span;
struct ctl_later;

/* ENOTCONN: the span is down; EBUSY: no free B-channel */
int  originate_start(struct gw *gw, struct gw_span *span, const char *number,
		     bool tone, bool json, struct ctl_later *later);
/* every test call ends now (shutdown), its client told so */
void originate_flush(struct gw *gw);

#endif
