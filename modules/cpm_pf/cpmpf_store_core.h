/*
 * cpm_pf deferred delivery (seed 4.1): pure parts of the store, unit-tested
 * apart from the Kamailio glue (tests/unit/test_cpmpf_store.c).
 */
#ifndef CPMPF_STORE_CORE_H
#define CPMPF_STORE_CORE_H

#include <stddef.h>
#include "core/str.h"

/* The messages still to send to one device: every stored id of the user
 * (ascending: ids are given in store order, so this is original order)
 * that is not in the device's delivered set (ascending too).  Writes them
 * to out (room for n) in ascending order; returns how many. */
int cpmpf_pending(const long long *all, int n, const long long *done, int m,
		long long *out);

/* Is the header name `name` in the comma-separated list `list` (names
 * compared case-insensitively, RFC 3261 7.3.1; blanks around names
 * ignored)?  1 yes, 0 no. */
int cpmpf_hdr_listed(const str *list, const str *name);

/* The From header body without its tag parameter: a delivery from the store
 * is a new transaction with a new Call-ID, and tm adds a new tag; the
 * display name, URI and every other parameter stay byte-identical.
 *
 *   from-spec = ( name-addr / addr-spec ) *( SEMI from-param )
 *   from-param = tag-param / generic-param ; tag-param = "tag" EQUAL token
 *
 * Parameters start after the URI (after '>' for name-addr; for addr-spec
 * RFC 3261 20.10 says parameters after an addr-spec are header params).
 * Quoted strings are skipped.  out gets the result (room for in->len bytes);
 * returns its length. */
int cpmpf_from_strip_tag(const str *in, char *out);

/* Is every known device's id in the delivered set of a message?
 * (A message leaves the store once every device known for the user has it,
 * issue 6 item 4.)  devs: the user's known devices; got: devices that
 * accepted the message (any order).  1 yes (and ndevs > 0), 0 no. */
int cpmpf_all_delivered(const str *devs, int ndevs, const str *got, int ngot);

/* SQLite literals for the writer's one multi-row INSERT per batch
 * (cpmpf_store.c: db_sqlite prepares every statement anew, so N single-row
 * inserts cost N SQL parses; docs/benchmarks.md).  SQLite's grammar
 * (https://sqlite.org/lang_expr.html, "Literal Values"):
 *
 *   string-literal = "'" *( %x01-26 / %x28-FF / "''" ) "'"
 *   blob-literal   = ("X" / "x") "'" *( HEXDIG HEXDIG ) "'"
 *
 * cpmpf_sql_text() prints s as a string literal (each ' doubled); a NUL byte
 * cannot be in one (db_sqlite binds such a value instead, so the caller
 * falls back to the bound single-row insert): -EINVAL.  cpmpf_sql_blob()
 * prints s as a blob literal, byte for byte.  Both write into buf (room for
 * size bytes, no NUL added) and return the bytes written, or -ENOSPC. */
int cpmpf_sql_text(char *buf, int size, const str *s);
int cpmpf_sql_blob(char *buf, int size, const str *s);
/* the bytes cpmpf_sql_text()/cpmpf_sql_blob() need for s (text: -EINVAL
 * when s holds a NUL byte) */
int cpmpf_sql_text_len(const str *s);
int cpmpf_sql_blob_len(const str *s);

/* ---- the stateless store's retransmission table (store_stateless) ----
 * Without a tm transaction per stored MESSAGE (docs/cpm_pf.md "Deferred
 * delivery"), nothing in tm absorbs a UDP retransmission (RFC 3261 17.1.2:
 * the sender resends until a final answer, Timer F = 64*T1 = 32 s) that
 * arrives after the request left request_route.  This table does: one entry
 * per request accepted for the store, keyed by Call-ID, CSeq number and
 * From tag (RFC 3261 17.2.3 matching for a request whose sender may not
 * follow RFC 3261 branches is Request-URI, To/From tags, Call-ID, CSeq, Via;
 * the three kept here are what a retransmission repeats byte for byte and a
 * new request never repeats: a new MESSAGE of the same dialog-less sender
 * has a new Call-ID or a higher CSeq).  In flight: a retransmission is
 * absorbed (the 202 comes after COMMIT); stored: it is answered 202 again
 * and never stored twice; failed: the entry is gone, a retransmission is a
 * new attempt.  Pure: the caller locks and allocates (shm). */
#define CPMPF_SEEN_SLOTS (1 << 14)
#define CPMPF_SEEN_INFLIGHT 1
#define CPMPF_SEEN_STORED 2

typedef struct cpmpf_seen_ent {
	struct cpmpf_seen_ent *next;
	unsigned int hash;
	int state;         /* CPMPF_SEEN_INFLIGHT / CPMPF_SEEN_STORED */
	long long expires; /* forgotten from then on (s) */
	int len;
	char key[];
} cpmpf_seen_ent_t;

typedef struct cpmpf_seen {
	cpmpf_seen_ent_t *slot[CPMPF_SEEN_SLOTS];
	int n; /* entries */
} cpmpf_seen_t;

/* the key "<Call-ID> <CSeq number> <From tag>" (none of the three holds a
 * space: RFC 3261 25.1 callid, 1*DIGIT, token) into buf; its length, or
 * -ENOSPC */
int cpmpf_seen_key(char *buf, int size, const str *callid, const str *cseq,
		const str *ftag);
/* the state of key (0: not there); expired entries of its slot are freed */
int cpmpf_seen_get(cpmpf_seen_t *t, const str *key, long long now,
		void (*freef)(void *));
/* add key in flight until `expires`: 0 added; -EEXIST (its state in
 * *state) when it is there; -ENOMEM */
int cpmpf_seen_add(cpmpf_seen_t *t, const str *key, long long now,
		long long expires, void *(*alloc)(size_t), void (*freef)(void *),
		int *state);
/* state CPMPF_SEEN_STORED until `expires`, or 0: forget it; -ENOENT when
 * the key is not there */
int cpmpf_seen_set(cpmpf_seen_t *t, const str *key, int state,
		long long expires, void (*freef)(void *));
/* free every expired entry; how many */
int cpmpf_seen_sweep(cpmpf_seen_t *t, long long now, void (*freef)(void *));

#endif
