/*
 * cpm_pf C API for other modules (cpm_cf): what the Participating Function
 * knows about its served users, read from its shared-memory caches (no
 * database I/O; each call takes the cache's lock for a copy and lets go).
 *
 *   #include "../cpm_pf/api.h"
 *   static cpm_pf_api_t pfapi;
 *   mod_init():  if(cpm_pf_load_api(&pfapi) < 0) ... (cpm_pf loaded first)
 *
 * owner(uri, user, size)
 *   the served user (cpm_identity username, usrloc's key with use_domain 0)
 *   one of whose CPM Addresses (seed 6.1: SIP or TEL URI) uri is, copied
 *   NUL-terminated into user; its length, or -1 (none, or too long).
 * identities(user, &ids)
 *   the user's default SIP URI and first TEL URI (seed 6.1: "both the SIP
 *   URI and TEL URI"), each NUL-terminated, length 0 when the user has
 *   none of that kind; 0, or -1 (no identity cache).
 * contact_services(cflags, &tagged)
 *   the CPMH_SVC_BIT mask that cpm_pf_reg_tags() stored in a registered
 *   contact's flags (usrloc keeps no Contact feature tag, cpmpf_devices_core.h),
 *   *tagged = 1 when the contact registered any CPM feature tag.
 */
#ifndef CPM_PF_API_H
#define CPM_PF_API_H

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/str.h"

#define CPM_PF_API_URI_MAX 256

typedef struct cpm_pf_ids {
	char sip[CPM_PF_API_URI_MAX];
	int sip_len;
	char tel[CPM_PF_API_URI_MAX];
	int tel_len;
} cpm_pf_ids_t;

typedef int (*cpm_pf_owner_f)(const str *uri, char *user, int size);
typedef int (*cpm_pf_identities_f)(const str *user, cpm_pf_ids_t *ids);
typedef unsigned int (*cpm_pf_contact_services_f)(
		unsigned int cflags, int *tagged);

typedef struct cpm_pf_api {
	cpm_pf_owner_f owner;
	cpm_pf_identities_f identities;
	cpm_pf_contact_services_f contact_services;
} cpm_pf_api_t;

typedef int (*bind_cpm_pf_f)(cpm_pf_api_t *api);

/* 0, or -1 when cpm_pf is not loaded (quiet: the caller decides whether
 * that is an error) */
static inline int cpm_pf_load_api(cpm_pf_api_t *api)
{
	bind_cpm_pf_f bindf;

	bindf = (bind_cpm_pf_f)find_export("bind_cpm_pf", 0, 0);
	if(bindf == 0)
		return -1;
	if(bindf(api) < 0) {
		LM_ERR("cannot bind the cpm_pf api\n");
		return -1;
	}
	return 0;
}

#endif
