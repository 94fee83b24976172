/*
 * cpm_pf deferred delivery: pure parts (see cpmpf_store_core.h).
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cpmpf_store_core.h"

int cpmpf_pending(const long long *all, int n, const long long *done, int m,
		long long *out)
{
	int i = 0, j = 0, k = 0;

	/* merge of two ascending lists: keep what `done` lacks */
	while(i < n) {
		while(j < m && done[j] < all[i])
			j++;
		if(j < m && done[j] == all[i]) {
			i++;
			continue;
		}
		out[k++] = all[i++];
	}
	return k;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int cpmpf_hdr_listed(const str *list, const str *name)
{
	const char *p, *end, *b, *e;

	if(list == NULL || list->s == NULL || name == NULL || name->len <= 0)
		return 0;
	p = list->s;
	end = list->s + list->len;
	while(p < end) {
		b = p;
		while(p < end && *p != ',')
			p++;
		e = p;
		while(b < e && is_blank(*b))
			b++;
		while(e > b && is_blank(e[-1]))
			e--;
		if(e - b == name->len && strncasecmp(b, name->s, name->len) == 0)
			return 1;
		if(p < end)
			p++;
	}
	return 0;
}

int cpmpf_from_strip_tag(const str *in, char *out)
{
	const char *s = in->s, *end = in->s + in->len, *p, *ps, *pe, *n;
	int o = 0, inq = 0, angle = 0;

	/* find where the parameters start: after '>' when there is a
	 * name-addr, else at the first ';' (outside quotes) */
	for(p = s; p < end; p++) {
		if(inq) {
			if(*p == '\\' && p + 1 < end)
				p++;
			else if(*p == '"')
				inq = 0;
			continue;
		}
		if(*p == '"')
			inq = 1;
		else if(*p == '<')
			angle = 1;
		else if(*p == '>' && angle) {
			p++;
			break;
		} else if(*p == ';' && !angle)
			break;
	}
	memcpy(out, s, p - s);
	o = (int)(p - s);
	/* copy every parameter but tag */
	while(p < end) {
		ps = p; /* at ';' or blanks before it */
		n = p;
		while(n < end && *n != ';')
			n++;
		if(n >= end) {
			memcpy(out + o, p, end - p);
			o += (int)(end - p);
			break;
		}
		/* parameter runs from n to the next ';' (quoted values skipped) */
		pe = n + 1;
		inq = 0;
		while(pe < end && (inq || *pe != ';')) {
			if(inq && *pe == '\\' && pe + 1 < end)
				pe++;
			else if(*pe == '"')
				inq = !inq;
			pe++;
		}
		{
			const char *nm = n + 1;
			while(nm < pe && is_blank(*nm))
				nm++;
			if(pe - nm >= 3 && strncasecmp(nm, "tag", 3) == 0
					&& (pe - nm == 3 || nm[3] == '=' || is_blank(nm[3]))) {
				/* drop it, and the blanks before its ';' */
				memcpy(out + o, ps, n - ps);
				o += (int)(n - ps);
				while(o > 0 && is_blank(out[o - 1]))
					o--;
				p = pe;
				continue;
			}
		}
		memcpy(out + o, ps, pe - ps);
		o += (int)(pe - ps);
		p = pe;
	}
	return o;
}

int cpmpf_all_delivered(const str *devs, int ndevs, const str *got, int ngot)
{
	int i, j;

	if(ndevs <= 0)
		return 0;
	for(i = 0; i < ndevs; i++) {
		for(j = 0; j < ngot; j++)
			if(devs[i].len == got[j].len
					&& memcmp(devs[i].s, got[j].s, got[j].len) == 0)
				break;
		if(j == ngot)
			return 0;
	}
	return 1;
}

int cpmpf_sql_text_len(const str *s)
{
	int i, n = 2;

	for(i = 0; i < s->len; i++) {
		if(s->s[i] == '\0')
			return -EINVAL;
		n += s->s[i] == '\'' ? 2 : 1;
	}
	return n;
}

int cpmpf_sql_text(char *buf, int size, const str *s)
{
	int i, n = cpmpf_sql_text_len(s);

	if(n < 0)
		return n;
	if(n > size)
		return -ENOSPC;
	n = 0;
	buf[n++] = '\'';
	for(i = 0; i < s->len; i++) {
		if(s->s[i] == '\'')
			buf[n++] = '\'';
		buf[n++] = s->s[i];
	}
	buf[n++] = '\'';
	return n;
}

int cpmpf_sql_blob_len(const str *s)
{
	return 3 + 2 * s->len;
}

int cpmpf_sql_blob(char *buf, int size, const str *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int i, n = cpmpf_sql_blob_len(s);

	if(n > size)
		return -ENOSPC;
	n = 0;
	buf[n++] = 'X';
	buf[n++] = '\'';
	for(i = 0; i < s->len; i++) {
		buf[n++] = hex[((unsigned char)s->s[i]) >> 4];
		buf[n++] = hex[((unsigned char)s->s[i]) & 15];
	}
	buf[n++] = '\'';
	return n;
}
