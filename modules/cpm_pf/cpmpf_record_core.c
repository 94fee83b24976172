/*
 * cpm_pf recording: pure parts (see cpmpf_record_core.h).
 */
#include <errno.h>
#include <string.h>

#include "cpmpf_record_core.h"

int cpmpf_record_decide(int policy, int pref)
{
	switch(policy) {
		case CPMPF_REC_ON:
			return pref != CPMPF_RPREF_OUT;
		case CPMPF_REC_OPTIN:
			return pref == CPMPF_RPREF_IN;
		default:
			return 0;
	}
}

int cpmpf_record_role(const str *s)
{
	if(s == NULL || s->s == NULL || s->len != 4)
		return -EINVAL;
	if(strncasecmp(s->s, "orig", 4) == 0)
		return CPMPF_REC_ORIG;
	if(strncasecmp(s->s, "term", 4) == 0)
		return CPMPF_REC_TERM;
	return -EINVAL;
}

const char *cpmpf_record_role_name(int role)
{
	return role == CPMPF_REC_TERM ? "term" : "orig";
}

int cpmpf_record_orig_sip(const str *xval, str *sip)
{
	char *p, *e, *nl;

	if(xval == NULL || xval->s == NULL || xval->len < 3)
		return -EINVAL;
	p = xval->s;
	e = p + xval->len;
	if(*p != '0' && *p != '1' && *p != 'k')
		return -EINVAL;
	p++;
	nl = memchr(p, '\n', e - p);
	if(nl == NULL || nl == p)
		return -EINVAL;
	sip->s = p;
	sip->len = nl - p;
	return 0;
}

static int cmp(const cpmpf_rpref_t *x, const str *u)
{
	int n = x->len < u->len ? x->len : u->len;
	int c = memcmp(x->user, u->s, n);
	return c ? c : x->len - u->len;
}

/* index of user, or -(insertion point) - 1 */
static int search(const cpmpf_rpref_t *a, int n, const str *u)
{
	int lo = 0, hi = n - 1, mid, c;

	while(lo <= hi) {
		mid = lo + (hi - lo) / 2;
		c = cmp(&a[mid], u);
		if(c == 0)
			return mid;
		if(c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -lo - 1;
}

int cpmpf_rpref_find(const cpmpf_rpref_t *a, int n, const str *user)
{
	int i;

	if(a == NULL || user == NULL || user->len <= 0
			|| user->len > CPMPF_RPREF_USER_MAX)
		return CPMPF_RPREF_NONE;
	i = search(a, n, user);
	return i >= 0 ? a[i].flag : CPMPF_RPREF_NONE;
}

int cpmpf_rpref_set(cpmpf_rpref_t *a, int *n, const str *user, int flag)
{
	int i;

	if(user == NULL || user->s == NULL || user->len <= 0
			|| user->len > CPMPF_RPREF_USER_MAX)
		return -EINVAL;
	if(flag != CPMPF_RPREF_IN && flag != CPMPF_RPREF_OUT
			&& flag != CPMPF_RPREF_NONE)
		return -EINVAL;
	i = search(a, *n, user);
	if(i >= 0) {
		if(flag == CPMPF_RPREF_NONE) {
			memmove(&a[i], &a[i + 1], (*n - i - 1) * sizeof(*a));
			(*n)--;
		} else
			a[i].flag = flag;
		return 0;
	}
	if(flag == CPMPF_RPREF_NONE)
		return 0;
	i = -i - 1;
	memmove(&a[i + 1], &a[i], (*n - i) * sizeof(*a));
	memset(&a[i], 0, sizeof(*a));
	memcpy(a[i].user, user->s, user->len);
	a[i].len = user->len;
	a[i].flag = flag;
	(*n)++;
	return 0;
}
