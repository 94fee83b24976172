/*
 * cpm_headers: glue between struct sip_msg and the pure code in cpmh_id.c /
 * cpmh_service.c (seed section 5.3).
 */
#ifndef CPMH_MSG_H
#define CPMH_MSG_H

#include "core/parser/msg_parser.h"
#include "cpmh_id.h"
#include "cpmh_service.h"

/* xavp holding the identifiers cpm_add_ids() generated for the
 * transaction: $xavp(cpm=>conversation_id), $xavp(cpm=>contribution_id) */
#define CPMH_XAVP_NAME "cpm"

/* feed msg->headers and the CPM header lines inserted as lumps in
 * msg->add_rm to c; 0, or -EBADMSG when the headers do not parse */
int cpmh_msg_collect(sip_msg_t *msg, int max_len, cpmh_check_t *c);

/* classify the message's CPM headers (cpmh_msg_collect()); returns a
 * cpmh_check_rc_t (CPMH_CHECK_MALFORMED when the headers do not parse) and
 * the offending header in *err_hdr (may be NULL) */
int cpmh_msg_check(sip_msg_t *msg, int max_len, cpmh_check_t *c,
		cpmh_id_t *err_hdr);

/* value of header id in msg or in a lump of msg (valid single instance);
 * 0, -ENOENT, -EBADMSG (headers do not parse) or -EINVAL */
int cpmh_msg_get_id(sip_msg_t *msg, int max_len, cpmh_id_t id, str *v);

/* add missing Conversation-ID / Contribution-ID (values of the xavp when
 * an earlier call of the transaction generated them, else fresh UUIDs):
 * 1 added, 2 both present, -1 error (also when the headers do not parse);
 * *added receives the number of headers added */
int cpmh_msg_add_ids(sip_msg_t *msg, int max_len, int *added);

/* CPMH_SVC_BIT mask of the services the request carries */
unsigned int cpmh_msg_services(sip_msg_t *msg);

#endif
