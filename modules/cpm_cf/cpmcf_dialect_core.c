/*
 * cpm_cf: an invitee's header dialect (cpmcf_dialect_core.h).
 */
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
