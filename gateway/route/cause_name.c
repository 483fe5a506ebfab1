/*
 * Q.850 §2.2.7 cause value names, for logs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gateway/route/cause.h"

static const char *const names[CAUSE_MAX + 1] = {
	[1]   = "unallocated number",
	[2]   = "no route to specified transit network",
	[3]   = "no route to destination",
	[6]   = "channel unacceptable",
	[7]   = "call awarded, delivered in established channel",
	[16]  = "normal call clearing",
	[17]  = "user busy",
	[18]  = "no user responding",
	[19]  = "no answer from user",
	[20]  = "subscriber absent",
	[21]  = "call rejected",
	[22]  = "number changed",
	[23]  = "redirection to new destination",
	[25]  = "exchange routing error",
	[26]  = "non-selected user clearing",
	[27]  = "destination out of order",
	[28]  = "invalid number format",
	[29]  = "facility rejected",
	[30]  = "response to STATUS ENQUIRY",
	[31]  = "normal, unspecified",
	[34]  = "no circuit/channel available",
	[38]  = "network out of order",
	[41]  = "temporary failure",
	[42]  = "switching equipment congestion",
	[43]  = "access information discarded",
	[44]  = "requested circuit/channel not available",
	[47]  = "resource unavailable, unspecified",
	[50]  = "requested facility not subscribed",
	[55]  = "incoming calls barred within CUG",
	[57]  = "bearer capability not authorized",
	[58]  = "bearer capability not presently available",
	[63]  = "service or option not available, unspecified",
	[65]  = "bearer capability not implemented",
	[66]  = "channel type not implemented",
	[69]  = "requested facility not implemented",
	[70]  = "only restricted digital information available",
	[79]  = "service or option not implemented, unspecified",
	[81]  = "invalid call reference value",
	[82]  = "identified channel does not exist",
	[87]  = "user not member of CUG",
	[88]  = "incompatible destination",
	[91]  = "invalid transit network selection",
	[95]  = "invalid message, unspecified",
	[96]  = "mandatory information element is missing",
	[97]  = "message type non-existent or not implemented",
	[98]  = "message not compatible with call state",
	[99]  = "information element non-existent or not implemented",
	[100] = "invalid information element contents",
	[101] = "message not compatible with call state",
	[102] = "recovery on timer expiry",
	[111] = "protocol error, unspecified",
	[127] = "interworking, unspecified",
};

const char *cause_name(int cause)
{
	if (cause < 0 || cause > CAUSE_MAX || !names[cause])
		return "unknown cause";

	return names[cause];
}
