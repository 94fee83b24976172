/*
 * cpm_warning glue: reads the request (Accept-Language, receiving socket),
 * adds the Warning header as a reply lump and sends the reply through the sl
 * API, which replies statefully when a transaction exists (seed 6.4.1).
 */
#include <errno.h>
#include <string.h>

#include "core/sr_module.h"
#include "core/dprint.h"
#include "core/error.h"
#include "core/data_lump_rpl.h"
#include "core/ip_addr.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_hname2.h"
#include "modules/sl/sl.h"

#include "cpm_warn.h"
#include "cpm_warn_reply.h"

static sl_api_t cpmw_slb;

int cpmw_reply_init(void)
{
	if(sl_load_api(&cpmw_slb) < 0) {
		LM_ERR("cannot bind the sl module API (load sl before)\n");
		return -1;
	}
	return 0;
}

int cpmw_msg_ranges(struct sip_msg *msg, cpmw_lang_range_t *r, int max, int *n)
{
	struct hdr_field *h;
	int rc, ret = 0;

	*n = 0;
	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers of the request\n");
		return -EINVAL;
	}
	for(h = msg->headers; h != NULL; h = h->next) {
		if(h->type != HDR_ACCEPTLANGUAGE_T)
			continue;
		rc = cpmw_accept_lang_parse(&h->body, r, max, n);
		if(rc == -E2BIG) {
			LM_DBG("more than %d Accept-Language ranges, rest ignored\n", max);
			return rc;
		}
		if(rc < 0) {
			LM_DBG("malformed Accept-Language range(s) skipped in [%.*s]\n",
					h->body.len, h->body.s);
			ret = rc;
		}
	}
	return ret;
}

/* warn-agent (seed 6.4.1 "host name of the CPM PF or CF"): warning_host, else
 * the advertised address of the receiving socket, else its own address;
 * IPv6 literals get brackets (RFC 3261 hostport). */
static int cpmw_agent(struct sip_msg *msg, str *host, char *buf, int len)
{
	struct socket_info *si;
	str h;

	if(cpmw_warning_host.len > 0) {
		*host = cpmw_warning_host;
		return 0;
	}
	si = msg->rcv.bind_address;
	if(si == NULL) {
		LM_ERR("no receiving socket for the request and no warning_host\n");
		return -EINVAL;
	}
	h = (si->useinfo.name.len > 0) ? si->useinfo.name : si->address_str;
	if(h.len <= 0)
		h = si->name;
	if(h.len > 0 && h.s[0] != '[' && memchr(h.s, ':', h.len) != NULL) {
		if(h.len + 3 > len)
			return -ENOSPC;
		buf[0] = '[';
		memcpy(buf + 1, h.s, h.len);
		buf[h.len + 1] = ']';
		buf[h.len + 2] = '\0';
		h.s = buf;
		h.len += 2;
	}
	*host = h;
	return 0;
}

int cpmw_header(struct sip_msg *msg, int code, str *host, char *buf, int len)
{
	cpmw_lang_range_t r[CPMW_MAX_RANGES];
	cpmw_choice_t ch;
	char abuf[IP6_MAX_STR_SIZE + 4];
	str agent;
	int n = 0, ret;

	if(msg == NULL || buf == NULL || len <= 0)
		return -EINVAL;
	if(cpmw_code_index(code) < 0) {
		LM_ERR("warn code %d is not in seed Table 1\n", code);
		return -ENOENT;
	}
	if(host != NULL && host->len > 0) {
		agent = *host;
	} else if((ret = cpmw_agent(msg, &agent, abuf, sizeof(abuf))) < 0) {
		return ret;
	}
	/* malformed or surplus ranges are not fatal: what parsed is used */
	cpmw_msg_ranges(msg, r, CPMW_MAX_RANGES, &n);
	if((ret = cpmw_select(cpmw_catalog, &cpmw_default_language, code, r, n,
				&ch)) < 0) {
		LM_ERR("no text for warn code %d (%d)\n", code, ret);
		return ret;
	}
	ret = cpmw_warning_hdr_print(buf, len, &agent, code, &ch.text);
	if(ret < 0) {
		LM_ERR("cannot build the Warning header for code %d, agent [%.*s],"
			   " language %.*s (%d)\n",
				code, agent.len, agent.s, ch.lang.len, ch.lang.s, ret);
		return ret;
	}
	LM_DBG("warning %d in language %.*s for %.*s request\n", code,
			ch.lang.len, ch.lang.s, msg->first_line.u.request.method.len,
			msg->first_line.u.request.method.s);
	return ret;
}

static struct lump_rpl *cpmw_add_lump(struct sip_msg *msg, int code)
{
	char buf[CPMW_HDR_MAX];
	struct lump_rpl *l;
	int len;

	if((len = cpmw_header(msg, code, NULL, buf, sizeof(buf))) < 0)
		return NULL;
	/* add_lump_rpl copies the text (no LUMP_RPL_NODUP) */
	l = add_lump_rpl(msg, buf, len, LUMP_RPL_HDR);
	if(l == NULL)
		LM_ERR("cannot add the Warning reply lump\n");
	return l;
}

int cpmw_append_header(struct sip_msg *msg, int code)
{
	if(msg == NULL || msg->first_line.type != SIP_REQUEST) {
		LM_ERR("not a request\n");
		return -1;
	}
	return cpmw_add_lump(msg, code) ? 1 : -1;
}

int cpmw_reply(struct sip_msg *msg, int status, str *reason, int code)
{
	struct lump_rpl *l;
	str rs;

	if(msg == NULL || msg->first_line.type != SIP_REQUEST) {
		LM_ERR("not a request\n");
		return -1;
	}
	if(status < 300 || status > 699) {
		LM_ERR("status %d out of range 300..699 (warn code %d, %.*s)\n",
				status, code, msg->first_line.u.request.method.len,
				msg->first_line.u.request.method.s);
		return -1;
	}
	if(cpmw_code_index(code) < 0) {
		LM_ERR("warn code %d not in seed Table 1 (status %d, %.*s)\n", code,
				status, msg->first_line.u.request.method.len,
				msg->first_line.u.request.method.s);
		return -1;
	}
	if(reason != NULL && reason->s != NULL && reason->len > 0) {
		rs = *reason;
	} else {
		/* the core's reason phrases (RFC 3261 21), class name otherwise */
		rs.s = error_text(status);
		rs.len = strlen(rs.s);
	}
	if((l = cpmw_add_lump(msg, code)) == NULL)
		return -1;
	if(cpmw_slb.freply(msg, status, &rs) < 0) {
		LM_ERR("cannot send %d reply with warning %d\n", status, code);
		/* do not leave the Warning behind for a later reply */
		unlink_lump_rpl(msg, l);
		free_lump_rpl(l);
		return -1;
	}
	update_stat(cpmw_stat_sent, 1);
	return 1;
}
