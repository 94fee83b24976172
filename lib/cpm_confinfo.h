/*
 * cpm_confinfo: RFC 4575 conference-info documents (the body of the
 * `conference` event package NOTIFY, issue 7 item 4, seed 4.1 "participant
 * information"): a builder for full and partial state, and a parser (the
 * unit and integration tests read the CF's NOTIFYs with it, and the round
 * trip checks the builder).
 *
 * Schema (RFC 4575 5 / 6, namespace urn:ietf:params:xml:ns:conference-info,
 * reduced to what the CF writes; ##other and the other elements are
 * skipped by the parser):
 *
 *   <conference-info entity=anyURI state="full"|"partial"|"deleted"
 *                    version=unsignedInt>
 *     [<conference-description> [<display-text>] [<subject>]
 *                               [<maximum-user-count>unsignedInt]]
 *     [<conference-state> [<user-count>unsignedInt] [<active>boolean]]
 *     [<users> *<user entity=anyURI state=... [yourown="true"]>
 *                  [<display-text>]
 *                  *<endpoint [entity=anyURI] state=...>
 *                     [<display-text>] [<status>endpoint-status]
 *                     [<joining-method>"dialed-in"|"dialed-out"|
 *                                      "focus-owner"]
 *                     [<joining-info> [<when>dateTime]]
 *                     [<disconnection-method>"departed"|"booted"|
 *                                            "failed"|"busy"]
 *                     [<disconnection-info> [<when>dateTime] [<reason>]]
 *                     *<media id> [<type>] [<status>] </media>
 *                  </endpoint> </user> </users>]
 *   </conference-info>
 *   endpoint-status = "pending" / "dialing-out" / "dialing-in" /
 *                     "alerting" / "on-hold" / "connected" /
 *                     "muted-via-focus" / "disconnecting" / "disconnected"
 *
 * What the reference client needs (shared/notes/client-dialects.md
 * "Conference state", read in rcsjta's parser): `entity` and `state` on
 * <conference-info> (it throws without state: the builder always writes
 * entity, state and version); no <media><status> (it overwrites the
 * endpoint status and throws: the builder writes <media> with <type> only,
 * and only when asked); endpoint statuses it maps: connected,
 * disconnected (+ disconnection-method departed), pending, dialing-in,
 * dialing-out (and non-standard ones we never send); others throw:
 * cpm_ci_status_rcsjta_ok() says which of ours are safe; the
 * non-standard attribute yourown="true" marks the subscriber's own entry;
 * <maximum-user-count> is read.
 *
 * Built with a bounded printer on lib/cpm_lex's cpm_lex_out_t, not with
 * libxml2's tree API: a NOTIFY is built once per subscriber on every join
 * and leave (N participants: N documents per event), and the printer
 * allocates nothing, cannot fail half-way with a tree to free, writes
 * exactly the element and attribute order rcsjta's parser was checked
 * against and escapes as every lib/ printer does (lib/cpm_xmlout.h).
 * libxml2 (through lib/cpm_xml, hardened) is the parser, so every built
 * document is checked by a real XML parser in the round trip and property
 * tests.
 *
 * Errors: -EINVAL (bad arguments; for the builder anything that would not
 * parse back equal: a missing entity, a value out of range, CTL / bad
 * UTF-8 / edge white space in a text), -ENOSPC, -EBADMSG (not RFC 4575:
 * a bad enum / number / boolean, a user without entity), -E2BIG (more
 * users than the caller's array), cpm_xml's codes with -EPERM / -EMLINK
 * named as cpm_rl_classify_doctype does.
 */
#ifndef CPM_CONFINFO_H
#define CPM_CONFINFO_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#define CPM_CI_XMLNS "urn:ietf:params:xml:ns:conference-info"
#define CPM_CI_CONTENT_TYPE "application/conference-info+xml"
#define CPM_CI_BUF_SIZE(len) ((len) + 16)

typedef enum {
	CPM_CI_FULL = 0, /* also the schema default when absent */
	CPM_CI_PARTIAL,
	CPM_CI_DELETED
} cpm_ci_state_t;

typedef enum {
	CPM_CI_ST_NONE = 0, /* no <status> */
	CPM_CI_ST_PENDING,
	CPM_CI_ST_DIALING_OUT,
	CPM_CI_ST_DIALING_IN,
	CPM_CI_ST_ALERTING,
	CPM_CI_ST_ON_HOLD,
	CPM_CI_ST_CONNECTED,
	CPM_CI_ST_MUTED_VIA_FOCUS,
	CPM_CI_ST_DISCONNECTING,
	CPM_CI_ST_DISCONNECTED
} cpm_ci_status_t;

typedef enum {
	CPM_CI_JM_NONE = 0,
	CPM_CI_JM_DIALED_IN,
	CPM_CI_JM_DIALED_OUT,
	CPM_CI_JM_FOCUS_OWNER
} cpm_ci_joining_t;

typedef enum {
	CPM_CI_DM_NONE = 0,
	CPM_CI_DM_DEPARTED,
	CPM_CI_DM_BOOTED,
	CPM_CI_DM_FAILED,
	CPM_CI_DM_BUSY
} cpm_ci_disc_t;

/* one <user> with at most one <endpoint> (the participant's leg with the
 * focus; a parsed user's further endpoints are skipped) */
typedef struct cpm_ci_user {
	cpm_str_t entity;            /* required */
	cpm_str_t display_text;      /* empty: none (or a pseudonym, seed 6.3) */
	cpm_ci_state_t state;
	int yourown;                 /* non-standard yourown="true" (rcsjta) */
	int has_endpoint;            /* 0: no <endpoint> */
	cpm_str_t ep_entity;         /* empty: no entity attribute */
	cpm_ci_state_t ep_state;
	cpm_ci_status_t status;
	cpm_ci_joining_t joining_method;
	cpm_str_t joining_when;      /* <joining-info><when>, empty: none */
	cpm_ci_disc_t disconnection_method;
	cpm_str_t disconnection_when;   /* <disconnection-info><when> */
	cpm_str_t disconnection_reason; /* <disconnection-info><reason> */
	cpm_str_t media_type;        /* <media id="1"><type>: "message"; empty:
	                                no <media>; never a <status> */
} cpm_ci_user_t;

typedef struct cpm_ci {
	cpm_str_t entity;       /* the Group Session Identity, required */
	cpm_ci_state_t state;
	long version;           /* required by the builder; -1: absent (parse) */
	cpm_str_t display_text; /* conference-description/display-text */
	cpm_str_t subject;      /* conference-description/subject */
	long max_users;         /* maximum-user-count, -1: none */
	long user_count;        /* conference-state/user-count, -1: none */
	int active;             /* conference-state/active, -1: none, 0, 1 */
	int has_users;          /* <users> present (always written for full) */
	int n_users;
	cpm_ci_user_t *users;
} cpm_ci_t;

/* Builder: the document of *ci into buf (NUL-terminated when room is
 * left): entity, state and version on the root always; the description
 * when one of its fields is set; <conference-state> when user_count or
 * active is set; <users> when has_users or n_users > 0 or the state is
 * full.  The length, -ENOSPC, -EINVAL. */
int cpm_ci_build(const cpm_ci_t *ci, char *buf, int size);

/* Parser: a conference-info body into *ci, users into u[0..max_users)
 * (ci->users = u), strings copied into buf (CPM_CI_BUF_SIZE(len)
 * suffices).  0 or a negative errno (see above). */
int cpm_ci_parse(const char *s, int len, cpm_ci_t *ci, cpm_ci_user_t *u,
		int max_users, char *buf, int size);

/* names on the wire ("partial", "dialing-out", "departed", ...), NULL out
 * of range / NONE */
const char *cpm_ci_state_name(cpm_ci_state_t s);
const char *cpm_ci_status_name(cpm_ci_status_t s);
const char *cpm_ci_joining_name(cpm_ci_joining_t j);
const char *cpm_ci_disc_name(cpm_ci_disc_t d);

/* 1 when rcsjta maps status s (client-dialects.md): connected,
 * disconnected, pending, dialing-in, dialing-out, or no status */
int cpm_ci_status_rcsjta_ok(cpm_ci_status_t s);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
