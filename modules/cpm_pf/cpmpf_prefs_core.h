/*
 * cpm_pf: User Preferences Profiles (seed 4.1).  Pure code: the rules, a
 * hash table of users, evaluation.  The glue (cpmpf_prefs.c) keeps one table
 * in shared memory, built at start-up from the database.
 *
 * A user has named profiles (e.g. Office, Home, Meeting), one of them
 * active.  A profile holds at most one rule per service (cpmh_service_t:
 * msg, session, filetransfer, ...):
 *   action   deliver | defer | reject
 *   status   the reject status (400..699), e.g. 486, 603
 *   reason   the reject reason phrase ("" = module default)
 *   devices  "" or "*" = every device; else the +sip.instance values of
 *            the devices that get the service, comma separated
 * No user, no active profile or no rule for the service: deliver to every
 * device (the default of a user who never set preferences).
 *
 *   devices  = "" / "*" / item *( "," item )   (SP / HTAB around ignored)
 *   item     = 1*( %x21-2B / %x2D-7E )          (VCHAR but ",")
 */
#ifndef CPMPF_PREFS_CORE_H
#define CPMPF_PREFS_CORE_H

#include <stddef.h>
#include "core/str.h"
#include "../cpm_headers/cpmh_service.h"

typedef enum cpmpf_pref_action {
	CPMPF_PREF_DELIVER = 0,
	CPMPF_PREF_DEFER,
	CPMPF_PREF_REJECT
} cpmpf_pref_action_t;

typedef struct cpmpf_pref_rule {
	int set; /* 1 if the profile has a rule for the service */
	cpmpf_pref_action_t action;
	int status;
	str reason;
	str devices;
} cpmpf_pref_rule_t;

typedef struct cpmpf_pref_profile {
	str name;
	cpmpf_pref_rule_t rules[CPMH_SVC_COUNT];
	struct cpmpf_pref_profile *next;
} cpmpf_pref_profile_t;

typedef struct cpmpf_pref_user {
	str name;
	unsigned int hash;
	cpmpf_pref_profile_t *profiles;
	cpmpf_pref_profile_t *active;
	int dirty; /* active profile changed, not yet persisted */
	struct cpmpf_pref_user *next;
} cpmpf_pref_user_t;

/* the allocator of a table (malloc in unit tests, shm in the module) */
typedef struct cpmpf_alloc {
	void *(*alloc)(size_t size);
	void (*free)(void *p);
} cpmpf_alloc_t;

typedef struct cpmpf_pref_table {
	unsigned int size; /* power of two */
	cpmpf_pref_user_t **slots;
	const cpmpf_alloc_t *a;
} cpmpf_pref_table_t;

/* "deliver" / "defer" / "reject" (case-insensitive) -> action;
 * 0, -ENOENT, -EINVAL */
int cpmpf_pref_action_from_name(const str *name, cpmpf_pref_action_t *act);
const char *cpmpf_pref_action_name(cpmpf_pref_action_t act);

/* 1 if the devices list names every device ("" or "*") */
int cpmpf_devlist_all(const str *list);
/* 1 if the list names every device or holds instance, else 0 */
int cpmpf_devlist_has(const str *list, const str *instance);
/* 0 if the list is valid (grammar above), -EBADMSG if not */
int cpmpf_devlist_check(const str *list);
/* printer: the canonical form of a valid list into buf (NUL terminated):
 * "*" for every device, else the items without LWS joined by ","; the
 * length, -EBADMSG (invalid list), -ENOSPC (buf too small).  Round trip:
 * print(parse(print(l))) == print(l), same items (unit property test). */
int cpmpf_devlist_print(const str *list, char *buf, int len);
/* the number of items of a valid list (0 for every device) */
int cpmpf_devlist_count(const str *list);

/* a new empty table of at least size slots; NULL on no memory */
cpmpf_pref_table_t *cpmpf_pref_table_new(unsigned int size,
		const cpmpf_alloc_t *a);
void cpmpf_pref_table_free(cpmpf_pref_table_t *t);

cpmpf_pref_user_t *cpmpf_pref_user_find(
		cpmpf_pref_table_t *t, const str *user);

/* add (or replace) the rule for svc in user's profile, creating user and
 * profile as needed; 0, -EINVAL (bad status, devices), -ENOMEM */
int cpmpf_pref_add_rule(cpmpf_pref_table_t *t, const str *user,
		const str *profile, cpmh_service_t svc, cpmpf_pref_action_t act,
		int status, const str *reason, const str *devices);

/* make profile the user's active one (marks the user dirty when it
 * changes); 0, -ENOENT (no such user or profile) */
int cpmpf_pref_set_active(
		cpmpf_pref_table_t *t, const str *user, const str *profile);

/* the rule that applies to svc for user: 0 and *out filled (set = 0 when
 * the default "deliver to all" applies); out's strings point into the
 * table */
int cpmpf_pref_eval(cpmpf_pref_table_t *t, const str *user,
		cpmh_service_t svc, cpmpf_pref_rule_t *out);

#endif
