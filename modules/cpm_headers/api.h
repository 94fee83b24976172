/*
 * cpm_headers C API for other modules (cpm_pf, cpm_cf): read, validate and
 * generate the OMA CPM conversation identification headers (seed 5.3).
 *
 *   #include "../cpm_headers/api.h"
 *   static cpm_headers_api_t cpmh;
 *   mod_init():  if(cpm_headers_load_api(&cpmh) < 0) return -1;
 *
 * check(msg)
 *   classify the CPM headers of msg (headers and those cpm_add_ids() put in
 *   its lumps): the cpm_check_headers() codes, CPMH_CHECK_OK (1),
 *   CPMH_CHECK_CONTRIB_ONLY (2, RCS 5.x), CPMH_CHECK_NONE (-1),
 *   CPMH_CHECK_MISSING (-2), CPMH_CHECK_MALFORMED (-3, also when the headers
 *   do not parse), CPMH_CHECK_DUPLICATE (-4).
 * get_id(msg, id, out)
 *   value of the single valid header id (CPMH_ID_CONVERSATION_ID, ...);
 *   out points into msg or its lump (valid while msg is).  0, -ENOENT,
 *   -EBADMSG (headers do not parse), -EINVAL.
 * add_ids(msg, &added)
 *   as cpm_add_ids(): 1 added (*added = 1 or 2 headers), 2 both present,
 *   -1 error.  Reuses the transaction's generated pair ($xavp(cpm)).
 * validate(value)
 *   the value syntax of seed 5.3 (a token, module parameter max_id_length
 *   octets at most, LWS around ignored): 0, -ENODATA, -EMSGSIZE, -EBADMSG,
 *   -EINVAL.
 * gen_uuid(buf, len)
 *   fresh lowercase UUID v4, NUL terminated; len >= CPMH_UUID_BUF_SIZE.
 *   0, -EINVAL, -ENOSPC.
 * services(msg)
 *   mask of CPMH_SVC_BIT(svc) for the services the message's feature tags
 *   and service URNs name (cpmh_service.h).
 * service_scan(body, kind)
 *   cpmh_service_scan(): the service mask of one header body (e.g. a
 *   REGISTER's Contact, whose feature tags usrloc does not keep).
 * service_from_name(name, &svc)
 *   cpmh_service_from_name(): script name -> service; 0, -ENOENT, -EINVAL.
 * service_name(svc)
 *   cpmh_service_name(): service -> script name; NULL for an invalid value.
 */
#ifndef CPM_HEADERS_API_H
#define CPM_HEADERS_API_H

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/str.h"
#include "core/parser/msg_parser.h"

#include "cpmh_id.h"
#include "cpmh_service.h"

typedef int (*cpm_headers_check_f)(struct sip_msg *msg);
typedef int (*cpm_headers_get_id_f)(
		struct sip_msg *msg, cpmh_id_t id, str *out);
typedef int (*cpm_headers_add_ids_f)(struct sip_msg *msg, int *added);
typedef int (*cpm_headers_validate_f)(const str *value);
typedef int (*cpm_headers_gen_uuid_f)(char *buf, int len);
typedef unsigned int (*cpm_headers_services_f)(struct sip_msg *msg);
typedef unsigned int (*cpm_headers_service_scan_f)(
		const str *body, cpmh_svc_hdr_t kind);
typedef int (*cpm_headers_service_from_name_f)(
		const str *name, cpmh_service_t *svc);
typedef const str *(*cpm_headers_service_name_f)(cpmh_service_t svc);

typedef struct cpm_headers_api {
	cpm_headers_check_f check;
	cpm_headers_get_id_f get_id;
	cpm_headers_add_ids_f add_ids;
	cpm_headers_validate_f validate;
	cpm_headers_gen_uuid_f gen_uuid;
	cpm_headers_services_f services;
	cpm_headers_service_scan_f service_scan;
	cpm_headers_service_from_name_f service_from_name;
	cpm_headers_service_name_f service_name;
} cpm_headers_api_t;

typedef int (*bind_cpm_headers_f)(cpm_headers_api_t *api);

static inline int cpm_headers_load_api(cpm_headers_api_t *api)
{
	bind_cpm_headers_f bindf;

	bindf = (bind_cpm_headers_f)find_export("bind_cpm_headers", 0, 0);
	if(bindf == 0) {
		LM_ERR("cannot find bind_cpm_headers (is cpm_headers loaded?)\n");
		return -1;
	}
	if(bindf(api) < 0) {
		LM_ERR("cannot bind cpm_headers api\n");
		return -1;
	}
	return 0;
}

#endif
