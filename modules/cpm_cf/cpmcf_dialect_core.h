/*
 * cpm_cf: which header dialect an invitee's devices speak (issue 7
 * "Conventions"; client-dialects.md), from the CPM services each of its
 * registered contacts listed in its feature tags.  Pure code.
 *
 * Issue 7: the CF's INVITE to an invitee "carries the group feature tag of
 * the invitee's registered dialect, else the initiator's".
 *   - a contact whose tags name a CPM ICSI (+g.3gpp.icsi-ref ...oma.cpm.*)
 *     speaks Universal Profile / CPM; one with +g.oma.sip-im speaks RCS 5.x;
 *     one with both speaks both; one with neither (a plain SIP client)
 *     says nothing about group chat and is not counted;
 *   - the invitee's dialect is the one every counted contact speaks (the
 *     intersection): an RCS-only and a dual device -> RCS;
 *   - none counted (no registered contact, no tagged one), or no dialect
 *     common to all (an RCS-only and a UP-only device: "mixed"), or both
 *     common to all: the initiator's.  One INVITE forks to every device,
 *     so one tag must serve them all; on a mix any choice leaves one device
 *     with a foreign tag, and the initiator's is the one the rest of the
 *     invitation already follows (its Conversation-ID or lack of one, seed
 *     5.3), which is what the issue names as the fallback.
 */
#ifndef CPMCF_DIALECT_CORE_H
#define CPMCF_DIALECT_CORE_H

#include "core/str.h"

/* dialect bits of one contact */
#define CPMCF_DIALECT_RCS 1u /* RCS 5.x: +g.oma.sip-im */
#define CPMCF_DIALECT_UP 2u  /* UP / OMA CPM: the CPM ICSI tags */

/* the dialect bits of a contact whose tags gave the cpmh_service_t mask
 * svc_mask (CPMH_SVC_BIT); 0 for a contact without CPM tag */
unsigned int cpmcf_dialect_of_mask(unsigned int svc_mask);

/* the invitee's dialect (CPMCF_DIALECT_RCS or _UP) from the dialect bits
 * of its n contacts (0 entries are not counted), else initiator */
unsigned int cpmcf_dialect_pick(
		const unsigned int *contacts, int n, unsigned int initiator);

/*
 * Seed 6.1, last paragraph: "When the Referred-By header is set to the
 * authenticated originator's CPM Address, then both the SIP URI and TEL URI
 * values in the P-Asserted-Identity header SHALL be included in the
 * Referred-By header as described in [draft-referred-by]."  RFC 3892
 * gives Referred-By one referrer-uri and RFC 3261 7.3.1 no second header
 * row (it is not a list header), so both go in one header as a comma list
 * of two name-addrs, SIP first, exactly as cpm_pf writes the originator's
 * Referred-By (docs/cpm_pf.md): an RFC 3892 parser reads the SIP URI.
 * P-Asserted-Identity cannot take the TEL URI instead: in the CF's
 * requests it is the group or Group Session Identity (seed 6.1), and RFC
 * 3325's two values name one identity.
 *
 * The header value for referrer uri (as asserted, SIP or TEL), given the
 * referrer's SIP and TEL identities (either may be empty):
 *   "<" sip ">, <" tel ">"   when both kinds are known (uri stands for its
 *                            own kind, the identities for the other)
 *   "<" uri ">"              otherwise
 * NUL-terminated into buf; the length, or -ENOSPC / -EINVAL.
 */
int cpmcf_referred_by_print(const str *uri, const str *sip, const str *tel,
		char *buf, int size);

#endif
