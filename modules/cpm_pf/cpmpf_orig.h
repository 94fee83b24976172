/*
 * cpm_pf originating / terminating identity steps (seed 6.1, 6.3) and the
 * Pager Mode size limit (seed 5.1): sip_msg glue over cpmpf_identity and
 * cpmpf_privacy_core.
 */
#ifndef CPMPF_ORIG_H
#define CPMPF_ORIG_H

#include "core/parser/msg_parser.h"
#include "../cpm_warning/api.h"
#include "modules/sl/sl.h"

/* return codes of the script functions (docs/cpm_pf.md) */
#define CPMPF_ORIG_ASSERTED 1   /* originator asserted, no anonymity asked */
#define CPMPF_ORIG_ANONYMIZED 2 /* asserted, and hidden from the recipient */
#define CPMPF_ORIG_NOT_INITIAL 3 /* in-dialog request: nothing to do */
#define CPMPF_TERM_PAI 1        /* P-Asserted-Identity toward the recipient */
#define CPMPF_TERM_NO_PAI 2     /* none: withheld (privacy) or none known */
#define CPMPF_SIZE_OK 1
#define CPMPF_ERR -1     /* internal error, nothing sent: the script answers */
#define CPMPF_REFUSED -2 /* refused, the error reply is sent: exit */

int cpmpf_orig_init(cpm_warning_api_t *cpmw);
/* to_xavp 1: the originator goes to $xavp(cpmpf_orig) for later steps of
 * the transaction (cpm_pf_orig()); 0: only for cpmpf_term() /
 * cpm_pf_record() of the same request in this process
 * (cpm_pf_message_orig()) */
int cpmpf_orig(
		struct sip_msg *msg, str *auth_user, int trusted_source, int to_xavp);
/* the remembered originator of msg ("<mode><sip> LF <tel> LF <display>",
 * see cpmpf_orig.c): 0, or -1 when none */
int cpmpf_orig_value(struct sip_msg *msg, str *val);
int cpmpf_term(struct sip_msg *msg, int trusted_next_hop);
int cpmpf_check_size(struct sip_msg *msg, int max_size);

#endif
