/*
 * cpm_cf group standalone messages (RFC 5365; seed 5.1, 6.1; issue 7 item
 * 9): cpm_cf_message() fans a MESSAGE to a pre-defined group, or to the
 * conference factory with a recipient list, out to the recipients, each copy
 * handed to this proxy's own request_route by an async worker (as UAC to the
 * proxy itself on a TCP-only proxy) so the recipient's terminating PF
 * (LOCATION, deferred delivery, preferences, privacy) handles it.  See
 * docs/cpm_cf.md "Group standalone messages".  Pure part: cpmcf_msg_core.h.
 */
#ifndef CPMCF_MSG_H
#define CPMCF_MSG_H

#include "core/str.h"
#include "core/parser/msg_parser.h"

/* modparams (cpm_cf_mod.c) */
extern str cpmcf_factory_user;
extern int cpmcf_max_participants;
extern int cpmcf_max_pager_size;

/* mod_init: tm, sl, cpm_warning, statistics; 0 or -1 */
int cpmcf_msg_init(void);

/* the script function: 1 fanned out (202 sent), -2 refused (the reply is
 * sent), -1 error (no reply sent: the script answers 500).
 * auth_user: the digest-authenticated user ($avp(cpm_auth_user)), empty
 * when none; trusted: 1 when a trusted peer sent it (its
 * P-Asserted-Identity is the sender) */
int ki_cpm_cf_message(sip_msg_t *msg, str *auth_user, int trusted);

/* 1 when msg is a group MESSAGE copy this async worker is handing to
 * request_route right now (never on the wire: no retransmission of it can
 * exist), else -1; docs/cpm_cf.md "cpm_cf_is_copy()" */
int ki_cpm_cf_is_copy(sip_msg_t *msg);

/* the module's response callback: 0 (drop) for an answer to a copy (its
 * Via branch is the CF's), 1 for anything else */
int cpmcf_copy_reply(sip_msg_t *msg);

#endif
