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
 * The media path only counts packets; the watch looks at the count four
 * times per rtp_timeout, so a silent peer is cleared between rtp_timeout
 * and 1.25 times it after its last packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sip/sip_int.h"

enum {
	CAUSE_TEMPORARY_FAILURE = 41,   /* Q.850 */
	WATCH_LOOKS = 4,                /* per rtp_timeout */
};

/* libre keeps both directions from our side: we receive when both allow */
static bool peer_sends(const struct sipleg *leg)
{
	return leg->sdpm && leg->sdp_done &&
		(sdp_media_dir(leg->sdpm) & SDP_RECVONLY) &&
		!sa_is_any(sdp_media_raddr(leg->sdpm));
}

static void watch_handler(void *arg)
{
	struct sipleg *leg = arg;
	uint64_t limit = (uint64_t)leg->ua->conf.rtp_timeout * 1000;
	uint64_t now = tmr_jiffies(), idle;

	if (leg->state != LEG_CONFIRMED || !limit)
		return;
	/* packets came since the last look; or held or one-way: not
	 * watched */
	if (leg->rtp_pkts != leg->rtp_seen || !peer_sends(leg)) {
		leg->rtp_seen = leg->rtp_pkts;
		leg->rtp_rx = now;
	}
	idle = now - leg->rtp_rx;
	if (idle < limit) {
		timer_start(&leg->tmr_rtp, limit / WATCH_LOOKS, watch_handler,
			    leg);
		return;
	}
	sipleg_log(leg, LOG_LVL_WARN, "no RTP from the peer for %llu ms: "
		   "clearing (cause %d)", (unsigned long long)idle,
		   CAUSE_TEMPORARY_FAILURE);
	sipleg_disconnect(leg, CAUSE_TEMPORARY_FAILURE, CC_LOC_PRIV_LOCAL);
	(void)sipleg_bye(leg, CAUSE_TEMPORARY_FAILURE);
}

/* the dialog is confirmed: watch the peer's RTP from now */
void sipwatch_start(struct sipleg *leg)
{
	if (!leg->ua->conf.rtp_timeout)
		return;
	leg->rtp_seen = leg->rtp_pkts;
	leg->rtp_rx = tmr_jiffies();
	timer_start(&leg->tmr_rtp, (uint64_t)leg->ua->conf.rtp_timeout * 1000 /
		    WATCH_LOOKS, watch_handler, leg);
}
