/*
 * cpm_cf: participant information documents (cpmcf_conf_core.c, RFC 4575,
 * seed 4.1 / 6.3): full and partial state read back with cpm_ci_parse,
 * element by element; an anonymous participant's URI in no document.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "cpm_cf/cpmcf_conf_core.h"
#include "../../lib/cpm_confinfo.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})

static const cpmcf_alloc_t A = {malloc, free};

static cpmcf_sess_t *mk(void)
{
	cpmcf_sess_init_t in;
	cpmcf_sess_t *s = NULL;
	str a = S("sip:alice@example.net"), b = S("sip:bob@example.net"),
		c = S("sip:carol@example.net"), da = S("\"Alice\""), db = S("Bob");

	memset(&in, 0, sizeof(in));
	in.user = S("cf-1");
	in.identity = S("sip:cf-1@example.net");
	in.subject = S("Lunch");
	in.initiator = a;
	in.max = 5;
	assert_int_equal(cpmcf_sess_new(&A, &in, &s), 0);
	assert_int_equal(cpmcf_part_add(&A, s, &a, &da, 1, CPMCF_P_CONNECTED), 0);
	assert_int_equal(cpmcf_part_add(&A, s, &b, &db, 0, CPMCF_P_CONNECTED), 1);
	assert_int_equal(cpmcf_part_add(&A, s, &c, NULL, 0, CPMCF_P_DIALING_OUT), 2);
	return s;
}

static void anon_bob(cpmcf_anon_t *an)
{
	memset(an, 0, sizeof(*an));
	strcpy(an->uri, "sip:bob@example.net");
	an->uri_len = strlen(an->uri);
	strcpy(an->pseudo, "Batman");
	an->pseudo_len = 6;
	an->no = 1;
}

static void parse(const char *doc, int len, cpm_ci_t *ci, cpm_ci_user_t *u,
		char *buf)
{
	assert_int_equal(cpm_ci_parse(doc, len, ci, u, 8, buf, 8192), 0);
}

static int seq(cpm_str_t v, const char *lit)
{
	return v.len == (int)strlen(lit) && memcmp(v.s, lit, v.len) == 0;
}

static void t_full(void **state)
{
	cpmcf_sess_t *s = mk();
	cpmcf_anon_t an;
	char doc[8192], buf[8192];
	cpm_ci_t ci;
	cpm_ci_user_t u[8];
	str me = S("sip:alice@example.net");
	int n;

	anon_bob(&an);
	n = cpmcf_conf_doc(s, &an, 1, &me, 1, -1, doc, sizeof(doc));
	assert_true(n > 0);
	parse(doc, n, &ci, u, buf);
	assert_true(seq(ci.entity, "sip:cf-1@example.net"));
	assert_int_equal(ci.state, CPM_CI_FULL);
	assert_int_equal(ci.version, 1);
	assert_int_equal(ci.max_users, 5);
	assert_int_equal(ci.user_count, 2);
	assert_int_equal(ci.n_users, 3);
	assert_true(seq(u[0].entity, "sip:alice@example.net"));
	assert_true(seq(u[0].display_text, "Alice"));
	assert_int_equal(u[0].yourown, 1);
	assert_int_equal(u[0].status, CPM_CI_ST_CONNECTED);
	/* seed 6.3: the pseudonym and an anonymous URI, not bob's */
	assert_true(seq(u[1].entity, "sip:anonymous-1@anonymous.invalid"));
	assert_true(seq(u[1].ep_entity, "sip:anonymous-1@anonymous.invalid"));
	assert_true(seq(u[1].display_text, "Batman"));
	assert_int_equal(u[1].yourown, 0);
	assert_null(strstr(doc, "bob@"));
	assert_null(strstr(doc, ">Bob<"));
	assert_true(seq(u[2].entity, "sip:carol@example.net"));
	assert_int_equal(u[2].status, CPM_CI_ST_DIALING_OUT);
	/* rcsjta: no <media> */
	assert_null(strstr(doc, "<media"));
	cpmcf_sess_free(&A, s);
}

/* a leave and a rejoin: partial with the latest slot; departed */
static void t_partial(void **state)
{
	cpmcf_sess_t *s = mk();
	char doc[8192], buf[8192];
	cpm_ci_t ci;
	cpm_ci_user_t u[8];
	str b = S("sip:bob@example.net"), nb = S("Robert");
	int n, i;

	s->parts[1].state = CPMCF_P_DISCONNECTED;
	n = cpmcf_conf_doc(s, NULL, 0, &b, 7, 1, doc, sizeof(doc));
	assert_true(n > 0);
	parse(doc, n, &ci, u, buf);
	assert_int_equal(ci.state, CPM_CI_PARTIAL);
	assert_int_equal(ci.version, 7);
	assert_int_equal(ci.n_users, 1);
	assert_int_equal(ci.user_count, 1);
	assert_true(seq(u[0].entity, "sip:bob@example.net"));
	assert_int_equal(u[0].yourown, 1);
	assert_int_equal(u[0].status, CPM_CI_ST_DISCONNECTED);
	assert_int_equal(u[0].disconnection_method, CPM_CI_DM_DEPARTED);
	/* carol declined: busy */
	s->parts[2].state = CPMCF_P_DISCONNECTED;
	s->parts[2].status = 486;
	n = cpmcf_conf_doc(s, NULL, 0, &b, 8, 2, doc, sizeof(doc));
	parse(doc, n, &ci, u, buf);
	assert_int_equal(u[0].disconnection_method, CPM_CI_DM_BUSY);
	/* item 7: a participant removed for not answering (its in-dialog
	 * request answered 481, its session timer run out: 408) failed */
	s->parts[2].status = 481;
	n = cpmcf_conf_doc(s, NULL, 0, &b, 8, 2, doc, sizeof(doc));
	parse(doc, n, &ci, u, buf);
	assert_int_equal(u[0].status, CPM_CI_ST_DISCONNECTED);
	assert_int_equal(u[0].disconnection_method, CPM_CI_DM_FAILED);
	s->parts[2].status = 408;
	n = cpmcf_conf_doc(s, NULL, 0, &b, 8, 2, doc, sizeof(doc));
	parse(doc, n, &ci, u, buf);
	assert_int_equal(u[0].disconnection_method, CPM_CI_DM_FAILED);
	/* bob rejoins under another name: the new one shown */
	i = cpmcf_part_add(&A, s, &b, &nb, 0, CPMCF_P_CONNECTED);
	assert_int_equal(i, 1); /* its entry reused */
	n = cpmcf_conf_doc(s, NULL, 0, &b, 9, 1, doc, sizeof(doc));
	parse(doc, n, &ci, u, buf);
	assert_true(seq(u[0].display_text, "Robert"));
	assert_int_equal(u[0].status, CPM_CI_ST_CONNECTED);
	n = cpmcf_conf_doc(s, NULL, 0, &b, 10, -1, doc, sizeof(doc));
	parse(doc, n, &ci, u, buf);
	assert_int_equal(ci.n_users, 3);
	assert_int_equal(cpmcf_conf_doc(s, NULL, 0, &b, 10, 4, doc, sizeof(doc)),
			-EINVAL);
	assert_int_equal(cpmcf_conf_doc(s, NULL, 0, &b, 10, -1, doc, 100),
			-ENOSPC);
	cpmcf_sess_free(&A, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_full),
			cmocka_unit_test(t_partial),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
