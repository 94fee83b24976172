/*
 * cpm_cpim: message/cpim bodies (RFC 3862, "Common Presence and Instant
 * Messaging (CPIM): Message Format"), pure C on lib/cpm_lex.
 *
 * A message/cpim body is three parts (RFC 3862 3):
 *
 *   cpim-body    = cpim-headers CRLF mime-headers CRLF content
 *   cpim-headers = *Header                 ; RFC 3862 3.1, one per line
 *   mime-headers = *( field CRLF )         ; of the encapsulated object
 *                                          ; (RFC 2045 / RFC 5322 2.2)
 *
 * cpm_cpim_parse() splits it into (name, value) views pointing into the
 * input (no copy), resolves each CPIM header's namespace (NS headers,
 * RFC 3862 3.3 / 4.5) so that `imdn.Message-ID` is found whatever prefix
 * the message binds to urn:ietf:params:imdn, and gives the content.
 * cpm_cpim_print() rebuilds a body from the struct (parse(print(x)) == x);
 * cpm_cpim_build_notification() writes the CPIM wrapper of an IMDN
 * (RFC 5438 7.2.1.1 example) for the PF's negative-delivery notification.
 *
 * Strict where RFC 3862 is, lenient where deployed clients differ
 * (../shared/notes/client-dialects.md); each leniency is marked LENIENT in
 * cpm_cpim.c:
 * - CRLF or a bare LF ends a line (LENIENT: RFC 3862 says CRLF);
 * - the SP between ":" (and the parameters) and the value may be missing
 *   or repeated (LENIENT);
 * - CPIM header names and namespace prefixes are matched ignoring ASCII
 *   case (LENIENT: RFC 3862 compares them exactly; no two headers of the
 *   registered namespaces differ by case alone);
 * - inner MIME header names are case-insensitive as RFC 2045 says: real
 *   clients write `Content-type` / `Content-length`;
 * - an inner Content-Length smaller than what follows cuts the content
 *   (LENIENT: some stacks append a CRLF); a larger one is a truncated
 *   body (-EBADMSG);
 * - a header value may hold HTAB (LENIENT) and UTF-8, never another CTL
 *   (RFC 3862 3.1 HEADERCHAR) nor a bad UTF-8 sequence (-EILSEQ);
 * - CPIM headers do not fold (RFC 3862 has no folding): a line starting
 *   with WSP there is -EBADMSG; inner MIME headers may fold (RFC 5322
 *   2.2.3), the value view then spans the fold.
 *
 * Errors (negative errno) and *erroff, the octet offset of the problem:
 *   -EINVAL  bad arguments (or, for the printers, a value that cannot be
 *            written);
 *   -E2BIG   a limit passed: total size, header count, line length;
 *   -EBADMSG broken syntax, truncated body;
 *   -EILSEQ  a header value that is not UTF-8;
 *   -ENOSPC  (printers) output buffer too small.
 *
 * The names and namespace URNs taken by the lookups are NUL-terminated C
 * strings (constants in the callers).
 */
#ifndef CPM_CPIM_H
#define CPM_CPIM_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* RFC 3862 3.3: the namespace of unprefixed header names */
#define CPM_CPIM_NS_CORE "urn:ietf:params:cpim-headers:"
/* RFC 5438 9.1 / 6: the IMDN header namespace */
#define CPM_CPIM_NS_IMDN "urn:ietf:params:imdn"

/* limits: a pager-mode CPIM carries ~6 CPIM and ~3 MIME headers */
#define CPM_CPIM_MAX_HDRS 32   /* CPIM headers */
#define CPM_CPIM_MAX_MIME 16   /* encapsulated MIME headers */
#define CPM_CPIM_MAX_LINE 1000 /* octets of a header line with its line end
                                  (RFC 5322 2.1.1: 998 + CRLF) */
#define CPM_CPIM_MAX_SIZE (1024 * 1024) /* the whole body: far above any
                                  SIP MESSAGE the PF accepts */

typedef struct cpm_cpim_hdr {
	cpm_str_t name;   /* as on the wire: "imdn.Message-ID", "Content-type" */
	cpm_str_t prefix; /* CPIM: "imdn", empty when unprefixed; MIME: empty */
	cpm_str_t local;  /* CPIM: "Message-ID"; MIME: the name */
	cpm_str_t params; /* CPIM: ";lang=fr" (with the first ";"), or empty */
	cpm_str_t value;  /* trimmed of the WSP around it */
	cpm_str_t ns;     /* CPIM: namespace URN resolved through NS (or
	                     CPM_CPIM_NS_CORE); empty when the prefix is bound
	                     by no NS header before it. MIME: empty */
} cpm_cpim_hdr_t;

typedef struct cpm_cpim {
	cpm_cpim_hdr_t hdr[CPM_CPIM_MAX_HDRS];   /* CPIM headers, in order */
	int nhdr;
	cpm_cpim_hdr_t mime[CPM_CPIM_MAX_MIME]; /* encapsulated MIME headers */
	int nmime;
	cpm_str_t content; /* the encapsulated content (Content-Length cut) */
} cpm_cpim_t;

/* Parse s[0..len) (the body of a message/cpim request or MSRP chunk) into
 * *m.  0 or a negative errno (above) with *erroff (may be NULL) set. */
int cpm_cpim_parse(const char *s, int len, cpm_cpim_t *m, int *erroff);

/* Index of the first CPIM header at or after index `from` whose namespace
 * is urn and local name is local, or -ENOENT. */
int cpm_cpim_find(const cpm_cpim_t *m, const char *urn, const char *local,
		int from);

/* value of the first CPIM header (urn, local), or NULL */
const cpm_str_t *cpm_cpim_get(
		const cpm_cpim_t *m, const char *urn, const char *local);

/* value of the first encapsulated MIME header named name (any case), or
 * NULL */
const cpm_str_t *cpm_cpim_mime_get(const cpm_cpim_t *m, const char *name);

/* 1 when a Content-Type value ct (e.g. the inner one) is the media type
 * `type` ("message/imdn+xml"): type "/" subtype compared ignoring ASCII
 * case, parameters and the WSP around them ignored (RFC 2045 5.1:
 * media types are case-insensitive); 0 otherwise (ct NULL too) */
int cpm_cpim_type_is(const cpm_str_t *ct, const char *type);

/* the RFC 3862 4 headers of the core namespace and the inner Content-Type */
#define cpm_cpim_from(m) cpm_cpim_get((m), CPM_CPIM_NS_CORE, "From")
#define cpm_cpim_to(m) cpm_cpim_get((m), CPM_CPIM_NS_CORE, "To")
#define cpm_cpim_cc(m) cpm_cpim_get((m), CPM_CPIM_NS_CORE, "cc")
#define cpm_cpim_datetime(m) cpm_cpim_get((m), CPM_CPIM_NS_CORE, "DateTime")
#define cpm_cpim_subject(m) cpm_cpim_get((m), CPM_CPIM_NS_CORE, "Subject")
#define cpm_cpim_content_type(m) cpm_cpim_mime_get((m), "Content-Type")
/* RFC 5438 6.2 / 6.3 */
#define cpm_cpim_imdn_message_id(m) \
	cpm_cpim_get((m), CPM_CPIM_NS_IMDN, "Message-ID")
#define cpm_cpim_imdn_disposition(m) \
	cpm_cpim_get((m), CPM_CPIM_NS_IMDN, "Disposition-Notification")

/* Token = 1*TOKENCHAR, TOKENCHAR = NAMECHAR / "." / UCS-high (RFC 3862
 * 3.1): the length of the longest prefix of s made of TOKENCHARs, UCS-high
 * being any valid non-ASCII UTF-8 character (0: none) */
int cpm_cpim_token_span(const char *s, int len);

/* Param-name "=" Param-value (RFC 3862 3.1 Ext-param) at s: its length,
 * -EBADMSG with *bad the offset of the problem, -EINVAL */
int cpm_cpim_param_span(const char *s, int len, int *bad);

/* *( ";" Param-name "=" Param-value ) at s (RFC 3862 3.1, the parameters
 * of a header, and Ext-param of RFC 5438 6.3): the length of the longest
 * run of whole parameters, or -EBADMSG when one starts but is broken, with
 * *bad its offset */
int cpm_cpim_params_span(const char *s, int len, int *bad);

/* From / To / cc value (RFC 3862 4.1):
 *
 *   From-header-value = [ Formal-name ] "<" URI ">"
 *   Formal-name       = 1*( Token SP ) / String
 *
 * *display gets the formal name (a String without its quotes, escapes
 * kept; empty when absent), *uri the URI.  0, -EINVAL, -EBADMSG. */
int cpm_cpim_addr(const char *s, int len, cpm_str_t *display, cpm_str_t *uri);

/* Printer: the CPIM headers ("name" params SP value CRLF), CRLF, the MIME
 * headers ("name: value" CRLF), CRLF, the content, into buf (NUL-terminated
 * when room is left).  The length written, -ENOSPC, -EINVAL (a name that is
 * not one, a value with a CTL or a line break, leading / trailing WSP, or
 * params not of the ";" form: it would not parse back the same). */
int cpm_cpim_print(const cpm_cpim_t *m, char *buf, int size);

/* The CPIM wrapper of a disposition notification (RFC 5438 7.2.1.1,
 * issue 6 item 5: "as UAC, from the recipient's address, CPIM wrapped"):
 *
 *   From: <from>
 *   To: <to>
 *   NS: imdn <urn:ietf:params:imdn>
 *   imdn.Message-ID: message_id
 *   DateTime: datetime
 *
 *   Content-Type: message/imdn+xml
 *   Content-Disposition: notification
 *   Content-Length: <xml.len>
 *
 *   xml
 *
 * from: the notifying party (the recipient of the original message), to:
 * its sender, message_id: a new one for this notification, datetime: now
 * (cpm_cpim_fmt_datetime), xml: the IMDN (cpm_imdn_build). */
typedef struct cpm_cpim_notif {
	cpm_str_t from;
	cpm_str_t to;
	cpm_str_t message_id;
	cpm_str_t datetime;
	cpm_str_t xml;
} cpm_cpim_notif_t;

/* the body above into buf: its length, -ENOSPC, -EINVAL (a field missing,
 * a URI with "<", ">", WSP or CTL, a Message-ID that is not a Token) */
int cpm_cpim_build_notification(const cpm_cpim_notif_t *n, char *buf, int size);

/* The same, in place: the XML is already at buf[0..n->xml.len) (n->xml.s
 * is not read; cpm_imdn_build_cpim writes it there), the head goes in
 * front of it.  The length, -ENOSPC, -EINVAL. */
int cpm_cpim_wrap_notification(const cpm_cpim_notif_t *n, char *buf, int size);

/* date-time in UTC, RFC 3339 5.6 (RFC 3862 4.4 DateTime):
 * "YYYY-MM-DDThh:mm:ssZ" from seconds since the epoch: 20, -ENOSPC
 * (size < 21), -EINVAL */
int cpm_cpim_fmt_datetime(long long t, char *buf, int size);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
