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

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_of_mask),
			cmocka_unit_test(t_pick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
