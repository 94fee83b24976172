/*
 * Unit tests of modules/cpm_headers/cpmh_service.c: CPM service detection
 * from Accept-Contact / Contact feature tags and P-Preferred-Service /
 * P-Asserted-Service URNs, including the prefix traps and %-encoded forms.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_headers/cpmh_service.h"

#define B(s) CPMH_SVC_BIT(CPMH_SVC_##s)

static unsigned int scan(const char *body, cpmh_svc_hdr_t kind)
{
	str s;

	s.s = (char *)body;
	s.len = body ? strlen(body) : 0;
	return cpmh_service_scan(&s, kind);
}

#define AC(b) scan(b, CPMH_SVC_HDR_ACCEPT_CONTACT)
#define CT(b) scan(b, CPMH_SVC_HDR_CONTACT)
#define PS(b) scan(b, CPMH_SVC_HDR_SERVICE)
#define RQ(b) scan(b, CPMH_SVC_HDR_REQUIRE)

#define ICSI_ESC "urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm."
#define ICSI "urn:urn-7:3gpp-service.ims.icsi.oma.cpm."

static void t_names(void **state)
{
	static const char *names[CPMH_SVC_COUNT] = {"msg", "largemsg", "session",
			"filetransfer", "deferred", "sip-im", "msg.group", "session.group",
			"systemmsg"};
	cpmh_service_t svc;
	str s;
	int i;

	for(i = 0; i < CPMH_SVC_COUNT; i++) {
		s.s = (char *)names[i];
		s.len = strlen(names[i]);
		svc = CPMH_SVC_NONE;
		assert_int_equal(cpmh_service_from_name(&s, &svc), 0);
		assert_int_equal(svc, i);
		assert_int_equal(cpmh_service_name(svc)->len, s.len);
		assert_memory_equal(cpmh_service_name(svc)->s, s.s, s.len);
	}
	s.s = "msgx";
	s.len = 4;
	assert_int_equal(cpmh_service_from_name(&s, &svc), -ENOENT);
	s.s = "ms";
	s.len = 2;
	assert_int_equal(cpmh_service_from_name(&s, &svc), -ENOENT);
	assert_int_equal(cpmh_service_from_name(NULL, &svc), -EINVAL);
	assert_null(cpmh_service_name(CPMH_SVC_NONE));
	assert_null(cpmh_service_name(CPMH_SVC_COUNT));
}

static void t_pick_priority(void **state)
{
	assert_int_equal(cpmh_service_pick(0), CPMH_SVC_NONE);
	assert_int_equal(cpmh_service_pick(B(MSG) | B(SESSION) | B(SIPIM)),
			CPMH_SVC_SESSION);
	assert_int_equal(cpmh_service_pick(B(MSG) | B(FILETRANSFER) | B(LARGEMSG)),
			CPMH_SVC_FILETRANSFER);
	assert_int_equal(cpmh_service_pick(B(MSG) | B(LARGEMSG) | B(DEFERRED)),
			CPMH_SVC_LARGEMSG);
	assert_int_equal(cpmh_service_pick(B(MSG) | B(DEFERRED)), CPMH_SVC_DEFERRED);
	assert_int_equal(cpmh_service_pick(B(MSG) | B(SIPIM)), CPMH_SVC_MSG);
	assert_int_equal(cpmh_service_pick(B(SIPIM)), CPMH_SVC_SIPIM);
}

static void t_ac_escaped_session(void **state)
{
	assert_int_equal(
			AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "session\""), B(SESSION));
}

static void t_ac_each_service(void **state)
{
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "msg\""), B(MSG));
	assert_int_equal(
			AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "largemsg\""), B(LARGEMSG));
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "filetransfer\""),
			B(FILETRANSFER));
	assert_int_equal(
			AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "deferred\""), B(DEFERRED));
}

static void t_ac_unescaped_and_lowercase_escape(void **state)
{
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI "msg\""), B(MSG));
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"urn%3aurn-7%3a3gpp-service.ims."
						"icsi.oma.cpm.session\""),
			B(SESSION));
}

static void t_case_insensitive(void **state)
{
	assert_int_equal(AC("*;+G.3GPP.ICSI-REF=\"URN%3AURN-7%3A3GPP-SERVICE.IMS."
						"ICSI.OMA.CPM.FileTransfer\""),
			B(FILETRANSFER));
	assert_int_equal(PS("URN:urn-7:3GPP-service.ims.icsi.oma.cpm.Deferred"),
			B(DEFERRED));
}

static void t_escaped_letters(void **state)
{
	/* %-escapes of ordinary letters decode too: "%6Dsg" == "msg" */
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "%6Dsg\""), B(MSG));
}

static void t_trap_msgx(void **state)
{
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "msgx\""), 0);
	assert_int_equal(PS(ICSI "msgx"), 0);
	assert_int_equal(PS(ICSI "msg2"), 0);
	assert_int_equal(PS(ICSI "msg-x"), 0);
	assert_int_equal(PS(ICSI "msg.foo"), 0);
}

static void t_trap_largemsg_not_msg(void **state)
{
	assert_int_equal(PS(ICSI "largemsg"), B(LARGEMSG));
	assert_int_equal(
			AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "largemsg\""), B(LARGEMSG));
}

static void t_trap_truncated(void **state)
{
	assert_int_equal(PS(ICSI "ms"), 0);
	assert_int_equal(PS(ICSI), 0);
	assert_int_equal(PS("urn:urn-7:3gpp-service.ims.icsi.oma.cp"), 0);
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"urn%3"), 0);
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "msg%"), 0);
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "msg%4"), 0);
}

static void t_trap_other_prefix(void **state)
{
	/* not at a URN boundary / not the CPM ICSI */
	assert_int_equal(PS("xurn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"), 0);
	assert_int_equal(PS("urn:urn-7:3gpp-service.ims.icsi.oma.cpmx.msg"), 0);
	assert_int_equal(PS("urn:urn-7:3gpp-service.ims.icsi.mmtel"), 0);
	assert_int_equal(PS("urn:urn-7:3gpp-application.ims.iari.oma.cpm.msg"), 0);
}

static void t_multiple_values(void **state)
{
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "msg," ICSI_ESC
						"largemsg\""),
			B(MSG) | B(LARGEMSG));
	assert_int_equal(PS(ICSI "msg, " ICSI "deferred"), B(MSG) | B(DEFERRED));
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "session\";explicit;"
						"require, *;+g.oma.sip-im"),
			B(SESSION) | B(SIPIM));
}

static void t_service_headers(void **state)
{
	assert_int_equal(PS(ICSI "session"), B(SESSION));
	assert_int_equal(PS("  " ICSI "filetransfer  "), B(FILETRANSFER));
	assert_int_equal(PS("<" ICSI "msg>"), B(MSG));
	/* sip-im is a feature tag, not a service URN */
	assert_int_equal(PS("+g.oma.sip-im"), 0);
}

static void t_contact_icsi_param(void **state)
{
	assert_int_equal(CT("<sip:alice@192.0.2.1:5060>;+g.3gpp.icsi-ref=\""
						ICSI_ESC "session\";expires=600"),
			B(SESSION));
	assert_int_equal(CT("\"Alice\" <sip:alice@h>;+g.3gpp.icsi-ref=\"" ICSI_ESC
						"msg%2C" ICSI_ESC "filetransfer\""),
			B(MSG) | B(FILETRANSFER));
}

static void t_contact_uri_param_ignored(void **state)
{
	/* inside <...> it is a URI parameter, not a feature tag */
	assert_int_equal(CT("<sip:alice@h;+g.3gpp.icsi-ref=" ICSI_ESC
						"session;+g.oma.sip-im>"),
			0);
}

static void t_other_feature_tag_ignored(void **state)
{
	assert_int_equal(AC("*;+g.3gpp.iari-ref=\"" ICSI_ESC "msg\""), 0);
	assert_int_equal(AC("*;+g.3gpp.icsi-refx=\"" ICSI_ESC "msg\""), 0);
	assert_int_equal(CT("<sip:a@h>;x=\";+g.3gpp.icsi-ref=" ICSI_ESC "msg\""),
			0);
}

static void t_sipim(void **state)
{
	assert_int_equal(AC("*;+g.oma.sip-im"), B(SIPIM));
	assert_int_equal(AC("*; +G.OMA.SIP-IM ;explicit"), B(SIPIM));
	assert_int_equal(CT("<sip:bob@h:5070>;+g.oma.sip-im;expires=3600"),
			B(SIPIM));
	assert_int_equal(CT("<sip:bob@h>;+g.oma.sip-im=\"TRUE\""), B(SIPIM));
}

static void t_sipim_traps(void **state)
{
	assert_int_equal(AC("*;+g.oma.sip-imx"), 0);
	assert_int_equal(AC("*;+g.oma.sip-i"), 0);
	assert_int_equal(AC("*;x+g.oma.sip-im"), 0);
	assert_int_equal(CT("<sip:bob@h>;+g.oma.sip-im=\"FALSE\""), 0);
	assert_int_equal(CT("\"x;+g.oma.sip-im\" <sip:bob@h>"), 0);
	assert_int_equal(CT("<sip:bob@h;+g.oma.sip-im>"), 0);
}

static void t_bad_input(void **state)
{
	static char nul_body[] =
			"*;+g.oma.sip-im\0;+g.3gpp.icsi-ref=\"" ICSI "msg\"";
	str s = {NULL, 10};
	int n = 1 << 20;
	char *big;

	assert_int_equal(cpmh_service_scan(NULL, CPMH_SVC_HDR_SERVICE), 0);
	assert_int_equal(cpmh_service_scan(&s, CPMH_SVC_HDR_CONTACT), 0);
	assert_int_equal(AC(""), 0);
	assert_int_equal(AC(";"), 0);
	assert_int_equal(AC(";="), 0);
	assert_int_equal(AC(";+g.3gpp.icsi-ref=\""), 0);
	assert_int_equal(AC(";+g.3gpp.icsi-ref=\"\\"), 0);
	assert_int_equal(AC("\"unterminated ;+g.oma.sip-im"), 0);
	assert_int_equal(scan("x", (cpmh_svc_hdr_t)99), 0);

	/* NUL inside: the scan stops at nothing, but matches nothing bogus */
	s.s = nul_body;
	s.len = sizeof(nul_body) - 1;
	assert_int_equal(cpmh_service_scan(&s, CPMH_SVC_HDR_ACCEPT_CONTACT),
			B(SIPIM) | B(MSG));

	/* huge header of escapes and semicolons */
	big = malloc(n);
	assert_non_null(big);
	memset(big, ';', n);
	s.s = big;
	s.len = n;
	assert_int_equal(cpmh_service_scan(&s, CPMH_SVC_HDR_ACCEPT_CONTACT), 0);
	memset(big, '%', n);
	assert_int_equal(cpmh_service_scan(&s, CPMH_SVC_HDR_SERVICE), 0);
	/* glued to the '%' run it is no URN boundary; after a space it is */
	memcpy(big + n - strlen(ICSI "msg"), ICSI "msg", strlen(ICSI "msg"));
	assert_int_equal(cpmh_service_scan(&s, CPMH_SVC_HDR_SERVICE), 0);
	big[n - strlen(ICSI "msg") - 1] = ' ';
	assert_int_equal(cpmh_service_scan(&s, CPMH_SVC_HDR_SERVICE), B(MSG));
	free(big);
}

/* issue 7: the group and system services of the UP / CPM dialect, each its
 * own service (".msg.group" is not "msg"), in every header form */
static void t_group_services(void **state)
{
	assert_int_equal(PS(ICSI "msg.group"), B(MSG_GROUP));
	assert_int_equal(PS(ICSI "session.group"), B(SESSION_GROUP));
	assert_int_equal(PS(ICSI "systemmsg"), B(SYSTEMMSG));
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "msg.group\""),
			B(MSG_GROUP));
	assert_int_equal(AC("*;+g.3gpp.icsi-ref=\"" ICSI_ESC "session.group\""),
			B(SESSION_GROUP));
	assert_int_equal(CT("<sip:a@h>;+g.3gpp.icsi-ref=\"" ICSI_ESC
						"systemmsg%2C" ICSI_ESC "msg.group\""),
			B(SYSTEMMSG) | B(MSG_GROUP));
	assert_int_equal(PS("URN:URN-7:3GPP-SERVICE.IMS.ICSI.OMA.CPM.MSG.GROUP"),
			B(MSG_GROUP));
	/* the traps: longer or shorter names are not these services */
	assert_int_equal(PS(ICSI "msg.groups"), 0);
	assert_int_equal(PS(ICSI "msg.grou"), 0);
	assert_int_equal(PS(ICSI "session.group.x"), 0);
	assert_int_equal(PS(ICSI "systemmsgx"), 0);
	assert_int_equal(PS(ICSI "msg.group2"), 0);
	/* the priority: the group form is more specific than the 1-1 one */
	assert_int_equal(cpmh_service_pick(B(SESSION) | B(SESSION_GROUP)),
			CPMH_SVC_SESSION_GROUP);
	assert_int_equal(
			cpmh_service_pick(B(MSG) | B(MSG_GROUP)), CPMH_SVC_MSG_GROUP);
	assert_int_equal(
			cpmh_service_pick(B(SYSTEMMSG) | B(SIPIM)), CPMH_SVC_SYSTEMMSG);
	assert_int_equal(
			cpmh_service_pick(B(MSG) | B(SYSTEMMSG)), CPMH_SVC_MSG);
}

/* the RCS 5.x group forms (client-dialects.md): Require option tags of RFC
 * 5365 / 5366 and the focus's isfocus Contact header parameter */
static void t_rcs_group_forms(void **state)
{
	assert_int_equal(RQ("recipient-list-message"), B(MSG_GROUP));
	assert_int_equal(RQ("recipient-list-invite"), B(SESSION_GROUP));
	assert_int_equal(RQ("timer , Recipient-List-Invite"), B(SESSION_GROUP));
	assert_int_equal(RQ("multiple-refer,recipient-list-message ,norefersub"),
			B(MSG_GROUP));
	assert_int_equal(RQ("recipient-list-messages"), 0);
	assert_int_equal(RQ("recipient-list"), 0);
	assert_int_equal(RQ("x recipient-list-message"), 0);
	assert_int_equal(RQ("recipient-list-invite-x"), 0);
	assert_int_equal(RQ(""), 0);
	assert_int_equal(RQ(",,,"), 0);
	assert_int_equal(CT("<sip:cf-1@h>;isfocus"), B(SESSION_GROUP));
	assert_int_equal(CT("<sip:cf-1@h>;+g.oma.sip-im;isfocus"),
			B(SESSION_GROUP) | B(SIPIM));
	/* inside the URI it is a URI parameter (rcsjta: a 1-1 chat) */
	assert_int_equal(CT("<sip:cf-1@h;isfocus>"), 0);
	assert_int_equal(CT("<sip:cf-1@h>;isfocusx"), 0);
	/* only a Contact names a focus */
	assert_int_equal(AC("*;isfocus"), 0);
}

static void t_service_hdr_names(void **state)
{
	str s;

	s.s = "P-Preferred-Service";
	s.len = strlen(s.s);
	assert_true(cpmh_service_is_service_hdr(&s));
	s.s = "p-asserted-service";
	s.len = strlen(s.s);
	assert_true(cpmh_service_is_service_hdr(&s));
	s.s = "P-Asserted-Services";
	s.len = strlen(s.s);
	assert_false(cpmh_service_is_service_hdr(&s));
	s.s = "P-Asserted-Identity";
	s.len = strlen(s.s);
	assert_false(cpmh_service_is_service_hdr(&s));
	assert_false(cpmh_service_is_service_hdr(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_names),
		cmocka_unit_test(t_pick_priority),
		cmocka_unit_test(t_ac_escaped_session),
		cmocka_unit_test(t_ac_each_service),
		cmocka_unit_test(t_ac_unescaped_and_lowercase_escape),
		cmocka_unit_test(t_case_insensitive),
		cmocka_unit_test(t_escaped_letters),
		cmocka_unit_test(t_trap_msgx),
		cmocka_unit_test(t_trap_largemsg_not_msg),
		cmocka_unit_test(t_trap_truncated),
		cmocka_unit_test(t_trap_other_prefix),
		cmocka_unit_test(t_multiple_values),
		cmocka_unit_test(t_service_headers),
		cmocka_unit_test(t_contact_icsi_param),
		cmocka_unit_test(t_contact_uri_param_ignored),
		cmocka_unit_test(t_other_feature_tag_ignored),
		cmocka_unit_test(t_sipim),
		cmocka_unit_test(t_sipim_traps),
		cmocka_unit_test(t_bad_input),
		cmocka_unit_test(t_service_hdr_names),
		cmocka_unit_test(t_group_services),
		cmocka_unit_test(t_rcs_group_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
