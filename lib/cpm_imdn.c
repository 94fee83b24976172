/*
 * cpm_imdn: RFC 5438 Disposition-Notification values and message/imdn+xml
 * bodies, see cpm_imdn.h.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "cpm_lex.h"
#include "cpm_cpim.h"
#include "cpm_xml.h"
#include "cpm_imdn.h"

/*
 * RFC 5438 6.3:
 *   Disposition-Notification = "Disposition-Notification" ": "
 *                              [(notify-req *(COMMA notify-req))]
 *   notify-req = ("negative-delivery" / "positive-delivery" /
 *                 "processing" / "display" / Token)
 *                *(SEMI disp-notify-params)
 *   disp-notify-params = Ext-param                  ; RFC 3862 3.1
 * The Token alternative is the extension point: a token this code does
 * not know asks for nothing it can give and is skipped.  COMMA and SEMI
 * take WSP around them (LENIENT: rcsjta writes ", "); tokens match
 * ignoring ASCII case (LENIENT).  An empty element (",,", a trailing ",")
 * is not in the grammar: -EBADMSG.
 */
static const struct {
	const char *name;
	int flag;
} imdn_reqs[] = {
		{"positive-delivery", CPM_IMDN_REQ_POSITIVE_DELIVERY},
		{"negative-delivery", CPM_IMDN_REQ_NEGATIVE_DELIVERY},
		{"display", CPM_IMDN_REQ_DISPLAY},
		{"processing", CPM_IMDN_REQ_PROCESSING},
};
#define IMDN_NREQS ((int)(sizeof(imdn_reqs) / sizeof(imdn_reqs[0])))

int cpm_imdn_disp_parse(const char *s, int len, int *erroff)
{
	int i, n, k, bad, flags = 0;

	if(erroff != NULL)
		*erroff = 0;
	if(len < 0 || (s == NULL && len > 0))
		return -EINVAL;
	i = cpm_lex_span(s, len, CPM_LEX_WSP);
	if(i == len)
		return 0; /* [ ... ]: nothing asked */
	for(;;) {
		i += cpm_lex_span(s + i, len - i, CPM_LEX_WSP);
		n = cpm_cpim_token_span(s + i, len - i);
		if(n == 0)
			goto err;
		for(k = 0; k < IMDN_NREQS; k++)
			if(cpm_lex_ieq(s + i, n, imdn_reqs[k].name,
					   (int)strlen(imdn_reqs[k].name)))
				flags |= imdn_reqs[k].flag;
		i += n;
		for(;;) { /* *(SEMI disp-notify-params) */
			i += cpm_lex_span(s + i, len - i, CPM_LEX_WSP);
			if(i >= len || s[i] != ';')
				break;
			i++;
			i += cpm_lex_span(s + i, len - i, CPM_LEX_WSP);
			n = cpm_cpim_param_span(s + i, len - i, &bad);
			if(n < 0) {
				i += bad;
				goto err;
			}
			i += n;
		}
		if(i == len)
			return flags;
		if(s[i] != ',')
			goto err;
		i++;
	}
err:
	if(erroff != NULL)
		*erroff = i;
	return -EBADMSG;
}

int cpm_imdn_disp_print(int flags, char *buf, int size)
{
	int k, n = 0, l;

	if(buf == NULL || size <= 0)
		return -EINVAL;
	buf[0] = '\0';
	if(flags & ~CPM_IMDN_REQ_ALL)
		return -EINVAL;
	for(k = 0; k < IMDN_NREQS; k++) {
		if(!(flags & imdn_reqs[k].flag))
			continue;
		l = (int)strlen(imdn_reqs[k].name);
		if(n + (n ? 2 : 0) + l > size - 1) {
			buf[0] = '\0';
			return -ENOSPC;
		}
		if(n) {
			memcpy(buf + n, ", ", 2);
			n += 2;
		}
		memcpy(buf + n, imdn_reqs[k].name, l);
		n += l;
		buf[n] = '\0';
	}
	return n;
}

/* ---- message/imdn+xml ---------------------------------------------------- */

static const char *const imdn_kinds[] = {NULL, "delivery-notification",
		"display-notification", "processing-notification"};
static const char *const imdn_statuses[] = {NULL, "delivered", "failed",
		"displayed", "processed", "stored", "forbidden", "error"};

const char *cpm_imdn_kind_name(cpm_imdn_kind_t k)
{
	return (k >= CPM_IMDN_DELIVERY && k <= CPM_IMDN_PROCESSING) ? imdn_kinds[k]
																: NULL;
}

const char *cpm_imdn_status_name(cpm_imdn_status_t st)
{
	return (st >= CPM_IMDN_DELIVERED && st <= CPM_IMDN_ERROR)
				   ? imdn_statuses[st]
				   : NULL;
}

/* RFC 5438 7.1 / 9 schema: which status each notification may carry
 *   delivery-notification:   delivered / failed / forbidden / error
 *   display-notification:    displayed / forbidden / error
 *   processing-notification: processed / stored / forbidden / error */
static int imdn_allowed(cpm_imdn_kind_t k, cpm_imdn_status_t st)
{
	if(st == CPM_IMDN_FORBIDDEN || st == CPM_IMDN_ERROR)
		return k >= CPM_IMDN_DELIVERY && k <= CPM_IMDN_PROCESSING;
	switch(k) {
		case CPM_IMDN_DELIVERY:
			return st == CPM_IMDN_DELIVERED || st == CPM_IMDN_FAILED;
		case CPM_IMDN_DISPLAY:
			return st == CPM_IMDN_DISPLAYED;
		case CPM_IMDN_PROCESSING:
			return st == CPM_IMDN_PROCESSED || st == CPM_IMDN_STORED;
	}
	return 0;
}

/* the text fields, in schema order */
#define IMDN_NFIELDS 5
static const char *const imdn_fields[IMDN_NFIELDS] = {"message-id",
		"datetime", "recipient-uri", "original-recipient-uri", "subject"};

static cpm_str_t *imdn_field(cpm_imdn_t *m, int k)
{
	switch(k) {
		case 0:
			return &m->message_id;
		case 1:
			return &m->datetime;
		case 2:
			return &m->recipient_uri;
		case 3:
			return &m->original_recipient_uri;
		default:
			return &m->subject;
	}
}

/* <status> of a notification: its one status element for kind k */
static int imdn_status(const xmlNode *notif, cpm_imdn_kind_t k,
		cpm_imdn_status_t *st)
{
	const xmlNode *c, *sn = NULL, *e;
	int i;

	*st = 0;
	for(c = notif->children; c != NULL; c = c->next) {
		if(!cpm_xml_is(c, CPM_IMDN_XMLNS, "status"))
			continue;
		if(sn != NULL)
			return -EBADMSG; /* two <status> */
		sn = c;
	}
	if(sn == NULL)
		return -EBADMSG;
	for(e = sn->children; e != NULL; e = e->next) {
		if(e->type != XML_ELEMENT_NODE || e->ns == NULL
				|| strcmp((const char *)e->ns->href, CPM_IMDN_XMLNS) != 0)
			continue; /* ##other: skipped */
		for(i = CPM_IMDN_DELIVERED; i <= CPM_IMDN_ERROR; i++)
			if(strcmp((const char *)e->name, imdn_statuses[i]) == 0)
				break;
		if(i > CPM_IMDN_ERROR || *st != 0
				|| !imdn_allowed(k, (cpm_imdn_status_t)i))
			return -EBADMSG;
		*st = (cpm_imdn_status_t)i;
	}
	return *st != 0 ? 0 : -EBADMSG;
}

int cpm_imdn_parse(const char *s, int len, cpm_imdn_t *out, char *buf,
		int size, int *erroff)
{
	xmlDocPtr doc = NULL;
	const xmlNode *root, *c;
	cpm_str_t *f;
	int rc, k, p = 0, n, seen = 0;

	if(erroff != NULL)
		*erroff = 0;
	if(out == NULL || buf == NULL || size <= 0)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	buf[0] = '\0';
	for(k = 0; k < IMDN_NFIELDS; k++)
		imdn_field(out, k)->s = buf;
	rc = cpm_xml_parse(s, len, CPM_IMDN_XMLNS, "imdn", NULL, &doc, erroff);
	if(rc < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	for(c = root->children; c != NULL; c = c->next) {
		if(c->type != XML_ELEMENT_NODE || c->ns == NULL
				|| strcmp((const char *)c->ns->href, CPM_IMDN_XMLNS) != 0)
			continue; /* ##other */
		for(k = 0; k < IMDN_NFIELDS; k++)
			if(strcmp((const char *)c->name, imdn_fields[k]) == 0)
				break;
		if(k < IMDN_NFIELDS) {
			if(seen & (1 << k)) {
				rc = -EBADMSG;
				goto done;
			}
			seen |= 1 << k;
			n = cpm_xml_text(c, buf + p, size - p);
			if(n < 0) {
				rc = n;
				goto done;
			}
			f = imdn_field(out, k);
			f->s = buf + p;
			f->len = n;
			p += n + 1;
			continue;
		}
		for(k = CPM_IMDN_DELIVERY; k <= CPM_IMDN_PROCESSING; k++)
			if(strcmp((const char *)c->name, imdn_kinds[k]) == 0)
				break;
		if(k > CPM_IMDN_PROCESSING)
			continue; /* LENIENT: an IMDN element of a later revision */
		if(out->kind != 0) {
			rc = -EBADMSG; /* two notifications */
			goto done;
		}
		out->kind = (cpm_imdn_kind_t)k;
		if((rc = imdn_status(c, out->kind, &out->status)) < 0)
			goto done;
	}
	if(out->kind == 0 || out->message_id.len == 0 || out->datetime.len == 0)
		rc = -EBADMSG;

done:
	cpm_xml_free(doc);
	if(rc < 0) {
		memset(out, 0, sizeof(*out));
		buf[0] = '\0';
	}
	return rc;
}

/* a field the XML carries and the parser gives back equal:
 *   Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD]
 *            | [#x10000-#x10FFFF]                      (XML 1.0, 2.2)
 * without the CTLs (a CR would come back as LF: XML 1.0 2.11) and without
 * white space at either end (the parser trims it) */
static int imdn_text_ok(const cpm_str_t *v)
{
	unsigned int cp;
	int i = 0, n;

	if(v->len < 0 || (v->s == NULL && v->len > 0))
		return 0;
	if(v->len > 0 && (v->s[0] == ' ' || v->s[v->len - 1] == ' '))
		return 0;
	while(i < v->len) {
		n = cpm_lex_utf8_next(v->s + i, v->len - i, &cp);
		if(n < 0 || cp < 0x20 || cp == 0x7f || cp == 0xfffe || cp == 0xffff)
			return 0;
		i += n;
	}
	return 1;
}

/* character data with "&", "<", ">" escaped (XML 1.0, 2.4) */
static void put_text(cpm_lex_out_t *o, const cpm_str_t *v)
{
	int i, j = 0;

	for(i = 0; i < v->len; i++) {
		const char *esc = v->s[i] == '&'   ? "&amp;"
						  : v->s[i] == '<' ? "&lt;"
						  : v->s[i] == '>' ? "&gt;"
										   : NULL;
		if(esc == NULL)
			continue;
		cpm_lex_out_put(o, v->s + j, i - j);
		cpm_lex_out_str(o, esc);
		j = i + 1;
	}
	cpm_lex_out_put(o, v->s + j, v->len - j);
}

int cpm_imdn_build(const cpm_imdn_t *in, char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	cpm_str_t *f;
	int k;

	if(in == NULL || buf == NULL || size < 0
			|| cpm_imdn_kind_name(in->kind) == NULL
			|| !imdn_allowed(in->kind, in->status)
			|| in->message_id.len <= 0 || in->datetime.len <= 0)
		return -EINVAL;
	for(k = 0; k < IMDN_NFIELDS; k++)
		if(!imdn_text_ok(imdn_field((cpm_imdn_t *)in, k)))
			return -EINVAL;
	cpm_lex_out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<imdn xmlns=\"" CPM_IMDN_XMLNS "\">\n");
	for(k = 0; k < IMDN_NFIELDS; k++) {
		f = imdn_field((cpm_imdn_t *)in, k);
		if(f->len == 0)
			continue;
		cpm_lex_out_str(&o, "  <");
		cpm_lex_out_str(&o, imdn_fields[k]);
		cpm_lex_out_str(&o, ">");
		put_text(&o, f);
		cpm_lex_out_str(&o, "</");
		cpm_lex_out_str(&o, imdn_fields[k]);
		cpm_lex_out_str(&o, ">\n");
	}
	cpm_lex_out_str(&o, "  <");
	cpm_lex_out_str(&o, imdn_kinds[in->kind]);
	cpm_lex_out_str(&o, "><status><");
	cpm_lex_out_str(&o, imdn_statuses[in->status]);
	cpm_lex_out_str(&o, "/></status></");
	cpm_lex_out_str(&o, imdn_kinds[in->kind]);
	cpm_lex_out_str(&o, ">\n</imdn>\n");
	return cpm_lex_out_end(&o);
}

int cpm_imdn_build_cpim(const cpm_imdn_t *in, const cpm_cpim_notif_t *n,
		char *buf, int size)
{
	cpm_cpim_notif_t w;
	int x;

	if(n == NULL)
		return -EINVAL;
	if((x = cpm_imdn_build(in, buf, size)) < 0)
		return x;
	w = *n;
	w.xml.s = buf;
	w.xml.len = x;
	return cpm_cpim_wrap_notification(&w, buf, size);
}
