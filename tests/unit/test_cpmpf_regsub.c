/*
 * cpm_pf: the reg-event subscription's life (cpmpf_regsub_core.c; RFC
 * 6665): the Subscription-State parser and printer (fixed cases, round
 * trips, random input), the re-subscribe decision, the refresh time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#define FUZZ_SEED 0x7265677375626eull
#include "cpm_prop.h"
#include "cpm_pf/cpmpf_regsub_core.h"

static cpmpf_substate_t parse_ok(const char *s)
{
	cpmpf_substate_t ss;

	assert_int_equal(cpmpf_substate_parse(s, strlen(s), &ss), 0);
	return ss;
}

static void t_parse(void **state)
{
	cpmpf_substate_t ss;

	ss = parse_ok("active;expires=600000");
	assert_int_equal(ss.state, CPMPF_SS_ACTIVE);
	assert_int_equal(ss.reason, CPMPF_SR_NONE);
	assert_int_equal(ss.expires, 600000);
	assert_int_equal(ss.retry_after, -1);
	ss = parse_ok(" Terminated ; Reason = Deactivated");
	assert_int_equal(ss.state, CPMPF_SS_TERMINATED);
	assert_int_equal(ss.reason, CPMPF_SR_DEACTIVATED);
	assert_int_equal(ss.expires, -1);
	ss = parse_ok("terminated;reason=probation;retry-after=30;x=\"a;b\";flag");
	assert_int_equal(ss.reason, CPMPF_SR_PROBATION);
	assert_int_equal(ss.retry_after, 30);
	ss = parse_ok("terminated;reason=rejected");
	assert_int_equal(ss.reason, CPMPF_SR_REJECTED);
	ss = parse_ok("terminated;reason=x-new");
	assert_int_equal(ss.reason, CPMPF_SR_OTHER);
	assert_int_equal(ss.reason_tok.len, 5);
	ss = parse_ok("pending;expires=99999999999");
	assert_int_equal(ss.state, CPMPF_SS_PENDING);
	assert_int_equal(ss.expires, 2147483647L);
	ss = parse_ok("waiting;host=[::1]:5060");
	assert_int_equal(ss.state, CPMPF_SS_OTHER);
	/* the first of a repeated parameter */
	ss = parse_ok("terminated;reason=timeout;reason=rejected;expires=1;expires=2");
	assert_int_equal(ss.reason, CPMPF_SR_TIMEOUT);
	assert_int_equal(ss.expires, 1);
	/* malformed */
	const char *bad[] = {"", " ", ";reason=timeout", "active;", "active;=1",
			"active expires=1", "active;expires=", "active;expires=-1",
			"active;expires=1x", "terminated;reason=", "terminated;reason=\"x\"",
			"active;x=\"open", "act\"ive", "active;;expires=1", NULL};
	for(int i = 0; bad[i]; i++)
		assert_int_equal(
				cpmpf_substate_parse(bad[i], strlen(bad[i]), &ss), -EINVAL);
	assert_int_equal(cpmpf_substate_parse(NULL, 0, &ss), -EINVAL);
	/* an embedded NUL ends nothing silently */
	assert_int_equal(cpmpf_substate_parse("active\0;x", 9, &ss), -EINVAL);
}

static void t_print(void **state)
{
	char buf[128];
	cpmpf_substate_t ss;

	ss = parse_ok("TERMINATED ;reason=GiveUp; retry-after=5 ;expires=0");
	assert_int_equal(cpmpf_substate_print(&ss, buf, sizeof(buf)),
			strlen("TERMINATED;reason=GiveUp;expires=0;retry-after=5"));
	assert_string_equal(buf, "TERMINATED;reason=GiveUp;expires=0;retry-after=5");
	assert_int_equal(cpmpf_substate_print(&ss, buf, 10), -ENOSPC);
	memset(&ss, 0, sizeof(ss));
	assert_int_equal(cpmpf_substate_print(&ss, buf, sizeof(buf)), -EINVAL);
}

static void t_resubscribe(void **state)
{
	struct {
		const char *h;
		long want;
	} c[] = {{"terminated;reason=deactivated", 0},
			{"terminated;reason=timeout", 0}, {"terminated", 0},
			{"terminated;reason=x-unknown", 0},
			{"terminated;reason=probation", 60},
			{"terminated;reason=probation;retry-after=7", 7},
			{"terminated;reason=giveup", 60},
			{"terminated;reason=giveup;retry-after=0", 0},
			{"terminated;reason=rejected;retry-after=7", -1},
			{"terminated;reason=noresource", -1},
			{"terminated;reason=invariant", -1}, {"active;expires=5", -1},
			{"pending", -1}};
	for(unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		cpmpf_substate_t ss = parse_ok(c[i].h);
		assert_int_equal(cpmpf_substate_resubscribe(&ss, 60), c[i].want);
	}
	assert_int_equal(cpmpf_substate_resubscribe(NULL, 60), -1);
}

static void t_refresh_in(void **state)
{
	assert_int_equal(cpmpf_sub_refresh_in(0), 0);
	assert_int_equal(cpmpf_sub_refresh_in(1), 1);
	assert_int_equal(cpmpf_sub_refresh_in(4), 2);
	assert_int_equal(cpmpf_sub_refresh_in(600000), 300000);
}

/* property: parse(print(parse(x))) == parse(x) for random headers built
 * from the grammar's pieces, and random octets never crash or overread */
static void t_prop(void **state)
{
	static const char *piece[] = {"active", "pending", "terminated", "x-st",
			";reason=deactivated", ";reason=probation", ";reason=giveup",
			";reason=z9", ";expires=0", ";expires=4294967296", ";retry-after=12",
			";p=\"q;r\"", ";flag", " ", "\t", ";", "=", "\"", "9", "reason",
			";REASON=TIMEOUT"};
	char in[256], out[512];
	int i, k, n;

	begin("substate round trip", 1);
	for(g_iter = 0; g_iter < iters(3000); g_iter++) {
		cpmpf_substate_t a, b;
		n = 0;
		k = 1 + rn(6);
		for(i = 0; i < k; i++)
			n += snprintf(in + n, sizeof(in) - n, "%s",
					piece[rn(sizeof(piece) / sizeof(piece[0]))]);
		if(chance(20))
			in[rn(n)] = (char)rn(256);
		g_in = in;
		g_inlen = n;
		if(cpmpf_substate_parse(in, n, &a) < 0) {
			ST(0);
			continue;
		}
		ST(1);
		int m = cpmpf_substate_print(&a, out, sizeof(out));
		CHECK(m > 0, "print of a parsed value");
		CHECK(cpmpf_substate_parse(out, m, &b) == 0, "re-parse");
		CHECK(a.state == b.state && a.reason == b.reason
						&& a.expires == b.expires
						&& a.retry_after == b.retry_after
						&& a.state_tok.len == b.state_tok.len
						&& memcmp(a.state_tok.s, b.state_tok.s, a.state_tok.len)
								   == 0
						&& a.reason_tok.len == b.reason_tok.len,
				"round trip");
	}
	stats("refused %d, parsed %d", g_st[0], g_st[1]);
	CHECK(g_st[0] > 0 && g_st[1] > 0, "both outcomes seen");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_parse),
			cmocka_unit_test(t_print),
			cmocka_unit_test(t_resubscribe),
			cmocka_unit_test(t_refresh_in),
			cmocka_unit_test(t_prop),
	};
	prop_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
