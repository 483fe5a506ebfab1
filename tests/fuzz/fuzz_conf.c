/*
 * Fuzz target: the sipri.conf parser and checker, then routing and
 * number mapping on whatever loaded.  Must never crash, leak or trip
 * UBSan, whatever the bytes.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>
#include "common/sipuser.h"
#include "gateway/config/conf.h"
#include "gateway/route/route.h"
#include "gateway/route/number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use_conf(const struct conf *conf)
{
	static const char *const nums[] = { "", "0", "+4930123", "2000",
					    "*21#", "sipp" };
	struct route_result res;
	char dump[2048];

	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		(void)route_lookup(&conf->routel, ROUTE_PRI_TO_SIP, nums[i], &res);
		(void)route_lookup(&conf->routel, ROUTE_SIP_TO_PRI, nums[i], &res);
	}

	(void)re_snprintf(dump, sizeof(dump), "%H", conf_debug, conf);
}

/* the first line of the input as a SIP user, there and back, and
 * written as a URI user */
static void use_number(const struct conf *conf, const uint8_t *data,
		       size_t size)
{
	struct numbering n;
	struct cc_party p, sip;
	char user[48], uri[SIPUSER_LEN];
	size_t len = 0;

	if (conf)
		n = conf->num;
	else
		numbering_init(&n);

	while (len < size && len < sizeof(user) - 1 && data[len] &&
	       data[len] != '\n') {
		user[len] = (char)data[len];
		len++;
	}
	user[len] = '\0';

	if (sipuser_party(&sip, user) || number_from_sip(&n, &sip, &p))
		return;
	if (!number_to_sip(&n, &p, &sip))
		(void)sipuser_write(uri, sizeof(uri), &sip);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *conf = NULL;
	struct conf_err err;

	if (!conf_parse(&conf, "fuzz.conf", (const char *)data, size, &err))
		use_conf(conf);

	use_number(conf, data, size);
	mem_deref(conf);
	return 0;
}
