/*
 * cpm_headers: CPM service detection from feature tags / service URNs.
 * Pure string matching on header bodies (no struct sip_msg).
 */
#ifndef CPM_SERVICE_H
#define CPM_SERVICE_H

#include "core/str.h"

typedef enum cpm_service {
	CPM_SVC_NONE = -1,
	CPM_SVC_MSG = 0,
	CPM_SVC_LARGEMSG,
	CPM_SVC_SESSION,
	CPM_SVC_FILETRANSFER,
	CPM_SVC_DEFERRED,
	CPM_SVC_SIPIM,
	CPM_SVC_COUNT
} cpm_service_t;

#define CPM_SVC_BIT(s) (1u << (s))

/* which header a body comes from: decides what is scanned */
typedef enum cpm_svc_hdr {
	CPM_SVC_HDR_ACCEPT_CONTACT = 0, /* +g.3gpp.icsi-ref and +g.oma.sip-im */
	CPM_SVC_HDR_CONTACT,            /* +g.3gpp.icsi-ref and +g.oma.sip-im */
	CPM_SVC_HDR_SERVICE             /* P-Preferred/P-Asserted-Service: URNs */
} cpm_svc_hdr_t;

/* script name ("msg", "largemsg", "session", "filetransfer", "deferred",
 * "sip-im") -> service; 0 or -ENOENT / -EINVAL */
int cpm_service_from_name(const str *name, cpm_service_t *svc);

/* service -> script name, NULL for an invalid value */
const str *cpm_service_name(cpm_service_t svc);

/* bit mask (CPM_SVC_BIT) of the services found in one header body */
unsigned int cpm_service_scan(const str *body, cpm_svc_hdr_t kind);

/* the highest-priority service in a mask (session, filetransfer, largemsg,
 * deferred, msg, sip-im) or CPM_SVC_NONE */
cpm_service_t cpm_service_pick(unsigned int mask);

/* 1 if name is P-Preferred-Service / P-Asserted-Service (case-insensitive),
 * 0 otherwise */
int cpm_service_is_service_hdr(const str *name);

#endif
