/*
 * cpm_pf interworking core (cpmpf_isf_core.c): which Request-URIs name a
 * TEL identity (seed 6.5) and the normal form the identity table is keyed
 * by (cpmpf_uri_norm), so that a TEL identity of a user here is found
 * however the originator wrote the number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_pf/cpmpf_isf_core.h"
#include "cpm_pf/cpmpf_identity_core.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})

static void t_global_number(void **state)
{
	static const struct {
		const char *u;
		int global;
	} cases[] = {{"+15550100", 1}, {"+1-555-(010).0", 1}, {"+", 0},
			{"+-.", 0}, {"15550100", 0}, {"+1555a", 0}, {"alice", 0},
			{"+1 555", 0}};
	str u;
	int i;

	for(i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
		u = S(cases[i].u);
		assert_int_equal(cpmpf_is_global_number(&u), cases[i].global);
	}
	assert_int_equal(cpmpf_is_global_number(NULL), 0);
}

/* target(is_tel, user, user_param) -> expected normal form, or NULL for
 * "no TEL target" */
static void expect(int is_tel, const char *user, const char *uparam,
		const char *want)
{
	char buf[CPMPF_URI_MAX];
	str u = S(user), p = S(uparam);
	int n = cpmpf_tel_target(is_tel, &u, &p, buf, sizeof(buf));

	if(want == NULL) {
		assert_int_equal(n, 0);
		return;
	}
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

static void t_tel_target(void **state)
{
	char buf[CPMPF_URI_MAX];
	str u, p;

	/* tel: URI (the parser gives the number as the user part) */
	expect(1, "+15550109001", "", "tel:+15550109001");
	expect(1, "+1-555-010-9001", "", "tel:+15550109001");
	/* SIP with user=phone: the user part is a telephone-subscriber,
	 * parameters included */
	expect(0, "+1.555.010.9001;phone-context=example.net", "phone",
			"tel:+15550109001");
	expect(0, "555-0100;phone-context=+1", "PHONE", "tel:5550100");
	expect(0, "555-0100;phone-context=+1", "phone", "tel:5550100");
	/* SIP with a global-number user part, no user=phone */
	expect(0, "+1(555)0109001", "", "tel:+15550109001");
	/* not TEL targets: a user name, a local number without user=phone */
	expect(0, "alice", "", NULL);
	expect(0, "5550100", "", NULL);
	expect(0, "+15550100", "ip", "tel:+15550100");
	/* the same number written differently gives the same key as the
	 * identity table's (cpmpf_uri_norm of the provisioned tel: URI) */
	{
		char a[CPMPF_URI_MAX];
		int kind;
		str tu = S("tel:+1-555-010-9001;phone-context=x");
		assert_int_equal(cpmpf_uri_norm(tu.s, tu.len, a, sizeof(a), &kind),
				(int)strlen("tel:+15550109001"));
		u = S("+1 555");
		p = S("");
		/* a space is no phonedigit: not a global number, no target */
		assert_int_equal(cpmpf_tel_target(0, &u, &p, buf, sizeof(buf)), 0);
	}
	/* a TEL target that does not normalize */
	u = S("+");
	p = S("phone");
	assert_int_equal(cpmpf_tel_target(0, &u, &p, buf, sizeof(buf)), -EINVAL);
	u = S("abc!");
	assert_int_equal(cpmpf_tel_target(1, &u, &p, buf, sizeof(buf)), -EINVAL);
	u = S("");
	assert_int_equal(cpmpf_tel_target(1, &u, &p, buf, sizeof(buf)), -EINVAL);
	/* too small a buffer */
	u = S("+15550109001");
	assert_int_equal(cpmpf_tel_target(1, &u, &p, buf, 8), -ENOSPC);
	assert_int_equal(cpmpf_tel_target(1, NULL, &p, buf, sizeof(buf)), -EINVAL);
	/* no user_param at all */
	assert_int_equal(cpmpf_tel_target(0, &u, NULL, buf, sizeof(buf)),
			(int)strlen("tel:+15550109001"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_global_number),
			cmocka_unit_test(t_tel_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
