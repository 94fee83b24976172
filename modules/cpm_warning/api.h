/*
 * cpm_warning C API for other modules (cpm_pf, cpm_cf): error replies with
 * the seed 6.4 Warning header (code 399, Table 1 texts, language from the
 * request's Accept-Language).
 *
 *   #include "../cpm_warning/api.h"
 *   static cpm_warning_api_t cpmw;
 *   mod_init():  if(cpm_warning_load_api(&cpmw) < 0) return -1;
 *   route code:  cpmw.reply(msg, 403, NULL, 127);
 *
 * reply(msg, status, reason, warn_code)
 *   status 400..699 (seed 6.4.1: error responses only), reason NULL or empty = standard phrase of status,
 *   warn_code one of seed Table 1.  Adds the Warning header to the reply
 *   (add_lump_rpl) and sends it through sl's send_reply (tm when a
 *   transaction exists).  Returns 1 when sent, -1 on error.
 *
 * reply_lang(msg, status, reason, warn_code, accept_language)
 *   as reply(), but the Warning language is chosen from accept_language (an
 *   Accept-Language value, e.g. from a participant's 2xx; seed 6.4.1) rather
 *   than from the request; an empty value selects the default language.
 *   A reason given to reply() / reply_lang() that holds a control character
 *   (CR, LF, NUL, HTAB, other CTL, DEL) is refused: -1 and an error log.
 *
 * header(msg, warn_code, host, buf, len)
 *   Writes the complete header line "Warning: 399 <host> \"<code> <text>\"\r\n"
 *   (NUL terminated) into buf; host NULL = the module's warning_host or the
 *   request's socket address.  Returns the length written (without the NUL),
 *   -ENOENT for an unknown warn code, -ENOSPC when buf is too small
 *   (CPMW_HDR_MAX bytes always suffice), -EINVAL otherwise.
 */
#ifndef CPM_WARNING_API_H
#define CPM_WARNING_API_H

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/str.h"
#include "core/parser/msg_parser.h"

typedef int (*cpm_warning_reply_f)(
		struct sip_msg *msg, int status, str *reason, int warn_code);
typedef int (*cpm_warning_reply_lang_f)(struct sip_msg *msg, int status,
		str *reason, int warn_code, str *accept_language);
typedef int (*cpm_warning_header_f)(
		struct sip_msg *msg, int warn_code, str *host, char *buf, int len);

typedef struct cpm_warning_api {
	cpm_warning_reply_f reply;
	cpm_warning_reply_lang_f reply_lang;
	cpm_warning_header_f header;
} cpm_warning_api_t;

typedef int (*bind_cpm_warning_f)(cpm_warning_api_t *api);

static inline int cpm_warning_load_api(cpm_warning_api_t *api)
{
	bind_cpm_warning_f bindf;

	bindf = (bind_cpm_warning_f)find_export("bind_cpm_warning", 0, 0);
	if(bindf == 0) {
		LM_ERR("cannot find bind_cpm_warning (is cpm_warning loaded?)\n");
		return -1;
	}
	if(bindf(api) < 0) {
		LM_ERR("cannot bind cpm_warning api\n");
		return -1;
	}
	return 0;
}

#endif
