/*
 * cpm_reslist: RFC 4826 resource-lists documents as RFC 5366 (INVITE to
 * the conference factory), RFC 5365 (MESSAGE to a list) and RFC 5368
 * (REFER with several targets) recipient lists, with the RFC 5364 copy
 * control attributes (cp:copyControl, cp:anonymize, cp:count).  Seed 5.2:
 * ad-hoc recipients are "a 'recipient-list' body in the SIP INVITE request
 * as described in [RFC5366]".
 *
 * Schema (RFC 4826 3.2 urn:ietf:params:xml:ns:resource-lists, RFC 5364 5
 * urn:ietf:params:xml:ns:copycontrol; ##other elements and attributes
 * allowed everywhere and skipped):
 *
 *   <resource-lists>  = *<list>
 *   <list [name]>     = [<display-name>] *(<list> / <external anchor> /
 *                       <entry> / <entry-ref ref>)
 *   <entry uri=anyURI (required) [cp:copyControl="to"|"cc"|"bcc" (default
 *                      "to")] [cp:anonymize=xs:boolean (default false)]
 *                      [cp:count=xs:nonNegativeInteger (default 0)]>
 *                     [<display-name>string</display-name>] </entry>
 *
 * What the parser makes of it (recipient-list semantics):
 * - nested <list>s are flattened, entries in document order;
 * - <external> and <entry-ref> point into an XCAP server this CF does not
 *   have (RFC 4826 3.2.1/3.2.2); they are skipped and counted
 *   (cpm_rl_stats_t), so a list of nothing else comes back empty and the
 *   CF answers 129 "No destinations";
 * - an <entry> without uri, or with an empty one, does not match the
 *   schema (use="required"): the document is refused (-EBADMSG); so is a
 *   uri without a scheme ("alice"), with white space or a CTL, a
 *   copyControl outside to/cc/bcc, an anonymize that is not an xs:boolean,
 *   a count that is not a nonNegativeInteger;
 * - duplicate URIs are removed (RFC 5365 / RFC 5366: the list service
 *   sends one request per recipient): the first entry keeps its place and
 *   display name, its copyControl becomes the most visible of the copies
 *   (to < cc < bcc) and anonymize is kept when any copy asks for it (the
 *   privacy request wins).  URIs compare as cpm_rl_uri_eq() says;
 * - copyControl / anonymize / count are read only in the copycontrol
 *   namespace (RFC 5364 5); an unqualified copyControl is another
 *   attribute and ignored (the entry is "to").
 *
 * Errors, one per hostile case (issue 7 "Bad input"):
 *   -EPERM      a DOCTYPE with an external identifier (XXE: SYSTEM or
 *               PUBLIC), or any other DOCTYPE;
 *   -EMLINK     a DOCTYPE declaring internal entities (entity expansion,
 *               "billion laughs"); never expanded: cpm_xml stops at the
 *               DOCTYPE, this only names the attack;
 *   -E2BIG      more distinct entries than the caller's max (10,000
 *               entries), or a document over cpm_xml's size limit;
 *   -ENOMSG     another root element or namespace (wrong namespace);
 *   -EOVERFLOW  more elements than cpm_xml's limit (non-entry elements);
 *   -ELOOP      nested deeper than cpm_xml's limit;
 *   -EILSEQ     not UTF-8 / a NUL;
 *   -EBADMSG    not well-formed, or not the schema (above);
 *   -ENOSPC     buf too small (CPM_RL_BUF_SIZE(len) always suffices);
 *   -EINVAL     bad arguments.
 *
 * Through lib/cpm_xml (hardened: no DTD, no entities, no network, size /
 * depth / element limits, root and namespace checked); strings are copied
 * into the caller's buf and the tree freed before returning.
 */
#ifndef CPM_RESLIST_H
#define CPM_RESLIST_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#define CPM_RL_XMLNS "urn:ietf:params:xml:ns:resource-lists"
#define CPM_RL_CP_XMLNS "urn:ietf:params:xml:ns:copycontrol"
#define CPM_RL_CONTENT_TYPE "application/resource-lists+xml"
#define CPM_RL_DISPOSITION "recipient-list"

/* room in buf that always suffices for a document of len octets */
#define CPM_RL_BUF_SIZE(len) ((len) + 16)

typedef enum { CPM_RL_TO = 0, CPM_RL_CC, CPM_RL_BCC } cpm_rl_copy_t;

typedef struct cpm_rl_entry {
	cpm_str_t uri;          /* points into the caller's buf */
	cpm_str_t display_name; /* empty when none */
	cpm_rl_copy_t copy;
	int anonymize;
	/* added */
	unsigned long count;    /* cp:count (RFC 5364 4: how many recipients
	                           an anonymous / bcc entry stands for in a
	                           list the service sends on); 0: absent */
} cpm_rl_entry_t;

typedef struct cpm_rl_stats {
	int entries;    /* <entry> elements seen */
	int duplicates; /* removed as duplicates */
	int skipped;    /* <external> / <entry-ref> skipped */
	int lists;      /* <list> elements (nested included) */
} cpm_rl_stats_t;

/* parses through lib/cpm_xml (hardened); nested lists flattened, duplicate
 * URIs removed (RFC 5366 4); returns the number of entries, -E2BIG when
 * more than max, cpm_xml codes, -EBADMSG (see above for every code) */
int cpm_rl_parse(const char *s, int len, cpm_rl_entry_t *e, int max,
		char *buf, int size);

/* the same, with counters (st may be NULL) */
int cpm_rl_parse_ex(const char *s, int len, cpm_rl_entry_t *e, int max,
		char *buf, int size, cpm_rl_stats_t *st);

/*
 * Printer: an XML declaration, <resource-lists> with the cp prefix bound,
 * one <list> holding an <entry uri cp:copyControl [cp:anonymize="true"]
 * [cp:count]> per entry (with <display-name> when one is set), as rcsjta
 * and the UP client write it.  Returns the length (NUL-terminated when room
 * is left), -ENOSPC (the length needed is not returned), -EINVAL: n < 0,
 * a uri the parser would refuse, a copy out of range, a text that would
 * not come back equal (cpm_xmlout.h), two entries cpm_rl_uri_eq() calls
 * equal (the parser would merge them).  parse(print(x)) == x.
 */
int cpm_rl_print(const cpm_rl_entry_t *e, int n, char *buf, int size);

/*
 * URI equality for duplicate removal (RFC 5366 / RFC 5365 leave the rule to
 * the scheme):
 * - scheme compared ignoring case;
 * - sip / sips (RFC 3261 19.1.4, simplified): userinfo compared
 *   octet-exact after %-decoding, host and port ignoring case, the rest
 *   (parameters, headers) ignoring case;
 * - tel (RFC 3966 4/5.1.1): the number without visual separators
 *   ("-" "." "(" ")"), parameters ignoring case;
 * - any other scheme: the whole URI ignoring case.
 * 1 when equal, 0 otherwise.
 */
int cpm_rl_uri_eq(const char *a, int alen, const char *b, int blen);

/* 1 when u is a URI the parser takes: scheme ":" 1*char, no white space,
 * no CTL, RFC 3986 3.1 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
int cpm_rl_uri_ok(const char *u, int len);

/* "to" / "cc" / "bcc", NULL when out of range */
const char *cpm_rl_copy_name(cpm_rl_copy_t c);

/* After cpm_xml_parse() refused a document with -EPERM (a DOCTYPE): -EPERM
 * when its DOCTYPE carries an external identifier (XXE) or declares no
 * entity, -EMLINK when it declares internal entities (expansion bomb).
 * Read from the raw octets; nothing is parsed or expanded.  cpm_xdm and
 * cpm_confinfo name their refusals the same way. */
int cpm_rl_classify_doctype(const char *s, int len);

/* a text for a code of cpm_rl_parse() (LM_ERR lines, Warning texts) */
const char *cpm_rl_strerror(int rc);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
