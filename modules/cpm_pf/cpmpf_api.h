/*
 * cpm_pf: the bind function of its C API (api.h), exported as
 * "bind_cpm_pf" by cpm_pf_mod.c.
 */
#ifndef CPMPF_API_H
#define CPMPF_API_H

#include "api.h"

int cpmpf_bind_api(cpm_pf_api_t *api);

#endif
