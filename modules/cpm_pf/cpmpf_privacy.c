/*
 * cpm_pf privacy glue: see cpmpf_privacy.h and docs/cpm_pf.md "Privacy".
 *
 * What an anonymized request (Privacy id, header or user) carries toward
 * the recipient, decided here where the originator is known:
 *   From         "<pseudonym>" <sip:anonymous@anonymous.invalid>;tag=<same>
 *                (seed 6.1; RFC 3323 4.1.1.3); the pseudonym is the client's
 *                own display name unless it names the user, else "Anonymous"
 *   Contact      removed from a MESSAGE: it creates no dialog (RFC 3428 4),
 *                so nothing needs it, and a device URI names its user; kept
 *                on other methods (a dialog needs a routable Contact: a
 *                client asking privacy there supplies an anonymous GRUU)
 *   Call-ID      replaced by anon-<hash> when it contains the user's name or
 *                number; the sender's replies get the original back (tm
 *                callback on each reply)
 *   Referred-By, Reply-To, In-Reply-To, Organization, User-Agent, Call-Info
 *                removed (RFC 3323 5.1 header privacy)
 *   any other header whose value holds the user's name or number: removed,
 *                except Via (the replies need it: it names the device's
 *                address, never rewritten here) and the end-to-end CPM
 *                identifiers (seed 5.3: never modified; opaque values)
 *   P-Asserted-Identity  written by the terminating step toward trusted next
 *                hops only (cpmpf_orig.c)
 *   body         untouched: the CPIM From: of the body is the client's own
 *                (RFC 3862 is end to end, seed 5.1/5.3); a client asking
 *                anonymity writes an anonymous CPIM From itself
 */
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/data_lump.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/parser/parse_uri.h"
#include "modules/tm/tm_load.h"

#include "../../lib/cpm_lex.h"
#include "cpmpf_privacy_core.h"
#include "cpmpf_privacy.h"

static struct tm_binds pf_tmb;
static unsigned long long callid_secret;

int cpmpf_privacy_init(void)
{
	if(load_tm_api(&pf_tmb) < 0) {
		LM_ERR("cpm_pf needs the tm module\n");
		return -1;
	}
	/* the Call-ID replacement must not be computable from the original
	 * without this proxy's secret (else anybody maps anon-ids to users) */
	callid_secret = ((unsigned long long)time(NULL) << 32)
					^ (unsigned long long)getpid() ^ (unsigned long long)random();
	return 0;
}

/* Has the script or another step removed this header already (a delete
 * lump at its offset, e.g. consume_credentials(), remove_hf())?  Deleting
 * it again would only make overlapping lumps. */
static int hdr_gone(struct sip_msg *msg, struct hdr_field *h)
{
	struct lump *l;
	int off = h->name.s - msg->buf;

	for(l = msg->add_rm; l; l = l->next)
		if(l->op == LUMP_DEL && (int)l->u.offset <= off
				&& (int)(l->u.offset + l->len) >= off + h->len)
			return 1;
	return 0;
}

static int hdr_del(struct sip_msg *msg, struct hdr_field *h)
{
	if(hdr_gone(msg, h))
		return 0;
	if(del_lump(msg, h->name.s - msg->buf, h->len, 0) == NULL) {
		LM_ERR("cannot remove header %.*s\n", h->name.len, h->name.s);
		return -1;
	}
	return 0;
}

int cpmpf_del_hdrs(struct sip_msg *msg, int type)
{
	struct hdr_field *h;

	for(h = msg->headers; h; h = h->next) {
		if(h->type != type || hdr_gone(msg, h))
			continue;
		if(del_lump(msg, h->name.s - msg->buf, h->len, 0) == NULL) {
			LM_ERR("cannot remove header %.*s\n", h->name.len, h->name.s);
			return -1;
		}
	}
	return 0;
}

/* a complete header line (with CRLF) after the last header */
int cpmpf_add_hdr(struct sip_msg *msg, const char *line, int len)
{
	struct lump *anchor;
	char *p;

	anchor = anchor_lump(msg, msg->unparsed - msg->buf, 0, 0);
	if(anchor == NULL)
		return -1;
	p = pkg_malloc(len);
	if(p == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(p, line, len);
	if(insert_new_lump_before(anchor, p, len, 0) == NULL) {
		pkg_free(p);
		return -1;
	}
	return 0;
}

/* replace a header's whole line (or, with body_only, its value) */
static int replace(struct sip_msg *msg, struct hdr_field *h, int body_only,
		const char *txt, int len)
{
	struct lump *l;
	char *p;

	if(hdr_gone(msg, h))
		return 0; /* removed by somebody else: stays removed */
	if(body_only)
		l = del_lump(msg, h->body.s - msg->buf, h->body.len, 0);
	else
		l = del_lump(msg, h->name.s - msg->buf, h->len, 0);
	if(l == NULL)
		return -1;
	p = pkg_malloc(len);
	if(p == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(p, txt, len);
	if(insert_new_lump_after(l, p, len, 0) == NULL) {
		pkg_free(p);
		return -1;
	}
	return 0;
}

/* ---- Call-ID restored in the replies to the sender ---- */

static void callid_free(void *p)
{
	shm_free(p);
}

static void callid_restore(struct cell *t, int type, struct tmcb_params *ps)
{
	str *orig = (str *)*ps->param;
	struct sip_msg *rpl = ps->rpl;
	struct lump *l;
	char *p;

	if(rpl == NULL || rpl == FAKED_REPLY || orig == NULL)
		return;
	if(parse_headers(rpl, HDR_CALLID_F, 0) < 0 || rpl->callid == NULL)
		return;
	l = del_lump(rpl, rpl->callid->body.s - rpl->buf, rpl->callid->body.len,
			HDR_CALLID_T);
	if(l == NULL)
		return;
	p = pkg_malloc(orig->len);
	if(p == NULL) {
		PKG_MEM_ERROR;
		return;
	}
	memcpy(p, orig->s, orig->len);
	if(insert_new_lump_after(l, p, orig->len, HDR_CALLID_T) == NULL)
		pkg_free(p);
}

static int callid_anon(struct sip_msg *msg, struct hdr_field *h)
{
	char buf[CPMPF_CALLID_LEN + 1];
	str *keep;
	int n;

	n = cpmpf_callid_anon(h->body.s, h->body.len, callid_secret, buf,
			sizeof(buf));
	if(n < 0)
		return -1;
	keep = shm_malloc(sizeof(str) + h->body.len);
	if(keep == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	keep->s = (char *)(keep + 1);
	keep->len = h->body.len;
	memcpy(keep->s, h->body.s, h->body.len);
	/* the transaction does not exist yet: tm keeps the callback for the
	 * one t_relay() creates from this request, and frees keep with it */
	if(pf_tmb.register_tmcb(msg, 0, TMCB_RESPONSE_IN, callid_restore, keep,
			   callid_free)
			<= 0) {
		LM_ERR("cannot register the Call-ID restore callback\n");
		shm_free(keep);
		return -1;
	}
	return replace(msg, h, 1, buf, n);
}

/* user part of a SIP URI, number of a TEL URI: leak words */
static void leak_uri(cpmpf_leak_t *l, const char *s, int len)
{
	char nb[CPMPF_URI_MAX];
	const char *at;
	str w;
	int n, kind;

	n = cpmpf_uri_norm(s, len, nb, sizeof(nb), &kind);
	if(n < 0)
		return;
	if(kind == CPMPF_URI_TEL) {
		/* the number: kept in a static pool, the words point into it */
		static char pool[CPMPF_LEAK_MAX][CPMPF_URI_MAX];
		if(l->n >= CPMPF_LEAK_MAX)
			return;
		memcpy(pool[l->n], nb + 4, n - 4);
		w.s = pool[l->n];
		w.len = n - 4;
		cpmpf_leak_add(l, &w);
		return;
	}
	at = memchr(s, '@', len);
	w.s = (char *)memchr(s, ':', len);
	if(at == NULL || w.s == NULL || w.s >= at)
		return;
	w.s++;
	w.len = at - w.s;
	cpmpf_leak_add(l, &w);
}

static int is_cpm_id(struct hdr_field *h)
{
	return cpm_lex_ieq(h->name.s, h->name.len, "Conversation-ID", 15)
		   || cpm_lex_ieq(h->name.s, h->name.len, "Contribution-ID", 15)
		   || cpm_lex_ieq(h->name.s, h->name.len,
				   "InReplyTo-Contribution-ID", 25);
}

int cpmpf_anonymize(struct sip_msg *msg, cpmpf_privacy_who_t *w)
{
	char pseud[128], q[2 * 128 + 3], line[2 * 128 + 3 + 256];
	struct hdr_field *h;
	struct to_body *from;
	struct sip_uri *fu;
	cpmpf_leak_t leak;
	str d;
	int i, n, qn, is_message;

	memset(&leak, 0, sizeof(leak));
	if(w->user.len > 0)
		cpmpf_leak_add(&leak, &w->user);
	if(w->sip.len > 0)
		leak_uri(&leak, w->sip.s, w->sip.len);
	if(w->tel.len > 0)
		leak_uri(&leak, w->tel.s, w->tel.len);
	for(i = 0; w->ids && i < w->ids->n; i++)
		leak_uri(&leak, w->ids->id[i].uri, w->ids->id[i].len);
	fu = parse_from_uri(msg);
	if(fu && fu->user.len > 0)
		cpmpf_leak_add(&leak, &fu->user);
	from = get_from(msg);

	/* seed 6.1: anonymous From URI, a Pseudonym or "Anonymous" */
	d = w->disp;
	n = cpmpf_pseudonym(&leak, &d, pseud, sizeof(pseud));
	if(n < 0)
		return -1;
	qn = cpm_lex_quoted_print(pseud, n, q, sizeof(q));
	if(qn < 0)
		return -1;
	n = snprintf(line, sizeof(line),
			"From: %.*s <sip:anonymous@anonymous.invalid>%s%.*s\r\n", qn, q,
			from->tag_value.len ? ";tag=" : "", from->tag_value.len,
			from->tag_value.s);
	if(n <= 0 || n >= (int)sizeof(line))
		return -1;
	is_message = msg->REQ_METHOD == METHOD_MESSAGE;
	for(h = msg->headers; h; h = h->next) {
		switch(h->type) {
			case HDR_FROM_T:
				if(replace(msg, h, 0, line, n) < 0)
					return -1;
				break;
			case HDR_CONTACT_T:
				if(is_message && hdr_del(msg, h) < 0)
					return -1;
				break;
			case HDR_CALLID_T:
				if(cpmpf_leaks(&leak, h->body.s, h->body.len)
						&& callid_anon(msg, h) < 0)
					return -1;
				break;
			case HDR_REFERREDBY_T:
			case HDR_ORGANIZATION_T:
			case HDR_USERAGENT_T:
			case HDR_CALLINFO_T:
				if(hdr_del(msg, h) < 0)
					return -1;
				break;
			/* removed by the caller already, or needed as they are */
			case HDR_PAI_T:
			case HDR_PPI_T:
			case HDR_VIA_T:
			case HDR_TO_T:
			case HDR_CSEQ_T:
			case HDR_MAXFORWARDS_T:
			case HDR_CONTENTLENGTH_T:
			case HDR_CONTENTTYPE_T:
			case HDR_PRIVACY_T:
			case HDR_ROUTE_T:
			case HDR_RECORDROUTE_T:
				if(h->type == HDR_VIA_T
						&& cpmpf_leaks(&leak, h->body.s, h->body.len))
					LM_DBG("a Via names the user: left (replies need it)\n");
				break;
			default:
				if(is_cpm_id(h))
					break;
				if(cpm_lex_ieq(h->name.s, h->name.len, "Reply-To", 8)
						|| cpm_lex_ieq(h->name.s, h->name.len, "In-Reply-To", 11)
						|| cpmpf_leaks(&leak, h->body.s, h->body.len)) {
					if(hdr_del(msg, h) < 0)
						return -1;
				}
				break;
		}
	}
	return 0;
}

/*
 * Seed 6.1 last paragraph: a Referred-By set to the authenticated
 * originator carries both the SIP and the TEL URI of the P-Asserted-
 * Identity.  RFC 3892's Referred-By holds one referrer-uri; the seed's
 * [draft-referred-by] update carries both, which is written here as a
 * comma list of two name-addrs, SIP first (an RFC 3892 parser reads the
 * SIP URI), the header's parameters kept after the first one.  A
 * Referred-By naming somebody else is left alone.
 */
int cpmpf_referred_by(struct sip_msg *msg, cpmpf_uids_t *ids, const char *sip,
		int sip_len, const char *tel, int tel_len)
{
	struct hdr_field *h;
	struct to_body tb;
	char nb[CPMPF_URI_MAX], line[3 * CPMPF_URI_MAX];
	const char *gt, *params = "";
	int i, n, kind, plen = 0, mine = 0;

	if(sip_len <= 0 || tel_len <= 0)
		return 0; /* nothing to add: one URI only */
	for(h = msg->headers; h; h = h->next)
		if(h->type == HDR_REFERREDBY_T)
			break;
	if(h == NULL)
		return 0;
	memset(&tb, 0, sizeof(tb));
	parse_to(h->body.s, h->body.s + h->body.len + 1, &tb);
	if(tb.error != PARSE_OK) {
		free_to_params(&tb);
		return 0;
	}
	n = cpmpf_uri_norm(tb.uri.s, tb.uri.len, nb, sizeof(nb), &kind);
	if(n > 0) {
		char a[CPMPF_URI_MAX];
		int an;
		for(i = 0; i < ids->n && !mine; i++)
			mine = ids->id[i].nlen == n && memcmp(ids->id[i].norm, nb, n) == 0;
		an = cpmpf_uri_norm(sip, sip_len, a, sizeof(a), NULL);
		mine = mine || (an == n && memcmp(a, nb, n) == 0);
		an = cpmpf_uri_norm(tel, tel_len, a, sizeof(a), NULL);
		mine = mine || (an == n && memcmp(a, nb, n) == 0);
	}
	gt = memchr(tb.uri.s + tb.uri.len, '>',
			h->body.s + h->body.len - (tb.uri.s + tb.uri.len));
	if(gt) {
		params = gt + 1;
		plen = h->body.s + h->body.len - params;
	}
	free_to_params(&tb);
	if(!mine)
		return 0;
	n = snprintf(line, sizeof(line), "Referred-By: <%.*s>%.*s, <%.*s>\r\n",
			sip_len, sip, plen, params, tel_len, tel);
	if(n <= 0 || n >= (int)sizeof(line))
		return -1;
	return replace(msg, h, 0, line, n);
}
