/*
 * cpm_pf identity core (pure C): the table of each served user's CPM
 * Addresses (seed 6.1: SIP and TEL URIs; the first, flagged default, is what
 * the PF asserts when the client prefers none), hashed by user name and by
 * URI, built into ONE block from the rows of the cpm_identity table so the
 * glue can place it in shared memory and swap it whole on reload.
 */
#ifndef CPMPF_IDENTITY_CORE_H
#define CPMPF_IDENTITY_CORE_H

#include <stddef.h>
#include "core/str.h"

#define CPMPF_URI_MAX 256 /* longest URI kept (normalized) */
#define CPMPF_USER_MAX 64 /* longest user name kept */
#define CPMPF_IDS_MAX 8   /* identities of one user the PF looks at */
#define CPMPF_PID_MAX 10  /* values of one identity header looked at (as the
                           * core's NUM_PAI_BODIES) */

typedef enum { CPMPF_URI_SIP = 1, CPMPF_URI_TEL = 2 } cpmpf_uri_kind_t;

/* one row of cpm_identity */
typedef struct cpmpf_id_row {
	str user;
	str uri;
	int is_default;
	int allow_anonymity;
} cpmpf_id_row_t;

/* one identity as the table returns it (pointers into the table) */
typedef struct cpmpf_id {
	str uri;  /* as provisioned */
	str norm; /* normalized (cpmpf_uri_norm) */
	int kind; /* cpmpf_uri_kind_t */
	int is_default;
} cpmpf_id_t;

typedef struct cpmpf_idtab cpmpf_idtab_t;

int cpmpf_uri_norm(const char *s, int len, char *buf, int size, int *kind);

cpmpf_idtab_t *cpmpf_idtab_build(const cpmpf_id_row_t *rows, int n,
		void *(*alloc)(size_t), int *err);
int cpmpf_idtab_count(const cpmpf_idtab_t *t);
int cpmpf_idtab_user(const cpmpf_idtab_t *t, const str *user, cpmpf_id_t *out,
		int max, int *allow_anonymity);
int cpmpf_idtab_owner(const cpmpf_idtab_t *t, const str *uri, str *user);
/* the same for a URI already in normal form (cpmpf_uri_norm()) */
int cpmpf_idtab_owner_norm(
		const cpmpf_idtab_t *t, const char *norm, int nlen, str *user);
int cpmpf_idtab_row(const cpmpf_idtab_t *t, int i, str *user, cpmpf_id_t *id,
		int *allow_anonymity);

/* one P-Asserted-Identity / P-Preferred-Identity value (pointers into the
 * header body) */
typedef struct cpmpf_pid {
	str display; /* the display-name as received (quotes kept), or empty */
	str uri;     /* the addr-spec */
} cpmpf_pid_t;

/* the values of one header body (ABNF in cpmpf_identity_core.c), at most
 * max (the rest is not looked at): their count (>= 1), -EINVAL when
 * malformed */
int cpmpf_pid_parse(const char *s, int len, cpmpf_pid_t *out, int max);
/* printer paired with cpmpf_pid_parse(): `display <uri>` joined by ", "
 * into buf (NUL-terminated); the length, -EINVAL, -ENOSPC */
int cpmpf_pid_print(const cpmpf_pid_t *v, int n, char *buf, int size);

#endif
