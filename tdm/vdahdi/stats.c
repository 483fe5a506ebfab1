/*
 * Request counters.  Every FUSE request a channel costs is a round trip
 * between its process and vdahdi (about 10 us of each side's CPU here),
 * so the counters say what one channel-frame costs: a span's B-channel
 * requests over the blocks its B-channels read.  The status file prints
 * them, e.g.
 *   requests span 2 read=500 read_empty=3 write=500 poll=0 ioctl=12
 *            notify=0 blocks=500
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vdahdi.h"

struct vd_rqstat *vd_stats_of(struct vdahdi *vd, const struct vd_file *f)
{
	const struct vd_chan *ch = f->chan;

	if (f->kind != VD_CHANNEL || !ch || !ch->span)
		return &vd->orq;
	return vd_chan_is_dchan(ch) ? &vd->drq : &ch->span->brq;
}

void vd_stats_count(struct vdahdi *vd, const struct vd_file *f,
		    enum vd_rq_op op)
{
	vd_stats_of(vd, f)->rq[op]++;
}

static void rq_print(FILE *fp, const char *what, const struct vd_rqstat *s)
{
	const uint64_t *rq = s->rq;

	fprintf(fp, "requests %s read=%llu read_empty=%llu write=%llu "
		"poll=%llu ioctl=%llu notify=%llu blocks=%llu\n", what,
		(unsigned long long)rq[VD_RQ_READ],
		(unsigned long long)rq[VD_RQ_READ_EMPTY],
		(unsigned long long)rq[VD_RQ_WRITE],
		(unsigned long long)rq[VD_RQ_POLL],
		(unsigned long long)rq[VD_RQ_IOCTL],
		(unsigned long long)rq[VD_RQ_NOTIFY],
		(unsigned long long)s->blocks);
}

void vd_stats_print(const struct vdahdi *vd, FILE *fp)
{
	char what[16];

	for (int s = 0; s < vd->nspans; s++) {
		snprintf(what, sizeof(what), "span %d", vd->spans[s].spanno);
		rq_print(fp, what, &vd->spans[s].brq);
	}
	rq_print(fp, "dchan", &vd->drq);
	rq_print(fp, "other", &vd->orq);
}
