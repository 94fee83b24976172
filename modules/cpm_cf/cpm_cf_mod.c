/*
 * cpm_cf: OMA CPM Controlling Function, the conference focus (seed sections
 * 5.2, 6.3).  Export tables, module init and thin wrappers only; each
 * concern lives in its own cpmcf_<concern>.c (docs/cpm_cf.md).
 */
#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mod_fix.h"
#include "core/kemi.h"
#include "core/rpc_lookup.h"

#include "../cpm_warning/api.h"
#include "../cpm_headers/api.h"

#include "cpmcf_gsess.h"
#include "cpmcf_refer.h"

MODULE_VERSION

static cpm_warning_api_t cpmw;
static cpm_headers_api_t cpmh;

static int mod_init(void);
static void mod_destroy(void);

/* ---- concern: group sessions (ad-hoc creation, dialogs, ending) ---- */
static int ki_cpm_cf_is_mine(sip_msg_t *msg)
{
	return cpmcf_is_mine(msg);
}
static int w_cpm_cf_is_mine(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_cf_is_mine(msg);
}
static int ki_cpm_cf_invite(sip_msg_t *msg)
{
	return cpmcf_invite(msg);
}
static int w_cpm_cf_invite(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_cf_invite(msg);
}
static int ki_cpm_cf_dialog(sip_msg_t *msg)
{
	return cpmcf_dialog(msg);
}
static int w_cpm_cf_dialog(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_cf_dialog(msg);
}
/* ---- end: group sessions ---- */

/* ---- concern: adding and removing participants (REFER) ---- */
static int ki_cpm_cf_refer(sip_msg_t *msg)
{
	return cpmcf_refer(msg);
}
static int w_cpm_cf_refer(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_cf_refer(msg);
}
/* ---- end: REFER ---- */

/* clang-format off */
static cmd_export_t cmds[] = {
	/* group sessions */
	{"cpm_cf_is_mine", (cmd_function)w_cpm_cf_is_mine, 0, 0, 0, REQUEST_ROUTE},
	{"cpm_cf_invite", (cmd_function)w_cpm_cf_invite, 0, 0, 0, REQUEST_ROUTE},
	{"cpm_cf_dialog", (cmd_function)w_cpm_cf_dialog, 0, 0, 0, REQUEST_ROUTE},
	/* adding and removing participants (REFER) */
	{"cpm_cf_refer", (cmd_function)w_cpm_cf_refer, 0, 0, 0, REQUEST_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	/* group sessions */
	{"factory_user", PARAM_STR, &cpmcf_factory_user},
	{"session_prefix", PARAM_STR, &cpmcf_session_prefix},
	{"max_participants", PARAM_INT, &cpmcf_max_participants},
	{"msrp_address", PARAM_STR, &cpmcf_msrp_address},
	{"msrp_port", PARAM_INT, &cpmcf_msrp_port},
	{"session_slots", PARAM_INT, &cpmcf_session_slots},
	{"ack_timeout", PARAM_INT, &cpmcf_ack_timeout},
	{"max_sessions", PARAM_INT, &cpmcf_max_sessions},
	/* adding and removing participants (REFER) */
	{"refer_initiator_only", PARAM_INT, &cpmcf_refer_initiator_only},
	{0, 0, 0}
};

static sr_kemi_t sr_kemi_cpm_cf_exports[] = {
	/* group sessions */
	{ str_init("cpm_cf"), str_init("is_mine"),
		SR_KEMIP_INT, ki_cpm_cf_is_mine,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_cf"), str_init("invite"),
		SR_KEMIP_INT, ki_cpm_cf_invite,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_cf"), str_init("dialog"),
		SR_KEMIP_INT, ki_cpm_cf_dialog,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* adding and removing participants (REFER) */
	{ str_init("cpm_cf"), str_init("refer"),
		SR_KEMIP_INT, ki_cpm_cf_refer,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

struct module_exports exports = {
	"cpm_cf",        /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	cmds,            /* exported functions */
	params,          /* exported parameters */
	0,               /* RPC method exports (registered in mod_init) */
	0,               /* exported pseudo-variables */
	0,               /* response handling function */
	mod_init,        /* module initialization function */
	0,               /* per-child init function */
	mod_destroy      /* module destroy function */
};

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_cpm_cf_exports);
	return 0;
}

static int mod_init(void)
{
	if(cpm_warning_load_api(&cpmw) < 0 || cpmw.reply == NULL) {
		LM_ERR("cpm_cf needs the cpm_warning module, loaded before it\n");
		return -1;
	}
	if(cpm_headers_load_api(&cpmh) < 0 || cpmh.get_id == NULL
			|| cpmh.gen_uuid == NULL) {
		LM_ERR("cpm_cf needs the cpm_headers module, loaded before it\n");
		return -1;
	}
	/* group sessions: parameters, tm, the shm session table, RPC, stats */
	if(cpmcf_gsess_init(&cpmw, &cpmh) < 0)
		return -1;
	if(rpc_register_array(cpmcf_gsess_rpc) != 0) {
		LM_ERR("cannot register the session RPC commands\n");
		return -1;
	}
	/* adding and removing participants (REFER) */
	if(cpmcf_refer_init(&cpmw) < 0)
		return -1;
	return 0;
}

static void mod_destroy(void)
{
	/* group sessions */
	cpmcf_gsess_destroy();
	/* REFER */
	cpmcf_refer_destroy();
}
