/*
 * Unit tests of modules/cpm_headers/cpmh_id.c: the Conversation-ID,
 * Contribution-ID and InReplyTo-Contribution-ID value syntax, duplicate /
 * missing classification, printer/parser round trip and UUID generation
 * (seed section 5.3).
 *
 * Per-header cases run once for each of the three headers (the header id
 * is the test state).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_headers/cpmh_id.h"

#define STR(lit) ((str){(char *)(lit), sizeof(lit) - 1})

static int ids[CPMH_ID_COUNT] = {CPMH_ID_CONVERSATION_ID,
		CPMH_ID_CONTRIBUTION_ID, CPMH_ID_INREPLYTO_CONTRIBUTION_ID};

static cpmh_id_t state_id(void **state)
{
	return (cpmh_id_t)(*(int *)*state);
}

/* a valid message's three headers, with header `id`'s body replaced */
static cpmh_check_rc_t check_with(cpmh_id_t id, str body, int max_len,
		cpmh_id_t *err, cpmh_check_t *c)
{
	cpmh_field_t f[3];
	int i;

	for(i = 0; i < 3; i++) {
		f[i].name = *cpmh_name(i);
		f[i].body = STR(" good-value-1");
	}
	f[id].body = body;
	return cpmh_check_fields(f, 3, max_len, err, c);
}

static void expect_malformed(void **state, str body, int err_code)
{
	cpmh_id_t id = state_id(state), err = CPMH_ID_NONE;
	str v = {NULL, 0};

	assert_int_equal(check_with(id, body, 64, &err, NULL),
			CPMH_CHECK_MALFORMED);
	assert_int_equal(err, id);
	assert_int_equal(cpmh_parse_value(&body, 64, &v), err_code);
	assert_null(v.s); /* untouched on error */
}

/* ---- per header ---- */

static void t_valid(void **state)
{
	cpmh_id_t id = state_id(state), err = CPMH_ID_COUNT;
	cpmh_check_t c;
	str v;

	assert_int_equal(check_with(id, STR("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"),
							 64, &err, &c),
			CPMH_CHECK_OK);
	assert_int_equal(err, CPMH_ID_NONE);
	assert_int_equal(cpmh_check_value(&c, id, &v), 0);
	assert_int_equal(v.len, 36);
	assert_memory_equal(v.s, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 36);
}

static void t_all_token_chars(void **state)
{
	cpmh_id_t id = state_id(state), err;
	cpmh_check_t c;
	str v;
	str body = STR("aZ09-.!%*_+`'~");

	assert_int_equal(check_with(id, body, 64, &err, &c), CPMH_CHECK_OK);
	assert_int_equal(cpmh_check_value(&c, id, &v), 0);
	assert_int_equal(v.len, body.len);
	assert_memory_equal(v.s, body.s, body.len);
}

static void t_lws_trimmed(void **state)
{
	cpmh_id_t id = state_id(state), err;
	cpmh_check_t c;
	str v;

	assert_int_equal(
			check_with(id, STR("\r\n \t Abc-1 \t\r\n"), 64, &err, &c),
			CPMH_CHECK_OK);
	assert_int_equal(cpmh_check_value(&c, id, &v), 0);
	assert_int_equal(v.len, 5);
	assert_memory_equal(v.s, "Abc-1", 5); /* case kept, byte for byte */
}

static void t_empty(void **state)
{
	expect_malformed(state, STR(""), -ENODATA);
}

static void t_whitespace_only(void **state)
{
	expect_malformed(state, STR(" \t  \t"), -ENODATA);
}

static void t_odd_case_name(void **state)
{
	cpmh_id_t id = state_id(state), err;
	cpmh_field_t f[3];
	char names[3][32];
	int i, j;

	for(i = 0; i < 3; i++) {
		const str *n = cpmh_name(i);
		for(j = 0; j < n->len; j++) /* alternate case: cOnVeRsAtIoN-iD */
			names[i][j] = (j % 2) ? (char)toupper((unsigned char)n->s[j])
								  : (char)tolower((unsigned char)n->s[j]);
		f[i].name.s = names[i];
		f[i].name.len = n->len;
		f[i].body = STR("v1");
	}
	assert_int_equal(cpmh_lookup(&f[id].name), id);
	assert_int_equal(cpmh_check_fields(f, 3, 64, &err, NULL), CPMH_CHECK_OK);
	/* all upper case too */
	for(j = 0; j < f[id].name.len; j++)
		names[id][j] = (char)toupper((unsigned char)names[id][j]);
	assert_int_equal(cpmh_lookup(&f[id].name), id);
}

static void t_duplicate(void **state)
{
	cpmh_id_t id = state_id(state), err = CPMH_ID_NONE;
	cpmh_field_t f[4];
	cpmh_check_t c;
	str v;
	int i;

	for(i = 0; i < 3; i++) {
		f[i].name = *cpmh_name(i);
		f[i].body = STR("same");
	}
	f[3] = f[id]; /* identical second instance */
	assert_int_equal(cpmh_check_fields(f, 4, 64, &err, &c),
			CPMH_CHECK_DUPLICATE);
	assert_int_equal(err, id);
	assert_int_equal(c.slot[id].count, 2);
	assert_int_equal(cpmh_check_value(&c, id, &v), -ENOENT);
}

static void t_duplicate_other_case(void **state)
{
	cpmh_id_t id = state_id(state), err = CPMH_ID_NONE;
	cpmh_field_t f[4];
	char lower[32];
	int i;

	for(i = 0; i < 3; i++) {
		f[i].name = *cpmh_name(i);
		f[i].body = STR("v");
	}
	for(i = 0; i < f[id].name.len; i++)
		lower[i] = (char)tolower((unsigned char)f[id].name.s[i]);
	f[3].name.s = lower;
	f[3].name.len = f[id].name.len;
	f[3].body = STR("w");
	assert_int_equal(cpmh_check_fields(f, 4, 64, &err, NULL),
			CPMH_CHECK_DUPLICATE);
	assert_int_equal(err, id);
}

static void t_max_length_ok(void **state)
{
	cpmh_id_t id = state_id(state), err;
	char buf[CPMH_ID_MAXLEN_DEFAULT];
	str body = {buf, CPMH_ID_MAXLEN_DEFAULT};
	str v;

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(check_with(id, body, CPMH_ID_MAXLEN_DEFAULT, &err, NULL),
			CPMH_CHECK_OK);
	assert_int_equal(cpmh_parse_value(&body, CPMH_ID_MAXLEN_DEFAULT, &v), 0);
	assert_int_equal(v.len, CPMH_ID_MAXLEN_DEFAULT);
}

static void t_one_over_max(void **state)
{
	cpmh_id_t id = state_id(state), err;
	char buf[CPMH_ID_MAXLEN_DEFAULT + 1];
	str body = {buf, sizeof(buf)};
	str v = {NULL, 0};

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(check_with(id, body, CPMH_ID_MAXLEN_DEFAULT, &err, NULL),
			CPMH_CHECK_MALFORMED);
	assert_int_equal(err, id);
	assert_int_equal(
			cpmh_parse_value(&body, CPMH_ID_MAXLEN_DEFAULT, &v), -EMSGSIZE);
}

static void t_cr_inside(void **state)
{
	expect_malformed(state, STR("ab\rcd"), -EBADMSG);
}

static void t_lf_inside(void **state)
{
	expect_malformed(state, STR("ab\ncd"), -EBADMSG);
}

static void t_crlf_fold_inside(void **state)
{
	/* a folded continuation is LWS inside the value: not one token */
	expect_malformed(state, STR("ab\r\n cd"), -EBADMSG);
}

static void t_nul_inside(void **state)
{
	expect_malformed(state, STR("ab\0cd"), -EBADMSG);
}

static void t_ctl_inside(void **state)
{
	expect_malformed(state, STR("ab\x01" "cd"), -EBADMSG);
}

static void t_non_ascii(void **state)
{
	expect_malformed(state, STR("caf\xc3\xa9"), -EBADMSG);
}

static void t_embedded_space(void **state)
{
	expect_malformed(state, STR("ab cd"), -EBADMSG);
}

static void t_comma_list(void **state)
{
	expect_malformed(state, STR("abc, def"), -EBADMSG);
}

static void t_separator_chars(void **state)
{
	expect_malformed(state, STR("<abc>"), -EBADMSG);
	expect_malformed(state, STR("\"abc\""), -EBADMSG);
	expect_malformed(state, STR("abc;p=1"), -EBADMSG);
}

static void t_round_trip(void **state)
{
	cpmh_id_t id = state_id(state), got = CPMH_ID_NONE;
	char buf[128];
	int len = sizeof(buf);
	str v = STR("Round.Trip_42~"), out;
	str line;
	char expect[128];
	int elen;

	assert_int_equal(cpmh_print(cpmh_name(id), &v, buf, &len), 0);
	elen = snprintf(expect, sizeof(expect), "%s: Round.Trip_42~\r\n",
			cpmh_name(id)->s);
	assert_int_equal(len, elen);
	assert_memory_equal(buf, expect, elen);
	line.s = buf;
	line.len = len;
	assert_int_equal(cpmh_parse_line(&line, 64, &got, &out), 0);
	assert_int_equal(got, id);
	assert_int_equal(out.len, v.len);
	assert_memory_equal(out.s, v.s, v.len);
}

/* ---- names ---- */

static void t_lookup_names(void **state)
{
	str s;

	s = STR("Conversation-ID");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_CONVERSATION_ID);
	s = STR("Contribution-ID");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_CONTRIBUTION_ID);
	s = STR("InReplyTo-Contribution-ID");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_INREPLYTO_CONTRIBUTION_ID);
	s = STR("Conversation-ID \t"); /* name as it stands before the colon */
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_CONVERSATION_ID);
}

static void t_lookup_near_misses(void **state)
{
	str s;

	s = STR("Conversation-I");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_NONE);
	s = STR("Conversation-IDs");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_NONE);
	s = STR("Conversation_ID");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_NONE);
	s = STR("InReplyTo-Contribution");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_NONE);
	s = STR("Call-ID");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_NONE);
	s = STR("");
	assert_int_equal(cpmh_lookup(&s), CPMH_ID_NONE);
	assert_int_equal(cpmh_lookup(NULL), CPMH_ID_NONE);
	assert_null(cpmh_name(CPMH_ID_NONE));
	assert_null(cpmh_name(CPMH_ID_COUNT));
}

static void t_token_chars(void **state)
{
	const char *ok = "abcxyzABCXYZ0189-.!%*_+`'~";
	const char *bad = "()<>@,;:\\\"/[]?={} \t";
	int c, n;

	for(; *ok; ok++)
		assert_true(cpmh_is_token_char((unsigned char)*ok));
	for(; *bad; bad++)
		assert_false(cpmh_is_token_char((unsigned char)*bad));
	for(c = 0; c < 32; c++)
		assert_false(cpmh_is_token_char(c));
	for(c = 127; c < 256; c++)
		assert_false(cpmh_is_token_char(c));
	assert_false(cpmh_is_token_char(-1));
	assert_false(cpmh_is_token_char(256));
	/* exactly alphanum (62) and the ten marks of RFC 3261 token */
	for(c = 0, n = 0; c < 256; c++)
		n += cpmh_is_token_char(c) ? 1 : 0;
	assert_int_equal(n, 72);
}

/* ---- classification ---- */

static cpmh_check_rc_t check_pairs(const char *const *nv, int n, int max_len,
		cpmh_id_t *err)
{
	cpmh_field_t f[8];
	int i;

	for(i = 0; i < n; i++) {
		f[i].name.s = (char *)nv[2 * i];
		f[i].name.len = strlen(nv[2 * i]);
		f[i].body.s = (char *)nv[2 * i + 1];
		f[i].body.len = strlen(nv[2 * i + 1]);
	}
	return cpmh_check_fields(f, n, max_len, err, NULL);
}

static void t_none_present(void **state)
{
	const char *nv[] = {"Call-ID", "x", "Conversation", "y",
			"X-Conversation-ID", "z"};
	cpmh_id_t err = CPMH_ID_COUNT;

	assert_int_equal(check_pairs(nv, 3, 64, &err), CPMH_CHECK_NONE);
	assert_int_equal(err, CPMH_ID_NONE);
	assert_int_equal(check_pairs(nv, 0, 64, &err), CPMH_CHECK_NONE);
}

static void t_irt_optional(void **state)
{
	const char *nv[] = {"Conversation-ID", "a", "Contribution-ID", "b"};
	cpmh_id_t err = CPMH_ID_COUNT;

	assert_int_equal(check_pairs(nv, 2, 64, &err), CPMH_CHECK_OK);
	assert_int_equal(err, CPMH_ID_NONE);
}

static void t_missing_contribution(void **state)
{
	const char *nv[] = {"Conversation-ID", "a"};
	cpmh_id_t err = CPMH_ID_NONE;

	assert_int_equal(check_pairs(nv, 1, 64, &err), CPMH_CHECK_MISSING);
	assert_int_equal(err, CPMH_ID_CONTRIBUTION_ID);
}

/* RCS 5.x dialect (rcsjta): a 32-hex Contribution-ID and no
 * Conversation-ID is a distinct result 2, not an error */
static void t_rcs_contribution_only(void **state)
{
	const char *alone[] = {"Contribution-ID",
			"0123456789abcdef0123456789ABCDEF"};
	const char *irt[] = {"Contribution-ID", "b", "InReplyTo-Contribution-ID",
			"c"};
	const char *bad_irt[] = {"Contribution-ID", "b",
			"InReplyTo-Contribution-ID", "c d"};
	const char *dup[] = {"Contribution-ID", "b", "contribution-id", "b"};
	const char *bad[] = {"Contribution-ID", "b c"};
	cpmh_id_t err = CPMH_ID_COUNT;

	assert_int_equal(check_pairs(alone, 1, 64, &err), CPMH_CHECK_CONTRIB_ONLY);
	assert_int_equal(err, CPMH_ID_NONE);
	assert_int_equal(check_pairs(irt, 2, 64, &err), CPMH_CHECK_CONTRIB_ONLY);
	assert_int_equal(err, CPMH_ID_NONE);
	assert_int_equal(check_pairs(bad_irt, 2, 64, &err), CPMH_CHECK_MALFORMED);
	assert_int_equal(err, CPMH_ID_INREPLYTO_CONTRIBUTION_ID);
	assert_int_equal(check_pairs(dup, 2, 64, &err), CPMH_CHECK_DUPLICATE);
	assert_int_equal(err, CPMH_ID_CONTRIBUTION_ID);
	assert_int_equal(check_pairs(bad, 1, 64, &err), CPMH_CHECK_MALFORMED);
	assert_int_equal(err, CPMH_ID_CONTRIBUTION_ID);
	/* the strict CPM pair stays 1 */
	assert_int_equal(check_pairs((const char *[]){"Conversation-ID", "a",
									 "Contribution-ID", alone[1]},
							 2, 64, &err),
			CPMH_CHECK_OK);
}

static void t_only_inreplyto(void **state)
{
	const char *nv[] = {"InReplyTo-Contribution-ID", "c"};
	cpmh_id_t err = CPMH_ID_NONE;

	assert_int_equal(check_pairs(nv, 1, 64, &err), CPMH_CHECK_MISSING);
	assert_int_equal(err, CPMH_ID_CONVERSATION_ID);
}

static void t_first_problem_wins(void **state)
{
	/* malformed Conversation-ID beats duplicate Contribution-ID */
	const char *a[] = {"Contribution-ID", "b", "Contribution-ID", "b",
			"Conversation-ID", "a b"};
	/* no Conversation-ID (RCS dialect): the malformed Contribution-ID is
	 * the problem */
	const char *b[] = {"Contribution-ID", "", "InReplyTo-Contribution-ID",
			"x"};
	/* duplicate beats malformed within one header */
	const char *c[] = {"Conversation-ID", "", "Conversation-ID", "ok",
			"Contribution-ID", "b"};
	/* malformed Contribution-ID beats malformed InReplyTo */
	const char *d[] = {"InReplyTo-Contribution-ID", "", "Conversation-ID",
			"a", "Contribution-ID", "\x7f"};
	cpmh_id_t err = CPMH_ID_NONE;

	assert_int_equal(check_pairs(a, 3, 64, &err), CPMH_CHECK_MALFORMED);
	assert_int_equal(err, CPMH_ID_CONVERSATION_ID);
	assert_int_equal(check_pairs(b, 2, 64, &err), CPMH_CHECK_MALFORMED);
	assert_int_equal(err, CPMH_ID_CONTRIBUTION_ID);
	assert_int_equal(check_pairs(c, 3, 64, &err), CPMH_CHECK_DUPLICATE);
	assert_int_equal(err, CPMH_ID_CONVERSATION_ID);
	assert_int_equal(check_pairs(d, 3, 64, &err), CPMH_CHECK_MALFORMED);
	assert_int_equal(err, CPMH_ID_CONTRIBUTION_ID);
}

static void t_null_body_and_args(void **state)
{
	cpmh_check_t c;
	cpmh_id_t err;
	str name = STR("Conversation-ID"), v;

	cpmh_check_init(&c, 64);
	assert_int_equal(cpmh_check_add(&c, &name, NULL), 1);
	assert_int_equal(c.slot[CPMH_ID_CONVERSATION_ID].status, -ENODATA);
	assert_int_equal(cpmh_check_add(NULL, &name, NULL), -EINVAL);
	assert_int_equal(cpmh_check_add(&c, NULL, NULL), -EINVAL);
	assert_int_equal(cpmh_check_result(NULL, &err), CPMH_CHECK_MALFORMED);
	assert_int_equal(cpmh_parse_value(NULL, 64, &v), -EINVAL);
	assert_int_equal(cpmh_parse_value(&name, 0, &v), -EINVAL);
	assert_int_equal(cpmh_parse_value(&name, 64, NULL), -EINVAL);
	assert_int_equal(cpmh_check_value(&c, CPMH_ID_COUNT, &v), -EINVAL);
}

static void t_huge_values(void **state)
{
	int n = 1 << 20;
	char *buf = malloc(n);
	str body = {buf, n}, v;

	assert_non_null(buf);
	memset(buf, 'a', n);
	assert_int_equal(cpmh_parse_value(&body, CPMH_ID_MAXLEN_MAX, &v),
			-EMSGSIZE);
	memset(buf, ' ', n);
	assert_int_equal(cpmh_parse_value(&body, CPMH_ID_MAXLEN_MAX, &v),
			-ENODATA);
	free(buf);
}

/* ---- printer / line parser ---- */

static void t_print_bounds(void **state)
{
	char buf[64];
	str name = STR("Contribution-ID"), v = STR("abc");
	int need = 15 + 2 + 3 + 2, len;

	memset(buf, '#', sizeof(buf));
	len = need - 1;
	assert_int_equal(cpmh_print(&name, &v, buf, &len), -ENOSPC);
	assert_int_equal(len, need - 1);
	assert_int_equal(buf[0], '#'); /* nothing written */
	len = need;
	assert_int_equal(cpmh_print(&name, &v, buf, &len), 0);
	assert_int_equal(len, need);
	assert_memory_equal(buf, "Contribution-ID: abc\r\n", need);
	assert_int_equal(buf[need], '#'); /* nothing past the end */
}

static void t_print_rejects_bad_values(void **state)
{
	char buf[64];
	str name = STR("Conversation-ID"), v;
	int len;

	v = STR("a b");
	len = sizeof(buf);
	assert_int_equal(cpmh_print(&name, &v, buf, &len), -EINVAL);
	v = STR("");
	assert_int_equal(cpmh_print(&name, &v, buf, &len), -EINVAL);
	v = STR("ab\r\nX-Injected: 1");
	assert_int_equal(cpmh_print(&name, &v, buf, &len), -EINVAL);
	v = STR("ok");
	name = STR("Bad Name");
	assert_int_equal(cpmh_print(&name, &v, buf, &len), -EINVAL);
	assert_int_equal(cpmh_print(NULL, &v, buf, &len), -EINVAL);
	assert_int_equal(cpmh_print(&v, &v, NULL, &len), -EINVAL);
}

static void t_parse_line_forms(void **state)
{
	cpmh_id_t id = CPMH_ID_NONE;
	str line, v;

	line = STR("conversation-id \t:  xyz\r\n");
	assert_int_equal(cpmh_parse_line(&line, 64, &id, &v), 0);
	assert_int_equal(id, CPMH_ID_CONVERSATION_ID);
	assert_int_equal(v.len, 3);
	assert_memory_equal(v.s, "xyz", 3);
	line = STR("Call-ID: xyz\r\n");
	assert_int_equal(cpmh_parse_line(&line, 64, &id, &v), -ENOENT);
	line = STR("Conversation-ID xyz\r\n");
	assert_int_equal(cpmh_parse_line(&line, 64, &id, &v), -ENOENT);
	line = STR("Contribution-ID:\r\n");
	assert_int_equal(cpmh_parse_line(&line, 64, &id, &v), -ENODATA);
	line = STR("Contribution-ID: a\r\nX: b\r\n");
	assert_int_equal(cpmh_parse_line(&line, 64, &id, &v), -EBADMSG);
}

/* ---- UUID ---- */

static void assert_uuid_form(const char *u)
{
	int i;

	assert_int_equal(strlen(u), CPMH_UUID_STR_LEN);
	for(i = 0; i < CPMH_UUID_STR_LEN; i++) {
		if(i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(u[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", u[i]));
	}
	assert_int_equal(u[14], '4'); /* version 4 (random) */
	assert_non_null(strchr("89ab", u[19])); /* RFC 4122 variant */
}

static void t_uuid(void **state)
{
	char a[CPMH_UUID_BUF_SIZE], b[CPMH_UUID_BUF_SIZE];
	str s, v;

	assert_int_equal(cpmh_gen_uuid(a, sizeof(a)), 0);
	assert_int_equal(cpmh_gen_uuid(b, sizeof(b)), 0);
	assert_uuid_form(a);
	assert_uuid_form(b);
	assert_string_not_equal(a, b);
	/* a generated id is always a valid value, even at the smallest limit */
	s.s = a;
	s.len = strlen(a);
	assert_int_equal(cpmh_parse_value(&s, CPMH_ID_MAXLEN_MIN, &v), 0);
	assert_int_equal(cpmh_gen_uuid(a, CPMH_UUID_BUF_SIZE - 1), -ENOSPC);
	assert_int_equal(cpmh_gen_uuid(NULL, CPMH_UUID_BUF_SIZE), -EINVAL);
}

#define PER_HDR(f)                                              \
	cmocka_unit_test_prestate(f, &ids[0]),                      \
			cmocka_unit_test_prestate(f, &ids[1]),              \
			cmocka_unit_test_prestate(f, &ids[2])

int main(void)
{
	const struct CMUnitTest tests[] = {
		PER_HDR(t_valid),
		PER_HDR(t_all_token_chars),
		PER_HDR(t_lws_trimmed),
		PER_HDR(t_empty),
		PER_HDR(t_whitespace_only),
		PER_HDR(t_odd_case_name),
		PER_HDR(t_duplicate),
		PER_HDR(t_duplicate_other_case),
		PER_HDR(t_max_length_ok),
		PER_HDR(t_one_over_max),
		PER_HDR(t_cr_inside),
		PER_HDR(t_lf_inside),
		PER_HDR(t_crlf_fold_inside),
		PER_HDR(t_nul_inside),
		PER_HDR(t_ctl_inside),
		PER_HDR(t_non_ascii),
		PER_HDR(t_embedded_space),
		PER_HDR(t_comma_list),
		PER_HDR(t_separator_chars),
		PER_HDR(t_round_trip),
		cmocka_unit_test(t_lookup_names),
		cmocka_unit_test(t_lookup_near_misses),
		cmocka_unit_test(t_token_chars),
		cmocka_unit_test(t_none_present),
		cmocka_unit_test(t_irt_optional),
		cmocka_unit_test(t_missing_contribution),
		cmocka_unit_test(t_rcs_contribution_only),
		cmocka_unit_test(t_only_inreplyto),
		cmocka_unit_test(t_first_problem_wins),
		cmocka_unit_test(t_null_body_and_args),
		cmocka_unit_test(t_huge_values),
		cmocka_unit_test(t_print_bounds),
		cmocka_unit_test(t_print_rejects_bad_values),
		cmocka_unit_test(t_parse_line_forms),
		cmocka_unit_test(t_uuid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
