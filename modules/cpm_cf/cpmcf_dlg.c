/*
 * cpm_cf: the focus's SIP dialogs (cpmcf_dlg.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <time.h>

#include "core/dprint.h"
#include "core/counters.h"
#include "core/mem/shm_mem.h"
#include "core/data_lump_rpl.h"
#include "core/globals.h"
#include "core/socket_info.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "modules/tm/tm_load.h"
#include "modules/tm/dlg.h"
#include "modules/sl/sl.h"

#include "cpmcf_dlg.h"
#include "cpmcf_session.h"
#include "cpmcf_names_core.h" /* seed 6.3 */
#include "cpmcf_timer_core.h" /* RFC 4028, RFC 5057 (item 7) */

int cpmcf_session_expires = 1800;
int cpmcf_min_se = 90;

static counter_handle_t st_unresp, st_expired, st_refreshes;
static counter_def_t dlg_counters[] = {
		{&st_unresp, "participants_unresponsive", 0, 0, 0,
				"participants removed for not answering: a failed in-dialog "
				"request of the focus (RFC 5057) or an expired session timer"},
		{&st_expired, "session_timer_expired", 0, 0, 0,
				"of those, participants whose session was not refreshed in "
				"time (RFC 4028 10)"},
		{&st_refreshes, "session_refreshes_sent", 0, 0, 0,
				"UPDATEs the focus sent to refresh a session (RFC 4028)"},
		{0, 0, 0, 0, 0, 0}};

/* the focus's in-dialog request (a refresh UPDATE, a REFER's NOTIFY):
 * which participant's dialog, by its id (a rejoin may reuse the slot) */
typedef struct indlg_cbp {
	cpmcf_sess_t *s; /* referenced until the final answer */
	int notify;
	char callid[CPMCF_ID_MAX];
	int callid_len;
	char ltag[CPMCF_TAG_MAX];
	int ltag_len;
} indlg_cbp_t;

static struct tm_binds tmb;
static sl_api_t slb;
static int have_tm = 0;
static cpmcf_dlg_change_f changed = NULL;

/* the CF's INVITE transaction: which participant of which session */
typedef struct inv_cbp {
	cpmcf_sess_t *s; /* referenced until the final answer */
	int i;
} inv_cbp_t;

static cpmcf_dlg_retry_f retry422 = NULL;

int cpmcf_dlg_init(cpmcf_dlg_change_f on_change, cpmcf_dlg_retry_f on_422)
{
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("cpm_cf needs the tm module\n");
		return -1;
	}
	if(sl_load_api(&slb) < 0) {
		LM_ERR("cpm_cf needs the sl module\n");
		return -1;
	}
	have_tm = 1;
	changed = on_change;
	retry422 = on_422;
	/* item 7: RFC 4028 session timer; below RFC 4028's 90 s floor only for
	 * tests (a short timer) */
	if(cpmcf_session_expires < 2 || cpmcf_session_expires > 86400) {
		LM_ERR("session_expires must be 2..86400 s, not %d\n",
				cpmcf_session_expires);
		return -1;
	}
	if(cpmcf_min_se < 1 || cpmcf_min_se > cpmcf_session_expires) {
		LM_ERR("min_se must be 1..session_expires (%d) s, not %d\n",
				cpmcf_session_expires, cpmcf_min_se);
		return -1;
	}
	if(counter_register_array("cpm_cf", dlg_counters) < 0) {
		LM_ERR("cannot register the dialog statistics\n");
		return -1;
	}
	return 0;
}

/* 1 when a header of this type (parsed) lists the option tag (RFC 3261
 * 20.32 / 20.37: option-tag *(COMMA option-tag); any case, several headers) */
static int has_tag(sip_msg_t *msg, int type, const char *tag)
{
	hdr_field_t *hf;
	int tl = strlen(tag), i, j, e;

	for(hf = msg->headers; hf; hf = hf->next) {
		if(hf->type != type)
			continue;
		for(i = 0; i < hf->body.len; i = j + 1) {
			for(j = i; j < hf->body.len && hf->body.s[j] != ','; j++)
				;
			/* the element i..j without its surrounding white space */
			while(i < j && strchr(" \t\r\n", hf->body.s[i]))
				i++;
			for(e = j; e > i && strchr(" \t\r\n", hf->body.s[e - 1]); e--)
				;
			if(e - i == tl && strncasecmp(hf->body.s + i, tag, tl) == 0)
				return 1;
		}
	}
	return 0;
}

/* RFC 4028 9: what a participant's INVITE / UPDATE asks of the timer.
 * 0, -EBADMSG (a malformed Session-Expires or Min-SE) */
static int st_read(struct sip_msg *msg, cpmcf_st_req_t *rq)
{
	hdr_field_t *hf;

	memset(rq, 0, sizeof(*rq));
	if(parse_headers(msg, HDR_EOH_F, 0) < 0)
		return -EBADMSG;
	for(hf = msg->headers; hf; hf = hf->next) {
		if(hf->type == HDR_SESSIONEXPIRES_T) {
			if(cpmcf_se_parse(hf->body.s, hf->body.len, &rq->se) < 0)
				return -EBADMSG;
			rq->has_se = 1;
		} else if(hf->type == HDR_MIN_SE_T) {
			if(cpmcf_minse_parse(hf->body.s, hf->body.len, &rq->minse) < 0)
				return -EBADMSG;
			rq->has_minse = 1;
		}
	}
	rq->supported = has_tag(msg, HDR_SUPPORTED_T, "timer");
	return 0;
}

/* the 2xx's timer headers (RFC 4028 9) and the agreed timer */
static int st_answer(struct sip_msg *msg, cpmcf_st_ans_t *a, char *buf,
		int size)
{
	cpmcf_st_req_t rq;
	cpmcf_se_t se;
	char v[64];
	int n;

	if(st_read(msg, &rq) < 0
			|| cpmcf_st_uas(&rq, cpmcf_session_expires, cpmcf_min_se, a) < 0)
		return -EINVAL; /* refused before (cpmcf_dlg_st_check) */
	se.delta = a->delta;
	se.refresher = a->refresher;
	if(cpmcf_se_print(&se, v, sizeof(v)) < 0)
		return -ENOSPC;
	n = snprintf(buf, size, "Session-Expires: %s\r\n%s", v,
			a->require ? "Require: timer\r\n" : "");
	return (n < 0 || n >= size) ? -ENOSPC : n;
}

int cpmcf_dlg_st_check(struct sip_msg *msg)
{
	cpmcf_st_req_t rq;
	cpmcf_st_ans_t a;
	char h[64];
	int n;

	if(st_read(msg, &rq) < 0) {
		slb.zreply(msg, 400, "Bad Session-Expires or Min-SE");
		return -EBADMSG;
	}
	if(cpmcf_st_uas(&rq, cpmcf_session_expires, cpmcf_min_se, &a) == 0)
		return 0;
	/* RFC 4028 8.1 / 9: 422 Session Interval Too Small, with our Min-SE */
	n = snprintf(h, sizeof(h), "Min-SE: %d\r\n", cpmcf_min_se);
	if(n > 0 && n < (int)sizeof(h))
		add_lump_rpl(msg, h, n, LUMP_RPL_HDR);
	slb.zreply(msg, 422, "Session Interval Too Small");
	return -ERANGE;
}

/* participant i's timer as agreed (under the session's lock) */
static void st_set(cpmcf_part_t *p, unsigned int delta, int focus)
{
	p->se = delta;
	p->se_focus = focus;
	p->se_last = (unsigned int)time(NULL);
}

void cpmcf_dlg_release(void *dlg)
{
	if(dlg && have_tm)
		tmb.free_dlg((dlg_t *)dlg);
}

int cpmcf_sl_reply(struct sip_msg *msg, int code, char *reason)
{
	return slb.zreply(msg, code, reason);
}

/* as cpmpf_imdn.c self_uri(): the proxy's own listen address, so that the
 * CF's requests pass this proxy's routes (route[IDENTITY] knows them by
 * their source: the very socket they arrive on) */
int cpmcf_self_uri(char *buf, int size)
{
	struct socket_info *si = udp_listen ? udp_listen : tcp_listen;
	int n;

	if(si == NULL)
		return -ENOENT;
	if(si->address.af == AF_INET6)
		n = snprintf(buf, size, "sip:[%.*s]:%.*s;transport=%s",
				si->address_str.len, si->address_str.s, si->port_no_str.len,
				si->port_no_str.s, udp_listen ? "udp" : "tcp");
	else
		n = snprintf(buf, size, "sip:%.*s:%.*s;transport=%s",
				si->address_str.len, si->address_str.s, si->port_no_str.len,
				si->port_no_str.s, udp_listen ? "udp" : "tcp");
	return (n < 0 || n >= size) ? -ENOSPC : 0;
}

static int set_source_dst(struct sip_msg *msg, dlg_t *dlg)
{
	char buf[128];
	str d;
	char *ip = ip_addr2a(&msg->rcv.src_ip);

	d.len = snprintf(buf, sizeof(buf), "sip:%s%s%s:%d;transport=%s",
			msg->rcv.src_ip.af == AF_INET6 ? "[" : "", ip,
			msg->rcv.src_ip.af == AF_INET6 ? "]" : "", msg->rcv.src_port,
			get_proto_name(msg->rcv.proto));
	if(d.len < 0 || d.len >= (int)sizeof(buf))
		return -ENOSPC;
	d.s = buf;
	if(dlg->dst_uri.s)
		shm_free(dlg->dst_uri.s);
	dlg->dst_uri.s = NULL;
	dlg->dst_uri.len = 0;
	if(shm_str_dup(&dlg->dst_uri, &d) < 0)
		return -ENOMEM;
	return tmb.calculate_hooks(dlg) < 0 ? -EINVAL : 0;
}

int cpmcf_dlg_answer(struct sip_msg *msg, cpmcf_sess_t *s, int i,
		const str *sdp)
{
	char hdrs[CPMCF_URI_MAX + 256 + 96];
	dlg_t *dlg = NULL;
	cpmcf_st_ans_t sta;
	int n, m;

	/* RFC 4579 / client-dialects.md: isfocus as a header parameter,
	 * outside the angle brackets (inside, rcsjta takes it for 1-1) */
	cpmcf_sess_lock(s);
	n = snprintf(hdrs, sizeof(hdrs),
			"Contact: <%.*s>;isfocus\r\n"
			"Allow: INVITE, ACK, BYE, CANCEL, UPDATE, MESSAGE, SUBSCRIBE,"
			" NOTIFY, REFER\r\n"
			"Content-Type: application/sdp\r\n",
			s->identity_len, s->identity);
	cpmcf_sess_unlock(s);
	if(n < 0 || n >= (int)sizeof(hdrs))
		return -ENOSPC;
	/* item 7, RFC 4028 9: the agreed session timer */
	m = st_answer(msg, &sta, hdrs + n, sizeof(hdrs) - n);
	if(m < 0)
		return m;
	n += m;
	if(tmb.t_newtran(msg) < 0) {
		LM_ERR("cannot create the transaction of the INVITE to %.*s\n",
				s->user_len, s->user);
		return -EIO;
	}
	/* the dialog first: its local tag is tm's own To tag of the 200 */
	if(tmb.new_dlg_uas(msg, 200, &dlg) < 0) {
		LM_ERR("cannot create the dialog of the INVITE to %.*s\n",
				s->user_len, s->user);
		return -ENOMEM;
	}
	if(add_lump_rpl(msg, hdrs, n, LUMP_RPL_HDR) == 0
			|| add_lump_rpl(msg, sdp->s, sdp->len, LUMP_RPL_BODY) == 0) {
		LM_ERR("no memory for the 200 of %.*s\n", s->user_len, s->user);
		tmb.free_dlg(dlg);
		return -ENOMEM;
	}
	/* the CF's BYE to this participant goes where its INVITE came from
	 * (RFC 3581, as the cfg's force_rport() answers): a client behind NAT
	 * puts an address in its Contact that nobody can reach; with a route
	 * set (the INVITE came through another proxy) the route set wins */
	if(dlg->route_set == NULL && set_source_dst(msg, dlg) < 0)
		LM_ERR("cannot keep the source of %.*s's participant %d\n",
				s->user_len, s->user, i);
	cpmcf_sess_lock(s);
	if(i < s->n && s->parts[i].dlg == NULL) {
		s->parts[i].dlg = dlg;
		cpmcf_part_set_dialog(s, i, &dlg->id.call_id, &dlg->id.loc_tag);
		st_set(&s->parts[i], sta.delta, sta.refresher == CPMCF_RF_UAS);
		dlg = NULL;
	}
	cpmcf_sess_unlock(s);
	if(dlg)
		tmb.free_dlg(dlg);
	if(tmb.t_reply(msg, 200, "OK") < 0) {
		LM_ERR("cannot answer the INVITE to %.*s\n", s->user_len, s->user);
		return -EIO;
	}
	return 0;
}

static void inv_done(struct cell *t, int type, struct tmcb_params *ps)
{
	inv_cbp_t *cb = (inv_cbp_t *)*ps->param;
	cpmcf_sess_t *s;
	cpmcf_part_t *p;
	int code = ps->code, bye = 0, note = 0;
	/* seed 6.3: an invitee's display name, the To of its 200 */
	cpmcf_name_src_t names;
	cpmcf_se_t se;
	int has_se = 0, retry = 0;
	unsigned int minse = 0;
	hdr_field_t *hf;
	void *old = NULL;

	if(cb == NULL)
		return;
	*ps->param = NULL;
	s = cb->s;
	memset(&names, 0, sizeof(names));
	if(code >= 200 && code < 300 && ps->rpl && ps->rpl != FAKED_REPLY
			&& parse_headers(ps->rpl, HDR_TO_F, 0) == 0 && ps->rpl->to
			&& get_to(ps->rpl))
		names.to200 = get_to(ps->rpl)->display;
	if(code >= 200 && code < 300 && ps->rpl && ps->rpl != FAKED_REPLY
			&& parse_headers(ps->rpl, HDR_EOH_F, 0) == 0)
		for(hf = ps->rpl->headers; hf; hf = hf->next)
			if(hf->type == HDR_SESSIONEXPIRES_T
					&& cpmcf_se_parse(hf->body.s, hf->body.len, &se) == 0
					&& se.delta > 0)
				has_se = 1;
	/* RFC 4028 6: 422 with the invitee's Min-SE */
	if(code == 422 && ps->rpl && ps->rpl != FAKED_REPLY
			&& parse_headers(ps->rpl, HDR_EOH_F, 0) == 0)
		for(hf = ps->rpl->headers; hf; hf = hf->next)
			if(hf->type == HDR_MIN_SE_T
					&& cpmcf_minse_parse(hf->body.s, hf->body.len, &minse) < 0)
				minse = 0;
	cpmcf_sess_lock(s);
	p = &s->parts[cb->i];
	p->status = code;
	/* RFC 4028 6 / 7.1: the invitation asked for too short an interval:
	 * invited once more with the invitee's Min-SE (once; within reason) */
	if(code == 422 && retry422 && p->state == CPMCF_P_DIALING_OUT
			&& !s->ended && p->se == 0
			&& minse > (unsigned int)cpmcf_session_expires && minse <= 86400) {
		p->se = minse;
		old = p->dlg;
		p->dlg = NULL;
		retry = 1;
		code = 0; /* not final for the participant */
	}
	if(code >= 200 && code < 300 && ps->rpl && ps->rpl != FAKED_REPLY) {
		/* tm ACKs this 2xx itself; the dialog learns the route set and
		 * the invitee's Contact */
		if(p->dlg)
			tmb.dlg_response_uac((dlg_t *)p->dlg, ps->rpl, IS_TARGET_REFRESH);
		if(p->state == CPMCF_P_DIALING_OUT && !s->ended) {
			p->state = CPMCF_P_CONNECTED;
			note = 1;
			/* RFC 4028 7.2: the 2xx's Session-Expires is the agreed
			 * timer (refresher uac: the focus, which asked for it); none
			 * in the 2xx: no session expiration */
			if(has_se)
				st_set(p, se.delta, se.refresher != CPMCF_RF_UAS);
			else
				p->se = 0; /* what a 422 asked for, not agreed */
			/* seed 6.3: none known yet: the 200's To */
			if(p->display_len == 0)
				p->display_len = cpmcf_name_copy(
						&names, p->display, sizeof(p->display));
		} else {
			/* cancelled, or the session ended meanwhile: the 200 crossed
			 * the CANCEL; the dialog is ended with a BYE */
			bye = 1;
		}
	} else if(code >= 300) {
		if(p->state != CPMCF_P_DISCONNECTED) {
			p->state = CPMCF_P_DISCONNECTED;
			note = 1;
		}
	}
	cpmcf_sess_unlock(s);
	if(old)
		tmb.free_dlg((dlg_t *)old);
	if(retry && retry422(s, cb->i) < 0)
		note = 1; /* not invited again: failed (invite_one marked it) */
	if(bye) {
		cpmcf_sess_lock(s);
		s->parts[cb->i].state = CPMCF_P_CONNECTED;
		cpmcf_sess_unlock(s);
		cpmcf_dlg_leave(s, cb->i, 0);
	}
	if(note && changed)
		changed(s, cb->i);
	cpmcf_sess_put(s);
	shm_free(cb);
}

static int cancel_invite(unsigned int hi, unsigned int lb);

int cpmcf_dlg_invite(cpmcf_sess_t *s, int i, const str *hdrs, const str *sdp)
{
	char hop[128], cid[64], tag[64];
	str method = str_init("INVITE"), callid, ftag, from, to, shop;
	char fromb[CPMCF_URI_MAX], tob[CPMCF_URI_MAX];
	inv_cbp_t *cb;
	dlg_t *dlg = NULL;
	uac_req_t r;
	unsigned int hi = 0, lb = 0, cseq = 1;
	int gone;
	int rc, rtag = 0;

	if(cpmcf_self_uri(hop, sizeof(hop)) < 0)
		return -ENOENT;
	cb = shm_malloc(sizeof(*cb));
	if(cb == NULL) {
		SHM_MEM_ERROR;
		return -ENOMEM;
	}
	tmb.generate_callid(&callid);
	if(callid.len >= (int)sizeof(cid)) {
		shm_free(cb);
		return -ENOSPC;
	}
	memcpy(cid, callid.s, callid.len);
	callid.s = cid;
	cpmcf_sess_lock(s);
	/* sent again after a 422 (RFC 4028 6, inv_done): the same Call-ID and
	 * From tag, the next CSeq, as a UAC retries a request (RFC 3261 8.1.3.5) */
	if(s->parts[i].status == 422 && s->parts[i].callid_len > 0
			&& s->parts[i].callid_len < (int)sizeof(cid)
			&& s->parts[i].ltag_len < (int)sizeof(tag)) {
		memcpy(cid, s->parts[i].callid, s->parts[i].callid_len);
		callid.len = s->parts[i].callid_len;
		memcpy(tag, s->parts[i].ltag, s->parts[i].ltag_len);
		rtag = s->parts[i].ltag_len;
		cseq = 2;
	}
	memcpy(fromb, s->identity, s->identity_len);
	from.s = fromb;
	from.len = s->identity_len;
	memcpy(tob, s->parts[i].uri, s->parts[i].uri_len);
	to.s = tob;
	to.len = s->parts[i].uri_len;
	s->refcnt++; /* the transaction's */
	cpmcf_sess_unlock(s);
	if(rtag > 0) {
		ftag.s = tag;
		ftag.len = rtag;
	} else {
		tmb.generate_fromtag(&ftag, &callid, &to);
		if(ftag.len >= (int)sizeof(tag))
			ftag.len = sizeof(tag) - 1;
		memcpy(tag, ftag.s, ftag.len);
		ftag.s = tag;
	}
	if(tmb.new_dlg_uac(&callid, &ftag, cseq, &from, &to, &dlg) < 0) {
		LM_ERR("cannot create the dialog to %.*s\n", to.len, to.s);
		rc = -ENOMEM;
		goto error;
	}
	/* next hop: this proxy, so that the invitee's terminating PF runs */
	shop.s = hop;
	shop.len = strlen(hop);
	if(shm_str_dup(&dlg->dst_uri, &shop) < 0) {
		rc = -ENOMEM;
		goto error;
	}
	if(tmb.calculate_hooks(dlg) < 0) {
		rc = -EINVAL;
		goto error;
	}
	cb->s = s;
	cb->i = i;
	cpmcf_sess_lock(s);
	s->parts[i].dlg = dlg;
	/* no transaction to cancel until this one is sent (a 422's retry
	 * reuses the slot) */
	s->parts[i].t_index = 0;
	s->parts[i].t_label = 0;
	cpmcf_part_set_dialog(s, i, &callid, &ftag);
	cpmcf_sess_unlock(s);
	set_uac_req(&r, &method, (str *)hdrs, (str *)sdp, dlg,
			TMCB_LOCAL_COMPLETED, inv_done, cb);
	if(tmb.t_uac_with_ids(&r, &hi, &lb) < 0) {
		LM_ERR("cannot send the INVITE of %.*s to %.*s\n", s->user_len,
				s->user, to.len, to.s);
		cpmcf_sess_lock(s);
		s->parts[i].state = CPMCF_P_DISCONNECTED;
		s->parts[i].status = 500;
		cpmcf_sess_unlock(s);
		/* the dialog stays with the participant, freed with the session */
		dlg = NULL;
		rc = -EIO;
		goto error;
	}
	cpmcf_sess_lock(s);
	s->parts[i].t_index = hi;
	s->parts[i].t_label = lb;
	/* the session ended, or the invitee was removed, while the INVITE was
	 * being sent: cpmcf_dlg_leave() had no transaction to cancel yet */
	gone = s->parts[i].state == CPMCF_P_DISCONNECTING;
	cpmcf_sess_unlock(s);
	if(gone)
		cancel_invite(hi, lb);
	return 0;

error:
	if(dlg)
		tmb.free_dlg(dlg);
	shm_free(cb);
	cpmcf_sess_put(s);
	return rc;
}

/* Cancels the focus's INVITE transaction hi:lb (RFC 3261 9.1).  Not tm's
 * t_cancel_uac(): it sends nothing when no provisional answer has arrived
 * yet (a session that ends right after an invitation left the invitee
 * ringing) and keeps the reference its lookup takes.  cancel_uacs()
 * without flags marks such a branch cancelled, and tm sends the CANCEL when
 * the first provisional answer arrives.  The lookup sets tm's current
 * transaction: the caller's is put back. */
static int cancel_invite(unsigned int hi, unsigned int lb)
{
	struct cell *cur = tmb.t_gett(), *t = NULL;
	int br = tmb.t_gett_branch();
	struct cancel_info ci;

	if(hi == 0 && lb == 0)
		return -ENOENT; /* not sent yet: cpmcf_dlg_invite() cancels it */
	if(tmb.t_lookup_ident(&t, hi, lb) < 0 || t == NULL) {
		tmb.t_sett(cur, br);
		return -ENOENT;
	}
	if(!is_local(t)) { /* never another's transaction */
		tmb.unref_cell(t);
		tmb.t_sett(cur, br);
		return -ENOENT;
	}
	memset(&ci, 0, sizeof(ci));
	tmb.prepare_to_cancel(t, &ci.cancel_bitmap, 0);
	tmb.cancel_uacs(t, &ci, 0);
	tmb.unref_cell(t);
	tmb.t_sett(cur, br);
	return 0;
}

int cpmcf_dlg_leave(cpmcf_sess_t *s, int i, int gone)
{
	static str bye = str_init("BYE");
	static str reason = str_init("Reason: SIP;cause=410;text=\"Gone\"\r\n");
	static str none = str_init("");
	enum { ACT_NONE, ACT_BYE, ACT_CANCEL } act = ACT_NONE;
	cpmcf_part_t *p;
	dlg_t *dlg = NULL;
	unsigned int hi = 0, lb = 0;
	uac_req_t r;

	cpmcf_sess_lock(s);
	p = &s->parts[i];
	if((p->state == CPMCF_P_CONNECTED || p->state == CPMCF_P_DIALING_IN)
			&& p->dlg) {
		/* DISCONNECTING makes this process the dialog's only user */
		act = ACT_BYE;
		dlg = p->dlg;
		p->state = CPMCF_P_DISCONNECTING;
	} else if(p->state == CPMCF_P_DIALING_OUT) {
		act = ACT_CANCEL;
		hi = p->t_index;
		lb = p->t_label;
		p->state = CPMCF_P_DISCONNECTING;
	}
	cpmcf_sess_unlock(s);
	if(act == ACT_BYE) {
		set_uac_req(&r, &bye, gone ? &reason : &none, NULL, dlg, 0, NULL, NULL);
		if(tmb.t_request_within(&r) < 0)
			LM_ERR("cannot send BYE to participant %d of %.*s\n", i,
					s->user_len, s->user);
		cpmcf_sess_lock(s);
		/* parts may have moved (grown) meanwhile: by index */
		s->parts[i].state = CPMCF_P_DISCONNECTED;
		cpmcf_sess_unlock(s);
	} else if(act == ACT_CANCEL) {
		/* the INVITE's final answer (487, or a 2xx that crossed it and
		 * gets a BYE) completes the participant in inv_done() */
		if(cancel_invite(hi, lb) < 0)
			LM_DBG("no INVITE transaction to cancel for participant %d of"
				   " %.*s\n",
					i, s->user_len, s->user);
	}
	return act != ACT_NONE;
}

int cpmcf_dlg_request(struct sip_msg *msg, cpmcf_sess_t *s)
{
	str totag;
	int i, note = 0;
	cpmcf_part_t *p;

	if(parse_headers(msg, HDR_CALLID_F | HDR_TO_F, 0) < 0 || msg->callid == NULL
			|| msg->to == NULL) {
		LM_ERR("in-dialog request to %.*s without Call-ID / To\n", s->user_len,
				s->user);
		return -EINVAL;
	}
	totag = get_to(msg)->tag_value;
	if(msg->REQ_METHOD == METHOD_ACK) {
		/* the ACK of the focus's 2xx (RFC 3261 13.3.1.4): tm retransmits
		 * its local 2xx until the ACK matches the transaction; matched
		 * here, the transaction is released (t_check_trans() would end
		 * the script before the participant is marked connected) */
		int canceled = 0;
		struct cell *t;
		if(tmb.t_lookup_request(msg, 0, &canceled) == 1) {
			t = tmb.t_gett();
			if(t && t != T_UNDEFINED)
				tmb.t_release_transaction(t);
		}
	}
	cpmcf_sess_lock(s);
	i = cpmcf_part_by_dialog(s, &msg->callid->body, &totag);
	if(i >= 0) {
		p = &s->parts[i];
		if(msg->REQ_METHOD == METHOD_ACK) {
			if(p->state == CPMCF_P_DIALING_IN) {
				p->state = CPMCF_P_CONNECTED;
				note = 1;
			}
		} else if(msg->REQ_METHOD == METHOD_BYE) {
			/* RFC 3261 15.1.2: the dialog ends on the participant's BYE */
			if(p->state < CPMCF_P_DISCONNECTED) {
				p->state = CPMCF_P_DISCONNECTED;
				note = 1;
			}
		}
	}
	cpmcf_sess_unlock(s);
	if(msg->REQ_METHOD == METHOD_ACK)
		return i >= 0 ? 1 : -ENOENT;
	if(i < 0) {
		slb.zreply(msg, 481, "Call/Transaction Does Not Exist");
		return -ENOENT;
	}
	if(msg->REQ_METHOD == METHOD_BYE)
		slb.zreply(msg, 200, "OK");
	if(note && changed)
		changed(s, i);
	return 1;
}

int cpmcf_dlg_refresh(struct sip_msg *msg, cpmcf_sess_t *s, const str *sdp)
{
	char hdrs[CPMCF_URI_MAX + 64 + 96];
	str totag;
	cpmcf_st_ans_t sta;
	int i, n, m;

	if(parse_headers(msg, HDR_CALLID_F | HDR_TO_F | HDR_CSEQ_F, 0) < 0
			|| msg->callid == NULL || msg->to == NULL) {
		LM_ERR("in-dialog request to %.*s without Call-ID / To\n", s->user_len,
				s->user);
		return -EINVAL;
	}
	totag = get_to(msg)->tag_value;
	/* RFC 4028 9: a refresh carries the timer again; its 2xx too */
	m = st_answer(msg, &sta, hdrs, sizeof(hdrs));
	if(m < 0)
		return -EINVAL;
	cpmcf_sess_lock(s);
	i = cpmcf_part_by_dialog(s, &msg->callid->body, &totag);
	if(i >= 0 && (s->parts[i].state >= CPMCF_P_DISCONNECTING
						 || s->parts[i].dlg == NULL))
		i = -ENOENT;
	/* the session is refreshed (RFC 4028 10) */
	if(i >= 0)
		st_set(&s->parts[i], sta.delta, sta.refresher == CPMCF_RF_UAS);
	/* RFC 3261 12.2.2: CSeq and (re-INVITE / UPDATE: target refresh)
	 * remote target; a lower CSeq is not refused here (tm absorbs
	 * retransmissions) */
	if(i >= 0) {
		tmb.dlg_request_uas((dlg_t *)s->parts[i].dlg, msg, IS_TARGET_REFRESH);
		/* the target refresh dropped the source kept at the answer: the
		 * refreshing request's source is the participant's now */
		if(((dlg_t *)s->parts[i].dlg)->route_set == NULL)
			set_source_dst(msg, (dlg_t *)s->parts[i].dlg);
	}
	n = snprintf(hdrs + m, sizeof(hdrs) - m, "Contact: <%.*s>;isfocus\r\n%s",
			s->identity_len, s->identity,
			sdp ? "Content-Type: application/sdp\r\n" : "");
	cpmcf_sess_unlock(s);
	if(n >= 0)
		n += m;
	if(i < 0) {
		slb.zreply(msg, 481, "Call/Transaction Does Not Exist");
		return -ENOENT;
	}
	if(n < 0 || n >= (int)sizeof(hdrs))
		return -ENOSPC;
	if(tmb.t_newtran(msg) < 0)
		return -EIO;
	if(add_lump_rpl(msg, hdrs, n, LUMP_RPL_HDR) == 0
			|| (sdp && add_lump_rpl(msg, sdp->s, sdp->len, LUMP_RPL_BODY) == 0))
		return -ENOMEM;
	if(tmb.t_reply(msg, 200, "OK") < 0)
		return -EIO;
	return i;
}

/* ---- item 7: participants who stop answering ---- */

void cpmcf_dlg_gone(cpmcf_sess_t *s, const str *callid, const str *ltag,
		int code)
{
	int i, bye = 0, note = 0;
	cpmcf_part_t *p;

	cpmcf_sess_lock(s);
	i = cpmcf_part_by_dialog(s, callid, ltag);
	if(i >= 0) {
		p = &s->parts[i];
		if(p->state == CPMCF_P_CONNECTED || p->state == CPMCF_P_DIALING_IN) {
			/* RFC 4575: shown disconnected, disconnection-method failed */
			p->status = code;
			if(code == 481) {
				/* RFC 5057 5.1: the dialog is gone, a BYE would get 481 */
				p->state = CPMCF_P_DISCONNECTED;
				note = 1;
			} else {
				bye = 1;
			}
		}
	}
	cpmcf_sess_unlock(s);
	if(bye && cpmcf_dlg_leave(s, i, 0) > 0)
		note = 1;
	if(!note)
		return;
	LM_DBG("participant %d of %.*s removed: in-dialog request answered %d\n",
			i, s->user_len, s->user, code);
	counter_inc(st_unresp);
	if(changed)
		changed(s, i);
}

int cpmcf_dlg_expire(cpmcf_sess_t *s, int i)
{
	int go = 0;

	cpmcf_sess_lock(s);
	if(i < s->n && s->parts[i].state == CPMCF_P_CONNECTED && s->parts[i].se
			&& !s->parts[i].se_focus) {
		s->parts[i].status = 408; /* shown as failed (RFC 4575) */
		go = 1;
	}
	cpmcf_sess_unlock(s);
	/* RFC 4028 10: the side that does not refresh sends BYE */
	if(!go || cpmcf_dlg_leave(s, i, 0) <= 0)
		return 0;
	LM_DBG("participant %d of %.*s: session expired, removed\n", i,
			s->user_len, s->user);
	counter_inc(st_unresp);
	counter_inc(st_expired);
	if(changed)
		changed(s, i);
	return 1;
}

/* the answer to one of the focus's in-dialog requests (RFC 5057) */
static void indlg_done(struct cell *t, int type, struct tmcb_params *ps)
{
	indlg_cbp_t *cb = (indlg_cbp_t *)*ps->param;
	str cid, tag;
	int i, code = ps->code;
	cpmcf_se_t se;
	hdr_field_t *hf;

	if(cb == NULL)
		return;
	*ps->param = NULL;
	cid.s = cb->callid;
	cid.len = cb->callid_len;
	tag.s = cb->ltag;
	tag.len = cb->ltag_len;
	se.delta = 0;
	if(!cb->notify && code >= 200 && code < 300 && ps->rpl
			&& ps->rpl != FAKED_REPLY
			&& parse_headers(ps->rpl, HDR_EOH_F, 0) == 0)
		for(hf = ps->rpl->headers; hf; hf = hf->next)
			if(hf->type == HDR_SESSIONEXPIRES_T
					&& cpmcf_se_parse(hf->body.s, hf->body.len, &se) < 0)
				se.delta = 0;
	if(!cb->notify) {
		/* the refresh is over: done (2xx: refreshed, RFC 4028 10), or
		 * failed without ending the dialog (405, 501, 491 ...: retried at
		 * the next half interval) */
		cpmcf_sess_lock(cb->s);
		i = cpmcf_part_by_dialog(cb->s, &cid, &tag);
		if(i >= 0) {
			cb->s->parts[i].se_busy = 0;
			cb->s->parts[i].se_last = (unsigned int)time(NULL);
			if(se.delta > 0)
				cb->s->parts[i].se = se.delta;
		}
		cpmcf_sess_unlock(cb->s);
	}
	if(cpmcf_usage_gone(code, cb->notify))
		cpmcf_dlg_gone(cb->s, &cid, &tag, code);
	cpmcf_sess_put(cb->s);
	shm_free(cb);
}

/* a callback parameter for participant i's dialog (under the lock) */
static indlg_cbp_t *indlg_cbp(cpmcf_sess_t *s, int i, int notify)
{
	indlg_cbp_t *cb = shm_malloc(sizeof(*cb));

	if(cb == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(cb, 0, sizeof(*cb));
	cb->s = s;
	cb->notify = notify;
	memcpy(cb->callid, s->parts[i].callid, s->parts[i].callid_len);
	cb->callid_len = s->parts[i].callid_len;
	memcpy(cb->ltag, s->parts[i].ltag, s->parts[i].ltag_len);
	cb->ltag_len = s->parts[i].ltag_len;
	s->refcnt++; /* the transaction's */
	return cb;
}

int cpmcf_dlg_st_refresh(cpmcf_sess_t *s, int i)
{
	static str update = str_init("UPDATE");
	char hdrs[CPMCF_URI_MAX + 160];
	indlg_cbp_t *cb = NULL;
	dlg_t *dlg = NULL;
	uac_req_t r;
	str h;

	cpmcf_sess_lock(s);
	if(i < s->n && s->parts[i].state == CPMCF_P_CONNECTED && s->parts[i].dlg
			&& s->parts[i].se && s->parts[i].se_focus && !s->parts[i].se_busy) {
		h.len = snprintf(hdrs, sizeof(hdrs),
				"Contact: <%.*s>;isfocus\r\n"
				"Session-Expires: %u;refresher=uac\r\n"
				"Supported: timer\r\n",
				s->identity_len, s->identity, s->parts[i].se);
		if(h.len > 0 && h.len < (int)sizeof(hdrs)
				&& (cb = indlg_cbp(s, i, 0)) != NULL) {
			/* one refresh at a time; a rejoin waits for it (480) */
			s->parts[i].se_busy = 1;
			dlg = s->parts[i].dlg;
		}
	}
	cpmcf_sess_unlock(s);
	if(cb == NULL)
		return 0;
	h.s = hdrs;
	/* RFC 4028 7.4 / RFC 3311: UPDATE refreshes without a new offer */
	set_uac_req(&r, &update, &h, NULL, dlg, TMCB_LOCAL_COMPLETED, indlg_done,
			cb);
	if(tmb.t_request_within(&r) < 0) {
		LM_ERR("cannot send the refresh of participant %d of %.*s\n", i,
				s->user_len, s->user);
		cpmcf_sess_lock(s);
		s->parts[i].se_busy = 0;
		s->parts[i].se_last = (unsigned int)time(NULL);
		cpmcf_sess_unlock(s);
		cpmcf_sess_put(s);
		shm_free(cb);
		return -EIO;
	}
	counter_inc(st_refreshes);
	return 1;
}

int cpmcf_dlg_within(cpmcf_sess_t *s, int i, const str *method,
		const str *hdrs, const str *body)
{
	indlg_cbp_t *cb = NULL;
	dlg_t *dlg = NULL;
	uac_req_t r;

	cpmcf_sess_lock(s);
	if(i >= 0 && i < s->n
			&& (s->parts[i].state == CPMCF_P_CONNECTED
					|| s->parts[i].state == CPMCF_P_DIALING_IN)
			&& s->parts[i].dlg) {
		cb = indlg_cbp(s, i, 1);
		if(cb)
			dlg = s->parts[i].dlg;
	}
	cpmcf_sess_unlock(s);
	if(cb == NULL)
		return -ENOENT;
	set_uac_req(&r, (str *)method, (str *)hdrs, (str *)body, dlg,
			TMCB_LOCAL_COMPLETED, indlg_done, cb);
	if(tmb.t_request_within(&r) < 0) {
		cpmcf_sess_put(s);
		shm_free(cb);
		return -EIO;
	}
	return 0;
}

/* participant information: the subscription dialogs' NOTIFYs
 * go where the SUBSCRIBE came from, as this file's own requests do */
int cpmcf_dlg_keep_source(struct sip_msg *msg, void *dlg)
{
	if(((dlg_t *)dlg)->route_set != NULL)
		return 0;
	return set_source_dst(msg, (dlg_t *)dlg);
}

/* 1 when a Require header lists the option tag (RFC 3261 20.32) */
int cpmcf_requires(sip_msg_t *msg, const char *tag)
{
	return has_tag(msg, HDR_REQUIRE_T, tag);
}
