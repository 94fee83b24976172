/*
 * cpm_pf deferred delivery (seed 4.1, issue 6 item 4): the store of
 * messages for users without a reachable device, and their delivery when a
 * device registers.  Design: docs/cpm_pf.md "Deferred delivery".
 */
#ifndef CPMPF_STORE_H
#define CPMPF_STORE_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"
#include "core/str.h"

extern int cpmpf_store_expiry;
extern int cpmpf_store_max;
extern int cpmpf_store_sweep;
extern int cpmpf_store_stateless;
extern str cpmpf_store_headers;

int cpmpf_store_mod_init(void);
int cpmpf_store_child_init(int rank);
void cpmpf_store_destroy(void);

/* script functions (typed; thin w_ wrappers in cpm_pf_mod.c) */
int ki_cpm_pf_store(sip_msg_t *msg, str *user, str *route);
int ki_cpm_pf_stored(sip_msg_t *msg);
int ki_cpm_pf_store_retrans(sip_msg_t *msg);
int ki_cpm_pf_deliver_pending(sip_msg_t *msg, str *user);

extern const char *cpmpf_rpc_deferred_list_doc[];
void cpmpf_rpc_deferred_list(rpc_t *rpc, void *ctx);

#endif
