/*
 * sip/rtpwatch.c: a call whose peer has stopped sending media is cleared.
 *
 * Once the dialog is confirmed, a peer that should be sending us RTP (its
 * direction is sendrecv or sendonly, RFC 3264 §6.1) and sends nothing for
 * sipua_conf.rtp_timeout seconds is taken as gone, like an RTP session
 * member that times out (RFC 3550 §6.3.5): the call clears with cause 41
 * (temporary failure) to the core and a BYE with Reason: Q.850;cause=41
 * to the peer.  A held or one-way call, where the peer sends nothing by
 * agreement (recvonly or inactive), is not watched; the count starts
 * again when it resumes.  Any packet from the peer's source counts
 * (rtpguard.c), whatever its payload type: comfort noise is life too.
 * The RTP session counts packets and looks at the count four times per
 * rtp_timeout (sip/rtp.c, on the media plane), so a silent peer is
 * cleared between rtp_timeout and 1.25 times it after its last packet;
 * here the leg says when to watch (the media description's watch_ms)
 * and clears the call when told.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sip/sip_int.h"

enum { CAUSE_TEMPORARY_FAILURE = 41 };   /* Q.850 */

/* libre keeps both directions from our side: we receive when both allow */
static bool peer_sends(const struct sipleg *leg)
{
	return leg->sdpm && leg->sdp_done &&
		(sdp_media_dir(leg->sdpm) & SDP_RECVONLY) &&
		!sa_is_any(sdp_media_raddr(leg->sdpm));
}

/* the watch while the dialog is confirmed and the peer should send */
uint32_t sipwatch_ms(const struct sipleg *leg)
{
	if (leg->state != LEG_CONFIRMED || !peer_sends(leg))
		return 0;
	return leg->ua->conf.rtp_timeout * 1000;
}

void sipwatch_expired(struct sipleg *leg, uint64_t idle_ms)
{
	if (leg->state != LEG_CONFIRMED)
		return;
	sipleg_log(leg, LOG_LVL_WARN, "no RTP from the peer for %llu ms: "
		   "clearing (cause %d)", (unsigned long long)idle_ms,
		   CAUSE_TEMPORARY_FAILURE);
	sipleg_disconnect(leg, CAUSE_TEMPORARY_FAILURE, CC_LOC_PRIV_LOCAL);
	(void)sipleg_bye(leg, CAUSE_TEMPORARY_FAILURE);
}
