/*
 * cpm_pf glue: registration in the IMS deployment (seed 4.1 "handling 3rd
 * party CPM service registrations", "handling Registration Event
 * Information"; issue 6 item 10).  See docs/cpm_pf.md "Registration".
 */
#ifndef CPMPF_REG_H
#define CPMPF_REG_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"

/* module parameter: Expires of the reg-event SUBSCRIBE (3GPP TS 24.229
 * 5.7.1.4: 600000 s) */
extern int cpmpf_reg_sub_expires;
/* module parameter: seconds before a new SUBSCRIBE after a NOTIFY
 * terminated;reason=probation or giveup without retry-after (RFC 6665
 * 4.1.3) */
extern int cpmpf_reg_sub_retry;

/* mod_init: usrloc (optional: without it the functions return -3), sl,
 * tm, the shm table of reginfo versions */
int cpmpf_reg_init(void);
int cpmpf_reg_child_init(int rank);
void cpmpf_reg_destroy(void);

/* RPC cpm_pf.reg_subscriptions */
extern rpc_export_t cpmpf_reg_rpc[];

int ki_cpm_pf_third_party_register(sip_msg_t *msg);
int ki_cpm_pf_reginfo_notify(sip_msg_t *msg);
int ki_cpm_pf_reg_subscribe(sip_msg_t *msg, str *aor, str *scscf);

#endif
