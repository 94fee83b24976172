/*
 * cpm_pf glue: interworking (seed 6.5, "Interworking Selection Function").
 *
 * Decision, cpm_pf_needs_interworking(): the recipient is no CPM user of
 * ours.  In one served domain a SIP user name that is not provisioned does
 * not exist (404, never stored: issue 6 item 4); a TEL identity that is not
 * provisioned is a number of another network (PSTN, SMS): the ISF takes it.
 * TEL identity = a tel: URI, a SIP URI with user=phone (RFC 3261 19.1.6), or
 * a SIP URI whose user part is a global number "+" 1*DIGIT (as IMS clients
 * address numbers, 3GPP TS 24.229 5.1.2A.1).  A served user whose devices
 * all lack CPM feature tags is NOT interworking: the standalone deployment
 * delivers Pager Mode to them as plain SIP MESSAGE (cpmpf_devices_core.h).
 *
 * Sending, cpm_pf_send_to_isf(): seed 6.5 has the PF send the request to
 * the ISF "acting as a UAC", not via the SIP/IP core.  The PF sends a NEW
 * MESSAGE through tm (t_request) to isf_uri: Request-URI and To = the
 * recipient, From = the originator (authenticated by route[AUTH]), the
 * other headers (Conversation-ID, Contribution-ID, Content-Type, ...) and
 * the body copied byte for byte.  The original transaction is suspended
 * (t_suspend) and answered with the ISF's final status (t_continue in
 * route isf_reply_route, cpm_pf_isf_reply()): the originator learns whether
 * the other network took the message, which a 202 at once would hide (no
 * store behind the ISF path is ours to guarantee delivery).
 */
#include <errno.h>
#include <stdio.h>

#include "core/dprint.h"
#include "core/mem/shm_mem.h"
#include "core/mem/mem.h"
#include "core/route.h"
#include "core/counters.h"
#include "core/parser/parse_uri.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/msg_translator.h"
#include "core/dset.h"
#include "modules/tm/tm_load.h"

#include "cpmpf_isf.h"
#include "cpmpf_identity.h"
#include "cpmpf_isf_core.h"
#include "cpmpf_users.h"

str cpmpf_isf_uri = STR_NULL;
str cpmpf_isf_reply_route = str_init("PF_ISF_REPLY");

static struct tm_binds _tmb;
static int _tm_loaded = 0;
static struct action *_isf_route = NULL;
static stat_var *_st_isf_sent, *_st_isf_failed;

int cpmpf_isf_init(void)
{
	int rt;

	if(register_stat("cpm_pf", "isf_sent", &_st_isf_sent, 0) != 0
			|| register_stat("cpm_pf", "isf_failed", &_st_isf_failed, 0)
					   != 0) {
		LM_ERR("cannot register statistics\n");
		return -1;
	}
	if(cpmpf_isf_uri.s == NULL || cpmpf_isf_uri.len == 0)
		return 0; /* no ISF: cpm_pf_send_to_isf() refuses (-2) */
	{
		struct sip_uri u;
		if(parse_uri(cpmpf_isf_uri.s, cpmpf_isf_uri.len, &u) < 0) {
			LM_ERR("isf_uri [%.*s] is no SIP URI\n", cpmpf_isf_uri.len,
					cpmpf_isf_uri.s);
			return -1;
		}
	}
	if(load_tm_api(&_tmb) < 0) {
		LM_ERR("isf_uri needs the tm module\n");
		return -1;
	}
	_tm_loaded = 1;
	rt = route_lookup(&main_rt, cpmpf_isf_reply_route.s);
	if(rt < 0 || main_rt.rlist[rt] == NULL) {
		LM_ERR("isf_uri is set but route[%s] (isf_reply_route) is missing "
			   "from the script\n",
				cpmpf_isf_reply_route.s);
		return -1;
	}
	_isf_route = main_rt.rlist[rt];
	return 0;
}

/* the TEL identity the Request-URI addresses (cpmpf_tel_target): its
 * normalized tel: URI in buf; 0 no TEL target, < 0 not normalizable or
 * unparsable (-2 for the script) */
static int ruri_tel(sip_msg_t *msg, char *buf, int size)
{
	struct sip_uri *u;

	if(parse_sip_msg_uri(msg) < 0) {
		LM_ERR("cannot parse the Request-URI\n");
		return -2;
	}
	u = &msg->parsed_uri;
	return cpmpf_tel_target(u->type == TEL_URI_T || u->type == TELS_URI_T,
			&u->user, &u->user_param_val, buf, size);
}

int cpmpf_tel_served(const str *tel, const str *user)
{
	char owner[CPMPF_USER_MAX + 1];
	str num;

	/* a user provisioned with this TEL identity (cpm_identity) */
	if(tel && tel->len > 4
			&& cpmpf_identity_owner(tel, owner, sizeof(owner)) >= 0)
		return 1;
	/* a subscriber named by the number, as written or normalized */
	if(user && cpmpf_user_served(user))
		return 1;
	if(tel && tel->len > 4) {
		num.s = tel->s + 4;
		num.len = tel->len - 4;
		return cpmpf_user_served(&num);
	}
	return 0;
}

/* 1: a TEL identity we do not serve (goes to the ISF); -1: a served TEL
 * identity, or a SIP user name (unknown ones are 404 for the script); -2:
 * error */
int ki_cpm_pf_needs_interworking(sip_msg_t *msg)
{
	char tel[CPMPF_URI_MAX];
	str t;
	int n;

	n = ruri_tel(msg, tel, sizeof(tel));
	if(n == -2)
		return -2;
	if(n == 0)
		return -1;
	/* a TEL target whose number does not normalize (a local number with
	 * letters...) is no identity of ours: another network's */
	t.s = tel;
	t.len = n > 0 ? n : 0;
	if(cpmpf_tel_served(n > 0 ? &t : NULL, &msg->parsed_uri.user))
		return -1;
	return 1;
}

/* 1: the Request-URI was a TEL identity of a user here (cpm_identity) and
 * now is that user's default SIP identity; -1: no TEL identity of a user
 * here (unchanged); -2: error */
int ki_cpm_pf_tel_to_user(sip_msg_t *msg)
{
	char tel[CPMPF_URI_MAX], owner[CPMPF_USER_MAX + 1];
	cpmpf_uids_t *ids = NULL;
	str t, o, ruri;
	int n, i, ret = -1;

	n = ruri_tel(msg, tel, sizeof(tel));
	if(n == -2)
		return -2;
	if(n <= 0)
		return -1;
	t.s = tel;
	t.len = n;
	o.len = cpmpf_identity_owner(&t, owner, sizeof(owner));
	if(o.len < 0)
		return -1;
	o.s = owner;
	/* the owner's identities, default first (cpmpf_identity_get) */
	ids = pkg_malloc(sizeof(*ids));
	if(ids == NULL) {
		PKG_MEM_ERROR;
		return -2;
	}
	if(cpmpf_identity_get(&o, ids) < 0)
		ids->n = 0;
	for(i = 0; i < ids->n && ids->id[i].kind != CPMPF_URI_SIP; i++)
		;
	if(i == ids->n) {
		LM_WARN("%.*s belongs to [%.*s], who has no SIP identity: not "
				"rewritten\n",
				t.len, t.s, o.len, o.s);
		goto done;
	}
	ruri.s = ids->id[i].norm;
	ruri.len = ids->id[i].nlen;
	if(rewrite_uri(msg, &ruri) < 0) {
		LM_ERR("cannot rewrite the Request-URI to [%.*s]\n", ruri.len,
				ruri.s);
		ret = -2;
		goto done;
	}
	ret = 1;
done:
	pkg_free(ids);
	return ret;
}

/* ---- sending to the ISF ---- */

typedef struct isf_job {
	unsigned int hash;
	unsigned int label;
} isf_job_t;

/* the ISF's answer, for cpm_pf_isf_reply() inside t_continue() */
static int _isf_status = 0;
static char _isf_reason[128];

static void isf_reply_cb(struct cell *t, int type, struct tmcb_params *ps)
{
	isf_job_t *job;
	str r = str_init("Request Timeout");

	if(ps->param == NULL || *ps->param == NULL)
		return;
	job = (isf_job_t *)*ps->param;
	*ps->param = NULL;
	_isf_status = ps->code;
	if(ps->rpl && ps->rpl != FAKED_REPLY)
		r = ps->rpl->first_line.u.reply.reason;
	else if(ps->code != 408)
		r.s = "Service Unavailable", r.len = 19;
	if(r.len >= (int)sizeof(_isf_reason))
		r.len = sizeof(_isf_reason) - 1;
	memcpy(_isf_reason, r.s, r.len);
	_isf_reason[r.len] = '\0';
	if(ps->code >= 300)
		update_stat(_st_isf_failed, 1);
	/* the suspended transaction has tm's fr_timer too: when the ISF does
	 * not answer, it may time out first (the originator got tm's 408) */
	if(_tmb.t_continue(job->hash, job->label, _isf_route) < 0)
		LM_WARN("transaction %u:%u gone before the ISF's %d (timed out?)\n",
				job->hash, job->label, ps->code);
	_isf_status = 0;
	shm_free(job);
}

/* headers the new request gets from tm or must not carry: the rest goes to
 * the ISF byte for byte */
static int hdr_skipped(struct hdr_field *hf)
{
	switch(hf->type) {
		case HDR_VIA_T:
		case HDR_FROM_T:
		case HDR_TO_T:
		case HDR_CALLID_T:
		case HDR_CSEQ_T:
		case HDR_MAXFORWARDS_T:
		case HDR_CONTENTLENGTH_T:
		case HDR_ROUTE_T:
		case HDR_RECORDROUTE_T:
		case HDR_CONTACT_T:
		case HDR_AUTHORIZATION_T:
		case HDR_PROXYAUTH_T:
			return 1;
		default:
			return 0;
	}
}

/* 1 sent (the transaction is suspended: the script exits without a
 * reply); -1 error (nothing sent, the script answers); -2 no isf_uri */
int ki_cpm_pf_send_to_isf(sip_msg_t *msg)
{
	static str method = str_init("MESSAGE");
	struct hdr_field *hf;
	struct to_body *fb;
	struct cell *t;
	uac_req_t uac_r;
	isf_job_t *job = NULL;
	str hdrs = STR_NULL, body = STR_NULL, from = STR_NULL, to, ruri;
	int len, suspended = 0, ret = -1;

	if(!_tm_loaded || _isf_route == NULL) {
		LM_ERR("no isf_uri configured\n");
		return -2;
	}
	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || parse_from_header(msg) < 0
			|| msg->to == NULL) {
		LM_ERR("cannot parse the request's headers\n");
		return -1;
	}
	/* From = the originator's name-addr without the tag (tm adds its own) */
	fb = get_from(msg);
	from.s = pkg_malloc(fb->display.len + fb->uri.len + 4);
	if(from.s == NULL)
		goto nomem;
	len = 0;
	if(fb->display.len > 0) {
		memcpy(from.s, fb->display.s, fb->display.len);
		len = fb->display.len;
		from.s[len++] = ' ';
	}
	from.s[len++] = '<';
	memcpy(from.s + len, fb->uri.s, fb->uri.len);
	len += fb->uri.len;
	from.s[len++] = '>';
	from.len = len;
	to = msg->to->body;
	while(to.len > 0 && (to.s[to.len - 1] == '\r' || to.s[to.len - 1] == '\n'))
		to.len--;
	ruri = msg->first_line.u.request.uri;
	len = 0;
	for(hf = msg->headers; hf; hf = hf->next)
		if(!hdr_skipped(hf))
			len += hf->len;
	if(len > 0) {
		hdrs.s = pkg_malloc(len);
		if(hdrs.s == NULL)
			goto nomem;
		for(hf = msg->headers; hf; hf = hf->next) {
			if(hdr_skipped(hf))
				continue;
			memcpy(hdrs.s + hdrs.len, hf->name.s, hf->len);
			hdrs.len += hf->len;
		}
	}
	body.s = get_body(msg);
	if(body.s)
		body.len = msg->len - (int)(body.s - msg->buf);
	job = shm_malloc(sizeof(*job));
	if(job == NULL)
		goto nomem;
	t = _tmb.t_gett();
	if(t == NULL || t == T_UNDEFINED) {
		if(_tmb.t_newtran(msg) < 0) {
			LM_ERR("cannot create the transaction\n");
			goto done;
		}
	}
	/* suspended before the send: the ISF may answer before t_request
	 * returns */
	if(_tmb.t_suspend(msg, &job->hash, &job->label) < 0) {
		LM_ERR("cannot suspend the transaction\n");
		goto done;
	}
	suspended = 1;
	set_uac_req(&uac_r, &method, hdrs.len ? &hdrs : NULL,
			body.len ? &body : NULL, NULL, TMCB_LOCAL_COMPLETED, isf_reply_cb,
			job);
	if(_tmb.t_request(&uac_r, &ruri, &to, &from, &cpmpf_isf_uri) < 0) {
		LM_ERR("cannot send the MESSAGE to the ISF [%.*s]\n", cpmpf_isf_uri.len,
				cpmpf_isf_uri.s);
		goto done;
	}
	job = NULL; /* owned by the callback now */
	update_stat(_st_isf_sent, 1);
	ret = 1;
	goto done;

nomem:
	LM_ERR("no memory\n");
done:
	if(ret < 0 && suspended)
		_tmb.t_cancel_suspend(job->hash, job->label);
	if(ret < 0)
		update_stat(_st_isf_failed, 1);
	if(job)
		shm_free(job);
	if(hdrs.s)
		pkg_free(hdrs.s);
	if(from.s)
		pkg_free(from.s);
	return ret;
}

/* in route isf_reply_route: answer the resumed request with the ISF's
 * final status; -1 outside that route */
int ki_cpm_pf_isf_reply(sip_msg_t *msg)
{
	if(_isf_status < 200 || !_tm_loaded) {
		LM_ERR("cpm_pf_isf_reply() outside route[%s]\n",
				cpmpf_isf_reply_route.s);
		return -1;
	}
	if(_tmb.t_reply(msg, _isf_status, _isf_reason) < 0) {
		LM_ERR("cannot relay the ISF's %d\n", _isf_status);
		return -1;
	}
	return 1;
}
