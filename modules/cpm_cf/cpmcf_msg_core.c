/*
 * cpm_cf group standalone messages, pure part: see cpmcf_msg_core.h.
 */
#include <string.h>

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
