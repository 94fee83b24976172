/*
 * cpm_pf: User Preferences Profiles (cpmpf_prefs_core.h).  Pure code.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cpmpf_devices_core.h"
#include "cpmpf_prefs_core.h"

static const char *_act_names[] = {"deliver", "defer", "reject"};

int cpmpf_pref_action_from_name(const str *name, cpmpf_pref_action_t *act)
{
	int i;

	if(name == NULL || name->s == NULL || act == NULL)
		return -EINVAL;
	for(i = 0; i < 3; i++) {
		if(name->len == (int)strlen(_act_names[i])
				&& strncasecmp(name->s, _act_names[i], name->len) == 0) {
			*act = (cpmpf_pref_action_t)i;
			return 0;
		}
	}
	return -ENOENT;
}

const char *cpmpf_pref_action_name(cpmpf_pref_action_t act)
{
	if(act < CPMPF_PREF_DELIVER || act > CPMPF_PREF_REJECT)
		return NULL;
	return _act_names[act];
}

static void trim(str *s)
{
	while(s->len > 0 && (s->s[0] == ' ' || s->s[0] == '\t')) {
		s->s++;
		s->len--;
	}
	while(s->len > 0 && (s->s[s->len - 1] == ' ' || s->s[s->len - 1] == '\t'))
		s->len--;
}

int cpmpf_devlist_all(const str *list)
{
	str l;

	if(list == NULL || list->s == NULL)
		return 1;
	l = *list;
	trim(&l);
	return (l.len == 0 || (l.len == 1 && l.s[0] == '*')) ? 1 : 0;
}

/* calls f(item) for each comma-separated item; stops at a non-zero */
static int devlist_each(const str *list, int (*f)(const str *, const void *),
		const void *arg)
{
	str item;
	int i, start, r;

	start = 0;
	for(i = 0; i <= list->len; i++) {
		if(i < list->len && list->s[i] != ',')
			continue;
		item.s = list->s + start;
		item.len = i - start;
		trim(&item);
		r = f(&item, arg);
		if(r != 0)
			return r;
		start = i + 1;
	}
	return 0;
}

static int item_eq(const str *item, const void *arg)
{
	return cpmpf_instance_eq(item, (const str *)arg);
}

int cpmpf_devlist_has(const str *list, const str *instance)
{
	if(cpmpf_devlist_all(list))
		return 1;
	if(instance == NULL || instance->len <= 0)
		return 0;
	return devlist_each(list, item_eq, instance) == 1 ? 1 : 0;
}

/* an item is a non-empty run of VCHAR other than ',' */
static int item_bad(const str *item, const void *arg)
{
	int i;

	if(item->len == 0)
		return 1;
	for(i = 0; i < item->len; i++) {
		unsigned char c = (unsigned char)item->s[i];
		if(c <= 0x20 || c >= 0x7f)
			return 1;
	}
	return 0;
}

int cpmpf_devlist_check(const str *list)
{
	if(cpmpf_devlist_all(list))
		return 0;
	return devlist_each(list, item_bad, NULL) ? -EBADMSG : 0;
}

typedef struct print_ctx {
	char *buf;
	int len;
	int pos;
	int n;
} print_ctx_t;

static int item_print(const str *item, const void *arg)
{
	print_ctx_t *c = (print_ctx_t *)arg;

	if(c->pos + (c->n ? 1 : 0) + item->len + 1 > c->len)
		return -ENOSPC;
	if(c->n)
		c->buf[c->pos++] = ',';
	memcpy(c->buf + c->pos, item->s, item->len);
	c->pos += item->len;
	c->n++;
	return 0;
}

int cpmpf_devlist_print(const str *list, char *buf, int len)
{
	print_ctx_t c;
	int r;

	if(buf == NULL || len <= 0)
		return -ENOSPC;
	if(cpmpf_devlist_check(list) != 0)
		return -EBADMSG;
	if(cpmpf_devlist_all(list)) {
		if(len < 2)
			return -ENOSPC;
		buf[0] = '*';
		buf[1] = '\0';
		return 1;
	}
	c.buf = buf;
	c.len = len;
	c.pos = 0;
	c.n = 0;
	r = devlist_each(list, item_print, &c);
	if(r != 0)
		return r;
	buf[c.pos] = '\0';
	return c.pos;
}

static int item_count(const str *item, const void *arg)
{
	(*(int *)arg)++;
	return 0;
}

int cpmpf_devlist_count(const str *list)
{
	int n = 0;

	if(cpmpf_devlist_all(list) || cpmpf_devlist_check(list) != 0)
		return 0;
	devlist_each(list, item_count, &n);
	return n;
}

static unsigned int hash_name(const str *s)
{
	unsigned int h = 5381;
	int i;

	for(i = 0; i < s->len; i++)
		h = h * 33 + (unsigned char)s->s[i];
	return h;
}

cpmpf_pref_table_t *cpmpf_pref_table_new(unsigned int size,
		const cpmpf_alloc_t *a)
{
	cpmpf_pref_table_t *t;
	unsigned int n = 16;

	while(n < size && n < (1u << 20))
		n <<= 1;
	t = a->alloc(sizeof(*t));
	if(t == NULL)
		return NULL;
	t->slots = a->alloc(n * sizeof(*t->slots));
	if(t->slots == NULL) {
		a->free(t);
		return NULL;
	}
	memset(t->slots, 0, n * sizeof(*t->slots));
	t->size = n;
	t->a = a;
	return t;
}

static void free_profile(const cpmpf_alloc_t *a, cpmpf_pref_profile_t *p)
{
	int i;

	for(i = 0; i < CPMH_SVC_COUNT; i++) {
		if(p->rules[i].reason.s)
			a->free(p->rules[i].reason.s);
		if(p->rules[i].devices.s)
			a->free(p->rules[i].devices.s);
	}
	if(p->name.s)
		a->free(p->name.s);
	a->free(p);
}

static void free_user(const cpmpf_alloc_t *a, cpmpf_pref_user_t *u)
{
	cpmpf_pref_profile_t *p, *n;

	for(p = u->profiles; p; p = n) {
		n = p->next;
		free_profile(a, p);
	}
	if(u->name.s)
		a->free(u->name.s);
	a->free(u);
}

void cpmpf_pref_table_free(cpmpf_pref_table_t *t)
{
	cpmpf_pref_user_t *u, *n;
	unsigned int i;

	if(t == NULL)
		return;
	for(i = 0; i < t->size; i++) {
		for(u = t->slots[i]; u; u = n) {
			n = u->next;
			free_user(t->a, u);
		}
	}
	t->a->free(t->slots);
	t->a->free(t);
}

static int dup_str(const cpmpf_alloc_t *a, str *dst, const str *src)
{
	int len = (src && src->s) ? src->len : 0;

	dst->s = a->alloc(len + 1);
	if(dst->s == NULL)
		return -ENOMEM;
	if(len)
		memcpy(dst->s, src->s, len);
	dst->s[len] = '\0';
	dst->len = len;
	return 0;
}

static int str_eq(const str *a, const str *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

cpmpf_pref_user_t *cpmpf_pref_user_find(cpmpf_pref_table_t *t, const str *user)
{
	cpmpf_pref_user_t *u;
	unsigned int h;

	if(t == NULL || user == NULL || user->s == NULL)
		return NULL;
	h = hash_name(user);
	for(u = t->slots[h & (t->size - 1)]; u; u = u->next)
		if(u->hash == h && str_eq(&u->name, user))
			return u;
	return NULL;
}

static cpmpf_pref_profile_t *profile_find(
		cpmpf_pref_user_t *u, const str *name)
{
	cpmpf_pref_profile_t *p;

	for(p = u->profiles; p; p = p->next)
		if(str_eq(&p->name, name))
			return p;
	return NULL;
}

static cpmpf_pref_user_t *user_get(cpmpf_pref_table_t *t, const str *user)
{
	const cpmpf_alloc_t *a = t->a;
	cpmpf_pref_user_t *u;

	u = cpmpf_pref_user_find(t, user);
	if(u)
		return u;
	u = a->alloc(sizeof(*u));
	if(u == NULL)
		return NULL;
	memset(u, 0, sizeof(*u));
	if(dup_str(a, &u->name, user) < 0) {
		a->free(u);
		return NULL;
	}
	u->hash = hash_name(user);
	u->next = t->slots[u->hash & (t->size - 1)];
	t->slots[u->hash & (t->size - 1)] = u;
	return u;
}

int cpmpf_pref_add_rule(cpmpf_pref_table_t *t, const str *user,
		const str *profile, cpmh_service_t svc, cpmpf_pref_action_t act,
		int status, const str *reason, const str *devices)
{
	const cpmpf_alloc_t *a;
	cpmpf_pref_user_t *u;
	cpmpf_pref_profile_t *p;
	cpmpf_pref_rule_t r;
	int i;

	if(t == NULL || user == NULL || user->len <= 0 || profile == NULL
			|| profile->len <= 0 || svc < 0 || svc >= CPMH_SVC_COUNT
			|| act < CPMPF_PREF_DELIVER || act > CPMPF_PREF_REJECT)
		return -EINVAL;
	if(act == CPMPF_PREF_REJECT && (status < 400 || status > 699))
		return -EINVAL;
	if(devices && cpmpf_devlist_check(devices) != 0)
		return -EINVAL;
	if(reason && reason->s) {
		for(i = 0; i < reason->len; i++)
			if((unsigned char)reason->s[i] < 0x20 || reason->s[i] == 0x7f)
				return -EINVAL; /* a reason phrase holds no CTL */
	}
	a = t->a;
	u = user_get(t, user);
	if(u == NULL)
		return -ENOMEM;
	p = profile_find(u, profile);
	if(p == NULL) {
		p = a->alloc(sizeof(*p));
		if(p == NULL)
			return -ENOMEM;
		memset(p, 0, sizeof(*p));
		if(dup_str(a, &p->name, profile) < 0) {
			a->free(p);
			return -ENOMEM;
		}
		p->next = u->profiles;
		u->profiles = p;
	}
	memset(&r, 0, sizeof(r));
	r.set = 1;
	r.action = act;
	r.status = act == CPMPF_PREF_REJECT ? status : 0;
	if(dup_str(a, &r.reason, reason) < 0)
		return -ENOMEM;
	if(dup_str(a, &r.devices, devices) < 0) {
		a->free(r.reason.s);
		return -ENOMEM;
	}
	if(p->rules[svc].reason.s)
		a->free(p->rules[svc].reason.s);
	if(p->rules[svc].devices.s)
		a->free(p->rules[svc].devices.s);
	p->rules[svc] = r;
	return 0;
}

int cpmpf_pref_set_active(
		cpmpf_pref_table_t *t, const str *user, const str *profile)
{
	cpmpf_pref_user_t *u;
	cpmpf_pref_profile_t *p;

	u = cpmpf_pref_user_find(t, user);
	if(u == NULL || profile == NULL || profile->s == NULL)
		return -ENOENT;
	p = profile_find(u, profile);
	if(p == NULL)
		return -ENOENT;
	if(u->active != p)
		u->dirty = 1;
	u->active = p;
	return 0;
}

int cpmpf_pref_eval(cpmpf_pref_table_t *t, const str *user,
		cpmh_service_t svc, cpmpf_pref_rule_t *out)
{
	cpmpf_pref_user_t *u;

	if(out == NULL || svc < 0 || svc >= CPMH_SVC_COUNT)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->action = CPMPF_PREF_DELIVER;
	u = cpmpf_pref_user_find(t, user);
	if(u == NULL || u->active == NULL || !u->active->rules[svc].set)
		return 0;
	*out = u->active->rules[svc];
	return 0;
}
