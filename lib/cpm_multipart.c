/*
 * cpm_multipart: multipart/mixed (RFC 2046 5.1), see cpm_multipart.h for
 * the ABNF, what is lenient and why.  Pure C on lib/cpm_lex.
 */
#include <errno.h>
#include <string.h>

#include "cpm_lex.h"
#include "cpm_multipart.h"

/* bcharsnospace (RFC 2046 5.1.1) */
static int mp_bcharnospace(int c)
{
	return cpm_lex_is_alnum(c) || (c != 0 && strchr("'()+_,-./:=?", c) != NULL);
}

int cpm_mp_boundary_ok(const char *b, int blen)
{
	int i;

	if(b == NULL || blen < 1 || blen > CPM_MP_MAX_BOUNDARY)
		return 0;
	for(i = 0; i < blen; i++)
		if(!mp_bcharnospace((unsigned char)b[i]) && b[i] != ' ')
			return 0;
	return b[blen - 1] != ' ';
}

/* *LWS ";" *LWS: skips white space (SP / HTAB / folded CRLF) */
static int mp_lws(const char *s, int len, int i)
{
	return i + cpm_lex_skip_lws(s + i, len - i);
}

/* token "/" token at s[i..): the offset after it, -EBADMSG */
static int mp_type(const char *s, int len, int i)
{
	int t = cpm_lex_span(s + i, len - i, CPM_LEX_TOKEN);

	if(t == 0 || i + t >= len || s[i + t] != '/')
		return -EBADMSG;
	i += t + 1;
	t = cpm_lex_span(s + i, len - i, CPM_LEX_TOKEN);
	if(t == 0)
		return -EBADMSG;
	return i + t;
}

int cpm_mp_boundary(const char *ctype, int len, cpm_str_t *boundary)
{
	int i, e, a, al, v, q, found = 0;

	if(ctype == NULL || len <= 0 || boundary == NULL)
		return -EINVAL;
	boundary->s = NULL;
	boundary->len = 0;
	i = mp_lws(ctype, len, 0);
	e = mp_type(ctype, len, i);
	if(e < 0)
		return -EINVAL;
	if(!cpm_lex_iprefix("multipart/", 10, ctype + i, e - i))
		return -EINVAL;
	i = e;
	for(;;) {
		i = mp_lws(ctype, len, i);
		while(i < len && cpm_lex_is_space((unsigned char)ctype[i]))
			i++; /* trailing white space, CRLF included */
		if(i >= len)
			break;
		if(ctype[i] != ';')
			return -EBADMSG;
		i = mp_lws(ctype, len, i + 1);
		if(i >= len)
			break; /* a trailing ";" */
		a = i;
		al = cpm_lex_span(ctype + i, len - i, CPM_LEX_TOKEN);
		if(al == 0)
			return -EBADMSG;
		i = mp_lws(ctype, len, i + al);
		if(i >= len || ctype[i] != '=')
			return -EBADMSG;
		i = mp_lws(ctype, len, i + 1);
		if(i >= len)
			return -EBADMSG;
		if(!cpm_lex_ieq(ctype + a, al, "boundary", 8)) {
			/* another parameter: token or quoted-string; LENIENT:
			 * any octets up to ";" or white space */
			if(ctype[i] == '"') {
				q = cpm_lex_quoted_skip(ctype + i, len - i);
				if(q < 0)
					return -EBADMSG;
				i += q;
			} else {
				v = i;
				while(i < len && ctype[i] != ';'
						&& !cpm_lex_is_space((unsigned char)ctype[i]))
					i++;
				if(i == v)
					return -EBADMSG;
			}
			continue;
		}
		if(found)
			return -EBADMSG; /* two boundaries: which one? */
		found = 1;
		if(ctype[i] == '"') {
			/* bchars hold no DQUOTE and no "\": the content up to the
			 * next DQUOTE is the boundary */
			v = ++i;
			while(i < len && ctype[i] != '"')
				i++;
			if(i >= len)
				return -EBADMSG;
			boundary->s = ctype + v;
			boundary->len = i - v;
			i++;
		} else {
			v = i;
			while(i < len && mp_bcharnospace((unsigned char)ctype[i]))
				i++;
			boundary->s = ctype + v;
			boundary->len = i - v;
		}
		if(!cpm_mp_boundary_ok(boundary->s, boundary->len)) {
			boundary->s = NULL;
			boundary->len = 0;
			return -EBADMSG;
		}
	}
	return found ? 0 : -ENOENT;
}

/*
 * At s[i] == "--" b: the kind of the line it starts.  Returns 1 for a
 * delimiter (transport-padding CRLF follows; *next the offset after the
 * CRLF), 2 for a close delimiter ("--" follows; *next after it), 0 when it
 * is no delimiter line.
 */
static int mp_delim_at(const char *s, int len, int i, const char *b, int blen,
		int *next)
{
	int k;

	if(len - i < 2 + blen || s[i] != '-' || s[i + 1] != '-'
			|| memcmp(s + i + 2, b, blen) != 0)
		return 0;
	k = i + 2 + blen;
	if(k + 1 < len && s[k] == '-' && s[k + 1] == '-') {
		*next = k + 2;
		return 2;
	}
	while(k < len && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if(k + 1 < len && s[k] == '\r' && s[k + 1] == '\n') {
		*next = k + 2;
		return 1;
	}
	return 0;
}

/* the next CRLF "--" b delimiter line at or after from: the offset of its
 * CRLF, its kind in *kind and the offset after it in *next; -1 when none */
static int mp_next_delim(const char *s, int len, int from, const char *b,
		int blen, int *kind, int *next)
{
	const char *p;
	int i = from;

	while(i + 4 + blen <= len) {
		p = memchr(s + i, '\r', len - i - 3 - blen);
		if(p == NULL)
			return -1;
		i = (int)(p - s);
		if(s[i + 1] == '\n'
				&& (*kind = mp_delim_at(s, len, i + 2, b, blen, next)) != 0)
			return i;
		i++;
	}
	return -1;
}

static void mp_clear(cpm_mp_part_t *p)
{
	memset(p, 0, sizeof(*p));
	p->content_length = -1;
}

/* a header view must be set once only */
static int mp_set_once(cpm_str_t *v, const char *s, int len)
{
	if(v->s != NULL)
		return -EBADMSG;
	v->s = s;
	v->len = len;
	return 0;
}

/* one unfolded header line s[0..len) (CRLF of folding inside, none at the
 * end) into the part's fields */
static int mp_header(const char *s, int len, cpm_mp_part_t *p)
{
	int nlen, voff, vo, vl, e, k;
	const char *v;

	for(k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];
		if(c == '\r') { /* only as CRLF WSP (folding) */
			if(k + 2 >= len || s[k + 1] != '\n'
					|| !cpm_lex_is_wsp((unsigned char)s[k + 2]))
				return -EBADMSG;
			k += 2;
			continue;
		}
		if((cpm_lex_is_ctl(c) && c != '\t'))
			return -EBADMSG;
	}
	if(cpm_lex_hdr_split(s, len, &nlen, &voff) < 0)
		return -EBADMSG;
	vl = cpm_lex_trim_lws(s + voff, len - voff, &vo);
	if(vl < 0)
		return -EBADMSG;
	v = s + voff + vo;
	if(cpm_lex_ieq(s, nlen, "Content-Type", 12)) {
		if(mp_set_once(&p->content_type_value, v, vl) < 0)
			return -EBADMSG;
		e = mp_type(v, vl, 0);
		if(e < 0)
			return -EBADMSG;
		if(e < vl && v[e] != ';' && !cpm_lex_is_space((unsigned char)v[e]))
			return -EBADMSG;
		p->content_type.s = v;
		p->content_type.len = e;
	} else if(cpm_lex_ieq(s, nlen, "Content-Disposition", 19)) {
		if(mp_set_once(&p->disposition_value, v, vl) < 0)
			return -EBADMSG;
		e = cpm_lex_span(v, vl, CPM_LEX_TOKEN);
		if(e == 0
				|| (e < vl && v[e] != ';'
						&& !cpm_lex_is_space((unsigned char)v[e])))
			return -EBADMSG;
		p->disposition.s = v;
		p->disposition.len = e;
	} else if(cpm_lex_ieq(s, nlen, "Content-ID", 10)) {
		if(vl >= 1 && v[0] == '<') {
			if(vl < 3 || v[vl - 1] != '>')
				return -EBADMSG;
			v++;
			vl -= 2;
		}
		if(vl == 0 || memchr(v, '<', vl) || memchr(v, '>', vl))
			return -EBADMSG;
		if(mp_set_once(&p->content_id, v, vl) < 0)
			return -EBADMSG;
	} else if(cpm_lex_ieq(s, nlen, "Content-Length", 14)) {
		long n = 0;
		if(p->content_length >= 0 || vl < 1 || vl > 9)
			return -EBADMSG;
		for(k = 0; k < vl; k++) {
			if(!cpm_lex_is_digit((unsigned char)v[k]))
				return -EBADMSG;
			n = n * 10 + (v[k] - '0');
		}
		p->content_length = n;
	} else if(cpm_lex_ieq(s, nlen, "Content-Encoding", 16)) {
		if(vl == 0 || mp_set_once(&p->content_encoding, v, vl) < 0)
			return -EBADMSG;
	} else if(cpm_lex_ieq(s, nlen, "Content-Transfer-Encoding", 25)) {
		if(vl == 0 || mp_set_once(&p->transfer_encoding, v, vl) < 0)
			return -EBADMSG;
	} /* any other header: kept in the block, not interpreted */
	return 0;
}

/* a part's content c[0..n): header lines, then an optional blank line and
 * the body */
static int mp_part(const char *c, int n, cpm_mp_part_t *p)
{
	int pos = 0, e, rc;

	mp_clear(p);
	p->headers.s = c;
	p->body.s = c + n;
	for(;;) {
		if(pos == n) { /* MIME-part-headers without body */
			p->headers.len = n;
			break;
		}
		if(n - pos >= 2 && c[pos] == '\r' && c[pos + 1] == '\n') {
			p->headers.len = pos;
			p->body.s = c + pos + 2;
			p->body.len = n - pos - 2;
			break;
		}
		/* one header line with its continuation lines */
		e = pos;
		for(;;) {
			while(e < n && c[e] != '\r' && c[e] != '\n')
				e++;
			if(e + 1 >= n || c[e] != '\r' || c[e + 1] != '\n')
				return -EBADMSG; /* no CRLF, or a bare CR / LF */
			if(e + 2 < n && cpm_lex_is_wsp((unsigned char)c[e + 2])) {
				e += 2; /* folded: the next line continues this one */
				continue;
			}
			break;
		}
		if((rc = mp_header(c + pos, e - pos, p)) < 0)
			return rc;
		pos = e + 2;
	}
	if(p->content_encoding.s != NULL)
		p->encoding = p->content_encoding;
	else if(p->transfer_encoding.s != NULL)
		p->encoding = p->transfer_encoding;
	return 0;
}

int cpm_mp_parse_ex(const char *body, int len, const char *b, int blen,
		cpm_mp_part_t *parts, int max, cpm_str_t *preamble,
		cpm_str_t *epilogue)
{
	int n = 0, kind, next, at, start, rc;

	if(preamble != NULL) {
		preamble->s = NULL;
		preamble->len = 0;
	}
	if(epilogue != NULL) {
		epilogue->s = NULL;
		epilogue->len = 0;
	}
	if(body == NULL || len <= 0 || parts == NULL || max <= 0
			|| !cpm_mp_boundary_ok(b, blen))
		return -EINVAL;
	/* the opening dash-boundary: at the very start, or after
	 * [preamble CRLF] */
	kind = mp_delim_at(body, len, 0, b, blen, &next);
	if(kind != 0) {
		at = 0;
	} else {
		at = mp_next_delim(body, len, 0, b, blen, &kind, &next);
		if(at < 0)
			return -EBADMSG;
		if(preamble != NULL) {
			preamble->s = body;
			preamble->len = at;
		}
	}
	if(kind != 1)
		return -EBADMSG; /* "--b--" first: a multipart without parts */
	for(;;) {
		start = next;
		at = mp_next_delim(body, len, start, b, blen, &kind, &next);
		if(at < 0)
			return -EBADMSG; /* no close delimiter: truncated */
		if(n >= max)
			return -E2BIG;
		if((rc = mp_part(body + start, at - start, &parts[n])) < 0)
			return rc;
		n++;
		if(kind == 2)
			break;
	}
	/* transport-padding [CRLF epilogue]; LENIENT: anything after */
	if(epilogue != NULL && next < len) {
		epilogue->s = body + next;
		epilogue->len = len - next;
	}
	return n;
}

int cpm_mp_parse(const char *body, int len, const char *b, int blen,
		cpm_mp_part_t *parts, int max)
{
	return cpm_mp_parse_ex(body, len, b, blen, parts, max, NULL, NULL);
}

/* octet k of s followed by the CRLF the printer writes after it
 * (k <= len + 1) */
static int mp_vat(const char *s, int len, int k)
{
	return k < len ? (unsigned char)s[k] : (k == len ? '\r' : '\n');
}

/*
 * 1 when s[0..len), preceded by a CRLF (the opening delimiter's, or the
 * blank line) and followed by the CRLF of the printer's next delimiter,
 * holds a delimiter line of b: the parser would end the part there.  A
 * "--" b cannot straddle the end of s (b holds no CR), so only the tail
 * after it looks at the two octets past the end.
 */
static int mp_has_delim(const char *s, int len, const char *b, int blen)
{
	int i, k;

	for(i = 0; i + 2 + blen <= len; i++) {
		if(i == 1 || (i >= 2 && !(s[i - 2] == '\r' && s[i - 1] == '\n')))
			continue;
		if(s[i] != '-' || s[i + 1] != '-' || memcmp(s + i + 2, b, blen) != 0)
			continue;
		k = i + 2 + blen;
		if(mp_vat(s, len, k) == '-' && mp_vat(s, len, k + 1) == '-')
			return 1;
		while(k < len && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if(mp_vat(s, len, k) == '\r' && mp_vat(s, len, k + 1) == '\n')
			return 1;
	}
	return 0;
}

/* a field value the printer can write as a header value that parses back
 * equal: no CTL but HTAB, no white space at either end */
static int mp_value_ok(const cpm_str_t *v)
{
	int i;

	if(v->len < 0 || (v->len > 0 && v->s == NULL))
		return 0;
	for(i = 0; i < v->len; i++)
		if(cpm_lex_is_ctl((unsigned char)v->s[i]) && v->s[i] != '\t')
			return 0;
	return v->len == 0
		   || (!cpm_lex_is_space((unsigned char)v->s[0])
				   && !cpm_lex_is_space((unsigned char)v->s[v->len - 1]));
}

/* the headers built from the fields parse back to them */
static int mp_fields_ok(const cpm_mp_part_t *p)
{
	const cpm_str_t *ct = p->content_type_value.len > 0 ? &p->content_type_value
														 : &p->content_type;
	const cpm_str_t *cd = p->disposition_value.len > 0 ? &p->disposition_value
														: &p->disposition;
	int e;

	if(!mp_value_ok(ct) || !mp_value_ok(cd) || !mp_value_ok(&p->content_id)
			|| !mp_value_ok(&p->content_encoding)
			|| !mp_value_ok(&p->transfer_encoding)
			|| !mp_value_ok(&p->encoding) || p->content_length > 999999999L)
		return 0;
	if(ct->len > 0) {
		e = mp_type(ct->s, ct->len, 0);
		if(e < 0
				|| (e < ct->len && ct->s[e] != ';'
						&& !cpm_lex_is_space((unsigned char)ct->s[e])))
			return 0;
	}
	if(cd->len > 0) {
		e = cpm_lex_span(cd->s, cd->len, CPM_LEX_TOKEN);
		if(e == 0
				|| (e < cd->len && cd->s[e] != ';'
						&& !cpm_lex_is_space((unsigned char)cd->s[e])))
			return 0;
	}
	if(p->content_id.len > 0
			&& (memchr(p->content_id.s, '<', p->content_id.len)
					|| memchr(p->content_id.s, '>', p->content_id.len)))
		return 0;
	return 1;
}

static void mp_hdr_out(cpm_lex_out_t *o, const char *name, const cpm_str_t *v,
		int brackets)
{
	if(v->s == NULL || v->len <= 0)
		return;
	cpm_lex_out_str(o, name);
	cpm_lex_out_str(o, ": ");
	if(brackets)
		cpm_lex_out_put(o, "<", 1);
	cpm_lex_out_put(o, v->s, v->len);
	if(brackets)
		cpm_lex_out_put(o, ">", 1);
	cpm_lex_out_put(o, "\r\n", 2);
}

int cpm_mp_print(const cpm_mp_part_t *parts, int n, const char *b, int blen,
		char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	const cpm_mp_part_t *p;
	cpm_mp_part_t chk;
	int i, k;
	long x;
	char num[16], tmp[16];
	cpm_str_t v;

	if(parts == NULL || n <= 0 || !cpm_mp_boundary_ok(b, blen)
			|| (buf == NULL && size != 0) || size < 0)
		return -EINVAL;
	/* every part checked before anything is written: the same answer
	 * whatever the buffer size */
	for(i = 0; i < n; i++) {
		p = &parts[i];
		if(p->body.len < 0 || (p->body.len > 0 && p->body.s == NULL)
				|| mp_has_delim(p->body.s, p->body.len, b, blen))
			return -EINVAL;
		if(p->headers.len > 0) {
			/* lines that parse, each with its CRLF, no blank line, no
			 * delimiter line */
			if(p->headers.s == NULL || p->headers.len < 2
					|| p->headers.s[p->headers.len - 2] != '\r'
					|| p->headers.s[p->headers.len - 1] != '\n'
					|| mp_part(p->headers.s, p->headers.len, &chk) < 0
					|| chk.headers.len != p->headers.len
					|| mp_has_delim(p->headers.s, p->headers.len, b, blen))
				return -EINVAL;
		} else if(!mp_fields_ok(p)) {
			return -EINVAL; /* built lines start "Content-": no delimiter */
		}
	}
	for(i = 0; i < n; i++) {
		p = &parts[i];
		cpm_lex_out_str(&o, "--");
		cpm_lex_out_put(&o, b, blen);
		cpm_lex_out_put(&o, "\r\n", 2);
		if(p->headers.len > 0) {
			cpm_lex_out_put(&o, p->headers.s, p->headers.len);
		} else {
			mp_hdr_out(&o, "Content-Type",
					p->content_type_value.len > 0 ? &p->content_type_value
												  : &p->content_type,
					0);
			mp_hdr_out(&o, "Content-Disposition",
					p->disposition_value.len > 0 ? &p->disposition_value
												 : &p->disposition,
					0);
			mp_hdr_out(&o, "Content-ID", &p->content_id, 1);
			if(p->content_encoding.len > 0 || p->transfer_encoding.len > 0) {
				mp_hdr_out(&o, "Content-Encoding", &p->content_encoding, 0);
				mp_hdr_out(&o, "Content-Transfer-Encoding",
						&p->transfer_encoding, 0);
			} else {
				mp_hdr_out(&o, "Content-Encoding", &p->encoding, 0);
			}
			if(p->content_length >= 0) {
				x = p->content_length;
				k = 0;
				do {
					tmp[k++] = (char)('0' + x % 10);
					x /= 10;
				} while(x > 0);
				for(v.len = 0; v.len < k; v.len++)
					num[v.len] = tmp[k - 1 - v.len];
				v.s = num;
				mp_hdr_out(&o, "Content-Length", &v, 0);
			}
		}
		cpm_lex_out_put(&o, "\r\n", 2);
		cpm_lex_out_put(&o, p->body.s, p->body.len);
		cpm_lex_out_put(&o, "\r\n", 2);
	}
	cpm_lex_out_str(&o, "--");
	cpm_lex_out_put(&o, b, blen);
	cpm_lex_out_str(&o, "--\r\n");
	return cpm_lex_out_end(&o);
}

int cpm_mp_find_type(const cpm_mp_part_t *parts, int n, const char *ctype)
{
	int i, l;

	if(parts == NULL || ctype == NULL)
		return -EINVAL;
	l = (int)strlen(ctype);
	for(i = 0; i < n; i++)
		if(cpm_lex_ieq(parts[i].content_type.s, parts[i].content_type.len,
				   ctype, l))
			return i;
	return -ENOENT;
}

int cpm_mp_find_disposition(const cpm_mp_part_t *parts, int n, const char *disp)
{
	int i, l;

	if(parts == NULL || disp == NULL)
		return -EINVAL;
	l = (int)strlen(disp);
	for(i = 0; i < n; i++)
		if(cpm_lex_ieq(parts[i].disposition.s, parts[i].disposition.len,
				   disp, l))
			return i;
	return -ENOENT;
}
