/*
 * cpm_confinfo: RFC 4575 conference-info builder and parser; see
 * cpm_confinfo.h for the schema, what rcsjta needs and why the builder is
 * a bounded printer.  Pure C on lib/cpm_xml (parser) and lib/cpm_lex
 * (builder).
 */
#include <errno.h>
#include <string.h>

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

static void ci_attr(cpm_lex_out_t *o, const char *name, const cpm_str_t *v)
{
	cpm_xo_attr(o, name, v->s, v->len); /* checked by ci_check */
}

static void ci_state_attr(cpm_lex_out_t *o, cpm_ci_state_t s)
{
	cpm_lex_out_str(o, " state=\"");
	cpm_lex_out_str(o, cpm_ci_state_name(s));
	cpm_lex_out_str(o, "\"");
}

static void ci_elem(cpm_lex_out_t *o, const char *name, const cpm_str_t *v)
{
	if(v->len > 0)
		cpm_xo_elem(o, name, v->s, v->len);
}

static void ci_elem_str(cpm_lex_out_t *o, const char *name, const char *v)
{
	cpm_lex_out_str(o, "<");
	cpm_lex_out_str(o, name);
	cpm_lex_out_str(o, ">");
	cpm_lex_out_str(o, v);
	cpm_lex_out_str(o, "</");
	cpm_lex_out_str(o, name);
	cpm_lex_out_str(o, ">");
}

static void ci_elem_num(cpm_lex_out_t *o, const char *name, long v)
{
	cpm_lex_out_str(o, "<");
	cpm_lex_out_str(o, name);
	cpm_lex_out_str(o, ">");
	cpm_xo_ulong(o, (unsigned long)v);
	cpm_lex_out_str(o, "</");
	cpm_lex_out_str(o, name);
	cpm_lex_out_str(o, ">");
}

static void ci_endpoint(cpm_lex_out_t *o, const cpm_ci_user_t *u)
{
	cpm_lex_out_str(o, "   <endpoint");
	if(u->ep_entity.len > 0)
		ci_attr(o, "entity", &u->ep_entity);
	ci_state_attr(o, u->ep_state);
	cpm_lex_out_str(o, ">");
	/* RFC 4575 5.6 sequence: display-text, referred, status,
	 * joining-method, joining-info, disconnection-method,
	 * disconnection-info, media, call-info */
	if(u->status != CPM_CI_ST_NONE)
		ci_elem_str(o, "status", cpm_ci_status_name(u->status));
	if(u->joining_method != CPM_CI_JM_NONE)
		ci_elem_str(o, "joining-method", cpm_ci_joining_name(u->joining_method));
	if(u->joining_when.len > 0) {
		cpm_lex_out_str(o, "<joining-info>");
		ci_elem(o, "when", &u->joining_when);
		cpm_lex_out_str(o, "</joining-info>");
	}
	if(u->disconnection_method != CPM_CI_DM_NONE)
		ci_elem_str(o, "disconnection-method",
				cpm_ci_disc_name(u->disconnection_method));
	if(u->disconnection_when.len > 0 || u->disconnection_reason.len > 0) {
		cpm_lex_out_str(o, "<disconnection-info>");
		ci_elem(o, "when", &u->disconnection_when);
		ci_elem(o, "reason", &u->disconnection_reason);
		cpm_lex_out_str(o, "</disconnection-info>");
	}
	if(u->media_type.len > 0) { /* never <status>: rcsjta */
		cpm_lex_out_str(o, "<media id=\"1\">");
		ci_elem(o, "type", &u->media_type);
		cpm_lex_out_str(o, "</media>");
	}
	cpm_lex_out_str(o, "</endpoint>\n");
}

int cpm_ci_build(const cpm_ci_t *ci, char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	const cpm_ci_user_t *u;
	int i;

	if(ci == NULL || size < 0 || (buf == NULL && size) || ci_check(ci) < 0)
		return -EINVAL;
	cpm_lex_out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
						"<conference-info xmlns=\"" CPM_CI_XMLNS "\"");
	ci_attr(&o, "entity", &ci->entity);
	ci_state_attr(&o, ci->state);
	cpm_lex_out_str(&o, " version=\"");
	cpm_xo_ulong(&o, (unsigned long)ci->version);
	cpm_lex_out_str(&o, "\">\n");
	if(ci->display_text.len > 0 || ci->subject.len > 0 || ci->max_users >= 0) {
		cpm_lex_out_str(&o, " <conference-description>");
		ci_elem(&o, "display-text", &ci->display_text);
		ci_elem(&o, "subject", &ci->subject);
		if(ci->max_users >= 0)
			ci_elem_num(&o, "maximum-user-count", ci->max_users);
		cpm_lex_out_str(&o, "</conference-description>\n");
	}
	if(ci->user_count >= 0 || ci->active >= 0) {
		cpm_lex_out_str(&o, " <conference-state>");
		if(ci->user_count >= 0)
			ci_elem_num(&o, "user-count", ci->user_count);
		if(ci->active >= 0)
			ci_elem_str(&o, "active", ci->active ? "true" : "false");
		cpm_lex_out_str(&o, "</conference-state>\n");
	}
	if(ci->has_users || ci->n_users > 0 || ci->state == CPM_CI_FULL) {
		cpm_lex_out_str(&o, " <users>\n");
		for(i = 0; i < ci->n_users; i++) {
			u = &ci->users[i];
			cpm_lex_out_str(&o, "  <user");
			ci_attr(&o, "entity", &u->entity);
			ci_state_attr(&o, u->state);
			if(u->yourown)
				cpm_lex_out_str(&o, " yourown=\"true\"");
			cpm_lex_out_str(&o, ">");
			ci_elem(&o, "display-text", &u->display_text);
			if(u->has_endpoint) {
				cpm_lex_out_str(&o, "\n");
				ci_endpoint(&o, u);
				cpm_lex_out_str(&o, "  ");
			}
			cpm_lex_out_str(&o, "</user>\n");
		}
		cpm_lex_out_str(&o, " </users>\n");
	}
	cpm_lex_out_str(&o, "</conference-info>\n");
	return cpm_lex_out_end(&o);
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
