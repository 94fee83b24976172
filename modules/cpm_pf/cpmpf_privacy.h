/*
 * cpm_pf privacy glue (seed 6.1, 6.3; RFC 3323, RFC 3325): what an
 * anonymized request still carries, Referred-By with both URIs, and the
 * header lump helpers the originator steps share.
 */
#ifndef CPMPF_PRIVACY_H
#define CPMPF_PRIVACY_H

#include "core/parser/msg_parser.h"
#include "cpmpf_identity.h"

typedef struct cpmpf_privacy_who {
	str user; /* the served user (may be empty: a trusted peer's PAI) */
	str sip;  /* asserted SIP URI */
	str tel;  /* asserted TEL URI */
	str disp; /* unquoted display name the client gave (PPI, else From) */
	cpmpf_uids_t *ids;
} cpmpf_privacy_who_t;

int cpmpf_privacy_init(void);
int cpmpf_del_hdrs(struct sip_msg *msg, int type);
int cpmpf_add_hdr(struct sip_msg *msg, const char *line, int len);
int cpmpf_anonymize(struct sip_msg *msg, cpmpf_privacy_who_t *w);
int cpmpf_referred_by(struct sip_msg *msg, cpmpf_uids_t *ids, const char *sip,
		int sip_len, const char *tel, int tel_len);

#endif
