/*
 * cpm_headers: pure parsing, validation and printing of the OMA CPM
 * conversation identification headers (seed section 5.3):
 *
 *   Conversation-ID, Contribution-ID, InReplyTo-Contribution-ID
 *
 * These are end-to-end headers carried in MESSAGE and INVITE; intermediate
 * nodes SHALL NOT modify or delete them (seed 5.3).  Nothing here changes a
 * message: the code only reads header names/bodies given as str and prints
 * new header lines into caller buffers.
 *
 * No struct sip_msg here: this file builds alone in the cmocka unit tests.
 * Functions return 0 (or a documented non-negative value) on success and a
 * negative errno-like code on failure.
 */
#ifndef CPM_HDR_H
#define CPM_HDR_H

#include "core/str.h"

/* value length bounds (module parameter max_id_length) */
#define CPM_ID_MAXLEN_DEFAULT 256
#define CPM_ID_MAXLEN_MIN 36   /* a generated UUID must always validate */
#define CPM_ID_MAXLEN_MAX 1024

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define CPM_UUID_STR_LEN 36
#define CPM_UUID_BUF_SIZE (CPM_UUID_STR_LEN + 1)

typedef enum cpm_hdr_id {
	CPM_HDR_NONE = -1,
	CPM_HDR_CONVERSATION_ID = 0,
	CPM_HDR_CONTRIBUTION_ID = 1,
	CPM_HDR_INREPLYTO_CONTRIBUTION_ID = 2,
	CPM_HDR_COUNT = 3
} cpm_hdr_id_t;

/* classification of a message's CPM headers; the values are the return
 * codes of the script function cpm_check_headers() */
typedef enum cpm_check_rc {
	CPM_CHECK_OK = 1,         /* Conversation-ID + Contribution-ID valid,
	                             InReplyTo-Contribution-ID valid if present
	                             (OMA CPM, seed 5.3) */
	CPM_CHECK_CONTRIB_ONLY = 2, /* Contribution-ID valid, no Conversation-ID,
	                             InReplyTo-Contribution-ID valid if present:
	                             the RCS 5.x dialect (rcsjta); a strict CPM
	                             operator treats it as missing */
	CPM_CHECK_NONE = -1,      /* none of the three present (plain SIP IM) */
	CPM_CHECK_MISSING = -2,   /* some present, a required one absent */
	CPM_CHECK_MALFORMED = -3, /* a value violates the value syntax */
	CPM_CHECK_DUPLICATE = -4  /* a header occurs more than once */
} cpm_check_rc_t;

/* accumulated state of one message's CPM headers */
typedef struct cpm_hdr_slot {
	int count;   /* instances seen */
	int status;  /* 0 or negative errno of the first instance's value */
	str value;   /* first instance's value, trimmed (points into input) */
} cpm_hdr_slot_t;

typedef struct cpm_hdr_check {
	int max_len;
	cpm_hdr_slot_t slot[CPM_HDR_COUNT];
} cpm_hdr_check_t;

/* (name, body) pair for cpm_hdr_check_fields() */
typedef struct cpm_hdr_field {
	str name;
	str body;
} cpm_hdr_field_t;

/* canonical header name ("Conversation-ID", ...) or NULL */
const str *cpm_hdr_name(cpm_hdr_id_t id);

/* 1 if c is an RFC 3261 token character, 0 otherwise */
int cpm_hdr_is_token_char(int c);

/* case-insensitive, length-exact header name lookup (as the Kamailio core
 * matches names); surrounding SP/HT is ignored.  Returns the id or
 * CPM_HDR_NONE. */
cpm_hdr_id_t cpm_hdr_lookup(const str *name);

/* strip leading/trailing LWS; 0 or -EINVAL */
int cpm_hdr_trim_lws(const str *in, str *out);

/* validate a header body, see the ABNF in cpm_hdr.c.
 * 0, -EINVAL (bad args), -ENODATA (empty / LWS only), -EMSGSIZE (longer
 * than max_len), -EBADMSG (a character outside token). */
int cpm_hdr_parse_value(const str *body, int max_len, str *value);

/* parse one header line "Name HCOLON value [CRLF]" for any of the three
 * headers. 0, -EINVAL, -ENOENT (not a CPM header or no colon), or an
 * error of cpm_hdr_parse_value() */
int cpm_hdr_parse_line(const str *line, int max_len, cpm_hdr_id_t *id,
		str *value);

/* print "<name>: <value>\r\n" into buf; *len is the buffer size on input and
 * the number of bytes written on success (no NUL terminator is written).
 * 0, -EINVAL (bad args, name or value not a token), -ENOSPC. */
int cpm_hdr_print(const str *name, const str *value, char *buf, int *len);

/* accumulate the CPM headers of one message */
void cpm_hdr_check_init(cpm_hdr_check_t *c, int max_len);
/* feed one header (non-CPM names are ignored): 1 if CPM, 0 if not,
 * -EINVAL */
int cpm_hdr_check_add(cpm_hdr_check_t *c, const str *name, const str *body);
/* classify; *err_hdr receives the offending header (or CPM_HDR_NONE) */
cpm_check_rc_t cpm_hdr_check_result(const cpm_hdr_check_t *c,
		cpm_hdr_id_t *err_hdr);
/* all in one over an array of fields */
cpm_check_rc_t cpm_hdr_check_fields(const cpm_hdr_field_t *f, int n,
		int max_len, cpm_hdr_id_t *err_hdr, cpm_hdr_check_t *c);
/* the valid single value of a header after accumulation: 0 or -ENOENT */
int cpm_hdr_check_value(const cpm_hdr_check_t *c, cpm_hdr_id_t id, str *v);

/* fresh random (v4) UUID, lowercase canonical form, NUL-terminated;
 * size >= CPM_UUID_BUF_SIZE. 0 or -EINVAL / -ENOSPC */
int cpm_hdr_gen_uuid(char *buf, int size);

#endif
