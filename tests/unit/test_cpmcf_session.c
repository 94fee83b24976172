/*
 * cpm_cf: Group Session state (cpmcf_session_core.c): participants, limits,
 * lookups by identity, dialog and Contribution-ID, references.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "cpm_cf/cpmcf_session_core.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})

static int _fail_after = -1;
static void *alloc_t(size_t n)
{
	if(_fail_after == 0)
		return NULL;
	if(_fail_after > 0)
		_fail_after--;
	return malloc(n);
}
static const cpmcf_alloc_t A = {alloc_t, free};

static cpmcf_sess_t *mk(const char *user, const char *contrib, int max)
{
	cpmcf_sess_init_t in;
	cpmcf_sess_t *s = NULL;

	memset(&in, 0, sizeof(in));
	in.user = S(user);
	in.identity = S("sip:x@example.net");
	in.contrib_id = S(contrib);
	in.conv_id = S("c0f1e2d3-aaaa-bbbb-cccc-000000000001");
	in.initiator = S("sip:alice@example.net");
	in.max = max;
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), 0);
	return s;
}

static void t_parts(void **state)
{
	cpmcf_sess_t *s = mk("cf-1", "k1", 3);
	str a = S("sip:alice@example.net"), b = S("sip:bob@example.net"),
		c = S("tel:+15550100003"), d = S("sip:dave@example.net");
	str cid = S("call-1"), tag = S("t1"), other = S("t2");
	int i;

	assert_int_equal(cpmcf_part_add(&A, s, &a, NULL, 1, CPMCF_P_DIALING_IN), 0);
	assert_int_equal(cpmcf_part_add(&A, s, &b, NULL, 0, CPMCF_P_DIALING_OUT), 1);
	/* the same URI twice: once (RFC 5366 4) */
	assert_int_equal(cpmcf_part_add(&A, s, &b, NULL, 0, CPMCF_P_DIALING_OUT),
			-EEXIST);
	assert_int_equal(cpmcf_part_add(&A, s, &c, NULL, 0, CPMCF_P_DIALING_OUT), 2);
	/* max 3: a fourth is refused (Warning 102) */
	assert_int_equal(cpmcf_part_add(&A, s, &d, NULL, 0, CPMCF_P_DIALING_OUT),
			-E2BIG);
	assert_int_equal(cpmcf_active(s), 3);
	/* one leaves: room for another, and the leaver can rejoin in its slot */
	s->parts[1].state = CPMCF_P_DISCONNECTED;
	assert_int_equal(cpmcf_active(s), 2);
	assert_int_equal(cpmcf_part_add(&A, s, &b, NULL, 0, CPMCF_P_DIALING_IN), 1);
	assert_int_equal(s->n, 3);
	assert_int_equal(cpmcf_part_by_uri(s, &c), 2);
	assert_int_equal(cpmcf_part_by_uri(s, &d), -ENOENT);
	assert_int_equal(cpmcf_part_set_dialog(s, 2, &cid, &tag), 0);
	assert_int_equal(cpmcf_part_by_dialog(s, &cid, &tag), 2);
	assert_int_equal(cpmcf_part_by_dialog(s, &cid, &other), -ENOENT);
	assert_int_equal(cpmcf_part_set_dialog(s, 7, &cid, &tag), -EINVAL);
	/* growth past the first block keeps the entries */
	s->max = 100;
	for(i = 0; i < 20; i++) {
		char u[32];
		str su;
		snprintf(u, sizeof(u), "sip:u%d@example.net", i);
		su = S(u);
		assert_int_equal(cpmcf_part_add(&A, s, &su, NULL, 0, CPMCF_P_DIALING_OUT),
				3 + i);
	}
	assert_int_equal(cpmcf_part_by_dialog(s, &cid, &tag), 2);
	assert_string_equal(cpmcf_pstate_name(s->parts[0].state), "dialing-in");
	cpmcf_sess_free(&A, s);
}

/* referrer / Replaces: allocated on demand, owned by the slot, freed when
 * the slot is reused (rejoin), replaced, cleared, or the session freed
 * (valgrind: no leak, no double free) */
static void t_extra(void **state)
{
	cpmcf_sess_t *s = mk("cf-x", "kx", 10);
	str a = S("sip:alice@example.net"), b = S("sip:bob@example.net"),
		r = S("sip:carol@example.net"), rep = S("id@h;to-tag=1;from-tag=2"),
		none = S(""), big;
	char bb[CPMCF_URI_MAX + 1];
	int i;

	assert_int_equal(cpmcf_part_add(&A, s, &a, NULL, 1, CPMCF_P_DIALING_IN), 0);
	assert_int_equal(cpmcf_part_add(&A, s, &b, NULL, 0, CPMCF_P_DIALING_OUT), 1);
	assert_null(s->parts[1].referrer);
	assert_null(s->parts[1].replaces);
	assert_int_equal(
			cpmcf_part_set_extra(&A, s, 1, CPMCF_X_REFERRER, &r), 0);
	assert_int_equal(
			cpmcf_part_set_extra(&A, s, 1, CPMCF_X_REPLACES, &rep), 0);
	assert_int_equal(s->parts[1].referrer_len, r.len);
	assert_memory_equal(s->parts[1].referrer, r.s, r.len);
	assert_int_equal(s->parts[1].replaces_len, rep.len);
	assert_memory_equal(s->parts[1].replaces, rep.s, rep.len);
	/* a second value replaces the first */
	assert_int_equal(
			cpmcf_part_set_extra(&A, s, 1, CPMCF_X_REFERRER, &a), 0);
	assert_memory_equal(s->parts[1].referrer, a.s, a.len);
	/* an empty value clears */
	assert_int_equal(
			cpmcf_part_set_extra(&A, s, 1, CPMCF_X_REPLACES, &none), 0);
	assert_null(s->parts[1].replaces);
	assert_int_equal(s->parts[1].replaces_len, 0);
	/* bounds, out of range, no memory: nothing changes */
	memset(bb, 'x', sizeof(bb));
	big = (str){bb, sizeof(bb)};
	assert_int_equal(cpmcf_part_set_extra(&A, s, 1, CPMCF_X_REPLACES, &big),
			-EINVAL);
	assert_int_equal(cpmcf_part_set_extra(&A, s, 5, CPMCF_X_REFERRER, &r),
			-EINVAL);
	_fail_after = 0;
	assert_int_equal(cpmcf_part_set_extra(&A, s, 1, CPMCF_X_REFERRER, &r),
			-ENOMEM);
	_fail_after = -1;
	assert_memory_equal(s->parts[1].referrer, a.s, a.len);
	/* the slot reused by a rejoin starts without them (the old ones freed) */
	s->parts[1].state = CPMCF_P_DISCONNECTED;
	assert_int_equal(cpmcf_part_add(&A, s, &b, NULL, 0, CPMCF_P_DIALING_IN), 1);
	assert_null(s->parts[1].referrer);
	assert_int_equal(s->parts[1].referrer_len, 0);
	/* growth moves the slots: the pointers go with them */
	assert_int_equal(
			cpmcf_part_set_extra(&A, s, 1, CPMCF_X_REPLACES, &rep), 0);
	for(i = 0; i < 6; i++) {
		char u[32];
		str su;
		snprintf(u, sizeof(u), "sip:x%d@example.net", i);
		su = S(u);
		assert_true(cpmcf_part_add(&A, s, &su, NULL, 0, CPMCF_P_DIALING_OUT)
					> 1);
		assert_int_equal(cpmcf_part_set_extra(
								 &A, s, s->n - 1, CPMCF_X_REFERRER, &a),
				0);
	}
	assert_memory_equal(s->parts[1].replaces, rep.s, rep.len);
	/* the session's free frees every slot's (valgrind) */
	cpmcf_sess_free(&A, s);
}

static void t_limits(void **state)
{
	cpmcf_sess_init_t in;
	cpmcf_sess_t *s = NULL;
	char big[CPMCF_URI_MAX + 2];
	str u;

	memset(&in, 0, sizeof(in));
	in.user = S("cf-2");
	in.max = 1; /* a group session needs two */
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), -EINVAL);
	in.max = 2;
	memset(big, 'a', sizeof(big));
	in.identity = (str){big, sizeof(big)};
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), -EINVAL);
	in.identity = S("sip:cf-2@h");
	_fail_after = 0;
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), -ENOMEM);
	_fail_after = -1;
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), 0);
	u = (str){big, sizeof(big)};
	assert_int_equal(cpmcf_part_add(&A, s, &u, NULL, 0, 0), -EINVAL);
	u = S("sip:a@h");
	_fail_after = 0;
	assert_int_equal(cpmcf_part_add(&A, s, &u, NULL, 0, 0), -ENOMEM);
	_fail_after = -1;
	cpmcf_sess_free(&A, s);
}

static void t_table(void **state)
{
	cpmcf_tab_t t;
	cpmcf_sess_t *s1 = mk("cf-aa", "k1", 5), *s2 = mk("cf-bb", "k2", 5),
				 *dup = mk("cf-aa", "k3", 5);
	str u1 = S("cf-aa"), u2 = S("cf-bb"), nx = S("cf-cc"), k2 = S("k2");
	unsigned int i, found = 0;

	assert_int_equal(cpmcf_tab_init(&A, &t, 3), 0);
	assert_int_equal(t.size, 4);
	assert_int_equal(cpmcf_tab_link(&t, s1), 0);
	assert_int_equal(cpmcf_tab_link(&t, s2), 0);
	assert_int_equal(cpmcf_tab_link(&t, dup), -EEXIST);
	cpmcf_sess_free(&A, dup);
	assert_ptr_equal(cpmcf_tab_find(&t, &u1), s1);
	assert_ptr_equal(cpmcf_tab_find(&t, &u2), s2);
	assert_null(cpmcf_tab_find(&t, &nx));
	/* restart: by Contribution-ID, slot by slot */
	for(i = 0; i < t.size; i++)
		if(cpmcf_tab_find_contrib(&t, i, &k2) == s2)
			found++;
	assert_int_equal(found, 1);
	s2->ended = 1; /* an ended session is not restarted into */
	for(i = 0; i < t.size; i++)
		assert_null(cpmcf_tab_find_contrib(&t, i, &k2));
	/* a second reference keeps s1 after the unlink */
	s1->refcnt++;
	assert_int_equal(cpmcf_tab_unlink(&t, s1), 0);
	assert_null(cpmcf_tab_find(&t, &u1));
	assert_int_equal(cpmcf_tab_unlink(&t, s1), 0);
	assert_int_equal(--s1->refcnt, 0);
	cpmcf_sess_free(&A, s1);
	assert_int_equal(cpmcf_tab_unlink(&t, s2), 1);
	cpmcf_sess_free(&A, s2);
	assert_int_equal(t.count, 0);
	cpmcf_tab_destroy(&A, &t);
}

/* a pre-defined group's session keeps the group URI and policy (helper
 * W); a group URI over CPMCF_URI_MAX is refused, nothing allocated */
static void t_group(void **state)
{
	cpmcf_sess_init_t in;
	cpmcf_sess_t *s = NULL;
	char big[CPMCF_URI_MAX + 2];

	memset(&in, 0, sizeof(in));
	in.user = S("friends");
	in.identity = S("sip:friends@example.net");
	in.group = S("sip:friends@example.net");
	in.gpolicy = 0x30d;
	in.max = 10;
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), 0);
	assert_int_equal(s->group_len, 23);
	assert_memory_equal(s->group, "sip:friends@example.net", 23);
	assert_int_equal(s->gpolicy, 0x30d);
	cpmcf_sess_free(&A, s);
	memset(big, 'g', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	in.group = S(big);
	s = NULL;
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), -EINVAL);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_parts),
			cmocka_unit_test(t_extra),
			cmocka_unit_test(t_limits),
			cmocka_unit_test(t_table),
			cmocka_unit_test(t_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
