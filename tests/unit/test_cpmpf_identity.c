/*
 * Unit tests of modules/cpm_pf/cpmpf_identity_core.c: URI normalization
 * (SIP and TEL identities, seed 6.1), the identity table built in one
 * block, lookups by user (default first) and by URI.
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

#include "cpm_pf/cpmpf_identity_core.h"

#define STR(lit) ((str){(char *)(lit), sizeof(lit) - 1})

static void norm_is(const char *in, const char *want, int kind_want)
{
	char buf[CPMPF_URI_MAX];
	int kind = 0, n;

	n = cpmpf_uri_norm(in, strlen(in), buf, sizeof(buf), &kind);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(kind, kind_want);
}

static void norm_bad(const char *in)
{
	char buf[CPMPF_URI_MAX];

	assert_int_equal(
			cpmpf_uri_norm(in, strlen(in), buf, sizeof(buf), NULL), -EINVAL);
}

static void test_norm(void **state)
{
	norm_is("sip:alice@127.0.0.1", "sip:alice@127.0.0.1", CPMPF_URI_SIP);
	norm_is("SIP:alice@Example.COM:5060;transport=tcp?x=y",
			"sip:alice@example.com", CPMPF_URI_SIP);
	norm_is("<sips:alice:pw@[::1]:5061>", "sip:alice@[::1]", CPMPF_URI_SIP);
	norm_is("tel:+1-555-010-0001;phone-context=x", "tel:+15550100001",
			CPMPF_URI_TEL);
	norm_is("tel:(555).0100", "tel:5550100", CPMPF_URI_TEL);
	/* the user part is case-sensitive (RFC 3261 19.1.4) */
	norm_is("sip:Alice@h", "sip:Alice@h", CPMPF_URI_SIP);
	norm_bad("sip:127.0.0.1");   /* no user: not a user's identity */
	norm_bad("sip:@h");
	norm_bad("sip:alice@");
	norm_bad("mailto:a@b");
	norm_bad("tel:");
	norm_bad("tel:+");
	norm_bad("tel:+1 555");      /* SP is no phonedigit */
	norm_bad("");
}

static void test_norm_nospace(void **state)
{
	char buf[8];

	assert_int_equal(cpmpf_uri_norm("sip:alice@example.com", 21, buf,
							 sizeof(buf), NULL),
			-ENOSPC);
	assert_int_equal(cpmpf_uri_norm("tel:+15550100001", 16, buf,
							 sizeof(buf), NULL),
			-ENOSPC);
}

static cpmpf_idtab_t *demo(int *bad)
{
	cpmpf_id_row_t rows[] = {
			{STR("alice"), STR("tel:+15550100001"), 0, 1},
			{STR("alice"), STR("sip:alice@127.0.0.1"), 1, 1},
			{STR("bob"), STR("sip:bob@127.0.0.1"), 0, 0},
			{STR("bob"), STR("tel:+15550100002"), 0, 1},
			{STR("carol"), STR("sip:alice@127.0.0.1"), 1, 1}, /* taken */
			{STR("dave"), STR("not a uri"), 1, 1},            /* bad */
			{STR(""), STR("sip:x@h"), 1, 1},                  /* no user */
	};
	return cpmpf_idtab_build(rows, 7, malloc, bad);
}

static void test_table(void **state)
{
	cpmpf_id_t ids[CPMPF_IDS_MAX];
	cpmpf_idtab_t *t;
	str u;
	int bad = -1, n, allow = -1;

	t = demo(&bad);
	assert_non_null(t);
	assert_int_equal(bad, 3);
	assert_int_equal(cpmpf_idtab_count(t), 4);

	/* the default row first, whatever the row order */
	n = cpmpf_idtab_user(t, &STR("alice"), ids, CPMPF_IDS_MAX, &allow);
	assert_int_equal(n, 2);
	assert_int_equal(allow, 1);
	assert_string_equal(ids[0].norm.s, "sip:alice@127.0.0.1");
	assert_int_equal(ids[0].is_default, 1);
	assert_int_equal(ids[0].kind, CPMPF_URI_SIP);
	assert_string_equal(ids[1].norm.s, "tel:+15550100001");
	assert_int_equal(ids[1].is_default, 0);

	/* no default row: the first row is the default; one row forbidding
	 * anonymity forbids it for the user */
	n = cpmpf_idtab_user(t, &STR("bob"), ids, 1, &allow);
	assert_int_equal(n, 2); /* count beyond max */
	assert_int_equal(allow, 0);
	assert_string_equal(ids[0].uri.s, "sip:bob@127.0.0.1");
	assert_int_equal(ids[0].is_default, 1);

	assert_int_equal(cpmpf_idtab_user(t, &STR("Alice"), ids, 2, NULL), 0);
	assert_int_equal(cpmpf_idtab_user(t, &STR("carol"), ids, 2, NULL), 0);

	/* by URI, normalized */
	assert_int_equal(cpmpf_idtab_owner(t, &STR("<tel:+1-555-010-0002>"), &u), 0);
	assert_int_equal(u.len, 3);
	assert_memory_equal(u.s, "bob", 3);
	assert_int_equal(
			cpmpf_idtab_owner(t, &STR("sip:alice@127.0.0.1:5060;x"), &u), 0);
	assert_memory_equal(u.s, "alice", 5);
	assert_int_equal(cpmpf_idtab_owner(t, &STR("sip:eve@127.0.0.1"), &u),
			-ENOENT);
	assert_int_equal(cpmpf_idtab_owner(t, &STR("nonsense"), &u), -EINVAL);

	assert_int_equal(cpmpf_idtab_row(t, 0, &u, ids, &allow), 0);
	assert_int_equal(cpmpf_idtab_row(t, 4, &u, ids, &allow), -EINVAL);
	free(t);
}

static void test_empty(void **state)
{
	cpmpf_id_t ids[2];
	cpmpf_idtab_t *t;
	str u;

	t = cpmpf_idtab_build(NULL, 0, malloc, NULL);
	assert_non_null(t);
	assert_int_equal(cpmpf_idtab_count(t), 0);
	assert_int_equal(cpmpf_idtab_user(t, &STR("alice"), ids, 2, NULL), 0);
	assert_int_equal(cpmpf_idtab_owner(t, &STR("sip:a@b"), &u), -ENOENT);
	free(t);
}

/* many users: every one found, by user and by each URI */
static void test_many(void **state)
{
	enum { N = 500 };
	static char users[N][16], sips[N][40], tels[N][24];
	cpmpf_id_row_t rows[2 * N];
	cpmpf_id_t ids[CPMPF_IDS_MAX];
	cpmpf_idtab_t *t;
	str u, q;
	int i;

	for(i = 0; i < N; i++) {
		snprintf(users[i], sizeof(users[i]), "u%d", i);
		snprintf(sips[i], sizeof(sips[i]), "sip:u%d@example.com", i);
		snprintf(tels[i], sizeof(tels[i]), "tel:+1555%07d", i);
		rows[2 * i] = (cpmpf_id_row_t){{users[i], strlen(users[i])},
				{tels[i], strlen(tels[i])}, 0, 1};
		rows[2 * i + 1] = (cpmpf_id_row_t){{users[i], strlen(users[i])},
				{sips[i], strlen(sips[i])}, 1, 1};
	}
	t = cpmpf_idtab_build(rows, 2 * N, malloc, NULL);
	assert_non_null(t);
	for(i = 0; i < N; i++) {
		q = (str){users[i], strlen(users[i])};
		assert_int_equal(cpmpf_idtab_user(t, &q, ids, 4, NULL), 2);
		assert_string_equal(ids[0].uri.s, sips[i]);
		q = (str){tels[i], strlen(tels[i])};
		assert_int_equal(cpmpf_idtab_owner(t, &q, &u), 0);
		assert_int_equal(u.len, (int)strlen(users[i]));
		assert_memory_equal(u.s, users[i], u.len);
	}
	free(t);
}

/* property: on random strings over the URI alphabet the normalizer never
 * writes past its buffer, says -EINVAL, -ENOSPC or a length, and is
 * idempotent: norm(norm(x)) == norm(x) with the same kind */
static unsigned int rnd_state = 88172645u;
static unsigned int rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void test_property_norm(void **state)
{
	static const char *atoms[] = {"sip:", "sips:", "tel:", "SIP:", "a", "B",
			"@", ":", ";", "?", "<", ">", "[", "]", "+", "1", "-", ".", "(",
			")", "x=y", "5060", "host.example", "\xc3\xa9"};
	char in[96], a[40], b[40];
	int i, k, n, na, nb, ka, kb;

	for(i = 0; i < 20000; i++) {
		n = 0;
		for(k = rnd() % 8; k >= 0; k--) {
			const char *t = atoms[rnd() % 24];
			int tl = strlen(t);
			if(n + tl > (int)sizeof(in))
				break;
			memcpy(in + n, t, tl);
			n += tl;
		}
		memset(a, 0x5a, sizeof(a));
		na = cpmpf_uri_norm(in, n, a, 32, &ka);
		for(k = 32; k < (int)sizeof(a); k++)
			assert_int_equal((unsigned char)a[k], 0x5a);
		if(na < 0) {
			assert_true(na == -EINVAL || na == -ENOSPC);
			continue;
		}
		assert_true(na < 32);
		assert_int_equal(a[na], '\0');
		nb = cpmpf_uri_norm(a, na, b, sizeof(b), &kb);
		assert_int_equal(nb, na);
		assert_int_equal(kb, ka);
		assert_memory_equal(a, b, na);
	}
}

/* ---- P-Asserted-Identity / P-Preferred-Identity values ---- */

/* parses in, prints the values as "display|uri;" into out */
static int pid_flat(const char *in, char *out, int size)
{
	cpmpf_pid_t v[CPMPF_PID_MAX];
	int n, i, k = 0;

	n = cpmpf_pid_parse(in, strlen(in), v, CPMPF_PID_MAX);
	if(n < 0)
		return n;
	out[0] = '\0';
	for(i = 0; i < n; i++)
		k += snprintf(out + k, size - k, "%.*s|%.*s;", v[i].display.len,
				v[i].display.s, v[i].uri.len, v[i].uri.s);
	return n;
}

static void pid_is(const char *in, int n_want, const char *want)
{
	char out[512];

	assert_int_equal(pid_flat(in, out, sizeof(out)), n_want);
	assert_string_equal(out, want);
}

static void test_pid(void **state)
{
	pid_is("<sip:alice@example.net>", 1, "|sip:alice@example.net;");
	pid_is("sip:alice@example.net", 1, "|sip:alice@example.net;");
	pid_is("\"Ali O\" <sip:a@h>", 1, "\"Ali O\"|sip:a@h;");
	pid_is("Ali  O <sip:a@h>", 1, "Ali  O|sip:a@h;");
	pid_is("\"a, <b>\" <sip:a@h>", 1, "\"a, <b>\"|sip:a@h;");
	pid_is("<sip:a@h>, <tel:+15550109001>", 2, "|sip:a@h;|tel:+15550109001;");
	pid_is("<sip:a@h;user=phone>,tel:+1-555", 2,
			"|sip:a@h;user=phone;|tel:+1-555;");
	/* bare addr-spec: parameters belong to the header and are skipped */
	pid_is("sip:a@h;x=1 , <tel:+1>", 2, "|sip:a@h;|tel:+1;");
	pid_is("<sip:a@h>;p=\"q,r\"", 1, "|sip:a@h;");
	/* LWS and folding around the values */
	pid_is("  \"X\"\r\n <sip:a@h> ,\r\n\t<tel:+1>  \r\n", 2,
			"\"X\"|sip:a@h;|tel:+1;");
	/* malformed */
	assert_int_equal(pid_flat("", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("   ", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("<sip:a@h>,", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat(", <sip:a@h>", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("<sip:a@h", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("<>", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("<sip:a @h>", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("\"open <sip:a@h>", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("\"X\" sip:a@h", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("Ali sip:a@h", NULL, 0), -EINVAL);
	assert_int_equal(pid_flat("<sip:a@h> junk", NULL, 0), -EINVAL);
	assert_int_equal(cpmpf_pid_parse(NULL, 0, NULL, 1), -EINVAL);
}

static void test_pid_max(void **state)
{
	cpmpf_pid_t v[2];
	const char *in = "<sip:a@h>, <sip:b@h>, <sip:c@h>";

	/* the rest is not looked at */
	assert_int_equal(cpmpf_pid_parse(in, strlen(in), v, 2), 2);
	assert_int_equal(v[1].uri.len, 7);
	assert_memory_equal(v[1].uri.s, "sip:b@h", 7);
}

static void test_pid_print(void **state)
{
	cpmpf_pid_t v[CPMPF_PID_MAX];
	const char *in = "\"A B\" <sip:a@h>,tel:+1;x=y";
	char buf[64];
	int n;

	n = cpmpf_pid_parse(in, strlen(in), v, CPMPF_PID_MAX);
	assert_int_equal(n, 2);
	assert_int_equal(cpmpf_pid_print(v, n, buf, sizeof(buf)), 25);
	assert_string_equal(buf, "\"A B\" <sip:a@h>, <tel:+1>");
	assert_int_equal(cpmpf_pid_print(v, n, buf, 25), -ENOSPC);
	assert_int_equal(cpmpf_pid_print(v, n, NULL, 25), -EINVAL);
}

/* property: on random strings over the identity-header alphabet the
 * scanner stays inside its input and, when it accepts, the printed form
 * parses back to the same values (round trip) */
static void test_property_pid(void **state)
{
	static const char *atoms[] = {"sip:a@h", "tel:+1", "<", ">", "\"",
			"\\", ",", ";", "x=y", " ", "\t", "\r\n ", "\r\n", "Al",
			"\"Q\"", "<sip:b@h>", "\x01", "\xc3\xa9", "=", "@"};
	cpmpf_pid_t v[CPMPF_PID_MAX], w[CPMPF_PID_MAX];
	char *in, buf[512];
	int i, k, n, na, nb, j, acc = 0;

	for(i = 0; i < 30000; i++) {
		char tmp[96];
		n = 0;
		for(k = rnd() % 10; k >= 0; k--) {
			const char *t = atoms[rnd() % 20];
			int tl = strlen(t);
			if(n + tl > (int)sizeof(tmp))
				break;
			memcpy(tmp + n, t, tl);
			n += tl;
		}
		/* exactly n octets on the heap: valgrind sees any read past */
		in = malloc(n ? n : 1);
		assert_non_null(in);
		memcpy(in, tmp, n);
		na = cpmpf_pid_parse(in, n, v, CPMPF_PID_MAX);
		if(na < 0) {
			assert_int_equal(na, -EINVAL);
			free(in);
			continue;
		}
		acc++;
		assert_true(na >= 1 && na <= CPMPF_PID_MAX);
		for(j = 0; j < na; j++) {
			assert_true(v[j].uri.len > 0);
			assert_true(v[j].uri.s >= in && v[j].uri.s + v[j].uri.len <= in + n);
			assert_true(v[j].display.len == 0
					|| (v[j].display.s >= in
							&& v[j].display.s + v[j].display.len <= in + n));
		}
		assert_true(cpmpf_pid_print(v, na, buf, sizeof(buf)) > 0);
		nb = cpmpf_pid_parse(buf, strlen(buf), w, CPMPF_PID_MAX);
		assert_int_equal(nb, na);
		for(j = 0; j < na; j++) {
			assert_int_equal(w[j].uri.len, v[j].uri.len);
			assert_memory_equal(w[j].uri.s, v[j].uri.s, v[j].uri.len);
			assert_int_equal(w[j].display.len, v[j].display.len);
			if(v[j].display.len)
				assert_memory_equal(
						w[j].display.s, v[j].display.s, v[j].display.len);
		}
		free(in);
	}
	/* the generator reaches accepted inputs, not only rejections */
	assert_true(acc > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_norm),
			cmocka_unit_test(test_norm_nospace),
			cmocka_unit_test(test_table),
			cmocka_unit_test(test_empty),
			cmocka_unit_test(test_many),
			cmocka_unit_test(test_property_norm),
			cmocka_unit_test(test_pid),
			cmocka_unit_test(test_pid_max),
			cmocka_unit_test(test_pid_print),
			cmocka_unit_test(test_property_pid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
