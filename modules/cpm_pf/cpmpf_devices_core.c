/*
 * cpm_pf: device capability rules (cpmpf_devices_core.h).  Pure code.
 */
#include <strings.h>

#include "cpmpf_devices_core.h"

unsigned int cpmpf_dev_flags_all(int base)
{
	if(base < 0 || base > CPMPF_DEV_BASE_MAX)
		return 0;
	return ((1u << CPMPF_DEV_NFLAGS) - 1) << base;
}

unsigned int cpmpf_dev_flags_from_mask(unsigned int svc_mask, int base)
{
	unsigned int f;

	if(base < 0 || base > CPMPF_DEV_BASE_MAX)
		return 0;
	svc_mask &= (1u << CPMH_SVC_COUNT) - 1;
	if(svc_mask == 0)
		return 0;
	f = (1u | (svc_mask << 1)) << base;
	return f;
}

unsigned int cpmpf_dev_mask_from_flags(unsigned int flags, int base,
		int *tagged)
{
	unsigned int f;

	if(base < 0 || base > CPMPF_DEV_BASE_MAX) {
		if(tagged)
			*tagged = 0;
		return 0;
	}
	f = (flags >> base) & ((1u << CPMPF_DEV_NFLAGS) - 1);
	if(tagged)
		*tagged = (f & 1u) ? 1 : 0;
	if(!(f & 1u))
		return 0;
	return f >> 1;
}

int cpmpf_dev_supports(unsigned int flags, int base, cpmh_service_t svc)
{
	unsigned int mask;
	int tagged;

	if(svc < 0 || svc >= CPMH_SVC_COUNT)
		return 0;
	mask = cpmpf_dev_mask_from_flags(flags, base, &tagged);
	if(!tagged) /* plain SIP client: Pager Mode only */
		return (svc == CPMH_SVC_MSG || svc == CPMH_SVC_SIPIM) ? 1 : 0;
	if(mask & CPMH_SVC_BIT(svc))
		return 1;
	/* RCS 5.x devices register +g.oma.sip-im for messaging */
	if(svc == CPMH_SVC_MSG && (mask & CPMH_SVC_BIT(CPMH_SVC_SIPIM)))
		return 1;
	return 0;
}

void cpmpf_instance_bare(const str *in, str *out)
{
	out->s = in ? in->s : NULL;
	out->len = (in && in->s) ? in->len : 0;
	if(out->len >= 2 && out->s[0] == '"' && out->s[out->len - 1] == '"') {
		out->s++;
		out->len -= 2;
	}
	if(out->len >= 2 && out->s[0] == '<' && out->s[out->len - 1] == '>') {
		out->s++;
		out->len -= 2;
	}
}

int cpmpf_instance_eq(const str *a, const str *b)
{
	str x, y;

	cpmpf_instance_bare(a, &x);
	cpmpf_instance_bare(b, &y);
	if(x.len <= 0 || x.len != y.len)
		return 0;
	return strncasecmp(x.s, y.s, x.len) == 0 ? 1 : 0;
}
