/*
 * cpm_pf: the PF steps of a Pager Mode MESSAGE in one script call per role
 * (cpm_pf_message_orig(), cpm_pf_message_term(); docs/cpm_pf.md "One call
 * per role").  The single-step functions stay for custom scripts.
 */
#ifndef CPMPF_MESSAGE_H
#define CPMPF_MESSAGE_H

#include "core/parser/msg_parser.h"

/* return codes (docs/cpm_pf.md); -1 internal error (nothing sent: the
 * script answers 500), -2 refused, the reply is sent (exit) */
#define CPMPF_MSG_DELIVER 1      /* go on to the recipient's devices */
#define CPMPF_MSG_DEFER 2        /* term: the active profile defers: store */
#define CPMPF_MSG_REWRITTEN 2    /* orig: go on; the Request-URI (a TEL
                                  * identity of one of our users) is now the
                                  * user's SIP identity */
#define CPMPF_MSG_INTERWORKING 3 /* orig: the recipient needs the ISF */
#define CPMPF_MSG_NOT_ORIG 4     /* orig: a trusted peer's request whose From
                                  * is not in our domain: nothing done */

int cpmpf_message_init(void);
/* for a trusted source: From in our domain (`from_uri == myself`), else 4;
 * then cpm_pf_check_size, cpm_pf_orig, cpm_pf_record("orig"),
 * cpm_pf_needs_interworking (3), cpm_pf_tel_to_user (2 when it rewrote the
 * Request-URI): 1, 2, 3, 4, -1, -2 */
int cpmpf_message_orig(
		sip_msg_t *msg, str *auth_user, int trusted_source, int max_size);
/* cpm_pf_check_size (unless cpmpf_message_orig() saw the request),
 * cpm_pf_check_cpim (400 + its reason), cpm_pf_apply_prefs("msg") (reject:
 * the profile's status and reason), cpm_pf_record("term") for deliver and
 * defer, cpm_pf_term(trusted_next_hop) for deliver: 1, 2, -1, -2 */
int cpmpf_message_term(sip_msg_t *msg, int trusted_next_hop, int max_size);

#endif
