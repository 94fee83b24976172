/*
 * cpm_cf: an invitee's header dialect (cpmcf_dialect_core.h).
 */
#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include "cpmcf_dialect_core.h"
#include "../cpm_headers/cpmh_service.h"

unsigned int cpmcf_dialect_of_mask(unsigned int svc_mask)
{
	unsigned int d = 0;

	if(svc_mask & CPMH_SVC_BIT(CPMH_SVC_SIPIM))
		d |= CPMCF_DIALECT_RCS;
	/* every other service comes from a CPM ICSI (cpmh_service.c) */
	if(svc_mask & ~CPMH_SVC_BIT(CPMH_SVC_SIPIM)
			& (CPMH_SVC_BIT(CPMH_SVC_COUNT) - 1))
		d |= CPMCF_DIALECT_UP;
	return d;
}

unsigned int cpmcf_dialect_pick(
		const unsigned int *contacts, int n, unsigned int initiator)
{
	unsigned int common = CPMCF_DIALECT_RCS | CPMCF_DIALECT_UP;
	int i, counted = 0;

	for(i = 0; i < n; i++) {
		if(contacts[i] == 0)
			continue; /* a plain SIP client: no say */
		common &= contacts[i];
		counted++;
	}
	if(counted == 0 || (common != CPMCF_DIALECT_RCS && common != CPMCF_DIALECT_UP))
		return initiator;
	return common;
}

static int is_tel(const str *u)
{
	return u->len >= 4 && strncasecmp(u->s, "tel:", 4) == 0;
}

int cpmcf_referred_by_print(const str *uri, const str *sip, const str *tel,
		char *buf, int size)
{
	const str *sv, *tv;
	int n;

	if(uri == NULL || uri->s == NULL || uri->len <= 0 || buf == NULL
			|| size <= 0)
		return -EINVAL;
	sv = is_tel(uri) ? sip : uri;
	tv = is_tel(uri) ? uri : tel;
	if(sv && tv && sv->len > 0 && tv->len > 0 && !is_tel(sv) && is_tel(tv))
		n = snprintf(buf, size, "<%.*s>, <%.*s>", sv->len, sv->s, tv->len,
				tv->s);
	else
		n = snprintf(buf, size, "<%.*s>", uri->len, uri->s);
	if(n < 0 || n >= size)
		return -ENOSPC;
	return n;
}
