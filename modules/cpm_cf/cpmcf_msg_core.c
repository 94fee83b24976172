/*
 * cpm_cf group standalone messages, pure part: see cpmcf_msg_core.h.
 */
#include <errno.h>
#include <string.h>

#include "../../lib/cpm_multipart.h"
#include "../../lib/cpm_reslist.h"
#include "cpmcf_msg_core.h"

static int key_eq(const str *a, const str *b)
{
	return a->len == b->len && a->len > 0 && memcmp(a->s, b->s, a->len) == 0;
}

int cpmcf_fan_pick(const str *keys, int n, const str *sender, int limit,
		int *out)
{
	int i, j, r = 0;

	if(n < 0 || (n > 0 && (keys == NULL || out == NULL)))
		return CPMCF_FAN_NONE;
	for(i = 0; i < n; i++) {
		if(keys[i].s == NULL || keys[i].len <= 0)
			continue;
		/* RFC 5365 4: the sender gets no copy of its own message */
		if(sender && key_eq(&keys[i], sender))
			continue;
		/* one copy per recipient (RFC 5365 4 / RFC 5366 4: duplicates
		 * removed); a quadratic check is fine: the list is bounded by
		 * the limit below before it grows large */
		for(j = 0; j < r; j++)
			if(key_eq(&keys[out[j]], &keys[i]))
				break;
		if(j < r)
			continue;
		/* the sender and r + 1 recipients */
		if(limit > 0 && r + 2 > limit)
			return CPMCF_FAN_TOO_MANY;
		out[r++] = i;
	}
	return r > 0 ? r : CPMCF_FAN_NONE;
}

int cpmcf_fan_group(const cpmcf_group_t *g, const str *sender, int dflt_limit,
		int *out)
{
	int i, r = 0, limit;

	if(g == NULL)
		return CPMCF_FAN_NONE;
	if(sender == NULL || cpmcf_group_member(g, sender) < 0)
		return CPMCF_FAN_NOT_MEMBER;
	limit = g->max_participants > 0 ? g->max_participants : dflt_limit;
	/* the table holds each member once (cpmcf_gtab_build), so no
	 * duplicate check here: one pass, no allocation per message */
	for(i = 0; i < g->n_members; i++) {
		if(key_eq(&g->members[i].key, sender))
			continue;
		if(limit > 0 && r + 2 > limit)
			return CPMCF_FAN_TOO_MANY;
		out[r++] = i;
	}
	return r > 0 ? r : CPMCF_FAN_NONE;
}

int cpmcf_list_split(const char *ct, int ctlen, const char *body, int len,
		cpmcf_listmsg_t *out, const char **why)
{
	cpm_mp_part_t parts[CPM_MP_MAX_PARTS];
	cpm_str_t b;
	int n, l, m;

	*why = "Not a multipart/mixed body with a recipient list";
	if(ct == NULL || ctlen <= 0 || out == NULL)
		return -EBADMSG;
	ctlen = cpm_lex_rtrim_space(ct, ctlen);
	n = cpm_lex_skip_space(ct, ctlen);
	if(!cpm_lex_iprefix("multipart/mixed", 15, ct + n, ctlen - n))
		return -EBADMSG;
	if(cpm_mp_boundary(ct, ctlen, &b) < 0) {
		*why = "Malformed multipart boundary";
		return -EBADMSG;
	}
	n = cpm_mp_parse(body, len, b.s, b.len, parts, CPM_MP_MAX_PARTS);
	if(n < 0 && n != -E2BIG) {
		*why = "Malformed multipart body";
		return -EBADMSG;
	}
	if(n != 2) {
		*why = "Missing or extra body parts (a recipient list and a message"
			   " expected)";
		return -EBADMSG;
	}
	l = cpm_mp_find_disposition(parts, n, CPM_RL_DISPOSITION);
	if(l < 0 || !cpm_lex_ieq(parts[l].content_type.s, parts[l].content_type.len,
						CPM_RL_CONTENT_TYPE, (int)strlen(CPM_RL_CONTENT_TYPE))) {
		*why = "No recipient-list part of type application/resource-lists+xml";
		return -EBADMSG;
	}
	m = 1 - l;
	if(cpm_lex_ieq(parts[m].disposition.s, parts[m].disposition.len,
			   CPM_RL_DISPOSITION, (int)strlen(CPM_RL_DISPOSITION))) {
		*why = "Two recipient lists";
		return -EBADMSG;
	}
	if(parts[l].encoding.len > 0) {
		*why = "Encoded recipient list not supported";
		return -EBADMSG;
	}
	if(parts[m].content_type_value.len <= 0) {
		*why = "Message part without Content-Type";
		return -EBADMSG;
	}
	out->list = parts[l].body;
	out->ctype = parts[m].content_type_value;
	out->body = parts[m].body;
	*why = NULL;
	return 0;
}
