/*
 * cpm_confinfo: RFC 4575 conference-info builder and parser; see
 * cpm_confinfo.h for the schema and what rcsjta needs.  Pure C: the
 * builder on libxml2's tree API, the parser on lib/cpm_xml (hardened
 * libxml2).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "cpm_lex.h"
#include "cpm_xml.h"
#include "cpm_xmlout.h"
#include "cpm_reslist.h"
#include "cpm_confinfo.h"

static const char *const ci_states[] = {"full", "partial", "deleted"};
static const char *const ci_statuses[] = {NULL, "pending", "dialing-out",
		"dialing-in", "alerting", "on-hold", "connected", "muted-via-focus",
		"disconnecting", "disconnected"};
static const char *const ci_joins[] = {NULL, "dialed-in", "dialed-out",
		"focus-owner"};
static const char *const ci_discs[] = {NULL, "departed", "booted", "failed",
		"busy"};

#define CI_N(a) ((int)(sizeof(a) / sizeof(a[0])))

const char *cpm_ci_state_name(cpm_ci_state_t s)
{
	return ((int)s >= 0 && (int)s < CI_N(ci_states)) ? ci_states[s] : NULL;
}
const char *cpm_ci_status_name(cpm_ci_status_t s)
{
	return ((int)s > 0 && (int)s < CI_N(ci_statuses)) ? ci_statuses[s] : NULL;
}
const char *cpm_ci_joining_name(cpm_ci_joining_t j)
{
	return ((int)j > 0 && (int)j < CI_N(ci_joins)) ? ci_joins[j] : NULL;
}
const char *cpm_ci_disc_name(cpm_ci_disc_t d)
{
	return ((int)d > 0 && (int)d < CI_N(ci_discs)) ? ci_discs[d] : NULL;
}

int cpm_ci_status_rcsjta_ok(cpm_ci_status_t s)
{
	return s == CPM_CI_ST_NONE || s == CPM_CI_ST_CONNECTED
		   || s == CPM_CI_ST_DISCONNECTED || s == CPM_CI_ST_PENDING
		   || s == CPM_CI_ST_DIALING_IN || s == CPM_CI_ST_DIALING_OUT;
}

/* ---- builder --------------------------------------------------------- */

/* a URI attribute value: not empty, no white space, carried unchanged */
static int ci_uri_ok(const cpm_str_t *v)
{
	int i;

	if(v->len <= 0 || v->s == NULL || cpm_xo_check(v->s, v->len, 0) < 0)
		return 0;
	for(i = 0; i < v->len; i++)
		if(v->s[i] == ' ')
			return 0;
	return 1;
}

static int ci_text_ok(const cpm_str_t *v)
{
	return cpm_xo_check(v->s, v->len, 1) == 0;
}

static int ci_check(const cpm_ci_t *ci)
{
	const cpm_ci_user_t *u;
	int i;

	if(!ci_uri_ok(&ci->entity) || cpm_ci_state_name(ci->state) == NULL
			|| ci->version < 0 || ci->version > 4294967295L
			|| !ci_text_ok(&ci->display_text) || !ci_text_ok(&ci->subject)
			|| ci->max_users < -1 || ci->max_users > 4294967295L
			|| ci->user_count < -1 || ci->user_count > 4294967295L
			|| ci->active < -1 || ci->active > 1 || ci->n_users < 0
			|| (ci->n_users > 0 && ci->users == NULL))
		return -EINVAL;
	for(i = 0; i < ci->n_users; i++) {
		u = &ci->users[i];
		if(!ci_uri_ok(&u->entity) || cpm_ci_state_name(u->state) == NULL
				|| !ci_text_ok(&u->display_text)
				|| (u->yourown != 0 && u->yourown != 1))
			return -EINVAL;
		if(!u->has_endpoint) {
			/* endpoint fields without an endpoint would be lost */
			if(u->ep_entity.len || u->status || u->joining_method
					|| u->joining_when.len || u->disconnection_method
					|| u->disconnection_when.len
					|| u->disconnection_reason.len || u->media_type.len
					|| u->ep_state != CPM_CI_FULL)
				return -EINVAL;
			continue;
		}
		if(u->has_endpoint != 1
				|| (u->ep_entity.len > 0 && !ci_uri_ok(&u->ep_entity))
				|| cpm_ci_state_name(u->ep_state) == NULL
				|| (u->status != CPM_CI_ST_NONE
						&& cpm_ci_status_name(u->status) == NULL)
				|| (u->joining_method != CPM_CI_JM_NONE
						&& cpm_ci_joining_name(u->joining_method) == NULL)
				|| (u->disconnection_method != CPM_CI_DM_NONE
						&& cpm_ci_disc_name(u->disconnection_method) == NULL)
				|| !ci_text_ok(&u->joining_when)
				|| !ci_text_ok(&u->disconnection_when)
				|| !ci_text_ok(&u->disconnection_reason)
				|| !ci_text_ok(&u->media_type))
			return -EINVAL;
	}
	return 0;
}

/* The tree is built with libxml2's tree API (issue 7 item 4: "built with
 * libxml2") and saved into an xmlBuffer with per-call options
 * (xmlSaveToBuffer, no formatting: no global output default such as
 * xmlIndentTreeOutput, xmlSaveNoEmptyTags or xmlKeepBlanksDefault is read
 * or set); the layout (a line per section, user and endpoint) is
 * text nodes of its own, so the document reads as the rcsjta-checked one
 * did.  libxml2 escapes every text and attribute value on output; ci_check
 * has refused anything that would not parse back equal.  Any allocation
 * failure is remembered in the context and the tree freed once. */
typedef struct ci_bld {
	xmlDocPtr doc;
	int fail;
} ci_bld_t;

static void ci_ws(ci_bld_t *b, xmlNodePtr parent, const char *ws)
{
	xmlNodePtr n;

	if(b->fail || parent == NULL)
		return;
	n = xmlNewDocText(b->doc, (const xmlChar *)ws);
	if(n == NULL || xmlAddChild(parent, n) == NULL) {
		if(n)
			xmlFreeNode(n);
		b->fail = 1;
	}
}

static void ci_prop(ci_bld_t *b, xmlNodePtr n, const char *name,
		const char *s, int len)
{
	xmlChar *v;

	if(b->fail || n == NULL)
		return;
	v = xmlStrndup((const xmlChar *)s, len);
	if(v == NULL || xmlNewProp(n, (const xmlChar *)name, v) == NULL)
		b->fail = 1;
	if(v)
		xmlFree(v);
}

static void ci_attr(ci_bld_t *b, xmlNodePtr n, const char *name,
		const cpm_str_t *v)
{
	ci_prop(b, n, name, v->s, v->len); /* checked by ci_check */
}

static void ci_state_attr(ci_bld_t *b, xmlNodePtr n, cpm_ci_state_t s)
{
	const char *v = cpm_ci_state_name(s);
	ci_prop(b, n, "state", v, strlen(v));
}

/* an element child of parent (in its namespace) with text s[0..len) */
static xmlNodePtr ci_child(ci_bld_t *b, xmlNodePtr parent, const char *name,
		const char *s, int len)
{
	xmlNodePtr n;

	if(b->fail || parent == NULL)
		return NULL;
	n = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
	if(n == NULL) {
		b->fail = 1;
		return NULL;
	}
	if(len > 0) {
		/* raw text: escaped when dumped */
		xmlNodeAddContentLen(n, (const xmlChar *)s, len);
		if(n->children == NULL)
			b->fail = 1;
	}
	return n;
}

static void ci_elem(ci_bld_t *b, xmlNodePtr parent, const char *name,
		const cpm_str_t *v)
{
	if(v->len > 0)
		ci_child(b, parent, name, v->s, v->len);
}

static void ci_elem_str(ci_bld_t *b, xmlNodePtr parent, const char *name,
		const char *v)
{
	ci_child(b, parent, name, v, strlen(v));
}

static void ci_elem_num(ci_bld_t *b, xmlNodePtr parent, const char *name,
		long v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lu", (unsigned long)v);
	ci_child(b, parent, name, num, n);
}

static void ci_endpoint(ci_bld_t *b, xmlNodePtr un, const cpm_ci_user_t *u)
{
	xmlNodePtr e, x;

	ci_ws(b, un, "\n   ");
	e = ci_child(b, un, "endpoint", NULL, 0);
	if(u->ep_entity.len > 0)
		ci_attr(b, e, "entity", &u->ep_entity);
	ci_state_attr(b, e, u->ep_state);
	/* RFC 4575 5.6 sequence: display-text, referred, status,
	 * joining-method, joining-info, disconnection-method,
	 * disconnection-info, media, call-info */
	if(u->status != CPM_CI_ST_NONE)
		ci_elem_str(b, e, "status", cpm_ci_status_name(u->status));
	if(u->joining_method != CPM_CI_JM_NONE)
		ci_elem_str(b, e, "joining-method",
				cpm_ci_joining_name(u->joining_method));
	if(u->joining_when.len > 0) {
		x = ci_child(b, e, "joining-info", NULL, 0);
		ci_elem(b, x, "when", &u->joining_when);
	}
	if(u->disconnection_method != CPM_CI_DM_NONE)
		ci_elem_str(b, e, "disconnection-method",
				cpm_ci_disc_name(u->disconnection_method));
	if(u->disconnection_when.len > 0 || u->disconnection_reason.len > 0) {
		x = ci_child(b, e, "disconnection-info", NULL, 0);
		ci_elem(b, x, "when", &u->disconnection_when);
		ci_elem(b, x, "reason", &u->disconnection_reason);
	}
	if(u->media_type.len > 0) { /* never <status>: rcsjta */
		x = ci_child(b, e, "media", NULL, 0);
		ci_prop(b, x, "id", "1", 1);
		ci_elem(b, x, "type", &u->media_type);
	}
	ci_ws(b, un, "\n  ");
}

int cpm_ci_build(const cpm_ci_t *ci, char *buf, int size)
{
	ci_bld_t b = {NULL, 0};
	const cpm_ci_user_t *u;
	xmlNodePtr root = NULL, x, us, un;
	xmlNsPtr ns;
	xmlBufferPtr out = NULL;
	xmlSaveCtxtPtr sv = NULL;
	char num[24];
	int i, len = 0, rc;

	if(ci == NULL || size < 0 || (buf == NULL && size) || ci_check(ci) < 0)
		return -EINVAL;
	b.doc = xmlNewDoc((const xmlChar *)"1.0");
	if(b.doc)
		root = xmlNewDocNode(b.doc, NULL, (const xmlChar *)"conference-info",
				NULL);
	if(root == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	xmlDocSetRootElement(b.doc, root);
	ns = xmlNewNs(root, (const xmlChar *)CPM_CI_XMLNS, NULL);
	if(ns == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	xmlSetNs(root, ns);
	ci_attr(&b, root, "entity", &ci->entity);
	ci_state_attr(&b, root, ci->state);
	i = snprintf(num, sizeof(num), "%lu", (unsigned long)ci->version);
	ci_prop(&b, root, "version", num, i);
	ci_ws(&b, root, "\n");
	if(ci->display_text.len > 0 || ci->subject.len > 0 || ci->max_users >= 0) {
		ci_ws(&b, root, " ");
		x = ci_child(&b, root, "conference-description", NULL, 0);
		ci_elem(&b, x, "display-text", &ci->display_text);
		ci_elem(&b, x, "subject", &ci->subject);
		if(ci->max_users >= 0)
			ci_elem_num(&b, x, "maximum-user-count", ci->max_users);
		ci_ws(&b, root, "\n");
	}
	if(ci->user_count >= 0 || ci->active >= 0) {
		ci_ws(&b, root, " ");
		x = ci_child(&b, root, "conference-state", NULL, 0);
		if(ci->user_count >= 0)
			ci_elem_num(&b, x, "user-count", ci->user_count);
		if(ci->active >= 0)
			ci_elem_str(&b, x, "active", ci->active ? "true" : "false");
		ci_ws(&b, root, "\n");
	}
	if(ci->has_users || ci->n_users > 0 || ci->state == CPM_CI_FULL) {
		ci_ws(&b, root, " ");
		us = ci_child(&b, root, "users", NULL, 0);
		ci_ws(&b, us, "\n");
		for(i = 0; i < ci->n_users; i++) {
			u = &ci->users[i];
			ci_ws(&b, us, "  ");
			un = ci_child(&b, us, "user", NULL, 0);
			ci_attr(&b, un, "entity", &u->entity);
			ci_state_attr(&b, un, u->state);
			if(u->yourown)
				ci_prop(&b, un, "yourown", "true", 4);
			ci_elem(&b, un, "display-text", &u->display_text);
			if(u->has_endpoint)
				ci_endpoint(&b, un, u);
			ci_ws(&b, us, "\n");
		}
		ci_ws(&b, us, " ");
		ci_ws(&b, root, "\n");
	}
	if(b.fail) {
		rc = -ENOMEM;
		goto done;
	}
	/* per-call save options, no global: XML_SAVE_NO_EMPTY keeps
	 * <user ...></user> as the document rcsjta was checked against */
	out = xmlBufferCreate();
	if(out)
		sv = xmlSaveToBuffer(out, "UTF-8", XML_SAVE_NO_EMPTY);
	if(sv == NULL || xmlSaveDoc(sv, b.doc) < 0) {
		rc = -ENOMEM;
		goto done;
	}
	xmlSaveClose(sv);
	sv = NULL;
	len = xmlBufferLength(out);
	if(len <= 0) {
		rc = -ENOMEM;
		goto done;
	}
	if(len > size) {
		rc = -ENOSPC;
		goto done;
	}
	memcpy(buf, xmlBufferContent(out), len);
	if(len < size)
		buf[len] = '\0';
	rc = len;

done:
	if(sv)
		xmlSaveClose(sv);
	if(out)
		xmlBufferFree(out);
	if(b.doc)
		xmlFreeDoc(b.doc);
	return rc;
}

/* ---- parser ---------------------------------------------------------- */

typedef struct ci_ctx {
	char *buf;
	int p, size;
} ci_ctx_t;

static int ci_copy_attr(ci_ctx_t *c, const xmlNode *n, const char *name,
		cpm_str_t *out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	int l;

	out->s = NULL;
	out->len = 0;
	if(v == NULL)
		return -ENOENT;
	l = (int)strlen((const char *)v);
	if(l + 1 > c->size - c->p) {
		xmlFree(v);
		return -ENOSPC;
	}
	memcpy(c->buf + c->p, v, l);
	c->buf[c->p + l] = '\0';
	xmlFree(v);
	out->s = c->buf + c->p;
	out->len = l;
	c->p += l + 1;
	return 0;
}

static int ci_copy_text(ci_ctx_t *c, const xmlNode *n, cpm_str_t *out)
{
	int k;

	out->s = NULL;
	out->len = 0;
	if(n == NULL)
		return 0;
	k = cpm_xml_text(n, c->buf + c->p, c->size - c->p);
	if(k < 0)
		return k;
	if(k > 0) {
		out->s = c->buf + c->p;
		out->len = k;
		c->p += k + 1;
	}
	return 0;
}

/* an enumerated value: its index in names[first..n), -EBADMSG */
static int ci_enum_text(const xmlNode *n, const char *const *names, int first,
		int nn)
{
	char t[32];
	int i;

	if(cpm_xml_text(n, t, sizeof(t)) < 0)
		return -EBADMSG;
	for(i = first; i < nn; i++)
		if(strcmp(t, names[i]) == 0)
			return i;
	return -EBADMSG;
}

/* the state attribute: default full (RFC 4575 schema) */
static int ci_state_of(const xmlNode *n, cpm_ci_state_t *st)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)"state");
	int i, rc = -EBADMSG;

	*st = CPM_CI_FULL;
	if(v == NULL)
		return 0;
	for(i = 0; i < CI_N(ci_states); i++)
		if(strcmp((const char *)v, ci_states[i]) == 0) {
			*st = (cpm_ci_state_t)i;
			rc = 0;
		}
	xmlFree(v);
	return rc;
}

/* xs:unsignedInt text or attribute value (at most 10 digits, <= 2^32-1) */
static long ci_uint(const char *t)
{
	long v = 0;
	int i;

	for(i = 0; t[i]; i++) {
		if(!cpm_lex_is_digit((unsigned char)t[i]) || i >= 10)
			return -EBADMSG;
		v = v * 10 + (t[i] - '0');
	}
	return (i == 0 || v > 4294967295L) ? -EBADMSG : v;
}

static long ci_uint_text(const xmlNode *n)
{
	char t[16];

	if(cpm_xml_text(n, t, sizeof(t)) < 0)
		return -EBADMSG;
	return ci_uint(t);
}

static int ci_bool_text(const xmlNode *n)
{
	char t[8];

	if(cpm_xml_text(n, t, sizeof(t)) < 0)
		return -EBADMSG;
	if(strcmp(t, "true") == 0 || strcmp(t, "1") == 0)
		return 1;
	if(strcmp(t, "false") == 0 || strcmp(t, "0") == 0)
		return 0;
	return -EBADMSG;
}

#define CI_NS CPM_CI_XMLNS

static int ci_endpoint_parse(ci_ctx_t *c, const xmlNode *e, cpm_ci_user_t *u)
{
	const xmlNode *x, *w;
	int rc, k;

	u->has_endpoint = 1;
	rc = ci_copy_attr(c, e, "entity", &u->ep_entity);
	if(rc < 0 && rc != -ENOENT)
		return rc;
	if((rc = ci_state_of(e, &u->ep_state)) < 0)
		return rc;
	for(x = e->children; x != NULL; x = x->next) {
		if(x->type != XML_ELEMENT_NODE)
			continue;
		if(cpm_xml_is(x, CI_NS, "status")) {
			if((k = ci_enum_text(x, ci_statuses, 1, CI_N(ci_statuses))) < 0)
				return k;
			u->status = (cpm_ci_status_t)k;
		} else if(cpm_xml_is(x, CI_NS, "joining-method")) {
			if((k = ci_enum_text(x, ci_joins, 1, CI_N(ci_joins))) < 0)
				return k;
			u->joining_method = (cpm_ci_joining_t)k;
		} else if(cpm_xml_is(x, CI_NS, "joining-info")) {
			w = cpm_xml_child(x, CI_NS, "when");
			if((rc = ci_copy_text(c, w, &u->joining_when)) < 0)
				return rc;
		} else if(cpm_xml_is(x, CI_NS, "disconnection-method")) {
			if((k = ci_enum_text(x, ci_discs, 1, CI_N(ci_discs))) < 0)
				return k;
			u->disconnection_method = (cpm_ci_disc_t)k;
		} else if(cpm_xml_is(x, CI_NS, "disconnection-info")) {
			w = cpm_xml_child(x, CI_NS, "when");
			if((rc = ci_copy_text(c, w, &u->disconnection_when)) < 0)
				return rc;
			w = cpm_xml_child(x, CI_NS, "reason");
			if((rc = ci_copy_text(c, w, &u->disconnection_reason)) < 0)
				return rc;
		} else if(cpm_xml_is(x, CI_NS, "media") && u->media_type.len == 0) {
			w = cpm_xml_child(x, CI_NS, "type");
			if((rc = ci_copy_text(c, w, &u->media_type)) < 0)
				return rc;
		}
	}
	return 0;
}

static int ci_user_parse(ci_ctx_t *c, const xmlNode *n, cpm_ci_user_t *u)
{
	const xmlNode *x;
	xmlChar *v;
	int rc;

	memset(u, 0, sizeof(*u));
	if((rc = ci_copy_attr(c, n, "entity", &u->entity)) < 0)
		return rc == -ENOENT ? -EBADMSG : rc;
	if(u->entity.len == 0)
		return -EBADMSG;
	if((rc = ci_state_of(n, &u->state)) < 0)
		return rc;
	v = xmlGetNoNsProp(n, (const xmlChar *)"yourown");
	if(v != NULL) {
		u->yourown = strcmp((const char *)v, "true") == 0
					 || strcmp((const char *)v, "1") == 0;
		xmlFree(v);
	}
	if((rc = ci_copy_text(c, cpm_xml_child(n, CI_NS, "display-text"),
				&u->display_text))
			< 0)
		return rc;
	x = cpm_xml_child(n, CI_NS, "endpoint"); /* the first one */
	if(x != NULL && (rc = ci_endpoint_parse(c, x, u)) < 0)
		return rc;
	return 0;
}

int cpm_ci_parse(const char *s, int len, cpm_ci_t *ci, cpm_ci_user_t *u,
		int max_users, char *buf, int size)
{
	xmlDocPtr doc = NULL;
	const xmlNode *root, *x, *y;
	ci_ctx_t c;
	xmlChar *v;
	long k;
	int rc;

	if(ci == NULL || u == NULL || max_users < 0 || buf == NULL || size <= 0)
		return -EINVAL;
	memset(ci, 0, sizeof(*ci));
	ci->version = ci->max_users = ci->user_count = -1;
	ci->active = -1;
	ci->users = u;
	c.buf = buf;
	c.p = 0;
	c.size = size;
	buf[0] = '\0';
	if(s == NULL || len <= 0)
		return -EINVAL;
	rc = cpm_xml_parse(s, len, CI_NS, "conference-info", NULL, &doc, NULL);
	if(rc == -EPERM)
		rc = cpm_rl_classify_doctype(s, len);
	if(rc < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	if((rc = ci_copy_attr(&c, root, "entity", &ci->entity)) < 0) {
		if(rc == -ENOENT)
			rc = -EBADMSG;
		goto done;
	}
	if(ci->entity.len == 0 || (rc = ci_state_of(root, &ci->state)) < 0) {
		rc = -EBADMSG;
		goto done;
	}
	v = xmlGetNoNsProp(root, (const xmlChar *)"version");
	if(v != NULL) {
		ci->version = ci_uint((const char *)v);
		xmlFree(v);
		if(ci->version < 0) {
			rc = -EBADMSG;
			goto done;
		}
	}
	for(x = root->children; x != NULL; x = x->next) {
		if(x->type != XML_ELEMENT_NODE)
			continue;
		if(cpm_xml_is(x, CI_NS, "conference-description")) {
			if((rc = ci_copy_text(&c, cpm_xml_child(x, CI_NS, "display-text"),
						&ci->display_text))
							< 0
					|| (rc = ci_copy_text(&c, cpm_xml_child(x, CI_NS, "subject"),
								&ci->subject))
							   < 0)
				goto done;
			if((y = cpm_xml_child(x, CI_NS, "maximum-user-count")) != NULL) {
				if((k = ci_uint_text(y)) < 0) {
					rc = -EBADMSG;
					goto done;
				}
				ci->max_users = k;
			}
		} else if(cpm_xml_is(x, CI_NS, "conference-state")) {
			if((y = cpm_xml_child(x, CI_NS, "user-count")) != NULL) {
				if((k = ci_uint_text(y)) < 0) {
					rc = -EBADMSG;
					goto done;
				}
				ci->user_count = k;
			}
			if((y = cpm_xml_child(x, CI_NS, "active")) != NULL) {
				if((rc = ci_bool_text(y)) < 0)
					goto done;
				ci->active = rc;
			}
		} else if(cpm_xml_is(x, CI_NS, "users")) {
			ci->has_users = 1;
			for(y = x->children; y != NULL; y = y->next) {
				if(!cpm_xml_is(y, CI_NS, "user"))
					continue;
				if(ci->n_users >= max_users) {
					rc = -E2BIG;
					goto done;
				}
				if((rc = ci_user_parse(&c, y, &u[ci->n_users])) < 0)
					goto done;
				ci->n_users++;
			}
		}
	}
	rc = 0;

done:
	cpm_xml_free(doc);
	if(rc < 0) {
		memset(ci, 0, sizeof(*ci));
		ci->users = u;
		buf[0] = '\0';
	}
	return rc;
}
