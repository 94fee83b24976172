/*
 * cpm_pf: the database writer process (see cpmpf_dbq.h for the why).
 *
 * Wake-up: a pipe created before the fork.  A pusher writes one byte only
 * when the FIFO was empty (the writer has then taken everything before it
 * and will read the byte); the writer drains the pipe, then takes the whole
 * FIFO under the lock.  A push between the drain and the take finds the
 * FIFO non-empty or empty: non-empty means it is taken with the rest, empty
 * means it writes a byte that wakes the next poll().  No busy loop: the
 * writer sleeps in poll() until a byte or its tick is due.
 *
 * Group commit (commit_delay, as PostgreSQL's commit_delay): every COMMIT
 * is made durable (SQLite: an fdatasync of the WAL), and that sync is most
 * of the writer's CPU when each batch holds one store (docs/benchmarks.md:
 * ~350 us of ~550 us per store at 200/s).  When every job taken may wait
 * (handler .group), the writer sleeps commit_delay ms before it BEGINs, then
 * takes what arrived meanwhile into the same transaction: one sync covers
 * them all.  Nothing is answered before its COMMIT, so no accepted message
 * can be lost by it; the price is up to commit_delay ms more before a 202.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"
#include "core/pt.h"
#include "core/cfg/cfg_struct.h"
#include "core/sr_module.h"

#include "cpmpf_dbq.h"

typedef struct cpmpf_dbq_shared {
	gen_lock_t lock;
	cpmpf_fifo_t fifo;
	int running;
} cpmpf_dbq_shared_t;

static cpmpf_dbq_shared_t *dbq = NULL;
static int wake_pipe[2] = {-1, -1};
static str dbq_url = STR_NULL;
static cpmpf_dbq_handler_t handlers[CPMPF_DBQ_MAX_TYPES];
static void (*tick_fn)(db1_con_t *, db_func_t *) = NULL;
static int tick_interval = 60;
int cpmpf_dbq_commit_delay = 0;

void *cpmpf_dbq_shm_alloc(size_t sz)
{
	return shm_malloc(sz);
}

int cpmpf_dbq_enabled(void)
{
	return dbq != NULL;
}

int cpmpf_dbq_init(str *db_url)
{
	if(db_url == NULL || db_url->s == NULL || db_url->len <= 0)
		return 0; /* no database: no writer, stores fail visibly */
	dbq_url = *db_url;
	dbq = shm_malloc(sizeof(*dbq));
	if(dbq == NULL) {
		LM_ERR("no shm for the writer queue\n");
		return -ENOMEM;
	}
	memset(dbq, 0, sizeof(*dbq));
	if(lock_init(&dbq->lock) == NULL) {
		LM_ERR("cannot init the writer queue lock\n");
		goto error;
	}
	cpmpf_fifo_init(&dbq->fifo);
	if(pipe(wake_pipe) < 0) {
		LM_ERR("cannot create the writer wake-up pipe: %s\n", strerror(errno));
		goto error;
	}
	/* pushers never block on a full pipe (a full pipe wakes anyway) */
	fcntl(wake_pipe[1], F_SETFL, fcntl(wake_pipe[1], F_GETFL) | O_NONBLOCK);
	fcntl(wake_pipe[0], F_SETFL, fcntl(wake_pipe[0], F_GETFL) | O_NONBLOCK);
	/* one process of our own; cfg_register_child so that it may run
	 * script routes (t_continue) with the cfg framework's values */
	if(register_procs(1) < 0) {
		LM_ERR("cannot register the writer process\n");
		goto error;
	}
	cfg_register_child(1);
	return 0;
error:
	shm_free(dbq);
	dbq = NULL;
	return -EINVAL;
}

int cpmpf_dbq_register(int type, cpmpf_dbq_handler_t *h)
{
	if(type < 0 || type >= CPMPF_DBQ_MAX_TYPES)
		return -EINVAL;
	handlers[type] = *h;
	return 0;
}

void cpmpf_dbq_set_tick(void (*tick)(db1_con_t *, db_func_t *), int interval)
{
	tick_fn = tick;
	tick_interval = interval > 0 ? interval : 60;
}

int cpmpf_dbq_push(cpmpf_job_t *job)
{
	int before;
	char c = 1;

	if(dbq == NULL)
		return -ENODEV;
	lock_get(&dbq->lock);
	before = cpmpf_fifo_push(&dbq->fifo, job);
	lock_release(&dbq->lock);
	if(before == 0 && write(wake_pipe[1], &c, 1) < 0 && errno != EAGAIN)
		LM_ERR("cannot wake the writer: %s\n", strerror(errno));
	return 0;
}

int cpmpf_dbq_depth(void)
{
	return dbq ? dbq->fifo.n : 0; /* a read of one int: no lock needed */
}

int cpmpf_db_exec(db1_con_t *con, db_func_t *dbf, const char *sql)
{
	db1_res_t *res = NULL;
	str q;
	int rc;

	q.s = (char *)sql;
	q.len = strlen(sql);
	/* db_sqlite steps a raw statement only when a result is asked for */
	rc = dbf->raw_query(con, &q, &res);
	if(res)
		dbf->free_result(con, res);
	if(rc < 0)
		LM_ERR("SQL failed: %s\n", sql);
	return rc < 0 ? -EIO : 0;
}

static int writer_connect(db_func_t *dbf, db1_con_t **con)
{
	if(db_bind_mod(&dbq_url, dbf) < 0) {
		LM_ERR("cannot bind the database module of %.*s\n", dbq_url.len,
				dbq_url.s);
		return -EINVAL;
	}
	*con = dbf->init(&dbq_url);
	if(*con == NULL) {
		LM_ERR("cannot connect to %.*s\n", dbq_url.len, dbq_url.s);
		return -EIO;
	}
	if(dbq_url.len >= 7 && strncmp(dbq_url.s, "sqlite:", 7) == 0) {
		/* db_sqlite exposes no sqlite3_busy_timeout(), but the pragma sets
		 * the same handler on this connection: usrloc's timer and
		 * auth_db's readers share the file; one writer of ours never
		 * contends with itself, but a checkpoint or usrloc's flush may hold
		 * the lock a moment. */
		cpmpf_db_exec(*con, dbf, "PRAGMA busy_timeout=5000");
	}
	return 0;
}

static void writer_run_batch(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *jobs)
{
	cpmpf_job_t *j, *next;
	int ok, kept = -1; /* the type whose exec() kept rows back */

	ok = cpmpf_db_exec(con, dbf, "BEGIN") == 0;
	for(j = jobs; j; j = j->next) {
		if(!ok) {
			j->rc = -EIO;
			continue;
		}
		if(j->type < 0 || j->type >= CPMPF_DBQ_MAX_TYPES
				|| handlers[j->type].exec == NULL) {
			j->rc = -EINVAL;
			continue;
		}
		if(kept >= 0 && kept != j->type) {
			handlers[kept].flush(con, dbf);
			kept = -1;
		}
		j->rc = handlers[j->type].exec(con, dbf, j);
		if(handlers[j->type].flush)
			kept = j->type;
	}
	if(kept >= 0)
		handlers[kept].flush(con, dbf);
	if(ok && cpmpf_db_exec(con, dbf, "COMMIT") < 0) {
		/* nothing of this batch is stored: every job learns so */
		cpmpf_db_exec(con, dbf, "ROLLBACK");
		for(j = jobs; j; j = j->next)
			j->rc = -EIO;
	}
	for(j = jobs; j; j = next) {
		next = j->next;
		if(j->type >= 0 && j->type < CPMPF_DBQ_MAX_TYPES
				&& handlers[j->type].done)
			handlers[j->type].done(j);
		shm_free(j);
	}
}

/* may this batch wait for others (group commit)? only when every job in it
 * says so */
static int batch_may_wait(cpmpf_job_t *jobs)
{
	cpmpf_job_t *j;

	if(cpmpf_dbq_commit_delay <= 0)
		return 0;
	for(j = jobs; j; j = j->next)
		if(j->type < 0 || j->type >= CPMPF_DBQ_MAX_TYPES
				|| !handlers[j->type].group)
			return 0;
	return 1;
}

/* the jobs that arrived during the wait, appended in FIFO order */
static cpmpf_job_t *batch_grow(cpmpf_job_t *jobs, char *buf, size_t sz)
{
	cpmpf_job_t *more, *j;

	poll(NULL, 0, cpmpf_dbq_commit_delay);
	/* the first push after our take wrote a byte: drain it before the take,
	 * as the loop does, so that a later push still wakes us */
	while(read(wake_pipe[0], buf, sz) > 0)
		;
	lock_get(&dbq->lock);
	more = cpmpf_fifo_take_all(&dbq->fifo);
	lock_release(&dbq->lock);
	if(more) {
		for(j = jobs; j->next; j = j->next)
			;
		j->next = more;
	}
	return jobs;
}

static void writer_loop(void)
{
	db_func_t dbf;
	db1_con_t *con = NULL;
	struct pollfd pfd;
	cpmpf_job_t *jobs;
	char buf[256];
	time_t next_tick = time(NULL) + tick_interval;
	int ms;

	if(writer_connect(&dbf, &con) < 0) {
		/* without the writer nothing can be stored: keep draining so that
		 * suspended transactions get their 500 rather than hang */
		con = NULL;
	}
	pfd.fd = wake_pipe[0];
	pfd.events = POLLIN;
	for(;;) {
		ms = (int)(next_tick - time(NULL)) * 1000;
		if(ms < 0)
			ms = 0;
		poll(&pfd, 1, ms);
		while(read(wake_pipe[0], buf, sizeof(buf)) > 0)
			;
		cfg_update();
		lock_get(&dbq->lock);
		jobs = cpmpf_fifo_take_all(&dbq->fifo);
		lock_release(&dbq->lock);
		if(jobs && batch_may_wait(jobs))
			jobs = batch_grow(jobs, buf, sizeof(buf));
		if(jobs) {
			if(con == NULL && writer_connect(&dbf, &con) < 0)
				con = NULL;
			if(con)
				writer_run_batch(con, &dbf, jobs);
			else {
				cpmpf_job_t *j, *n;
				for(j = jobs; j; j = n) {
					n = j->next;
					j->rc = -EIO;
					if(handlers[j->type].done)
						handlers[j->type].done(j);
					shm_free(j);
				}
			}
		}
		if(time(NULL) >= next_tick) {
			next_tick = time(NULL) + tick_interval;
			if(tick_fn && con)
				tick_fn(con, &dbf);
		}
	}
}

int cpmpf_dbq_fork(void)
{
	int pid;

	if(dbq == NULL)
		return 0;
	/* rank PROC_RPC (as evapi's and dmq's workers): modules run their
	 * child_init for it (tm seeds its Call-ID generator for this process);
	 * make_sock 1: the writer also sends (tm t_request for deliveries from
	 * the store), over TCP too */
	pid = fork_process(PROC_RPC, "cpm_pf DB writer", 1);
	if(pid < 0) {
		LM_ERR("cannot fork the writer process\n");
		return -1;
	}
	if(pid == 0) {
		if(cfg_child_init())
			return -1;
		dbq->running = 1;
		writer_loop();
		exit(-1);
	}
	return 0;
}

void cpmpf_dbq_destroy(void)
{
	cpmpf_job_t *j, *n;

	if(dbq == NULL)
		return;
	for(j = cpmpf_fifo_take_all(&dbq->fifo); j; j = n) {
		n = j->next;
		shm_free(j);
	}
	lock_destroy(&dbq->lock);
	shm_free(dbq);
	dbq = NULL;
}
