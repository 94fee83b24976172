/*
 * cpm_xdm: OMA XDM shared group documents; see cpm_xdm.h for the schema,
 * the sources, how rules become policy and the error codes.  Pure C on
 * lib/cpm_xml.
 */
#include <errno.h>
#include <string.h>

#include "cpm_lex.h"
#include "cpm_xml.h"
#include "cpm_xmlout.h"
#include "cpm_reslist.h"
#include "cpm_xdm.h"

typedef struct xd_ctx {
	char *buf;
	int p, size;
} xd_ctx_t;

/* an attribute (no namespace) copied into buf; -ENOENT when absent */
static int xd_attr(xd_ctx_t *c, const xmlNode *n, const char *name,
		cpm_str_t *out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	int l;

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

/* element text (trimmed) copied into buf */
static int xd_text(xd_ctx_t *c, const xmlNode *n, cpm_str_t *out)
{
	int k = cpm_xml_text(n, c->buf + c->p, c->size - c->p);

	if(k < 0)
		return k;
	out->s = k > 0 ? c->buf + c->p : NULL;
	out->len = k;
	if(k > 0)
		c->p += k + 1;
	return 0;
}

/* xs:boolean content (XML Schema 2 3.2.2: "true" / "false" / "1" / "0",
 * white space collapsed); legacy: "allow" / "block" (join-handling before
 * OMA-TS-PoC_XDM-V1_0-20060127-C).  1, 0, -EBADMSG */
static int xd_bool(const xmlNode *n, int legacy)
{
	char t[16];
	int k = cpm_xml_text(n, t, sizeof(t));

	if(k < 0)
		return -EBADMSG;
	if(strcmp(t, "true") == 0 || strcmp(t, "1") == 0
			|| (legacy && strcmp(t, "allow") == 0))
		return 1;
	if(strcmp(t, "false") == 0 || strcmp(t, "0") == 0
			|| (legacy && strcmp(t, "block") == 0))
		return 0;
	return -EBADMSG;
}

/* xs:nonNegativeInteger that fits an int (at most 9 digits) */
static int xd_count(const xmlNode *n)
{
	char t[16];
	int k = cpm_xml_text(n, t, sizeof(t)), i, v = 0;

	if(k <= 0 || k > 9)
		return -EBADMSG;
	for(i = 0; i < k; i++) {
		if(!cpm_lex_is_digit((unsigned char)t[i]))
			return -EBADMSG;
		v = v * 10 + (t[i] - '0');
	}
	return v;
}

/* an element of the list-service namespace, or (LENIENT) of
 * resource-lists: clients and servers write entries and display names
 * either way (cpm_xdm.h) */
static int xd_is(const xmlNode *n, const char *name)
{
	return cpm_xml_is(n, CPM_XDM_XMLNS, name)
		   || cpm_xml_is(n, CPM_XDM_RL_XMLNS, name);
}

static const xmlNode *xd_child(const xmlNode *n, const char *name)
{
	const xmlNode *c;

	for(c = n->children; c != NULL; c = c->next)
		if(xd_is(c, name))
			return c;
	return NULL;
}

static const struct {
	const char *name;
	unsigned bit;
} xd_actions[] = {
		{"allow-conference-state", CPM_XDM_P_CONF_STATE},
		{"allow-invite-users-dynamically", CPM_XDM_P_DYN_INVITE},
		{"join-handling", CPM_XDM_P_JOIN},
		{"allow-initiate-conference", CPM_XDM_P_START},
		{"allow-anonymity", CPM_XDM_P_ANONYMITY},
		{"is-key-participant", CPM_XDM_P_KEY},
};
#define XD_NACT ((int)(sizeof(xd_actions) / sizeof(xd_actions[0])))

/* the actions a rule grants (RFC 4745: booleans, OR) */
static int xd_rule_actions(const xmlNode *acts, unsigned *bits)
{
	const xmlNode *a;
	int k, b;

	*bits = 0;
	if(acts == NULL)
		return 0;
	for(a = acts->children; a != NULL; a = a->next) {
		if(a->type != XML_ELEMENT_NODE)
			continue;
		for(k = 0; k < XD_NACT; k++) {
			if(!cpm_xml_is(a, CPM_XDM_XMLNS, xd_actions[k].name))
				continue;
			b = xd_bool(a, xd_actions[k].bit == CPM_XDM_P_JOIN);
			if(b < 0)
				return b;
			if(b)
				*bits |= xd_actions[k].bit;
		}
	}
	return 0;
}

#define XD_C_MEMBER 1
#define XD_C_IDENTITY 2
#define XD_C_OTHER 4
#define XD_C_UNKNOWN 8

/* the kinds of condition of a rule; *ident the <cr:identity> */
static int xd_rule_conds(const xmlNode *conds, const xmlNode **ident)
{
	const xmlNode *c, *o;
	int f = 0;
	char t[8];

	*ident = NULL;
	if(conds == NULL)
		return 0;
	for(c = conds->children; c != NULL; c = c->next) {
		if(c->type != XML_ELEMENT_NODE)
			continue;
		if(cpm_xml_is(c, CPM_XDM_XMLNS, "is-list-member")) {
			/* empty since Nov 2005; "true" before; "false" is a
			 * condition no member meets: not understood */
			if(cpm_xml_text(c, t, sizeof(t)) < 0
					|| (t[0] != '\0' && strcmp(t, "true") != 0))
				f |= XD_C_UNKNOWN;
			f |= XD_C_MEMBER;
		} else if(cpm_xml_is(c, CPM_XDM_CP_XMLNS, "identity")) {
			if(*ident != NULL)
				f |= XD_C_UNKNOWN;
			*ident = c;
			f |= XD_C_IDENTITY;
			/* only <one id>: <many>, <except> are not evaluated */
			for(o = c->children; o != NULL; o = o->next)
				if(o->type == XML_ELEMENT_NODE
						&& !cpm_xml_is(o, CPM_XDM_CP_XMLNS, "one"))
					f |= XD_C_UNKNOWN;
		} else if(cpm_xml_is(c, CPM_XDM_OCP_XMLNS, "other-identity")) {
			f |= XD_C_OTHER;
		} else {
			f |= XD_C_UNKNOWN;
		}
	}
	return f;
}

/* 1 when <cr:identity> names uri in a <cr:one id> */
static int xd_ident_has(const xmlNode *ident, const cpm_str_t *uri)
{
	const xmlNode *o;
	xmlChar *id;
	int hit = 0;

	for(o = ident->children; o != NULL && !hit; o = o->next) {
		if(!cpm_xml_is(o, CPM_XDM_CP_XMLNS, "one"))
			continue;
		id = xmlGetNoNsProp(o, (const xmlChar *)"id");
		if(id == NULL)
			continue;
		hit = cpm_rl_uri_eq((const char *)id, (int)strlen((const char *)id),
				uri->s, uri->len);
		xmlFree(id);
	}
	return hit;
}

static int xd_list_service(xd_ctx_t *c, const xmlNode *ls, cpm_xdm_group_t *g,
		cpm_xdm_member_t *m, int max_members)
{
	const xmlNode *x, *e, *r, *ident;
	cpm_str_t u;
	unsigned acts, members = 0, other = 0;
	int rc, i, f, b, save;

	if((rc = xd_attr(c, ls, "uri", &g->uri)) < 0)
		return rc == -ENOENT ? -EBADMSG : rc;
	if(!cpm_rl_uri_ok(g->uri.s, g->uri.len))
		return -EBADMSG;
	g->members = m;
	/* pass 1: names, members, group elements */
	for(x = ls->children; x != NULL; x = x->next) {
		if(x->type != XML_ELEMENT_NODE)
			continue;
		if(cpm_xml_is(x, CPM_XDM_XMLNS, "display-name")
				|| cpm_xml_is(x, CPM_XDM_RL_XMLNS, "display-name")) {
			if(g->display_name.len == 0 && (rc = xd_text(c, x, &g->display_name)) < 0)
				return rc;
		} else if(cpm_xml_is(x, CPM_XDM_XMLNS, "list")) {
			for(e = x->children; e != NULL; e = e->next) {
				if(e->type != XML_ELEMENT_NODE)
					continue;
				if(xd_is(e, "external")) {
					g->skipped++;
					continue;
				}
				if(!xd_is(e, "entry"))
					continue; /* ##other */
				save = c->p;
				if((rc = xd_attr(c, e, "uri", &u)) < 0)
					return rc == -ENOENT ? -EBADMSG : rc;
				if(!cpm_rl_uri_ok(u.s, u.len))
					return -EBADMSG;
				for(i = 0; i < g->n_members; i++)
					if(cpm_rl_uri_eq(m[i].uri.s, m[i].uri.len, u.s, u.len))
						break;
				if(i < g->n_members) { /* a duplicate: the first stays */
					c->p = save;
					continue;
				}
				if(g->n_members >= max_members)
					return -E2BIG;
				memset(&m[g->n_members], 0, sizeof(m[0]));
				m[g->n_members].uri = u;
				if((r = xd_child(e, "display-name")) != NULL
						&& (rc = xd_text(c, r, &m[g->n_members].display_name))
								   < 0)
					return rc;
				g->n_members++;
			}
		} else if(cpm_xml_is(x, CPM_XDM_XMLNS, "invite-members")) {
			if((b = xd_bool(x, 0)) < 0)
				return b;
			if(b)
				g->policy |= CPM_XDM_P_INVITE_MEMBERS;
		} else if(cpm_xml_is(x, CPM_XDM_XMLNS, "max-participant-count")) {
			if((b = xd_count(x)) < 0)
				return b;
			g->max_participants = b;
		}
	}
	/* pass 2: the rules (members are known now) */
	for(x = ls->children; x != NULL; x = x->next) {
		if(!cpm_xml_is(x, CPM_XDM_CP_XMLNS, "ruleset"))
			continue;
		for(r = x->children; r != NULL; r = r->next) {
			if(!cpm_xml_is(r, CPM_XDM_CP_XMLNS, "rule"))
				continue;
			if((rc = xd_rule_actions(
						cpm_xml_child(r, CPM_XDM_CP_XMLNS, "actions"), &acts))
					< 0)
				return rc;
			f = xd_rule_conds(
					cpm_xml_child(r, CPM_XDM_CP_XMLNS, "conditions"), &ident);
			if(f & XD_C_UNKNOWN) {
				g->skipped++;
				continue;
			}
			if(!(f & (XD_C_IDENTITY | XD_C_OTHER))) {
				members |= acts;
				if(!(f & XD_C_MEMBER))
					other |= acts; /* no conditions: everyone */
			} else if((f & XD_C_IDENTITY) && !(f & XD_C_OTHER)) {
				for(i = 0; i < g->n_members; i++)
					if(xd_ident_has(ident, &m[i].uri))
						m[i].policy |= acts;
			} else if(f == XD_C_OTHER) {
				other |= acts;
			} /* other-identity with list-member / identity: nobody */
		}
	}
	g->policy |= members;
	g->other_policy = other;
	for(i = 0; i < g->n_members; i++) {
		m[i].policy |= members;
		if(m[i].policy & CPM_XDM_P_KEY)
			g->policy |= CPM_XDM_P_END_KEY_LEFT;
	}
	return 0;
}

int cpm_xdm_parse(const char *s, int len, cpm_xdm_group_t *g, int max_groups,
		cpm_xdm_member_t *m, int max_members, char *buf, int size)
{
	cpm_xml_limits_t lim = {CPM_XDM_MAX_DOC, 0, 100000};
	xmlDocPtr doc = NULL;
	const xmlNode *root, *x;
	xd_ctx_t c;
	int n = 0, used = 0, rc, i;

	if(s == NULL || len <= 0 || g == NULL || max_groups <= 0 || m == NULL
			|| max_members < 0 || buf == NULL || size <= 0)
		return -EINVAL;
	c.buf = buf;
	c.p = 0;
	c.size = size;
	buf[0] = '\0';
	rc = cpm_xml_parse(s, len, CPM_XDM_XMLNS, "group", &lim, &doc, NULL);
	if(rc == -EPERM)
		rc = cpm_rl_classify_doctype(s, len);
	if(rc < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	for(x = root->children; x != NULL; x = x->next) {
		if(!cpm_xml_is(x, CPM_XDM_XMLNS, "list-service"))
			continue;
		if(n >= max_groups) {
			rc = -E2BIG;
			goto done;
		}
		memset(&g[n], 0, sizeof(g[n]));
		if((rc = xd_list_service(&c, x, &g[n], m + used, max_members - used))
				< 0)
			goto done;
		for(i = 0; i < n; i++)
			if(cpm_rl_uri_eq(g[i].uri.s, g[i].uri.len, g[n].uri.s,
					   g[n].uri.len)) {
				rc = -EBADMSG; /* two definitions of one group */
				goto done;
			}
		used += g[n].n_members;
		n++;
	}
	rc = n;

done:
	cpm_xml_free(doc);
	if(rc < 0) {
		memset(g, 0, sizeof(*g) * (n < max_groups ? n + 1 : n));
		buf[0] = '\0';
	}
	return rc;
}

/* ---- printer --------------------------------------------------------- */

static int xd_name_ok(const cpm_str_t *v)
{
	return cpm_xo_check(v->s, v->len, 1) == 0;
}

static void xd_actions_out(cpm_lex_out_t *o, unsigned bits)
{
	int k;

	cpm_lex_out_str(o, "<cr:actions>");
	for(k = 0; k < XD_NACT; k++) {
		if(!(bits & xd_actions[k].bit))
			continue;
		cpm_lex_out_str(o, "<");
		cpm_lex_out_str(o, xd_actions[k].name);
		cpm_lex_out_str(o, ">true</");
		cpm_lex_out_str(o, xd_actions[k].name);
		cpm_lex_out_str(o, ">");
	}
	cpm_lex_out_str(o, "</cr:actions>");
}

static int xd_check(const cpm_xdm_group_t *g, int n)
{
	const cpm_xdm_member_t *mm;
	unsigned ga;
	int i, j, k, key;

	for(i = 0; i < n; i++) {
		if(!cpm_rl_uri_ok(g[i].uri.s, g[i].uri.len)
				|| cpm_xo_check(g[i].uri.s, g[i].uri.len, 0) < 0
				|| !xd_name_ok(&g[i].display_name)
				|| g[i].max_participants < 0
				|| g[i].max_participants > 999999999
				|| (g[i].policy
						   & ~(CPM_XDM_P_ACTIONS | CPM_XDM_P_INVITE_MEMBERS
								   | CPM_XDM_P_END_KEY_LEFT))
				|| (g[i].other_policy & ~CPM_XDM_P_ACTIONS)
				|| g[i].n_members < 0
				|| (g[i].n_members > 0 && g[i].members == NULL))
			return -EINVAL;
		for(j = 0; j < i; j++)
			if(cpm_rl_uri_eq(g[i].uri.s, g[i].uri.len, g[j].uri.s,
					   g[j].uri.len))
				return -EINVAL;
		ga = g[i].policy & CPM_XDM_P_ACTIONS;
		key = 0;
		for(j = 0; j < g[i].n_members; j++) {
			mm = &g[i].members[j];
			if(!cpm_rl_uri_ok(mm->uri.s, mm->uri.len)
					|| cpm_xo_check(mm->uri.s, mm->uri.len, 0) < 0
					|| !xd_name_ok(&mm->display_name)
					|| (mm->policy & ~CPM_XDM_P_ACTIONS)
					|| (mm->policy & ga) != ga)
				return -EINVAL;
			if(mm->policy & CPM_XDM_P_KEY)
				key = 1;
			for(k = 0; k < j; k++)
				if(cpm_rl_uri_eq(mm->uri.s, mm->uri.len,
						   g[i].members[k].uri.s, g[i].members[k].uri.len))
					return -EINVAL;
		}
		if(key != !!(g[i].policy & CPM_XDM_P_END_KEY_LEFT))
			return -EINVAL;
	}
	return 0;
}

int cpm_xdm_print(const cpm_xdm_group_t *g, int n, char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	const cpm_xdm_member_t *mm;
	unsigned ga;
	int i, j, rules;

	if(n < 0 || (n > 0 && g == NULL) || size < 0 || (buf == NULL && size))
		return -EINVAL;
	if(xd_check(g, n) < 0)
		return -EINVAL;
	cpm_lex_out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
						"<group xmlns=\"" CPM_XDM_XMLNS
						"\" xmlns:rl=\"" CPM_XDM_RL_XMLNS
						"\" xmlns:cr=\"" CPM_XDM_CP_XMLNS
						"\" xmlns:ocp=\"" CPM_XDM_OCP_XMLNS "\">\n");
	for(i = 0; i < n; i++) {
		ga = g[i].policy & CPM_XDM_P_ACTIONS;
		cpm_lex_out_str(&o, " <list-service");
		cpm_xo_attr(&o, "uri", g[i].uri.s, g[i].uri.len);
		cpm_lex_out_str(&o, ">\n");
		if(g[i].display_name.len > 0) {
			cpm_lex_out_str(&o, "  ");
			cpm_xo_elem(&o, "display-name", g[i].display_name.s,
					g[i].display_name.len);
			cpm_lex_out_str(&o, "\n");
		}
		cpm_lex_out_str(&o, "  <list>\n");
		for(j = 0; j < g[i].n_members; j++) {
			mm = &g[i].members[j];
			cpm_lex_out_str(&o, "   <entry");
			cpm_xo_attr(&o, "uri", mm->uri.s, mm->uri.len);
			if(mm->display_name.len > 0) {
				cpm_lex_out_str(&o, ">");
				cpm_xo_elem(&o, "rl:display-name", mm->display_name.s,
						mm->display_name.len);
				cpm_lex_out_str(&o, "</entry>\n");
			} else {
				cpm_lex_out_str(&o, "/>\n");
			}
		}
		cpm_lex_out_str(&o, "  </list>\n");
		if(g[i].policy & CPM_XDM_P_INVITE_MEMBERS)
			cpm_lex_out_str(&o, "  <invite-members>true</invite-members>\n");
		if(g[i].max_participants > 0) {
			cpm_lex_out_str(&o, "  <max-participant-count>");
			cpm_xo_ulong(&o, (unsigned long)g[i].max_participants);
			cpm_lex_out_str(&o, "</max-participant-count>\n");
		}
		rules = ga != 0 || g[i].other_policy != 0;
		for(j = 0; j < g[i].n_members; j++)
			if(g[i].members[j].policy & ~ga)
				rules = 1;
		if(rules) {
			cpm_lex_out_str(&o, "  <cr:ruleset>\n");
			if(ga) {
				cpm_lex_out_str(&o, "   <cr:rule id=\"members\"><cr:conditions>"
									"<is-list-member/></cr:conditions>");
				xd_actions_out(&o, ga);
				cpm_lex_out_str(&o, "</cr:rule>\n");
			}
			for(j = 0; j < g[i].n_members; j++) {
				mm = &g[i].members[j];
				if(!(mm->policy & ~ga))
					continue;
				cpm_lex_out_str(&o, "   <cr:rule id=\"m");
				cpm_xo_ulong(&o, (unsigned long)j);
				cpm_lex_out_str(&o, "\"><cr:conditions><cr:identity><cr:one");
				cpm_xo_attr(&o, "id", mm->uri.s, mm->uri.len);
				cpm_lex_out_str(&o, "/></cr:identity></cr:conditions>");
				xd_actions_out(&o, mm->policy & ~ga);
				cpm_lex_out_str(&o, "</cr:rule>\n");
			}
			if(g[i].other_policy) {
				cpm_lex_out_str(&o, "   <cr:rule id=\"others\"><cr:conditions>"
									"<ocp:other-identity/></cr:conditions>");
				xd_actions_out(&o, g[i].other_policy);
				cpm_lex_out_str(&o, "</cr:rule>\n");
			}
			cpm_lex_out_str(&o, "  </cr:ruleset>\n");
		}
		cpm_lex_out_str(&o, " </list-service>\n");
	}
	cpm_lex_out_str(&o, "</group>\n");
	return cpm_lex_out_end(&o);
}

/* ---- domain placeholder ---------------------------------------------- */

int cpm_xdm_uri_expand(const char *uri, int len, const char *domain, int dlen,
		char *out, int size)
{
	cpm_lex_out_t o = {out, size, 0, 0};
	int i, hs, he, pl = (int)strlen(CPM_XDM_DOMAIN_PLACEHOLDER);

	if(uri == NULL || len <= 0 || domain == NULL || dlen <= 0 || size < 0
			|| (out == NULL && size))
		return -EINVAL;
	for(i = 0; i < dlen; i++)
		if(!cpm_lex_is_alnum((unsigned char)domain[i])
				&& strchr(".-:[]", domain[i]) == NULL)
			return -EINVAL; /* a host (RFC 3261 25.1 hostport) */
	hs = he = -1;
	if(cpm_lex_iprefix("sip:", 4, uri, len)
			|| cpm_lex_iprefix("sips:", 5, uri, len)) {
		hs = uri[3] == ':' ? 4 : 5;
		/* userinfo "@" before any ";" / "?" */
		for(i = hs; i < len && uri[i] != ';' && uri[i] != '?'; i++)
			if(uri[i] == '@') {
				hs = i + 1;
				break;
			}
		for(he = hs; he < len && strchr(":;?>", uri[he]) == NULL; he++)
			;
	}
	if(hs >= 0 && cpm_lex_ieq(uri + hs, he - hs, CPM_XDM_DOMAIN_PLACEHOLDER, pl)) {
		cpm_lex_out_put(&o, uri, hs);
		cpm_lex_out_put(&o, domain, dlen);
		cpm_lex_out_put(&o, uri + he, len - he);
	} else {
		cpm_lex_out_put(&o, uri, len);
	}
	return cpm_lex_out_end(&o);
}

static int xd_expand_one(cpm_str_t *v, const char *domain, int dlen,
		cpm_lex_out_t *o)
{
	int k;

	k = cpm_xdm_uri_expand(v->s, v->len, domain, dlen, o->b + o->n,
			o->size - o->n);
	if(k < 0)
		return k;
	v->s = o->b + o->n;
	v->len = k;
	o->n += k + 1;
	if(o->n > o->size)
		return -ENOSPC;
	return 0;
}

int cpm_xdm_expand(cpm_xdm_group_t *g, int n, const char *domain, int dlen,
		char *buf, int size)
{
	cpm_lex_out_t o = {buf, size, 0, 0};
	int i, j, rc;

	if(n < 0 || (n > 0 && g == NULL) || buf == NULL || size <= 0)
		return -EINVAL;
	for(i = 0; i < n; i++) {
		if((rc = xd_expand_one(&g[i].uri, domain, dlen, &o)) < 0)
			return rc;
		for(j = 0; j < g[i].n_members; j++)
			if((rc = xd_expand_one(&g[i].members[j].uri, domain, dlen, &o))
					< 0)
				return rc;
	}
	return 0;
}

unsigned cpm_xdm_policy_of(const cpm_xdm_group_t *g, const char *uri, int len)
{
	int i;

	if(g == NULL)
		return 0;
	for(i = 0; i < g->n_members; i++)
		if(cpm_rl_uri_eq(g->members[i].uri.s, g->members[i].uri.len, uri, len))
			return g->members[i].policy;
	return g->other_policy;
}
