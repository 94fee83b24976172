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
#include "core/locking.h"
#include "core/route.h"
#include "core/counters.h"
#include "core/parser/parse_uri.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/msg_translator.h"
#include "lib/srdb1/db.h"
#include "modules/tm/tm_load.h"

#include "cpmpf_db.h"
#include "cpmpf_isf.h"
#include "cpmpf_prefs.h"
#include "cpmpf_prefs_core.h"

str cpmpf_isf_uri = STR_NULL;
str cpmpf_isf_reply_route = str_init("PF_ISF_REPLY");

static struct tm_binds _tmb;
static int _tm_loaded = 0;
static struct action *_isf_route = NULL;
static cpmpf_pref_table_t **_subs = NULL;
static gen_lock_t *_subs_lock = NULL;
static db_func_t _dbf;
static stat_var *_st_isf_sent, *_st_isf_failed;

static str _t_subscriber = str_init("subscriber");
static str _c_username = str_init("username");

static void *shm_alloc_f(size_t n)
{
	return shm_malloc(n);
}
static void shm_free_f(void *p)
{
	shm_free(p);
}
static const cpmpf_alloc_t _shm_alloc = {shm_alloc_f, shm_free_f};

/* the set of provisioned user names (subscriber.username) */
static cpmpf_pref_table_t *subs_load(void)
{
	db1_con_t *h;
	db1_res_t *res = NULL;
	db_key_t cols[1] = {&_c_username};
	cpmpf_pref_table_t *t;
	int i;
	str u;

	h = _dbf.init(&cpmpf_db_url);
	if(h == NULL) {
		LM_ERR("cannot connect to [%.*s]\n", cpmpf_db_url.len, cpmpf_db_url.s);
		return NULL;
	}
	t = cpmpf_pref_table_new(1024, &_shm_alloc);
	if(t == NULL)
		goto error;
	if(_dbf.use_table(h, &_t_subscriber) < 0
			|| _dbf.query(h, 0, 0, 0, cols, 0, 1, 0, &res) < 0) {
		LM_ERR("cannot read table subscriber\n");
		goto error;
	}
	for(i = 0; i < RES_ROW_N(res); i++) {
		if(cpmpf_db_val_str(ROW_VALUES(&RES_ROWS(res)[i]), &u) < 0
				|| u.len == 0)
			continue;
		if(cpmpf_pref_user_add(t, &u) < 0)
			goto error;
	}
	_dbf.free_result(h, res);
	_dbf.close(h);
	return t;
error:
	if(res)
		_dbf.free_result(h, res);
	_dbf.close(h);
	cpmpf_pref_table_free(t);
	return NULL;
}

int cpmpf_isf_init(void)
{
	int rt;

	if(register_stat("cpm_pf", "isf_sent", &_st_isf_sent, 0) != 0
			|| register_stat("cpm_pf", "isf_failed", &_st_isf_failed, 0)
					   != 0) {
		LM_ERR("cannot register statistics\n");
		return -1;
	}
	_subs = shm_malloc(sizeof(*_subs));
	_subs_lock = lock_alloc();
	if(_subs == NULL || _subs_lock == NULL || lock_init(_subs_lock) == 0) {
		LM_ERR("no shared memory\n");
		return -1;
	}
	*_subs = NULL;
	if(cpmpf_db_url.s && cpmpf_db_url.len > 0) {
		if(db_bind_mod(&cpmpf_db_url, &_dbf) < 0) {
			LM_ERR("cannot bind the database module\n");
			return -1;
		}
		*_subs = subs_load();
		if(*_subs == NULL)
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

void cpmpf_isf_destroy(void)
{
	if(_subs) {
		cpmpf_pref_table_free(*_subs);
		shm_free(_subs);
		_subs = NULL;
	}
	if(_subs_lock) {
		lock_destroy(_subs_lock);
		lock_dealloc(_subs_lock);
		_subs_lock = NULL;
	}
}

static int user_served(const str *user)
{
	int r;

	if(_subs == NULL || user->len <= 0)
		return 0;
	lock_get(_subs_lock);
	r = cpmpf_pref_user_find(*_subs, user) != NULL;
	lock_release(_subs_lock);
	return r;
}

int cpmpf_tel_served(const str *number)
{
	return user_served(number);
}

/* global-number = "+" 1*DIGIT, visual separators - . ( ) allowed (RFC 3966) */
static int is_global_number(const str *u)
{
	int i, digits = 0;

	if(u->len < 2 || u->s[0] != '+')
		return 0;
	for(i = 1; i < u->len; i++) {
		char c = u->s[i];
		if(c >= '0' && c <= '9')
			digits++;
		else if(c != '-' && c != '.' && c != '(' && c != ')')
			return 0;
	}
	return digits > 0;
}

/* 1: a TEL identity we do not serve (goes to the ISF); -1: a served user,
 * or a SIP user name (unknown ones are 404 for the script); -2: error */
int ki_cpm_pf_needs_interworking(sip_msg_t *msg)
{
	struct sip_uri *u;
	int tel;

	if(parse_sip_msg_uri(msg) < 0) {
		LM_ERR("cannot parse the Request-URI\n");
		return -2;
	}
	u = &msg->parsed_uri;
	tel = u->type == TEL_URI_T || u->type == TELS_URI_T
		  || (u->user_param_val.len == 5
				  && strncasecmp(u->user_param_val.s, "phone", 5) == 0)
		  || is_global_number(&u->user);
	if(!tel)
		return -1;
	return cpmpf_tel_served(&u->user) ? -1 : 1;
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

const char *cpmpf_rpc_subscribers_reload_doc[] = {
		"Reload the set of provisioned users (subscriber table)", 0};

void cpmpf_rpc_subscribers_reload(rpc_t *rpc, void *ctx)
{
	cpmpf_pref_table_t *nt, *old;

	if(cpmpf_db_url.s == NULL || cpmpf_db_url.len <= 0) {
		rpc->fault(ctx, 500, "no db_url");
		return;
	}
	nt = subs_load();
	if(nt == NULL) {
		rpc->fault(ctx, 500, "cannot load the subscriber table");
		return;
	}
	lock_get(_subs_lock);
	old = *_subs;
	*_subs = nt;
	lock_release(_subs_lock);
	cpmpf_pref_table_free(old);
	rpc->rpl_printf(ctx, "ok");
}
