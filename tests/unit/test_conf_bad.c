/*
 * Bad configurations: each fixture in tests/conf/
 * must fail to load with the error its "# expect:" line gives, naming
 * the file, the line and the key.  The shipped configs must load.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gateway/config/conf.h"
#include "tests/tap.h"

static const char *const fixtures[] = {
	"unknown-key.conf",       /* an unknown key */
	"bad-number.conf",        /* a bad number */
	"missing-span.conf",      /* a missing span */
	"duplicate-route.conf",   /* a duplicate route */
	"unknown-trunk.conf",
	"shared-channel.conf",
	"unknown-section.conf",
	"bad-enum.conf",
	"bad-dtmf-trunk.conf",    /* the trunk's dtmf key */
	"bad-dtmf-level.conf",
	"min-se-above-se.conf",   /* RFC 4028 §4: Min-SE <= Session-Expires */
	"trunk-min-se.conf",
	"bad-country.conf",       /* tones need a known country */
	"bad-jitter.conf",        /* jitter_max < jitter_min */
	"bad-restart-on-up.conf", /* a span key outside yes/no */
	"bad-pri-debug.conf",     /* libpri's decodes by name */
	"bad-trace.conf",         /* a span's trace is yes or no */
	"bad-cdr-format.conf",    /* CDRs as json or csv */
	"bad-metrics.conf",       /* metrics listen: ADDRESS:PORT */
	"bad-sources.conf",       /* a trunk's source that is a name */
	"bad-source-prefix.conf", /* an IPv6 prefix beyond 128 bits */
	"max-min-se-below.conf",  /* the bound below our own Min-SE */
	"overlap-max-below-t302.conf",
	"bad-rtp-timeout.conf",
	"bad-advertise.conf",     /* the wildcard as our address */
	"bad-media.conf",         /* a trunk's media: rtp, srtp, ... */
	"tls-no-ca.conf",         /* a TLS trunk needs [sip] tls_ca */
	"bad-challenge.conf",     /* challenge_user without a password */
	"bad-register.conf",      /* register = yes without auth_user */
};

static const char *srcdir(void)
{
	const char *d = getenv("top_srcdir");

	return d ? d : TOP_SRCDIR;
}

/* the text after "# expect: " in the fixture, without the newline */
static int expect_read(const char *path, char *buf, size_t size)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int found = 0;

	if (!f)
		return 0;

	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "# expect: ", 10))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, size, "%s", line + 10);
		found = 1;
	}

	fclose(f);
	return found;
}

/* the key named in an expected message, or "" */
static void expect_key(const char *expect, char *key, size_t size)
{
	const char *k = strstr(expect, "key \"");
	size_t n;

	key[0] = '\0';
	if (!k)
		return;

	k += 5;
	n = strcspn(k, "\"");
	snprintf(key, size, "%.*s", (int)(n < size ? n : size - 1), k);
}

static void test_fixture(const char *name)
{
	char path[PATH_MAX], expect[512], want[PATH_MAX + 512], key[64];
	struct conf *conf = NULL;
	struct conf_err err;
	int e;

	snprintf(path, sizeof(path), "%s/tests/conf/%s", srcdir(), name);
	if (!ok(expect_read(path, expect, sizeof(expect)),
		"%s has an expect line", name))
		return;

	e = conf_load(&conf, path, &err);
	ok(e != 0 && conf == NULL, "%s fails to load", name);

	snprintf(want, sizeof(want), "%s:%s", path, expect);
	ok(!strcmp(err.msg, want), "%s: message names file, line and key\n"
	   "#   got:  %s\n#   want: %s", name, err.msg, want);

	expect_key(expect, key, sizeof(key));
	ok(err.line == (unsigned)atoi(expect) && !strcmp(err.key, key),
	   "%s: line %u key \"%s\"", name, err.line, err.key);

	mem_deref(conf);
}

static void test_good(const char *rel)
{
	char path[PATH_MAX];
	struct conf *conf = NULL;
	struct conf_err err;
	int e;

	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	e = conf_load(&conf, path, &err);
	ok(e == 0 && conf != NULL, "%s loads cleanly%s%s", rel,
	   e ? ": " : "", e ? err.msg : "");
	ok(err.msg[0] == '\0', "%s: no error message", rel);
	mem_deref(conf);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		test_fixture(fixtures[i]);

	test_good("conf/loopback.conf");
	test_good("conf/sipri.conf");

	return tap_done();
}
