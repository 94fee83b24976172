/*
 * cpm_pf: OMA CPM Participating Function (seed sections 4.1, 5.1, 6.1, 6.3, 6.5).
 *
 * This file holds only the export tables, the module life cycle and thin
 * w_* wrappers over the typed ki_* functions (also the KEMI exports).  Each
 * concern's rows are kept together under a comment naming it; the code
 * lives in cpmpf_<concern>.c (glue) and cpmpf_<concern>_core.c (pure).
 */
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/pvar.h"
#include "core/kemi.h"
#include "core/mod_fix.h"
#include "core/rpc_lookup.h"
#include "core/tcp_options.h"
#include "core/flags.h"

#include "../cpm_warning/api.h"
#include "../cpm_headers/api.h"
#include "cpmpf_db.h"
#include "cpmpf_dbq.h"
#include "cpmpf_store.h"
#include "cpmpf_users.h"

/* concern: authenticated originator, privacy, Pager Mode size */
#include "cpmpf_identity.h"
#include "cpmpf_orig.h"
/* concern: every device, preferences, interworking */
#include "cpmpf_devices.h"
#include "cpmpf_devices_core.h"
#include "cpmpf_prefs.h"
#include "cpmpf_isf.h"
/* concern: registration (third-party REGISTER, reginfo) */
#include "cpmpf_reg.h"
/* concern: disposition notifications (IMDN) */
#include "cpmpf_imdn.h"
/* concern: recording (seed 4.1) */
#include "cpmpf_record.h"
/* concern: one call per role for a MESSAGE */
#include "cpmpf_message.h"
/* the C API other modules bind (cpm_cf) */
#include "cpmpf_api.h"

MODULE_VERSION

/* Seed 6.1: a request without an authenticated originator is refused with
 * 403 and a Warning header (seed 6.4); the PF sends those through
 * cpm_warning, so that module must be loaded before this one. */
static cpm_warning_api_t cpmw;

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);

/* concern: originator / privacy / pager size */
/* Seed 5.1: a Pager Mode message "should not exceed 1300 bytes"; the hard
 * limit (body octets) sits above that "should": 1300 octets of content in a
 * CPIM wrapper with IMDN headers (RFC 3862, RFC 5438: ~300-500 octets) and
 * multi-byte UTF-8 text from clients that count characters must pass.
 * 4096 also stays below every transport's read buffer (UDP 65535, TCP
 * tcp_rd_buf_size of the cfg), so the 413 always gets out. */
#define CPMPF_PAGER_DEFAULT 4096
#define CPMPF_PAGER_MIN 1300
#define CPMPF_PAGER_MAX 65000
static int max_pager_size = CPMPF_PAGER_DEFAULT;
/* one call per role: the request flag the script sets for a request from
 * a trusted peer (cpm_pf_message_orig() with one parameter); -1 none */
static int trusted_flag = -1;

/* ---- concern: originator / privacy / pager size ---- */
static int w_cpm_pf_orig(sip_msg_t *msg, char *au, char *trusted);
static int w_cpm_pf_term(sip_msg_t *msg, char *trusted, char *p2);
static int w_cpm_pf_check_size(sip_msg_t *msg, char *p1, char *p2);
static int fixup_cpm_pf_orig(void **param, int param_no);
static int fixup_free_cpm_pf_orig(void **param, int param_no);

/* ---- every device, preferences, interworking (seed 4.1, 6.5) ---- */
static int w_cpm_pf_reg_tags(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_devices(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_devices_user(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_apply_prefs(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_profile_set(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_needs_interworking(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_tel_to_user(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_send_to_isf(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_isf_reply(sip_msg_t *msg, char *p1, char *p2);

/* ---- deferred delivery (seed 4.1) ---- */
static int w_cpm_pf_store(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_stored(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_store_retrans(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_deliver_pending(sip_msg_t *msg, char *p1, char *p2);
/* disposition notifications (IMDN) */
static int w_cpm_pf_check_cpim(sip_msg_t *msg, char *p1, char *p2);

/* ---- registration: third-party REGISTER, reginfo (seed 4.1) ---- */
static int w_cpm_pf_third_party_register(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_reginfo_notify(sip_msg_t *msg, char *p1, char *p2);
static int w_cpm_pf_reg_subscribe(sip_msg_t *msg, char *p1, char *p2);

/* ---- recording (seed 4.1) ---- */
static int w_cpm_pf_record(sip_msg_t *msg, char *p1, char *p2);

/* ---- one call per role for a MESSAGE ---- */
static int w_cpm_pf_message_orig(sip_msg_t *msg, char *au, char *trusted);
static int w_cpm_pf_message_orig_flag(sip_msg_t *msg, char *au, char *p2);
static int w_cpm_pf_message_term(sip_msg_t *msg, char *trusted, char *p2);

/* clang-format off */
static cmd_export_t cmds[] = {
	/* the C API (api.h): identities and device flags for cpm_cf */
	{"bind_cpm_pf", (cmd_function)cpmpf_bind_api, 0, 0, 0, 0},
	/* concern: originator / privacy / pager size */
	{"cpm_pf_orig", (cmd_function)w_cpm_pf_orig, 2, fixup_cpm_pf_orig,
		fixup_free_cpm_pf_orig, REQUEST_ROUTE},
	{"cpm_pf_term", (cmd_function)w_cpm_pf_term, 1, fixup_igp_null,
		fixup_free_igp_null, REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE},
	{"cpm_pf_check_size", (cmd_function)w_cpm_pf_check_size, 0, 0, 0,
		REQUEST_ROUTE},
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	{"cpm_pf_reg_tags", (cmd_function)w_cpm_pf_reg_tags, 0, 0, 0,
		REQUEST_ROUTE},
	{"cpm_pf_devices", (cmd_function)w_cpm_pf_devices, 1, fixup_spve_null,
		fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_devices", (cmd_function)w_cpm_pf_devices_user, 2,
		fixup_spve_spve, fixup_free_spve_spve, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_apply_prefs", (cmd_function)w_cpm_pf_apply_prefs, 1,
		fixup_spve_null, fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_profile_set", (cmd_function)w_cpm_pf_profile_set, 2,
		fixup_spve_spve, fixup_free_spve_spve, ANY_ROUTE},
	{"cpm_pf_needs_interworking", (cmd_function)w_cpm_pf_needs_interworking,
		0, 0, 0, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_tel_to_user", (cmd_function)w_cpm_pf_tel_to_user, 0, 0, 0,
		REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_send_to_isf", (cmd_function)w_cpm_pf_send_to_isf, 0, 0, 0,
		REQUEST_ROUTE},
	/* route[isf_reply_route] is a plain route: tm runs it as failure_route */
	/* registration: third-party REGISTER, reginfo (seed 4.1) */
	{"cpm_pf_third_party_register",
		(cmd_function)w_cpm_pf_third_party_register, 0, 0, 0, REQUEST_ROUTE},
	{"cpm_pf_reginfo_notify", (cmd_function)w_cpm_pf_reginfo_notify, 0, 0, 0,
		REQUEST_ROUTE},
	{"cpm_pf_reg_subscribe", (cmd_function)w_cpm_pf_reg_subscribe, 2,
		fixup_spve_spve, fixup_free_spve_spve, REQUEST_ROUTE},
	{"cpm_pf_isf_reply", (cmd_function)w_cpm_pf_isf_reply, 0, 0, 0,
		REQUEST_ROUTE | FAILURE_ROUTE},
	/* deferred delivery (seed 4.1) */
	{"cpm_pf_store", (cmd_function)w_cpm_pf_store, 2, fixup_spve_spve,
		fixup_free_spve_spve, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_pf_stored", (cmd_function)w_cpm_pf_stored, 0, 0, 0, ANY_ROUTE},
	{"cpm_pf_store_retrans", (cmd_function)w_cpm_pf_store_retrans, 0, 0, 0,
		REQUEST_ROUTE},
	{"cpm_pf_deliver_pending", (cmd_function)w_cpm_pf_deliver_pending, 1,
		fixup_spve_null, fixup_free_spve_null, REQUEST_ROUTE | ONREPLY_ROUTE},
	/* disposition notifications (IMDN, RFC 5438) */
	{"cpm_pf_check_cpim", (cmd_function)w_cpm_pf_check_cpim, 0, 0, 0,
		REQUEST_ROUTE},
	/* recording (seed 4.1) */
	{"cpm_pf_record", (cmd_function)w_cpm_pf_record, 1, fixup_spve_null,
		fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE},
	/* one call per role for a MESSAGE (the steps above, in the cfg's
	 * order) */
	{"cpm_pf_message_orig", (cmd_function)w_cpm_pf_message_orig, 2,
		fixup_cpm_pf_orig, fixup_free_cpm_pf_orig, REQUEST_ROUTE},
	{"cpm_pf_message_orig", (cmd_function)w_cpm_pf_message_orig_flag, 1,
		fixup_pvar_null, fixup_free_pvar_null, REQUEST_ROUTE},
	{"cpm_pf_message_term", (cmd_function)w_cpm_pf_message_term, 1,
		fixup_igp_null, fixup_free_igp_null, REQUEST_ROUTE},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	/* shared: the database of the PF's tables */
	{"db_url", PARAM_STR, &cpmpf_db_url},
	/* concern: originator / privacy / pager size */
	{"max_pager_size", PARAM_INT, &max_pager_size},
	/* one call per role for a MESSAGE */
	{"trusted_flag", PARAM_INT, &trusted_flag},
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	{"reg_bflag_base", PARAM_INT, &cpmpf_reg_bflag_base},
	{"isf_uri", PARAM_STR, &cpmpf_isf_uri},
	{"isf_reply_route", PARAM_STR, &cpmpf_isf_reply_route},
	/* deferred delivery (seed 4.1) */
	{"store_expiry", PARAM_INT, &cpmpf_store_expiry},
	{"store_max_per_user", PARAM_INT, &cpmpf_store_max},
	{"store_sweep_interval", PARAM_INT, &cpmpf_store_sweep},
	{"commit_delay", PARAM_INT, &cpmpf_dbq_commit_delay},
	{"store_headers", PARAM_STR, &cpmpf_store_headers},
	{"store_stateless", PARAM_INT, &cpmpf_store_stateless},
	/* registration (seed 4.1) */
	{"reg_subscribe_expires", PARAM_INT, &cpmpf_reg_sub_expires},
	{"reg_subscribe_retry", PARAM_INT, &cpmpf_reg_sub_retry},
	/* recording (seed 4.1) */
	{"record", PARAM_INT, &cpmpf_record_param},
	{"record_queue_max", PARAM_INT, &cpmpf_record_queue_max},
	{0, 0, 0}
};

static rpc_export_t rpc_cmds[] = {
	/* preferences, interworking (seed 4.1, 6.5) */
	{"cpm_pf.profile_set", cpmpf_rpc_profile_set, cpmpf_rpc_profile_set_doc, 0},
	{"cpm_pf.profile_show", cpmpf_rpc_profile_show, cpmpf_rpc_profile_show_doc,
		0},
	{"cpm_pf.prefs_reload", cpmpf_rpc_prefs_reload, cpmpf_rpc_prefs_reload_doc,
		0},
	/* deferred delivery (seed 4.1) */
	{"cpm_pf.deferred_list", cpmpf_rpc_deferred_list,
		cpmpf_rpc_deferred_list_doc, RET_ARRAY},
	/* shared: the provisioned users (deferred delivery, interworking) */
	{"cpm_pf.users_reload", cpmpf_rpc_users_reload,
		cpmpf_rpc_users_reload_doc, 0},
	/* recording (seed 4.1) */
	{"cpm_pf.history", cpmpf_rpc_history, cpmpf_rpc_history_doc, RET_ARRAY},
	{"cpm_pf.history_conversation", cpmpf_rpc_history_conversation,
		cpmpf_rpc_history_conversation_doc, RET_ARRAY},
	{"cpm_pf.record_policy", cpmpf_rpc_record_policy,
		cpmpf_rpc_record_policy_doc, 0},
	{"cpm_pf.record_pref", cpmpf_rpc_record_pref, cpmpf_rpc_record_pref_doc,
		0},
	{"cpm_pf.record_reload", cpmpf_rpc_record_reload,
		cpmpf_rpc_record_reload_doc, 0},
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
	if(cpmpf_db_url.s == NULL || cpmpf_db_url.len <= 0) {
		LM_ERR("cpm_pf needs db_url (the database of the PF's tables)\n");
		return -1;
	}
	/* shared: the provisioned users, one set for deferred delivery (404)
	 * and the interworking decision */
	if(cpmpf_users_init(&cpmpf_db_url) < 0)
		return -1;

	/* concern: originator / privacy / pager size */
	if(max_pager_size < CPMPF_PAGER_MIN || max_pager_size > CPMPF_PAGER_MAX) {
		LM_ERR("max_pager_size must be %d..%d, not %d\n", CPMPF_PAGER_MIN,
				CPMPF_PAGER_MAX, max_pager_size);
		return -1;
	}
	/* Over TCP the core reads a whole message into tcp_rd_buf_size bytes
	 * and drops the connection, unanswered, on a larger one: a 413 for a
	 * body just above the limit needs room for it and its headers. */
	if(max_pager_size + 4096 > (int)tcp_default_cfg.rd_buf_size)
		LM_WARN("tcp_rd_buf_size %u leaves little room above max_pager_size"
				" %d: oversized MESSAGEs over TCP may close their connection"
				" without the 413 (set tcp_rd_buf_size, see docs/cpm_pf.md)\n",
				tcp_default_cfg.rd_buf_size, max_pager_size);
	if(cpmpf_identity_init(&cpmpf_db_url) < 0)
		return -1;
	if(rpc_register_array(cpmpf_identity_rpc) != 0) {
		LM_ERR("cannot register the identity RPC commands\n");
		return -1;
	}
	if(cpmpf_orig_init(&cpmw) < 0)
		return -1;
	/* one call per role for a MESSAGE */
	if(trusted_flag < -1 || trusted_flag > (int)MAX_FLAG) {
		LM_ERR("trusted_flag must be -1 (none) or 0..%d, not %d\n", MAX_FLAG,
				trusted_flag);
		return -1;
	}
	if(cpmpf_message_init() < 0)
		return -1;
	/* deferred delivery (seed 4.1): parameters, writer process, stats */
	if(cpmpf_store_mod_init() < 0)
		return -1;
	/* registration: third-party REGISTER, reginfo (seed 4.1) */
	if(cpmpf_reg_init() < 0)
		return -1;
	if(rpc_register_array(cpmpf_reg_rpc) != 0) {
		LM_ERR("cannot register the reg subscription RPC\n");
		return -1;
	}
	/* disposition notifications (IMDN): xmlInitParser, stats */
	if(cpmpf_imdn_mod_init() < 0)
		return -1;
	/* recording (seed 4.1): after the writer queue exists */
	if(cpmpf_record_init() < 0)
		return -1;
	return 0;
}

static int child_init(int rank)
{
	/* registration (seed 4.1) */
	if(cpmpf_reg_child_init(rank) < 0)
		return -1;
	/* the module's one database writer process (deferred store, active
	 * profiles) is forked from PROC_MAIN */
	return cpmpf_store_child_init(rank);
}

static void mod_destroy(void)
{
	/* deferred delivery */
	cpmpf_store_destroy();
	cpmpf_users_destroy();
	/* recording */
	cpmpf_record_destroy();
	/* concern: originator / privacy / pager size */
	cpmpf_identity_destroy();
	/* every device, preferences, interworking (seed 4.1, 6.5) */
	cpmpf_prefs_destroy();
	/* registration (seed 4.1) */
	cpmpf_reg_destroy();
}

/* ---- wrappers: registration (third-party REGISTER, reginfo) ---- */

static int w_cpm_pf_third_party_register(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_third_party_register(msg);
}

static int w_cpm_pf_reginfo_notify(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_reginfo_notify(msg);
}

static int w_cpm_pf_reg_subscribe(sip_msg_t *msg, char *p1, char *p2)
{
	str aor, scscf;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &aor) < 0
			|| fixup_get_svalue(msg, (gparam_t *)p2, &scscf) < 0) {
		LM_ERR("cannot get the AOR / S-CSCF URI\n");
		return -3;
	}
	return ki_cpm_pf_reg_subscribe(msg, &aor, &scscf);
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

/* the value of a parameter that is one PV and nothing else (the cfg
 * passes "$avp(pf_rcpt)"): read directly, not printed through pv_printf()
 * into a buffer; else fixup_get_svalue() */
static int get_svalue_pv(sip_msg_t *msg, gparam_t *gp, str *out)
{
	pv_value_t v;

	if(gp->type == GPARAM_TYPE_PVE && gp->v.pve && gp->v.pve->next == NULL
			&& gp->v.pve->text.len == 0 && gp->v.pve->spec) {
		/* what pv_printf() would print: nothing when the PV cannot be
		 * read, "<null>" for a null value, else its string form */
		memset(&v, 0, sizeof(v));
		out->s = "";
		out->len = 0;
		if(gp->v.pve->spec->type == PVT_NONE
				|| pv_get_spec_value(msg, gp->v.pve->spec, &v) != 0)
			return 0;
		*out = (v.flags & PV_VAL_NULL) ? *pv_get_null_str() : v.rs;
		return 0;
	}
	return fixup_get_svalue(msg, gp, out);
}

static int w_cpm_pf_devices_user(sip_msg_t *msg, char *p1, char *p2)
{
	str svc, user;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &svc) < 0
			|| get_svalue_pv(msg, (gparam_t *)p2, &user) < 0) {
		LM_ERR("cannot get the service name or the user\n");
		return -3;
	}
	return ki_cpm_pf_devices_user(msg, &svc, &user);
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

static int w_cpm_pf_tel_to_user(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_tel_to_user(msg);
}

static int w_cpm_pf_send_to_isf(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_send_to_isf(msg);
}

static int w_cpm_pf_isf_reply(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_isf_reply(msg);
}

/* ---- concern: originator / privacy / pager size: typed functions ---- */

static int ki_cpm_pf_orig(sip_msg_t *msg, str *auth_user, int trusted_source)
{
	return cpmpf_orig(msg, auth_user, trusted_source, 1);
}

static int ki_cpm_pf_term(sip_msg_t *msg, int trusted_next_hop)
{
	return cpmpf_term(msg, trusted_next_hop);
}

static int ki_cpm_pf_check_size(sip_msg_t *msg)
{
	return cpmpf_check_size(msg, max_pager_size);
}

/* auth_user: a PV (e.g. $avp(cpm_auth_user)), so that an unset one reads
 * as no user (a string with variables would print "<null>");
 * trusted_source: an int or a PV */
static int fixup_cpm_pf_orig(void **param, int param_no)
{
	if(param_no == 1)
		return fixup_pvar_null(param, 1);
	if(param_no == 2)
		return fixup_igp_null(param, 1);
	return 0;
}

static int fixup_free_cpm_pf_orig(void **param, int param_no)
{
	if(param_no == 1)
		return fixup_free_pvar_null(param, 1);
	if(param_no == 2)
		return fixup_free_igp_null(param, 1);
	return 0;
}

static int w_cpm_pf_orig(sip_msg_t *msg, char *au, char *trusted)
{
	pv_value_t v;
	str s = STR_NULL;
	int t = 0;

	if(get_int_fparam(&t, msg, (fparam_t *)trusted) < 0)
		t = 0;
	/* the authenticated user counts only for a request from an untrusted
	 * source (cpmpf_orig()): not read otherwise */
	memset(&v, 0, sizeof(v));
	if(!t && pv_get_spec_value(msg, (pv_spec_t *)au, &v) == 0
			&& (v.flags & PV_VAL_STR) && !(v.flags & PV_VAL_NULL))
		s = v.rs;
	return ki_cpm_pf_orig(msg, &s, t);
}

static int w_cpm_pf_term(sip_msg_t *msg, char *trusted, char *p2)
{
	int t = 0;

	if(get_int_fparam(&t, msg, (fparam_t *)trusted) < 0)
		t = 0;
	return ki_cpm_pf_term(msg, t);
}

static int w_cpm_pf_check_size(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_check_size(msg);
}

/* ---- deferred delivery (seed 4.1): thin wrappers over cpmpf_store.c ---- */
static int w_cpm_pf_store(sip_msg_t *msg, char *p1, char *p2)
{
	str user, route;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &user) < 0
			|| fixup_get_svalue(msg, (gparam_t *)p2, &route) < 0) {
		LM_ERR("cpm_pf_store(): cannot evaluate the parameters\n");
		return -1;
	}
	return ki_cpm_pf_store(msg, &user, &route);
}

static int w_cpm_pf_stored(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_stored(msg);
}

static int w_cpm_pf_store_retrans(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_store_retrans(msg);
}

static int w_cpm_pf_deliver_pending(sip_msg_t *msg, char *p1, char *p2)
{
	str user;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &user) < 0) {
		LM_ERR("cpm_pf_deliver_pending(): cannot evaluate the user\n");
		return -1;
	}
	return ki_cpm_pf_deliver_pending(msg, &user);
}

/* ---- disposition notifications (IMDN): thin wrapper over cpmpf_imdn.c -- */
static int w_cpm_pf_check_cpim(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_cpm_pf_check_cpim(msg);
}

/* ---- recording (seed 4.1): thin wrapper over cpmpf_record.c ---- */
static int w_cpm_pf_record(sip_msg_t *msg, char *p1, char *p2)
{
	str role;

	if(fixup_get_svalue(msg, (gparam_t *)p1, &role) < 0) {
		LM_ERR("cpm_pf_record(): cannot evaluate the role\n");
		return -1;
	}
	return ki_cpm_pf_record(msg, &role);
}

/* ---- one call per role for a MESSAGE: typed functions, wrappers ---- */
static int ki_cpm_pf_message_orig(
		sip_msg_t *msg, str *auth_user, int trusted_source)
{
	return cpmpf_message_orig(msg, auth_user, trusted_source, max_pager_size);
}

static int ki_cpm_pf_message_term(sip_msg_t *msg, int trusted_next_hop)
{
	return cpmpf_message_term(msg, trusted_next_hop, max_pager_size);
}

static int w_cpm_pf_message_orig(sip_msg_t *msg, char *au, char *trusted)
{
	pv_value_t v;
	str s = STR_NULL;
	int t = 0;

	if(get_int_fparam(&t, msg, (fparam_t *)trusted) < 0)
		t = 0;
	/* the authenticated user counts only for a request from an untrusted
	 * source (cpmpf_orig()): not read otherwise */
	memset(&v, 0, sizeof(v));
	if(!t && pv_get_spec_value(msg, (pv_spec_t *)au, &v) == 0
			&& (v.flags & PV_VAL_STR) && !(v.flags & PV_VAL_NULL))
		s = v.rs;
	return ki_cpm_pf_message_orig(msg, &s, t);
}

/* the one-parameter form: trusted when the request carries trusted_flag
 * (a flag test in the module instead of an `if (isflagset())` around two
 * calls in the script) */
static int w_cpm_pf_message_orig_flag(sip_msg_t *msg, char *au, char *p2)
{
	pv_value_t v;
	str s = STR_NULL;
	int t;

	t = trusted_flag >= 0 && isflagset(msg, (flag_t)trusted_flag) == 1;
	memset(&v, 0, sizeof(v));
	if(!t && pv_get_spec_value(msg, (pv_spec_t *)au, &v) == 0
			&& (v.flags & PV_VAL_STR) && !(v.flags & PV_VAL_NULL))
		s = v.rs;
	return ki_cpm_pf_message_orig(msg, &s, t);
}

static int w_cpm_pf_message_term(sip_msg_t *msg, char *trusted, char *p2)
{
	int t = 0;

	if(get_int_fparam(&t, msg, (fparam_t *)trusted) < 0)
		t = 0;
	return ki_cpm_pf_message_term(msg, t);
}

/* ---- KEMI ---- */

/* clang-format off */
static sr_kemi_t sr_kemi_cpm_pf_exports[] = {
	/* concern: originator / privacy / pager size */
	{ str_init("cpm_pf"), str_init("orig"),
		SR_KEMIP_INT, ki_cpm_pf_orig,
		{ SR_KEMIP_STR, SR_KEMIP_INT, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("term"),
		SR_KEMIP_INT, ki_cpm_pf_term,
		{ SR_KEMIP_INT, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("check_size"),
		SR_KEMIP_INT, ki_cpm_pf_check_size,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
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
	{ str_init("cpm_pf"), str_init("devices_user"),
		SR_KEMIP_INT, ki_cpm_pf_devices_user,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
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
	{ str_init("cpm_pf"), str_init("tel_to_user"),
		SR_KEMIP_INT, ki_cpm_pf_tel_to_user,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("send_to_isf"),
		SR_KEMIP_INT, ki_cpm_pf_send_to_isf,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* registration: third-party REGISTER, reginfo (seed 4.1) */
	{ str_init("cpm_pf"), str_init("third_party_register"),
		SR_KEMIP_INT, ki_cpm_pf_third_party_register,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("reginfo_notify"),
		SR_KEMIP_INT, ki_cpm_pf_reginfo_notify,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("reg_subscribe"),
		SR_KEMIP_INT, ki_cpm_pf_reg_subscribe,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("isf_reply"),
		SR_KEMIP_INT, ki_cpm_pf_isf_reply,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* deferred delivery (seed 4.1) */
	{ str_init("cpm_pf"), str_init("store"),
		SR_KEMIP_INT, ki_cpm_pf_store,
		{ SR_KEMIP_STR, SR_KEMIP_STR, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("stored"),
		SR_KEMIP_INT, ki_cpm_pf_stored,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("store_retrans"),
		SR_KEMIP_INT, ki_cpm_pf_store_retrans,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("deliver_pending"),
		SR_KEMIP_INT, ki_cpm_pf_deliver_pending,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* disposition notifications (IMDN) */
	{ str_init("cpm_pf"), str_init("check_cpim"),
		SR_KEMIP_INT, ki_cpm_pf_check_cpim,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* recording (seed 4.1) */
	{ str_init("cpm_pf"), str_init("record"),
		SR_KEMIP_INT, ki_cpm_pf_record,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	/* one call per role for a MESSAGE */
	{ str_init("cpm_pf"), str_init("message_orig"),
		SR_KEMIP_INT, ki_cpm_pf_message_orig,
		{ SR_KEMIP_STR, SR_KEMIP_INT, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_pf"), str_init("message_term"),
		SR_KEMIP_INT, ki_cpm_pf_message_term,
		{ SR_KEMIP_INT, SR_KEMIP_NONE, SR_KEMIP_NONE,
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
