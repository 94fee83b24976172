/*
 * cpm_cf: OMA CPM Controlling Function, the conference focus (seed sections
 * 5.2, 6.1, 6.3; issue 7).  Export tables, mod_init / child_init / destroy
 * and thin wrappers only; each concern lives in its own cpmcf_<concern>.c
 * (docs/cpm_cf.md).
 */
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mod_fix.h"
#include "core/pvar.h"
#include "core/kemi.h"
#include "core/rpc_lookup.h"

#include "../cpm_warning/api.h"
#include "../cpm_headers/api.h"

#include "cpmcf_gsess.h"
#include "cpmcf_dlg.h" /* session timer parameters */
#include "cpmcf_conf.h"
#include "cpmcf_group.h"
#include "cpmcf_msg.h"
#include "cpmcf_persist.h"
#include "cpmcf_refer.h"
#include "cpmcf_dialect.h"

MODULE_VERSION

static cpm_warning_api_t cpmw;
static cpm_headers_api_t cpmh;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);

/* ---- concern: group sessions (ad-hoc creation, dialogs, ending) ---- */
/* cpmcf_is_mine() knows the factory, the session prefix and, through
 * cpmcf_group_exists() (groups concern), the pre-defined groups */
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

/* ---- concern: participant information (RFC 4575), pseudonyms ---- */
static int ki_cpm_cf_subscribe(sip_msg_t *msg)
{
	return cpmcf_subscribe(msg);
}
static int w_cpm_cf_subscribe(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_cf_subscribe(msg);
}
/* ---- end: participant information ---- */
/* -- concern: pre-defined groups and group messages -- */
static int w_cpm_cf_message(sip_msg_t *msg, char *p1, char *p2);
static int fixup_cpm_cf_message(void **param, int param_no);
static int fixup_free_cpm_cf_message(void **param, int param_no);
static int w_cpm_cf_is_copy(sip_msg_t *msg, char *p1, char *p2);
/* -- end: groups -- */
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
	/* participant information */
	{"cpm_cf_subscribe", (cmd_function)w_cpm_cf_subscribe, 0, 0, 0,
		REQUEST_ROUTE},
	/* -- concern: pre-defined groups and group messages -- */
	{"cpm_cf_message", (cmd_function)w_cpm_cf_message, 2,
		fixup_cpm_cf_message, fixup_free_cpm_cf_message, REQUEST_ROUTE},
	{"cpm_cf_is_copy", (cmd_function)w_cpm_cf_is_copy, 0, 0, 0,
		REQUEST_ROUTE},
	/* -- end: groups -- */
	/* adding and removing participants (REFER) */
	{"cpm_cf_refer", (cmd_function)w_cpm_cf_refer, 0, 0, 0, REQUEST_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	/* shared by the CF's concerns */
	{"db_url", PARAM_STR, &cpmcf_db_url},
	{"factory_user", PARAM_STR, &cpmcf_factory_user},
	{"max_participants", PARAM_INT, &cpmcf_max_participants},
	/* group sessions */
	{"session_prefix", PARAM_STR, &cpmcf_session_prefix},
	{"msrp_address", PARAM_STR, &cpmcf_msrp_address},
	{"msrp_port", PARAM_INT, &cpmcf_msrp_port},
	{"session_slots", PARAM_INT, &cpmcf_session_slots},
	{"ack_timeout", PARAM_INT, &cpmcf_ack_timeout},
	/* a participant who stops answering (item 7): RFC 4028 session timer */
	{"session_expires", PARAM_INT, &cpmcf_session_expires},
	{"min_se", PARAM_INT, &cpmcf_min_se},
	{"max_sessions", PARAM_INT, &cpmcf_max_sessions},
	/* participant information, pseudonyms */
	{"conf_max_expires", PARAM_INT, &cpmcf_conf_max_expires},
	{"anonymity_forbidden", PARAM_INT, &cpmcf_anonymity_forbidden},
	/* -- concern: pre-defined groups -- */
	{"groups_file", PARAM_STRING, &cpmcf_groups_file},
	{"max_pager_size", PARAM_INT, &cpmcf_max_pager_size},
	/* -- end: groups -- */
	/* adding and removing participants (REFER) */
	{"refer_initiator_only", PARAM_INT, &cpmcf_refer_initiator_only},
	{0, 0, 0}
};
/* clang-format on */

struct module_exports exports = {
	"cpm_cf",        /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	cmds,            /* exported functions */
	params,          /* exported parameters */
	0,               /* RPC method exports (rpc_register_array in mod_init) */
	0,               /* exported pseudo-variables */
	cpmcf_copy_reply, /* response handling function: answers to the
	                     group MESSAGE copies (cpmcf_msg.c) */
	mod_init,        /* module initialization function */
	child_init,      /* per-child init function */
	mod_destroy      /* module destroy function */
};

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
	/* invitee dialect, originator identities: usrloc and cpm_pf's API */
	if(cpmcf_dialect_init() < 0)
		return -1;
	if(rpc_register_array(cpmcf_gsess_rpc) != 0) {
		LM_ERR("cannot register the session RPC commands\n");
		return -1;
	}
	/* participant information: subscriptions, NOTIFY, pseudonyms */
	if(cpmcf_conf_init(&cpmw) < 0)
		return -1;
	if(rpc_register_array(cpmcf_conf_rpc) != 0) {
		LM_ERR("cannot register the subscription RPC commands\n");
		return -1;
	}
	/* -- concern: pre-defined groups and group messages -- */
	if(rpc_register_array(cpmcf_group_rpc) != 0) {
		LM_ERR("cannot register the group RPCs\n");
		return -1;
	}
	if(cpmcf_group_init() < 0 || cpmcf_msg_init() < 0)
		return -1;
	/* -- end: groups -- */
	/* -- concern: persistence: running sessions read back,
	 * the writer process registered -- */
	if(cpmcf_persist_init() < 0)
		return -1;
	/* adding and removing participants (REFER) */
	if(cpmcf_refer_init(&cpmw) < 0)
		return -1;
	return 0;
}

static int child_init(int rank)
{
	/* persistence: the CF's one DB writer, forked once by the main process */
	if(rank == PROC_MAIN)
		return cpmcf_persist_fork();
	return 0;
}

static void mod_destroy(void)
{
	/* participant information */
	cpmcf_conf_destroy();
	/* group sessions */
	cpmcf_gsess_destroy();
	/* groups */
	cpmcf_group_destroy();
	/* persistence */
	cpmcf_persist_destroy();
	/* REFER */
	cpmcf_refer_destroy();
}

/* -- concern: pre-defined groups and group messages -- */
/* the first parameter is a variable ($avp(cpm_auth_user)), not a format
 * string: a $null user must read as none (a format would print "<null>"),
 * as cpm_pf_orig() reads it */
static int fixup_cpm_cf_message(void **param, int param_no)
{
	if(param_no == 1)
		return fixup_pvar_null(param, 1);
	if(param_no == 2)
		return fixup_igp_null(param, 1);
	return 0;
}

static int fixup_free_cpm_cf_message(void **param, int param_no)
{
	if(param_no == 1)
		return fixup_free_pvar_null(param, 1);
	if(param_no == 2)
		return fixup_free_igp_null(param, 1);
	return 0;
}

static int w_cpm_cf_message(sip_msg_t *msg, char *p1, char *p2)
{
	pv_value_t v;
	str user = STR_NULL;
	int trusted = 0;

	memset(&v, 0, sizeof(v));
	if(pv_get_spec_value(msg, (pv_spec_t *)p1, &v) == 0
			&& (v.flags & PV_VAL_STR) && !(v.flags & PV_VAL_NULL))
		user = v.rs;
	if(get_int_fparam(&trusted, msg, (fparam_t *)p2) < 0)
		trusted = 0;
	return ki_cpm_cf_message(msg, &user, trusted);
}

static int ki_cpm_cf_message_kemi(sip_msg_t *msg, str *user, int trusted)
{
	return ki_cpm_cf_message(msg, user, trusted);
}

static int w_cpm_cf_is_copy(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_cf_is_copy(msg);
}
/* -- end: groups -- */

/* clang-format off */
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
	/* -- concern: pre-defined groups and group messages -- */
	{ str_init("cpm_cf"), str_init("message"),
		SR_KEMIP_INT, ki_cpm_cf_message_kemi,
		{ SR_KEMIP_STR, SR_KEMIP_INT, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_cf"), str_init("is_copy"),
		SR_KEMIP_INT, ki_cpm_cf_is_copy,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* -- end: groups -- */
	/* adding and removing participants (REFER) */
	{ str_init("cpm_cf"), str_init("refer"),
		SR_KEMIP_INT, ki_cpm_cf_refer,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* participant information */
	{ str_init("cpm_cf"), str_init("subscribe"),
		SR_KEMIP_INT, ki_cpm_cf_subscribe,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_cpm_cf_exports);
	return 0;
}
