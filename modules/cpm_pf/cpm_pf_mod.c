/*
 * cpm_pf: OMA CPM Participating Function (seed sections 6.1, 6.3, 6.5).
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
	LM_DBG("cpm_pf initialised\n");
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
