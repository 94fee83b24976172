/*
 * cpm_pf privacy core: see cpmpf_privacy_core.h.
 */
#include <string.h>

#include "../../lib/cpm_lex.h"
#include "cpmpf_privacy_core.h"

static const struct {
	const char *name;
	int len;
	unsigned int flag;
} priv_names[] = {{"header", 6, CPMPF_PRIV_HEADER},
		{"session", 7, CPMPF_PRIV_SESSION}, {"user", 4, CPMPF_PRIV_USER},
		{"id", 2, CPMPF_PRIV_ID}, {"critical", 8, CPMPF_PRIV_CRITICAL},
		{"none", 4, CPMPF_PRIV_NONE}};
#define PRIV_NAMES (int)(sizeof(priv_names) / sizeof(priv_names[0]))

/*
 * RFC 3323 4.2 (with RFC 3325 9.3 adding "id"):
 *
 *   Privacy-hdr  = "Privacy" HCOLON priv-value *(";" priv-value)
 *   priv-value   = "header" / "session" / "user" / "none" / "critical"
 *                  / "id" / token
 *
 * The literals are case-insensitive (RFC 5234 2.3).  LWS is allowed around
 * ";" (RFC 3261 25.1 SEMI).  Input: the header value (after HCOLON).
 * Result: 0 and the OR of the flags in *flags; -EINVAL for an empty value,
 * -EBADMSG for anything else that is not the ABNF (an empty item, a
 * non-token character).  An unknown token sets CPMPF_PRIV_OTHER.
 */
int cpmpf_privacy_parse(const char *s, int len, unsigned int *flags)
{
	int i = 0, n, j, k;
	unsigned int f = 0;

	if(s == NULL || len < 0 || flags == NULL)
		return -EINVAL;
	i = cpm_lex_skip_lws(s, len);
	if(i >= len)
		return -EINVAL;
	for(;;) {
		n = cpm_lex_span(s + i, len - i, CPM_LEX_TOKEN);
		if(n == 0)
			return -EBADMSG;
		for(k = 0; k < PRIV_NAMES; k++)
			if(cpm_lex_ieq(s + i, n, priv_names[k].name, priv_names[k].len))
				break;
		f |= k < PRIV_NAMES ? priv_names[k].flag : CPMPF_PRIV_OTHER;
		i += n;
		j = cpm_lex_skip_lws(s + i, len - i);
		i += j;
		if(i >= len)
			break;
		if(s[i] != ';')
			return -EBADMSG;
		i++;
		i += cpm_lex_skip_lws(s + i, len - i);
		if(i >= len)
			return -EBADMSG;
	}
	*flags = f;
	return 0;
}

/* Printer: the known flags in a fixed order, ";"-separated (OTHER is not
 * printable: its token was not kept).  Returns the length, -EINVAL for no
 * printable flag, -ENOSPC when buf is too small (CPMPF_PRIV_PRINT_MAX
 * always suffices). */
int cpmpf_privacy_print(unsigned int flags, char *buf, int size)
{
	int k, n = 0;

	if(buf == NULL || size <= 0)
		return -EINVAL;
	for(k = 0; k < PRIV_NAMES; k++) {
		if(!(flags & priv_names[k].flag))
			continue;
		if(n + (n ? 1 : 0) + priv_names[k].len + 1 > size)
			return -ENOSPC;
		if(n)
			buf[n++] = ';';
		memcpy(buf + n, priv_names[k].name, priv_names[k].len);
		n += priv_names[k].len;
	}
	if(n == 0)
		return -EINVAL;
	buf[n] = '\0';
	return n;
}

/* RFC 3323 4.2: "none" asks that no privacy be applied and overrides the
 * others ("none" with another value is a client error; no privacy is the
 * reading that hides nothing the client did not ask to hide -- but a client
 * that also says "id" wants anonymity: "id"/"header"/"user" win, the safe
 * side for the user). */
int cpmpf_privacy_anon(unsigned int flags)
{
	return (flags & CPMPF_PRIV_ANON) ? 1 : 0;
}

/* keep digits only: "+1 555-0100" and "15550100" compare equal */
static int digits_of(const char *s, int len, char *buf, int size)
{
	int i, n = 0;

	for(i = 0; i < len; i++) {
		if(s[i] >= '0' && s[i] <= '9') {
			if(n >= size)
				return -ENOSPC;
			buf[n++] = s[i];
		}
	}
	return n;
}

int cpmpf_leak_add(cpmpf_leak_t *l, const str *w)
{
	if(l == NULL || w == NULL || w->s == NULL || w->len <= 0)
		return -EINVAL;
	if(l->n >= CPMPF_LEAK_MAX)
		return -ENOSPC;
	l->word[l->n++] = *w;
	return 0;
}

static int icontains(const char *h, int hlen, const char *n, int nlen)
{
	int i;

	for(i = 0; i + nlen <= hlen; i++)
		if(cpm_lex_ieq(h + i, nlen, n, nlen))
			return 1;
	return 0;
}

/*
 * 1 when a word of l appears in s (case-insensitive), or when the digits of
 * a word of 4 or more digits appear in the digits of s (a TEL number written
 * with separators); else 0.  Words shorter than 2 octets are ignored (a
 * one-letter user name would match everything).
 */
int cpmpf_leaks(const cpmpf_leak_t *l, const char *s, int len)
{
	char sd[256], wd[64];
	int k, sn = -1, wn;

	if(l == NULL || s == NULL || len <= 0)
		return 0;
	for(k = 0; k < l->n; k++) {
		if(l->word[k].len >= 2
				&& icontains(s, len, l->word[k].s, l->word[k].len))
			return 1;
		wn = digits_of(l->word[k].s, l->word[k].len, wd, sizeof(wd));
		if(wn < 4)
			continue;
		if(sn < 0)
			sn = digits_of(s, len, sd, sizeof(sd));
		if(sn < 0)
			return 1; /* too long to check: treat as leaking */
		if(icontains(sd, sn, wd, wn))
			return 1;
	}
	return 0;
}

int cpmpf_pseudonym(
		const cpmpf_leak_t *l, const str *display, char *buf, int size)
{
	static const char anon[] = "Anonymous";
	const char *s = "";
	int len = 0, off = 0, n, olen = 0;

	if(buf == NULL || size < (int)sizeof(anon))
		return -EINVAL;
	if(display && display->s && display->len > 0) {
		s = display->s;
		len = display->len;
	}
	/* display-name = *(token LWS) / quoted-string (RFC 3261 25.1) */
	n = cpm_lex_trim_lws(s, len, &off);
	len = n < 0 ? 0 : n;
	s += off;
	if(len >= 2 && s[0] == '"') {
		if(cpm_lex_quoted_scan(s, len, buf, size, &olen) != len)
			olen = 0; /* malformed or trailing junk: no pseudonym */
	} else if(len > 0 && len < size) {
		memmove(buf, s, len);
		olen = len;
	}
	/* no name, one that names the user, or one with a control character:
	 * "Anonymous" (RFC 3323 4.1.1.3) */
	for(n = 0; n < olen; n++)
		if(cpm_lex_is((unsigned char)buf[n], CPM_LEX_CTL))
			olen = 0;
	if(olen <= 0 || cpmpf_leaks(l, buf, olen)) {
		memcpy(buf, anon, sizeof(anon));
		return sizeof(anon) - 1;
	}
	buf[olen] = '\0';
	return olen;
}

/* FNV-1a 64 over the Call-ID and the secret, printed as 16 hex digits */
int cpmpf_callid_anon(
		const char *s, int len, unsigned long long secret, char *buf, int size)
{
	static const char hex[] = "0123456789abcdef";
	unsigned long long h = 1469598103934665603ULL ^ secret;
	int i;

	if(s == NULL || len < 0 || buf == NULL)
		return -EINVAL;
	if(size < CPMPF_CALLID_LEN + 1)
		return -ENOSPC;
	for(i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	memcpy(buf, "anon-", 5);
	for(i = 0; i < 16; i++)
		buf[5 + i] = hex[(h >> (60 - 4 * i)) & 0xf];
	buf[CPMPF_CALLID_LEN] = '\0';
	return CPMPF_CALLID_LEN;
}
