/*
 * cpm_cf: Group Sessions in shared memory (cpmcf_session.h).
 */
#include <errno.h>

#include "core/mem/shm_mem.h"
#include "core/mem/pkg.h"
#include "core/locking.h"
#include "core/dprint.h"

#include "cpmcf_session.h"
#include "cpmcf_dlg.h"

static void *shm_alloc_f(size_t n)
{
	return shm_malloc(n);
}
static void shm_free_f(void *p)
{
	shm_free(p);
}
const cpmcf_alloc_t cpmcf_shm = {shm_alloc_f, shm_free_f};

static cpmcf_tab_t *tab = NULL;
static gen_lock_set_t *locks = NULL;

int cpmcf_session_init(int size)
{
	tab = shm_malloc(sizeof(*tab));
	if(tab == NULL) {
		SHM_MEM_ERROR;
		return -ENOMEM;
	}
	if(cpmcf_tab_init(&cpmcf_shm, tab, size) < 0) {
		shm_free(tab);
		tab = NULL;
		SHM_MEM_ERROR;
		return -ENOMEM;
	}
	locks = lock_set_alloc(tab->size);
	if(locks == NULL || lock_set_init(locks) == NULL) {
		LM_ERR("cannot create %u session locks\n", tab->size);
		if(locks)
			lock_set_dealloc(locks);
		locks = NULL;
		cpmcf_tab_destroy(&cpmcf_shm, tab);
		shm_free(tab);
		tab = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void sess_free(cpmcf_sess_t *s)
{
	int i;

	for(i = 0; i < s->n; i++)
		if(s->parts[i].dlg)
			cpmcf_dlg_release(s->parts[i].dlg);
	cpmcf_sess_free(&cpmcf_shm, s);
}

void cpmcf_session_destroy(void)
{
	unsigned int i;
	cpmcf_sess_t *s, *n;

	if(tab == NULL)
		return;
	for(i = 0; i < tab->size; i++) {
		for(s = tab->slot[i]; s; s = n) {
			n = s->next;
			sess_free(s);
		}
		tab->slot[i] = NULL;
	}
	cpmcf_tab_destroy(&cpmcf_shm, tab);
	shm_free(tab);
	tab = NULL;
	if(locks) {
		lock_set_destroy(locks);
		lock_set_dealloc(locks);
		locks = NULL;
	}
}

static unsigned int slot_of(cpmcf_sess_t *s)
{
	return cpmcf_tab_slot(tab, s->hash);
}

void cpmcf_sess_lock(cpmcf_sess_t *s)
{
	lock_set_get(locks, slot_of(s));
}

void cpmcf_sess_unlock(cpmcf_sess_t *s)
{
	lock_set_release(locks, slot_of(s));
}

cpmcf_sess_t *cpmcf_sess_get(const str *user)
{
	unsigned int i;
	cpmcf_sess_t *s;

	if(tab == NULL || user == NULL || user->len <= 0)
		return NULL;
	i = cpmcf_tab_slot(tab, cpmcf_hash(user));
	lock_set_get(locks, i);
	s = cpmcf_tab_find(tab, user);
	if(s)
		s->refcnt++;
	lock_set_release(locks, i);
	return s;
}

cpmcf_sess_t *cpmcf_sess_get_contrib(const str *contrib_id)
{
	unsigned int i;
	cpmcf_sess_t *s = NULL;

	if(tab == NULL || contrib_id == NULL || contrib_id->len <= 0)
		return NULL;
	/* one slot locked at a time: a factory INVITE with a Contribution-ID
	 * scans the table (restarts are rare; a second index can come with
	 * the database write-through) */
	for(i = 0; i < tab->size && s == NULL; i++) {
		lock_set_get(locks, i);
		s = cpmcf_tab_find_contrib(tab, i, contrib_id);
		if(s)
			s->refcnt++;
		lock_set_release(locks, i);
	}
	return s;
}

void cpmcf_sess_put(cpmcf_sess_t *s)
{
	int last;

	if(s == NULL)
		return;
	lock_set_get(locks, slot_of(s));
	last = (--s->refcnt == 0);
	lock_set_release(locks, slot_of(s));
	if(last)
		sess_free(s);
}

int cpmcf_sess_insert(cpmcf_sess_t *s)
{
	int rc;

	lock_set_get(locks, cpmcf_tab_slot(tab, cpmcf_hash(&(str){s->user, s->user_len})));
	rc = cpmcf_tab_link(tab, s);
	lock_set_release(locks, slot_of(s));
	return rc;
}

void cpmcf_sess_remove(cpmcf_sess_t *s)
{
	int last;

	lock_set_get(locks, slot_of(s));
	last = cpmcf_tab_unlink(tab, s);
	lock_set_release(locks, slot_of(s));
	/* the caller holds a reference: never the last one here */
	if(last) {
		LM_CRIT("session %.*s unlinked without a reference\n", s->user_len,
				s->user);
		sess_free(s);
	}
}

int cpmcf_sess_count(void)
{
	return tab ? tab->count : 0;
}

void cpmcf_sess_each(void (*f)(cpmcf_sess_t *s, void *arg), void *arg)
{
	unsigned int i;
	int j, n, cnt;
	cpmcf_sess_t *s, *small[16], **batch;

	if(tab == NULL)
		return;
	for(i = 0; i < tab->size; i++) {
		/* references taken under the slot lock, f called without it */
		lock_set_get(locks, i);
		cnt = 0;
		for(s = tab->slot[i]; s; s = s->next)
			cnt++;
		batch = small;
		if(cnt > 16) {
			batch = pkg_malloc(cnt * sizeof(*batch));
			if(batch == NULL) {
				PKG_MEM_ERROR;
				batch = small;
				cnt = 16;
			}
		}
		n = 0;
		for(s = tab->slot[i]; s && n < cnt; s = s->next) {
			s->refcnt++;
			batch[n++] = s;
		}
		lock_set_release(locks, i);
		for(j = 0; j < n; j++) {
			f(batch[j], arg);
			cpmcf_sess_put(batch[j]);
		}
		if(batch != small)
			pkg_free(batch);
	}
}
