/*
 * cpm_pf deferred delivery (seed 4.1 "Deferred messaging"; issue 6 item 4):
 * a message for a user whose devices cannot take it now is stored, and only
 * once the store has COMMITTED is it answered 202 Accepted; every device of
 * the user that registers before the message expires then gets it, in
 * original order, and no device gets it twice.
 *
 * Processes:
 *   SIP worker   ki_cpm_pf_store(): copies what must be delivered into one
 *                shm job and queues it; never touches the database.  With
 *                store_stateless (the default) and no transaction yet, the
 *                request itself (buffer and where it came from) travels
 *                with the job and no tm transaction is created: the
 *                retransmission table (cpmpf_seen_*, shm) absorbs a
 *                retransmission while the store runs and answers 202 again
 *                to one already stored (ki_cpm_pf_store_retrans()).  Else
 *                (a failure_route, store_stateless 0) it suspends the
 *                transaction (tm t_suspend).
 *                ki_cpm_pf_deliver_pending() (after save("location")): queues
 *                a "user registered" job.
 *   tm callback  (the worker or timer that sees a delivery's final reply):
 *                queues a "result" job.
 *   writer       (cpmpf_dbq.c) runs every queued job in one transaction,
 *                then runs the script's route for each store (which answers
 *                202): on the request rebuilt from the job's copy (sl
 *                reply), or in the resumed transaction (tm t_continue);
 *                and sends from the
 *                store (tm t_request) one message at a time per device:
 *                the next only after the previous one's 2xx mark is
 *                COMMITTED, so order holds and a restart resends at most the
 *                one message whose 2xx came but whose mark did not commit
 *                (at-least-once: docs/cpm_pf.md).
 *
 * Everything the writer keeps in memory (ids, per-user counts, delivery
 * sessions) is pkg of the writer process: only it reads or changes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/counters.h"
#include "core/locking.h"
#include "core/dprint.h"
#include "core/kemi.h"
#include "core/action.h"
#include "core/msg_translator.h"
#include "core/parser/parse_from.h"
#include "core/receive.h"
#include "core/mem/pkg.h"
#include "core/mem/shm_mem.h"
#include "core/parser/parse_uri.h"
#include "core/route.h"
#include "core/sr_module.h"
#include "core/ut.h"
#include "core/trim.h"
#include "lib/srdb1/db.h"
#include "modules/tm/tm_load.h"
#include "modules/sl/sl.h"
#include "modules/usrloc/usrloc.h"

#include "cpmpf_dbq.h"
#include "cpmpf_imdn.h"
#include "cpmpf_db.h"
#include "cpmpf_msg.h"
#include "cpmpf_store.h"
#include "cpmpf_store_core.h"
#include "cpmpf_users.h"
#include "cpmpf_record.h"

/* job types of the writer */
#define JOB_STORE CPMPF_JOB_STORE
#define JOB_REGISTERED CPMPF_JOB_REGISTERED
#define JOB_RESULT CPMPF_JOB_RESULT

/* strings of a store job */
enum { S_USER, S_RURI, S_FROM, S_TO, S_HDRS, S_BODY, S_CONV, S_CONTRIB,
	S_ROUTE, S_IMDN, S_KEY = S_IMDN + CPMPF_IMDN_S_N, S_REQ, S_RCV, S_RECS,
	S_N };
/* records (cpmpf_record.c) a store without a transaction carries */
#define STORE_RECS 4

/* results a resumed route reads through cpm_pf_stored() */
#define STORE_OK 1
#define STORE_FULL (-2)

int cpmpf_store_expiry = 7 * 24 * 3600;
int cpmpf_store_max = 1000;
int cpmpf_store_sweep = 60;
/* the headers a delivery from the store carries as received: the CPM
 * identifiers (seed 5.3: end to end, never changed), Date, Content-Type,
 * and the identity headers the PF asserted toward the recipient (seed 6.1) */
str cpmpf_store_headers = str_init(
		"Conversation-ID,Contribution-ID,InReplyTo-Contribution-ID,Date,"
		"Content-Type,P-Asserted-Identity,Referred-By,Subject,Privacy");

static struct tm_binds tmb;
static sl_api_t slb;

/* store_stateless: 1 a store in request_route creates no tm transaction
 * (docs/cpm_pf.md "Deferred delivery", docs/benchmarks.md) */
int cpmpf_store_stateless = 1;
/* the retransmission table (cpmpf_store_core.h), shm, under seen_lock */
static cpmpf_seen_t *seen = NULL;
static gen_lock_t *seen_lock = NULL;
/* how long a stored request's key absorbs retransmissions: RFC 3261 Timer F
 * (64*T1 = 32 s, after which the sender has given up), with a margin; in
 * flight: until the writer's answer, at most this long */
#define SEEN_STORED_S 40
#define SEEN_INFLIGHT_S 64
/* the request as received, for the writer's reply without a transaction */
typedef struct store_rcv {
	receive_info_t rcv;
	flag_t msg_flags; /* force_rport() and the like, as the worker set them */
} store_rcv_t;
static usrloc_api_t ul;
static int have_ul = 0;

/* ---- statistics ---- */
static counter_handle_t st_deferred, st_delivered, st_expired, st_failed,
		st_full;
static counter_val_t st_queue_depth(counter_handle_t h, void *p)
{
	return (counter_val_t)cpmpf_dbq_depth();
}
static counter_def_t store_counters[] = {
	{&st_deferred, "deferred", 0, 0, 0, "messages stored for later delivery"},
	{&st_delivered, "delivered_from_store", 0, 0, 0,
			"deliveries from the store that a device accepted (2xx)"},
	{&st_expired, "expired", 0, 0, 0, "stored messages removed at expiry"},
	{&st_failed, "store_failed", 0, 0, 0,
			"stores that failed (500: nothing stored)"},
	{&st_full, "store_refused_full", 0, 0, 0,
			"stores refused: the user's store is at store_max_per_user"},
	{0, "store_queue_depth", CNT_F_NO_RESET, st_queue_depth, 0,
			"jobs waiting for the database writer"},
	{0, 0, 0, 0, 0, 0}};

/* =================== SIP worker side =================== */

static int resume_rc = 0; /* the writer sets it before t_continue */

int ki_cpm_pf_stored(sip_msg_t *msg)
{
	return resume_rc == 0 ? -1 : resume_rc;
}

static void seen_shm_free(void *p)
{
	shm_free(p);
}

/* "<Call-ID> <CSeq number> <From tag>" of msg into buf; -1 when a header
 * is missing or the key does not fit (the store then takes a transaction) */
static int store_key(sip_msg_t *msg, char *buf, int size, str *key)
{
	struct to_body *fb;

	if(parse_headers(msg, HDR_CALLID_F | HDR_CSEQ_F | HDR_FROM_F, 0) < 0
			|| msg->callid == NULL || msg->cseq == NULL
			|| parse_from_header(msg) < 0)
		return -1;
	fb = get_from(msg);
	key->s = buf;
	key->len = cpmpf_seen_key(
			buf, size, &msg->callid->body, &get_cseq(msg)->number, &fb->tag_value);
	return key->len < 0 ? -1 : 0;
}

/* a retransmission of a request the store has: in flight, absorbed (its
 * 202 comes after COMMIT); stored, answered 202 again (never stored
 * twice).  1 handled (the script exits), -1 not one of the store's */
static int seen_answer(sip_msg_t *msg, int state)
{
	static str accepted = str_init("Accepted");

	if(state == CPMPF_SEEN_STORED && slb.freply(msg, 202, &accepted) < 0)
		LM_ERR("cannot answer a retransmission of a stored message\n");
	return 1;
}

int ki_cpm_pf_store_retrans(sip_msg_t *msg)
{
	char kb[512];
	str key;
	int st;

	if(seen == NULL || msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method_value != METHOD_MESSAGE
			|| store_key(msg, kb, sizeof(kb), &key) < 0)
		return -1;
	lock_get(seen_lock);
	st = cpmpf_seen_get(seen, &key, (long long)time(NULL), seen_shm_free);
	lock_release(seen_lock);
	return st ? seen_answer(msg, st) : -1;
}

/* cpm_pf_store(user, route): 1 the store is queued (the script must exit;
 * `route` runs after COMMIT, in the writer), or the request is a
 * retransmission the store already has (absorbed, or answered 202);
 * -2 user not provisioned (404, nothing stored); -3 the transaction
 * cannot be suspended (already answered or cancelled); -1 error (500) */
int ki_cpm_pf_store(sip_msg_t *msg, str *user, str *route)
{
	str s[S_N];
	struct hdr_field *hf;
	char *hbuf = NULL, *fbuf = NULL, *body;
	int hlen = 0, rc = -1, st, in_seen = 0;
	unsigned int h, l;
	cpmpf_job_t *job = NULL;
	struct cell *t;
	char kb[512];
	store_rcv_t rf;
	long long now;
	cpmpf_job_t *recs[STORE_RECS];
	int nrecs = 0, i;

	if(!cpmpf_dbq_enabled()) {
		LM_ERR("cpm_pf_store() needs the db_url parameter\n");
		return -1;
	}
	if(user == NULL || user->len <= 0 || !cpmpf_user_served(user))
		return -2;
	if(route == NULL || route->len <= 0) {
		LM_ERR("cpm_pf_store(): no resume route\n");
		return -1;
	}
	if(sr_kemi_eng_get() == NULL) {
		char rn[128];
		if(route->len >= (int)sizeof(rn))
			return -1;
		memcpy(rn, route->s, route->len);
		rn[route->len] = '\0';
		if(route_lookup(&main_rt, rn) < 0) {
			LM_ERR("cpm_pf_store(): no route[%s]\n", rn);
			return -1;
		}
	}
	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || msg->from == NULL
			|| msg->to == NULL || parse_sip_msg_uri(msg) < 0) {
		LM_ERR("cannot parse the message to store\n");
		return -1;
	}
	/* the listed headers, each line byte for byte as received */
	for(hf = msg->headers; hf; hf = hf->next)
		if(cpmpf_hdr_listed(&cpmpf_store_headers, &hf->name))
			hlen += hf->len;
	hbuf = pkg_malloc(hlen + 1);
	fbuf = pkg_malloc(msg->from->body.len + 1);
	if(hbuf == NULL || fbuf == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	hlen = 0;
	for(hf = msg->headers; hf; hf = hf->next)
		if(cpmpf_hdr_listed(&cpmpf_store_headers, &hf->name)) {
			memcpy(hbuf + hlen, hf->name.s, hf->len);
			hlen += hf->len;
		}
	s[S_USER] = *user;
	s[S_RURI] = msg->new_uri.len ? msg->new_uri : msg->first_line.u.request.uri;
	s[S_FROM].s = fbuf;
	s[S_FROM].len = cpmpf_from_strip_tag(&msg->from->body, fbuf);
	s[S_TO] = msg->to->body;
	s[S_HDRS].s = hbuf;
	s[S_HDRS].len = hlen;
	body = get_body(msg);
	s[S_BODY].s = body ? body : "";
	s[S_BODY].len = body ? (int)(msg->buf + msg->len - body) : 0;
	cpmpf_cpm_id(msg, CPMH_ID_CONVERSATION_ID, &s[S_CONV]);
	cpmpf_cpm_id(msg, CPMH_ID_CONTRIBUTION_ID, &s[S_CONTRIB]);
	s[S_ROUTE] = *route;
	/* IMDN (cpmpf_imdn.c): the negative-delivery request, if any */
	cpmpf_imdn_job_strs(&s[S_IMDN]);
	s[S_KEY].len = s[S_REQ].len = s[S_RCV].len = s[S_RECS].len = 0;
	s[S_KEY].s = s[S_REQ].s = s[S_RCV].s = s[S_RECS].s = NULL;
	t = tmb.t_gett();
	if(seen != NULL && (t == NULL || t == T_UNDEFINED)
			&& store_key(msg, kb, sizeof(kb), &s[S_KEY]) == 0) {
		/* no transaction: the request travels with the job, its key in
		 * the retransmission table until the writer's answer */
		now = (long long)time(NULL);
		lock_get(seen_lock);
		st = 0;
		rc = cpmpf_seen_add(seen, &s[S_KEY], now, now + SEEN_INFLIGHT_S,
				cpmpf_dbq_shm_alloc, seen_shm_free, &st);
		lock_release(seen_lock);
		if(rc == -EEXIST) {
			rc = seen_answer(msg, st);
			goto done;
		}
		if(rc < 0) {
			SHM_MEM_ERROR;
			rc = -1;
			goto done;
		}
		in_seen = 1;
		rc = -1;
		memset(&rf, 0, sizeof(rf));
		rf.rcv = msg->rcv;
		rf.msg_flags = msg->msg_flags;
		s[S_REQ].s = msg->buf;
		s[S_REQ].len = msg->len;
		s[S_RCV].s = (char *)&rf;
		s[S_RCV].len = sizeof(rf);
		/* the history (cpm_pf_record) waits for a 2xx on a transaction
		 * that will not exist: its records go with the store */
		nrecs = cpmpf_record_detach(msg, recs, STORE_RECS);
		s[S_RECS].s = (char *)recs;
		s[S_RECS].len = nrecs * (int)sizeof(recs[0]);
		job = cpmpf_job_new(cpmpf_dbq_shm_alloc, JOB_STORE, s, S_N);
		if(job == NULL) {
			SHM_MEM_ERROR;
			goto done;
		}
		if(cpmpf_dbq_push(job) < 0) {
			LM_ERR("cannot queue the store\n");
			goto done;
		}
		job = NULL;
		in_seen = 0;
		nrecs = 0;
		rc = 1;
		goto done;
	}
	s[S_KEY].len = 0;
	job = cpmpf_job_new(cpmpf_dbq_shm_alloc, JOB_STORE, s, S_N);
	if(job == NULL) {
		SHM_MEM_ERROR;
		goto done;
	}
	/* the transaction waits for the COMMIT; create it in request_route */
	if(t == NULL || t == T_UNDEFINED) {
		if(tmb.t_newtran(msg) < 0) {
			LM_ERR("cannot create the transaction to suspend\n");
			goto done;
		}
	}
	if(tmb.t_suspend(msg, &h, &l) != 0) {
		LM_ERR("cannot suspend the transaction\n");
		rc = -3;
		goto done;
	}
	job->t_hash = h;
	job->t_label = l;
	if(cpmpf_dbq_push(job) < 0) {
		/* suspended but never resumed: tm's timer answers it (408) */
		LM_ERR("cannot queue the store\n");
		goto done;
	}
	job = NULL;
	rc = 1;
done:
	/* not queued: the sender gets 500, the records are dropped as for a
	 * refusal */
	for(i = 0; i < nrecs; i++)
		shm_free(recs[i]);
	if(in_seen) {
		/* not queued: a retransmission is a new attempt */
		lock_get(seen_lock);
		cpmpf_seen_set(seen, &s[S_KEY], 0, 0, seen_shm_free);
		lock_release(seen_lock);
	}
	if(job)
		shm_free(job);
	if(hbuf)
		pkg_free(hbuf);
	if(fbuf)
		pkg_free(fbuf);
	return rc;
}

int ki_cpm_pf_deliver_pending(sip_msg_t *msg, str *user)
{
	cpmpf_job_t *job;

	if(!cpmpf_dbq_enabled() || user == NULL || user->len <= 0)
		return -1;
	if(!cpmpf_user_served(user))
		return -2;
	job = cpmpf_job_new(cpmpf_dbq_shm_alloc, JOB_REGISTERED, user, 1);
	if(job == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	if(cpmpf_dbq_push(job) < 0) {
		shm_free(job);
		return -1;
	}
	return 1;
}

/* a delivery's final reply (any process): hand it to the writer */
static void delivery_cb(struct cell *t, int type, struct tmcb_params *ps)
{
	cpmpf_job_t *job;

	if(ps->param == NULL)
		return;
	job = cpmpf_job_new(cpmpf_dbq_shm_alloc, JOB_RESULT, NULL, 0);
	if(job == NULL) {
		SHM_MEM_ERROR;
		return;
	}
	job->lval = (long long)(long)*ps->param;
	job->ival = ps->code;
	if(cpmpf_dbq_push(job) < 0)
		shm_free(job);
}

/* =================== writer side (pkg of the writer) =================== */

static str t_store = str_init("cpm_store");
static str t_deliv = str_init("cpm_store_delivery");
static str t_dev = str_init("cpm_device");
static str t_key = str_init("cpm_store_key");
static str c_key = str_init("msg_key");
static str c_id = str_init("id"), c_user = str_init("username"),
		   c_ruri = str_init("ruri"), c_from = str_init("from_hdr"),
		   c_to = str_init("to_hdr"), c_hdrs = str_init("hdrs"),
		   c_body = str_init("body"), c_conv = str_init("conversation_id"),
		   c_contrib = str_init("contribution_id"),
		   c_stored = str_init("stored"), c_expires = str_init("expires"),
		   c_msg = str_init("msg_id"), c_dev = str_init("device"),
		   c_time = str_init("delivered"), c_seen = str_init("first_seen");

static long long next_id = -1;

/* per-user count of stored messages (the cap), loaded on first use */
typedef struct ucount {
	struct ucount *next;
	str user;
	int n;
} ucount_t;
#define UC_SLOTS 256
static ucount_t *uc[UC_SLOTS];

static ucount_t *ucount_get(db1_con_t *con, db_func_t *dbf, str *user)
{
	unsigned int hv = 0;
	int i;
	ucount_t *u;
	db_key_t k[1] = {&c_user}, cols[1] = {&c_id};
	db_val_t v[1];
	db1_res_t *res = NULL;

	for(i = 0; i < user->len; i++)
		hv = hv * 31 + (unsigned char)user->s[i];
	hv %= UC_SLOTS;
	for(u = uc[hv]; u; u = u->next)
		if(u->user.len == user->len && memcmp(u->user.s, user->s, user->len) == 0)
			return u;
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_NULL(&v[0]) = 0;
	VAL_STR(&v[0]) = *user;
	if(dbf->use_table(con, &t_store) < 0
			|| dbf->query(con, k, 0, v, cols, 1, 1, 0, &res) < 0 || res == NULL)
		return NULL;
	u = pkg_malloc(sizeof(*u) + user->len);
	if(u == NULL) {
		dbf->free_result(con, res);
		return NULL;
	}
	u->user.s = (char *)(u + 1);
	memcpy(u->user.s, user->s, user->len);
	u->user.len = user->len;
	u->n = RES_ROW_N(res);
	dbf->free_result(con, res);
	u->next = uc[hv];
	uc[hv] = u;
	return u;
}

static void ucount_flush(void)
{
	ucount_t *u, *n;
	int i;

	for(i = 0; i < UC_SLOTS; i++) {
		for(u = uc[i]; u; u = n) {
			n = u->next;
			pkg_free(u);
		}
		uc[i] = NULL;
	}
}

static void ucount_dec(db1_con_t *con, db_func_t *dbf, str *user)
{
	ucount_t *u = ucount_get(con, dbf, user);
	if(u && u->n > 0)
		u->n--;
}

static int load_next_id(db1_con_t *con, db_func_t *dbf)
{
	db1_res_t *res = NULL;
	str q = str_init("SELECT MAX(id) FROM cpm_store");

	if(dbf->raw_query(con, &q, &res) < 0 || res == NULL)
		return -EIO;
	next_id = 0;
	if(RES_ROW_N(res) > 0)
		next_id = cpmpf_db_val_ll(&ROW_VALUES(&RES_ROWS(res)[0])[0], 0);
	dbf->free_result(con, res);
	return 0;
}

/* one row by the DB API (values bound): PostgreSQL, a row the multi-row
 * statement cannot carry, and the fallback of a failed multi-row one */
static int store_insert_one(db1_con_t *con, db_func_t *dbf, str *s,
		long long id, long long now)
{
	db_key_t k[11] = {&c_id, &c_user, &c_ruri, &c_from, &c_to, &c_hdrs,
			&c_body, &c_conv, &c_contrib, &c_stored, &c_expires};
	db_val_t v[11];
	int i;

	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_BIGINT;
	VAL_BIGINT(&v[0]) = id;
	for(i = 1; i <= 8; i++) {
		VAL_TYPE(&v[i]) = DB1_STR;
		VAL_STR(&v[i]) = s[i - 1];
	}
	/* the body as a BLOB: byte for byte, whatever it holds */
	VAL_TYPE(&v[6]) = DB1_BLOB;
	VAL_BLOB(&v[6]) = s[S_BODY];
	VAL_STR(&v[7]) = s[S_CONV];
	VAL_STR(&v[8]) = s[S_CONTRIB];
	VAL_TYPE(&v[9]) = DB1_BIGINT;
	VAL_BIGINT(&v[9]) = now;
	VAL_TYPE(&v[10]) = DB1_BIGINT;
	VAL_BIGINT(&v[10]) = now + cpmpf_store_expiry;
	if(dbf->use_table(con, &t_store) < 0 || dbf->insert(con, k, v, 11) < 0) {
		LM_ERR("cannot store message %lld for %.*s\n", id, s[S_USER].len,
				s[S_USER].s);
		return -EIO;
	}
	return 0;
}

/* ---- the keys of stored requests (cpm_store_key) ----
 * A retransmission of a stored request must get 202 again, never a second
 * copy, also when Kamailio was killed after the COMMIT (before or after the
 * 202 left, or the 202 was lost) and restarted within the sender's Timer F
 * (RFC 3261 17.1.2.2: 64*T1 = 32 s): the shm table is gone then.  So the
 * writer writes the key in the SAME transaction as the message (the COMMIT
 * holds both or neither) and mod_init loads the unexpired keys back into
 * the table as stored, before any SIP worker runs. */
/* the values of one cpm_store_key row: (c_key, c_expires) */
static void key_vals(db_val_t v[2], str *key, long long expires)
{
	memset(v, 0, 2 * sizeof(v[0]));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]) = *key;
	VAL_TYPE(&v[1]) = DB1_BIGINT;
	VAL_BIGINT(&v[1]) = expires;
}

static int key_insert_one(db1_con_t *con, db_func_t *dbf, str *key,
		long long expires)
{
	db_key_t k[2] = {&c_key, &c_expires};
	db_val_t v[2];

	key_vals(v, key, expires);
	if(dbf->use_table(con, &t_key) < 0 || dbf->insert(con, k, v, 2) < 0) {
		LM_ERR("cannot record the key of a stored request (cpm_store_key;"
			   " mk/dbinit.sh creates it)\n");
		return -EIO;
	}
	return 0;
}

/* undo a store whose message row is written but whose key is not (the
 * batch commits the other jobs): its row, its IMDN row, its count */
static void store_undo(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job,
		str *s)
{
	db_key_t k[1] = {&c_id};
	db_val_t v[1];
	ucount_t *u;

	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_BIGINT;
	VAL_BIGINT(&v[0]) = job->lval;
	if(dbf->use_table(con, &t_store) < 0 || dbf->delete(con, k, 0, v, 1) < 0)
		LM_ERR("cannot remove message %lld whose key failed\n", job->lval);
	cpmpf_imdn_forget(con, dbf, job->lval);
	if((u = ucount_get(con, dbf, &s[S_USER])) != NULL && u->n > 0)
		u->n--;
	job->rc = -EIO;
}

/* ---- the batch's stores as ONE multi-row INSERT (SQLite) ----
 * db_sqlite prepares every statement anew (no statement cache in 5.6): a
 * batch of N single-row inserts costs N SQL parses and query builds, most
 * of the writer's CPU per store once group commit shares the sync
 * (docs/benchmarks.md "Deferred store vs msilo").  So on SQLite store_exec()
 * keeps each row back as literals (cpmpf_sql_text/blob, unit-tested against
 * SQLite itself) and store_flush() sends them as one statement before any
 * job of another type runs and before COMMIT (cpmpf_dbq.c): the rows are in
 * the database before anything in the batch could read them, and no 202
 * leaves before the COMMIT that holds them.  PostgreSQL keeps the bound
 * single-row insert (libpq's statement costs Kamailio little, and its
 * string escaping depends on server settings). */
#define MR_ROWS 128
#define MR_BYTES (256 * 1024)
static const char mr_head[] =
		"INSERT INTO cpm_store (id,username,ruri,from_hdr,to_hdr,hdrs,body,"
		"conversation_id,contribution_id,stored,expires) VALUES ";
static int mr_on = -1; /* -1 not decided yet, 0 bound inserts, 1 multi-row */
static char *mr_buf = NULL;
static int mr_size = 0, mr_len = 0, mr_n = 0;
static cpmpf_job_t *mr_job[MR_ROWS];
static long long mr_now[MR_ROWS];

static int store_flush(db1_con_t *con, db_func_t *dbf);

/* the keys of the rows just written (those of a store without a
 * transaction), one multi-row INSERT; when it fails, each key again on its
 * own, and a store whose key cannot be written is undone */
static void keys_flush(db1_con_t *con, db_func_t *dbf)
{
	static const char head[] = "INSERT INTO cpm_store_key (msg_key,expires)"
							   " VALUES ";
	db1_res_t *res = NULL;
	str q, s[S_N];
	char *p;
	int i, n = 0, need = sizeof(head), l, rc = -1;

	for(i = 0; i < mr_n; i++) {
		if(mr_job[i]->rc != STORE_OK || cpmpf_job_strs(mr_job[i], s, S_N) < 0
				|| s[S_KEY].len <= 0)
			continue;
		l = cpmpf_sql_text_len(&s[S_KEY]);
		if(l < 0) {
			need = -1; /* not a literal: bound inserts */
			break;
		}
		need += l + 24;
		n++;
	}
	if(n == 0)
		return;
	q.s = need > 0 ? pkg_malloc(need) : NULL;
	if(q.s != NULL) {
		memcpy(q.s, head, sizeof(head) - 1);
		p = q.s + sizeof(head) - 1;
		n = 0;
		for(i = 0; i < mr_n; i++) {
			if(mr_job[i]->rc != STORE_OK
					|| cpmpf_job_strs(mr_job[i], s, S_N) < 0
					|| s[S_KEY].len <= 0)
				continue;
			if(n++)
				*p++ = ',';
			*p++ = '(';
			p += cpmpf_sql_text(p, need, &s[S_KEY]);
			p += sprintf(p, ",%lld)", mr_now[i] + SEEN_STORED_S);
		}
		q.len = p - q.s;
		rc = dbf->raw_query(con, &q, &res);
		if(res)
			dbf->free_result(con, res);
		pkg_free(q.s);
		if(rc == 0)
			return;
		LM_ERR("the multi-row insert of %d keys failed: one by one\n", n);
	}
	for(i = 0; i < mr_n; i++) {
		if(mr_job[i]->rc != STORE_OK || cpmpf_job_strs(mr_job[i], s, S_N) < 0
				|| s[S_KEY].len <= 0)
			continue;
		if(key_insert_one(con, dbf, &s[S_KEY], mr_now[i] + SEEN_STORED_S) < 0)
			store_undo(con, dbf, mr_job[i], s);
	}
}

/* keep the row back; 0 kept, -EINVAL it cannot be a literal (a NUL byte)
 * or is too big: the caller inserts it itself */
static int mr_add(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job, str *s,
		long long id, long long now)
{
	static const int txt[] = {S_USER, S_RURI, S_FROM, S_TO, S_HDRS, S_CONV,
			S_CONTRIB};
	int need = 2 + 3 * 21 + 12, i, n;
	char *p;

	if(mr_on < 0)
		mr_on = cpmpf_db_url.len >= 7
				&& strncmp(cpmpf_db_url.s, "sqlite:", 7) == 0;
	if(!mr_on)
		return -EINVAL;
	for(i = 0; i < 7; i++) {
		n = cpmpf_sql_text_len(&s[txt[i]]);
		if(n < 0)
			return -EINVAL;
		need += n;
	}
	need += cpmpf_sql_blob_len(&s[S_BODY]);
	if(need > MR_BYTES)
		return -EINVAL;
	if(mr_n == MR_ROWS || (mr_n > 0 && mr_len + need > MR_BYTES))
		store_flush(con, dbf);
	if(mr_n == 0)
		mr_len = sizeof(mr_head) - 1;
	if(mr_len + need > mr_size) {
		n = mr_len + need > 64 * 1024 ? mr_len + need : 64 * 1024;
		p = pkg_realloc(mr_buf, n);
		if(p == NULL) {
			PKG_MEM_ERROR;
			return -EINVAL;
		}
		mr_buf = p;
		mr_size = n;
	}
	if(mr_n == 0)
		memcpy(mr_buf, mr_head, mr_len);
	p = mr_buf + mr_len;
	p += sprintf(p, "%s(%lld,", mr_n ? "," : "", id);
	for(i = 0; i < 5; i++) { /* username ruri from_hdr to_hdr hdrs */
		p += cpmpf_sql_text(p, need, &s[txt[i]]);
		*p++ = ',';
	}
	p += cpmpf_sql_blob(p, need, &s[S_BODY]);
	for(i = 5; i < 7; i++) { /* conversation_id contribution_id */
		*p++ = ',';
		p += cpmpf_sql_text(p, need, &s[txt[i]]);
	}
	p += sprintf(p, ",%lld,%lld)", now, now + (long long)cpmpf_store_expiry);
	mr_len = p - mr_buf;
	mr_job[mr_n] = job;
	mr_now[mr_n] = now;
	mr_n++;
	return 0;
}

/* send the rows kept back; when the statement fails, each row again on its
 * own (bound), so that one bad row fails only its own store, as before */
static int store_flush(db1_con_t *con, db_func_t *dbf)
{
	db1_res_t *res = NULL;
	str q, s[S_N];
	ucount_t *u;
	int i, rc;

	if(mr_n == 0)
		return 0;
	q.s = mr_buf;
	q.len = mr_len;
	/* db_sqlite steps a raw statement only when a result is asked for */
	rc = dbf->raw_query(con, &q, &res);
	if(res)
		dbf->free_result(con, res);
	if(rc < 0) {
		LM_ERR("the multi-row insert of %d stores failed: one by one\n",
				mr_n);
		for(i = 0; i < mr_n; i++) {
			if(cpmpf_job_strs(mr_job[i], s, S_N) == 0
					&& store_insert_one(con, dbf, s, mr_job[i]->lval,
							   mr_now[i])
							   == 0)
				continue;
			mr_job[i]->rc = -EIO;
			/* the batch commits the other jobs: no IMDN row without
			 * its message, and the user's count as it was */
			cpmpf_imdn_forget(con, dbf, mr_job[i]->lval);
			if(cpmpf_job_strs(mr_job[i], s, S_N) == 0
					&& (u = ucount_get(con, dbf, &s[S_USER])) != NULL
					&& u->n > 0)
				u->n--;
		}
	}
	keys_flush(con, dbf);
	mr_n = 0;
	mr_len = 0;
	return 0;
}

/* remove the key row a failed store wrote (key and expiry: another row of
 * the same key, if a sender reused it, stays) */
static void key_forget(db1_con_t *con, db_func_t *dbf, str *key,
		long long expires)
{
	db_key_t k[2] = {&c_key, &c_expires};
	db_val_t v[2];

	key_vals(v, key, expires);
	if(dbf->use_table(con, &t_key) < 0 || dbf->delete(con, k, 0, v, 2) < 0)
		LM_ERR("cannot remove the key of a failed store\n");
}

static int store_exec(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	str s[S_N];
	ucount_t *u;
	long long now = (long long)time(NULL);

	if(cpmpf_job_strs(job, s, S_N) < 0)
		return -EINVAL;
	if(next_id < 0 && load_next_id(con, dbf) < 0)
		return -EIO;
	u = ucount_get(con, dbf, &s[S_USER]);
	if(u == NULL)
		return -EIO;
	if(u->n >= cpmpf_store_max)
		return STORE_FULL;
	/* IMDN (cpmpf_imdn.c): its row in the same transaction */
	if(cpmpf_imdn_store_exec(con, dbf, next_id + 1, &s[S_IMDN]) < 0)
		return -EIO;
	if(mr_add(con, dbf, job, s, next_id + 1, now) < 0) {
		/* written now, its key (store without a transaction) first: a
		 * failed key fails the store before its row exists */
		if((s[S_KEY].len > 0
				   && key_insert_one(con, dbf, &s[S_KEY], now + SEEN_STORED_S)
							  < 0)
				|| store_insert_one(con, dbf, s, next_id + 1, now) < 0) {
			/* the batch commits the other jobs: no IMDN row (nor key)
			 * without its message (the id is used again by the next
			 * store) */
			cpmpf_imdn_forget(con, dbf, next_id + 1);
			if(s[S_KEY].len > 0)
				key_forget(con, dbf, &s[S_KEY], now + SEEN_STORED_S);
			return -EIO;
		}
	}
	next_id++;
	u->n++;
	job->lval = next_id;
	return STORE_OK;
}

/* the writer answers a store that has no transaction: the key is marked
 * stored (a retransmission gets 202 again) or forgotten (a retransmission
 * is a new attempt) before the answer leaves; then the script's route runs
 * on the request rebuilt from the job's copy, as it arrived (source address,
 * socket, TCP connection, the worker's flags such as force_rport), and its
 * send_reply() answers statelessly (sl).  The copy lives in the job: pkg
 * only for the parse. */
static void store_done_stateless(cpmpf_job_t *job, str *s)
{
	static unsigned int fake_id = 0;
	sip_msg_t msg;
	store_rcv_t rf;
	struct run_act_ctx ctx;
	sr_kemi_eng_t *keng;
	char rn[128], *buf;
	int ri, rt, i;
	long long now = (long long)time(NULL);
	cpmpf_job_t *rec;

	lock_get(seen_lock);
	cpmpf_seen_set(seen, &s[S_KEY], job->rc == STORE_OK ? CPMPF_SEEN_STORED : 0,
			now + SEEN_STORED_S, seen_shm_free);
	lock_release(seen_lock);
	/* the records the request held: accepted (202) -> the history, else
	 * dropped as for any refusal */
	for(i = 0; i + (int)sizeof(rec) <= s[S_RECS].len; i += sizeof(rec)) {
		memcpy(&rec, s[S_RECS].s + i, sizeof(rec));
		if(job->rc == STORE_OK)
			cpmpf_record_queue(rec);
		else
			shm_free(rec);
	}
	if(s[S_RCV].len != (int)sizeof(rf))
		return;
	memcpy(&rf, s[S_RCV].s, sizeof(rf));
	buf = pkg_malloc(s[S_REQ].len + 1);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		return;
	}
	memcpy(buf, s[S_REQ].s, s[S_REQ].len);
	buf[s[S_REQ].len] = '\0';
	if(build_sip_msg_from_buf(&msg, buf, s[S_REQ].len, ++fake_id) < 0) {
		LM_ERR("cannot parse the stored request again to answer it\n");
		pkg_free(buf);
		return;
	}
	msg.rcv = rf.rcv;
	msg.msg_flags |= rf.msg_flags;
	/* no transaction of another job may answer for this one */
	tmb.t_sett(T_UNDEFINED, T_BR_UNDEFINED);
	rt = get_route_type();
	set_route_type(REQUEST_ROUTE);
	keng = sr_kemi_eng_get();
	if(keng == NULL) {
		if(s[S_ROUTE].len < (int)sizeof(rn)) {
			memcpy(rn, s[S_ROUTE].s, s[S_ROUTE].len);
			rn[s[S_ROUTE].len] = '\0';
			ri = route_lookup(&main_rt, rn);
			if(ri >= 0 && main_rt.rlist[ri] != NULL) {
				init_run_actions_ctx(&ctx);
				run_top_route(main_rt.rlist[ri], &msg, &ctx);
			} else
				LM_ERR("no route[%s] to answer the store in\n", rn);
		}
	} else if(sr_kemi_route(keng, &msg, EVENT_ROUTE, &s[S_ROUTE], NULL) < 0)
		LM_ERR("the store's answer route %.*s failed\n", s[S_ROUTE].len,
				s[S_ROUTE].s);
	set_route_type(rt);
	ksr_msg_env_reset();
	free_sip_msg(&msg);
	pkg_free(buf);
}

static void store_done(cpmpf_job_t *job)
{
	str s[S_N];
	char rn[128];
	int ri, rc;

	if(job->rc == STORE_OK)
		counter_inc(st_deferred);
	else if(job->rc == STORE_FULL)
		counter_inc(st_full);
	else {
		counter_inc(st_failed);
		/* a failed COMMIT undoes what exec() counted: recount from the
		 * database on next use */
		ucount_flush();
	}
	if(cpmpf_job_strs(job, s, S_N) < 0)
		return;
	resume_rc = job->rc == STORE_OK ? STORE_OK
								   : (job->rc == STORE_FULL ? STORE_FULL : -1);
	if(s[S_REQ].len > 0) {
		store_done_stateless(job, s);
		resume_rc = 0;
		return;
	}
	if(sr_kemi_eng_get() == NULL) {
		if(s[S_ROUTE].len >= (int)sizeof(rn))
			return;
		memcpy(rn, s[S_ROUTE].s, s[S_ROUTE].len);
		rn[s[S_ROUTE].len] = '\0';
		ri = route_lookup(&main_rt, rn);
		if(ri < 0 || main_rt.rlist[ri] == NULL) {
			LM_ERR("no route[%s] to resume the store in\n", rn);
			return;
		}
		rc = tmb.t_continue(job->t_hash, job->t_label, main_rt.rlist[ri]);
	} else {
		rc = tmb.t_continue_cb(job->t_hash, job->t_label, &s[S_ROUTE], NULL);
	}
	if(rc < 0)
		LM_ERR("cannot resume the transaction after the store (%d)\n", rc);
	resume_rc = 0;
}

/* ---- delivery sessions: one per (user, device) being served ---- */
typedef struct session {
	struct session *next;
	str user, device, contact, received; /* one pkg block with the struct */
	long long *ids;
	int n, pos;
	long ticket; /* of the request in flight; 0 none */
	int state;   /* S_NEW, S_WAIT, S_NEXT, S_STOP */
} session_t;
enum { SS_NEW, SS_WAIT, SS_NEXT, SS_STOP };
static session_t *sessions = NULL;
static long last_ticket = 0;

static session_t *session_find(str *user, str *device)
{
	session_t *x;
	for(x = sessions; x; x = x->next)
		if(STR_EQ(x->user, *user) && STR_EQ(x->device, *device))
			return x;
	return NULL;
}

static void session_free(session_t *x)
{
	session_t **pp;
	for(pp = &sessions; *pp; pp = &(*pp)->next)
		if(*pp == x) {
			*pp = x->next;
			break;
		}
	if(x->ids)
		pkg_free(x->ids);
	pkg_free(x);
}

static session_t *session_new(str *user, str *device, str *contact,
		str *received)
{
	session_t *x;
	char *p;

	x = pkg_malloc(sizeof(*x) + user->len + device->len + contact->len
				   + received->len + 4);
	if(x == NULL) {
		PKG_MEM_ERROR;
		return NULL;
	}
	memset(x, 0, sizeof(*x));
	p = (char *)(x + 1);
#define CP(f, v)                  \
	x->f.s = p;                   \
	memcpy(p, (v)->s, (v)->len);  \
	x->f.len = (v)->len;          \
	p += (v)->len;                \
	*p++ = '\0';
	CP(user, user);
	CP(device, device);
	CP(contact, contact);
	CP(received, received);
#undef CP
	x->next = sessions;
	sessions = x;
	return x;
}

static int query_ids(db1_con_t *con, db_func_t *dbf, str *table, db_key_t *k,
		db_val_t *v, int nk, str *col, long long **out)
{
	db_key_t cols[1] = {col};
	db1_res_t *res = NULL;
	int i, n;

	*out = NULL;
	if(dbf->use_table(con, table) < 0
			|| dbf->query(con, k, 0, v, cols, nk, 1, col, &res) < 0
			|| res == NULL)
		return -EIO;
	n = RES_ROW_N(res);
	if(n > 0) {
		*out = pkg_malloc(sizeof(long long) * n);
		if(*out == NULL) {
			dbf->free_result(con, res);
			return -ENOMEM;
		}
		for(i = 0; i < n; i++)
			(*out)[i] = cpmpf_db_val_ll(&ROW_VALUES(&RES_ROWS(res)[i])[0], 0);
	}
	dbf->free_result(con, res);
	return n;
}

/* the device is known for the user from its first registration on: a
 * message leaves the store once every known device has it */
static int device_remember(db1_con_t *con, db_func_t *dbf, str *user,
		str *device)
{
	db_key_t k[3] = {&c_user, &c_dev, &c_seen};
	db_val_t v[3];
	db1_res_t *res = NULL;
	int n;

	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]) = *user;
	VAL_TYPE(&v[1]) = DB1_STR;
	VAL_STR(&v[1]) = *device;
	VAL_TYPE(&v[2]) = DB1_BIGINT;
	VAL_BIGINT(&v[2]) = (long long)time(NULL);
	if(dbf->use_table(con, &t_dev) < 0
			|| dbf->query(con, k, 0, v, k, 2, 1, 0, &res) < 0 || res == NULL)
		return -EIO;
	n = RES_ROW_N(res);
	dbf->free_result(con, res);
	if(n > 0)
		return 0;
	return dbf->insert(con, k, v, 3) < 0 ? -EIO : 0;
}

typedef struct ct {
	str device, contact, received;
} ct_t;

static int registered_exec(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	str user;
	udomain_t *d = NULL;
	urecord_t *r = NULL;
	ucontact_t *c;
	ct_t cts[16];
	int nct = 0, i;
	time_t now = time(NULL);
	session_t *x;

	if(cpmpf_job_strs(job, &user, 1) < 0 || !have_ul)
		return -EINVAL;
	if(ul.get_udomain("location", &d) < 0)
		return -EINVAL;
	/* copy the user's live contacts under usrloc's lock, then let go */
	ul.lock_udomain(d, &user);
	if(ul.get_urecord(d, &user, &r) == 0) {
		for(c = r->contacts; c && nct < 16; c = c->next) {
			if(c->expires != 0 && c->expires <= now)
				continue;
			str *dv = c->instance.len > 0 ? &c->instance : &c->c;
			cts[nct].device.s = pkg_malloc(dv->len + c->c.len + c->received.len + 3);
			if(cts[nct].device.s == NULL)
				break;
			cts[nct].device.len = dv->len;
			memcpy(cts[nct].device.s, dv->s, dv->len);
			cts[nct].contact.s = cts[nct].device.s + dv->len + 1;
			cts[nct].contact.len = c->c.len;
			memcpy(cts[nct].contact.s, c->c.s, c->c.len);
			cts[nct].received.s = cts[nct].contact.s + c->c.len + 1;
			cts[nct].received.len = c->received.len;
			if(c->received.len)
				memcpy(cts[nct].received.s, c->received.s, c->received.len);
			nct++;
		}
	}
	ul.unlock_udomain(d, &user);

	for(i = 0; i < nct; i++) {
		if(device_remember(con, dbf, &user, &cts[i].device) < 0)
			LM_ERR("cannot record device %.*s of %.*s\n", cts[i].device.len,
					cts[i].device.s, user.len, user.s);
		if((x = session_find(&user, &cts[i].device)) != NULL) {
			/* a delivery runs: it continues (no second copy in flight);
			 * a later store reaches the device directly */
			continue;
		}
		/* the pending list is read in done(), after this batch's COMMIT:
		 * a store queued in the same batch as this registration is then
		 * seen and delivered too */
		if((x = session_new(&user, &cts[i].device, &cts[i].contact,
					&cts[i].received))
				!= NULL)
			x->state = SS_NEW;
	}
	for(i = 0; i < nct; i++)
		pkg_free(cts[i].device.s);
	return 0;
}

static db1_con_t *w_con = NULL;
static db_func_t *w_dbf = NULL;

/* (re)load the session's pending list: the user's stored ids minus those
 * the device accepted, in store order; the number pending, or < 0 */
static int session_load(session_t *x)
{
	db_key_t kk[2] = {&c_user, &c_dev};
	db_val_t v[2];
	long long *all = NULL, *done = NULL;
	int n, m, k;

	if(x->ids)
		pkg_free(x->ids);
	x->ids = NULL;
	x->n = x->pos = 0;
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]) = x->user;
	VAL_TYPE(&v[1]) = DB1_STR;
	VAL_STR(&v[1]) = x->device;
	n = query_ids(w_con, w_dbf, &t_store, kk, v, 1, &c_id, &all);
	if(n <= 0)
		return n;
	m = query_ids(w_con, w_dbf, &t_deliv, kk, v, 2, &c_msg, &done);
	if(m < 0) {
		pkg_free(all);
		return m;
	}
	k = cpmpf_pending(all, n, done, m, all);
	if(done)
		pkg_free(done);
	if(k == 0) {
		pkg_free(all);
		return 0;
	}
	x->ids = all;
	x->n = k;
	return k;
}

/* send the session's next message (writer, outside a transaction) */
static void session_send_next(session_t *x)
{
	int reloaded = 0;

	db_key_t k[1] = {&c_id};
	db_key_t cols[4] = {&c_from, &c_to, &c_hdrs, &c_body};
	db_val_t v[1];
	db1_res_t *res = NULL;
	str from, to, hdrs, body, method = str_init("MESSAGE");
	uac_req_t uac_r;
	db_val_t *row;

	for(;;) {
		if(x->pos >= x->n) {
			/* the list is done: messages stored meanwhile (e.g. in the
			 * same batch as a re-registration) are picked up here; once
			 * per completed list, so a device that takes none stops */
			if(reloaded || session_load(x) <= 0)
				break;
			reloaded = 1;
		}
		memset(v, 0, sizeof(v));
		VAL_TYPE(&v[0]) = DB1_BIGINT;
		VAL_BIGINT(&v[0]) = x->ids[x->pos];
		if(w_dbf->use_table(w_con, &t_store) < 0
				|| w_dbf->query(w_con, k, 0, v, cols, 1, 4, 0, &res) < 0
				|| res == NULL) {
			LM_ERR("cannot read stored message %lld\n", x->ids[x->pos]);
			break;
		}
		if(RES_ROW_N(res) == 0) {
			/* expired or removed meanwhile */
			w_dbf->free_result(w_con, res);
			res = NULL;
			x->pos++;
			continue;
		}
		row = ROW_VALUES(&RES_ROWS(res)[0]);
		cpmpf_db_val_str(&row[0], &from);
		cpmpf_db_val_str(&row[1], &to);
		cpmpf_db_val_str(&row[2], &hdrs);
		cpmpf_db_val_str(&row[3], &body);
		x->ticket = ++last_ticket;
		set_uac_req(&uac_r, &method, &hdrs, &body, 0, TMCB_LOCAL_COMPLETED,
				delivery_cb, (void *)x->ticket);
		/* Request-URI: the device's contact; To and From as delivered
		 * then; a new Call-ID (a new transaction, RFC 3428) */
		if(tmb.t_request(&uac_r, &x->contact, &to, &from,
				   x->received.len ? &x->received : NULL)
				< 0) {
			LM_ERR("cannot send stored message %lld to %.*s\n",
					x->ids[x->pos], x->contact.len, x->contact.s);
			w_dbf->free_result(w_con, res);
			break;
		}
		w_dbf->free_result(w_con, res);
		x->state = SS_WAIT;
		return;
	}
	session_free(x);
}

static void registered_done(cpmpf_job_t *job)
{
	session_t *x, *n;
	ucount_t *u;

	for(x = sessions; x; x = n) {
		n = x->next;
		if(x->state != SS_NEW)
			continue;
		/* nothing stored for the user (the count includes this batch) */
		u = ucount_get(w_con, w_dbf, &x->user);
		if(job->rc < 0 || (u && u->n == 0) || session_load(x) <= 0)
			session_free(x);
		else
			session_send_next(x);
	}
}

/* a message leaves the store once every device known for the user has it */
static int maybe_remove(db1_con_t *con, db_func_t *dbf, session_t *x,
		long long id)
{
	db_key_t k1[1] = {&c_user}, k2[1] = {&c_msg}, k3[1] = {&c_id};
	db_key_t cd[1] = {&c_dev};
	db_val_t v[1];
	db1_res_t *r1 = NULL, *r2 = NULL;
	str *devs = NULL, *got = NULL;
	int i, nd, ng, all = 0, rc = 0;

	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]) = x->user;
	if(dbf->use_table(con, &t_dev) < 0
			|| dbf->query(con, k1, 0, v, cd, 1, 1, 0, &r1) < 0 || r1 == NULL)
		return -EIO;
	VAL_TYPE(&v[0]) = DB1_BIGINT;
	VAL_BIGINT(&v[0]) = id;
	if(dbf->use_table(con, &t_deliv) < 0
			|| dbf->query(con, k2, 0, v, cd, 1, 1, 0, &r2) < 0 || r2 == NULL) {
		rc = -EIO;
		goto done;
	}
	nd = RES_ROW_N(r1);
	ng = RES_ROW_N(r2);
	devs = pkg_malloc(sizeof(str) * (nd + ng + 1));
	if(devs == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	got = devs + nd;
	for(i = 0; i < nd; i++)
		cpmpf_db_val_str(&ROW_VALUES(&RES_ROWS(r1)[i])[0], &devs[i]);
	for(i = 0; i < ng; i++)
		cpmpf_db_val_str(&ROW_VALUES(&RES_ROWS(r2)[i])[0], &got[i]);
	all = cpmpf_all_delivered(devs, nd, got, ng);
	if(all) {
		if(dbf->use_table(con, &t_deliv) < 0
				|| dbf->delete(con, k2, 0, v, 1) < 0
				|| dbf->use_table(con, &t_store) < 0
				|| dbf->delete(con, k3, 0, v, 1) < 0
				|| cpmpf_imdn_forget(con, dbf, id) < 0)
			rc = -EIO;
		else
			ucount_dec(con, dbf, &x->user);
	}
done:
	if(devs)
		pkg_free(devs);
	if(r1)
		dbf->free_result(con, r1);
	if(r2)
		dbf->free_result(con, r2);
	return rc;
}

static int result_exec(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	session_t *x;
	db_key_t k[4] = {&c_msg, &c_dev, &c_user, &c_time};
	db_val_t v[4];

	for(x = sessions; x; x = x->next)
		if(x->state == SS_WAIT && x->ticket == (long)job->lval)
			break;
	if(x == NULL)
		return -ENOENT;
	if(job->ival < 200 || job->ival >= 300) {
		/* stays stored; tried again at the device's next registration */
		LM_DBG("device %.*s of %.*s refused stored message %lld (%d)\n",
				x->device.len, x->device.s, x->user.len, x->user.s,
				x->ids[x->pos], job->ival);
		x->state = SS_STOP;
		/* IMDN: refused for good -> negative-delivery IMDN, once */
		return cpmpf_imdn_refused(con, dbf, x->ids[x->pos], job->ival);
	}
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_BIGINT;
	VAL_BIGINT(&v[0]) = x->ids[x->pos];
	VAL_TYPE(&v[1]) = DB1_STR;
	VAL_STR(&v[1]) = x->device;
	VAL_TYPE(&v[2]) = DB1_STR;
	VAL_STR(&v[2]) = x->user;
	VAL_TYPE(&v[3]) = DB1_BIGINT;
	VAL_BIGINT(&v[3]) = (long long)time(NULL);
	if(dbf->use_table(con, &t_deliv) < 0 || dbf->insert(con, k, v, 4) < 0) {
		x->state = SS_STOP;
		return -EIO;
	}
	if(maybe_remove(con, dbf, x, x->ids[x->pos]) < 0) {
		x->state = SS_STOP;
		return -EIO;
	}
	x->state = SS_NEXT;
	return 0;
}

static void result_done(cpmpf_job_t *job)
{
	session_t *x;

	/* IMDN: what the batch queued, sent once it is committed */
	cpmpf_imdn_flush(job->rc != -EIO);
	for(x = sessions; x; x = x->next)
		if(x->ticket == (long)job->lval)
			break;
	if(x == NULL)
		return;
	if(job->rc < 0 || x->state != SS_NEXT) {
		/* not committed, or refused: the device gets it at its next
		 * registration (at-least-once) */
		session_free(x);
		return;
	}
	counter_inc(st_delivered);
	x->pos++;
	session_send_next(x);
}

/* expiry: a message leaves the store `store_expiry` seconds after it came */
static void store_tick(db1_con_t *con, db_func_t *dbf)
{
	char q[256];
	str qs, user;
	db1_res_t *res = NULL;
	int i, n;
	long long now = (long long)time(NULL);

	w_con = con;
	w_dbf = dbf;
	if(seen) {
		/* keys no retransmission can come for any more */
		lock_get(seen_lock);
		cpmpf_seen_sweep(seen, now, seen_shm_free);
		lock_release(seen_lock);
	}
	/* keys no retransmission can come for any more (their own statement:
	 * a failure here leaves them for the next sweep); only stores without
	 * a transaction write them */
	if(seen) {
		snprintf(q, sizeof(q),
				"DELETE FROM cpm_store_key WHERE expires <= %lld", now);
		cpmpf_db_exec(con, dbf, q);
	}
	qs.s = q;
	qs.len = snprintf(q, sizeof(q),
			"SELECT id, username FROM cpm_store WHERE expires <= %lld", now);
	if(dbf->raw_query(con, &qs, &res) < 0 || res == NULL)
		return;
	n = RES_ROW_N(res);
	if(n == 0) {
		dbf->free_result(con, res);
		return;
	}
	if(cpmpf_db_exec(con, dbf, "BEGIN") < 0) {
		dbf->free_result(con, res);
		return;
	}
	/* IMDN: negative-delivery notifications of what expires */
	if(cpmpf_imdn_expiring(con, dbf, now) < 0)
		goto rollback;
	snprintf(q, sizeof(q),
			"DELETE FROM cpm_store_delivery WHERE msg_id IN "
			"(SELECT id FROM cpm_store WHERE expires <= %lld)",
			now);
	if(cpmpf_db_exec(con, dbf, q) < 0)
		goto rollback;
	snprintf(q, sizeof(q), "DELETE FROM cpm_store WHERE expires <= %lld", now);
	if(cpmpf_db_exec(con, dbf, q) < 0)
		goto rollback;
	if(cpmpf_db_exec(con, dbf, "COMMIT") < 0)
		goto rollback;
	for(i = 0; i < n; i++) {
		if(cpmpf_db_val_str(&ROW_VALUES(&RES_ROWS(res)[i])[1], &user) == 0)
			ucount_dec(con, dbf, &user);
	}
	counter_add(st_expired, n);
	dbf->free_result(con, res);
	cpmpf_imdn_flush(1);
	return;
rollback:
	cpmpf_db_exec(con, dbf, "ROLLBACK");
	cpmpf_imdn_flush(0);
	dbf->free_result(con, res);
}

/* the writer's handlers keep its connection for sends outside a batch */
static int store_exec_w(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	w_con = con;
	w_dbf = dbf;
	return store_exec(con, dbf, job);
}
static int store_flush_w(db1_con_t *con, db_func_t *dbf)
{
	w_con = con;
	w_dbf = dbf;
	return store_flush(con, dbf);
}
static int registered_exec_w(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	w_con = con;
	w_dbf = dbf;
	return registered_exec(con, dbf, job);
}
static int result_exec_w(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	w_con = con;
	w_dbf = dbf;
	return result_exec(con, dbf, job);
}

/* mod_init, before any SIP worker: the keys of requests stored in the
 * last SEEN_STORED_S seconds (before a crash or restart) back into the
 * retransmission table as stored; a missing table stops the start (the
 * stores would fail) */
static int seen_load(void)
{
	db_func_t dbf;
	db1_con_t *con = NULL;
	db1_res_t *res = NULL;
	db_key_t k[1] = {&c_expires}, cols[2] = {&c_key, &c_expires};
	db_op_t op[1] = {OP_GT};
	db_val_t v[1];
	db_val_t *row;
	str key;
	long long now = (long long)time(NULL), exp;
	int i, st, rc = -EIO, n = 0;

	if(db_bind_mod(&cpmpf_db_url, &dbf) < 0
			|| (con = dbf.init(&cpmpf_db_url)) == NULL) {
		LM_ERR("cannot connect to %.*s for the stored requests' keys\n",
				cpmpf_db_url.len, cpmpf_db_url.s);
		return -EIO;
	}
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_BIGINT;
	VAL_BIGINT(&v[0]) = now;
	if(dbf.use_table(con, &t_key) < 0
			|| dbf.query(con, k, op, v, cols, 1, 2, 0, &res) < 0
			|| res == NULL) {
		LM_ERR("cannot read table cpm_store_key (mk/dbinit.sh creates it)\n");
		goto done;
	}
	rc = 0;
	for(i = 0; i < RES_ROW_N(res); i++) {
		row = ROW_VALUES(&RES_ROWS(res)[i]);
		if(cpmpf_db_val_str(&row[0], &key) < 0 || key.len <= 0)
			continue;
		exp = cpmpf_db_val_ll(&row[1], 0);
		st = 0;
		rc = cpmpf_seen_add(seen, &key, now, exp, cpmpf_dbq_shm_alloc,
				seen_shm_free, &st);
		if(rc == -ENOMEM) {
			LM_ERR("no shm for the stored requests' keys\n");
			goto done;
		}
		/* a key twice (a sender reused it): the row read last sets its
		 * expiry */
		rc = 0;
		cpmpf_seen_set(seen, &key, CPMPF_SEEN_STORED, exp, seen_shm_free);
		n++;
	}
	LM_DBG("%d keys of stored requests loaded\n", n);
done:
	if(res)
		dbf.free_result(con, res);
	dbf.close(con);
	return rc;
}

int cpmpf_store_mod_init(void)
{
	cpmpf_dbq_handler_t h;
	bind_usrloc_t bind_ul;

	if(cpmpf_store_expiry < 1 || cpmpf_store_expiry > 366 * 24 * 3600) {
		LM_ERR("store_expiry %d out of range 1..31622400 s\n",
				cpmpf_store_expiry);
		return -1;
	}
	if(cpmpf_store_max < 1 || cpmpf_store_max > 1000000) {
		LM_ERR("store_max_per_user %d out of range 1..1000000\n",
				cpmpf_store_max);
		return -1;
	}
	if(cpmpf_store_sweep < 1 || cpmpf_store_sweep > 3600) {
		LM_ERR("store_sweep_interval %d out of range 1..3600 s\n",
				cpmpf_store_sweep);
		return -1;
	}
	if(cpmpf_store_stateless < 0 || cpmpf_store_stateless > 1) {
		LM_ERR("store_stateless %d: 0 or 1\n", cpmpf_store_stateless);
		return -1;
	}
	if(cpmpf_dbq_commit_delay < 0 || cpmpf_dbq_commit_delay > 100) {
		/* beyond 100 ms the sender's retransmission (T1 500 ms) comes
		 * near; PostgreSQL caps its commit_delay at 100 ms too */
		LM_ERR("commit_delay %d out of range 0..100 ms\n",
				cpmpf_dbq_commit_delay);
		return -1;
	}
	cpmpf_store_headers.len = strlen(cpmpf_store_headers.s);
	if(counter_register_array("cpm_pf", store_counters) < 0) {
		LM_ERR("cannot register the store statistics\n");
		return -1;
	}
	if(cpmpf_db_url.s == NULL || cpmpf_db_url.s[0] == '\0')
		return 0; /* no store: cpm_pf_store() fails (500) */
	cpmpf_db_url.len = strlen(cpmpf_db_url.s);
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("the deferred store needs tm\n");
		return -1;
	}
	bind_ul = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind_ul && bind_ul(&ul) == 0)
		have_ul = 1;
	else
		LM_WARN("no usrloc: stored messages are not delivered on "
				"registration\n");
	if(cpmpf_store_stateless) {
		if(sl_load_api(&slb) != 0) {
			LM_ERR("store_stateless needs the sl module\n");
			return -1;
		}
		seen = shm_malloc(sizeof(*seen));
		seen_lock = lock_alloc();
		if(seen == NULL || seen_lock == NULL || lock_init(seen_lock) == NULL) {
			LM_ERR("no shm for the store's retransmission table\n");
			return -1;
		}
		memset(seen, 0, sizeof(*seen));
		if(seen_load() < 0)
			return -1;
	}
	if(cpmpf_dbq_init(&cpmpf_db_url) < 0)
		return -1;
	memset(&h, 0, sizeof(h));
	h.exec = store_exec_w;
	h.done = store_done;
	h.group = 1; /* its 202 may wait commit_delay for a shared COMMIT */
	h.flush = store_flush_w; /* the batch's rows in one INSERT (SQLite) */
	cpmpf_dbq_register(JOB_STORE, &h);
	h.group = 0;
	h.flush = NULL;
	h.exec = registered_exec_w;
	h.done = registered_done;
	cpmpf_dbq_register(JOB_REGISTERED, &h);
	h.exec = result_exec_w;
	h.done = result_done;
	cpmpf_dbq_register(JOB_RESULT, &h);
	cpmpf_dbq_set_tick(store_tick, cpmpf_store_sweep);
	return 0;
}

int cpmpf_store_child_init(int rank)
{
	if(rank == PROC_MAIN)
		return cpmpf_dbq_fork() < 0 ? -1 : 0;
	return 0;
}

void cpmpf_store_destroy(void)
{
	if(seen) {
		cpmpf_seen_sweep(seen, 1LL << 62, seen_shm_free);
		shm_free(seen);
		seen = NULL;
	}
	if(seen_lock) {
		lock_destroy(seen_lock);
		lock_dealloc(seen_lock);
		seen_lock = NULL;
	}

	cpmpf_dbq_destroy();
}

/* ---- RPC cpm_pf.deferred_list <user> (reads in the RPC process, never in
 * a SIP worker: a connection of its own, opened on first use) ---- */
const char *cpmpf_rpc_deferred_list_doc[] = {
		"List a user's stored messages: id, from, conversation_id, "
		"contribution_id, age (s), delivered_to (devices that have it)",
		0};

void cpmpf_rpc_deferred_list(rpc_t *rpc, void *ctx)
{
	static db_func_t dbf;
	static db1_con_t *con = NULL;
	str user;
	db_key_t k[1] = {&c_user}, k2[1] = {&c_msg};
	db_key_t cols[5] = {&c_id, &c_from, &c_conv, &c_contrib, &c_stored};
	db_key_t cd[1] = {&c_dev};
	db_val_t v[1];
	db1_res_t *res = NULL, *r2 = NULL;
	db_val_t *row;
	void *th;
	char dbuf[1024];
	int dl;
	str f, cv, cb, d;
	int i, j;
	long long now = (long long)time(NULL);

	if(rpc->scan(ctx, "S", &user) < 1) {
		rpc->fault(ctx, 400, "user name expected");
		return;
	}
	if(cpmpf_db_url.len <= 0) {
		rpc->fault(ctx, 500, "no db_url");
		return;
	}
	if(con == NULL) {
		if(db_bind_mod(&cpmpf_db_url, &dbf) < 0
				|| (con = dbf.init(&cpmpf_db_url)) == NULL) {
			rpc->fault(ctx, 500, "cannot connect to the database");
			return;
		}
	}
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]) = user;
	if(dbf.use_table(con, &t_store) < 0
			|| dbf.query(con, k, 0, v, cols, 1, 5, &c_id, &res) < 0
			|| res == NULL) {
		rpc->fault(ctx, 500, "cannot read the store");
		return;
	}
	for(i = 0; i < RES_ROW_N(res); i++) {
		row = ROW_VALUES(&RES_ROWS(res)[i]);
		cpmpf_db_val_str(&row[1], &f);
		cpmpf_db_val_str(&row[2], &cv);
		cpmpf_db_val_str(&row[3], &cb);
		if(rpc->add(ctx, "{", &th) < 0)
			break;
		/* delivered_to: the devices that have it, space-separated */
		dl = 0;
		VAL_TYPE(&v[0]) = DB1_BIGINT;
		VAL_BIGINT(&v[0]) = cpmpf_db_val_ll(&row[0], 0);
		if(dbf.use_table(con, &t_deliv) == 0
				&& dbf.query(con, k2, 0, v, cd, 1, 1, 0, &r2) == 0 && r2) {
			for(j = 0; j < RES_ROW_N(r2); j++) {
				cpmpf_db_val_str(&ROW_VALUES(&RES_ROWS(r2)[j])[0], &d);
				if(dl + d.len + 2 >= (int)sizeof(dbuf))
					break;
				if(dl)
					dbuf[dl++] = ' ';
				memcpy(dbuf + dl, d.s, d.len);
				dl += d.len;
			}
			dbf.free_result(con, r2);
			r2 = NULL;
		}
		d.s = dbuf;
		d.len = dl;
		rpc->struct_add(th, "dSSSdS", "id", (int)cpmpf_db_val_ll(&row[0], 0), "from", &f,
				"conversation_id", &cv, "contribution_id", &cb, "age",
				(int)(now - cpmpf_db_val_ll(&row[4], 0)), "delivered_to", &d);
	}
	dbf.free_result(con, res);
}
