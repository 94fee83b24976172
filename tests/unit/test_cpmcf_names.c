/*
 * cpm_cf: display names and pseudonyms (cpmcf_names_core.c, seed 6.3).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "cpm_cf/cpmcf_names_core.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})
#define EMPTY ((str){NULL, 0})

static void expect_name(const cpmcf_name_src_t *src, const char *want)
{
	str out;

	cpmcf_name_choose(src, &out);
	if(want == NULL) {
		assert_int_equal(out.len, 0);
		return;
	}
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.s, want, out.len);
}

/* seed 6.3: group, authenticated originator, From, the 200's To */
static void t_priority(void **state)
{
	cpmcf_name_src_t s = {S("Group Bob"), S("\"PAI Bob\""), S("From Bob"),
			S("To Bob")};

	expect_name(&s, "Group Bob");
	s.group = EMPTY;
	expect_name(&s, "PAI Bob");
	s.pai = S("  ");
	expect_name(&s, "From Bob");
	s.from = S("\"\"");
	expect_name(&s, "To Bob");
	s.to200 = EMPTY;
	expect_name(&s, NULL);
}

static void t_copy(void **state)
{
	cpmcf_name_src_t s = {EMPTY, EMPTY, EMPTY, S("\"Carol C.\"")};
	char buf[16];

	assert_int_equal(cpmcf_name_copy(&s, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "Carol C.");
	/* cut short: none */
	assert_int_equal(cpmcf_name_copy(&s, buf, 8), 0);
	s.to200 = EMPTY;
	assert_int_equal(cpmcf_name_copy(&s, buf, sizeof(buf)), 0);
}

static void t_privacy(void **state)
{
	assert_int_equal(cpmcf_privacy_id(&S("id")), 1);
	assert_int_equal(cpmcf_privacy_id(&S("header; id")), 1);
	assert_int_equal(cpmcf_privacy_id(&S("user;ID;critical")), 1);
	assert_int_equal(cpmcf_privacy_id(&S("header")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("idx")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("none")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("id;none")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("")), 0);
	assert_int_equal(cpmcf_privacy_id(NULL), 0);
}

static void t_allowed(void **state)
{
	assert_int_equal(cpmcf_anon_allowed(0, 0, 0), 1); /* ad-hoc: allowed */
	assert_int_equal(cpmcf_anon_allowed(0, 1, 1), 0); /* forbidden by op */
	assert_int_equal(cpmcf_anon_allowed(1, 1, 1), 1); /* group policy */
	assert_int_equal(cpmcf_anon_allowed(1, 0, 0), 0);
}

static void t_pseudonym(void **state)
{
	char buf[64];
	str taken[3] = {S("Zorro"), S("anonymous 1"), S("Anonymous 3")};

	/* the client's pseudonym when free */
	assert_int_equal(cpmcf_pseudonym(&S("\"Batman\""), taken, 3, buf,
							 sizeof(buf)),
			6);
	assert_string_equal(buf, "Batman");
	/* taken (case-insensitively): one the CF chooses, unique */
	assert_int_equal(cpmcf_pseudonym(&S("zorro"), taken, 3, buf, sizeof(buf)),
			11);
	assert_string_equal(buf, "Anonymous 2");
	/* none given */
	assert_int_equal(cpmcf_pseudonym(NULL, taken, 1, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "Anonymous 1");
	assert_int_equal(cpmcf_pseudonym(&S(""), NULL, 0, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "Anonymous 1");
	assert_int_equal(cpmcf_pseudonym(&S("Batman"), taken, 3, buf, 6), -ENOSPC);
	assert_int_equal(cpmcf_pseudonym(&S("Batman"), NULL, 3, buf, 6), -EINVAL);
}

/* every participant of a full session gets a distinct pseudonym */
static void t_pseudonym_unique(void **state)
{
	char names[50][32];
	str taken[50];
	int i, j;

	for(i = 0; i < 50; i++) {
		/* half of them want the same name */
		str w = (i % 2) ? S("Same") : EMPTY;
		assert_true(cpmcf_pseudonym(&w, taken, i, names[i], 32) > 0);
		taken[i] = S(names[i]);
		for(j = 0; j < i; j++)
			assert_true(strcasecmp(names[i], names[j]) != 0);
	}
}

static void t_anon_uri(void **state)
{
	char buf[64];

	assert_int_equal(cpmcf_anon_uri(2, buf, sizeof(buf)), 33);
	assert_string_equal(buf, "sip:anonymous-2@anonymous.invalid");
	assert_int_equal(cpmcf_anon_uri(0, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cpmcf_anon_uri(2, buf, 10), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_priority),
			cmocka_unit_test(t_copy),
			cmocka_unit_test(t_privacy),
			cmocka_unit_test(t_allowed),
			cmocka_unit_test(t_pseudonym),
			cmocka_unit_test(t_pseudonym_unique),
			cmocka_unit_test(t_anon_uri),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
