/*
 * cpm_cf: adding and removing participants, extending 1-1 to group
 * (cpmcf_refer.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/dprint.h"
#include "core/counters.h"
#include "core/timer.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/data_lump_rpl.h"
#include "core/trim.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/parser/parse_ppi_pai.h"
#include "core/parser/parse_content.h"
#include "modules/tm/tm_load.h"
#include "modules/tm/dlg.h"

#include "../../lib/cpm_multipart.h"
#include "../../lib/cpm_reslist.h"

#include "cpmcf_refer.h"
#include "cpmcf_refer_core.h"
#include "cpmcf_gsess.h"
#include "cpmcf_session.h"
#include "cpmcf_dlg.h"

int cpmcf_refer_initiator_only = 0;

/* a REFER-added invitation whose referrer subscribed (RFC 3515 2.4.4):
 * the final NOTIFY goes when participant `target` of s is answered */
typedef struct ref_sub {
	struct ref_sub *next;
	cpmcf_sess_t *s; /* referenced while the record lives */
	int target;
	int referrer; /* participant index (in-dialog REFER), or -1 */
	dlg_t *dlg;	  /* the subscription's own dialog (REFER outside a
					 dialog: RFC 3515 2.4.4 creates one), else NULL */
	unsigned int since;
} ref_sub_t;

/* one list, one lock: REFERs are rare next to messages, and the lock is
 * never held across a send (records are taken out first) */
static ref_sub_t **subs = NULL;
static gen_lock_t *subs_lock = NULL;

static cpm_warning_api_t *cpmw;
static struct tm_binds tmb;
/* the offer of an invitation a REFER asks for: the focus's MSRP chat
 * (cpmcf_sdp_chat_offer()) */
static cpmcf_sdp_t refer_offer;

/* RFC 3515 2.4.5 with RFC 4579: a subscription lives until the final
 * status; a record whose invitation never completes is dropped */
#define REF_SUB_TTL 300

static counter_handle_t st_accepted, st_refused, st_added, st_removed,
		st_notify;
static counter_def_t refer_counters[] = {
		{&st_accepted, "refers_accepted", 0, 0, 0,
				"REFERs to a Group Session answered 202"},
		{&st_refused, "refers_refused", 0, 0, 0,
				"REFERs refused (4xx with or without a Warning)"},
		{&st_added, "participants_referred", 0, 0, 0,
				"participants invited because of a REFER"},
		{&st_removed, "participants_removed", 0, 0, 0,
				"participants sent BYE because of a REFER (method=BYE)"},
		{&st_notify, "refer_notifies", 0, 0, 0,
				"NOTIFYs (Event: refer, message/sipfrag) sent"},
		{0, 0, 0, 0, 0, 0}};


static void sub_sweep(unsigned int ticks, void *param);

int cpmcf_refer_init(cpm_warning_api_t *w)
{
	cpmw = w;
	if(cpmcf_refer_initiator_only < 0 || cpmcf_refer_initiator_only > 1) {
		LM_ERR("refer_initiator_only must be 0 or 1, not %d\n",
				cpmcf_refer_initiator_only);
		return -1;
	}
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("cpm_cf REFER needs the tm module\n");
		return -1;
	}
	if(cpmcf_sdp_chat_offer(&refer_offer) < 0) {
		LM_ERR("the REFER offer template does not parse\n");
		return -1;
	}
	if(counter_register_array("cpm_cf", refer_counters) < 0) {
		LM_ERR("cannot register the REFER statistics\n");
		return -1;
	}
	subs = shm_malloc(sizeof(*subs));
	subs_lock = lock_alloc();
	if(subs == NULL || subs_lock == NULL || lock_init(subs_lock) == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	*subs = NULL;
	if(register_timer(sub_sweep, 0, 10) < 0) {
		LM_ERR("cannot register the REFER subscription timer\n");
		return -1;
	}
	return 0;
}

void cpmcf_refer_destroy(void)
{
	if(subs_lock) {
		lock_destroy(subs_lock);
		lock_dealloc(subs_lock);
		subs_lock = NULL;
	}
}

static int refuse(struct sip_msg *msg, int status, const char *reason,
		int warn)
{
	str r = {(char *)reason, strlen(reason)};

	counter_inc(st_refused);
	LM_DBG("REFER refused %d (%d): %s\n", status, warn, reason);
	struct cell *t = tmb.t_gett ? tmb.t_gett() : NULL;

	if(warn > 0) {
		if(cpmw->reply(msg, status, &r, warn) < 0)
			return CPMCF_ERR;
	} else if(t && t != T_UNDEFINED) {
		/* the REFER's transaction exists: tm answers */
		if(tmb.t_reply(msg, status, (char *)reason) < 0)
			return CPMCF_ERR;
	} else if(cpmcf_sl_reply(msg, status, (char *)reason) < 0) {
		return CPMCF_ERR;
	}
	return CPMCF_REFUSED;
}

/* the body of the first header named `name` (any case), trimmed */
static int header(struct sip_msg *msg, const char *name, str *v)
{
	struct hdr_field *h;
	int n = strlen(name);

	for(h = msg->headers; h; h = h->next)
		if(h->name.len == n && strncasecmp(h->name.s, name, n) == 0) {
			*v = h->body;
			trim(v);
			return 0;
		}
	return -ENOENT;
}

static int ceq(cpm_str_t v, const char *lit)
{
	int n = strlen(lit);
	return v.len == n && strncasecmp(v.s, lit, n) == 0;
}

static int msg_body(struct sip_msg *msg, str *body)
{
	body->s = get_body(msg);
	if(body->s == NULL)
		return -EBADMSG;
	body->len = msg->buf + msg->len - body->s;
	if(msg->content_length && (int)get_content_length(msg) < body->len)
		body->len = get_content_length(msg);
	return 0;
}

/* RFC 5368 / RFC 8262: the resource list the cid: URL names, the whole
 * body (its Content-ID a message header) or a multipart/mixed part; the
 * targets are parsed into t.  Number of targets, or a status to refuse */
static int cid_targets(struct sip_msg *msg, const str *cid, cpmcf_refto_t *t,
		int max, char *buf, int size, cpm_rl_entry_t *e, char *ebuf,
		int esize)
{
	cpm_mp_part_t parts[CPM_MP_MAX_PARTS];
	cpm_str_t bnd, list = {0, 0};
	str body, ct, id;
	int np, k, n, used = 0, rc;

	if(msg->content_type == NULL || msg_body(msg, &body) < 0 || body.len <= 0)
		return -400;
	ct = msg->content_type->body;
	trim(&ct);
	if(ct.len >= 30
			&& strncasecmp(ct.s, "application/resource-lists+xml", 30) == 0) {
		if(header(msg, "Content-ID", &id) < 0)
			return -400;
		if(id.len >= 2 && id.s[0] == '<' && id.s[id.len - 1] == '>') {
			id.s++;
			id.len -= 2;
		}
		if(!STR_EQ(id, *cid))
			return -400;
		list.s = body.s;
		list.len = body.len;
	} else if(ct.len >= 15 && strncasecmp(ct.s, "multipart/mixed", 15) == 0) {
		if(cpm_mp_boundary(ct.s, ct.len, &bnd) < 0)
			return -400;
		np = cpm_mp_parse(body.s, body.len, bnd.s, bnd.len, parts,
				CPM_MP_MAX_PARTS);
		if(np < 0)
			return -400;
		for(k = 0; k < np; k++)
			if(parts[k].content_id.len == cid->len
					&& memcmp(parts[k].content_id.s, cid->s, cid->len) == 0
					&& ceq(parts[k].content_type,
							"application/resource-lists+xml"))
				list = parts[k].body;
		if(list.s == NULL)
			return -400;
	} else {
		return -415;
	}
	n = cpm_rl_parse(list.s, list.len, e, max + 1, ebuf, esize);
	if(n == -E2BIG)
		return -403;
	if(n <= 0)
		return -400;
	for(k = 0; k < n; k++) {
		rc = cpmcf_refto_parse(e[k].uri.s, e[k].uri.len, 1, &t[k], buf + used,
				size - used);
		if(rc < 0 || t[k].is_cid || t[k].replaces.len > 0)
			return -400;
		used += t[k].uri.len;
	}
	return n;
}

/* the sipfrag status line's reason (RFC 3515 2.4.5) */
static const char *reason_of(int code)
{
	switch(code) {
		case 100:
			return "Trying";
		case 200:
			return "OK";
		case 403:
			return "Forbidden";
		case 404:
			return "Not Found";
		case 408:
			return "Request Timeout";
		case 480:
			return "Temporarily Unavailable";
		case 486:
			return "Busy Here";
		case 487:
			return "Request Terminated";
		case 488:
			return "Not Acceptable Here";
		case 603:
			return "Decline";
	}
	return code < 300 ? "OK" : code < 400 ? "Redirection" : "Failed";
}

/* NOTIFY (RFC 3515 2.4.4 / 2.4.5) in the referrer's dialog with the
 * focus, or in the dialog the out-of-dialog REFER created */
static void notify(cpmcf_sess_t *s, int referrer, dlg_t *own, int code)
{
	static str method = str_init("NOTIFY");
	char hdrs[CPMCF_URI_MAX + 256], frag[64];
	str h, b;
	dlg_t *dlg = own;
	uac_req_t r;
	int fin = code >= 200;

	cpmcf_sess_lock(s);
	h.len = snprintf(hdrs, sizeof(hdrs),
			"Event: refer\r\n"
			"Subscription-State: %s\r\n"
			"Contact: <%.*s>;isfocus\r\n"
			"Content-Type: message/sipfrag;version=2.0\r\n",
			fin ? "terminated;reason=noresource" : "active;expires=300",
			s->identity_len, s->identity);
	cpmcf_sess_unlock(s);
	if(h.len < 0 || h.len >= (int)sizeof(hdrs))
		return;
	h.s = hdrs;
	b.len = snprintf(frag, sizeof(frag), "SIP/2.0 %d %s\r\n", code,
			reason_of(code));
	b.s = frag;
	if(dlg == NULL) {
		/* in the referrer's dialog with the focus: a NOTIFY it does not
		 * take (481, timeout ...: RFC 5057) removes it (item 7) */
		switch(cpmcf_dlg_within(s, referrer, &method, &h, &b)) {
			case 0:
				counter_inc(st_notify);
				break;
			case -ENOENT:
				LM_DBG("no dialog for the NOTIFY of %.*s (the referrer"
					   " left)\n",
						s->user_len, s->user);
				break;
			default:
				LM_ERR("cannot send the NOTIFY of %.*s\n", s->user_len,
						s->user);
		}
		return;
	}
	set_uac_req(&r, &method, &h, &b, dlg, 0, NULL, NULL);
	if(tmb.t_request_within(&r) < 0) {
		LM_ERR("cannot send the NOTIFY of %.*s\n", s->user_len, s->user);
		return;
	}
	counter_inc(st_notify);
}

static void sub_free(ref_sub_t *r)
{
	if(r->dlg)
		tmb.free_dlg(r->dlg);
	cpmcf_sess_put(r->s);
	shm_free(r);
}

void cpmcf_refer_changed(cpmcf_sess_t *s, int i)
{
	ref_sub_t *r, **pp, *done = NULL;
	int code = 0;

	if(subs == NULL || *subs == NULL)
		return;
	cpmcf_sess_lock(s);
	if(i < s->n && (s->parts[i].state == CPMCF_P_CONNECTED
						   || s->parts[i].state == CPMCF_P_DISCONNECTED))
		code = s->parts[i].state == CPMCF_P_CONNECTED
					   ? 200
					   : (s->parts[i].status >= 300 ? s->parts[i].status
													: 480);
	cpmcf_sess_unlock(s);
	if(code == 0)
		return;
	lock_get(subs_lock);
	for(pp = subs; *pp;) {
		r = *pp;
		if(r->s == s && r->target == i) {
			*pp = r->next;
			r->next = done;
			done = r;
		} else {
			pp = &r->next;
		}
	}
	lock_release(subs_lock);
	while(done) {
		r = done;
		done = r->next;
		notify(r->s, r->referrer, r->dlg, code);
		sub_free(r);
	}
}

static void sub_sweep(unsigned int ticks, void *param)
{
	ref_sub_t *r, **pp, *old = NULL;
	unsigned int now = (unsigned int)time(NULL);

	if(subs == NULL || *subs == NULL)
		return;
	lock_get(subs_lock);
	for(pp = subs; *pp;) {
		r = *pp;
		if(now - r->since >= REF_SUB_TTL) {
			*pp = r->next;
			r->next = old;
			old = r;
		} else {
			pp = &r->next;
		}
	}
	lock_release(subs_lock);
	while(old) {
		r = old;
		old = r->next;
		sub_free(r);
	}
}

/* takes ownership of dlg; s gets a reference of the record's */
static int sub_add(cpmcf_sess_t *s, int target, int referrer, dlg_t *dlg)
{
	ref_sub_t *r = shm_malloc(sizeof(*r));

	if(r == NULL) {
		SHM_MEM_ERROR;
		if(dlg)
			tmb.free_dlg(dlg);
		return -ENOMEM;
	}
	memset(r, 0, sizeof(*r));
	cpmcf_sess_lock(s);
	s->refcnt++;
	cpmcf_sess_unlock(s);
	r->s = s;
	r->target = target;
	r->referrer = referrer;
	r->dlg = dlg;
	r->since = (unsigned int)time(NULL);
	lock_get(subs_lock);
	r->next = *subs;
	*subs = r;
	lock_release(subs_lock);
	return 0;
}

/* what the REFER asks for, in the order of its targets */
typedef struct ref_job {
	int idx;   /* participant index */
	int add;   /* 1 invite, 0 BYE */
	int known; /* add: already an active participant (nothing to do) */
	void *old; /* the dialog of a former participant's slot, freed after */
} ref_job_t;

int cpmcf_refer(struct sip_msg *msg)
{
	struct hdr_field *h, *rt = NULL;
	struct to_body *fb;
	cpmcf_sess_t *s = NULL;
	cpmcf_refto_t one, *t = NULL;
	cpm_rl_entry_t *e = NULL;
	ref_job_t *jobs = NULL;
	char *tbuf = NULL, *ebuf = NULL, obuf[CPMCF_URI_MAX * 2 + 64];
	char hdrs[CPMCF_URI_MAX + 64];
	str totag = STR_NULL, sender, v, a, ru;
	int nt = 0, k, rc = CPMCF_ERR, ri, need, sub, multi, max, i, hl = 0, tsize;
	dlg_t *dlg = NULL;

	if(cpmcf_is_mine(msg) != CPMCF_OK)
		return CPMCF_NOT_MINE;
	if(msg->parsed_uri.user.len == cpmcf_factory_user.len
			&& memcmp(msg->parsed_uri.user.s, cpmcf_factory_user.s,
					   cpmcf_factory_user.len)
					   == 0)
		/* RFC 4579 5.5 REFERs go to a conference, not the factory */
		return refuse(msg, 403, "Forbidden", 122);
	if(!cpmcf_session_user(&msg->parsed_uri.user))
		return CPMCF_NOT_MINE; /* a pre-defined group with no session */
	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || parse_from_header(msg) < 0
			|| msg->callid == NULL || msg->to == NULL)
		return refuse(msg, 400, "Bad Request", 0);
	totag = get_to(msg)->tag_value;
	s = cpmcf_sess_get(&msg->parsed_uri.user);
	if(s == NULL) {
		/* seed 6.4.2: the session in the Request-URI does not exist */
		return refuse(msg, 404, "Not Found", 123);
	}
	/* RFC 3515 2.4.1: exactly one Refer-To */
	for(h = msg->headers; h; h = h->next)
		if(h->type == HDR_REFER_TO_T) {
			if(rt) {
				rc = refuse(msg, 400, "Several Refer-To", 0);
				goto done;
			}
			rt = h;
		}
	if(rt == NULL) {
		rc = refuse(msg, 400, "Missing Refer-To", 0);
		goto done;
	}
	max = cpmcf_max_participants;
	k = cpmcf_refto_parse(rt->body.s, rt->body.len, 0, &one, obuf, sizeof(obuf));
	if(k == -ENOTSUP) {
		rc = refuse(msg, 400, "Unsupported Refer-To method", 0);
		goto done;
	}
	if(k < 0 || one.replaces.len > 0) {
		rc = refuse(msg, 400, "Malformed Refer-To", 0);
		goto done;
	}
	multi = one.is_cid;
	/* RFC 4488: Refer-Sub: false asks for no implicit subscription;
	 * RFC 5368 5: a multiple-REFER creates none either */
	sub = !(header(msg, "Refer-Sub", &v) == 0 && v.len == 5
				   && strncasecmp(v.s, "false", 5) == 0)
		  && !multi;
	if(multi) {
		if(!cpmcf_requires(msg, "multiple-refer")) {
			rc = refuse(msg, 400, "cid: Refer-To without Require: multiple-refer",
					0);
			goto done;
		}
		tsize = max * (CPMCF_REF_URI_MAX + 1);
		t = pkg_malloc((max + 1) * sizeof(*t));
		e = pkg_malloc((max + 1) * sizeof(*e));
		tbuf = pkg_malloc(tsize);
		if(msg_body(msg, &v) == 0) {
			ebuf = pkg_malloc(v.len + 1024);
			hl = v.len + 1024;
		}
		if(t == NULL || e == NULL || tbuf == NULL || ebuf == NULL) {
			PKG_MEM_ERROR;
			if(ebuf == NULL && t && e && tbuf)
				rc = refuse(msg, 400, "Missing resource list", 0);
			goto done;
		}
		nt = cid_targets(msg, &one.uri, t, max, tbuf, tsize, e, ebuf, hl);
		if(nt == -403) {
			rc = refuse(msg, 403, "Forbidden", 102);
			goto done;
		}
		if(nt < 0) {
			rc = refuse(msg, -nt,
					nt == -415 ? "Unsupported Media Type"
							   : "Malformed resource list",
					0);
			goto done;
		}
	} else {
		t = pkg_malloc(sizeof(*t));
		if(t == NULL) {
			PKG_MEM_ERROR;
			goto done;
		}
		t[0] = one;
		nt = 1;
	}
	jobs = pkg_malloc(nt * sizeof(*jobs));
	if(jobs == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	memset(jobs, 0, nt * sizeof(*jobs));

	/* the referrer: its dialog with the focus, or (outside a dialog) its
	 * authenticated identity (seed 6.1: PAI of a trusted peer, else the
	 * From route[AUTH] checked) naming a participant */
	fb = get_from(msg);
	if(parse_pai_header(msg) == 0 && get_pai(msg)->id
			&& get_pai(msg)->id->uri.len > 0)
		fb = get_pai(msg)->id;
	sender = fb->uri;

	/* the transaction before any change: a retransmitted REFER is
	 * absorbed by tm, never acted on twice */
	k = tmb.t_newtran(msg);
	if(k <= 0) {
		if(k < 0)
			LM_ERR("cannot create the transaction of a REFER to %.*s\n",
					s->user_len, s->user);
		rc = k < 0 ? CPMCF_ERR : CPMCF_REFUSED;
		goto done;
	}

	cpmcf_sess_lock(s);
	if(totag.len > 0)
		ri = cpmcf_part_by_dialog(s, &msg->callid->body, &totag);
	else
		ri = cpmcf_part_by_uri(s, &sender);
	if(ri >= 0 && s->parts[ri].state != CPMCF_P_CONNECTED
			&& s->parts[ri].state != CPMCF_P_DIALING_IN)
		ri = -ENOENT;
	if(ri < 0 || s->ended) {
		cpmcf_sess_unlock(s);
		if(totag.len > 0 && ri < 0) {
			rc = refuse(msg, 481, "Call/Transaction Does Not Exist", 0);
			goto done;
		}
		/* seed 6.4.2: not a participant of this session */
		rc = refuse(msg, 403, "Forbidden", 127);
		goto done;
	}
	/* policy: a pre-defined group's DYN_INVITE rule, else (ad-hoc) any
	 * participant or, by module parameter, the initiator only */
	a.s = s->parts[ri].uri;
	a.len = s->parts[ri].uri_len;
	k = cpmcf_group_may_refer(s, &a);
	if(k == 0 || (k < 0 && cpmcf_refer_initiator_only && !s->parts[ri].initiator)) {
		cpmcf_sess_unlock(s);
		rc = refuse(msg, 403, "Forbidden", 122);
		goto done;
	}
	/* first the whole REFER is checked (limit, targets), then the
	 * session changes: a refused REFER changes nothing */
	need = 0;
	for(k = 0; k < nt; k++) {
		i = cpmcf_part_by_uri(s, &t[k].uri);
		jobs[k].add = t[k].method == CPMCF_REF_INVITE;
		if(i >= 0 && s->parts[i].state >= CPMCF_P_DISCONNECTING)
			i = -ENOENT;
		if(jobs[k].add) {
			jobs[k].known = i >= 0;
			jobs[k].idx = i;
			if(i < 0)
				need++;
		} else {
			jobs[k].idx = i;
			if(i < 0 && !multi) {
				cpmcf_sess_unlock(s);
				rc = refuse(msg, 404, "Not a participant", 0);
				goto done;
			}
		}
	}
	if(cpmcf_active(s) + need > s->max) {
		cpmcf_sess_unlock(s);
		rc = refuse(msg, 403, "Forbidden", 102);
		goto done;
	}
	for(k = 0; k < nt; k++) {
		if(!jobs[k].add || jobs[k].known)
			continue;
		i = cpmcf_part_by_uri(s, &t[k].uri);
		if(i >= 0 && s->parts[i].state == CPMCF_P_DISCONNECTED) {
			/* a former participant: its old dialog goes */
			jobs[k].old = s->parts[i].dlg;
			s->parts[i].dlg = NULL;
		}
		i = cpmcf_part_add(&cpmcf_shm, s, &t[k].uri, NULL, 0,
				CPMCF_P_DIALING_OUT);
		if(i == -EEXIST) {
			/* listed twice in the REFER */
			jobs[k].known = 1;
			continue;
		}
		if(i < 0) {
			/* -E2BIG cannot happen (checked); -ENOMEM, -EINVAL: this
			 * target is skipped, the REFER goes on */
			LM_ERR("cannot add a REFERred participant to %.*s (%d)\n",
					s->user_len, s->user, i);
			jobs[k].idx = -1;
			continue;
		}
		jobs[k].idx = i;
		ru.s = s->parts[ri].uri;
		ru.len = s->parts[ri].uri_len;
		if(cpmcf_part_set_extra(&cpmcf_shm, s, i, CPMCF_X_REFERRER, &ru) < 0)
			LM_ERR("no memory for the referrer of a participant of %.*s:"
				   " Referred-By names the initiator\n",
					s->user_len, s->user);
	}
	hl = snprintf(hdrs, sizeof(hdrs), "Contact: <%.*s>;isfocus\r\n%s",
			s->identity_len, s->identity, sub ? "" : "Refer-Sub: false\r\n");
	cpmcf_sess_unlock(s);
	for(k = 0; k < nt; k++)
		if(jobs[k].old) {
			cpmcf_dlg_release(jobs[k].old);
			jobs[k].old = NULL;
		}

	/* 202 (RFC 3515 2.4.2), statefully: its To tag is the subscription
	 * dialog's when the REFER came outside a dialog */
	if(sub && totag.len == 0 && tmb.new_dlg_uas(msg, 202, &dlg) < 0) {
		LM_ERR("cannot create the subscription dialog of a REFER\n");
		dlg = NULL;
	}
	if(hl < 0 || hl >= (int)sizeof(hdrs)
			|| add_lump_rpl(msg, hdrs, hl, LUMP_RPL_HDR) == 0
			|| tmb.t_reply(msg, 202, "Accepted") < 0)
		LM_ERR("cannot answer 202 to a REFER to %.*s\n", s->user_len, s->user);
	else
		counter_inc(st_accepted);

	rc = CPMCF_OK;
	for(k = 0; k < nt; k++) {
		i = jobs[k].idx;
		if(jobs[k].add && jobs[k].known) {
			/* already in: the referral succeeded as it stands */
			if(sub) {
				notify(s, totag.len ? ri : -1, dlg, 100);
				notify(s, totag.len ? ri : -1, dlg, 200);
			}
			continue;
		}
		if(i < 0)
			continue;
		if(jobs[k].add) {
			if(sub) {
				/* the first NOTIFY right after the 202 (RFC 3515
				 * 2.4.4), the final one from cpmcf_refer_changed() */
				notify(s, totag.len ? ri : -1, dlg, 100);
				if(sub_add(s, i, totag.len ? ri : -1, dlg) == 0)
					dlg = NULL;
			}
			counter_inc(st_added);
			if(cpmcf_gsess_invite(s, i, &refer_offer) < 0)
				cpmcf_gsess_changed(s, i);
		} else {
			/* RFC 4579 5.6: the focus sends the target BYE */
			if(sub)
				notify(s, totag.len ? ri : -1, dlg, 100);
			counter_inc(st_removed);
			if(cpmcf_dlg_leave(s, i, 0) > 0)
				cpmcf_gsess_changed(s, i);
			if(sub)
				notify(s, totag.len ? ri : -1, dlg, 200);
		}
	}

done:
	if(dlg)
		tmb.free_dlg(dlg);
	if(s)
		cpmcf_sess_put(s);
	if(jobs)
		pkg_free(jobs);
	if(t)
		pkg_free(t);
	if(e)
		pkg_free(e);
	if(tbuf)
		pkg_free(tbuf);
	if(ebuf)
		pkg_free(ebuf);
	return rc;
}

int cpmcf_extend_entry(str *uri, char *buf, int size, str *rep)
{
	cpmcf_refto_t r;

	rep->s = NULL;
	rep->len = 0;
	if(memchr(uri->s, '?', uri->len) == NULL)
		return 0;
	if(cpmcf_refto_parse(uri->s, uri->len, 1, &r, buf, size) < 0 || r.is_cid
			|| r.method != CPMCF_REF_INVITE)
		return -EBADMSG;
	*uri = r.uri;
	*rep = r.replaces;
	return 0;
}
