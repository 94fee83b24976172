/*
 * cpm_cf pre-defined groups (seed 5.2, 6.1; issue 7 items 2 and 11): the
 * cpm_group / cpm_group_member tables, cached in shared memory for the SIP
 * workers (read at start-up and by RPC, never on the message path), the
 * OMA XDM import and the group RPCs.  Pure part: cpmcf_group_core.h.
 *
 * Readers take a reference to the current table (cpmcf_group_acquire: the
 * lock is held for one pointer copy and a counter increment), use it without
 * any lock -- across sends too -- and drop it (cpmcf_group_release); a
 * reload swaps in a new table, and the old one is freed by whoever drops
 * its last reference, so no process ever reads a freed table.
 */
#ifndef CPMCF_GROUP_H
#define CPMCF_GROUP_H

#include "core/str.h"
#include "core/rpc.h"
#include "cpmcf_group_core.h"

/* modparams (cpm_cf_mod.c) */
extern str cpmcf_db_url;
extern char *cpmcf_groups_file;

/* mod_init: binds the DB module, imports groups_file when set, loads the
 * tables into shm.  0 or -1 */
int cpmcf_group_init(void);
void cpmcf_group_destroy(void);

/* the current table with a reference (NULL when none), and its release */
cpmcf_gtab_t *cpmcf_group_acquire(void);
void cpmcf_group_release(cpmcf_gtab_t *t);

/* cpmcf_uri_key() with the core's idea of "myself" (check_self) */
int cpmcf_group_key(const str *uri, char *buf, int size);

/* 1 when uri names a pre-defined group, 0 otherwise (for cpm_cf_is_mine()) */
int cpmcf_group_exists(str *uri);

extern rpc_export_t cpmcf_group_rpc[];



/* replaces each group of g (by URI) and its members (m[i].group_key holds
 * the member's group URI here) in the database, in one transaction; 0 or
 * -1.  Runs in mod_init or the RPC process, never in a SIP worker. */
int cpmcf_group_write(const cpmcf_group_row_t *g, int ng,
		const cpmcf_member_row_t *m, int nm);

/* parses an OMA XDM shared-group document (lib/cpm_xdm, hardened XML) and
 * writes its groups (cpmcf_group_write); *ng / *nm (may be NULL): groups and
 * members imported.  0, or -1 with nothing written */
int cpmcf_group_import_file(const char *path, int *ng, int *nm);
#endif
