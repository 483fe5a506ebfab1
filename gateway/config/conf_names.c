/*
 * Keywords of sipri.conf(5), indexed by their enums.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "gateway/config/conf_priv.h"

const char *const conf_loglevel_names[] = {
	"err", "warn", "info", "debug", NULL
};
const char *const conf_early_media_names[] = {
	"prack", "always", NULL
};
const char *const conf_invite_over_names[] = {
	"503", "drop", NULL
};
const char *const conf_100rel_names[] = {
	"supported", "required", "disabled", NULL
};
const char *const conf_alert_inband_names[] = {
	"183", "180", NULL
};
const char *const conf_ringback_names[] = {
	"local", "none", NULL
};
const char *const conf_dtmf_names[] = {
	"auto", "rfc4733", "info", "inband", NULL
};
const char *const conf_dtmf_info_names[] = {
	"dtmf-relay", "dtmf", NULL
};
const char *const conf_switch_names[] = {
	"euroisdn", "national", "ni1", "dms100", "4ess", "5ess", "qsig", NULL
};
const char *const conf_node_names[] = {
	"cpe", "network", NULL
};
const char *const conf_hunt_names[] = {
	"ascending", "descending", "roundrobin", NULL
};
const char *const conf_chansel_names[] = {
	"exclusive", "preferred", NULL
};
const char *const conf_pri_debug_names[] = {
	"none", "q931", "q921", "all", NULL
};
const char *const conf_tp_names[] = {
	"udp", "tcp", "tls", NULL
};
const char *const conf_sipfmt_names[] = {
	"e164", "national", "raw", NULL
};
const char *const conf_prifmt_names[] = {
	"ton", "prefix", NULL
};
/* Q.931 §4.5.10 numbering plans; values in conf_general.c */
const char *const conf_npi_names[] = {
	"unknown", "e164", "national", "private", NULL
};

static const char *name_of(const char *const *names, size_t n, unsigned i)
{
	return i < n ? names[i] : "?";
}

#define NAME_OF(tab, i) name_of(tab, sizeof(tab) / sizeof(tab[0]) - 1, i)

const char *conf_switch_name(enum conf_switch sw)
{
	return NAME_OF(conf_switch_names, sw);
}

const char *conf_node_name(enum conf_node node)
{
	return NAME_OF(conf_node_names, node);
}

const char *conf_hunt_name(enum conf_hunt hunt)
{
	return NAME_OF(conf_hunt_names, hunt);
}

const char *conf_tp_name(enum conf_tp tp)
{
	return NAME_OF(conf_tp_names, tp);
}
