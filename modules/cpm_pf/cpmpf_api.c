/*
 * cpm_pf: the C API other modules bind (api.h), over the identity cache
 * (cpmpf_identity.c) and the device flag layout (cpmpf_devices_core.c).
 */
#include <string.h>

#include "core/dprint.h"
#include "api.h"
#include "cpmpf_api.h"
#include "cpmpf_identity.h"
#include "cpmpf_devices.h"
#include "cpmpf_devices_core.h"

static int api_owner(const str *uri, char *user, int size)
{
	if(uri == NULL || uri->s == NULL || uri->len <= 0 || size <= 0)
		return -1;
	return cpmpf_identity_owner(uri, user, size);
}

/* seed 6.1: the default SIP URI (the first SIP row: rows come default
 * first) and the first TEL URI */
static int api_identities(const str *user, cpm_pf_ids_t *ids)
{
	cpmpf_uids_t u;
	int i;

	ids->sip_len = ids->tel_len = 0;
	ids->sip[0] = ids->tel[0] = '\0';
	if(cpmpf_identity_get(user, &u) < 0)
		return -1;
	for(i = 0; i < u.n; i++) {
		if(u.id[i].len >= CPM_PF_API_URI_MAX)
			continue;
		if(u.id[i].kind == CPMPF_URI_SIP && ids->sip_len == 0) {
			memcpy(ids->sip, u.id[i].uri, u.id[i].len + 1);
			ids->sip_len = u.id[i].len;
		} else if(u.id[i].kind == CPMPF_URI_TEL && ids->tel_len == 0) {
			memcpy(ids->tel, u.id[i].uri, u.id[i].len + 1);
			ids->tel_len = u.id[i].len;
		}
	}
	return 0;
}

static unsigned int api_contact_services(unsigned int cflags, int *tagged)
{
	return cpmpf_dev_mask_from_flags(cflags, cpmpf_reg_bflag_base, tagged);
}

int cpmpf_bind_api(cpm_pf_api_t *api)
{
	if(api == NULL) {
		LM_ERR("invalid parameter\n");
		return -1;
	}
	api->owner = api_owner;
	api->identities = api_identities;
	api->contact_services = api_contact_services;
	return 0;
}
