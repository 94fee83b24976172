/*
 * cpm_pf identity core: see cpmpf_identity_core.h.
 *
 * Layout of the block (one allocation, one owner: whoever built it frees it
 * with the allocator's free):
 *   struct cpmpf_idtab | entries[n] | by_user[nb] | by_uri[nb] | strings
 * Entries of one user keep the order of the rows with the default first.
 */
#include <string.h>

#include "../../lib/cpm_lex.h"
#include "cpmpf_identity_core.h"

typedef struct idtab_ent {
	str user;
	cpmpf_id_t id;
	int allow_anonymity;
	int next_user; /* chain in by_user, -1 ends */
	int next_uri;  /* chain in by_uri */
} idtab_ent_t;

struct cpmpf_idtab {
	int n;
	int nb; /* buckets, a power of two */
	idtab_ent_t *ent;
	int *by_user;
	int *by_uri;
};

static unsigned int hash_ci(const char *s, int len)
{
	unsigned int h = 2166136261u;
	int i;

	for(i = 0; i < len; i++) {
		h ^= (unsigned int)cpm_lex_lower((unsigned char)s[i]);
		h *= 16777619u;
	}
	return h;
}

/*
 * URI normalization for identity comparison (RFC 3261 19.1.4, RFC 3966 3):
 *
 *   SIP-URI  = ("sip:" / "sips:") [userinfo "@"] hostport uri-parameters
 *              [headers]
 *   userinfo = user [":" password]
 *   telephone-uri = "tel:" telephone-subscriber  ; number *par
 *
 * Normal form: "sip:" user "@" lower(host) for sip and sips (port, password,
 * parameters and headers dropped: an identity names a user, not a
 * transport); "tel:" the number without visual separators ("-" "." "(" ")")
 * and without parameters.  A URI inside "<...>" is accepted.  The user part
 * is compared case-sensitively (RFC 3261 19.1.4), scheme and host not.
 * Returns the normalized length (buf NUL-terminated), -EINVAL when s is no
 * SIP or TEL URI with a user / number, -ENOSPC.
 */
int cpmpf_uri_norm(const char *s, int len, char *buf, int size, int *kind)
{
	int i, n = 0, u0, u1, h0, h1;

	if(s == NULL || len <= 0 || buf == NULL || size <= 0)
		return -EINVAL;
	if(len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s++;
		len -= 2;
	}
	if(cpm_lex_iprefix("tel:", 4, s, len)) {
		if(size < 5)
			return -ENOSPC;
		memcpy(buf, "tel:", 4);
		n = 4;
		for(i = 4; i < len && s[i] != ';'; i++) {
			if(s[i] == '-' || s[i] == '.' || s[i] == '(' || s[i] == ')')
				continue;
			if(!(s[i] == '+' && i == 4) && !cpm_lex_is((unsigned char)s[i],
							CPM_LEX_HEX) && s[i] != '*' && s[i] != '#')
				return -EINVAL;
			if(n + 1 >= size)
				return -ENOSPC;
			buf[n++] = cpm_lex_lower((unsigned char)s[i]);
		}
		if(n == 4 || (n == 5 && buf[4] == '+'))
			return -EINVAL;
		buf[n] = '\0';
		if(kind)
			*kind = CPMPF_URI_TEL;
		return n;
	}
	if(cpm_lex_iprefix("sips:", 5, s, len))
		i = 5;
	else if(cpm_lex_iprefix("sip:", 4, s, len))
		i = 4;
	else
		return -EINVAL;
	u0 = i;
	while(i < len && s[i] != '@' && s[i] != ';' && s[i] != '?' && s[i] != '>')
		i++;
	if(i >= len || s[i] != '@')
		return -EINVAL; /* no user part: not a user's identity */
	u1 = u0;
	while(u1 < i && s[u1] != ':')
		u1++;
	if(u1 == u0)
		return -EINVAL;
	h0 = i + 1;
	h1 = h0;
	if(h1 < len && s[h1] == '[') {
		while(h1 < len && s[h1] != ']')
			h1++;
		if(h1 < len)
			h1++;
	} else {
		while(h1 < len && s[h1] != ':' && s[h1] != ';' && s[h1] != '?'
				&& s[h1] != '>')
			h1++;
	}
	if(h1 == h0)
		return -EINVAL;
	if(4 + (u1 - u0) + 1 + (h1 - h0) + 1 > size)
		return -ENOSPC;
	memcpy(buf, "sip:", 4);
	n = 4;
	memcpy(buf + n, s + u0, u1 - u0);
	n += u1 - u0;
	buf[n++] = '@';
	for(i = h0; i < h1; i++)
		buf[n++] = cpm_lex_lower((unsigned char)s[i]);
	buf[n] = '\0';
	if(kind)
		*kind = CPMPF_URI_SIP;
	return n;
}

/*
 * Builds the table from n rows (n may be 0).  Rows with an empty user, a
 * user longer than CPMPF_USER_MAX, or a URI that does not normalize are
 * skipped (*err counts them, may be NULL); a URI already owned (by anybody)
 * is skipped too: one URI, one owner.  Returns the block (alloc'ed) or NULL
 * when alloc fails.
 */
cpmpf_idtab_t *cpmpf_idtab_build(const cpmpf_id_row_t *rows, int n,
		void *(*alloc)(size_t), int *err)
{
	char nb_buf[CPMPF_URI_MAX];
	size_t sz, strsz = 0;
	cpmpf_idtab_t *t;
	char *p;
	int i, j, k, nb = 8, m = 0, bad = 0, kind, ln, pass, h;

	if(n < 0 || alloc == NULL || (n > 0 && rows == NULL))
		return NULL;
	for(i = 0; i < n; i++) {
		ln = cpmpf_uri_norm(rows[i].uri.s, rows[i].uri.len, nb_buf,
				sizeof(nb_buf), &kind);
		if(ln < 0 || rows[i].user.len <= 0 || rows[i].user.len > CPMPF_USER_MAX)
			continue;
		strsz += rows[i].user.len + rows[i].uri.len + ln + 3;
	}
	while(nb < 2 * n)
		nb <<= 1;
	sz = sizeof(*t) + n * sizeof(idtab_ent_t) + 2 * nb * sizeof(int) + strsz;
	t = alloc(sz);
	if(t == NULL)
		return NULL;
	memset(t, 0, sz);
	t->nb = nb;
	t->ent = (idtab_ent_t *)(t + 1);
	t->by_user = (int *)(t->ent + n);
	t->by_uri = t->by_user + nb;
	p = (char *)(t->by_uri + nb);
	for(k = 0; k < nb; k++)
		t->by_user[k] = t->by_uri[k] = -1;
	/* two passes: the default rows first, so that a user's chain (which
	 * lists in insertion order) starts with its default identity */
	for(pass = 0; pass < 2; pass++) {
		for(i = 0; i < n; i++) {
			if((pass == 0) != (rows[i].is_default != 0))
				continue;
			ln = cpmpf_uri_norm(rows[i].uri.s, rows[i].uri.len, nb_buf,
					sizeof(nb_buf), &kind);
			if(ln < 0 || rows[i].user.len <= 0
					|| rows[i].user.len > CPMPF_USER_MAX) {
				bad++;
				continue;
			}
			h = hash_ci(nb_buf, ln) & (nb - 1);
			for(j = t->by_uri[h]; j >= 0; j = t->ent[j].next_uri)
				if(t->ent[j].id.norm.len == ln
						&& memcmp(t->ent[j].id.norm.s, nb_buf, ln) == 0)
					break;
			if(j >= 0) {
				bad++;
				continue;
			}
			idtab_ent_t *e = &t->ent[m];
			e->user.s = p;
			memcpy(p, rows[i].user.s, rows[i].user.len);
			e->user.len = rows[i].user.len;
			p += e->user.len + 1;
			e->id.uri.s = p;
			memcpy(p, rows[i].uri.s, rows[i].uri.len);
			e->id.uri.len = rows[i].uri.len;
			p += e->id.uri.len + 1;
			e->id.norm.s = p;
			memcpy(p, nb_buf, ln);
			e->id.norm.len = ln;
			p += ln + 1;
			e->id.kind = kind;
			e->allow_anonymity = rows[i].allow_anonymity;
			/* default: the first default row of the user, or its first */
			e->id.is_default = 0;
			e->next_uri = t->by_uri[h];
			t->by_uri[h] = m;
			/* append to the user's chain (keeps row order) */
			e->next_user = -1;
			h = hash_ci(e->user.s, e->user.len) & (nb - 1);
			if(t->by_user[h] < 0) {
				t->by_user[h] = m;
			} else {
				for(j = t->by_user[h]; t->ent[j].next_user >= 0;
						j = t->ent[j].next_user)
					;
				t->ent[j].next_user = m;
			}
			m++;
		}
	}
	t->n = m;
	/* flag each user's first identity (default rows came first) */
	for(i = 0; i < m; i++) {
		h = hash_ci(t->ent[i].user.s, t->ent[i].user.len) & (nb - 1);
		for(j = t->by_user[h]; j >= 0; j = t->ent[j].next_user)
			if(t->ent[j].user.len == t->ent[i].user.len
					&& memcmp(t->ent[j].user.s, t->ent[i].user.s,
							   t->ent[i].user.len) == 0)
				break;
		t->ent[i].id.is_default = (j == i);
	}
	if(err)
		*err = bad;
	return t;
}

int cpmpf_idtab_count(const cpmpf_idtab_t *t)
{
	return t ? t->n : 0;
}

/*
 * The identities of user (exact, case-sensitive like the subscriber table),
 * default first, at most max into out.  *allow_anonymity (may be NULL) gets
 * 0 when any row of the user forbids anonymity, else 1.  Returns how many
 * the user has (0: not in the table), -EINVAL.
 */
int cpmpf_idtab_user(const cpmpf_idtab_t *t, const str *user, cpmpf_id_t *out,
		int max, int *allow_anonymity)
{
	int j, c = 0, allow = 1;

	if(t == NULL || user == NULL || user->s == NULL || (max > 0 && !out))
		return -EINVAL;
	for(j = t->by_user[hash_ci(user->s, user->len) & (t->nb - 1)]; j >= 0;
			j = t->ent[j].next_user) {
		if(t->ent[j].user.len != user->len
				|| memcmp(t->ent[j].user.s, user->s, user->len) != 0)
			continue;
		if(c < max)
			out[c] = t->ent[j].id;
		if(!t->ent[j].allow_anonymity)
			allow = 0;
		c++;
	}
	if(allow_anonymity)
		*allow_anonymity = allow;
	return c;
}

/* The user owning uri (normalized first).  0 and *user set; -ENOENT; -EINVAL
 * for a URI that is no identity at all. */
int cpmpf_idtab_owner_norm(
		const cpmpf_idtab_t *t, const char *norm, int nlen, str *user)
{
	int j;

	if(t == NULL || norm == NULL || nlen <= 0 || user == NULL)
		return -EINVAL;
	for(j = t->by_uri[hash_ci(norm, nlen) & (t->nb - 1)]; j >= 0;
			j = t->ent[j].next_uri)
		if(t->ent[j].id.norm.len == nlen
				&& memcmp(t->ent[j].id.norm.s, norm, nlen) == 0) {
			*user = t->ent[j].user;
			return 0;
		}
	return -ENOENT;
}

int cpmpf_idtab_owner(const cpmpf_idtab_t *t, const str *uri, str *user)
{
	char nb_buf[CPMPF_URI_MAX];
	int ln;

	if(t == NULL || uri == NULL || user == NULL)
		return -EINVAL;
	ln = cpmpf_uri_norm(uri->s, uri->len, nb_buf, sizeof(nb_buf), NULL);
	if(ln < 0)
		return -EINVAL;
	return cpmpf_idtab_owner_norm(t, nb_buf, ln, user);
}

/* the i-th identity (0 <= i < count), for listings */
int cpmpf_idtab_row(const cpmpf_idtab_t *t, int i, str *user, cpmpf_id_t *id,
		int *allow_anonymity)
{
	if(t == NULL || i < 0 || i >= t->n)
		return -EINVAL;
	if(user)
		*user = t->ent[i].user;
	if(id)
		*id = t->ent[i].id;
	if(allow_anonymity)
		*allow_anonymity = t->ent[i].allow_anonymity;
	return 0;
}

/*
 * P-Asserted-Identity / P-Preferred-Identity header values (RFC 3325 9.1,
 * 9.2 with RFC 3261 25.1), scanned without allocating (the core's
 * parse_pai_header() clears ten To-bodies and allocates one per header on
 * every MESSAGE of the originating step; docs/benchmarks.md):
 *
 *   PAssertedID       = "P-Asserted-Identity" HCOLON PAssertedID-value
 *                       *(COMMA PAssertedID-value)
 *   PAssertedID-value = name-addr / addr-spec
 *   name-addr         = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name      = *(token LWS) / quoted-string
 *   COMMA = SWS "," SWS;  LAQUOT = SWS "<";  RAQUOT = ">" SWS
 *
 * The addr-spec is taken as the octets between "<" and ">" (any octet
 * but ">", LWS and CTL), or, in the bare form, up to ";" "," or LWS:
 * parameters after it (RFC 3261 20: header parameters, which RFC 3325
 * defines none of) are skipped, as the core's parser does.  display is the
 * display-name as it appears (quotes included), empty when absent.
 */
/* octets of an addr-spec: any but CTL, SP, "<", ">" and DQUOTE (a table:
 * one load per octet on the originating step's hot path) */
static const unsigned char pid_uri_tab[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline int pid_uri_char(int c)
{
	return pid_uri_tab[(unsigned char)c];
}

/* skips ";param" sequences (any octet but "," and CTL outside quotes) */
static int pid_skip_params(const char *s, int len, int i)
{
	int q;

	while(i < len && s[i] == ';') {
		i++;
		while(i < len && s[i] != ',' && s[i] != ';') {
			if(s[i] == '"') {
				q = cpm_lex_quoted_skip(s + i, len - i);
				if(q < 0)
					return q;
				i += q;
				continue;
			}
			if(cpm_lex_is((unsigned char)s[i], CPM_LEX_CTL)
					&& !cpm_lex_is((unsigned char)s[i], CPM_LEX_SPACE))
				return -EINVAL;
			i++;
		}
	}
	return i;
}

/* cpm_lex_skip_lws() only where there is white space to skip */
static inline int pid_lws(const char *s, int len, int i)
{
	if(i < len && cpm_lex_is((unsigned char)s[i], CPM_LEX_SPACE))
		return i + cpm_lex_skip_lws(s + i, len - i);
	return i;
}

int cpmpf_pid_parse(const char *s, int len, cpmpf_pid_t *out, int max)
{
	int i = 0, n = 0, d0, q, u0;

	if(s == NULL || len < 0 || out == NULL || max <= 0)
		return -EINVAL;
	len = cpm_lex_rtrim_space(s, len);
	for(;;) {
		i = pid_lws(s, len, i);
		if(i >= len)
			return -EINVAL; /* empty value */
		d0 = i;
		if(s[i] == '"') {
			q = cpm_lex_quoted_skip(s + i, len - i);
			if(q < 0)
				return -EINVAL;
			i += q;
			out[n].display.s = (char *)s + d0;
			out[n].display.len = q;
			i = pid_lws(s, len, i);
			if(i >= len || s[i] != '<')
				return -EINVAL;
		} else {
			/* tokens and LWS up to "<", or a bare addr-spec */
			while(i < len
					&& (cpm_lex_is((unsigned char)s[i], CPM_LEX_TOKEN)
							|| cpm_lex_is((unsigned char)s[i], CPM_LEX_SPACE)))
				i++;
			if(i < len && s[i] == '<') {
				out[n].display.s = (char *)s + d0;
				out[n].display.len = cpm_lex_rtrim_space(s + d0, i - d0);
			} else {
				/* addr-spec: no display-name */
				i = d0;
				while(i < len && pid_uri_char((unsigned char)s[i])
						&& s[i] != ';' && s[i] != ',')
					i++;
				if(i == d0)
					return -EINVAL;
				out[n].display.s = (char *)s + d0;
				out[n].display.len = 0;
				out[n].uri.s = (char *)s + d0;
				out[n].uri.len = i - d0;
				goto params;
			}
		}
		/* LAQUOT addr-spec RAQUOT */
		u0 = ++i;
		while(i < len && pid_uri_char((unsigned char)s[i]))
			i++;
		if(i >= len || s[i] != '>' || i == u0)
			return -EINVAL;
		out[n].uri.s = (char *)s + u0;
		out[n].uri.len = i - u0;
		i++;
		i = pid_lws(s, len, i);
	params:
		i = pid_skip_params(s, len, i);
		if(i < 0)
			return -EINVAL;
		i = pid_lws(s, len, i);
		n++;
		if(i >= len)
			return n;
		if(s[i] != ',')
			return -EINVAL;
		i++;
		if(n >= max)
			return n; /* the rest is not looked at */
	}
}

int cpmpf_pid_print(const cpmpf_pid_t *v, int n, char *buf, int size)
{
	int i, k = 0, need;

	if(v == NULL || buf == NULL || size <= 0 || n < 0)
		return -EINVAL;
	for(i = 0; i < n; i++) {
		need = (i ? 2 : 0) + v[i].display.len + (v[i].display.len ? 1 : 0)
			   + v[i].uri.len + 2;
		if(k + need >= size)
			return -ENOSPC;
		if(i) {
			buf[k++] = ',';
			buf[k++] = ' ';
		}
		if(v[i].display.len) {
			memcpy(buf + k, v[i].display.s, v[i].display.len);
			k += v[i].display.len;
			buf[k++] = ' ';
		}
		buf[k++] = '<';
		memcpy(buf + k, v[i].uri.s, v[i].uri.len);
		k += v[i].uri.len;
		buf[k++] = '>';
	}
	buf[k] = '\0';
	return k;
}
