/*
 * cpm_cf: REFER targets, pure code (cpmcf_refer_core.h).
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cpmcf_refer_core.h"

static int hexv(char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* %-decodes s into out (RFC 3986 2.1); -EBADMSG on a broken escape or a
 * control octet, -ENOSPC */
static int unescape(const char *s, int len, char *out, int size)
{
	int i, n = 0, h, l;
	unsigned char c;

	for(i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if(c == '%') {
			if(i + 2 >= len)
				return -EBADMSG;
			h = hexv(s[i + 1]);
			l = hexv(s[i + 2]);
			if(h < 0 || l < 0)
				return -EBADMSG;
			c = (unsigned char)(h * 16 + l);
			i += 2;
		}
		if(c < 0x20 || c == 0x7f)
			return -EBADMSG;
		if(n >= size)
			return -ENOSPC;
		out[n++] = (char)c;
	}
	return n;
}

/* octets a URI may hold here: printable, no space, no quote or brackets */
static int uri_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '"'
		   && c != '\\';
}

static int token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9') || strchr("-.!%*_+`'~", c) != NULL;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int cpmcf_replaces_parse(const char *s, int len, str *callid, str *totag,
		str *fromtag, int *early_only)
{
	int i = 0, j, have_to = 0, have_from = 0;
	str name, val;

	callid->s = (char *)s;
	while(i < len && s[i] != ';')
		i++;
	callid->len = i;
	while(callid->len > 0 && is_ws(s[callid->len - 1]))
		callid->len--;
	if(callid->len <= 0)
		return -EBADMSG;
	for(j = 0; j < callid->len; j++)
		if(!uri_char((unsigned char)s[j]))
			return -EBADMSG;
	*early_only = 0;
	while(i < len) {
		i++; /* ';' */
		while(i < len && is_ws(s[i]))
			i++;
		name.s = (char *)s + i;
		while(i < len && token_char((unsigned char)s[i]))
			i++;
		name.len = s + i - name.s;
		while(i < len && is_ws(s[i]))
			i++;
		val.s = NULL;
		val.len = 0;
		if(i < len && s[i] == '=') {
			i++;
			while(i < len && is_ws(s[i]))
				i++;
			val.s = (char *)s + i;
			while(i < len && token_char((unsigned char)s[i]))
				i++;
			val.len = s + i - val.s;
			if(val.len <= 0)
				return -EBADMSG;
			while(i < len && is_ws(s[i]))
				i++;
		}
		if(name.len <= 0 || (i < len && s[i] != ';'))
			return -EBADMSG;
		if(name.len == 6 && strncasecmp(name.s, "to-tag", 6) == 0) {
			if(val.len <= 0 || have_to++)
				return -EBADMSG;
			*totag = val;
		} else if(name.len == 8 && strncasecmp(name.s, "from-tag", 8) == 0) {
			if(val.len <= 0 || have_from++)
				return -EBADMSG;
			*fromtag = val;
		} else if(name.len == 10 && strncasecmp(name.s, "early-only", 10) == 0) {
			*early_only = 1;
		}
	}
	return (have_to && have_from) ? 0 : -EBADMSG;
}

/* the uri (no brackets) into r; see the header */
static int split_uri(const char *u, int len, cpmcf_refto_t *r, char *buf,
		int size)
{
	int i, at = -1, q = -1, pstart, n = 0, k, rc;
	const char *p, *e, *nm;
	char dec[CPMCF_REF_URI_MAX + 1];

	memset(r, 0, sizeof(*r));
	if(len <= 0 || len > CPMCF_REF_URI_MAX * 3)
		return len <= 0 ? -EBADMSG : -ENOSPC;
	for(i = 0; i < len; i++)
		if(!uri_char((unsigned char)u[i]))
			return -EBADMSG;
	if(len > 4 && strncasecmp(u, "cid:", 4) == 0) {
		/* RFC 2392: the Content-ID, %-escaped */
		rc = unescape(u + 4, len - 4, buf, size);
		if(rc == -ENOSPC)
			return rc;
		if(rc <= 0 || memchr(buf, '@', rc) == NULL)
			return -EBADMSG;
		r->uri.s = buf;
		r->uri.len = rc;
		r->is_cid = 1;
		return 0;
	}
	if(len > 4 && strncasecmp(u, "tel:", 4) == 0) {
		/* RFC 3966: a number; no method, no headers (INVITE) */
		if(len > CPMCF_REF_URI_MAX)
			return -ENOSPC;
		if(memchr(u, '?', len) != NULL)
			return -EBADMSG;
		if(u[4] != '+' && (u[4] < '0' || u[4] > '9') && hexv(u[4]) < 0
				&& u[4] != '*' && u[4] != '#')
			return -EBADMSG;
		if(len > size)
			return -ENOSPC;
		memcpy(buf, u, len);
		r->uri.s = buf;
		r->uri.len = len;
		return 0;
	}
	if(len > 4 && strncasecmp(u, "sip:", 4) == 0)
		pstart = 4;
	else if(len > 5 && strncasecmp(u, "sips:", 5) == 0)
		pstart = 5;
	else
		return -EBADMSG;
	/* userinfo may hold ";" and "?" (RFC 3261 25.1 user-unreserved):
	 * parameters and headers start after the "@" */
	for(i = pstart; i < len; i++)
		if(u[i] == '@')
			at = i;
	k = at >= 0 ? at + 1 : pstart;
	if(k >= len || u[k] == ';' || u[k] == '?' || u[k] == ':')
		return -EBADMSG; /* no host */
	for(i = k; i < len; i++)
		if(u[i] == '?') {
			q = i;
			break;
		}
	e = u + (q >= 0 ? q : len);
	/* copy scheme, userinfo, host and the parameters but method */
	p = u + k;
	while(p < e && *p != ';')
		p++;
	if(p - u > size)
		return -ENOSPC;
	memcpy(buf, u, p - u);
	n = p - u;
	while(p < e) {
		nm = ++p; /* after ';' */
		while(p < e && *p != ';')
			p++;
		if(p - nm >= 7 && strncasecmp(nm, "method=", 7) == 0) {
			if(p - nm == 13 && strncasecmp(nm + 7, "INVITE", 6) == 0)
				r->method = CPMCF_REF_INVITE;
			else if(p - nm == 10 && strncasecmp(nm + 7, "BYE", 3) == 0)
				r->method = CPMCF_REF_BYE;
			else
				return -ENOTSUP;
			continue;
		}
		if(p - nm <= 0)
			return -EBADMSG;
		if(n + 1 + (p - nm) > size)
			return -ENOSPC;
		buf[n++] = ';';
		memcpy(buf + n, nm, p - nm);
		n += p - nm;
	}
	if(n > CPMCF_REF_URI_MAX)
		return -ENOSPC;
	r->uri.s = buf;
	r->uri.len = n;
	/* headers: Replaces kept (item 6), the others dropped (RFC 3261
	 * 19.1.5: a URI's headers are not blindly honoured) */
	p = e;
	while(q >= 0 && p < u + len) {
		nm = ++p;
		while(p < u + len && *p != '&')
			p++;
		if(p - nm >= 9 && strncasecmp(nm, "Replaces=", 9) == 0) {
			str c, t, f;
			int eo;
			if(r->replaces.len > 0)
				return -EBADMSG;
			rc = unescape(nm + 9, p - nm - 9, dec, sizeof(dec));
			if(rc == -ENOSPC)
				return rc;
			if(rc <= 0 || cpmcf_replaces_parse(dec, rc, &c, &t, &f, &eo) < 0)
				return -EBADMSG;
			if(n + rc > size)
				return -ENOSPC;
			memcpy(buf + n, dec, rc);
			r->replaces.s = buf + n;
			r->replaces.len = rc;
			n += rc;
		} else if(memchr(nm, '=', p - nm) == NULL) {
			return -EBADMSG;
		}
	}
	if(r->replaces.len > 0 && r->method == CPMCF_REF_BYE)
		return -ENOTSUP;
	return 0;
}

int cpmcf_refto_parse(const char *s, int len, int addr_spec, cpmcf_refto_t *r,
		char *buf, int size)
{
	int i = 0, j;

	if(s == NULL || len < 0)
		return -EBADMSG;
	while(i < len && is_ws(s[i]))
		i++;
	while(len > i && is_ws(s[len - 1]))
		len--;
	if(i >= len)
		return -EBADMSG;
	if(addr_spec)
		return split_uri(s + i, len - i, r, buf, size);
	/* name-addr: an optional display name (token words or a quoted
	 * string) before "<" */
	if(s[i] == '"') {
		for(j = i + 1; j < len && s[j] != '"'; j++)
			if(s[j] == '\\')
				j++;
		if(j >= len)
			return -EBADMSG;
		i = j + 1;
		while(i < len && is_ws(s[i]))
			i++;
		if(i >= len || s[i] != '<')
			return -EBADMSG;
	}
	for(j = i; j < len && s[j] != '<'; j++)
		;
	if(j < len) {
		/* any words before "<" are a display name */
		for(i = j + 1; i < len && s[i] != '>'; i++)
			;
		if(i >= len)
			return -EBADMSG;
		/* after ">": header parameters only */
		for(j = i + 1; j < len && is_ws(s[j]); j++)
			;
		if(j < len && s[j] != ';')
			return -EBADMSG;
		for(j = 0; s[j] != '<'; j++)
			;
		return split_uri(s + j + 1, i - j - 1, r, buf, size);
	}
	/* addr-spec: up to the first ";" (header parameters follow) */
	for(j = i; j < len && s[j] != ';' && !is_ws(s[j]); j++)
		;
	return split_uri(s + i, j - i, r, buf, size);
}

/* the characters a Replaces hvalue keeps as they are (RFC 3261 25.1:
 * unreserved / hnv-unreserved); the others are %-escaped */
static int hv_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9') || strchr("-_.!~*'()[]/:+$", c) != NULL;
}

int cpmcf_refto_print(const cpmcf_refto_t *r, char *buf, int size)
{
	static const char hx[] = "0123456789ABCDEF";
	int n = 0, i;
	unsigned char c;

#define PUTC(ch)            \
	do {                    \
		if(n >= size)       \
			return -ENOSPC; \
		buf[n++] = (ch);    \
	} while(0)
#define PUTS(p, l)                   \
	do {                             \
		if(n + (l) > size)           \
			return -ENOSPC;          \
		memcpy(buf + n, (p), (l));   \
		n += (l);                    \
	} while(0)

	PUTC('<');
	if(r->is_cid) {
		PUTS("cid:", 4);
		for(i = 0; i < r->uri.len; i++) {
			c = (unsigned char)r->uri.s[i];
			if(hv_plain(c) || c == '@') {
				PUTC(c);
			} else {
				PUTC('%');
				PUTC(hx[c >> 4]);
				PUTC(hx[c & 15]);
			}
		}
		PUTC('>');
		return n;
	}
	PUTS(r->uri.s, r->uri.len);
	if(r->method == CPMCF_REF_BYE)
		PUTS(";method=BYE", 11);
	if(r->replaces.len > 0) {
		PUTS("?Replaces=", 10);
		for(i = 0; i < r->replaces.len; i++) {
			c = (unsigned char)r->replaces.s[i];
			if(hv_plain(c)) {
				PUTC(c);
			} else {
				PUTC('%');
				PUTC(hx[c >> 4]);
				PUTC(hx[c & 15]);
			}
		}
	}
	PUTC('>');
	return n;
#undef PUTC
#undef PUTS
}
