/*
 * cpm_lex: the shared lexical core, see cpm_lex.h.  Pure C: no Kamailio
 * header, so it builds alone in the unit tests and in every module.
 */
#include <errno.h>
#include <stddef.h>

#include "cpm_lex.h"

/*
 * RFC 3261 25.1 / RFC 5234 B.1:
 *
 *   ALPHA    = %x41-5A / %x61-7A
 *   DIGIT    = %x30-39
 *   HEXDIG   = DIGIT / "A"-"F" / "a"-"f"    ; RFC 3261 "hex" is both cases
 *   token    = 1*(alphanum / "-" / "." / "!" / "%" / "*"
 *                 / "_" / "+" / "`" / "'" / "~" )
 *   word     = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`"
 *                 / "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE
 *                 / "/" / "[" / "]" / "?" / "{" / "}" )
 *   WSP      = SP / HTAB
 *   CTL      = %x00-1F / %x7F
 *
 * One table: these checks run for every octet of every header the modules
 * read on the per-message path.
 */
#define A CPM_LEX_ALPHA
#define D CPM_LEX_DIGIT
#define H CPM_LEX_HEX
#define T CPM_LEX_TOKEN
#define W CPM_LEX_WORD
#define RANGE(lo, hi, v) [lo... hi] = (v)
const unsigned char cpm_lex_class[256] = {
	RANGE(0x00, 0x08, CPM_LEX_CTL),
	['\t'] = CPM_LEX_CTL | CPM_LEX_WSP | CPM_LEX_SPACE,
	['\n'] = CPM_LEX_CTL | CPM_LEX_SPACE,
	RANGE(0x0b, 0x0c, CPM_LEX_CTL),
	['\r'] = CPM_LEX_CTL | CPM_LEX_SPACE,
	RANGE(0x0e, 0x1f, CPM_LEX_CTL),
	[0x7f] = CPM_LEX_CTL,
	[' '] = CPM_LEX_WSP | CPM_LEX_SPACE,
	RANGE('0', '9', D | H | T | W),
	RANGE('A', 'F', A | H | T | W),
	RANGE('G', 'Z', A | T | W),
	RANGE('a', 'f', A | H | T | W),
	RANGE('g', 'z', A | T | W),
	['-'] = T | W, ['.'] = T | W, ['!'] = T | W, ['%'] = T | W,
	['*'] = T | W, ['_'] = T | W, ['+'] = T | W, ['`'] = T | W,
	['\''] = T | W, ['~'] = T | W,
	['('] = W, [')'] = W, ['<'] = W, ['>'] = W, [':'] = W, ['\\'] = W,
	['"'] = W, ['/'] = W, ['['] = W, [']'] = W, ['?'] = W, ['{'] = W,
	['}'] = W,
};
#undef RANGE
#undef A
#undef D
#undef H
#undef T
#undef W

/* LWS = [*WSP CRLF] 1*WSP   (RFC 3261 25.1); a bare LF counts as CRLF, as
 * the core's parser accepts it */
int cpm_lex_skip_lws(const char *s, int len)
{
	int i = 0;

	if(s == NULL)
		return 0;
	while(i < len) {
		if(cpm_lex_is_wsp((unsigned char)s[i]))
			i++;
		else if(s[i] == '\n' && i + 1 < len
				&& cpm_lex_is_wsp((unsigned char)s[i + 1]))
			i += 2;
		else if(s[i] == '\r' && i + 2 < len && s[i + 1] == '\n'
				&& cpm_lex_is_wsp((unsigned char)s[i + 2]))
			i += 3;
		else
			break;
	}
	return i;
}

/* value = LWS-trimmed header body: leading LWS (folding), trailing WSP and
 * the line terminator */
int cpm_lex_trim_lws(const char *s, int len, int *off)
{
	int o;

	if(off == NULL || len < 0 || (s == NULL && len != 0))
		return -EINVAL;
	if(len == 0) {
		*off = 0;
		return 0;
	}
	o = cpm_lex_is_space((unsigned char)s[0]) ? cpm_lex_skip_lws(s, len) : 0;
	*off = o;
	return cpm_lex_rtrim_space(s + o, len - o);
}

/* 3DIGIT (status-code, warn-code) */
int cpm_lex_3digit(const char *s, int len)
{
	if(s == NULL || len < 3 || !cpm_lex_is_digit((unsigned char)s[0])
			|| !cpm_lex_is_digit((unsigned char)s[1])
			|| !cpm_lex_is_digit((unsigned char)s[2]))
		return -EINVAL;
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

/*
 * RFC 3629 4:
 *   UTF8-char = UTF8-1 / UTF8-2 / UTF8-3 / UTF8-4
 *   UTF8-1 = %x00-7F
 *   UTF8-2 = %xC2-DF UTF8-tail
 *   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
 *            %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 *   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
 *            %xF4 %x80-8F 2( UTF8-tail )
 *   UTF8-tail = %x80-BF
 * (checked as: lead byte, continuation bytes, then no overlong form, no
 * surrogate, nothing above U+10FFFF)
 */
int cpm_lex_utf8_next(const char *s, int len, unsigned int *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned int c, min;
	int need, k;

	if(s == NULL || len <= 0 || cp == NULL)
		return -EILSEQ;
	if(u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if((u[0] & 0xe0) == 0xc0) {
		need = 1;
		c = u[0] & 0x1f;
		min = 0x80;
	} else if((u[0] & 0xf0) == 0xe0) {
		need = 2;
		c = u[0] & 0x0f;
		min = 0x800;
	} else if((u[0] & 0xf8) == 0xf0) {
		need = 3;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		return -EILSEQ;
	}
	if(need >= len)
		return -EILSEQ;
	for(k = 1; k <= need; k++) {
		if((u[k] & 0xc0) != 0x80)
			return -EILSEQ;
		c = (c << 6) | (u[k] & 0x3f);
	}
	if(c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -EILSEQ;
	*cp = c;
	return need + 1;
}

/*
 * RFC 3261 25.1:
 *   quoted-string  =  SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 *   qdtext         =  LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 *   quoted-pair    =  "\" (%x00-09 / %x0B-0C / %x0E-7F)
 * The SWS is the caller's; LWS inside is kept as it is (SP, HTAB, CR, LF).
 */
int cpm_lex_quoted_scan(const char *s, int len, char *out, int osize,
		int *olen)
{
	int i, n = 0;
	unsigned char c;

	if(olen != NULL)
		*olen = 0;
	if(s == NULL || len <= 0 || (out != NULL && osize <= 0))
		return -EINVAL;
	if(out != NULL)
		out[0] = '\0';
	if(s[0] != '"')
		return -EINVAL;
	for(i = 1; i < len && s[i] != '"'; i++) {
		c = (unsigned char)s[i];
		if(c == '\\') {
			if(++i >= len)
				return -EBADMSG;
			c = (unsigned char)s[i];
			if(c == '\n' || c == '\r' || c > 0x7f)
				return -EBADMSG;
		} else if(cpm_lex_is_ctl(c) && !cpm_lex_is_space(c)) {
			return -EBADMSG;
		}
		if(out != NULL) {
			if(n >= osize - 1)
				return -ENOSPC;
			out[n] = (char)c;
			out[n + 1] = '\0';
		}
		n++;
	}
	if(i >= len)
		return -EBADMSG;
	if(olen != NULL)
		*olen = n;
	return i + 1;
}

/* DQUOTE *( "\" OCTET / any octet but DQUOTE ) DQUOTE, leniently */
int cpm_lex_quoted_skip(const char *s, int len)
{
	int i;

	if(s == NULL || len <= 0 || s[0] != '"')
		return -EINVAL;
	for(i = 1; i < len; i++) {
		if(s[i] == '\\')
			i++;
		else if(s[i] == '"')
			return i + 1;
	}
	return -EBADMSG;
}

/* *( qdtext / "\" ( DQUOTE / "\" ) ): the content of the shortest
 * quoted-string carrying s.  A CTL (TAB, CR, LF included) is refused: it
 * would let a value break the header line.  Errors in input order. */
int cpm_lex_quoted_escape(const char *s, int len, char *buf, int size)
{
	int i, n = 0;
	unsigned char c;

	if(buf == NULL || size <= 0)
		return -ENOSPC;
	buf[0] = '\0';
	if(len < 0 || (s == NULL && len > 0))
		return -EINVAL;
	for(i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if(cpm_lex_is_ctl(c))
			return -EINVAL;
		if(c == '"' || c == '\\') {
			if(n >= size - 1)
				return -ENOSPC;
			buf[n++] = '\\';
		}
		if(n >= size - 1)
			return -ENOSPC;
		buf[n++] = (char)c;
		buf[n] = '\0';
	}
	return n;
}

/* DQUOTE escaped-content DQUOTE (cpm_lex_quoted_escape) */
int cpm_lex_quoted_print(const char *s, int len, char *buf, int size)
{
	int n;

	if(buf == NULL || size <= 0)
		return -ENOSPC;
	buf[0] = '\0';
	if(size < 2)
		return -ENOSPC;
	buf[0] = '"';
	n = cpm_lex_quoted_escape(s, len, buf + 1, size - 1);
	if(n >= 0 && n + 2 > size - 1)
		n = -ENOSPC;
	if(n < 0) {
		buf[0] = '\0';
		return n;
	}
	buf[n + 1] = '"';
	buf[n + 2] = '\0';
	return n + 2;
}

/*
 * RFC 3261 7.3.1 / RFC 3862 3.1:
 *   header-line = header-name *WSP ":" value [CRLF]
 *   header-name = token
 */
int cpm_lex_hdr_split(const char *s, int len, int *nlen, int *voff)
{
	int n, i;

	if(s == NULL || len < 0 || nlen == NULL || voff == NULL)
		return -EINVAL;
	n = cpm_lex_span(s, len, CPM_LEX_TOKEN);
	i = n + cpm_lex_span(s + n, len - n, CPM_LEX_WSP);
	if(n == 0 || i >= len || s[i] != ':')
		return -ENOENT;
	*nlen = n;
	*voff = i + 1;
	return 0;
}
