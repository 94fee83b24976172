/*
 * Unit tests of cpm_pf recording's pure code (cpmpf_record_core.c):
 *   the recording rule (operator policy x the user's preference), the role
 *   argument, the asserted originator read from $xavp(cpmpf_orig)'s value,
 *   and the sorted preference set (examples, and a property test against a
 *   plain reference model over random set/remove/find sequences).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_pf/cpmpf_record_core.h"

static str S(const char *c)
{
	str s;
	s.s = (char *)c;
	s.len = strlen(c);
	return s;
}

static void rule(void **state)
{
	/* off: nothing, whatever the user says */
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_OFF, CPMPF_RPREF_NONE), 0);
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_OFF, CPMPF_RPREF_IN), 0);
	/* on: everyone but those who opted out */
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_ON, CPMPF_RPREF_NONE), 1);
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_ON, CPMPF_RPREF_IN), 1);
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_ON, CPMPF_RPREF_OUT), 0);
	/* opt-in: only those who opted in */
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_OPTIN, CPMPF_RPREF_NONE), 0);
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_OPTIN, CPMPF_RPREF_IN), 1);
	assert_int_equal(cpmpf_record_decide(CPMPF_REC_OPTIN, CPMPF_RPREF_OUT), 0);
	/* an unknown policy records nothing */
	assert_int_equal(cpmpf_record_decide(7, CPMPF_RPREF_IN), 0);
	assert_int_equal(cpmpf_record_decide(-1, CPMPF_RPREF_NONE), 0);
}

static void role(void **state)
{
	str o = S("orig"), t = S("TERM"), x = S("origx"), e = S("");

	assert_int_equal(cpmpf_record_role(&o), CPMPF_REC_ORIG);
	assert_int_equal(cpmpf_record_role(&t), CPMPF_REC_TERM);
	assert_int_equal(cpmpf_record_role(&x), -EINVAL);
	assert_int_equal(cpmpf_record_role(&e), -EINVAL);
	assert_int_equal(cpmpf_record_role(NULL), -EINVAL);
	assert_string_equal(cpmpf_record_role_name(CPMPF_REC_ORIG), "orig");
	assert_string_equal(cpmpf_record_role_name(CPMPF_REC_TERM), "term");
}

static void orig_sip(void **state)
{
	str v, sip;

	v = S("0sip:alice@example.net\ntel:+15550100\nAlice");
	assert_int_equal(cpmpf_record_orig_sip(&v, &sip), 0);
	assert_int_equal(sip.len, (int)strlen("sip:alice@example.net"));
	assert_memory_equal(sip.s, "sip:alice@example.net", sip.len);
	v = S("1sip:bob@x\n\n");
	assert_int_equal(cpmpf_record_orig_sip(&v, &sip), 0);
	assert_memory_equal(sip.s, "sip:bob@x", sip.len);
	v = S("ksip:c@x\n\n");
	assert_int_equal(cpmpf_record_orig_sip(&v, &sip), 0);
	/* malformed: unknown mode, no LF, empty SIP URI, too short */
	v = S("xsip:a@x\n\n");
	assert_int_equal(cpmpf_record_orig_sip(&v, &sip), -EINVAL);
	v = S("0sip:a@x");
	assert_int_equal(cpmpf_record_orig_sip(&v, &sip), -EINVAL);
	v = S("0\ntel:+1\n");
	assert_int_equal(cpmpf_record_orig_sip(&v, &sip), -EINVAL);
	v = S("0\n");
	assert_int_equal(cpmpf_record_orig_sip(&v, &sip), -EINVAL);
}

static void prefs_examples(void **state)
{
	cpmpf_rpref_t a[4] = {{0}};
	int n = 0, i;
	str u1 = S("bob"), u2 = S("alice"), u3 = S("bo"), none = S("carol");
	char big[CPMPF_RPREF_USER_MAX + 2];
	str ub;

	assert_int_equal(cpmpf_rpref_find(a, n, &u1), CPMPF_RPREF_NONE);
	assert_int_equal(cpmpf_rpref_set(a, &n, &u1, CPMPF_RPREF_OUT), 0);
	assert_int_equal(cpmpf_rpref_set(a, &n, &u2, CPMPF_RPREF_IN), 0);
	assert_int_equal(cpmpf_rpref_set(a, &n, &u3, CPMPF_RPREF_IN), 0);
	assert_int_equal(n, 3);
	/* sorted bytewise, a prefix before the longer name */
	assert_memory_equal(a[0].user, "alice", 5);
	assert_memory_equal(a[1].user, "bo", 2);
	assert_memory_equal(a[2].user, "bob", 3);
	assert_int_equal(cpmpf_rpref_find(a, n, &u1), CPMPF_RPREF_OUT);
	assert_int_equal(cpmpf_rpref_find(a, n, &u3), CPMPF_RPREF_IN);
	assert_int_equal(cpmpf_rpref_find(a, n, &none), CPMPF_RPREF_NONE);
	/* update in place, then remove */
	assert_int_equal(cpmpf_rpref_set(a, &n, &u1, CPMPF_RPREF_IN), 0);
	assert_int_equal(n, 3);
	assert_int_equal(cpmpf_rpref_find(a, n, &u1), CPMPF_RPREF_IN);
	assert_int_equal(cpmpf_rpref_set(a, &n, &u3, CPMPF_RPREF_NONE), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cpmpf_rpref_find(a, n, &u3), CPMPF_RPREF_NONE);
	/* removing an absent user changes nothing */
	assert_int_equal(cpmpf_rpref_set(a, &n, &none, CPMPF_RPREF_NONE), 0);
	assert_int_equal(n, 2);
	/* names longer than the column, empty names, bad flags: refused */
	memset(big, 'x', sizeof(big));
	ub.s = big;
	ub.len = CPMPF_RPREF_USER_MAX + 1;
	assert_int_equal(cpmpf_rpref_set(a, &n, &ub, CPMPF_RPREF_IN), -EINVAL);
	ub.len = CPMPF_RPREF_USER_MAX; /* the longest that fits */
	assert_int_equal(cpmpf_rpref_set(a, &n, &ub, CPMPF_RPREF_IN), 0);
	assert_int_equal(cpmpf_rpref_find(a, n, &ub), CPMPF_RPREF_IN);
	ub.len = 0;
	assert_int_equal(cpmpf_rpref_set(a, &n, &ub, CPMPF_RPREF_IN), -EINVAL);
	assert_int_equal(cpmpf_rpref_set(a, &n, &u2, 5), -EINVAL);
	for(i = 1; i < n; i++)
		assert_true(memcmp(a[i - 1].user, a[i].user, 1) <= 0);
}

/* property: after any sequence of set/remove the array is strictly sorted
 * and find() agrees with a plain reference table */
static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1Dull;
}

#define NAMES 40
static void prefs_property(void **state)
{
	static cpmpf_rpref_t a[NAMES + 1];
	char names[NAMES][8];
	int model[NAMES];
	int n = 0, i, k, it, c, f;
	str u, v;

	for(i = 0; i < NAMES; i++) {
		/* short names sharing prefixes: "a", "ab", "b0"... */
		snprintf(names[i], sizeof(names[i]), "%c%.*s", 'a' + (i % 5),
				(i / 5) % 3, "b0x");
		model[i] = CPMPF_RPREF_NONE;
	}
	for(it = 0; it < 20000; it++) {
		k = rnd() % NAMES;
		f = (int)(rnd() % 3) - 1; /* NONE, OUT, IN */
		u = S(names[k]);
		assert_int_equal(cpmpf_rpref_set(a, &n, &u, f), 0);
		/* equal names share a model slot */
		for(i = 0; i < NAMES; i++)
			if(strcmp(names[i], names[k]) == 0)
				model[i] = f;
		for(i = 1; i < n; i++) {
			u.s = a[i - 1].user;
			u.len = a[i - 1].len;
			v.s = a[i].user;
			v.len = a[i].len;
			c = memcmp(u.s, v.s, u.len < v.len ? u.len : v.len);
			assert_true(c < 0 || (c == 0 && u.len < v.len));
		}
		k = rnd() % NAMES;
		u = S(names[k]);
		assert_int_equal(cpmpf_rpref_find(a, n, &u), model[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule),
		cmocka_unit_test(role),
		cmocka_unit_test(orig_sip),
		cmocka_unit_test(prefs_examples),
		cmocka_unit_test(prefs_property),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
