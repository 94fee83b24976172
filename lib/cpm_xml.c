/*
 * cpm_xml: hardened libxml2 entry point for untrusted XML bodies, see
 * cpm_xml.h for the rules and the error codes.
 */
#include <errno.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "cpm_lex.h"
#include "cpm_xml.h"

/* per-parse state, reached from the SAX callbacks through ctxt->_private */
typedef struct xml_guard {
	int depth;
	int elems;
	int max_depth;
	int max_elems;
	int rc;  /* first refusal of ours (0: none) */
	int off; /* where it was seen */
} xml_guard_t;

/* the input offset the parser has reached */
static int xml_pos(xmlParserCtxtPtr ctxt)
{
	xmlParserInputPtr in = ctxt->input;

	if(in == NULL || in->cur == NULL || in->base == NULL)
		return 0;
	return (int)in->consumed + (int)(in->cur - in->base);
}

static void xml_refuse(xmlParserCtxtPtr ctxt, int rc)
{
	xml_guard_t *g = ctxt->_private;

	if(g != NULL && g->rc == 0) {
		g->rc = rc;
		g->off = xml_pos(ctxt);
	}
	xmlStopParser(ctxt);
}

/* <!DOCTYPE ...>: refused before its first declaration is read */
static void xml_sax_subset(void *ctx, const xmlChar *name,
		const xmlChar *ExternalID, const xmlChar *SystemID)
{
	xml_refuse((xmlParserCtxtPtr)ctx, -EPERM);
}

static void xml_sax_entity(void *ctx, const xmlChar *name, int type,
		const xmlChar *publicId, const xmlChar *systemId, xmlChar *content)
{
	xml_refuse((xmlParserCtxtPtr)ctx, -EPERM);
}

static void xml_sax_start(void *ctx, const xmlChar *localname,
		const xmlChar *prefix, const xmlChar *URI, int nb_namespaces,
		const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
		const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	xml_guard_t *g = ctxt->_private;

	if(g == NULL) { /* fail closed should a libxml2 reset _private */
		xmlStopParser(ctxt);
		return;
	}
	if(++g->elems > g->max_elems) {
		xml_refuse(ctxt, -EOVERFLOW);
		return;
	}
	if(++g->depth > g->max_depth) {
		xml_refuse(ctxt, -ELOOP);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, URI, nb_namespaces,
			namespaces, nb_attributes, nb_defaulted, attributes);
}

static void xml_sax_end(
		void *ctx, const xmlChar *localname, const xmlChar *prefix,
		const xmlChar *URI)
{
	xmlParserCtxtPtr ctxt = ctx;
	xml_guard_t *g = ctxt->_private;

	if(g != NULL)
		g->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, URI);
}

/*
 * XMLDecl      ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>'
 * EncodingDecl ::= S 'encoding' Eq ('"' EncName '"' | "'" EncName "'")
 * Eq           ::= S? '=' S?                         (XML 1.0, 2.8 / 4.3.3)
 * Only UTF-8 is taken: 0 when no encoding is declared or it is UTF-8,
 * -EILSEQ for any other name; a declaration that does not parse is left to
 * libxml2 (it refuses it as not well-formed).
 */
static int xml_check_decl(const char *s, int len)
{
	int i, e, q;

	if(len >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb
			&& (unsigned char)s[2] == 0xbf) {
		s += 3;
		len -= 3;
	}
	if(len < 5 || memcmp(s, "<?xml", 5) != 0)
		return 0;
	for(e = 5; e + 1 < len && !(s[e] == '?' && s[e + 1] == '>'); e++)
		;
	for(i = 5; i + 8 <= e; i++) {
		if(memcmp(s + i, "encoding", 8) != 0)
			continue;
		i += 8;
		i += cpm_lex_skip_space(s + i, e - i);
		if(i >= e || s[i] != '=')
			return 0;
		i++;
		i += cpm_lex_skip_space(s + i, e - i);
		if(i >= e || (s[i] != '"' && s[i] != '\''))
			return 0;
		q = s[i++];
		for(e = i; e < len && s[e] != q; e++)
			;
		return cpm_lex_ieq(s + i, e - i, "UTF-8", 5) ? 0 : -EILSEQ;
	}
	return 0;
}

/* the whole input UTF-8 (RFC 3629) without NUL: the offset of the first
 * bad octet, or -1 */
static int xml_bad_octet(const char *s, int len)
{
	unsigned int cp;
	int i = 0, n;

	while(i < len) {
		if((unsigned char)s[i] - 1u < 0x7fu) { /* 0x01..0x7f */
			i++;
			continue;
		}
		if(s[i] == '\0')
			return i;
		n = cpm_lex_utf8_next(s + i, len - i, &cp);
		if(n < 0)
			return i;
		i += n;
	}
	return -1;
}

/* octet offset of line / column (1-based) of the input, for libxml2's
 * errors */
static int xml_line_off(const char *s, int len, int line, int col)
{
	int i = 0;

	while(line > 1 && i < len) {
		if(s[i++] == '\n')
			line--;
	}
	if(col > 1)
		i += col - 1;
	return i > len ? len : i;
}

int cpm_xml_parse(const char *s, int len, const char *root_ns,
		const char *root_name, const cpm_xml_limits_t *lim, xmlDocPtr *doc,
		int *erroff)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr d = NULL;
	xmlNodePtr root;
	xmlErrorPtr xe;
	xml_guard_t g;
	int rc = 0, off = 0, max_size, bad;

	if(doc != NULL)
		*doc = NULL;
	if(erroff != NULL)
		*erroff = 0;
	if(s == NULL || len <= 0 || doc == NULL || root_name == NULL)
		return -EINVAL;
	memset(&g, 0, sizeof(g));
	max_size = (lim && lim->max_size > 0) ? lim->max_size : CPM_XML_MAX_SIZE;
	g.max_depth = (lim && lim->max_depth > 0) ? lim->max_depth
											  : CPM_XML_MAX_DEPTH;
	g.max_elems = (lim && lim->max_elems > 0) ? lim->max_elems
											  : CPM_XML_MAX_ELEMS;
	if(len > max_size) {
		off = max_size;
		rc = -E2BIG;
		goto done;
	}
	if((bad = xml_bad_octet(s, len)) >= 0) {
		off = bad;
		rc = -EILSEQ;
		goto done;
	}
	if((rc = xml_check_decl(s, len)) < 0)
		goto done;

	ctxt = xmlNewParserCtxt();
	if(ctxt == NULL || ctxt->sax == NULL) {
		rc = -ENOMEM;
		goto done;
	}
	/* the context's own SAX handler (a copy): DOCTYPE and entity
	 * declarations stop the parser, elements are counted */
	ctxt->sax->internalSubset = xml_sax_subset;
	ctxt->sax->externalSubset = xml_sax_subset;
	ctxt->sax->entityDecl = xml_sax_entity;
	ctxt->sax->startElementNs = xml_sax_start;
	ctxt->sax->endElementNs = xml_sax_end;
	ctxt->_private = &g;
	/* no NOENT, no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE, no HUGE;
	 * IGNORE_ENC: the input was checked to be UTF-8 above */
	d = xmlCtxtReadMemory(ctxt, s, len, NULL, NULL,
			XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR
					| XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC);
	if(g.rc != 0) {
		rc = g.rc;
		off = g.off;
		goto done;
	}
	if(d == NULL || !ctxt->wellFormed) {
		xe = xmlCtxtGetLastError(ctxt);
		rc = (xe != NULL && xe->code == XML_ERR_NO_MEMORY) ? -ENOMEM
														   : -EBADMSG;
		off = (xe != NULL && xe->line > 0)
					  ? xml_line_off(s, len, xe->line, xe->int2)
					  : xml_pos(ctxt);
		goto done;
	}
	if(d->intSubset != NULL || d->extSubset != NULL) { /* cannot happen */
		rc = -EPERM;
		goto done;
	}
	root = xmlDocGetRootElement(d);
	if(root == NULL || !cpm_xml_is(root, root_ns, root_name)) {
		rc = -ENOMSG;
		goto done;
	}
	*doc = d;
	d = NULL;

done:
	if(d != NULL)
		xmlFreeDoc(d);
	if(ctxt != NULL) {
		ctxt->_private = NULL;
		xmlFreeParserCtxt(ctxt);
	}
	if(rc < 0 && erroff != NULL)
		*erroff = off;
	return rc;
}

void cpm_xml_free(xmlDocPtr doc)
{
	if(doc != NULL)
		xmlFreeDoc(doc);
}

const char *cpm_xml_strerror(int rc)
{
	switch(rc) {
		case 0:
			return "ok";
		case -EINVAL:
			return "bad arguments";
		case -E2BIG:
			return "XML document too large";
		case -EILSEQ:
			return "XML document not UTF-8";
		case -EPERM:
			return "DOCTYPE or entity declaration not allowed";
		case -ELOOP:
			return "XML elements nested too deep";
		case -EOVERFLOW:
			return "too many XML elements";
		case -EBADMSG:
			return "XML document not well-formed";
		case -ENOMSG:
			return "unexpected XML document (root element or namespace)";
		case -ENOMEM:
			return "out of memory";
		default:
			return "XML error";
	}
}

int cpm_xml_is(const xmlNode *n, const char *ns, const char *name)
{
	if(n == NULL || n->type != XML_ELEMENT_NODE || name == NULL
			|| strcmp((const char *)n->name, name) != 0)
		return 0;
	if(ns == NULL)
		return n->ns == NULL || n->ns->href == NULL;
	return n->ns != NULL && n->ns->href != NULL
		   && strcmp((const char *)n->ns->href, ns) == 0;
}

xmlNode *cpm_xml_next_elem(const xmlNode *n)
{
	for(n = n ? n->next : NULL; n != NULL; n = n->next)
		if(n->type == XML_ELEMENT_NODE)
			return (xmlNode *)n;
	return NULL;
}

xmlNode *cpm_xml_child(const xmlNode *n, const char *ns, const char *name)
{
	xmlNode *c;

	if(n == NULL)
		return NULL;
	for(c = n->children; c != NULL; c = c->next)
		if(cpm_xml_is(c, ns, name))
			return c;
	return NULL;
}

/* S ::= (#x20 | #x9 | #xD | #xA)+   (XML 1.0, 2.3) */
static int xml_is_s(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int cpm_xml_text(const xmlNode *n, char *buf, int size)
{
	const xmlNode *c;
	const char *t;
	int k, tl;

	if(buf == NULL || size <= 0)
		return -EINVAL;
	buf[0] = '\0';
	if(n == NULL || n->type != XML_ELEMENT_NODE)
		return -EINVAL;
	k = 0;
	for(c = n->children; c != NULL; c = c->next) {
		if((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
				|| c->content == NULL)
			continue;
		t = (const char *)c->content;
		tl = (int)strlen(t);
		if(k == 0) { /* leading white space */
			while(tl > 0 && xml_is_s((unsigned char)*t)) {
				t++;
				tl--;
			}
		}
		if(tl > size - 1 - k)
			return -ENOSPC;
		memcpy(buf + k, t, tl);
		k += tl;
	}
	while(k > 0 && xml_is_s((unsigned char)buf[k - 1]))
		k--;
	buf[k] = '\0';
	return k;
}
