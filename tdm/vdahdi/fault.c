/*
 * Fault injection through the control file /dev/dahdi/vdahdi.
 *
 * Write one command per line:
 *   cut SPAN          pull the cable of SPAN's pair: both ends go RED
 *   restore SPAN      plug it back in: both ends clear (NOALARM)
 *   badfcs SPAN N     corrupt the FCS of the next N D-channel frames that
 *                     SPAN transmits; the far end drops them (BADFCS)
 * Read it for one status line per span; bopen counts the B-channels
 * open right now, so a test can check that none is left stuck.  Then
 * one "echocan" line per channel whose echo canceller was ever asked
 * for (DAHDI_ECHOCANCEL_PARAMS): the last tap length asked (0: off) and
 * how many requests turned it on and off; the FUSE requests served
 * (stats.c); the clock and the D-channels' line rate.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

static int fault_line(struct vdahdi *vd, const char *line)
{
	char cmd[16];
	int spanno, n = 0, fields;
	struct vd_span *span;

	fields = sscanf(line, "%15s %d %d", cmd, &spanno, &n);
	if (fields < 2)
		return EINVAL;
	span = vd_span_find(vd, spanno);
	if (!span)
		return EINVAL;

	if (!strcmp(cmd, "cut") && fields == 2) {
		span->cable_cut = span->peer->cable_cut = true;
	}
	else if (!strcmp(cmd, "restore") && fields == 2) {
		span->cable_cut = span->peer->cable_cut = false;
	}
	else if (!strcmp(cmd, "badfcs") && fields == 3 && n >= 0) {
		span->badfcs = n;
		return 0;
	}
	else {
		return EINVAL;
	}
	vd_span_update_alarms(span);
	return 0;
}

int vd_fault_write(struct vdahdi *vd, const char *buf, size_t len)
{
	char line[128];
	size_t i = 0;

	while (i < len) {
		size_t n = 0;
		int err;

		while (i < len && buf[i] != '\n') {
			if (n + 1 >= sizeof(line))
				return EINVAL;
			line[n++] = buf[i++];
		}
		i++;
		line[n] = '\0';
		if (!n)
			continue;
		err = fault_line(vd, line);
		if (err)
			return err;
	}
	return 0;
}

static void vd_fault_echocan(const struct vdahdi *vd, FILE *fp)
{
	for (int s = 0; s < vd->nspans; s++) {
		const struct vd_span *span = &vd->spans[s];

		for (int i = 0; i < span->nchans; i++) {
			const struct vd_chan *ch = &span->chans[i];

			if (!ch->ec_on && !ch->ec_off)
				continue;
			fprintf(fp, "echocan span=%d chan=%d taps=%u on=%u "
				"off=%u\n", span->spanno, ch->channo,
				ch->ec_taps, ch->ec_on, ch->ec_off);
		}
	}
}

char *vd_fault_status(struct vdahdi *vd)
{
	char *out = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&out, &size);

	if (!fp)
		return NULL;
	for (int s = 0; s < vd->nspans; s++) {
		const struct vd_span *span = &vd->spans[s];
		int bopen = 0;

		/* a flushed owner has been closed; FUSE releases it later */
		for (int i = 0; i < span->nchans; i++)
			bopen += span->chans[i].owner &&
				!span->chans[i].owner->flushed &&
				!vd_chan_is_dchan(&span->chans[i]);
		fprintf(fp, "span %d %s peer=%d alarms=%s configured=%d "
			"started=%d cable=%s bopen=%d frames_tx=%llu "
			"frames_bad=%llu badfcs_pending=%u\n",
			span->spanno, span->type == VD_E1 ? "E1" : "T1",
			span->peer->spanno, span->alarms ? "RED" : "OK",
			span->configured, span->started,
			span->cable_cut ? "cut" : "ok", bopen,
			(unsigned long long)span->frames_tx,
			(unsigned long long)span->frames_bad, span->badfcs);
	}
	vd_fault_echocan(vd, fp);
	vd_stats_print(vd, fp);
	fprintf(fp, "clock samples=%llu late_ticks=%llu hdlc_kbps=%u\n",
		(unsigned long long)vd->samples,
		(unsigned long long)vd->ticks_late, vd->hdlc_bits);
	fclose(fp);
	return out;
}
