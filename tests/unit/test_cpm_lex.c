/*
 * Unit tests of lib/cpm_lex.c, the shared lexical core: fixed vectors from
 * RFC 3261 25.1 / RFC 3629 / RFC 3986 for every function, and the
 * printer/scanner round trip of quoted-string.  No Kamailio header.
 * (The property tests against reference models: test_cpm_lex_fuzz.c.)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../lib/cpm_lex.h"

#define L(x) x, (int)(sizeof(x) - 1)

static void t_classes(void **state)
{
	const char *tok = "abcxyzABCXYZ0189-.!%*_+`'~";
	const char *notok = " \t\r\n\"(),/:;<=>?@[\\]{}\x7f\x80\xff";
	const char *p;
	int c;

	for(p = tok; *p; p++)
		assert_true(cpm_lex_is_token((unsigned char)*p));
	for(p = notok; *p; p++)
		assert_false(cpm_lex_is_token((unsigned char)*p));
	assert_false(cpm_lex_is_token(0));
	assert_false(cpm_lex_is_token(-1));
	assert_false(cpm_lex_is_token(256));
	for(c = 0; c < 256; c++) {
		assert_int_equal(!!cpm_lex_is_digit(c), c >= '0' && c <= '9');
		assert_int_equal(!!cpm_lex_is_alpha(c),
				(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
		assert_int_equal(!!cpm_lex_is_hex(c),
				(c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
						|| (c >= 'A' && c <= 'F'));
		assert_int_equal(!!cpm_lex_is_ctl(c), c < 0x20 || c == 0x7f);
		assert_int_equal(!!cpm_lex_is_wsp(c), c == ' ' || c == '\t');
		assert_int_equal(!!cpm_lex_is_space(c),
				c == ' ' || c == '\t' || c == '\r' || c == '\n');
		assert_int_equal(cpm_lex_lower(c),
				(c >= 'A' && c <= 'Z') ? c + 32 : c);
	}
	/* word (Call-ID) = token chars plus these */
	for(p = "()<>:\\\"/[]?{}"; *p; p++)
		assert_true(cpm_lex_is((unsigned char)*p, CPM_LEX_WORD));
	assert_false(cpm_lex_is(' ', CPM_LEX_WORD));
	assert_false(cpm_lex_is(';', CPM_LEX_WORD));
}

static void t_span_token(void **state)
{
	assert_int_equal(cpm_lex_span(L("abc def"), CPM_LEX_TOKEN), 3);
	assert_int_equal(cpm_lex_span(L(""), CPM_LEX_TOKEN), 0);
	assert_int_equal(cpm_lex_span(NULL, 5, CPM_LEX_TOKEN), 0);
	assert_int_equal(cpm_lex_span("abc", -1, CPM_LEX_TOKEN), 0);
	/* len bounds the read: no NUL needed */
	assert_int_equal(cpm_lex_span("aaaa", 2, CPM_LEX_ALPHA), 2);
	assert_true(cpm_lex_is_token_str(L("f81d4fae-7dec-11d0")));
	assert_false(cpm_lex_is_token_str(L("a b")));
	assert_false(cpm_lex_is_token_str(L("")));
	assert_false(cpm_lex_is_token_str(NULL, 3));
	assert_false(cpm_lex_is_token_str("a\0b", 3));
}

static void t_lws(void **state)
{
	int off = -1;

	assert_int_equal(cpm_lex_skip_lws(L(" \t x")), 3);
	assert_int_equal(cpm_lex_skip_lws(L("\r\n x")), 3);
	assert_int_equal(cpm_lex_skip_lws(L("\n\tx")), 2);
	assert_int_equal(cpm_lex_skip_lws(L(" \r\n \r\n\tx")), 7);
	/* a line break not followed by WSP ends the header: not LWS */
	assert_int_equal(cpm_lex_skip_lws(L(" \r\nx")), 1);
	assert_int_equal(cpm_lex_skip_lws(L("\r\n")), 0);
	assert_int_equal(cpm_lex_skip_lws(L("\r")), 0);
	assert_int_equal(cpm_lex_skip_space(L(" \r\n\t\nx")), 5);
	assert_int_equal(cpm_lex_rtrim_space(L("x \t\r\n")), 1);
	assert_int_equal(cpm_lex_rtrim_space(L(" \r\n")), 0);
	assert_int_equal(cpm_lex_rtrim_space(NULL, 3), 0);

	assert_int_equal(cpm_lex_trim_lws(L("\r\n  abc \t\r\n"), &off), 3);
	assert_int_equal(off, 4);
	assert_int_equal(cpm_lex_trim_lws(L("a b"), &off), 3);
	assert_int_equal(off, 0);
	assert_int_equal(cpm_lex_trim_lws(L("  "), &off), 0);
	assert_int_equal(cpm_lex_trim_lws(NULL, 0, &off), 0);
	assert_int_equal(off, 0);
	assert_int_equal(cpm_lex_trim_lws(NULL, 1, &off), -EINVAL);
	assert_int_equal(cpm_lex_trim_lws(L("x"), NULL), -EINVAL);
	assert_int_equal(cpm_lex_trim_lws("x", -1, &off), -EINVAL);
}

static void t_compare(void **state)
{
	assert_true(cpm_lex_ieq(L("Conversation-ID"), L("conversation-id")));
	assert_false(cpm_lex_ieq(L("Conversation-ID"), L("conversation-i")));
	assert_false(cpm_lex_ieq(L("a"), L("b")));
	assert_true(cpm_lex_ieq(NULL, 0, "", 0));
	assert_false(cpm_lex_ieq(NULL, 1, "a", 1));
	/* only ASCII letters fold: '@' (0x40) is not '`' (0x60) */
	assert_false(cpm_lex_ieq(L("@"), L("`")));
	assert_false(cpm_lex_ieq(L("\xc4"), L("\xe4")));
	assert_true(cpm_lex_iprefix(L("DE"), L("de-CH")));
	assert_true(cpm_lex_iprefix(L(""), L("x")));
	assert_false(cpm_lex_iprefix(L("de-CH"), L("de")));
	assert_false(cpm_lex_iprefix(L("fr"), L("de-CH")));
}

static void t_hex_pct(void **state)
{
	const char *s = "%3a%3Ax%4%zz%";
	int i = 0;

	assert_int_equal(cpm_lex_hexval('0'), 0);
	assert_int_equal(cpm_lex_hexval('9'), 9);
	assert_int_equal(cpm_lex_hexval('a'), 10);
	assert_int_equal(cpm_lex_hexval('F'), 15);
	assert_int_equal(cpm_lex_hexval('g'), -EINVAL);
	assert_int_equal(cpm_lex_hexval(-1), -EINVAL);

	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), ':');
	assert_int_equal(i, 3);
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), ':');
	assert_int_equal(i, 6);
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), 'x');
	assert_int_equal(i, 7);
	/* "%4%" is no escape: the "%" stands for itself */
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), '%');
	assert_int_equal(i, 8);
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), '4');
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), '%');
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), 'z');
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), 'z');
	/* a "%" at the end, and the length bounds the escape */
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), '%');
	assert_int_equal(i, (int)strlen(s));
	assert_int_equal(cpm_lex_pct_next(s, (int)strlen(s), &i), -EINVAL);
	i = 0;
	assert_int_equal(cpm_lex_pct_next("%3a", 2, &i), '%');
	i = 0;
	assert_int_equal(cpm_lex_pct_next("%ff", 3, &i), 0xff);
	i = 0;
	assert_int_equal(cpm_lex_pct_next("%00", 3, &i), 0);
	assert_int_equal(cpm_lex_pct_next(NULL, 3, &i), -EINVAL);
	assert_int_equal(cpm_lex_pct_next("x", 1, NULL), -EINVAL);
	i = -1;
	assert_int_equal(cpm_lex_pct_next("x", 1, &i), -EINVAL);
}

static void t_3digit(void **state)
{
	assert_int_equal(cpm_lex_3digit(L("399")), 399);
	assert_int_equal(cpm_lex_3digit(L("007 x")), 7);
	assert_int_equal(cpm_lex_3digit(L("39")), -EINVAL);
	assert_int_equal(cpm_lex_3digit(L("3a9")), -EINVAL);
	assert_int_equal(cpm_lex_3digit(L("39x")), -EINVAL);
	assert_int_equal(cpm_lex_3digit("399", 2), -EINVAL);
	assert_int_equal(cpm_lex_3digit(NULL, 3), -EINVAL);
}

static void t_utf8(void **state)
{
	unsigned int cp = 0;

	assert_int_equal(cpm_lex_utf8_next(L("a"), &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(cpm_lex_utf8_next(L("\xc3\xa4"), &cp), 2);
	assert_int_equal(cp, 0xe4);
	assert_int_equal(cpm_lex_utf8_next(L("\xe2\x82\xac"), &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(cpm_lex_utf8_next(L("\xf0\x9f\x98\x80"), &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(cpm_lex_utf8_next(L("\xc2\x80"), &cp), 2); /* C1 is UTF-8 */
	assert_int_equal(cp, 0x80);
	/* RFC 3629 10: overlong, surrogate, above U+10FFFF, truncated, stray */
	assert_int_equal(cpm_lex_utf8_next(L("\xc0\xaf"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("\xe0\x80\xaf"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("\xed\xa0\x80"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("\xf4\x90\x80\x80"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("\xe2\x82"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next("\xc3\xa4", 1, &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("\x80"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("\xff"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("\xc3\x28"), &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(NULL, 1, &cp), -EILSEQ);
	assert_int_equal(cpm_lex_utf8_next(L("a"), NULL), -EILSEQ);
}

static void t_quoted_scan(void **state)
{
	char out[16];
	int n = -1;

	assert_int_equal(cpm_lex_quoted_scan(L("\"a\\\"b\" rest"), out,
							 sizeof(out), &n),
			6);
	assert_string_equal(out, "a\"b");
	assert_int_equal(n, 3);
	assert_int_equal(cpm_lex_quoted_scan(L("\"\""), out, sizeof(out), &n), 2);
	assert_string_equal(out, "");
	assert_int_equal(n, 0);
	/* LWS and UTF-8 are qdtext; out may be NULL */
	assert_int_equal(
			cpm_lex_quoted_scan(L("\"x\r\n y \xc3\xa4\""), NULL, 0, &n), 10);
	assert_int_equal(n, 8);
	assert_int_equal(cpm_lex_quoted_scan(L("\"x\""), NULL, 0, NULL), 3);
	/* not a quoted-string at all */
	assert_int_equal(cpm_lex_quoted_scan(L(" \"x\""), out, sizeof(out), &n),
			-EINVAL);
	assert_int_equal(cpm_lex_quoted_scan(L(""), out, sizeof(out), &n), -EINVAL);
	assert_int_equal(cpm_lex_quoted_scan(L("\"x\""), out, 0, &n), -EINVAL);
	/* broken: unterminated, CTL, quoted-pair of CR / LF / non-ASCII */
	assert_int_equal(cpm_lex_quoted_scan(L("\"abc"), out, sizeof(out), &n),
			-EBADMSG);
	assert_int_equal(n, 0);
	assert_int_equal(cpm_lex_quoted_scan(L("\"abc\\\""), out, sizeof(out), &n),
			-EBADMSG);
	assert_int_equal(cpm_lex_quoted_scan(L("\"a\\"), out, sizeof(out), &n),
			-EBADMSG);
	assert_int_equal(cpm_lex_quoted_scan(L("\"a\x01\""), out, sizeof(out), &n),
			-EBADMSG);
	assert_int_equal(cpm_lex_quoted_scan(L("\"a\x7f\""), out, sizeof(out), &n),
			-EBADMSG);
	assert_int_equal(cpm_lex_quoted_scan(L("\"\\\n\""), out, sizeof(out), &n),
			-EBADMSG);
	assert_int_equal(cpm_lex_quoted_scan(L("\"\\\xc3\""), out, sizeof(out), &n),
			-EBADMSG);
	/* a quoted-pair may carry a CTL other than CR / LF */
	assert_int_equal(cpm_lex_quoted_scan(L("\"\\\x01\""), out, sizeof(out), &n),
			4);
	assert_int_equal(n, 1);
	/* output too small: at most osize - 1 octets, NUL-terminated */
	assert_int_equal(cpm_lex_quoted_scan(L("\"abc\""), out, 3, &n), -ENOSPC);
	assert_int_equal(cpm_lex_quoted_scan(L("\"abc\""), out, 4, &n), 5);
	assert_string_equal(out, "abc");
	/* errors in input order: the CTL before the buffer runs out */
	assert_int_equal(cpm_lex_quoted_scan(L("\"\x01xyz\""), out, 2, &n),
			-EBADMSG);
	assert_int_equal(cpm_lex_quoted_scan(L("\"xyz\x01\""), out, 2, &n),
			-ENOSPC);
}

static void t_quoted_skip(void **state)
{
	assert_int_equal(cpm_lex_quoted_skip(L("\"a,b\";c")), 5);
	assert_int_equal(cpm_lex_quoted_skip(L("\"a\\\"b\"")), 6);
	assert_int_equal(cpm_lex_quoted_skip(L("\"\\\n\"")), 4); /* lenient */
	assert_int_equal(cpm_lex_quoted_skip(L("\"abc")), -EBADMSG);
	assert_int_equal(cpm_lex_quoted_skip(L("\"abc\\\"")), -EBADMSG);
	assert_int_equal(cpm_lex_quoted_skip(L("\"abc\\")), -EBADMSG);
	assert_int_equal(cpm_lex_quoted_skip(L("abc")), -EINVAL);
	assert_int_equal(cpm_lex_quoted_skip(NULL, 2), -EINVAL);
	assert_int_equal(cpm_lex_quoted_skip("\"", 0), -EINVAL);
}

static void t_quoted_print(void **state)
{
	char buf[32], back[32];
	int n, m = -1;

	n = cpm_lex_quoted_print(L("say \"hi\" \\o/ \xc3\xa4"), buf, sizeof(buf));
	assert_string_equal(buf, "\"say \\\"hi\\\" \\\\o/ \xc3\xa4\"");
	assert_int_equal(n, (int)strlen(buf));
	/* round trip */
	assert_int_equal(cpm_lex_quoted_scan(buf, n, back, sizeof(back), &m), n);
	assert_int_equal(m, (int)strlen("say \"hi\" \\o/ \xc3\xa4"));
	assert_string_equal(back, "say \"hi\" \\o/ \xc3\xa4");

	assert_int_equal(cpm_lex_quoted_print(L(""), buf, sizeof(buf)), 2);
	assert_string_equal(buf, "\"\"");
	assert_int_equal(cpm_lex_quoted_print(NULL, 0, buf, sizeof(buf)), 2);
	/* a CTL (also HTAB, CR, LF) could break the header line: refused */
	assert_int_equal(cpm_lex_quoted_print(L("a\r\nX: y"), buf, sizeof(buf)),
			-EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(cpm_lex_quoted_print(L("a\tb"), buf, sizeof(buf)), -EINVAL);
	/* exact sizes: "ab" needs 4 + NUL */
	assert_int_equal(cpm_lex_quoted_print(L("ab"), buf, 5), 4);
	assert_int_equal(cpm_lex_quoted_print(L("ab"), buf, 4), -ENOSPC);
	assert_string_equal(buf, "");
	assert_int_equal(cpm_lex_quoted_print(L("\""), buf, 5), 4);
	assert_string_equal(buf, "\"\\\"\"");
	assert_int_equal(cpm_lex_quoted_print(L("\""), buf, 4), -ENOSPC);
	assert_int_equal(cpm_lex_quoted_print(L("a"), buf, 1), -ENOSPC);
	assert_int_equal(cpm_lex_quoted_print(L("a"), NULL, 8), -ENOSPC);
	assert_int_equal(cpm_lex_quoted_print(NULL, 1, buf, 8), -EINVAL);

	assert_int_equal(cpm_lex_quoted_escape(L("a\"b"), buf, 5), 4);
	assert_string_equal(buf, "a\\\"b");
	assert_int_equal(cpm_lex_quoted_escape(L("a\"b"), buf, 4), -ENOSPC);
	assert_int_equal(cpm_lex_quoted_escape(L("a\x7f"), buf, 8), -EINVAL);
}

static void t_hdr_split(void **state)
{
	int nl = -1, vo = -1;
	const char *cpim = "NS.From : <im:alice@example.com>\r\n";

	assert_int_equal(cpm_lex_hdr_split(L("Subject: hi"), &nl, &vo), 0);
	assert_int_equal(nl, 7);
	assert_int_equal(vo, 8);
	/* RFC 3862 3.1 header with a name-space prefix, WSP before the colon */
	assert_int_equal(cpm_lex_hdr_split(cpim, (int)strlen(cpim), &nl, &vo), 0);
	assert_int_equal(nl, 7);
	assert_int_equal(vo, 9);
	assert_int_equal(cpm_lex_hdr_split(L("X:"), &nl, &vo), 0);
	assert_int_equal(vo, 2);
	assert_int_equal(cpm_lex_hdr_split(L(": x"), &nl, &vo), -ENOENT);
	assert_int_equal(cpm_lex_hdr_split(L("Subject hi"), &nl, &vo), -ENOENT);
	assert_int_equal(cpm_lex_hdr_split(L("Sub ject: hi"), &nl, &vo), -ENOENT);
	assert_int_equal(cpm_lex_hdr_split(L("Subject"), &nl, &vo), -ENOENT);
	assert_int_equal(cpm_lex_hdr_split(L(" Subject: x"), &nl, &vo), -ENOENT);
	assert_int_equal(cpm_lex_hdr_split(NULL, 0, &nl, &vo), -EINVAL);
	assert_int_equal(cpm_lex_hdr_split(L("a:b"), NULL, &vo), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_classes),
		cmocka_unit_test(t_span_token),
		cmocka_unit_test(t_lws),
		cmocka_unit_test(t_compare),
		cmocka_unit_test(t_hex_pct),
		cmocka_unit_test(t_3digit),
		cmocka_unit_test(t_utf8),
		cmocka_unit_test(t_quoted_scan),
		cmocka_unit_test(t_quoted_skip),
		cmocka_unit_test(t_quoted_print),
		cmocka_unit_test(t_hdr_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
