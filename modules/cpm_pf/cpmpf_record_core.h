/*
 * cpm_pf recording (seed 4.1: "recording of CPM Standalone Messages ... in
 * a network-based storage subject to the preferences of the CPM User and
 * service provider policies"; issue 6 item 9): the pure parts -- the
 * recording rule, the role argument, the asserted originator read from the
 * originating step's $xavp(cpmpf_orig) value, and the sorted per-user
 * preference set the SIP workers consult in shm.  No struct sip_msg, no
 * locking, no database: unit-tested in tests/unit/test_cpmpf_record.c.
 */
#ifndef CPMPF_RECORD_CORE_H
#define CPMPF_RECORD_CORE_H

#include "core/str.h"

/* operator policy (module parameter `record`, RPC cpm_pf.record_policy) */
#define CPMPF_REC_OFF 0    /* nothing is recorded */
#define CPMPF_REC_ON 1     /* every user, unless the user opted out */
#define CPMPF_REC_OPTIN 2  /* only users who opted in */
#define CPMPF_REC_POLICY_MAX 2

/* a user's preference: absent (-1, no row), opted out (0), opted in (1) */
#define CPMPF_RPREF_NONE (-1)
#define CPMPF_RPREF_OUT 0
#define CPMPF_RPREF_IN 1

/* roles of cpm_pf_record() */
#define CPMPF_REC_ORIG 0
#define CPMPF_REC_TERM 1

#define CPMPF_RPREF_USER_MAX 64

typedef struct cpmpf_rpref {
	int len;
	int flag;
	char user[CPMPF_RPREF_USER_MAX];
} cpmpf_rpref_t;

/* The rule (docs/cpm_pf.md "Recording"): 1 record, 0 do not.
 * policy OFF: never; ON: unless the user opted out; OPTIN: only when the
 * user opted in.  An unknown policy records nothing. */
int cpmpf_record_decide(int policy, int pref);

/* "orig" -> CPMPF_REC_ORIG, "term" -> CPMPF_REC_TERM, else -EINVAL */
int cpmpf_record_role(const str *s);
/* the role's name as stored in the direction column */
const char *cpmpf_record_role_name(int role);

/* The asserted originator's SIP URI from a $xavp(cpmpf_orig) value, whose
 * format cpmpf_orig.c defines: <mode char><sip URI> LF <tel URI> LF
 * <display>.  0 and *sip points into xval; -EINVAL when malformed or the
 * SIP URI is empty. */
int cpmpf_record_orig_sip(const str *xval, str *sip);

/* Sorted preference set (by user, bytewise).  find: the user's flag or
 * CPMPF_RPREF_NONE.  set: flag IN/OUT inserts or updates, NONE removes;
 * the array must have room for n+1 entries when inserting (*n grows);
 * 0, or -EINVAL for a user name too long or empty. */
int cpmpf_rpref_find(const cpmpf_rpref_t *a, int n, const str *user);
int cpmpf_rpref_set(cpmpf_rpref_t *a, int *n, const str *user, int flag);

#endif
