/*
 * cpm_warning: OMA CPM Warning header in error responses (seed 6.4:
 * warn-code 399, optional host name, "<xxx> <explanatory text>" from
 * Table 1, language chosen from the request's Accept-Language).
 *
 * This file holds only the export tables, the module life cycle and thin
 * w_* wrappers over the typed ki_* functions (also exported to KEMI).  The
 * pure code is in cpm_warn.c, the sip_msg glue in cpm_warn_reply.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/mod_fix.h"
#include "core/pvar.h"
#include "core/ut.h"
#include "core/trim.h"
#include "core/kemi.h"
#include "core/rpc.h"
#include "core/rpc_lookup.h"
#include "core/counters.h"
#include "core/str.h"

#include "cpm_warn.h"
#include "cpm_warn_reply.h"
#include "api.h"

MODULE_VERSION

/* module parameters */
str cpmw_warning_host = STR_NULL;
str cpmw_default_language = str_init("en");
static str cpmw_translations = STR_NULL;

/* translations: read-only after mod_init (see docs/cpm_warning.md) */
cpmw_catalog_t *cpmw_catalog = NULL;

stat_var *cpmw_stat_sent = NULL;

static int mod_init(void);
static void mod_destroy(void);
static int w_cpm_warning_reply(struct sip_msg *msg, char *p1, char *p2);
static int w_cpm_warning_reply3(
		struct sip_msg *msg, char *p1, char *p2, char *p3);
static int w_cpm_warning_header(struct sip_msg *msg, char *p1, char *p2);
static int fixup_cpmw(void **param, int param_no);
static int fixup_free_cpmw(void **param, int param_no);
static int fixup_cpmw_code(void **param, int param_no);
static int fixup_free_cpmw_code(void **param, int param_no);
static int bind_cpm_warning(cpm_warning_api_t *api);
static void cpmw_rpc_list(rpc_t *rpc, void *ctx);

/* clang-format off */
static cmd_export_t cmds[] = {
	{"cpm_warning_reply", (cmd_function)w_cpm_warning_reply, 2,
		fixup_cpmw, fixup_free_cpmw, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_warning_reply", (cmd_function)w_cpm_warning_reply3, 3,
		fixup_cpmw, fixup_free_cpmw, REQUEST_ROUTE | FAILURE_ROUTE},
	{"cpm_warning_header", (cmd_function)w_cpm_warning_header, 1,
		fixup_cpmw_code, fixup_free_cpmw_code, REQUEST_ROUTE | FAILURE_ROUTE},
	{"bind_cpm_warning", (cmd_function)bind_cpm_warning, 0, 0, 0, 0},
	{0, 0, 0, 0, 0, 0}
};

static param_export_t params[] = {
	{"warning_host",     PARAM_STR, &cpmw_warning_host},
	{"default_language", PARAM_STR, &cpmw_default_language},
	{"translations",     PARAM_STR, &cpmw_translations},
	{0, 0, 0}
};

static stat_export_t cpmw_stats[] = {
	{"sent", 0, &cpmw_stat_sent},
	{0, 0, 0}
};

static const char *cpmw_rpc_list_doc[2] = {
	"List the seed Table 1 warn codes with their text in every loaded language",
	0
};

static rpc_export_t cpmw_rpc[] = {
	{"cpm_warning.list", cpmw_rpc_list, cpmw_rpc_list_doc, 0},
	{0, 0, 0, 0}
};

struct module_exports exports = {
	"cpm_warning",   /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	cmds,            /* exported functions */
	params,          /* exported parameters */
	cpmw_rpc,        /* RPC method exports */
	0,               /* exported pseudo-variables */
	0,               /* response handling function */
	mod_init,        /* module initialization function */
	0,               /* per-child init function */
	mod_destroy      /* module destroy function */
};
/* clang-format on */

static int mod_init(void)
{
	cpmw_err_t err;
	char path[PATH_MAX];
	int ret;

	if(cpmw_warning_host.len > 0 && cpmw_host_valid(&cpmw_warning_host) < 0) {
		LM_ERR("warning_host [%.*s] is not a valid hostport or token\n",
				cpmw_warning_host.len, cpmw_warning_host.s);
		return -1;
	}
	if(cpmw_translations.len > 0) {
		if(cpmw_translations.len >= (int)sizeof(path)) {
			LM_ERR("translations path too long\n");
			return -1;
		}
		snprintf(path, sizeof(path), "%.*s", cpmw_translations.len,
				cpmw_translations.s);
		memset(&err, 0, sizeof(err));
		ret = cpmw_catalog_load(&cpmw_catalog, path, &err);
		if(ret < 0) {
			LM_ERR("%s:%d: %s (%d)\n", path, err.line, err.msg, ret);
			return -1;
		}
		LM_INFO("%s: %d language(s) loaded besides built-in en\n", path,
				cpmw_catalog->nlangs);
	}
	if(cpmw_default_language.len <= 0
			|| cpmw_lang_tag_valid(&cpmw_default_language) < 0) {
		LM_ERR("default_language [%.*s] is not a language tag\n",
				cpmw_default_language.len, cpmw_default_language.s);
		return -1;
	}
	if(!(cpmw_default_language.len == 2
			   && strncasecmp(cpmw_default_language.s, "en", 2) == 0)
			&& cpmw_catalog_find(cpmw_catalog, &cpmw_default_language) < 0) {
		LM_ERR("default_language [%.*s] is neither en nor loaded from the "
			   "translations file\n",
				cpmw_default_language.len, cpmw_default_language.s);
		return -1;
	}
	if(cpmw_reply_init() < 0)
		return -1;
	if(register_module_stats(exports.name, cpmw_stats) != 0) {
		LM_ERR("cannot register statistics\n");
		return -1;
	}
	return 0;
}

static void mod_destroy(void)
{
	cpmw_catalog_free(cpmw_catalog);
	cpmw_catalog = NULL;
}

/* ---- typed functions (script wrappers and KEMI) ------------------------ */

static int ki_cpm_warning_reply(struct sip_msg *msg, int status, int code)
{
	return cpmw_reply(msg, status, NULL, code);
}

static int ki_cpm_warning_reply_reason(
		struct sip_msg *msg, int status, int code, str *reason)
{
	return cpmw_reply(msg, status, reason, code);
}

static int ki_cpm_warning_header(struct sip_msg *msg, int code)
{
	return cpmw_append_header(msg, code);
}

/* ---- fixups ------------------------------------------------------------ */

/* constants are checked here (start-up error); pvs at run time */
static int fixup_cpmw_int(void **param, int param_no)
{
	fparam_t *fp;

	if(fixup_igp_null(param, 1) < 0)
		return E_CFG;
	fp = (fparam_t *)*param;
	if(fp->type != FPARAM_INT)
		return 0;
	if(param_no == 1 && (fp->v.i < 400 || fp->v.i > 699)) {
		LM_ERR("cpm_warning: status %d out of range 400..699 (seed 6.4.1: error responses only)\n", fp->v.i);
		return E_CFG;
	}
	if(param_no == 2 && cpmw_code_index(fp->v.i) < 0) {
		LM_ERR("cpm_warning: warn code %d is not in seed Table 1\n", fp->v.i);
		return E_CFG;
	}
	return 0;
}

static int fixup_cpmw(void **param, int param_no)
{
	if(param_no == 1 || param_no == 2)
		return fixup_cpmw_int(param, param_no);
	if(param_no == 3)
		return fixup_spve_null(param, 1);
	return E_UNSPEC;
}

static int fixup_free_cpmw(void **param, int param_no)
{
	if(param_no == 1 || param_no == 2)
		return fixup_free_igp_null(param, 1);
	if(param_no == 3)
		return fixup_free_spve_null(param, 1);
	return E_UNSPEC;
}

static int fixup_cpmw_code(void **param, int param_no)
{
	return (param_no == 1) ? fixup_cpmw_int(param, 2) : E_UNSPEC;
}

static int fixup_free_cpmw_code(void **param, int param_no)
{
	return (param_no == 1) ? fixup_free_igp_null(param, 1) : E_UNSPEC;
}

/* an int parameter: constant, or a pv holding an int or a decimal string
 * (e.g. "$(rU{s.select,1,-})") */
static int cpmw_get_int(struct sip_msg *msg, fparam_t *fp, int *v,
		const char *what)
{
	pv_value_t val;
	str s;

	if(fp->type != FPARAM_PVS)
		return get_int_fparam(v, msg, fp);
	memset(&val, 0, sizeof(val));
	if(pv_get_spec_value(msg, fp->v.pvs, &val) != 0
			|| (val.flags & PV_VAL_NULL)) {
		LM_ERR("cannot get %s from [%s]\n", what, fp->orig);
		return -1;
	}
	if(val.flags & PV_VAL_INT) {
		*v = val.ri;
		return 0;
	}
	s = val.rs;
	trim(&s);
	if(s.len <= 0 || s.len > 10 || str2sint(&s, v) < 0) {
		LM_ERR("%s from [%s] is not a number: [%.*s]\n", what, fp->orig,
				val.rs.len, val.rs.s);
		return -1;
	}
	return 0;
}

/* ---- script wrappers --------------------------------------------------- */

static int w_cpm_warning_reply3(
		struct sip_msg *msg, char *p1, char *p2, char *p3)
{
	int status, code;
	str reason = STR_NULL;

	if(cpmw_get_int(msg, (fparam_t *)p1, &status, "status") < 0
			|| cpmw_get_int(msg, (fparam_t *)p2, &code, "warn code") < 0)
		return -1;
	if(p3 != NULL && fixup_get_svalue(msg, (gparam_t *)p3, &reason) < 0) {
		LM_ERR("cannot get the reason phrase\n");
		return -1;
	}
	return ki_cpm_warning_reply_reason(msg, status, code, &reason);
}

static int w_cpm_warning_reply(struct sip_msg *msg, char *p1, char *p2)
{
	return w_cpm_warning_reply3(msg, p1, p2, NULL);
}

static int w_cpm_warning_header(struct sip_msg *msg, char *p1, char *p2)
{
	int code;

	if(cpmw_get_int(msg, (fparam_t *)p1, &code, "warn code") < 0)
		return -1;
	return ki_cpm_warning_header(msg, code);
}

/* ---- C API --------------------------------------------------------------- */

static int bind_cpm_warning(cpm_warning_api_t *api)
{
	if(api == NULL) {
		LM_ERR("invalid parameter\n");
		return -1;
	}
	api->reply = cpmw_reply;
	api->reply_lang = cpmw_reply_al;
	api->header = cpmw_header;
	return 0;
}

/* ---- RPC --------------------------------------------------------------- */

static void cpmw_rpc_list(rpc_t *rpc, void *ctx)
{
	void *th, *ah, *ch;
	char tag[CPMW_TAG_MAX + 1];
	str langs;
	char lbuf[CPMW_MAX_LANGS * (CPMW_TAG_MAX + 1) + 4];
	int i, j, code, pos;

	/* lbuf holds "en" and CPMW_MAX_LANGS tags of CPMW_TAG_MAX; still, never
	 * append past its end */
	pos = snprintf(lbuf, sizeof(lbuf), "en");
	for(j = 0; cpmw_catalog != NULL && j < cpmw_catalog->nlangs
			   && pos < (int)sizeof(lbuf);
			j++)
		pos += snprintf(lbuf + pos, sizeof(lbuf) - pos, " %.*s",
				cpmw_catalog->lang[j].tag.len, cpmw_catalog->lang[j].tag.s);
	if(pos >= (int)sizeof(lbuf))
		pos = (int)sizeof(lbuf) - 1;
	langs.s = lbuf;
	langs.len = pos;

	if(rpc->add(ctx, "{", &th) < 0) {
		rpc->fault(ctx, 500, "Internal error creating the reply");
		return;
	}
	if(rpc->struct_add(th, "SS[", "default_language", &cpmw_default_language,
			   "languages", &langs, "codes", &ah)
			< 0) {
		rpc->fault(ctx, 500, "Internal error creating the reply");
		return;
	}
	for(i = 0; i < CPMW_NCODES; i++) {
		code = cpmw_code_at(i);
		if(rpc->array_add(ah, "{", &ch) < 0
				|| rpc->struct_add(ch, "dS", "code", code, "en",
						   cpmw_code_text_en(code))
						   < 0) {
			rpc->fault(ctx, 500, "Internal error creating the reply");
			return;
		}
		for(j = 0; cpmw_catalog != NULL && j < cpmw_catalog->nlangs; j++) {
			if(cpmw_catalog->lang[j].text[i].s == NULL)
				continue;
			snprintf(tag, sizeof(tag), "%.*s", cpmw_catalog->lang[j].tag.len,
					cpmw_catalog->lang[j].tag.s);
			if(rpc->struct_add(ch, "S", tag, &cpmw_catalog->lang[j].text[i])
					< 0) {
				rpc->fault(ctx, 500, "Internal error creating the reply");
				return;
			}
		}
	}
}

/* ---- KEMI -------------------------------------------------------------- */

/* clang-format off */
static sr_kemi_t sr_kemi_cpm_warning_exports[] = {
	{ str_init("cpm_warning"), str_init("reply"),
		SR_KEMIP_INT, ki_cpm_warning_reply,
		{ SR_KEMIP_INT, SR_KEMIP_INT, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_warning"), str_init("reply_reason"),
		SR_KEMIP_INT, ki_cpm_warning_reply_reason,
		{ SR_KEMIP_INT, SR_KEMIP_INT, SR_KEMIP_STR,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("cpm_warning"), str_init("header"),
		SR_KEMIP_INT, ki_cpm_warning_header,
		{ SR_KEMIP_INT, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},

	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_cpm_warning_exports);
	return 0;
}
