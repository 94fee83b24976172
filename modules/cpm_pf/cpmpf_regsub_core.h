/*
 * cpm_pf: the reg-event subscription's life (RFC 6665; RFC 3680; 3GPP TS
 * 24.229 5.7.1.4), pure code: the Subscription-State header of a NOTIFY,
 * when to refresh, whether (and when) to subscribe again after
 * `terminated`.  No struct sip_msg.
 */
#ifndef CPMPF_REGSUB_CORE_H
#define CPMPF_REGSUB_CORE_H

#include "core/str.h"

typedef enum cpmpf_ss_state {
	CPMPF_SS_OTHER = 0, /* extension-substate */
	CPMPF_SS_ACTIVE,
	CPMPF_SS_PENDING,
	CPMPF_SS_TERMINATED
} cpmpf_ss_state_t;

typedef enum cpmpf_ss_reason {
	CPMPF_SR_NONE = 0, /* no reason parameter */
	CPMPF_SR_OTHER,	   /* event-reason-extension */
	CPMPF_SR_DEACTIVATED,
	CPMPF_SR_PROBATION,
	CPMPF_SR_REJECTED,
	CPMPF_SR_TIMEOUT,
	CPMPF_SR_GIVEUP,
	CPMPF_SR_NORESOURCE,
	CPMPF_SR_INVARIANT
} cpmpf_ss_reason_t;

typedef struct cpmpf_substate {
	cpmpf_ss_state_t state;
	str state_tok;	 /* the substate-value as received */
	cpmpf_ss_reason_t reason;
	str reason_tok;	 /* the reason value as received, empty when none */
	long expires;	 /* -1: no expires parameter */
	long retry_after; /* -1: no retry-after parameter */
} cpmpf_substate_t;

/* One Subscription-State header body (ABNF in cpmpf_regsub_core.c); the
 * str fields point into s.  0, or -EINVAL when malformed. */
int cpmpf_substate_parse(const char *s, int len, cpmpf_substate_t *out);

/* printer paired with the parser: substate-value, then ;reason=,
 * ;expires=, ;retry-after= when set; NUL-terminated.  The length, or
 * -ENOSPC / -EINVAL. */
int cpmpf_substate_print(const cpmpf_substate_t *ss, char *buf, int size);

/* RFC 6665 4.1.3, after a NOTIFY with Subscription-State: terminated:
 * seconds to wait before a new SUBSCRIBE (0: at once), or -1: never.
 *   deactivated, timeout, no reason or an unknown one: at once;
 *   probation, giveup: after retry-after, else `later` seconds (probation:
 *     "at some later time"; giveup: "MAY retry immediately", but "will
 *     likely get put back into pending state", so also later);
 *   rejected, noresource, invariant: never.
 * A state other than terminated: -1 (nothing ends). */
long cpmpf_substate_resubscribe(const cpmpf_substate_t *ss, long later);

/* seconds after a 2xx granting `expires` seconds when the refresh goes:
 * half of it (RFC 6665 leaves the margin to the subscriber; half covers
 * tm's 32 s of retransmissions for any expiry above a minute), at least
 * 1 s; 0 for expires 0 */
unsigned int cpmpf_sub_refresh_in(unsigned int expires);

#endif
