/*
 * cpm_headers: CPM service detection from feature tags / service URNs.
 * Pure string matching on header bodies (no struct sip_msg).
 */
#ifndef CPMH_SERVICE_H
#define CPMH_SERVICE_H

#include "core/str.h"

typedef enum cpmh_service {
	CPMH_SVC_NONE = -1,
	CPMH_SVC_MSG = 0,
	CPMH_SVC_LARGEMSG,
	CPMH_SVC_SESSION,
	CPMH_SVC_FILETRANSFER,
	CPMH_SVC_DEFERRED,
	CPMH_SVC_SIPIM,
	/* issue 7 (cpm_cf): the group and system services; appended so the
	 * values above (cpm_pf's branch-flag layout) keep their place */
	CPMH_SVC_MSG_GROUP,     /* "msg.group": group standalone message */
	CPMH_SVC_SESSION_GROUP, /* "session.group": group session */
	CPMH_SVC_SYSTEMMSG,     /* "systemmsg": system message */
	CPMH_SVC_COUNT
} cpmh_service_t;

#define CPMH_SVC_BIT(s) (1u << (s))

/* which header a body comes from: decides what is scanned */
typedef enum cpmh_svc_hdr {
	CPMH_SVC_HDR_ACCEPT_CONTACT = 0, /* +g.3gpp.icsi-ref and +g.oma.sip-im */
	CPMH_SVC_HDR_CONTACT,            /* +g.3gpp.icsi-ref and +g.oma.sip-im */
	CPMH_SVC_HDR_SERVICE,            /* P-Preferred/P-Asserted-Service: URNs */
	CPMH_SVC_HDR_REQUIRE             /* Require: recipient-list-* option tags */
} cpmh_svc_hdr_t;

/* script name ("msg", "largemsg", "session", "filetransfer", "deferred",
 * "sip-im", "msg.group", "session.group", "systemmsg") -> service; 0 or
 * -ENOENT / -EINVAL */
int cpmh_service_from_name(const str *name, cpmh_service_t *svc);

/* service -> script name, NULL for an invalid value */
const str *cpmh_service_name(cpmh_service_t svc);

/* bit mask (CPMH_SVC_BIT) of the services found in one header body */
unsigned int cpmh_service_scan(const str *body, cpmh_svc_hdr_t kind);

/* the highest-priority service in a mask (session.group, session,
 * filetransfer, largemsg, deferred, msg.group, msg, systemmsg, sip-im) or
 * CPMH_SVC_NONE */
cpmh_service_t cpmh_service_pick(unsigned int mask);

/* 1 if name is P-Preferred-Service / P-Asserted-Service (case-insensitive),
 * 0 otherwise */
int cpmh_service_is_service_hdr(const str *name);

#endif
