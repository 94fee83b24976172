/*
 * cpm_pf glue shared by the concerns that read a request: the bound
 * cpm_headers C API (seed 5.3 identifiers, service detection) and the CPM
 * identifiers as the message carries them.
 */
#ifndef CPMPF_MSG_H
#define CPMPF_MSG_H

#include "core/parser/msg_parser.h"
#include "../cpm_headers/api.h"

/* bound in mod_init (cpm_headers must be loaded before cpm_pf) */
extern cpm_headers_api_t cpmpf_cpmh;

/* the valid single value of a CPM identifier header of msg (its headers
 * and the lumps cpm_add_ids() put there), or the empty string when it is
 * absent or malformed; out points into msg */
void cpmpf_cpm_id(sip_msg_t *msg, cpmh_id_t id, str *out);

#endif
