/*
 * cpm_cf: OMA CPM Controlling Function, the conference focus (seed sections 5.2, 6.3).
 *
 * Skeleton: loads and initialises so the default routing script can load
 * the complete module set.  The originating and terminating procedures land
 * in later issues, behind functions exported here.
 */
#include "core/sr_module.h"
#include "core/dprint.h"

MODULE_VERSION

static int mod_init(void)
{
	LM_DBG("cpm_cf initialised\n");
	return 0;
}

struct module_exports exports = {
	"cpm_cf",        /* module name */
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
