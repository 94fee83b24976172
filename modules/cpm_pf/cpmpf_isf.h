/*
 * cpm_pf glue: interworking with non-CPM services (seed 6.5): the decision
 * and sending the MESSAGE to the ISF as UAC.
 */
#ifndef CPMPF_ISF_H
#define CPMPF_ISF_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"

extern str cpmpf_isf_uri;
extern str cpmpf_isf_reply_route;

int cpmpf_isf_init(void);
void cpmpf_isf_destroy(void);

/* hook for TEL identities: 1 if number (a global number, "+" digits) is
 * served here.  Today: a subscriber whose username is the number; the
 * identity table of the originator concern replaces it at merge. */
int cpmpf_tel_served(const str *number);

int ki_cpm_pf_needs_interworking(sip_msg_t *msg);
int ki_cpm_pf_send_to_isf(sip_msg_t *msg);
int ki_cpm_pf_isf_reply(sip_msg_t *msg);

void cpmpf_rpc_subscribers_reload(rpc_t *rpc, void *ctx);
extern const char *cpmpf_rpc_subscribers_reload_doc[];

#endif
