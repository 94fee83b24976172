/*
 * cpm_cf group standalone messages: see cpmcf_msg.h and docs/cpm_cf.md
 * "Group standalone messages".
 *
 * Per message: one reference to the group table (no DB read, no lock held
 * while sending), one transaction for the sender's MESSAGE (so a
 * retransmission is absorbed by tm, never fanned out twice), the headers
 * common to every copy built once on the stack, then one task for the
 * core's async workers that hands one copy per recipient to this proxy's
 * request_route (UDP: "hand-off of the copies to the async workers"
 * below), or, on a TCP-only proxy, one t_request() per recipient toward
 * this proxy's own socket.
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
#include <sys/socket.h>
#include <unistd.h>

#include "core/action.h"
#include "core/async_task.h"
#include "core/counters.h"
#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/socket_info.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_ppi_pai.h"
#include "core/parser/parse_uri.h"
#include "core/pt.h"
#include "core/receive.h"
#include "core/mem/shm_mem.h"
#include "modules/tm/tm_load.h"
#include "core/data_lump_rpl.h"
#include "modules/sl/sl.h"
#include "../cpm_warning/api.h"
#include "../../lib/cpm_reslist.h"

#include "cpmcf_group.h"
#include "cpmcf_msg.h"
#include "cpmcf_msg_core.h"
#include "cpmcf_dlg.h"
#include "cpmcf_dialect.h" /* Referred-By with SIP and TEL URI */

/* factory_user and max_participants: shared with the group sessions
 * concern, defined in cpmcf_gsess.c */
int cpmcf_max_pager_size = 4096;

static struct tm_binds tmb;
static cpm_warning_api_t cpmw;
static sl_api_t slb;

static counter_handle_t st_fanouts, st_copies, st_refused;
static counter_def_t msg_counters[] = {
		{&st_fanouts, "group_messages", 0, 0, 0,
				"group standalone MESSAGEs fanned out (202 sent)"},
		{&st_copies, "group_message_copies", 0, 0, 0,
				"MESSAGE copies the CF sent to recipients"},
		{&st_refused, "group_messages_refused", 0, 0, 0,
				"group standalone MESSAGEs refused (102, 127, 129, 400, 404, 413)"},
		{0, 0, 0, 0, 0, 0}};

int cpmcf_msg_init(void)
{
	if(load_tm_api(&tmb) < 0) {
		LM_ERR("cpm_cf needs tm (group messages are sent as UAC)\n");
		return -1;
	}
	if(cpm_warning_load_api(&cpmw) < 0)
		return -1;
	if(sl_load_api(&slb) != 0) {
		LM_ERR("cpm_cf needs sl\n");
		return -1;
	}
	if(counter_register_array("cpm_cf", msg_counters) < 0) {
		LM_ERR("cannot register the group message statistics\n");
		return -1;
	}
	if(cpmcf_max_participants < 2 || cpmcf_max_participants > CPMCF_MEMBERS_MAX) {
		LM_ERR("max_participants must be 2..%d, not %d\n", CPMCF_MEMBERS_MAX,
				cpmcf_max_participants);
		return -1;
	}
	/* the copies are handed to the core's async workers (a UDP socket;
	 * "hand-off" below): without any, cpm_cf does not start rather than
	 * send every group MESSAGE's copies the slow way (t_request) */
	if(udp_listen != NULL && !async_task_workers_active()) {
		LM_ERR("cpm_cf hands group MESSAGE copies to the async workers: set"
			   " the core parameter async_workers (1 or more;"
			   " docs/cpm_cf.md \"Group standalone messages\")\n");
		return -1;
	}
	if(cpmcf_max_pager_size < 1300 || cpmcf_max_pager_size > 65000) {
		LM_ERR("max_pager_size must be 1300..65000 (seed 5.1), not %d\n",
				cpmcf_max_pager_size);
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

/* bounded appends for the fan-out's headers: no snprintf() (a format
 * parse per call, ~1,300 instructions: nine per group MESSAGE before) */
static int put(char *buf, int size, int *n, const char *s, int len)
{
	if(len < 0 || len > size - *n)
		return -ENOSPC;
	memcpy(buf + *n, s, len);
	*n += len;
	return 0;
}

#define PUT_LIT(buf, size, n, lit) put((buf), (size), (n), (lit), sizeof(lit) - 1)
#define PUT_STR(buf, size, n, st) put((buf), (size), (n), (st)->s, (st)->len)

/* lower-case hex of v */
static int put_hex(char *buf, int size, int *n, unsigned int v)
{
	char h[8];
	int l = 0;

	do {
		h[7 - l++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while(v > 0);
	return put(buf, size, n, h + 8 - l, l);
}

/* decimal of v */
static int put_dec(char *buf, int size, int *n, unsigned int v)
{
	char d[10];
	int l = 0;

	do {
		d[9 - l++] = (char)('0' + v % 10);
		v /= 10;
	} while(v > 0);
	return put(buf, size, n, d + 10 - l, l);
}

/* appends "<name>: <body>\r\n" */
static int put_hdr(char *buf, int size, int *n, const str *name, const str *body)
{
	if(PUT_STR(buf, size, n, name) < 0 || PUT_LIT(buf, size, n, ": ") < 0
			|| PUT_STR(buf, size, n, body) < 0
			|| PUT_LIT(buf, size, n, "\r\n") < 0)
		return -ENOSPC;
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

/* 400 with a free-text Warning (seed 6.4.1: code 399, the CF's host): a
 * body the CF cannot read (seed Table 1 has no code for it) */
static int refuse_text(sip_msg_t *msg, const char *text)
{
	static str reason = str_init("Bad Request");
	char w[256];
	str host = STR_NULL;
	int n;

	counter_inc(st_refused);
	if(msg->rcv.bind_address)
		host = msg->rcv.bind_address->address_str;
	n = snprintf(w, sizeof(w), "Warning: 399 %.*s \"%s\"\r\n", host.len,
			host.s ? host.s : "", text);
	if(n < 0 || n >= (int)sizeof(w)
			|| add_lump_rpl(msg, w, n, LUMP_RPL_HDR) == 0) {
		LM_ERR("cannot add the Warning to the reply\n");
		return -1;
	}
	return slb.freply(msg, 400, &reason) < 0 ? -1 : -2;
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

/* ---- hand-off of the copies to the async workers (issue 7 benchmark;
 * docs/cpm_cf.md "Group standalone messages", docs/benchmarks.md "Per-copy
 * cut 2") ----
 *
 * On a UDP socket the copies do not go through tm as UAC requests: each is
 * written as the request t_request() would put on the wire to the proxy's
 * own socket (Via: that socket, Max-Forwards, To, From with a tag,
 * Call-ID, CSeq, the common headers, Content-Length, the body) and handed
 * to the core's receive_msg() with the socket as source and destination,
 * exactly as if the datagram had arrived.  The copy then runs
 * request_route from its first line: the source check sends it to
 * route[SELF_MESSAGE], which creates the copy's transaction and runs the
 * member's terminating PF and route[PF_LOCATION] (deferred delivery,
 * preferences, devices, privacy).  What disappears per copy is the CF's
 * UAC transaction (its temporary dialog, its buffer, its retransmission
 * and wait timers), the loopback send and receive, and the matching of
 * the member's answer to it: the CF never used that answer (the sender
 * has its 202; each member's PF answers or stores its copy).
 *
 * receive_msg() is the core's entry for a received message and must run
 * at the top of a process: the core keeps per-message process state (tm's
 * current transaction and context, the destination set, AVP / XAVP lists,
 * the route type, pv caches keyed by message id) that a receive_msg()
 * nested in the group MESSAGE's own script would share with it.  So the
 * SIP worker only writes the copies' common parts and the recipients into
 * one shm task (async_task_t, core/async_task.h) and pushes it to the
 * core's async workers (core parameter async_workers), as the sworker
 * module does; an async worker runs receive_msg() for each copy in turn,
 * at its top level, with RECV_F_INTERNAL (no core:pre-routing event).  The
 * task is one shm block with one owner: once pushed it is the async
 * worker's, and the core's task loop frees it after cf_task_exec() has
 * run (async_task_run()); when the push fails the SIP worker frees it. */

/* the Via branch prefix of every copy: RFC 3261 magic cookie, then a
 * '-' that tm's own branches (hex hash index first) never have */
#define CF_COPY_BRANCH "z9hG4bKcpmcf-"

/* The member's answer to a copy comes back to the copy's Via, where no
 * transaction waits for it (the CF has none: see above).  Normally that is
 * the async worker's answer port (below), which nobody reads; without one
 * it is the proxy's own socket: tm's reply matching runs first (tm is
 * loaded before this module) and finds nothing; this module's response
 * callback then ends it quietly, so the core does not parse the whole
 * reply for a second Via that it does not have (stateless forwarding,
 * which would fail anyway). */
int cpmcf_copy_reply(sip_msg_t *msg)
{
	static const str pfx = str_init(CF_COPY_BRANCH);
	struct via_param *b;

	if(msg->via1 == NULL || (b = msg->via1->branch) == NULL
			|| b->value.len <= pfx.len
			|| memcmp(b->value.s, pfx.s, pfx.len) != 0)
		return 1;
	LM_DBG("the answer %d to a group MESSAGE copy ends here\n",
			msg->first_line.u.reply.statuscode);
	return 0;
}

/* the copy this async worker is handing to receive_msg() right now (its
 * buffer), NULL otherwise: cpm_cf_is_copy() */
static const char *cf_injecting;

int ki_cpm_cf_is_copy(sip_msg_t *msg)
{
	return (cf_injecting != NULL && msg->buf == cf_injecting
				   && (msg->rcv.rflags & RECV_F_INTERNAL))
				   ? 1
				   : -1;
}

/* The answer port of the copies (their Via sent-by port).  The CF waits
 * for no answer to a copy (the sender has its 202; each member's PF
 * answers or stores its copy), so it gives the copies a Via port of its
 * own that it never reads: a UDP socket per async worker, opened on its
 * first task, on the listen address, with the smallest receive buffer,
 * where the kernel drops what it cannot queue.  Each answer is still built
 * and sent by the copy's transaction as RFC 3261 18.2.2 says
 * (route[SELF_MESSAGE] does not force rport for a copy), but no worker
 * receives, parses and discards it.  Without such a socket (it cannot be
 * made) the Via names the proxy's own port, and cpmcf_copy_reply() ends
 * those answers. */
static int cf_sink_fd = -1;
static char cf_sink_port[8];
static int cf_sink_tried;

static void sink_open(struct socket_info *si)
{
	union sockaddr_union su;
	socklen_t sl;
	int fd, one = 1;

	cf_sink_tried = 1;
	if(init_su(&su, &si->address, 0) < 0)
		return;
	fd = socket(su.s.sa_family, SOCK_DGRAM, 0);
	if(fd < 0) {
		LM_WARN("no answer socket for the group MESSAGE copies: %s\n",
				strerror(errno));
		return;
	}
	/* the kernel rounds it up to its minimum */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
	sl = sockaddru_len(su);
	if(bind(fd, &su.s, sl) < 0 || getsockname(fd, &su.s, &sl) < 0) {
		LM_WARN("no answer socket for the group MESSAGE copies: %s\n",
				strerror(errno));
		close(fd);
		return;
	}
	snprintf(cf_sink_port, sizeof(cf_sink_port), "%u",
			(unsigned)su_getport(&su));
	cf_sink_fd = fd;
}

/* One group MESSAGE's copies, in one shm block after the async_task_t:
 * this struct, the recipients (uris[n]), then the text of the parts and
 * of the recipients' URIs.  A copy is
 *   "MESSAGE " uri head1 <answer port> head2 <i> mid uri from <i> tail
 * (<i>: the copy's index in hex, in the Via branch and the Call-ID). */
typedef struct cf_task {
	receive_info_t ri; /* the proxy's UDP socket, source and destination */
	int n;
	int max;    /* the longest copy without the port, with its NUL */
	str head1;  /* " SIP/2.0\r\nVia: SIP/2.0/UDP <a>:" */
	str head2;  /* ";branch=z9hG4bKcpmcf-<pid>.<n>." */
	str mid;    /* "\r\nMax-Forwards: 70\r\nTo: <" */
	str from;   /* ">\r\nFrom: <from>;tag=<tag>\r\nCall-ID: <cid>." */
	str tail;   /* "\r\nCSeq: 1 MESSAGE\r\n<hdrs>Content-Length: <n>\r\n\r\n<body>" */
	str *uris;
} cf_task_t;

#define CF_MID "\r\nMax-Forwards: 70\r\nTo: <"

#define CF_PUT(p, s, l)        \
	do {                       \
		memcpy((p), (s), (l)); \
		(p) += (l);            \
	} while(0)

/* the async worker: each copy through receive_msg(), at the top of this
 * process (nothing of another message is current here) */
static void cf_task_exec(void *param)
{
	cf_task_t *t = (cf_task_t *)param;
	struct socket_info *si = t->ri.bind_address;
	receive_info_t ri;
	char num[16], *buf, *p;
	str port;
	int i, nl, sent = 0;

	if(!cf_sink_tried)
		sink_open(si);
	port = si->port_no_str;
	if(cf_sink_fd >= 0) {
		port.s = cf_sink_port;
		port.len = strlen(cf_sink_port);
	}
	buf = pkg_malloc(t->max + port.len);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		LM_ERR("%d group MESSAGE copies dropped\n", t->n);
		return;
	}
	for(i = 0; i < t->n; i++) {
		p = buf;
		nl = 0;
		put_hex(num, sizeof(num), &nl, (unsigned)i);
		CF_PUT(p, "MESSAGE ", 8);
		CF_PUT(p, t->uris[i].s, t->uris[i].len);
		CF_PUT(p, t->head1.s, t->head1.len);
		CF_PUT(p, port.s, port.len);
		CF_PUT(p, t->head2.s, t->head2.len);
		CF_PUT(p, num, nl);
		CF_PUT(p, t->mid.s, t->mid.len);
		CF_PUT(p, t->uris[i].s, t->uris[i].len);
		CF_PUT(p, t->from.s, t->from.len);
		CF_PUT(p, num, nl);
		CF_PUT(p, t->tail.s, t->tail.len);
		*p = '\0'; /* receive_msg() wants it (as a received datagram has) */
		ri = t->ri; /* receive_msg() may change its copy */
		cf_injecting = buf;
		nl = receive_msg(buf, (unsigned int)(p - buf), &ri);
		cf_injecting = NULL;
		if(nl < 0) {
			LM_ERR("the group MESSAGE copy to %.*s was not processed\n",
					t->uris[i].len, t->uris[i].s);
			continue;
		}
		sent++;
	}
	pkg_free(buf);
	counter_add(st_copies, sent);
	LM_DBG("%d of %d copies handed to request_route\n", sent, t->n);
}

/* appends s to the task's text at *p and points d at it */
static void task_str(char **p, str *d, const char *s, int len)
{
	d->s = *p;
	d->len = len;
	memcpy(*p, s, len);
	*p += len;
}

/* Builds the task of one group MESSAGE and pushes it to the async
 * workers.  0 (the copies are the async worker's), or a negative errno
 * (nothing was pushed, nothing is left allocated) */
static int task_push(fan_t *f, struct socket_info *si, const str *uris, int n)
{
	static unsigned int fanno;
	char h1[CPMCF_URI_MAX], h2[64], dl[16], *p;
	async_task_t *at;
	cf_task_t *t;
	str stag, cid;
	int size, l1 = 0, l2 = 0, ll = 0, i, ul = 0, umax = 0, rc;

	for(i = 0; i < n; i++) {
		if(uris[i].len >= CPMCF_URI_MAX)
			return -EINVAL;
		ul += uris[i].len;
		if(uris[i].len > umax)
			umax = uris[i].len;
	}
	fanno++;
	/* head1, head2 and Content-Length's digits on the stack (bounded
	 * appends) first: the task's size is then exact */
	if(PUT_LIT(h1, sizeof(h1), &l1, " SIP/2.0\r\nVia: SIP/2.0/UDP ") < 0
			|| (si->address.af == AF_INET6
					&& PUT_LIT(h1, sizeof(h1), &l1, "[") < 0)
			|| PUT_STR(h1, sizeof(h1), &l1, &si->address_str) < 0
			|| (si->address.af == AF_INET6
					&& PUT_LIT(h1, sizeof(h1), &l1, "]") < 0)
			|| PUT_LIT(h1, sizeof(h1), &l1, ":") < 0
			|| PUT_LIT(h2, sizeof(h2), &l2, ";branch=" CF_COPY_BRANCH) < 0
			|| put_hex(h2, sizeof(h2), &l2, (unsigned)my_pid()) < 0
			|| PUT_LIT(h2, sizeof(h2), &l2, ".") < 0
			|| put_hex(h2, sizeof(h2), &l2, fanno) < 0
			|| PUT_LIT(h2, sizeof(h2), &l2, ".") < 0
			|| put_dec(dl, sizeof(dl), &ll, (unsigned)f->body.len) < 0)
		return -ENOSPC;
	/* tm's own generators (static buffers, copied below at once) */
	tmb.generate_callid(&cid);
	tmb.generate_fromtag(&stag, &cid, NULL);
	size = sizeof(async_task_t) + sizeof(cf_task_t) + n * sizeof(str) + l1
		   + l2 + (sizeof(CF_MID) - 1)
		   + (9 + f->from.len + 5 + stag.len + 11 + cid.len + 1)
		   + (19 + f->hdrs.len + 16 + ll + 4 + f->body.len) + ul;
	at = shm_malloc(size);
	if(at == NULL) {
		SHM_MEM_ERROR;
		return -ENOMEM;
	}
	t = (cf_task_t *)(at + 1);
	memset(at, 0, sizeof(*at) + sizeof(*t));
	at->exec = cf_task_exec;
	at->param = t;
	t->uris = (str *)(t + 1);
	t->n = n;
	p = (char *)(t->uris + n);
	task_str(&p, &t->head1, h1, l1);
	task_str(&p, &t->head2, h2, l2);
	task_str(&p, &t->mid, CF_MID, sizeof(CF_MID) - 1);
	/* ">\r\nFrom: <from>;tag=<tag>\r\nCall-ID: <cid>." */
	t->from.s = p;
	CF_PUT(p, ">\r\nFrom: ", 9);
	CF_PUT(p, f->from.s, f->from.len);
	CF_PUT(p, ";tag=", 5);
	CF_PUT(p, stag.s, stag.len);
	CF_PUT(p, "\r\nCall-ID: ", 11);
	CF_PUT(p, cid.s, cid.len);
	CF_PUT(p, ".", 1);
	t->from.len = (int)(p - t->from.s);
	/* "\r\nCSeq: 1 MESSAGE\r\n<hdrs>Content-Length: <n>\r\n\r\n<body>" */
	t->tail.s = p;
	CF_PUT(p, "\r\nCSeq: 1 MESSAGE\r\n", 19);
	CF_PUT(p, f->hdrs.s, f->hdrs.len);
	CF_PUT(p, "Content-Length: ", 16);
	CF_PUT(p, dl, ll);
	CF_PUT(p, "\r\n\r\n", 4);
	CF_PUT(p, f->body.s, f->body.len);
	t->tail.len = (int)(p - t->tail.s);
	for(i = 0; i < n; i++)
		task_str(&p, &t->uris[i], uris[i].s, uris[i].len);
	/* "MESSAGE " uri head1 head2 <8 hex> mid uri from <8 hex> tail NUL */
	t->max = 8 + 2 * umax + t->head1.len + t->head2.len + t->mid.len
			 + t->from.len + t->tail.len + 2 * 8 + 1;
	t->ri.src_ip = si->address;
	t->ri.dst_ip = si->address;
	t->ri.src_port = si->port_no;
	t->ri.dst_port = si->port_no;
	t->ri.proto = PROTO_UDP;
	t->ri.bind_address = si;
	/* a copy is this proxy's own request: no core:pre-routing event */
	t->ri.rflags = RECV_F_INTERNAL;
	/* async_task_push() takes a task without workers and drops it (a
	 * leak): cpmcf_msg_init() refuses to start without them, checked here
	 * again all the same */
	if(!async_task_workers_active()) {
		rc = -ENOSYS;
		goto error;
	}
	if(async_task_push(at) < 0) {
		rc = -EIO;
		goto error;
	}
	return 0;
error:
	shm_free(at);
	return rc;
}

/* what one fan-out needs, whatever its form */
typedef struct fan_in {
	str pai;      /* P-Asserted-Identity of the copies */
	str suri;     /* the sender */
	str disp;     /* the sender's display name for From */
	str ctype;    /* Content-Type of the copies, may be empty */
	str body;
	const str *uris; /* the recipients (uris[i]) */
	int n;
} fan_in_t;

/* Seed 5.1: a Pager Mode message above the limit is refused with 413 and a
 * reason phrase asking for Large Message Mode, as the PF does
 * (cpm_pf_check_size()); for the factory form only the message part
 * counts, not the recipient list (RFC 5365: the list is for the CF) */
static int too_large(sip_msg_t *msg, int len)
{
	static str reason = str_init(
			"Request Entity Too Large: use Large Message Mode (MSRP)");

	if(len <= cpmcf_max_pager_size)
		return 0;
	counter_inc(st_refused);
	return slb.freply(msg, 413, &reason) < 0 ? -1 : -2;
}

/* each copy as a UAC request (t_request) to this proxy's own socket: a
 * TCP-only proxy, or the copies could not be handed to an async worker.
 * 202 when a copy left, else 500 (nobody will get it) */
static int uac_fan_out(sip_msg_t *msg, fan_t *f, fan_in_t *in)
{
	char hop[128];
	int i, sent = 0;

	if(self_uri(hop, sizeof(hop)) < 0) {
		LM_ERR("no socket to send the group MESSAGE copies to\n");
		return tmb.t_reply(msg, 500, "Server Internal Error") < 0 ? -1 : 1;
	}
	f->hop.s = hop;
	f->hop.len = strlen(hop);
	for(i = 0; i < in->n; i++)
		if(send_copy(f, &in->uris[i]) == 0)
			sent++;
	LM_DBG("%d of %d copies sent\n", sent, in->n);
	if(sent == 0)
		return tmb.t_reply(msg, 500, "Server Internal Error") < 0 ? -1 : 1;
	counter_inc(st_fanouts);
	/* RFC 5365 / RFC 3428: 202, the copies are on their way (each
	 * recipient's PF answers or stores its own) */
	return tmb.t_reply(msg, 202, "Accepted") < 0 ? -1 : 1;
}

/* builds the common headers once, creates the sender's transaction, sends
 * one copy per recipient, answers 202.  1, or -1 (nothing answered) */
static int fan_out(sip_msg_t *msg, fan_in_t *in)
{
	char hdrs[4096], from[2 * CPMCF_URI_MAX + 8];
	char rb[3 * CPMCF_URI_MAX];
	fan_t f;
	int hl, n, q, rc, rl;
	str ctn = str_init("Content-Type");

	/* seed 6.1: the sender's SIP and TEL URI (cpmcf_dialect_core.h) */
	rl = cpmcf_referred_by(&in->suri, rb, sizeof(rb));
	if(rl < 0)
		goto toolong;
	hl = 0;
	if(PUT_LIT(hdrs, sizeof(hdrs), &hl, "P-Asserted-Identity: <") < 0
			|| PUT_STR(hdrs, sizeof(hdrs), &hl, &in->pai) < 0
			|| PUT_LIT(hdrs, sizeof(hdrs), &hl, ">\r\nReferred-By: ") < 0
			|| put(hdrs, sizeof(hdrs), &hl, rb, rl) < 0
			|| PUT_LIT(hdrs, sizeof(hdrs), &hl, "\r\n") < 0
			|| copy_e2e(msg, hdrs, sizeof(hdrs), &hl) < 0
			|| (in->ctype.len > 0
					&& put_hdr(hdrs, sizeof(hdrs), &hl, &ctn, &in->ctype) < 0))
		goto toolong;
	/* [display] <uri>: a display name is quoted unless it already is */
	n = 0;
	if(in->disp.len > 0) {
		q = in->disp.s[0] != '"';
		if((q && PUT_LIT(from, sizeof(from), &n, "\"") < 0)
				|| PUT_STR(from, sizeof(from), &n, &in->disp) < 0
				|| (q && PUT_LIT(from, sizeof(from), &n, "\"") < 0)
				|| PUT_LIT(from, sizeof(from), &n, " ") < 0)
			goto toolong;
	}
	if(PUT_LIT(from, sizeof(from), &n, "<") < 0
			|| PUT_STR(from, sizeof(from), &n, &in->suri) < 0
			|| PUT_LIT(from, sizeof(from), &n, ">") < 0)
		goto toolong;
	f.from.s = from;
	f.from.len = n;
	f.hdrs.s = hdrs;
	f.hdrs.len = hl;
	f.body = in->body;
	f.hop.s = NULL;
	f.hop.len = 0;
	/* the sender's transaction first: a retransmission of this MESSAGE is
	 * absorbed by tm from now on, never fanned out again */
	if(tmb.t_newtran(msg) < 0) {
		LM_ERR("cannot create the transaction of the group MESSAGE\n");
		return -1;
	}
	if(udp_listen != NULL) {
		/* the copies to an async worker (above), then the 202 (RFC 5365 /
		 * RFC 3428: the copies are on their way; each recipient's PF
		 * answers or stores its own) */
		rc = task_push(&f, udp_listen, in->uris, in->n);
		if(rc == 0) {
			counter_inc(st_fanouts);
			return tmb.t_reply(msg, 202, "Accepted") < 0 ? -1 : 1;
		}
		/* not lost for that: the same copies as UAC requests */
		LM_ERR("cannot hand the group MESSAGE copies to an async worker (%d):"
			   " sending them as UAC requests\n",
				rc);
	}
	return uac_fan_out(msg, &f, in);
toolong:
	/* the CPM identifiers are bounded by cpm_headers (max_id_length), so
	 * this is a local limit, not the client's fault: 500 from the script */
	LM_ERR("the group MESSAGE's headers do not fit %d bytes\n",
			(int)sizeof(hdrs));
	return -1;
}

/* The factory form (RFC 5365): Require: recipient-list-message and a
 * multipart body of the list and the message.  The list's recipients must
 * be users of the served domain (this cfg relays nowhere else: no outbound
 * routing); the others are unusable entries (Warning 129 when none is
 * left).  P-Asserted-Identity: the sender -- an ad-hoc list has no group
 * address (seed 6.1 names the group address for pre-defined groups only). */
static int factory_form(sip_msg_t *msg, str *suri, str *skey, str *disp)
{
	cpmcf_listmsg_t lm;
	cpm_rl_entry_t *e = NULL;
	fan_in_t in;
	str *keys = NULL, *uris = NULL, ct;
	char *buf = NULL, *kpool = NULL, *kp, rw[160];
	const char *why;
	int *out = NULL, n, nr, i, k, bsz, rc = -1;

	/* RFC 5365 5: only a request that requires the extension is a list
	 * request; without it the factory has nobody to send to */
	if(!cpmcf_requires(msg, "recipient-list-message"))
		return refuse(msg, 403, 129);
	if(msg->content_type == NULL)
		return refuse_text(msg, "Not a multipart/mixed body with a recipient"
								" list");
	ct = msg->content_type->body;
	in.body.s = get_body(msg);
	in.body.len = in.body.s ? (int)(msg->buf + msg->len - in.body.s) : 0;
	if(cpmcf_list_split(ct.s, ct.len, in.body.s ? in.body.s : "", in.body.len,
			   &lm, &why)
			< 0)
		return refuse_text(msg, why);
	if((rc = too_large(msg, lm.body.len)) != 0)
		return rc;
	rc = -1;
	/* one entry more than the limit allows is enough to know it is over
	 * (cpm_rl_parse: -E2BIG) */
	e = pkg_malloc((cpmcf_max_participants + 1) * sizeof(*e));
	bsz = CPM_RL_BUF_SIZE(lm.list.len);
	buf = pkg_malloc(bsz);
	if(e == NULL || buf == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	n = cpm_rl_parse(lm.list.s, lm.list.len, e, cpmcf_max_participants + 1,
			buf, bsz);
	if(n == -E2BIG) {
		rc = refuse(msg, 403, 102);
		goto done;
	}
	if(n < 0) {
		/* XXE, entity expansion, wrong namespace, malformed: nothing is
		 * sent (seed 6.4.1: a text Warning, Table 1 has no code) */
		snprintf(rw, sizeof(rw), "Invalid recipient list: %s",
				cpm_rl_strerror(n));
		rc = refuse_text(msg, rw);
		goto done;
	}
	keys = pkg_malloc((n + 1) * sizeof(str) * 2);
	out = pkg_malloc((n + 1) * sizeof(int));
	kpool = pkg_malloc(lm.list.len + n + 1);
	if(keys == NULL || out == NULL || kpool == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	uris = keys + n + 1;
	kp = kpool;
	for(i = 0; i < n; i++) {
		str u;
		u.s = (char *)e[i].uri.s;
		u.len = e[i].uri.len;
		keys[i].s = kp;
		keys[i].len = 0;
		k = cpmcf_group_key(&u, kp, (int)(kpool + lm.list.len + n + 1 - kp));
		/* usable: a user of the served domain (a key without '@', not a
		 * TEL number) */
		if(k > 0 && memchr(kp, '@', k) == NULL && strncmp(kp, "tel:", 4) != 0) {
			keys[i].len = k;
			kp += k + 1;
		}
	}
	nr = cpmcf_fan_pick(keys, n, skey, cpmcf_max_participants, out);
	if(nr == CPMCF_FAN_TOO_MANY) {
		rc = refuse(msg, 403, 102);
		goto done;
	}
	if(nr <= 0) {
		rc = refuse(msg, 403, 129);
		goto done;
	}
	for(i = 0; i < nr; i++) {
		uris[i].s = (char *)e[out[i]].uri.s;
		uris[i].len = e[out[i]].uri.len;
	}
	in.pai = *suri;
	in.suri = *suri;
	in.disp = *disp;
	in.ctype.s = (char *)lm.ctype.s;
	in.ctype.len = lm.ctype.len;
	in.body.s = (char *)lm.body.s;
	in.body.len = lm.body.len;
	in.uris = uris;
	in.n = nr;
	rc = fan_out(msg, &in);
done:
	if(e)
		pkg_free(e);
	if(buf)
		pkg_free(buf);
	if(keys)
		pkg_free(keys);
	if(out)
		pkg_free(out);
	if(kpool)
		pkg_free(kpool);
	return rc;
}

/* a pre-defined group (seed 5.2, 6.1): its members but the sender */
static int group_form(sip_msg_t *msg, str *suri, str *skey, str *disp)
{
	char gkey_b[CPMCF_URI_MAX];
	str uris_stack[64], *uris = uris_stack;
	int out_stack[64], *out = out_stack;
	cpmcf_gtab_t *t;
	const cpmcf_group_t *g;
	fan_in_t in;
	str gkey;
	int n, nr, i, rc = -1;

	in.body.s = get_body(msg);
	in.body.len = in.body.s ? (int)(msg->buf + msg->len - in.body.s) : 0;
	if((rc = too_large(msg, in.body.len)) != 0)
		return rc;
	rc = -1;
	n = cpmcf_group_key(&msg->first_line.u.request.uri, gkey_b, sizeof(gkey_b));
	if(n <= 0)
		return refuse(msg, 404, 129);
	gkey.s = gkey_b;
	gkey.len = n;
	/* a reference, not a lock: the members are read while sending */
	t = cpmcf_group_acquire();
	g = t ? cpmcf_gtab_find(t, &gkey) : NULL;
	if(g == NULL) {
		cpmcf_group_release(t);
		return refuse(msg, 404, 129);
	}
	if(g->n_members > 64) {
		out = pkg_malloc(g->n_members * sizeof(int));
		uris = pkg_malloc(g->n_members * sizeof(str));
		if(out == NULL || uris == NULL) {
			PKG_MEM_ERROR;
			goto done;
		}
	}
	nr = cpmcf_fan_group(g, skey, cpmcf_max_participants, out);
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
	for(i = 0; i < nr; i++)
		uris[i] = g->members[out[i]].uri;
	in.pai = g->uri;
	in.suri = *suri;
	/* seed 6.3: the sender's group-specific display name, else its own */
	i = cpmcf_group_member(g, skey);
	in.disp = (i >= 0 && g->members[i].display_name.len > 0)
					  ? g->members[i].display_name
					  : *disp;
	in.ctype.s = NULL;
	in.ctype.len = 0;
	if(msg->content_type)
		in.ctype = msg->content_type->body;
	in.uris = uris;
	in.n = nr;
	rc = fan_out(msg, &in);
done:
	if(out != out_stack && out)
		pkg_free(out);
	if(uris != uris_stack && uris)
		pkg_free(uris);
	cpmcf_group_release(t);
	return rc;
}

int ki_cpm_cf_message(sip_msg_t *msg, str *auth_user, int trusted)
{
	char skey_b[CPMCF_URI_MAX];
	struct to_body *fb;
	str skey, suri;
	int n;

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
					   == 0)
		return factory_form(msg, &suri, &skey, &fb->display);
	return group_form(msg, &suri, &skey, &fb->display);
}
