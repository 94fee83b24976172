/*
 * cpm_warning: pure code (no struct sip_msg) -- the CPM warning text
 * catalogue (seed Table 1), Accept-Language parsing and language selection
 * (seed 6.4.1), the translation file parser and the Warning header value
 * builder/parser (seed 6.4.1, RFC 3261 20.43).
 *
 * Every function returns 0 (or a length) on success and a negative
 * errno-like value on failure:
 *   -EINVAL  malformed input
 *   -ENOENT  unknown warn code / nothing found
 *   -ENOSPC  caller-supplied buffer too small
 *   -E2BIG   input larger than a documented cap (partial result kept)
 *   -ENOMEM  allocation failed
 *   -EEXIST  duplicate entry
 *   -EIO     file could not be read
 */
#ifndef CPM_WARN_H
#define CPM_WARN_H

#include "core/str.h"

/* seed 6.4.1: "the Warning code set to 399" */
#define CPMW_WARN_CODE 399

/* number of codes in seed Table 1 */
#define CPMW_NCODES 9

/* caps (bounded work and memory) */
#define CPMW_MAX_RANGES 16    /* Accept-Language ranges considered per request */
#define CPMW_MAX_LANGS 32     /* languages loadable from the translations file */
#define CPMW_TAG_MAX 35       /* bytes of a language tag */
#define CPMW_TEXT_MAX 128     /* bytes of one explanatory text (UTF-8) */
#define CPMW_HOST_MAX 255     /* bytes of the warn-agent */
#define CPMW_FILE_MAX (64 * 1024) /* bytes of a translations file */

/* worst case of a complete "Warning: ...\r\n" line: every text byte escaped */
#define CPMW_HDR_MAX \
	(sizeof("Warning: 399  \"123 \"\r\n") + CPMW_HOST_MAX + 2 * CPMW_TEXT_MAX)

/* ---- seed Table 1 ------------------------------------------------------ */

/* index 0..CPMW_NCODES-1 of a Table 1 code, -ENOENT when not in Table 1 */
int cpmw_code_index(int code);
/* code at index i (0..CPMW_NCODES-1), -ENOENT otherwise */
int cpmw_code_at(int i);
/* built-in English explanatory text of a Table 1 code, NULL if unknown */
const str *cpmw_code_text_en(int code);

/* A Reason-Phrase given at run time (variable, KEMI, C API):
 *   Reason-Phrase = *( reserved / unreserved / escaped / UTF8-NONASCII
 *                      / UTF8-CONT / SP / HTAB )        ; RFC 3261 25.1
 * Refused when it holds a control character (0x00-0x1F, DEL 0x7F; HTAB too:
 * it has no use in a phrase): CR or LF would end the status line and inject
 * headers.  0, -EINVAL (NULL), -EBADMSG (*pos = offset of the first CTL). */
int cpmw_reason_valid(const str *reason, int *pos);

/* ---- Accept-Language (RFC 3261 20.3, RFC 2616 14.4) ------------------- */

typedef struct cpmw_lang_range {
	str tag; /* points into the parsed input; "*" for the wildcard */
	int q;   /* quality in thousandths, 0..1000 */
} cpmw_lang_range_t;

/* Parse one Accept-Language header body, appending to r[*n..max-1].
 * Malformed elements are skipped (-EINVAL returned after parsing the rest),
 * ranges past max are ignored (-E2BIG).  r[0..*n-1] is usable in all cases. */
int cpmw_accept_lang_parse(const str *in, cpmw_lang_range_t *r, int max, int *n);
/* Print ranges as an Accept-Language body; returns the length or -ENOSPC. */
int cpmw_accept_lang_print(const cpmw_lang_range_t *r, int n, char *buf, int len);

/* language-tag check: 1*8ALPHA *("-" 1*8alphanum), at most CPMW_TAG_MAX */
int cpmw_lang_tag_valid(const str *tag);

/* ---- translation catalogue -------------------------------------------- */

typedef struct cpmw_lang {
	str tag;                   /* lower case */
	str text[CPMW_NCODES];     /* .s == NULL: no translation for that code */
} cpmw_lang_t;

typedef struct cpmw_catalog {
	int nlangs;
	cpmw_lang_t lang[CPMW_MAX_LANGS];
	int dlen;
	char *data; /* the file contents; tags and texts point into it */
} cpmw_catalog_t;

typedef struct cpmw_err {
	int line;      /* 1-based line of the error, 0 when not line-related */
	char msg[96];
} cpmw_err_t;

/* Parse translations from memory (copied into one allocation). */
int cpmw_catalog_parse(cpmw_catalog_t **out, const char *data, int len,
		cpmw_err_t *err);
/* Read and parse a translations file (at most CPMW_FILE_MAX bytes). */
int cpmw_catalog_load(cpmw_catalog_t **out, const char *path, cpmw_err_t *err);
void cpmw_catalog_free(cpmw_catalog_t *cat);
/* language index of tag in cat (case-insensitive), -ENOENT if absent */
int cpmw_catalog_find(const cpmw_catalog_t *cat, const str *tag);

/* ---- language selection (seed 6.4.1) ---------------------------------- */

typedef struct cpmw_choice {
	str lang;
	str text;
} cpmw_choice_t;

/* Choose the explanatory text for code given the ranges of the request.
 * cat may be NULL (English only); deflang NULL or "en" means built-in
 * English. */
int cpmw_select(const cpmw_catalog_t *cat, const str *deflang, int code,
		const cpmw_lang_range_t *r, int n, cpmw_choice_t *out);

/* cpmw_select() over the ranges of one Accept-Language value al given by
 * the caller instead of the request's, e.g. learned from a participant's
 * 2xx (seed 6.4.1).  al NULL or empty: the default language.  Malformed or
 * surplus ranges are skipped as for a request.  0 or a cpmw_select() error */
int cpmw_select_al(const cpmw_catalog_t *cat, const str *deflang, int code,
		const str *al, cpmw_choice_t *out);

/* ---- Warning header (RFC 3261 20.43) ---------------------------------- */

/* warn-agent check: hostport or token, at most CPMW_HOST_MAX bytes */
int cpmw_host_valid(const str *host);

/* Build the warning-value `399 <host> "<code> <text>"` into buf (NUL
 * terminated).  Returns its length, -ENOENT for a code not in Table 1,
 * -ENOSPC or -EINVAL. */
int cpmw_warning_value_print(char *buf, int len, const str *host, int code,
		const str *text);
/* Same, as a complete header line "Warning: <value>\r\n". */
int cpmw_warning_hdr_print(char *buf, int len, const str *host, int code,
		const str *text);
/* Parse one warning-value; the unescaped warn-text goes to text (NUL
 * terminated, *tlen its length).  agent points into in. */
int cpmw_warning_value_parse(const str *in, int *wcode, str *agent,
		char *text, int tsize, int *tlen);

#endif
