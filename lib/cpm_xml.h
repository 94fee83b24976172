/*
 * cpm_xml: the one place where the CPM modules parse untrusted XML (IMDN
 * bodies of RFC 5438, and for the CF resource-lists of RFC 4826 and
 * conference-info of RFC 4575) with libxml2 (Debian bookworm: 2.9.14).
 *
 * A body comes from the network, so the parser is shut down to the XML a
 * CPM body needs (seed 5.x / issue 6 item 5: "no network, no entity
 * expansion, no DTD, size and depth limits, namespace and root checked"):
 *
 * - a parser context of its own per call (xmlNewParserCtxt +
 *   xmlCtxtReadMemory), never libxml2's global defaults;
 * - XML_PARSE_NONET, never XML_PARSE_NOENT (no entity substitution), no
 *   DTD loading, no validation, no XInclude, no XML_PARSE_HUGE;
 * - the input must be UTF-8 without NUL (checked before libxml2 sees it) and
 *   declare no other encoding;
 * - any DOCTYPE is refused, harmless or not: the SAX internalSubset /
 *   externalSubset / entityDecl callbacks stop the parser before a single
 *   declaration is read, so no entity (XXE, "billion laughs") is ever
 *   defined, let alone expanded or fetched;
 * - size limit before parsing; element depth and element count counted in
 *   the SAX startElementNs callback, so a 5,000-level or 100,000-element
 *   document is stopped as soon as it passes the limit instead of being
 *   built (libxml2 2.9's own depth limit is 256 levels without
 *   XML_PARSE_HUGE and it has no element count limit at all);
 * - the root element's local name and namespace must be what the caller
 *   expects.
 *
 * Modules: call xmlInitParser() once in mod_init (before the fork, libxml2's
 * initialisation is not thread/process-safe to do lazily) and never
 * xmlCleanupParser() at run time (other modules' libxml2 state is global:
 * presence, xcap...).  Unit tests call xmlCleanupParser() at the very end of
 * main() only, so valgrind's leak check stays exact.
 *
 * Unlike lib/cpm_lex, this file allocates: libxml2 builds the tree with
 * malloc(); the caller owns the document and frees it with cpm_xml_free().
 * Parsers built on it (cpm_imdn) copy what they need and free the tree
 * before returning, so no libxml2 object escapes them.
 */
#ifndef CPM_XML_H
#define CPM_XML_H

#include <errno.h>

/* libxml2's declarations stay default-visible: include them before the
 * hidden region below */
#include <libxml/parser.h>
#include <libxml/tree.h>

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* defaults for a CPM body: an IMDN is < 1 KiB, a resource-list of 100
 * entries ~ 10 KiB; conference-info of a large group ~ 64 KiB */
#define CPM_XML_MAX_SIZE (64 * 1024)
#define CPM_XML_MAX_DEPTH 32
#define CPM_XML_MAX_ELEMS 4096

typedef struct cpm_xml_limits {
	int max_size;  /* octets of the document, <= 0: CPM_XML_MAX_SIZE */
	int max_depth; /* element nesting (root = 1), <= 0: CPM_XML_MAX_DEPTH */
	int max_elems; /* elements in all, <= 0: CPM_XML_MAX_ELEMS */
} cpm_xml_limits_t;

/* Error codes (negative errno) of cpm_xml_parse(), one per refusal: */
/* -EINVAL     bad arguments                                            */
/* -E2BIG      larger than max_size                                     */
/* -EILSEQ     not UTF-8, a NUL octet, or another encoding declared     */
/* -EPERM      a DOCTYPE / internal subset / entity declaration         */
/* -ELOOP      elements nested deeper than max_depth                    */
/* -EOVERFLOW  more than max_elems elements                             */
/* -EBADMSG    not well-formed (truncated, trailing garbage, undeclared */
/*             entity, ...)                                             */
/* -ENOMSG     well-formed but not the document expected (root element  */
/*             name or namespace)                                        */
/* -ENOMEM     out of memory                                            */

/* Parse s[0..len) as one XML document whose root element is root_name in
 * namespace root_ns (root_ns NULL: the root must have no namespace).  On
 * success *doc owns the tree (free with cpm_xml_free) and 0 is returned;
 * on error *doc is NULL, *erroff (may be NULL) gets the octet offset where
 * the problem was seen (approximate for libxml2's own errors: the start of
 * the line/column it reports), and a code above is returned.  lim may be
 * NULL (defaults). */
int cpm_xml_parse(const char *s, int len, const char *root_ns,
		const char *root_name, const cpm_xml_limits_t *lim, xmlDocPtr *doc,
		int *erroff);

/* frees a document of cpm_xml_parse() (NULL: nothing) */
void cpm_xml_free(xmlDocPtr doc);

/* a short English text for a code of cpm_xml_parse() (for LM_ERR lines and
 * Warning texts) */
const char *cpm_xml_strerror(int rc);

/* 1 when n is an element named name in namespace ns (ns NULL: none) */
int cpm_xml_is(const xmlNode *n, const char *ns, const char *name);

/* the first element child of n named name in ns (NULL: none), or NULL */
xmlNode *cpm_xml_child(const xmlNode *n, const char *ns, const char *name);

/* the next element sibling of n (any name), or NULL */
xmlNode *cpm_xml_next_elem(const xmlNode *n);

/* The text content of element n (its text and CDATA children concatenated,
 * child elements not descended into; predefined entities and character
 * references already decoded by libxml2) with leading and trailing XML
 * white space (SP, HTAB, CR, LF) removed, copied to buf (NUL-terminated).
 * Returns its length, -ENOSPC (size must also hold the trailing white
 * space before it is trimmed), -EINVAL. */
int cpm_xml_text(const xmlNode *n, char *buf, int size);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
