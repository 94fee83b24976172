/*
 * cpm_cf: the focus's SDP (issue 7 item 10, seed 5.2.1.2), pure code.
 *
 * The CF terminates each participant's MSRP session (RFC 4975) on its own
 * endpoint: the SDP it answers to a participant's offer and the SDP it
 * offers to an invitee keep what the initiator's offer said about the chat
 * (accept-types, accept-wrapped-types, protocol) and put the focus's
 * address, port and a path of its own (one session-id per leg, so the
 * switch of the next issue knows the leg of every frame) in c=, m= and
 * a=path.  Media other than MSRP chat are rejected in an answer (port 0,
 * RFC 3264 6) and left out of an offer: group policy for a chat session.
 *
 * ABNF read (RFC 4566 5, the subset used; LF alone is accepted too):
 *   sdp        = 1*(line)
 *   line       = type "=" value (CRLF / LF)     ; value: no NUL, CR, LF
 *   type       = %x61-7A                     ; one lowercase letter
 *   media-field= "m=" media SP port ["/" integer] SP proto 1*(SP fmt)
 *   conn-field = "c=" nettype SP addrtype SP connection-address
 *   attribute  = "a=" att-field [":" att-value]
 *   path       = "a=path:" msrp-uri *(SP msrp-uri)          ; RFC 4975 8.2
 *   setup      = "a=setup:" ("active"/"passive"/"actpass"/"holdconn") ; RFC 4145
 */
#ifndef CPMCF_SDP_CORE_H
#define CPMCF_SDP_CORE_H

#include "core/str.h"

#define CPMCF_SDP_MAX_M 8

typedef struct cpmcf_sdp_m {
	str media, port, proto, fmts;
	str c_addr;			/* the media-level c= address (empty: session's) */
	str accept_types, accept_wrapped, setup, path;
} cpmcf_sdp_m_t;

typedef struct cpmcf_sdp {
	str c_addr; /* session-level c= address */
	str c_type; /* "IP4" / "IP6" */
	int n;
	cpmcf_sdp_m_t m[CPMCF_SDP_MAX_M];
} cpmcf_sdp_t;

/* the focus's own MSRP endpoint for one leg */
typedef struct cpmcf_focus {
	str addr;	 /* IPv4 / IPv6 literal or host */
	int ipv6;
	int port;
	str path_id; /* RFC 4975 session-id of this leg */
	unsigned int version;
} cpmcf_focus_t;

/* number of m= sections, -EBADMSG (no v= first, a line without "=",
 * a malformed m= line), -E2BIG (more than CPMCF_SDP_MAX_M) */
int cpmcf_sdp_parse(const char *s, int len, cpmcf_sdp_t *out);
/* the focus's own offer, for an invitation that has no initiator's offer to
 * copy (a REFER's invitee, the retry after a 422): an MSRP chat with the CPM
 * accept-types (seed 5.2.1.2), parsed into out (pointing into static text);
 * cpmcf_sdp_focus() puts the focus's address and the leg's path in it.
 * Returns as cpmcf_sdp_parse() */
int cpmcf_sdp_chat_offer(cpmcf_sdp_t *out);
/* prints what parse() keeps, as SDP: length, -ENOSPC */
int cpmcf_sdp_print(const cpmcf_sdp_t *sdp, char *buf, int size);
/* index of the first MSRP chat m= section (m=message, proto ending in MSRP), or
 * -ENOENT */
int cpmcf_sdp_msrp(const cpmcf_sdp_t *sdp);
/* the focus's SDP for a leg: answer != 0: an answer to `in` (same m=
 * sections in the same order, all but the chat rejected); else an offer
 * carrying the chat of `in`.  Length, -ENOENT (no MSRP chat offered:
 * 488), -ENOSPC */
int cpmcf_sdp_focus(const cpmcf_sdp_t *in, int answer, const cpmcf_focus_t *f,
		char *buf, int size);

#endif
