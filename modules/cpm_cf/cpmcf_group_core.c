/*
 * cpm_cf pre-defined groups, pure part: see cpmcf_group_core.h.
 */
#include <errno.h>
#include <string.h>

#include "core/mem/mem.h"
#include "../../lib/cpm_lex.h"
#include "cpmcf_group_core.h"

struct cpmcf_gtab {
	int ref;    /* the glue's reference count (under its lock) */
	int ng;     /* groups */
	int nslots; /* hash slots, a power of 2 */
	cpmcf_group_t *groups;
	int *slots; /* group index + 1, 0 = empty (open addressing) */
};

int cpmcf_uri_key(const str *uri, cpmcf_is_local_f is_local, char *buf,
		int size)
{
	const char *s, *at, *h, *end, *p;
	int len, i, n, ulen, hlen, port = 0;
	str host;

	if(uri == NULL || uri->s == NULL || uri->len <= 0 || buf == NULL
			|| size <= 0)
		return -EINVAL;
	s = uri->s;
	len = uri->len;
	if(cpm_lex_iprefix("tel:", 4, s, len)) {
		/* TEL-URI: the number up to the first parameter */
		for(n = 4; n < len && s[n] != ';'; n++)
			;
		if(n == 4)
			return -EINVAL;
		if(n >= size)
			return -ENOSPC;
		memcpy(buf, "tel:", 4);
		memcpy(buf + 4, s + 4, n - 4);
		buf[n] = '\0';
		return n;
	}
	if(cpm_lex_iprefix("sip:", 4, s, len))
		i = 4;
	else if(cpm_lex_iprefix("sips:", 5, s, len))
		i = 5;
	else
		return -EINVAL;
	/* the userinfo ends at the last '@' before any ';' '?' of the host
	 * part; a user part may itself hold ';' (user parameters), so look for
	 * '@' first */
	end = s + len;
	at = NULL;
	for(p = s + i; p < end && *p != '?'; p++)
		if(*p == '@')
			at = p;
	if(at == NULL || at == s + i)
		return -EINVAL;
	/* user (a password after ':' is not part of the key) */
	for(ulen = 0; s + i + ulen < at && s[i + ulen] != ':'; ulen++)
		;
	if(ulen == 0)
		return -EINVAL;
	h = at + 1;
	if(h < end && *h == '[') {
		for(hlen = 0; h + hlen < end && h[hlen] != ']'; hlen++)
			;
		if(h + hlen >= end)
			return -EINVAL;
		hlen++;
	} else {
		for(hlen = 0; h + hlen < end && h[hlen] != ':' && h[hlen] != ';'
				&& h[hlen] != '?' && h[hlen] != '>';
				hlen++)
			;
	}
	if(hlen == 0)
		return -EINVAL;
	if(h + hlen < end && h[hlen] == ':') {
		for(p = h + hlen + 1; p < end && cpm_lex_is_digit(*p); p++) {
			port = port * 10 + (*p - '0');
			if(port > 65535)
				return -EINVAL;
		}
	}
	host.s = (char *)h;
	host.len = hlen;
	if(is_local && is_local(&host, (unsigned short)port)) {
		if(ulen >= size)
			return -ENOSPC;
		memcpy(buf, s + i, ulen);
		buf[ulen] = '\0';
		return ulen;
	}
	if(ulen + 1 + hlen >= size)
		return -ENOSPC;
	memcpy(buf, s + i, ulen);
	buf[ulen] = '@';
	for(n = 0; n < hlen; n++)
		buf[ulen + 1 + n] = (char)cpm_lex_lower(h[n]);
	buf[ulen + 1 + hlen] = '\0';
	return ulen + 1 + hlen;
}

static unsigned int hash(const char *s, int len)
{
	unsigned int h = 2166136261u;
	int i;

	for(i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static int str_eq(const str *a, const str *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static int row_ok(const str *uri, const str *key, const str *disp)
{
	return key->s && key->len > 0 && key->len < CPMCF_URI_MAX && uri->s
		   && uri->len > 0 && uri->len < CPMCF_URI_MAX
		   && (disp->s == NULL || disp->len < CPMCF_DISPLAY_MAX);
}

/* copies a str into the pool */
static void put(str *dst, const str *src, char **pool)
{
	int n = (src->s && src->len > 0) ? src->len : 0;

	dst->s = *pool;
	dst->len = n;
	if(n)
		memcpy(*pool, src->s, n);
	(*pool)[n] = '\0';
	*pool += n + 1;
}

cpmcf_gtab_t *cpmcf_gtab_build(const cpmcf_group_row_t *g, int ng,
		const cpmcf_member_row_t *m, int nm, void *(*alloc)(size_t),
		int *skipped)
{
	int *gidx = NULL, *mg = NULL, *cnt = NULL, *pos = NULL;
	int i, j, k, n = 0, nmk = 0, nslots = 1, bad = 0;
	size_t sz, pool = 0;
	cpmcf_gtab_t *t = NULL;
	cpmcf_member_t *mem;
	char *pp;
	unsigned int hv;

	if(ng < 0 || nm < 0 || alloc == NULL || (ng > 0 && g == NULL)
			|| (nm > 0 && m == NULL))
		goto done;
	if(ng > 0) {
		gidx = pkg_malloc(ng * sizeof(int));
		cnt = pkg_malloc(ng * sizeof(int));
		pos = pkg_malloc(ng * sizeof(int));
		if(gidx == NULL || cnt == NULL || pos == NULL)
			goto done;
	}
	if(nm > 0 && (mg = pkg_malloc(nm * sizeof(int))) == NULL)
		goto done;
	/* the groups kept: valid rows, the first of each key */
	for(i = 0; i < ng; i++) {
		gidx[i] = -1;
		cnt[i] = 0;
		if(!row_ok(&g[i].uri, &g[i].key, &g[i].display_name)) {
			bad++;
			continue;
		}
		for(j = 0; j < i; j++)
			if(gidx[j] >= 0 && str_eq(&g[j].key, &g[i].key))
				break;
		if(j < i) {
			bad++;
			continue;
		}
		gidx[i] = n++;
		pool += g[i].uri.len + g[i].key.len + 3
				+ (g[i].display_name.s ? g[i].display_name.len : 0);
	}
	/* each member row to its group; duplicates and the group itself out */
	for(i = 0; i < nm; i++) {
		mg[i] = -1;
		if(!row_ok(&m[i].uri, &m[i].key, &m[i].display_name)
				|| m[i].group_key.s == NULL) {
			bad++;
			continue;
		}
		for(j = 0; j < ng; j++)
			if(gidx[j] >= 0 && str_eq(&g[j].key, &m[i].group_key))
				break;
		if(j == ng || str_eq(&m[i].key, &g[j].key)
				|| cnt[j] >= CPMCF_MEMBERS_MAX) {
			bad++;
			continue;
		}
		for(k = 0; k < i; k++)
			if(mg[k] == j && str_eq(&m[k].key, &m[i].key))
				break;
		if(k < i) {
			bad++;
			continue;
		}
		mg[i] = j;
		cnt[j]++;
		nmk++;
		pool += m[i].uri.len + m[i].key.len + 3
				+ (m[i].display_name.s ? m[i].display_name.len : 0);
	}
	while(nslots < 2 * n)
		nslots <<= 1;
	sz = sizeof(*t) + n * sizeof(cpmcf_group_t) + nmk * sizeof(cpmcf_member_t)
		 + nslots * sizeof(int) + pool;
	t = alloc(sz);
	if(t == NULL)
		goto done;
	memset(t, 0, sz);
	t->ref = 1;
	t->ng = n;
	t->nslots = nslots;
	t->groups = (cpmcf_group_t *)(t + 1);
	mem = (cpmcf_member_t *)(t->groups + n);
	t->slots = (int *)(mem + nmk);
	pp = (char *)(t->slots + nslots);
	/* groups in row order, each with its slice of the member array */
	for(i = 0, k = 0; i < ng; i++) {
		cpmcf_group_t *gr;
		if(gidx[i] < 0)
			continue;
		gr = &t->groups[gidx[i]];
		put(&gr->uri, &g[i].uri, &pp);
		put(&gr->key, &g[i].key, &pp);
		put(&gr->display_name, &g[i].display_name, &pp);
		gr->max_participants =
				g[i].max_participants > 0 ? g[i].max_participants : 0;
		gr->policy = g[i].policy;
		gr->members = mem + k;
		pos[i] = k;
		k += cnt[i];
		hv = hash(gr->key.s, gr->key.len) & (nslots - 1);
		while(t->slots[hv])
			hv = (hv + 1) & (nslots - 1);
		t->slots[hv] = gidx[i] + 1;
	}
	for(i = 0; i < nm; i++) {
		cpmcf_group_t *gr;
		cpmcf_member_t *me;
		if(mg[i] < 0)
			continue;
		gr = &t->groups[gidx[mg[i]]];
		me = &mem[pos[mg[i]]++];
		put(&me->uri, &m[i].uri, &pp);
		put(&me->key, &m[i].key, &pp);
		put(&me->display_name, &m[i].display_name, &pp);
		gr->n_members++;
	}
done:
	if(gidx)
		pkg_free(gidx);
	if(cnt)
		pkg_free(cnt);
	if(pos)
		pkg_free(pos);
	if(mg)
		pkg_free(mg);
	if(skipped)
		*skipped = bad;
	return t;
}

int cpmcf_gtab_count(const cpmcf_gtab_t *t)
{
	return t ? t->ng : 0;
}

const cpmcf_group_t *cpmcf_gtab_at(const cpmcf_gtab_t *t, int i)
{
	return (t && i >= 0 && i < t->ng) ? &t->groups[i] : NULL;
}

const cpmcf_group_t *cpmcf_gtab_find(const cpmcf_gtab_t *t, const str *key)
{
	unsigned int hv;
	int s;

	if(t == NULL || key == NULL || key->s == NULL || key->len <= 0
			|| t->ng == 0)
		return NULL;
	hv = hash(key->s, key->len) & (t->nslots - 1);
	while((s = t->slots[hv]) != 0) {
		if(str_eq(&t->groups[s - 1].key, key))
			return &t->groups[s - 1];
		hv = (hv + 1) & (t->nslots - 1);
	}
	return NULL;
}

int *cpmcf_gtab_ref(cpmcf_gtab_t *t)
{
	return t ? &t->ref : NULL;
}

int cpmcf_group_member(const cpmcf_group_t *g, const str *key)
{
	int i;

	if(g == NULL || key == NULL || key->s == NULL)
		return -1;
	for(i = 0; i < g->n_members; i++)
		if(str_eq(&g->members[i].key, key))
			return i;
	return -1;
}
