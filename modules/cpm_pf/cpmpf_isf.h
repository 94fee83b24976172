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

/* 1 when a TEL identity is served here: some user has it in cpm_identity
 * (tel: its normalized tel: URI, cpmpf_tel_target; may be NULL), or a
 * subscriber is named by the number (user: the Request-URI's user part, or
 * the normalized number) */
int cpmpf_tel_served(const str *tel, const str *user);

int ki_cpm_pf_needs_interworking(sip_msg_t *msg);
int ki_cpm_pf_tel_to_user(sip_msg_t *msg);
int ki_cpm_pf_send_to_isf(sip_msg_t *msg);
int ki_cpm_pf_isf_reply(sip_msg_t *msg);

#endif
