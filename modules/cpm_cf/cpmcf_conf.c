/*
 * cpm_cf: participant information and pseudonyms, the glue (cpmcf_conf.h).
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
#include "core/ut.h"
#include "core/trim.h"
#include "core/data_lump_rpl.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/parser/parse_expires.h"
#include "core/parser/parse_ppi_pai.h"
#include "modules/tm/tm_load.h"
#include "modules/tm/dlg.h"

#include <libxml/parser.h>

#include "../../lib/cpm_confinfo.h"
#include "../../lib/cpm_xdm.h"

#include "cpmcf_conf.h"
#include "cpmcf_conf_core.h"
#include "cpmcf_names_core.h"
#include "cpmcf_gsess.h"
#include "cpmcf_session.h"
#include "cpmcf_dlg.h"

int cpmcf_conf_max_expires = 3600;
int cpmcf_anonymity_forbidden = 0;

#define CONF_SLOTS 64
#define DOC_MAX 65536

static struct tm_binds tmb;
static cpm_warning_api_t *cpmw;

static counter_handle_t st_subs, st_sub_refused, st_notifies;
static counter_def_t conf_counters[] = {
		{&st_subs, "subscriptions", 0, 0, 0,
				"conference event subscriptions accepted (RFC 4575)"},
		{&st_sub_refused, "subscriptions_refused", 0, 0, 0,
				"SUBSCRIBEs refused (not a participant: 403 + Warning 127; "
				"bad event, no session)"},
		{&st_notifies, "notifies_sent", 0, 0, 0,
				"conference-info NOTIFYs the CF sent"},
		{0, 0, 0, 0, 0, 0}};

/* one subscription (shm) */
typedef struct cpmcf_sub {
	struct cpmcf_sub *next;
	int ref;	/* the list's one, and one per NOTIFY in flight */
	int linked;
	unsigned int slot;
	char user[CPMCF_NAME_MAX]; /* the session identity's user part */
	int user_len;
	char uri[CPMCF_URI_MAX]; /* the subscriber (a participant) */
	int uri_len;
	dlg_t *dlg;
	unsigned int expires; /* absolute, s */
	long version;
	/* one NOTIFY of a subscription at a time (tm increments the dialog's
	 * CSeq unlocked; versions leave in order): a process that finds one
	 * being sent leaves its news to the sender, which sends the full
	 * state once more (pending) or the last NOTIFY (final) */
	int busy;
	int pending;
	const char *final; /* Subscription-State of a last NOTIFY waiting */
} cpmcf_sub_t;

/* a session's subscriptions and anonymous participants (shm) */
typedef struct cpmcf_conf {
	struct cpmcf_conf *next;
	char user[CPMCF_NAME_MAX];
	int user_len;
	cpmcf_sub_t *subs;
	int nsubs;
	cpmcf_anon_t *anon;
	int nanon, anon_cap;
} cpmcf_conf_t;

typedef struct conf_tab {
	cpmcf_conf_t *slot[CONF_SLOTS];
} conf_tab_t;

static conf_tab_t *ctab = NULL;
static gen_lock_set_t *clocks = NULL;

static void conf_sweep(unsigned int ticks, void *param);

int cpmcf_conf_init(cpm_warning_api_t *w)
{
	cpmw = w;
	if(cpmcf_conf_max_expires < 60 || cpmcf_conf_max_expires > 86400) {
		LM_ERR("conf_max_expires must be 60..86400 s, not %d\n",
				cpmcf_conf_max_expires);
		return -1;
	}
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("cpm_cf needs the tm module\n");
		return -1;
	}
	/* libxml2 builds the documents (lib/cpm_confinfo): its globals are
	 * set up once, before the workers fork */
	xmlInitParser();
	if(counter_register_array("cpm_cf", conf_counters) < 0) {
		LM_ERR("cannot register the subscription statistics\n");
		return -1;
	}
	ctab = shm_malloc(sizeof(*ctab));
	if(ctab == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(ctab, 0, sizeof(*ctab));
	clocks = lock_set_alloc(CONF_SLOTS);
	if(clocks == NULL || lock_set_init(clocks) == NULL) {
		LM_ERR("cannot create the subscription locks\n");
		if(clocks)
			lock_set_dealloc(clocks);
		clocks = NULL;
		return -1;
	}
	/* expiry (RFC 6665 4.2.2) and the end of sessions ended by RPC */
	if(register_timer(conf_sweep, 0, 1) < 0) {
		LM_ERR("cannot register the subscription timer\n");
		return -1;
	}
	return 0;
}

static void sub_free(cpmcf_sub_t *sub)
{
	if(sub->dlg)
		tmb.free_dlg(sub->dlg);
	shm_free(sub);
}

static void conf_free(cpmcf_conf_t *c)
{
	cpmcf_sub_t *sub, *n;

	for(sub = c->subs; sub; sub = n) {
		n = sub->next;
		sub_free(sub);
	}
	if(c->anon)
		shm_free(c->anon);
	shm_free(c);
}

void cpmcf_conf_destroy(void)
{
	cpmcf_conf_t *c, *n;
	int i;

	if(ctab) {
		for(i = 0; i < CONF_SLOTS; i++)
			for(c = ctab->slot[i]; c; c = n) {
				n = c->next;
				conf_free(c);
			}
		shm_free(ctab);
		ctab = NULL;
	}
	if(clocks) {
		lock_set_destroy(clocks);
		lock_set_dealloc(clocks);
		clocks = NULL;
	}
}

static unsigned int slot_of(const char *user, int len)
{
	str u = {(char *)user, len};
	return cpmcf_hash(&u) & (CONF_SLOTS - 1);
}

/* under the slot's lock */
static cpmcf_conf_t *conf_find(unsigned int slot, const char *user, int len)
{
	cpmcf_conf_t *c;

	for(c = ctab->slot[slot]; c; c = c->next)
		if(c->user_len == len && memcmp(c->user, user, len) == 0)
			return c;
	return NULL;
}

static cpmcf_conf_t *conf_get(unsigned int slot, const char *user, int len)
{
	cpmcf_conf_t *c = conf_find(slot, user, len);

	if(c || len > CPMCF_NAME_MAX)
		return c;
	c = shm_malloc(sizeof(*c));
	if(c == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(c, 0, sizeof(*c));
	memcpy(c->user, user, len);
	c->user_len = len;
	c->next = ctab->slot[slot];
	ctab->slot[slot] = c;
	return c;
}

static void sub_put(cpmcf_sub_t *sub)
{
	int last;

	lock_set_get(clocks, sub->slot);
	last = --sub->ref == 0;
	lock_set_release(clocks, sub->slot);
	if(last)
		sub_free(sub);
}

/* unlinks sub from its session's list (under the slot lock); the list's
 * reference passes to the caller.  1 when it was linked */
static int sub_unlink_locked(cpmcf_sub_t *sub)
{
	cpmcf_conf_t *c;
	cpmcf_sub_t **pp;

	if(!sub->linked)
		return 0;
	c = conf_find(sub->slot, sub->user, sub->user_len);
	if(c)
		for(pp = &c->subs; *pp; pp = &(*pp)->next)
			if(*pp == sub) {
				*pp = sub->next;
				c->nsubs--;
				break;
			}
	sub->linked = 0;
	sub->next = NULL;
	return 1;
}

/* ---- NOTIFY ---- */

static void notify_done(struct cell *t, int type, struct tmcb_params *ps)
{
	cpmcf_sub_t *sub = (cpmcf_sub_t *)*ps->param;
	int drop = 0;

	if(sub == NULL)
		return;
	*ps->param = NULL;
	/* RFC 6665 4.2.2: a NOTIFY answered 481 (or failing otherwise, no
	 * answer at all) ends the subscription */
	if(ps->code >= 300) {
		LM_DBG("NOTIFY to %.*s answered %d: subscription removed\n",
				sub->uri_len, sub->uri, ps->code);
		lock_set_get(clocks, sub->slot);
		drop = sub_unlink_locked(sub);
		lock_set_release(clocks, sub->slot);
		if(drop)
			sub_put(sub);
	}
	sub_put(sub);
}

/* sends one NOTIFY of sub with `body` (may be empty); sub is referenced by
 * the caller, the transaction takes its own; no lock held */
static int notify_send(cpmcf_sub_t *sub, const char *identity, int id_len,
		const char *state, const str *body)
{
	static str method = str_init("NOTIFY");
	char hdrs[CPMCF_URI_MAX + 256];
	str h;
	uac_req_t r;
	int n;

	n = snprintf(hdrs, sizeof(hdrs),
			"Event: conference\r\n"
			"Subscription-State: %s\r\n"
			"Contact: <%.*s>;isfocus\r\n"
			"%s",
			state, id_len, identity,
			body->len > 0 ? "Content-Type: " CPM_CI_CONTENT_TYPE "\r\n" : "");
	if(n < 0 || n >= (int)sizeof(hdrs))
		return -ENOSPC;
	h.s = hdrs;
	h.len = n;
	lock_set_get(clocks, sub->slot);
	sub->ref++; /* the transaction's */
	lock_set_release(clocks, sub->slot);
	set_uac_req(&r, &method, &h, body->len > 0 ? (str *)body : NULL, sub->dlg,
			TMCB_LOCAL_COMPLETED, notify_done, sub);
	if(tmb.t_request_within(&r) < 0) {
		LM_ERR("cannot send NOTIFY of %.*s to %.*s\n", sub->user_len,
				sub->user, sub->uri_len, sub->uri);
		sub_put(sub);
		return -EIO;
	}
	counter_inc(st_notifies);
	return 0;
}

/* a copy of the session's anonymous participants (pkg), for a document
 * built outside the subscription lock */
static int anon_copy(const char *user, int len, cpmcf_anon_t **out)
{
	unsigned int slot = slot_of(user, len);
	cpmcf_conf_t *c;
	int n = 0;

	*out = NULL;
	lock_set_get(clocks, slot);
	c = conf_find(slot, user, len);
	if(c && c->nanon > 0) {
		*out = pkg_malloc(c->nanon * sizeof(**out));
		if(*out) {
			memcpy(*out, c->anon, c->nanon * sizeof(**out));
			n = c->nanon;
		} else {
			n = -ENOMEM;
		}
	}
	lock_set_release(clocks, slot);
	if(n < 0)
		PKG_MEM_ERROR;
	return n;
}

/* the document of s for sub (version already taken), into a pkg buffer */
static int doc_for(cpmcf_sess_t *s, const cpmcf_anon_t *an, int na,
		cpmcf_sub_t *sub, long version, int changed, str *doc)
{
	str me = {sub->uri, sub->uri_len};
	int n;

	doc->s = pkg_malloc(DOC_MAX);
	if(doc->s == NULL) {
		PKG_MEM_ERROR;
		return -ENOMEM;
	}
	cpmcf_sess_lock(s);
	n = cpmcf_conf_doc(s, an, na, &me, version, changed < s->n ? changed : -1,
			doc->s, DOC_MAX);
	cpmcf_sess_unlock(s);
	if(n < 0) {
		LM_ERR("cannot build the conference-info of %.*s (%d)\n",
				sub->user_len, sub->user, n);
		pkg_free(doc->s);
		doc->s = NULL;
		return n;
	}
	doc->len = n;
	return 0;
}

/* one NOTIFY to sub with the state of s (full: changed < 0); s NULL: the
 * session is gone, no body */
static void notify_build_send(cpmcf_sess_t *s, const cpmcf_anon_t *an,
		int na, cpmcf_sub_t *sub, int changed, const char *state)
{
	char id[CPMCF_URI_MAX], st[64];
	int id_len = 0;
	long version;
	unsigned int now = (unsigned int)time(NULL), left;
	str doc = STR_NULL;

	lock_set_get(clocks, sub->slot);
	version = ++sub->version;
	left = sub->expires > now ? sub->expires - now : 0;
	lock_set_release(clocks, sub->slot);
	if(state == NULL) {
		snprintf(st, sizeof(st), "active;expires=%u", left);
		state = st;
	}
	if(s) {
		cpmcf_sess_lock(s);
		memcpy(id, s->identity, s->identity_len);
		id_len = s->identity_len;
		cpmcf_sess_unlock(s);
		if(doc_for(s, an, na, sub, version, changed, &doc) < 0)
			return;
	} else {
		/* the session record is gone: the dialog's local URI is the
		 * identity the subscriber addressed */
		id_len = sub->dlg->loc_uri.len < CPMCF_URI_MAX ? sub->dlg->loc_uri.len
													   : 0;
		memcpy(id, sub->dlg->loc_uri.s, id_len);
	}
	notify_send(sub, id, id_len, state, &doc);
	if(doc.s)
		pkg_free(doc.s);
}

/* NOTIFY to sub (referenced by the caller); `state` NULL: active, else the
 * Subscription-State of its last NOTIFY (a static string) */
static void notify_one(cpmcf_sess_t *s, const cpmcf_anon_t *an, int na,
		cpmcf_sub_t *sub, int changed, const char *state)
{
	const char *final;

	lock_set_get(clocks, sub->slot);
	if(sub->final) {
		/* its last NOTIFY is decided: nothing after it */
		lock_set_release(clocks, sub->slot);
		return;
	}
	if(sub->busy) {
		if(state)
			sub->final = state;
		else
			sub->pending = 1;
		lock_set_release(clocks, sub->slot);
		return;
	}
	sub->busy = 1;
	if(state)
		sub->final = state;
	lock_set_release(clocks, sub->slot);
	notify_build_send(s, an, na, sub, changed, state);
	for(;;) {
		lock_set_get(clocks, sub->slot);
		final = (sub->final && sub->final != state) ? sub->final : NULL;
		if(final == NULL && !(sub->pending && state == NULL)) {
			sub->busy = 0;
			sub->pending = 0;
			lock_set_release(clocks, sub->slot);
			return;
		}
		sub->pending = 0;
		lock_set_release(clocks, sub->slot);
		/* news came meanwhile: the full state once more, or the last */
		notify_build_send(s, an, na, sub, -1, final);
		if(final)
			state = final;
	}
}

/* the session's subscriptions, referenced, into a pkg array; with
 * `detach` they are unlinked (their list reference passes to the array)
 * and the session's record freed */
static int subs_take(const char *user, int len, int detach,
		cpmcf_sub_t ***out)
{
	unsigned int slot = slot_of(user, len);
	cpmcf_conf_t *c, **pp;
	cpmcf_sub_t *sub, **a = NULL;
	int n = 0, nomem = 0;

	*out = NULL;
	lock_set_get(clocks, slot);
	c = conf_find(slot, user, len);
	if(c && c->nsubs > 0) {
		a = pkg_malloc(c->nsubs * sizeof(*a));
		nomem = a == NULL;
		if(a)
			for(sub = c->subs; sub && n < c->nsubs; sub = sub->next) {
				if(!detach)
					sub->ref++;
				a[n++] = sub;
			}
	}
	if(c && detach && (a || c->nsubs == 0)) {
		for(sub = c->subs; sub; sub = sub->next)
			sub->linked = 0;
		c->subs = NULL;
		c->nsubs = 0;
		for(pp = &ctab->slot[slot]; *pp; pp = &(*pp)->next)
			if(*pp == c) {
				*pp = c->next;
				break;
			}
		conf_free(c);
	}
	lock_set_release(clocks, slot);
	if(nomem) {
		PKG_MEM_ERROR;
		return -ENOMEM;
	}
	*out = a;
	return n;
}

/* the session ended: every subscription gets its last NOTIFY (RFC 6665
 * 4.2.2: terminated;reason=noresource) with the final state when the
 * session record is still there */
static void end_all(cpmcf_sess_t *s, const char *user, int len)
{
	cpmcf_sub_t **a;
	cpmcf_anon_t *an = NULL;
	int n, na, i;

	na = anon_copy(user, len, &an);
	n = subs_take(user, len, 1, &a);
	for(i = 0; i < n; i++) {
		notify_one(s, an, na > 0 ? na : 0, a[i], -1,
				"terminated;reason=noresource");
		sub_put(a[i]);
	}
	if(a)
		pkg_free(a);
	if(an)
		pkg_free(an);
}

void cpmcf_conf_changed(cpmcf_sess_t *s, int i)
{
	char user[CPMCF_NAME_MAX];
	int len, ended, n, na, k;
	cpmcf_sub_t **a;
	cpmcf_anon_t *an = NULL;

	if(ctab == NULL)
		return;
	cpmcf_sess_lock(s);
	len = s->user_len;
	memcpy(user, s->user, len);
	ended = s->ended;
	cpmcf_sess_unlock(s);
	if(ended) {
		end_all(s, user, len);
		return;
	}
	n = subs_take(user, len, 0, &a);
	if(n <= 0)
		return;
	na = anon_copy(user, len, &an);
	/* RFC 4575 4.4: partial state, the version one higher */
	for(k = 0; k < n; k++) {
		notify_one(s, an, na > 0 ? na : 0, a[k], i, NULL);
		sub_put(a[k]);
	}
	pkg_free(a);
	if(an)
		pkg_free(an);
}

/* ---- SUBSCRIBE ---- */

static int refuse(struct sip_msg *msg, int status, const char *reason,
		int warn)
{
	str r = {(char *)reason, strlen(reason)};

	counter_inc(st_sub_refused);
	if(warn > 0)
		return cpmw->reply(msg, status, &r, warn) < 0 ? CPMCF_ERR
													   : CPMCF_REFUSED;
	return cpmcf_sl_reply(msg, status, (char *)reason) < 0 ? CPMCF_ERR
															: CPMCF_REFUSED;
}

/* Event: conference (RFC 4575 3.1; parameters ignored) */
static int event_is_conference(struct sip_msg *msg)
{
	str e;
	char *p;

	if(parse_headers(msg, HDR_EVENT_F, 0) < 0 || msg->event == NULL)
		return 0;
	e = msg->event->body;
	p = memchr(e.s, ';', e.len);
	if(p)
		e.len = p - e.s;
	trim(&e);
	return e.len == 10 && memcmp(e.s, "conference", 10) == 0;
}

/* Expires of the request, bounded (RFC 6665 4.2.1.1); none: the maximum */
static int req_expires(struct sip_msg *msg)
{
	int e;

	if(parse_headers(msg, HDR_EXPIRES_F, 0) < 0 || msg->expires == NULL)
		return cpmcf_conf_max_expires;
	if(msg->expires->parsed == NULL && parse_expires(msg->expires) < 0)
		return -1;
	e = ((exp_body_t *)msg->expires->parsed)->val;
	return e > cpmcf_conf_max_expires ? cpmcf_conf_max_expires : e;
}

/* the subscriber: the authenticated originator (seed 6.1: PAI of a
 * trusted peer, route[IDENTITY] removes any other), else From */
static int subscriber_of(struct sip_msg *msg, str *uri)
{
	if(parse_from_header(msg) < 0)
		return -EBADMSG;
	*uri = get_from(msg)->uri;
	if(parse_pai_header(msg) == 0 && get_pai(msg)->id
			&& get_pai(msg)->id->uri.len > 0)
		*uri = get_pai(msg)->id->uri;
	return uri->len > 0 && uri->len < CPMCF_URI_MAX ? 0 : -EINVAL;
}

static int reply_lumps(struct sip_msg *msg, const char *identity, int id_len,
		int expires)
{
	char h[CPMCF_URI_MAX + 64];
	int n;

	n = snprintf(h, sizeof(h), "Contact: <%.*s>;isfocus\r\nExpires: %d\r\n",
			id_len, identity, expires);
	if(n < 0 || n >= (int)sizeof(h)
			|| add_lump_rpl(msg, h, n, LUMP_RPL_HDR) == 0)
		return -ENOMEM;
	return 0;
}

/* a SUBSCRIBE in an existing subscription dialog: refresh or Expires: 0 */
static int resubscribe(struct sip_msg *msg, const str *user)
{
	unsigned int slot = slot_of(user->s, user->len);
	cpmcf_conf_t *c;
	cpmcf_sub_t *sub = NULL;
	cpmcf_sess_t *s;
	cpmcf_anon_t *an = NULL;
	str totag, fromtag;
	int exp, na, unlinked = 0;

	if(parse_headers(msg, HDR_CALLID_F | HDR_TO_F, 0) < 0
			|| msg->callid == NULL || parse_from_header(msg) < 0)
		return refuse(msg, 400, "Bad Request", 0);
	totag = get_to(msg)->tag_value;
	fromtag = get_from(msg)->tag_value;
	exp = req_expires(msg);
	if(exp < 0)
		return refuse(msg, 400, "Bad Expires", 0);
	lock_set_get(clocks, slot);
	c = conf_find(slot, user->s, user->len);
	for(sub = c ? c->subs : NULL; sub; sub = sub->next)
		if(STR_EQ(sub->dlg->id.call_id, msg->callid->body)
				&& STR_EQ(sub->dlg->id.loc_tag, totag)
				&& STR_EQ(sub->dlg->id.rem_tag, fromtag))
			break;
	if(sub) {
		/* RFC 3261 12.2.2: the remote CSeq; the target stays (another
		 * process may be sending a NOTIFY on this dialog: its remote
		 * target must not be freed under it) */
		tmb.dlg_request_uas(sub->dlg, msg, IS_NOT_TARGET_REFRESH);
		sub->ref++;
		if(exp == 0) {
			unlinked = sub_unlink_locked(sub);
		} else {
			sub->expires = (unsigned int)time(NULL) + exp;
		}
	}
	lock_set_release(clocks, slot);
	if(sub == NULL)
		return refuse(msg, 481, "Subscription Does Not Exist", 0);
	s = cpmcf_sess_get(user);
	if(reply_lumps(msg, sub->dlg->loc_uri.s, sub->dlg->loc_uri.len, exp) < 0
			|| cpmcf_sl_reply(msg, 200, "OK") < 0)
		LM_ERR("cannot answer the SUBSCRIBE of %.*s\n", sub->uri_len,
				sub->uri);
	na = anon_copy(user->s, user->len, &an);
	/* RFC 6665 4.2.1.2 / 4.2.2: a NOTIFY with the full state on every
	 * SUBSCRIBE; Expires: 0 ends the subscription with it */
	notify_one(s, an, na > 0 ? na : 0, sub, -1,
			exp == 0 ? "terminated;reason=timeout" : NULL);
	if(an)
		pkg_free(an);
	if(s)
		cpmcf_sess_put(s);
	if(unlinked)
		sub_put(sub);
	sub_put(sub);
	return CPMCF_OK;
}

int cpmcf_subscribe(struct sip_msg *msg)
{
	cpmcf_sess_t *s;
	cpmcf_sub_t *sub = NULL;
	cpmcf_conf_t *c;
	cpmcf_anon_t *an = NULL;
	dlg_t *dlg = NULL;
	str uri, user;
	char id[CPMCF_URI_MAX];
	int id_len, k, ok, exp, na, rc = CPMCF_ERR;

	if(cpmcf_is_mine(msg) != CPMCF_OK)
		return CPMCF_NOT_MINE;
	user = msg->parsed_uri.user;
	if(!event_is_conference(msg))
		return refuse(msg, 489, "Bad Event", 0);
	if(!cpmcf_session_user(&user))
		/* the factory, a pre-defined group with no running session */
		return refuse(msg, 489, "Bad Event", 0);
	if(parse_headers(msg, HDR_TO_F, 0) < 0 || msg->to == NULL)
		return refuse(msg, 400, "Bad To", 0);
	if(get_to(msg)->tag_value.len > 0)
		return resubscribe(msg, &user);
	s = cpmcf_sess_get(&user);
	if(s == NULL)
		return refuse(msg, 404, "Not Found", 123);
	if(subscriber_of(msg, &uri) < 0) {
		rc = refuse(msg, 400, "Bad From", 0);
		goto done;
	}
	exp = req_expires(msg);
	if(exp < 0) {
		rc = refuse(msg, 400, "Bad Expires", 0);
		goto done;
	}
	cpmcf_sess_lock(s);
	k = cpmcf_part_by_uri(s, &uri);
	ok = !s->ended && k >= 0 && s->parts[k].state < CPMCF_P_DISCONNECTING;
	memcpy(id, s->identity, s->identity_len);
	id_len = s->identity_len;
	cpmcf_sess_unlock(s);
	if(!ok) {
		/* seed 4.1: participant information is for participants */
		LM_DBG("SUBSCRIBE to %.*s by a non-participant refused\n", user.len,
				user.s);
		rc = refuse(msg, 403, "Forbidden", 127);
		goto done;
	}
	sub = shm_malloc(sizeof(*sub));
	if(sub == NULL) {
		SHM_MEM_ERROR;
		goto done;
	}
	memset(sub, 0, sizeof(*sub));
	memcpy(sub->user, user.s, user.len);
	sub->user_len = user.len;
	sub->slot = slot_of(user.s, user.len);
	memcpy(sub->uri, uri.s, uri.len);
	sub->uri_len = uri.len;
	sub->expires = (unsigned int)time(NULL) + exp;
	sub->ref = 1; /* this function's */
	if(tmb.t_newtran(msg) < 0) {
		LM_ERR("cannot create the transaction of the SUBSCRIBE to %.*s\n",
				user.len, user.s);
		goto done;
	}
	if(tmb.new_dlg_uas(msg, 200, &dlg) < 0) {
		LM_ERR("cannot create the subscription dialog of %.*s\n", user.len,
				user.s);
		goto done;
	}
	sub->dlg = dlg;
	/* the NOTIFYs go where the SUBSCRIBE came from (RFC 3581), as the
	 * CF's BYE to a participant: a client behind NAT puts an address in
	 * its Contact that nobody can reach */
	if(cpmcf_dlg_keep_source(msg, dlg) < 0)
		LM_ERR("cannot keep the source of the subscription to %.*s\n",
				user.len, user.s);
	if(reply_lumps(msg, id, id_len, exp) < 0) {
		LM_ERR("no memory for the 200 of the SUBSCRIBE to %.*s\n", user.len,
				user.s);
		goto done;
	}
	if(exp > 0) {
		lock_set_get(clocks, sub->slot);
		c = conf_get(sub->slot, user.s, user.len);
		if(c) {
			sub->next = c->subs;
			c->subs = sub;
			c->nsubs++;
			sub->linked = 1;
			sub->ref++; /* the list's */
		}
		lock_set_release(clocks, sub->slot);
		if(c == NULL)
			goto done;
	}
	if(tmb.t_reply(msg, 200, "OK") < 0)
		LM_ERR("cannot answer the SUBSCRIBE to %.*s\n", user.len, user.s);
	counter_inc(st_subs);
	/* RFC 4575 4.4 / RFC 6665 4.2.1.1: the full state right away; a fetch
	 * (Expires: 0) gets it with the subscription terminated */
	na = anon_copy(user.s, user.len, &an);
	notify_one(s, an, na > 0 ? na : 0, sub, -1,
			exp == 0 ? "terminated;reason=timeout" : NULL);
	if(an)
		pkg_free(an);
	rc = CPMCF_OK;

done:
	if(sub)
		sub_put(sub);
	cpmcf_sess_put(s);
	return rc;
}

/* ---- timer: expiry, sessions gone ---- */

static void sweep_session(const char *user, int len, unsigned int now)
{
	str u = {(char *)user, len};
	unsigned int slot = slot_of(user, len);
	cpmcf_sess_t *s = cpmcf_sess_get(&u);
	cpmcf_conf_t *c;
	cpmcf_sub_t *sub, **pp, *gone = NULL;
	cpmcf_anon_t *an = NULL;
	int ended = 1, na;

	if(s) {
		cpmcf_sess_lock(s);
		ended = s->ended;
		cpmcf_sess_unlock(s);
	}
	if(ended) {
		end_all(s, user, len);
		goto done;
	}
	/* RFC 6665 4.2.2: an expired subscription ends (reason=timeout) */
	lock_set_get(clocks, slot);
	c = conf_find(slot, user, len);
	for(pp = c ? &c->subs : NULL; pp && *pp;) {
		sub = *pp;
		if(sub->expires <= now) {
			*pp = sub->next;
			c->nsubs--;
			sub->linked = 0;
			sub->next = gone;
			gone = sub;
		} else {
			pp = &sub->next;
		}
	}
	lock_set_release(clocks, slot);
	if(gone == NULL)
		goto done;
	na = anon_copy(user, len, &an);
	while(gone) {
		sub = gone;
		gone = sub->next;
		sub->next = NULL;
		notify_one(s, an, na > 0 ? na : 0, sub, -1,
				"terminated;reason=timeout");
		sub_put(sub);
	}
	if(an)
		pkg_free(an);
done:
	if(s)
		cpmcf_sess_put(s);
}

static void conf_sweep(unsigned int ticks, void *param)
{
	char users[32][CPMCF_NAME_MAX];
	int lens[32], n, i, skip;
	unsigned int slot, now = (unsigned int)time(NULL);
	cpmcf_conf_t *c;

	if(ctab == NULL)
		return;
	for(slot = 0; slot < CONF_SLOTS; slot++) {
		/* up to 32 sessions of a slot per pass, then the next ones */
		for(skip = 0;; skip += n) {
			n = 0;
			i = 0;
			lock_set_get(clocks, slot);
			for(c = ctab->slot[slot]; c && n < 32; c = c->next, i++) {
				if(i < skip)
					continue;
				memcpy(users[n], c->user, c->user_len);
				lens[n++] = c->user_len;
			}
			lock_set_release(clocks, slot);
			for(i = 0; i < n; i++)
				sweep_session(users[i], lens[i], now);
			if(n < 32)
				break;
		}
	}
}

/* ---- seed 6.3: anonymity ---- */

/* appends an anonymity record for uri with number no to the conference,
 * growing its array by doubling; the caller holds the slot's lock */
static cpmcf_anon_t *anon_append(cpmcf_conf_t *c, const str *uri, int no)
{
	cpmcf_anon_t *na;
	int cap;

	if(c->nanon == c->anon_cap) {
		cap = c->anon_cap ? c->anon_cap * 2 : 4;
		na = shm_malloc(cap * sizeof(*na));
		if(na == NULL) {
			SHM_MEM_ERROR;
			return NULL;
		}
		if(c->nanon)
			memcpy(na, c->anon, c->nanon * sizeof(*na));
		if(c->anon)
			shm_free(c->anon);
		c->anon = na;
		c->anon_cap = cap;
	}
	na = &c->anon[c->nanon++];
	memset(na, 0, sizeof(*na));
	memcpy(na->uri, uri->s, uri->len);
	na->uri_len = uri->len;
	na->no = no;
	return na;
}

typedef struct shown_name {
	char s[CPMCF_NAME_MAX];
	int len;
} shown_name_t;

int cpmcf_conf_anon_join(struct sip_msg *msg, cpmcf_sess_t *s,
		const str *uri, const str *disp)
{
	struct hdr_field *h;
	str *taken = NULL, user;
	shown_name_t *names = NULL;
	char ubuf[CPMCF_NAME_MAX], pseudo[CPMCF_NAME_MAX];
	int asked = 0, nn = 0, nt = 0, i, k, len = 0, no = 1, cap, rc = -ENOMEM;
	int predefined, group_allows;
	unsigned int slot;
	cpmcf_conf_t *c;
	cpmcf_anon_t *a = NULL;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0)
		return -EBADMSG;
	for(h = msg->headers; h; h = h->next)
		if(h->name.len == 7 && strncasecmp(h->name.s, "Privacy", 7) == 0
				&& cpmcf_privacy_id(&h->body))
			asked = 1;
	if(!asked)
		return 0;
	/* seed 6.3 item 1: a pre-defined group's session grants anonymity
	 * when the group's XDM policy allows it (<allow-anonymity>, fixed in
	 * the session when it started); an ad-hoc session unless the operator
	 * forbids it */
	cpmcf_sess_lock(s);
	predefined = s->group_len > 0;
	group_allows = (s->gpolicy & CPM_XDM_P_ANONYMITY) != 0;
	cpmcf_sess_unlock(s);
	if(!cpmcf_anon_allowed(predefined, group_allows, cpmcf_anonymity_forbidden))
		return 0;
	if(uri->len >= CPMCF_URI_MAX)
		return -EINVAL;
	/* the names the others show (session first, then the subscription
	 * table: never both locks the other way round; only pkg under them) */
	cpmcf_sess_lock(s);
	user.len = s->user_len;
	memcpy(ubuf, s->user, user.len);
	user.s = ubuf;
	cap = s->n;
	names = pkg_malloc((cap + 1) * sizeof(*names));
	for(i = 0; names && i < s->n; i++) {
		if(s->parts[i].uri_len == uri->len
				&& memcmp(s->parts[i].uri, uri->s, uri->len) == 0)
			continue;
		memcpy(names[nn].s, s->parts[i].display, s->parts[i].display_len);
		names[nn++].len = s->parts[i].display_len;
	}
	cpmcf_sess_unlock(s);
	if(names == NULL) {
		PKG_MEM_ERROR;
		return -ENOMEM;
	}
	slot = slot_of(user.s, user.len);
	lock_set_get(clocks, slot);
	c = conf_get(slot, user.s, user.len);
	if(c)
		taken = pkg_malloc((nn + c->nanon + 1) * sizeof(*taken));
	if(taken == NULL)
		goto unlock;
	for(k = 0; k < nn; k++) {
		taken[nt].s = names[k].s;
		taken[nt++].len = names[k].len;
	}
	/* the other anonymous participants' pseudonyms are taken too; an
	 * anonymous participant who rejoins keeps its number */
	for(k = 0; k < c->nanon; k++) {
		if(c->anon[k].uri_len == uri->len
				&& memcmp(c->anon[k].uri, uri->s, uri->len) == 0) {
			a = &c->anon[k];
			continue;
		}
		taken[nt].s = c->anon[k].pseudo;
		taken[nt++].len = c->anon[k].pseudo_len;
		if(c->anon[k].no >= no)
			no = c->anon[k].no + 1;
	}
	len = cpmcf_pseudonym(disp, taken, nt, pseudo, sizeof(pseudo));
	if(len < 0) {
		rc = len;
		goto unlock;
	}
	if(a == NULL && (a = anon_append(c, uri, no)) == NULL)
		goto unlock;
	memcpy(a->pseudo, pseudo, len);
	a->pseudo_len = len;
	rc = 1;
unlock:
	lock_set_release(clocks, slot);
	if(taken == NULL && rc == -ENOMEM)
		PKG_MEM_ERROR;
	pkg_free(names);
	if(taken)
		pkg_free(taken);
	/* seed 6.3: the real identity is in no log at INFO either */
	if(rc == 1)
		LM_DBG("an anonymous participant joined %.*s as \"%.*s\"\n",
				user.len, user.s, len, pseudo);
	return rc;
}

int cpmcf_conf_anon_get(const char *user, int len, cpmcf_anon_t **out)
{
	if(ctab == NULL) {
		*out = NULL;
		return 0;
	}
	return anon_copy(user, len, out);
}

int cpmcf_conf_anon_restore(const str *user, const str *uri,
		const str *pseudo, int no)
{
	unsigned int slot;
	cpmcf_conf_t *c;
	cpmcf_anon_t *na;
	int rc = -ENOMEM;

	if(ctab == NULL || user->len <= 0 || user->len > CPMCF_NAME_MAX
			|| uri->len <= 0 || uri->len > CPMCF_URI_MAX || pseudo->len < 0
			|| pseudo->len > CPMCF_NAME_MAX || no < 1)
		return -EINVAL;
	slot = slot_of(user->s, user->len);
	lock_set_get(clocks, slot);
	c = conf_get(slot, user->s, user->len);
	if(c == NULL)
		goto done;
	if(cpmcf_anon_find(c->anon, c->nanon, uri)) {
		rc = 0; /* a duplicate row: the first one stands */
		goto done;
	}
	if((na = anon_append(c, uri, no)) == NULL)
		goto done;
	if(pseudo->len > 0)
		memcpy(na->pseudo, pseudo->s, pseudo->len);
	na->pseudo_len = pseudo->len;
	rc = 0;
done:
	lock_set_release(clocks, slot);
	return rc;
}

int cpmcf_conf_shown_uri(const char *user, int user_len, const str *uri,
		char *buf, int size, str *out)
{
	unsigned int slot;
	cpmcf_conf_t *c;
	const cpmcf_anon_t *a = NULL;
	int n, no = 0;

	*out = *uri;
	if(ctab == NULL)
		return 0;
	slot = slot_of(user, user_len);
	lock_set_get(clocks, slot);
	c = conf_find(slot, user, user_len);
	if(c)
		a = cpmcf_anon_find(c->anon, c->nanon, uri);
	if(a)
		no = a->no;
	lock_set_release(clocks, slot);
	if(no == 0)
		return 0;
	n = cpmcf_anon_uri(no, buf, size);
	if(n < 0)
		return n;
	out->s = buf;
	out->len = n;
	return 1;
}

/* ---- RPC ---- */

static void rpc_subs(rpc_t *rpc, void *ctx)
{
	str id = STR_NULL, u;
	char *at;
	unsigned int slot, now = (unsigned int)time(NULL);
	cpmcf_conf_t *c;
	cpmcf_sub_t *sub;
	struct {
		char uri[CPMCF_URI_MAX + 1];
		int expires;
		int version;
	} row[64];
	int n = 0, i;
	void *th;

	if(rpc->scan(ctx, "S", &id) < 1) {
		rpc->fault(ctx, 400, "session identity expected");
		return;
	}
	u = id;
	if(u.len > 4 && strncasecmp(u.s, "sip:", 4) == 0) {
		u.s += 4;
		u.len -= 4;
		at = memchr(u.s, '@', u.len);
		if(at)
			u.len = at - u.s;
	}
	slot = slot_of(u.s, u.len);
	lock_set_get(clocks, slot);
	c = conf_find(slot, u.s, u.len);
	for(sub = c ? c->subs : NULL; sub && n < 64; sub = sub->next, n++) {
		snprintf(row[n].uri, sizeof(row[n].uri), "%.*s", sub->uri_len,
				sub->uri);
		row[n].expires = sub->expires > now ? sub->expires - now : 0;
		row[n].version = (int)sub->version;
	}
	lock_set_release(clocks, slot);
	for(i = 0; i < n; i++) {
		if(rpc->add(ctx, "{", &th) < 0)
			return;
		rpc->struct_add(th, "sdd", "subscriber", row[i].uri, "expires",
				row[i].expires, "version", row[i].version);
	}
}

static const char *rpc_subs_doc[] = {
		"List the conference event subscriptions of a Group Session "
		"(subscriber, seconds left, last version sent; 64 at most); "
		"argument: the session identity or its user part.",
		0};

rpc_export_t cpmcf_conf_rpc[] = {
		{"cpm_cf.subscriptions", rpc_subs, rpc_subs_doc, RET_ARRAY},
		{0, 0, 0, 0}};
