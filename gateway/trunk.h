/*
 * Trunk state: OPTIONS pings to each [trunk] with options > 0, and the
 * trunk's up/down state that routing fails over on (route_select()).
 *
 * A trunk starts up.  It is marked down after options_failures
 * consecutive failed pings and up again after one answered ping.  A ping
 * fails when no final response comes within options_timeout (RFC 3261
 * §17.1.2.2: Timer F, reported as 408), on a transport error, and on 408,
 * 500, 503 or 504: the peer or the server behind it cannot process
 * requests now (RFC 3261 §21.5.4, RFC 3263 §4.3: try another server).
 * Any other response, even 404 or 501, comes from a live SIP server
 * (RFC 3261 §11.2 lets a UAS refuse OPTIONS) and counts as answered.
 * Trunks without pings are always up.  A ping that timed out is only
 * given up by sipri: libre 1.1.0 runs its transaction on the wire to
 * Timer F, and a late answer to it is ignored.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_TRUNK_H
#define SIPRI_GATEWAY_TRUNK_H

#include <stdbool.h>
#include <stdint.h>
#include "gateway/config/conf.h"

struct trunks;
struct sipua;

int  trunks_alloc(struct trunks **tsp, const struct conf *conf,
		  struct sipua *ua);
/* after a reload: ping the new conf's trunks; state kept by name */
void trunks_reload(struct trunks *ts, const struct conf *conf);
/* route_trunk_h for route_select(): is the trunk up (arg: trunks) */
bool trunks_up(const struct conf_trunk *tr, void *arg);
bool trunk_ping_failed(int err, uint16_t scode);

#endif
