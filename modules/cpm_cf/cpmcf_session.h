/*
 * cpm_cf: Group Sessions in shared memory (issue 7 item 11).
 *
 * The table of cpmcf_session_core.c in shm, one lock per slot.  A session
 * is reached only through cpmcf_sess_get*() (a reference, no lock held on
 * return) and left with cpmcf_sess_put(); its fields are read and changed
 * between cpmcf_sess_lock() and cpmcf_sess_unlock(), never across a send.
 */
#ifndef CPMCF_SESSION_H
#define CPMCF_SESSION_H

#include "cpmcf_session_core.h"

extern const cpmcf_alloc_t cpmcf_shm;

int cpmcf_session_init(int size);
void cpmcf_session_destroy(void);

/* the session whose identity has this user part, referenced; NULL */
cpmcf_sess_t *cpmcf_sess_get(const str *user);
/* the running session with this Contribution-ID (a restart), referenced */
cpmcf_sess_t *cpmcf_sess_get_contrib(const str *contrib_id);
void cpmcf_sess_put(cpmcf_sess_t *s);
void cpmcf_sess_lock(cpmcf_sess_t *s);
void cpmcf_sess_unlock(cpmcf_sess_t *s);
/* links a new session (the caller keeps its own reference): 0, -EEXIST */
int cpmcf_sess_insert(cpmcf_sess_t *s);
/* unlinks it: new requests for it get 404 (Warning 123) */
void cpmcf_sess_remove(cpmcf_sess_t *s);
int cpmcf_sess_count(void);

/* calls f on each running session, referenced, no lock held */
void cpmcf_sess_each(void (*f)(cpmcf_sess_t *s, void *arg), void *arg);

#endif
