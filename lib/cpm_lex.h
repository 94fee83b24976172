/*
 * cpm_lex: the project's shared lexical core (pure C, no Kamailio header).
 *
 * RFC 3261 25.1 character classes as one table, LWS skipping and trimming,
 * quoted-string scanning / printing, case-insensitive comparison, %-decoding,
 * 3DIGIT, UTF-8 decoding and a generic `name: value` header-line splitter.
 * Every CPM module links this file (mk/module.mk); the unit tests link it
 * too (tests/unit/lib.mk).  The PF and CF build their CPIM (RFC 3862), IMDN,
 * resource-lists, conference-info and REFER parsers on it.
 *
 * Conventions (docs/development.md, "lib/"):
 * - input is (const char *s, int len): Kamailio's str is {char *s; int len},
 *   so a module passes `x.s, x.len`; nothing here needs a NUL terminator and
 *   nothing reads past s[len - 1];
 * - results are a length / offset / value >= 0, or a negative errno:
 *   -EINVAL (bad arguments or not the syntax at all), -EBADMSG (syntax
 *   started but broken), -ENOSPC (output buffer too small), -EILSEQ (not
 *   UTF-8);
 * - each function has its ABNF beside it (here for the inline ones, in
 *   cpm_lex.c for the others).
 */
#ifndef CPM_LEX_H
#define CPM_LEX_H

#include <errno.h>
#include <stddef.h>
#include <string.h>

/* Every module .so carries its own copy (mk/module.mk): keep the symbols
 * private to each .so, so that no module's copy interposes another's
 * whatever flags Kamailio's dlopen() gets. */
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* a read-only view with Kamailio's str layout ({char *s; int len;}) */
typedef struct cpm_str {
	const char *s;
	int len;
} cpm_str_t;

/* ---- character classes (RFC 3261 25.1, RFC 5234 B.1) ------------------ */

#define CPM_LEX_ALPHA 0x01 /* ALPHA = %x41-5A / %x61-7A */
#define CPM_LEX_DIGIT 0x02 /* DIGIT = %x30-39 */
#define CPM_LEX_HEX 0x04   /* HEXDIG, both cases (RFC 3261 "hex") */
#define CPM_LEX_TOKEN 0x08 /* token char: alphanum / "-" / "." / "!" / "%"
                              / "*" / "_" / "+" / "`" / "'" / "~" */
#define CPM_LEX_WSP 0x10   /* WSP = SP / HTAB */
#define CPM_LEX_SPACE 0x20 /* SP / HTAB / CR / LF */
#define CPM_LEX_CTL 0x40   /* CTL = %x00-1F / %x7F */
#define CPM_LEX_WORD 0x80  /* word char (Call-ID): token chars and "(" / ")"
                              / "<" / ">" / ":" / "\" / DQUOTE / "/" / "["
                              / "]" / "?" / "{" / "}" */
#define CPM_LEX_ALNUM (CPM_LEX_ALPHA | CPM_LEX_DIGIT)

/* one bit set of the classes above per octet */
extern const unsigned char cpm_lex_class[256];

/* 1 when octet c (0..255; anything else: 0) has one of the classes in m */
static inline int cpm_lex_is(int c, unsigned int m)
{
	return (c >= 0 && c <= 255) ? (cpm_lex_class[c] & m) != 0 : 0;
}
#define cpm_lex_is_alpha(c) cpm_lex_is((c), CPM_LEX_ALPHA)
#define cpm_lex_is_digit(c) cpm_lex_is((c), CPM_LEX_DIGIT)
#define cpm_lex_is_alnum(c) cpm_lex_is((c), CPM_LEX_ALNUM)
#define cpm_lex_is_hex(c) cpm_lex_is((c), CPM_LEX_HEX)
#define cpm_lex_is_token(c) cpm_lex_is((c), CPM_LEX_TOKEN)
#define cpm_lex_is_wsp(c) cpm_lex_is((c), CPM_LEX_WSP)
#define cpm_lex_is_space(c) cpm_lex_is((c), CPM_LEX_SPACE)
#define cpm_lex_is_ctl(c) cpm_lex_is((c), CPM_LEX_CTL)

/* ASCII lower case of octet c (other octets unchanged) */
static inline int cpm_lex_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* ---- spans and trimming ----------------------------------------------- */
/* The small ones are inline: they run for every header of every request,
 * and a call each cost the header check ~15% (measured: docs/development.md
 * "lib/"). */

/* *( octet with a class in m ): the length of the longest such prefix of
 * s; 0 for len <= 0 or s == NULL */
static inline int cpm_lex_span(const char *s, int len, unsigned int m)
{
	int i;

	if(s == NULL)
		return 0;
	for(i = 0; i < len && (cpm_lex_class[(unsigned char)s[i]] & m); i++)
		;
	return i;
}

/* token = 1*token-char: 1 when s[0..len) is one, 0 otherwise */
static inline int cpm_lex_is_token_str(const char *s, int len)
{
	return s != NULL && len > 0 && cpm_lex_span(s, len, CPM_LEX_TOKEN) == len;
}

/* *( SP / HTAB / CR / LF ): the length of the leading run (for bodies the
 * core has already delimited, where any line break is folding) */
static inline int cpm_lex_skip_space(const char *s, int len)
{
	return cpm_lex_span(s, len, CPM_LEX_SPACE);
}

/* len without the trailing *( SP / HTAB / CR / LF ) (as the core's
 * trim_r); 0 for s == NULL or len < 0 */
static inline int cpm_lex_rtrim_space(const char *s, int len)
{
	if(s == NULL || len < 0)
		return 0;
	while(len > 0 && (cpm_lex_class[(unsigned char)s[len - 1]] & CPM_LEX_SPACE))
		len--;
	return len;
}

/* length of the leading LWS: WSP and folded line breaks (CRLF / LF followed
 * by WSP); a line break not followed by WSP is not skipped */
int cpm_lex_skip_lws(const char *s, int len);

/* header-body trimming: leading LWS (cpm_lex_skip_lws), trailing
 * SP / HTAB / CR / LF.  *off gets the offset of the value; returns its
 * length, -EINVAL for bad arguments */
int cpm_lex_trim_lws(const char *s, int len, int *off);

/* ---- comparison ------------------------------------------------------- */

/* case-insensitive equality of two octet strings (RFC 3261 7.3.5 header
 * names, RFC 5234 2.3 literal strings): 1 when a and b have the same length
 * and equal octets ignoring ASCII case, 0 otherwise */
static inline int cpm_lex_ieq(const char *a, int alen, const char *b, int blen)
{
	int i;

	if(alen != blen || alen < 0)
		return 0;
	if(alen == 0)
		return 1;
	if(a == NULL || b == NULL)
		return 0;
	for(i = 0; i < alen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		/* octets that differ are equal only as the two cases of a letter:
		 * they differ in bit 0x20 alone and are a letter with it set */
		if(x != y
				&& ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a'
						|| (x | 0x20) > 'z'))
			return 0;
	}
	return 1;
}

/* 1 when p is a prefix of s ignoring ASCII case */
static inline int cpm_lex_iprefix(
		const char *p, int plen, const char *s, int slen)
{
	return plen >= 0 && plen <= slen && cpm_lex_ieq(p, plen, s, plen);
}

/* ---- numbers and escapes ---------------------------------------------- */

/* HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F"   (RFC 5234 B.1;
 * RFC 3261 "hex" takes lower case too): the value 0..15 of such an octet,
 * -EINVAL otherwise.  Inline, like cpm_lex_pct_next(): the service scan
 * decodes every octet of Accept-Contact / Contact this way. */
static inline int cpm_lex_hexval(int c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	c = cpm_lex_lower(c);
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -EINVAL;
}

/* escaped = "%" HEXDIG HEXDIG   (RFC 3986 2.1, RFC 3261 25.1)
 * One octet of s at *i (0 <= *i < len), %-decoded: "%" HEXDIG HEXDIG gives
 * the octet it encodes and advances *i by 3, anything else (a "%" without
 * two hex digits too) gives itself and advances by 1.  Returns 0..255 or
 * -EINVAL (bad arguments / *i out of range). */
static inline int cpm_lex_pct_next(const char *s, int len, int *i)
{
	int h, l;

	if(s == NULL || i == NULL || *i < 0 || *i >= len)
		return -EINVAL;
	if(s[*i] == '%' && *i + 2 < len) {
		h = cpm_lex_hexval((unsigned char)s[*i + 1]);
		l = cpm_lex_hexval((unsigned char)s[*i + 2]);
		if(h >= 0 && l >= 0) {
			*i += 3;
			return (h << 4) | l;
		}
	}
	return (unsigned char)s[(*i)++];
}

/* 3DIGIT at s[0..3): 0..999, -EINVAL when len < 3 or a non-digit */
int cpm_lex_3digit(const char *s, int len);

/* one UTF-8 sequence at s (RFC 3629: no overlong form, no surrogate,
 * <= U+10FFFF): its length 1..4 and *cp the code point, or -EILSEQ */
int cpm_lex_utf8_next(const char *s, int len, unsigned int *cp);

/* ---- quoted-string (RFC 3261 25.1) ------------------------------------ */

/* Strict scan of one quoted-string starting with DQUOTE at s[0] (callers
 * skip the SWS).  The unescaped content goes to out (NUL-terminated, at
 * most osize - 1 octets; out may be NULL, then osize is ignored) and its
 * length to *olen (may be NULL).  Returns the octets consumed including
 * both quotes, -EINVAL (bad arguments / s[0] not DQUOTE), -EBADMSG (a CTL
 * other than LWS, a bad quoted-pair, no closing DQUOTE) or -ENOSPC; errors
 * are reported at the first offending octet, in input order. */
int cpm_lex_quoted_scan(const char *s, int len, char *out, int osize,
		int *olen);

/* Lenient skip of a quoted-string at s[0] == DQUOTE for scanners of lists:
 * a backslash escapes any octet.  The length including the closing DQUOTE,
 * -EINVAL when s[0] is not DQUOTE, -EBADMSG when unterminated. */
int cpm_lex_quoted_skip(const char *s, int len);

/* The content of a quoted-string carrying s: DQUOTE and "\" escaped,
 * into buf (NUL-terminated), without the surrounding quotes.  Returns the
 * length written (without the NUL), -EINVAL (a CTL in s: it cannot be
 * carried safely), -ENOSPC; errors in input order. */
int cpm_lex_quoted_escape(const char *s, int len, char *buf, int size);

/* Printer paired with cpm_lex_quoted_scan(): DQUOTE, s with DQUOTE and "\"
 * escaped, DQUOTE, into buf (NUL-terminated).  Returns the length written
 * (without the NUL), -EINVAL (a CTL in s: it cannot be carried safely),
 * -ENOSPC. */
int cpm_lex_quoted_print(const char *s, int len, char *buf, int size);

/* ---- header lines ----------------------------------------------------- */

/* Split one header line (RFC 3261 7.3.1; CPIM header lines of RFC 3862 3.1
 * have the same form):
 *
 *   header-line = header-name *WSP ":" value [CRLF]
 *
 * *nlen gets the name's length (at s[0]), *voff the offset of the value
 * after the colon (untrimmed: use cpm_lex_trim_lws).  0, -EINVAL (bad
 * arguments), -ENOENT (no token name or no colon after it). */
int cpm_lex_hdr_split(const char *s, int len, int *nlen, int *voff);

/* ---- bounded output --------------------------------------------------- */

/* An output buffer for printers that append pieces: the first piece that
 * does not fit sets rc = -ENOSPC and nothing more is written, but n goes
 * on counting, so that {NULL, 0, 0, 0} measures what a printer needs.
 * Initialise as {buf, size, 0, 0}. */
typedef struct cpm_lex_out {
	char *b;
	int size;
	int n;
	int rc;
} cpm_lex_out_t;

/* append s[0..len) */
static inline void cpm_lex_out_put(cpm_lex_out_t *o, const char *s, int len)
{
	if(len <= 0)
		return;
	if(o->rc < 0 || len > o->size - o->n) {
		o->rc = -ENOSPC;
		o->n += len;
		return;
	}
	memcpy(o->b + o->n, s, len);
	o->n += len;
}

/* append a NUL-terminated string */
static inline void cpm_lex_out_str(cpm_lex_out_t *o, const char *s)
{
	cpm_lex_out_put(o, s, (int)strlen(s));
}

/* the length written (NUL-terminated when room is left) or -ENOSPC */
static inline int cpm_lex_out_end(cpm_lex_out_t *o)
{
	if(o->rc < 0)
		return o->rc;
	if(o->n < o->size)
		o->b[o->n] = '\0';
	return o->n;
}

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
