/*
 * cpm_pf: what every concern that reads the PF's tables shares -- the
 * module parameter db_url and the conversion of a result column into C
 * values (db_sqlite, db_postgres and the other DB modules hand a column
 * back as STRING, STR, BLOB, INT, BIGINT or DOUBLE depending on the driver).
 */
#ifndef CPMPF_DB_H
#define CPMPF_DB_H

#include "core/str.h"
#include "lib/srdb1/db_val.h"

/* modparam db_url: the database of the PF's tables */
extern str cpmpf_db_url;

/* view of a text or blob column: 0 (a NULL column gives the empty string),
 * -EINVAL for a column of another type.  out points into the result. */
int cpmpf_db_val_str(db_val_t *v, str *out);

/* integer value of a column: NULL or not a number gives dflt; a text column
 * is read as a decimal number */
long long cpmpf_db_val_ll(db_val_t *v, long long dflt);

#endif
