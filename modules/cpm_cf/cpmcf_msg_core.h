/*
 * cpm_cf group standalone messages, pure part (RFC 5365; seed 5.1, 6.1;
 * issue 7 item 9): who gets a copy of a MESSAGE sent to a CPM Pre-defined
 * Group or to the conference factory with a recipient list, and which
 * refusal (seed 6.4.2 Table 1) applies otherwise.
 */
#ifndef CPMCF_MSG_CORE_H
#define CPMCF_MSG_CORE_H

#include "core/str.h"
#include "cpmcf_group_core.h"
#include "../../lib/cpm_lex.h"

/* what the fan-out decided: >= 0 recipients, or one of these */
#define CPMCF_FAN_NOT_MEMBER (-1) /* 403, Warning 127 Service not authorised */
#define CPMCF_FAN_TOO_MANY (-2)   /* 403, Warning 102 Too many participants */
#define CPMCF_FAN_NONE (-3)       /* 403, Warning 129 No destinations */

/*
 * The recipients among n keys (keys[i].len == 0: an unusable entry): every
 * distinct key except the sender's, in list order, their indexes into out
 * (room for n).  The participants are the sender and the recipients; more
 * than limit of them (limit > 0) is CPMCF_FAN_TOO_MANY -- checked before
 * anything is sent, so a refused message reaches nobody; none left is
 * CPMCF_FAN_NONE.
 */
int cpmcf_fan_pick(const str *keys, int n, const str *sender, int limit,
		int *out);

/*
 * The same for a pre-defined group: only a member may send to it (seed 5.2:
 * the group's policy says who may take part; OMA XDM Group: the members),
 * so a non-member is CPMCF_FAN_NOT_MEMBER; the group's max_participants
 * wins over dflt_limit (the module's max_participants).
 */
int cpmcf_fan_group(const cpmcf_group_t *g, const str *sender, int dflt_limit,
		int *out);

/* the factory form (RFC 5365 4, 5): a multipart/mixed body of exactly two
 * parts, the recipient list and the message */
typedef struct cpmcf_listmsg {
	cpm_str_t list;  /* application/resource-lists+xml, Content-Disposition:
	                    recipient-list */
	cpm_str_t ctype; /* the message part's whole Content-Type value */
	cpm_str_t body;  /* the message part's body, exact octets */
} cpmcf_listmsg_t;

/*
 * Splits a factory MESSAGE body (ct: the request's Content-Type value):
 *
 *   body = multipart/mixed of
 *          list-part    ; Content-Type: application/resource-lists+xml
 *                       ; Content-Disposition: recipient-list
 *          message-part ; any other Content-Type, not a recipient list
 *
 * in either order (RFC 5365 4: the UAC adds the list as a body part; the
 * part order is not fixed).  A list with a Content-Encoding (deflate) is
 * refused: the CF does not inflate client data.  Returns 0, or -EBADMSG
 * with *why the text of the 400's Warning 399 (seed 6.4.1): nothing may
 * be sent for a body the CF and a client could read differently.
 */
int cpmcf_list_split(const char *ct, int ctlen, const char *body, int len,
		cpmcf_listmsg_t *out, const char **why);

#endif
