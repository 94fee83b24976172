/*
 * cpm_pf glue: every device (seed 4.1).  See cpmpf_devices_core.h for the
 * flag layout and the delivery rule.
 */
#ifndef CPMPF_DEVICES_H
#define CPMPF_DEVICES_H

#include "core/parser/msg_parser.h"
#include "cpmpf_msg.h"

extern int cpmpf_reg_bflag_base;

/* keep(flags, instance, arg): 1 keeps the branch */
typedef int (*cpmpf_branch_keep_f)(
		unsigned int flags, const str *instance, void *arg);

/* drops every branch (the Request-URI one included: marked consumed) that
 * keep refuses; the number of branches left */
int cpmpf_branches_filter(sip_msg_t *msg, cpmpf_branch_keep_f keep, void *arg);

/* script name -> service; 0 or -ENOENT */
int cpmpf_service(const str *name, cpmh_service_t *svc);

/* the CPMH_SVC_BIT mask of the feature tags in the Contact headers of a
 * parsed REGISTER (cpm_pf_reg_tags; also the UE's REGISTER embedded in a
 * third-party REGISTER, cpmpf_reg.c) */
unsigned int cpmpf_reg_svc_mask(sip_msg_t *msg);

int ki_cpm_pf_reg_tags(sip_msg_t *msg);
int ki_cpm_pf_devices(sip_msg_t *msg, str *svc);
int ki_cpm_pf_devices_user(sip_msg_t *msg, str *svc, str *user);

int cpmpf_devices_init_counters(void);

#endif
