/*
 * Neutral call-control messages.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "common/cc.h"

static const char *const names[CC_NTYPES] = {
	[CC_SETUP]       = "SETUP",
	[CC_SETUP_ACK]   = "SETUP_ACK",
	[CC_PROCEEDING]  = "PROCEEDING",
	[CC_ALERTING]    = "ALERTING",
	[CC_PROGRESS]    = "PROGRESS",
	[CC_CONNECT]     = "CONNECT",
	[CC_CONNECT_ACK] = "CONNECT_ACK",
	[CC_INFO]        = "INFO",
	[CC_DISCONNECT]  = "DISCONNECT",
	[CC_RELEASE]     = "RELEASE",
	[CC_NOTIFY]      = "NOTIFY",
};

const char *cc_type_name(enum cc_type type)
{
	return (unsigned)type < CC_NTYPES ? names[type] : "?";
}

void cc_msg_init(struct cc_msg *msg, enum cc_type type)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
	msg->redirect_reason = -1;
}
