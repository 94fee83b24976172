/*
 * cpm_multipart: multipart/mixed bodies (RFC 2046 5.1) as the CF receives
 * and sends them: an INVITE to the conference factory with the SDP offer
 * and an application/resource-lists+xml part (RFC 5366 4.1), a MESSAGE
 * with a recipient list and a message/cpim part (RFC 5365 4), the CF's own
 * INVITEs to invitees with the participant list (seed 5.2).
 *
 * As real clients write it (shared/notes/client-dialects.md, "Creating a
 * group chat"): the boundary quoted or not, in any case of "boundary";
 * each part may carry its own Content-Length, before or after
 * Content-Disposition; a preamble and an epilogue may be present; there
 * may be no CRLF after the close delimiter; transport padding (SP / HTAB)
 * after a delimiter.
 *
 * NOT tolerated: LF-only line ends.  RFC 2046 5.1.1 defines the delimiter
 * as CRLF "--" boundary, no client we know (rcsjta, the UP client,
 * liblinphone, sipp scenarios) writes bare LF in a SIP body, and taking LF
 * as a line end would let a body carrying "\n--boundary" be split
 * differently by us and by the participant's client, which sees the same
 * octets (a part smuggled past the CF's checks).  One line-end rule, the
 * RFC's, for the parser and the printer.
 *
 * The per-part Content-Length is read (content_length) but never decides
 * where a part ends: the delimiter does (RFC 2046 5.1.1); clients compute
 * it in characters or leave it stale, and a length that disagrees with the
 * delimiter must not make two readers see two different bodies.
 *
 * Pure C on lib/cpm_lex; no allocation: every view points into the input
 * (parse) or is read from the caller's structs (print).  Errors are
 * negative errno: -EINVAL (bad arguments; for the printer a part it cannot
 * carry), -EBADMSG (not the syntax), -ENOENT (no boundary parameter),
 * -E2BIG (more parts than the caller's array), -ENOSPC (buffer too small).
 */
#ifndef CPM_MULTIPART_H
#define CPM_MULTIPART_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* parts a CPM body needs: SDP + resource-lists (+ CPIM); callers size their
 * array with it */
#define CPM_MP_MAX_PARTS 8
/* RFC 2046 5.1.1: "boundary := 0*69<bchars> bcharsnospace" */
#define CPM_MP_MAX_BOUNDARY 70

typedef struct cpm_mp_part {
	cpm_str_t headers;      /* the part's header block: its lines, each with
	                           its CRLF, without the blank line; may be empty */
	cpm_str_t body;         /* its body (exact octets) */
	cpm_str_t content_type; /* type "/" subtype, no parameters; empty when absent */
	cpm_str_t disposition;  /* Content-Disposition type ("recipient-list", "render"); empty when absent */
	cpm_str_t content_id;   /* Content-ID without "<" ">"; empty when absent */
	cpm_str_t encoding;     /* Content-Encoding, else Content-Transfer-Encoding
	                           value; empty when absent */
	/* added fields (views into the input, empty when absent) */
	cpm_str_t content_type_value; /* the whole Content-Type value, parameters
	                                 included (charset, a nested boundary) */
	cpm_str_t disposition_value;  /* the whole Content-Disposition value
	                                 (";handling=required" ...) */
	cpm_str_t content_encoding;   /* Content-Encoding (linphone: deflate) */
	cpm_str_t transfer_encoding;  /* Content-Transfer-Encoding (base64) */
	long content_length;          /* the part's Content-Length, -1: absent;
	                                 informative only (see above) */
} cpm_mp_part_t;

/*
 * The boundary parameter of a Content-Type value (RFC 2045 5.1, RFC 2046
 * 5.1.1):
 *
 *   content   = type "/" subtype *(*LWS ";" *LWS parameter)
 *   parameter = attribute "=" value
 *   value     = token / quoted-string
 *   boundary  = 0*69<bchars> bcharsnospace
 *   bchars    = bcharsnospace / " "
 *   bcharsnospace = DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-"
 *                 / "." / "/" / ":" / "=" / "?"
 *
 * type must be "multipart" (any case; the subtype is the caller's
 * business).  LENIENT: an unquoted boundary may hold any bcharsnospace
 * ("----=_Part_0" unquoted is common though "=" is a tspecial).
 * *boundary points into ctype.  0, -EINVAL (bad arguments, not
 * multipart), -ENOENT (no boundary parameter), -EBADMSG (a broken value or
 * a boundary outside the ABNF).
 */
int cpm_mp_boundary(const char *ctype, int len, cpm_str_t *boundary);

/*
 * Split body[0..len) with boundary b[0..blen) into parts (RFC 2046 5.1.1):
 *
 *   multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF
 *                     body-part *encapsulation close-delimiter
 *                     transport-padding [CRLF epilogue]
 *   dash-boundary  := "--" boundary
 *   delimiter      := CRLF dash-boundary
 *   close-delimiter := delimiter "--"
 *   encapsulation  := delimiter transport-padding CRLF body-part
 *   transport-padding := *LWSP-char          ; SP / HTAB
 *   body-part      := MIME-part-headers [CRLF *OCTET]
 *   MIME-part-headers := *(header-line CRLF) ; RFC 2045 / RFC 822 fields,
 *                                            ; folded lines allowed
 *
 * A line "--" boundary followed by anything other than padding + CRLF or
 * "--" is not a delimiter line (RFC 2046 5.1.1: the delimiter line
 * consists "entirely" of those) and stays in the body.  LENIENT: the
 * epilogue may be anything, also missing (no CRLF after the close
 * delimiter: rcsjta), and the preamble any octets.
 *
 * Header names match in any case.  Content-Type "type/subtype" and
 * Content-Disposition's type must be tokens; Content-ID is taken inside
 * "<" ">" (LENIENT: or bare); Content-Length 1*9DIGIT.  A part with two of
 * Content-Type, Content-Disposition, Content-ID or Content-Length is
 * refused (-EBADMSG): two readers could take different ones.
 *
 * Returns the number of parts (>= 1), -EINVAL, -EBADMSG (no opening or no
 * closing delimiter, a broken header line, a bare CR or LF, a CTL in a
 * header), -E2BIG (more than max parts).
 */
int cpm_mp_parse(const char *body, int len, const char *b, int blen,
		cpm_mp_part_t *parts, int max);

/* preamble / epilogue of a body cpm_mp_parse() accepts (views into body,
 * empty when absent); same return values */
int cpm_mp_parse_ex(const char *body, int len, const char *b, int blen,
		cpm_mp_part_t *parts, int max, cpm_str_t *preamble,
		cpm_str_t *epilogue);

/*
 * Printer: "--b" CRLF headers CRLF body, CRLF "--b" CRLF ... CRLF "--b--"
 * CRLF into buf (NUL-terminated when room is left).  A part's headers are
 * written verbatim when headers.len > 0 (each line CRLF-terminated, as
 * cpm_mp_parse() gives them); otherwise they are built from content_type
 * (content_type_value when set), disposition (disposition_value when set),
 * content_id (written in "<" ">"), content_encoding / transfer_encoding
 * (else encoding as Content-Encoding), content_length (>= 0) in that order.
 * Refused (-EINVAL): a boundary outside the ABNF, a header block that does
 * not parse back, a body holding a delimiter line of b (the RFC forbids it
 * and the parse would split it).  So parse(print(x)) gives x's headers and
 * bodies back.  Returns the length, -ENOSPC, -EINVAL.
 */
int cpm_mp_print(const cpm_mp_part_t *parts, int n, const char *b, int blen,
		char *buf, int size);

/* the first part whose content_type is ctype (any case), or -ENOENT */
int cpm_mp_find_type(const cpm_mp_part_t *parts, int n, const char *ctype);

/* the first part whose disposition is disp (any case), or -ENOENT */
int cpm_mp_find_disposition(
		const cpm_mp_part_t *parts, int n, const char *disp);

/* 1 when b[0..blen) is a boundary of the ABNF above */
int cpm_mp_boundary_ok(const char *b, int blen);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
