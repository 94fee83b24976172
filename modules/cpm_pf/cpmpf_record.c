/*
 * cpm_pf recording (seed 4.1; see cpmpf_record.h and docs/cpm_pf.md
 * "Recording").
 *
 * The message path reads two things, both in shm: the operator policy (one
 * int) and the user's preference (a sorted array under a short lock).  It
 * copies user, peer, the CPM identifiers, Content-Type, Call-ID and the
 * body byte for byte into ONE shm job and hands it to the writer process,
 * which inserts it in the same transaction as the other jobs of its batch.
 *
 * Only what the PF accepted is recorded: the job waits on the SIP
 * transaction (a tm callback, TMCB_RESPONSE_OUT) and is queued when the
 * final reply to the sender is a 2xx (200 delivered, 202 stored); any
 * refusal later in the routes (404, a device's 486, a full store...) or a
 * stateless reply drops it unrecorded.  The callback is registered on tm's
 * early list when no transaction exists yet (tm moves it into the
 * transaction t_relay()/t_newtran() create), so the script need not create
 * the transaction early.
 * Recording is best effort by design: unlike the deferred store it does not
 * hold the transaction (the sender's 200/202 does not wait for the
 * history); a full queue or a failed batch drops the record and counts it
 * (record_dropped).
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_uri.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_ppi_pai.h"
#include "core/pt.h"
#include "core/route.h"
#include "core/trim.h"
#include "core/xavp.h"
#include "lib/srdb1/db.h"
#include "modules/tm/tm_load.h"

#include "cpmpf_db.h"
#include "cpmpf_msg.h"
#include "cpmpf_dbq.h"
#include "cpmpf_record.h"
#include "cpmpf_record_core.h"
#include "cpmpf_orig.h"

int cpmpf_record_param = CPMPF_REC_OFF;
int cpmpf_record_queue_max = 10000;

/* the strings of a record job */
enum { R_USER, R_PEER, R_CONV, R_CONTRIB, R_INREPLY, R_CTYPE, R_CALLID,
	R_BODY, R_N };

typedef struct rec_shared {
	gen_lock_t lock;
	int policy; /* read without the lock: one int */
	cpmpf_rpref_t *prefs;
	int n;
	int cap;
} rec_shared_t;

static rec_shared_t *rec = NULL;
static struct tm_binds tmb;

/* the tm callback's parameter: the jobs of one request (orig, then term:
 * the standalone deployment records both roles of one MESSAGE) until they
 * are queued (then NULL: the queue owns them) or the transaction ends
 * without a 2xx (released).  One callback for both, because tm runs a
 * transaction's callbacks newest first: two callbacks would commit the term
 * copy before the orig copy, and the history's order (time, id) would show
 * a message received before it was sent. */
#define REC_HOLD_JOBS 2
typedef struct rec_hold {
	cpmpf_job_t *job[REC_HOLD_JOBS];
} rec_hold_t;

/* this process's hold for the request being routed (request_route only):
 * a second cpm_pf_record() of the same request joins it */
static rec_hold_t *cur_hold = NULL;
static unsigned int cur_msg_id = 0;
static int cur_pid = 0;

static str t_rec = str_init("cpm_record");
static str t_pref = str_init("cpm_record_pref");
static str c_id = str_init("id"), c_conv = str_init("conversation_id"),
		   c_contrib = str_init("contribution_id"),
		   c_inreply = str_init("inreplyto"), c_dir = str_init("direction"),
		   c_user = str_init("username"), c_peer = str_init("peer"),
		   c_time = str_init("rec_time"), c_ctype = str_init("content_type"),
		   c_body = str_init("body"), c_callid = str_init("call_id"),
		   c_record = str_init("record");


/* ---- statistics ---- */
static counter_handle_t st_recorded, st_dropped;
static counter_def_t rec_counters[] = {
	{&st_recorded, "recorded", 0, 0, 0,
			"messages written to the history (cpm_record), one per role"},
	{&st_dropped, "record_dropped", 0, 0, 0,
			"records lost: writer queue above record_queue_max, no identity,"
			" no memory, or a failed database batch"},
	{0, 0, 0, 0, 0, 0}};

/* ---- preferences: loaded at start-up and by RPC, never on the message
 * path ---- */

/* grows the array to hold one more entry; under rec->lock */
static int prefs_room(void)
{
	cpmpf_rpref_t *na;
	int ncap;

	if(rec->n < rec->cap)
		return 0;
	ncap = rec->cap ? rec->cap * 2 : 64;
	na = shm_malloc(ncap * sizeof(*na));
	if(na == NULL) {
		SHM_MEM_ERROR;
		return -ENOMEM;
	}
	if(rec->n)
		memcpy(na, rec->prefs, rec->n * sizeof(*na));
	if(rec->prefs)
		shm_free(rec->prefs);
	rec->prefs = na;
	rec->cap = ncap;
	return 0;
}

static int prefs_set(str *user, int flag)
{
	int rc;

	lock_get(&rec->lock);
	rc = prefs_room();
	if(rc == 0)
		rc = cpmpf_rpref_set(rec->prefs, &rec->n, user, flag);
	lock_release(&rec->lock);
	return rc;
}

static int prefs_get(str *user)
{
	int f;

	lock_get(&rec->lock);
	f = cpmpf_rpref_find(rec->prefs, rec->n, user);
	lock_release(&rec->lock);
	return f;
}

/* reads cpm_record_pref into the shm set (replacing it); a connection of
 * its own, closed again: mod_init or the RPC process */
static int prefs_load(void)
{
	db_func_t dbf;
	db1_con_t *con = NULL;
	db1_res_t *res = NULL;
	db_key_t cols[2] = {&c_user, &c_record};
	db_val_t *row;
	str u;
	int i, rc = -EIO;

	if(db_bind_mod(&cpmpf_db_url, &dbf) < 0
			|| (con = dbf.init(&cpmpf_db_url)) == NULL) {
		LM_ERR("cannot connect to %.*s for the recording preferences\n",
				cpmpf_db_url.len, cpmpf_db_url.s);
		return -EIO;
	}
	if(dbf.use_table(con, &t_pref) < 0
			|| dbf.query(con, 0, 0, 0, cols, 0, 2, 0, &res) < 0
			|| res == NULL) {
		LM_ERR("cannot read table cpm_record_pref (mk/dbinit.sh creates"
			   " it)\n");
		goto done;
	}
	lock_get(&rec->lock);
	rec->n = 0;
	rc = 0;
	for(i = 0; i < RES_ROW_N(res) && rc == 0; i++) {
		row = ROW_VALUES(&RES_ROWS(res)[i]);
		if(cpmpf_db_val_str(&row[0], &u) < 0 || u.len <= 0)
			continue;
		rc = prefs_room();
		if(rc == 0
				&& cpmpf_rpref_set(rec->prefs, &rec->n, &u,
						   cpmpf_db_val_ll(&row[1], 1) ? CPMPF_RPREF_IN
													   : CPMPF_RPREF_OUT)
						   < 0)
			LM_ERR("cpm_record_pref: user name too long: %.*s\n", u.len,
					u.s);
	}
	lock_release(&rec->lock);
done:
	if(res)
		dbf.free_result(con, res);
	dbf.close(con);
	return rc;
}

/* ---- the writer's handlers ---- */

static int record_exec(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	str s[R_N], dir;
	db_key_t k[11] = {&c_conv, &c_contrib, &c_inreply, &c_dir, &c_user,
			&c_peer, &c_time, &c_ctype, &c_body, &c_callid};
	db_val_t v[11];
	int i;

	if(cpmpf_job_strs(job, s, R_N) < 0)
		return -EINVAL;
	dir.s = (char *)cpmpf_record_role_name(job->ival);
	dir.len = 4;
	memset(v, 0, sizeof(v));
	for(i = 0; i < 10; i++)
		VAL_TYPE(&v[i]) = DB1_STR;
	VAL_STR(&v[0]) = s[R_CONV];
	VAL_STR(&v[1]) = s[R_CONTRIB];
	VAL_STR(&v[2]) = s[R_INREPLY];
	VAL_STR(&v[3]) = dir;
	VAL_STR(&v[4]) = s[R_USER];
	VAL_STR(&v[5]) = s[R_PEER];
	VAL_TYPE(&v[6]) = DB1_BIGINT;
	VAL_BIGINT(&v[6]) = job->lval;
	VAL_STR(&v[7]) = s[R_CTYPE];
	/* the body as a BLOB: byte for byte, whatever it holds */
	VAL_TYPE(&v[8]) = DB1_BLOB;
	VAL_BLOB(&v[8]) = s[R_BODY];
	VAL_STR(&v[9]) = s[R_CALLID];
	if(dbf->use_table(con, &t_rec) < 0 || dbf->insert(con, k, v, 10) < 0) {
		LM_ERR("cannot record the message of %.*s (%s)\n", s[R_USER].len,
				s[R_USER].s, dir.s);
		return -EIO;
	}
	return 0;
}

static void record_done(cpmpf_job_t *job)
{
	if(job->rc >= 0)
		counter_inc(st_recorded);
	else
		counter_inc(st_dropped);
}

/* a preference change: the row is replaced (delete + insert: portable
 * across SQLite and PostgreSQL), or removed for "default" */
static int pref_exec(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job)
{
	str s[1];
	db_key_t k[2] = {&c_user, &c_record};
	db_val_t v[2];

	if(cpmpf_job_strs(job, s, 1) < 0)
		return -EINVAL;
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_STR;
	VAL_STR(&v[0]) = s[0];
	VAL_TYPE(&v[1]) = DB1_INT;
	VAL_INT(&v[1]) = job->ival == CPMPF_RPREF_IN;
	if(dbf->use_table(con, &t_pref) < 0 || dbf->delete(con, k, 0, v, 1) < 0)
		return -EIO;
	if(job->ival != CPMPF_RPREF_NONE && dbf->insert(con, k, v, 2) < 0)
		return -EIO;
	return 0;
}

static void pref_done(cpmpf_job_t *job)
{
	if(job->rc < 0)
		LM_ERR("the recording preference change was not saved (it holds"
			   " until the next restart)\n");
}

int cpmpf_record_init(void)
{
	cpmpf_dbq_handler_t h;

	if(cpmpf_record_param < 0 || cpmpf_record_param > CPMPF_REC_POLICY_MAX) {
		LM_ERR("record %d out of range 0..%d\n", cpmpf_record_param,
				CPMPF_REC_POLICY_MAX);
		return -1;
	}
	if(cpmpf_record_queue_max < 1 || cpmpf_record_queue_max > 1000000) {
		LM_ERR("record_queue_max %d out of range 1..1000000\n",
				cpmpf_record_queue_max);
		return -1;
	}
	if(counter_register_array("cpm_pf", rec_counters) < 0) {
		LM_ERR("cannot register the recording statistics\n");
		return -1;
	}
	rec = shm_malloc(sizeof(*rec));
	if(rec == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(rec, 0, sizeof(*rec));
	if(lock_init(&rec->lock) == NULL) {
		shm_free(rec);
		rec = NULL;
		return -1;
	}
	rec->policy = cpmpf_record_param;
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("recording needs tm\n");
		return -1;
	}
	if(prefs_load() < 0)
		return -1;
	memset(&h, 0, sizeof(h));
	h.exec = record_exec;
	h.done = record_done;
	/* nobody waits for a recording's COMMIT: a batch of stores holding
	 * one may still wait commit_delay for more (group commit) */
	h.group = 1;
	if(cpmpf_dbq_register(CPMPF_JOB_RECORD, &h) < 0)
		return -1;
	h.exec = pref_exec;
	h.done = pref_done;
	h.group = 0;
	if(cpmpf_dbq_register(CPMPF_JOB_RECORD_PREF, &h) < 0)
		return -1;
	return 0;
}

void cpmpf_record_destroy(void)
{
	if(rec == NULL)
		return;
	if(rec->prefs)
		shm_free(rec->prefs);
	lock_destroy(&rec->lock);
	shm_free(rec);
	rec = NULL;
}

/* ---- the script function ---- */

/* the asserted originator's SIP URI: what route[PF_ORIG] asserted
 * ($xavp(cpmpf_orig), or cpm_pf_message_orig()'s state of the request),
 * else the P-Asserted-Identity that reached the
 * terminating step (route[IDENTITY] removed any from an untrusted source, so
 * it is a trusted peer's), else From (an unauthenticated request from
 * another domain: stored as received). */
static int orig_uri(sip_msg_t *msg, str *out)
{
	p_id_body_t *pai;
	str v;

	/* $xavp(cpmpf_orig), or the originating step's state of the same
	 * request (cpm_pf_message_orig()) */
	if(cpmpf_orig_value(msg, &v) == 0 && cpmpf_record_orig_sip(&v, out) == 0)
		return 0;
	if(parse_pai_header(msg) == 0 && msg->pai && msg->pai->parsed) {
		pai = get_pai(msg);
		if(pai && pai->id && pai->id->uri.len > 0) {
			*out = pai->id->uri;
			return 0;
		}
	}
	if(parse_from_header(msg) == 0 && get_from(msg)->uri.len > 0) {
		*out = get_from(msg)->uri;
		return 0;
	}
	return -1;
}

/* one record to the writer, best effort: never let the history grow the
 * queue without bound when the database is slow (the store's jobs must still
 * get in) */
void cpmpf_record_queue(cpmpf_job_t *job)
{
	if(cpmpf_dbq_depth() >= cpmpf_record_queue_max
			|| cpmpf_dbq_push(job) < 0) {
		shm_free(job);
		counter_inc(st_dropped);
	}
}

int cpmpf_record_detach(sip_msg_t *msg, cpmpf_job_t **jobs, int max)
{
	int i, n = 0;

	if(cur_hold == NULL || cur_msg_id != msg->id || cur_pid != my_pid())
		return 0;
	for(i = 0; i < REC_HOLD_JOBS && n < max; i++)
		if(cur_hold->job[i]) {
			jobs[n++] = cur_hold->job[i];
			cur_hold->job[i] = NULL;
		}
	return n;
}

/* the final reply left: a 2xx queues the records, anything else drops
 * them */
static void rec_reply_cb(struct cell *t, int type, struct tmcb_params *ps)
{
	rec_hold_t *h = ps->param ? *ps->param : NULL;
	cpmpf_job_t *job;
	int i;

	if(h == NULL || ps->code < 200)
		return;
	for(i = 0; i < REC_HOLD_JOBS; i++) {
		job = h->job[i];
		if(job == NULL)
			continue;
		h->job[i] = NULL;
		if(ps->code >= 300) {
			shm_free(job); /* refused: not recorded */
			continue;
		}
		cpmpf_record_queue(job);
	}
}

static void rec_hold_free(void *p)
{
	rec_hold_t *h = p;
	int i;

	if(h == cur_hold)
		cur_hold = NULL;
	for(i = 0; i < REC_HOLD_JOBS; i++)
		if(h->job[i])
			shm_free(h->job[i]);
	shm_free(h);
}

/* hands the job to the request's hold: joins this request's hold (a second
 * role in request_route), else a new one on a tm callback.  0 (the hold
 * owns the job), or <0 (the caller still owns it) */
static int rec_hold_add(sip_msg_t *msg, cpmpf_job_t *job)
{
	rec_hold_t *h;
	int i;

	if(cur_hold && cur_msg_id == msg->id && cur_pid == my_pid()
			&& get_route_type() == REQUEST_ROUTE) {
		for(i = 0; i < REC_HOLD_JOBS; i++)
			if(cur_hold->job[i] == NULL) {
				cur_hold->job[i] = job;
				return 0;
			}
	}
	h = shm_malloc(sizeof(*h));
	if(h == NULL) {
		SHM_MEM_ERROR;
		return -ENOMEM;
	}
	memset(h, 0, sizeof(*h));
	h->job[0] = job;
	/* on the transaction, or on tm's early list until it exists */
	if(tmb.register_tmcb(msg, 0, TMCB_RESPONSE_OUT, rec_reply_cb, h,
			   rec_hold_free)
			<= 0) {
		LM_ERR("cpm_pf_record(): cannot register the reply callback\n");
		shm_free(h);
		return -EINVAL;
	}
	if(get_route_type() == REQUEST_ROUTE) {
		cur_hold = h;
		cur_msg_id = msg->id;
		cur_pid = my_pid();
	}
	return 0;
}

int ki_cpm_pf_record(sip_msg_t *msg, str *role)
{
	int r;

	r = cpmpf_record_role(role);
	if(r < 0) {
		LM_ERR("cpm_pf_record(): role must be \"orig\" or \"term\"\n");
		return -1;
	}
	return cpmpf_record(msg, r);
}

int cpmpf_record(sip_msg_t *msg, int r)
{
	str s[R_N], ouri, ruri;
	struct sip_uri pu;
	struct timeval tv;
	cpmpf_job_t *job;
	char *body;

	/* the common case when recording is off: one int read */
	if(rec == NULL || rec->policy == CPMPF_REC_OFF)
		return 2;
	if(msg->first_line.type != SIP_REQUEST
			|| msg->first_line.u.request.method_value != METHOD_MESSAGE)
		return 2;
	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || parse_sip_msg_uri(msg) < 0) {
		LM_ERR("cpm_pf_record(): cannot parse the message\n");
		goto drop;
	}
	if(orig_uri(msg, &ouri) < 0) {
		LM_ERR("cpm_pf_record(): no originator to record\n");
		goto drop;
	}
	ruri = msg->new_uri.len ? msg->new_uri : msg->first_line.u.request.uri;
	if(r == CPMPF_REC_ORIG) {
		/* the sender's history: filed under the asserted originator's
		 * user, the peer is the recipient as addressed */
		if(parse_uri(ouri.s, ouri.len, &pu) < 0 || pu.user.len <= 0) {
			LM_ERR("cpm_pf_record(): originator %.*s has no user\n",
					ouri.len, ouri.s);
			goto drop;
		}
		s[R_USER] = pu.user;
		s[R_PEER] = ruri;
	} else {
		/* the recipient's history: the Request-URI's user (before
		 * lookup()), the peer is the asserted originator */
		s[R_USER] = msg->parsed_uri.user;
		s[R_PEER] = ouri;
	}
	if(s[R_USER].len <= 0) {
		LM_ERR("cpm_pf_record(): no user to file the record under\n");
		goto drop;
	}
	if(!cpmpf_record_decide(rec->policy, prefs_get(&s[R_USER])))
		return 2;
	cpmpf_cpm_id(msg, CPMH_ID_CONVERSATION_ID, &s[R_CONV]);
	cpmpf_cpm_id(msg, CPMH_ID_CONTRIBUTION_ID, &s[R_CONTRIB]);
	cpmpf_cpm_id(msg, CPMH_ID_INREPLYTO_CONTRIBUTION_ID, &s[R_INREPLY]);
	if(msg->content_type) {
		s[R_CTYPE] = msg->content_type->body;
		trim(&s[R_CTYPE]);
	} else {
		s[R_CTYPE].s = "";
		s[R_CTYPE].len = 0;
	}
	if(msg->callid) {
		s[R_CALLID] = msg->callid->body;
		trim(&s[R_CALLID]);
	} else {
		s[R_CALLID].s = "";
		s[R_CALLID].len = 0;
	}
	body = get_body(msg);
	s[R_BODY].s = body ? body : "";
	s[R_BODY].len = body ? (int)(msg->buf + msg->len - body) : 0;
	job = cpmpf_job_new(cpmpf_dbq_shm_alloc, CPMPF_JOB_RECORD, s, R_N);
	if(job == NULL) {
		SHM_MEM_ERROR;
		goto drop;
	}
	job->ival = r;
	gettimeofday(&tv, NULL);
	job->lval = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	if(rec_hold_add(msg, job) < 0) {
		shm_free(job);
		goto drop;
	}
	return 1;
drop:
	counter_inc(st_dropped);
	return -1;
}

/* ---- RPC: the history, read in the RPC process (not a SIP worker: the
 * message path never waits for it) over a connection of its own ---- */

static db_func_t r_dbf;
static db1_con_t *r_con = NULL;

static int rpc_db(rpc_t *rpc, void *ctx)
{
	if(r_con)
		return 0;
	if(db_bind_mod(&cpmpf_db_url, &r_dbf) < 0
			|| (r_con = r_dbf.init(&cpmpf_db_url)) == NULL) {
		rpc->fault(ctx, 500, "cannot connect to the database");
		return -1;
	}
	return 0;
}

#define HIST_LIMIT_DEFAULT 100
#define HIST_LIMIT_MAX 10000

/* lists rows matching k/v (n keys), the LAST `limit` of them in order
 * (rec_time, id): the query reads newest first, the output is reversed */
/* the recorded rows whose columns k[0..n-1] equal the strings val[], the
 * latest `limit` of them listed oldest first */
static void history_list(rpc_t *rpc, void *ctx, db_key_t *k, const str *val,
		int n, int limit)
{
	db_val_t v[2];
	db_key_t cols[11] = {&c_id, &c_time, &c_dir, &c_user, &c_peer, &c_conv,
			&c_contrib, &c_inreply, &c_ctype, &c_callid, &c_body};
	str order = str_init("rec_time DESC, id DESC");
	db1_res_t *res = NULL;
	db_val_t *row;
	str f[9];
	void *th;
	int i, j, cnt;

	if(limit < 1 || limit > HIST_LIMIT_MAX) {
		rpc->fault(ctx, 400, "limit out of range 1..10000");
		return;
	}
	memset(v, 0, sizeof(v));
	for(i = 0; i < n && i < 2; i++) {
		VAL_TYPE(&v[i]) = DB1_STR;
		VAL_STR(&v[i]) = val[i];
	}
	if(rpc_db(rpc, ctx) < 0)
		return;
	if(r_dbf.use_table(r_con, &t_rec) < 0
			|| r_dbf.query(r_con, k, 0, v, cols, n, 11, &order, &res) < 0
			|| res == NULL) {
		rpc->fault(ctx, 500, "cannot read the history");
		return;
	}
	cnt = RES_ROW_N(res) < limit ? RES_ROW_N(res) : limit;
	for(i = cnt - 1; i >= 0; i--) {
		row = ROW_VALUES(&RES_ROWS(res)[i]);
		for(j = 0; j < 9; j++)
			cpmpf_db_val_str(&row[2 + j], &f[j]);
		if(rpc->add(ctx, "{", &th) < 0)
			break;
		rpc->struct_add(th, "dlSSSSSSSSS", "id",
				(int)cpmpf_db_val_ll(&row[0], 0), "time",
				(long)cpmpf_db_val_ll(&row[1], 0), "direction", &f[0], "user",
				&f[1], "peer", &f[2], "conversation_id", &f[3],
				"contribution_id", &f[4], "inreplyto", &f[5], "content_type",
				&f[6], "call_id", &f[7], "body", &f[8]);
	}
	r_dbf.free_result(r_con, res);
}

const char *cpmpf_rpc_history_doc[] = {
		"A user's recorded messages in order (time, id): <user> "
		"[conversation_id|*] [limit (default 100: the latest)]",
		0};

void cpmpf_rpc_history(rpc_t *rpc, void *ctx)
{
	str val[2] = {STR_NULL, STR_NULL};
	int limit = HIST_LIMIT_DEFAULT, n;
	db_key_t k[2] = {&c_user, &c_conv};

	n = rpc->scan(ctx, "S*Sd", &val[0], &val[1], &limit);
	if(n < 1) {
		rpc->fault(ctx, 400, "user name expected");
		return;
	}
	/* "*" (or none): every conversation */
	history_list(rpc, ctx, k, val,
			(n >= 2 && !(val[1].len == 1 && val[1].s[0] == '*')) ? 2 : 1,
			limit);
}

const char *cpmpf_rpc_history_conversation_doc[] = {
		"A conversation's recorded messages in order (time, id), every "
		"user's copy: <conversation_id> [limit (default 100: the latest)]",
		0};

void cpmpf_rpc_history_conversation(rpc_t *rpc, void *ctx)
{
	str conv;
	int limit = HIST_LIMIT_DEFAULT;
	db_key_t k[1] = {&c_conv};

	if(rpc->scan(ctx, "S*d", &conv, &limit) < 1) {
		rpc->fault(ctx, 400, "conversation id expected");
		return;
	}
	history_list(rpc, ctx, k, &conv, 1, limit);
}

const char *cpmpf_rpc_record_policy_doc[] = {
		"Show or set the operator's recording policy (until restart; the "
		"module parameter `record` is the start-up value): [0 off|1 on "
		"unless opted out|2 only users who opted in]",
		0};

void cpmpf_rpc_record_policy(rpc_t *rpc, void *ctx)
{
	int p;

	if(rec == NULL) {
		rpc->fault(ctx, 500, "recording not initialised");
		return;
	}
	if(rpc->scan(ctx, "*d", &p) == 1) {
		if(p < 0 || p > CPMPF_REC_POLICY_MAX) {
			rpc->fault(ctx, 400, "policy out of range 0..2");
			return;
		}
		rec->policy = p;
	}
	rpc->rpl_printf(ctx, "record %d", rec->policy);
}

const char *cpmpf_rpc_record_pref_doc[] = {
		"Show or set a user's recording preference: <user> [in|out|default]"
		" (saved through the writer process)",
		0};

void cpmpf_rpc_record_pref(rpc_t *rpc, void *ctx)
{
	str user, val = STR_NULL;
	cpmpf_job_t *job;
	int f, n;

	n = rpc->scan(ctx, "S*S", &user, &val);
	if(n < 1 || user.len <= 0 || user.len > CPMPF_RPREF_USER_MAX) {
		rpc->fault(ctx, 400, "user name expected");
		return;
	}
	if(rec == NULL) {
		rpc->fault(ctx, 500, "recording not initialised");
		return;
	}
	if(n >= 2) {
		if(val.len == 2 && strncasecmp(val.s, "in", 2) == 0)
			f = CPMPF_RPREF_IN;
		else if(val.len == 3 && strncasecmp(val.s, "out", 3) == 0)
			f = CPMPF_RPREF_OUT;
		else if(val.len == 7 && strncasecmp(val.s, "default", 7) == 0)
			f = CPMPF_RPREF_NONE;
		else {
			rpc->fault(ctx, 400, "in, out or default expected");
			return;
		}
		job = cpmpf_job_new(
				cpmpf_dbq_shm_alloc, CPMPF_JOB_RECORD_PREF, &user, 1);
		if(job == NULL) {
			rpc->fault(ctx, 500, "no memory");
			return;
		}
		job->ival = f;
		if(prefs_set(&user, f) < 0) {
			shm_free(job);
			rpc->fault(ctx, 500, "no memory");
			return;
		}
		if(cpmpf_dbq_push(job) < 0) {
			shm_free(job);
			rpc->fault(ctx, 500, "not saved: no writer process");
			return;
		}
	}
	f = prefs_get(&user);
	rpc->rpl_printf(ctx, "%.*s %s (%s)", user.len, user.s,
			f == CPMPF_RPREF_IN ? "in" : f == CPMPF_RPREF_OUT ? "out"
															  : "default",
			cpmpf_record_decide(rec->policy, f) ? "recorded"
												 : "not recorded");
}

const char *cpmpf_rpc_record_reload_doc[] = {
		"Reload the recording preferences from table cpm_record_pref", 0};

void cpmpf_rpc_record_reload(rpc_t *rpc, void *ctx)
{
	if(rec == NULL || prefs_load() < 0) {
		rpc->fault(ctx, 500, "cannot reload cpm_record_pref");
		return;
	}
	rpc->rpl_printf(ctx, "ok %d", rec->n);
}
