/*
 * cpm_pf: pure parts of the database writer queue (no struct sip_msg, no
 * locking, no database): the job record, the FIFO of jobs, and the packing
 * of a job's strings into the job's own allocation.
 *
 * Seed 4.1 (deferred delivery) requires that an accepted message is never
 * lost; issue 6 adds that no SIP worker may block on, or fail from, the
 * database.  The SIP workers therefore only build a job (one shm block,
 * strings copied into it) and append it to a FIFO; one writer process takes
 * the whole FIFO at once and runs it as one database transaction
 * (cpmpf_dbq.c).  This file holds what of that is plain data handling, so
 * that it is unit-tested under valgrind (tests/unit/test_cpmpf_dbq.c).
 */
#ifndef CPMPF_DBQ_CORE_H
#define CPMPF_DBQ_CORE_H

#include <stddef.h>
#include "core/str.h"

/* one unit of work for the writer; allocated in one block with its packed
 * strings behind it (data[]), owned by the queue once pushed and freed by
 * the writer after its done() handler ran */
typedef struct cpmpf_job {
	struct cpmpf_job *next;
	int type;           /* index into the writer's handler table */
	int rc;             /* result the writer's exec() handler sets */
	unsigned int t_hash;  /* a suspended transaction (tm t_suspend) */
	unsigned int t_label;
	long long lval;     /* handler-specific numbers */
	int ival;
	int nstr;           /* how many strings data[] holds */
	int len;            /* bytes in data[] */
	char data[];        /* packed strings: cpmpf_pack() */
} cpmpf_job_t;

/* FIFO of jobs: push at the tail, the writer takes all at once */
typedef struct cpmpf_fifo {
	cpmpf_job_t *head;
	cpmpf_job_t *tail;
	int n;
} cpmpf_fifo_t;

void cpmpf_fifo_init(cpmpf_fifo_t *q);
/* append; returns the number of jobs queued before it (0: the queue was
 * empty, the writer must be woken) */
int cpmpf_fifo_push(cpmpf_fifo_t *q, cpmpf_job_t *j);
/* detach and return the whole list in FIFO order (NULL when empty) */
cpmpf_job_t *cpmpf_fifo_take_all(cpmpf_fifo_t *q);

/* Packing: n strings are stored as [4-byte length][bytes][NUL] each, so a
 * body with NUL bytes survives and every string is also a C string. */
size_t cpmpf_pack_size(const str *s, int n);
/* writes into buf (cpmpf_pack_size() bytes); returns bytes written */
size_t cpmpf_pack(char *buf, const str *s, int n);
/* points out[0..n-1] into buf; 0, or -EINVAL when buf is truncated or
 * holds fewer than n strings */
int cpmpf_unpack(const char *buf, size_t len, str *out, int n);

/* Job allocation over a caller-given allocator (shm in the module, malloc
 * in the unit tests): a job carrying n strings packed. NULL on no memory. */
typedef void *(*cpmpf_alloc_f)(size_t);
cpmpf_job_t *cpmpf_job_new(cpmpf_alloc_f alloc, int type, const str *s, int n);
/* the job's strings (out[0..job->nstr-1]); 0 or -EINVAL */
int cpmpf_job_strs(const cpmpf_job_t *j, str *out, int n);

#endif
