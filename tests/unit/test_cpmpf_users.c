/*
 * cpm_pf: the provisioned user set (cpmpf_users_core.c), the one set that
 * deferred delivery (404 for an unknown user, issue 6 item 4) and the
 * interworking decision (seed 6.5) read; and the TEL target rule of the
 * interworking decision (cpmpf_isf_core.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_pf/cpmpf_users_core.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})

static int _no_mem = 0;
static void *alloc_t(size_t n)
{
	return _no_mem ? NULL : malloc(n);
}

static void t_set_basic(void **state)
{
	str names[] = {S("carol"), S("alice"), S(""), {NULL, 0}, S("bob"),
			S("alice"), S("+15550100001")};
	static const struct {
		const char *name;
		int in;
	} want[] = {{"alice", 1}, {"bob", 1}, {"carol", 1}, {"+15550100001", 1},
			{"Alice", 0}, {"ali", 0}, {"alicex", 0}, {"", 0}};
	cpmpf_userset_t *set = cpmpf_userset_build(names, 7, alloc_t);
	str q;
	int i;

	assert_non_null(set);
	/* empty names skipped, the duplicate once */
	assert_int_equal(cpmpf_userset_count(set), 4);
	/* case-sensitive user names (RFC 3261 19.1.4); prefixes are others */
	for(i = 0; i < (int)(sizeof(want) / sizeof(want[0])); i++) {
		q = S(want[i].name);
		assert_int_equal(cpmpf_userset_has(set, &q), want[i].in);
	}
	assert_int_equal(cpmpf_userset_has(set, NULL), 0);
	/* the names live in the block: the caller's buffers may go */
	{
		char buf[8];
		str b;
		cpmpf_userset_t *s2;
		strcpy(buf, "dave");
		b = S(buf);
		s2 = cpmpf_userset_build(&b, 1, alloc_t);
		memset(buf, 'x', 4);
		q = S("dave");
		assert_int_equal(cpmpf_userset_has(s2, &q), 1);
		free(s2);
	}
	free(set);
}

static void t_set_empty_and_errors(void **state)
{
	cpmpf_userset_t *set = cpmpf_userset_build(NULL, 0, alloc_t);
	str q = S("alice");

	assert_non_null(set);
	assert_int_equal(cpmpf_userset_count(set), 0);
	assert_int_equal(cpmpf_userset_has(set, &q), 0);
	free(set);
	assert_null(cpmpf_userset_build(NULL, 1, alloc_t));
	assert_null(cpmpf_userset_build(&q, -1, alloc_t));
	assert_null(cpmpf_userset_build(&q, 1, NULL));
	_no_mem = 1;
	assert_null(cpmpf_userset_build(&q, 1, alloc_t));
	_no_mem = 0;
	assert_int_equal(cpmpf_userset_has(NULL, &q), 0);
	assert_int_equal(cpmpf_userset_count(NULL), 0);
}

static void t_set_many(void **state)
{
	enum { N = 5000 };
	str *names = malloc(N * sizeof(str));
	char *buf = malloc(N * 16);
	cpmpf_userset_t *set;
	char q_buf[16];
	str q;
	int i;

	for(i = 0; i < N; i++) {
		/* reverse order: the build sorts */
		names[i].s = buf + i * 16;
		names[i].len = snprintf(names[i].s, 16, "u%d", N - i);
	}
	set = cpmpf_userset_build(names, N, alloc_t);
	assert_non_null(set);
	assert_int_equal(cpmpf_userset_count(set), N);
	for(i = 0; i <= N + 1; i++) {
		q.s = q_buf;
		q.len = snprintf(q_buf, sizeof(q_buf), "u%d", i);
		assert_int_equal(cpmpf_userset_has(set, &q), i >= 1 && i <= N);
	}
	free(set);
	free(names);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_set_basic),
			cmocka_unit_test(t_set_empty_and_errors),
			cmocka_unit_test(t_set_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
