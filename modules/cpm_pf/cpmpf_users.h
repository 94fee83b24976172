/*
 * cpm_pf glue: the provisioned users (subscriber.username) in shared
 * memory, one set for every concern: deferred delivery (an unknown user is
 * 404, never stored: issue 6 item 4) and interworking (a number that is a
 * user name is served here: seed 6.5).  Loaded in mod_init, reloaded by
 * RPC cpm_pf.users_reload; SIP workers never read the database for it.
 */
#ifndef CPMPF_USERS_H
#define CPMPF_USERS_H

#include "core/str.h"
#include "core/rpc.h"

/* mod_init: loads the set (db_url required); 0 or a negative errno */
int cpmpf_users_init(str *db_url);
void cpmpf_users_destroy(void);

/* 1 when user is a provisioned user name, else 0 (any process) */
int cpmpf_user_served(const str *user);

void cpmpf_rpc_users_reload(rpc_t *rpc, void *ctx);
extern const char *cpmpf_rpc_users_reload_doc[];

#endif
