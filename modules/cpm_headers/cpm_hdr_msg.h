/*
 * cpm_headers: glue between struct sip_msg and the pure code in cpm_hdr.c /
 * cpm_service.c (seed section 5.3).
 */
#ifndef CPM_HDR_MSG_H
#define CPM_HDR_MSG_H

#include "core/parser/msg_parser.h"
#include "cpm_hdr.h"
#include "cpm_service.h"

/* per-message context, one per process, keyed by msg->id / msg->pid */
typedef struct cpm_msg_ctx {
	unsigned int msg_id;
	int msg_pid;
	cpm_hdr_id_t err_hdr;       /* set by the last cpm_msg_check() */
	unsigned int gen_mask;      /* bit per cpm_hdr_id_t generated */
	char gen[2][CPM_UUID_BUF_SIZE]; /* Conversation-ID, Contribution-ID */
} cpm_msg_ctx_t;

/* the context of msg (reset when msg is a different message) */
cpm_msg_ctx_t *cpm_msg_ctx(sip_msg_t *msg);

/* walk msg->headers; returns a cpm_check_rc_t, fills c and ctx->err_hdr */
int cpm_msg_check(sip_msg_t *msg, int max_len, cpm_hdr_check_t *c);

/* value of header id in msg (valid single instance) or the value generated
 * by cpm_msg_add_ids(); 0 or -ENOENT */
int cpm_msg_get_id(sip_msg_t *msg, int max_len, cpm_hdr_id_t id, str *v);

/* add missing Conversation-ID / Contribution-ID: 1 added, 2 both present,
 * -1 error; *added receives the number of headers added */
int cpm_msg_add_ids(sip_msg_t *msg, int max_len, int *added);

/* CPM_SVC_BIT mask of the services the request carries */
unsigned int cpm_msg_services(sip_msg_t *msg);

#endif
