/*
 * cdr_bench: what a call's accounting costs sipri's loop, in CPU per
 * call: the record of an answered call (every field set, as gw_cdr.sh's)
 * made as JSON or CSV and appended to a file with one write(2), as
 * cdr_write() does when a call ends; and the messages' bookkeeping
 * (acct_msg, six per call).  Prints the median of the runs, per call.
 *   cdr_bench [FILE]      (default /dev/shm/cdr_bench.jsonl, removed)
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gateway/acct.h"
#include "gateway/cdr.h"
#include "gateway/config/conf.h"
#include "tests/bench/bench.h"

enum { CALLS = 20000, RUNS = 7 };

static void acct_fill(struct acct *a)
{
	acct_start(a, 4711, ACCT_SIP_TO_PRI);
	strcpy(a->calling_raw, "+4930555123456");
	strcpy(a->called_raw, "+49305550001");
	strcpy(a->calling, "030555123456");
	strcpy(a->called, "05550001");
	a->ring = a->start + 120;
	a->answer = a->start + 2400;
	a->end = a->start + 93000;
	a->cause = 16;
	a->location = 0;
	a->sip_status = 200;
	a->released_by = ACCT_BY_SIP;
	a->span = 2;
	a->channel = 17;
	strcpy(a->trunk, "carrier-a");
	strcpy(a->sip_call_id, "3c26b1e4a6f0-7b8a9@192.0.2.10");
	a->law = 'A';
	a->rtp_rx = 4530;
	a->rtp_lost = 3;
	a->jitter_ms = 1.25;
	a->closed = true;
}

/* one run: CALLS calls' records (and, with msgs, their messages) */
static double run(struct cdr *c, bool msgs)
{
	static const enum cc_type types[] = {CC_PROCEEDING, CC_ALERTING,
		CC_CONNECT, CC_CONNECT_ACK, CC_DISCONNECT, CC_RELEASE};
	struct acct a;
	struct cc_msg m;
	double t0 = bench_cpu_now();

	for (int i = 0; i < CALLS; i++) {
		acct_fill(&a);
		if (msgs) {
			a.closed = false;
			for (size_t k = 0; k < ARRAY_SIZE(types); k++) {
				cc_msg_init(&m, types[k]);
				acct_msg(&a, ACCT_BY_PRI, k & 1, &m);
			}
			acct_end(&a);
		}
		if (c)
			cdr_write(c, &a);
	}
	return (bench_cpu_now() - t0) / CALLS * 1e6;
}

static double median(struct cdr *c, bool msgs)
{
	double us[RUNS];

	for (int r = 0; r < RUNS; r++)
		us[r] = run(c, msgs);
	return bench_median(us, RUNS);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/shm/cdr_bench.jsonl";
	struct conf conf;
	struct cdr *c = NULL;
	double base, msgs;

	if (libre_init())
		return 1;
	memset(&conf, 0, sizeof(conf));
	conf.cdr.file = (char *)path;
	printf("cdr_bench: median of %d runs of %d calls, CPU per call\n",
	       RUNS, CALLS);
	base = median(NULL, false);
	msgs = median(NULL, true);
	printf("  %-40s %7.2f us\n", "acct_msg x6 and acct_end", msgs - base);
	for (int csv = 0; csv < 2; csv++) {
		conf.cdr.csv = csv;
		if (cdr_alloc(&c))
			return 1;
		cdr_apply(c, &conf);
		printf("  %-40s %7.2f us\n", csv ? "record: CSV, made and written" :
		       "record: JSON, made and written", median(c, false) - base);
		c = mem_deref(c);
		(void)unlink(path);
	}
	libre_close();
	return 0;
}
