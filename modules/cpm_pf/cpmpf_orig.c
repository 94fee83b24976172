/*
 * cpm_pf originating and terminating identity steps (seed 6.1, 6.3) and the
 * Pager Mode size limit (seed 5.1).  See docs/cpm_pf.md, "Authenticated
 * originator, privacy and Pager Mode size".
 *
 * cpmpf_orig() runs in the originating PF for a request of a served user:
 *   - the authenticated originator (seed 6.1) is the P-Asserted-Identity of
 *     a request from a trusted peer (the script says so: trusted_source),
 *     else the digest-authenticated user (auth_user, read by the script
 *     before consume_credentials()); with neither: 403 + "127 Service not
 *     authorised" (seed 6.1, 6.4: the user is not authorised to send);
 *   - a P-Preferred-Identity is honoured only when it is one of the user's
 *     own identities (cpm_identity); another one: 403 + "122 Function not
 *     allowed" (seed Table 1: refused without saying why, so a client cannot
 *     probe whose identity a URI is);
 *   - Privacy id/header/user (RFC 3323/3325, seed 6.3): operator policy
 *     may forbid anonymity (403 + "119 Anonymity not allowed"); else the
 *     request is anonymized here, where the originator is known
 *     (cpmpf_privacy.c);
 *   - P-Preferred-Identity and any received P-Asserted-Identity are removed;
 *     the asserted identity (SIP URI and the user's TEL URI) is remembered
 *     in $xavp(cpmpf_orig) for the terminating step.
 * cpmpf_term() runs where the request leaves toward the recipient (or a
 * peer): it inserts P-Asserted-Identity (RFC 3325 9.1), except toward an
 * untrusted next hop when the originator asked for privacy (RFC 3325 9.3).
 * One MESSAGE passes both in the standalone deployment; the P-Asserted-
 * Identity is written once, by the terminating step, so no step has to
 * undo what another added.
 */
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/data_lump.h"
#include "core/counters.h"
#include "core/forward.h"
#include "core/xavp.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/parser/parse_uri.h"
#include "core/parser/parse_ppi_pai.h"
#include "core/parser/msg_parser.h"

#include "../../lib/cpm_lex.h"
#include "cpmpf_identity.h"
#include "cpmpf_privacy_core.h"
#include "cpmpf_privacy.h"
#include "cpmpf_orig.h"

#define DISP_MAX 128

static cpm_warning_api_t *pf_cpmw;
static sl_api_t pf_slb;

static counter_handle_t cnt_asserted, cnt_refused, cnt_privacy, cnt_large;

/* clang-format off */
static counter_def_t orig_cnt_defs[] = {
	{&cnt_asserted, "orig_asserted", 0, 0, 0,
		"requests whose authenticated originator the PF asserted (seed 6.1)"},
	{&cnt_refused, "orig_refused", 0, 0, 0,
		"requests refused for their originator: none, another user's"
		" P-Preferred-Identity, anonymity not allowed"},
	{&cnt_privacy, "privacy_applied", 0, 0, 0,
		"requests anonymized for Privacy id/header/user (seed 6.3)"},
	{&cnt_large, "pager_too_large", 0, 0, 0,
		"MESSAGEs refused with 413 above max_pager_size (seed 5.1)"},
	{0, 0, 0, 0, 0, 0}
};
/* clang-format on */

/* The originator travels from the originating to the terminating step (the
 * same request, possibly a branch or failure route) in ONE xavp string value
 * (one allocation, one lookup: a tree of four children cost ~8k
 * instructions per MESSAGE):
 *   $xavp(cpmpf_orig) = <mode> <sip> LF <tel> LF <display>
 * mode: 0 write P-Asserted-Identity, 1 anonymous (only toward trusted next
 * hops), k the received one (a trusted peer's, complete) is kept as it is
 * (URIs and an unquoted display name hold no LF: the parsers stop at CRLF). */
static str x_name = str_init("cpmpf_orig");

int cpmpf_orig_init(cpm_warning_api_t *cpmw)
{
	pf_cpmw = cpmw;
	if(sl_load_api(&pf_slb) < 0) {
		LM_ERR("cpm_pf needs the sl module\n");
		return -1;
	}
	if(cpmpf_privacy_init() < 0)
		return -1;
	if(counter_register_array("cpm_pf", orig_cnt_defs) < 0) {
		LM_ERR("cannot register the originator statistics\n");
		return -1;
	}
	return 0;
}

/* the originator as the PF asserts it */
typedef struct orig {
	char user[CPMPF_USER_MAX + 1];
	int user_len;
	char sip[CPMPF_URI_MAX];
	int sip_len;
	char tel[CPMPF_URI_MAX];
	int tel_len;
	char disp[DISP_MAX]; /* unquoted display name */
	int disp_len;
	cpmpf_uids_t ids; /* the user's provisioned identities (ids.n may be 0) */
	int pai_complete; /* a trusted peer's PAI already says all we would */
} orig_t;

static int refuse(struct sip_msg *msg, int code, const char *why)
{
	str r = {0, 0};

	counter_inc(cnt_refused);
	LM_DBG("refused (%d): %s\n", code, why);
	if(pf_cpmw->reply(msg, 403, &r, code) < 0)
		return CPMPF_ERR;
	return CPMPF_REFUSED;
}

static void put(char *dst, int *dlen, int size, const str *s)
{
	if(s->len <= 0 || s->len >= size)
		return;
	memcpy(dst, s->s, s->len);
	dst[s->len] = '\0';
	*dlen = s->len;
}

/* display-name (RFC 3261 25.1: *(token LWS) / quoted-string) unquoted into
 * o->disp; nothing when absent or unparsable */
static void set_display(orig_t *o, str *d)
{
	int off = 0, n, olen = 0;

	if(d == NULL || d->s == NULL || d->len <= 0)
		return;
	n = cpm_lex_trim_lws(d->s, d->len, &off);
	if(n <= 0)
		return;
	if(d->s[off] == '"') {
		if(cpm_lex_quoted_scan(d->s + off, n, o->disp, sizeof(o->disp), &olen)
				!= n)
			return;
		o->disp_len = olen;
	} else if(n < (int)sizeof(o->disp)) {
		memcpy(o->disp, d->s + off, n);
		o->disp[n] = '\0';
		o->disp_len = n;
	}
}

/* host part of a normalized "sip:user@host" */
static int norm_host(const char *norm, int nlen, str *host, str *user)
{
	const char *at = memchr(norm, '@', nlen);

	if(at == NULL || nlen < 5)
		return -1;
	host->s = (char *)at + 1;
	host->len = norm + nlen - host->s;
	if(user) {
		user->s = (char *)norm + 4;
		user->len = at - norm - 4;
	}
	return 0;
}

/* fill sip/tel from the user's provisioned identities where still empty */
static void fill_from_ids(orig_t *o)
{
	int i;

	for(i = 0; i < o->ids.n; i++) {
		str u = {o->ids.id[i].uri, o->ids.id[i].len};
		if(o->ids.id[i].kind == CPMPF_URI_SIP && o->sip_len == 0)
			put(o->sip, &o->sip_len, sizeof(o->sip), &u);
		else if(o->ids.id[i].kind == CPMPF_URI_TEL && o->tel_len == 0)
			put(o->tel, &o->tel_len, sizeof(o->tel), &u);
	}
}

/*
 * Is uri (a P-Preferred-Identity) one of the user's own identities?  The
 * provisioned ones, compared normalized; a SIP URI whose host is this proxy
 * (`myself`: the served domain and its aliases) matches a provisioned SIP
 * identity of the same user part on a `myself` host, or, for a user with no
 * row, the user's default sip:<user>@<served domain>.  1 yes, 0 no.
 */
static int own_identity(orig_t *o, str *uri, int *kind)
{
	char nb[CPMPF_URI_MAX];
	str h, u, ih, iu;
	int n, i;

	n = cpmpf_uri_norm(uri->s, uri->len, nb, sizeof(nb), kind);
	if(n < 0)
		return 0;
	for(i = 0; i < o->ids.n; i++)
		if(o->ids.id[i].nlen == n && memcmp(o->ids.id[i].norm, nb, n) == 0)
			return 1;
	if(*kind != CPMPF_URI_SIP || norm_host(nb, n, &h, &u) < 0
			|| !check_self(&h, 0, 0))
		return 0;
	if(o->ids.n == 0)
		return u.len == o->user_len && memcmp(u.s, o->user, u.len) == 0;
	for(i = 0; i < o->ids.n; i++) {
		if(o->ids.id[i].kind != CPMPF_URI_SIP
				|| norm_host(o->ids.id[i].norm, o->ids.id[i].nlen, &ih, &iu) < 0)
			continue;
		if(iu.len == u.len && memcmp(iu.s, u.s, u.len) == 0
				&& check_self(&ih, 0, 0))
			return 1;
	}
	return 0;
}

/* originator from the P-Asserted-Identity of a trusted peer; -1 none (or
 * a malformed header).  Every P-Asserted-Identity header is scanned in
 * place (cpmpf_pid_parse(): no allocation, unlike parse_pai_header()). */
static int orig_from_pai(struct sip_msg *msg, orig_t *o)
{
	cpmpf_pid_t v[CPMPF_PID_MAX];
	struct hdr_field *h;
	char nb[CPMPF_URI_MAX], first[CPMPF_URI_MAX];
	int i, n, kind, ln, first_len = -1;

	for(h = msg->pai; h; h = next_sibling_hdr(h)) {
		n = cpmpf_pid_parse(h->body.s, h->body.len, v, CPMPF_PID_MAX);
		if(n < 0) {
			LM_DBG("malformed P-Asserted-Identity [%.*s]\n", h->body.len,
					h->body.s);
			return -1;
		}
		for(i = 0; i < n; i++) {
			ln = cpmpf_uri_norm(v[i].uri.s, v[i].uri.len, nb, sizeof(nb),
					&kind);
			if(ln < 0)
				continue;
			if(kind == CPMPF_URI_SIP && o->sip_len == 0)
				put(o->sip, &o->sip_len, sizeof(o->sip), &v[i].uri);
			else if(kind == CPMPF_URI_TEL && o->tel_len == 0)
				put(o->tel, &o->tel_len, sizeof(o->tel), &v[i].uri);
			else
				continue;
			/* the owner is looked up by the SIP URI when there is one,
			 * else by the TEL URI: keep that one's normal form */
			if(kind == CPMPF_URI_SIP || first_len < 0) {
				memcpy(first, nb, ln);
				first_len = ln;
			}
			if(o->disp_len == 0)
				set_display(o, &v[i].display);
		}
	}
	if(o->sip_len == 0 && o->tel_len == 0)
		return -1;
	/* a served user: its provisioned identities complete the asserted
	 * pair (seed 6.1: SIP and TEL URI) and give its privacy policy */
	o->user_len = cpmpf_identity_owner_norm(
			first, first_len, o->user, sizeof(o->user));
	if(o->user_len > 0) {
		str un = {o->user, o->user_len};
		int had = o->sip_len > 0 && o->tel_len > 0;
		if(cpmpf_identity_get(&un, &o->ids) == 0)
			fill_from_ids(o);
		o->pai_complete = had;
	} else {
		/* not a provisioned user: nothing to add to what the peer said */
		o->pai_complete = 1;
		o->user_len = 0;
		o->ids.n = 0;
		o->ids.allow_anonymity = 1;
	}
	return 0;
}

/* originator = the digest-authenticated user; then its P-Preferred-Identity
 * (seed 6.1).  0, or CPMPF_REFUSED / CPMPF_ERR from refuse() */
static int orig_from_auth(struct sip_msg *msg, str *au, orig_t *o)
{
	struct to_body *from;
	p_id_body_t *b;
	int i, kind, n;
	char def[CPMPF_URI_MAX];
	str d;

	if(au->len > CPMPF_USER_MAX)
		return refuse(msg, 127, "user name too long");
	memcpy(o->user, au->s, au->len);
	o->user[au->len] = '\0';
	o->user_len = au->len;
	if(cpmpf_identity_get(au, &o->ids) < 0)
		return CPMPF_ERR;
	from = get_from(msg);
	/* a served user without a row: sip:<user>@<the served domain as the
	 * client named it in From> (the cfg authenticated From = this user on
	 * a `myself` domain) */
	if(o->ids.n == 0) {
		struct sip_uri *fu = parse_from_uri(msg);
		if(fu == NULL || fu->host.len <= 0)
			return CPMPF_ERR;
		n = snprintf(def, sizeof(def), "sip:%.*s@%.*s", au->len, au->s,
				fu->host.len, fu->host.s);
		if(n <= 0 || n >= (int)sizeof(def))
			return CPMPF_ERR;
		d.s = def;
		d.len = n;
		put(o->sip, &o->sip_len, sizeof(o->sip), &d);
	}
	if(parse_ppi_header(msg) == 0 && msg->ppi != NULL) {
		/* RFC 3325 9.2: at most one SIP and one TEL URI; each must be
		 * the user's own */
		for(b = get_ppi(msg); b; b = b->next) {
			for(i = 0; i < b->num_ids; i++) {
				if(!own_identity(o, &b->id[i].uri, &kind))
					return refuse(msg, 122, "P-Preferred-Identity not the"
											" user's own");
				if(kind == CPMPF_URI_SIP)
					put(o->sip, &o->sip_len, sizeof(o->sip), &b->id[i].uri);
				else
					put(o->tel, &o->tel_len, sizeof(o->tel), &b->id[i].uri);
				if(o->disp_len == 0)
					set_display(o, &b->id[i].display);
			}
		}
	}
	fill_from_ids(o);
	/* seed 6.3: the display name of the authenticated originator's
	 * address (P-Preferred-Identity), else that of From */
	if(o->disp_len == 0 && from)
		set_display(o, &from->display);
	return 0;
}

/* The originator of the request cpmpf_message_orig() (to_xavp 0) handled
 * last in this process: cpmpf_message_term() of the same request reads it
 * here, with no xavp (one shm allocation, one free with the transaction).
 * msg->id and msg->pid name one request of one process; a request that
 * the originating step did not see in this process is looked up in the
 * xavp. */
static struct {
	unsigned int id;
	int pid;
	int len;
	char v[2 * CPMPF_URI_MAX + DISP_MAX + 4];
} last = {0, -1, 0, {0}};

static int remember(struct sip_msg *msg, orig_t *o, int anon, int keep,
		int to_xavp)
{
	char *buf = last.v;
	sr_xval_t v;
	int n = 0;

	last.pid = -1; /* invalid until complete */
	buf[n++] = keep ? 'k' : anon ? '1' : '0';
	memcpy(buf + n, o->sip, o->sip_len);
	n += o->sip_len;
	buf[n++] = '\n';
	memcpy(buf + n, o->tel, o->tel_len);
	n += o->tel_len;
	buf[n++] = '\n';
	if(memchr(o->disp, '\n', o->disp_len) == NULL) {
		memcpy(buf + n, o->disp, o->disp_len);
		n += o->disp_len;
	}
	last.len = n;
	if(!to_xavp) {
		last.id = msg->id;
		last.pid = msg->pid;
		return 0;
	}
	memset(&v, 0, sizeof(v));
	v.type = SR_XTYPE_STR;
	v.v.s.s = buf;
	v.v.s.len = n;
	return xavp_add_value(&x_name, &v, NULL) == NULL ? -1 : 0;
}

int cpmpf_orig_value(struct sip_msg *msg, str *val)
{
	sr_xavp_t *x;

	if(msg && msg->id == last.id && msg->pid == last.pid) {
		val->s = last.v;
		val->len = last.len;
		return 0;
	}
	x = xavp_get(&x_name, NULL);
	if(x == NULL || x->val.type != SR_XTYPE_STR)
		return -1;
	*val = x->val.v.s;
	return 0;
}

/* splits the remembered value: 0, or -1 when there is none */
static int recall(
		struct sip_msg *msg, int *anon, int *keep, str *sip, str *tel, str *disp)
{
	str val;
	char *p, *e, *nl;

	if(cpmpf_orig_value(msg, &val) < 0 || val.len < 3)
		return -1;
	p = val.s;
	e = p + val.len;
	*keep = (*p == 'k');
	*anon = (*p++ == '1');
	nl = memchr(p, '\n', e - p);
	if(nl == NULL)
		return -1;
	sip->s = p;
	sip->len = nl - p;
	p = nl + 1;
	nl = memchr(p, '\n', e - p);
	if(nl == NULL)
		return -1;
	tel->s = p;
	tel->len = nl - p;
	disp->s = nl + 1;
	disp->len = e - disp->s;
	return 0;
}

/* the OR of every Privacy header's values; 0 none, -1 malformed */
static int privacy_flags(struct sip_msg *msg, unsigned int *flags)
{
	struct hdr_field *h;
	unsigned int f;

	*flags = 0;
	for(h = msg->headers; h; h = h->next) {
		if(h->type != HDR_PRIVACY_T)
			continue;
		if(cpmpf_privacy_parse(h->body.s, h->body.len, &f) < 0)
			return -1;
		*flags |= f;
	}
	return 0;
}

int cpmpf_orig(
		struct sip_msg *msg, str *auth_user, int trusted_source, int to_xavp)
{
	static orig_t o; /* ~6 KB: per process, not on the stack */
	unsigned int pflags;
	int rc, anon, keep;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || parse_from_header(msg) < 0
			|| parse_to_header(msg) < 0) {
		LM_ERR("cannot parse the request's headers\n");
		return CPMPF_ERR;
	}
	if(get_to(msg)->tag_value.len > 0)
		return CPMPF_ORIG_NOT_INITIAL;
	/* only the lengths and counts matter: the buffers are written before
	 * they are read (a memset of the ~5 KB costs more than the rest) */
	o.user_len = o.sip_len = o.tel_len = o.disp_len = 0;
	o.user[0] = o.sip[0] = o.tel[0] = o.disp[0] = '\0';
	o.ids.n = 0;
	o.ids.allow_anonymity = 1;
	o.pai_complete = 0;
	if(trusted_source) {
		if(orig_from_pai(msg, &o) < 0)
			return refuse(msg, 127, "trusted peer asserted no identity");
	} else if(auth_user && auth_user->s && auth_user->len > 0) {
		rc = orig_from_auth(msg, auth_user, &o);
		if(rc != 0)
			return rc;
	} else {
		return refuse(msg, 127, "no authenticated originator");
	}
	if(privacy_flags(msg, &pflags) < 0) {
		counter_inc(cnt_refused);
		str r = str_init("Bad Request: malformed Privacy header");
		return pf_slb.freply(msg, 400, &r) < 0 ? CPMPF_ERR : CPMPF_REFUSED;
	}
	anon = cpmpf_privacy_anon(pflags);
	if(anon && !o.ids.allow_anonymity)
		return refuse(msg, 119, "anonymity not allowed for the user");
	/* identity headers of the client never go on: the terminating step
	 * writes the asserted identity (RFC 3325 9.1, 9.2) */
	if(cpmpf_del_hdrs(msg, HDR_PPI_T) < 0)
		return CPMPF_ERR;
	/* a trusted peer's P-Asserted-Identity that already holds everything
	 * (both URIs, or all the user has) stays as it is, and the terminating
	 * step adds nothing (no lumps to build and clone per branch) */
	keep = trusted_source && o.pai_complete && !anon;
	if(!keep && cpmpf_del_hdrs(msg, HDR_PAI_T) < 0)
		return CPMPF_ERR;
	if(anon) {
		cpmpf_privacy_who_t w;
		memset(&w, 0, sizeof(w));
		w.user.s = o.user;
		w.user.len = o.user_len;
		w.sip.s = o.sip;
		w.sip.len = o.sip_len;
		w.tel.s = o.tel;
		w.tel.len = o.tel_len;
		w.disp.s = o.disp;
		w.disp.len = o.disp_len;
		w.ids = &o.ids;
		if(cpmpf_anonymize(msg, &w) < 0)
			return CPMPF_ERR;
		counter_inc(cnt_privacy);
	} else if(cpmpf_referred_by(msg, &o.ids, o.sip, o.sip_len, o.tel,
					  o.tel_len)
			  < 0) {
		return CPMPF_ERR;
	}
	if(remember(msg, &o, anon, keep, to_xavp) < 0) {
		LM_ERR("cannot remember the originator in $xavp(cpmpf_orig)\n");
		return CPMPF_ERR;
	}
	counter_inc(cnt_asserted);
	return anon ? CPMPF_ORIG_ANONYMIZED : CPMPF_ORIG_ASSERTED;
}

/* appends one P-Asserted-Identity line, ["display"] <uri> (RFC 3325 9.1),
 * to buf at *n; -1 when it does not fit */
static int pai_line(str *disp, str *uri, char *buf, int size, int *n)
{
	static const char hn[] = "P-Asserted-Identity: ";
	int qn = 0, need;

	need = sizeof(hn) - 1 + uri->len + 4;
	if(*n + need > size)
		return -1;
	memcpy(buf + *n, hn, sizeof(hn) - 1);
	*n += sizeof(hn) - 1;
	if(disp && disp->len > 0) {
		/* not carriable (a control character): the URI alone */
		qn = cpm_lex_quoted_print(
				disp->s, disp->len, buf + *n, size - *n - uri->len - 5);
		if(qn > 0) {
			*n += qn;
			buf[(*n)++] = ' ';
		}
	}
	buf[(*n)++] = '<';
	memcpy(buf + *n, uri->s, uri->len);
	*n += uri->len;
	memcpy(buf + *n, ">\r\n", 3);
	*n += 3;
	return 0;
}

int cpmpf_term(struct sip_msg *msg, int trusted_next_hop)
{
	char lines[2 * (2 * DISP_MAX + CPMPF_URI_MAX + 32)];
	unsigned int pflags = 0;
	str sip, tel, disp, none = {0, 0};
	int n = 0, anon, keep;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the request's headers\n");
		return CPMPF_ERR;
	}
	if(recall(msg, &anon, &keep, &sip, &tel, &disp) < 0) {
		/* not from our originating step (another domain, a peer): a
		 * P-Preferred-Identity never goes on; the Privacy of the request
		 * decides whether its P-Asserted-Identity may (RFC 3325 9.3) */
		if(cpmpf_del_hdrs(msg, HDR_PPI_T) < 0)
			return CPMPF_ERR;
		if(privacy_flags(msg, &pflags) < 0)
			pflags = CPMPF_PRIV_ID; /* unreadable: the safe side */
		if(cpmpf_privacy_anon(pflags) && !trusted_next_hop) {
			if(cpmpf_del_hdrs(msg, HDR_PAI_T) < 0)
				return CPMPF_ERR;
			return CPMPF_TERM_NO_PAI;
		}
		return (parse_pai_header(msg) == 0 && msg->pai) ? CPMPF_TERM_PAI
														: CPMPF_TERM_NO_PAI;
	}
	/* RFC 3325 9.3 / seed 6.3: an anonymous originator's identity goes to
	 * trusted peers only */
	if(anon && !trusted_next_hop)
		return CPMPF_TERM_NO_PAI;
	if(keep)
		return CPMPF_TERM_PAI;
	/* one lump for both lines: the display name on the first */
	if(sip.len > 0 && pai_line(&disp, &sip, lines, sizeof(lines), &n) < 0)
		return CPMPF_ERR;
	if(tel.len > 0
			&& pai_line(sip.len > 0 ? &none : &disp, &tel, lines,
					   sizeof(lines), &n)
					   < 0)
		return CPMPF_ERR;
	if(n == 0)
		return CPMPF_TERM_NO_PAI;
	if(cpmpf_add_hdr(msg, lines, n) < 0)
		return CPMPF_ERR;
	return CPMPF_TERM_PAI;
}

/* Seed 5.1: a Pager Mode message larger than the limit is refused with 413
 * (RFC 3261 21.4.11) and a reason phrase telling the client to send it in
 * Large Message Mode; Table 1 has no Warning code for this, so no Warning.
 * The limit counts body octets (the CPIM wrapper and its content). */
int cpmpf_check_size(struct sip_msg *msg, int max_size)
{
	static str reason = str_init(
			"Request Entity Too Large: use Large Message Mode (MSRP)");
	char *body;
	int len;

	body = get_body(msg);
	if(body == NULL)
		return CPMPF_SIZE_OK;
	len = msg->buf + msg->len - body;
	if(len <= max_size)
		return CPMPF_SIZE_OK;
	counter_inc(cnt_large);
	LM_DBG("body of %d bytes above max_pager_size %d\n", len, max_size);
	if(pf_slb.freply(msg, 413, &reason) < 0)
		return CPMPF_ERR;
	return CPMPF_REFUSED;
}
