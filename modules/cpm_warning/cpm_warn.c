/*
 * cpm_warning: pure code, see cpm_warn.h.  No struct sip_msg here: this file
 * also builds alone into the cmocka unit tests.
 *
 * Seed references: 6.4.1 (Warning header: code 399, optional host name,
 * language from Accept-Language, only the explanatory text translated),
 * 6.4.2 / Table 1 (the codes and English texts).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/str.h"
#include "core/mem/mem.h"
#include "core/dprint.h"

#include "../../lib/cpm_lex.h"
#include "cpm_warn.h"

/* ------------------------------------------------------------------------
 * seed 6.4.2, Table 1: CPM specific warning texts (exact English texts)
 */
static const struct {
	int code;
	str text;
} cpmw_table1[CPMW_NCODES] = {
	{102, str_init("Too many participants")},
	{105, str_init("Isfocus already assigned")},
	{119, str_init("Anonymity not allowed")},
	{122, str_init("Function not allowed")},
	{123, str_init("Session does not exist")},
	{125, str_init("No messages")},
	{127, str_init("Service not authorised")},
	{129, str_init("No destinations")},
	{132, str_init("Version not supported")},
};

static const str cpmw_en = str_init("en");

int cpmw_code_index(int code)
{
	int i;

	for(i = 0; i < CPMW_NCODES; i++) {
		if(cpmw_table1[i].code == code)
			return i;
	}
	return -ENOENT;
}

int cpmw_code_at(int i)
{
	if(i < 0 || i >= CPMW_NCODES)
		return -ENOENT;
	return cpmw_table1[i].code;
}

const str *cpmw_code_text_en(int code)
{
	int i = cpmw_code_index(code);

	return (i < 0) ? NULL : &cpmw_table1[i].text;
}

/* Reason-Phrase check: see cpm_warn.h (RFC 3261 25.1) */
int cpmw_reason_valid(const str *reason, int *pos)
{
	int i;

	if(reason == NULL || (reason->len > 0 && reason->s == NULL))
		return -EINVAL;
	for(i = 0; i < reason->len; i++) {
		if(cpm_lex_is((unsigned char)reason->s[i], CPM_LEX_CTL)) {
			if(pos)
				*pos = i;
			return -EBADMSG;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Character classes, LWS, quoted-string, 3DIGIT, UTF-8: lib/cpm_lex.h.
 * Header bodies reach us delimited by the core's parser, so any CR / LF
 * in them is folding: LWS here is the run of SP / HTAB / CR / LF.
 */

static const char *skip_lws(const char *p, const char *e)
{
	return p + cpm_lex_skip_space(p, (int)(e - p));
}

static const char *trim_lws_end(const char *s, const char *e)
{
	return s + cpm_lex_rtrim_space(s, (int)(e - s));
}

/* ------------------------------------------------------------------------
 * Language tags
 *
 *   language-tag = 1*8ALPHA *( "-" 1*8alphanum )   ; RFC 3261 20.3 uses
 *                                                  ; ALPHA in subtags, RFC
 *                                                  ; 4646 allows digits
 */
int cpmw_lang_tag_valid(const str *tag)
{
	int i, sub = 0, first = 1;

	if(tag == NULL || tag->s == NULL || tag->len <= 0
			|| tag->len > CPMW_TAG_MAX)
		return -EINVAL;
	for(i = 0; i < tag->len; i++) {
		unsigned char c = (unsigned char)tag->s[i];
		if(c == '-') {
			if(sub == 0)
				return -EINVAL;
			sub = 0;
			first = 0;
			continue;
		}
		if(first ? !cpm_lex_is_alpha(c) : !cpm_lex_is_alnum(c))
			return -EINVAL;
		if(++sub > 8)
			return -EINVAL;
	}
	return (sub == 0) ? -EINVAL : 0;
}

static int tag_eq(const str *a, const str *b)
{
	return cpm_lex_ieq(a->s, a->len, b->s, b->len);
}

/* 1 when p is a prefix of t ending on a subtag boundary ("de" of "de-CH") */
static int tag_prefix(const str *p, const str *t)
{
	return p->len < t->len && t->s[p->len] == '-'
		   && cpm_lex_iprefix(p->s, p->len, t->s, t->len);
}

/* ------------------------------------------------------------------------
 * Accept-Language (RFC 3261 20.3; RFC 2616 14.4)
 *
 *   Accept-Language  =  "Accept-Language" HCOLON
 *                        [ language *(COMMA language) ]
 *   language         =  language-range *(SEMI accept-param)
 *   language-range   =  ( ( 1*8ALPHA *( "-" 1*8ALPHA ) ) / "*" )
 *   accept-param     =  ("q" EQUAL qvalue) / generic-param
 *   qvalue           =  ( "0" [ "." 0*3DIGIT ] )
 *                       / ( "1" [ "." 0*3("0") ] )
 *   generic-param    =  token [ EQUAL gen-value ]
 *   gen-value        =  token / host / quoted-string
 *
 * in is the header body (after HCOLON).  Empty list elements are skipped
 * (RFC 2616 #rule).  Only the first CPMW_MAX_RANGES ranges of a request are
 * considered (the caller passes max); the rest are not even parsed.
 */

/* end of one list element: the next COMMA outside a quoted-string */
static const char *elem_end(const char *p, const char *e)
{
	int q;

	while(p < e && *p != ',') {
		if(*p == '"') {
			/* an unterminated quoted-string runs to the end */
			q = cpm_lex_quoted_skip(p, (int)(e - p));
			p = (q < 0) ? e : p + q;
		} else {
			p++;
		}
	}
	return p;
}

/* qvalue -> thousandths; *pp advanced past it */
static int qvalue_parse(const char **pp, const char *e, int *q)
{
	const char *p = *pp;
	int v, i, mul = 100;

	if(p >= e || (*p != '0' && *p != '1'))
		return -EINVAL;
	v = (*p == '1') ? 1000 : 0;
	p++;
	if(p < e && *p == '.') {
		p++;
		for(i = 0; i < 3 && p < e && cpm_lex_is_digit((unsigned char)*p); i++, p++) {
			if(v == 1000 && *p != '0')
				return -EINVAL;
			v += (*p - '0') * mul;
			mul /= 10;
		}
	}
	if(p < e && cpm_lex_is_digit((unsigned char)*p))
		return -EINVAL;
	*q = v;
	*pp = p;
	return 0;
}

/* gen-value = token / host / quoted-string */
static const char *gen_value_skip(const char *p, const char *e)
{
	int q;

	if(p < e && *p == '"') {
		q = cpm_lex_quoted_skip(p, (int)(e - p));
		return (q < 0) ? NULL : p + q;
	}
	if(p >= e || !(cpm_lex_is_token((unsigned char)*p) || *p == '[' || *p == ':'))
		return NULL;
	while(p < e
			&& (cpm_lex_is_token((unsigned char)*p) || *p == '[' || *p == ']'
					|| *p == ':'))
		p++;
	return p;
}

/* one `language` element in [s, e); 1 = empty element, 0 = parsed */
static int lang_elem_parse(const char *s, const char *e, cpmw_lang_range_t *r)
{
	const char *p, *n;
	int have_q = 0;

	s = skip_lws(s, e);
	e = trim_lws_end(s, e);
	if(s == e)
		return 1;

	p = s;
	if(*p == '*') {
		p++;
	} else {
		while(p < e && (cpm_lex_is_alnum((unsigned char)*p) || *p == '-'))
			p++;
	}
	r->tag.s = (char *)s;
	r->tag.len = (int)(p - s);
	r->q = 1000;
	if(!(r->tag.len == 1 && *s == '*') && cpmw_lang_tag_valid(&r->tag) < 0)
		return -EINVAL;

	for(;;) {
		p = skip_lws(p, e);
		if(p == e)
			break;
		if(*p != ';')
			return -EINVAL;
		p = skip_lws(p + 1, e);
		n = p;
		while(p < e && cpm_lex_is_token((unsigned char)*p))
			p++;
		if(p == n)
			return -EINVAL;
		if(p - n == 1 && (*n == 'q' || *n == 'Q')) {
			if(have_q)
				return -EINVAL;
			p = skip_lws(p, e);
			if(p == e || *p != '=')
				return -EINVAL;
			p = skip_lws(p + 1, e);
			if(qvalue_parse(&p, e, &r->q) < 0)
				return -EINVAL;
			have_q = 1;
			continue;
		}
		/* generic-param */
		p = skip_lws(p, e);
		if(p < e && *p == '=') {
			p = gen_value_skip(skip_lws(p + 1, e), e);
			if(p == NULL)
				return -EINVAL;
		}
	}
	return 0;
}

int cpmw_accept_lang_parse(
		const str *in, cpmw_lang_range_t *r, int max, int *n)
{
	const char *p, *e, *ee;
	int ret = 0, rc;

	if(in == NULL || r == NULL || n == NULL || *n < 0 || max < 0)
		return -EINVAL;
	if(in->s == NULL || in->len <= 0)
		return 0;

	p = in->s;
	e = in->s + in->len;
	while(p < e) {
		ee = elem_end(p, e);
		if(*n >= max) {
			/* something non-empty left over the cap? */
			if(skip_lws(p, ee) != ee) {
				ret = -E2BIG;
				goto done;
			}
		} else {
			rc = lang_elem_parse(p, ee, &r[*n]);
			if(rc == 0)
				(*n)++;
			else if(rc < 0 && ret == 0)
				ret = rc;
		}
		p = (ee < e) ? ee + 1 : ee;
	}
done:
	return ret;
}

/* bounded output buffer: never more than len-1 bytes, always NUL terminated */
typedef struct wbuf {
	char *s;
	int len;
	int pos;
} wbuf_t;

static int wb_put(wbuf_t *b, const char *s, int n)
{
	if(n < 0 || n > b->len - 1 - b->pos)
		return -ENOSPC;
	memcpy(b->s + b->pos, s, n);
	b->pos += n;
	b->s[b->pos] = '\0';
	return 0;
}

static int wb_putc(wbuf_t *b, char c)
{
	return wb_put(b, &c, 1);
}

static int wb_init(wbuf_t *b, char *s, int len)
{
	if(s == NULL || len <= 0)
		return -ENOSPC;
	b->s = s;
	b->len = len;
	b->pos = 0;
	s[0] = '\0';
	return 0;
}

/* printer paired with cpmw_accept_lang_parse(): "de, fr;q=0.5" */
int cpmw_accept_lang_print(
		const cpmw_lang_range_t *r, int n, char *buf, int len)
{
	wbuf_t b;
	char q[8];
	int i, ret, ql;

	if((ret = wb_init(&b, buf, len)) < 0)
		return ret;
	if(n < 0 || (n > 0 && r == NULL))
		return -EINVAL;
	for(i = 0; i < n; i++) {
		if(r[i].q < 0 || r[i].q > 1000 || r[i].tag.s == NULL)
			return -EINVAL;
		if(i > 0 && (ret = wb_put(&b, ", ", 2)) < 0)
			goto error;
		if((ret = wb_put(&b, r[i].tag.s, r[i].tag.len)) < 0)
			goto error;
		if(r[i].q == 1000)
			continue;
		/* shortest qvalue: 0, 0.5, 0.25, 0.125 */
		ql = snprintf(q, sizeof(q), "%d.%03d", r[i].q / 1000, r[i].q % 1000);
		while(ql > 1 && q[ql - 1] == '0')
			ql--;
		if(q[ql - 1] == '.')
			ql--;
		if((ret = wb_put(&b, ";q=", 3)) < 0 || (ret = wb_put(&b, q, ql)) < 0)
			goto error;
	}
	return b.pos;
error:
	buf[0] = '\0';
	return ret;
}

/* ------------------------------------------------------------------------
 * Language selection (seed 6.4.1: "SHOULD choose the language of the
 * warning text ... depending on the preferred language indicated in the
 * Accept-Language header").
 *
 * Every language that has a text for the code is a candidate: built-in
 * English and each catalogue language.  Its quality is that of the most
 * specific range matching it (RFC 2616 14.4: exact tag, a range that is a
 * prefix of the tag, then "*"); q=0 makes it unacceptable.  A language no
 * range matches that way may still be reached by lookup fallback (RFC 4647
 * 3.4): range "de-DE" falls back to "de"; the best such range counts and a
 * q=0 there excludes nothing.  The candidate with the highest q wins; ties go
 * to the range that appears first, then to an exact over a fallback match,
 * then to the default language, then to load order.  No acceptable
 * candidate: the default language.
 */

#define MATCH_NONE 0
#define MATCH_FALLBACK 1
#define MATCH_RFC2616 2

typedef struct cand {
	const str *tag;
	const str *text;
	int q, pos, kind, isdef;
} cand_t;

static void cand_rate(cand_t *c, const cpmw_lang_range_t *r, int n)
{
	int i, spec, best = -1, bq = -1;

	c->kind = MATCH_NONE;
	c->q = -1;
	c->pos = n;
	/* RFC 2616: the longest matching range decides, first one on ties */
	for(i = 0; i < n; i++) {
		if(r[i].tag.len == 1 && r[i].tag.s[0] == '*')
			spec = 0;
		else if(tag_eq(&r[i].tag, c->tag))
			spec = r[i].tag.len + 1;
		else if(tag_prefix(&r[i].tag, c->tag))
			spec = r[i].tag.len;
		else
			continue;
		if(spec > best) {
			best = spec;
			c->q = r[i].q;
			c->pos = i;
			c->kind = MATCH_RFC2616;
		}
	}
	if(c->kind != MATCH_NONE)
		return;
	/* RFC 4647 lookup fallback: "de-DE" -> "de" */
	for(i = 0; i < n; i++) {
		if(tag_prefix(c->tag, &r[i].tag) && r[i].q > bq) {
			bq = r[i].q;
			c->q = r[i].q;
			c->pos = i;
			c->kind = MATCH_FALLBACK;
		}
	}
}

/* 1 when a is preferred over b */
static int cand_better(const cand_t *a, const cand_t *b)
{
	if(a->q != b->q)
		return a->q > b->q;
	if(a->pos != b->pos)
		return a->pos < b->pos;
	if(a->kind != b->kind)
		return a->kind > b->kind;
	return a->isdef > b->isdef;
}

int cpmw_select(const cpmw_catalog_t *cat, const str *deflang, int code,
		const cpmw_lang_range_t *r, int n, cpmw_choice_t *out)
{
	cand_t c, best, def;
	int ci, i, di = -1;

	if(out == NULL || n < 0 || (n > 0 && r == NULL))
		return -EINVAL;
	if((ci = cpmw_code_index(code)) < 0)
		return ci;
	if(deflang != NULL && deflang->len > 0 && !tag_eq(deflang, &cpmw_en)) {
		di = cpmw_catalog_find(cat, deflang);
		if(di < 0)
			return -ENOENT;
	}

	/* the default: its own text, or English where it has none */
	memset(&def, 0, sizeof(def));
	def.tag = &cpmw_en;
	def.text = &cpmw_table1[ci].text;
	if(di >= 0 && cat->lang[di].text[ci].s != NULL) {
		def.tag = &cat->lang[di].tag;
		def.text = &cat->lang[di].text[ci];
	}
	def.isdef = 1;

	memset(&best, 0, sizeof(best));
	best.q = -1;

	/* built-in English */
	memset(&c, 0, sizeof(c));
	c.tag = &cpmw_en;
	c.text = &cpmw_table1[ci].text;
	c.isdef = (di < 0);
	cand_rate(&c, r, n);
	if(c.q > 0)
		best = c;
	for(i = 0; cat != NULL && i < cat->nlangs; i++) {
		if(cat->lang[i].text[ci].s == NULL)
			continue;
		c.tag = &cat->lang[i].tag;
		c.text = &cat->lang[i].text[ci];
		c.isdef = (i == di);
		cand_rate(&c, r, n);
		if(c.q > 0 && cand_better(&c, &best))
			best = c;
	}
	if(best.q <= 0)
		best = def;
	out->lang = *best.tag;
	out->text = *best.text;
	return 0;
}

int cpmw_select_al(const cpmw_catalog_t *cat, const str *deflang, int code,
		const str *al, cpmw_choice_t *out)
{
	cpmw_lang_range_t r[CPMW_MAX_RANGES];
	int n = 0;

	if(al != NULL && al->s != NULL && al->len > 0)
		cpmw_accept_lang_parse(al, r, CPMW_MAX_RANGES, &n);
	return cpmw_select(cat, deflang, code, r, n, out);
}

/* ------------------------------------------------------------------------
 * Translation catalogue.  File format (one entry a line, UTF-8):
 *
 *   file    = *( line LF )
 *   line    = *WSP [ comment / entry ] *WSP [ CR ]
 *   comment = "#" *( any but LF )
 *   entry   = lang-tag 1*WSP code 1*WSP text
 *   lang-tag= 1*8ALPHA *( "-" 1*8alphanum )     ; not "en" (built in)
 *   code    = 3DIGIT                            ; one of seed Table 1
 *   text    = 1*128( UTF-8 without CTL and C1 )  ; " and \ allowed, escaped
 *                                               ; when sent
 * A duplicate (lang-tag, code) pair is an error.
 */

/* UTF-8 (RFC 3629, lib/cpm_lex.c) without C1 controls (U+0080..U+009F):
 * they are control characters too */
static int utf8_valid(const char *s, int len)
{
	unsigned int cp;
	int i = 0, n;

	while(i < len) {
		n = cpm_lex_utf8_next(s + i, len - i, &cp);
		if(n < 0 || (cp >= 0x80 && cp <= 0x9f))
			return 0;
		i += n;
	}
	return 1;
}

static int err_set(cpmw_err_t *err, int line, int rc, const char *msg)
{
	if(err != NULL) {
		err->line = line;
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
	}
	return rc;
}

int cpmw_catalog_find(const cpmw_catalog_t *cat, const str *tag)
{
	int i;

	if(cat == NULL || tag == NULL || tag->s == NULL)
		return -ENOENT;
	for(i = 0; i < cat->nlangs; i++) {
		if(tag_eq(&cat->lang[i].tag, tag))
			return i;
	}
	return -ENOENT;
}

/* one entry line [s, e), already stripped of WSP/CR at both ends */
static int catalog_entry(cpmw_catalog_t *cat, char *s, char *e, int line,
		cpmw_err_t *err)
{
	str tag, text;
	char *p = s;
	int code, ci, li, i;

	while(p < e && !cpm_lex_is_wsp((unsigned char)*p))
		p++;
	tag.s = s;
	tag.len = (int)(p - s);
	if(cpmw_lang_tag_valid(&tag) < 0)
		return err_set(err, line, -EINVAL, "malformed language tag");
	if(tag_eq(&tag, &cpmw_en))
		return err_set(err, line, -EINVAL,
				"language 'en' is built in (seed Table 1) and cannot be "
				"redefined");
	for(i = 0; i < tag.len; i++)
		tag.s[i] = (char)cpm_lex_lower((unsigned char)tag.s[i]);

	p += cpm_lex_span(p, (int)(e - p), CPM_LEX_WSP);
	code = cpm_lex_3digit(p, (int)(e - p));
	if(code < 0 || (e - p > 3 && p[3] != ' ' && p[3] != '\t'))
		return err_set(err, line, -EINVAL, "missing or malformed 3-digit code");
	if((ci = cpmw_code_index(code)) < 0)
		return err_set(err, line, -ENOENT, "code not in seed Table 1");
	p += 3;
	p += cpm_lex_span(p, (int)(e - p), CPM_LEX_WSP);

	text.s = p;
	text.len = (int)(e - p);
	if(text.len == 0)
		return err_set(err, line, -EINVAL, "missing text");
	if(text.len > CPMW_TEXT_MAX)
		return err_set(err, line, -E2BIG, "text longer than 128 bytes");
	for(i = 0; i < text.len; i++)
		if(cpm_lex_is_ctl((unsigned char)text.s[i]))
			return err_set(err, line, -EINVAL, "control character in text");
	if(!utf8_valid(text.s, text.len))
		return err_set(err, line, -EINVAL, "text is not valid UTF-8");

	li = cpmw_catalog_find(cat, &tag);
	if(li < 0) {
		if(cat->nlangs >= CPMW_MAX_LANGS)
			return err_set(err, line, -E2BIG, "more than 32 languages");
		li = cat->nlangs++;
		cat->lang[li].tag = tag;
	}
	if(cat->lang[li].text[ci].s != NULL)
		return err_set(err, line, -EEXIST,
				"duplicate entry for this language and code");
	cat->lang[li].text[ci] = text;
	return 0;
}

/* parse cat->data[0..dlen) in place (tags are lower-cased) */
static int catalog_parse_inplace(cpmw_catalog_t *cat, cpmw_err_t *err)
{
	char *p = cat->data, *e = cat->data + cat->dlen, *le, *s, *t;
	int line = 0, ret;

	while(p < e) {
		line++;
		le = memchr(p, '\n', e - p);
		if(le == NULL)
			le = e;
		s = p;
		t = le;
		if(t > s && t[-1] == '\r')
			t--;
		s += cpm_lex_span(s, (int)(t - s), CPM_LEX_WSP);
		while(t > s && cpm_lex_is_wsp((unsigned char)t[-1]))
			t--;
		if(s < t && *s != '#') {
			if((ret = catalog_entry(cat, s, t, line, err)) < 0)
				return ret;
		}
		p = (le < e) ? le + 1 : le;
	}
	return 0;
}

static cpmw_catalog_t *catalog_alloc(int dlen)
{
	cpmw_catalog_t *cat;

	/* one block: the catalogue, then the file contents */
	cat = (cpmw_catalog_t *)pkg_malloc(sizeof(*cat) + dlen + 1);
	if(cat == NULL)
		return NULL;
	memset(cat, 0, sizeof(*cat));
	cat->data = (char *)(cat + 1);
	cat->dlen = dlen;
	cat->data[dlen] = '\0';
	return cat;
}

int cpmw_catalog_parse(
		cpmw_catalog_t **out, const char *data, int len, cpmw_err_t *err)
{
	cpmw_catalog_t *cat = NULL;
	int ret;

	if(out == NULL || len < 0 || (len > 0 && data == NULL))
		return err_set(err, 0, -EINVAL, "invalid arguments");
	*out = NULL;
	if(len > CPMW_FILE_MAX)
		return err_set(err, 0, -E2BIG, "translations larger than 64 KiB");
	if((cat = catalog_alloc(len)) == NULL)
		return err_set(err, 0, -ENOMEM, "out of pkg memory");
	if(len > 0)
		memcpy(cat->data, data, len);
	if((ret = catalog_parse_inplace(cat, err)) < 0)
		goto error;
	*out = cat;
	return 0;
error:
	cpmw_catalog_free(cat);
	return ret;
}

int cpmw_catalog_load(cpmw_catalog_t **out, const char *path, cpmw_err_t *err)
{
	cpmw_catalog_t *cat = NULL;
	FILE *f = NULL;
	struct stat st;
	int ret;

	if(out == NULL || path == NULL)
		return err_set(err, 0, -EINVAL, "invalid arguments");
	*out = NULL;
	if((f = fopen(path, "r")) == NULL) {
		ret = err_set(err, 0, -EIO, "cannot open file");
		goto error;
	}
	if(fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = err_set(err, 0, -EIO, "not a regular file");
		goto error;
	}
	if(st.st_size > CPMW_FILE_MAX) {
		ret = err_set(err, 0, -E2BIG, "translations larger than 64 KiB");
		goto error;
	}
	if((cat = catalog_alloc((int)st.st_size)) == NULL) {
		ret = err_set(err, 0, -ENOMEM, "out of pkg memory");
		goto error;
	}
	if(cat->dlen > 0 && fread(cat->data, 1, cat->dlen, f) != (size_t)cat->dlen) {
		ret = err_set(err, 0, -EIO, "short read");
		goto error;
	}
	if((ret = catalog_parse_inplace(cat, err)) < 0)
		goto error;
	fclose(f);
	*out = cat;
	return 0;
error:
	if(f != NULL)
		fclose(f);
	cpmw_catalog_free(cat);
	return ret;
}

void cpmw_catalog_free(cpmw_catalog_t *cat)
{
	if(cat != NULL)
		pkg_free(cat);
}

/* ------------------------------------------------------------------------
 * Warning header (RFC 3261 20.43; seed 6.4.1: warn-code 399, the host name
 * of the PF/CF as warn-agent, text "<xxx> <explanatory text>")
 *
 *   Warning        =  "Warning" HCOLON warning-value *(COMMA warning-value)
 *   warning-value  =  warn-code SP warn-agent SP warn-text
 *   warn-code      =  3DIGIT
 *   warn-agent     =  hostport / pseudonym
 *   warn-text      =  quoted-string
 *   pseudonym      =  token
 *   quoted-string  =  SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
 *   qdtext         =  LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 *   quoted-pair    =  "\" (%x00-09 / %x0B-0C / %x0E-7F)
 */

/* warn-agent: hostport (hostname / IPv4 / "[" IPv6 "]", optional ":" port)
 * or token; checked as a character set, not as a full grammar. */
int cpmw_host_valid(const str *host)
{
	int i;

	if(host == NULL || host->s == NULL || host->len <= 0
			|| host->len > CPMW_HOST_MAX)
		return -EINVAL;
	for(i = 0; i < host->len; i++) {
		unsigned char c = (unsigned char)host->s[i];
		if(!cpm_lex_is_token(c) && c != '[' && c != ']' && c != ':')
			return -EINVAL;
	}
	return 0;
}

/* the content of a quoted-string (lib/cpm_lex.c: CTL refused) */
static int wb_quoted(wbuf_t *b, const str *t)
{
	int n;

	n = cpm_lex_quoted_escape(t->s, t->len, b->s + b->pos, b->len - b->pos);
	if(n < 0)
		return n;
	b->pos += n;
	return 0;
}

static int warning_value_put(wbuf_t *b, const str *host, int code,
		const str *text)
{
	char num[8];
	int ret;

	if(cpmw_host_valid(host) < 0 || text == NULL
			|| (text->len > 0 && text->s == NULL) || text->len < 0)
		return -EINVAL;
	if(cpmw_code_index(code) < 0)
		return -ENOENT;
	snprintf(num, sizeof(num), "%03d", code);
	if((ret = wb_put(b, "399 ", 4)) < 0
			|| (ret = wb_put(b, host->s, host->len)) < 0
			|| (ret = wb_put(b, " \"", 2)) < 0
			|| (ret = wb_put(b, num, 3)) < 0
			|| (ret = wb_putc(b, ' ')) < 0
			|| (ret = wb_quoted(b, text)) < 0
			|| (ret = wb_putc(b, '"')) < 0)
		return ret;
	return 0;
}

int cpmw_warning_value_print(char *buf, int len, const str *host, int code,
		const str *text)
{
	wbuf_t b;
	int ret;

	if((ret = wb_init(&b, buf, len)) < 0)
		return ret;
	if((ret = warning_value_put(&b, host, code, text)) < 0)
		goto error;
	return b.pos;
error:
	buf[0] = '\0';
	return ret;
}

int cpmw_warning_hdr_print(char *buf, int len, const str *host, int code,
		const str *text)
{
	wbuf_t b;
	int ret;

	if((ret = wb_init(&b, buf, len)) < 0)
		return ret;
	if((ret = wb_put(&b, "Warning: ", 9)) < 0
			|| (ret = warning_value_put(&b, host, code, text)) < 0
			|| (ret = wb_put(&b, "\r\n", 2)) < 0)
		goto error;
	return b.pos;
error:
	buf[0] = '\0';
	return ret;
}

/* parser paired with cpmw_warning_value_print() */
int cpmw_warning_value_parse(const str *in, int *wcode, str *agent,
		char *text, int tsize, int *tlen)
{
	const char *p, *e, *a;
	wbuf_t b;
	int ret;

	if(in == NULL || in->s == NULL || wcode == NULL || agent == NULL
			|| tlen == NULL)
		return -EINVAL;
	if((ret = wb_init(&b, text, tsize)) < 0)
		return ret;
	p = skip_lws(in->s, in->s + in->len);
	e = trim_lws_end(p, in->s + in->len);

	if((ret = cpm_lex_3digit(p, (int)(e - p))) < 0)
		goto malformed;
	*wcode = ret;
	p += 3;
	if(p >= e || *p != ' ')
		goto malformed;
	a = ++p;
	while(p < e && *p != ' ')
		p++;
	agent->s = (char *)a;
	agent->len = (int)(p - a);
	if(cpmw_host_valid(agent) < 0)
		goto malformed;
	if(p >= e || *p != ' ')
		goto malformed;
	p = skip_lws(p + 1, e); /* SWS before DQUOTE */
	if(p >= e || *p != '"')
		goto malformed;
	/* warn-text = quoted-string, the last thing in the value */
	ret = cpm_lex_quoted_scan(p, (int)(e - p), text, tsize, tlen);
	if(ret == -ENOSPC)
		goto error;
	if(ret < 0 || ret != e - p)
		goto malformed;
	return 0;
malformed:
	ret = -EINVAL;
error:
	text[0] = '\0';
	*tlen = 0;
	return ret;
}
