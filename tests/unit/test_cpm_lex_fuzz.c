/*
 * Deterministic property tests of lib/cpm_lex.c (the shared lexical core),
 * in the style of test_cpm_fuzz.c: a fixed-seed xorshift64* generator,
 * inputs biased towards the octets the functions care about, every input
 * copied into a malloc() block of exactly its length (valgrind sees any read
 * past it), every output buffer exact-size.  Each function is checked
 * against a reference model written here from the ABNF (not from the
 * library), and each printer against its scanner (round trip).
 *
 * Environment: CPM_FUZZ_SEED=<n> changes the seed, CPM_FUZZ_SCALE=<n>
 * multiplies the iteration counts.  A failure prints the property, the
 * iteration and the input (cpm_prop.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../lib/cpm_lex.h"

#define N_ITER 20000
#define FUZZ_SEED 0x43504d2d4c455831ull /* "CPM-LEX1" */
#include "cpm_prop.h"

/* ---- generators -------------------------------------------------------- */

#define MAXIN 300
static const char ALPHABET[] = "aZq09fF-.!%*_+`'~ \t\r\n\",;=\\:<>@/[]?{}()#";

static char rchar(void)
{
	switch(rn(8)) {
		case 0:
		case 1:
		case 2:
			return ALPHABET[rn(sizeof(ALPHABET) - 1)];
		case 3:
			return (char)rn(256);
		case 4:
			return "\r\n\t \"\\%"[rn(7)];
		case 5:
			return (char)(0x80 + rn(128));
		default:
			return (char)('a' + rn(26));
	}
}

/* random input into b (exact-size heap copy returned) */
static char *gen(char *b, int *n)
{
	int i, len = chance(70) ? (int)rn(24) : (int)rn(MAXIN);
	char *p;

	for(i = 0; i < len; i++)
		b[i] = rchar();
	*n = len;
	p = malloc(len ? len : 1);
	assert_non_null(p);
	memcpy(p, b, len);
	g_in = p;
	g_inlen = len;
	return p;
}

/* ---- reference predicates, from RFC 3261 25.1 / RFC 5234 B.1 ----------- */

static int r_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int r_digit(int c)
{
	return c >= '0' && c <= '9';
}
static int r_token(int c)
{
	return c > 0 && (r_alpha(c) || r_digit(c) || strchr("-.!%*_+`'~", c));
}
static int r_wsp(int c)
{
	return c == ' ' || c == '\t';
}
static int r_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
static int r_ctl(int c)
{
	return (c >= 0 && c < 0x20) || c == 0x7f;
}
static int r_hex(int c)
{
	if(r_digit(c))
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
static int r_lower(int c)
{
	return r_alpha(c) && c < 'a' ? c + 32 : c;
}

/* the longest prefix of ( WSP / CRLF WSP / LF WSP )* : LWS runs */
static int r_skip_lws(const unsigned char *s, int n)
{
	int i = 0, best = 0;

	for(;;) {
		if(i < n && r_wsp(s[i])) {
			i++;
		} else if(i + 1 < n && s[i] == '\n' && r_wsp(s[i + 1])) {
			i += 2;
		} else if(i + 2 < n && s[i] == '\r' && s[i + 1] == '\n'
				  && r_wsp(s[i + 2])) {
			i += 3;
		} else {
			break;
		}
		best = i;
	}
	return best;
}

/* quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE (strict):
 * >= 0 consumed, -1 not a quoted-string, -2 broken; content to out */
static int r_quoted(const unsigned char *s, int n, unsigned char *out, int *olen)
{
	int i, k = 0;

	if(n < 1 || s[0] != '"')
		return -1;
	for(i = 1; i < n; i++) {
		if(s[i] == '"') {
			*olen = k;
			return i + 1;
		}
		if(s[i] == '\\') {
			if(i + 1 >= n)
				return -2;
			i++;
			/* quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) */
			if(s[i] == 0x0a || s[i] == 0x0d || s[i] > 0x7f)
				return -2;
		} else if(!(r_space(s[i]) || s[i] == 0x21
						  || (s[i] >= 0x23 && s[i] <= 0x5b)
						  || (s[i] >= 0x5d && s[i] <= 0x7e) || s[i] >= 0x80)) {
			return -2; /* not qdtext */
		}
		out[k++] = s[i];
	}
	return -2;
}

/* UTF-8 encoder of a code point (the reference for the decoder) */
static int r_utf8_enc(unsigned cp, unsigned char *b)
{
	if(cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if(cp < 0x800) {
		b[0] = 0xc0 | (cp >> 6);
		b[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if(cp < 0x10000) {
		b[0] = 0xe0 | (cp >> 12);
		b[1] = 0x80 | ((cp >> 6) & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	b[0] = 0xf0 | (cp >> 18);
	b[1] = 0x80 | ((cp >> 12) & 0x3f);
	b[2] = 0x80 | ((cp >> 6) & 0x3f);
	b[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* ---- properties --------------------------------------------------------- */

/* the class table against the reference predicates, every octet */
static void p_classes(void **state)
{
	int c;

	begin("classes", 1);
	for(c = -2; c < 258; c++) {
		int o = (c >= 0 && c < 256);
		g_iter = c;
		CHECK(!!cpm_lex_is_token(c) == (o && r_token(c)), "token %d", c);
		CHECK(!!cpm_lex_is_alpha(c) == (o && r_alpha(c)), "alpha %d", c);
		CHECK(!!cpm_lex_is_digit(c) == (o && r_digit(c)), "digit %d", c);
		CHECK(!!cpm_lex_is_alnum(c) == (o && (r_alpha(c) || r_digit(c))),
				"alnum %d", c);
		CHECK(!!cpm_lex_is_hex(c) == (o && r_hex(c) >= 0), "hex %d", c);
		CHECK(!!cpm_lex_is_wsp(c) == (o && r_wsp(c)), "wsp %d", c);
		CHECK(!!cpm_lex_is_space(c) == (o && r_space(c)), "space %d", c);
		CHECK(!!cpm_lex_is_ctl(c) == (o && r_ctl(c)), "ctl %d", c);
		CHECK(cpm_lex_hexval(c) == (o && r_hex(c) >= 0 ? r_hex(c) : -EINVAL),
				"hexval %d", c);
		if(o)
			CHECK(cpm_lex_lower(c) == r_lower(c), "lower %d", c);
	}
}

/* span / token / LWS / trimming against the models */
static void p_spans(void **state)
{
	static char b[MAXIN];
	const unsigned char *u;
	int it, n, i, k, off, len;
	char *in;

	begin("spans", 2);
	for(it = 0; it < iters(N_ITER); it++) {
		g_iter = it;
		in = gen(b, &n);
		u = (const unsigned char *)in;

		for(k = 0; k < n && r_token(u[k]); k++)
			;
		CHECK(cpm_lex_span(in, n, CPM_LEX_TOKEN) == k, "span token");
		CHECK(cpm_lex_is_token_str(in, n) == (n > 0 && k == n), "token str");
		for(k = 0; k < n && r_space(u[k]); k++)
			;
		CHECK(cpm_lex_skip_space(in, n) == k, "skip_space");
		for(k = n; k > 0 && r_space(u[k - 1]); k--)
			;
		CHECK(cpm_lex_rtrim_space(in, n) == k, "rtrim_space");

		i = r_skip_lws(u, n);
		CHECK(cpm_lex_skip_lws(in, n) == i, "skip_lws %d want %d",
				cpm_lex_skip_lws(in, n), i);
		len = cpm_lex_trim_lws(in, n, &off);
		CHECK(off == i, "trim off %d want %d", off, i);
		for(k = n; k > i && r_space(u[k - 1]); k--)
			;
		CHECK(len == k - i, "trim len %d want %d", len, k - i);
		/* idempotent */
		CHECK(cpm_lex_trim_lws(in + off, len, &k) == len && k == 0, "trim^2");
		free(in);
	}
}

/* case-insensitive equality and prefix */
static void p_compare(void **state)
{
	static char b[MAXIN];
	char *in, *cp;
	int it, n, i, eq, m;

	begin("compare", 3);
	for(it = 0; it < iters(N_ITER); it++) {
		g_iter = it;
		in = gen(b, &n);
		cp = malloc(n ? n : 1);
		assert_non_null(cp);
		/* a case-flipped copy, sometimes with one octet changed */
		for(i = 0; i < n; i++)
			cp[i] = (r_alpha((unsigned char)in[i]) && chance(50))
							? (char)(in[i] ^ 0x20)
							: in[i];
		if(n > 0 && chance(30))
			cp[rn(n)] = rchar();
		eq = 1;
		for(i = 0; i < n; i++)
			if(r_lower((unsigned char)in[i]) != r_lower((unsigned char)cp[i]))
				eq = 0;
		CHECK(cpm_lex_ieq(in, n, cp, n) == eq, "ieq");
		CHECK(cpm_lex_ieq(cp, n, in, n) == eq, "ieq symmetric");
		if(n > 0)
			CHECK(!cpm_lex_ieq(in, n, cp, n - 1), "ieq length");
		m = (int)rn(n + 1);
		eq = 1;
		for(i = 0; i < m; i++)
			if(r_lower((unsigned char)in[i]) != r_lower((unsigned char)cp[i]))
				eq = 0;
		CHECK(cpm_lex_iprefix(cp, m, in, n) == eq, "iprefix %d", m);
		if(m < n)
			CHECK(!cpm_lex_iprefix(in, n, cp, m), "iprefix longer");
		free(cp);
		free(in);
	}
}

/* %-decoding: the model, and encode -> decode round trip */
static void p_pct(void **state)
{
	static char b[MAXIN];
	static const char hx[] = "0123456789abcdef0123456789ABCDEF";
	unsigned char orig[64];
	char enc[3 * 64], *in;
	int it, n, i, j, c, want, k, cs;

	begin("pct", 4);
	for(it = 0; it < iters(N_ITER); it++) {
		g_iter = it;
		in = gen(b, &n);
		for(i = 0; i < n;) {
			const unsigned char *u = (const unsigned char *)in;
			j = i;
			if(u[i] == '%' && i + 2 < n && r_hex(u[i + 1]) >= 0
					&& r_hex(u[i + 2]) >= 0) {
				want = r_hex(u[i + 1]) * 16 + r_hex(u[i + 2]);
				k = i + 3;
			} else {
				want = u[i];
				k = i + 1;
			}
			c = cpm_lex_pct_next(in, n, &j);
			CHECK(c == want && j == k, "pct_next at %d: %d/%d want %d/%d", i,
					c, j, want, k);
			i = k;
		}
		j = n;
		CHECK(cpm_lex_pct_next(in, n, &j) == -EINVAL, "pct_next past end");
		free(in);

		/* round trip of random octets, escaped at random, either case */
		n = (int)rn(64);
		k = 0;
		for(i = 0; i < n; i++) {
			orig[i] = (unsigned char)rn(256);
			cs = chance(50) ? 16 : 0;
			if(orig[i] == '%' || chance(50)) {
				enc[k++] = '%';
				enc[k++] = hx[cs + (orig[i] >> 4)];
				enc[k++] = hx[cs + (orig[i] & 15)];
			} else {
				enc[k++] = (char)orig[i];
			}
		}
		in = malloc(k ? k : 1);
		assert_non_null(in);
		memcpy(in, enc, k);
		g_in = in;
		g_inlen = k;
		for(i = 0, j = 0; j < k; i++) {
			c = cpm_lex_pct_next(in, k, &j);
			CHECK(i < n && c == orig[i], "decode %d", i);
		}
		CHECK(i == n, "decoded %d of %d", i, n);
		free(in);
	}
}

/* 3DIGIT */
static void p_3digit(void **state)
{
	static char b[MAXIN];
	const unsigned char *u;
	char *in;
	int it, n, want;

	begin("3digit", 5);
	for(it = 0; it < iters(N_ITER); it++) {
		g_iter = it;
		in = gen(b, &n);
		u = (const unsigned char *)in;
		if(n >= 3 && chance(50)) {
			in[0] = (char)('0' + rn(10));
			in[1] = (char)('0' + rn(10));
			if(chance(90))
				in[2] = (char)('0' + rn(10));
		}
		want = (n >= 3 && r_digit(u[0]) && r_digit(u[1]) && r_digit(u[2]))
					   ? (u[0] - '0') * 100 + (u[1] - '0') * 10 + (u[2] - '0')
					   : -EINVAL;
		CHECK(cpm_lex_3digit(in, n) == want, "3digit");
		free(in);
	}
}

/* UTF-8: encode -> decode; any accepted sequence is canonical */
static void p_utf8(void **state)
{
	static char b[MAXIN];
	unsigned char e[4];
	unsigned int cp, got;
	char *in;
	int it, n, k, r;

	begin("utf8", 6);
	for(it = 0; it < iters(N_ITER); it++) {
		g_iter = it;
		switch(rn(4)) {
			case 0:
				cp = rn(0x80);
				break;
			case 1:
				cp = 0x80 + rn(0x800 - 0x80);
				break;
			case 2:
				cp = 0x800 + rn(0x10000 - 0x800);
				break;
			default:
				cp = 0x10000 + rn(0x110000 - 0x10000);
				break;
		}
		k = r_utf8_enc(cp, e);
		in = malloc(k);
		assert_non_null(in);
		memcpy(in, e, k);
		g_in = in;
		g_inlen = k;
		r = cpm_lex_utf8_next(in, k, &got);
		if(cp >= 0xd800 && cp <= 0xdfff)
			CHECK(r == -EILSEQ, "surrogate U+%04X accepted", cp);
		else
			CHECK(r == k && got == cp, "U+%04X: %d", cp, r);
		/* every truncation is refused */
		if(k > 1)
			CHECK(cpm_lex_utf8_next(in, k - 1 - (int)rn(k - 1), &got)
							== -EILSEQ,
					"truncated");
		free(in);

		in = gen(b, &n);
		r = cpm_lex_utf8_next(in, n, &got);
		if(r > 0) {
			CHECK(r <= n && got <= 0x10ffff
							&& !(got >= 0xd800 && got <= 0xdfff),
					"accepted U+%X", got);
			CHECK(r_utf8_enc(got, e) == r && memcmp(e, in, r) == 0,
					"not canonical");
		} else {
			CHECK(r == -EILSEQ, "rc %d", r);
		}
		free(in);
	}
}

/* quoted-string: scan against the model, skip against scan, print -> scan */
static void p_quoted(void **state)
{
	static char b[MAXIN];
	unsigned char want[MAXIN];
	char *in, *out, *pr;
	int it, n, r, wl, ol, osz, i, len, plen;

	begin("quoted", 7);
	for(it = 0; it < iters(N_ITER); it++) {
		g_iter = it;
		in = gen(b, &n);
		if(n > 0 && chance(70))
			in[0] = '"';
		wl = 0;
		r = r_quoted((const unsigned char *)in, n, want, &wl);
		osz = (r >= 0 && chance(20)) ? wl : wl + 1 + (int)rn(3);
		out = malloc(osz ? osz : 1);
		assert_non_null(out);
		ol = -1;
		i = cpm_lex_quoted_scan(in, n, osz ? out : NULL, osz, &ol);
		if(r == -1) {
			CHECK(i == -EINVAL, "not a quoted-string: %d", i);
		} else if(r == -2) {
			CHECK(i == -EBADMSG || i == -ENOSPC, "broken: %d", i);
		} else if(osz == 0) { /* out NULL: validation only */
			CHECK(i == r && ol == wl, "scan %d/%d want %d/%d", i, ol, r, wl);
		} else if(osz <= wl) {
			CHECK(i == -ENOSPC, "short buffer: %d", i);
		} else {
			CHECK(i == r && ol == wl && memcmp(out, want, wl) == 0
							&& out[wl] == '\0',
					"scan %d/%d want %d/%d", i, ol, r, wl);
		}
		/* the lenient skip ends where a valid quoted-string ends */
		if(r >= 0)
			CHECK(cpm_lex_quoted_skip(in, n) == r, "skip %d want %d",
					cpm_lex_quoted_skip(in, n), r);
		free(out);
		free(in);

		/* print -> scan round trip of CTL-free text */
		len = (int)rn(60) & 63;
		for(i = 0; i < len; i++) {
			do
				b[i] = rchar();
			while(r_ctl((unsigned char)b[i]));
		}
		in = malloc(len ? (size_t)len : 1);
		assert_non_null(in);
		memcpy(in, b, (size_t)len);
		g_in = in;
		g_inlen = len;
		plen = 2 + len;
		for(i = 0; i < len; i++)
			plen += (in[i] == '"' || in[i] == '\\');
		pr = malloc(plen + 1);
		assert_non_null(pr);
		CHECK(cpm_lex_quoted_print(in, len, pr, plen) == -ENOSPC, "print short");
		CHECK(cpm_lex_quoted_print(in, len, pr, plen + 1) == plen, "print");
		/* the escaped content is the printed string without its quotes */
		out = malloc(plen - 1);
		assert_non_null(out);
		CHECK(cpm_lex_quoted_escape(in, len, out, plen - 1) == plen - 2
						&& memcmp(out, pr + 1, plen - 2) == 0
						&& out[plen - 2] == '\0',
				"escape");
		CHECK(cpm_lex_quoted_escape(in, len, out, plen - 2) == -ENOSPC,
				"escape short");
		free(out);
		out = malloc(len + 1);
		assert_non_null(out);
		CHECK(cpm_lex_quoted_scan(pr, plen, out, len + 1, &ol) == plen
						&& ol == len && memcmp(out, in, len) == 0,
				"round trip");
		free(out);
		free(pr);
		/* a CTL anywhere is refused */
		if(len > 0) {
			in[rn(len)] = (char)(chance(50) ? rn(0x20) : 0x7f);
			pr = malloc(2 * len + 3);
			assert_non_null(pr);
			CHECK(cpm_lex_quoted_print(in, len, pr, 2 * len + 3) == -EINVAL,
					"CTL printed");
			free(pr);
		}
		free(in);
	}
}

/* header-line split: model, and print -> split round trip */
static void p_hdr_split(void **state)
{
	static char b[MAXIN];
	const unsigned char *u;
	char *in;
	int it, n, k, j, nl, vo, r;

	begin("hdr_split", 8);
	for(it = 0; it < iters(N_ITER); it++) {
		g_iter = it;
		in = gen(b, &n);
		u = (const unsigned char *)in;
		if(n > 4 && chance(50)) {
			/* token, optional WSP, colon */
			k = 1 + (int)rn(n / 2);
			for(j = 0; j < k; j++)
				in[j] = "aZ9-.!%*_+`'~"[rn(13)];
			if(k < n && chance(30))
				in[k++] = ' ';
			if(k < n)
				in[k] = ':';
		}
		for(k = 0; k < n && r_token(u[k]); k++)
			;
		for(j = k; j < n && r_wsp(u[j]); j++)
			;
		nl = vo = -1;
		r = cpm_lex_hdr_split(in, n, &nl, &vo);
		if(k > 0 && j < n && u[j] == ':')
			CHECK(r == 0 && nl == k && vo == j + 1, "split %d %d %d", r, nl, vo);
		else
			CHECK(r == -ENOENT, "no header line: %d", r);
		free(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(p_classes),
		cmocka_unit_test(p_spans),
		cmocka_unit_test(p_compare),
		cmocka_unit_test(p_pct),
		cmocka_unit_test(p_3digit),
		cmocka_unit_test(p_utf8),
		cmocka_unit_test(p_quoted),
		cmocka_unit_test(p_hdr_split),
	};

	prop_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
