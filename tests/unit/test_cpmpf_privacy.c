/*
 * Unit tests of modules/cpm_pf/cpmpf_privacy_core.c: the Privacy header
 * (RFC 3323 4.2, RFC 3325 9.3) parser, printer and round trip (every flag
 * set), and the anonymization rules (seed 6.1, 6.3): leak detection,
 * pseudonym choice, Call-ID replacement.
 */
#include <errno.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_pf/cpmpf_privacy_core.h"

#define STR(lit) ((str){(char *)(lit), sizeof(lit) - 1})

static int parse(const char *s, unsigned int *f)
{
	*f = 0xdead;
	return cpmpf_privacy_parse(s, strlen(s), f);
}

static void test_parse(void **state)
{
	unsigned int f;

	assert_int_equal(parse("id", &f), 0);
	assert_int_equal(f, CPMPF_PRIV_ID);
	assert_int_equal(parse(" ID ; Critical", &f), 0);
	assert_int_equal(f, CPMPF_PRIV_ID | CPMPF_PRIV_CRITICAL);
	assert_int_equal(parse("header;session;user;id;critical", &f), 0);
	assert_int_equal(f, CPMPF_PRIV_HEADER | CPMPF_PRIV_SESSION | CPMPF_PRIV_USER
								| CPMPF_PRIV_ID | CPMPF_PRIV_CRITICAL);
	assert_int_equal(parse("none", &f), 0);
	assert_int_equal(f, CPMPF_PRIV_NONE);
	assert_int_equal(parse("x-ext;id", &f), 0);
	assert_int_equal(f, CPMPF_PRIV_OTHER | CPMPF_PRIV_ID);
	/* LWS with a line fold around ";" (RFC 3261 25.1 SEMI) */
	assert_int_equal(parse("user\r\n ;\tid", &f), 0);
	assert_int_equal(f, CPMPF_PRIV_USER | CPMPF_PRIV_ID);
	/* "idx" is an unknown token, not "id" */
	assert_int_equal(parse("idx", &f), 0);
	assert_int_equal(f, CPMPF_PRIV_OTHER);
}

static void test_parse_bad(void **state)
{
	unsigned int f;

	assert_int_equal(parse("", &f), -EINVAL);
	assert_int_equal(parse("   ", &f), -EINVAL);
	assert_int_equal(f, 0xdead); /* untouched on error */
	assert_int_equal(parse("id;", &f), -EBADMSG);
	assert_int_equal(parse(";id", &f), -EBADMSG);
	assert_int_equal(parse("id;;user", &f), -EBADMSG);
	assert_int_equal(parse("id,user", &f), -EBADMSG); /* not a comma list */
	assert_int_equal(parse("id user", &f), -EBADMSG);
	assert_int_equal(parse("\"id\"", &f), -EBADMSG);
	assert_int_equal(cpmpf_privacy_parse(NULL, 2, &f), -EINVAL);
}

static void test_print_roundtrip(void **state)
{
	char buf[CPMPF_PRIV_PRINT_MAX];
	unsigned int f, g;
	int n;

	/* every set of the known flags */
	for(f = 1; f < 0x40; f++) {
		n = cpmpf_privacy_print(f, buf, sizeof(buf));
		assert_true(n > 0);
		assert_int_equal(n, (int)strlen(buf));
		assert_int_equal(cpmpf_privacy_parse(buf, n, &g), 0);
		assert_int_equal(g, f);
	}
	assert_int_equal(cpmpf_privacy_print(CPMPF_PRIV_ID, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "id");
	assert_int_equal(cpmpf_privacy_print(0, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cpmpf_privacy_print(CPMPF_PRIV_OTHER, buf, sizeof(buf)),
			-EINVAL);
	assert_int_equal(cpmpf_privacy_print(CPMPF_PRIV_HEADER, buf, 6), -ENOSPC);
	assert_int_equal(cpmpf_privacy_print(CPMPF_PRIV_HEADER, buf, 7), 6);
}

/* parse then print then parse: a fixed point for every valid input */
static void test_parse_print_parse(void **state)
{
	static const char *in[] = {"ID;user", " header ; none ", "critical;id",
			"session", "user;user"};
	char buf[CPMPF_PRIV_PRINT_MAX];
	unsigned int f, g;
	size_t i;

	for(i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(parse(in[i], &f), 0);
		assert_true(cpmpf_privacy_print(f, buf, sizeof(buf)) > 0);
		assert_int_equal(parse(buf, &g), 0);
		assert_int_equal(f, g);
	}
}

static void test_anon(void **state)
{
	assert_true(cpmpf_privacy_anon(CPMPF_PRIV_ID));
	assert_true(cpmpf_privacy_anon(CPMPF_PRIV_HEADER));
	assert_true(cpmpf_privacy_anon(CPMPF_PRIV_USER | CPMPF_PRIV_NONE));
	assert_false(cpmpf_privacy_anon(CPMPF_PRIV_NONE));
	assert_false(cpmpf_privacy_anon(CPMPF_PRIV_SESSION));
	assert_false(cpmpf_privacy_anon(CPMPF_PRIV_CRITICAL | CPMPF_PRIV_OTHER));
	assert_false(cpmpf_privacy_anon(0));
}

static void leak_demo(cpmpf_leak_t *l)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(cpmpf_leak_add(l, &STR("privalice")), 0);
	assert_int_equal(cpmpf_leak_add(l, &STR("+15550100009")), 0);
}

static void test_leaks(void **state)
{
	cpmpf_leak_t l;
	int i;

	leak_demo(&l);
	assert_true(cpmpf_leaks(&l, "1-4@PrivAlice.example", 21));
	assert_true(cpmpf_leaks(&l, "call +1 (555) 010-0009 now", 26));
	assert_false(cpmpf_leaks(&l, "1-4@127.0.0.1", 13));
	assert_false(cpmpf_leaks(&l, "5550100", 7)); /* a part of the number */
	assert_false(cpmpf_leaks(&l, "", 0));
	for(i = 0; i < CPMPF_LEAK_MAX - 2; i++)
		assert_int_equal(cpmpf_leak_add(&l, &STR("w")), 0);
	assert_int_equal(cpmpf_leak_add(&l, &STR("w")), -ENOSPC);
	assert_int_equal(cpmpf_leak_add(&l, &STR("")), -EINVAL);
}

static void pseudo_is(const cpmpf_leak_t *l, str d, const char *want)
{
	char buf[128];
	int n;

	n = cpmpf_pseudonym(l, &d, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_pseudonym(void **state)
{
	cpmpf_leak_t l;

	leak_demo(&l);
	pseudo_is(&l, STR("\"Night Owl\""), "Night Owl");
	pseudo_is(&l, STR(" Owl "), "Owl");
	pseudo_is(&l, STR("\"a \\\"q\\\"\""), "a \"q\"");
	pseudo_is(&l, STR("\"PrivAlice Smith\""), "Anonymous"); /* names her */
	pseudo_is(&l, STR("\"+1 555 010 0009\""), "Anonymous");
	pseudo_is(&l, STR(""), "Anonymous");
	pseudo_is(&l, STR("\"unterminated"), "Anonymous");
	pseudo_is(&l, STR("\"x\" junk"), "Anonymous");
	pseudo_is(&l, (str){NULL, 0}, "Anonymous");
	{
		char small[4];
		assert_int_equal(cpmpf_pseudonym(&l, &STR("x"), small, 4), -EINVAL);
	}
}

static void test_callid(void **state)
{
	char a[CPMPF_CALLID_LEN + 1], b[CPMPF_CALLID_LEN + 1];

	assert_int_equal(cpmpf_callid_anon("1@alice", 7, 42, a, sizeof(a)),
			CPMPF_CALLID_LEN);
	assert_int_equal(strncmp(a, "anon-", 5), 0);
	assert_int_equal(cpmpf_callid_anon("1@alice", 7, 42, b, sizeof(b)),
			CPMPF_CALLID_LEN);
	assert_string_equal(a, b); /* a retransmission gets the same one */
	assert_int_equal(cpmpf_callid_anon("2@alice", 7, 42, b, sizeof(b)),
			CPMPF_CALLID_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(cpmpf_callid_anon("1@alice", 7, 43, b, sizeof(b)),
			CPMPF_CALLID_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(cpmpf_callid_anon("x", 1, 1, b, CPMPF_CALLID_LEN),
			-ENOSPC);
}

/* property: any octet string either parses, and then its flags print and
 * parse back to the same known flags, or is refused; inserting SP around
 * ";" never changes the result (xorshift PRNG, fixed seed: reproducible) */
static unsigned int rnd_state = 2463534242u;
static unsigned int rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void test_property_parse(void **state)
{
	static const char *atoms[] = {"id", "ID", "user", "header", "session",
			"none", "critical", "x-y", ";", " ", "\t", "\r\n ", ",", "\"",
			"\0", "\xff"};
	char in[64], out[CPMPF_PRIV_PRINT_MAX], spaced[160];
	unsigned int f, g, h;
	int i, k, n, m, rc;

	for(i = 0; i < 20000; i++) {
		n = 0;
		for(k = rnd() % 6; k >= 0; k--) {
			const char *a = atoms[rnd() % 16];
			int al = a[0] ? (int)strlen(a) : 1;
			if(n + al >= (int)sizeof(in))
				break;
			memcpy(in + n, a, al);
			n += al;
		}
		rc = cpmpf_privacy_parse(in, n, &f);
		if(rc < 0) {
			assert_true(rc == -EINVAL || rc == -EBADMSG);
			continue;
		}
		/* the same items with LWS around every ";" */
		for(k = 0, m = 0; k < n; k++) {
			if(in[k] == ';') {
				/* one SP each side: it joins whatever LWS is there
				 * (a second line fold would not be LWS) */
				memcpy(spaced + m, " ; ", 3);
				m += 3;
			} else
				spaced[m++] = in[k];
		}
		assert_int_equal(cpmpf_privacy_parse(spaced, m, &h), 0);
		assert_int_equal(h, f);
		if((f & ~CPMPF_PRIV_OTHER) == 0)
			continue;
		m = cpmpf_privacy_print(f, out, sizeof(out));
		assert_true(m > 0);
		assert_int_equal(cpmpf_privacy_parse(out, m, &g), 0);
		assert_int_equal(g, f & ~CPMPF_PRIV_OTHER);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_parse),
			cmocka_unit_test(test_parse_bad),
			cmocka_unit_test(test_print_roundtrip),
			cmocka_unit_test(test_parse_print_parse),
			cmocka_unit_test(test_anon),
			cmocka_unit_test(test_leaks),
			cmocka_unit_test(test_pseudonym),
			cmocka_unit_test(test_callid),
			cmocka_unit_test(test_property_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
