/*
 * cpm_xmlout: escaping for the bounded XML printers of lib/ (cpm_reslist,
 * cpm_xdm, cpm_confinfo), on lib/cpm_lex's cpm_lex_out_t.
 *
 * A printer must give back what its parser reads (parse(print(x)) == x),
 * so a value is refused (-EINVAL) when lib/cpm_xml or libxml2 would not
 * return it unchanged: bad UTF-8 (cpm_xml refuses the document), a C0
 * control or DEL (XML 1.0 2.2 forbids most C0 controls; TAB / CR / LF come
 * back normalised in attributes, RFC-irrelevant in our values), U+FFFE /
 * U+FFFF (not XML Chars), and for element text white space at either end
 * (cpm_xml_text trims it).  "&", "<", ">", DQUOTE are written as entity
 * references (XML 1.0 2.4, 3.3.3).
 */
#ifndef CPM_XMLOUT_H
#define CPM_XMLOUT_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* 0 when s[0..len) can be written as XML text (text != 0: element
 * content, trimmed by the parser) or attribute value, -EINVAL otherwise */
static inline int cpm_xo_check(const char *s, int len, int text)
{
	unsigned int cp;
	int i = 0, n;

	if(len < 0 || (len > 0 && s == NULL))
		return -EINVAL;
	if(text && len > 0
			&& (cpm_lex_is_space((unsigned char)s[0])
					|| cpm_lex_is_space((unsigned char)s[len - 1])))
		return -EINVAL;
	while(i < len) {
		unsigned char c = (unsigned char)s[i];
		if(c < 0x80) {
			if(c < 0x20 || c == 0x7f)
				return -EINVAL;
			i++;
			continue;
		}
		n = cpm_lex_utf8_next(s + i, len - i, &cp);
		if(n < 0 || cp == 0xfffe || cp == 0xffff)
			return -EINVAL;
		i += n;
	}
	return 0;
}

/* append s escaped; the check above must have passed */
static inline void cpm_xo_esc(cpm_lex_out_t *o, const char *s, int len)
{
	int i, k = 0;

	for(i = 0; i < len; i++) {
		const char *r = NULL;
		switch(s[i]) {
			case '&':
				r = "&amp;";
				break;
			case '<':
				r = "&lt;";
				break;
			case '>':
				r = "&gt;";
				break;
			case '"':
				r = "&quot;";
				break;
			default:
				continue;
		}
		cpm_lex_out_put(o, s + k, i - k);
		cpm_lex_out_str(o, r);
		k = i + 1;
	}
	cpm_lex_out_put(o, s + k, len - k);
}

/* ` name="value"` (value escaped); -EINVAL when it cannot be carried */
static inline int cpm_xo_attr(
		cpm_lex_out_t *o, const char *name, const char *s, int len)
{
	if(cpm_xo_check(s, len, 0) < 0)
		return -EINVAL;
	cpm_lex_out_put(o, " ", 1);
	cpm_lex_out_str(o, name);
	cpm_lex_out_put(o, "=\"", 2);
	cpm_xo_esc(o, s, len);
	cpm_lex_out_put(o, "\"", 1);
	return 0;
}

/* `<name>text</name>` (text escaped); -EINVAL when it cannot be carried */
static inline int cpm_xo_elem(
		cpm_lex_out_t *o, const char *name, const char *s, int len)
{
	if(cpm_xo_check(s, len, 1) < 0)
		return -EINVAL;
	cpm_lex_out_put(o, "<", 1);
	cpm_lex_out_str(o, name);
	cpm_lex_out_put(o, ">", 1);
	cpm_xo_esc(o, s, len);
	cpm_lex_out_put(o, "</", 2);
	cpm_lex_out_str(o, name);
	cpm_lex_out_put(o, ">", 1);
	return 0;
}

/* an unsigned decimal */
static inline void cpm_xo_ulong(cpm_lex_out_t *o, unsigned long v)
{
	char t[24];
	int k = (int)sizeof(t);

	do {
		t[--k] = (char)('0' + v % 10);
		v /= 10;
	} while(v > 0);
	cpm_lex_out_put(o, t + k, (int)sizeof(t) - k);
}

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
