/*
 * A byte ring for B-channel samples.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vdahdi.h"

int vd_ring_alloc(struct vd_ring *r, size_t size)
{
	uint8_t *buf = malloc(size);

	if (!buf)
		return ENOMEM;
	free(r->buf);
	r->buf = buf;
	r->size = size;
	r->head = 0;
	r->count = 0;
	return 0;
}

void vd_ring_free(struct vd_ring *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

size_t vd_ring_put(struct vd_ring *r, const uint8_t *p, size_t n)
{
	size_t room = r->size - r->count, tail, first;

	if (n > room)
		n = room;
	tail = (r->head + r->count) % r->size;
	first = r->size - tail < n ? r->size - tail : n;
	memcpy(r->buf + tail, p, first);
	memcpy(r->buf, p + first, n - first);
	r->count += n;
	return n;
}

size_t vd_ring_get(struct vd_ring *r, uint8_t *p, size_t n)
{
	size_t first;

	if (n > r->count)
		n = r->count;
	first = r->size - r->head < n ? r->size - r->head : n;
	memcpy(p, r->buf + r->head, first);
	memcpy(p + first, r->buf, n - first);
	vd_ring_drop(r, n);
	return n;
}

void vd_ring_drop(struct vd_ring *r, size_t n)
{
	if (n > r->count)
		n = r->count;
	r->head = r->size ? (r->head + n) % r->size : 0;
	r->count -= n;
}

void vd_ring_flush(struct vd_ring *r)
{
	r->head = 0;
	r->count = 0;
}
