/*
 * cpm_pf: what every concern that reads the PF's tables shares -- the
 * module parameter db_url and the conversion of a result column into C
 * values (db_sqlite, db_postgres and the other DB modules hand a column
 * back as STRING, STR, BLOB, INT, BIGINT or DOUBLE depending on the driver).
 */
#ifndef CPMPF_DB_H
#define CPMPF_DB_H

#include "core/str.h"
#include "core/locking.h"
#include "lib/srdb1/db_val.h"

/* modparam db_url: the database of the PF's tables */
extern str cpmpf_db_url;

/* view of a text or blob column: 0 (a NULL column gives the empty string),
 * -EINVAL for a column of another type.  out points into the result. */
int cpmpf_db_val_str(db_val_t *v, str *out);

/* integer value of a column: NULL or not a number gives dflt; a text column
 * is read as a decimal number */
long long cpmpf_db_val_ll(db_val_t *v, long long dflt);

/* A table cached in shared memory for the SIP workers (the PF's tables are
 * read at start-up and by RPC, never on the message path): the current
 * block, read under the lock (held for one lookup and a copy, never across a
 * send or a return); a reload builds a new block in the RPC process and
 * swaps it in whole, so no reader sees a half-built table. */
typedef struct cpmpf_cache {
	gen_lock_t lock;
	void *cur; /* one shm block (or the concern's own table), may be NULL */
} cpmpf_cache_t;

/* mod_init: an empty cache in shm; NULL on no memory */
cpmpf_cache_t *cpmpf_cache_new(void);
/* puts nu in, returns the block it replaces (the caller frees it after) */
void *cpmpf_cache_swap(cpmpf_cache_t *c, void *nu);
/* mod_destroy: frees the current block with free_cur (shm_free when NULL),
 * the cache, and sets *c to NULL */
void cpmpf_cache_destroy(cpmpf_cache_t **c, void (*free_cur)(void *));

#endif
