/*
 * cpm_cf: an invitee's header dialect (cpmcf_dialect_core.c; issue 7
 * "Conventions", client-dialects.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "cpm_headers/cpmh_service.h"
#include "cpm_cf/cpmcf_dialect_core.h"

#define B(s) CPMH_SVC_BIT(CPMH_SVC_##s)
#define RCS CPMCF_DIALECT_RCS
#define UP CPMCF_DIALECT_UP

/* one contact's tags: +g.oma.sip-im is RCS 5.x, any CPM ICSI is UP */
static void t_of_mask(void **state)
{
	assert_int_equal(cpmcf_dialect_of_mask(0), 0);
	assert_int_equal(cpmcf_dialect_of_mask(B(SIPIM)), RCS);
	assert_int_equal(cpmcf_dialect_of_mask(B(SESSION)), UP);
	assert_int_equal(cpmcf_dialect_of_mask(B(SESSION_GROUP) | B(MSG)), UP);
	assert_int_equal(cpmcf_dialect_of_mask(B(SYSTEMMSG)), UP);
	assert_int_equal(cpmcf_dialect_of_mask(B(FILETRANSFER) | B(SIPIM)), RCS | UP);
	/* bits beyond the services: not a dialect */
	assert_int_equal(cpmcf_dialect_of_mask(1u << 31), 0);
}

static void t_pick(void **state)
{
	unsigned int c[4];

	/* no contact: the initiator's */
	assert_int_equal(cpmcf_dialect_pick(NULL, 0, UP), UP);
	assert_int_equal(cpmcf_dialect_pick(NULL, 0, RCS), RCS);
	/* one dialect: it, whatever the initiator's */
	c[0] = RCS;
	assert_int_equal(cpmcf_dialect_pick(c, 1, UP), RCS);
	c[0] = UP;
	assert_int_equal(cpmcf_dialect_pick(c, 1, RCS), UP);
	/* untagged contacts (plain SIP clients) have no say */
	c[0] = 0;
	c[1] = RCS;
	c[2] = 0;
	assert_int_equal(cpmcf_dialect_pick(c, 3, UP), RCS);
	assert_int_equal(cpmcf_dialect_pick(c, 1, UP), UP);
	/* the dialect every device speaks: RCS-only + dual -> RCS */
	c[0] = RCS | UP;
	c[1] = RCS;
	assert_int_equal(cpmcf_dialect_pick(c, 2, UP), RCS);
	c[1] = UP;
	assert_int_equal(cpmcf_dialect_pick(c, 2, RCS), UP);
	/* mixed (no common dialect) or all dual: the initiator's */
	c[0] = RCS;
	c[1] = UP;
	assert_int_equal(cpmcf_dialect_pick(c, 2, UP), UP);
	assert_int_equal(cpmcf_dialect_pick(c, 2, RCS), RCS);
	c[0] = c[1] = RCS | UP;
	assert_int_equal(cpmcf_dialect_pick(c, 2, RCS), RCS);
	assert_int_equal(cpmcf_dialect_pick(c, 2, UP), UP);
}

#define S(x) ((str){(char *)(x), (int)strlen(x)})

static void expect_rb(const char *uri, const char *sip, const char *tel,
		const char *want)
{
	char buf[256];
	str u = S(uri), sv = S(sip), tv = S(tel);

	assert_int_equal(cpmcf_referred_by_print(&u, &sv, &tv, buf, sizeof(buf)),
			strlen(want));
	assert_string_equal(buf, want);
}

/* seed 6.1: both URIs in one Referred-By, SIP first (cpm_pf's form) */
static void t_referred_by(void **state)
{
	char buf[32];
	str u = S("sip:alice@example.com"), e = S("");

	expect_rb("sip:alice@example.com", "sip:alice@example.com", "tel:+1555",
			"<sip:alice@example.com>, <tel:+1555>");
	/* the asserted URI stands for its kind */
	expect_rb("sip:alice@other.example", "sip:alice@example.com", "tel:+1555",
			"<sip:alice@other.example>, <tel:+1555>");
	expect_rb("tel:+1555", "sip:alice@example.com", "tel:+1666",
			"<sip:alice@example.com>, <tel:+1555>");
	expect_rb("TEL:+1555", "sip:alice@example.com", "",
			"<sip:alice@example.com>, <TEL:+1555>");
	/* one kind only: the URI alone */
	expect_rb("sip:alice@example.com", "sip:alice@example.com", "",
			"<sip:alice@example.com>");
	expect_rb("tel:+1555", "", "tel:+1555", "<tel:+1555>");
	expect_rb("sip:alice@example.com", "", "", "<sip:alice@example.com>");
	/* a "TEL" identity that is not one, a SIP one that is a TEL */
	expect_rb("sip:alice@example.com", "", "sip:x@y", "<sip:alice@example.com>");
	expect_rb("tel:+1555", "tel:+1666", "", "<tel:+1555>");
	/* no identities at all */
	assert_int_equal(cpmcf_referred_by_print(&u, NULL, NULL, buf, sizeof(buf)),
			23);
	/* too small, bad arguments */
	u = S("sip:alice@example.com");
	str t = S("tel:+15550100");
	assert_int_equal(cpmcf_referred_by_print(&u, &u, &t, buf, sizeof(buf)),
			-ENOSPC);
	assert_int_equal(cpmcf_referred_by_print(&e, &u, &t, buf, sizeof(buf)),
			-EINVAL);
	assert_int_equal(cpmcf_referred_by_print(&u, &u, &t, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_of_mask),
			cmocka_unit_test(t_pick),
			cmocka_unit_test(t_referred_by),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
