/*
 * cpm_headers: OMA CPM Conversation-ID / Contribution-ID /
 * InReplyTo-Contribution-ID handling (seed section 5.3).
 *
 * This file holds only the export tables, the module life cycle and thin
 * w_* wrappers over the typed ki_* functions, which are also the KEMI
 * exports.  Parsing lives in cpmh_id.c, service detection in cpmh_service.c
 * and the sip_msg glue in cpmh_msg.c.
 */
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/pvar.h"
#include "core/kemi.h"
#include "core/counters.h"
#include "core/mod_fix.h"

#include "cpmh_id.h"
#include "cpmh_service.h"
#include "cpmh_msg.h"
#include "api.h"

MODULE_VERSION

static int max_id_length = CPMH_ID_MAXLEN_DEFAULT;

static counter_handle_t cnt_checked;
static counter_handle_t cnt_malformed;
static counter_handle_t cnt_generated;

/* clang-format off */
static counter_def_t cpm_cnt_defs[] = {
	{&cnt_checked, "checked", 0, 0, 0,
		"messages checked by cpm_check_headers()"},
	{&cnt_malformed, "malformed", 0, 0, 0,
		"checks that found a missing, malformed or duplicate CPM header"},
	{&cnt_generated, "generated", 0, 0, 0,
		"Conversation-ID / Contribution-ID headers generated"},
	{0, 0, 0, 0, 0, 0}
};
/* clang-format on */

static int mod_init(void);

static int w_cpm_check_headers(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_add_ids(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_has_inreplyto(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_has_service(sip_msg_t *msg, char *p1, char *p2);
static int bind_cpm_headers(cpm_headers_api_t *api);
static int fixup_cpm_service(void **param, int param_no);

static int pv_parse_cpm_name(pv_spec_p sp, str *in);
static int pv_get_cpm(sip_msg_t *msg, pv_param_t *param, pv_value_t *res);

#define CPM_ROUTES \
	(REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE | ONREPLY_ROUTE)
#define CPM_REQ_ROUTES (REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE)

/* clang-format off */
static cmd_export_t cmds[] = {
	{"cpm_check_headers", (cmd_function)w_cpm_check_headers, 0, 0, 0,
		CPM_ROUTES},
	{"cpm_add_ids", (cmd_function)w_cpm_add_ids, 0, 0, 0, CPM_REQ_ROUTES},
	{"cpm_has_inreplyto", (cmd_function)w_cpm_has_inreplyto, 0, 0, 0,
		CPM_ROUTES},
	{"cpm_has_service", (cmd_function)w_cpm_has_service, 1,
		fixup_cpm_service, 0, CPM_ROUTES},
	{"bind_cpm_headers", (cmd_function)bind_cpm_headers, 0, 0, 0, 0},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"max_id_length", PARAM_INT, &max_id_length},
	{0, 0, 0}
};

static pv_export_t mod_pvs[] = {
	{{"cpm", (sizeof("cpm") - 1)}, PVT_OTHER, pv_get_cpm, 0,
		pv_parse_cpm_name, 0, 0, 0},
	{{0, 0}, 0, 0, 0, 0, 0, 0, 0}
};

struct module_exports exports = {
	"cpm_headers",   /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	cmds,            /* exported functions */
	params,          /* exported parameters */
	0,               /* RPC method exports */
	mod_pvs,         /* exported pseudo-variables */
	0,               /* response handling function */
	mod_init,        /* module initialization function */
	0,               /* per-child init function */
	0                /* module destroy function */
};
/* clang-format on */

static int mod_init(void)
{
	if(max_id_length < CPMH_ID_MAXLEN_MIN || max_id_length > CPMH_ID_MAXLEN_MAX) {
		LM_ERR("max_id_length must be %d..%d, not %d\n", CPMH_ID_MAXLEN_MIN,
				CPMH_ID_MAXLEN_MAX, max_id_length);
		return -1;
	}
	if(counter_register_array("cpm_headers", cpm_cnt_defs) < 0) {
		LM_ERR("cannot register the statistics\n");
		return -1;
	}
	return 0;
}

/* ---- typed functions (also KEMI) ---- */

static int ki_cpm_check_headers(sip_msg_t *msg)
{
	cpmh_check_t c;
	cpmh_id_t bad;
	int rc;

	rc = cpmh_msg_check(msg, max_id_length, &c, &bad);
	counter_inc(cnt_checked);
	if(rc != CPMH_CHECK_OK && rc != CPMH_CHECK_CONTRIB_ONLY
			&& rc != CPMH_CHECK_NONE) {
		counter_inc(cnt_malformed);
		LM_DBG("CPM header check failed: %d (%s)\n", rc,
				cpmh_name(bad) ? cpmh_name(bad)->s : "-");
	}
	return rc;
}

static int ki_cpm_add_ids(sip_msg_t *msg)
{
	int rc, added = 0;

	rc = cpmh_msg_add_ids(msg, max_id_length, &added);
	if(added > 0)
		counter_add(cnt_generated, added);
	return rc;
}

static int ki_cpm_has_inreplyto(sip_msg_t *msg)
{
	str v;

	if(cpmh_msg_get_id(msg, max_id_length, CPMH_ID_INREPLYTO_CONTRIBUTION_ID, &v)
			== 0)
		return 1;
	return -1;
}

static int cpm_has_svc(sip_msg_t *msg, cpmh_service_t svc)
{
	return (cpmh_msg_services(msg) & CPMH_SVC_BIT(svc)) ? 1 : -1;
}

static int ki_cpm_has_service(sip_msg_t *msg, str *name)
{
	cpmh_service_t svc;

	if(cpmh_service_from_name(name, &svc) != 0) {
		LM_ERR("unknown CPM service [%.*s]\n", name ? name->len : 0,
				name && name->s ? name->s : "");
		return -2;
	}
	return cpm_has_svc(msg, svc);
}

static sr_kemi_xval_t _cpm_xval;

static sr_kemi_xval_t *ki_cpm_get_service(sip_msg_t *msg)
{
	const str *n;

	memset(&_cpm_xval, 0, sizeof(_cpm_xval));
	n = cpmh_service_name(cpmh_service_pick(cpmh_msg_services(msg)));
	if(n == NULL) {
		sr_kemi_xval_null(&_cpm_xval, SR_KEMI_XVAL_NULL_NONE);
		return &_cpm_xval;
	}
	_cpm_xval.vtype = SR_KEMIP_STR;
	_cpm_xval.v.s = *n;
	return &_cpm_xval;
}

/* ---- config wrappers ---- */

static int w_cpm_check_headers(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_check_headers(msg);
}

static int w_cpm_add_ids(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_add_ids(msg);
}

static int w_cpm_has_inreplyto(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_has_inreplyto(msg);
}

static int w_cpm_has_service(sip_msg_t *msg, char *p1, char *p2)
{
	return cpm_has_svc(msg, *(cpmh_service_t *)p1);
}

static cpmh_service_t _cpm_svc_ids[CPMH_SVC_COUNT] = {CPMH_SVC_MSG,
		CPMH_SVC_LARGEMSG, CPMH_SVC_SESSION, CPMH_SVC_FILETRANSFER,
		CPMH_SVC_DEFERRED, CPMH_SVC_SIPIM, CPMH_SVC_MSG_GROUP,
		CPMH_SVC_SESSION_GROUP, CPMH_SVC_SYSTEMMSG};

/* the service name must be a constant known at start-up */
static int fixup_cpm_service(void **param, int param_no)
{
	cpmh_service_t svc;
	str s;

	if(param_no != 1)
		return 0;
	s.s = (char *)*param;
	s.len = s.s ? strlen(s.s) : 0;
	if(cpmh_service_from_name(&s, &svc) != 0) {
		LM_ERR("cpm_has_service(): unknown service [%.*s] (expected msg,"
			   " largemsg, session, filetransfer, deferred, sip-im, msg.group,"
			   " session.group or systemmsg)\n",
				s.len, s.s ? s.s : "");
		return E_CFG;
	}
	*param = (void *)&_cpm_svc_ids[svc];
	return 0;
}

/* ---- $cpm(name) ---- */

enum {
	CPMH_PV_CONVERSATION_ID = 0,
	CPMH_PV_CONTRIBUTION_ID = 1,
	CPMH_PV_INREPLYTO_CONTRIBUTION_ID = 2,
	CPMH_PV_SERVICE,
	CPMH_PV_ERROR_HEADER
};

static int pv_parse_cpm_name(pv_spec_p sp, str *in)
{
	static const struct {
		const char *name;
		int id;
	} names[] = {{"conversation_id", CPMH_PV_CONVERSATION_ID},
			{"contribution_id", CPMH_PV_CONTRIBUTION_ID},
			{"inreplyto_contribution_id", CPMH_PV_INREPLYTO_CONTRIBUTION_ID},
			{"service", CPMH_PV_SERVICE},
			{"error_header", CPMH_PV_ERROR_HEADER}};
	unsigned int i;

	if(sp == NULL || in == NULL || in->s == NULL || in->len <= 0)
		return -1;
	for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if(in->len == (int)strlen(names[i].name)
				&& strncmp(in->s, names[i].name, in->len) == 0) {
			sp->pvp.pvn.type = PV_NAME_INTSTR;
			sp->pvp.pvn.u.isname.type = 0;
			sp->pvp.pvn.u.isname.name.n = names[i].id;
			return 0;
		}
	}
	LM_ERR("unknown $cpm(%.*s)\n", in->len, in->s);
	return -1;
}

static int pv_get_cpm(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	cpmh_check_t c;
	cpmh_id_t bad;
	const str *n;
	str v;
	int id;

	if(msg == NULL || param == NULL)
		return -1;
	id = param->pvn.u.isname.name.n;
	switch(id) {
		case CPMH_PV_CONVERSATION_ID:
		case CPMH_PV_CONTRIBUTION_ID:
		case CPMH_PV_INREPLYTO_CONTRIBUTION_ID:
			if(cpmh_msg_get_id(msg, max_id_length, (cpmh_id_t)id, &v) != 0)
				return pv_get_null(msg, param, res);
			return pv_get_strval(msg, param, res, &v);
		case CPMH_PV_SERVICE:
			n = cpmh_service_name(cpmh_service_pick(cpmh_msg_services(msg)));
			break;
		case CPMH_PV_ERROR_HEADER:
			/* recomputed: cheap, and no state to keep per message */
			cpmh_msg_check(msg, max_id_length, &c, &bad);
			n = cpmh_name(bad);
			break;
		default:
			return pv_get_null(msg, param, res);
	}
	if(n == NULL)
		return pv_get_null(msg, param, res);
	v = *n;
	return pv_get_strval(msg, param, res, &v);
}

/* ---- C API (api.h) ---- */

static int cpm_api_check(sip_msg_t *msg)
{
	cpmh_check_t c;

	return cpmh_msg_check(msg, max_id_length, &c, NULL);
}

static int cpm_api_get_id(sip_msg_t *msg, cpmh_id_t id, str *out)
{
	return cpmh_msg_get_id(msg, max_id_length, id, out);
}

static int cpm_api_add_ids(sip_msg_t *msg, int *added)
{
	int rc, n = 0;

	rc = cpmh_msg_add_ids(msg, max_id_length, &n);
	if(n > 0)
		counter_add(cnt_generated, n);
	if(added)
		*added = n;
	return rc;
}

static int cpm_api_validate(const str *value)
{
	str v;

	return cpmh_parse_value(value, max_id_length, &v);
}

static int bind_cpm_headers(cpm_headers_api_t *api)
{
	if(api == NULL) {
		LM_ERR("invalid parameter\n");
		return -1;
	}
	api->check = cpm_api_check;
	api->get_id = cpm_api_get_id;
	api->add_ids = cpm_api_add_ids;
	api->validate = cpm_api_validate;
	api->gen_uuid = cpmh_gen_uuid;
	api->services = cpmh_msg_services;
	api->service_scan = cpmh_service_scan;
	api->service_from_name = cpmh_service_from_name;
	api->service_name = cpmh_service_name;
	return 0;
}

/* ---- KEMI ---- */

/* clang-format off */
static sr_kemi_t sr_kemi_cpm_headers_exports[] = {
	{ str_init("cpm_headers"), str_init("check_headers"),
		SR_KEMIP_INT, ki_cpm_check_headers,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_headers"), str_init("add_ids"),
		SR_KEMIP_INT, ki_cpm_add_ids,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_headers"), str_init("has_inreplyto"),
		SR_KEMIP_INT, ki_cpm_has_inreplyto,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_headers"), str_init("has_service"),
		SR_KEMIP_INT, ki_cpm_has_service,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_headers"), str_init("get_service"),
		SR_KEMIP_XVAL, ki_cpm_get_service,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},

	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_cpm_headers_exports);
	return 0;
}
