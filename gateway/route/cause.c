/*
 * Cause mapping: per-trunk overrides over the RFC 3398 default tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <re.h>
#include "common/cc.h"
#include "gateway/route/cause.h"

enum { NSTATUS = CAUSE_STATUS_MAX - CAUSE_STATUS_MIN + 1 };

/* 0 in a slot means "no override: use the default table" */
struct cause_map {
	uint16_t c2s[CAUSE_MAX + 1];
	uint8_t s2c[NSTATUS];
};

static bool cause_valid(int cause)
{
	return cause >= 1 && cause <= CAUSE_MAX;
}

static bool status_valid(int status)
{
	return status >= CAUSE_STATUS_MIN && status <= CAUSE_STATUS_MAX;
}

int cause_map_alloc(struct cause_map **mp)
{
	struct cause_map *m;

	if (!mp)
		return EINVAL;

	m = mem_zalloc(sizeof(*m), NULL);
	if (!m)
		return ENOMEM;

	*mp = m;
	return 0;
}

/* Override: a cause received from the PRI gives this SIP status */
int cause_map_set_c2s(struct cause_map *m, int cause, int status)
{
	if (!m || !cause_valid(cause) || status < 400 || !status_valid(status))
		return EINVAL;

	m->c2s[cause] = (uint16_t)status;
	return 0;
}

/* Override: a SIP status received gives this cause towards the PRI */
int cause_map_set_s2c(struct cause_map *m, int status, int cause)
{
	if (!m || !status_valid(status) || !cause_valid(cause))
		return EINVAL;

	m->s2c[status - CAUSE_STATUS_MIN] = (uint8_t)cause;
	return 0;
}

static int row_find(const struct cause_row *tab, size_t n, int key, bool rev)
{
	for (size_t i = 0; i < n; i++) {
		if ((rev ? tab[i].status : tab[i].cause) == key)
			return rev ? tab[i].cause : tab[i].status;
	}

	return 0;
}

static int default_c2s(int cause)
{
	const struct cause_row *tab;
	size_t n;
	int status;

	tab = cause_table_c2s(&n);

	status = row_find(tab, n, cause, false);
	if (status)
		return status;

	/* Q.850 §2.2.7.1: an unknown cause is treated as the "unspecified"
	 * cause of its class (31, 47, 63, 79, 95, 111, 127) */
	if (cause_valid(cause)) {
		int unspec = cause < 32 ? 31 : (cause | 0x0f);

		status = row_find(tab, n, unspec, false);
		if (status)
			return status;
	}

	/* no row for the class either: interworking, unspecified */
	return row_find(tab, n, 127, false);
}

/*
 * Q.850 cause (with its location) -> SIP final response status.
 * RFC 3398 §7.2.4.1 note (+): cause 21 with location "user" gives 603
 * Decline instead of 403.  An explicit override wins over that rule.
 */
int cause_to_status(const struct cause_map *m, int cause, int location)
{
	if (m && cause_valid(cause) && m->c2s[cause])
		return m->c2s[cause];

	if (cause == 21 && location == CC_LOC_USER)
		return 603;

	return default_c2s(cause);
}

static int default_s2c(int status)
{
	const struct cause_row *tab;
	size_t n;
	int cause;

	tab = cause_table_s2c(&n);

	cause = row_find(tab, n, status, true);
	if (cause)
		return cause;

	/* RFC 3261 §8.1.3.2: an unknown final response is treated as the
	 * x00 response of its class (3xx has no row: interworking) */
	cause = row_find(tab, n, status - status % 100, true);

	return cause ? cause : 127;
}

/*
 * SIP final response status -> Q.850 cause.  Status below 300 (no
 * failure) gives 0, i.e. no cause.
 */
int cause_from_status(const struct cause_map *m, int status)
{
	if (status < CAUSE_STATUS_MIN)
		return 0;

	if (status > CAUSE_STATUS_MAX)
		return 127;

	if (m && m->s2c[status - CAUSE_STATUS_MIN])
		return m->s2c[status - CAUSE_STATUS_MIN];

	return default_s2c(status);
}
