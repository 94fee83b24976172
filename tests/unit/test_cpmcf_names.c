/*
 * cpm_cf: display names and pseudonyms (cpmcf_names_core.c, seed 6.3).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#define FUZZ_SEED 0x6e616d6573ull
#include "cpm_prop.h"
#include "cpm_cf/cpmcf_names_core.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})
#define EMPTY ((str){NULL, 0})

static void expect_name(const cpmcf_name_src_t *src, const char *want)
{
	str out;

	cpmcf_name_choose(src, &out);
	if(want == NULL) {
		assert_int_equal(out.len, 0);
		return;
	}
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.s, want, out.len);
}

/* seed 6.3: group, authenticated originator, From, the 200's To */
static void t_priority(void **state)
{
	cpmcf_name_src_t s = {S("Group Bob"), S("\"PAI Bob\""), S("From Bob"),
			S("To Bob")};

	expect_name(&s, "Group Bob");
	s.group = EMPTY;
	expect_name(&s, "PAI Bob");
	s.pai = S("  ");
	expect_name(&s, "From Bob");
	s.from = S("\"\"");
	expect_name(&s, "To Bob");
	s.to200 = EMPTY;
	expect_name(&s, NULL);
}

static void t_copy(void **state)
{
	cpmcf_name_src_t s = {EMPTY, EMPTY, EMPTY, S("\"Carol C.\"")};
	char buf[16];

	assert_int_equal(cpmcf_name_copy(&s, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "Carol C.");
	/* cut short: none */
	assert_int_equal(cpmcf_name_copy(&s, buf, 8), 0);
	s.to200 = EMPTY;
	assert_int_equal(cpmcf_name_copy(&s, buf, sizeof(buf)), 0);
}

static void t_privacy(void **state)
{
	assert_int_equal(cpmcf_privacy_id(&S("id")), 1);
	assert_int_equal(cpmcf_privacy_id(&S("header; id")), 1);
	assert_int_equal(cpmcf_privacy_id(&S("user;ID;critical")), 1);
	assert_int_equal(cpmcf_privacy_id(&S("header")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("idx")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("none")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("id;none")), 0);
	assert_int_equal(cpmcf_privacy_id(&S("")), 0);
	assert_int_equal(cpmcf_privacy_id(NULL), 0);
}

static void t_allowed(void **state)
{
	assert_int_equal(cpmcf_anon_allowed(0, 0, 0), 1); /* ad-hoc: allowed */
	assert_int_equal(cpmcf_anon_allowed(0, 1, 1), 0); /* forbidden by op */
	assert_int_equal(cpmcf_anon_allowed(1, 1, 1), 1); /* group policy */
	assert_int_equal(cpmcf_anon_allowed(1, 0, 0), 0);
}

static void t_pseudonym(void **state)
{
	char buf[64];
	str taken[3] = {S("Zorro"), S("anonymous 1"), S("Anonymous 3")};

	/* the client's pseudonym when free */
	assert_int_equal(cpmcf_pseudonym(&S("\"Batman\""), taken, 3, buf,
							 sizeof(buf)),
			6);
	assert_string_equal(buf, "Batman");
	/* taken (case-insensitively): one the CF chooses, unique */
	assert_int_equal(cpmcf_pseudonym(&S("zorro"), taken, 3, buf, sizeof(buf)),
			11);
	assert_string_equal(buf, "Anonymous 2");
	/* none given */
	assert_int_equal(cpmcf_pseudonym(NULL, taken, 1, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "Anonymous 1");
	assert_int_equal(cpmcf_pseudonym(&S(""), NULL, 0, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "Anonymous 1");
	assert_int_equal(cpmcf_pseudonym(&S("Batman"), taken, 3, buf, 6), -ENOSPC);
	assert_int_equal(cpmcf_pseudonym(&S("Batman"), NULL, 3, buf, 6), -EINVAL);
}

/* every participant of a full session gets a distinct pseudonym */
static void t_pseudonym_unique(void **state)
{
	char names[50][32];
	str taken[50];
	int i, j;

	for(i = 0; i < 50; i++) {
		/* half of them want the same name */
		str w = (i % 2) ? S("Same") : EMPTY;
		assert_true(cpmcf_pseudonym(&w, taken, i, names[i], 32) > 0);
		taken[i] = S(names[i]);
		for(j = 0; j < i; j++)
			assert_true(strcasecmp(names[i], names[j]) != 0);
	}
}

static void t_anon_uri(void **state)
{
	char buf[64];

	assert_int_equal(cpmcf_anon_uri(2, buf, sizeof(buf)), 33);
	assert_string_equal(buf, "sip:anonymous-2@anonymous.invalid");
	assert_int_equal(cpmcf_anon_uri(0, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cpmcf_anon_uri(2, buf, 10), -ENOSPC);
}

/* property: Privacy values of RFC 3323 tokens, junk and separators; the
 * oracle is the ABNF's meaning (an "id" token, no "none" token) */
static void t_prop_privacy(void **state)
{
	static const char *tok[] = {"id", "ID", "header", "user", "none",
			"critical", "session", "idx", "i", "d", "xid", "", "nonex"};
	static const char *sep[] = {";", " ; ", ",", " ", "\t;"};
	char v[256];
	int it, n, k, id, none, len, got, seen = 0;
	str s;

	begin("privacy", 1);
	for(it = 0; it < iters(3000); it++) {
		g_iter = it;
		n = 1 + (int)rn(5);
		/* white space before the first value (RFC 3261 HCOLON) */
		len = chance(20) ? sprintf(v, " ") : 0;
		id = none = 0;
		for(k = 0; k < n; k++) {
			const char *w = tok[rn(13)];
			if(k)
				len += sprintf(v + len, "%s", sep[rn(5)]);
			len += sprintf(v + len, "%s", w);
			id |= strcasecmp(w, "id") == 0;
			none |= strcasecmp(w, "none") == 0;
		}
		g_in = v;
		g_inlen = len;
		s.s = v;
		s.len = len;
		got = cpmcf_privacy_id(&s);
		CHECK(got == (id && !none), "want %d got %d", id && !none, got);
		seen += got;
	}
	stats("id requested %d", seen);
}

/* property: the pseudonym is never one of the taken names and is the wanted
 * one whenever that is free */
static void t_prop_pseudonym(void **state)
{
	static const char *pool[] = {"Zorro", "zorro", "Anonymous 1",
			"anonymous 2", "Anonymous 3", "Bob", "\"Bob\"", " Batman ", ""};
	str taken[8];
	char buf[64];
	int it, n, k, len, free_w, got_w = 0;
	const char *pw;
	str w, wc;

	begin("pseudonym", 2);
	for(it = 0; it < iters(3000); it++) {
		g_iter = it;
		n = (int)rn(8);
		/* S() reads its argument twice: the pick first */
		for(k = 0; k < n; k++) {
			const char *pk = pool[rn(9)];
			taken[k] = S(pk);
		}
		pw = pool[rn(9)];
		w = S(pw);
		g_in = w.s;
		g_inlen = w.len;
		len = cpmcf_pseudonym(&w, taken, n, buf, sizeof(buf));
		CHECK(len > 0, "no pseudonym (%d)", len);
		for(k = 0; k < n; k++)
			CHECK(!(taken[k].len == len
						  && strncasecmp(taken[k].s, buf, len) == 0),
					"taken: %s", buf);
		/* the wanted name, cleaned of blanks and quotes */
		wc = w;
		while(wc.len && (wc.s[0] == ' ' || wc.s[0] == '"')) {
			wc.s++;
			wc.len--;
		}
		while(wc.len && (wc.s[wc.len - 1] == ' ' || wc.s[wc.len - 1] == '"'))
			wc.len--;
		free_w = wc.len > 0;
		for(k = 0; k < n && free_w; k++) {
			str c = taken[k];
			while(c.len && (c.s[0] == ' ' || c.s[0] == '"')) {
				c.s++;
				c.len--;
			}
			while(c.len && (c.s[c.len - 1] == ' ' || c.s[c.len - 1] == '"'))
				c.len--;
			if(c.len == wc.len && strncasecmp(c.s, wc.s, wc.len) == 0)
				free_w = 0;
		}
		if(free_w) {
			CHECK(len == wc.len && memcmp(buf, wc.s, len) == 0,
					"wanted %.*s got %s", wc.len, wc.s, buf);
			got_w++;
		}
	}
	stats("wanted name kept %d", got_w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_priority),
			cmocka_unit_test(t_copy),
			cmocka_unit_test(t_privacy),
			cmocka_unit_test(t_allowed),
			cmocka_unit_test(t_pseudonym),
			cmocka_unit_test(t_pseudonym_unique),
			cmocka_unit_test(t_anon_uri),
			cmocka_unit_test(t_prop_privacy),
			cmocka_unit_test(t_prop_pseudonym),
	};
	prop_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
