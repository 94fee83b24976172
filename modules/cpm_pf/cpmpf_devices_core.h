/*
 * cpm_pf: which registered device supports which CPM service (seed 4.1,
 * "multiple device environment").  Pure code (no struct sip_msg).
 *
 * usrloc keeps a contact's URI, +sip.instance and flags, but not the
 * feature tags of the REGISTER's Contact header.  cpm_pf_reg_tags() scans
 * those tags at REGISTER time and stores the result in branch flags, which
 * registrar saves as the contact's cflags and lookup() restores on each
 * branch (and usrloc writes to the database: the tags survive a restart).
 *
 * Branch flag layout, from the module parameter reg_bflag_base B:
 *   B + 0        the REGISTER carried at least one CPM feature tag
 *                (+g.3gpp.icsi-ref with an oma.cpm ICSI, or +g.oma.sip-im)
 *   B + 1 + svc  the tags name service svc (cpmh_service_t)
 *
 * Delivery rule (docs/cpm_pf.md "Every device"):
 *   - a device without any CPM feature tag is a plain SIP client (Linphone):
 *     it gets Pager Mode messages ("msg", and "sip-im"), nothing else;
 *   - a device with CPM tags gets only the services it lists; "msg" also
 *     goes to a device that lists +g.oma.sip-im (RCS 5.x clients register
 *     that tag for messaging, client-dialects.md).
 */
#ifndef CPMPF_DEVICES_CORE_H
#define CPMPF_DEVICES_CORE_H

#include "core/str.h"
#include "../cpm_headers/cpmh_service.h"

/* number of branch flags the layout uses */
#define CPMPF_DEV_NFLAGS (1 + CPMH_SVC_COUNT)

/* highest valid base: every flag must fit in the 32 branch flags */
#define CPMPF_DEV_BASE_MAX (32 - CPMPF_DEV_NFLAGS)

/* every flag bit of the layout at base (to clear them before setting) */
unsigned int cpmpf_dev_flags_all(int base);

/* the flags for a REGISTER whose Contact feature tags gave svc_mask
 * (CPMH_SVC_BIT mask); 0 for a mask without CPM service */
unsigned int cpmpf_dev_flags_from_mask(unsigned int svc_mask, int base);

/* the CPMH_SVC_BIT mask the flags hold; *tagged = 1 if the device
 * registered CPM tags (tagged may be NULL) */
unsigned int cpmpf_dev_mask_from_flags(unsigned int flags, int base,
		int *tagged);

/* 1 if a device with these branch flags takes service svc, else 0 */
int cpmpf_dev_supports(unsigned int flags, int base, cpmh_service_t svc);

/* +sip.instance values equal?  The enclosing <> and "" (RFC 5626 4.1:
 * +sip.instance="<urn:uuid:...>") are ignored on both sides, the URN is
 * compared case-insensitively (RFC 8141 3.1 is stricter; devices echo the
 * same string anyway).  1 equal, 0 not (empty never equals). */
int cpmpf_instance_eq(const str *a, const str *b);

/* the instance without <> and "" around it (points into in) */
void cpmpf_instance_bare(const str *in, str *out);

#endif
