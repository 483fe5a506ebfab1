/*
 * Names of libpri's node and switch types, as users write them
 * (the names chan_dahdi.conf uses).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <string.h>
#include "tdmpri.h"

int prilink_switch_parse(int *switchtypep, const char *name, bool t1)
{
	static const struct {
		const char *name;
		int type;
	} tab[] = {
		{"national", PRI_SWITCH_NI2},
		{"ni2",      PRI_SWITCH_NI2},
		{"ni1",      PRI_SWITCH_NI1},
		{"dms100",   PRI_SWITCH_DMS100},
		{"4ess",     PRI_SWITCH_ATT4ESS},
		{"5ess",     PRI_SWITCH_LUCENT5E},
		{"qsig",     PRI_SWITCH_QSIG},
	};

	if (!switchtypep || !name)
		return EINVAL;
	/* ETSI EN 300 102 exists in an E1 and a T1 flavour */
	if (!strcmp(name, "euroisdn")) {
		*switchtypep = t1 ? PRI_SWITCH_EUROISDN_T1 :
			PRI_SWITCH_EUROISDN_E1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!strcmp(name, tab[i].name)) {
			*switchtypep = tab[i].type;
			return 0;
		}
	}
	return EINVAL;
}

int prilink_node_parse(int *nodep, const char *name)
{
	if (!nodep || !name)
		return EINVAL;
	if (!strcmp(name, "network") || !strcmp(name, "net"))
		*nodep = PRI_NETWORK;
	else if (!strcmp(name, "cpe") || !strcmp(name, "user"))
		*nodep = PRI_CPE;
	else
		return EINVAL;
	return 0;
}
