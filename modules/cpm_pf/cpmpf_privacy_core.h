/*
 * cpm_pf privacy core (pure C, no struct sip_msg): the Privacy header of
 * RFC 3323 section 4.2 parsed into flags, printed back, and the rules that
 * decide what an anonymized request may still carry (seed 6.1, 6.3).
 */
#ifndef CPMPF_PRIVACY_CORE_H
#define CPMPF_PRIVACY_CORE_H

#include "core/str.h"

/* RFC 3323 4.2 / RFC 3325 9.3 priv-values */
#define CPMPF_PRIV_HEADER 0x01
#define CPMPF_PRIV_SESSION 0x02
#define CPMPF_PRIV_USER 0x04
#define CPMPF_PRIV_NONE 0x08
#define CPMPF_PRIV_CRITICAL 0x10
#define CPMPF_PRIV_ID 0x20
#define CPMPF_PRIV_OTHER 0x40 /* an extension token this code does not know */

/* the values that ask the PF to hide the originator from the recipient:
 * "id" (RFC 3325, seed 6.3), "header" and "user" (RFC 3323 5.1, 5.3) */
#define CPMPF_PRIV_ANON (CPMPF_PRIV_ID | CPMPF_PRIV_HEADER | CPMPF_PRIV_USER)

/* longest printed value: "header;session;user;id;critical" */
#define CPMPF_PRIV_PRINT_MAX 40

int cpmpf_privacy_parse(const char *s, int len, unsigned int *flags);
int cpmpf_privacy_print(unsigned int flags, char *buf, int size);
/* does the request ask for anonymity (flags after "none" is applied)? */
int cpmpf_privacy_anon(unsigned int flags);

/* The originator's identifying words: the user name, the user parts of its
 * SIP URIs, the digits of its TEL URIs.  A header value "leaks" when one of
 * them appears in it (case-insensitive; TEL digits compared without visual
 * separators). */
#define CPMPF_LEAK_MAX 8
typedef struct cpmpf_leak {
	str word[CPMPF_LEAK_MAX];
	int n;
} cpmpf_leak_t;

int cpmpf_leak_add(cpmpf_leak_t *l, const str *w);
int cpmpf_leaks(const cpmpf_leak_t *l, const char *s, int len);

/* The display name an anonymized From carries (seed 6.1/6.3: a Pseudonym or
 * "Anonymous"): the client's own display name (unquoted) when it gives one
 * that does not leak, else "Anonymous".  Writes the unquoted name to buf;
 * returns its length or a negative errno. */
int cpmpf_pseudonym(const cpmpf_leak_t *l, const str *display, char *buf,
		int size);

/* A Call-ID that leaks is replaced by "anon-" + 16 hex digits of a hash of
 * the original and a per-process secret: the same request (a retransmission)
 * gets the same replacement.  buf needs CPMPF_CALLID_LEN + 1 bytes. */
#define CPMPF_CALLID_LEN 21
int cpmpf_callid_anon(
		const char *s, int len, unsigned long long secret, char *buf, int size);

#endif
