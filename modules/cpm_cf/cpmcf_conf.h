/*
 * cpm_cf: participant information (issue 7 item 4, seed 4.1, RFC 4575) and
 * display names / pseudonyms (item 8, seed 6.3), the glue.
 *
 * A participant SUBSCRIBEs to the `conference` event package (RFC 6665,
 * RFC 4575) of a running Group Session Identity; the CF answers 200 and
 * sends NOTIFY in the subscription dialog (tm new_dlg_uas /
 * t_request_within): full state first, then partial state with the version
 * one higher on every join, leave and display-name change (cpmcf_dlg's
 * change hook), terminated on `Expires: 0`, at expiry (reason=timeout) and
 * when the session ends (reason=noresource).  A non-participant gets 403
 * with Warning 127 and nothing is stored.
 *
 * Subscriptions live in shm beside the sessions, in a table of their own
 * keyed by the session identity's user part (a lock per slot, never held
 * across a send nor while a session lock is taken; references keep a
 * subscription alive while a NOTIFY of it is in flight).  The same record
 * holds the session's anonymous participants (seed 6.3).
 */
#ifndef CPMCF_CONF_H
#define CPMCF_CONF_H

#include "core/parser/msg_parser.h"
#include "core/rpc.h"
#include "../cpm_warning/api.h"
#include "cpmcf_session_core.h"

extern int cpmcf_conf_max_expires;
extern int cpmcf_anonymity_forbidden;

int cpmcf_conf_init(cpm_warning_api_t *w);
void cpmcf_conf_destroy(void);

/* SUBSCRIBE to the CF (initial or in a subscription dialog): CPMCF_OK,
 * CPMCF_REFUSED (answered), CPMCF_NOT_MINE, CPMCF_ERR */
int cpmcf_subscribe(struct sip_msg *msg);

/* cpmcf_dlg's change hook (called by the session policy's): participant i
 * of s changed; a reference on s, no lock held */
void cpmcf_conf_changed(cpmcf_sess_t *s, int i);

/* seed 6.3: participant `uri` of s joins with request msg; when it asks
 * for anonymity (Privacy: id) and may have it, it is recorded with its
 * pseudonym (disp, or one the CF chooses).  No lock held. 1 anonymous,
 * 0 not, <0 error */
int cpmcf_conf_anon_join(struct sip_msg *msg, cpmcf_sess_t *s,
		const str *uri, const str *disp);

/* the URI others may see for participant `uri` of the session with this
 * user part: the anonymous URI, or uri itself; into buf.  May be called
 * under the session's lock (the order is: session, then subscriptions) */
int cpmcf_conf_shown_uri(const char *user, int user_len, const str *uri,
		char *buf, int size, str *out);

/* persistence (seed 6.3: an anonymous participant stays anonymous after a
 * restart): a pkg copy of the anonymity records of the session with this
 * user part (the caller pkg_frees *out); their number, -ENOMEM */
struct cpmcf_anon;
int cpmcf_conf_anon_get(const char *user, int len, struct cpmcf_anon **out);
/* mod_init, before the fork: one record read back from the database.
 * 0, -EINVAL (a value too long, no >= 1), -ENOMEM */
int cpmcf_conf_anon_restore(const str *user, const str *uri,
		const str *pseudo, int no);

extern rpc_export_t cpmcf_conf_rpc[];

#endif
