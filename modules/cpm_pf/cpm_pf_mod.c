/*
 * cpm_pf: OMA CPM Participating Function (seed sections 6.1, 6.3, 6.5).
 *
 * Skeleton: loads and initialises so the default routing script can load
 * the complete module set.  The originating and terminating procedures land
 * in later issues, behind functions exported here.
 */
#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/kemi.h"
#include "core/mod_fix.h"

#include "../cpm_warning/api.h"
#include "../cpm_headers/api.h"
#include "cpmpf_store.h"

MODULE_VERSION

/* Seed 6.1: a request without an authenticated originator is refused with
 * 403 and a Warning header (seed 6.4); the PF sends those through
 * cpm_warning, so that module must be loaded before this one. */
static cpm_warning_api_t cpmw;

/* Seed 5.3 / 6.1: the PF reads, validates and generates the conversation
 * identifiers through cpm_headers, which must also be loaded before it. */
static cpm_headers_api_t cpmh;

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
	if(cpm_headers_load_api(&cpmh) < 0) {
		LM_ERR("cpm_pf needs the cpm_headers module, loaded before it\n");
		return -1;
	}
	/* deferred delivery (seed 4.1): parameters, writer process, stats */
	if(cpmpf_store_mod_init() < 0)
		return -1;
	return 0;
}

static int child_init(int rank)
{
	/* deferred delivery: the writer process is forked from PROC_MAIN */
	return cpmpf_store_child_init(rank);
}

static void mod_destroy(void)
{
	cpmpf_store_destroy();
}

/* ---- deferred delivery (seed 4.1): thin wrappers over cpmpf_store.c ---- */
static int w_cpm_pf_store(struct sip_msg *msg, char *p1, char *p2)
{
	str user, route;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &user) < 0
			|| fixup_get_svalue(msg, (gparam_t *)p2, &route) < 0) {
		LM_ERR("cpm_pf_store(): cannot evaluate the parameters\n");
		return -1;
	}
	return ki_cpm_pf_store(msg, &user, &route);
}

static int w_cpm_pf_stored(struct sip_msg *msg, char *p1, char *p2)
{
	return ki_cpm_pf_stored(msg);
}

static int w_cpm_pf_deliver_pending(struct sip_msg *msg, char *p1, char *p2)
{
	str user;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &user) < 0) {
		LM_ERR("cpm_pf_deliver_pending(): cannot evaluate the user\n");
		return -1;
	}
	return ki_cpm_pf_deliver_pending(msg, &user);
}

static cmd_export_t cmds[] = {
	/* deferred delivery (seed 4.1) */
	{"cpm_pf_store", (cmd_function)w_cpm_pf_store, 2, fixup_spve_spve,
			fixup_free_spve_spve, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_stored", (cmd_function)w_cpm_pf_stored, 0, 0, 0, ANY_ROUTE},
	{"cpm_pf_deliver_pending", (cmd_function)w_cpm_pf_deliver_pending, 1,
			fixup_spve_null, fixup_free_spve_null, REQUEST_ROUTE | ONREPLY_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	/* shared by every PF concern that needs the database */
	{"db_url", PARAM_STR, &cpmpf_db_url},
	/* deferred delivery (seed 4.1) */
	{"store_expiry", PARAM_INT, &cpmpf_store_expiry},
	{"store_max_per_user", PARAM_INT, &cpmpf_store_max},
	{"store_sweep_interval", PARAM_INT, &cpmpf_store_sweep},
	{"store_headers", PARAM_STR, &cpmpf_store_headers},
	{0, 0, 0}
};

static rpc_export_t cpmpf_rpc_cmds[] = {
	/* deferred delivery (seed 4.1) */
	{"cpm_pf.deferred_list", cpmpf_rpc_deferred_list,
			cpmpf_rpc_deferred_list_doc, RET_ARRAY},
	{"cpm_pf.users_reload", cpmpf_rpc_users_reload,
			cpmpf_rpc_users_reload_doc, 0},
	{0, 0, 0, 0}
};

/* KEMI exports of module "cpm_pf" */
/* clang-format off */
static sr_kemi_t sr_kemi_cpm_pf_exports[] = {
	/* deferred delivery (seed 4.1) */
	{ str_init("cpm_pf"), str_init("cpm_pf_store"),
		SR_KEMIP_INT, ki_cpm_pf_store,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("cpm_pf_stored"),
		SR_KEMIP_INT, ki_cpm_pf_stored,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("cpm_pf_deliver_pending"),
		SR_KEMIP_INT, ki_cpm_pf_deliver_pending,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
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

struct module_exports exports = {
	"cpm_pf",        /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	cmds,            /* exported functions */
	params,          /* exported parameters */
	cpmpf_rpc_cmds,  /* RPC method exports */
	0,               /* exported pseudo-variables */
	0,               /* response handling function */
	mod_init,        /* module initialization function */
	child_init,      /* per-child init function */
	mod_destroy      /* module destroy function */
};
