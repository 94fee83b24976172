/*
 * cpm_cf: running Group Sessions written through to the database and read
 * back at start-up (issue 7 item 11: "written through to the database so
 * groups and running sessions are known again after a restart").
 *
 * No SIP worker writes the database (SQLite takes one writer at a time,
 * kamailio-facts.md; cpm_pf's cpmpf_dbq is the pattern): a process calls
 * cpmcf_persist_touch(s) after it changed session s (created, a participant
 * joined, connected, left, a dialog refreshed, ended); that queues the
 * session's user part in shm under a short lock.  The CF's own writer
 * process takes the queue, reads each session's current state from the
 * shared table (under the session's lock, copied to pkg) and replaces its
 * rows (cpm_cf_session, cpm_cf_participant) in one transaction, or deletes
 * them when the session has ended.  A full queue makes the writer rewrite
 * every running session instead: no change is lost.
 *
 * mod_init (cpmcf_persist_init, before the fork) reads the tables back into
 * the shared table: each participant that was in a dialog gets its dialog
 * rebuilt (tm dlg_t: Call-ID, tags, CSeqs, URIs, remote target, next hop,
 * route set), so the focus can send BYE and NOTIFY in it and match the
 * participant's in-dialog requests; invitations in flight are lost with tm's
 * transactions (those participants are disconnected).
 */
#ifndef CPMCF_PERSIST_H
#define CPMCF_PERSIST_H

#include "cpmcf_session_core.h"

/* mod_init, after the session table and tm: binds the DB module, loads the
 * running sessions, registers the writer process.  0 or -1.  Without
 * db_url nothing is persisted (0). */
int cpmcf_persist_init(void);
/* child_init(PROC_MAIN): forks the writer; 0 or -1 */
int cpmcf_persist_fork(void);
void cpmcf_persist_destroy(void);

/* any process, no lock held: session s changed (or ended) */
void cpmcf_persist_touch(cpmcf_sess_t *s);

/* sessions restored at start-up (statistic / RPC) */
int cpmcf_persist_restored(void);

#endif
