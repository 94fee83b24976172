/*
 * cpm_warning glue between struct sip_msg and the pure code (cpm_warn.h):
 * Accept-Language of the request, warn-agent, reply lump, sl/tm send.
 */
#ifndef CPM_WARN_REPLY_H
#define CPM_WARN_REPLY_H

#include "core/str.h"
#include "core/parser/msg_parser.h"
#include "core/counters.h"

#include "cpm_warn.h"

/* module state, owned by cpm_warning_mod.c */
extern str cpmw_warning_host;       /* modparam warning_host ("" = socket) */
extern str cpmw_default_language;   /* modparam default_language */
extern cpmw_catalog_t *cpmw_catalog; /* translations, NULL = English only */
extern stat_var *cpmw_stat_sent;

int cpmw_reply_init(void);

/* Accept-Language ranges of all instances in msg (at most max) */
int cpmw_msg_ranges(struct sip_msg *msg, cpmw_lang_range_t *r, int max, int *n);

/* complete "Warning: ...\r\n" line into buf; length or negative errno */
int cpmw_header(struct sip_msg *msg, int code, str *host, char *buf, int len);
/* same, language from al (an Accept-Language value) when al != NULL */
int cpmw_header_al(struct sip_msg *msg, int code, str *host, const str *al,
		char *buf, int len);

/* add the Warning to the reply being built (add_lump_rpl); 1 / -1 */
int cpmw_append_header(struct sip_msg *msg, int code);

/* Warning + reply via sl send_reply (tm when a transaction exists); 1 / -1 */
int cpmw_reply(struct sip_msg *msg, int status, str *reason, int code);
/* same, Warning language from al (an Accept-Language value, e.g. of a
 * participant's 2xx; seed 6.4.1) instead of the request's */
int cpmw_reply_al(struct sip_msg *msg, int status, str *reason, int code,
		str *al);

#endif
