/*
 * Free memory back to the kernel once the load has fallen.
 *
 * glibc keeps what a program frees in its arenas (the main one and one
 * per thread) for the next malloc, and gives back only a free tail of
 * the main heap.  A busy hour's peak of SIP transactions, each lingering
 * 64*T1 (RFC 3261 §17), leaves tens of MB free inside the arenas with
 * a few MB in use, and RSS stays at the peak for good.  So, now and then
 * (MEMTRIM_EVERY_MS, from the daemon's loop), when the arenas hold more
 * free memory than is in use, and more than MEMTRIM_MIN, malloc_trim(0)
 * returns every free page of every arena (madvise(MADV_DONTNEED)).  The
 * rule leaves a steady load alone: its free space is less than its live
 * memory, and trimming it would only bring page faults back.  malloc
 * still counts trimmed pages as free, so a trim waits, besides, until
 * MEMTRIM_MIN more was freed since the last one (the free memory grew
 * that much from its lowest seen since: a peak's calls ended), or the
 * memory in use fell to half what it was at the last trim (the tail of
 * a drain: the last trim came while the peak's transactions still
 * lingered, and those that were left are gone now), or RSS grew by
 * MEMTRIM_MIN (trimmed pages were used again), or, once the gateway is
 * idle (no call, no transaction), MEMTRIM_IDLE more was freed since the
 * last trim: a drain's last transactions are small, but each was made
 * at its own time during the load and holds a page of its own, and an
 * hour's run left 7 MB resident for them (BENCHMARKS.md).
 *
 * Under AddressSanitizer or ThreadSanitizer malloc is theirs, mallinfo2()
 * reports nothing, and nothing is trimmed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>
#include "common/log.h"
#include "common/memtrim.h"

bool memtrim_due(size_t in_use, size_t free_bytes)
{
	return free_bytes > MEMTRIM_MIN && free_bytes > in_use;
}

/* the resident set, from /proc; 0 when it cannot be read */
size_t memtrim_rss(void)
{
	unsigned long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * (size_t)sysconf(_SC_PAGESIZE);
}

/* true when it trimmed; from one thread (the daemon's loop) */
bool memtrim_check(bool idle)
{
	static size_t low;   /* the least free memory seen since a trim */
	static size_t rss;   /* RSS after the last trim */
	static size_t used;  /* in use at the last trim */
	struct mallinfo2 mi = mallinfo2();
	size_t in_use = mi.uordblks + mi.hblkhd;
	size_t before;

	if (mi.fordblks < low)
		low = mi.fordblks;
	if (!memtrim_due(in_use, mi.fordblks))
		return false;
	if (mi.fordblks < low + MEMTRIM_MIN && in_use > used / 2 &&
	    !(idle && in_use + MEMTRIM_IDLE <= used) &&
	    memtrim_rss() < rss + MEMTRIM_MIN)
		return false;
	before = memtrim_rss();
	malloc_trim(0);
	low = mi.fordblks;
	used = in_use;
	rss = memtrim_rss();
	log_info("memory: %zu kB free in malloc's arenas, %zu kB in use: "
		 "trimmed, RSS %zu -> %zu kB", mi.fordblks / 1024,
		 in_use / 1024, before / 1024, rss / 1024);
	return true;
}
