/*
 * cpm_warning glue: reads the request (Accept-Language, receiving socket),
 * adds the Warning header as a reply lump and sends the reply through the sl
 * API, which replies statefully when a transaction exists (seed 6.4.1).
 *
 * Seed 6.4.1 puts the Warning on error responses only.  Kamailio 5.6 builds
 * every local reply (sl_send_reply, send_reply, t_reply, tm's 100 Trying)
 * from all reply lumps of the request, and neither sl nor tm runs a callback
 * before the reply buffer is built (sl's SLCB_REPLY_READY and tm's
 * TMCB_RESPONSE_READY / TMCB_REQUEST_PENDING come after the build), so a
 * lump cannot be chosen per reply.  What the module does instead:
 *   - cpm_warning_reply() adds the lump and sends the 4xx..6xx at once (the
 *     lump is removed again when sending fails); a status below 400 is
 *     refused (a 3xx is no error response either);
 *   - cpm_warning_header() adds the lump for the error reply the script is
 *     about to send;
 *   - the one reply Kamailio itself builds from the request between the two
 *     is tm's automatic 100 Trying for an INVITE: tm runs TMCB_REQUEST_IN
 *     (h_table.c build_cell()) when it creates the transaction, before
 *     t_newtran() sends the 100.  cpmw_tm_reqin() then takes the module's
 *     Warning lumps off the INVITE, so neither the 100 nor the lumps tm saves
 *     for the transaction (save_msg_lumps() at t_relay()) carry it.  Replies
 *     relayed from downstream (180, 200, ...) are built from the reply, never
 *     from request lumps.  For an error reply of an INVITE transaction, call
 *     cpm_warning_header() after the transaction exists (e.g. in
 *     failure_route right before t_reply()).
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
#include "modules/tm/tm_load.h"

#include "cpm_warn.h"
#include "cpm_warn_reply.h"

static sl_api_t cpmw_slb;
static struct tm_binds cpmw_tmb;

/* "Warning: 399 " starts every line cpmw_warning_hdr_print() writes */
#define CPMW_LUMP_PREFIX "Warning: 399 "
#define CPMW_LUMP_PREFIX_LEN (sizeof(CPMW_LUMP_PREFIX) - 1)

static int cpmw_is_own_lump(struct lump_rpl *l)
{
	return (l->flags & LUMP_RPL_HDR) && !(l->flags & LUMP_RPL_SHMEM)
		   && l->text.len > (int)CPMW_LUMP_PREFIX_LEN
		   && memcmp(l->text.s, CPMW_LUMP_PREFIX, CPMW_LUMP_PREFIX_LEN) == 0;
}

/* TMCB_REQUEST_IN: tm is creating the transaction of req and, for an
 * INVITE, is about to send the automatic 100 Trying built from req's reply
 * lumps: take the Warning off (see the comment at the top). */
static void cpmw_tm_reqin(struct cell *t, int type, struct tmcb_params *ps)
{
	struct sip_msg *req = ps->req;
	struct lump_rpl *l, *next;

	if(req == NULL || req->first_line.type != SIP_REQUEST
			|| req->REQ_METHOD != METHOD_INVITE)
		return;
	for(l = req->reply_lump; l != NULL; l = next) {
		next = l->next;
		if(!cpmw_is_own_lump(l))
			continue;
		LM_DBG("Warning taken off the INVITE: no Warning on 1xx (seed 6.4.1)\n");
		unlink_lump_rpl(req, l);
		free_lump_rpl(l);
	}
}

int cpmw_reply_init(void)
{
	if(sl_load_api(&cpmw_slb) < 0) {
		LM_ERR("cannot bind the sl module API (load sl before)\n");
		return -1;
	}
	/* tm is optional: without it there is no automatic 100 Trying */
	if(find_export("load_tm", NO_SCRIPT, 0) != NULL) {
		if(load_tm_api(&cpmw_tmb) < 0) {
			LM_ERR("cannot bind the tm module API\n");
			return -1;
		}
		if(cpmw_tmb.register_tmcb(0, 0, TMCB_REQUEST_IN, cpmw_tm_reqin, 0, 0)
				<= 0) {
			LM_ERR("cannot register the tm TMCB_REQUEST_IN callback\n");
			return -1;
		}
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
	return cpmw_header_al(msg, code, host, NULL, buf, len);
}

int cpmw_header_al(struct sip_msg *msg, int code, str *host, const str *al,
		char *buf, int len)
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
	if(al != NULL) {
		/* the caller's Accept-Language (e.g. of a participant's 2xx) */
		ret = cpmw_select_al(cpmw_catalog, &cpmw_default_language, code, al,
				&ch);
	} else {
		cpmw_msg_ranges(msg, r, CPMW_MAX_RANGES, &n);
		ret = cpmw_select(cpmw_catalog, &cpmw_default_language, code, r, n,
				&ch);
	}
	if(ret < 0) {
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

static struct lump_rpl *cpmw_add_lump(
		struct sip_msg *msg, int code, const str *al)
{
	char buf[CPMW_HDR_MAX];
	struct lump_rpl *l;
	int len;

	if((len = cpmw_header_al(msg, code, NULL, al, buf, sizeof(buf))) < 0)
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
	return cpmw_add_lump(msg, code, NULL) ? 1 : -1;
}

int cpmw_reply(struct sip_msg *msg, int status, str *reason, int code)
{
	return cpmw_reply_al(msg, status, reason, code, NULL);
}

int cpmw_reply_al(struct sip_msg *msg, int status, str *reason, int code,
		str *al)
{
	struct lump_rpl *l;
	str rs;
	int pos = 0;

	if(msg == NULL || msg->first_line.type != SIP_REQUEST) {
		LM_ERR("not a request\n");
		return -1;
	}
	if(status < 400 || status > 699) {
		LM_ERR("status %d out of range 400..699 (warn code %d, %.*s)\n",
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
		/* from a variable or KEMI: a CR or LF would inject headers */
		if(cpmw_reason_valid(reason, &pos) < 0) {
			LM_ERR("reason phrase for %d (warn code %d, %.*s) refused: control"
				   " character 0x%02x at offset %d\n",
					status, code, msg->first_line.u.request.method.len,
					msg->first_line.u.request.method.s,
					(unsigned char)reason->s[pos], pos);
			return -1;
		}
		rs = *reason;
	} else {
		/* the core's reason phrases (RFC 3261 21), class name otherwise */
		rs.s = error_text(status);
		rs.len = strlen(rs.s);
	}
	if((l = cpmw_add_lump(msg, code, al)) == NULL)
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
