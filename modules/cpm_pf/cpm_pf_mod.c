/*
 * cpm_pf: OMA CPM Participating Function (seed sections 4.1, 6.1, 6.3, 6.5).
 *
 * Export tables, mod_init/child_init/destroy and thin w_ wrappers over the
 * typed ki_ functions (also KEMI exports).  Each concern lives in
 * cpmpf_<concern>.c (glue) and cpmpf_<concern>_core.c (pure code).
 */
#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mod_fix.h"
#include "core/kemi.h"
#include "core/rpc_lookup.h"

#include "../cpm_warning/api.h"
#include "../cpm_headers/api.h"

#include "cpmpf_devices.h"
#include "cpmpf_devices_core.h"
#include "cpmpf_prefs.h"
#include "cpmpf_isf.h"

MODULE_VERSION

/* Seed 6.1: a request without an authenticated originator is refused with
 * 403 and a Warning header (seed 6.4); the PF sends those through
 * cpm_warning, so that module must be loaded before this one. */
static cpm_warning_api_t cpmw;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);

/* ---- every device, preferences, interworking (seed 4.1, 6.5) ---- */
static int w_cpm_pf_reg_tags(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_devices(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_apply_prefs(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_profile_set(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_needs_interworking(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_send_to_isf(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_isf_reply(sip_msg_t *msg, char *p1, char *p2);

/* clang-format off */
static cmd_export_t cmds[] = {
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	{"cpm_pf_reg_tags", (cmd_function)w_cpm_pf_reg_tags, 0, 0, 0,
		REQUEST_ROUTE},
	{"cpm_pf_devices", (cmd_function)w_cpm_pf_devices, 1, fixup_spve_null,
		fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_apply_prefs", (cmd_function)w_cpm_pf_apply_prefs, 1,
		fixup_spve_null, fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_profile_set", (cmd_function)w_cpm_pf_profile_set, 2,
		fixup_spve_spve, fixup_free_spve_spve, ANY_ROUTE},
	{"cpm_pf_needs_interworking", (cmd_function)w_cpm_pf_needs_interworking,
		0, 0, 0, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_send_to_isf", (cmd_function)w_cpm_pf_send_to_isf, 0, 0, 0,
		REQUEST_ROUTE},
	/* route[isf_reply_route] is a plain route: tm runs it as failure_route */
	{"cpm_pf_isf_reply", (cmd_function)w_cpm_pf_isf_reply, 0, 0, 0,
		REQUEST_ROUTE | FAILURE_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"db_url", PARAM_STR, &cpmpf_db_url},
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	{"reg_bflag_base", PARAM_INT, &cpmpf_reg_bflag_base},
	{"prefs_persist_interval", PARAM_INT, &cpmpf_prefs_persist_interval},
	{"isf_uri", PARAM_STR, &cpmpf_isf_uri},
	{"isf_reply_route", PARAM_STR, &cpmpf_isf_reply_route},
	{0, 0, 0}
};

static rpc_export_t rpc_cmds[] = {
	/* preferences, interworking (seed 4.1, 6.5) */
	{"cpm_pf.profile_set", cpmpf_rpc_profile_set, cpmpf_rpc_profile_set_doc, 0},
	{"cpm_pf.profile_show", cpmpf_rpc_profile_show, cpmpf_rpc_profile_show_doc,
		0},
	{"cpm_pf.prefs_reload", cpmpf_rpc_prefs_reload, cpmpf_rpc_prefs_reload_doc,
		0},
	{"cpm_pf.subscribers_reload", cpmpf_rpc_subscribers_reload,
		cpmpf_rpc_subscribers_reload_doc, 0},
	{0, 0, 0, 0}
};
/* clang-format on */

struct module_exports exports = {
	"cpm_pf",        /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	cmds,            /* exported functions */
	params,          /* exported parameters */
	rpc_cmds,        /* RPC method exports */
	0,               /* exported pseudo-variables */
	0,               /* response handling function */
	mod_init,        /* module initialization function */
	child_init,      /* per-child init function */
	mod_destroy      /* module destroy function */
};

static int mod_init(void)
{
	if(cpm_warning_load_api(&cpmw) < 0) {
		LM_ERR("cpm_pf needs the cpm_warning module, loaded before it\n");
		return -1;
	}
	/* the CF/PF answer with the language a participant's 2xx accepted
	 * (seed 6.4.1): the API must offer reply_lang */
	if(cpmw.reply == NULL || cpmw.reply_lang == NULL || cpmw.header == NULL) {
		LM_ERR("cpm_warning API incomplete (module version mismatch?)\n");
		return -1;
	}
	/* Seed 5.3 / 6.1 / 4.1: identifiers and services through cpm_headers,
	 * which must also be loaded before this module. */
	if(cpm_headers_load_api(&cpmpf_cpmh) < 0) {
		LM_ERR("cpm_pf needs the cpm_headers module, loaded before it\n");
		return -1;
	}
	if(cpmpf_cpmh.service_scan == NULL || cpmpf_cpmh.service_from_name == NULL
			|| cpmpf_cpmh.service_name == NULL) {
		LM_ERR("cpm_headers API incomplete (module version mismatch?)\n");
		return -1;
	}
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	if(cpmpf_reg_bflag_base < 0 || cpmpf_reg_bflag_base > CPMPF_DEV_BASE_MAX) {
		LM_ERR("reg_bflag_base %d out of range 0..%d\n", cpmpf_reg_bflag_base,
				CPMPF_DEV_BASE_MAX);
		return -1;
	}
	if(cpmpf_devices_init_counters() < 0 || cpmpf_prefs_init() < 0
			|| cpmpf_isf_init() < 0)
		return -1;
	return 0;
}

static int child_init(int rank)
{
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	if(cpmpf_prefs_child_init(rank) < 0)
		return -1;
	return 0;
}

static void mod_destroy(void)
{
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	cpmpf_isf_destroy();
	cpmpf_prefs_destroy();
}

/* ---- wrappers: every device, preferences, interworking ---- */

static int w_cpm_pf_reg_tags(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_reg_tags(msg);
}

static int w_cpm_pf_devices(sip_msg_t *msg, char *p1, char *p2)
{
	str svc;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &svc) < 0) {
		LM_ERR("cannot get the service name\n");
		return -3;
	}
	return ki_cpm_pf_devices(msg, &svc);
}

static int w_cpm_pf_apply_prefs(sip_msg_t *msg, char *p1, char *p2)
{
	str svc;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &svc) < 0) {
		LM_ERR("cannot get the service name\n");
		return -1;
	}
	return ki_cpm_pf_apply_prefs(msg, &svc);
}

static int w_cpm_pf_profile_set(sip_msg_t *msg, char *p1, char *p2)
{
	str user, profile;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &user) < 0
			|| fixup_get_svalue(msg, (gparam_t *)p2, &profile) < 0) {
		LM_ERR("cannot get the user or profile\n");
		return -1;
	}
	return ki_cpm_pf_profile_set(msg, &user, &profile);
}

static int w_cpm_pf_needs_interworking(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_needs_interworking(msg);
}

static int w_cpm_pf_send_to_isf(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_send_to_isf(msg);
}

static int w_cpm_pf_isf_reply(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_isf_reply(msg);
}

/* ---- KEMI ---- */

/* clang-format off */
static sr_kemi_t sr_kemi_cpm_pf_exports[] = {
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	{ str_init("cpm_pf"), str_init("reg_tags"),
		SR_KEMIP_INT, ki_cpm_pf_reg_tags,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("devices"),
		SR_KEMIP_INT, ki_cpm_pf_devices,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("apply_prefs"),
		SR_KEMIP_INT, ki_cpm_pf_apply_prefs,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("profile_set"),
		SR_KEMIP_INT, ki_cpm_pf_profile_set,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("needs_interworking"),
		SR_KEMIP_INT, ki_cpm_pf_needs_interworking,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("send_to_isf"),
		SR_KEMIP_INT, ki_cpm_pf_send_to_isf,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("isf_reply"),
		SR_KEMIP_INT, ki_cpm_pf_isf_reply,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},

	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_cpm_pf_exports);
	return 0;
}
