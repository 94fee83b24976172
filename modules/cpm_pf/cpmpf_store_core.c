/*
 * cpm_pf deferred delivery: pure parts (see cpmpf_store_core.h).
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cpmpf_store_core.h"

int cpmpf_pending(const long long *all, int n, const long long *done, int m,
		long long *out)
{
	int i = 0, j = 0, k = 0;

	/* merge of two ascending lists: keep what `done` lacks */
	while(i < n) {
		while(j < m && done[j] < all[i])
			j++;
		if(j < m && done[j] == all[i]) {
			i++;
			continue;
		}
		out[k++] = all[i++];
	}
	return k;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int cpmpf_hdr_listed(const str *list, const str *name)
{
	const char *p, *end, *b, *e;

	if(list == NULL || list->s == NULL || name == NULL || name->len <= 0)
		return 0;
	p = list->s;
	end = list->s + list->len;
	while(p < end) {
		b = p;
		while(p < end && *p != ',')
			p++;
		e = p;
		while(b < e && is_blank(*b))
			b++;
		while(e > b && is_blank(e[-1]))
			e--;
		if(e - b == name->len && strncasecmp(b, name->s, name->len) == 0)
			return 1;
		if(p < end)
			p++;
	}
	return 0;
}

int cpmpf_from_strip_tag(const str *in, char *out)
{
	const char *s = in->s, *end = in->s + in->len, *p, *ps, *pe, *n;
	int o = 0, inq = 0, angle = 0;

	/* find where the parameters start: after '>' when there is a
	 * name-addr, else at the first ';' (outside quotes) */
	for(p = s; p < end; p++) {
		if(inq) {
			if(*p == '\\' && p + 1 < end)
				p++;
			else if(*p == '"')
				inq = 0;
			continue;
		}
		if(*p == '"')
			inq = 1;
		else if(*p == '<')
			angle = 1;
		else if(*p == '>' && angle) {
			p++;
			break;
		} else if(*p == ';' && !angle)
			break;
	}
	memcpy(out, s, p - s);
	o = (int)(p - s);
	/* copy every parameter but tag */
	while(p < end) {
		ps = p; /* at ';' or blanks before it */
		n = p;
		while(n < end && *n != ';')
			n++;
		if(n >= end) {
			memcpy(out + o, p, end - p);
			o += (int)(end - p);
			break;
		}
		/* parameter runs from n to the next ';' (quoted values skipped) */
		pe = n + 1;
		inq = 0;
		while(pe < end && (inq || *pe != ';')) {
			if(inq && *pe == '\\' && pe + 1 < end)
				pe++;
			else if(*pe == '"')
				inq = !inq;
			pe++;
		}
		{
			const char *nm = n + 1;
			while(nm < pe && is_blank(*nm))
				nm++;
			if(pe - nm >= 3 && strncasecmp(nm, "tag", 3) == 0
					&& (pe - nm == 3 || nm[3] == '=' || is_blank(nm[3]))) {
				/* drop it, and the blanks before its ';' */
				memcpy(out + o, ps, n - ps);
				o += (int)(n - ps);
				while(o > 0 && is_blank(out[o - 1]))
					o--;
				p = pe;
				continue;
			}
		}
		memcpy(out + o, ps, pe - ps);
		o += (int)(pe - ps);
		p = pe;
	}
	return o;
}

int cpmpf_all_delivered(const str *devs, int ndevs, const str *got, int ngot)
{
	int i, j;

	if(ndevs <= 0)
		return 0;
	for(i = 0; i < ndevs; i++) {
		for(j = 0; j < ngot; j++)
			if(devs[i].len == got[j].len
					&& memcmp(devs[i].s, got[j].s, got[j].len) == 0)
				break;
		if(j == ngot)
			return 0;
	}
	return 1;
}

int cpmpf_sql_text_len(const str *s)
{
	int i, n = 2;

	for(i = 0; i < s->len; i++) {
		if(s->s[i] == '\0')
			return -EINVAL;
		n += s->s[i] == '\'' ? 2 : 1;
	}
	return n;
}

int cpmpf_sql_text(char *buf, int size, const str *s)
{
	int i, n = cpmpf_sql_text_len(s);

	if(n < 0)
		return n;
	if(n > size)
		return -ENOSPC;
	n = 0;
	buf[n++] = '\'';
	for(i = 0; i < s->len; i++) {
		if(s->s[i] == '\'')
			buf[n++] = '\'';
		buf[n++] = s->s[i];
	}
	buf[n++] = '\'';
	return n;
}

int cpmpf_sql_blob_len(const str *s)
{
	return 3 + 2 * s->len;
}

int cpmpf_sql_blob(char *buf, int size, const str *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int i, n = cpmpf_sql_blob_len(s);

	if(n > size)
		return -ENOSPC;
	n = 0;
	buf[n++] = 'X';
	buf[n++] = '\'';
	for(i = 0; i < s->len; i++) {
		buf[n++] = hex[((unsigned char)s->s[i]) >> 4];
		buf[n++] = hex[((unsigned char)s->s[i]) & 15];
	}
	buf[n++] = '\'';
	return n;
}

/* ---- the stateless store's retransmission table ---- */
int cpmpf_seen_key(char *buf, int size, const str *callid, const str *cseq,
		const str *ftag)
{
	int n = callid->len + cseq->len + ftag->len + 2;

	if(n > size)
		return -ENOSPC;
	memcpy(buf, callid->s, callid->len);
	buf[callid->len] = ' ';
	memcpy(buf + callid->len + 1, cseq->s, cseq->len);
	buf[callid->len + 1 + cseq->len] = ' ';
	memcpy(buf + callid->len + cseq->len + 2, ftag->s, ftag->len);
	return n;
}

static unsigned int seen_hash(const str *key)
{
	unsigned int h = 2166136261u; /* FNV-1a */
	int i;

	for(i = 0; i < key->len; i++)
		h = (h ^ (unsigned char)key->s[i]) * 16777619u;
	return h;
}

/* the entry of key in its slot (expired ones freed on the way), with the
 * link that points to it */
static cpmpf_seen_ent_t *seen_find(cpmpf_seen_t *t, const str *key,
		unsigned int h, long long now, void (*freef)(void *),
		cpmpf_seen_ent_t ***link)
{
	cpmpf_seen_ent_t **pp = &t->slot[h % CPMPF_SEEN_SLOTS], *e;

	while((e = *pp) != NULL) {
		if(e->expires <= now) {
			*pp = e->next;
			t->n--;
			freef(e);
			continue;
		}
		if(e->hash == h && e->len == key->len
				&& memcmp(e->key, key->s, key->len) == 0) {
			if(link)
				*link = pp;
			return e;
		}
		pp = &e->next;
	}
	return NULL;
}

int cpmpf_seen_get(cpmpf_seen_t *t, const str *key, long long now,
		void (*freef)(void *))
{
	cpmpf_seen_ent_t *e = seen_find(t, key, seen_hash(key), now, freef, NULL);

	return e ? e->state : 0;
}

int cpmpf_seen_add(cpmpf_seen_t *t, const str *key, long long now,
		long long expires, void *(*alloc)(size_t), void (*freef)(void *),
		int *state)
{
	unsigned int h = seen_hash(key);
	cpmpf_seen_ent_t *e = seen_find(t, key, h, now, freef, NULL);

	if(e) {
		*state = e->state;
		return -EEXIST;
	}
	e = alloc(sizeof(*e) + key->len);
	if(e == NULL)
		return -ENOMEM;
	e->hash = h;
	e->state = CPMPF_SEEN_INFLIGHT;
	e->expires = expires;
	e->len = key->len;
	memcpy(e->key, key->s, key->len);
	e->next = t->slot[h % CPMPF_SEEN_SLOTS];
	t->slot[h % CPMPF_SEEN_SLOTS] = e;
	t->n++;
	return 0;
}

int cpmpf_seen_set(cpmpf_seen_t *t, const str *key, int state,
		long long expires, void (*freef)(void *))
{
	cpmpf_seen_ent_t **pp = NULL, *e;

	/* now far in the past: nothing counts as expired here, the entry itself
	 * included */
	e = seen_find(t, key, seen_hash(key), -(1LL << 62), freef, &pp);
	if(e == NULL)
		return -ENOENT;
	if(state == 0) {
		*pp = e->next;
		t->n--;
		freef(e);
		return 0;
	}
	e->state = state;
	e->expires = expires;
	return 0;
}

int cpmpf_seen_sweep(cpmpf_seen_t *t, long long now, void (*freef)(void *))
{
	cpmpf_seen_ent_t **pp, *e;
	int i, n = 0;

	for(i = 0; i < CPMPF_SEEN_SLOTS; i++) {
		pp = &t->slot[i];
		while((e = *pp) != NULL) {
			if(e->expires <= now) {
				*pp = e->next;
				t->n--;
				freef(e);
				n++;
			} else
				pp = &e->next;
		}
	}
	return n;
}
