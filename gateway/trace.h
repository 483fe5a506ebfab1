/*
 * gateway/trace.c: protocol traces on demand, as pcap files in
 * [general] trace_dir (sipri.conf(5)):
 *   span-N.pcap       the Q.921/Q.931 frames of span N's D-channel
 *                     ([span N] trace = yes), LINKTYPE_LINUX_LAPD;
 *   trunk-NAME.pcap   the SIP messages to and from trunk NAME's sources
 *                     ([trunk NAME] trace = yes), as IP packets with
 *                     their real addresses and ports.
 * Files are appended to, so a trace turned off and on again goes on in
 * the same file.  A write error is logged and ends that trace; calls go
 * on.  The configuration sets them at start and on SIGHUP; gwtrace_span()
 * and gwtrace_trunk() turn one on or off by hand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_TRACE_H
#define SIPRI_GATEWAY_TRACE_H

#include <stdbool.h>

struct gw;
struct conf;
struct gwtrace;

int  gwtrace_alloc(struct gwtrace **tp, struct gw *gw);
/* the traces conf asks for; the others end */
void gwtrace_apply(struct gwtrace *t, const struct conf *conf);
int  gwtrace_span(struct gwtrace *t, unsigned spanno, bool on);
int  gwtrace_trunk(struct gwtrace *t, const char *name, bool on);

#endif
