/*
 * cpm_pf interworking core (pure C): which Request-URIs name a TEL
 * identity (seed 6.5: "a TEL URI not provisioned" needs interworking), and
 * that identity in the normal form the identity table (cpm_identity,
 * cpmpf_identity_core.c) is keyed by.
 */
#ifndef CPMPF_ISF_CORE_H
#define CPMPF_ISF_CORE_H

#include "core/str.h"

/* 1 when u is a global number: "+" 1*(DIGIT / visual-separator) with at
 * least one digit (RFC 3966 global-number-digits, separators - . ( ) ) */
int cpmpf_is_global_number(const str *u);

/*
 * The TEL identity a Request-URI addresses, normalized as cpmpf_uri_norm()
 * does ("tel:" number without visual separators and parameters), written
 * NUL-terminated into buf.  A TEL target is:
 *   - a tel: URI (RFC 3966; is_tel set, user = its number),
 *   - a SIP URI with user=phone (RFC 3261 19.1.6; user_param = "phone"),
 *   - a SIP URI whose user part is a global number (IMS clients address
 *     numbers so, 3GPP TS 24.229 5.1.2A.1).
 * Returns the length, 0 when the URI is no TEL target, -EINVAL for a TEL
 * target whose number does not normalize, -ENOSPC when buf is too small.
 */
int cpmpf_tel_target(int is_tel, const str *user, const str *user_param,
		char *buf, int size);

#endif
