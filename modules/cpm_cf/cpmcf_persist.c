/*
 * cpm_cf: Group Sessions written through to the database (cpmcf_persist.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/counters.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/pt.h"
#include "core/cfg/cfg_struct.h"
#include "core/sr_module.h"
#include "core/parser/parse_rr.h"
#include "lib/srdb1/db.h"
#include "modules/tm/tm_load.h"
#include "modules/tm/dlg.h"

#include "cpmcf_persist.h"
#include "cpmcf_session.h"
#include "cpmcf_group.h" /* cpmcf_db_url */
#include "cpmcf_db.h"
#include "cpmcf_conf.h"		 /* anonymity records (seed 6.3) */
#include "cpmcf_conf_core.h" /* cpmcf_anon_t */

#define PQ_MAX 1024		 /* sessions queued between two writer rounds */
#define PQ_POLL_US 50000 /* the writer's round: 50 ms */
#define ROUTE_MAX 1024	 /* a route set as a Route header value */
/* CSeqs the focus may have used after its last write (a NOTIFY, a BYE
 * attempt): a restored dialog's local CSeq starts this much higher, so its
 * next request is never below one the participant saw (RFC 3261 12.2.1.1) */
#define LSEQ_GAP 100

typedef struct pq {
	gen_lock_t lock;
	int head, count, overflow;
	char user[PQ_MAX][CPMCF_NAME_MAX];
	int ulen[PQ_MAX];
} pq_t;

static pq_t *pq = NULL;
static db_func_t dbf;
static db1_con_t *con = NULL;
static struct tm_binds tmb;
static int n_restored = 0;

/* what mod_init read back: the same in every process (set before the
 * fork), so read through a callback */
static counter_val_t restored_cbk(counter_handle_t h, void *p)
{
	return n_restored;
}

static counter_handle_t st_restored, st_writes, st_retries;
static counter_def_t persist_counters[] = {
		{&st_restored, "sessions_restored", 0, restored_cbk, 0,
				"running Group Sessions read back from the database at start-up"},
		{&st_writes, "session_writes", 0, 0, 0,
				"session snapshots the writer process wrote (or deleted)"},
		{&st_retries, "session_write_retries", 0, 0, 0,
				"writer batches queued again (database busy or failing)"},
		{0, 0, 0, 0, 0, 0}};

static str t_sess = str_init("cpm_cf_session");
static str t_part = str_init("cpm_cf_participant");
/* seed 6.3: who is anonymous in a session and under which pseudonym and
 * anonymous URI; without it a restarted CF would show an anonymous
 * participant's real URI to the next subscriber */
static str t_anon = str_init("cpm_cf_anon");
static str c_pseudo = str_init("pseudonym"), c_anon_no = str_init("anon_no");
static str c_suser = str_init("suser"), c_identity = str_init("identity"),
		   c_conv = str_init("conv_id"), c_contrib = str_init("contrib_id"),
		   c_subject = str_init("subject"), c_initiator = str_init("initiator"),
		   c_dialect = str_init("dialect_up"),
		   c_max = str_init("max_participants"), c_grp = str_init("grp"),
		   c_gpolicy = str_init("gpolicy"), c_created = str_init("created");
static str c_idx = str_init("idx"), c_uri = str_init("uri"),
		   c_dn = str_init("display_name"), c_ini = str_init("initiator"),
		   c_pkey = str_init("pkey"), c_state = str_init("state"),
		   c_status = str_init("status"), c_callid = str_init("callid"),
		   c_ltag = str_init("ltag"), c_rtag = str_init("rtag"),
		   c_lseq = str_init("lseq"), c_rseq = str_init("rseq"),
		   c_luri = str_init("luri"), c_ruri = str_init("ruri"),
		   c_rtarget = str_init("rtarget"), c_dst = str_init("dst_uri"),
		   c_route = str_init("route_set");

#define NS 11 /* session columns */
#define NP 18 /* participant columns */

/* one participant as written: fixed buffers, filled under the session's
 * lock, written without it */
typedef struct prow {
	char uri[CPMCF_URI_MAX], dn[CPMCF_NAME_MAX], callid[CPMCF_ID_MAX],
			ltag[CPMCF_TAG_MAX], rtag[CPMCF_ID_MAX], luri[CPMCF_URI_MAX],
			ruri[CPMCF_URI_MAX], rtarget[CPMCF_URI_MAX], dst[CPMCF_URI_MAX],
			route[ROUTE_MAX];
	int uri_len, dn_len, callid_len, ltag_len, rtag_len, luri_len, ruri_len,
			rtarget_len, dst_len, route_len;
	int initiator, key, state, status;
	unsigned int lseq, rseq;
} prow_t;

int cpmcf_persist_restored(void)
{
	return n_restored;
}

static void pq_push(const char *user, int len)
{
	int last, i;

	lock_get(&pq->lock);
	last = (pq->head + pq->count - 1) % PQ_MAX;
	if(pq->count > 0 && pq->ulen[last] == len
			&& memcmp(pq->user[last], user, len) == 0) {
		/* queued already, not written yet: one write covers both */
	} else if(pq->count >= PQ_MAX) {
		pq->overflow = 1; /* the writer rewrites every session */
	} else {
		i = (pq->head + pq->count) % PQ_MAX;
		memcpy(pq->user[i], user, len);
		pq->ulen[i] = len;
		pq->count++;
	}
	lock_release(&pq->lock);
}

void cpmcf_persist_touch(cpmcf_sess_t *s)
{
	if(pq == NULL || s == NULL || s->user_len <= 0
			|| s->user_len > CPMCF_NAME_MAX)
		return;
	/* s->user is fixed from creation on: read without the session lock */
	pq_push(s->user, s->user_len);
}

/* ---- writing (the writer process only) ---- */

static void set_str(db_val_t *v, const char *s, int len)
{
	VAL_TYPE(v) = DB1_STR;
	VAL_NULL(v) = 0;
	VAL_STR(v).s = (char *)s;
	VAL_STR(v).len = len;
}

static void set_int(db_val_t *v, int i)
{
	VAL_TYPE(v) = DB1_INT;
	VAL_NULL(v) = 0;
	VAL_INT(v) = i;
}

static void set_big(db_val_t *v, long long i)
{
	VAL_TYPE(v) = DB1_BIGINT;
	VAL_NULL(v) = 0;
	VAL_BIGINT(v) = i;
}

static int sql(const char *q)
{
	db1_res_t *res = NULL;
	str s;
	int rc;

	s.s = (char *)q;
	s.len = strlen(q);
	/* db_sqlite steps a raw statement only when a result is asked for */
	rc = dbf.raw_query(con, &s, &res);
	if(res)
		dbf.free_result(con, res);
	return rc < 0 ? -EIO : 0;
}

static int del_rows(const str *user)
{
	db_key_t k[1] = {&c_suser};
	db_val_t v[1];

	set_str(&v[0], user->s, user->len);
	if(dbf.use_table(con, &t_anon) < 0 || dbf.delete(con, k, 0, v, 1) < 0)
		return -EIO;
	if(dbf.use_table(con, &t_part) < 0 || dbf.delete(con, k, 0, v, 1) < 0)
		return -EIO;
	if(dbf.use_table(con, &t_sess) < 0 || dbf.delete(con, k, 0, v, 1) < 0)
		return -EIO;
	return 0;
}

#define CP(dst, src, len)                                     \
	do {                                                      \
		dst##_len = (len) < (int)sizeof(dst) ? (len) : 0;     \
		if(dst##_len > 0)                                     \
			memcpy(dst, (src), dst##_len);                    \
	} while(0)

/* the route set as a Route header value: each entry as received */
static int route_print(rr_t *r, char *buf, int size)
{
	int n = 0;

	for(; r; r = r->next) {
		if(n + r->len + 1 >= size)
			return 0; /* too long: not kept (the dialog follows its target) */
		if(n)
			buf[n++] = ',';
		memcpy(buf + n, r->nameaddr.name.s, r->len);
		n += r->len;
	}
	return n;
}

/* a participant's row, under the session's lock: its dialog only while the
 * participant is in it (connected / dialing-in): a DISCONNECTING dialog
 * belongs to the process sending its BYE */
static void prow_fill(const cpmcf_part_t *p, prow_t *r)
{
	dlg_t *d = (dlg_t *)p->dlg;

	memset(r, 0, sizeof(*r));
	CP(r->uri, p->uri, p->uri_len);
	CP(r->dn, p->display, p->display_len);
	r->initiator = p->initiator;
	r->key = p->key;
	r->status = p->status;
	r->state = CPMCF_P_DISCONNECTED;
	if(d == NULL
			|| (p->state != CPMCF_P_CONNECTED
					&& p->state != CPMCF_P_DIALING_IN))
		return;
	r->state = CPMCF_P_CONNECTED;
	CP(r->callid, d->id.call_id.s, d->id.call_id.len);
	CP(r->ltag, d->id.loc_tag.s, d->id.loc_tag.len);
	CP(r->rtag, d->id.rem_tag.s, d->id.rem_tag.len);
	CP(r->luri, d->loc_uri.s, d->loc_uri.len);
	CP(r->ruri, d->rem_uri.s, d->rem_uri.len);
	CP(r->rtarget, d->rem_target.s, d->rem_target.len);
	CP(r->dst, d->dst_uri.s, d->dst_uri.len);
	r->route_len = route_print(d->route_set, r->route, sizeof(r->route));
	r->lseq = d->loc_seq.value;
	r->rseq = d->rem_seq.value;
	if(r->callid_len == 0 || r->ltag_len == 0 || r->luri_len == 0
			|| r->ruri_len == 0)
		r->state = CPMCF_P_DISCONNECTED; /* nothing to rebuild */
}

/* session s's rows replace the stored ones (s referenced) */
static int write_sess(cpmcf_sess_t *s)
{
	db_key_t sk[NS] = {&c_suser, &c_identity, &c_conv, &c_contrib, &c_subject,
			&c_initiator, &c_dialect, &c_max, &c_grp, &c_gpolicy, &c_created};
	db_key_t pk[NP] = {&c_suser, &c_idx, &c_uri, &c_dn, &c_ini, &c_pkey,
			&c_state, &c_status, &c_callid, &c_ltag, &c_rtag, &c_lseq, &c_rseq,
			&c_luri, &c_ruri, &c_rtarget, &c_dst, &c_route};
	db_key_t ak[4] = {&c_suser, &c_uri, &c_pseudo, &c_anon_no};
	db_val_t sv[NS], pv[NP], av[4];
	cpmcf_sess_t c; /* the session's fields (parts not used) */
	prow_t *rows = NULL;
	cpmcf_anon_t *an = NULL;
	str u;
	int n, i, na = 0, rc = -EIO;

	cpmcf_sess_lock(s);
	memcpy(&c, s, sizeof(c));
	n = s->n;
	rows = n > 0 ? pkg_malloc(n * sizeof(*rows)) : NULL;
	if(n > 0 && rows == NULL) {
		cpmcf_sess_unlock(s);
		PKG_MEM_ERROR;
		return -ENOMEM;
	}
	for(i = 0; i < n; i++)
		prow_fill(&s->parts[i], &rows[i]);
	cpmcf_sess_unlock(s);
	u.s = c.user;
	u.len = c.user_len;
	/* the anonymity records (their own lock, after the session's) */
	if(!c.ended) {
		na = cpmcf_conf_anon_get(c.user, c.user_len, &an);
		if(na < 0) {
			rc = na;
			goto done;
		}
	}
	if(c.ended) {
		rc = del_rows(&u);
		goto done;
	}
	if(del_rows(&u) < 0)
		goto done;
	set_str(&sv[0], c.user, c.user_len);
	set_str(&sv[1], c.identity, c.identity_len);
	set_str(&sv[2], c.conv_id, c.conv_id_len);
	set_str(&sv[3], c.contrib_id, c.contrib_id_len);
	set_str(&sv[4], c.subject, c.subject_len);
	set_str(&sv[5], c.initiator, c.initiator_len);
	set_int(&sv[6], c.dialect_up);
	set_int(&sv[7], c.max);
	set_str(&sv[8], c.group, c.group_len);
	set_big(&sv[9], c.gpolicy);
	set_big(&sv[10], c.created);
	if(dbf.use_table(con, &t_sess) < 0 || dbf.insert(con, sk, sv, NS) < 0)
		goto done;
	if(dbf.use_table(con, &t_part) < 0)
		goto done;
	for(i = 0; i < n; i++) {
		prow_t *r = &rows[i];
		set_str(&pv[0], c.user, c.user_len);
		set_int(&pv[1], i);
		set_str(&pv[2], r->uri, r->uri_len);
		set_str(&pv[3], r->dn, r->dn_len);
		set_int(&pv[4], r->initiator);
		set_int(&pv[5], r->key);
		set_int(&pv[6], r->state);
		set_int(&pv[7], r->status);
		set_str(&pv[8], r->callid, r->callid_len);
		set_str(&pv[9], r->ltag, r->ltag_len);
		set_str(&pv[10], r->rtag, r->rtag_len);
		set_big(&pv[11], r->lseq);
		set_big(&pv[12], r->rseq);
		set_str(&pv[13], r->luri, r->luri_len);
		set_str(&pv[14], r->ruri, r->ruri_len);
		set_str(&pv[15], r->rtarget, r->rtarget_len);
		set_str(&pv[16], r->dst, r->dst_len);
		set_str(&pv[17], r->route, r->route_len);
		if(dbf.insert(con, pk, pv, NP) < 0)
			goto done;
	}
	if(na > 0 && dbf.use_table(con, &t_anon) < 0)
		goto done;
	for(i = 0; i < na; i++) {
		set_str(&av[0], c.user, c.user_len);
		set_str(&av[1], an[i].uri, an[i].uri_len);
		set_str(&av[2], an[i].pseudo, an[i].pseudo_len);
		set_int(&av[3], an[i].no);
		if(dbf.insert(con, ak, av, 4) < 0)
			goto done;
	}
	rc = 0;
done:
	if(rows)
		pkg_free(rows);
	if(an)
		pkg_free(an);
	if(rc < 0)
		LM_ERR("cannot write session %.*s to the database\n", c.user_len,
				c.user);
	return rc;
}

static int write_one(const char *user, int len)
{
	cpmcf_sess_t *s;
	str u = {(char *)user, len};
	int rc;

	s = cpmcf_sess_get(&u);
	if(s == NULL) {
		/* ended and unlinked: its rows go */
		rc = del_rows(&u);
		if(rc < 0)
			LM_ERR("cannot delete session %.*s from the database\n", len,
					user);
		return rc;
	}
	rc = write_sess(s);
	cpmcf_sess_put(s);
	return rc;
}

static void write_each(cpmcf_sess_t *s, void *arg)
{
	write_sess(s);
}

static void writer_round(void)
{
	static char users[PQ_MAX][CPMCF_NAME_MAX];
	static int lens[PQ_MAX];
	int n, i, j, ovf, failed = 0;

	lock_get(&pq->lock);
	n = pq->count;
	for(i = 0; i < n; i++) {
		j = (pq->head + i) % PQ_MAX;
		memcpy(users[i], pq->user[j], pq->ulen[j]);
		lens[i] = pq->ulen[j];
	}
	pq->head = 0;
	pq->count = 0;
	ovf = pq->overflow;
	pq->overflow = 0;
	lock_release(&pq->lock);
	if(n == 0 && !ovf)
		return;
	sql("BEGIN");
	if(ovf) {
		/* the queue overflowed: every running session is rewritten */
		if(dbf.use_table(con, &t_anon) < 0 || dbf.delete(con, 0, 0, 0, 0) < 0
				|| dbf.use_table(con, &t_part) < 0
				|| dbf.delete(con, 0, 0, 0, 0) < 0
				|| dbf.use_table(con, &t_sess) < 0
				|| dbf.delete(con, 0, 0, 0, 0) < 0)
			LM_ERR("cannot clear the session tables\n");
		cpmcf_sess_each(write_each, NULL);
	} else {
		for(i = 0; i < n; i++)
			if(write_one(users[i], lens[i]) < 0)
				failed = 1;
	}
	if(!failed)
		counter_add(st_writes, n);
	if(sql("COMMIT") < 0) {
		/* SQLite takes one writer at a time (cpm_pf's, usrloc's) and
		 * db_sqlite waits for none: the batch is queued again */
		LM_WARN("cannot commit %d session writes: retried\n", n);
		failed = 1;
	}
	if(failed) {
		counter_inc(st_retries);
		sql("ROLLBACK");
		if(ovf) {
			lock_get(&pq->lock);
			pq->overflow = 1;
			lock_release(&pq->lock);
		}
		for(i = 0; i < n; i++)
			pq_push(users[i], lens[i]);
	}
}

static void writer_loop(void)
{
	for(;;) {
		if(con == NULL) {
			con = dbf.init(&cpmcf_db_url);
			if(con == NULL) {
				LM_ERR("cpm_cf writer: no database connection, retrying\n");
				sleep(1);
				continue;
			}
			/* SQLite takes one writer at a time (cpm_pf's writer, usrloc's
			 * timer) and db_sqlite sets no busy timeout: this connection
			 * waits for the lock, as cpm_pf's writer does (cpmpf_dbq.c),
			 * instead of failing its batch with "database is locked" */
			if(cpmcf_db_url.len >= 7
					&& strncmp(cpmcf_db_url.s, "sqlite:", 7) == 0)
				sql("PRAGMA busy_timeout=5000");
		}
		usleep(PQ_POLL_US);
		writer_round();
	}
}

int cpmcf_persist_fork(void)
{
	int pid;

	if(pq == NULL)
		return 0;
	/* rank PROC_RPC, as cpm_pf's writer: modules run their child_init for
	 * it; it sends nothing */
	pid = fork_process(PROC_RPC, "cpm_cf DB writer", 1);
	if(pid < 0) {
		LM_ERR("cannot fork the cpm_cf writer process\n");
		return -1;
	}
	if(pid == 0) {
		if(cfg_child_init())
			return -1;
		writer_loop();
		exit(-1);
	}
	return 0;
}

/* ---- reading back (mod_init) ---- */

/* tm's dialog of a restored participant (RFC 3261 12: the fields the focus
 * sends with and matches on); NULL when it cannot be rebuilt */
static dlg_t *dlg_restore(db_val_t *v)
{
	str cid, lt, rt, lu, ru, tg, dst, rs;
	dlg_t *d = NULL;
	rr_t *rr = NULL;
	char rbuf[ROUTE_MAX];

	cpmcf_db_col_str(&v[8], &cid);
	cpmcf_db_col_str(&v[9], &lt);
	cpmcf_db_col_str(&v[10], &rt);
	cpmcf_db_col_str(&v[13], &lu);
	cpmcf_db_col_str(&v[14], &ru);
	cpmcf_db_col_str(&v[15], &tg);
	cpmcf_db_col_str(&v[16], &dst);
	cpmcf_db_col_str(&v[17], &rs);
	if(cid.len <= 0 || lt.len <= 0 || lu.len <= 0 || ru.len <= 0)
		return NULL;
	if(tmb.new_dlg_uac(&cid, &lt, (unsigned int)cpmcf_db_col_int(&v[11]) + LSEQ_GAP,
			   &lu, &ru, &d)
			< 0)
		return NULL;
	if((rt.len > 0 && shm_str_dup(&d->id.rem_tag, &rt) < 0)
			|| (tg.len > 0 && shm_str_dup(&d->rem_target, &tg) < 0)
			|| (dst.len > 0 && shm_str_dup(&d->dst_uri, &dst) < 0))
		goto error;
	d->rem_seq.value = (unsigned int)cpmcf_db_col_int(&v[12]);
	d->rem_seq.is_set = 1;
	if(rs.len > 0 && rs.len < ROUTE_MAX) {
		memcpy(rbuf, rs.s, rs.len);
		rbuf[rs.len] = 0;
		if(parse_rr_body(rbuf, rs.len, &rr) < 0 || rr == NULL)
			goto error;
		if(shm_duplicate_rr(&d->route_set, rr) < 0) {
			free_rr(&rr);
			goto error;
		}
		free_rr(&rr);
	}
	d->state = DLG_CONFIRMED;
	if(tmb.calculate_hooks(d) < 0)
		goto error;
	return d;
error:
	tmb.free_dlg(d);
	return NULL;
}

static int load_parts(cpmcf_sess_t *s)
{
	db_key_t pk[NP] = {&c_suser, &c_idx, &c_uri, &c_dn, &c_ini, &c_pkey,
			&c_state, &c_status, &c_callid, &c_ltag, &c_rtag, &c_lseq, &c_rseq,
			&c_luri, &c_ruri, &c_rtarget, &c_dst, &c_route};
	db_key_t wk[1] = {&c_suser};
	db_val_t wv[1];
	db1_res_t *res = NULL;
	db_val_t *v;
	str uri, dn;
	dlg_t *d;
	int r, i, st;

	set_str(&wv[0], s->user, s->user_len);
	if(dbf.use_table(con, &t_part) < 0
			|| dbf.query(con, wk, 0, wv, pk, 1, NP, &c_idx, &res) < 0)
		return -EIO;
	for(r = 0; r < RES_ROW_N(res); r++) {
		v = ROW_VALUES(&RES_ROWS(res)[r]);
		cpmcf_db_col_str(&v[2], &uri);
		cpmcf_db_col_str(&v[3], &dn);
		st = (int)cpmcf_db_col_int(&v[6]);
		d = (st == CPMCF_P_CONNECTED) ? dlg_restore(v) : NULL;
		/* in flight at the stop (tm's transactions are gone): left */
		i = cpmcf_part_add(&cpmcf_shm, s, &uri, &dn, (int)cpmcf_db_col_int(&v[4]),
				d ? CPMCF_P_CONNECTED : CPMCF_P_DISCONNECTED);
		if(i < 0) {
			if(d)
				tmb.free_dlg(d);
			continue;
		}
		s->parts[i].key = (int)cpmcf_db_col_int(&v[5]);
		s->parts[i].status = (int)cpmcf_db_col_int(&v[7]);
		if(d) {
			s->parts[i].dlg = d;
			cpmcf_part_set_dialog(s, i, &d->id.call_id, &d->id.loc_tag);
		}
	}
	dbf.free_result(con, res);
	return 0;
}

/* seed 6.3: the session's anonymous participants, into the participant
 * information's records (before any SUBSCRIBE can come) */
static int load_anon(cpmcf_sess_t *s)
{
	db_key_t ak[3] = {&c_uri, &c_pseudo, &c_anon_no};
	db_key_t wk[1] = {&c_suser};
	db_val_t wv[1];
	db1_res_t *res = NULL;
	db_val_t *v;
	str user = {s->user, s->user_len}, uri, ps;
	int r, rc = 0;

	set_str(&wv[0], s->user, s->user_len);
	if(dbf.use_table(con, &t_anon) < 0
			|| dbf.query(con, wk, 0, wv, ak, 1, 3, 0, &res) < 0) {
		LM_ERR("cannot read the table cpm_cf_anon (mk/dbinit.sh adds it to"
			   " an existing database)\n");
		return -EIO;
	}
	for(r = 0; r < RES_ROW_N(res) && rc == 0; r++) {
		v = ROW_VALUES(&RES_ROWS(res)[r]);
		cpmcf_db_col_str(&v[0], &uri);
		cpmcf_db_col_str(&v[1], &ps);
		rc = cpmcf_conf_anon_restore(
				&user, &uri, &ps, (int)cpmcf_db_col_int(&v[2]));
	}
	dbf.free_result(con, res);
	return rc;
}

static int load(void)
{
	db_key_t sk[NS] = {&c_suser, &c_identity, &c_conv, &c_contrib, &c_subject,
			&c_initiator, &c_dialect, &c_max, &c_grp, &c_gpolicy, &c_created};
	db1_res_t *res = NULL;
	db_val_t *v;
	cpmcf_sess_init_t in;
	cpmcf_sess_t *s;
	int r;

	if(dbf.use_table(con, &t_sess) < 0
			|| dbf.query(con, 0, 0, 0, sk, 0, NS, 0, &res) < 0) {
		LM_ERR("cannot read the table cpm_cf_session (mk/dbinit.sh)\n");
		return -1;
	}
	for(r = 0; r < RES_ROW_N(res); r++) {
		v = ROW_VALUES(&RES_ROWS(res)[r]);
		memset(&in, 0, sizeof(in));
		cpmcf_db_col_str(&v[0], &in.user);
		cpmcf_db_col_str(&v[1], &in.identity);
		cpmcf_db_col_str(&v[2], &in.conv_id);
		cpmcf_db_col_str(&v[3], &in.contrib_id);
		cpmcf_db_col_str(&v[4], &in.subject);
		cpmcf_db_col_str(&v[5], &in.initiator);
		in.dialect_up = (int)cpmcf_db_col_int(&v[6]);
		in.max = (int)cpmcf_db_col_int(&v[7]);
		cpmcf_db_col_str(&v[8], &in.group);
		in.gpolicy = (unsigned int)cpmcf_db_col_int(&v[9]);
		s = NULL;
		if(cpmcf_sess_new(&cpmcf_shm, &in, &s) < 0) {
			LM_ERR("session row %d cannot be restored\n", r);
			continue;
		}
		s->created = (unsigned int)cpmcf_db_col_int(&v[10]);
		if(load_parts(s) < 0) {
			cpmcf_sess_free(&cpmcf_shm, s);
			continue;
		}
		/* an anonymous participant's record that cannot be read back:
		 * the CF does not start rather than show its real URI */
		if(load_anon(s) < 0) {
			LM_ERR("the anonymity records of session row %d cannot be"
				   " restored\n",
					r);
			cpmcf_sess_free(&cpmcf_shm, s);
			dbf.free_result(con, res);
			return -1;
		}
		s->refcnt = 1;
		if(cpmcf_sess_insert(s) < 0) {
			cpmcf_sess_free(&cpmcf_shm, s);
			continue;
		}
		cpmcf_sess_put(s);
		n_restored++;
	}
	dbf.free_result(con, res);
	return 0;
}

int cpmcf_persist_init(void)
{
	if(cpmcf_db_url.s == NULL || cpmcf_db_url.len <= 0)
		return 0;
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("cpm_cf needs tm to restore dialogs\n");
		return -1;
	}
	if(db_bind_mod(&cpmcf_db_url, &dbf) < 0) {
		LM_ERR("cannot bind the database module of %.*s\n", cpmcf_db_url.len,
				cpmcf_db_url.s);
		return -1;
	}
	if(!DB_CAPABILITY(dbf, DB_CAP_RAW_QUERY | DB_CAP_DELETE | DB_CAP_INSERT)) {
		LM_ERR("the database module lacks raw query / insert / delete\n");
		return -1;
	}
	con = dbf.init(&cpmcf_db_url);
	if(con == NULL) {
		LM_ERR("cannot connect to the CF's database\n");
		return -1;
	}
	if(load() < 0) {
		dbf.close(con);
		con = NULL;
		return -1;
	}
	/* no handle crosses the fork: the writer opens its own */
	dbf.close(con);
	con = NULL;
	if(counter_register_array("cpm_cf", persist_counters) < 0) {
		LM_ERR("cannot register the persistence statistics\n");
		return -1;
	}
	if(n_restored > 0)
		LM_NOTICE("%d running group sessions restored\n", n_restored);
	pq = shm_malloc(sizeof(*pq));
	if(pq == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(pq, 0, sizeof(*pq));
	if(lock_init(&pq->lock) == NULL) {
		shm_free(pq);
		pq = NULL;
		return -1;
	}
	if(register_procs(1) < 0) {
		LM_ERR("cannot register the cpm_cf writer process\n");
		return -1;
	}
	cfg_register_child(1);
	return 0;
}

void cpmcf_persist_destroy(void)
{
	if(pq) {
		lock_destroy(&pq->lock);
		shm_free(pq);
		pq = NULL;
	}
}
