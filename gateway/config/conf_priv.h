/*
 * Configuration loader internals: the parse context, value parsers and
 * the per-section key handlers.  Not for use outside conf*.c/route*.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_CONF_PRIV_H
#define SIPRI_GATEWAY_CONF_PRIV_H

#include "gateway/config/conf.h"

enum conf_sect {
	CONF_SECT_NONE = 0,
	CONF_SECT_GENERAL,
	CONF_SECT_SIP,
	CONF_SECT_NUMBERING,
	CONF_SECT_SPAN,
	CONF_SECT_TRUNK,
	CONF_SECT_ROUTE,
	CONF_SECT_CDR,
	CONF_SECT_METRICS,
};

enum { CONF_SEEN_MAX = 256, CONF_NAME_MAX = 32 };

struct conf_ctx {
	struct conf *conf;
	const char *file;
	struct conf_err *err;
	unsigned line;                 /* current line */
	unsigned sect_line;            /* line of the section header */
	enum conf_sect sect;
	char sname[48];                /* "route pstn-out" */
	struct pl key;                 /* current key; unset between keys */
	void *obj;                     /* current span/trunk/route */
	struct pl seen[CONF_SEEN_MAX]; /* keys seen in this section */
	size_t nseen;
	unsigned singles;              /* bit per enum conf_sect seen */
};

/* conf_ini.c: the INI syntax, nothing else */
typedef int (conf_ini_h)(const struct pl *sect, const struct pl *key,
			 const struct pl *val, unsigned line, void *arg);
int conf_ini_parse(const char *buf, size_t len, conf_ini_h *h, void *arg,
		   unsigned *linep, const char **reasonp);

/* conf_err.c */
void conf_pl_trim(struct pl *pl);
bool conf_list_next(struct pl *rest, struct pl *item);
int conf_errf(struct conf_ctx *ctx, int code, const char *fmt, ...);
int conf_err_at(struct conf_ctx *ctx, unsigned line, const char *sect,
		const char *key, int code, const char *fmt, ...);

/* conf_val.c: value parsers; on failure they set the error */
int conf_val_u32(struct conf_ctx *ctx, const struct pl *val,
		 uint32_t min, uint32_t max, uint32_t *out);
int conf_val_range(struct conf_ctx *ctx, const struct pl *val,
		   uint32_t min, uint32_t max, uint32_t *lo, uint32_t *hi);
int conf_val_enum(struct conf_ctx *ctx, const struct pl *val,
		  const char *const *names, int *out);
int conf_val_bool(struct conf_ctx *ctx, const struct pl *val, bool *out);
int conf_val_str(struct conf_ctx *ctx, const struct pl *val, char **out);
int conf_val_digits(struct conf_ctx *ctx, const struct pl *val,
		    char *buf, size_t size);
int conf_val_path(struct conf_ctx *ctx, const struct pl *val, char **out);
int conf_val_name(struct conf_ctx *ctx, const struct pl *val, char **out);
bool conf_name_valid(const struct pl *name);
int conf_num_parse(const struct pl *pl, uint32_t max, uint32_t *out);

/* conf_names.c: keyword tables, NULL-terminated, indexed by enum */
extern const char *const conf_loglevel_names[];
extern const char *const conf_100rel_names[];
extern const char *const conf_invite_over_names[];
extern const char *const conf_early_media_names[];
extern const char *const conf_dtmf_names[];
extern const char *const conf_dtmf_info_names[];
extern const char *const conf_alert_inband_names[];
extern const char *const conf_ringback_names[];
extern const char *const conf_switch_names[];
extern const char *const conf_node_names[];
extern const char *const conf_hunt_names[];
extern const char *const conf_chansel_names[];
extern const char *const conf_pri_debug_names[];
extern const char *const conf_tp_names[];
extern const char *const conf_srtp_names[];
extern const char *const conf_sipfmt_names[];
extern const char *const conf_prifmt_names[];
extern const char *const conf_npi_names[];

/* conf_dtmf.c: the DTMF keys of [general] and [trunk NAME]; ENOENT
 * for a key that is not one of them */
void conf_dtmf_init(struct conf_general *gen);
int  conf_dtmf_general_key(struct conf_ctx *ctx, const struct pl *key,
			   const struct pl *val);
int  conf_dtmf_trunk_key(struct conf_ctx *ctx, struct conf_trunk *tr,
			 const struct pl *key, const struct pl *val);

/* conf_general.c: [general], [sip], [numbering] */
void conf_general_init(struct conf_general *gen);
void conf_sip_init(struct conf_sip *sip);
int  conf_general_key(struct conf_ctx *ctx, const struct pl *key,
		      const struct pl *val);
/* conf_tls.c */
int  conf_tls_sip_key(struct conf_ctx *ctx, const struct pl *key,
		      const struct pl *val);
int  conf_tls_trunk_key(struct conf_ctx *ctx, struct conf_trunk *tr,
			const struct pl *key, const struct pl *val);
int  conf_tls_check(struct conf_ctx *ctx);
int  conf_cdr_key(struct conf_ctx *ctx, const struct pl *key,
		  const struct pl *val);
int  conf_metrics_key(struct conf_ctx *ctx, const struct pl *key,
		      const struct pl *val);
int  conf_sip_key(struct conf_ctx *ctx, const struct pl *key,
		  const struct pl *val);
int  conf_numbering_key(struct conf_ctx *ctx, const struct pl *key,
			const struct pl *val);
int  conf_general_done(struct conf_ctx *ctx);
int  conf_sip_done(struct conf_ctx *ctx);

/* conf_media.c: media keys of [general] and [span N] */
void conf_media_init(struct conf_media *m);
int  conf_media_key(struct conf_ctx *ctx, const struct pl *key,
		    const struct pl *val);
int  conf_media_done(struct conf_ctx *ctx);
int  conf_media_span_key(struct conf_ctx *ctx, struct conf_span *span,
			 const struct pl *key, const struct pl *val);
int  conf_val_country(struct conf_ctx *ctx, const struct pl *val,
		      char *out, size_t size);

/* conf_span.c: [span N] */
int  conf_span_open(struct conf_ctx *ctx, const struct pl *name);
int  conf_span_key(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val);
int  conf_span_close(struct conf_ctx *ctx);
int  conf_span_check(struct conf_ctx *ctx);

/* conf_source.c: a trunk's "sources" and its default */
int  conf_source_key(struct conf_ctx *ctx, struct conf_trunk *tr,
		     const struct pl *val);
void conf_source_default(struct conf_trunk *tr);
/* one network of [sip] local_nets: ADDR[/PREFIX] */
int  conf_net_parse(struct conf_ctx *ctx, struct conf_source *net,
		    const struct pl *item);

/* conf_addr.c: [sip] advertise, external, local_nets, rtp_bind */
int  conf_addr_key(struct conf_ctx *ctx, const struct pl *key,
		   const struct pl *val);
int  conf_addr_done(struct conf_ctx *ctx);
int  conf_addr_dump(struct re_printf *pf, const struct conf_sip *sip);

/* conf_auth.c: a trunk's authentication keys; ENOENT for others */
extern const char *const conf_auth_alg_names[];
void conf_auth_init(struct conf_auth *a);
void conf_auth_free(struct conf_auth *a);
int  conf_auth_key(struct conf_ctx *ctx, struct conf_trunk *tr,
		   const struct pl *key, const struct pl *val);
int  conf_auth_close(struct conf_ctx *ctx, const struct conf_trunk *tr);

/* conf_trunk.c: [trunk NAME] */
int  conf_trunk_open(struct conf_ctx *ctx, const struct pl *name);
int  conf_trunk_key(struct conf_ctx *ctx, const struct pl *key,
		    const struct pl *val);
int  conf_trunk_close(struct conf_ctx *ctx);
void conf_trunk_finish(struct conf *conf);

/* route_conf.c: [route NAME] */
int  conf_route_open(struct conf_ctx *ctx, const struct pl *name);
int  conf_route_key(struct conf_ctx *ctx, const struct pl *key,
		    const struct pl *val);
int  conf_route_close(struct conf_ctx *ctx);
int  conf_route_check(struct conf_ctx *ctx);

#endif
