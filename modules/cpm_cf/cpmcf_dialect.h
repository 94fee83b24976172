/*
 * cpm_cf glue: the invitee's header dialect from its registered contacts
 * (usrloc, in memory) and the originator's identities (cpm_pf's cache),
 * both read through the modules' C APIs bound in mod_init.
 */
#ifndef CPMCF_DIALECT_H
#define CPMCF_DIALECT_H

#include "core/str.h"
#include "../cpm_pf/api.h"
#include "cpmcf_dialect_core.h"

/* mod_init: binds usrloc ("location") and cpm_pf when loaded; without
 * them every invitation keeps the initiator's dialect and Referred-By
 * one URI.  0, or -1 (usrloc loaded but its domain cannot be bound) */
int cpmcf_dialect_init(void);

/* the dialect (CPMCF_DIALECT_RCS / _UP) of the invitation to uri (SIP or
 * TEL URI): the registered contacts' (cpmcf_dialect_pick), else
 * initiator.  Takes usrloc's lock for the copy, no other lock held. */
unsigned int cpmcf_invitee_dialect(const str *uri, unsigned int initiator);

/* seed 6.1: the SIP and TEL URI of the served user owning uri; 0 (some
 * length may be 0), -1 when unknown (no cpm_pf, or no owner) */
int cpmcf_originator_ids(const str *uri, cpm_pf_ids_t *ids);

/* seed 6.1: the Referred-By value for referrer uri, with both its SIP and
 * TEL URI when cpm_pf knows them (cpmcf_referred_by_print); the length,
 * or a negative errno */
int cpmcf_referred_by(const str *uri, char *buf, int size);

#endif
