/*
 * gateway/cdr.c: call detail records, one per call attempt (struct acct,
 * gateway/acct.c), appended to [cdr] file as JSON lines or, with
 * format = csv, CSV rows under a header line.  Each record is one
 * write() on a file opened O_APPEND, so none is ever torn.  SIGHUP reopens
 * the file (logrotate moves it, sipri starts a new one).  A failed write
 * is logged (rate-limited) and counted, and calls go on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_CDR_H
#define SIPRI_GATEWAY_CDR_H

#include <stdint.h>

struct acct;
struct conf;
struct cdr;

int  cdr_alloc(struct cdr **cp);
/* the file conf names, (re)opened */
void cdr_apply(struct cdr *c, const struct conf *conf);
void cdr_write(struct cdr *c, const struct acct *a);
/* records that could not be written, since start */
uint64_t cdr_errors(const struct cdr *c);

#endif
