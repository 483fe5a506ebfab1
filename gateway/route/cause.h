/*
 * Q.850 cause <-> SIP status mapping, in both directions.
 *
 * The defaults are data tables (cause_table.c) taken row by row from
 * RFC 3398 §7.2.4.1 (ISUP cause -> SIP status) and §8.2.6.1 (SIP status ->
 * ISUP cause), completed where RFC 3398 leaves a gap (see cause_table.c).
 * A struct cause_map holds per-trunk overrides layered over the defaults;
 * a NULL map means "defaults only".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_CAUSE_H
#define SIPRI_GATEWAY_CAUSE_H

#include <stddef.h>

enum {
	CAUSE_MAX      = 127,  /* Q.850 §2.2.5: cause value is 7 bits */
	CAUSE_STATUS_MIN = 300,
	CAUSE_STATUS_MAX = 699,
};

struct cause_map;

/* One row of a default table: exported so tests can walk every row. */
struct cause_row {
	int cause;
	int status;
};

int  cause_map_alloc(struct cause_map **mp);
int  cause_map_set_c2s(struct cause_map *m, int cause, int status);
int  cause_map_set_s2c(struct cause_map *m, int status, int cause);

int  cause_to_status(const struct cause_map *m, int cause, int location);
int  cause_from_status(const struct cause_map *m, int status);
const char *cause_name(int cause);

const struct cause_row *cause_table_c2s(size_t *n);
const struct cause_row *cause_table_s2c(size_t *n);

#endif
