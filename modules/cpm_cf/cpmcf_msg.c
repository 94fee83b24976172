/*
 * cpm_cf group standalone messages: see cpmcf_msg.h and docs/cpm_cf.md
 * "Group standalone messages".
 *
 * Per message: one reference to the group table (no DB read, no lock held
 * while sending), one transaction for the sender's MESSAGE (so a
 * retransmission is absorbed by tm, never fanned out twice), the headers
 * common to every copy built once on the stack, then one t_request() per
 * recipient toward this proxy's own socket.
 *
 * What each copy carries (seed 5.3, 6.1, 6.3; RFC 5365):
 *   - Request-URI and To: the recipient, so its terminating PF treats the
 *     copy like any MESSAGE to it (LOCATION, deferred delivery);
 *   - From: the sender (display name and URI, a new tag): RFC 5365 sends
 *     each copy on the sender's behalf, and a client shows From as the
 *     writer -- the group is named by P-Asserted-Identity instead, so a
 *     reply to From goes to the writer, a reply to the group goes to the
 *     group (the client keeps both);
 *   - P-Asserted-Identity: the pre-defined group's URI (seed 6.1: "the CPM
 *     Pre-defined Group address when the CPM Controlling Function sends a
 *     CPM Standalone Message ... to CPM Pre-defined Group members"); for the
 *     factory form (an ad-hoc list, no group address and no Group Session
 *     Identity: no session exists) the sender's authenticated address, which
 *     the CF asserts as the PF would;
 *   - Referred-By: the sender's authenticated address (seed 6.1 last
 *     paragraph; client-dialects.md: clients take the inviter from
 *     Referred-By), so the member sees who wrote through the group even
 *     where the terminating PF withholds nothing but shows PAI;
 *   - Conversation-ID, Contribution-ID, InReplyTo-Contribution-ID, Date and
 *     Subject as received (seed 5.3: end-to-end, never modified);
 *   - the body unchanged, with its Content-Type (factory form: the part
 *     that is not the recipient list, with the part's own Content-Type).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/socket_info.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_ppi_pai.h"
#include "core/parser/parse_uri.h"
#include "modules/tm/tm_load.h"
#include "../cpm_warning/api.h"

#include "cpmcf_group.h"
#include "cpmcf_msg.h"
#include "cpmcf_msg_core.h"

str cpmcf_factory_user = str_init("conference-factory");
int cpmcf_max_participants = 100;

static struct tm_binds tmb;
static cpm_warning_api_t cpmw;

static counter_handle_t st_fanouts, st_copies, st_refused;
static counter_def_t msg_counters[] = {
		{&st_fanouts, "group_messages", 0, 0, 0,
				"group standalone MESSAGEs fanned out (202 sent)"},
		{&st_copies, "group_message_copies", 0, 0, 0,
				"MESSAGE copies the CF sent to recipients"},
		{&st_refused, "group_messages_refused", 0, 0, 0,
				"group standalone MESSAGEs refused (102, 127, 129, 400)"},
		{0, 0, 0, 0, 0, 0}};

int cpmcf_msg_init(void)
{
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("cpm_cf needs tm (group messages are sent as UAC)\n");
		return -1;
	}
	if(cpm_warning_load_api(&cpmw) < 0)
		return -1;
	if(counter_register_array("cpm_cf", msg_counters) < 0) {
		LM_ERR("cannot register the group message statistics\n");
		return -1;
	}
	if(cpmcf_max_participants < 2 || cpmcf_max_participants > CPMCF_MEMBERS_MAX) {
		LM_ERR("max_participants must be 2..%d, not %d\n", CPMCF_MEMBERS_MAX,
				cpmcf_max_participants);
		return -1;
	}
	return 0;
}

/* "sip:<addr>:<port>;transport=<udp|tcp>" of the proxy's first UDP (else
 * TCP) socket: each copy enters this proxy's request_route like any
 * request to the member (cpm_pf's cpmpf_imdn.c does the same) */
static int self_uri(char *buf, int size)
{
	struct socket_info *si = udp_listen ? udp_listen : tcp_listen;
	int n;

	if(si == NULL)
		return -ENOENT;
	n = snprintf(buf, size,
			si->address.af == AF_INET6 ? "sip:[%.*s]:%.*s;transport=%s"
									   : "sip:%.*s:%.*s;transport=%s",
			si->address_str.len, si->address_str.s, si->port_no_str.len,
			si->port_no_str.s, udp_listen ? "udp" : "tcp");
	return (n < 0 || n >= size) ? -ENOSPC : 0;
}

/* appends "<name>: <body>\r\n" */
static int put_hdr(char *buf, int size, int *n, const str *name, const str *body)
{
	int r = snprintf(buf + *n, size - *n, "%.*s: %.*s\r\n", name->len, name->s,
			body->len, body->s);

	if(r < 0 || r >= size - *n)
		return -ENOSPC;
	*n += r;
	return 0;
}

static int is_name(const str *n, const char *lit)
{
	int l = strlen(lit);

	return n->len == l && strncasecmp(n->s, lit, l) == 0;
}

/* the headers of seed 5.3 (and Date, Subject) as received */
static int copy_e2e(sip_msg_t *msg, char *buf, int size, int *n)
{
	hdr_field_t *hf;

	for(hf = msg->headers; hf; hf = hf->next) {
		if(hf->type == HDR_DATE_T || hf->type == HDR_SUBJECT_T
				|| (hf->type == HDR_OTHER_T
						&& (is_name(&hf->name, "Conversation-ID")
								|| is_name(&hf->name, "Contribution-ID")
								|| is_name(&hf->name,
										"InReplyTo-Contribution-ID")))) {
			if(put_hdr(buf, size, n, &hf->name, &hf->body) < 0)
				return -ENOSPC;
		}
	}
	return 0;
}

/* a refusal (seed 6.4.2 Table 1) through cpm_warning */
static int refuse(sip_msg_t *msg, int status, int code)
{
	counter_inc(st_refused);
	if(cpmw.reply(msg, status, NULL, code) < 0)
		return -1;
	return -2;
}

typedef struct fan {
	str from;    /* From of every copy: [display] <uri> */
	str hdrs;    /* the common extra headers */
	str body;
	str hop;     /* this proxy */
} fan_t;

/* one copy to uri (no lock held: the group table is referenced) */
static int send_copy(fan_t *f, const str *uri)
{
	static str method = str_init("MESSAGE");
	char to[CPMCF_URI_MAX + 3];
	str sto, sr;
	uac_req_t uac_r;

	if(uri->len >= CPMCF_URI_MAX)
		return -EINVAL;
	to[0] = '<';
	memcpy(to + 1, uri->s, uri->len);
	to[uri->len + 1] = '>';
	sto.s = to;
	sto.len = uri->len + 2;
	sr = *uri;
	set_uac_req(&uac_r, &method, &f->hdrs, &f->body, 0, 0, 0, 0);
	if(tmb.t_request(&uac_r, &sr, &sto, &f->from, &f->hop) < 0) {
		LM_ERR("cannot send the group MESSAGE copy to %.*s\n", uri->len,
				uri->s);
		return -EIO;
	}
	counter_inc(st_copies);
	return 0;
}

int ki_cpm_cf_message(sip_msg_t *msg, str *auth_user, int trusted)
{
	char skey_b[CPMCF_URI_MAX], gkey_b[CPMCF_URI_MAX], hop[128];
	char hdrs[4096], from[2 * CPMCF_URI_MAX + 8];
	int out_stack[64], *out = out_stack;
	cpmcf_gtab_t *t = NULL;
	const cpmcf_group_t *g = NULL;
	struct to_body *fb;
	str skey, gkey, suri, ct, disp;
	fan_t f;
	int n, nr, i, hl = 0, rc = -1, sent = 0;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || parse_from_header(msg) < 0
			|| parse_sip_msg_uri(msg) < 0) {
		LM_ERR("cannot parse the group MESSAGE\n");
		return -1;
	}
	fb = get_from(msg);
	/* the sender (seed 6.1): the digest-authenticated user of ours, or the
	 * P-Asserted-Identity of a trusted peer; without either nobody is
	 * authenticated to send to a group: 403 + 127 */
	if(auth_user && auth_user->s && auth_user->len > 0) {
		if(auth_user->len >= CPMCF_URI_MAX)
			return refuse(msg, 403, 127);
		memcpy(skey_b, auth_user->s, auth_user->len);
		skey.s = skey_b;
		skey.len = auth_user->len;
		suri = fb->uri;
	} else if(trusted && parse_pai_header(msg) == 0 && msg->pai
			  && get_pai(msg)->id) {
		suri = get_pai(msg)->id->uri;
		n = cpmcf_group_key(&suri, skey_b, sizeof(skey_b));
		if(n <= 0)
			return refuse(msg, 403, 127);
		skey.s = skey_b;
		skey.len = n;
	} else {
		return refuse(msg, 403, 127);
	}
	if(msg->parsed_uri.user.len == cpmcf_factory_user.len
			&& memcmp(msg->parsed_uri.user.s, cpmcf_factory_user.s,
					   cpmcf_factory_user.len)
					   == 0) {
		/* -- the factory form (RFC 5365): filled in with lib/cpm_reslist */
		return refuse(msg, 403, 129);
	}
	n = cpmcf_group_key(&msg->first_line.u.request.uri, gkey_b,
			sizeof(gkey_b));
	if(n <= 0) {
		counter_inc(st_refused);
		return cpmw.reply(msg, 404, NULL, 129) < 0 ? -1 : -2;
	}
	gkey.s = gkey_b;
	gkey.len = n;
	t = cpmcf_group_acquire();
	g = t ? cpmcf_gtab_find(t, &gkey) : NULL;
	if(g == NULL) {
		cpmcf_group_release(t);
		counter_inc(st_refused);
		return cpmw.reply(msg, 404, NULL, 129) < 0 ? -1 : -2;
	}
	if(g->n_members > 64) {
		out = pkg_malloc(g->n_members * sizeof(int));
		if(out == NULL) {
			PKG_MEM_ERROR;
			goto done;
		}
	}
	nr = cpmcf_fan_group(g, &skey, cpmcf_max_participants, out);
	switch(nr) {
		case CPMCF_FAN_NOT_MEMBER:
			/* only members send to a pre-defined group (OMA XDM Group
			 * policy; seed Table 1: "not authorised for this service") */
			rc = refuse(msg, 403, 127);
			goto done;
		case CPMCF_FAN_TOO_MANY:
			rc = refuse(msg, 403, 102);
			goto done;
		case CPMCF_FAN_NONE:
			rc = refuse(msg, 403, 129);
			goto done;
		default:
			if(nr < 0)
				goto done;
	}
	/* the headers of every copy, once */
	if(self_uri(hop, sizeof(hop)) < 0)
		goto done;
	hl = snprintf(hdrs, sizeof(hdrs),
			"P-Asserted-Identity: <%.*s>\r\nReferred-By: <%.*s>\r\n", g->uri.len,
			g->uri.s, suri.len, suri.s);
	if(hl < 0 || hl >= (int)sizeof(hdrs) || copy_e2e(msg, hdrs, sizeof(hdrs), &hl) < 0)
		goto toolong;
	if(msg->content_type) {
		ct = msg->content_type->body;
		if(put_hdr(hdrs, sizeof(hdrs), &hl, &msg->content_type->name, &ct) < 0)
			goto toolong;
	}
	/* seed 6.3: the sender's group-specific display name, else its own */
	i = cpmcf_group_member(g, &skey);
	disp = (i >= 0 && g->members[i].display_name.len > 0)
				   ? g->members[i].display_name
				   : fb->display;
	if(disp.len > 0 && disp.s[0] == '"')
		n = snprintf(from, sizeof(from), "%.*s <%.*s>", disp.len, disp.s,
				suri.len, suri.s);
	else if(disp.len > 0)
		n = snprintf(from, sizeof(from), "\"%.*s\" <%.*s>", disp.len, disp.s,
				suri.len, suri.s);
	else
		n = snprintf(from, sizeof(from), "<%.*s>", suri.len, suri.s);
	if(n < 0 || n >= (int)sizeof(from))
		goto toolong;
	f.from.s = from;
	f.from.len = n;
	f.hdrs.s = hdrs;
	f.hdrs.len = hl;
	f.body.s = get_body(msg);
	f.body.len = f.body.s ? (int)(msg->buf + msg->len - f.body.s) : 0;
	f.hop.s = hop;
	f.hop.len = strlen(hop);
	/* the sender's transaction first: a retransmission of this MESSAGE is
	 * absorbed by tm from now on, never fanned out again */
	if(tmb.t_newtran(msg) < 0) {
		LM_ERR("cannot create the transaction of the group MESSAGE\n");
		goto done;
	}
	for(i = 0; i < nr; i++)
		if(send_copy(&f, &g->members[out[i]].uri) == 0)
			sent++;
	counter_inc(st_fanouts);
	/* RFC 5365 / RFC 3428: 202, the copies are on their way (each
	 * recipient's PF answers or stores its own) */
	rc = tmb.t_reply(msg, 202, "Accepted") < 0 ? -1 : 1;
	LM_DBG("group %.*s: %d of %d copies sent\n", g->uri.len, g->uri.s, sent, nr);
	goto done;
toolong:
	/* the CPM identifiers are bounded by cpm_headers (max_id_length), so
	 * this is a local limit, not the client's fault: 500 from the script */
	LM_ERR("the group MESSAGE's headers do not fit %d bytes\n",
			(int)sizeof(hdrs));
done:
	if(out != out_stack)
		pkg_free(out);
	cpmcf_group_release(t);
	return rc;
}
