/*
 * cpm_cpim: message/cpim (RFC 3862) parser, printer and IMDN wrapper
 * builder, see cpm_cpim.h.  Pure C on cpm_lex: no Kamailio header, no
 * allocation.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "cpm_lex.h"
#include "cpm_cpim.h"

/*
 * RFC 3862 3.1:
 *   Header       = Header-name ":" *( ";" Parameter ) SP Header-value CRLF
 *   Header-name  = [ Name-prefix "." ] Name
 *   Name-prefix  = Name
 *   Parameter    = Lang-param / Ext-param
 *   Lang-param   = "lang=" Language-tag
 *   Ext-param    = Param-name "=" Param-value
 *   Param-name   = Name
 *   Param-value  = Token / Number / String
 *   Header-value = *HEADERCHAR
 *   Name         = 1*NAMECHAR
 *   Token        = 1*TOKENCHAR
 *   Number       = 1*DIGIT
 *   String       = DQUOTE *( Str-char / Escape ) DQUOTE
 *   NAMECHAR     = %x21 / %x23-27 / %x2a-2b / %x2d / %x5e-60 / %x7c / %x7e
 *                  / ALPHA / DIGIT
 *   TOKENCHAR    = NAMECHAR / "." / UCS-high
 *   HEADERCHAR   = UCS-no-CTL / Escape
 * (Language-tag and Number are Tokens; a String is skipped with
 * cpm_lex_quoted_skip: "\" escapes one octet.)
 */
static int cpim_namechar(int c)
{
	return cpm_lex_is_alnum(c) || (c != 0 && strchr("!#$%&'*+-^_`|~", c));
}

static int cpim_name_span(const char *s, int len)
{
	int i;

	for(i = 0; i < len && cpim_namechar((unsigned char)s[i]); i++)
		;
	return i;
}

/* TOKENCHAR = NAMECHAR / "." / UCS-high   (UCS-high: a non-ASCII UTF-8
 * character; a bad sequence ends the token) */
int cpm_cpim_token_span(const char *s, int len)
{
	unsigned int cp;
	int i = 0, n;

	if(s == NULL || len < 0)
		return 0;
	while(i < len) {
		if((unsigned char)s[i] >= 0x80) {
			if((n = cpm_lex_utf8_next(s + i, len - i, &cp)) < 0)
				break;
			i += n;
		} else if(s[i] == '.' || cpim_namechar((unsigned char)s[i])) {
			i++;
		} else {
			break;
		}
	}
	return i;
}

/* Param-name "=" Param-value at s: its length, or -EBADMSG with *bad the
 * offset of the problem */
int cpm_cpim_param_span(const char *s, int len, int *bad)
{
	int i, n;

	if(s == NULL || len < 0 || bad == NULL)
		return -EINVAL;
	i = cpim_name_span(s, len);
	if(i == 0 || i >= len || s[i] != '=')
		goto err;
	i++;
	if(i < len && s[i] == '"') {
		n = cpm_lex_quoted_skip(s + i, len - i);
		if(n < 0)
			goto err;
	} else {
		n = cpm_cpim_token_span(s + i, len - i);
		if(n == 0)
			goto err;
	}
	return i + n;
err:
	*bad = i;
	return -EBADMSG;
}

/* *( ";" Param-name "=" Param-value ) at s: its length, or -EBADMSG with
 * *bad the offset of the problem */
int cpm_cpim_params_span(const char *s, int len, int *bad)
{
	int i = 0, n;

	while(i < len && s[i] == ';') {
		i++;
		n = cpm_cpim_param_span(s + i, len - i, bad);
		if(n < 0) {
			*bad += i;
			return n;
		}
		i += n;
	}
	return i;
}

/* HEADERCHAR = UCS-no-CTL (RFC 3862 3.1), HTAB allowed (LENIENT); with
 * fold set, a line break followed by WSP too (RFC 5322 2.2.3 folding of
 * the inner MIME headers).  0, or -EBADMSG / -EILSEQ with *bad the offset */
static int cpim_value_ok(const char *s, int len, int fold, int *bad)
{
	unsigned int cp;
	unsigned char c;
	int i = 0, n;

	while(i < len) {
		c = (unsigned char)s[i];
		if(c >= 0x20 && c < 0x7f) { /* the common case, one test an octet */
			i++;
			continue;
		}
		if(c >= 0x80) {
			n = cpm_lex_utf8_next(s + i, len - i, &cp);
			if(n < 0) {
				*bad = i;
				return -EILSEQ;
			}
			i += n;
			continue;
		}
		if(fold && c == '\r' && i + 2 < len && s[i + 1] == '\n'
				&& cpm_lex_is_wsp((unsigned char)s[i + 2])) {
			i += 3;
			continue;
		}
		if(fold && c == '\n' && i + 1 < len
				&& cpm_lex_is_wsp((unsigned char)s[i + 1])) {
			i += 2;
			continue;
		}
		if(cpm_lex_is_ctl(c) && c != '\t') {
			*bad = i;
			return -EBADMSG;
		}
		i++;
	}
	return 0;
}

/* one line at s[i..len): the end of its content (without CRLF / LF,
 * LENIENT: a bare LF ends a line too), *next the start of the next line;
 * -1 when no LF ends it (truncated) */
static int cpim_line(const char *s, int len, int i, int *next)
{
	const char *lf = memchr(s + i, '\n', len - i);
	int e;

	if(lf == NULL)
		return -1;
	e = (int)(lf - s);
	*next = e + 1;
	if(e > i && s[e - 1] == '\r')
		e--;
	return e;
}

/* URI ">" *WSP at s[i..len) (after the "<" of an NS or From / To value):
 * *uri the URI (not empty), 0 or -EBADMSG */
static int cpim_uri_tail(const char *s, int len, int i, cpm_str_t *uri)
{
	const char *gt = memchr(s + i, '>', len - i);

	if(gt == NULL || gt == s + i)
		return -EBADMSG;
	uri->s = s + i;
	uri->len = (int)(gt - (s + i));
	i = (int)(gt - s) + 1;
	if(cpm_lex_span(s + i, len - i, CPM_LEX_WSP) != len - i)
		return -EBADMSG;
	return 0;
}

/*
 * NS header (RFC 3862 4.5):
 *   NS-value = [ Name-prefix SP ] "<" URI ">"
 * (LENIENT: any WSP around the parts.)  0 or -EBADMSG.
 */
static int cpim_ns_split(const char *s, int len, cpm_str_t *prefix,
		cpm_str_t *uri)
{
	int i, n;

	n = cpim_name_span(s, len);
	prefix->s = s;
	prefix->len = n;
	i = n + cpm_lex_span(s + n, len - n, CPM_LEX_WSP);
	if(i >= len || s[i] != '<' || (n > 0 && i == n))
		return -EBADMSG;
	i++;
	return cpim_uri_tail(s, len, i, uri);
}

static const char cpim_core[] = CPM_CPIM_NS_CORE;

/* namespace of CPIM header k: unprefixed names are the core namespace
 * (RFC 3862 3.3); a prefix is bound by the last NS header before k that
 * declares it (declaration before use, RFC 3862 4.5); unbound: empty */
static void cpim_resolve(cpm_cpim_t *m, int k)
{
	cpm_cpim_hdr_t *h = &m->hdr[k];
	cpm_str_t p, u;
	int j;

	h->ns.s = NULL;
	h->ns.len = 0;
	if(h->prefix.len == 0) {
		h->ns.s = cpim_core;
		h->ns.len = (int)sizeof(cpim_core) - 1;
		return;
	}
	for(j = k - 1; j >= 0; j--) {
		if(m->hdr[j].prefix.len != 0
				|| !cpm_lex_ieq(m->hdr[j].local.s, m->hdr[j].local.len, "NS", 2))
			continue;
		if(cpim_ns_split(m->hdr[j].value.s, m->hdr[j].value.len, &p, &u) == 0
				&& cpm_lex_ieq(p.s, p.len, h->prefix.s, h->prefix.len)) {
			h->ns = u;
			return;
		}
	}
}

/* one CPIM header line s[0..len): Header of RFC 3862 3.1 */
static int cpim_hdr(const char *s, int len, cpm_cpim_hdr_t *h, int *bad)
{
	int i, n, v, e, rc;

	memset(h, 0, sizeof(*h));
	*bad = 0;
	n = cpim_name_span(s, len);
	if(n == 0)
		return -EBADMSG; /* WSP first: CPIM headers do not fold */
	h->name.s = h->local.s = s;
	h->local.len = n;
	i = n;
	if(i < len && s[i] == '.') {
		h->prefix.s = s;
		h->prefix.len = n;
		h->local.s = s + n + 1;
		h->local.len = cpim_name_span(s + n + 1, len - n - 1);
		if(h->local.len == 0) {
			*bad = n + 1;
			return -EBADMSG;
		}
		i = n + 1 + h->local.len;
	}
	h->name.len = i;
	if(i >= len || s[i] != ':') { /* strict: no WSP before the colon */
		*bad = i;
		return -EBADMSG;
	}
	i++;
	h->params.s = s + i;
	n = cpm_cpim_params_span(s + i, len - i, bad);
	if(n < 0) {
		*bad += i;
		return n;
	}
	h->params.len = n;
	i += n;
	/* SP Header-value; LENIENT: *WSP */
	v = i + cpm_lex_span(s + i, len - i, CPM_LEX_WSP);
	for(e = len; e > v && cpm_lex_is_wsp((unsigned char)s[e - 1]); e--)
		;
	h->value.s = s + v;
	h->value.len = e - v;
	if((rc = cpim_value_ok(h->value.s, h->value.len, 0, bad)) < 0) {
		*bad += v;
		return rc;
	}
	if(h->prefix.len == 0 && cpm_lex_ieq(h->local.s, h->local.len, "NS", 2)) {
		cpm_str_t p, u;
		if(cpim_ns_split(h->value.s, h->value.len, &p, &u) < 0) {
			*bad = v;
			return -EBADMSG;
		}
	}
	return 0;
}

/*
 * mime-headers (RFC 2045 3, RFC 5322 2.2 / 2.2.3):
 *   field    = field-name ":" unstructured
 *   field-name = token            ; (cpm_lex_hdr_split: *WSP before ":")
 *   folding  = CRLF 1*WSP         ; a line starting with WSP continues one
 */
int cpm_cpim_parse(const char *s, int len, cpm_cpim_t *m, int *erroff)
{
	int i, e, nx, rc = 0, off = 0, bad, nlen, voff, vo, vl, k, cl, sect;
	cpm_cpim_hdr_t *h;
	const cpm_str_t *clv;

	if(erroff != NULL)
		*erroff = 0;
	if(s == NULL || len < 0 || m == NULL)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	if(len > CPM_CPIM_MAX_SIZE) {
		off = CPM_CPIM_MAX_SIZE;
		rc = -E2BIG;
		goto done;
	}
	i = 0;
	for(sect = 0; sect < 2; sect++) {
		for(;;) {
			e = cpim_line(s, len, i, &nx);
			if(e < 0) { /* no blank line ends the section: truncated */
				off = len;
				rc = -EBADMSG;
				goto done;
			}
			if(nx - i > CPM_CPIM_MAX_LINE) {
				off = i + CPM_CPIM_MAX_LINE;
				rc = -E2BIG;
				goto done;
			}
			if(e == i) { /* the blank line */
				i = nx;
				break;
			}
			if(sect == 0) {
				if(m->nhdr >= CPM_CPIM_MAX_HDRS) {
					off = i;
					rc = -E2BIG;
					goto done;
				}
				h = &m->hdr[m->nhdr];
				if((rc = cpim_hdr(s + i, e - i, h, &bad)) < 0) {
					off = i + bad;
					goto done;
				}
				cpim_resolve(m, m->nhdr);
				m->nhdr++;
			} else if(cpm_lex_is_wsp((unsigned char)s[i])) {
				/* a fold: the previous field's value goes on */
				if(m->nmime == 0) {
					off = i;
					rc = -EBADMSG;
					goto done;
				}
				h = &m->mime[m->nmime - 1];
				h->value.len = (int)(s + e - h->value.s);
			} else {
				if(m->nmime >= CPM_CPIM_MAX_MIME) {
					off = i;
					rc = -E2BIG;
					goto done;
				}
				if(cpm_lex_hdr_split(s + i, e - i, &nlen, &voff) < 0) {
					off = i;
					rc = -EBADMSG;
					goto done;
				}
				h = &m->mime[m->nmime++];
				h->name.s = h->local.s = s + i;
				h->name.len = h->local.len = nlen;
				h->value.s = s + i + voff;
				h->value.len = e - i - voff;
			}
			i = nx;
		}
	}
	/* the inner values: trimmed, then checked (folds allowed) */
	for(k = 0; k < m->nmime; k++) {
		h = &m->mime[k];
		vl = cpm_lex_trim_lws(h->value.s, h->value.len, &vo);
		h->value.s += vo;
		h->value.len = vl;
		if((rc = cpim_value_ok(h->value.s, h->value.len, 1, &bad)) < 0) {
			off = (int)(h->value.s - s) + bad;
			goto done;
		}
	}
	m->content.s = s + i;
	m->content.len = len - i;
	/* Content-Length = 1*DIGIT (RFC 2616 14.13 as SIP uses it) */
	if((clv = cpm_cpim_mime_get(m, "Content-Length")) != NULL) {
		if(clv->len == 0 || clv->len > 9
				|| cpm_lex_span(clv->s, clv->len, CPM_LEX_DIGIT) != clv->len) {
			off = (int)(clv->s - s);
			rc = -EBADMSG;
			goto done;
		}
		for(cl = 0, k = 0; k < clv->len; k++)
			cl = cl * 10 + (clv->s[k] - '0');
		if(cl > m->content.len) { /* truncated */
			off = len;
			rc = -EBADMSG;
			goto done;
		}
		m->content.len = cl; /* LENIENT: octets after it are ignored */
	}

done:
	if(rc < 0) {
		if(erroff != NULL)
			*erroff = off;
		memset(m, 0, sizeof(*m));
	}
	return rc;
}

static int cpim_local_is(const cpm_cpim_hdr_t *h, const char *local)
{
	return cpm_lex_ieq(h->local.s, h->local.len, local, (int)strlen(local));
}

int cpm_cpim_find(const cpm_cpim_t *m, const char *urn, const char *local,
		int from)
{
	int k;

	if(m == NULL || urn == NULL || local == NULL || from < 0)
		return -EINVAL;
	for(k = from; k < m->nhdr; k++)
		if(cpim_local_is(&m->hdr[k], local)
				&& cpm_lex_ieq(m->hdr[k].ns.s, m->hdr[k].ns.len, urn,
						(int)strlen(urn)))
			return k;
	return -ENOENT;
}

const cpm_str_t *cpm_cpim_get(
		const cpm_cpim_t *m, const char *urn, const char *local)
{
	int k = cpm_cpim_find(m, urn, local, 0);

	return k >= 0 ? &m->hdr[k].value : NULL;
}

const cpm_str_t *cpm_cpim_mime_get(const cpm_cpim_t *m, const char *name)
{
	int k;

	if(m == NULL || name == NULL)
		return NULL;
	for(k = 0; k < m->nmime; k++)
		if(cpim_local_is(&m->mime[k], name))
			return &m->mime[k].value;
	return NULL;
}

/*
 * RFC 2045 5.1:
 *   content := "Content-Type" ":" type "/" subtype *(";" parameter)
 * (the value: type "/" subtype up to the first ";", WSP trimmed)
 */
int cpm_cpim_type_is(const cpm_str_t *ct, const char *type)
{
	const char *semi;
	int n, off;

	if(ct == NULL || type == NULL || ct->len < 0
			|| (ct->s == NULL && ct->len > 0))
		return 0;
	semi = ct->len > 0 ? memchr(ct->s, ';', ct->len) : NULL;
	n = semi != NULL ? (int)(semi - ct->s) : ct->len;
	n = cpm_lex_trim_lws(ct->s, n, &off);
	return n > 0 && cpm_lex_ieq(ct->s + off, n, type, (int)strlen(type));
}

/*
 * RFC 3862 4.1:
 *   From-header-value = [ Formal-name ] "<" URI ">"
 *   Formal-name       = 1*( Token SP ) / String
 * (LENIENT: the formal name is the trimmed text before "<" when not a
 * String; nothing but WSP may follow ">".)
 */
int cpm_cpim_addr(const char *s, int len, cpm_str_t *display, cpm_str_t *uri)
{
	int i = 0, q, e;
	const char *lt;

	if(s == NULL || len < 0 || display == NULL || uri == NULL)
		return -EINVAL;
	display->s = s;
	display->len = 0;
	uri->s = s;
	uri->len = 0;
	i = cpm_lex_span(s, len, CPM_LEX_WSP);
	if(i < len && s[i] == '"') {
		q = cpm_lex_quoted_skip(s + i, len - i);
		if(q < 0)
			return -EBADMSG;
		display->s = s + i + 1;
		display->len = q - 2;
		i += q;
		i += cpm_lex_span(s + i, len - i, CPM_LEX_WSP);
		if(i >= len || s[i] != '<')
			return -EBADMSG;
		lt = s + i;
	} else {
		lt = memchr(s + i, '<', len - i);
		if(lt == NULL)
			return -EBADMSG;
		for(e = (int)(lt - s); e > i && cpm_lex_is_wsp((unsigned char)s[e - 1]);
				e--)
			;
		display->s = s + i;
		display->len = e - i;
	}
	i = (int)(lt - s) + 1;
	return cpim_uri_tail(s, len, i, uri);
}

/* ---- printers ----------------------------------------------------------- */

/* a value that parses back as itself: no leading / trailing WSP or line
 * break, nothing cpim_value_ok refuses */
static int cpim_value_printable(const cpm_str_t *v, int fold)
{
	int bad;

	if(v->len < 0 || (v->s == NULL && v->len > 0))
		return 0;
	if(v->len == 0)
		return 1;
	if(cpm_lex_is_space((unsigned char)v->s[0])
			|| cpm_lex_is_space((unsigned char)v->s[v->len - 1]))
		return 0;
	return cpim_value_ok(v->s, v->len, fold, &bad) == 0;
}

int cpm_cpim_print(const cpm_cpim_t *m, char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	const cpm_cpim_hdr_t *h;
	int k, n, bad;

	if(m == NULL || buf == NULL || size < 0 || m->nhdr < 0
			|| m->nhdr > CPM_CPIM_MAX_HDRS || m->nmime < 0
			|| m->nmime > CPM_CPIM_MAX_MIME || m->content.len < 0
			|| (m->content.s == NULL && m->content.len > 0))
		return -EINVAL;
	for(k = 0; k < m->nhdr; k++) {
		h = &m->hdr[k];
		/* Header-name = [ Name-prefix "." ] Name */
		if(h->name.s == NULL || h->name.len <= 0)
			return -EINVAL;
		n = cpim_name_span(h->name.s, h->name.len);
		if(n == 0
				|| (n < h->name.len
						&& (h->name.s[n] != '.' || n + 1 == h->name.len
								|| cpim_name_span(h->name.s + n + 1,
										   h->name.len - n - 1)
										   != h->name.len - n - 1)))
			return -EINVAL;
		if(h->params.len < 0 || (h->params.len > 0 && h->params.s == NULL)
				|| (h->params.len > 0
						&& cpm_cpim_params_span(h->params.s, h->params.len, &bad)
								   != h->params.len)
				|| !cpim_value_printable(&h->value, 0))
			return -EINVAL;
		cpm_lex_out_put(&o, h->name.s, h->name.len);
		cpm_lex_out_put(&o, ":", 1);
		cpm_lex_out_put(&o, h->params.s, h->params.len);
		cpm_lex_out_put(&o, " ", 1);
		cpm_lex_out_put(&o, h->value.s, h->value.len);
		cpm_lex_out_put(&o, "\r\n", 2);
	}
	cpm_lex_out_put(&o, "\r\n", 2);
	for(k = 0; k < m->nmime; k++) {
		h = &m->mime[k];
		if(!cpm_lex_is_token_str(h->name.s, h->name.len)
				|| !cpim_value_printable(&h->value, 1))
			return -EINVAL;
		cpm_lex_out_put(&o, h->name.s, h->name.len);
		cpm_lex_out_put(&o, ": ", 2);
		cpm_lex_out_put(&o, h->value.s, h->value.len);
		cpm_lex_out_put(&o, "\r\n", 2);
	}
	cpm_lex_out_put(&o, "\r\n", 2);
	cpm_lex_out_put(&o, m->content.s, m->content.len);
	return cpm_lex_out_end(&o);
}

/* a URI that can sit between "<" and ">" on a header line */
static int cpim_uri_ok(const cpm_str_t *u)
{
	int k, bad;

	if(u->s == NULL || u->len <= 0)
		return 0;
	for(k = 0; k < u->len; k++)
		if(u->s[k] == '<' || u->s[k] == '>'
				|| cpm_lex_is_space((unsigned char)u->s[k]))
			return 0;
	return cpim_value_ok(u->s, u->len, 0, &bad) == 0;
}

/* the head (everything before the XML) of the notification for an XML
 * body of xml_len octets into *o */
static int cpim_notif_head(const cpm_cpim_notif_t *n, int xml_len,
		cpm_lex_out_t *o)
{
	char cl[16];
	int k, v;

	if(n == NULL || !cpim_uri_ok(&n->from) || !cpim_uri_ok(&n->to)
			|| n->message_id.s == NULL
			|| cpm_cpim_token_span(n->message_id.s, n->message_id.len)
					   != n->message_id.len
			|| n->message_id.len <= 0 || n->datetime.len <= 0
			|| !cpim_value_printable(&n->datetime, 0) || xml_len <= 0)
		return -EINVAL;
	/* Content-Length of the XML, 1*DIGIT */
	v = xml_len;
	k = (int)sizeof(cl);
	do {
		cl[--k] = (char)('0' + v % 10);
		v /= 10;
	} while(v > 0);

	cpm_lex_out_str(o, "From: <");
	cpm_lex_out_put(o, n->from.s, n->from.len);
	cpm_lex_out_str(o, ">\r\nTo: <");
	cpm_lex_out_put(o, n->to.s, n->to.len);
	cpm_lex_out_str(o, ">\r\nNS: imdn <" CPM_CPIM_NS_IMDN ">\r\nimdn.Message-ID: ");
	cpm_lex_out_put(o, n->message_id.s, n->message_id.len);
	cpm_lex_out_str(o, "\r\nDateTime: ");
	cpm_lex_out_put(o, n->datetime.s, n->datetime.len);
	cpm_lex_out_str(o, "\r\n\r\nContent-Type: message/imdn+xml\r\n"
					   "Content-Disposition: notification\r\n"
					   "Content-Length: ");
	cpm_lex_out_put(o, cl + k, (int)sizeof(cl) - k);
	cpm_lex_out_str(o, "\r\n\r\n");
	return 0;
}

int cpm_cpim_build_notification(const cpm_cpim_notif_t *n, char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	int rc;

	if(n == NULL || buf == NULL || size < 0 || n->xml.s == NULL)
		return -EINVAL;
	if((rc = cpim_notif_head(n, n->xml.len, &o)) < 0)
		return rc;
	cpm_lex_out_put(&o, n->xml.s, n->xml.len);
	return cpm_lex_out_end(&o);
}

int cpm_cpim_wrap_notification(const cpm_cpim_notif_t *n, char *buf, int size)
{
	cpm_lex_out_t o = {NULL, 0, 0, 0};
	int rc, head, x;

	if(n == NULL || buf == NULL || size < 0)
		return -EINVAL;
	x = n->xml.len;
	if(x <= 0 || x > size)
		return x <= 0 ? -EINVAL : -ENOSPC;
	if((rc = cpim_notif_head(n, x, &o)) < 0)
		return rc;
	head = o.n; /* measured: nothing was written */
	if(head > size - x)
		return -ENOSPC;
	memmove(buf + head, buf, x);
	o = (cpm_lex_out_t){buf, head, 0, 0};
	cpim_notif_head(n, x, &o);
	if(head + x < size)
		buf[head + x] = '\0';
	return head + x;
}

/* date-time = full-date "T" full-time (RFC 3339 5.6), in UTC: "Z" */
int cpm_cpim_fmt_datetime(long long t, char *buf, int size)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if(buf == NULL || size <= 0)
		return -EINVAL;
	buf[0] = '\0';
	if(size < 21)
		return -ENOSPC;
	if(gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999
			|| tm.tm_year + 1900 < 0)
		return -EINVAL;
	if(strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		return -EINVAL;
	return 20;
}
