/*
 * Deterministic property-based ("fuzz") tests of the pure code of both
 * modules:
 *
 *   cpm_headers: cpmh_id.c (value parser, line parser/printer, the header
 *                check accumulator), cpmh_service.c (ICSI detection)
 *   cpm_warning: cpm_warn.c (Accept-Language, Warning value, translations
 *                catalogue, language selection)
 *
 * Inputs come from a fixed-seed xorshift64* generator, so every run checks
 * exactly the same cases.  They are biased towards the characters the
 * parsers care about, and part of them are mutations of valid seeds.  Every
 * input is copied into a malloc() block of exactly its length (no NUL, no
 * slack) so that valgrind reports any read past its end; output buffers
 * handed to the code are exact-size too.
 *
 * Each property is checked against a reference written here (token and
 * language-tag predicates, LWS trimming, the check precedence, expected
 * printer output), not against the module's own helpers.
 *
 * Environment: CPM_FUZZ_SEED=<n> changes the seed, CPM_FUZZ_SCALE=<n>
 * multiplies the iteration counts.  A failure prints the property, the
 * iteration and the input (hex) that broke it.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpm_headers/cpmh_id.h"
#include "cpm_headers/cpmh_service.h"
#include "cpm_warning/cpm_warn.h"

/* iterations per property: the whole binary takes ~1 s natively and ~12 s
 * under valgrind --leak-check=full (measured on 2 cores) */
#define N_HDR_VALUE 25000
#define N_HDR_LINE 16000
#define N_HDR_CHECK 15000
#define N_SVC_RANDOM 25000
#define N_SVC_INSERT 16000
#define N_AL_GEN 20000
#define N_AL_RANDOM 25000
#define N_WARN_RT 16000
#define N_WARN_RANDOM 25000
#define N_CAT_GEN 3000
#define N_CAT_RANDOM 6000

#define FUZZ_SEED 0x43504d2d46555a5aull /* "CPM-FUZZ" */

/* PRNG, failure context, CHECK(), begin(), stats(), iters(): cpm_prop.h */
#include "cpm_prop.h"

/* ---- scratch buffers, generators, mutations --------------------------- */

#define SB_CAP 60000 /* below CPMW_FILE_MAX: a generated catalogue always fits */
typedef struct sbuf {
	int n;
	char b[SB_CAP];
} sbuf_t;

static void sb_reset(sbuf_t *b)
{
	b->n = 0;
}

static void sb_putn(sbuf_t *b, const char *s, int n)
{
	if(n > SB_CAP - b->n)
		n = SB_CAP - b->n;
	if(n > 0) {
		memcpy(b->b + b->n, s, n);
		b->n += n;
	}
}

static void sb_puts(sbuf_t *b, const char *s)
{
	sb_putn(b, s, (int)strlen(s));
}

static void sb_putc(sbuf_t *b, char c)
{
	sb_putn(b, &c, 1);
}

/* exact-size heap copy (malloc(0) for an empty input) */
static char *mk(const char *s, int n)
{
	char *p = malloc(n);

	if(n > 0) {
		assert_non_null(p);
		memcpy(p, s, n);
	}
	return p;
}

typedef struct seed {
	const char *s;
	int len;
} seed_t;
#define SEED(x) {x, (int)sizeof(x) - 1}

static const char TOKEN_CHARS[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		"-.!%*_+`'~";
#define N_TOKEN_CHARS ((unsigned)sizeof(TOKEN_CHARS) - 1)
/* the interesting alphabet, NUL included */
static const char INTERESTING[] = "aZq09-.!%*_+`'~ \t\r\n\0,;=\"\\:%*qQ0123456789"
								  "-<>@/[]?{}()#";
#define N_INTERESTING ((unsigned)sizeof(INTERESTING) - 1)

static char rchar(void)
{
	switch(rn(16)) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
		case 5:
			return INTERESTING[rn(N_INTERESTING)];
		case 6:
		case 7:
		case 8:
			return TOKEN_CHARS[rn(N_TOKEN_CHARS)];
		case 9:
			return '\0';
		case 10:
			return (char)(0x80 + rn(128));
		case 11:
			return (char)rn(256);
		case 12:
			return ' ';
		case 13:
			return "\r\n\t"[rn(3)];
		default:
			return (char)('a' + rn(26));
	}
}

static int rlen(int max)
{
	int n;

	if(chance(60))
		n = rn(24);
	else if(chance(60))
		n = rn(120);
	else
		n = rn(max + 1);
	return n > max ? max : n;
}

static void gen_random(sbuf_t *b, int max)
{
	int i, n = rlen(max);

	sb_reset(b);
	for(i = 0; i < n; i++)
		sb_putc(b, rchar());
}

static const char *SNIPPETS[] = {" ", "\t", "\r\n ", "\r\n", "\n", ",", ";",
		";q=", "=", "\"", "\\", "%3A", "%", ":", "*", "q=0.5", "-", "\xc3\xa4",
		"\xff", "  ", ", ,", "\\\"", "urn%3A", "#", "\r"};
#define N_SNIPPETS ((unsigned)(sizeof(SNIPPETS) / sizeof(SNIPPETS[0])))

/* k random edits of b (length kept <= maxlen) */
static void mutate(sbuf_t *b, int k, int maxlen)
{
	int i, pos, len;
	char tmp[SB_CAP];

	if(maxlen > SB_CAP)
		maxlen = SB_CAP;
	for(i = 0; i < k; i++) {
		pos = rn(b->n + 1);
		switch(rn(8)) {
			case 0: /* insert a char */
				if(b->n < maxlen) {
					memmove(b->b + pos + 1, b->b + pos, b->n - pos);
					b->b[pos] = rchar();
					b->n++;
				}
				break;
			case 1: /* delete a run */
				len = 1 + rn(4);
				if(pos + len > b->n)
					len = b->n - pos;
				if(len > 0) {
					memmove(b->b + pos, b->b + pos + len, b->n - pos - len);
					b->n -= len;
				}
				break;
			case 2: /* replace */
				if(pos < b->n)
					b->b[pos] = rchar();
				break;
			case 3: /* duplicate a chunk */
				len = rn(b->n - pos + 1);
				if(len > 0 && b->n + len <= maxlen) {
					memcpy(tmp, b->b + pos, len);
					memmove(b->b + pos + len, b->b + pos, b->n - pos);
					memcpy(b->b + pos, tmp, len);
					b->n += len;
				}
				break;
			case 4: /* truncate */
				if(chance(30))
					b->n = pos;
				break;
			case 5: /* insert a snippet */
			case 6: {
				const char *sn = SNIPPETS[rn(N_SNIPPETS)];
				len = (int)strlen(sn);
				if(b->n + len <= maxlen) {
					memmove(b->b + pos + len, b->b + pos, b->n - pos);
					memcpy(b->b + pos, sn, len);
					b->n += len;
				}
				break;
			}
			default: /* flip case / a bit */
				if(pos < b->n) {
					if(isalpha((unsigned char)b->b[pos]))
						b->b[pos] ^= 0x20;
					else if(chance(30))
						b->b[pos] ^= (char)(1 << rn(8));
				}
				break;
		}
	}
}

static void gen_from_seed(sbuf_t *b, const seed_t *seeds, int nseeds, int maxlen)
{
	const seed_t *sd = &seeds[rn(nseeds)];

	sb_reset(b);
	sb_putn(b, sd->s, sd->len);
	if(chance(20)) { /* splice a second seed */
		sd = &seeds[rn(nseeds)];
		sb_putn(b, sd->s, sd->len);
	}
	mutate(b, rn(5), maxlen);
}

static int ci_eq(const char *a, int alen, const char *b, int blen)
{
	int i;

	if(alen != blen)
		return 0;
	for(i = 0; i < alen; i++)
		if(tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int inside(const char *p, int len, const char *base, int blen)
{
	return p != NULL && p >= base && len >= 0 && p + len <= base + blen;
}

/* ======================================================================
 * cpmh_id reference model
 */

/* RFC 3261 25.1 token char, written independently of the module's table */
static int ref_token_char(unsigned char c)
{
	if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	switch(c) {
		case '-':
		case '.':
		case '!':
		case '%':
		case '*':
		case '_':
		case '+':
		case '`':
		case '\'':
		case '~':
			return 1;
	}
	return 0;
}

static int ref_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* docs/cpm_headers.md 2: leading SP/HTAB and folded line breaks, trailing
 * SP/HTAB and the line terminator are not part of the value */
static void ref_trim(const char *s, int len, int *off, int *vlen)
{
	int a = 0, z = len;

	for(;;) {
		if(a < len && ref_wsp(s[a]))
			a += 1;
		else if(a + 1 < len && s[a] == '\n' && ref_wsp(s[a + 1]))
			a += 2;
		else if(a + 2 < len && s[a] == '\r' && s[a + 1] == '\n'
				&& ref_wsp(s[a + 2]))
			a += 3;
		else
			break;
	}
	while(z > a
			&& (s[z - 1] == ' ' || s[z - 1] == '\t' || s[z - 1] == '\r'
					|| s[z - 1] == '\n'))
		z--;
	*off = a;
	*vlen = z - a;
}

#define RV_NODATA 1
#define RV_TOOLONG 2
#define RV_BADCHAR 4
/* 0 = valid, else the set of acceptable error causes */
static int ref_value(const char *s, int len, int max, int *off, int *vlen)
{
	int i, why = 0;

	ref_trim(s, len, off, vlen);
	if(*vlen == 0)
		return RV_NODATA;
	if(*vlen > max)
		why |= RV_TOOLONG;
	for(i = 0; i < *vlen; i++)
		if(!ref_token_char((unsigned char)s[*off + i]))
			why |= RV_BADCHAR;
	return why;
}

static int err_allowed(int rc, int why)
{
	return (rc == -ENODATA && (why & RV_NODATA))
		   || (rc == -EMSGSIZE && (why & RV_TOOLONG))
		   || (rc == -EBADMSG && (why & RV_BADCHAR));
}

static const char *REF_NAMES[CPMH_ID_COUNT] = {
		"Conversation-ID", "Contribution-ID", "InReplyTo-Contribution-ID"};

/* header name -> id: case-insensitive, exact length, SP/HT around ignored */
static int ref_lookup(const char *s, int len)
{
	int i;

	while(len > 0 && ref_wsp(*s)) {
		s++;
		len--;
	}
	while(len > 0 && ref_wsp(s[len - 1]))
		len--;
	for(i = 0; i < CPMH_ID_COUNT; i++)
		if(ci_eq(s, len, REF_NAMES[i], (int)strlen(REF_NAMES[i])))
			return i;
	return -1;
}

static const seed_t HDR_SEEDS[] = {
		SEED("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"),
		SEED(" 3c7f2a51-5a2e-4c0e-9a61-2b1f7a0c9d11 \r\n"), SEED("abc"),
		SEED("\r\n\tabc\r\n"), SEED("\n abc"), SEED("a b"), SEED("a,b"),
		SEED("<x@y>"), SEED(""), SEED("  "), SEED("\t\r\n"), SEED("x"),
		SEED("%41~'`!*_+.-"), SEED("\"q\""), SEED("abc\r\n def"),
		SEED("val\0ue"), SEED("\xc3\xa4x"), SEED("a;b=c"), SEED("a:b"),
		SEED("\r abc"), SEED("abc\n\n"), SEED("\r\n\r\n x"),
};
#define N_HDR_SEEDS ((int)(sizeof(HDR_SEEDS) / sizeof(HDR_SEEDS[0])))

static const char *LEAD_LWS[] = {"", " ", "\t", "\r\n ", "\n\t", "\r\n",
		"\n", "\r", "  \t"};
static const char *TRAIL_LWS[] = {"", " ", "\t", "\r", "\n", "\r\n", " \r\n"};

static void gen_token(sbuf_t *b, int n)
{
	int i;

	for(i = 0; i < n; i++)
		sb_putc(b, TOKEN_CHARS[rn(N_TOKEN_CHARS)]);
}

/* a header body: random, mutated seed, or LWS + token + LWS */
static void gen_hdr_body(sbuf_t *b, int max_len)
{
	int k;

	switch(rn(10)) {
		case 0:
		case 1:
		case 2:
			gen_random(b, 600);
			break;
		case 3:
		case 4:
		case 5:
			gen_from_seed(b, HDR_SEEDS, N_HDR_SEEDS, 600);
			break;
		default:
			sb_reset(b);
			for(k = rn(3); k > 0; k--)
				sb_puts(b, LEAD_LWS[rn(9)]);
			if(chance(70))
				gen_token(b, 1 + rn(40));
			else /* around max_len */
				gen_token(b, max_len - 2 + (int)rn(5) > 0
									 ? max_len - 2 + (int)rn(5)
									 : 1);
			for(k = rn(3); k > 0; k--)
				sb_puts(b, TRAIL_LWS[rn(7)]);
			if(chance(15))
				mutate(b, 1, 600);
	}
}

static int pick_max_len(void)
{
	static const int fixed[] = {1, 2, 3, 36, 256, 1024};

	if(chance(50))
		return fixed[rn(6)];
	if(chance(50))
		return 1 + rn(64);
	return 1 + rn(700);
}

/* ---- property: cpmh_parse_value + print/parse_line round trip ------- */

static void check_roundtrip(const str *v, int max_len)
{
	int id = rn(CPMH_ID_COUNT), need, len, i, rc;
	char namebuf[32], *buf, *small;
	str name, got;
	cpmh_id_t gid;

	/* name: canonical, in random case */
	name.len = (int)strlen(REF_NAMES[id]);
	memcpy(namebuf, REF_NAMES[id], name.len);
	for(i = 0; i < name.len; i++)
		if(chance(30) && isalpha((unsigned char)namebuf[i]))
			namebuf[i] ^= 0x20;
	name.s = namebuf;
	need = name.len + 2 + v->len + 2;

	buf = malloc(need);
	len = need;
	rc = cpmh_print(&name, v, buf, &len);
	CHECK(rc == 0, "print rc %d", rc);
	CHECK(len == need, "print len %d need %d", len, need);
	CHECK(memcmp(buf, name.s, name.len) == 0 && buf[name.len] == ':'
					&& buf[name.len + 1] == ' '
					&& memcmp(buf + name.len + 2, v->s, v->len) == 0
					&& buf[need - 2] == '\r' && buf[need - 1] == '\n',
			"printed line differs");

	/* one byte short: -ENOSPC, nothing written past the buffer */
	small = malloc(need - 1);
	len = need - 1;
	rc = cpmh_print(&name, v, small, &len);
	CHECK(rc == -ENOSPC, "short print rc %d", rc);
	free(small);

	rc = cpmh_parse_line(&(str){buf, need}, max_len, &gid, &got);
	CHECK(rc == 0, "reparse rc %d", rc);
	CHECK((int)gid == id, "reparse id %d want %d", gid, id);
	CHECK(got.len == v->len && memcmp(got.s, v->s, v->len) == 0,
			"reparse value [%.*s] want [%.*s]", got.len, got.s, v->len, v->s);
	CHECK(got.s == buf + name.len + 2, "reparsed value not in place");
	free(buf);
}

static void test_hdr_value(void **state)
{
	static sbuf_t b;
	int it, max_len, rc, why, off, vlen, i;
	str body, v;
	char *in;

	begin("hdr_value", 1);
	for(it = 0; it < iters(N_HDR_VALUE); it++) {
		g_iter = it;
		max_len = pick_max_len();
		gen_hdr_body(&b, max_len);
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		body.s = in;
		body.len = b.n;
		v.s = NULL;
		v.len = -1;
		rc = cpmh_parse_value(&body, max_len, &v);
		why = ref_value(in, b.n, max_len, &off, &vlen);
		ST(rc == -ENODATA ? 1 : rc == -EMSGSIZE ? 2 : rc == -EBADMSG ? 3 : 4);
		if(why == 0) {
			CHECK(rc == 0, "rc %d, reference says valid (max %d)", rc, max_len);
		} else {
			CHECK(rc < 0, "rc %d, reference says invalid (%d)", rc, why);
			CHECK(err_allowed(rc, why), "rc %d, reference causes %d", rc, why);
		}
		if(rc == 0) {
			CHECK(inside(v.s, v.len, in, b.n), "value outside the input");
			CHECK(v.len >= 1 && v.len <= max_len, "value len %d max %d",
					v.len, max_len);
			for(i = 0; i < v.len; i++)
				CHECK(ref_token_char((unsigned char)v.s[i]),
						"non-token char 0x%02x", (unsigned char)v.s[i]);
			CHECK(v.s == in + off && v.len == vlen,
					"value at %d+%d, reference %d+%d", (int)(v.s - in), v.len,
					off, vlen);
			check_roundtrip(&v, max_len);
			ST(0);
		}
		free(in);
		g_in = NULL;
	}
	stats("accepted+round trip %d, -ENODATA %d, -EMSGSIZE %d, -EBADMSG %d", g_st[0], g_st[1], g_st[2], g_st[3]);
}

/* ---- property: cpmh_parse_line against a reference line parser ------ */

static int ref_parse_line(const char *s, int len, int max_len, int *id,
		int *off, int *vlen, int *why)
{
	int i = 0, nlen;

	*why = 0;
	if(len <= 0)
		return -EINVAL;
	while(i < len && ref_token_char((unsigned char)s[i]))
		i++;
	nlen = i;
	while(i < len && ref_wsp(s[i]))
		i++;
	if(nlen == 0 || i >= len || s[i] != ':')
		return -ENOENT;
	if((*id = ref_lookup(s, nlen)) < 0)
		return -ENOENT;
	i++;
	*why = ref_value(s + i, len - i, max_len, off, vlen);
	*off += i;
	return *why ? 1 : 0;
}

static void test_hdr_line(void **state)
{
	static sbuf_t b, body;
	int it, max_len, rc, ref, rid = -1, off, vlen, why, i;
	cpmh_id_t id;
	str v;
	char *in;

	begin("hdr_line", 2);
	for(it = 0; it < iters(N_HDR_LINE); it++) {
		g_iter = it;
		max_len = pick_max_len();
		sb_reset(&b);
		if(chance(15)) {
			gen_random(&b, 600);
		} else {
			const char *nm;
			int n;
			switch(rn(4)) {
				case 0:
					gen_token(&b, rn(30));
					break;
				default:
					nm = REF_NAMES[rn(CPMH_ID_COUNT)];
					n = (int)strlen(nm);
					for(i = 0; i < n; i++)
						sb_putc(&b, chance(30) ? nm[i] ^ 0x20 * !!isalpha(
											 (unsigned char)nm[i])
											   : nm[i]);
			}
			for(i = rn(3); i > 0; i--)
				sb_putc(&b, " \t"[rn(2)]);
			if(chance(95))
				sb_putc(&b, ':');
			gen_hdr_body(&body, max_len);
			sb_putn(&b, body.b, body.n);
			if(chance(20))
				mutate(&b, 1 + rn(3), 700);
		}
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		rc = cpmh_parse_line(&(str){in, b.n}, max_len, &id, &v);
		ref = ref_parse_line(in, b.n, max_len, &rid, &off, &vlen, &why);
		ST(ref == 0 ? 0 : ref == 1 ? 1 : 2);
		if(ref == 0) {
			CHECK(rc == 0, "rc %d, reference valid", rc);
			CHECK((int)id == rid, "id %d want %d", id, rid);
			CHECK(v.s == in + off && v.len == vlen, "value differs");
			CHECK(v.len >= 1 && v.len <= max_len, "len %d", v.len);
			for(i = 0; i < v.len; i++)
				CHECK(ref_token_char((unsigned char)v.s[i]), "non-token");
		} else if(ref == 1) {
			CHECK(err_allowed(rc, why), "rc %d, reference causes %d", rc, why);
		} else {
			CHECK(rc == ref, "rc %d want %d", rc, ref);
		}
		free(in);
		g_in = NULL;
	}
	stats("accepted %d, value errors %d, -ENOENT/-EINVAL %d", g_st[0], g_st[1], g_st[2]);
}

/* ---- property: the header check accumulator --------------------------- */

static const char *OTHER_NAMES[] = {"Via", "To", "From", "Call-ID",
		"Content-Type", "Conversation-I", "Conversation-IDs", "Contribution_ID",
		"InReplyTo-Contribution", "InReplyTo-Contribution-ID-x",
		"Conversation ID", "Contribution-ID:", "", "X-Conversation-ID",
		"Contribution-ID\r", "Conversation-ID\n", "InReplyTo Contribution-ID",
		"Contribution-IDContribution-ID", "CPM-Conversation-ID"};
#define N_OTHER_NAMES ((unsigned)(sizeof(OTHER_NAMES) / sizeof(OTHER_NAMES[0])))

#define MAX_FIELDS 12

static void gen_name(sbuf_t *b)
{
	const char *nm;
	int i, n;

	sb_reset(b);
	if(chance(5)) {
		gen_random(b, 40);
		return;
	}
	nm = chance(65) ? REF_NAMES[rn(CPMH_ID_COUNT)] : OTHER_NAMES[rn(N_OTHER_NAMES)];
	if(chance(15))
		for(i = rn(3) + 1; i > 0; i--)
			sb_putc(b, " \t"[rn(2)]);
	n = (int)strlen(nm);
	for(i = 0; i < n; i++)
		sb_putc(b, (chance(30) && isalpha((unsigned char)nm[i])) ? nm[i] ^ 0x20
																  : nm[i]);
	if(chance(15))
		for(i = rn(3) + 1; i > 0; i--)
			sb_putc(b, " \t"[rn(2)]);
	if(chance(2))
		sb_putc(b, '\0');
}

static void test_hdr_check(void **state)
{
	static sbuf_t nb, bb;
	cpmh_field_t f[MAX_FIELDS];
	char *names[MAX_FIELDS], *bodies[MAX_FIELDS];
	int it, n, i, max_len, cnt[CPMH_ID_COUNT], st[CPMH_ID_COUNT];
	int voff[CPMH_ID_COUNT], vlen[CPMH_ID_COUNT], rc, exp_rc, exp_bad;
	cpmh_check_t c1, c2;
	cpmh_id_t bad1, bad2, bad3;
	int rc2, rc3, tmpl;
	str v;

	begin("hdr_check", 3);
	for(it = 0; it < iters(N_HDR_CHECK); it++) {
		g_iter = it;
		n = chance(50) ? (int)rn(5) : (int)rn(MAX_FIELDS + 1);
		/* 30%: a CPM message (Conversation-ID, Contribution-ID, maybe
		 * InReplyTo first, mostly valid), then other fields */
		tmpl = chance(30) ? 2 + (int)rn(2) : 0;
		if(n < tmpl)
			n = tmpl;
		if(chance(3))
			max_len = -(int)rn(2); /* 0 or -1: every value malformed */
		else if(chance(50))
			max_len = (int[]){36, 256, 1024}[rn(3)];
		else
			max_len = 1 + rn(300);
		memset(cnt, 0, sizeof(cnt));
		memset(st, 0, sizeof(st));
		cpmh_check_init(&c1, max_len);
		for(i = 0; i < n; i++) {
			int id, off, len, why;
			gen_name(&nb);
			if(i < tmpl) {
				sb_reset(&nb);
				sb_puts(&nb, REF_NAMES[i]);
				if(chance(30))
					nb.b[rn(nb.n)] ^= 0x20 * chance(50);
			}
			names[i] = mk(nb.b, nb.n);
			f[i].name = (str){names[i], nb.n};
			if(chance(4)) {
				bodies[i] = NULL;
				f[i].body = (str){NULL, 0};
			} else {
				gen_hdr_body(&bb, max_len > 0 ? max_len : 36);
				if(chance(i < tmpl ? 90 : 65)) { /* mostly valid bodies */
					sb_reset(&bb);
					if(chance(30))
						sb_puts(&bb, LEAD_LWS[rn(5)]);
					gen_token(&bb, 1 + rn(60));
					if(chance(30))
						sb_puts(&bb, TRAIL_LWS[rn(7)]);
				}
				bodies[i] = mk(bb.b, bb.n);
				f[i].body = (str){bodies[i], bb.n};
			}
			/* model */
			id = ref_lookup(names[i], nb.n);
			rc = cpmh_check_add(&c1, &f[i].name, &f[i].body);
			CHECK(rc == (id >= 0), "add rc %d for name [%.*s] (ref id %d)", rc,
					nb.n, names[i], id);
			if(id >= 0 && cnt[id]++ == 0) {
				if(max_len <= 0) {
					why = RV_BADCHAR;
					off = len = 0;
				} else {
					why = ref_value(f[i].body.s ? f[i].body.s : "",
							f[i].body.len, max_len, &off, &len);
				}
				st[id] = why;
				voff[id] = off;
				vlen[id] = len;
			}
		}
		/* expected classification: Conversation-ID, Contribution-ID,
		 * InReplyTo; missing > duplicate > malformed */
		exp_rc = CPMH_CHECK_OK;
		exp_bad = CPMH_ID_NONE;
		if(cnt[0] + cnt[1] + cnt[2] == 0) {
			exp_rc = CPMH_CHECK_NONE;
		} else {
			for(i = 0; i < CPMH_ID_COUNT; i++) {
				if(cnt[i] == 0 && i == CPMH_ID_CONVERSATION_ID && cnt[1] > 0) {
					exp_rc = CPMH_CHECK_CONTRIB_ONLY; /* RCS 5.x dialect */
					continue;
				} else if(cnt[i] == 0 && i != CPMH_ID_INREPLYTO_CONTRIBUTION_ID)
					exp_rc = CPMH_CHECK_MISSING;
				else if(cnt[i] > 1)
					exp_rc = CPMH_CHECK_DUPLICATE;
				else if(cnt[i] == 1 && st[i] != 0)
					exp_rc = CPMH_CHECK_MALFORMED;
				else
					continue;
				exp_bad = i;
				break;
			}
		}
		rc = cpmh_check_result(&c1, &bad1);
		rc2 = cpmh_check_fields(f, n, max_len, &bad2, &c2);
		ST(rc == CPMH_CHECK_OK ? 0 : rc == CPMH_CHECK_CONTRIB_ONLY ? 5 : -rc);
		rc3 = cpmh_check_fields(f, n, max_len, &bad3, NULL);
		CHECK(rc == CPMH_CHECK_OK || rc == CPMH_CHECK_CONTRIB_ONLY
						|| rc == CPMH_CHECK_NONE
						|| rc == CPMH_CHECK_MISSING || rc == CPMH_CHECK_MALFORMED
						|| rc == CPMH_CHECK_DUPLICATE,
				"undocumented rc %d", rc);
		CHECK(rc == exp_rc && (int)bad1 == exp_bad,
				"rc %d/%d, model %d/%d (counts %d %d %d, status %d %d %d, "
				"max %d)",
				rc, bad1, exp_rc, exp_bad, cnt[0], cnt[1], cnt[2], st[0], st[1],
				st[2], max_len);
		CHECK(rc2 == rc && bad2 == bad1 && rc3 == rc && bad3 == bad1,
				"check_fields %d/%d %d/%d vs incremental %d/%d", rc2, bad2, rc3,
				bad3, rc, bad1);
		for(i = 0; i < CPMH_ID_COUNT; i++) {
			int r1, r2, j;
			CHECK(c1.slot[i].count == cnt[i], "count[%d] %d want %d", i,
					c1.slot[i].count, cnt[i]);
			r1 = cpmh_check_value(&c1, i, &v);
			r2 = cpmh_check_value(&c2, i, &(str){0, 0});
			CHECK(r1 == r2, "check_value paths differ");
			if(cnt[i] == 1 && st[i] == 0) {
				CHECK(r1 == 0, "check_value[%d] rc %d, model valid", i, r1);
				/* the value points into the first instance's body */
				for(j = 0; j < n; j++)
					if(ref_lookup(f[j].name.s, f[j].name.len) == i)
						break;
				CHECK(j < n && v.s == f[j].body.s + voff[i] && v.len == vlen[i],
						"check_value[%d] value differs", i);
			} else {
				CHECK(r1 == -ENOENT, "check_value[%d] rc %d want -ENOENT", i, r1);
			}
		}
		for(i = 0; i < n; i++) {
			free(names[i]);
			free(bodies[i]);
		}
	}
	stats("ok %d, contribution only %d, none %d, missing %d, malformed %d, duplicate %d", g_st[0], g_st[5], g_st[1], g_st[2], g_st[3], g_st[4]);
}

/* ======================================================================
 * cpmh_service
 */

#define SVC_MASK ((1u << CPMH_SVC_COUNT) - 1)
static const char ICSI_PREFIX[] = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.";
static const char *ICSI_SVC[] = {"msg", "largemsg", "session", "filetransfer",
		"deferred"}; /* CPMH_SVC_MSG..CPMH_SVC_DEFERRED */
static const int PRIO[CPMH_SVC_COUNT] = {CPMH_SVC_SESSION, CPMH_SVC_FILETRANSFER,
		CPMH_SVC_LARGEMSG, CPMH_SVC_DEFERRED, CPMH_SVC_MSG, CPMH_SVC_SIPIM};

static const seed_t SVC_SEEDS[] = {
		SEED("*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm."
			 "session\""),
		SEED("<sip:a@b;transport=tcp>;+g.oma.sip-im;expires=3600"),
		SEED("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"),
		SEED("*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm."
			 "filetransfer,urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm."
			 "largemsg\";require;explicit"),
		SEED("<sip:x;+g.oma.sip-im>;+g.oma.sip-im=\"FALSE\""),
		SEED("*;+G.3GPP.ICSI-REF=\"URN%3aURN-7%3a3GPP-SERVICE.IMS.ICSI.OMA.CPM."
			 "DEFERRED\""),
		SEED("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msgx"),
		SEED("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg%"),
		SEED("urn:urn-7:3gpp-service.ims.icsi.oma.cpm.largemsg.foo"),
		SEED("*;+g.3gpp.icsi-ref=\"a\\\"b\";+g.oma.sip-im=TRUE"),
		SEED("*;+g.3gpp.icsi-ref=urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm."
			 "session"),
		SEED(";;;=\"\\"),
};
#define N_SVC_SEEDS ((int)(sizeof(SVC_SEEDS) / sizeof(SVC_SEEDS[0])))

static void test_svc_random(void **state)
{
	static sbuf_t b;
	int it, kind, i;
	unsigned mask;
	cpmh_service_t p, want;
	char *in;

	begin("svc_random", 4);
	for(it = 0; it < iters(N_SVC_RANDOM); it++) {
		g_iter = it;
		if(chance(50))
			gen_random(&b, 600);
		else
			gen_from_seed(&b, SVC_SEEDS, N_SVC_SEEDS, 600);
		kind = rn(4); /* 3: not a valid kind */
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		mask = cpmh_service_scan(&(str){in, b.n}, (cpmh_svc_hdr_t)kind);
		CHECK((mask & ~SVC_MASK) == 0, "mask 0x%x outside 0x%x", mask, SVC_MASK);
		if(kind == CPMH_SVC_HDR_SERVICE)
			CHECK(!(mask & CPMH_SVC_BIT(CPMH_SVC_SIPIM)),
					"sip-im from a service URN header");
		if(kind > CPMH_SVC_HDR_SERVICE)
			CHECK(mask == 0, "mask 0x%x for an invalid kind", mask);
		want = CPMH_SVC_NONE;
		for(i = 0; i < CPMH_SVC_COUNT; i++)
			if(mask & (1u << PRIO[i])) {
				want = PRIO[i];
				break;
			}
		p = cpmh_service_pick(mask);
		ST(mask != 0);
		CHECK(p == want, "pick(0x%x) %d want %d", mask, p, want);
		free(in);
		g_in = NULL;
	}
	stats("non-empty masks %d", g_st[1]);
}

static const char URN_CHARS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
								"TUVWXYZ0123456789-._~+!*':@$";
/* decode to neither a URN char nor a hex digit */
static const char NONURN_SEP[] = " ,;<>\t\r\n/?=()";

static void put_pct(sbuf_t *b, unsigned char c)
{
	static const char hx[] = "0123456789abcdef", HX[] = "0123456789ABCDEF";
	const char *h = chance(50) ? hx : HX;

	sb_putc(b, '%');
	sb_putc(b, h[c >> 4]);
	sb_putc(b, h[c & 15]);
}

/* ICSI URN of svc in random case, chars %-encoded at random */
static void put_icsi(sbuf_t *b, int svc, int pct)
{
	char u[128];
	int i, n;

	n = snprintf(u, sizeof(u), "%s%s", ICSI_PREFIX, ICSI_SVC[svc]);
	for(i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if(isalpha(c) && chance(30))
			c ^= 0x20;
		if(chance(pct) || (pct == 100 && c == ':'))
			put_pct(b, c);
		else
			sb_putc(b, (char)c);
	}
}

/* terminator after the URN: positive (ends the URN) or negative (continues
 * it) */
static void put_term(sbuf_t *b, int positive, int may_end)
{
	if(positive) {
		if(may_end && chance(30))
			return;
		if(chance(25))
			put_pct(b, (unsigned char)NONURN_SEP[rn(sizeof(NONURN_SEP) - 1)]);
		else
			sb_putc(b, NONURN_SEP[rn(sizeof(NONURN_SEP) - 1)]);
	} else {
		unsigned char c = (unsigned char)URN_CHARS[rn(sizeof(URN_CHARS) - 1)];
		if(chance(25))
			put_pct(b, c);
		else
			sb_putc(b, (char)c);
	}
}

/* random text without the given characters */
static void put_text_without(sbuf_t *b, int max, const char *forbid)
{
	int i, n = rn(max + 1);
	char c;

	for(i = 0; i < n; i++) {
		do
			c = rchar();
		while(c != '\0' && strchr(forbid, c) != NULL);
		sb_putc(b, c);
	}
}

static void test_svc_insert(void **state)
{
	static sbuf_t b;
	int it, svc, kind, positive, i;
	unsigned mask, want;
	char *in;

	begin("svc_insert", 5);
	for(it = 0; it < iters(N_SVC_INSERT); it++) {
		g_iter = it;
		svc = rn(5);
		kind = rn(3);
		positive = chance(75);
		sb_reset(&b);
		if(kind == CPMH_SVC_HDR_SERVICE) {
			/* <random> <non-URN sep> URN <term> [<random>] */
			if(chance(70)) {
				put_text_without(&b, 80, "");
				if(chance(25))
					put_pct(&b, (unsigned char)NONURN_SEP[rn(sizeof(NONURN_SEP) - 1)]);
				else
					sb_putc(&b, NONURN_SEP[rn(sizeof(NONURN_SEP) - 1)]);
			}
			put_icsi(&b, svc, chance(30) ? 15 : 0);
			i = b.n;
			put_term(&b, positive, 1);
			if(b.n > i || !positive) /* only after a terminator */
				put_text_without(&b, 80, "");
		} else {
			/* <random, no quote/angle> ;tag="[junk,]URN<term>[junk]" <random> */
			put_text_without(&b, 80, "\"<");
			sb_putc(&b, ';');
			if(chance(20))
				sb_putc(&b, " \t"[rn(2)]);
			for(i = 0; i < 16; i++) {
				char c = "+g.3gpp.icsi-ref"[i];
				sb_putc(&b, (isalpha((unsigned char)c) && chance(30)) ? c ^ 0x20 : c);
			}
			if(chance(20))
				sb_putc(&b, ' ');
			sb_putc(&b, '=');
			if(chance(20))
				sb_putc(&b, ' ');
			sb_putc(&b, '"');
			if(chance(30)) {
				put_text_without(&b, 30, "\"\\");
				sb_putc(&b, ',');
			}
			put_icsi(&b, svc, chance(50) ? 100 : 15);
			i = b.n;
			put_term(&b, positive, 1);
			if(b.n > i || !positive)
				put_text_without(&b, 30, "\"\\");
			sb_putc(&b, '"');
			put_text_without(&b, 80, "");
		}
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		mask = cpmh_service_scan(&(str){in, b.n}, (cpmh_svc_hdr_t)kind);
		want = positive ? CPMH_SVC_BIT(svc) : 0;
		ST(positive);
		CHECK(mask == want, "kind %d: mask 0x%x want 0x%x (%s, %s)", kind, mask,
				want, ICSI_SVC[svc], positive ? "ended" : "continued");
		free(in);
		g_in = NULL;
	}
	stats("detected %d, correctly rejected %d", g_st[1], g_st[0]);
}

/* ======================================================================
 * Accept-Language
 */

static int ref_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ref_alnum(unsigned char c)
{
	return ref_alpha(c) || (c >= '0' && c <= '9');
}

/* 1*8ALPHA *("-" 1*8alphanum), at most CPMW_TAG_MAX */
static int ref_tag_valid(const char *s, int len)
{
	int i = 0, n;

	if(len <= 0 || len > CPMW_TAG_MAX)
		return 0;
	for(n = 0; i < len && ref_alpha(s[i]); i++)
		n++;
	if(n < 1 || n > 8)
		return 0;
	while(i < len) {
		if(s[i++] != '-')
			return 0;
		for(n = 0; i < len && ref_alnum(s[i]); i++)
			n++;
		if(n < 1 || n > 8)
			return 0;
	}
	return 1;
}

static void gen_tag(sbuf_t *b)
{
	int i, n, k, start = b->n;
	static const char al[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const char an[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	do {
		b->n = start;
		n = chance(70) ? 2 : 1 + rn(8);
		for(i = 0; i < n; i++)
			sb_putc(b, al[rn(sizeof(al) - 1)]);
		for(k = chance(50) ? 0 : 1 + rn(3); k > 0; k--) {
			sb_putc(b, '-');
			n = chance(60) ? 2 : 1 + rn(8);
			for(i = 0; i < n; i++)
				sb_putc(b, an[rn(sizeof(an) - 1)]);
		}
	} while(b->n - start > CPMW_TAG_MAX);
}

static void put_lws(sbuf_t *b)
{
	static const char *w[] = {"", "", "", " ", "  ", "\t", "\r\n ", " \t"};
	sb_puts(b, w[rn(8)]);
}

/* qvalue text of q (thousandths) in one of its valid spellings */
static void put_qvalue(sbuf_t *b, int q)
{
	char d[4];
	int m, c;

	if(q == 1000) {
		static const char *one[] = {"1", "1.", "1.0", "1.00", "1.000"};
		sb_puts(b, one[rn(5)]);
		return;
	}
	snprintf(d, sizeof(d), "%03d", q);
	m = 3;
	while(m > 0 && d[m - 1] == '0')
		m--;
	c = m + rn(4 - m);
	sb_putc(b, '0');
	if(c > 0 || chance(30))
		sb_putc(b, '.');
	sb_putn(b, d, c);
}

static void put_generic_param(sbuf_t *b)
{
	static const char *gp[] = {"level=1", "foo", "x=\"a,b\\\"c\"", "y=[::1]",
			"z=tok.en", "qq=0.5", "x=\"\"", "p=a:b"};
	put_lws(b);
	sb_putc(b, ';');
	put_lws(b);
	sb_puts(b, gp[rn(8)]);
}

#define AL_MAXGEN 24

static const seed_t AL_SEEDS[] = {
		SEED("fr;q=0.5, de-DE;q=0.9, *;q=0"), SEED("en-US, en;q=0.8"),
		SEED("da, en-gb;q=0.8, en;q=0.7"), SEED("de;foo=\"a,b\\\"c\";q=0.3"),
		SEED("*"), SEED(",,, ,"), SEED("de;q=1.0001"), SEED("de;q=2"),
		SEED("de;q=0.5;q=0.6"), SEED("toolongtag-x"), SEED("de-"),
		SEED("de;level=\"unterminated"), SEED("x-klingon;Q=0.250"),
		SEED("abcdefgh-12345678-abcdefgh-12345678"), SEED("de ; q = 0.5 , fr"),
		SEED("\r\n de"),
};
#define N_AL_SEEDS ((int)(sizeof(AL_SEEDS) / sizeof(AL_SEEDS[0])))

static void al_check_roundtrip(const cpmw_lang_range_t *r, int n)
{
	char big[1024], *buf;
	int len, rc, i, n2;
	cpmw_lang_range_t *r2;

	len = cpmw_accept_lang_print(r, n, big, sizeof(big));
	CHECK(len >= 0 && len < (int)sizeof(big), "print rc %d", len);
	CHECK((int)strlen(big) == len, "print not NUL terminated at its length");
	/* exact buffer: same result; one byte less: -ENOSPC, empty string */
	buf = malloc(len + 1);
	rc = cpmw_accept_lang_print(r, n, buf, len + 1);
	CHECK(rc == len && memcmp(buf, big, len + 1) == 0, "exact print rc %d", rc);
	free(buf);
	if(len > 0) {
		buf = malloc(len);
		rc = cpmw_accept_lang_print(r, n, buf, len);
		CHECK(rc == -ENOSPC && buf[0] == '\0', "short print rc %d", rc);
		free(buf);
	}
	/* re-parse an exact copy */
	buf = mk(big, len);
	r2 = malloc(sizeof(*r2) * (n > 0 ? n : 1));
	n2 = 0;
	rc = cpmw_accept_lang_parse(&(str){buf, len}, r2, n, &n2);
	CHECK(rc == 0, "reparse of [%s] rc %d", big, rc);
	CHECK(n2 == n, "reparse of [%s]: %d ranges want %d", big, n2, n);
	for(i = 0; i < n; i++) {
		CHECK(r2[i].tag.len == r[i].tag.len
						&& memcmp(r2[i].tag.s, r[i].tag.s, r[i].tag.len) == 0,
				"reparse range %d tag [%.*s] want [%.*s]", i, r2[i].tag.len,
				r2[i].tag.s, r[i].tag.len, r[i].tag.s);
		CHECK(r2[i].q == r[i].q, "reparse range %d q %d want %d (printed [%s])",
				i, r2[i].q, r[i].q, big);
	}
	free(r2);
	free(buf);
}

/* generated valid lists parse to exactly their model */
static void test_al_generated(void **state)
{
	static sbuf_t b;
	int it, k, i, max, n, rc, exp_n, hasq;
	int toff[AL_MAXGEN], tlen[AL_MAXGEN], q[AL_MAXGEN];
	cpmw_lang_range_t *r;
	char *in;

	begin("al_generated", 6);
	for(it = 0; it < iters(N_AL_GEN); it++) {
		g_iter = it;
		k = chance(80) ? (int)rn(CPMW_MAX_RANGES + 1) : (int)rn(AL_MAXGEN + 1);
		max = chance(70) ? CPMW_MAX_RANGES : (int)rn(CPMW_MAX_RANGES + 1);
		sb_reset(&b);
		for(i = 0; i < k; i++) {
			if(i > 0 || chance(10)) {
				put_lws(&b);
				sb_putc(&b, ',');
				if(chance(10)) { /* an empty element */
					put_lws(&b);
					sb_putc(&b, ',');
				}
			}
			put_lws(&b);
			toff[i] = b.n;
			if(chance(10))
				sb_putc(&b, '*');
			else
				gen_tag(&b);
			tlen[i] = b.n - toff[i];
			hasq = chance(60);
			q[i] = hasq ? (chance(20) ? (int)(rn(2) * 1000) : (int)rn(1001)) : 1000;
			if(chance(20))
				put_generic_param(&b);
			if(hasq) {
				put_lws(&b);
				sb_putc(&b, ';');
				put_lws(&b);
				sb_putc(&b, chance(20) ? 'Q' : 'q');
				put_lws(&b);
				sb_putc(&b, '=');
				put_lws(&b);
				put_qvalue(&b, q[i]);
			}
			if(chance(20))
				put_generic_param(&b);
			put_lws(&b);
		}
		if(chance(10))
			sb_putc(&b, ',');
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		r = malloc(sizeof(*r) * (max > 0 ? max : 1));
		n = 0;
		rc = cpmw_accept_lang_parse(&(str){in, b.n}, r, max, &n);
		exp_n = k < max ? k : max;
		CHECK(rc == (k > max ? -E2BIG : 0), "rc %d (k %d max %d)", rc, k, max);
		CHECK(n == exp_n, "n %d want %d", n, exp_n);
		for(i = 0; i < n; i++) {
			CHECK(r[i].tag.s == in + toff[i] && r[i].tag.len == tlen[i],
					"range %d tag [%.*s] want [%.*s]", i, r[i].tag.len,
					r[i].tag.s, tlen[i], in + toff[i]);
			CHECK(r[i].q == q[i], "range %d q %d want %d", i, r[i].q, q[i]);
		}
		if(rc == 0)
			al_check_roundtrip(r, n);
		ST(rc == 0 ? 0 : 1);
		free(r);
		free(in);
		g_in = NULL;
	}
	stats("exact+round trip %d, -E2BIG %d", g_st[0], g_st[1]);
}

static void test_al_random(void **state)
{
	static sbuf_t b;
	int it, i, max, n0, n, rc;
	cpmw_lang_range_t *r;
	char *in;
	static char sentinel[] = "sentinel";

	begin("al_random", 7);
	for(it = 0; it < iters(N_AL_RANDOM); it++) {
		g_iter = it;
		if(chance(40))
			gen_random(&b, 600);
		else
			gen_from_seed(&b, AL_SEEDS, N_AL_SEEDS, 600);
		max = chance(60) ? CPMW_MAX_RANGES : (int)rn(CPMW_MAX_RANGES + 1);
		n0 = (max > 0 && chance(20)) ? (int)rn(max + 1) : 0;
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		r = malloc(sizeof(*r) * (max > 0 ? max : 1));
		for(i = 0; i < n0; i++) {
			r[i].tag = (str){sentinel, 8};
			r[i].q = 123;
		}
		n = n0;
		rc = cpmw_accept_lang_parse(&(str){in, b.n}, r, max, &n);
		CHECK(rc == 0 || rc == -EINVAL || rc == -E2BIG, "rc %d", rc);
		CHECK(n >= n0 && n <= max, "n %d (n0 %d max %d)", n, n0, max);
		for(i = 0; i < n0; i++)
			CHECK(r[i].tag.s == sentinel && r[i].q == 123,
					"range %d before *n was changed", i);
		for(i = n0; i < n; i++) {
			CHECK(inside(r[i].tag.s, r[i].tag.len, in, b.n),
					"range %d tag outside the input", i);
			CHECK((r[i].tag.len == 1 && r[i].tag.s[0] == '*')
							|| ref_tag_valid(r[i].tag.s, r[i].tag.len),
					"range %d tag [%.*s] invalid", i, r[i].tag.len, r[i].tag.s);
			CHECK(r[i].q >= 0 && r[i].q <= 1000, "range %d q %d", i, r[i].q);
		}
		if(rc == 0)
			al_check_roundtrip(r + n0, n - n0);
		ST(rc == 0 ? (n > n0 ? 0 : 1) : rc == -EINVAL ? 2 : 3);
		free(r);
		free(in);
		g_in = NULL;
	}
	stats("round trips with ranges %d, empty %d, -EINVAL %d, -E2BIG %d", g_st[0], g_st[1], g_st[2], g_st[3]);
}

/* ======================================================================
 * Warning value
 */

static const int T1[CPMW_NCODES] = {102, 105, 119, 122, 123, 125, 127, 129, 132};
static const char *T1_EN[CPMW_NCODES] = {"Too many participants",
		"Isfocus already assigned", "Anonymity not allowed",
		"Function not allowed", "Session does not exist", "No messages",
		"Service not authorised", "No destinations", "Version not supported"};

static int ref_host_char(unsigned char c)
{
	return ref_token_char(c) || c == '[' || c == ']' || c == ':';
}

static void gen_host(sbuf_t *b)
{
	static const char *hosts[] = {"pf.example.com", "[2001:db8::1]:5060",
			"192.0.2.1", "cf", "h:5061", "a.b.c.d.e.f"};
	static const char hc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
							 "0123456789-.!%*_+`'~[]:";
	int i, n;

	sb_reset(b);
	if(chance(20)) {
		sb_puts(b, hosts[rn(6)]);
		return;
	}
	n = chance(75) ? 1 + rn(30) : 1 + rn(CPMW_HOST_MAX);
	for(i = 0; i < n; i++)
		sb_putc(b, hc[rn(sizeof(hc) - 1)]);
}

/* one valid UTF-8 sequence (no surrogates, no C0/DEL; C1 allowed) */
static void put_utf8(sbuf_t *b)
{
	unsigned cp;
	char u[4];

	switch(rn(3)) {
		case 0:
			/* from U+00A0: U+0080..U+009F are C1 controls, refused */
			cp = 0xa0 + rn(0x800 - 0xa0);
			u[0] = (char)(0xc0 | (cp >> 6));
			u[1] = (char)(0x80 | (cp & 0x3f));
			sb_putn(b, u, 2);
			break;
		case 1:
			do
				cp = 0x800 + rn(0x10000 - 0x800);
			while(cp >= 0xd800 && cp <= 0xdfff);
			u[0] = (char)(0xe0 | (cp >> 12));
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[2] = (char)(0x80 | (cp & 0x3f));
			sb_putn(b, u, 3);
			break;
		default:
			cp = 0x10000 + rn(0x110000 - 0x10000);
			u[0] = (char)(0xf0 | (cp >> 18));
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[3] = (char)(0x80 | (cp & 0x3f));
			sb_putn(b, u, 4);
	}
}

/* printable text: ASCII 0x20..0x7e (quotes and backslashes favoured) and
 * UTF-8; at most max bytes */
static void gen_text(sbuf_t *b, int max, int allow_edge_space)
{
	int n = chance(70) ? rn(40) : rn(max + 1), start = b->n;

	while(b->n - start < n) {
		int r = rn(10);
		if(r == 0)
			sb_putc(b, '"');
		else if(r == 1)
			sb_putc(b, '\\');
		else if(r == 2 && b->n - start + 4 <= max)
			put_utf8(b);
		else if(r == 3)
			sb_putc(b, ' ');
		else
			sb_putc(b, (char)(0x21 + rn(0x7f - 0x21)));
	}
	if(b->n - start > max)
		b->n = start + max;
	if(!allow_edge_space) {
		while(b->n > start && b->b[b->n - 1] == ' ')
			b->n--;
		if(b->n > start && b->b[start] == ' ')
			b->b[start] = '_';
	}
}

static int ref_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static void put_escaped(sbuf_t *b, const char *s, int n)
{
	int i;

	for(i = 0; i < n; i++) {
		if(s[i] == '"' || s[i] == '\\')
			sb_putc(b, '\\');
		sb_putc(b, s[i]);
	}
}

static void test_warning_roundtrip(void **state)
{
	static sbuf_t hb, tb, exp, in;
	int it, code, ci, rc, L, wcode, tlen, tsize, need, agent_off;
	int bad_text, bad_host, bad_code;
	char *buf, *text, *inp, num[8];
	str host, txt, agent;

	begin("warning_roundtrip", 8);
	for(it = 0; it < iters(N_WARN_RT); it++) {
		g_iter = it;
		gen_host(&hb);
		sb_reset(&tb);
		gen_text(&tb, 200, 1);
		ci = rn(CPMW_NCODES);
		code = T1[ci];
		bad_text = bad_host = bad_code = 0;
		if(chance(5)) { /* a control character in the text */
			char c = chance(20) ? 0x7f : (char)rn(0x20);
			int pos = rn(tb.n + 1);
			memmove(tb.b + pos + 1, tb.b + pos, tb.n - pos);
			tb.b[pos] = c;
			tb.n++;
			bad_text = 1;
		} else if(chance(5)) { /* a non-host character in the host */
			static const char nh[] = " \"\\,;/<>@\t\x80\xff";
			hb.b[rn(hb.n)] = (chance(10)) ? '\0' : nh[rn(sizeof(nh) - 1)];
			bad_host = 1;
		} else if(chance(3)) {
			code = (int)rn(1000);
			bad_code = cpmw_code_index(code) < 0;
			for(ci = 0; ci < CPMW_NCODES && T1[ci] != code; ci++)
				;
			CHECK(bad_code == (ci == CPMW_NCODES), "code_index(%d)", code);
		}
		if(chance(3) && hb.n <= CPMW_HOST_MAX) { /* host too long */
			while(hb.n <= CPMW_HOST_MAX)
				sb_putc(&hb, 'h');
			bad_host = 1;
		}
		host.s = mk(hb.b, hb.n);
		host.len = hb.n;
		txt.s = mk(tb.b, tb.n);
		txt.len = tb.n;
		g_in = txt.s;
		g_inlen = txt.len;

		/* expected output, built here */
		snprintf(num, sizeof(num), "%03d", code);
		sb_reset(&exp);
		sb_puts(&exp, "399 ");
		sb_putn(&exp, hb.b, hb.n);
		sb_puts(&exp, " \"");
		sb_puts(&exp, num);
		sb_putc(&exp, ' ');
		put_escaped(&exp, tb.b, tb.n);
		sb_putc(&exp, '"');
		L = exp.n;

		buf = malloc(L + 1);
		rc = cpmw_warning_value_print(buf, L + 1, &host, code, &txt);
		if(bad_host || bad_text) {
			CHECK(rc == -EINVAL && buf[0] == '\0', "print rc %d want -EINVAL",
					rc);
		} else if(bad_code) {
			/* cpm_warn.h documents only -ENOSPC/-EINVAL for the printer */
			CHECK((rc == -ENOENT || rc == -EINVAL) && buf[0] == '\0',
					"print rc %d for code %d", rc, code);
		} else {
			CHECK(rc == L, "print rc %d want %d", rc, L);
			CHECK(memcmp(buf, exp.b, L) == 0 && buf[L] == '\0',
					"printed [%s] want [%.*s]", buf, L, exp.b);
		}
		free(buf);
		ST(bad_host || bad_text || bad_code);
		if(bad_host || bad_text || bad_code)
			goto next;

		/* one byte short */
		buf = malloc(L);
		rc = cpmw_warning_value_print(buf, L, &host, code, &txt);
		CHECK(rc == -ENOSPC && buf[0] == '\0', "short print rc %d", rc);
		free(buf);
		/* the header line, exact size */
		buf = malloc(L + 12);
		rc = cpmw_warning_hdr_print(buf, L + 12, &host, code, &txt);
		CHECK(rc == L + 11 && memcmp(buf, "Warning: ", 9) == 0
						&& memcmp(buf + 9, exp.b, L) == 0
						&& memcmp(buf + 9 + L, "\r\n", 3) == 0,
				"hdr print rc %d", rc);
		free(buf);

		/* parse back: optional LWS around and before the quote */
		sb_reset(&in);
		if(chance(20))
			put_lws(&in);
		agent_off = in.n + 4;
		sb_putn(&in, exp.b, 4 + hb.n + 1); /* "399 host " */
		if(chance(20))
			sb_puts(&in, (const char *[]){" ", "\t", "\r\n "}[rn(3)]);
		sb_putn(&in, exp.b + 4 + hb.n + 1, L - (4 + hb.n + 1));
		if(chance(20))
			put_lws(&in);
		inp = mk(in.b, in.n);
		g_in = inp;
		g_inlen = in.n;
		need = 4 + tb.n + 1;
		tsize = chance(70) ? need + (int)rn(3) : (int)rn(need);
		text = malloc(tsize);
		tlen = -1;
		wcode = -1;
		rc = cpmw_warning_value_parse(&(str){inp, in.n}, &wcode, &agent, text,
				tsize, &tlen);
		ST(tsize >= need ? 2 : 3);
		if(tsize >= need) {
			CHECK(rc == 0, "parse rc %d", rc);
			CHECK(wcode == 399, "wcode %d", wcode);
			CHECK(agent.s == inp + agent_off && agent.len == hb.n,
					"agent [%.*s] want [%.*s]", agent.len, agent.s, hb.n, hb.b);
			CHECK(tlen == need - 1 && memcmp(text, num, 3) == 0 && text[3] == ' '
							&& memcmp(text + 4, tb.b, tb.n) == 0
							&& text[tlen] == '\0',
					"text (%d) [%s] want [%s %.*s]", tlen, text, num, tb.n, tb.b);
		} else {
			CHECK(rc == -ENOSPC, "parse rc %d with tsize %d < %d", rc, tsize,
					need);
			CHECK(tlen == 0 || tsize == 0, "tlen %d after -ENOSPC", tlen);
			if(tsize > 0)
				CHECK(text[0] == '\0', "text not emptied after -ENOSPC");
		}
		free(text);
		free(inp);
	next:
		free(host.s);
		free(txt.s);
		g_in = NULL;
	}
	stats("round trips %d, short text buffer %d, refused bad input %d", g_st[2], g_st[3], g_st[1]);
}

static const seed_t WARN_SEEDS[] = {
		SEED("399 host \"127 Service not authorised\""),
		SEED("399 [2001:db8::1]:5060 \"127 \\\"quoted\\\" \\\\ back\""),
		SEED("399 pf.example.com \"123 Sitzung existiert nicht\" "),
		SEED("  399 h\t\"x\""), SEED("399 h \"unterminated"),
		SEED("399 h \"a\"b\""), SEED("39 h \"x\""), SEED("399  h \"x\""),
		SEED("399 h \"\xc3\xa4\""), SEED("399 h \"\\\x80\""),
		SEED("399 h \"a\\\""), SEED("399 h \r\n \"x\""), SEED("399 h \"\\\0\""),
		SEED("399 h \"\""), SEED("399 h"), SEED("399"),
};
#define N_WARN_SEEDS ((int)(sizeof(WARN_SEEDS) / sizeof(WARN_SEEDS[0])))

static void test_warning_random(void **state)
{
	static sbuf_t b;
	int it, rc, tsize, wcode, tlen, i;
	char *in, *text;
	str agent;

	begin("warning_random", 9);
	for(it = 0; it < iters(N_WARN_RANDOM); it++) {
		g_iter = it;
		if(chance(30))
			gen_random(&b, 600);
		else
			gen_from_seed(&b, WARN_SEEDS, N_WARN_SEEDS, 600);
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		tsize = chance(70) ? (int)rn(300) : (int)rn(8);
		text = malloc(tsize);
		wcode = -1;
		tlen = -1;
		agent.s = NULL;
		agent.len = -1;
		rc = cpmw_warning_value_parse(&(str){in, b.n}, &wcode, &agent, text,
				tsize, &tlen);
		CHECK(rc == 0 || rc == -EINVAL || rc == -ENOSPC, "rc %d", rc);
		ST(rc == 0 ? 0 : rc == -EINVAL ? 1 : 2);
		if(tsize == 0)
			CHECK(rc == -ENOSPC, "rc %d with tsize 0", rc);
		if(rc == 0) {
			CHECK(wcode >= 0 && wcode <= 999, "wcode %d", wcode);
			CHECK(inside(agent.s, agent.len, in, b.n), "agent outside the input");
			CHECK(agent.len >= 1 && agent.len <= CPMW_HOST_MAX, "agent len %d",
					agent.len);
			for(i = 0; i < agent.len; i++)
				CHECK(ref_host_char((unsigned char)agent.s[i]),
						"agent char 0x%02x", (unsigned char)agent.s[i]);
			CHECK(tlen >= 0 && tlen < tsize, "tlen %d tsize %d", tlen, tsize);
			CHECK(text[tlen] == '\0', "text not NUL terminated");
		} else if(tsize > 0 && rc != -EINVAL) {
			CHECK(text[0] == '\0' && tlen == 0, "output not reset on error");
		}
		free(text);
		free(in);
		g_in = NULL;
	}
	stats("parsed %d, -EINVAL %d, -ENOSPC %d", g_st[0], g_st[1], g_st[2]);
}

/* ======================================================================
 * Translation catalogue and language selection
 */

/* strict UTF-8 (no overlong forms, no surrogates, <= U+10FFFF) */
static int ref_utf8(const unsigned char *s, int n)
{
	int i = 0, k, need;
	unsigned cp, min;

	while(i < n) {
		if(s[i] < 0x80) {
			i++;
			continue;
		}
		if(s[i] >= 0xc2 && s[i] <= 0xdf)
			need = 1, cp = s[i] & 0x1f, min = 0x80;
		else if(s[i] >= 0xe0 && s[i] <= 0xef)
			need = 2, cp = s[i] & 0x0f, min = 0x800;
		else if(s[i] >= 0xf0 && s[i] <= 0xf4)
			need = 3, cp = s[i] & 0x07, min = 0x10000;
		else
			return 0;
		if(n - i - 1 < need)
			return 0;
		for(k = 1; k <= need; k++) {
			if((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if(cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		if(cp >= 0x80 && cp <= 0x9f) /* C1 control */
			return 0;
		i += need + 1;
	}
	return 1;
}

typedef struct mlang {
	char tag[CPMW_TAG_MAX + 1];
	int tlen;
	int first; /* order of first appearance, -1 = no entry */
	int has[CPMW_NCODES];
	char text[CPMW_NCODES][CPMW_TEXT_MAX];
	int txlen[CPMW_NCODES];
} mlang_t;

#define MODEL_MAX 34
static mlang_t model[MODEL_MAX];
static int model_n;

static void put_wsp(sbuf_t *b, int min)
{
	int i, n = min + rn(3);
	for(i = 0; i < n; i++)
		sb_putc(b, " \t"[rn(2)]);
}

static void put_comment_or_blank(sbuf_t *b)
{
	int i, n;

	switch(rn(3)) {
		case 0:
			put_wsp(b, 0);
			sb_putc(b, '#');
			n = rn(40);
			for(i = 0; i < n; i++) {
				char c = rchar();
				sb_putc(b, c == '\n' ? ' ' : c);
			}
			break;
		case 1:
			put_wsp(b, 0);
			break;
		default:
			break;
	}
	sb_puts(b, chance(20) ? "\r\n" : "\n");
}

/* a valid translations file and its model; nl languages */
static void gen_catalog(sbuf_t *b, int nl)
{
	static sbuf_t t;
	int ent[MODEL_MAX * CPMW_NCODES], ne = 0, i, j, k, tmp, order = 0;

	model_n = 0;
	for(i = 0; i < nl && i < MODEL_MAX; i++) {
		mlang_t *m = &model[model_n];
		sb_reset(&t);
		gen_tag(&t);
		for(j = 0; j < t.n; j++)
			t.b[j] = (char)tolower((unsigned char)t.b[j]);
		if(ci_eq(t.b, t.n, "en", 2))
			continue;
		for(j = 0; j < model_n; j++)
			if(ci_eq(t.b, t.n, model[j].tag, model[j].tlen))
				break;
		if(j < model_n)
			continue;
		memcpy(m->tag, t.b, t.n);
		m->tlen = t.n;
		m->first = -1;
		for(k = 0; k < CPMW_NCODES; k++) {
			m->has[k] = chance(50);
			if(!m->has[k])
				continue;
			sb_reset(&t);
			gen_text(&t, CPMW_TEXT_MAX, 0);
			if(t.n == 0)
				sb_putc(&t, 'x');
			memcpy(m->text[k], t.b, t.n);
			m->txlen[k] = t.n;
			ent[ne++] = model_n * CPMW_NCODES + k;
		}
		model_n++;
	}
	for(i = ne - 1; i > 0; i--) { /* shuffle the entries */
		j = rn(i + 1);
		tmp = ent[i];
		ent[i] = ent[j];
		ent[j] = tmp;
	}
	sb_reset(b);
	for(i = 0; i < ne; i++) {
		mlang_t *m = &model[ent[i] / CPMW_NCODES];
		k = ent[i] % CPMW_NCODES;
		if(m->first < 0)
			m->first = order++;
		if(chance(20))
			put_comment_or_blank(b);
		put_wsp(b, 0);
		for(j = 0; j < m->tlen; j++)
			sb_putc(b, chance(20) ? toupper((unsigned char)m->tag[j]) : m->tag[j]);
		put_wsp(b, 1);
		{
			char num[8];
			snprintf(num, sizeof(num), "%03d", T1[k]);
			sb_puts(b, num);
		}
		put_wsp(b, 1);
		sb_putn(b, m->text[k], m->txlen[k]);
		if(chance(20))
			put_wsp(b, 1);
		if(i < ne - 1 || chance(70))
			sb_puts(b, chance(20) ? "\r\n" : "\n");
	}
}

/* properties of any successfully parsed catalogue */
static void check_catalog(const cpmw_catalog_t *cat, int len)
{
	int i, j, k;

	CHECK(cat->dlen == len, "dlen %d want %d", cat->dlen, len);
	CHECK(cat->nlangs >= 0 && cat->nlangs <= CPMW_MAX_LANGS, "nlangs %d",
			cat->nlangs);
	for(i = 0; i < cat->nlangs; i++) {
		const cpmw_lang_t *l = &cat->lang[i];
		CHECK(inside(l->tag.s, l->tag.len, cat->data, cat->dlen),
				"lang %d tag outside the data", i);
		CHECK(ref_tag_valid(l->tag.s, l->tag.len), "lang %d tag [%.*s]", i,
				l->tag.len, l->tag.s);
		CHECK(!ci_eq(l->tag.s, l->tag.len, "en", 2), "lang 'en' loaded");
		for(j = 0; j < l->tag.len; j++)
			CHECK(!(l->tag.s[j] >= 'A' && l->tag.s[j] <= 'Z'),
					"tag [%.*s] not lower case", l->tag.len, l->tag.s);
		for(j = 0; j < i; j++)
			CHECK(!ci_eq(l->tag.s, l->tag.len, cat->lang[j].tag.s,
						  cat->lang[j].tag.len),
					"lang %d and %d have the same tag", j, i);
		for(k = 0; k < CPMW_NCODES; k++) {
			const str *t = &l->text[k];
			if(t->s == NULL)
				continue;
			CHECK(t->len >= 1 && t->len <= CPMW_TEXT_MAX, "text len %d",
					t->len);
			CHECK(inside(t->s, t->len, cat->data, cat->dlen),
					"text outside the data");
			for(j = 0; j < t->len; j++)
				CHECK(!ref_ctl((unsigned char)t->s[j]),
						"control char 0x%02x in text [%.*s]",
						(unsigned char)t->s[j], t->len, t->s);
			CHECK(ref_utf8((const unsigned char *)t->s, t->len),
					"text not valid UTF-8");
		}
	}
}

/* random ranges biased towards the catalogue's tags */
static int gen_ranges(const cpmw_catalog_t *cat, cpmw_lang_range_t *r, int k,
		sbuf_t *store)
{
	int i, j, off;

	sb_reset(store);
	for(i = 0; i < k; i++) {
		off = store->n;
		switch(rn(6)) {
			case 0:
			case 1:
				if(cat && cat->nlangs > 0) {
					const str *t = &cat->lang[rn(cat->nlangs)].tag;
					for(j = 0; j < t->len; j++)
						sb_putc(store, chance(30) ? toupper((unsigned char)t->s[j])
												  : t->s[j]);
					if(chance(30))
						sb_puts(store, "-xx");
					else if(chance(30) && memchr(t->s, '-', t->len))
						store->n = off + (int)((char *)memchr(t->s, '-', t->len)
												- t->s);
					break;
				}
				/* fall through */
			case 2:
				sb_puts(store, (const char *[]){"en", "EN-gb", "en-US"}[rn(3)]);
				break;
			case 3:
				sb_putc(store, '*');
				break;
			default:
				gen_tag(store);
		}
		r[i].tag.len = store->n - off;
		r[i].q = chance(20) ? 0 : chance(30) ? 1000 : (int)rn(1001);
		/* offsets for now: the store may not move, it is static */
		r[i].tag.s = store->b + off;
	}
	return k;
}

static void check_select(const cpmw_catalog_t *cat)
{
	static sbuf_t store, dl;
	cpmw_lang_range_t *r;
	cpmw_choice_t ch;
	str def, *pdef;
	int round, k, ci, rc, li, expect_enoent, j;

	for(round = 0; round < 2; round++) {
		k = rn(6);
		r = malloc(sizeof(*r) * (k > 0 ? k : 1));
		gen_ranges(cat, r, k, &store);
		sb_reset(&dl);
		pdef = &def;
		expect_enoent = 0;
		switch(rn(5)) {
			case 0:
				pdef = NULL;
				break;
			case 1:
				sb_puts(&dl, chance(50) ? "en" : "EN");
				break;
			case 2:
			case 3:
				if(cat && cat->nlangs > 0) {
					const str *t = &cat->lang[rn(cat->nlangs)].tag;
					for(j = 0; j < t->len; j++)
						sb_putc(&dl, chance(30) ? toupper((unsigned char)t->s[j])
												: t->s[j]);
					break;
				}
				/* fall through */
			default:
				gen_tag(&dl);
				expect_enoent = !ci_eq(dl.b, dl.n, "en", 2)
								&& cpmw_catalog_find(cat, &(str){dl.b, dl.n}) < 0;
		}
		def.s = dl.b;
		def.len = dl.n;
		for(ci = 0; ci < CPMW_NCODES; ci++) {
			memset(&ch, 0, sizeof(ch));
			rc = cpmw_select(cat, pdef, T1[ci], r, k, &ch);
			if(expect_enoent) {
				CHECK(rc == -ENOENT, "select rc %d for unknown default [%.*s]",
						rc, dl.n, dl.b);
				continue;
			}
			CHECK(rc == 0, "select rc %d (code %d)", rc, T1[ci]);
			CHECK(ch.text.s != NULL && ch.text.len > 0
							&& ch.text.len <= CPMW_TEXT_MAX,
					"no text for code %d", T1[ci]);
			CHECK(ch.lang.s != NULL && ch.lang.len > 0, "no language");
			if(ci_eq(ch.lang.s, ch.lang.len, "en", 2)) {
				CHECK(ch.text.len == (int)strlen(T1_EN[ci])
								&& memcmp(ch.text.s, T1_EN[ci], ch.text.len) == 0,
						"'en' with text [%.*s]", ch.text.len, ch.text.s);
			} else {
				li = cpmw_catalog_find(cat, &ch.lang);
				CHECK(li >= 0, "chosen language [%.*s] not in the catalogue",
						ch.lang.len, ch.lang.s);
				CHECK(ch.text.s == cat->lang[li].text[ci].s
								&& ch.text.len == cat->lang[li].text[ci].len,
						"text is not the catalogue's text for [%.*s] %d",
						ch.lang.len, ch.lang.s, T1[ci]);
			}
			/* a single exact range with q > 0 for a language that has the
			 * text, and no catalogue language extending its tag: chosen */
			if(k == 1 && r[0].q > 0 && cat != NULL
					&& (li = cpmw_catalog_find(cat, &r[0].tag)) >= 0
					&& cat->lang[li].text[ci].s != NULL) {
				int ext = 0;
				const str *lt = &cat->lang[li].tag;
				for(j = 0; j < cat->nlangs; j++) {
					const str *o = &cat->lang[j].tag;
					if(o->len > lt->len && o->s[lt->len] == '-'
							&& ci_eq(o->s, lt->len, lt->s, lt->len))
						ext = 1;
				}
				if(!ext)
					CHECK(ch.text.s == cat->lang[li].text[ci].s,
							"range [%.*s];q=%d not honoured: got [%.*s]",
							r[0].tag.len, r[0].tag.s, r[0].q, ch.lang.len,
							ch.lang.s);
			}
		}
		free(r);
	}
}

static void test_catalog_generated(void **state)
{
	static sbuf_t b;
	int it, i, k, rc, li, nused;
	cpmw_catalog_t *cat;
	cpmw_err_t err;
	char *in;

	begin("catalog_generated", 10);
	for(it = 0; it < iters(N_CAT_GEN); it++) {
		g_iter = it;
		gen_catalog(&b, chance(5) ? CPMW_MAX_LANGS : (int)rn(7));
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		cat = (cpmw_catalog_t *)&cat; /* must be overwritten */
		memset(&err, 0, sizeof(err));
		rc = cpmw_catalog_parse(&cat, in, b.n, &err);
		CHECK(rc == 0, "rc %d line %d: %s", rc, err.line, err.msg);
		check_catalog(cat, b.n);
		nused = 0;
		for(i = 0; i < model_n; i++) {
			mlang_t *m = &model[i];
			if(m->first < 0)
				continue;
			nused++;
			li = cpmw_catalog_find(cat, &(str){m->tag, m->tlen});
			CHECK(li == m->first, "lang [%.*s] at %d want %d", m->tlen, m->tag,
					li, m->first);
			CHECK(cat->lang[li].tag.len == m->tlen
							&& memcmp(cat->lang[li].tag.s, m->tag, m->tlen) == 0,
					"tag differs");
			for(k = 0; k < CPMW_NCODES; k++) {
				const str *t = &cat->lang[li].text[k];
				if(!m->has[k]) {
					CHECK(t->s == NULL, "unexpected text for %d", T1[k]);
					continue;
				}
				CHECK(t->s != NULL && t->len == m->txlen[k]
								&& memcmp(t->s, m->text[k], t->len) == 0,
						"[%.*s] %d: text [%.*s] want [%.*s]", m->tlen, m->tag,
						T1[k], t->s ? t->len : 0, t->s ? t->s : "", m->txlen[k],
						m->text[k]);
			}
		}
		CHECK(cat->nlangs == nused, "nlangs %d want %d", cat->nlangs, nused);
		check_select(cat);
		ST(0);
		g_st[1] += cat->nlangs;
		cpmw_catalog_free(cat);
		free(in);
		g_in = NULL;
	}
	stats("catalogues %d (%d languages), each with selection checks", g_st[0], g_st[1]);
}

static const seed_t BAD_LINES[] = {SEED("en 127 x"), SEED("EN 102 y"),
		SEED("de 999 x"), SEED("de 127"), SEED("de127 x"), SEED("de 1270 x"),
		SEED("d3 127 x"), SEED("de 12 x"), SEED("de 127 \xc3"),
		SEED("de 127 a\tb"), SEED("de 127 \xed\xa0\x80"),
		SEED("de 127 \xc0\xaf"), SEED("de 127 a\rb"),
		SEED("abcdefghi 127 x"), SEED("de- 127 x"), SEED("-de 127 x"),
		SEED("de 127 \x7f"), SEED("de 127 \xf4\x90\x80\x80"),
		SEED("de 127 \xe2\x82"), SEED("de\0 127 x"),
		SEED("fr 105  \"quoted\" \\ ok"),
		SEED("de 127 Dienst nicht autorisiert")};
#define N_BAD_LINES ((unsigned)(sizeof(BAD_LINES) / sizeof(BAD_LINES[0])))

static void test_catalog_random(void **state)
{
	static sbuf_t b, line;
	int it, i, rc, nlines;
	cpmw_catalog_t *cat;
	cpmw_err_t err;
	char *in;

	begin("catalog_random", 11);
	for(it = 0; it < iters(N_CAT_RANDOM); it++) {
		g_iter = it;
		switch(rn(4)) {
			case 0:
				gen_random(&b, 600);
				break;
			case 1:
				gen_catalog(&b, rn(5));
				mutate(&b, 1 + rn(6), 4000);
				break;
			default:
				gen_catalog(&b, rn(5));
				for(i = rn(3) + 1; i > 0; i--) {
					int pos = rn(b.n + 1);
					/* insert a line at a line start (or anywhere) */
					while(chance(90) && pos > 0 && b.b[pos - 1] != '\n')
						pos--;
					sb_reset(&line);
					switch(rn(4)) {
						case 0: /* a text one byte too long */
							sb_puts(&line, "it 127 ");
							while(line.n < 7 + CPMW_TEXT_MAX + (int)rn(2))
								sb_putc(&line, 'a');
							break;
						case 1: /* a copy of an existing line (duplicate) */
							if(b.n > 0) {
								int s = rn(b.n), e;
								while(s > 0 && b.b[s - 1] != '\n')
									s--;
								for(e = s; e < b.n && b.b[e] != '\n'; e++)
									;
								sb_putn(&line, b.b + s, e - s);
							}
							break;
						default:
							if(chance(90)) {
								const seed_t *bl = &BAD_LINES[rn(N_BAD_LINES)];
								sb_putn(&line, bl->s, bl->len);
							} else { /* 33 languages */
								int l;
								for(l = 0; l < CPMW_MAX_LANGS + 1; l++) {
									char tmp[32];
									snprintf(tmp, sizeof(tmp), "x%c%c 102 t\n",
											'a' + l / 26, 'a' + l % 26);
									sb_puts(&line, tmp);
								}
							}
					}
					sb_putc(&line, '\n');
					if(b.n + line.n <= SB_CAP) {
						memmove(b.b + pos + line.n, b.b + pos, b.n - pos);
						memcpy(b.b + pos, line.b, line.n);
						b.n += line.n;
					}
				}
				if(chance(30))
					mutate(&b, 1 + rn(3), 4000);
		}
		in = mk(b.b, b.n);
		g_in = in;
		g_inlen = b.n;
		for(nlines = 1, i = 0; i < b.n; i++)
			nlines += b.b[i] == '\n';
		cat = (cpmw_catalog_t *)&cat;
		memset(&err, 0xa5, sizeof(err));
		rc = cpmw_catalog_parse(&cat, in, b.n, &err);
		CHECK(rc == 0 || rc == -EINVAL || rc == -ENOENT || rc == -E2BIG
						|| rc == -EEXIST,
				"rc %d", rc);
		ST(rc == 0 ? 0 : rc == -EINVAL ? 1 : rc == -ENOENT ? 2 : rc == -E2BIG ? 3 : 4);
		if(rc == 0) {
			CHECK(cat != NULL, "no catalogue");
			check_catalog(cat, b.n);
			check_select(cat);
			cpmw_catalog_free(cat);
		} else {
			CHECK(cat == NULL, "*out set on error");
			CHECK(err.line >= 1 && err.line <= nlines, "error line %d of %d",
					err.line, nlines);
			CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL
							&& err.msg[0] != '\0',
					"error message not set");
		}
		free(in);
		g_in = NULL;
	}
	stats("loaded %d, -EINVAL %d, -ENOENT %d, -E2BIG %d, -EEXIST %d", g_st[0], g_st[1], g_st[2], g_st[3], g_st[4]);
}

/* selection without a catalogue: always the built-in English text */
static void test_select_nocat(void **state)
{
	static sbuf_t store;
	cpmw_lang_range_t r[8];
	cpmw_choice_t ch;
	int it, k, ci, rc;

	begin("select_nocat", 12);
	for(it = 0; it < iters(2000); it++) {
		g_iter = it;
		k = rn(9);
		gen_ranges(NULL, r, k, &store);
		for(ci = 0; ci < CPMW_NCODES; ci++) {
			rc = cpmw_select(NULL, chance(50) ? NULL : &(str){"en", 2}, T1[ci],
					r, k, &ch);
			CHECK(rc == 0, "rc %d", rc);
			CHECK(ci_eq(ch.lang.s, ch.lang.len, "en", 2)
							&& ch.text.len == (int)strlen(T1_EN[ci])
							&& memcmp(ch.text.s, T1_EN[ci], ch.text.len) == 0,
					"code %d: [%.*s] %.*s", T1[ci], ch.lang.len, ch.lang.s,
					ch.text.len, ch.text.s);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_hdr_value),
			cmocka_unit_test(test_hdr_line),
			cmocka_unit_test(test_hdr_check),
			cmocka_unit_test(test_svc_random),
			cmocka_unit_test(test_svc_insert),
			cmocka_unit_test(test_al_generated),
			cmocka_unit_test(test_al_random),
			cmocka_unit_test(test_warning_roundtrip),
			cmocka_unit_test(test_warning_random),
			cmocka_unit_test(test_catalog_generated),
			cmocka_unit_test(test_catalog_random),
			cmocka_unit_test(test_select_nocat),
	};

	prop_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
