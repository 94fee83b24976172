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
#ifndef CPMH_ID_H
#define CPMH_ID_H

#include "core/str.h"

/* value length bounds (module parameter max_id_length) */
#define CPMH_ID_MAXLEN_DEFAULT 256
#define CPMH_ID_MAXLEN_MIN 36   /* a generated UUID must always validate */
#define CPMH_ID_MAXLEN_MAX 1024

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
#define CPMH_UUID_STR_LEN 36
#define CPMH_UUID_BUF_SIZE (CPMH_UUID_STR_LEN + 1)

typedef enum cpmh_id {
	CPMH_ID_NONE = -1,
	CPMH_ID_CONVERSATION_ID = 0,
	CPMH_ID_CONTRIBUTION_ID = 1,
	CPMH_ID_INREPLYTO_CONTRIBUTION_ID = 2,
	CPMH_ID_COUNT = 3
} cpmh_id_t;

/* classification of a message's CPM headers; the values are the return
 * codes of the script function cpm_check_headers() */
typedef enum cpmh_check_rc {
	CPMH_CHECK_OK = 1,         /* Conversation-ID + Contribution-ID valid,
	                             InReplyTo-Contribution-ID valid if present
	                             (OMA CPM, seed 5.3) */
	CPMH_CHECK_CONTRIB_ONLY = 2, /* Contribution-ID valid, no Conversation-ID,
	                             InReplyTo-Contribution-ID valid if present:
	                             the RCS 5.x dialect (rcsjta); a strict CPM
	                             operator treats it as missing */
	CPMH_CHECK_NONE = -1,      /* none of the three present (plain SIP IM) */
	CPMH_CHECK_MISSING = -2,   /* some present, a required one absent */
	CPMH_CHECK_MALFORMED = -3, /* a value violates the value syntax */
	CPMH_CHECK_DUPLICATE = -4  /* a header occurs more than once */
} cpmh_check_rc_t;

/* accumulated state of one message's CPM headers */
typedef struct cpmh_slot {
	int count;   /* instances seen */
	int status;  /* 0 or negative errno of the first instance's value */
	str value;   /* first instance's value, trimmed (points into input) */
} cpmh_slot_t;

typedef struct cpmh_check {
	int max_len;
	cpmh_slot_t slot[CPMH_ID_COUNT];
} cpmh_check_t;

/* (name, body) pair for cpmh_check_fields() */
typedef struct cpmh_field {
	str name;
	str body;
} cpmh_field_t;

/* canonical header name ("Conversation-ID", ...) or NULL */
const str *cpmh_name(cpmh_id_t id);

/* 1 if c is an RFC 3261 token character, 0 otherwise */
int cpmh_is_token_char(int c);

/* case-insensitive, length-exact header name lookup (as the Kamailio core
 * matches names); surrounding SP/HT is ignored.  Returns the id or
 * CPMH_ID_NONE. */
cpmh_id_t cpmh_lookup(const str *name);

/* strip leading/trailing LWS; 0 or -EINVAL */
int cpmh_trim_lws(const str *in, str *out);

/* validate a header body, see the ABNF in cpmh_id.c.
 * 0, -EINVAL (bad args), -ENODATA (empty / LWS only), -EMSGSIZE (longer
 * than max_len), -EBADMSG (a character outside token). */
int cpmh_parse_value(const str *body, int max_len, str *value);

/* parse one header line "Name HCOLON value [CRLF]" for any of the three
 * headers. 0, -EINVAL, -ENOENT (not a CPM header or no colon), or an
 * error of cpmh_parse_value() */
int cpmh_parse_line(const str *line, int max_len, cpmh_id_t *id,
		str *value);

/* print "<name>: <value>\r\n" into buf; *len is the buffer size on input and
 * the number of bytes written on success (no NUL terminator is written).
 * 0, -EINVAL (bad args, name or value not a token), -ENOSPC. */
int cpmh_print(const str *name, const str *value, char *buf, int *len);

/* accumulate the CPM headers of one message */
void cpmh_check_init(cpmh_check_t *c, int max_len);
/* feed one header (non-CPM names are ignored): 1 if CPM, 0 if not,
 * -EINVAL */
int cpmh_check_add(cpmh_check_t *c, const str *name, const str *body);
/* classify; *err_hdr receives the offending header (or CPMH_ID_NONE) */
cpmh_check_rc_t cpmh_check_result(const cpmh_check_t *c,
		cpmh_id_t *err_hdr);
/* all in one over an array of fields */
cpmh_check_rc_t cpmh_check_fields(const cpmh_field_t *f, int n,
		int max_len, cpmh_id_t *err_hdr, cpmh_check_t *c);
/* the valid single value of a header after accumulation: 0 or -ENOENT */
int cpmh_check_value(const cpmh_check_t *c, cpmh_id_t id, str *v);

/* fresh random (v4) UUID, lowercase canonical form, NUL-terminated;
 * size >= CPMH_UUID_BUF_SIZE. 0 or -EINVAL / -ENOSPC */
int cpmh_gen_uuid(char *buf, int size);

#endif
