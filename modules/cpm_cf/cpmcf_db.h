/*
 * cpm_cf: reading a column of a DB API result as C values, for every table
 * the CF reads at start-up or by RPC (pre-defined groups, running
 * sessions).  db_sqlite, db_postgres and the other DB modules hand the same
 * column back as different types (text as DB1_STRING or DB1_STR, integers
 * as DB1_INT, DB1_BIGINT or text), so the conversion lives once, here.
 */
#ifndef CPMCF_DB_H
#define CPMCF_DB_H

#include "core/str.h"
#include "lib/srdb1/db_val.h"

/* a text or blob column as a view into the result; NULL or another type:
 * the empty string */
void cpmcf_db_col_str(db_val_t *v, str *out);

/* an integer column (also one stored as text); NULL or not a number: 0 */
long long cpmcf_db_col_int(db_val_t *v);

#endif
