/*
 * cpm_cf: CPM Group Sessions, the policy (issue 7 items 1, 3, 7, 10, 11):
 * ad-hoc creation from an RFC 5366 recipient-list INVITE to the conference
 * factory (seed 5.2), rejoin, unknown sessions (404 + Warning 123), ending
 * (the initiator leaves; fewer than two participants), RPC and statistics.
 * The SIP dialogs themselves are cpmcf_dlg.c's.
 */
#ifndef CPMCF_GSESS_H
#define CPMCF_GSESS_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"
#include "../cpm_warning/api.h"
#include "../cpm_headers/api.h"
#include "cpmcf_session_core.h"

/* module parameters of this concern */
extern str cpmcf_factory_user;
extern str cpmcf_session_prefix;

/* 1 when a Request-URI user part names a Group Session: the session
 * prefix (an ad-hoc session's identity, running or not: 404 + Warning 123
 * when not), or a pre-defined group whose session is running (its identity
 * is the group URI, seed 6.1); else 0 (the factory, a group at rest) */
int cpmcf_session_user(const str *user);
extern int cpmcf_max_participants;
extern str cpmcf_msrp_address;
extern int cpmcf_msrp_port;
extern int cpmcf_session_slots;
extern int cpmcf_ack_timeout;
extern int cpmcf_max_sessions;

int cpmcf_gsess_init(cpm_warning_api_t *w, cpm_headers_api_t *h);
void cpmcf_gsess_destroy(void);

/* return values of the script functions */
#define CPMCF_OK 1
#define CPMCF_NOT_MINE -1 /* not the CF's URI */
#define CPMCF_REFUSED -2  /* answered with an error: exit */
#define CPMCF_ERR -3	  /* internal error: the script answers 500 */

/* the Request-URI is the CF's: the factory, a session identity (prefix),
 * or a pre-defined group (cpmcf_group_exists) */
int cpmcf_is_mine(struct sip_msg *msg);
/* an initial INVITE to the CF */
int cpmcf_invite(struct sip_msg *msg);
/* ACK / BYE (CANCEL) in a dialog of the CF */
int cpmcf_dialog(struct sip_msg *msg);

/* pre-defined group sessions: the group-specific display name
 * (seed 6.3, first in its order) of uri in session s's group, into buf
 * (NUL-terminated): its length, -ENOENT (no group, not a member, none set),
 * -ENOSPC; reads the group cache, no lock held on return */
int cpmcf_gsess_group_display(const cpmcf_sess_t *s, const str *uri, char *buf,
		int size);

extern rpc_export_t cpmcf_gsess_rpc[];

#endif
