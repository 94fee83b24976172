/*
 * cpm_pf disposition notifications: pure parts (cpmpf_imdn_core.h).
 */
#include <errno.h>
#include <stdio.h>

#include "cpmpf_imdn_core.h"

int cpmpf_imdn_permanent(int status)
{
	/* the device refuses this message itself, whenever it is tried again
	 * (docs/cpm_pf.md "Disposition notifications (IMDN)") */
	switch(status) {
		case 403:
		case 404:
		case 415:
		case 488:
		case 603:
			return 1;
		default:
			return 0;
	}
}

int cpmpf_imdn_new_msgid(char *buf, int size, long long t, unsigned int pid,
		unsigned int seq)
{
	int n;

	if(buf == NULL || size <= 0 || t < 0)
		return -EINVAL;
	n = snprintf(buf, size, "pf%llx-%x-%x", t, pid, seq);
	if(n < 0 || n >= size)
		return -ENOSPC;
	return n;
}
