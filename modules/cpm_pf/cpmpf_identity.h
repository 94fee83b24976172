/*
 * cpm_pf identity cache (glue): the cpm_identity table (seed 6.1, each
 * served user's SIP and TEL CPM Addresses) read from the database at
 * start-up and by RPC, kept in shared memory, looked up by SIP workers
 * without any database I/O.
 */
#ifndef CPMPF_IDENTITY_H
#define CPMPF_IDENTITY_H

#include "core/str.h"
#include "core/rpc.h"
#include "cpmpf_identity_core.h"

/* a user's identities copied out of the shared table (the lock is not held
 * while the caller uses them) */
typedef struct cpmpf_uid {
	char uri[CPMPF_URI_MAX];
	int len;
	char norm[CPMPF_URI_MAX];
	int nlen;
	int kind;
} cpmpf_uid_t;

typedef struct cpmpf_uids {
	int n;
	int allow_anonymity;
	cpmpf_uid_t id[CPMPF_IDS_MAX];
} cpmpf_uids_t;

int cpmpf_identity_init(str *db_url);
void cpmpf_identity_destroy(void);
int cpmpf_identity_get(const str *user, cpmpf_uids_t *out);
int cpmpf_identity_owner(const str *uri, char *user, int size);
/* the same for a URI in normal form (cpmpf_uri_norm()) */
int cpmpf_identity_owner_norm(const char *norm, int nlen, char *user, int size);

extern rpc_export_t cpmpf_identity_rpc[];

#endif
