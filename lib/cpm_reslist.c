/*
 * cpm_reslist: RFC 4826 resource-lists as RFC 5366 / 5365 / 5368
 * recipient lists with RFC 5364 copy control; see cpm_reslist.h for the
 * schema, the semantics and every error code.  Pure C on lib/cpm_xml.
 */
#include <errno.h>
#include <string.h>

#include "cpm_lex.h"
#include "cpm_xml.h"
#include "cpm_xmlout.h"
#include "cpm_reslist.h"

static const char *const rl_copy_names[] = {"to", "cc", "bcc"};

const char *cpm_rl_copy_name(cpm_rl_copy_t c)
{
	return (c >= CPM_RL_TO && c <= CPM_RL_BCC) ? rl_copy_names[c] : NULL;
}

const char *cpm_rl_strerror(int rc)
{
	switch(rc) {
		case -EPERM:
			return "DOCTYPE / external entity (XXE) not allowed";
		case -EMLINK:
			return "entity declarations (entity expansion) not allowed";
		case -E2BIG:
			return "too many recipients";
		case -ENOMSG:
			return "not a resource-lists document (root or namespace)";
		case -EBADMSG:
			return "malformed resource-lists document";
		case -ENOSPC:
			return "buffer too small";
		default:
			return cpm_xml_strerror(rc);
	}
}

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); the
 * offset of the ":" after it, or -1 */
static int rl_scheme_end(const char *u, int len)
{
	int i;

	if(len < 2 || !cpm_lex_is_alpha((unsigned char)u[0]))
		return -1;
	for(i = 1; i < len; i++) {
		unsigned char c = (unsigned char)u[i];
		if(c == ':')
			return i;
		if(!cpm_lex_is_alnum(c) && c != '+' && c != '-' && c != '.')
			return -1;
	}
	return -1;
}

int cpm_rl_uri_ok(const char *u, int len)
{
	int i, e;

	if(u == NULL || len <= 0)
		return 0;
	e = rl_scheme_end(u, len);
	if(e < 0 || e + 1 >= len)
		return 0;
	for(i = 0; i < len; i++) {
		unsigned char c = (unsigned char)u[i];
		if(c <= 0x20 || c == 0x7f)
			return 0;
	}
	return 1;
}

/* %-decoded equality (RFC 3261 19.1.4: "characters other than those in the
 * reserved set are equivalent to their %HEX HEX encoding"; simplified:
 * every escape decoded) */
static int rl_pct_eq(const char *a, int alen, const char *b, int blen)
{
	int i = 0, j = 0, x, y;

	while(i < alen && j < blen) {
		x = cpm_lex_pct_next(a, alen, &i);
		y = cpm_lex_pct_next(b, blen, &j);
		if(x != y)
			return 0;
	}
	return i == alen && j == blen;
}

/* tel number without visual separators (RFC 3966 5.1.1) */
static int rl_tel_eq(const char *a, int alen, const char *b, int blen)
{
	int i = 0, j = 0;

	for(;;) {
		while(i < alen && strchr("-.()", a[i]) != NULL)
			i++;
		while(j < blen && strchr("-.()", b[j]) != NULL)
			j++;
		if(i == alen || j == blen)
			return i == alen && j == blen;
		if(cpm_lex_lower((unsigned char)a[i]) != cpm_lex_lower((unsigned char)b[j]))
			return 0;
		i++;
		j++;
	}
}

/* the length of s[0..len) up to the first of the octets in stop */
static int rl_upto(const char *s, int len, const char *stop)
{
	int i;

	for(i = 0; i < len; i++)
		if(s[i] != '\0' && strchr(stop, s[i]) != NULL)
			break;
	return i;
}

int cpm_rl_uri_eq(const char *a, int alen, const char *b, int blen)
{
	int ea, eb, ua, ub, na, nb;

	if(a == NULL || b == NULL || alen <= 0 || blen <= 0)
		return 0;
	ea = rl_scheme_end(a, alen);
	eb = rl_scheme_end(b, blen);
	if(ea < 0 || eb < 0)
		return cpm_lex_ieq(a, alen, b, blen);
	if(!cpm_lex_ieq(a, ea, b, eb))
		return 0;
	a += ea + 1;
	alen -= ea + 1;
	b += eb + 1;
	blen -= eb + 1;
	if(cpm_lex_ieq(a - ea - 1, ea, "sip", 3)
			|| cpm_lex_ieq(a - ea - 1, ea, "sips", 4)) {
		/* userinfo "@" hostport *(";" param) ["?" headers] */
		ua = rl_upto(a, alen, "@");
		ub = rl_upto(b, blen, "@");
		if((ua < alen) != (ub < blen))
			return 0; /* one with a user part, one without */
		if(ua < alen) {
			if(!rl_pct_eq(a, ua, b, ub))
				return 0;
			a += ua + 1;
			alen -= ua + 1;
			b += ub + 1;
			blen -= ub + 1;
		}
		return cpm_lex_ieq(a, alen, b, blen);
	}
	if(cpm_lex_ieq(a - ea - 1, ea, "tel", 3)) {
		na = rl_upto(a, alen, ";");
		nb = rl_upto(b, blen, ";");
		return rl_tel_eq(a, na, b, nb)
			   && cpm_lex_ieq(a + na, alen - na, b + nb, blen - nb);
	}
	return cpm_lex_ieq(a, alen, b, blen);
}

/* ---- parser ---------------------------------------------------------- */

typedef struct rl_ctx {
	cpm_rl_entry_t *e;
	int n, max;
	char *buf;
	int p, size;
	cpm_rl_stats_t st;
} rl_ctx_t;

/* an attribute's value, trimmed of XML white space (xs:boolean and
 * xs:nonNegativeInteger collapse it, XML Schema 2 3.2.2 / 3.3.20), into
 * t; -ENOENT when absent, -EBADMSG when too long for any valid value */
static int rl_attr_token(const xmlNode *n, const char *ns, const char *name,
		char *t, int tsize)
{
	xmlChar *v = ns ? xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns)
					: xmlGetNoNsProp(n, (const xmlChar *)name);
	int off, l;

	if(v == NULL)
		return -ENOENT;
	l = (int)strlen((const char *)v);
	off = cpm_lex_skip_space((const char *)v, l);
	l = cpm_lex_rtrim_space((const char *)v + off, l - off);
	if(l >= tsize) {
		xmlFree(v);
		return -EBADMSG;
	}
	memcpy(t, v + off, l);
	t[l] = '\0';
	xmlFree(v);
	return l;
}

static int rl_entry(rl_ctx_t *c, const xmlNode *n)
{
	xmlChar *u;
	xmlNode *dn;
	cpm_rl_entry_t *x;
	char t[24];
	int ul, rc, k, i, start = c->p;
	cpm_rl_copy_t copy = CPM_RL_TO;
	int anon = 0;
	unsigned long count = 0;

	c->st.entries++;
	/* RFC 4826 3.2: uri is required */
	u = xmlGetNoNsProp(n, (const xmlChar *)"uri");
	if(u == NULL)
		return -EBADMSG;
	ul = (int)strlen((const char *)u);
	if(!cpm_rl_uri_ok((const char *)u, ul)) {
		xmlFree(u);
		return -EBADMSG;
	}
	if(ul + 1 > c->size - c->p) {
		xmlFree(u);
		return -ENOSPC;
	}
	memcpy(c->buf + c->p, u, ul);
	c->buf[c->p + ul] = '\0';
	xmlFree(u);
	/* RFC 5364 5: the copy control attributes */
	rc = rl_attr_token(n, CPM_RL_CP_XMLNS, "copyControl", t, sizeof(t));
	if(rc >= 0) {
		for(k = 0; k < 3; k++)
			if(strcmp(t, rl_copy_names[k]) == 0)
				break;
		if(k == 3)
			return -EBADMSG;
		copy = (cpm_rl_copy_t)k;
	} else if(rc != -ENOENT) {
		return rc;
	}
	rc = rl_attr_token(n, CPM_RL_CP_XMLNS, "anonymize", t, sizeof(t));
	if(rc >= 0) {
		if(strcmp(t, "true") == 0 || strcmp(t, "1") == 0)
			anon = 1;
		else if(strcmp(t, "false") != 0 && strcmp(t, "0") != 0)
			return -EBADMSG;
	} else if(rc != -ENOENT) {
		return rc;
	}
	rc = rl_attr_token(n, CPM_RL_CP_XMLNS, "count", t, sizeof(t));
	if(rc >= 0) {
		if(rc == 0 || rc > 18)
			return -EBADMSG;
		for(k = 0; k < rc; k++) {
			if(!cpm_lex_is_digit((unsigned char)t[k]))
				return -EBADMSG;
			count = count * 10 + (unsigned long)(t[k] - '0');
		}
	} else if(rc != -ENOENT) {
		return rc;
	}
	/* a duplicate: merged into the first (cpm_reslist.h) */
	for(i = 0; i < c->n; i++) {
		x = &c->e[i];
		if(cpm_rl_uri_eq(x->uri.s, x->uri.len, c->buf + start, ul)) {
			if(copy < x->copy)
				x->copy = copy;
			x->anonymize |= anon;
			if(count > x->count)
				x->count = count;
			c->st.duplicates++;
			return 0;
		}
	}
	if(c->n >= c->max)
		return -E2BIG;
	x = &c->e[c->n];
	memset(x, 0, sizeof(*x));
	x->uri.s = c->buf + start;
	x->uri.len = ul;
	x->copy = copy;
	x->anonymize = anon;
	x->count = count;
	c->p += ul + 1;
	dn = cpm_xml_child(n, CPM_RL_XMLNS, "display-name");
	if(dn != NULL) {
		rc = cpm_xml_text(dn, c->buf + c->p, c->size - c->p);
		if(rc < 0)
			return rc;
		if(rc > 0) {
			x->display_name.s = c->buf + c->p;
			x->display_name.len = rc;
			c->p += rc + 1;
		}
	}
	c->n++;
	return 0;
}

/* depth is bounded by cpm_xml's element depth limit */
static int rl_list(rl_ctx_t *c, const xmlNode *l)
{
	const xmlNode *x;
	int rc;

	c->st.lists++;
	for(x = l->children; x != NULL; x = x->next) {
		if(x->type != XML_ELEMENT_NODE)
			continue;
		if(cpm_xml_is(x, CPM_RL_XMLNS, "entry")) {
			if((rc = rl_entry(c, x)) < 0)
				return rc;
		} else if(cpm_xml_is(x, CPM_RL_XMLNS, "list")) {
			if((rc = rl_list(c, x)) < 0)
				return rc;
		} else if(cpm_xml_is(x, CPM_RL_XMLNS, "external")
				  || cpm_xml_is(x, CPM_RL_XMLNS, "entry-ref")) {
			c->st.skipped++;
		} /* display-name, ##other: skipped */
	}
	return 0;
}

/* octet offset of needle in s[0..len), -1 */
static int rl_find(const char *s, int len, const char *needle)
{
	int nl = (int)strlen(needle), i;

	for(i = 0; i + nl <= len; i++)
		if(memcmp(s + i, needle, nl) == 0)
			return i;
	return -1;
}

/*
 * cpm_xml refused a DOCTYPE (-EPERM) before reading a declaration.  Name
 * the attack from the raw octets of the DOCTYPE (up to "]>" or the first
 * ">" without an internal subset): an external identifier anywhere in it
 * (doctypedecl / EntityDecl ExternalID = "SYSTEM" / "PUBLIC", XML 1.0 2.8
 * and 4.2.2) is XXE: -EPERM; internal entity declarations are an expansion
 * bomb: -EMLINK; anything else stays -EPERM.
 */
int cpm_rl_classify_doctype(const char *s, int len)
{
	int d = rl_find(s, len, "<!DOCTYPE"), e, b;

	if(d < 0)
		return -EPERM;
	s += d;
	len -= d;
	b = rl_find(s, len, "[");
	e = rl_find(s, len, ">");
	if(b >= 0 && (e < 0 || b < e)) {
		e = rl_find(s + b, len - b, "]");
		e = e < 0 ? len : b + e;
	} else if(e < 0) {
		e = len;
	}
	if(rl_find(s, e, "SYSTEM") >= 0 || rl_find(s, e, "PUBLIC") >= 0)
		return -EPERM;
	if(rl_find(s, e, "<!ENTITY") >= 0)
		return -EMLINK;
	return -EPERM;
}

int cpm_rl_parse_ex(const char *s, int len, cpm_rl_entry_t *e, int max,
		char *buf, int size, cpm_rl_stats_t *st)
{
	xmlDocPtr doc = NULL;
	const xmlNode *root, *x;
	rl_ctx_t c;
	int rc;

	if(st != NULL)
		memset(st, 0, sizeof(*st));
	if(s == NULL || len <= 0 || e == NULL || max <= 0 || buf == NULL
			|| size <= 0)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	c.e = e;
	c.max = max;
	c.buf = buf;
	c.size = size;
	buf[0] = '\0';
	rc = cpm_xml_parse(s, len, CPM_RL_XMLNS, "resource-lists", NULL, &doc,
			NULL);
	if(rc == -EPERM)
		rc = cpm_rl_classify_doctype(s, len);
	if(rc < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	for(x = root->children; x != NULL; x = x->next) {
		if(cpm_xml_is(x, CPM_RL_XMLNS, "list")) {
			if((rc = rl_list(&c, x)) < 0)
				goto done;
		}
	}
	rc = c.n;

done:
	cpm_xml_free(doc);
	if(st != NULL)
		*st = c.st;
	if(rc < 0) {
		memset(e, 0, sizeof(*e) * (c.n > 0 ? c.n : 1));
		buf[0] = '\0';
	}
	return rc;
}

int cpm_rl_parse(const char *s, int len, cpm_rl_entry_t *e, int max,
		char *buf, int size)
{
	return cpm_rl_parse_ex(s, len, e, max, buf, size, NULL);
}

/* ---- printer --------------------------------------------------------- */

int cpm_rl_print(const cpm_rl_entry_t *e, int n, char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	int i, j;

	if(n < 0 || (n > 0 && e == NULL) || size < 0 || (buf == NULL && size))
		return -EINVAL;
	for(i = 0; i < n; i++) {
		if(!cpm_rl_uri_ok(e[i].uri.s, e[i].uri.len)
				|| cpm_xo_check(e[i].uri.s, e[i].uri.len, 0) < 0
				|| cpm_rl_copy_name(e[i].copy) == NULL
				|| e[i].count > 999999999999999999UL /* 18 digits */
				|| cpm_xo_check(e[i].display_name.s, e[i].display_name.len, 1)
						   < 0)
			return -EINVAL;
		for(j = 0; j < i; j++)
			if(cpm_rl_uri_eq(e[i].uri.s, e[i].uri.len, e[j].uri.s,
					   e[j].uri.len))
				return -EINVAL;
	}
	cpm_lex_out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
						"<resource-lists xmlns=\"" CPM_RL_XMLNS
						"\" xmlns:cp=\"" CPM_RL_CP_XMLNS "\">\n<list>\n");
	for(i = 0; i < n; i++) {
		cpm_lex_out_str(&o, "<entry");
		cpm_xo_attr(&o, "uri", e[i].uri.s, e[i].uri.len);
		cpm_lex_out_str(&o, " cp:copyControl=\"");
		cpm_lex_out_str(&o, cpm_rl_copy_name(e[i].copy));
		cpm_lex_out_str(&o, "\"");
		if(e[i].anonymize)
			cpm_lex_out_str(&o, " cp:anonymize=\"true\"");
		if(e[i].count > 0) {
			cpm_lex_out_str(&o, " cp:count=\"");
			cpm_xo_ulong(&o, e[i].count);
			cpm_lex_out_str(&o, "\"");
		}
		if(e[i].display_name.len > 0) {
			cpm_lex_out_str(&o, ">");
			cpm_xo_elem(&o, "display-name", e[i].display_name.s,
					e[i].display_name.len);
			cpm_lex_out_str(&o, "</entry>\n");
		} else {
			cpm_lex_out_str(&o, "/>\n");
		}
	}
	cpm_lex_out_str(&o, "</list>\n</resource-lists>\n");
	return cpm_lex_out_end(&o);
}
