/*
 * cpm_cf: session timer values and negotiation (RFC 4028) and in-dialog
 * failures (RFC 5057), cpmcf_timer_core.c: parse, print, round trip, bad
 * input, the UAS rules, a property test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "cpm_cf/cpmcf_timer_core.h"
#define FUZZ_SEED 0x5e55e4b1ull
#include "cpm_prop.h"

static int SE(const char *s, cpmcf_se_t *se)
{
	return cpmcf_se_parse(s, strlen(s), se);
}

static void t_parse(void **state)
{
	cpmcf_se_t se;
	unsigned int v;
	char buf[64];

	assert_int_equal(SE("1800", &se), 0);
	assert_int_equal(se.delta, 1800);
	assert_int_equal(se.refresher, CPMCF_RF_NONE);
	assert_int_equal(SE(" 4000;refresher=uac", &se), 0);
	assert_int_equal(se.delta, 4000);
	assert_int_equal(se.refresher, CPMCF_RF_UAC);
	assert_int_equal(SE("90 ; x=\"a;b\" ; Refresher = UAS ;y", &se), 0);
	assert_int_equal(se.delta, 90);
	assert_int_equal(se.refresher, CPMCF_RF_UAS);
	/* bad input */
	assert_int_equal(SE("", &se), -EINVAL);
	assert_int_equal(SE("abc", &se), -EINVAL);
	assert_int_equal(SE("-5", &se), -EINVAL);
	assert_int_equal(SE("1800;refresher=both", &se), -EINVAL);
	/* "refresher" is refresher-param, which needs a value */
	assert_int_equal(SE("1800;refresher", &se), -EINVAL);
	assert_int_equal(SE("1800 x", &se), -EINVAL);
	assert_int_equal(SE("1800;", &se), -EINVAL);
	assert_int_equal(SE("99999999999", &se), -EINVAL);
	assert_int_equal(SE("1800;a=\"open", &se), -EINVAL);
	assert_int_equal(cpmcf_minse_parse("120", 3, &v), 0);
	assert_int_equal(v, 120);
	assert_int_equal(cpmcf_minse_parse("120;p=1", 7, &v), 0);
	assert_int_equal(cpmcf_minse_parse("x", 1, &v), -EINVAL);
	/* printer */
	se.delta = 1800;
	se.refresher = CPMCF_RF_UAC;
	assert_int_equal(cpmcf_se_print(&se, buf, sizeof(buf)), 18);
	assert_string_equal(buf, "1800;refresher=uac");
	assert_int_equal(cpmcf_se_print(&se, buf, 5), -ENOSPC);
}

static void t_uas(void **state)
{
	cpmcf_st_req_t rq;
	cpmcf_st_ans_t a;

	/* nothing asked, no timer support: the focus refreshes, no Require */
	memset(&rq, 0, sizeof(rq));
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), 0);
	assert_int_equal(a.delta, 1800);
	assert_int_equal(a.refresher, CPMCF_RF_UAS);
	assert_int_equal(a.require, 0);
	/* Supported: timer: the participant refreshes, Require: timer */
	rq.supported = 1;
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), 0);
	assert_int_equal(a.refresher, CPMCF_RF_UAC);
	assert_int_equal(a.require, 1);
	/* a shorter request wins; its refresher too */
	rq.has_se = 1;
	rq.se.delta = 600;
	rq.se.refresher = CPMCF_RF_UAS;
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), 0);
	assert_int_equal(a.delta, 600);
	assert_int_equal(a.refresher, CPMCF_RF_UAS);
	/* a longer one is cut to the focus's */
	rq.se.delta = 7200;
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), 0);
	assert_int_equal(a.delta, 1800);
	/* but never below the request's Min-SE */
	rq.has_minse = 1;
	rq.minse = 3600;
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), 0);
	assert_int_equal(a.delta, 3600);
	/* too small for the focus: 422 */
	rq.has_minse = 0;
	rq.se.delta = 60;
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), -ERANGE);
	rq.se.delta = 90;
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), 0);
	assert_int_equal(a.delta, 90);
	/* a refresher=uac from a UAC without timer support: the focus */
	rq.supported = 0;
	rq.se.refresher = CPMCF_RF_UAC;
	assert_int_equal(cpmcf_st_uas(&rq, 1800, 90, &a), 0);
	assert_int_equal(a.refresher, CPMCF_RF_UAS);
	/* RFC 4028 10 */
	assert_int_equal(cpmcf_st_deadline(1800), 1768);
	assert_int_equal(cpmcf_st_deadline(90), 60);
	assert_int_equal(cpmcf_st_deadline(6), 4);
	assert_int_equal(cpmcf_st_refresh_at(1800), 900);
	assert_int_equal(cpmcf_st_refresh_at(1), 1);
}

static void t_gone(void **state)
{
	static const int yes[] = {481, 408, 404, 410, 416, 480, 482, 483, 484, 485};
	static const int no[] = {200, 202, 400, 403, 405, 415, 420, 488, 491, 500,
			501, 503, 603};
	unsigned int i;

	for(i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		assert_int_equal(cpmcf_usage_gone(yes[i], 0), 1);
		assert_int_equal(cpmcf_usage_gone(yes[i], 1), 1);
	}
	for(i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int_equal(cpmcf_usage_gone(no[i], 0), 0);
	assert_int_equal(cpmcf_usage_gone(489, 0), 1);
	assert_int_equal(cpmcf_usage_gone(489, 1), 0);
}

/* property: mutated values parse or are refused, never read beyond their
 * length; what parses prints and parses again to the same value */
static void t_prop(void **state)
{
	static const char *seeds[] = {"1800;refresher=uac", "90", "4000 ; a=\"x\";refresher=UAS",
			"600;b;c=d"};
	char in[64], out[64];
	cpmcf_se_t a, b;
	int len, n, ok = 0, sd;
	char *heap;

	begin("session_expires_round_trip", 2);
	for(g_iter = 0; g_iter < iters(20000); g_iter++) {
		sd = rn(4);
		len = strlen(seeds[sd]);
		memcpy(in, seeds[sd], len);
		len = prop_mutate(in, len, 4, ";=\" 0123456789", 80);
		g_in = in;
		g_inlen = len;
		/* exact-size heap copy: valgrind sees any read past the end */
		heap = malloc(len);
		memcpy(heap, in, len);
		n = cpmcf_se_parse(heap, len, &a);
		free(heap);
		if(n < 0)
			continue;
		ok++;
		n = cpmcf_se_print(&a, out, sizeof(out));
		CHECK(n > 0, "print failed");
		CHECK(cpmcf_se_parse(out, n, &b) == 0, "printed value does not parse");
		CHECK(b.delta == a.delta && b.refresher == a.refresher,
				"round trip differs");
	}
	g_iter--;
	stats("%d parsed", ok);
}

int main(void)
{
	prop_env();
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_parse),
			cmocka_unit_test(t_uas),
			cmocka_unit_test(t_gone),
			cmocka_unit_test(t_prop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
