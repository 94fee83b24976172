/*
 * cpm_cf: CPM Group Session state, pure code (cpmcf_session_core.h).
 */
#include <errno.h>
#include <string.h>

#include "cpmcf_session_core.h"

static int put(char *dst, int size, int *dlen, const str *v)
{
	if(v == NULL || v->s == NULL || v->len <= 0) {
		*dlen = 0;
		return 0;
	}
	if(v->len > size)
		return -EINVAL;
	memcpy(dst, v->s, v->len);
	*dlen = v->len;
	return 0;
}

#define PUT(f, v) put((f), sizeof(f), &f##_len, (v))

/* FNV-1a over the identity's user part */
unsigned int cpmcf_hash(const str *user)
{
	unsigned int h = 2166136261u;
	int i;

	for(i = 0; user && i < user->len; i++) {
		h ^= (unsigned char)user->s[i];
		h *= 16777619u;
	}
	return h;
}

int cpmcf_sess_new(const cpmcf_alloc_t *a, const cpmcf_sess_init_t *in,
		cpmcf_sess_t **out)
{
	cpmcf_sess_t *s;

	if(in->user.len <= 0 || in->max < 2)
		return -EINVAL;
	s = a->alloc(sizeof(*s));
	if(s == NULL)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	if(PUT(s->user, &in->user) < 0 || PUT(s->identity, &in->identity) < 0
			|| PUT(s->conv_id, &in->conv_id) < 0
			|| PUT(s->contrib_id, &in->contrib_id) < 0
			|| PUT(s->subject, &in->subject) < 0
			|| PUT(s->initiator, &in->initiator) < 0
			|| PUT(s->group, &in->group) < 0) {
		a->free(s);
		return -EINVAL;
	}
	s->dialect_up = in->dialect_up;
	s->max = in->max;
	s->gpolicy = in->gpolicy;
	s->hash = cpmcf_hash(&in->user);
	*out = s;
	return 0;
}

/* the slot's own allocations (cpmcf_part_set_extra) */
static void part_clear(const cpmcf_alloc_t *a, cpmcf_part_t *p)
{
	if(p->referrer)
		a->free(p->referrer);
	if(p->replaces)
		a->free(p->replaces);
	p->referrer = p->replaces = NULL;
	p->referrer_len = p->replaces_len = 0;
}

void cpmcf_sess_free(const cpmcf_alloc_t *a, cpmcf_sess_t *s)
{
	int i;

	if(s == NULL)
		return;
	for(i = 0; i < s->n; i++)
		part_clear(a, &s->parts[i]);
	if(s->parts)
		a->free(s->parts);
	a->free(s);
}

int cpmcf_active(const cpmcf_sess_t *s)
{
	int i, n = 0;

	for(i = 0; i < s->n; i++)
		if(s->parts[i].state < CPMCF_P_DISCONNECTING)
			n++;
	return n;
}

int cpmcf_part_by_uri(const cpmcf_sess_t *s, const str *uri)
{
	int i;

	for(i = 0; i < s->n; i++)
		if(s->parts[i].uri_len == uri->len
				&& memcmp(s->parts[i].uri, uri->s, uri->len) == 0)
			return i;
	return -ENOENT;
}

int cpmcf_part_by_dialog(const cpmcf_sess_t *s, const str *callid,
		const str *ltag)
{
	int i;
	const cpmcf_part_t *p;

	for(i = 0; i < s->n; i++) {
		p = &s->parts[i];
		if(p->callid_len == callid->len && p->ltag_len == ltag->len
				&& callid->len > 0
				&& memcmp(p->callid, callid->s, callid->len) == 0
				&& memcmp(p->ltag, ltag->s, ltag->len) == 0)
			return i;
	}
	return -ENOENT;
}

int cpmcf_part_add(const cpmcf_alloc_t *a, cpmcf_sess_t *s, const str *uri,
		const str *display, int initiator, cpmcf_pstate_t state)
{
	cpmcf_part_t *np, *p;
	int i, ncap, reuse;

	if(uri == NULL || uri->len <= 0 || uri->len > CPMCF_URI_MAX
			|| (display && display->len > CPMCF_NAME_MAX))
		return -EINVAL;
	i = cpmcf_part_by_uri(s, uri);
	if(i >= 0 && s->parts[i].state < CPMCF_P_DISCONNECTING)
		return -EEXIST;
	reuse = i >= 0;
	if(cpmcf_active(s) >= s->max)
		return -E2BIG;
	if(i < 0) {
		if(s->n == s->cap) {
			ncap = s->cap ? s->cap * 2 : 4;
			np = a->alloc(ncap * sizeof(*np));
			if(np == NULL)
				return -ENOMEM;
			if(s->n)
				memcpy(np, s->parts, s->n * sizeof(*np));
			if(s->parts)
				a->free(s->parts);
			s->parts = np;
			s->cap = ncap;
		}
		i = s->n++;
	}
	/* a former participant coming back (rejoin) reuses its entry */
	p = &s->parts[i];
	if(reuse)
		part_clear(a, p);
	memset(p, 0, sizeof(*p));
	PUT(p->uri, uri);
	PUT(p->display, display);
	p->initiator = initiator;
	p->state = state;
	return i;
}

int cpmcf_part_set_dialog(cpmcf_sess_t *s, int i, const str *callid,
		const str *ltag)
{
	cpmcf_part_t *p;

	if(i < 0 || i >= s->n)
		return -EINVAL;
	p = &s->parts[i];
	if(PUT(p->callid, callid) < 0 || PUT(p->ltag, ltag) < 0)
		return -EINVAL;
	return 0;
}

int cpmcf_part_set_extra(const cpmcf_alloc_t *a, cpmcf_sess_t *s, int i,
		int which, const str *v)
{
	cpmcf_part_t *p;
	char **dst, *n = NULL;
	int *dlen;

	if(i < 0 || i >= s->n || (v && v->len > CPMCF_URI_MAX))
		return -EINVAL;
	p = &s->parts[i];
	dst = which == CPMCF_X_REPLACES ? &p->replaces : &p->referrer;
	dlen = which == CPMCF_X_REPLACES ? &p->replaces_len : &p->referrer_len;
	if(v && v->len > 0) {
		n = a->alloc(v->len);
		if(n == NULL)
			return -ENOMEM;
		memcpy(n, v->s, v->len);
	}
	if(*dst)
		a->free(*dst);
	*dst = n;
	*dlen = n ? v->len : 0;
	return 0;
}

const char *cpmcf_pstate_name(cpmcf_pstate_t st)
{
	switch(st) {
		case CPMCF_P_DIALING_OUT:
			return "dialing-out";
		case CPMCF_P_DIALING_IN:
			return "dialing-in";
		case CPMCF_P_CONNECTED:
			return "connected";
		case CPMCF_P_DISCONNECTING:
			return "disconnecting";
		case CPMCF_P_DISCONNECTED:
			return "disconnected";
	}
	return "unknown";
}

int cpmcf_tab_init(const cpmcf_alloc_t *a, cpmcf_tab_t *t, unsigned int size)
{
	unsigned int n = 1;

	while(n < size && n < (1u << 20))
		n <<= 1;
	t->slot = a->alloc(n * sizeof(*t->slot));
	if(t->slot == NULL)
		return -ENOMEM;
	memset(t->slot, 0, n * sizeof(*t->slot));
	t->size = n;
	t->count = 0;
	return 0;
}

void cpmcf_tab_destroy(const cpmcf_alloc_t *a, cpmcf_tab_t *t)
{
	unsigned int i;
	cpmcf_sess_t *s, *n;

	if(t->slot == NULL)
		return;
	for(i = 0; i < t->size; i++)
		for(s = t->slot[i]; s; s = n) {
			n = s->next;
			cpmcf_sess_free(a, s);
		}
	a->free(t->slot);
	t->slot = NULL;
}

unsigned int cpmcf_tab_slot(const cpmcf_tab_t *t, unsigned int hash)
{
	return hash & (t->size - 1);
}

cpmcf_sess_t *cpmcf_tab_find(const cpmcf_tab_t *t, const str *user)
{
	cpmcf_sess_t *s;
	unsigned int h = cpmcf_hash(user);

	for(s = t->slot[cpmcf_tab_slot(t, h)]; s; s = s->next)
		if(s->hash == h && s->user_len == user->len
				&& memcmp(s->user, user->s, user->len) == 0)
			return s;
	return NULL;
}

cpmcf_sess_t *cpmcf_tab_find_contrib(const cpmcf_tab_t *t, unsigned int i,
		const str *contrib_id)
{
	cpmcf_sess_t *s;

	if(i >= t->size || contrib_id == NULL || contrib_id->len <= 0)
		return NULL;
	for(s = t->slot[i]; s; s = s->next)
		if(!s->ended && s->contrib_id_len == contrib_id->len
				&& memcmp(s->contrib_id, contrib_id->s, contrib_id->len) == 0)
			return s;
	return NULL;
}

int cpmcf_tab_link(cpmcf_tab_t *t, cpmcf_sess_t *s)
{
	str u = {s->user, s->user_len};
	unsigned int i;

	if(cpmcf_tab_find(t, &u))
		return -EEXIST;
	s->hash = cpmcf_hash(&u);
	i = cpmcf_tab_slot(t, s->hash);
	s->next = t->slot[i];
	t->slot[i] = s;
	s->linked = 1;
	s->refcnt++;
	t->count++;
	return 0;
}

int cpmcf_tab_unlink(cpmcf_tab_t *t, cpmcf_sess_t *s)
{
	cpmcf_sess_t **pp;

	if(!s->linked)
		return 0;
	for(pp = &t->slot[cpmcf_tab_slot(t, s->hash)]; *pp; pp = &(*pp)->next)
		if(*pp == s) {
			*pp = s->next;
			s->next = NULL;
			s->linked = 0;
			t->count--;
			return --s->refcnt == 0;
		}
	return 0;
}
