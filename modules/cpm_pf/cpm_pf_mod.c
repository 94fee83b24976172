/*
 * cpm_pf: OMA CPM Participating Function (seed sections 6.1, 6.3, 6.5).
 *
 * Skeleton: loads and initialises so the default routing script can load
 * the complete module set.  The originating and terminating procedures land
 * in later issues, behind functions exported here.
 */
#include "core/sr_module.h"
#include "core/dprint.h"

#include "../cpm_warning/api.h"
#include "../cpm_headers/api.h"

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
	return 0;
}

struct module_exports exports = {
	"cpm_pf",        /* module name */
	DEFAULT_DLFLAGS, /* dlopen flags */
	0,               /* exported functions */
	0,               /* exported parameters */
	0,               /* RPC method exports */
	0,               /* exported pseudo-variables */
	0,               /* response handling function */
	mod_init,        /* module initialization function */
	0,               /* per-child init function */
	0                /* module destroy function */
};
