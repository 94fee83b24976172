/*
 * cpm_cf: display names and pseudonyms (cpmcf_names_core.h), pure code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cpmcf_names_core.h"

/* a display name without its surrounding white space and quotes */
static void name_clean(const str *in, str *out)
{
	out->s = in->s;
	out->len = in->s ? in->len : 0;
	while(out->len > 0 && (out->s[0] == ' ' || out->s[0] == '\t')) {
		out->s++;
		out->len--;
	}
	while(out->len > 0
			&& (out->s[out->len - 1] == ' ' || out->s[out->len - 1] == '\t'))
		out->len--;
	if(out->len >= 2 && out->s[0] == '"' && out->s[out->len - 1] == '"') {
		out->s++;
		out->len -= 2;
	}
}

void cpmcf_name_choose(const cpmcf_name_src_t *src, str *out)
{
	const str *c[4] = {&src->group, &src->pai, &src->from, &src->to200};
	int i;

	for(i = 0; i < 4; i++) {
		name_clean(c[i], out);
		if(out->len > 0)
			return;
	}
	out->s = NULL;
	out->len = 0;
}

int cpmcf_name_copy(const cpmcf_name_src_t *src, char *buf, int size)
{
	str n;

	cpmcf_name_choose(src, &n);
	if(n.len <= 0 || n.len >= size)
		return 0;
	memcpy(buf, n.s, n.len);
	buf[n.len] = 0;
	return n.len;
}

int cpmcf_privacy_id(const str *value)
{
	int i = 0, b, e, id = 0;

	if(value == NULL || value->s == NULL)
		return 0;
	while(i < value->len) {
		while(i < value->len
				&& (value->s[i] == ' ' || value->s[i] == '\t'
						|| value->s[i] == ';' || value->s[i] == ','))
			i++;
		b = i;
		while(i < value->len && value->s[i] != ';' && value->s[i] != ','
				&& value->s[i] != ' ' && value->s[i] != '\t')
			i++;
		e = i;
		if(e - b == 2 && strncasecmp(value->s + b, "id", 2) == 0)
			id = 1;
		else if(e - b == 4 && strncasecmp(value->s + b, "none", 4) == 0)
			return 0; /* RFC 3323 4.2: none means no privacy at all */
	}
	return id;
}

int cpmcf_anon_allowed(int predefined, int group_allows, int adhoc_forbidden)
{
	return predefined ? group_allows != 0 : adhoc_forbidden == 0;
}

static int taken_by(const str *name, const str *taken, int n)
{
	int i;

	for(i = 0; i < n; i++)
		if(taken[i].len == name->len && name->len > 0
				&& strncasecmp(taken[i].s, name->s, name->len) == 0)
			return 1;
	return 0;
}

int cpmcf_pseudonym(const str *wanted, const str *taken, int n, char *buf,
		int size)
{
	char tmp[32];
	str w = STR_NULL, t;
	int k, len = 0;

	if(buf == NULL || size <= 0 || n < 0 || (n > 0 && taken == NULL))
		return -EINVAL;
	if(wanted)
		name_clean(wanted, &w);
	if(w.len > 0 && !taken_by(&w, taken, n)) {
		if(w.len >= size)
			return -ENOSPC;
		memcpy(buf, w.s, w.len);
		buf[w.len] = 0;
		return w.len;
	}
	/* n + 1 candidates: one of them is free */
	for(k = 1; k <= n + 1; k++) {
		len = snprintf(tmp, sizeof(tmp), CPMCF_PSEUDO_PREFIX " %d", k);
		t.s = tmp;
		t.len = len;
		if(!taken_by(&t, taken, n))
			break;
	}
	if(len >= size)
		return -ENOSPC;
	memcpy(buf, tmp, len + 1);
	return len;
}

int cpmcf_anon_uri(int k, char *buf, int size)
{
	int n;

	if(k < 1 || buf == NULL || size <= 0)
		return -EINVAL;
	n = snprintf(buf, size, "sip:anonymous-%d@" CPMCF_ANON_DOMAIN, k);
	return (n < 0 || n >= size) ? -ENOSPC : n;
}
