/*
 * cpm_cf: the focus's SIP dialogs (issue 7: "keep that dialog code in its
 * own files, apart from group policy").
 *
 * The CF is a B2BUA (seed 5.2): every participant has its own dialog with
 * the focus.  The initiator's (or a joining participant's) INVITE is
 * answered as UAS (tm: t_newtran, new_dlg_uas, t_reply_with_body); the CF
 * invites others as UAC (tm: new_dlg_uac, t_uac_with_ids) through this
 * proxy itself, so each invitee's terminating PF runs; tm ACKs the 2xx of
 * those local INVITEs itself (tm uac.c: no TMCB_DONT_ACK).  In-dialog ACK
 * and BYE from participants come back through route[CF]; the CF's BYE
 * goes out with t_request_within, CANCEL with t_uac_cancel.  No lock is
 * held across any send.
 */
#ifndef CPMCF_DLG_H
#define CPMCF_DLG_H

#include "core/parser/msg_parser.h"
#include "cpmcf_session_core.h"

/* the policy's hook: participant i of s changed state (left, failed,
 * connected); called with no lock held and a reference on s */
typedef void (*cpmcf_dlg_change_f)(cpmcf_sess_t *s, int i);

/* the policy's hook: the CF's invitation to participant i was answered
 * 422 (RFC 4028 6): s->parts[i].se holds the interval the invitee asked
 * for (its Min-SE); the hook invites it again (a new INVITE); no lock held,
 * a reference on s.  <0: not sent (the participant is then failed) */
typedef int (*cpmcf_dlg_retry_f)(cpmcf_sess_t *s, int i);

int cpmcf_dlg_init(cpmcf_dlg_change_f on_change, cpmcf_dlg_retry_f on_422);
/* frees a dialog record (session teardown) */
void cpmcf_dlg_release(void *dlg);
/* a stateless reply (sl), for refusals before any transaction exists */
int cpmcf_sl_reply(struct sip_msg *msg, int code, char *reason);
/* the URI of this proxy itself, the CF's next hop (cpmpf_imdn.c's) */
int cpmcf_self_uri(char *buf, int size);

/* answers msg (an INVITE from participant i) 200 with
 * `Contact: <identity>;isfocus` and the SDP; the dialog is recorded in
 * the participant.  0, -EIO (no answer could be sent), -ENOMEM */
int cpmcf_dlg_answer(struct sip_msg *msg, cpmcf_sess_t *s, int i,
		const str *sdp);
/* the CF's INVITE to participant i with the extra headers (ending CRLF,
 * Content-Type included) and SDP body; the transaction holds a reference
 * on s until its final answer.  0, -EIO, -ENOMEM */
int cpmcf_dlg_invite(cpmcf_sess_t *s, int i, const str *hdrs, const str *sdp);
/* participant i leaves by the CF's doing: BYE when in a dialog (with
 * `Reason: SIP;cause=410;text="Gone"` when gone), CANCEL while invited.
 * 1 sent, 0 nothing to do */
int cpmcf_dlg_leave(cpmcf_sess_t *s, int i, int gone);
/* an in-dialog request from a participant (ACK, BYE; others 405 from the
 * script) to session s: 1 handled (answered when it needs an answer),
 * -ENOENT (no such dialog: 481 sent) */
int cpmcf_dlg_request(struct sip_msg *msg, cpmcf_sess_t *s);

/* a participant's re-INVITE or UPDATE in its dialog with the focus (a
 * session refresh, RFC 4028, or a new offer): the dialog learns the new
 * remote target and CSeq; answered 200 with the focus Contact and, when
 * sdp is not NULL, that SDP (tm transaction).  The participant's index, or
 * -ENOENT (481 sent), -EIO */
int cpmcf_dlg_refresh(struct sip_msg *msg, cpmcf_sess_t *s, const str *sdp);

/* a dialog the CF answered as UAS without a route set sends to
 * the request's source (RFC 3581), as cpmcf_dlg_answer() does.  0, <0 */
int cpmcf_dlg_keep_source(struct sip_msg *msg, void *dlg);

/* ---- item 7 (seed 5.2): a participant who stops answering is removed ---- */

/* session timer parameters (RFC 4028): the focus's interval and Min-SE */
extern int cpmcf_session_expires;
extern int cpmcf_min_se;

/* RFC 4028 8.1 / 9, before anything is created for a participant's INVITE
 * or UPDATE: 0 acceptable; -ERANGE (Session-Expires below min_se: 422 with
 * Min-SE sent), -EBADMSG (malformed: 400 sent) */
int cpmcf_dlg_st_check(struct sip_msg *msg);
/* the focus is participant i's refresher and half the interval passed:
 * UPDATE with Session-Expires (RFC 4028 7.4); its failure (RFC 5057)
 * removes the participant.  1 sent, 0 nothing to do, -EIO */
int cpmcf_dlg_st_refresh(cpmcf_sess_t *s, int i);
/* participant i refreshes and did not in time (RFC 4028 10): BYE, removed
 * (status 408: RFC 4575 disconnection-method failed).  1 removed, 0 not */
int cpmcf_dlg_expire(cpmcf_sess_t *s, int i);
/* an in-dialog request of the focus in participant i's dialog (a REFER's
 * NOTIFY: method, extra headers, body) whose failure removes the
 * participant (RFC 5057, cpmcf_usage_gone()).  0 sent, -ENOENT (no
 * dialog), -EIO */
int cpmcf_dlg_within(cpmcf_sess_t *s, int i, const str *method,
		const str *hdrs, const str *body);
/* the participant of this dialog did not take a request of the focus
 * (final answer `code`): removed as if it had left (481: the dialog is gone,
 * no BYE; otherwise BYE), status `code`, the change hook runs */
void cpmcf_dlg_gone(cpmcf_sess_t *s, const str *callid, const str *ltag,
		int code);

/* 1 when a Require header of msg (parsed) lists the option tag (RFC 3261
 * 20.32; any case, several Require headers: rcsjta sends two) */
int cpmcf_requires(sip_msg_t *msg, const char *tag);

#endif
