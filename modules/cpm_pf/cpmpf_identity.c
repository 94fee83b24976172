/*
 * cpm_pf identity cache: see cpmpf_identity.h.
 *
 * Life cycle: mod_init binds the DB module and loads the table once (then
 * closes the connection: no handle crosses the fork).  The RPC
 * cpm_pf.identity_reload runs in the RPC process, opens its own connection,
 * builds a new table in shm, swaps the pointer under the lock and frees the
 * old one: a worker never sees a half-built table, and holds the lock only
 * while it copies a user's rows out (no send, no return under the lock).
 */
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "lib/srdb1/db.h"

#include "cpmpf_db.h"
#include "cpmpf_identity.h"

#define CPMPF_ID_TABLE_VERSION 1

static str id_table = str_init("cpm_identity");
static str col_user = str_init("username");
static str col_uri = str_init("uri");
static str col_def = str_init("is_default");
static str col_anon = str_init("allow_anonymity");

static str *id_db_url;
static db_func_t id_dbf;
static cpmpf_cache_t *id_cache; /* the current cpmpf_idtab_t */

static void *shm_alloc_fn(size_t sz)
{
	return shm_malloc(sz);
}

/* reads the whole table into a new shm table; NULL on error */
static cpmpf_idtab_t *id_load(int *nrows)
{
	db1_con_t *h = NULL;
	db1_res_t *res = NULL;
	db_key_t cols[4] = {&col_user, &col_uri, &col_def, &col_anon};
	cpmpf_id_row_t *rows = NULL;
	cpmpf_idtab_t *t = NULL;
	int i, n = 0, bad = 0;

	h = id_dbf.init(id_db_url);
	if(h == NULL) {
		LM_ERR("cannot connect to the database for %.*s\n", id_table.len,
				id_table.s);
		goto done;
	}
	if(db_check_table_version(&id_dbf, h, &id_table, CPMPF_ID_TABLE_VERSION)
			< 0) {
		DB_TABLE_VERSION_ERROR(id_table);
		goto done;
	}
	if(id_dbf.use_table(h, &id_table) < 0
			|| id_dbf.query(h, 0, 0, 0, cols, 0, 4, 0, &res) < 0) {
		LM_ERR("cannot read table %.*s\n", id_table.len, id_table.s);
		goto done;
	}
	if(RES_ROW_N(res) > 0) {
		rows = pkg_malloc(RES_ROW_N(res) * sizeof(*rows));
		if(rows == NULL) {
			PKG_MEM_ERROR;
			goto done;
		}
	}
	for(i = 0; i < RES_ROW_N(res); i++) {
		db_val_t *v = ROW_VALUES(&RES_ROWS(res)[i]);
		if(cpmpf_db_val_str(&v[0], &rows[n].user) < 0
				|| cpmpf_db_val_str(&v[1], &rows[n].uri) < 0
				|| rows[n].user.len == 0 || rows[n].uri.len == 0) {
			bad++;
			continue;
		}
		rows[n].is_default = (int)cpmpf_db_val_ll(&v[2], 0);
		rows[n].allow_anonymity = (int)cpmpf_db_val_ll(&v[3], 1);
		n++;
	}
	t = cpmpf_idtab_build(rows, n, shm_alloc_fn, &i);
	if(t == NULL) {
		SHM_MEM_ERROR;
		goto done;
	}
	bad += i;
	if(bad > 0)
		LM_WARN("%.*s: %d row(s) skipped (no user, not a SIP/TEL URI with a"
				" user, or a URI that another row already has)\n",
				id_table.len, id_table.s, bad);
	if(nrows)
		*nrows = cpmpf_idtab_count(t);
done:
	if(rows)
		pkg_free(rows);
	if(res)
		id_dbf.free_result(h, res);
	if(h)
		id_dbf.close(h);
	return t;
}

int cpmpf_identity_init(str *db_url)
{
	cpmpf_idtab_t *t;
	int n = 0;

	id_db_url = db_url;
	if(db_bind_mod(id_db_url, &id_dbf) < 0) {
		LM_ERR("cannot bind the database module of db_url\n");
		return -1;
	}
	if(!DB_CAPABILITY(id_dbf, DB_CAP_QUERY)) {
		LM_ERR("the database module of db_url cannot query\n");
		return -1;
	}
	id_cache = cpmpf_cache_new();
	if(id_cache == NULL)
		return -1;
	t = id_load(&n);
	if(t == NULL)
		return -1;
	id_cache->cur = t;
	LM_DBG("%d identities loaded\n", n);
	return 0;
}

void cpmpf_identity_destroy(void)
{
	cpmpf_cache_destroy(&id_cache, NULL);
}

/* 0 and *out filled (out->n == 0: the user has no row), -1 on error */
int cpmpf_identity_get(const str *user, cpmpf_uids_t *out)
{
	cpmpf_id_t ids[CPMPF_IDS_MAX];
	int n, i;

	out->n = 0;
	out->allow_anonymity = 1;
	if(id_cache == NULL || user == NULL || user->s == NULL)
		return -1;
	lock_get(&id_cache->lock);
	n = id_cache->cur ? cpmpf_idtab_user(id_cache->cur, user, ids, CPMPF_IDS_MAX,
						  &out->allow_anonymity)
				: 0;
	if(n > CPMPF_IDS_MAX)
		n = CPMPF_IDS_MAX;
	for(i = 0; i < n; i++) {
		/* the table only holds URIs that fit CPMPF_URI_MAX normalized;
		 * the provisioned form may be longer: skip such a row */
		if(ids[i].uri.len >= CPMPF_URI_MAX)
			continue;
		memcpy(out->id[out->n].uri, ids[i].uri.s, ids[i].uri.len);
		out->id[out->n].uri[ids[i].uri.len] = '\0';
		out->id[out->n].len = ids[i].uri.len;
		memcpy(out->id[out->n].norm, ids[i].norm.s, ids[i].norm.len);
		out->id[out->n].norm[ids[i].norm.len] = '\0';
		out->id[out->n].nlen = ids[i].norm.len;
		out->id[out->n].kind = ids[i].kind;
		out->n++;
	}
	lock_release(&id_cache->lock);
	return n < 0 ? -1 : 0;
}

/* the user owning uri into user (NUL-terminated): its length, -1 none */
/* copies the owner found (under the lock) to user */
static int owner_copy(const str *u, char *user, int size)
{
	if(u->len >= size)
		return -1;
	memcpy(user, u->s, u->len);
	user[u->len] = '\0';
	return u->len;
}

int cpmpf_identity_owner(const str *uri, char *user, int size)
{
	str u;
	int rc = -1;

	if(id_cache == NULL)
		return -1;
	lock_get(&id_cache->lock);
	if(id_cache->cur && cpmpf_idtab_owner(id_cache->cur, uri, &u) == 0)
		rc = owner_copy(&u, user, size);
	lock_release(&id_cache->lock);
	return rc;
}

int cpmpf_identity_owner_norm(const char *norm, int nlen, char *user, int size)
{
	str u;
	int rc = -1;

	if(id_cache == NULL || nlen <= 0)
		return -1;
	lock_get(&id_cache->lock);
	if(id_cache->cur
			&& cpmpf_idtab_owner_norm(id_cache->cur, norm, nlen, &u) == 0)
		rc = owner_copy(&u, user, size);
	lock_release(&id_cache->lock);
	return rc;
}

/* ---- RPC ---- */

static const char *rpc_reload_doc[2] = {
		"Reload the cpm_identity table from the database", 0};
static const char *rpc_list_doc[2] = {
		"List the cached identities: user, uri, default, anonymity allowed",
		0};

static void rpc_identity_reload(rpc_t *rpc, void *ctx)
{
	cpmpf_idtab_t *t, *old;
	int n = 0;

	if(id_cache == NULL) {
		rpc->fault(ctx, 500, "Not initialised");
		return;
	}
	t = id_load(&n);
	if(t == NULL) {
		rpc->fault(ctx, 500, "Reload failed (see the log)");
		return;
	}
	old = cpmpf_cache_swap(id_cache, t);
	if(old)
		shm_free(old);
	rpc->rpl_printf(ctx, "%d identities loaded", n);
}

static void rpc_identity_list(rpc_t *rpc, void *ctx)
{
	cpmpf_id_t id;
	void *th;
	str user;
	int i, n, anon;
	/* copied out row by row: the RPC output may allocate, so the lock is
	 * not held across an rpc call */
	char ubuf[CPMPF_USER_MAX + 1], rbuf[CPMPF_URI_MAX];
	int def, ok;

	if(id_cache == NULL) {
		rpc->fault(ctx, 500, "Not initialised");
		return;
	}
	for(i = 0;; i++) {
		ok = 0;
		lock_get(&id_cache->lock);
		n = id_cache->cur ? cpmpf_idtab_count(id_cache->cur) : 0;
		if(i < n && cpmpf_idtab_row(id_cache->cur, i, &user, &id, &anon) == 0
				&& user.len <= CPMPF_USER_MAX && id.uri.len < CPMPF_URI_MAX) {
			memcpy(ubuf, user.s, user.len);
			ubuf[user.len] = '\0';
			memcpy(rbuf, id.uri.s, id.uri.len);
			rbuf[id.uri.len] = '\0';
			def = id.is_default;
			ok = 1;
		}
		lock_release(&id_cache->lock);
		if(i >= n)
			break;
		if(!ok)
			continue;
		if(rpc->add(ctx, "{", &th) < 0)
			return;
		if(rpc->struct_add(th, "ssdd", "user", ubuf, "uri", rbuf, "default",
				   def, "allow_anonymity", anon)
				< 0)
			return;
	}
}

rpc_export_t cpmpf_identity_rpc[] = {
		{"cpm_pf.identity_reload", rpc_identity_reload, rpc_reload_doc, 0},
		{"cpm_pf.identity_list", rpc_identity_list, rpc_list_doc, RET_ARRAY},
		{0, 0, 0, 0}};
