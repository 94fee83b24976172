/*
 * cpm_pf: the module's one database writer process (issue 6 item 4;
 * generic: the store of deferred messages and the preference profiles'
 * active-profile switches use it; recording will too).
 *
 * SQLite takes one writer at a time and db_sqlite 5.6 sets no busy timeout,
 * so two SIP workers writing the same file fail ("database is locked",
 * kamailio-facts.md: msilo loses 8% of stores that way).  Here one process
 * owns the only connection that writes.  SIP workers (and tm callbacks, RPC)
 * hand it jobs through a FIFO in shm under a short lock and wake it through a
 * pipe; they never touch the database.  The writer takes every queued job at
 * once and runs them in ONE transaction (BEGIN ... COMMIT), then calls each
 * job's done() handler with the committed result: a store job's done()
 * resumes its suspended transaction, so the 202 leaves only after COMMIT.
 */
#ifndef CPMPF_DBQ_H
#define CPMPF_DBQ_H

#include "lib/srdb1/db.h"
#include "cpmpf_dbq_core.h"

#define CPMPF_DBQ_MAX_TYPES 8

/* The job types of the one writer, in one table so that two concerns never
 * share a number (each registers its handlers in mod_init). */
enum {
	CPMPF_JOB_STORE = 0,    /* cpmpf_store.c: store a deferred message */
	CPMPF_JOB_REGISTERED,   /* cpmpf_store.c: a device registered */
	CPMPF_JOB_RESULT,       /* cpmpf_store.c: a delivery's final answer */
	CPMPF_JOB_PREFS_ACTIVE, /* cpmpf_prefs.c: persist an active profile */
	CPMPF_JOB_RECORD,       /* cpmpf_record.c: record a message */
	CPMPF_JOB_RECORD_PREF,  /* cpmpf_record.c: a user's recording choice */
	CPMPF_JOB_TYPES
};

typedef struct cpmpf_dbq_handler {
	/* inside the batch's transaction; returns the job's result (also
	 * stored in job->rc): >= 0 ok, < 0 failed (this job only) */
	int (*exec)(db1_con_t *con, db_func_t *dbf, cpmpf_job_t *job);
	/* after COMMIT (job->rc as exec set it) or after a failed COMMIT
	 * (job->rc = -EIO: nothing of the batch is stored) */
	void (*done)(cpmpf_job_t *job);
	/* 1: a batch of only such jobs may wait commit_delay ms for more
	 * before its COMMIT (group commit: stores, whose 202 can wait a few
	 * ms); 0: commit at once (a delivery's mark, which the next delivery
	 * from the store waits for) */
	int group;
	/* optional: write what exec() kept back to send as one statement (a
	 * multi-row INSERT); called before a job of another type runs and
	 * before COMMIT, so that nothing later in the batch misses the rows.
	 * On failure it sets the rc of the jobs it kept itself. */
	int (*flush)(db1_con_t *con, db_func_t *dbf);
} cpmpf_dbq_handler_t;

/* modparam commit_delay (ms, 0..100): see cpmpf_dbq.c */
extern int cpmpf_dbq_commit_delay;

/* mod_init: shm queue, lock, wake-up pipe; registers one extra process */
int cpmpf_dbq_init(str *db_url);
/* register a job type's handlers (mod_init, before the fork) */
int cpmpf_dbq_register(int type, cpmpf_dbq_handler_t *h);
/* a periodic task in the writer (own transaction), every `interval` s */
void cpmpf_dbq_set_tick(void (*tick)(db1_con_t *, db_func_t *), int interval);
/* child_init(PROC_MAIN): forks the writer */
int cpmpf_dbq_fork(void);
void cpmpf_dbq_destroy(void);

/* any process: queue a job (shm, from cpmpf_job_new(cpmpf_dbq_shm_alloc..));
 * the queue owns it from then on.  0, or -ENODEV when no writer runs */
int cpmpf_dbq_push(cpmpf_job_t *job);
void *cpmpf_dbq_shm_alloc(size_t sz);
/* jobs waiting (statistic store_queue_depth) */
int cpmpf_dbq_depth(void);
/* is the writer configured (db_url set)? */
int cpmpf_dbq_enabled(void);

/* helpers for handlers: run one SQL statement without result; 0 or <0 */
int cpmpf_db_exec(db1_con_t *con, db_func_t *dbf, const char *sql);

#endif
