/*
 * cpm_cf: adding and removing participants (issue 7 item 5; seed 4.1, RFC
 * 4579 5.5 / 5.6, RFC 3515, RFC 4488, RFC 5368) and extending a 1-1
 * session to a group session (item 6; seed 5.2, RFC 3891).
 *
 * A participant sends REFER to the Group Session Identity, in its dialog
 * with the focus or outside it (RFC 4579 5.5 sends it to the conference
 * URI; nothing there requires a dialog): the Refer-To target is invited
 * (no method / method=INVITE; a bare tel: URI) or sent BYE (method=BYE);
 * 202 Accepted, then NOTIFY (Event: refer, message/sipfrag) "100 Trying"
 * and the final status of the invitation, unless `Refer-Sub: false` (RFC
 * 4488: 202 carries Refer-Sub: false) or a multiple-REFER (RFC 5368:
 * `Refer-To: <cid:...>`, `Require: multiple-refer`, a resource list naming
 * the targets; one sipfrag cannot tell several outcomes, so no implicit
 * subscription: the conference event package tells them, seed 4.1).
 */
#ifndef CPMCF_REFER_H
#define CPMCF_REFER_H

#include "core/parser/msg_parser.h"
#include "../cpm_warning/api.h"
#include "cpmcf_session_core.h"
#include "cpmcf_sdp_core.h"

/* module parameter: only the initiator of an ad-hoc session may REFER */
extern int cpmcf_refer_initiator_only;

int cpmcf_refer_init(cpm_warning_api_t *w);
void cpmcf_refer_destroy(void);

/* a REFER to the CF: CPMCF_OK (202 sent), CPMCF_REFUSED (answered),
 * CPMCF_NOT_MINE (a pre-defined group URI: not a session), CPMCF_ERR */
int cpmcf_refer(struct sip_msg *msg);

/* gsess hook: participant i of s changed state; a pending REFER of its
 * invitation gets its final NOTIFY */
void cpmcf_refer_changed(cpmcf_sess_t *s, int i);

/* item 6: a factory INVITE's list entry `uri`: an entry with a Replaces
 * header (RFC 3891 in the URI, RFC 3261 19.1.1) is split into the bare
 * URI (uri, into buf) and the decoded Replaces value.  0 (rep->len 0: no
 * Replaces), -EBADMSG (malformed: 400) */
int cpmcf_extend_entry(str *uri, char *buf, int size, str *rep);

/* the policy code's (cpmcf_gsess.c): invite participant i; a state change */
int cpmcf_gsess_invite(cpmcf_sess_t *s, int i, const cpmcf_sdp_t *offer);
void cpmcf_gsess_changed(cpmcf_sess_t *s, int i);

/* pre-defined groups (helpers S / W): may participant `uri` of session s
 * REFER (XDM <allow-dynamic-invite>, the DYN_INVITE policy bit)?  1 yes,
 * 0 no, -1 not a pre-defined group's session (ad-hoc rules apply) */
int cpmcf_group_may_refer(cpmcf_sess_t *s, const str *uri);

#endif
