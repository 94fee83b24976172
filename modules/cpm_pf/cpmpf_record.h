/*
 * cpm_pf recording (seed 4.1, issue 6 item 9): each standalone message and
 * IMDN a served user sends (originating role) or receives (terminating role)
 * is written to the cpm_record table, subject to operator policy (module
 * parameter `record`) and the user's own preference (cpm_record_pref).
 * Written only by the module's writer process (cpmpf_dbq.c): the SIP worker
 * copies the message into a job and returns.  Design: docs/cpm_pf.md
 * "Recording".
 */
#ifndef CPMPF_RECORD_H
#define CPMPF_RECORD_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"
#include "cpmpf_dbq_core.h"
#include "core/str.h"

/* job types: CPMPF_JOB_RECORD, CPMPF_JOB_RECORD_PREF (cpmpf_dbq.h) */

extern int cpmpf_record_param;     /* modparam record (0..2) */
extern int cpmpf_record_queue_max; /* modparam record_queue_max */

/* mod_init (after the writer queue is set up), destroy */
int cpmpf_record_init(void);
void cpmpf_record_destroy(void);

/* cpm_pf_record("orig"|"term"): 1 armed (recorded when the final reply to
 * the sender is a 2xx), 2 not recorded (policy or the user's preference,
 * or not a MESSAGE), -1 dropped (no identity to file it under, no memory) */
int ki_cpm_pf_record(sip_msg_t *msg, str *role);
/* the same with the role as CPMPF_REC_ORIG / CPMPF_REC_TERM
 * (cpmpf_record_core.h) */
int cpmpf_record(sip_msg_t *msg, int role);
/* the deferred store without a transaction (cpmpf_store.c): no tm reply
 * callback will see this request's answer, so the records it holds (up to
 * max) leave the hold into jobs[]; the caller queues them with
 * cpmpf_record_queue() once the answer is a 2xx, else frees them.  How many */
int cpmpf_record_detach(sip_msg_t *msg, cpmpf_job_t **jobs, int max);
void cpmpf_record_queue(cpmpf_job_t *job);

extern const char *cpmpf_rpc_history_doc[];
void cpmpf_rpc_history(rpc_t *rpc, void *ctx);
extern const char *cpmpf_rpc_history_conversation_doc[];
void cpmpf_rpc_history_conversation(rpc_t *rpc, void *ctx);
extern const char *cpmpf_rpc_record_policy_doc[];
void cpmpf_rpc_record_policy(rpc_t *rpc, void *ctx);
extern const char *cpmpf_rpc_record_pref_doc[];
void cpmpf_rpc_record_pref(rpc_t *rpc, void *ctx);
extern const char *cpmpf_rpc_record_reload_doc[];
void cpmpf_rpc_record_reload(rpc_t *rpc, void *ctx);

#endif
