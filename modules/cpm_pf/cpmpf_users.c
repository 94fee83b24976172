/*
 * cpm_pf glue: the provisioned users (see cpmpf_users.h).
 *
 * Life cycle: mod_init binds the DB module and loads the set (then closes
 * the connection: no handle crosses the fork).  The RPC cpm_pf.users_reload
 * runs in the RPC process, opens its own connection, builds a new set in
 * shm and swaps the pointer under the lock; readers hold the lock for one
 * binary search, never across a send or a return.
 */
#include <errno.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "lib/srdb1/db.h"

#include "cpmpf_db.h"
#include "cpmpf_users.h"
#include "cpmpf_users_core.h"

static str *users_db_url;
static db_func_t users_dbf;
static cpmpf_cache_t *users; /* the current cpmpf_userset_t */

static void *shm_alloc_fn(size_t sz)
{
	return shm_malloc(sz);
}

/* a new set from the subscriber table; NULL on error */
static cpmpf_userset_t *users_load(void)
{
	static str t_sub = str_init("subscriber");
	static str c_user = str_init("username");
	db_key_t cols[1] = {&c_user};
	db1_con_t *h;
	db1_res_t *res = NULL;
	cpmpf_userset_t *set = NULL;
	str *names = NULL;
	int i, n = 0;

	h = users_dbf.init(users_db_url);
	if(h == NULL) {
		LM_ERR("cannot connect to [%.*s]\n", users_db_url->len,
				users_db_url->s);
		return NULL;
	}
	if(users_dbf.use_table(h, &t_sub) < 0
			|| users_dbf.query(h, 0, 0, 0, cols, 0, 1, 0, &res) < 0
			|| res == NULL) {
		LM_ERR("cannot read table %.*s\n", t_sub.len, t_sub.s);
		goto done;
	}
	if(RES_ROW_N(res) > 0) {
		names = pkg_malloc(RES_ROW_N(res) * sizeof(str));
		if(names == NULL) {
			PKG_MEM_ERROR;
			goto done;
		}
	}
	for(i = 0; i < RES_ROW_N(res); i++)
		if(cpmpf_db_val_str(&ROW_VALUES(&RES_ROWS(res)[i])[0], &names[n]) == 0)
			n++;
	set = cpmpf_userset_build(names, n, shm_alloc_fn);
	if(set == NULL)
		SHM_MEM_ERROR;
done:
	if(names)
		pkg_free(names);
	if(res)
		users_dbf.free_result(h, res);
	users_dbf.close(h);
	return set;
}

int cpmpf_users_init(str *db_url)
{
	if(db_url == NULL || db_url->s == NULL || db_url->len <= 0)
		return -EINVAL;
	users_db_url = db_url;
	if(db_bind_mod(db_url, &users_dbf) < 0) {
		LM_ERR("cannot bind the database module of [%.*s]\n", db_url->len,
				db_url->s);
		return -EINVAL;
	}
	users = cpmpf_cache_new();
	if(users == NULL)
		return -ENOMEM;
	users->cur = users_load();
	return users->cur ? 0 : -EIO;
}

void cpmpf_users_destroy(void)
{
	cpmpf_cache_destroy(&users, NULL);
}

int cpmpf_user_served(const str *user)
{
	int r;

	if(users == NULL || user == NULL || user->len <= 0)
		return 0;
	lock_get(&users->lock);
	r = cpmpf_userset_has(users->cur, user);
	lock_release(&users->lock);
	return r;
}

const char *cpmpf_rpc_users_reload_doc[] = {
		"Reload the provisioned user names (subscriber table) that deferred "
		"delivery and the interworking decision use; returns their number",
		0};

void cpmpf_rpc_users_reload(rpc_t *rpc, void *ctx)
{
	cpmpf_userset_t *nset, *old;
	int n;

	if(users == NULL) {
		rpc->fault(ctx, 500, "no db_url");
		return;
	}
	nset = users_load();
	if(nset == NULL) {
		rpc->fault(ctx, 500, "cannot reload the users (see the log)");
		return;
	}
	n = cpmpf_userset_count(nset);
	old = cpmpf_cache_swap(users, nset);
	if(old)
		shm_free(old);
	rpc->add(ctx, "d", n);
}
