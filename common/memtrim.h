/*
 * common/memtrim.c: the memory malloc keeps free, back to the kernel
 * once the load has fallen.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_MEMTRIM_H
#define SIPRI_MEMTRIM_H

#include <stdbool.h>
#include <stddef.h>

enum {
	MEMTRIM_EVERY_MS = 10000,       /* how often memtrim_check() runs */
	MEMTRIM_MIN = 4 * 1024 * 1024,  /* free bytes not worth a trim */
	MEMTRIM_IDLE = 256 * 1024,      /* freed since, idle: trim again */
};

bool memtrim_due(size_t in_use, size_t free_bytes);
/* idle: nothing live (no call, no transaction) */
bool memtrim_check(bool idle);
size_t memtrim_rss(void);

#endif
