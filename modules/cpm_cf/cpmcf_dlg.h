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

int cpmcf_dlg_init(cpmcf_dlg_change_f on_change);
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

/* 1 when a Require header of msg (parsed) lists the option tag (RFC 3261
 * 20.32; any case, several Require headers: rcsjta sends two) */
int cpmcf_requires(sip_msg_t *msg, const char *tag);

#endif
