/*
 * cpm_pf glue: User Preferences Profiles (seed 4.1: "the PF shall apply
 * the user preferences ... deliver, defer or reject, and to which
 * devices").
 *
 * Tables cpm_pref_profile (the rules) and cpm_pref_active (each user's
 * active profile) are read at start-up (mod_init) and on the RPC
 * cpm_pf.prefs_reload into one table in shared memory; the message path
 * reads only that table, under one lock held for a lookup and a copy.
 * A profile switch (RPC or script) changes the cache at once, marks the
 * user dirty and queues a job for the module's one database writer
 * (cpmpf_dbq.c), which writes cpm_pref_active within its next batch: no
 * SIP worker writes the database (SQLite takes one writer at a time,
 * db_sqlite sets no busy timeout), and no second writer process competes
 * with the deferred store for the file.
 */
#include <errno.h>
#include <stdio.h>

#include "core/dprint.h"
#include "core/mem/shm_mem.h"
#include "core/mem/mem.h"
#include "core/locking.h"
#include "core/xavp.h"
#include "core/counters.h"
#include "core/pt.h"
#include "core/parser/parse_uri.h"
#include "lib/srdb1/db.h"

#include "cpmpf_db.h"
#include "cpmpf_dbq.h"
#include "cpmpf_prefs.h"
#include "cpmpf_prefs_core.h"
#include "cpmpf_devices.h"

#define PREFS_SLOTS 1024

static cpmpf_cache_t *_prefs = NULL; /* the current cpmpf_pref_table_t */
static db_func_t _dbf;
static db1_con_t *_dbh = NULL; /* mod_init and the RPC process only */

static stat_var *_st_deliver, *_st_defer, *_st_reject, *_st_switch;

static str _t_profile = str_init("cpm_pref_profile");
static str _t_active = str_init("cpm_pref_active");
static str _c_username = str_init("username");
static str _c_profile = str_init("profile");
static str _c_service = str_init("service");
static str _c_action = str_init("action");
static str _c_status = str_init("reject_status");
static str _c_reason = str_init("reject_reason");
static str _c_devices = str_init("devices");

static void *shm_alloc_f(size_t n)
{
	return shm_malloc(n);
}
static void shm_free_f(void *p)
{
	shm_free(p);
}
static const cpmpf_alloc_t _shm_alloc = {shm_alloc_f, shm_free_f};

static int db_connect(void)
{
	if(_dbh)
		return 0;
	if(cpmpf_db_url.s == NULL || cpmpf_db_url.len <= 0)
		return -EINVAL;
	_dbh = _dbf.init(&cpmpf_db_url);
	if(_dbh == NULL) {
		LM_ERR("cannot connect to [%.*s]\n", cpmpf_db_url.len, cpmpf_db_url.s);
		return -EIO;
	}
	return 0;
}

static void db_disconnect(void)
{
	if(_dbh) {
		_dbf.close(_dbh);
		_dbh = NULL;
	}
}

/* a new table from the database; NULL on error */
static cpmpf_pref_table_t *prefs_load(void)
{
	cpmpf_pref_table_t *t;
	db1_res_t *res = NULL;
	db_key_t cols[7] = {&_c_username, &_c_profile, &_c_service, &_c_action,
			&_c_status, &_c_reason, &_c_devices};
	str user, prof, svcn, actn, reason, devices;
	cpmh_service_t svc;
	cpmpf_pref_action_t act;
	int i, status, n = 0;

	t = cpmpf_pref_table_new(PREFS_SLOTS, &_shm_alloc);
	if(t == NULL) {
		LM_ERR("no shared memory for the preferences cache\n");
		return NULL;
	}
	if(_dbf.use_table(_dbh, &_t_profile) < 0
			|| _dbf.query(_dbh, 0, 0, 0, cols, 0, 7, 0, &res) < 0) {
		LM_ERR("cannot read table %.*s\n", _t_profile.len, _t_profile.s);
		goto error;
	}
	for(i = 0; i < RES_ROW_N(res); i++) {
		db_val_t *v = ROW_VALUES(&RES_ROWS(res)[i]);
		if(cpmpf_db_val_str(&v[0], &user) || cpmpf_db_val_str(&v[1], &prof)
				|| cpmpf_db_val_str(&v[2], &svcn) || cpmpf_db_val_str(&v[3], &actn)
				|| cpmpf_db_val_str(&v[5], &reason) || cpmpf_db_val_str(&v[6], &devices)) {
			LM_ERR("%.*s row %d: a column has the wrong type\n",
					_t_profile.len, _t_profile.s, i);
			continue;
		}
		status = VAL_NULL(&v[4]) ? 0 : VAL_INT(&v[4]);
		if(cpmpf_cpmh.service_from_name(&svcn, &svc) != 0
				|| cpmpf_pref_action_from_name(&actn, &act) != 0
				|| cpmpf_pref_add_rule(t, &user, &prof, svc, act, status,
						   &reason, &devices)
						   != 0) {
			/* a bad row is skipped, not fatal: the others still apply */
			LM_ERR("%.*s: invalid rule for user [%.*s] profile [%.*s] "
				   "service [%.*s] action [%.*s] status %d: skipped\n",
					_t_profile.len, _t_profile.s, user.len, user.s, prof.len,
					prof.s, svcn.len, svcn.s, actn.len, actn.s, status);
			continue;
		}
		n++;
	}
	_dbf.free_result(_dbh, res);
	res = NULL;
	if(_dbf.use_table(_dbh, &_t_active) < 0
			|| _dbf.query(_dbh, 0, 0, 0, cols, 0, 2, 0, &res) < 0) {
		LM_ERR("cannot read table %.*s\n", _t_active.len, _t_active.s);
		goto error;
	}
	for(i = 0; i < RES_ROW_N(res); i++) {
		db_val_t *v = ROW_VALUES(&RES_ROWS(res)[i]);
		cpmpf_pref_user_t *u;
		if(cpmpf_db_val_str(&v[0], &user) || cpmpf_db_val_str(&v[1], &prof))
			continue;
		if(cpmpf_pref_set_active(t, &user, &prof) != 0) {
			LM_ERR("%.*s: user [%.*s] has no profile [%.*s]: ignored\n",
					_t_active.len, _t_active.s, user.len, user.s, prof.len,
					prof.s);
			continue;
		}
		u = cpmpf_pref_user_find(t, &user);
		u->dirty = 0; /* as stored */
	}
	_dbf.free_result(_dbh, res);
	LM_DBG("%d preference rules loaded\n", n);
	return t;

error:
	if(res)
		_dbf.free_result(_dbh, res);
	cpmpf_pref_table_free(t);
	return NULL;
}

/* ---- persistence through the writer process (cpmpf_dbq.c) ----
 * job strings: the user and the profile it switched to */
enum { P_USER, P_PROFILE, P_N };

/* in the writer, inside its batch's transaction: one row per user */
static int persist_exec(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	str s[P_N];
	db_key_t keys[2] = {&_c_username, &_c_profile};
	db_val_t vals[2];

	if(cpmpf_job_strs(job, s, P_N) < 0)
		return -EINVAL;
	memset(vals, 0, sizeof(vals));
	VAL_TYPE(&vals[0]) = VAL_TYPE(&vals[1]) = DB1_STR;
	VAL_STR(&vals[0]) = s[P_USER];
	VAL_STR(&vals[1]) = s[P_PROFILE];
	if(dbf->use_table(con, &_t_active) < 0
			|| dbf->delete(con, keys, 0, vals, 1) < 0
			|| dbf->insert(con, keys, vals, 2) < 0)
		return -EIO;
	return 0;
}

/* in the writer, after COMMIT: the user is clean when the row written is
 * still its active profile (a later switch has its own job queued) */
static void persist_done(cpmpf_job_t *job)
{
	cpmpf_pref_user_t *u;
	str s[P_N];

	if(cpmpf_job_strs(job, s, P_N) < 0)
		return;
	if(job->rc < 0) {
		/* the cache keeps the switch (dirty: a prefs_reload does not undo
		 * it); a restart before the next switch forgets it */
		LM_ERR("cannot store the active profile [%.*s] of [%.*s]\n",
				s[P_PROFILE].len, s[P_PROFILE].s, s[P_USER].len, s[P_USER].s);
		return;
	}
	lock_get(&_prefs->lock);
	u = cpmpf_pref_user_find(_prefs->cur, &s[P_USER]);
	if(u && u->active && u->active->name.len == s[P_PROFILE].len
			&& memcmp(u->active->name.s, s[P_PROFILE].s, s[P_PROFILE].len) == 0)
		u->dirty = 0;
	lock_release(&_prefs->lock);
}

int cpmpf_prefs_init(void)
{
	cpmpf_dbq_handler_t h;

	if(register_stat("cpm_pf", "prefs_deliver", &_st_deliver, 0) != 0
			|| register_stat("cpm_pf", "prefs_defer", &_st_defer, 0) != 0
			|| register_stat("cpm_pf", "prefs_reject", &_st_reject, 0) != 0
			|| register_stat("cpm_pf", "profile_switches", &_st_switch, 0)
					   != 0) {
		LM_ERR("cannot register statistics\n");
		return -1;
	}
	_prefs = cpmpf_cache_new();
	if(_prefs == NULL)
		return -1;
	if(cpmpf_db_url.s == NULL || cpmpf_db_url.len <= 0) {
		LM_WARN("no db_url: no preference profile (every message is "
				"delivered to every device)\n");
		_prefs->cur = cpmpf_pref_table_new(16, &_shm_alloc);
		return _prefs->cur ? 0 : -1;
	}
	if(db_bind_mod(&cpmpf_db_url, &_dbf) < 0) {
		LM_ERR("cannot bind the database module of [%.*s]\n", cpmpf_db_url.len,
				cpmpf_db_url.s);
		return -1;
	}
	if(db_connect() < 0)
		return -1;
	_prefs->cur = prefs_load();
	db_disconnect(); /* no connection across fork */
	if(_prefs->cur == NULL)
		return -1;
	memset(&h, 0, sizeof(h));
	h.exec = persist_exec;
	h.done = persist_done;
	return cpmpf_dbq_register(CPMPF_JOB_PREFS_ACTIVE, &h) < 0 ? -1 : 0;
}

static void table_free(void *t)
{
	cpmpf_pref_table_free(t);
}

void cpmpf_prefs_destroy(void)
{
	cpmpf_cache_destroy(&_prefs, table_free);
}

int cpmpf_prefs_devices(const str *user, cpmh_service_t svc, str *out)
{
	cpmpf_pref_rule_t r;
	int ret = 0;

	out->s = NULL;
	out->len = 0;
	if(_prefs == NULL)
		return 0;
	lock_get(&_prefs->lock);
	cpmpf_pref_eval(_prefs->cur, user, svc, &r);
	if(r.set && !cpmpf_devlist_all(&r.devices)) {
		out->s = pkg_malloc(r.devices.len + 1);
		if(out->s == NULL) {
			ret = -ENOMEM;
		} else {
			memcpy(out->s, r.devices.s, r.devices.len);
			out->len = r.devices.len;
		}
	}
	lock_release(&_prefs->lock);
	if(ret < 0)
		LM_ERR("no pkg memory\n");
	return ret;
}

int cpmpf_persist_active(const str *user, const str *profile)
{
	str v[P_N];
	cpmpf_job_t *job;

	v[P_USER] = *user;
	v[P_PROFILE] = *profile;
	job = cpmpf_job_new(
			cpmpf_dbq_shm_alloc, CPMPF_JOB_PREFS_ACTIVE, v, P_N);
	if(job == NULL) {
		LM_ERR("no shm to persist the profile of [%.*s]\n", user->len,
				user->s);
		return -ENOMEM;
	}
	if(cpmpf_dbq_push(job) < 0) {
		shm_free(job);
		LM_ERR("no database writer: the profile of [%.*s] is not stored\n",
				user->len, user->s);
		return -ENODEV;
	}
	return 0;
}

static str _x_root = str_init("cpmpf");
static str _x_action = str_init("pref_action");
static str _x_profile = str_init("pref_profile");
static str _x_status = str_init("reject_status");
static str _x_reason = str_init("reject_reason");

/* $xavp(cpmpf=>...) for the script: the decision and the reject reply */
static int set_xavp(const char *action, const str *profile, int status,
		const str *reason)
{
	sr_xavp_t *list = NULL;
	sr_xval_t v;

	xavp_rm_by_name(&_x_root, 1, NULL);
	memset(&v, 0, sizeof(v));
	v.type = SR_XTYPE_STR;
	v.v.s.s = (char *)action;
	v.v.s.len = strlen(action);
	if(xavp_add_value(&_x_action, &v, &list) == NULL)
		goto error;
	v.v.s = *profile;
	if(xavp_add_value(&_x_profile, &v, &list) == NULL)
		goto error;
	if(status > 0) {
		v.type = SR_XTYPE_INT;
		v.v.i = status;
		if(xavp_add_value(&_x_status, &v, &list) == NULL)
			goto error;
		v.type = SR_XTYPE_STR;
		v.v.s = *reason;
		if(xavp_add_value(&_x_reason, &v, &list) == NULL)
			goto error;
	}
	memset(&v, 0, sizeof(v));
	v.type = SR_XTYPE_XAVP;
	v.v.xavp = list;
	if(xavp_add_value(&_x_root, &v, NULL) == NULL)
		goto error;
	return 0;
error:
	LM_ERR("cannot set $xavp(cpmpf)\n");
	xavp_destroy_list(&list);
	return -ENOMEM;
}

int cpmpf_prefs_decide(sip_msg_t *msg, const str *svcname, cpmpf_pref_decision_t *d)
{
	cpmh_service_t svc;

	if(cpmpf_service(svcname, &svc) < 0)
		return -1;
	return cpmpf_prefs_decide_svc(msg, svc, d);
}

int cpmpf_prefs_decide_svc(
		sip_msg_t *msg, cpmh_service_t svc, cpmpf_pref_decision_t *d)
{
	static str default_reason = str_init("Rejected by user preferences");
	cpmpf_pref_rule_t r;

	d->profile.s = d->profile_buf;
	d->profile.len = 0;
	d->reason.s = d->reason_buf;
	d->reason.len = 0;
	d->status = 0;
	if(parse_sip_msg_uri(msg) < 0) {
		LM_ERR("cannot parse the Request-URI\n");
		return -1;
	}
	lock_get(&_prefs->lock);
	cpmpf_pref_eval(_prefs->cur, &msg->parsed_uri.user, svc, &r);
	if(r.set) {
		cpmpf_pref_user_t *u =
				cpmpf_pref_user_find(_prefs->cur, &msg->parsed_uri.user);
		d->profile.len = u->active->name.len < (int)sizeof(d->profile_buf)
								 ? u->active->name.len
								 : (int)sizeof(d->profile_buf);
		memcpy(d->profile_buf, u->active->name.s, d->profile.len);
		d->reason.len = r.reason.len < (int)sizeof(d->reason_buf)
								? r.reason.len
								: (int)sizeof(d->reason_buf);
		memcpy(d->reason_buf, r.reason.s, d->reason.len);
	}
	lock_release(&_prefs->lock);
	if(d->reason.len == 0)
		d->reason = default_reason;
	d->action = r.action;
	switch(r.action) {
		case CPMPF_PREF_DEFER:
			update_stat(_st_defer, 1);
			return 2;
		case CPMPF_PREF_REJECT:
			d->status = r.status;
			update_stat(_st_reject, 1);
			return 3;
		default:
			update_stat(_st_deliver, 1);
			return 1;
	}
}

/* 1 deliver, 2 defer, 3 reject ($xavp(cpmpf=>reject_status) and
 * =>reject_reason hold the reply), -1 error */
int ki_cpm_pf_apply_prefs(sip_msg_t *msg, str *svcname)
{
	cpmpf_pref_decision_t d;
	int rc;

	rc = cpmpf_prefs_decide(msg, svcname, &d);
	if(rc < 0)
		return -1;
	if(set_xavp(cpmpf_pref_action_name(d.action), &d.profile, d.status,
			   &d.reason)
			< 0)
		return -1;
	return rc;
}

static int profile_set(const str *user, const str *profile)
{
	int ret;

	lock_get(&_prefs->lock);
	ret = cpmpf_pref_set_active(_prefs->cur, user, profile);
	lock_release(&_prefs->lock);
	if(ret == 0) {
		update_stat(_st_switch, 1);
		/* the cache has switched; the database follows in the writer's
		 * next batch (a failure is logged, the switch stays in effect) */
		cpmpf_persist_active(user, profile);
	}
	return ret;
}

int ki_cpm_pf_profile_set(sip_msg_t *msg, str *user, str *profile)
{
	if(profile_set(user, profile) != 0) {
		LM_ERR("user [%.*s] has no profile [%.*s]\n", user->len, user->s,
				profile->len, profile->s);
		return -1;
	}
	return 1;
}

const char *cpmpf_rpc_profile_set_doc[] = {
		"Make a profile the user's active one: <user> <profile>", 0};
const char *cpmpf_rpc_profile_show_doc[] = {
		"A user's preference profiles and the active one: <user>", 0};
const char *cpmpf_rpc_prefs_reload_doc[] = {
		"Reload the preference profiles from the database", 0};

void cpmpf_rpc_profile_set(rpc_t *rpc, void *ctx)
{
	str user, profile;

	if(rpc->scan(ctx, "SS", &user, &profile) < 2) {
		rpc->fault(ctx, 400, "usage: cpm_pf.profile_set <user> <profile>");
		return;
	}
	if(profile_set(&user, &profile) != 0) {
		rpc->fault(ctx, 404, "no such user or profile");
		return;
	}
	rpc->rpl_printf(ctx, "%.*s: active profile %.*s", user.len, user.s,
			profile.len, profile.s);
}

void cpmpf_rpc_profile_show(rpc_t *rpc, void *ctx)
{
	str user;
	cpmpf_pref_user_t *u;
	cpmpf_pref_profile_t *p;
	char line[1536];
	char devs[1025];
	char *out = NULL;
	int len = 0, cap = 0, i, n;

	if(rpc->scan(ctx, "S", &user) < 1) {
		rpc->fault(ctx, 400, "usage: cpm_pf.profile_show <user>");
		return;
	}
	/* built in pkg under the lock, sent after it */
	lock_get(&_prefs->lock);
	u = cpmpf_pref_user_find(_prefs->cur, &user);
	for(p = u ? u->profiles : NULL; p; p = p->next) {
		for(i = 0; i < CPMH_SVC_COUNT; i++) {
			const cpmpf_pref_rule_t *r = &p->rules[i];
			const str *sn;
			if(!r->set)
				continue;
			sn = cpmpf_cpmh.service_name((cpmh_service_t)i);
			/* devices in canonical form ("*" = every device) */
			if(cpmpf_devlist_print(&r->devices, devs, sizeof(devs)) < 0)
				strcpy(devs, "?");
			n = snprintf(line, sizeof(line), "%s%.*s %.*s %s %d \"%.*s\" %s\n",
					p == u->active ? "* " : "  ", p->name.len, p->name.s,
					sn->len, sn->s, cpmpf_pref_action_name(r->action),
					r->status, r->reason.len, r->reason.s, devs);
			if(n <= 0)
				continue;
			if(n >= (int)sizeof(line))
				n = sizeof(line) - 1;
			if(len + n + 1 > cap) {
				char *nb = pkg_realloc(out, cap + 8192);
				if(nb == NULL)
					break;
				out = nb;
				cap += 8192;
			}
			memcpy(out + len, line, n);
			len += n;
			out[len] = '\0';
		}
	}
	lock_release(&_prefs->lock);
	if(u == NULL) {
		rpc->fault(ctx, 404, "no preference profile for this user");
	} else {
		rpc->rpl_printf(ctx, "%s", out ? out : "");
	}
	if(out)
		pkg_free(out);
}

void cpmpf_rpc_prefs_reload(rpc_t *rpc, void *ctx)
{
	cpmpf_pref_table_t *nt, *old;
	cpmpf_pref_user_t *u;
	unsigned int i;

	if(db_connect() < 0) {
		rpc->fault(ctx, 500, "no database connection");
		return;
	}
	nt = prefs_load();
	if(nt == NULL) {
		rpc->fault(ctx, 500, "cannot load the preference profiles");
		return;
	}
	lock_get(&_prefs->lock);
	old = _prefs->cur;
	/* a switch not yet written wins over the database's row */
	for(i = 0; old && i < old->size; i++)
		for(u = old->slots[i]; u; u = u->next)
			if(u->dirty && u->active)
				cpmpf_pref_set_active(nt, &u->name, &u->active->name);
	_prefs->cur = nt;
	lock_release(&_prefs->lock);
	cpmpf_pref_table_free(old);
	rpc->rpl_printf(ctx, "ok");
}
