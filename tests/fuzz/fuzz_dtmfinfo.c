/*
 * Fuzz target: the INFO DTMF body parser (sip/dtmf.c).  The input is a
 * Content-Type "type/subtype", a newline, then the body.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nl = memchr(p, '\n', size);
	const char *slash;
	struct pl type, sub, body;
	unsigned dur;
	char digit = 0;

	if (!nl)
		return 0;
	slash = memchr(p, '/', (size_t)(nl - p));
	if (!slash)
		return 0;
	type.p = p;
	type.l = (size_t)(slash - p);
	sub.p = slash + 1;
	sub.l = (size_t)(nl - slash - 1);
	body.p = nl + 1;
	body.l = size - (size_t)(nl + 1 - p);
	if (!sipdtmf_info_parse(&type, &sub, &body, &digit, &dur) &&
	    !strchr("0123456789*#ABCD", digit))
		__builtin_trap();   /* only a DTMF digit may come out */
	return 0;
}
