/*
 * cpm_pf: db_url, result-column conversion and the shm cache slot shared by
 * the PF's concerns (identities, preferences, the provisioned users, the
 * deferred store).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/shm_mem.h"

#include "cpmpf_db.h"

str cpmpf_db_url = STR_NULL;

int cpmpf_db_val_str(db_val_t *v, str *out)
{
	if(VAL_NULL(v)) {
		out->s = "";
		out->len = 0;
		return 0;
	}
	switch(VAL_TYPE(v)) {
		case DB1_STRING:
			out->s = (char *)VAL_STRING(v);
			if(out->s == NULL)
				out->s = "";
			out->len = strlen(out->s);
			return 0;
		case DB1_STR:
			*out = VAL_STR(v);
			return 0;
		case DB1_BLOB:
			*out = VAL_BLOB(v);
			return 0;
		default:
			return -EINVAL;
	}
}

long long cpmpf_db_val_ll(db_val_t *v, long long dflt)
{
	char buf[24], *end;
	long long n;
	str s;

	if(VAL_NULL(v))
		return dflt;
	switch(VAL_TYPE(v)) {
		case DB1_INT:
			return VAL_INT(v);
		case DB1_BIGINT:
			return VAL_BIGINT(v);
		case DB1_DOUBLE:
			return (long long)VAL_DOUBLE(v);
		default:
			/* a bounded copy: a str column is not NUL-terminated */
			if(cpmpf_db_val_str(v, &s) < 0 || s.len <= 0
					|| s.len >= (int)sizeof(buf))
				return dflt;
			memcpy(buf, s.s, s.len);
			buf[s.len] = '\0';
			n = strtoll(buf, &end, 10);
			return (end == buf) ? dflt : n;
	}
}

cpmpf_cache_t *cpmpf_cache_new(void)
{
	cpmpf_cache_t *c = shm_malloc(sizeof(*c));

	if(c == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	c->cur = NULL;
	if(lock_init(&c->lock) == NULL) {
		LM_ERR("cannot init a cache lock\n");
		shm_free(c);
		return NULL;
	}
	return c;
}

void *cpmpf_cache_swap(cpmpf_cache_t *c, void *nu)
{
	void *old;

	lock_get(&c->lock);
	old = c->cur;
	c->cur = nu;
	lock_release(&c->lock);
	return old;
}

void cpmpf_cache_destroy(cpmpf_cache_t **c, void (*free_cur)(void *))
{
	if(c == NULL || *c == NULL)
		return;
	if((*c)->cur) {
		if(free_cur)
			free_cur((*c)->cur);
		else
			shm_free((*c)->cur);
	}
	lock_destroy(&(*c)->lock);
	shm_free(*c);
	*c = NULL;
}
