/*
 * Fuzz target: vdahdi's fault-injection command parser (the control file
 * inside the mount), against a model of two E1 pairs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include "tdm/vdahdi/vdahdi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vdahdi vd;
	char *status;

	if (vd_init(&vd, VD_E1, 2))
		return 0;
	vd_fault_write(&vd, (const char *)data, size);
	status = vd_fault_status(&vd);
	free(status);
	vd_fini(&vd);
	return 0;
}
