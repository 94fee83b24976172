/*
 * Unit tests of modules/cpm_pf/cpmpf_prefs_core.c: User Preferences
 * Profiles (seed 4.1): actions, device lists, the table, switching the
 * active profile, evaluation and its defaults.  Runs under valgrind: every
 * table is freed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

#include "cpm_pf/cpmpf_prefs_core.h"

static str S(const char *c)
{
	str s;

	s.s = (char *)c;
	s.len = c ? strlen(c) : 0;
	return s;
}

static int _fail_after = -1; /* allocations left before a failure */
static void *t_alloc(size_t n)
{
	if(_fail_after == 0)
		return NULL;
	if(_fail_after > 0)
		_fail_after--;
	return malloc(n);
}
static void t_free(void *p)
{
	free(p);
}
static const cpmpf_alloc_t A = {t_alloc, t_free};

static void t_actions(void **state)
{
	cpmpf_pref_action_t a;
	str s;

	s = S("deliver");
	assert_int_equal(cpmpf_pref_action_from_name(&s, &a), 0);
	assert_int_equal(a, CPMPF_PREF_DELIVER);
	s = S("DEFER");
	assert_int_equal(cpmpf_pref_action_from_name(&s, &a), 0);
	assert_int_equal(a, CPMPF_PREF_DEFER);
	s = S("reject");
	assert_int_equal(cpmpf_pref_action_from_name(&s, &a), 0);
	assert_int_equal(a, CPMPF_PREF_REJECT);
	s = S("rejec");
	assert_int_equal(cpmpf_pref_action_from_name(&s, &a), -ENOENT);
	s = S("rejects");
	assert_int_equal(cpmpf_pref_action_from_name(&s, &a), -ENOENT);
	assert_int_equal(cpmpf_pref_action_from_name(NULL, &a), -EINVAL);
	assert_string_equal(cpmpf_pref_action_name(CPMPF_PREF_DEFER), "defer");
	assert_null(cpmpf_pref_action_name((cpmpf_pref_action_t)7));
}

static int has(const char *list, const char *inst)
{
	str l = S(list), i = S(inst);

	return cpmpf_devlist_has(&l, &i);
}

static void t_devlist(void **state)
{
	str l;

	assert_int_equal(has("", "urn:uuid:a"), 1);
	assert_int_equal(has(" * ", "urn:uuid:a"), 1);
	assert_int_equal(has("<urn:uuid:a>", "<urn:uuid:a>"), 1);
	assert_int_equal(has("urn:uuid:b, <urn:uuid:a>", "\"<urn:uuid:a>\""), 1);
	assert_int_equal(has("urn:uuid:b,urn:uuid:c", "<urn:uuid:a>"), 0);
	assert_int_equal(has("urn:uuid:b", ""), 0); /* a device without instance */
	assert_int_equal(has("urn:uuid:ab", "urn:uuid:a"), 0);
	l = S("urn:uuid:a, urn:uuid:b");
	assert_int_equal(cpmpf_devlist_check(&l), 0);
	l = S("*");
	assert_int_equal(cpmpf_devlist_check(&l), 0);
	l = S("urn:uuid:a,,urn:uuid:b");
	assert_int_equal(cpmpf_devlist_check(&l), -EBADMSG);
	l = S("urn:uuid:a,");
	assert_int_equal(cpmpf_devlist_check(&l), -EBADMSG);
	l = S("urn:uuid:a b");
	assert_int_equal(cpmpf_devlist_check(&l), -EBADMSG);
}

static void t_devlist_print(void **state)
{
	char buf[64];
	str l;

	l = S(" <urn:uuid:a> ,\turn:uuid:b ");
	assert_int_equal(cpmpf_devlist_print(&l, buf, sizeof(buf)), 23);
	assert_string_equal(buf, "<urn:uuid:a>,urn:uuid:b");
	assert_int_equal(cpmpf_devlist_count(&l), 2);
	l = S("  ");
	assert_int_equal(cpmpf_devlist_print(&l, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "*");
	assert_int_equal(cpmpf_devlist_count(&l), 0);
	l = S("a,,b");
	assert_int_equal(cpmpf_devlist_print(&l, buf, sizeof(buf)), -EBADMSG);
	l = S("abc,def");
	assert_int_equal(cpmpf_devlist_print(&l, buf, 7), -ENOSPC);
	assert_int_equal(cpmpf_devlist_print(&l, buf, 8), 7);
	assert_int_equal(cpmpf_devlist_print(&l, buf, 0), -ENOSPC);
	l = S("*");
	assert_int_equal(cpmpf_devlist_print(&l, buf, 1), -ENOSPC);
}

static unsigned int _seed = 12345;
static unsigned int rnd(unsigned int n)
{
	_seed = _seed * 1103515245u + 12345u;
	return (_seed >> 8) % n;
}

/* property: a list built from random items and random LWS is valid, holds
 * each of its items, prints to a list with the same items, and printing is
 * a fixed point (print(parse(print(l))) == print(l)) */
static void t_devlist_roundtrip(void **state)
{
	static const char lws[] = " \t";
	char items[8][24], list[512], p1[512], p2[512];
	int round, n, i, k, len, pos, r1, r2;
	str l, it, pl;

	for(round = 0; round < 5000; round++) {
		n = 1 + rnd(8);
		pos = 0;
		for(i = 0; i < n; i++) {
			len = 1 + rnd(20);
			for(k = 0; k < len; k++) {
				char c;
				do {
					c = (char)(0x21 + rnd(0x7e - 0x21 + 1));
				} while(c == ',');
				items[i][k] = c;
			}
			items[i][len] = '\0';
			if(n == 1 && len == 1 && items[0][0] == '*')
				items[0][0] = 'x'; /* "*" alone means every device */
			if(i)
				list[pos++] = ',';
			for(k = rnd(3); k > 0; k--)
				list[pos++] = lws[rnd(2)];
			memcpy(list + pos, items[i], len);
			pos += len;
			for(k = rnd(3); k > 0; k--)
				list[pos++] = lws[rnd(2)];
		}
		l.s = list;
		l.len = pos;
		assert_int_equal(cpmpf_devlist_check(&l), 0);
		assert_int_equal(cpmpf_devlist_count(&l), n);
		r1 = cpmpf_devlist_print(&l, p1, sizeof(p1));
		assert_true(r1 > 0);
		pl.s = p1;
		pl.len = r1;
		assert_int_equal(cpmpf_devlist_count(&pl), n);
		r2 = cpmpf_devlist_print(&pl, p2, sizeof(p2));
		assert_int_equal(r2, r1);
		assert_string_equal(p1, p2);
		for(i = 0; i < n; i++) {
			it = S(items[i]);
			/* an item that is one of <> / "" pairs compares bare */
			if(it.len > 2 || (it.s[0] != '<' && it.s[0] != '"')) {
				assert_int_equal(cpmpf_devlist_has(&l, &it), 1);
				assert_int_equal(cpmpf_devlist_has(&pl, &it), 1);
			}
		}
	}
}

/* property: random octet strings are valid or -EBADMSG, never anything
 * else; a valid one prints to a valid fixed point */
static void t_devlist_random(void **state)
{
	char list[64], p1[256], p2[256];
	int round, len, k, r1, r2;
	str l, pl;

	for(round = 0; round < 20000; round++) {
		len = rnd(40);
		for(k = 0; k < len; k++)
			list[k] = (char)(rnd(4) ? 0x20 + rnd(0x60) : rnd(256));
		l.s = list;
		l.len = len;
		r1 = cpmpf_devlist_check(&l);
		assert_true(r1 == 0 || r1 == -EBADMSG);
		r1 = cpmpf_devlist_print(&l, p1, sizeof(p1));
		if(r1 < 0) {
			assert_int_equal(r1, -EBADMSG);
			continue;
		}
		pl.s = p1;
		pl.len = r1;
		assert_int_equal(cpmpf_devlist_check(&pl), 0);
		r2 = cpmpf_devlist_print(&pl, p2, sizeof(p2));
		assert_int_equal(r2, r1);
		assert_string_equal(p1, p2);
	}
}

static void t_eval(void **state)
{
	cpmpf_pref_table_t *t = cpmpf_pref_table_new(4, &A);
	cpmpf_pref_rule_t r;
	str dave = S("dave"), erin = S("erin"), meeting = S("Meeting"),
		office = S("Office"), none = S(""), busy = S("In a meeting"),
		dev = S("<urn:uuid:d1>"), nobody = S("nobody");

	assert_non_null(t);
	assert_int_equal(cpmpf_pref_add_rule(t, &dave, &meeting, CPMH_SVC_MSG,
							 CPMPF_PREF_DEFER, 0, &none, &none),
			0);
	assert_int_equal(cpmpf_pref_add_rule(t, &dave, &meeting, CPMH_SVC_SESSION,
							 CPMPF_PREF_REJECT, 486, &busy, &none),
			0);
	assert_int_equal(cpmpf_pref_add_rule(t, &dave, &office, CPMH_SVC_MSG,
							 CPMPF_PREF_DELIVER, 0, &none, &dev),
			0);
	/* no active profile yet: the default */
	assert_int_equal(cpmpf_pref_eval(t, &dave, CPMH_SVC_MSG, &r), 0);
	assert_int_equal(r.set, 0);
	assert_int_equal(r.action, CPMPF_PREF_DELIVER);
	assert_int_equal(cpmpf_pref_set_active(t, &dave, &meeting), 0);
	assert_int_equal(cpmpf_pref_user_find(t, &dave)->dirty, 1);
	assert_int_equal(cpmpf_pref_eval(t, &dave, CPMH_SVC_MSG, &r), 0);
	assert_int_equal(r.action, CPMPF_PREF_DEFER);
	assert_int_equal(cpmpf_pref_eval(t, &dave, CPMH_SVC_SESSION, &r), 0);
	assert_int_equal(r.action, CPMPF_PREF_REJECT);
	assert_int_equal(r.status, 486);
	assert_int_equal(r.reason.len, busy.len);
	assert_memory_equal(r.reason.s, busy.s, busy.len);
	/* a service without a rule in the active profile: default */
	assert_int_equal(cpmpf_pref_eval(t, &dave, CPMH_SVC_FILETRANSFER, &r), 0);
	assert_int_equal(r.set, 0);
	/* switch: the next evaluation follows */
	assert_int_equal(cpmpf_pref_set_active(t, &dave, &office), 0);
	assert_int_equal(cpmpf_pref_eval(t, &dave, CPMH_SVC_MSG, &r), 0);
	assert_int_equal(r.action, CPMPF_PREF_DELIVER);
	assert_int_equal(cpmpf_devlist_all(&r.devices), 0);
	assert_int_equal(cpmpf_devlist_has(&r.devices, &dev), 1);
	/* unknown profile or user: refused, nothing changes */
	assert_int_equal(cpmpf_pref_set_active(t, &dave, &nobody), -ENOENT);
	assert_int_equal(cpmpf_pref_set_active(t, &erin, &office), -ENOENT);
	assert_int_equal(cpmpf_pref_eval(t, &dave, CPMH_SVC_MSG, &r), 0);
	assert_int_equal(r.action, CPMPF_PREF_DELIVER);
	assert_int_equal(r.set, 1);
	assert_int_equal(cpmpf_pref_eval(t, &erin, CPMH_SVC_MSG, &r), 0);
	assert_int_equal(r.set, 0);
	/* a rule replaced */
	assert_int_equal(cpmpf_pref_add_rule(t, &dave, &office, CPMH_SVC_MSG,
							 CPMPF_PREF_REJECT, 603, &none, &none),
			0);
	assert_int_equal(cpmpf_pref_eval(t, &dave, CPMH_SVC_MSG, &r), 0);
	assert_int_equal(r.action, CPMPF_PREF_REJECT);
	assert_int_equal(r.status, 603);
	cpmpf_pref_table_free(t);
}

static void t_bad_rules(void **state)
{
	cpmpf_pref_table_t *t = cpmpf_pref_table_new(4, &A);
	str u = S("u"), p = S("P"), none = S(""), crlf = S("a\r\nX: y"),
		bad = S("a,,b");

	assert_int_equal(cpmpf_pref_add_rule(t, &u, &p, CPMH_SVC_MSG,
							 CPMPF_PREF_REJECT, 200, &none, &none),
			-EINVAL);
	assert_int_equal(cpmpf_pref_add_rule(t, &u, &p, CPMH_SVC_MSG,
							 CPMPF_PREF_REJECT, 700, &none, &none),
			-EINVAL);
	assert_int_equal(cpmpf_pref_add_rule(t, &u, &p, CPMH_SVC_MSG,
							 CPMPF_PREF_REJECT, 486, &crlf, &none),
			-EINVAL);
	assert_int_equal(cpmpf_pref_add_rule(t, &u, &p, CPMH_SVC_MSG,
							 CPMPF_PREF_DELIVER, 0, &none, &bad),
			-EINVAL);
	assert_int_equal(cpmpf_pref_add_rule(t, &u, &p, CPMH_SVC_NONE,
							 CPMPF_PREF_DELIVER, 0, &none, &none),
			-EINVAL);
	assert_int_equal(cpmpf_pref_add_rule(t, &u, &none, CPMH_SVC_MSG,
							 CPMPF_PREF_DELIVER, 0, &none, &none),
			-EINVAL);
	assert_null(cpmpf_pref_user_find(t, &u));
	cpmpf_pref_table_free(t);
}

static void t_no_memory(void **state)
{
	cpmpf_pref_table_t *t;
	str u = S("u"), p = S("P"), none = S("");
	int i, r;

	/* every allocation failing in turn: -ENOMEM, nothing leaks */
	for(i = 0; i < 12; i++) {
		_fail_after = -1;
		t = cpmpf_pref_table_new(4, &A);
		assert_non_null(t);
		_fail_after = i;
		r = cpmpf_pref_add_rule(
				t, &u, &p, CPMH_SVC_MSG, CPMPF_PREF_DEFER, 0, &none, &none);
		assert_true(r == 0 || r == -ENOMEM);
		_fail_after = -1;
		cpmpf_pref_table_free(t);
	}
	_fail_after = 0;
	assert_null(cpmpf_pref_table_new(4, &A));
	_fail_after = 1;
	assert_null(cpmpf_pref_table_new(4, &A));
	_fail_after = -1;
}

static void t_many_users(void **state)
{
	cpmpf_pref_table_t *t = cpmpf_pref_table_new(16, &A);
	char name[32];
	str u, p = S("P"), none = S("");
	int i;

	for(i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		u = S(name);
		assert_int_equal(cpmpf_pref_add_rule(t, &u, &p, CPMH_SVC_MSG,
								 CPMPF_PREF_DELIVER, 0, &none, &none),
				0);
	}
	for(i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		u = S(name);
		assert_non_null(cpmpf_pref_user_find(t, &u));
	}
	u = S("user1000");
	assert_null(cpmpf_pref_user_find(t, &u));
	u = S("user1");
	assert_int_equal(cpmpf_pref_add_rule(t, &u, &p, CPMH_SVC_MSG,
							 CPMPF_PREF_DEFER, 0, &none, &none),
			0);
	cpmpf_pref_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_actions),
		cmocka_unit_test(t_devlist),
		cmocka_unit_test(t_devlist_print),
		cmocka_unit_test(t_devlist_roundtrip),
		cmocka_unit_test(t_devlist_random),
		cmocka_unit_test(t_eval),
		cmocka_unit_test(t_bad_rules),
		cmocka_unit_test(t_no_memory),
		cmocka_unit_test(t_many_users),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
