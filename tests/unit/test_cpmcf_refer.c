/*
 * cpm_cf: REFER targets (cpmcf_refer_core.c; RFC 3515 2.1, RFC 5368, RFC
 * 3891, issue 7 items 5 and 6): parse, print, round trip, bad input and a
 * property test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "cpm_cf/cpmcf_refer_core.h"
#define FUZZ_SEED 0x7e1f2a3bull
#include "cpm_prop.h"

static int P(const char *s, int as, cpmcf_refto_t *r, char *buf, int size)
{
	return cpmcf_refto_parse(s, strlen(s), as, r, buf, size);
}

#define EQ(st, lit)                              \
	do {                                         \
		assert_int_equal((st).len, strlen(lit)); \
		assert_memory_equal((st).s, lit, (st).len); \
	} while(0)

static void t_parse(void **state)
{
	cpmcf_refto_t r;
	char buf[512];

	/* rcsjta: a bare tel: URI, INVITE semantics */
	assert_int_equal(P("<tel:+15550107003>", 0, &r, buf, sizeof(buf)), 0);
	EQ(r.uri, "tel:+15550107003");
	assert_int_equal(r.method, CPMCF_REF_INVITE);
	assert_int_equal(r.is_cid, 0);
	/* RFC 4579 5.6: removal */
	assert_int_equal(P("\"Bob\" <sip:bob@example.com;method=BYE>;x=1", 0, &r,
							 buf, sizeof(buf)),
			0);
	EQ(r.uri, "sip:bob@example.com");
	assert_int_equal(r.method, CPMCF_REF_BYE);
	assert_int_equal(P("Bob <sip:bob@example.com;transport=tcp;method=INVITE>",
							 0, &r, buf, sizeof(buf)),
			0);
	EQ(r.uri, "sip:bob@example.com;transport=tcp");
	assert_int_equal(r.method, CPMCF_REF_INVITE);
	/* addr-spec form: header parameters after ";" */
	assert_int_equal(P("sip:carol@example.com;foo", 0, &r, buf, sizeof(buf)), 0);
	EQ(r.uri, "sip:carol@example.com");
	/* RFC 5368: cid */
	assert_int_equal(P("<cid:cn35t8jf02@example.com>", 0, &r, buf, sizeof(buf)),
			0);
	assert_int_equal(r.is_cid, 1);
	EQ(r.uri, "cn35t8jf02@example.com");
	/* RFC 3891 / RFC 3515 2.1 example: Replaces escaped in the URI */
	assert_int_equal(P("sip:dave@denver.example.org?Replaces=12345%40192.168.118.3"
					   "%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994",
							 1, &r, buf, sizeof(buf)),
			0);
	EQ(r.uri, "sip:dave@denver.example.org");
	EQ(r.replaces, "12345@192.168.118.3;to-tag=12345;from-tag=5FFE-3994");
	/* other URI headers are dropped */
	assert_int_equal(P("<sip:e@x.org?Subject=hi&Priority=urgent>", 0, &r, buf,
							 sizeof(buf)),
			0);
	EQ(r.uri, "sip:e@x.org");
	assert_int_equal(r.replaces.len, 0);
	/* a user part holding ";" (user-unreserved): not a parameter */
	assert_int_equal(P("<sip:a;b@x.org;method=BYE>", 0, &r, buf, sizeof(buf)), 0);
	EQ(r.uri, "sip:a;b@x.org");
	assert_int_equal(r.method, CPMCF_REF_BYE);
}

static void t_replaces(void **state)
{
	str c, t, f;
	int eo;
	const char *v = "abc@h;from-tag=1;to-tag=2;early-only";

	assert_int_equal(cpmcf_replaces_parse(v, strlen(v), &c, &t, &f, &eo), 0);
	EQ(c, "abc@h");
	EQ(t, "2");
	EQ(f, "1");
	assert_int_equal(eo, 1);
	v = "abc@h;to-tag=2";
	assert_int_equal(cpmcf_replaces_parse(v, strlen(v), &c, &t, &f, &eo),
			-EBADMSG);
	v = ";to-tag=2;from-tag=1";
	assert_int_equal(cpmcf_replaces_parse(v, strlen(v), &c, &t, &f, &eo),
			-EBADMSG);
	v = "a;to-tag=2;from-tag=1;to-tag=3";
	assert_int_equal(cpmcf_replaces_parse(v, strlen(v), &c, &t, &f, &eo),
			-EBADMSG);
}

static void t_bad(void **state)
{
	cpmcf_refto_t r;
	char buf[512], big[1200];

	assert_int_equal(P("", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<>", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<sip:bob@x.org", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<sip:bob@x.org> junk", 0, &r, buf, sizeof(buf)),
			-EBADMSG);
	assert_int_equal(P("<http://x.org/>", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<sip:@>", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<sip:bob@x.org;method=MESSAGE>", 0, &r, buf, sizeof(buf)),
			-ENOTSUP);
	assert_int_equal(P("<cid:nohost>", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<cid:%zz@x>", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<tel:abc?x=1>", 0, &r, buf, sizeof(buf)), -EBADMSG);
	assert_int_equal(P("<sip:b@x.org?Replaces=abc>", 0, &r, buf, sizeof(buf)),
			-EBADMSG);
	assert_int_equal(P("<sip:b@x.org;method=BYE?Replaces=a%3Bto-tag%3D1%3Bfrom-tag%3D2>",
							 0, &r, buf, sizeof(buf)),
			-ENOTSUP);
	assert_int_equal(P("<sip:b@x.org?Replaces=a%0a%3Bto-tag%3D1%3Bfrom-tag%3D2>",
							 0, &r, buf, sizeof(buf)),
			-EBADMSG);
	memset(big, 'a', sizeof(big));
	memcpy(big, "<sip:", 5);
	big[600] = '@';
	big[sizeof(big) - 2] = '>';
	big[sizeof(big) - 1] = 0;
	assert_true(P(big, 0, &r, buf, sizeof(buf)) < 0);
	assert_int_equal(P("<sip:bob@x.org>", 0, &r, buf, 4), -ENOSPC);
}

static void t_print(void **state)
{
	cpmcf_refto_t r, r2;
	char buf[512], buf2[512], out[512];
	int n;
	const char *in[] = {"<tel:+15550107003>", "<sip:bob@example.com;method=BYE>",
			"<cid:cn35t8jf02@example.com>",
			"<sip:dave@d.org?Replaces=12345%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>"};
	int k;

	for(k = 0; k < 4; k++) {
		assert_int_equal(P(in[k], 0, &r, buf, sizeof(buf)), 0);
		n = cpmcf_refto_print(&r, out, sizeof(out));
		assert_int_equal(n, strlen(in[k]));
		assert_memory_equal(out, in[k], n);
		assert_int_equal(cpmcf_refto_parse(out, n, 0, &r2, buf2, sizeof(buf2)), 0);
		assert_int_equal(r2.method, r.method);
		assert_int_equal(r2.is_cid, r.is_cid);
		assert_int_equal(r2.uri.len, r.uri.len);
		assert_memory_equal(r2.uri.s, r.uri.s, r.uri.len);
		assert_int_equal(r2.replaces.len, r.replaces.len);
	}
	assert_int_equal(cpmcf_refto_print(&r, out, 5), -ENOSPC);
}

/* property: mutated Refer-To values parse or are refused, never out of
 * bounds; what parses prints and parses again to the same target */
static void t_prop(void **state)
{
	static const char *seeds[] = {"\"B\" <sip:bob@example.com;method=BYE>;p",
			"<cid:a%40b@x.org>", "<tel:+15550107003>",
			"sip:d@e.org?Replaces=1%402%3Bto-tag%3Da%3Bfrom-tag%3Db"};
	char in[256], buf[1024], buf2[1024], out[1024];
	cpmcf_refto_t a, b;
	int len, n, ok = 0, sd;

	begin("refto_round_trip", 2);
	for(g_iter = 0; g_iter < iters(20000); g_iter++) {
		sd = rn(4);
		len = strlen(seeds[sd]);
		memcpy(in, seeds[sd], len);
		len = prop_mutate(in, len, 4, "<>;?=%@:\"&", 80);
		g_in = in;
		g_inlen = len;
		if(cpmcf_refto_parse(in, len, rn(2), &a, buf, sizeof(buf)) < 0)
			continue;
		ok++;
		n = cpmcf_refto_print(&a, out, sizeof(out));
		CHECK(n > 0, "print failed");
		CHECK(cpmcf_refto_parse(out, n, 0, &b, buf2, sizeof(buf2)) == 0,
				"printed value does not parse");
		CHECK(b.uri.len == a.uri.len && memcmp(b.uri.s, a.uri.s, a.uri.len) == 0
						&& b.method == a.method && b.is_cid == a.is_cid
						&& b.replaces.len == a.replaces.len
						&& memcmp(b.replaces.s, a.replaces.s, a.replaces.len) == 0,
				"round trip differs");
	}
	g_iter--;
	stats("%d parsed", ok);
}

int main(void)
{
	prop_env();
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_parse),
			cmocka_unit_test(t_replaces),
			cmocka_unit_test(t_bad),
			cmocka_unit_test(t_print),
			cmocka_unit_test(t_prop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
