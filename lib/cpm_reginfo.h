/*
 * cpm_reginfo: Registration Event Information (RFC 3680 5.3/5.4, the
 * application/reginfo+xml body of a `reg` event NOTIFY) into a pure struct,
 * and its printer.  The PF learns the devices of a served user from it in
 * the IMS deployment (seed 4.1 "handling Registration Event Information";
 * 3GPP TS 24.229 5.7.1.4 lets an AS subscribe to the reg event).
 *
 * Schema (RFC 3680 5.4, reduced to what is read; ##other skipped):
 *   reginfo      = <reginfo xmlns="urn:ietf:params:xml:ns:reginfo"
 *                    version=nonNegativeInteger state="full"|"partial">
 *                    *registration </reginfo>
 *   registration = <registration aor=anyURI id=string
 *                    state="init"|"active"|"terminated"> *contact
 *                  </registration>
 *   contact      = <contact id=string state="active"|"terminated"
 *                    event="registered"|"created"|"refreshed"|"shortened"
 *                    |"expired"|"deactivated"|"probation"|"unregistered"
 *                    |"rejected" [expires=unsignedLong] [q=string]
 *                    [callid=string] [cseq=unsignedLong]
 *                    [duration-registered=unsignedLong] [retry-after=..]>
 *                    <uri>anyURI</uri> [<display-name>string</display-name>]
 *                    *<unknown-param name=string>string</unknown-param>
 *                  </contact>
 * Feature tags and +sip.instance arrive as unknown-param (RFC 3680 5.4,
 * RFC 5626 / 24.229 5.4.2.1.2): name "+sip.instance", value the quoted
 * "<urn:...>" of the REGISTER.  The GRUU extension (RFC 5628 gr:pub-gruu)
 * is another namespace and skipped.
 *
 * Through lib/cpm_xml (hardened: no DTD, no entities, size / depth /
 * element limits, root and namespace checked).  The text is copied into a
 * caller buffer, the tree freed: no libxml2 object escapes.  Errors:
 * -EINVAL, -EBADMSG (not valid reginfo), -ENOSPC, -E2BIG (more
 * registrations / contacts / params than the struct holds) and
 * cpm_xml_parse()'s codes (-EPERM DOCTYPE, -ENOMSG root / namespace, ...).
 */
#ifndef CPM_REGINFO_H
#define CPM_REGINFO_H

#include <errno.h>

#include "cpm_lex.h"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

#define CPM_REGINFO_XMLNS "urn:ietf:params:xml:ns:reginfo"
#define CPM_REGINFO_CONTENT_TYPE "application/reginfo+xml"

#define CPM_REGINFO_MAX_REGS 8
#define CPM_REGINFO_MAX_CONTACTS 32
#define CPM_REGINFO_MAX_PARAMS 8

typedef enum { CPM_RI_FULL = 1, CPM_RI_PARTIAL } cpm_ri_state_t;
typedef enum { CPM_RI_INIT = 1, CPM_RI_ACTIVE, CPM_RI_TERMINATED } cpm_ri_rstate_t;
typedef enum {
	CPM_RI_REGISTERED = 1, CPM_RI_CREATED, CPM_RI_REFRESHED, CPM_RI_SHORTENED,
	CPM_RI_EXPIRED, CPM_RI_DEACTIVATED, CPM_RI_PROBATION, CPM_RI_UNREGISTERED,
	CPM_RI_REJECTED
} cpm_ri_event_t;

typedef struct cpm_ri_param {
	cpm_str_t name;
	cpm_str_t value; /* len 0: a flag parameter */
} cpm_ri_param_t;

typedef struct cpm_ri_contact {
	cpm_str_t id;
	cpm_ri_rstate_t state; /* CPM_RI_ACTIVE or CPM_RI_TERMINATED */
	cpm_ri_event_t event;
	long expires;		   /* -1: absent */
	cpm_str_t callid;	  /* len 0: absent */
	long cseq;			   /* -1: absent */
	cpm_str_t uri;
	cpm_str_t instance; /* the +sip.instance unknown-param, len 0: none */
	int nparams;		/* every unknown-param, +sip.instance included */
	cpm_ri_param_t params[CPM_REGINFO_MAX_PARAMS];
} cpm_ri_contact_t;

typedef struct cpm_ri_reg {
	cpm_str_t aor;
	cpm_str_t id;
	cpm_ri_rstate_t state;
	int first;	/* index of its first contact in cpm_reginfo_t.contacts */
	int ncontacts;
} cpm_ri_reg_t;

typedef struct cpm_reginfo {
	unsigned long version;
	cpm_ri_state_t state;
	int nregs;
	cpm_ri_reg_t regs[CPM_REGINFO_MAX_REGS];
	int ncontacts;
	cpm_ri_contact_t contacts[CPM_REGINFO_MAX_CONTACTS];
} cpm_reginfo_t;

/* room in buf that always suffices for cpm_reginfo_parse() of len octets:
 * every copied text is at most as long as its source and each has an
 * attribute or tag of >= 3 octets around it for its NUL */
#define CPM_REGINFO_BUF_SIZE(len) ((len) + 16)

/* Parse an application/reginfo+xml body into *out, texts copied to buf.
 * 0 or a negative errno (above); *erroff (may be NULL) as cpm_xml_parse. */
int cpm_reginfo_parse(const char *s, int len, cpm_reginfo_t *out, char *buf,
		int size, int *erroff);

/* Printer: the XML of *in (attributes and text escaped); parse(print(x))
 * == x.  The length (NUL-terminated when room is left), -ENOSPC, -EINVAL
 * (a field with a CTL, or white space at either end of an element text). */
int cpm_reginfo_print(const cpm_reginfo_t *in, char *buf, int size);

/* names on the wire (NULL out of range) */
const char *cpm_reginfo_event_name(cpm_ri_event_t e);
const char *cpm_reginfo_rstate_name(cpm_ri_rstate_t s);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif
