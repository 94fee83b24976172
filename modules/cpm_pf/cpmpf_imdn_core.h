/*
 * cpm_pf disposition notifications: pure parts (no struct sip_msg, no
 * database), unit-tested in tests/unit/test_cpmpf_imdn.c.
 */
#ifndef CPMPF_IMDN_CORE_H
#define CPMPF_IMDN_CORE_H

/* 1 for a final status by which a device refuses a message for good (the
 * PF then sends a negative-delivery IMDN): 403 Forbidden, 404 Not Found
 * (no such user at the device), 415 Unsupported Media Type, 488 Not
 * Acceptable Here, 603 Decline.  0 for anything else: 2xx, 408/480/486 and
 * 5xx mean "not now" (tried again at the next registration). */
int cpmpf_imdn_permanent(int status);

/* a new imdn.Message-ID (RFC 5438 6.3: unique for the sender; RFC 3862
 * Token) from the time, the process id and a sequence number:
 * "pf<time hex>-<pid hex>-<seq hex>".  Its length, -ENOSPC, -EINVAL. */
int cpmpf_imdn_new_msgid(char *buf, int size, long long t, unsigned int pid,
		unsigned int seq);

#endif
