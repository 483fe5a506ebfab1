/*
 * Default cause mapping tables.  Every row of RFC 3398 §7.2.4.1 and
 * §8.2.6.1 is here, in the RFC's order; rows where the RFC gives no
 * single value are marked and explained.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gateway/route/cause.h"

/* RFC 3398 §7.2.4.1: ISUP (Q.850) cause value -> SIP response */
static const struct cause_row c2s[] = {
	/* Normal event */
	{   1, 404 },  /* unallocated number */
	{   2, 404 },  /* no route to network */
	{   3, 404 },  /* no route to destination */
	{  16, 487 },  /* normal call clearing: RFC 3398 "(*) usually BYE
			* or CANCEL"; as a final response before answer
			* (we are UAS) the INVITE gets 487: it was cancelled */
	{  17, 486 },  /* user busy */
	{  18, 408 },  /* no user responding */
	{  19, 480 },  /* no answer from the user */
	{  20, 480 },  /* subscriber absent */
	{  21, 403 },  /* call rejected; "(+)" 603 when the cause location
			* is user: see cause_to_status() */
	{  22, 410 },  /* number changed (w/o diagnostic); the 301 "with
			* diagnostic" row needs a diagnostic cc.h lacks */
	{  23, 410 },  /* redirection to new destination */
	{  26, 404 },  /* non-selected user clearing ("(=)" ANSI) */
	{  27, 502 },  /* destination out of order */
	{  28, 484 },  /* address incomplete */
	{  29, 501 },  /* facility rejected */
	{  31, 480 },  /* normal, unspecified */
	/* Resource unavailable */
	{  34, 503 },  /* no circuit available */
	{  38, 503 },  /* network out of order */
	{  41, 503 },  /* temporary failure */
	{  42, 503 },  /* switching equipment congestion */
	{  47, 503 },  /* resource unavailable */
	/* Service or option not available */
	{  55, 403 },  /* incoming calls barred within CUG */
	{  57, 403 },  /* bearer capability not authorized */
	{  58, 503 },  /* bearer capability not presently available */
	/* Service or option not implemented */
	{  65, 488 },  /* bearer capability not implemented */
	{  70, 488 },  /* only restricted digital information available */
	{  79, 501 },  /* service or option not implemented */
	/* Invalid message */
	{  87, 403 },  /* user not member of CUG */
	{  88, 503 },  /* incompatible destination */
	/* Protocol error */
	{ 102, 504 },  /* recovery on timer expiry */
	{ 111, 500 },  /* protocol error, unspecified */
	/* Interworking */
	{ 127, 500 },  /* interworking, unspecified */
};

/* RFC 3398 §8.2.6.1: SIP response -> ISUP (Q.850) cause value */
#define S2C(status, cause) { (cause), (status) }

static const struct cause_row s2c[] = {
	S2C(400,  41),  /* Bad Request: temporary failure */
	S2C(401,  21),  /* Unauthorized: call rejected (*) */
	S2C(402,  21),  /* Payment required: call rejected */
	S2C(403,  21),  /* Forbidden: call rejected */
	S2C(404,   1),  /* Not Found: unallocated number */
	S2C(405,  63),  /* Method not allowed: service/option unavailable */
	S2C(406,  79),  /* Not acceptable: service/option not implemented */
	S2C(407,  21),  /* Proxy authentication required: call rejected */
	S2C(408, 102),  /* Request timeout: recovery on timer expiry */
	S2C(410,  22),  /* Gone: number changed (w/o diagnostic) */
	S2C(413, 127),  /* Request Entity too long: interworking */
	S2C(414, 127),  /* Request-URI too long: interworking */
	S2C(415,  79),  /* Unsupported media type: not implemented */
	S2C(416, 127),  /* Unsupported URI Scheme: interworking */
	S2C(420, 127),  /* Bad extension: interworking */
	S2C(421, 127),  /* Extension Required: interworking */
	S2C(423, 127),  /* Interval Too Brief: interworking */
	S2C(480,  18),  /* Temporarily unavailable: no user responding */
	S2C(481,  41),  /* Call/Transaction Does not Exist: temp. failure */
	S2C(482,  25),  /* Loop Detected: exchange routing error */
	S2C(483,  25),  /* Too many hops: exchange routing error */
	S2C(484,  28),  /* Address incomplete: invalid number format */
	S2C(485,   1),  /* Ambiguous: unallocated number */
	S2C(486,  17),  /* Busy here: user busy */
	S2C(487,  16),  /* Request Terminated: RFC 3398 gives no mapping.
			* A 487 answers our own CANCEL, i.e. the ISDN side
			* cleared first: normal call clearing */
	S2C(488,  65),  /* Not Acceptable here: RFC 3398 takes the cause
			* from the Warning header; without one we use 65,
			* the cause §7.2.4.1 maps to 488 (as Q.1912.5) */
	S2C(500,  41),  /* Server internal error: temporary failure */
	S2C(501,  79),  /* Not implemented: not implemented, unspecified */
	S2C(502,  38),  /* Bad gateway: network out of order */
	S2C(503,  41),  /* Service unavailable: temporary failure */
	S2C(504, 102),  /* Server time-out: recovery on timer expiry */
	S2C(505, 127),  /* Version Not Supported (the RFC misprints it as
			* a second 504): interworking */
	S2C(513, 127),  /* Message Too Large: interworking */
	S2C(600,  17),  /* Busy everywhere: user busy */
	S2C(603,  21),  /* Decline: call rejected */
	S2C(604,   1),  /* Does not exist anywhere: unallocated number */
	S2C(606,  65),  /* Not acceptable: by Warning header, as 488 */
};

const struct cause_row *cause_table_c2s(size_t *n)
{
	*n = sizeof(c2s) / sizeof(c2s[0]);
	return c2s;
}

const struct cause_row *cause_table_s2c(size_t *n)
{
	*n = sizeof(s2c) / sizeof(s2c[0]);
	return s2c;
}
