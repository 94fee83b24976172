/*
 * cpm_reginfo: RFC 3680 reginfo documents (see cpm_reginfo.h for the
 * schema).  Pure C on lib/cpm_xml; no Kamailio header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpm_xml.h"
#include "cpm_reginfo.h"

static const char *const ri_events[] = {NULL, "registered", "created",
		"refreshed", "shortened", "expired", "deactivated", "probation",
		"unregistered", "rejected"};
static const char *const ri_rstates[] = {NULL, "init", "active", "terminated"};

const char *cpm_reginfo_event_name(cpm_ri_event_t e)
{
	return (e >= CPM_RI_REGISTERED && e <= CPM_RI_REJECTED) ? ri_events[e]
															: NULL;
}

const char *cpm_reginfo_rstate_name(cpm_ri_rstate_t s)
{
	return (s >= CPM_RI_INIT && s <= CPM_RI_TERMINATED) ? ri_rstates[s] : NULL;
}

typedef struct ri_buf {
	char *b;
	int p, size;
} ri_buf_t;

/* copy v (len n) into the buffer as a NUL-terminated view */
static int ri_put(ri_buf_t *rb, const char *v, int n, cpm_str_t *out)
{
	if(n < 0 || rb->p + n + 1 > rb->size)
		return -ENOSPC;
	memcpy(rb->b + rb->p, v, n);
	rb->b[rb->p + n] = '\0';
	out->s = rb->b + rb->p;
	out->len = n;
	rb->p += n + 1;
	return 0;
}

/* attribute name (no namespace) of n, copied; -ENOENT when absent */
static int ri_attr(const xmlNode *n, const char *name, ri_buf_t *rb,
		cpm_str_t *out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	int rc;

	if(v == NULL)
		return -ENOENT;
	rc = ri_put(rb, (const char *)v, (int)strlen((const char *)v), out);
	xmlFree(v);
	return rc;
}

/* an enumerated attribute: index in names[1..n], -EBADMSG otherwise */
static int ri_enum(const xmlNode *n, const char *name,
		const char *const *names, int nn)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	int i, rc = -EBADMSG;

	if(v == NULL)
		return -EBADMSG;
	for(i = 1; i <= nn; i++)
		if(strcmp((const char *)v, names[i]) == 0) {
			rc = i;
			break;
		}
	xmlFree(v);
	return rc;
}

/* unsignedLong attribute: 1*DIGIT, at most 18 digits (no overflow);
 * -1 when absent (and not required), -EBADMSG when malformed */
static long ri_ulong(const xmlNode *n, const char *name, int required)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	long r = 0;
	int i;

	if(v == NULL)
		return required ? -EBADMSG : -1;
	for(i = 0; v[i]; i++) {
		if(v[i] < '0' || v[i] > '9' || i >= 18) {
			xmlFree(v);
			return -EBADMSG;
		}
		r = r * 10 + (v[i] - '0');
	}
	xmlFree(v);
	return i ? r : -EBADMSG;
}

static int ri_text(const xmlNode *n, ri_buf_t *rb, cpm_str_t *out)
{
	int k = cpm_xml_text(n, rb->b + rb->p, rb->size - rb->p);

	if(k < 0)
		return k;
	out->s = rb->b + rb->p;
	out->len = k;
	rb->p += k + 1;
	return 0;
}

static int ri_contact(const xmlNode *n, cpm_ri_contact_t *c, ri_buf_t *rb)
{
	const xmlNode *e;
	cpm_ri_param_t *pr;
	int rc, haveuri = 0;

	c->expires = c->cseq = -1;
	if((rc = ri_attr(n, "id", rb, &c->id)) < 0)
		return rc == -ENOENT ? -EBADMSG : rc;
	if((rc = ri_enum(n, "state", ri_rstates, 3)) < 0 || rc == CPM_RI_INIT)
		return -EBADMSG;
	c->state = (cpm_ri_rstate_t)rc;
	if((rc = ri_enum(n, "event", ri_events, 9)) < 0)
		return rc;
	c->event = (cpm_ri_event_t)rc;
	if((c->expires = ri_ulong(n, "expires", 0)) < -1)
		return -EBADMSG;
	if((c->cseq = ri_ulong(n, "cseq", 0)) < -1)
		return -EBADMSG;
	rc = ri_attr(n, "callid", rb, &c->callid);
	if(rc < 0 && rc != -ENOENT)
		return rc;
	for(e = n->children; e != NULL; e = e->next) {
		if(e->type != XML_ELEMENT_NODE)
			continue;
		if(cpm_xml_is(e, CPM_REGINFO_XMLNS, "uri")) {
			if(haveuri++)
				return -EBADMSG;
			if((rc = ri_text(e, rb, &c->uri)) < 0)
				return rc;
		} else if(cpm_xml_is(e, CPM_REGINFO_XMLNS, "unknown-param")) {
			if(c->nparams >= CPM_REGINFO_MAX_PARAMS)
				return -E2BIG;
			pr = &c->params[c->nparams];
			if((rc = ri_attr(e, "name", rb, &pr->name)) < 0)
				return rc == -ENOENT ? -EBADMSG : rc;
			if(pr->name.len == 0)
				return -EBADMSG;
			if((rc = ri_text(e, rb, &pr->value)) < 0)
				return rc;
			if(cpm_lex_ieq(pr->name.s, pr->name.len, "+sip.instance", 13))
				c->instance = pr->value;
			c->nparams++;
		} /* display-name, ##other: skipped */
	}
	if(!haveuri || c->uri.len == 0)
		return -EBADMSG;
	return 0;
}

int cpm_reginfo_parse(const char *s, int len, cpm_reginfo_t *out, char *buf,
		int size, int *erroff)
{
	xmlDocPtr doc = NULL;
	const xmlNode *root, *r, *c;
	cpm_ri_reg_t *rg;
	ri_buf_t rb;
	long v;
	int rc;

	if(erroff != NULL)
		*erroff = 0;
	if(out == NULL || buf == NULL || size <= 0)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	buf[0] = '\0';
	rb.b = buf;
	rb.p = 0;
	rb.size = size;
	rc = cpm_xml_parse(s, len, CPM_REGINFO_XMLNS, "reginfo", NULL, &doc, erroff);
	if(rc < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	if((v = ri_ulong(root, "version", 1)) < 0) {
		rc = -EBADMSG;
		goto done;
	}
	out->version = (unsigned long)v;
	{
		static const char *const st[] = {NULL, "full", "partial"};
		if((rc = ri_enum(root, "state", st, 2)) < 0)
			goto done;
		out->state = (cpm_ri_state_t)rc;
	}
	rc = 0;
	for(r = root->children; r != NULL; r = r->next) {
		if(!cpm_xml_is(r, CPM_REGINFO_XMLNS, "registration"))
			continue; /* ##other */
		if(out->nregs >= CPM_REGINFO_MAX_REGS) {
			rc = -E2BIG;
			goto done;
		}
		rg = &out->regs[out->nregs];
		if((rc = ri_attr(r, "aor", &rb, &rg->aor)) < 0
				|| (rc = ri_attr(r, "id", &rb, &rg->id)) < 0) {
			if(rc == -ENOENT)
				rc = -EBADMSG;
			goto done;
		}
		if((rc = ri_enum(r, "state", ri_rstates, 3)) < 0)
			goto done;
		rg->state = (cpm_ri_rstate_t)rc;
		rc = 0;
		if(rg->aor.len == 0) {
			rc = -EBADMSG;
			goto done;
		}
		rg->first = out->ncontacts;
		for(c = r->children; c != NULL; c = c->next) {
			if(!cpm_xml_is(c, CPM_REGINFO_XMLNS, "contact"))
				continue;
			if(out->ncontacts >= CPM_REGINFO_MAX_CONTACTS) {
				rc = -E2BIG;
				goto done;
			}
			if((rc = ri_contact(c, &out->contacts[out->ncontacts], &rb)) < 0)
				goto done;
			out->ncontacts++;
			rg->ncontacts++;
		}
		out->nregs++;
	}

done:
	cpm_xml_free(doc);
	if(rc < 0) {
		memset(out, 0, sizeof(*out));
		buf[0] = '\0';
	}
	return rc;
}

/* ---- printer ------------------------------------------------------------ */

typedef struct ri_out {
	char *b;
	int p, size;
} ri_out_t;

static void ro_raw(ri_out_t *o, const char *s, int n)
{
	if(o->p + n < o->size)
		memcpy(o->b + o->p, s, n);
	o->p += n;
}

static void ro_str(ri_out_t *o, const char *s)
{
	ro_raw(o, s, (int)strlen(s));
}

/* text or attribute value (double-quoted), escaped */
static int ro_esc(ri_out_t *o, const cpm_str_t *v, int text)
{
	int i;
	unsigned char ch;

	if(v->len < 0 || (v->len > 0 && v->s == NULL))
		return -EINVAL;
	if(text && v->len > 0
			&& (cpm_lex_is(v->s[0], CPM_LEX_SPACE)
					|| cpm_lex_is(v->s[v->len - 1], CPM_LEX_SPACE)))
		return -EINVAL; /* cpm_xml_text trims it */
	for(i = 0; i < v->len; i++) {
		ch = (unsigned char)v->s[i];
		if(ch < 0x20 || ch == 0x7f)
			return -EINVAL; /* CR/LF/TAB would come back changed */
		if(ch == '&')
			ro_str(o, "&amp;");
		else if(ch == '<')
			ro_str(o, "&lt;");
		else if(ch == '>')
			ro_str(o, "&gt;");
		else if(ch == '"')
			ro_str(o, "&quot;");
		else
			ro_raw(o, v->s + i, 1);
	}
	return 0;
}

static int ro_attr(ri_out_t *o, const char *name, const cpm_str_t *v)
{
	ro_str(o, " ");
	ro_str(o, name);
	ro_str(o, "=\"");
	if(ro_esc(o, v, 0) < 0)
		return -EINVAL;
	ro_str(o, "\"");
	return 0;
}

static void ro_num(ri_out_t *o, const char *name, unsigned long v)
{
	char t[32];
	snprintf(t, sizeof(t), " %s=\"%lu\"", name, v);
	ro_str(o, t);
}

int cpm_reginfo_print(const cpm_reginfo_t *in, char *buf, int size)
{
	ri_out_t o;
	const cpm_ri_reg_t *rg;
	const cpm_ri_contact_t *c;
	int i, j, k;

	if(in == NULL || buf == NULL || size <= 0
			|| (in->state != CPM_RI_FULL && in->state != CPM_RI_PARTIAL)
			|| in->nregs < 0 || in->nregs > CPM_REGINFO_MAX_REGS)
		return -EINVAL;
	o.b = buf;
	o.p = 0;
	o.size = size;
	ro_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<reginfo xmlns=\"" CPM_REGINFO_XMLNS "\"");
	ro_num(&o, "version", in->version);
	ro_str(&o, in->state == CPM_RI_FULL ? " state=\"full\">\n"
										: " state=\"partial\">\n");
	for(i = 0; i < in->nregs; i++) {
		rg = &in->regs[i];
		if(!cpm_reginfo_rstate_name(rg->state) || rg->aor.len == 0
				|| rg->first < 0 || rg->ncontacts < 0
				|| rg->first + rg->ncontacts > CPM_REGINFO_MAX_CONTACTS)
			return -EINVAL;
		ro_str(&o, "  <registration");
		if(ro_attr(&o, "aor", &rg->aor) < 0 || ro_attr(&o, "id", &rg->id) < 0)
			return -EINVAL;
		ro_str(&o, " state=\"");
		ro_str(&o, cpm_reginfo_rstate_name(rg->state));
		ro_str(&o, "\">\n");
		for(j = rg->first; j < rg->first + rg->ncontacts; j++) {
			c = &in->contacts[j];
			if((c->state != CPM_RI_ACTIVE && c->state != CPM_RI_TERMINATED)
					|| !cpm_reginfo_event_name(c->event) || c->uri.len == 0
					|| c->nparams < 0 || c->nparams > CPM_REGINFO_MAX_PARAMS)
				return -EINVAL;
			ro_str(&o, "    <contact");
			if(ro_attr(&o, "id", &c->id) < 0)
				return -EINVAL;
			ro_str(&o, " state=\"");
			ro_str(&o, cpm_reginfo_rstate_name(c->state));
			ro_str(&o, "\" event=\"");
			ro_str(&o, cpm_reginfo_event_name(c->event));
			ro_str(&o, "\"");
			if(c->expires >= 0)
				ro_num(&o, "expires", (unsigned long)c->expires);
			if(c->callid.len > 0 && ro_attr(&o, "callid", &c->callid) < 0)
				return -EINVAL;
			if(c->cseq >= 0)
				ro_num(&o, "cseq", (unsigned long)c->cseq);
			ro_str(&o, ">\n      <uri>");
			if(ro_esc(&o, &c->uri, 1) < 0)
				return -EINVAL;
			ro_str(&o, "</uri>\n");
			for(k = 0; k < c->nparams; k++) {
				if(c->params[k].name.len == 0)
					return -EINVAL;
				ro_str(&o, "      <unknown-param");
				if(ro_attr(&o, "name", &c->params[k].name) < 0)
					return -EINVAL;
				ro_str(&o, ">");
				if(ro_esc(&o, &c->params[k].value, 1) < 0)
					return -EINVAL;
				ro_str(&o, "</unknown-param>\n");
			}
			ro_str(&o, "    </contact>\n");
		}
		ro_str(&o, "  </registration>\n");
	}
	ro_str(&o, "</reginfo>\n");
	if(o.p >= size)
		return -ENOSPC;
	buf[o.p] = '\0';
	return o.p;
}
