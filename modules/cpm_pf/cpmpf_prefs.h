/*
 * cpm_pf glue: User Preferences Profiles (seed 4.1), cached in shared
 * memory.  See cpmpf_prefs_core.h for the rules.
 */
#ifndef CPMPF_PREFS_H
#define CPMPF_PREFS_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"
#include "../cpm_headers/cpmh_service.h"
#include "cpmpf_prefs_core.h"

int cpmpf_prefs_init(void);
void cpmpf_prefs_destroy(void);

/* the devices the user's active profile names for svc, as a pkg copy in
 * *out (out->s NULL when every device gets it); 0 or -ENOMEM */
int cpmpf_prefs_devices(const str *user, cpmh_service_t svc, str *out);

/* Persist a user's active profile: queues a job for the module's one
 * database writer (cpmpf_dbq.c), which writes cpm_pref_active in its next
 * batch (SIP workers never write the database).  0, -ENOMEM, or -ENODEV
 * when no writer runs (no db_url). */
int cpmpf_persist_active(const str *user, const str *profile);

int ki_cpm_pf_apply_prefs(sip_msg_t *msg, str *svc);

/* the decision of ki_cpm_pf_apply_prefs() without $xavp(cpmpf): the
 * caller acts on it itself (cpm_pf_message_term()) */
typedef struct cpmpf_pref_decision {
	cpmpf_pref_action_t action;
	int status;  /* reject: the reply status */
	str reason;  /* reject: the reply's reason phrase */
	str profile; /* the active profile's name, empty when none applies */
	char reason_buf[128];
	char profile_buf[64];
} cpmpf_pref_decision_t;

/* 1 deliver, 2 defer, 3 reject (d->status, d->reason), -1 error; counts
 * the decision in the prefs_* statistics */
int cpmpf_prefs_decide(
		sip_msg_t *msg, const str *svcname, cpmpf_pref_decision_t *d);
/* the same for a service already resolved (cpmh_service_t) */
int cpmpf_prefs_decide_svc(
		sip_msg_t *msg, cpmh_service_t svc, cpmpf_pref_decision_t *d);
int ki_cpm_pf_profile_set(sip_msg_t *msg, str *user, str *profile);

void cpmpf_rpc_profile_set(rpc_t *rpc, void *ctx);
void cpmpf_rpc_profile_show(rpc_t *rpc, void *ctx);
void cpmpf_rpc_prefs_reload(rpc_t *rpc, void *ctx);
extern const char *cpmpf_rpc_profile_set_doc[];
extern const char *cpmpf_rpc_profile_show_doc[];
extern const char *cpmpf_rpc_prefs_reload_doc[];

#endif
