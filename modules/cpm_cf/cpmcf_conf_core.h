/*
 * cpm_cf: participant information (issue 7 item 4, seed 4.1, RFC 4575),
 * pure code: the conference-info document of a Group Session as one
 * subscriber sees it, from the session's participant records and the
 * anonymity of each (issue 7 item 8, seed 6.3).
 *
 * Full state (RFC 4575 4.2 / 6): every participant URI once (a participant
 * who rejoined has several slots: the latest counts); partial state: the
 * one <user> that changed (a join, a leave, a display-name change), with
 * <conference-state><user-count> for the session.  In the form rcsjta
 * parses (client-dialects.md "Conference state"): entity, state and
 * version on the root, <maximum-user-count>, yourown="true" on the
 * subscriber's own entry, endpoint statuses it maps and no <media>.
 * An anonymous participant (seed 6.3) appears under its anonymous URI and
 * pseudonym only: its real URI is in no document.
 */
#ifndef CPMCF_CONF_CORE_H
#define CPMCF_CONF_CORE_H

#include "cpmcf_session_core.h"

/* an anonymous participant of a session (by its real URI) */
typedef struct cpmcf_anon {
	char uri[CPMCF_URI_MAX]; /* the real URI (never shown) */
	int uri_len;
	char pseudo[CPMCF_NAME_MAX]; /* the pseudonym shown */
	int pseudo_len;
	int no; /* >= 1: sip:anonymous-<no>@anonymous.invalid */
} cpmcf_anon_t;

/* the anonymity record of uri in a[0..n), or NULL */
const cpmcf_anon_t *cpmcf_anon_find(const cpmcf_anon_t *a, int n,
		const str *uri);

/* the document: full state (changed < 0) or partial for the participant
 * of slot `changed`; `subscriber` gets yourown="true" on its own entry.
 * Length, -ENOSPC, -EINVAL, -ENOMEM */
int cpmcf_conf_doc(const cpmcf_sess_t *s, const cpmcf_anon_t *a, int na,
		const str *subscriber, long version, int changed, char *buf,
		int size);

#endif
