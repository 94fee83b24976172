/*
 * cpm_pf users core: see cpmpf_users_core.h.
 *
 * Layout of the block: the header, n str entries sorted by (bytes, length),
 * then the names themselves (each NUL-terminated).  One block means one
 * owner and one free, and a reader holding the glue's lock for one binary
 * search never sees a half-built set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpmpf_users_core.h"

struct cpmpf_userset {
	int n;
	str name[];
};

static int name_cmp(const void *a, const void *b)
{
	const str *x = a, *y = b;
	int n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	return c ? c : x->len - y->len;
}

cpmpf_userset_t *cpmpf_userset_build(
		const str *names, int n, void *(*alloc)(size_t))
{
	cpmpf_userset_t *set;
	size_t sz = sizeof(*set);
	char *p;
	int i, m = 0;

	if(n < 0 || alloc == NULL || (n > 0 && names == NULL))
		return NULL;
	for(i = 0; i < n; i++)
		if(names[i].s != NULL && names[i].len > 0)
			sz += sizeof(str) + names[i].len + 1;
	set = alloc(sz);
	if(set == NULL)
		return NULL;
	memset(set, 0, sz);
	p = (char *)&set->name[0];
	for(i = 0; i < n; i++)
		if(names[i].s != NULL && names[i].len > 0)
			p += sizeof(str);
	for(i = 0; i < n; i++) {
		if(names[i].s == NULL || names[i].len <= 0)
			continue;
		memcpy(p, names[i].s, names[i].len);
		set->name[m].s = p;
		set->name[m].len = names[i].len;
		p += names[i].len + 1;
		m++;
	}
	qsort(set->name, m, sizeof(str), name_cmp);
	/* duplicates once: compact the sorted array (their bytes stay unused) */
	set->n = 0;
	for(i = 0; i < m; i++)
		if(set->n == 0 || name_cmp(&set->name[set->n - 1], &set->name[i]) != 0)
			set->name[set->n++] = set->name[i];
	return set;
}

int cpmpf_userset_has(const cpmpf_userset_t *set, const str *name)
{
	if(set == NULL || name == NULL || name->s == NULL || name->len <= 0)
		return 0;
	return bsearch(name, set->name, set->n, sizeof(str), name_cmp) != NULL;
}

int cpmpf_userset_count(const cpmpf_userset_t *set)
{
	return set ? set->n : 0;
}
