/*
 * cpm_pf users core (pure C): the set of provisioned user names (the
 * `subscriber` table), built into ONE block so the glue can place it in
 * shared memory and swap it whole on reload.
 *
 * Two decisions of the PF read it on the message path, where no database
 * I/O is allowed: deferred delivery (issue 6 item 4: an unknown user is 404,
 * never stored) and interworking (seed 6.5: a number that is a user name is
 * served here, not sent to the ISF).
 */
#ifndef CPMPF_USERS_CORE_H
#define CPMPF_USERS_CORE_H

#include <stddef.h>
#include "core/str.h"

typedef struct cpmpf_userset cpmpf_userset_t;

/* Builds the set of n names (n may be 0) in one block from alloc: sorted,
 * empty names skipped, duplicates kept once; user names compare
 * case-sensitively (RFC 3261 19.1.4, as auth_db matches them).  The caller
 * frees the block with the free of its allocator.  NULL when alloc fails or
 * the arguments are invalid. */
cpmpf_userset_t *cpmpf_userset_build(
		const str *names, int n, void *(*alloc)(size_t));
/* 1 when name is in the set, 0 when not (or the set is NULL) */
int cpmpf_userset_has(const cpmpf_userset_t *set, const str *name);
/* names in the set */
int cpmpf_userset_count(const cpmpf_userset_t *set);

#endif
