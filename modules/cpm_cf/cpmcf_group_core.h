/*
 * cpm_cf pre-defined groups, pure part (seed 5.2, 6.1; issue 7 items 2, 9,
 * 11): the table of CPM Pre-defined Groups -- each group's URI, display
 * name, policy and members -- built into ONE block from the rows of the
 * cpm_group and cpm_group_member tables, so the glue can place it in shared
 * memory, hand it to readers by reference count and swap it whole on reload.
 *
 * Every URI is also kept as a comparison key (cpmcf_uri_key): a group is
 * found, and a sender recognised as a member, by key.  The key of a URI of
 * the served domain is its user part alone, so sip:friends@127.0.0.1,
 * sip:friends@localhost and sip:friends@127.0.0.1:5060 are one group (the
 * cfg serves one domain under several names: `alias`); any other SIP URI's
 * key is user@host (host lowercase, no port, no parameters); a TEL URI's is
 * "tel:" and its number without parameters.
 */
#ifndef CPMCF_GROUP_CORE_H
#define CPMCF_GROUP_CORE_H

#include <stddef.h>
#include "core/str.h"

#define CPMCF_URI_MAX 256     /* longest group or member URI kept */
#define CPMCF_DISPLAY_MAX 128 /* longest display name kept */
#define CPMCF_MEMBERS_MAX 10000 /* members of one group the table holds */

/* is host[:port] one of ours?  1 yes, 0 no (the glue: the core's
 * check_self(); a test: a stub) */
typedef int (*cpmcf_is_local_f)(const str *host, unsigned short port);

/*
 * The comparison key of a URI (see above), into buf (NUL-terminated):
 *
 *   SIP-URI  = ("sip:" / "sips:") [ user [":" password] "@" ] host
 *              [ ":" port ] *( ";" uri-parameter ) [ "?" headers ]
 *   TEL-URI  = "tel:" number *( ";" par )          (RFC 3966)
 *
 * A SIP URI without a user part has no key (a group and a member are
 * users).  Returns the key's length, -EINVAL for no SIP/TEL URI, -ENOSPC.
 */
int cpmcf_uri_key(const str *uri, cpmcf_is_local_f is_local, char *buf,
		int size);

typedef struct cpmcf_member {
	str uri;          /* as provisioned */
	str key;          /* cpmcf_uri_key */
	str display_name; /* the group-specific display name (seed 6.3), may be empty */
} cpmcf_member_t;

typedef struct cpmcf_group {
	str uri, key, display_name;
	int max_participants; /* 0: the module's max_participants */
	unsigned int policy;  /* CPM_XDM_P_* bits (lib/cpm_xdm.h) */
	int n_members;
	cpmcf_member_t *members;
} cpmcf_group_t;

/* rows as the glue reads them from the database (keys already computed:
 * an empty key skips the row) */
typedef struct cpmcf_group_row {
	str uri, key, display_name;
	int max_participants;
	unsigned int policy;
} cpmcf_group_row_t;

typedef struct cpmcf_member_row {
	str group_key; /* key of the group's URI */
	str uri, key, display_name;
} cpmcf_member_row_t;

typedef struct cpmcf_gtab cpmcf_gtab_t;

/*
 * One block with every group and member (alloc: shm_malloc in the module,
 * malloc in the tests; free the block with the matching free).  Skipped and
 * counted in *skipped: rows without key, a second group with the same key, a
 * member of no group, a member listed twice in a group, a member that is
 * its own group, a URI or display name over the limits, more than
 * CPMCF_MEMBERS_MAX members.  NULL on no memory.
 */
cpmcf_gtab_t *cpmcf_gtab_build(const cpmcf_group_row_t *g, int ng,
		const cpmcf_member_row_t *m, int nm, void *(*alloc)(size_t),
		int *skipped);

/* the number of groups, the i-th group (in row order), a group by key */
int cpmcf_gtab_count(const cpmcf_gtab_t *t);
const cpmcf_group_t *cpmcf_gtab_at(const cpmcf_gtab_t *t, int i);
const cpmcf_group_t *cpmcf_gtab_find(const cpmcf_gtab_t *t, const str *key);

/* the reference count the glue keeps in the block (read and changed only
 * under the cache lock): starts at 1, the cache's own reference */
int *cpmcf_gtab_ref(cpmcf_gtab_t *t);

/* index of the member with this key, -1 when none */
int cpmcf_group_member(const cpmcf_group_t *g, const str *key);

#endif
