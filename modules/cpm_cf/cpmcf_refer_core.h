/*
 * cpm_cf: REFER targets (issue 7 items 5 and 6), pure code.
 *
 * A participant adds or removes users with REFER to the Group Session
 * Identity (seed 4.1, RFC 4579 5.5 / 5.6, RFC 3515): the Refer-To URI
 * names the target, its `method` URI parameter (RFC 3261 19.1.1) the
 * request the focus sends it: none or INVITE adds, BYE removes.  A bare
 * `Refer-To: <tel:...>` (rcsjta) means INVITE.  `Refer-To: <cid:...>` (RFC
 * 5368) points at a resource list in the body whose entry URIs are read
 * the same way.  An entry of a factory INVITE's list may carry a Replaces
 * header (RFC 3891, `?Replaces=` in the URI, RFC 3261 19.1.1 headers) when
 * a 1-1 session is extended to a group (seed 5.2, item 6).
 *
 * ABNF read (RFC 3515 2.1, RFC 3261 25.1, RFC 2392, RFC 3891 6.1):
 *   Refer-To    = ("Refer-To" / "r") HCOLON (name-addr / addr-spec)
 *                 *(SEMI generic-param)
 *   name-addr   = [display-name] LAQUOT addr-spec RAQUOT
 *   SIP-URI     = ("sip:" / "sips:") [userinfo] hostport uri-parameters
 *                 [headers]
 *   method-param= "method=" Method          ; INVITE or BYE here
 *   headers     = "?" header *("&" header)
 *   header      = hname "=" hvalue          ; hvalue %-escaped
 *   cid-url     = "cid:" content-id         ; %-escaped addr-spec
 *   Replaces    = "Replaces" HCOLON callid *(SEMI replaces-param)
 *   replaces-param = to-tag / from-tag / early-flag / generic-param
 *   to-tag      = "to-tag" EQUAL token
 *   from-tag    = "from-tag" EQUAL token
 *   early-flag  = "early-only"
 * A bare addr-spec ends at the first ";" (RFC 3261 20: a URI with ";", ","
 * or "?" must be in angle brackets); header parameters are ignored.
 */
#ifndef CPMCF_REFER_CORE_H
#define CPMCF_REFER_CORE_H

#include "core/str.h"

#define CPMCF_REF_URI_MAX 255

typedef enum {
	CPMCF_REF_INVITE = 0, /* no method, method=INVITE: add */
	CPMCF_REF_BYE		  /* method=BYE: remove */
} cpmcf_ref_method_t;

typedef struct cpmcf_refto {
	str uri; /* the target without method parameter and headers; for a
				cid: URL the Content-ID it names (decoded, no "cid:") */
	cpmcf_ref_method_t method;
	int is_cid;
	str replaces; /* the decoded Replaces header value; empty when none */
} cpmcf_refto_t;

/* parses a Refer-To value (name-addr or addr-spec, header parameters
 * after it), or with addr_spec != 0 a bare URI (a resource-list entry);
 * values point into buf.  0, -EBADMSG (malformed, an unknown scheme, an
 * empty target), -ENOTSUP (a method other than INVITE / BYE; Replaces on
 * a BYE), -ENOSPC (buf too small or a URI longer than CPMCF_REF_URI_MAX) */
int cpmcf_refto_parse(const char *s, int len, int addr_spec, cpmcf_refto_t *r,
		char *buf, int size);
/* prints r as a Refer-To value "<uri[;method=BYE][?Replaces=...]>":
 * length, -ENOSPC */
int cpmcf_refto_print(const cpmcf_refto_t *r, char *buf, int size);

/* checks a Replaces value: call-id, to-tag and from-tag all present.
 * 0, -EBADMSG */
int cpmcf_replaces_parse(const char *s, int len, str *callid, str *totag,
		str *fromtag, int *early_only);

#endif
