/*
 * cpm_pf deferred delivery (seed 4.1): pure parts of the store, unit-tested
 * apart from the Kamailio glue (tests/unit/test_cpmpf_store.c).
 */
#ifndef CPMPF_STORE_CORE_H
#define CPMPF_STORE_CORE_H

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

#endif
