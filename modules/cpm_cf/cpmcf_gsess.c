/*
 * cpm_cf: CPM Group Sessions, the policy (cpmcf_gsess.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/dprint.h"
#include "core/counters.h"
#include "core/timer.h"
#include "core/mem/mem.h"
#include "core/ut.h"
#include "core/trim.h"
#include "core/forward.h"
#include "core/parser/parse_uri.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_ppi_pai.h"
#include "core/parser/contact/parse_contact.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_content.h"

#include "../../lib/cpm_multipart.h"
#include "../../lib/cpm_reslist.h"
#include "../../lib/cpm_xdm.h"

#include "cpmcf_gsess.h"
#include "cpmcf_group.h"
#include "cpmcf_persist.h"
#include "cpmcf_session.h"
#include "cpmcf_dlg.h"
#include "cpmcf_sdp_core.h"
#include "cpmcf_timer_core.h" /* RFC 4028 (item 7) */
#include "cpmcf_conf.h" /* participant information hook */
#include "cpmcf_refer.h" /* REFER hook */
#include "cpmcf_dialect.h" /* the invitee's dialect */

str cpmcf_factory_user = str_init("conference-factory");
str cpmcf_session_prefix = str_init("cf-");
int cpmcf_max_participants = 100;
str cpmcf_msrp_address = STR_NULL;
int cpmcf_msrp_port = 2855;
int cpmcf_session_slots = 256;
int cpmcf_ack_timeout = 32;
int cpmcf_max_sessions = 10000;

static cpm_warning_api_t *cpmw;
static cpm_headers_api_t *cpmh;

static counter_handle_t st_created, st_ended, st_invited, st_refused,
		st_unknown;
static counter_def_t gs_counters[] = {
		{&st_created, "sessions_created", 0, 0, 0,
				"ad-hoc Group Sessions created (factory INVITE answered 200)"},
		{&st_ended, "sessions_ended", 0, 0, 0,
				"Group Sessions ended (initiator left, fewer than two, RPC)"},
		{&st_invited, "invitations_sent", 0, 0, 0,
				"INVITEs the CF sent to participants"},
		{&st_refused, "invites_refused", 0, 0, 0,
				"INVITEs to the CF refused (4xx with or without a Warning)"},
		{&st_unknown, "unknown_session", 0, 0, 0,
				"requests to a session identity naming no session (404, "
				"Warning 123)"},
		{0, 0, 0, 0, 0, 0}};


static void on_change(cpmcf_sess_t *s, int i);
static void ack_sweep(unsigned int ticks, void *param);
static int on_422(cpmcf_sess_t *s, int i);

/* the offer of an invitation sent again after a 422 (RFC 4028 6): the
 * initiator's offer is not kept, so the focus offers its own chat, as for
 * a REFERred invitee (cpmcf_sdp_chat_offer()) */
static cpmcf_sdp_t retry_offer;

int cpmcf_gsess_init(cpm_warning_api_t *w, cpm_headers_api_t *h)
{
	cpmw = w;
	cpmh = h;
	if(cpmcf_factory_user.len <= 0 || cpmcf_session_prefix.len <= 0
			|| cpmcf_session_prefix.len > 16) {
		LM_ERR("factory_user must be set and session_prefix 1..16 characters\n");
		return -1;
	}
	if(cpmcf_max_participants < 2 || cpmcf_max_participants > 1000) {
		LM_ERR("max_participants must be 2..1000, not %d\n",
				cpmcf_max_participants);
		return -1;
	}
	if(cpmcf_msrp_port < 1 || cpmcf_msrp_port > 65535) {
		LM_ERR("msrp_port must be 1..65535, not %d\n", cpmcf_msrp_port);
		return -1;
	}
	if(cpmcf_max_sessions < 1 || cpmcf_max_sessions > 1000000) {
		LM_ERR("max_sessions must be 1..1000000, not %d\n", cpmcf_max_sessions);
		return -1;
	}
	if(cpmcf_ack_timeout < 1 || cpmcf_ack_timeout > 300) {
		LM_ERR("ack_timeout must be 1..300 s, not %d\n", cpmcf_ack_timeout);
		return -1;
	}
	/* item 7: participants who never ACK the focus's 200 are removed */
	if(register_timer(ack_sweep, 0, 1) < 0) {
		LM_ERR("cannot register the ACK sweep timer\n");
		return -1;
	}
	if(cpmcf_session_slots < 1 || cpmcf_session_slots > 65536) {
		LM_ERR("session_slots must be 1..65536, not %d\n", cpmcf_session_slots);
		return -1;
	}
	if(counter_register_array("cpm_cf", gs_counters) < 0) {
		LM_ERR("cannot register the session statistics\n");
		return -1;
	}
	if(cpmcf_sdp_chat_offer(&retry_offer) < 0) {
		LM_ERR("the focus's default offer does not parse\n");
		return -1;
	}
	if(cpmcf_dlg_init(on_change, on_422) < 0)
		return -1;
	return cpmcf_session_init(cpmcf_session_slots);
}

void cpmcf_gsess_destroy(void)
{
	cpmcf_session_destroy();
}

static int has_prefix(const str *u, const str *p)
{
	return u->len > p->len && memcmp(u->s, p->s, p->len) == 0;
}

int cpmcf_session_user(const str *user)
{
	cpmcf_sess_t *s;

	if(has_prefix(user, &cpmcf_session_prefix))
		return 1;
	s = cpmcf_sess_get(user);
	if(s == NULL)
		return 0;
	cpmcf_sess_put(s);
	return 1;
}

int cpmcf_is_mine(struct sip_msg *msg)
{
	str ruri;

	if(parse_sip_msg_uri(msg) < 0)
		return CPMCF_NOT_MINE;
	if(msg->parsed_uri.user.len <= 0
			|| check_self(&msg->parsed_uri.host,
					   msg->parsed_uri.port_no ? msg->parsed_uri.port_no
											   : SIP_PORT,
					   0) != 1)
		return CPMCF_NOT_MINE;
	if(STR_EQ(msg->parsed_uri.user, cpmcf_factory_user)
			|| has_prefix(&msg->parsed_uri.user, &cpmcf_session_prefix))
		return CPMCF_OK;
	ruri = *GET_RURI(msg);
	return cpmcf_group_exists(&ruri) ? CPMCF_OK : CPMCF_NOT_MINE;
}

static int refuse(struct sip_msg *msg, int status, const char *reason,
		int warn)
{
	str r = {(char *)reason, reason ? strlen(reason) : 0};

	counter_inc(st_refused);
	LM_DBG("refused %d (%d): %s\n", status, warn, reason ? reason : "");
	if(warn > 0) {
		if(cpmw->reply(msg, status, &r, warn) < 0)
			return CPMCF_ERR;
	} else if(cpmcf_sl_reply(msg, status, (char *)reason) < 0) {
		return CPMCF_ERR;
	}
	return CPMCF_REFUSED;
}

static int ceq(cpm_str_t v, const char *lit)
{
	int n = strlen(lit);
	return v.len == n && strncasecmp(v.s, lit, n) == 0;
}

/* the focus's MSRP endpoint of participant i (item 10) */
static void focus_of(cpmcf_sess_t *s, int i, char *pid, int psize,
		cpmcf_focus_t *f)
{
	struct socket_info *si = udp_listen ? udp_listen : tcp_listen;

	memset(f, 0, sizeof(*f));
	if(cpmcf_msrp_address.len > 0) {
		f->addr = cpmcf_msrp_address;
	} else if(si) {
		f->addr = si->address_str;
	}
	f->ipv6 = memchr(f->addr.s, ':', f->addr.len) != NULL;
	f->port = cpmcf_msrp_port;
	/* RFC 4975 session-id: the session's hex and the leg's index, so the
	 * switch finds leg and session from a frame's To-Path */
	if(s->group_len > 0) /* a pre-defined group's: its user part */
		f->path_id.len = snprintf(pid, psize, "%.*sp%d", s->user_len,
				s->user, i);
	else
		f->path_id.len = snprintf(pid, psize, "%.*sp%d",
				s->user_len - cpmcf_session_prefix.len,
				s->user + cpmcf_session_prefix.len, i);
	f->path_id.s = pid;
	f->version = (unsigned int)s->created + i;
}

static int focus_sdp(cpmcf_sess_t *s, int i, const cpmcf_sdp_t *in, int answer,
		char *buf, int size)
{
	char pid[64];
	cpmcf_focus_t f;

	focus_of(s, i, pid, sizeof(pid), &f);
	return cpmcf_sdp_focus(in, answer, &f, buf, size);
}

/* the group feature tag of a dialect (client-dialects.md) */
#define TAG_RCS "+g.oma.sip-im"
#define TAG_UP                                  \
	"+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm." \
	"session.group\""

/* headers of the CF's INVITEs: the Group Session Identity as
 * authenticated originator (seed 6.1), the initiator in Referred-By, the
 * CPM identifiers unchanged (seed 5.3), Subject, the group feature tag of
 * `up` (the invitee's dialect, cpmcf_dialect_core.h) */
static int invite_headers(cpmcf_sess_t *s, int i, int up, const str *rbv,
		char *buf, int size)
{
	int n;
	const char *tag = up ? TAG_UP : TAG_RCS;
	/* REFER (items 5, 6): a REFERred invitee's Referred-By names its
	 * referrer, any other the initiator (RFC 3892); seed 6.3: an
	 * anonymous one by its anonymous URI, never its own */
	char rbuf[CPMCF_URI_MAX + 2];
	str ini = {s->initiator, s->initiator_len}, rb;
	int m;

	if(s->parts[i].referrer_len > 0) {
		ini.s = s->parts[i].referrer;
		ini.len = s->parts[i].referrer_len;
	}
	/* seed 6.1: the referrer's SIP and TEL URIs (rbv, looked up by the
	 * caller) unless seed 6.3 hides it behind its anonymous URI */
	if(cpmcf_conf_shown_uri(s->user, s->user_len, &ini, rbuf, sizeof(rbuf), &rb)
					== 0
			&& rbv->len > 0)
		rb = *rbv;
	else if(rb.len + 2 <= (int)sizeof(rbuf)) {
		memmove(rbuf + 1, rb.s, rb.len);
		rbuf[0] = '<';
		rbuf[rb.len + 1] = '>';
		rb.s = rbuf;
		rb.len += 2;
	} else {
		return -ENOSPC;
	}

	n = snprintf(buf, size,
			"Contact: <%.*s>;%s;isfocus\r\n"
			"P-Asserted-Identity: <%.*s>\r\n"
			"Referred-By: %.*s\r\n"
			"Accept-Contact: *;%s\r\n"
			"Allow: INVITE, ACK, BYE, CANCEL, UPDATE, MESSAGE, SUBSCRIBE, NOTIFY,"
			" REFER\r\n"
			"%s%.*s%s"
			"Contribution-ID: %.*s\r\n"
			"%s%.*s%s"
			"%s"
			"Supported: timer\r\n"
			"Session-Expires: %d;refresher=uac\r\n"
			"Min-SE: %d\r\n"
			"Content-Type: application/sdp\r\n",
			s->identity_len, s->identity, tag, s->identity_len, s->identity,
			rb.len, rb.s, tag,
			s->conv_id_len ? "Conversation-ID: " : "", s->conv_id_len,
			s->conv_id, s->conv_id_len ? "\r\n" : "", s->contrib_id_len,
			s->contrib_id, s->subject_len ? "Subject: " : "", s->subject_len,
			s->subject, s->subject_len ? "\r\n" : "",
			up ? "P-Asserted-Service: "
							"urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session."
							"group\r\n"
						  : "",
			/* item 7, RFC 4028 7.1: the focus asks to refresh (uac),
			 * with the invitee's Min-SE after its 422 */
			s->parts[i].se > (unsigned int)cpmcf_session_expires
					? (int)s->parts[i].se
					: cpmcf_session_expires,
			cpmcf_min_se);
	if(n < 0 || n >= size)
		return -ENOSPC;
	/* -- hook (item 6): RFC 3891 Replaces for the 1-1 dialog -- */
	if(s->parts[i].replaces_len > 0) {
		m = snprintf(buf + n, size - n, "Replaces: %.*s\r\n",
				s->parts[i].replaces_len, s->parts[i].replaces);
		if(m < 0 || m >= size - n)
			return -ENOSPC;
		n += m;
	}
	/* -- end hook -- */
	return n;
}

/* invites participant i (state dialing-out) */
static int invite_one(cpmcf_sess_t *s, int i, const cpmcf_sdp_t *offer)
{
	char hdrs[2048], sdp[2048], uri[CPMCF_URI_MAX], ref[CPMCF_URI_MAX];
	char rbv[3 * CPMCF_URI_MAX];
	str h, b, u, r, rb;
	int rc, up;
	unsigned int d;

	/* issue 7 "Conventions": the invitee's registered dialect, else the
	 * initiator's; usrloc is read with no session lock held */
	cpmcf_sess_lock(s);
	u.len = s->parts[i].uri_len;
	memcpy(uri, s->parts[i].uri, u.len);
	up = s->dialect_up;
	/* its referrer (REFER, items 5 and 6), else the initiator */
	if(s->parts[i].referrer_len > 0) {
		r.len = s->parts[i].referrer_len;
		memcpy(ref, s->parts[i].referrer, r.len);
	} else {
		r.len = s->initiator_len;
		memcpy(ref, s->initiator, r.len);
	}
	cpmcf_sess_unlock(s);
	r.s = ref;
	rb.s = rbv;
	rb.len = r.len > 0 ? cpmcf_referred_by(&r, rbv, sizeof(rbv)) : 0;
	if(rb.len < 0)
		rb.len = 0;
	u.s = uri;
	d = cpmcf_invitee_dialect(
			&u, up ? CPMCF_DIALECT_UP : CPMCF_DIALECT_RCS);
	up = d == CPMCF_DIALECT_UP;
	cpmcf_sess_lock(s);
	h.len = invite_headers(s, i, up, &rb, hdrs, sizeof(hdrs));
	b.len = focus_sdp(s, i, offer, 0, sdp, sizeof(sdp));
	cpmcf_sess_unlock(s);
	h.s = hdrs;
	b.s = sdp;
	rc = (h.len < 0 || b.len < 0) ? -ENOSPC : cpmcf_dlg_invite(s, i, &h, &b);
	if(rc == 0) {
		counter_inc(st_invited);
		return 0;
	}
	/* never invited: not pending, so the ending rules can apply */
	cpmcf_sess_lock(s);
	if(s->parts[i].state == CPMCF_P_DIALING_OUT)
		s->parts[i].state = CPMCF_P_DISCONNECTED;
	cpmcf_sess_unlock(s);
	return rc;
}

/* ends s: every participant still there gets BYE (CANCEL while invited);
 * `gone`: the session fell below two (Reason 410, seed 5.2) */
static void end_session(cpmcf_sess_t *s, int gone)
{
	int i, n;

	cpmcf_sess_lock(s);
	if(s->ended) {
		cpmcf_sess_unlock(s);
		return;
	}
	s->ended = 1;
	n = s->n;
	cpmcf_sess_unlock(s);
	/* new requests for it: 404 + Warning 123 from now on */
	cpmcf_sess_remove(s);
	cpmcf_persist_touch(s); /* its rows go */
	counter_inc(st_ended);
	for(i = 0; i < n; i++)
		cpmcf_dlg_leave(s, i, gone);
}

/* seed 5.2: an ad-hoc session ends when its initiator leaves; any session
 * left with fewer than two participants (no invitation pending) ends */
static void on_change(cpmcf_sess_t *s, int i)
{
	int end = 0, gone = 0, j, dialing = 0, keys = 0;

	/* item 11: the participant's new state (and dialog) to the database */
	cpmcf_persist_touch(s);

	/* -- hook (item 5): the final NOTIFY of a REFER -- */
	cpmcf_refer_changed(s, i);
	/* -- end hook -- */

	cpmcf_sess_lock(s);
	if(!s->ended && i < s->n) {
		/* a pre-defined group's session ends as the group's policy says
		 * (seed 5.2; lib/cpm_xdm.h): with key participants when the last
		 * of them has left, else not with its initiator */
		if(s->group_len > 0 && (s->gpolicy & CPM_XDM_P_END_KEY_LEFT)
				&& s->parts[i].key
				&& s->parts[i].state >= CPMCF_P_DISCONNECTING) {
			for(j = 0; j < s->n; j++)
				if(s->parts[j].key
						&& s->parts[j].state < CPMCF_P_DISCONNECTING)
					keys++;
			if(keys == 0)
				end = 1;
		}
		if(end) {
			/* the last key participant left */
		} else if(s->group_len == 0 && s->parts[i].initiator
				&& s->parts[i].state >= CPMCF_P_DISCONNECTING) {
			end = 1;
		} else {
			for(j = 0; j < s->n; j++)
				if(s->parts[j].state == CPMCF_P_DIALING_OUT)
					dialing++;
			if(dialing == 0 && cpmcf_active(s) < 2) {
				end = 1;
				gone = 1;
			}
		}
	}
	cpmcf_sess_unlock(s);
	if(end)
		end_session(s, gone);
	/* participant information, RFC 4575: partial NOTIFY to
	 * the subscribers, or the last one when the session ended */
	cpmcf_conf_changed(s, i);
}

/* RFC 4028 6: the invitee answered 422; invited again, asking for the
 * interval it wants (s->parts[i].se, read by invite_headers()) */
static int on_422(cpmcf_sess_t *s, int i)
{
	return invite_one(s, i, &retry_offer);
}

/* -- hook (item 5): invitations and state changes of the REFER
 * code (cpmcf_refer.c) go through the same policy -- */
int cpmcf_gsess_invite(cpmcf_sess_t *s, int i, const cpmcf_sdp_t *offer)
{
	return invite_one(s, i, offer);
}
void cpmcf_gsess_changed(cpmcf_sess_t *s, int i)
{
	on_change(s, i);
}
/* -- end hook -- */

static int msg_body(struct sip_msg *msg, str *body)
{
	body->s = get_body(msg);
	if(body->s == NULL)
		return -EBADMSG;
	body->len = msg->buf + msg->len - body->s;
	if(msg->content_length)
		body->len = get_content_length(msg) < body->len
							? (int)get_content_length(msg)
							: body->len;
	return 0;
}

/* an INVITE to a running session (seed 5.2 rejoin, RFC 4579 join) or a
 * factory INVITE restarting one (its Contribution-ID): the sender becomes
 * a participant again; answered 200 with the focus Contact */
static int join(struct sip_msg *msg, cpmcf_sess_t *s, const str *body,
		const str *uri, const str *disp, int allow_new, int key)
{
	cpmcf_sdp_t in;
	char sdp[2048];
	str b;
	void *old = NULL;
	int i, k, ini;

	if(cpmcf_sdp_parse(body->s, body->len, &in) < 0)
		return refuse(msg, 400, "Malformed SDP", 0);
	if(cpmcf_sdp_msrp(&in) < 0)
		return refuse(msg, 488, "Not Acceptable Here", 0);
	cpmcf_sess_lock(s);
	k = cpmcf_part_by_uri(s, uri);
	if(s->ended || (k < 0 && !allow_new)) {
		cpmcf_sess_unlock(s);
		/* only a former participant comes back into an ad-hoc session
		 * (seed 5.2); joining by anyone else is group policy (pre-
		 * defined groups) */
		return k < 0 ? refuse(msg, 403, "Forbidden", 127)
					 : refuse(msg, 404, "Not Found", 123);
	}
	if(k >= 0
			&& (s->parts[k].state == CPMCF_P_DISCONNECTING
					|| s->parts[k].se_busy)) {
		/* the CF is sending its BYE on that dialog right now */
		cpmcf_sess_unlock(s);
		return refuse(msg, 480, "Temporarily Unavailable", 0);
	}
	/* a participant whose client lost the session rejoins: its old
	 * dialog is replaced */
	ini = 0;
	if(k >= 0) {
		old = s->parts[k].dlg;
		s->parts[k].dlg = NULL;
		s->parts[k].state = CPMCF_P_DISCONNECTED;
		ini = s->parts[k].initiator;
	}
	i = cpmcf_part_add(&cpmcf_shm, s, uri, disp, ini, CPMCF_P_DIALING_IN);
	if(i >= 0) {
		s->parts[i].key = key;
		s->parts[i].since = (unsigned int)time(NULL);
		b.len = focus_sdp(s, i, &in, 1, sdp, sizeof(sdp));
	}
	cpmcf_sess_unlock(s);
	if(old)
		cpmcf_dlg_release(old);
	if(i == -E2BIG)
		return refuse(msg, 403, "Forbidden", 102);
	if(i < 0 || b.len < 0)
		return CPMCF_ERR;
	/* seed 6.3: Privacy: id, a pseudonym */
	if(cpmcf_conf_anon_join(msg, s, uri, disp) < 0)
		return CPMCF_ERR;
	b.s = sdp;
	if(cpmcf_dlg_answer(msg, s, i, &b) < 0)
		return CPMCF_ERR;
	cpmcf_persist_touch(s);
	return CPMCF_OK;
}

/* the session's identity: sip:<prefix><32 hex>@<host[:port] of the
 * factory URI> (issue 7 conventions, libuuid through cpm_headers) */
static int new_identity(struct sip_msg *msg, char *user, int usize, char *uri,
		int size)
{
	char u[64];
	int i, j, n;

	if(cpmh->gen_uuid(u, sizeof(u)) < 0)
		return -EIO;
	n = snprintf(user, usize, "%.*s", cpmcf_session_prefix.len,
			cpmcf_session_prefix.s);
	for(i = 0, j = n; u[i] && j < usize - 1; i++)
		if(u[i] != '-')
			user[j++] = u[i];
	user[j] = 0;
	if(msg->parsed_uri.port.len)
		n = snprintf(uri, size, "sip:%s@%.*s:%.*s", user,
				msg->parsed_uri.host.len, msg->parsed_uri.host.s,
				msg->parsed_uri.port.len, msg->parsed_uri.port.s);
	else
		n = snprintf(uri, size, "sip:%s@%.*s", user, msg->parsed_uri.host.len,
				msg->parsed_uri.host.s);
	return (n < 0 || n >= size) ? -ENOSPC : 0;
}

/* a restart: the listed members who are not in the session are invited
 * again (dialing-out); those still in it are left alone */
static void reinvite(cpmcf_sess_t *s, const cpm_rl_entry_t *e, int n,
		const str *from, const cpmcf_sdp_t *offer)
{
	str a;
	void *old;
	int k, i, j;

	for(k = 0; k < n; k++) {
		a.s = (char *)e[k].uri.s;
		a.len = e[k].uri.len;
		if(STR_EQ(a, *from))
			continue;
		old = NULL;
		cpmcf_sess_lock(s);
		j = cpmcf_part_by_uri(s, &a);
		if(s->ended || (j >= 0 && s->parts[j].state != CPMCF_P_DISCONNECTED)) {
			/* still in it, or its BYE is being sent right now */
			cpmcf_sess_unlock(s);
			continue;
		}
		if(j >= 0) {
			/* the old dialog of a member who left: freed after unlock */
			old = s->parts[j].dlg;
			s->parts[j].dlg = NULL;
		}
		i = cpmcf_part_add(&cpmcf_shm, s, &a, NULL, 0, CPMCF_P_DIALING_OUT);
		cpmcf_sess_unlock(s);
		if(old)
			cpmcf_dlg_release(old);
		if(i >= 0 && invite_one(s, i, offer) < 0)
			on_change(s, i);
	}
}

/* seed 5.2 / RFC 5366: an INVITE to the conference factory with
 * `Require: recipient-list-invite` and multipart/mixed (SDP offer +
 * application/resource-lists+xml, Content-Disposition recipient-list) */
static int adhoc(struct sip_msg *msg, const str *from, const str *disp)
{
	cpm_mp_part_t parts[CPM_MP_MAX_PARTS];
	cpm_str_t bnd;
	cpm_rl_entry_t *e = NULL;
	char *ebuf = NULL;
	str body, ct, conv = STR_NULL, contrib = STR_NULL, subj = STR_NULL;
	char user[CPMCF_NAME_MAX], ident[CPMCF_URI_MAX], uuid[64], sdp[2048];
	cpmcf_sdp_t offer;
	cpmcf_sess_init_t init;
	cpmcf_sess_t *s = NULL;
	int np, k, n, sdp_i = -1, rl_i = -1, rc = CPMCF_ERR, max, i, added = 0;
	str a;
	char xbuf[1024]; /* hook (item 6) */
	str rep;		 /* hook (item 6) */
	int xr;			 /* hook (item 6) */

	if(!cpmcf_requires(msg, "recipient-list-invite")
			|| msg->content_type == NULL)
		return refuse(msg, 403, "Forbidden", 129);
	ct = msg->content_type->body;
	trim(&ct);
	if(msg_body(msg, &body) < 0 || body.len <= 0)
		return refuse(msg, 403, "Forbidden", 129);
	if(ct.len < 15 || strncasecmp(ct.s, "multipart/mixed", 15) != 0)
		return refuse(msg, 415, "Unsupported Media Type", 0);
	if(cpm_mp_boundary(ct.s, ct.len, &bnd) < 0)
		return refuse(msg, 400, "Malformed multipart body", 0);
	np = cpm_mp_parse(body.s, body.len, bnd.s, bnd.len, parts, CPM_MP_MAX_PARTS);
	if(np < 0)
		return refuse(msg, 400, "Malformed multipart body", 0);
	/* exactly one SDP offer and one recipient list (RFC 5366 4.1); a
	 * second of either is refused: which one would the CF take? */
	for(k = 0; k < np; k++) {
		if(ceq(parts[k].content_type, "application/sdp")) {
			if(sdp_i >= 0)
				return refuse(msg, 400, "Duplicate SDP part", 0);
			sdp_i = k;
		} else if(ceq(parts[k].content_type, "application/resource-lists+xml")
				  && ceq(parts[k].disposition, "recipient-list")) {
			if(rl_i >= 0)
				return refuse(msg, 400, "Duplicate recipient-list part", 0);
			rl_i = k;
		}
	}
	if(rl_i < 0)
		return refuse(msg, 403, "Forbidden", 129);
	if(sdp_i < 0)
		return refuse(msg, 400, "Missing SDP part", 0);
	if(parts[rl_i].encoding.len > 0 && !ceq(parts[rl_i].encoding, "identity")
			&& !ceq(parts[rl_i].encoding, "binary")
			&& !ceq(parts[rl_i].encoding, "8bit")
			&& !ceq(parts[rl_i].encoding, "7bit"))
		return refuse(msg, 415, "Unsupported Media Type", 0);
	if(cpmcf_sdp_parse(parts[sdp_i].body.s, parts[sdp_i].body.len, &offer) < 0)
		return refuse(msg, 400, "Malformed SDP", 0);
	if(cpmcf_sdp_msrp(&offer) < 0)
		return refuse(msg, 488, "Not Acceptable Here", 0);

	/* the list: at most max_participants - 1 invitees (the creator is
	 * not in it, client-dialects.md); one more entry tells "too many" */
	max = cpmcf_max_participants;
	e = pkg_malloc((max + 1) * sizeof(*e));
	ebuf = pkg_malloc(parts[rl_i].body.len + 1024);
	if(e == NULL || ebuf == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	n = cpm_rl_parse(parts[rl_i].body.s, parts[rl_i].body.len, e, max + 1,
			ebuf, parts[rl_i].body.len + 1024);
	if(n == -E2BIG) {
		rc = refuse(msg, 403, "Forbidden", 102);
		goto done;
	}
	if(n < 0) {
		rc = refuse(msg, 400, "Malformed resource list", 0);
		goto done;
	}

	/* Contribution-ID of a known chat: a restart (client-dialects.md:
	 * rcsjta after a failed rejoin, listing every participant): the same
	 * session, the sender back in it and every listed member not in it
	 * invited again */
	if(cpmh->get_id(msg, CPMH_ID_CONTRIBUTION_ID, &contrib) == 0) {
		s = cpmcf_sess_get_contrib(&contrib);
		if(s) {
			a.s = (char *)parts[sdp_i].body.s;
			a.len = parts[sdp_i].body.len;
			rc = join(msg, s, &a, from, disp, 0, 0);
			if(rc == CPMCF_OK)
				reinvite(s, e, n, from, &offer);
			cpmcf_sess_put(s);
			s = NULL;
			goto done;
		}
	} else {
		contrib.len = 0;
	}
	if(cpmh->get_id(msg, CPMH_ID_CONVERSATION_ID, &conv) != 0)
		conv.len = 0;

	if(contrib.len <= 0) {
		/* a plain client sent none: the CF gives the chat one, so every
		 * invitee sees the same (seed 5.3) */
		if(cpmh->gen_uuid(uuid, sizeof(uuid)) < 0)
			goto done;
		contrib.s = uuid;
		contrib.len = strlen(uuid);
	}
	if(parse_headers(msg, HDR_SUBJECT_F, 0) == 0 && msg->subject)
		subj = msg->subject->body;
	/* shared memory is finite: above max_sessions running sessions a new
	 * one is refused (RFC 3261 21.5.4: 503, try later), nothing created */
	if(cpmcf_sess_count() >= cpmcf_max_sessions) {
		rc = refuse(msg, 503, "Service Unavailable", 0);
		goto done;
	}
	if(new_identity(msg, user, sizeof(user), ident, sizeof(ident)) < 0)
		goto done;
	memset(&init, 0, sizeof(init));
	init.user.s = user;
	init.user.len = strlen(user);
	init.identity.s = ident;
	init.identity.len = strlen(ident);
	init.conv_id = conv;
	init.contrib_id = contrib;
	init.subject = subj;
	init.initiator = *from;
	init.dialect_up = conv.len > 0;
	init.max = max;
	if(cpmcf_sess_new(&cpmcf_shm, &init, &s) < 0) {
		rc = refuse(msg, 400, "Bad Request", 0);
		s = NULL;
		goto done;
	}
	s->created = (unsigned int)time(NULL);
	if(cpmcf_part_add(&cpmcf_shm, s, from, disp, 1, CPMCF_P_DIALING_IN) < 0)
		goto done;
	s->parts[0].since = s->created;
	/* seed 6.3: Privacy: id, a pseudonym */
	if(cpmcf_conf_anon_join(msg, s, from, disp) < 0)
		goto done;
	for(k = 0; k < n; k++) {
		a.s = (char *)e[k].uri.s;
		a.len = e[k].uri.len;
		/* -- hook (item 6, seed 5.2): an entry carrying
		 * `?Replaces=` names the 1-1 peer whose dialog the group takes
		 * over; the peer is invited at the bare URI with Replaces -- */
		if(cpmcf_extend_entry(&a, xbuf, sizeof(xbuf), &rep) < 0) {
			rc = refuse(msg, 400, "Malformed Replaces in the resource list", 0);
			goto done;
		}
		/* -- end hook -- */
		/* the creator, the CF's own URIs: no invitation */
		if(STR_EQ(a, *from))
			continue;
		i = cpmcf_part_add(&cpmcf_shm, s, &a, NULL, 0, CPMCF_P_DIALING_OUT);
		/* -- hook (item 6) -- */
		if(i >= 0 && rep.len > 0
				&& (xr = cpmcf_part_set_extra(
							&cpmcf_shm, s, i, CPMCF_X_REPLACES, &rep))
						   < 0) {
			/* longer than a participant keeps (CPMCF_URI_MAX): a Replaces
			 * cut short would name no dialog */
			rc = xr == -EINVAL ? refuse(msg, 400, "Replaces too long", 0)
							   : CPMCF_ERR;
			goto done;
		}
		/* -- end hook -- */
		if(i == -E2BIG) {
			rc = refuse(msg, 403, "Forbidden", 102);
			goto done;
		}
		if(i == -EEXIST)
			continue;
		if(i < 0) {
			rc = refuse(msg, 400, "Malformed resource list", 0);
			goto done;
		}
		added++;
	}
	if(added == 0) {
		rc = refuse(msg, 403, "Forbidden", 129);
		goto done;
	}
	a.len = focus_sdp(s, 0, &offer, 1, sdp, sizeof(sdp));
	if(a.len < 0)
		goto done;
	a.s = sdp;
	/* the caller's reference is s's; the table takes its own */
	s->refcnt = 1;
	if(cpmcf_sess_insert(s) < 0)
		goto done;
	if(cpmcf_dlg_answer(msg, s, 0, &a) < 0) {
		end_session(s, 0);
		cpmcf_sess_put(s);
		s = NULL;
		goto done;
	}
	counter_inc(st_created);
	cpmcf_persist_touch(s);
	LM_DBG("group session %s created with %d invitees\n", ident, added);
	cpmcf_sess_lock(s);
	n = s->n;
	cpmcf_sess_unlock(s);
	for(k = 1; k < n; k++)
		if(invite_one(s, k, &offer) < 0)
			on_change(s, k);
	cpmcf_sess_put(s);
	s = NULL;
	rc = CPMCF_OK;

done:
	if(s)
		cpmcf_sess_free(&cpmcf_shm, s);
	if(e)
		pkg_free(e);
	if(ebuf)
		pkg_free(ebuf);
	return rc;
}

/* the sender's Contact carries the isfocus feature parameter (RFC 4579
 * 3.1: a focus announces itself so): it is a focus already */
static int is_focus(struct sip_msg *msg)
{
	contact_t *c;
	param_t *p;

	if(parse_contact_header(msg) < 0 || msg->contact == NULL
			|| msg->contact->parsed == NULL)
		return 0;
	for(c = ((contact_body_t *)msg->contact->parsed)->contacts; c; c = c->next)
		for(p = c->params; p; p = p->next)
			if(p->name.len == 7 && strncasecmp(p->name.s, "isfocus", 7) == 0)
				return 1;
	return 0;
}

/* ---- concern: pre-defined group sessions (seed 5.2, 6.1, 6.3) ---- */

/* the effective XDM actions of uri in g (lib/cpm_xdm.h: the members'
 * actions in the policy's low bits, the non-members' from bit 16, as
 * cpmcf_group_xdm.c stores them); *member: the member's index or -1 */
static unsigned int group_actions(const cpmcf_group_t *g, const str *uri,
		int *member)
{
	char kb[CPMCF_URI_MAX];
	str k;
	int n;

	*member = -1;
	n = cpmcf_group_key(uri, kb, sizeof(kb));
	if(n > 0) {
		k.s = kb;
		k.len = n;
		*member = cpmcf_group_member(g, &k);
	}
	if(*member >= 0)
		return g->policy & CPM_XDM_P_ACTIONS;
	return (g->policy >> 16) & CPM_XDM_P_ACTIONS;
}

/* seed 6.3: the group-specific display name of a member comes first; the
 * participant's own (PAI / From) otherwise (cpmcf_names_core.c refines the order) */
static str group_display(const cpmcf_group_t *g, int member, const str *own)
{
	if(member >= 0 && g->members[member].display_name.len > 0)
		return g->members[member].display_name;
	return own ? *own : (str)STR_NULL;
}

/* the group of a pre-defined group's session, from the group table *t
 * (acquired here: the caller releases it with cpmcf_group_release(*t),
 * also when NULL is returned) */
static const cpmcf_group_t *session_group(
		const cpmcf_sess_t *s, cpmcf_gtab_t **t)
{
	char kb[CPMCF_URI_MAX];
	str gu, k;
	int n;

	*t = NULL;
	if(s->group_len <= 0)
		return NULL;
	gu.s = (char *)s->group;
	gu.len = s->group_len;
	n = cpmcf_group_key(&gu, kb, sizeof(kb));
	if(n <= 0)
		return NULL;
	k.s = kb;
	k.len = n;
	*t = cpmcf_group_acquire();
	return *t ? cpmcf_gtab_find(*t, &k) : NULL;
}

int cpmcf_gsess_group_display(const cpmcf_sess_t *s, const str *uri, char *buf,
		int size)
{
	cpmcf_gtab_t *t;
	const cpmcf_group_t *g;
	int m, rc = -ENOENT;

	g = session_group(s, &t);
	if(g) {
		group_actions(g, uri, &m);
		if(m >= 0 && g->members[m].display_name.len > 0) {
			rc = g->members[m].display_name.len;
			if(rc < size) {
				memcpy(buf, g->members[m].display_name.s, rc);
				buf[rc] = 0;
			} else {
				rc = -ENOSPC;
			}
		}
	}
	cpmcf_group_release(t);
	return rc;
}

/* item 5 (RFC 4579 5.5): may participant uri of a pre-defined group's
 * session add or remove participants?  The group's policy for members /
 * others (XDM <allow-invite-users-dynamically>, CPM_XDM_P_DYN_INVITE).
 * 1 yes, 0 no (403 + 122), -1 not a group's session (the ad-hoc rule).
 * Called under the session's lock: the group table's own lock is held
 * only to copy a pointer inside cpmcf_group_acquire() */
int cpmcf_group_may_refer(cpmcf_sess_t *s, const str *uri)
{
	cpmcf_gtab_t *t;
	const cpmcf_group_t *g;
	int m, rc;

	if(s->group_len <= 0)
		return -1;
	g = session_group(s, &t);
	/* a group removed since its session started: nobody may */
	rc = g ? (group_actions(g, uri, &m) & CPM_XDM_P_DYN_INVITE) != 0 : 0;
	cpmcf_group_release(t);
	return rc;
}

/* seed 5.2 / 6.1: an INVITE to a pre-defined group URI starts the group's
 * session, or joins the running one.  The session's identity is the group
 * URI itself (its requests carry the group as authenticated originator).
 * Who may start / join: the group's policy (XDM <allow-initiate-conference>
 * and <join-handling> for members, <ocp:other-identity/> rules for
 * others), else 403 + Warning 127; the group's max-participant-count
 * applies (403 + 102); with <invite-members> the CF invites every member
 * but the initiator, each with its group display name. */
static int group_invite(struct sip_msg *msg, const str *from, const str *disp)
{
	char gk[CPMCF_URI_MAX], uuid[64], sdp[2048];
	cpmcf_gtab_t *t = NULL;
	const cpmcf_group_t *g;
	cpmcf_sess_t *s = NULL;
	cpmcf_sess_init_t init;
	cpmcf_sdp_t offer;
	str k, body, d, conv = STR_NULL, contrib = STR_NULL, subj = STR_NULL, a;
	unsigned int acts;
	int n, m, j, i, rc = CPMCF_ERR, ikey, tries = 0;

	n = cpmcf_group_key(GET_RURI(msg), gk, sizeof(gk));
	if(n <= 0)
		return CPMCF_NOT_MINE;
	k.s = gk;
	k.len = n;
	/* a reference on the group table, not a lock: read across sends */
	t = cpmcf_group_acquire();
	g = t ? cpmcf_gtab_find(t, &k) : NULL;
	if(g == NULL) {
		cpmcf_group_release(t);
		return CPMCF_NOT_MINE;
	}
	acts = group_actions(g, from, &m);
	ikey = m >= 0 && (acts & CPM_XDM_P_KEY);
	d = group_display(g, m, disp);
	if(msg_body(msg, &body) < 0 || body.len <= 0) {
		rc = refuse(msg, 488, "Not Acceptable Here", 0);
		goto done;
	}
again:
	s = cpmcf_sess_get(&msg->parsed_uri.user);
	if(s) {
		/* a running session: joining is the group's policy (a former
		 * participant's rejoin too) */
		if(!(acts & CPM_XDM_P_JOIN)) {
			rc = refuse(msg, 403, "Forbidden", 127);
			goto done;
		}
		rc = join(msg, s, &body, from, &d, 1, ikey);
		goto done;
	}
	if(!(acts & CPM_XDM_P_START)) {
		rc = refuse(msg, 403, "Forbidden", 127);
		goto done;
	}
	if(cpmcf_sdp_parse(body.s, body.len, &offer) < 0) {
		rc = refuse(msg, 400, "Malformed SDP", 0);
		goto done;
	}
	if(cpmcf_sdp_msrp(&offer) < 0) {
		rc = refuse(msg, 488, "Not Acceptable Here", 0);
		goto done;
	}
	if(cpmcf_sess_count() >= cpmcf_max_sessions) {
		rc = refuse(msg, 503, "Service Unavailable", 0);
		goto done;
	}
	if(cpmh->get_id(msg, CPMH_ID_CONVERSATION_ID, &conv) != 0)
		conv.len = 0;
	if(cpmh->get_id(msg, CPMH_ID_CONTRIBUTION_ID, &contrib) != 0
			|| contrib.len <= 0) {
		/* seed 5.3: every invitee sees the same Contribution-ID */
		if(cpmh->gen_uuid(uuid, sizeof(uuid)) < 0)
			goto done;
		contrib.s = uuid;
		contrib.len = strlen(uuid);
	}
	if(parse_headers(msg, HDR_SUBJECT_F, 0) == 0 && msg->subject)
		subj = msg->subject->body;
	memset(&init, 0, sizeof(init));
	init.user = msg->parsed_uri.user;
	init.identity = g->uri;
	init.conv_id = conv;
	init.contrib_id = contrib;
	init.subject = subj;
	init.initiator = *from;
	init.dialect_up = conv.len > 0;
	init.max = g->max_participants > 0 ? g->max_participants
									   : cpmcf_max_participants;
	if(init.max < 2)
		init.max = 2;
	init.group = g->uri;
	init.gpolicy = g->policy;
	if(cpmcf_sess_new(&cpmcf_shm, &init, &s) < 0) {
		s = NULL;
		rc = refuse(msg, 400, "Bad Request", 0);
		goto done;
	}
	s->created = (unsigned int)time(NULL);
	if(cpmcf_part_add(&cpmcf_shm, s, from, &d, 1, CPMCF_P_DIALING_IN) < 0)
		goto free;
	s->parts[0].key = ikey;
	s->parts[0].since = s->created;
	/* seed 6.3: Privacy: id, a pseudonym, as the group's policy allows */
	if(cpmcf_conf_anon_join(msg, s, from, &d) < 0)
		goto free;
	if(g->policy & CPM_XDM_P_INVITE_MEMBERS) {
		for(j = 0; j < g->n_members; j++) {
			if(j == m)
				continue;
			i = cpmcf_part_add(&cpmcf_shm, s, &g->members[j].uri,
					&g->members[j].display_name, 0, CPMCF_P_DIALING_OUT);
			/* more members than the group's limit: the first ones are
			 * invited, the others may join while there is room (102) */
			if(i == -E2BIG)
				break;
			if(i >= 0)
				s->parts[i].key = (g->policy & CPM_XDM_P_KEY) != 0;
		}
	}
	a.len = focus_sdp(s, 0, &offer, 1, sdp, sizeof(sdp));
	if(a.len < 0)
		goto free;
	a.s = sdp;
	s->refcnt = 1;
	if(cpmcf_sess_insert(s) < 0) {
		/* another initiator started it at the same moment: join it */
		cpmcf_sess_free(&cpmcf_shm, s);
		s = NULL;
		if(tries++ == 0)
			goto again;
		goto done;
	}
	if(cpmcf_dlg_answer(msg, s, 0, &a) < 0) {
		end_session(s, 0);
		goto done;
	}
	counter_inc(st_created);
	cpmcf_persist_touch(s);
	LM_DBG("session of group %.*s started\n", g->uri.len, g->uri.s);
	cpmcf_sess_lock(s);
	n = s->n;
	cpmcf_sess_unlock(s);
	for(j = 1; j < n; j++)
		if(invite_one(s, j, &offer) < 0)
			on_change(s, j);
	rc = CPMCF_OK;
	goto done;

free:
	cpmcf_sess_free(&cpmcf_shm, s);
	s = NULL;
done:
	if(s)
		cpmcf_sess_put(s);
	cpmcf_group_release(t);
	return rc;
}
/* ---- end: pre-defined group sessions ---- */

int cpmcf_invite(struct sip_msg *msg)
{
	struct to_body *fb;
	cpmcf_sess_t *s;
	str body, disp;
	int rc;

	if(cpmcf_is_mine(msg) != CPMCF_OK)
		return CPMCF_NOT_MINE;
	if(parse_from_header(msg) < 0)
		return refuse(msg, 400, "Bad From", 0);
	/* seed 6.4.2 Table 1, 105 "Isfocus already assigned": an invitation
	 * from a focus (another conference server, or a loop back into this
	 * one) would make a conference of conferences */
	if(is_focus(msg))
		return refuse(msg, 403, "Forbidden", 105);
	/* item 7, RFC 4028 9: a session interval below min_se: 422 + Min-SE,
	 * nothing created */
	if(cpmcf_dlg_st_check(msg) < 0) {
		counter_inc(st_refused);
		return CPMCF_REFUSED;
	}
	fb = get_from(msg);
	/* seed 6.1: the authenticated originator: P-Asserted-Identity when a
	 * trusted peer asserted it (route[IDENTITY] removes it from anyone
	 * else), else the From that route[AUTH] made the authenticated user */
	if(parse_pai_header(msg) == 0 && get_pai(msg)->id
			&& get_pai(msg)->id->uri.len > 0)
		fb = get_pai(msg)->id;
	disp = fb->display;
	if(STR_EQ(msg->parsed_uri.user, cpmcf_factory_user))
		return adhoc(msg, &fb->uri, &disp);
	if(!has_prefix(&msg->parsed_uri.user, &cpmcf_session_prefix))
		return group_invite(msg, &fb->uri, &disp);
	s = cpmcf_sess_get(&msg->parsed_uri.user);
	if(s == NULL) {
		counter_inc(st_unknown);
		return refuse(msg, 404, "Not Found", 123);
	}
	if(msg_body(msg, &body) < 0 || body.len <= 0)
		rc = refuse(msg, 488, "Not Acceptable Here", 0);
	else
		rc = join(msg, s, &body, &fb->uri, &disp, 0, 0);
	cpmcf_sess_put(s);
	return rc;
}

/* a participant's re-INVITE / UPDATE (seed 5.2.1.1: a session
 * modification follows RFC 3264): a new offer gets the focus's answer, the
 * chat stays on the focus (same path: same leg); without SDP (a session
 * refresh) 200 without body.  An offer without the chat: 488 */
static int refresh(struct sip_msg *msg, cpmcf_sess_t *s)
{
	cpmcf_sdp_t in;
	char sdp[2048];
	str body, b;
	int i;

	/* RFC 4028 9: a refresh asking for too short an interval: 422 */
	if(cpmcf_dlg_st_check(msg) < 0)
		return CPMCF_REFUSED;
	if(msg_body(msg, &body) < 0 || body.len <= 0) {
		i = cpmcf_dlg_refresh(msg, s, NULL);
		/* -ENOENT: 481 sent; another error: nothing sent (500) */
		return i == -ENOENT ? CPMCF_REFUSED : i < 0 ? CPMCF_ERR : CPMCF_OK;
	}
	if(cpmcf_sdp_parse(body.s, body.len, &in) < 0)
		return refuse(msg, 400, "Malformed SDP", 0);
	if(cpmcf_sdp_msrp(&in) < 0)
		return refuse(msg, 488, "Not Acceptable Here", 0);
	if(parse_headers(msg, HDR_CALLID_F | HDR_TO_F, 0) < 0 || !msg->callid
			|| !msg->to)
		return refuse(msg, 400, "Bad Request", 0);
	cpmcf_sess_lock(s);
	i = cpmcf_part_by_dialog(s, &msg->callid->body, &get_to(msg)->tag_value);
	b.len = i >= 0 ? focus_sdp(s, i, &in, 1, sdp, sizeof(sdp)) : 0;
	cpmcf_sess_unlock(s);
	if(b.len < 0)
		return CPMCF_ERR;
	b.s = sdp;
	i = cpmcf_dlg_refresh(msg, s, i >= 0 ? &b : NULL);
	if(i == -ENOENT)
		return CPMCF_REFUSED;
	/* a target refresh: the dialog's new remote target and CSeq */
	if(i >= 0)
		cpmcf_persist_touch(s);
	return i < 0 ? CPMCF_ERR : CPMCF_OK;
}

int cpmcf_dialog(struct sip_msg *msg)
{
	cpmcf_sess_t *s;
	int rc;

	if(cpmcf_is_mine(msg) != CPMCF_OK)
		return CPMCF_NOT_MINE;
	s = cpmcf_sess_get(&msg->parsed_uri.user);
	if(s == NULL) {
		if(msg->REQ_METHOD == METHOD_ACK)
			return CPMCF_REFUSED;
		counter_inc(st_unknown);
		return refuse(msg, 404, "Not Found", 123);
	}
	if(msg->REQ_METHOD == METHOD_INVITE || msg->REQ_METHOD == METHOD_UPDATE)
		rc = refresh(msg, s);
	else
		rc = cpmcf_dlg_request(msg, s);
	cpmcf_sess_put(s);
	return rc < 0 ? (rc == CPMCF_ERR ? CPMCF_ERR : CPMCF_REFUSED) : CPMCF_OK;
}

/* item 7 (seed 5.2): a participant answered 200 that never ACKs within
 * ack_timeout (RFC 3261 13.3.1.4: the UAS gives up after 64*T1 = 32 s) is
 * removed: BYE on its dialog, then the ending rules (an initiator who never
 * ACKs ends an ad-hoc session) */
static void sweep_one(cpmcf_sess_t *s, void *arg)
{
	unsigned int now = *(unsigned int *)arg;
	int i, n, stale[16], ns = 0, exp[16], ne = 0, ref[16], nr = 0;
	cpmcf_part_t *p;

	cpmcf_sess_lock(s);
	n = s->n;
	for(i = 0; i < n; i++) {
		p = &s->parts[i];
		if(p->state == CPMCF_P_DIALING_IN && ns < 16
				&& now - p->since >= (unsigned int)cpmcf_ack_timeout)
			stale[ns++] = i;
		/* item 7, RFC 4028 10: the session timer of a connected
		 * participant: the focus refreshes at half the interval; a
		 * participant that refreshes is removed at the deadline */
		if(p->state != CPMCF_P_CONNECTED || p->se == 0)
			continue;
		if(p->se_focus) {
			if(!p->se_busy && nr < 16
					&& now - p->se_last >= cpmcf_st_refresh_at(p->se))
				ref[nr++] = i;
		} else if(ne < 16 && now - p->se_last >= cpmcf_st_deadline(p->se)) {
			exp[ne++] = i;
		}
	}
	cpmcf_sess_unlock(s);
	/* sends without the lock (the rest waits for the next second) */
	for(i = 0; i < nr; i++)
		cpmcf_dlg_st_refresh(s, ref[i]);
	for(i = 0; i < ne; i++)
		cpmcf_dlg_expire(s, exp[i]);
	for(i = 0; i < ns; i++) {
		LM_DBG("participant %d of %.*s sent no ACK: removed\n", stale[i],
				s->user_len, s->user);
		if(cpmcf_dlg_leave(s, stale[i], 0) > 0)
			on_change(s, stale[i]);
	}
}

static void ack_sweep(unsigned int ticks, void *param)
{
	unsigned int now = (unsigned int)time(NULL);

	cpmcf_sess_each(sweep_one, &now);
}

/* ---- RPC ---- */

static void rpc_one(cpmcf_sess_t *s, void *arg)
{
	void **a = arg;
	rpc_t *rpc = a[0];
	void *ctx = a[1], *th;
	char id[CPMCF_URI_MAX + 1], conv[CPMCF_ID_MAX + 1],
			contrib[CPMCF_ID_MAX + 1], ini[CPMCF_URI_MAX + 1],
			subj[CPMCF_SUBJECT_MAX + 1], grp[CPMCF_URI_MAX + 1];
	int act, n;

	cpmcf_sess_lock(s);
	snprintf(id, sizeof(id), "%.*s", s->identity_len, s->identity);
	snprintf(conv, sizeof(conv), "%.*s", s->conv_id_len, s->conv_id);
	snprintf(contrib, sizeof(contrib), "%.*s", s->contrib_id_len,
			s->contrib_id);
	snprintf(ini, sizeof(ini), "%.*s", s->initiator_len, s->initiator);
	snprintf(subj, sizeof(subj), "%.*s", s->subject_len, s->subject);
	snprintf(grp, sizeof(grp), "%.*s", s->group_len, s->group);
	act = cpmcf_active(s);
	n = s->n;
	cpmcf_sess_unlock(s);
	if(rpc->add(ctx, "{", &th) < 0)
		return;
	/* group: the pre-defined group's URI, empty for an ad-hoc session */
	rpc->struct_add(th, "ssssssdd", "identity", id, "conversation_id", conv,
			"contribution_id", contrib, "initiator", ini, "subject", subj,
			"group", grp, "participants", act, "entries", n);
}

static void rpc_sessions(rpc_t *rpc, void *ctx)
{
	void *a[2] = {rpc, ctx};

	cpmcf_sess_each(rpc_one, a);
}

/* a session named by its identity URI or the identity's user part */
static cpmcf_sess_t *rpc_find(rpc_t *rpc, void *ctx)
{
	str id = STR_NULL, u;
	char *at;
	cpmcf_sess_t *s;

	if(rpc->scan(ctx, "S", &id) < 1) {
		rpc->fault(ctx, 400, "session identity expected");
		return NULL;
	}
	u = id;
	if(u.len > 4 && strncasecmp(u.s, "sip:", 4) == 0) {
		u.s += 4;
		u.len -= 4;
		at = memchr(u.s, '@', u.len);
		if(at)
			u.len = at - u.s;
	}
	s = cpmcf_sess_get(&u);
	if(s == NULL)
		rpc->fault(ctx, 404, "no such session");
	return s;
}

static void rpc_session(rpc_t *rpc, void *ctx)
{
	cpmcf_sess_t *s = rpc_find(rpc, ctx);
	char uri[CPMCF_URI_MAX + 1], disp[CPMCF_NAME_MAX + 1];
	const char *st;
	int i, n, status, ini, key;
	void *th;

	if(s == NULL)
		return;
	cpmcf_sess_lock(s);
	n = s->n;
	cpmcf_sess_unlock(s);
	for(i = 0; i < n; i++) {
		cpmcf_sess_lock(s);
		snprintf(uri, sizeof(uri), "%.*s", s->parts[i].uri_len,
				s->parts[i].uri);
		snprintf(disp, sizeof(disp), "%.*s", s->parts[i].display_len,
				s->parts[i].display);
		st = cpmcf_pstate_name(s->parts[i].state);
		status = s->parts[i].status;
		ini = s->parts[i].initiator;
		key = s->parts[i].key;
		cpmcf_sess_unlock(s);
		if(rpc->add(ctx, "{", &th) < 0)
			break;
		/* key: a key participant of a pre-defined group (XDM) */
		rpc->struct_add(th, "sssddd", "uri", uri, "display_name", disp,
				"state", st, "status", status, "initiator", ini, "key", key);
	}
	cpmcf_sess_put(s);
}

static void rpc_session_end(rpc_t *rpc, void *ctx)
{
	cpmcf_sess_t *s = rpc_find(rpc, ctx);

	if(s == NULL)
		return;
	end_session(s, 0);
	cpmcf_sess_put(s);
	rpc->add(ctx, "s", "ended");
}

static const char *rpc_sessions_doc[] = {
		"List the running Group Sessions (identity, Conversation-ID, "
		"Contribution-ID, initiator, subject, participants).",
		0};
static const char *rpc_session_doc[] = {
		"List one Group Session's participants (URI, display name, state, "
		"last status of the CF's INVITE, initiator); argument: the session "
		"identity or its user part.",
		0};
static const char *rpc_session_end_doc[] = {
		"End a Group Session: BYE to every participant, CANCEL to pending "
		"invitations; argument: the session identity or its user part.",
		0};

rpc_export_t cpmcf_gsess_rpc[] = {
		{"cpm_cf.sessions", rpc_sessions, rpc_sessions_doc, RET_ARRAY},
		{"cpm_cf.session", rpc_session, rpc_session_doc, RET_ARRAY},
		{"cpm_cf.session_end", rpc_session_end, rpc_session_end_doc, 0},
		{0, 0, 0, 0}};
