/*
 * cpm_imdn: Instant Message Disposition Notification (RFC 5438) pieces the
 * PF and the CF need:
 *
 * - the CPIM `imdn.Disposition-Notification` value (RFC 5438 6.3) into
 *   flags, and its printer;
 * - a message/imdn+xml body (RFC 5438 7) into a struct, through the
 *   hardened XML entry point lib/cpm_xml (so: libxml2, xmlInitParser() in
 *   the module's mod_init, see cpm_xml.h); the text is copied into a
 *   caller-owned buffer and the tree freed before returning: no libxml2
 *   object escapes;
 * - the printer of such a body (the PF's negative-delivery "failed", and
 *   "delivered" etc. for completeness), written with explicit escaping:
 *   parse(build(x)) == x.
 *
 * Errors are negative errno: -EINVAL (bad arguments, a value the builder
 * cannot carry), -EBADMSG (not a valid IMDN), -ENOSPC (buffer too small),
 * and cpm_xml_parse()'s codes for hostile or broken XML (-E2BIG, -EILSEQ,
 * -EPERM, -ELOOP, -EOVERFLOW, -ENOMSG for another root / namespace).
 */
#ifndef CPM_IMDN_H
#define CPM_IMDN_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* RFC 5438 9.2: the namespace of the message/imdn+xml body */
#define CPM_IMDN_XMLNS "urn:ietf:params:xml:ns:imdn"
#define CPM_IMDN_CONTENT_TYPE "message/imdn+xml"

/* ---- Disposition-Notification (RFC 5438 6.3) --------------------------- */

#define CPM_IMDN_REQ_POSITIVE_DELIVERY 0x01
#define CPM_IMDN_REQ_NEGATIVE_DELIVERY 0x02
#define CPM_IMDN_REQ_DISPLAY 0x04
#define CPM_IMDN_REQ_PROCESSING 0x08
#define CPM_IMDN_REQ_ALL 0x0f

/* The value of imdn.Disposition-Notification into a set of the flags
 * above (0: none asked).  Unknown tokens (the ABNF's extension Token) are
 * ignored, tokens match ignoring ASCII case, parameters are skipped.
 * Returns the flags (>= 0) or -EBADMSG (*erroff, may be NULL, the offset),
 * -EINVAL. */
int cpm_imdn_disp_parse(const char *s, int len, int *erroff);

/* Printer: the flags as "positive-delivery, negative-delivery, display,
 * processing" (that order, only those set) into buf (NUL-terminated).
 * The length, -ENOSPC, -EINVAL (bits outside CPM_IMDN_REQ_ALL). */
int cpm_imdn_disp_print(int flags, char *buf, int size);

/* ---- message/imdn+xml (RFC 5438 7) -------------------------------------- */

typedef enum cpm_imdn_kind {
	CPM_IMDN_DELIVERY = 1,	/* <delivery-notification> */
	CPM_IMDN_DISPLAY = 2,	/* <display-notification> */
	CPM_IMDN_PROCESSING = 3 /* <processing-notification> */
} cpm_imdn_kind_t;

typedef enum cpm_imdn_status {
	CPM_IMDN_DELIVERED = 1, /* delivery */
	CPM_IMDN_FAILED,		/* delivery */
	CPM_IMDN_DISPLAYED,		/* display */
	CPM_IMDN_PROCESSED,		/* processing */
	CPM_IMDN_STORED,		/* processing */
	CPM_IMDN_FORBIDDEN,		/* any */
	CPM_IMDN_ERROR			/* any */
} cpm_imdn_status_t;

typedef struct cpm_imdn {
	cpm_imdn_kind_t kind;
	cpm_imdn_status_t status;
	cpm_str_t message_id;			  /* required */
	cpm_str_t datetime;				  /* required */
	cpm_str_t recipient_uri;		  /* optional: len 0 when absent */
	cpm_str_t original_recipient_uri; /* optional */
	cpm_str_t subject;				  /* optional */
} cpm_imdn_t;

/* room in buf that always suffices for cpm_imdn_parse() of len octets */
#define CPM_IMDN_BUF_SIZE(len) ((len) + 8)

/* Parse a message/imdn+xml body.  The five text fields are copied
 * (NUL-terminated, XML white space around them removed) into buf and the
 * views in *out point there; CPM_IMDN_BUF_SIZE(len) octets always
 * suffice.  Strict: <imdn> in the IMDN namespace, exactly one
 * message-id and datetime, at most one of each optional field, exactly
 * one notification element holding one <status> with exactly one status
 * element allowed for that notification (RFC 5438 7.1 / schema 9).
 * LENIENT: the order of the children is free, and elements of other
 * namespaces (the schema's ##other) or unknown IMDN elements are skipped.
 * 0 or a negative errno; *erroff (may be NULL) as cpm_xml_parse(), 0 for
 * a well-formed document that is not a valid IMDN (-EBADMSG). */
int cpm_imdn_parse(const char *s, int len, cpm_imdn_t *out, char *buf,
		int size, int *erroff);

/* Printer / builder: the XML body of *in, with an XML declaration, the
 * text escaped (&amp; &lt; &gt;).  The length written (NUL-terminated when
 * room is left), -ENOSPC, -EINVAL: a missing message-id / datetime, a
 * status the kind does not allow, a field that is not UTF-8, holds a CTL
 * or begins or ends with white space (it would not parse back equal). */
int cpm_imdn_build(const cpm_imdn_t *in, char *buf, int size);

/* The whole message/cpim body of a disposition notification in one call
 * (issue 6 item 5, the PF's negative-delivery IMDN): the XML of *in
 * (cpm_imdn_build) wrapped by cpm_cpim_wrap_notification with n's From
 * (the recipient, as the notifying party), To (the original sender), a new
 * Message-ID and DateTime (n->xml is ignored).  RFC 5438 7.1 says what
 * *in carries: message-id and datetime of the message notified about (its
 * imdn.Message-ID and DateTime), recipient-uri the recipient, status
 * failed for a negative delivery.  The length written, -ENOSPC, -EINVAL. */
struct cpm_cpim_notif;
int cpm_imdn_build_cpim(const cpm_imdn_t *in, const struct cpm_cpim_notif *n,
		char *buf, int size);

/* names on the wire: "delivery-notification", "failed", ... (NULL when
 * out of range) */
const char *cpm_imdn_kind_name(cpm_imdn_kind_t k);
const char *cpm_imdn_status_name(cpm_imdn_status_t st);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
