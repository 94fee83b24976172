/*
 * cpm_cf pre-defined groups: see cpmcf_group.h.
 *
 * Life cycle: mod_init binds the DB module, imports groups_file (when set)
 * and loads both tables once, then closes the connection (no handle crosses
 * the fork).  The RPCs cpm_cf.group_reload and cpm_cf.group_import run in
 * the RPC process with a connection of their own: the import writes the
 * tables there (no SIP worker ever writes them), then both build a new
 * table in shm and swap it in.
 */
#include <errno.h>
#include <string.h>

#include "core/dprint.h"
#include "core/forward.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/ut.h"
#include "lib/srdb1/db.h"

#include "cpmcf_group.h"
#include "cpmcf_db.h"

#define CPMCF_GROUP_TABLE_VERSION 1
#define CPMCF_MEMBER_TABLE_VERSION 1

str cpmcf_db_url = STR_NULL;
char *cpmcf_groups_file = NULL;

static str t_group = str_init("cpm_group");
static str t_member = str_init("cpm_group_member");
static str c_uri = str_init("uri"), c_dn = str_init("display_name"),
		   c_max = str_init("max_participants"), c_pol = str_init("policy"),
		   c_guri = str_init("group_uri");

static db_func_t g_dbf;
static int g_bound = 0;

/* the cache: the current table, its lock (held for a pointer copy and a
 * counter change only) */
typedef struct gcache {
	gen_lock_t lock;
	cpmcf_gtab_t *cur;
} gcache_t;
static gcache_t *g_cache = NULL;

static int is_local(const str *host, unsigned short port)
{
	str h = *host;

	return check_self(&h, port, 0) == 1;
}

int cpmcf_group_key(const str *uri, char *buf, int size)
{
	return cpmcf_uri_key(uri, is_local, buf, size);
}

static void *shm_alloc_fn(size_t n)
{
	return shm_malloc(n);
}

/* the key of uri into the pool (pkg, sized by the caller) */
static void pool_key(const str *uri, char **pool, char *end, str *key)
{
	int n = cpmcf_group_key(uri, *pool, (int)(end - *pool));

	key->s = *pool;
	key->len = n > 0 ? n : 0;
	if(n > 0)
		*pool += n + 1;
}

/* reads both tables into a new shm table; NULL on error */
static cpmcf_gtab_t *group_load(int *ngroups, int *nmembers)
{
	db1_con_t *h = NULL;
	db1_res_t *rg = NULL, *rm = NULL;
	db_key_t gcols[4] = {&c_uri, &c_dn, &c_max, &c_pol};
	db_key_t mcols[3] = {&c_guri, &c_uri, &c_dn};
	cpmcf_group_row_t *g = NULL;
	cpmcf_member_row_t *m = NULL;
	cpmcf_gtab_t *t = NULL;
	char *pool = NULL, *pp, *pend;
	size_t psz = 1;
	int i, ng, nm, skipped = 0;

	h = g_dbf.init(&cpmcf_db_url);
	if(h == NULL) {
		LM_ERR("cannot connect to the database for the groups\n");
		goto done;
	}
	if(db_check_table_version(&g_dbf, h, &t_group, CPMCF_GROUP_TABLE_VERSION)
					< 0
			|| db_check_table_version(
					   &g_dbf, h, &t_member, CPMCF_MEMBER_TABLE_VERSION)
					   < 0) {
		LM_ERR("table cpm_group or cpm_group_member missing or of another"
			   " version (mk/dbinit.sh)\n");
		goto done;
	}
	if(g_dbf.use_table(h, &t_group) < 0
			|| g_dbf.query(h, 0, 0, 0, gcols, 0, 4, 0, &rg) < 0 || rg == NULL) {
		LM_ERR("cannot read table cpm_group\n");
		goto done;
	}
	if(g_dbf.use_table(h, &t_member) < 0
			|| g_dbf.query(h, 0, 0, 0, mcols, 0, 3, 0, &rm) < 0 || rm == NULL) {
		LM_ERR("cannot read table cpm_group_member\n");
		goto done;
	}
	ng = RES_ROW_N(rg);
	nm = RES_ROW_N(rm);
	if(ng > 0 && (g = pkg_malloc(ng * sizeof(*g))) == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	if(nm > 0 && (m = pkg_malloc(nm * sizeof(*m))) == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	/* keys are never longer than their URI */
	for(i = 0; i < ng; i++) {
		db_val_t *v = ROW_VALUES(&RES_ROWS(rg)[i]);
		cpmcf_db_col_str(&v[0], &g[i].uri);
		cpmcf_db_col_str(&v[1], &g[i].display_name);
		g[i].max_participants = (int)cpmcf_db_col_int(&v[2]);
		g[i].policy = (unsigned int)cpmcf_db_col_int(&v[3]);
		psz += g[i].uri.len + 1;
	}
	for(i = 0; i < nm; i++) {
		db_val_t *v = ROW_VALUES(&RES_ROWS(rm)[i]);
		cpmcf_db_col_str(&v[0], &m[i].group_key); /* the URI, keyed below */
		cpmcf_db_col_str(&v[1], &m[i].uri);
		cpmcf_db_col_str(&v[2], &m[i].display_name);
		psz += m[i].group_key.len + m[i].uri.len + 2;
	}
	if((pool = pkg_malloc(psz)) == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	pp = pool;
	pend = pool + psz;
	for(i = 0; i < ng; i++)
		pool_key(&g[i].uri, &pp, pend, &g[i].key);
	for(i = 0; i < nm; i++) {
		str gu = m[i].group_key;
		pool_key(&gu, &pp, pend, &m[i].group_key);
		pool_key(&m[i].uri, &pp, pend, &m[i].key);
	}
	t = cpmcf_gtab_build(g, ng, m, nm, shm_alloc_fn, &skipped);
	if(t == NULL) {
		LM_ERR("no memory for %d groups of %d members\n", ng, nm);
		goto done;
	}
	if(skipped > 0)
		LM_WARN("cpm_group/cpm_group_member: %d row(s) skipped (no SIP/TEL"
				" URI with a user, a duplicate, a member of no group, a URI"
				" or display name too long)\n",
				skipped);
	if(ngroups)
		*ngroups = cpmcf_gtab_count(t);
	if(nmembers)
		*nmembers = nm - skipped;
done:
	if(pool)
		pkg_free(pool);
	if(g)
		pkg_free(g);
	if(m)
		pkg_free(m);
	if(rg)
		g_dbf.free_result(h, rg);
	if(rm)
		g_dbf.free_result(h, rm);
	if(h)
		g_dbf.close(h);
	return t;
}

/* puts t in as the current table; the old one loses the cache's reference */
static void group_swap(cpmcf_gtab_t *t)
{
	cpmcf_gtab_t *old;
	int last = 0;

	lock_get(&g_cache->lock);
	old = g_cache->cur;
	g_cache->cur = t;
	if(old)
		last = (--*cpmcf_gtab_ref(old) == 0);
	lock_release(&g_cache->lock);
	if(last)
		shm_free(old);
}

cpmcf_gtab_t *cpmcf_group_acquire(void)
{
	cpmcf_gtab_t *t;

	if(g_cache == NULL)
		return NULL;
	lock_get(&g_cache->lock);
	t = g_cache->cur;
	if(t)
		++*cpmcf_gtab_ref(t);
	lock_release(&g_cache->lock);
	return t;
}

void cpmcf_group_release(cpmcf_gtab_t *t)
{
	int last;

	if(t == NULL || g_cache == NULL)
		return;
	lock_get(&g_cache->lock);
	last = (--*cpmcf_gtab_ref(t) == 0);
	lock_release(&g_cache->lock);
	if(last)
		shm_free(t);
}

int cpmcf_group_exists(str *uri)
{
	char key[CPMCF_URI_MAX];
	cpmcf_gtab_t *t;
	str k;
	int n, rc;

	n = cpmcf_group_key(uri, key, sizeof(key));
	if(n <= 0)
		return 0;
	k.s = key;
	k.len = n;
	t = cpmcf_group_acquire();
	rc = (t && cpmcf_gtab_find(t, &k)) ? 1 : 0;
	cpmcf_group_release(t);
	return rc;
}

/* ---- import: groups written to the database (mod_init, RPC process) ---- */

/* replaces each group (by URI) and its members in one transaction: an
 * import of the same document twice leaves the same rows (idempotent) */
int cpmcf_group_write(const cpmcf_group_row_t *g, int ng,
		const cpmcf_member_row_t *m, int nm)
{
	db1_con_t *h = NULL;
	db1_res_t *res = NULL;
	db_key_t gk[4] = {&c_uri, &c_dn, &c_max, &c_pol};
	db_key_t mk[3] = {&c_guri, &c_uri, &c_dn};
	db_key_t dk[1];
	db_val_t v[4];
	str q;
	int i, j, rc = -1, intx = 0;

	h = g_dbf.init(&cpmcf_db_url);
	if(h == NULL) {
		LM_ERR("cannot connect to the database to import groups\n");
		return -1;
	}
	if(DB_CAPABILITY(g_dbf, DB_CAP_RAW_QUERY)) {
		q.s = "BEGIN";
		q.len = 5;
		if(g_dbf.raw_query(h, &q, &res) < 0) {
			LM_ERR("cannot start the import's transaction\n");
			goto done;
		}
		if(res) {
			g_dbf.free_result(h, res);
			res = NULL;
		}
		intx = 1;
	}
	memset(v, 0, sizeof(v));
	for(i = 0; i < ng; i++) {
		VAL_TYPE(&v[0]) = DB1_STR;
		VAL_STR(&v[0]) = g[i].uri;
		dk[0] = &c_guri;
		if(g_dbf.use_table(h, &t_member) < 0 || g_dbf.delete(h, dk, 0, v, 1) < 0)
			goto fail;
		dk[0] = &c_uri;
		if(g_dbf.use_table(h, &t_group) < 0 || g_dbf.delete(h, dk, 0, v, 1) < 0)
			goto fail;
		VAL_TYPE(&v[1]) = DB1_STR;
		VAL_STR(&v[1]) = g[i].display_name;
		VAL_TYPE(&v[2]) = DB1_INT;
		VAL_INT(&v[2]) = g[i].max_participants;
		VAL_TYPE(&v[3]) = DB1_INT;
		VAL_INT(&v[3]) = (int)g[i].policy;
		if(g_dbf.insert(h, gk, v, 4) < 0)
			goto fail;
		if(g_dbf.use_table(h, &t_member) < 0)
			goto fail;
		for(j = 0; j < nm; j++) {
			/* members carry the group's URI in group_key here */
			if(m[j].group_key.len != g[i].uri.len
					|| memcmp(m[j].group_key.s, g[i].uri.s, g[i].uri.len))
				continue;
			VAL_TYPE(&v[0]) = DB1_STR;
			VAL_STR(&v[0]) = g[i].uri;
			VAL_TYPE(&v[1]) = DB1_STR;
			VAL_STR(&v[1]) = m[j].uri;
			VAL_TYPE(&v[2]) = DB1_STR;
			VAL_STR(&v[2]) = m[j].display_name;
			if(g_dbf.insert(h, mk, v, 3) < 0)
				goto fail;
		}
	}
	rc = 0;
fail:
	if(intx) {
		q.s = rc == 0 ? "COMMIT" : "ROLLBACK";
		q.len = strlen(q.s);
		if(g_dbf.raw_query(h, &q, &res) < 0) {
			LM_ERR("cannot end the import's transaction\n");
			rc = -1;
		}
		if(res)
			g_dbf.free_result(h, res);
	}
	if(rc < 0)
		LM_ERR("cannot write the imported groups\n");
done:
	g_dbf.close(h);
	return rc;
}

/* ---- start-up ---------------------------------------------------------- */

int cpmcf_group_init(void)
{
	cpmcf_gtab_t *t;
	int ng = 0, nm = 0;

	if(cpmcf_db_url.s == NULL || cpmcf_db_url.len == 0) {
		LM_ERR("db_url is required (the groups live in the database)\n");
		return -1;
	}
	if(db_bind_mod(&cpmcf_db_url, &g_dbf) < 0) {
		LM_ERR("cannot bind the database module of db_url\n");
		return -1;
	}
	if(!DB_CAPABILITY(g_dbf, DB_CAP_QUERY)) {
		LM_ERR("the database module of db_url cannot query\n");
		return -1;
	}
	g_bound = 1;
	g_cache = shm_malloc(sizeof(*g_cache));
	if(g_cache == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	g_cache->cur = NULL;
	if(lock_init(&g_cache->lock) == NULL) {
		LM_ERR("cannot init the group cache lock\n");
		shm_free(g_cache);
		g_cache = NULL;
		return -1;
	}
	if(cpmcf_groups_file && *cpmcf_groups_file
			&& cpmcf_group_import_file(cpmcf_groups_file, NULL, NULL) < 0) {
		LM_ERR("cannot import groups_file %s\n", cpmcf_groups_file);
		return -1;
	}
	t = group_load(&ng, &nm);
	if(t == NULL)
		return -1;
	g_cache->cur = t;
	LM_DBG("%d pre-defined groups, %d members loaded\n", ng, nm);
	return 0;
}

void cpmcf_group_destroy(void)
{
	if(g_cache == NULL)
		return;
	/* at exit nobody else reads it any more */
	if(g_cache->cur)
		shm_free(g_cache->cur);
	lock_destroy(&g_cache->lock);
	shm_free(g_cache);
	g_cache = NULL;
}

/* ---- RPC --------------------------------------------------------------- */

static const char *rpc_groups_doc[2] = {
		"List the pre-defined groups: uri, display_name, max_participants,"
		" policy, members",
		0};
static const char *rpc_members_doc[2] = {
		"List the members of a pre-defined group <uri>: uri, display_name",
		0};
static const char *rpc_reload_doc[2] = {
		"Reload the pre-defined groups from the database", 0};
static const char *rpc_import_doc[2] = {
		"Import an OMA XDM shared-group document <path> into the database"
		" (replacing the groups it names) and reload",
		0};

static void rpc_groups(rpc_t *rpc, void *ctx)
{
	cpmcf_gtab_t *t;
	const cpmcf_group_t *g;
	void *th;
	int i;

	/* a reference, not the lock, keeps the table alive while the reply is
	 * built (the RPC layer allocates) */
	t = cpmcf_group_acquire();
	for(i = 0; t && (g = cpmcf_gtab_at(t, i)) != NULL; i++) {
		if(rpc->add(ctx, "{", &th) < 0
				|| rpc->struct_add(th, "SSddd", "uri", &g->uri, "display_name",
						   &g->display_name, "max_participants",
						   g->max_participants, "policy", (int)g->policy,
						   "members", g->n_members)
						   < 0)
			break;
	}
	cpmcf_group_release(t);
}

static void rpc_group_members(rpc_t *rpc, void *ctx)
{
	char key[CPMCF_URI_MAX];
	cpmcf_gtab_t *t;
	const cpmcf_group_t *g;
	str uri, k;
	void *th;
	int i, n;

	if(rpc->scan(ctx, "S", &uri) < 1) {
		rpc->fault(ctx, 400, "Group URI expected");
		return;
	}
	n = cpmcf_group_key(&uri, key, sizeof(key));
	if(n <= 0) {
		rpc->fault(ctx, 400, "Not a SIP or TEL URI with a user part");
		return;
	}
	k.s = key;
	k.len = n;
	t = cpmcf_group_acquire();
	g = t ? cpmcf_gtab_find(t, &k) : NULL;
	if(g == NULL) {
		cpmcf_group_release(t);
		rpc->fault(ctx, 404, "No such group");
		return;
	}
	for(i = 0; i < g->n_members; i++)
		if(rpc->add(ctx, "{", &th) < 0
				|| rpc->struct_add(th, "SS", "uri", &g->members[i].uri,
						   "display_name", &g->members[i].display_name)
						   < 0)
			break;
	cpmcf_group_release(t);
}

static void rpc_group_reload(rpc_t *rpc, void *ctx)
{
	cpmcf_gtab_t *t;
	int ng = 0, nm = 0;

	if(g_cache == NULL || !g_bound) {
		rpc->fault(ctx, 500, "Not initialised");
		return;
	}
	t = group_load(&ng, &nm);
	if(t == NULL) {
		rpc->fault(ctx, 500, "Reload failed (see the log)");
		return;
	}
	group_swap(t);
	rpc->rpl_printf(ctx, "%d groups, %d members loaded", ng, nm);
}

static void rpc_group_import(rpc_t *rpc, void *ctx)
{
	cpmcf_gtab_t *t;
	char path[1024];
	str p;
	int ng = 0, nm = 0, ig = 0, im = 0;

	if(g_cache == NULL || !g_bound) {
		rpc->fault(ctx, 500, "Not initialised");
		return;
	}
	if(rpc->scan(ctx, "S", &p) < 1 || p.len <= 0 || p.len >= sizeof(path)) {
		rpc->fault(ctx, 400, "Path of an XDM document expected");
		return;
	}
	memcpy(path, p.s, p.len);
	path[p.len] = '\0';
	if(cpmcf_group_import_file(path, &ig, &im) < 0) {
		rpc->fault(ctx, 400, "Import failed (see the log): nothing changed");
		return;
	}
	t = group_load(&ng, &nm);
	if(t == NULL) {
		rpc->fault(ctx, 500, "Imported, but the reload failed (see the log)");
		return;
	}
	group_swap(t);
	rpc->rpl_printf(ctx, "%d groups (%d members) imported; %d groups, %d"
						 " members loaded",
			ig, im, ng, nm);
}

rpc_export_t cpmcf_group_rpc[] = {
		{"cpm_cf.groups", rpc_groups, rpc_groups_doc, RET_ARRAY},
		{"cpm_cf.group_members", rpc_group_members, rpc_members_doc,
				RET_ARRAY},
		{"cpm_cf.group_reload", rpc_group_reload, rpc_reload_doc, 0},
		{"cpm_cf.group_import", rpc_group_import, rpc_import_doc, 0},
		{0, 0, 0, 0}};
