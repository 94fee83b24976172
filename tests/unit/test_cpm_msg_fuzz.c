/*
 * Deterministic property tests of lib/cpm_cpim.c, lib/cpm_imdn.c and
 * lib/cpm_xml.c, in the style of test_cpm_lex_fuzz.c: a fixed-seed
 * xorshift64* generator, valid documents built from random parts and then
 * mutated, every input in a malloc() block of exactly its length (valgrind
 * sees any overread), each parser checked against a reference model
 * written here from the ABNF / the XML limits (not from the library), and
 * each printer against its parser (round trip).
 *
 * Environment: CPM_FUZZ_SEED=<n> changes the seed, CPM_FUZZ_SCALE=<n>
 * multiplies the iteration counts.  A failure prints the property, the
 * iteration and the input.
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

#include "../../lib/cpm_cpim.h"
#include "../../lib/cpm_imdn.h"
#include "../../lib/cpm_xml.h"

#define FUZZ_SEED 0x43504d2d4d534731ull /* "CPM-MSG1" */
#include "cpm_prop.h"

/* ---- growable text -------------------------------------------------------- */

#define MAXDOC 16384
typedef struct sb {
	char b[MAXDOC];
	int n;
} sb_t;

static void sb_put(sb_t *s, const char *p, int len)
{
	if(len > MAXDOC - s->n)
		len = MAXDOC - s->n;
	memcpy(s->b + s->n, p, len);
	s->n += len;
}

static void sb_str(sb_t *s, const char *p)
{
	sb_put(s, p, (int)strlen(p));
}

static void sb_chr(sb_t *s, char c)
{
	sb_put(s, &c, 1);
}

/* exact-size heap copy, registered as the current input */
static char *exact(const char *p, int n)
{
	char *q = malloc(n ? n : 1);

	assert_non_null(q);
	memcpy(q, p, n);
	g_in = q;
	g_inlen = n;
	return q;
}

/* one to three random edits: replace, insert, delete, with octets the
 * parsers care about */
static void mutate(sb_t *s)
{
	static const char hot[] = ":.;=\"<>, \t\r\n\\&#!%-_aZ09/?";
	int k, e = 1 + (int)rn(3), at;
	char c;

	for(k = 0; k < e; k++) {
		switch(rn(6)) {
			case 0:
				c = (char)rn(256);
				break;
			case 1:
				c = (char)(0x80 + rn(128));
				break;
			default:
				c = hot[rn(sizeof(hot) - 1)];
				break;
		}
		at = s->n ? (int)rn(s->n) : 0;
		switch(rn(3)) {
			case 0:
				if(s->n)
					s->b[at] = c;
				break;
			case 1:
				if(s->n < MAXDOC) {
					memmove(s->b + at + 1, s->b + at, s->n - at);
					s->b[at] = c;
					s->n++;
				}
				break;
			default:
				if(s->n) {
					memmove(s->b + at, s->b + at + 1, s->n - at - 1);
					s->n--;
				}
				break;
		}
	}
}

/* ---- reference predicates (RFC 3862 3.1, RFC 5234, RFC 3629) ------------ */

static int r_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int r_digit(int c)
{
	return c >= '0' && c <= '9';
}
/* NAMECHAR = %x21 / %x23-27 / %x2a-2b / %x2d / %x5e-60 / %x7c / %x7e
 *            / ALPHA / DIGIT */
static int r_namechar(int c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b
		   || c == 0x2d || (c >= 0x5e && c <= 0x60) || c == 0x7c || c == 0x7e
		   || r_alpha(c) || r_digit(c);
}
static int r_utf8(const unsigned char *u, int n);
/* Token = 1*TOKENCHAR, TOKENCHAR = NAMECHAR / "." / UCS-high: the length
 * of the token at u[i..n) */
static int r_tokspan(const unsigned char *u, int i, int n)
{
	int k = i, l;

	while(k < n) {
		if(u[k] >= 0x80 && (l = r_utf8(u + k, n - k)) > 0)
			k += l;
		else if(u[k] < 0x80 && (r_namechar(u[k]) || u[k] == '.'))
			k++;
		else
			break;
	}
	return k - i;
}
/* RFC 3261 token (the inner MIME field names as cpm_lex takes them) */
static int r_siptoken(int c)
{
	return r_alpha(c) || r_digit(c) || (c && strchr("-.!%*_+`'~", c));
}
static int r_wsp(int c)
{
	return c == ' ' || c == '\t';
}
static int r_ctl(int c)
{
	return c < 0x20 || c == 0x7f;
}
static int r_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
static int r_ieq(const char *a, int al, const char *b, int bl)
{
	int i;

	if(al != bl)
		return 0;
	for(i = 0; i < al; i++)
		if(r_lower((unsigned char)a[i]) != r_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* length of the UTF-8 sequence at u (RFC 3629 table), 0 when invalid */
static int r_utf8(const unsigned char *u, int n)
{
	int need, k;
	unsigned lo = 0x80, hi = 0xbf;

	if(n < 1)
		return 0;
	if(u[0] < 0x80)
		return 1;
	if(u[0] >= 0xc2 && u[0] <= 0xdf)
		need = 1;
	else if(u[0] >= 0xe0 && u[0] <= 0xef) {
		need = 2;
		if(u[0] == 0xe0)
			lo = 0xa0;
		if(u[0] == 0xed)
			hi = 0x9f;
	} else if(u[0] >= 0xf0 && u[0] <= 0xf4) {
		need = 3;
		if(u[0] == 0xf0)
			lo = 0x90;
		if(u[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if(need >= n)
		return 0;
	if(u[1] < lo || u[1] > hi)
		return 0;
	for(k = 2; k <= need; k++)
		if(u[k] < 0x80 || u[k] > 0xbf)
			return 0;
	return need + 1;
}

/* a header value: UTF-8, no CTL but HTAB; with fold, (CR)LF WSP too */
static int r_value_ok(const unsigned char *u, int n, int fold)
{
	int i = 0, k;

	while(i < n) {
		if(u[i] >= 0x80) {
			if((k = r_utf8(u + i, n - i)) == 0)
				return 0;
			i += k;
		} else if(fold && u[i] == '\r' && i + 2 < n && u[i + 1] == '\n'
				  && r_wsp(u[i + 2])) {
			i += 3;
		} else if(fold && u[i] == '\n' && i + 1 < n && r_wsp(u[i + 1])) {
			i += 2;
		} else if(r_ctl(u[i]) && u[i] != '\t') {
			return 0;
		} else {
			i++;
		}
	}
	return 1;
}

/* ---- CPIM reference model -------------------------------------------------- */

typedef struct r_hdr {
	int name, name_len, prefix_len, local, local_len, params, params_len,
			value, value_len;
	const char *ns;
	int ns_len;
} r_hdr_t;

typedef struct r_cpim {
	r_hdr_t h[64];
	int nh;
	r_hdr_t m[64];
	int nm;
	int content, content_len;
} r_cpim_t;

static int r_namespan(const unsigned char *u, int i, int n)
{
	int k = i;

	while(k < n && r_namechar(u[k]))
		k++;
	return k - i;
}

/* Ext-param = Param-name "=" ( Token / Number / String ) at u[i..n): the
 * offset after it, or -1 (a String's "\\" escapes one octet) */
static int r_param(const unsigned char *u, int i, int n)
{
	int k, q;

	if((k = r_namespan(u, i, n)) == 0)
		return -1;
	i += k;
	if(i >= n || u[i] != '=')
		return -1;
	i++;
	if(i < n && u[i] == '"') {
		for(q = i + 1; q < n && u[q] != '"'; q++)
			if(u[q] == '\\')
				q++;
		return q >= n ? -1 : q + 1;
	}
	return (k = r_tokspan(u, i, n)) == 0 ? -1 : i + k;
}

/* one CPIM header line u[0..n): 0 ok, -1 bad */
static int r_cpim_hdr(const unsigned char *u, int base, int n, r_hdr_t *h)
{
	int i, k;

	memset(h, 0, sizeof(*h));
	k = r_namespan(u, 0, n);
	if(k == 0)
		return -1;
	h->name = h->local = base;
	h->local_len = k;
	i = k;
	if(i < n && u[i] == '.') {
		h->prefix_len = k;
		h->local = base + k + 1;
		h->local_len = r_namespan(u, k + 1, n);
		if(h->local_len == 0)
			return -1;
		i = k + 1 + h->local_len;
	}
	h->name_len = i;
	if(i >= n || u[i] != ':')
		return -1;
	i++;
	h->params = base + i;
	while(i < n && u[i] == ';') {
		if((i = r_param(u, i + 1, n)) < 0)
			return -1;
	}
	h->params_len = base + i - h->params;
	while(i < n && r_wsp(u[i]))
		i++;
	for(k = n; k > i && r_wsp(u[k - 1]); k--)
		;
	h->value = base + i;
	h->value_len = k - i;
	return r_value_ok(u + i, k - i, 0) ? 0 : -1;
}

/* NS value: [ Name-prefix WSP+ ] "<" 1*not-">" ">" *WSP; the prefix and
 * URI offsets, or -1 */
static int r_ns(const unsigned char *u, int n, int *plen, int *uri, int *ulen)
{
	int i, k;

	*plen = r_namespan(u, 0, n);
	i = *plen;
	for(k = i; k < n && r_wsp(u[k]); k++)
		;
	if(*plen > 0 && k == i)
		return -1;
	i = k;
	if(i >= n || u[i] != '<')
		return -1;
	for(k = i + 1; k < n && u[k] != '>'; k++)
		;
	if(k >= n || k == i + 1)
		return -1;
	*uri = i + 1;
	*ulen = k - i - 1;
	for(k++; k < n; k++)
		if(!r_wsp(u[k]))
			return -1;
	return 0;
}

static const char R_CORE[] = "urn:ietf:params:cpim-headers:";

/* the whole body: 0 and *r, or -1 */
static int r_cpim(const char *s, int n, r_cpim_t *r)
{
	const unsigned char *u = (const unsigned char *)s;
	int i = 0, sect, e, nx, j, k, pl, ul, uo, vo, cl;
	const char *lf;

	memset(r, 0, sizeof(*r));
	if(n > CPM_CPIM_MAX_SIZE)
		return -1;
	for(sect = 0; sect < 2; sect++) {
		for(;;) {
			lf = memchr(s + i, '\n', n - i);
			if(lf == NULL)
				return -1;
			nx = (int)(lf - s) + 1;
			e = nx - 1;
			if(e > i && s[e - 1] == '\r')
				e--;
			if(nx - i > CPM_CPIM_MAX_LINE)
				return -1;
			if(e == i) {
				i = nx;
				break;
			}
			if(sect == 0) {
				r_hdr_t *h = &r->h[r->nh];
				if(r->nh >= CPM_CPIM_MAX_HDRS)
					return -1;
				if(r_cpim_hdr(u + i, i, e - i, h) < 0)
					return -1;
				if(h->prefix_len == 0 && r_ieq(s + h->local, h->local_len, "NS", 2)
						&& r_ns(u + h->value, h->value_len, &pl, &uo, &ul) < 0)
					return -1;
				/* namespace: core when unprefixed, else the last NS
				 * before it binding the prefix */
				if(h->prefix_len == 0) {
					h->ns = R_CORE;
					h->ns_len = (int)strlen(R_CORE);
				} else {
					for(j = r->nh - 1; j >= 0; j--) {
						r_hdr_t *d = &r->h[j];
						if(d->prefix_len == 0
								&& r_ieq(s + d->local, d->local_len, "NS", 2)
								&& r_ns(u + d->value, d->value_len, &pl, &uo, &ul) == 0
								&& r_ieq(s + d->value, pl, s + h->name, h->prefix_len)) {
							h->ns = s + d->value + uo;
							h->ns_len = ul;
							break;
						}
					}
				}
				r->nh++;
			} else if(r_wsp(u[i])) {
				if(r->nm == 0)
					return -1;
				r->m[r->nm - 1].value_len = e - r->m[r->nm - 1].value;
			} else {
				r_hdr_t *h = &r->m[r->nm];
				if(r->nm >= CPM_CPIM_MAX_MIME)
					return -1;
				for(k = i; k < e && r_siptoken(u[k]); k++)
					;
				if(k == i)
					return -1;
				h->name = h->local = i;
				h->name_len = h->local_len = k - i;
				while(k < e && r_wsp(u[k]))
					k++;
				if(k >= e || u[k] != ':')
					return -1;
				h->value = k + 1;
				h->value_len = e - k - 1;
				r->nm++;
			}
			i = nx;
		}
	}
	for(j = 0; j < r->nm; j++) {
		r_hdr_t *h = &r->m[j];
		/* trim: leading WSP and folds, trailing SP/HTAB/CR/LF */
		vo = h->value;
		e = h->value + h->value_len;
		for(;;) {
			if(vo < e && r_wsp(u[vo]))
				vo++;
			else if(vo + 1 < e && u[vo] == '\n' && r_wsp(u[vo + 1]))
				vo += 2;
			else if(vo + 2 < e && u[vo] == '\r' && u[vo + 1] == '\n'
					&& r_wsp(u[vo + 2]))
				vo += 3;
			else
				break;
		}
		while(e > vo && (r_wsp(u[e - 1]) || u[e - 1] == '\r' || u[e - 1] == '\n'))
			e--;
		h->value = vo;
		h->value_len = e - vo;
		if(!r_value_ok(u + vo, e - vo, 1))
			return -1;
	}
	r->content = i;
	r->content_len = n - i;
	for(j = 0; j < r->nm; j++) {
		r_hdr_t *h = &r->m[j];
		if(!r_ieq(s + h->name, h->name_len, "Content-Length", 14))
			continue;
		if(h->value_len == 0 || h->value_len > 9)
			return -1;
		for(cl = 0, k = 0; k < h->value_len; k++) {
			if(!r_digit(u[h->value + k]))
				return -1;
			cl = cl * 10 + (u[h->value + k] - '0');
		}
		if(cl > r->content_len)
			return -1;
		r->content_len = cl;
		break;
	}
	return 0;
}

/* ---- CPIM generator ---------------------------------------------------- */

static const char *const PFX[] = {"imdn", "ims", "MyFeatures", "x"};
static const char *const URNS[] = {"urn:ietf:params:imdn", "urn:x", "mid:a@b"};
static const char *const LOCAL[] = {"From", "To", "cc", "DateTime",
		"Subject", "Require", "Message-ID", "Disposition-Notification",
		"Key", "Message-Id"};

static void gen_value(sb_t *s)
{
	static const char *const parts[] = {"<sip:alice@example.com>",
			"\"Bob \\\"B\\\"\" <tel:+1555>", "positive-delivery, display",
			"2026-11-25T19:00:00Z", "caf\xc3\xa9", "\xf0\x9f\x98\x80", "a\tb",
			"x", " ", "Mq8ZJbD4gnFM5NUY"};
	int k, n = (int)rn(3);

	for(k = 0; k < n; k++)
		sb_str(s, parts[rn(sizeof(parts) / sizeof(parts[0]))]);
}

static void gen_eol(sb_t *s)
{
	sb_str(s, chance(80) ? "\r\n" : "\n");
}

/* a CPIM body, mostly valid */
static void gen_cpim(sb_t *s)
{
	int k, n, body;

	s->n = 0;
	n = chance(5) ? CPM_CPIM_MAX_HDRS + (int)rn(3) : (int)rn(9);
	for(k = 0; k < n; k++) {
		if(chance(20)) {
			sb_str(s, "NS: ");
			if(chance(85)) {
				sb_str(s, PFX[rn(4)]);
				sb_str(s, chance(80) ? " " : "\t ");
			}
			sb_chr(s, '<');
			sb_str(s, URNS[rn(3)]);
			sb_chr(s, '>');
		} else {
			if(chance(40)) {
				sb_str(s, PFX[rn(4)]);
				sb_chr(s, '.');
			}
			sb_str(s, LOCAL[rn(sizeof(LOCAL) / sizeof(LOCAL[0]))]);
			sb_chr(s, ':');
			if(chance(15))
				sb_str(s, chance(50) ? ";lang=fr"
									: chance(50) ? ";a=\"q;\\\"\";b=1.2"
												 : ";c=caf\xc3\xa9");
			if(chance(90))
				sb_chr(s, ' ');
			gen_value(s);
		}
		gen_eol(s);
	}
	gen_eol(s);
	n = (int)rn(4);
	body = (int)rn(20);
	for(k = 0; k < n; k++) {
		switch(rn(5)) {
			case 0:
				sb_str(s, "Content-type: text/plain; charset=utf-8");
				break;
			case 1:
				sb_str(s, "Content-Type: message/imdn+xml");
				break;
			case 2: {
				char b[24];
				snprintf(b, sizeof(b), "Content-length: %d",
						chance(80) ? body : (int)rn(30));
				sb_str(s, b);
				break;
			}
			case 3:
				sb_str(s, "Content-Disposition: notification");
				break;
			default:
				sb_str(s, "X-Fold: a");
				gen_eol(s);
				sb_str(s, " b");
				break;
		}
		gen_eol(s);
	}
	gen_eol(s);
	for(k = 0; k < body; k++)
		sb_chr(s, chance(90) ? (char)('a' + rn(26)) : (char)rn(256));
}

static void check_same(const cpm_cpim_t *a, const cpm_cpim_t *b)
{
	int k;

	CHECK(a->nhdr == b->nhdr && a->nmime == b->nmime, "counts");
	for(k = 0; k < a->nhdr; k++) {
		const cpm_cpim_hdr_t *x = &a->hdr[k], *y = &b->hdr[k];
		CHECK(x->name.len == y->name.len
						&& !memcmp(x->name.s, y->name.s, x->name.len)
						&& x->params.len == y->params.len
						&& !memcmp(x->params.s, y->params.s, x->params.len)
						&& x->value.len == y->value.len
						&& !memcmp(x->value.s, y->value.s, x->value.len)
						&& x->ns.len == y->ns.len
						&& !memcmp(x->ns.s, y->ns.s, x->ns.len),
				"header %d", k);
	}
	for(k = 0; k < a->nmime; k++)
		CHECK(a->mime[k].name.len == b->mime[k].name.len
						&& !memcmp(a->mime[k].name.s, b->mime[k].name.s,
								a->mime[k].name.len)
						&& a->mime[k].value.len == b->mime[k].value.len
						&& !memcmp(a->mime[k].value.s, b->mime[k].value.s,
								a->mime[k].value.len),
				"mime %d", k);
	CHECK(a->content.len == b->content.len
					&& !memcmp(a->content.s, b->content.s, a->content.len),
			"content");
}

#define SAMEV(v, o_, l_) \
	((v).len == (l_) && ((l_) == 0 || (v).s == in + (o_)))

/* parse against the model; accepted input prints and parses back equal */
static void p_cpim(void **state)
{
	static sb_t s;
	static cpm_cpim_t m, m2;
	static r_cpim_t r;
	char *in, *out;
	int it, rc, want, k, off, n;

	begin("cpim", 1);
	for(it = 0; it < iters(20000); it++) {
		g_iter = it;
		gen_cpim(&s);
		if(chance(60))
			mutate(&s);
		in = exact(s.b, s.n);
		want = r_cpim(in, s.n, &r);
		off = -1;
		rc = cpm_cpim_parse(in, s.n, &m, &off);
		CHECK((rc == 0) == (want == 0), "rc %d, model %d", rc, want);
		if(rc < 0) {
			CHECK(rc == -EBADMSG || rc == -EILSEQ || rc == -E2BIG, "code %d", rc);
			CHECK(off >= 0 && off <= s.n, "offset %d", off);
			free(in);
			continue;
		}
		CHECK(m.nhdr == r.nh && m.nmime == r.nm, "counts %d/%d want %d/%d",
				m.nhdr, m.nmime, r.nh, r.nm);
		for(k = 0; k < m.nhdr; k++) {
			r_hdr_t *h = &r.h[k];
			CHECK(SAMEV(m.hdr[k].name, h->name, h->name_len)
							&& m.hdr[k].prefix.len == h->prefix_len
							&& SAMEV(m.hdr[k].local, h->local, h->local_len)
							&& SAMEV(m.hdr[k].params, h->params, h->params_len)
							&& SAMEV(m.hdr[k].value, h->value, h->value_len),
					"header %d", k);
			CHECK(m.hdr[k].ns.len == h->ns_len
							&& (h->ns_len == 0
									|| !memcmp(m.hdr[k].ns.s, h->ns, h->ns_len)),
					"ns of %d", k);
		}
		for(k = 0; k < m.nmime; k++)
			CHECK(SAMEV(m.mime[k].name, r.m[k].name, r.m[k].name_len)
							&& SAMEV(m.mime[k].value, r.m[k].value, r.m[k].value_len),
					"mime %d", k);
		CHECK(SAMEV(m.content, r.content, r.content_len), "content");
		/* round trip through the printer, into an exact-size block */
		n = cpm_cpim_print(&m, NULL, 0);
		CHECK(n == -EINVAL, "print NULL");
		out = malloc(s.n * 2 + 64);
		assert_non_null(out);
		n = cpm_cpim_print(&m, out, s.n * 2 + 64);
		CHECK(n > 0, "print %d", n);
		free(out);
		out = malloc(n);
		assert_non_null(out);
		CHECK(cpm_cpim_print(&m, out, n - 1) == -ENOSPC, "print short");
		CHECK(cpm_cpim_print(&m, out, n) == n, "print exact");
		CHECK(cpm_cpim_parse(out, n, &m2, NULL) == 0, "reparse");
		check_same(&m, &m2);
		free(out);
		free(in);
	}
}

/* ---- Disposition-Notification model (RFC 5438 6.3) ---------------------- */

static int r_disp(const char *s, int n)
{
	const unsigned char *u = (const unsigned char *)s;
	static const char *const nm[] = {"positive-delivery",
			"negative-delivery", "display", "processing"};
	int i = 0, k, t, flags = 0;

	while(i < n && r_wsp(u[i]))
		i++;
	if(i == n)
		return 0;
	for(;;) {
		while(i < n && r_wsp(u[i]))
			i++;
		t = i + r_tokspan(u, i, n);
		if(t == i)
			return -1;
		for(k = 0; k < 4; k++)
			if(r_ieq(s + i, t - i, nm[k], (int)strlen(nm[k])))
				flags |= 1 << k;
		i = t;
		for(;;) {
			while(i < n && r_wsp(u[i]))
				i++;
			if(i >= n || u[i] != ';')
				break;
			i++;
			while(i < n && r_wsp(u[i]))
				i++;
			if((i = r_param(u, i, n)) < 0)
				return -1;
		}
		if(i == n)
			return flags;
		if(u[i] != ',')
			return -1;
		i++;
	}
}

static void p_disp(void **state)
{
	static const char *const parts[] = {"positive-delivery",
			"Negative-Delivery", "display", "PROCESSING", "x-new", "x-\xc3\xa9", ", ", ",",
			" ", ";a=1", "; b=\"x,y\"", ";c=", "\t"};
	static sb_t s;
	char *in, buf[128];
	int it, k, n, rc, want, off, f;

	begin("disp", 2);
	for(it = 0; it < iters(20000); it++) {
		g_iter = it;
		s.n = 0;
		n = (int)rn(8);
		for(k = 0; k < n; k++)
			sb_str(&s, parts[rn(sizeof(parts) / sizeof(parts[0]))]);
		if(chance(30))
			mutate(&s);
		in = exact(s.b, s.n);
		want = r_disp(in, s.n);
		off = -1;
		rc = cpm_imdn_disp_parse(in, s.n, &off);
		if(want < 0)
			CHECK(rc == -EBADMSG && off >= 0 && off <= s.n, "rc %d at %d", rc,
					off);
		else
			CHECK(rc == want, "flags %d want %d", rc, want);
		free(in);
		/* printer -> parser */
		f = (int)rn(CPM_IMDN_REQ_ALL + 1);
		n = cpm_imdn_disp_print(f, buf, sizeof(buf));
		CHECK(n >= 0, "print");
		in = exact(buf, n);
		CHECK(cpm_imdn_disp_parse(in, n, NULL) == f, "round trip %d", f);
		free(in);
	}
}

/* ---- XML: limits model and mutated IMDN documents ------------------------ */

/* a random tree in document order; *want what the limits must give:
 * elements counted and depth tracked at each start tag, as the XML
 * specification orders them */
static void gen_tree(sb_t *s, int depth, int *count, int *maxd, int *first,
		const cpm_xml_limits_t *lim)
{
	int k, n;

	++*count;
	if(*first == 0 && *count > lim->max_elems)
		*first = -EOVERFLOW;
	if(depth > *maxd)
		*maxd = depth;
	if(*first == 0 && depth > lim->max_depth)
		*first = -ELOOP;
	sb_str(s, "<e>");
	n = depth < 40 ? (chance(50) ? 0 : (int)rn(depth < 3 ? 6 : 3)) : 0;
	if(chance(5))
		n = 1; /* a deep chain now and then */
	for(k = 0; k < n && s->n < MAXDOC - 200; k++)
		gen_tree(s, depth + 1, count, maxd, first, lim);
	if(chance(30))
		sb_str(s, "t&amp;");
	sb_str(s, "</e>");
}

static void p_xml_limits(void **state)
{
	static sb_t s;
	cpm_xml_limits_t lim;
	xmlDocPtr d;
	char *in;
	int it, count, maxd, first, rc, off;

	begin("xml_limits", 3);
	for(it = 0; it < iters(1500); it++) {
		g_iter = it;
		lim.max_size = 0;
		lim.max_depth = 1 + (int)rn(12);
		lim.max_elems = 1 + (int)rn(60);
		s.n = 0;
		sb_str(&s, "<r xmlns=\"urn:r\">");
		count = 1;
		maxd = 1;
		first = 0;
		if(lim.max_elems < 1)
			first = -EOVERFLOW;
		while(chance(60) && s.n < MAXDOC - 400)
			gen_tree(&s, 2, &count, &maxd, &first, &lim);
		sb_str(&s, "</r>");
		in = exact(s.b, s.n);
		rc = cpm_xml_parse(in, s.n, "urn:r", "r", &lim, &d, &off);
		CHECK(rc == first, "rc %d want %d (count %d depth %d, limits %d/%d)",
				rc, first, count, maxd, lim.max_elems, lim.max_depth);
		CHECK((rc == 0) == (d != NULL), "doc");
		cpm_xml_free(d);
		free(in);
	}
}

static int imdn_same(const cpm_imdn_t *a, const cpm_imdn_t *b)
{
#define SF(f) (a->f.len == b->f.len && !memcmp(a->f.s, b->f.s, a->f.len))
	return a->kind == b->kind && a->status == b->status && SF(message_id)
		   && SF(datetime) && SF(recipient_uri) && SF(original_recipient_uri)
		   && SF(subject);
#undef SF
}

static int text_ok(const cpm_str_t *v)
{
	int i = 0, k;
	const unsigned char *u = (const unsigned char *)v->s;

	if(v->len > 0 && (u[0] == ' ' || u[v->len - 1] == ' '))
		return 0;
	while(i < v->len) {
		if((k = r_utf8(u + i, v->len - i)) == 0 || r_ctl(u[i]))
			return 0;
		/* U+FFFE / U+FFFF: no XML Char */
		if(k == 3 && u[i] == 0xef && u[i + 1] == 0xbf && u[i + 2] >= 0xbe)
			return 0;
		i += k;
	}
	return 1;
}

/* valid IMDNs built from random fields, mutated: never a crash or leak,
 * only the documented codes; what is accepted is a valid IMDN that builds
 * and parses back equal */
static void p_imdn(void **state)
{
	static const char *const kinds[] = {"delivery-notification",
			"display-notification", "processing-notification"};
	static const char *const st[] = {"delivered", "failed", "displayed",
			"processed", "stored", "forbidden", "error"};
	static const char *const texts[] = {"m1", "2026-11-25T19:00:00Z",
			"sip:bob@example.net", "a &amp; b", "&lt;x&gt;", "caf\xc3\xa9",
			" pad ", "<![CDATA[c]]>", "&#x263A;"};
	static const char *const extra[] = {"", "<x:y xmlns:x=\"urn:x\"/>",
			"<!-- c -->", "<?pi x?>", "<future/>",
			"<!DOCTYPE imdn>", "<!ENTITY e \"x\">", "&e;"};
	static sb_t s;
	cpm_imdn_t m, m2;
	char *in, *buf, *out, *buf2;
	int it, k, rc, n, off;

	begin("imdn", 4);
	for(it = 0; it < iters(3000); it++) {
		g_iter = it;
		s.n = 0;
		if(chance(50))
			sb_str(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		if(chance(3))
			sb_str(&s, extra[5 + rn(2)]);
		sb_str(&s, "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">");
		for(k = 0; k < 5; k++) {
			static const char *const fn[] = {"message-id", "datetime",
					"recipient-uri", "original-recipient-uri", "subject"};
			if(k >= 2 && chance(50))
				continue;
			sb_str(&s, "<");
			sb_str(&s, fn[k]);
			sb_str(&s, ">");
			sb_str(&s, texts[rn(sizeof(texts) / sizeof(texts[0]))]);
			sb_str(&s, "</");
			sb_str(&s, fn[k]);
			sb_str(&s, ">");
			if(chance(10))
				sb_str(&s, extra[rn(sizeof(extra) / sizeof(extra[0]))]);
		}
		k = (int)rn(3);
		sb_str(&s, "<");
		sb_str(&s, kinds[k]);
		sb_str(&s, "><status><");
		sb_str(&s, st[rn(7)]);
		sb_str(&s, "/></status></");
		sb_str(&s, kinds[k]);
		sb_str(&s, "></imdn>");
		if(chance(70))
			mutate(&s);
		in = exact(s.b, s.n);
		buf = malloc(CPM_IMDN_BUF_SIZE(s.n));
		assert_non_null(buf);
		off = -1;
		rc = cpm_imdn_parse(in, s.n, &m, buf, CPM_IMDN_BUF_SIZE(s.n), &off);
		CHECK(rc == 0 || rc == -EBADMSG || rc == -EPERM || rc == -EILSEQ
						|| rc == -ENOMSG || rc == -ELOOP || rc == -EOVERFLOW,
				"code %d", rc);
		CHECK(off >= 0 && off <= s.n, "offset %d", off);
		if(rc == 0) {
			CHECK(m.message_id.len > 0 && m.datetime.len > 0, "required");
			CHECK(cpm_imdn_kind_name(m.kind) != NULL
							&& cpm_imdn_status_name(m.status) != NULL,
					"kind/status");
			/* RFC 5438 7.1: the statuses each notification may carry */
			CHECK(strstr(m.kind == CPM_IMDN_DELIVERY
										 ? ",delivered,failed,forbidden,error,"
								 : m.kind == CPM_IMDN_DISPLAY
										 ? ",displayed,forbidden,error,"
										 : ",processed,stored,forbidden,error,",
						  cpm_imdn_status_name(m.status))
							!= NULL,
					"status %s in %s", cpm_imdn_status_name(m.status),
					cpm_imdn_kind_name(m.kind));
			n = cpm_imdn_build(&m, NULL, 0);
			out = malloc(MAXDOC);
			assert_non_null(out);
			n = cpm_imdn_build(&m, out, MAXDOC);
			if(n == -EINVAL) { /* a field the XML cannot carry back */
				CHECK(!text_ok(&m.message_id) || !text_ok(&m.datetime)
								|| !text_ok(&m.recipient_uri)
								|| !text_ok(&m.original_recipient_uri)
								|| !text_ok(&m.subject),
						"build refused a valid IMDN");
			} else {
				CHECK(n > 0, "build %d", n);
				buf2 = malloc(CPM_IMDN_BUF_SIZE(n));
				assert_non_null(buf2);
				CHECK(cpm_imdn_parse(out, n, &m2, buf2, CPM_IMDN_BUF_SIZE(n), NULL)
								== 0,
						"reparse");
				CHECK(imdn_same(&m, &m2), "round trip");
				free(buf2);
				/* wrapped in CPIM for the sender: the wrapper parses and
				 * its content is the IMDN again */
				{
					cpm_cpim_notif_t w = {{"sip:bob@example.net", 19},
							{"tel:+15551234567", 16}, {"n1", 2},
							{"2026-11-25T19:50:21Z", 20}, {NULL, 0}};
					cpm_cpim_t c;
					char *wb = malloc(n + 512);
					int wl;

					assert_non_null(wb);
					wl = cpm_imdn_build_cpim(&m, &w, wb, n + 512);
					CHECK(wl > n, "build_cpim %d", wl);
					CHECK(cpm_cpim_parse(wb, wl, &c, NULL) == 0
									&& c.content.len == n
									&& !memcmp(c.content.s, out, n),
							"wrapper");
					free(wb);
				}
			}
			free(out);
		}
		free(buf);
		free(in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(p_cpim),
		cmocka_unit_test(p_disp),
		cmocka_unit_test(p_xml_limits),
		cmocka_unit_test(p_imdn),
	};
	int rc;

	prop_env();
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
