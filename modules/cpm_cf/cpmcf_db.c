/*
 * cpm_cf: column conversion of DB API results (cpmcf_db.h).
 */
#include <string.h>

#include "core/ut.h"

#include "cpmcf_db.h"

void cpmcf_db_col_str(db_val_t *v, str *out)
{
	out->s = "";
	out->len = 0;
	if(VAL_NULL(v))
		return;
	switch(VAL_TYPE(v)) {
		case DB1_STRING:
			if(VAL_STRING(v)) {
				out->s = (char *)VAL_STRING(v);
				out->len = strlen(out->s);
			}
			break;
		case DB1_STR:
			*out = VAL_STR(v);
			break;
		case DB1_BLOB:
			*out = VAL_BLOB(v);
			break;
		default:
			break;
	}
}

long long cpmcf_db_col_int(db_val_t *v)
{
	str s;
	int i = 0;

	if(VAL_NULL(v))
		return 0;
	switch(VAL_TYPE(v)) {
		case DB1_INT:
			return VAL_INT(v);
		case DB1_BIGINT:
			return VAL_BIGINT(v);
		case DB1_DOUBLE:
			return (long long)VAL_DOUBLE(v);
		default:
			cpmcf_db_col_str(v, &s);
			if(s.len > 0 && s.len < 12 && str2sint(&s, &i) == 0)
				return i;
			return 0;
	}
}
