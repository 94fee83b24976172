/*
 * Unit tests of modules/cpm_pf/cpmpf_devices_core.c: which registered
 * device takes which service (seed 4.1), from the feature tags of its
 * REGISTER's Contact as cpm_headers scans them, through the branch-flag
 * encoding registrar stores; +sip.instance comparison.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_pf/cpmpf_devices_core.h"

#define ICSI_ESC "urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm."
#define BASE 16

/* the branch flags a REGISTER with this Contact body gives */
static unsigned int reg_flags(const char *contact, int base)
{
	str s;

	s.s = (char *)contact;
	s.len = strlen(contact);
	return cpmpf_dev_flags_from_mask(
			cpmh_service_scan(&s, CPMH_SVC_HDR_CONTACT), base);
}

static void t_plain_device(void **state)
{
	/* Linphone: no CPM tag at all -> Pager Mode only */
	unsigned int f = reg_flags("<sip:lp@127.0.0.1:5070>;+sip.instance="
							   "\"<urn:uuid:1>\"",
			BASE);
	int tagged = 7;

	assert_int_equal(f, 0);
	assert_int_equal(cpmpf_dev_mask_from_flags(f, BASE, &tagged), 0);
	assert_int_equal(tagged, 0);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_MSG), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SIPIM), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SESSION), 0);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_FILETRANSFER), 0);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_LARGEMSG), 0);
}

static void t_msg_device(void **state)
{
	unsigned int f = reg_flags("<sip:a@127.0.0.1:5071>;+g.3gpp.icsi-ref=\"" ICSI_ESC
							   "msg\"",
			BASE);

	assert_int_not_equal(f, 0);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_MSG), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SESSION), 0);
}

static void t_session_only_device(void **state)
{
	/* a CPM device that lists only sessions gets no standalone message */
	unsigned int f = reg_flags("<sip:a@127.0.0.1:5072>;+g.3gpp.icsi-ref=\"" ICSI_ESC
							   "session\"",
			BASE);

	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_MSG), 0);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SESSION), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SIPIM), 0);
}

static void t_several_icsi(void **state)
{
	unsigned int f = reg_flags("<sip:a@h>;+g.3gpp.icsi-ref=\"" ICSI_ESC
							   "session," ICSI_ESC "filetransfer\"",
			BASE);

	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SESSION), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_FILETRANSFER), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_MSG), 0);
}

static void t_rcs_sipim(void **state)
{
	/* RCS 5.x: +g.oma.sip-im stands for messaging */
	unsigned int f = reg_flags("<sip:a@h>;+g.oma.sip-im", BASE);

	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_MSG), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SIPIM), 1);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_SESSION), 0);
}

static void t_other_tags_are_plain(void **state)
{
	/* feature tags that name no CPM service leave a plain SIP device */
	unsigned int f = reg_flags("<sip:a@h>;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A"
							   "3gpp-service.ims.icsi.mmtel\";audio",
			BASE);

	assert_int_equal(f, 0);
	assert_int_equal(cpmpf_dev_supports(f, BASE, CPMH_SVC_MSG), 1);
}

static void t_layout(void **state)
{
	unsigned int all, f;
	int b, tagged;

	for(b = 0; b <= CPMPF_DEV_BASE_MAX; b++) {
		all = cpmpf_dev_flags_all(b);
		f = cpmpf_dev_flags_from_mask(CPMH_SVC_BIT(CPMH_SVC_SESSION), b);
		/* the flags stay inside the layout, other flags survive */
		assert_int_equal(f & ~all, 0);
		assert_int_equal(
				cpmpf_dev_mask_from_flags(f | ~all, b, &tagged) & ~0u,
				CPMH_SVC_BIT(CPMH_SVC_SESSION));
		assert_int_equal(tagged, 1);
		assert_int_equal(cpmpf_dev_mask_from_flags(~all, b, &tagged), 0);
		assert_int_equal(tagged, 0);
	}
	/* out of range: nothing encoded, nothing decoded */
	assert_int_equal(cpmpf_dev_flags_all(CPMPF_DEV_BASE_MAX + 1), 0);
	assert_int_equal(cpmpf_dev_flags_all(-1), 0);
	assert_int_equal(cpmpf_dev_flags_from_mask(1, CPMPF_DEV_BASE_MAX + 1), 0);
	assert_int_equal(cpmpf_dev_mask_from_flags(~0u, -1, &tagged), 0);
	assert_int_equal(tagged, 0);
	assert_int_equal(cpmpf_dev_supports(0, BASE, CPMH_SVC_NONE), 0);
	assert_int_equal(cpmpf_dev_supports(0, BASE, CPMH_SVC_COUNT), 0);
	/* bits above the service count are ignored */
	assert_int_equal(cpmpf_dev_flags_from_mask(1u << CPMH_SVC_COUNT, BASE), 0);
}

static int ieq(const char *a, const char *b)
{
	str x, y;

	x.s = (char *)a;
	x.len = a ? strlen(a) : 0;
	y.s = (char *)b;
	y.len = b ? strlen(b) : 0;
	return cpmpf_instance_eq(&x, &y);
}

static void t_instance(void **state)
{
	assert_int_equal(ieq("<urn:uuid:abc>", "urn:uuid:abc"), 1);
	assert_int_equal(ieq("\"<urn:uuid:abc>\"", "<URN:UUID:ABC>"), 1);
	assert_int_equal(ieq("urn:uuid:abc", "urn:uuid:abd"), 0);
	assert_int_equal(ieq("urn:uuid:abc", "urn:uuid:abcd"), 0);
	assert_int_equal(ieq("", ""), 0);
	assert_int_equal(ieq("<>", "<>"), 0);
	assert_int_equal(ieq(NULL, "x"), 0);
	assert_int_equal(ieq("<", "<"), 1); /* no pair to strip: as is */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_plain_device),
		cmocka_unit_test(t_msg_device),
		cmocka_unit_test(t_session_only_device),
		cmocka_unit_test(t_several_icsi),
		cmocka_unit_test(t_rcs_sipim),
		cmocka_unit_test(t_other_tags_are_plain),
		cmocka_unit_test(t_layout),
		cmocka_unit_test(t_instance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
