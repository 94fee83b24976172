/*
 * Unit tests of cpm_pf's IMDN pure code (cpmpf_imdn_core.c): which final
 * statuses of a device are a refusal for good (docs/cpm_pf.md), and the
 * new imdn.Message-ID being one CPIM Token (RFC 3862 3.1, RFC 5438 6.3).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../lib/cpm_cpim.h"
#include "cpm_pf/cpmpf_imdn_core.h"

static void permanent_set(void **state)
{
	int st, n = 0;

	(void)state;
	for(st = 100; st < 700; st++)
		if(cpmpf_imdn_permanent(st))
			n++;
	assert_int_equal(n, 5);
	assert_true(cpmpf_imdn_permanent(403));
	assert_true(cpmpf_imdn_permanent(404));
	assert_true(cpmpf_imdn_permanent(415));
	assert_true(cpmpf_imdn_permanent(488));
	assert_true(cpmpf_imdn_permanent(603));
	/* not now, not never: tried again at the next registration */
	assert_false(cpmpf_imdn_permanent(200));
	assert_false(cpmpf_imdn_permanent(408));
	assert_false(cpmpf_imdn_permanent(480));
	assert_false(cpmpf_imdn_permanent(486));
	assert_false(cpmpf_imdn_permanent(500));
	assert_false(cpmpf_imdn_permanent(503));
}

static void msgid_is_token(void **state)
{
	char b[48];
	int n;

	(void)state;
	n = cpmpf_imdn_new_msgid(b, sizeof(b), 1795639107LL, 4242, 7);
	assert_int_equal(n, (int)strlen(b));
	assert_string_equal(b, "pf6b074743-1092-7");
	assert_int_equal(cpm_cpim_token_span(b, n), n);
	/* two in a row differ */
	{
		char c[48];
		cpmpf_imdn_new_msgid(c, sizeof(c), 1795639107LL, 4242, 8);
		assert_string_not_equal(b, c);
	}
	/* largest values still fit the writer's 48 octets */
	n = cpmpf_imdn_new_msgid(b, sizeof(b), 0x7fffffffffffffffLL, 0xffffffffu,
			0xffffffffu);
	assert_true(n > 0 && n < 48);
	assert_int_equal(cpm_cpim_token_span(b, n), n);
}

static void msgid_errors(void **state)
{
	char b[8];

	(void)state;
	assert_int_equal(cpmpf_imdn_new_msgid(b, sizeof(b), 1795639107LL, 1, 1),
			-ENOSPC);
	assert_int_equal(cpmpf_imdn_new_msgid(NULL, 8, 1, 1, 1), -EINVAL);
	assert_int_equal(cpmpf_imdn_new_msgid(b, 0, 1, 1, 1), -EINVAL);
	assert_int_equal(cpmpf_imdn_new_msgid(b, sizeof(b), -1, 1, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(permanent_set),
			cmocka_unit_test(msgid_is_token),
			cmocka_unit_test(msgid_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
