/*
 * cpm_cf: import of OMA XDM shared-group documents (cpmcf_group.h).
 * Placeholder until lib/cpm_xdm (helper R) is merged: refuses.
 */
#include <errno.h>

#include "core/dprint.h"
#include "cpmcf_group.h"

int cpmcf_group_import_file(const char *path, int *ng, int *nm)
{
	LM_ERR("cannot import %s: this build has no XDM parser (lib/cpm_xdm)\n",
			path);
	return -1;
}
