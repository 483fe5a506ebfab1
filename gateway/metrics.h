/*
 * gateway/metrics.c: Prometheus metrics, the text exposition format
 * (version 0.0.4) over HTTP at [metrics] listen (the loopback profile:
 * 127.0.0.1:9580), GET /metrics.  Gauges are read from the spans, calls
 * and trunks when scraped; counters grow as call attempts end
 * (metrics_call, from their struct acct).  sipri.conf(5) lists them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_METRICS_H
#define SIPRI_GATEWAY_METRICS_H

#include <stdbool.h>
#include <re.h>

struct gw;
struct conf;
struct acct;
struct metrics;

int  metrics_alloc(struct metrics **mp, struct gw *gw);
/* listen where conf says (again when it changed); none: no server */
void metrics_apply(struct metrics *m, const struct conf *conf);
/* a call attempt ended; refused: before it became a call */
void metrics_call(struct metrics *m, const struct acct *a, bool refused);
int  metrics_print(struct re_printf *pf, const struct metrics *m);

#endif
