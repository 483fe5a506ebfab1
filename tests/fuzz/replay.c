/*
 * Replays fuzz corpora through a libFuzzer-style target, so that every
 * `make check` runs the saved inputs under ASan and UBSan without needing
 * a fuzzing compiler.  Usage: replay FILE|DIR...   (TAP output)
 * With clang, the same target links against -fsanitize=fuzzer instead.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tests/tap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!fp) {
		ok(0, "open %s", path);
		return;
	}
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = malloc(len ? len : 1);
	if (buf && fread(buf, 1, len, fp) == (size_t)len) {
		LLVMFuzzerTestOneInput(buf, len);
		ok(1, "replayed %s (%ld bytes)", path, len);
	}
	else {
		ok(0, "read %s", path);
	}
	free(buf);
	fclose(fp);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **ents;
		int n;

		if (stat(argv[i], &st) || !S_ISDIR(st.st_mode)) {
			replay_file(argv[i]);
			continue;
		}
		n = scandir(argv[i], &ents, NULL, by_name);
		for (int k = 0; k < n; k++) {
			char path[4096];

			if (ents[k]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i],
					 ents[k]->d_name);
				replay_file(path);
			}
			free(ents[k]);
		}
		free(ents);
	}
	return tap_done();
}
