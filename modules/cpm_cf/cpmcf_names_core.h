/*
 * cpm_cf: display names and pseudonyms of participants (issue 7 item 8,
 * seed 6.3), pure code.
 *
 * Seed 6.3: the CF shows each participant under a display name chosen in
 * this order: the pre-defined group's display name for the member, the
 * display name of the authenticated originator (P-Asserted-Identity), the
 * From header's, and for an invitee the To of its 200 answer.  A
 * participant that requests anonymity (`Privacy: id`, RFC 3323 / 3325)
 * where it is allowed (ad-hoc: unless the operator forbids it; pre-defined
 * group: the group's XDM anonymity policy) is shown under its pseudonym
 * (the display name its client gave) or, when it gave none or another
 * participant of the session already shows that name, one the CF chooses
 * ("Anonymous <n>"), unique within the session; its URI is replaced by an
 * anonymous URI unique per participant wherever the CF shows it to others.
 */
#ifndef CPMCF_NAMES_CORE_H
#define CPMCF_NAMES_CORE_H

#include "core/str.h"

#define CPMCF_ANON_DOMAIN "anonymous.invalid"
#define CPMCF_PSEUDO_PREFIX "Anonymous"

/* the candidate display names of one participant (each may be empty) */
typedef struct cpmcf_name_src {
	str group;	/* pre-defined group's display name for this member */
	str pai;	/* authenticated originator's (P-Asserted-Identity) */
	str from;	/* From */
	str to200;	/* invitee: To of its 200 */
} cpmcf_name_src_t;

/* seed 6.3 order: the first non-empty candidate, its quotes removed (a
 * quoted-string display name, RFC 3261 25.1); out empty when none */
void cpmcf_name_choose(const cpmcf_name_src_t *src, str *out);

/* cpmcf_name_choose() into buf (size > 0): the length, 0 when there is
 * none or it does not fit (a name cut short is no one's name) */
int cpmcf_name_copy(const cpmcf_name_src_t *src, char *buf, int size);

/* Privacy header value (RFC 3323 4.2):
 *   Privacy-hdr = "Privacy" HCOLON priv-value *(";" priv-value)
 *   priv-value  = "header" / "session" / "user" / "none" / "critical"
 *                 / "id" / token
 * 1 when it holds "id" (RFC 3325 9.3) and not "none", 0 otherwise */
int cpmcf_privacy_id(const str *value);

/* whether anonymity may be granted: a pre-defined group by its policy bit,
 * an ad-hoc session unless the module forbids it (1 / 0) */
int cpmcf_anon_allowed(int predefined, int group_allows, int adhoc_forbidden);

/* the pseudonym shown: `wanted` when it is non-empty and no name in
 * taken[0..n) equals it (case-insensitively), else "Anonymous <k>" with
 * the smallest k >= 1 not taken.  Length, -ENOSPC, -EINVAL */
int cpmcf_pseudonym(const str *wanted, const str *taken, int n, char *buf,
		int size);

/* the anonymous URI of anonymous participant number k (k >= 1, unique in
 * the session): sip:anonymous-<k>@anonymous.invalid.  Length, -ENOSPC,
 * -EINVAL */
int cpmcf_anon_uri(int k, char *buf, int size);

#endif
