/*
 * cpm_pf disposition notifications (RFC 5438; seed 4.1 "with/without
 * disposition notifications"; issue 6 item 5).  See cpmpf_imdn.h and
 * docs/cpm_pf.md "Disposition notifications (IMDN)".
 *
 * The parsing is lib/ (cpm_cpim, cpm_imdn over the hardened cpm_xml); this
 * file is the glue: the script function, the xavp, the writer's side table
 * cpm_store_imdn and the negative-delivery IMDN sent as UAC.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/counters.h"
#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/mem/pkg.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_content.h"
#include "core/socket_info.h"
#include "core/trim.h"
#include "core/xavp.h"
#include "modules/tm/tm_load.h"

#include "../../lib/cpm_cpim.h"
#include "../../lib/cpm_imdn.h"
#include "../../lib/cpm_xml.h"

#include "cpmpf_db.h"
#include "cpmpf_imdn.h"
#include "cpmpf_imdn_core.h"

static struct tm_binds tmb;
static int have_tm = 0;

static counter_handle_t st_checked, st_malformed, st_refused, st_sent;
static counter_def_t imdn_counters[] = {
		{&st_checked, "imdn_checked", 0, 0, 0,
				"MESSAGEs whose CPIM wrapper cpm_pf_check_cpim() parsed"},
		{&st_malformed, "cpim_malformed", 0, 0, 0,
				"MESSAGEs refused for a malformed CPIM body"},
		{&st_refused, "imdn_refused", 0, 0, 0,
				"disposition notifications refused for invalid or hostile "
				"message/imdn+xml"},
		{&st_sent, "imdn_negative_sent", 0, 0, 0,
				"negative-delivery IMDNs the PF sent (expiry, refusal)"},
		{0, 0, 0, 0, 0, 0}};

int cpmpf_imdn_mod_init(void)
{
	/* libxml2: initialised once before the fork (lib/cpm_xml.h), never
	 * cleaned up at run time */
	xmlInitParser();
	if(counter_register_array("cpm_pf", imdn_counters) < 0) {
		LM_ERR("cannot register the IMDN statistics\n");
		return -1;
	}
	if(load_tm_api(&tmb) == 0)
		have_tm = 1;
	else
		LM_WARN("no tm: negative-delivery IMDNs are not sent\n");
	return 0;
}

/* ---- the script function (SIP worker) ----------------------------------- */

static str x_root = str_init("cpmpf_imdn");
static str x_msgid = str_init("message_id"), x_flags = str_init("dn_flags"),
		   x_notif = str_init("is_notification"), x_sender = str_init("sender"),
		   x_rcpt = str_init("recipient"), x_dt = str_init("datetime"),
		   x_err = str_init("error");

static int xadd_str(str *name, const cpm_str_t *v, sr_xavp_t **list)
{
	sr_xval_t x;

	memset(&x, 0, sizeof(x));
	x.type = SR_XTYPE_STR;
	x.v.s.s = v ? (char *)v->s : "";
	x.v.s.len = v ? v->len : 0;
	return xavp_add_value(name, &x, list) ? 0 : -ENOMEM;
}

static int xadd_int(str *name, int i, sr_xavp_t **list)
{
	sr_xval_t x;

	memset(&x, 0, sizeof(x));
	x.type = SR_XTYPE_INT;
	x.v.i = i;
	return xavp_add_value(name, &x, list) ? 0 : -ENOMEM;
}

/* $xavp(cpmpf_imdn) replaced by list (owned by the xavp afterwards) */
static int xset(sr_xavp_t *list)
{
	sr_xval_t x;

	xavp_rm_by_name(&x_root, 1, NULL);
	memset(&x, 0, sizeof(x));
	x.type = SR_XTYPE_XAVP;
	x.v.xavp = list;
	if(xavp_add_value(&x_root, &x, NULL) == NULL) {
		xavp_destroy_list(&list);
		return -ENOMEM;
	}
	return 0;
}

/* refusal: $xavp(cpmpf_imdn=>error) = the reason phrase for the script */
static int refuse(const char *reason, int rc)
{
	sr_xavp_t *list = NULL;
	cpm_str_t r;

	r.s = reason;
	r.len = strlen(reason);
	if(xadd_str(&x_err, &r, &list) < 0 || xset(list) < 0) {
		LM_ERR("cannot set $xavp(cpmpf_imdn)\n");
		return -1;
	}
	return rc;
}

/* the URI of a CPIM From / To value, or an empty view */
static void cpim_uri(const cpm_str_t *v, cpm_str_t *uri)
{
	cpm_str_t d;

	uri->s = "";
	uri->len = 0;
	if(v && cpm_cpim_addr(v->s, v->len, &d, uri) < 0) {
		uri->s = "";
		uri->len = 0;
	}
}

int ki_cpm_pf_check_cpim(sip_msg_t *msg)
{
	/* on the stack (~3 KB): one pkg_malloc/pkg_free less per MESSAGE */
	cpm_cpim_t mbuf, *m = &mbuf;
	cpm_imdn_t imdn;
	char *ibuf = NULL, *body, reason[96];
	int blen, rc = -1, off = 0, flags = 0, notif = 0;
	str ct;
	const cpm_str_t *v, *ict;
	cpm_str_t cct, from, to;
	sr_xavp_t *list = NULL;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers\n");
		return -1;
	}
	if(msg->content_type == NULL)
		return 2;
	ct = msg->content_type->body;
	trim(&ct);
	cct.s = ct.s;
	cct.len = ct.len;
	if(!cpm_cpim_type_is(&cct, "message/cpim"))
		return 2;
	counter_inc(st_checked);
	body = get_body(msg);
	blen = body ? (int)(msg->buf + msg->len - body) : 0;
	/* RFC 3862 3: a message/cpim body that does not parse is refused: the
	 * recipient could not read it either, and storing it would keep
	 * garbage for days (seed Table 1 has no Warning code for it) */
	rc = cpm_cpim_parse(body ? body : "", blen, m, &off);
	if(rc < 0) {
		LM_DBG("malformed CPIM body (%d at octet %d)\n", rc, off);
		counter_inc(st_malformed);
		rc = refuse("Malformed CPIM body", -2);
		goto done;
	}
	v = cpm_cpim_imdn_disposition(m);
	if(v) {
		flags = cpm_imdn_disp_parse(v->s, v->len, &off);
		if(flags < 0) {
			counter_inc(st_malformed);
			rc = refuse("Malformed imdn.Disposition-Notification", -2);
			goto done;
		}
	}
	ict = cpm_cpim_content_type(m);
	if(cpm_cpim_type_is(ict, CPM_IMDN_CONTENT_TYPE)) {
		/* a disposition notification (RFC 5438 7): the XML from the
		 * network goes through the hardened parser only */
		notif = 1;
		ibuf = pkg_malloc(CPM_IMDN_BUF_SIZE(m->content.len));
		if(ibuf == NULL) {
			PKG_MEM_ERROR;
			rc = -1;
			goto done;
		}
		rc = cpm_imdn_parse(m->content.s, m->content.len, &imdn, ibuf,
				CPM_IMDN_BUF_SIZE(m->content.len), &off);
		if(rc < 0) {
			LM_DBG("refused IMDN body: %s (%d at octet %d)\n",
					cpm_xml_strerror(rc), rc, off);
			counter_inc(st_refused);
			snprintf(reason, sizeof(reason), "Invalid IMDN body: %s",
					rc == -EBADMSG && off == 0 ? "not an IMDN"
											   : cpm_xml_strerror(rc));
			rc = refuse(reason, -3);
			goto done;
		}
		/* RFC 5438 7.1.1: a notification asks for no notification; never
		 * answer one with another (no loop) */
		flags = 0;
	}
	if(flags == 0 && !notif) {
		/* RFC 5438 7: a message that requests no disposition notification
		 * and is none gets no IMDN processing: no per-transaction state
		 * (seven shm xavps, ~5,000 instructions with their frees, per
		 * MESSAGE; docs/benchmarks.md).  A stale one goes. */
		xavp_rm_by_name(&x_root, 1, NULL);
		rc = 1;
		goto done;
	}
	cpim_uri(cpm_cpim_from(m), &from);
	cpim_uri(cpm_cpim_to(m), &to);
	if(xadd_str(&x_msgid, cpm_cpim_imdn_message_id(m), &list) < 0
			|| xadd_int(&x_flags, flags, &list) < 0
			|| xadd_int(&x_notif, notif, &list) < 0
			|| xadd_str(&x_sender, &from, &list) < 0
			|| xadd_str(&x_rcpt, &to, &list) < 0
			|| xadd_str(&x_dt, cpm_cpim_datetime(m), &list) < 0) {
		xavp_destroy_list(&list);
		LM_ERR("cannot set $xavp(cpmpf_imdn)\n");
		rc = -1;
		goto done;
	}
	rc = xset(list) < 0 ? -1 : 1;
done:
	if(ibuf)
		pkg_free(ibuf);
	return rc;
}

static void xget(sr_xavp_t *list, str *name, str *out)
{
	sr_xavp_t *x = xavp_get(name, list);

	out->s = "";
	out->len = 0;
	if(x && x->val.type == SR_XTYPE_STR)
		*out = x->val.v.s;
}

void cpmpf_imdn_job_strs(str *out)
{
	sr_xavp_t *root, *x;
	int i;

	for(i = 0; i < CPMPF_IMDN_S_N; i++) {
		out[i].s = "";
		out[i].len = 0;
	}
	root = xavp_get(&x_root, NULL);
	if(root == NULL || root->val.type != SR_XTYPE_XAVP)
		return;
	x = xavp_get(&x_flags, root->val.v.xavp);
	if(x == NULL || x->val.type != SR_XTYPE_INT
			|| !(x->val.v.i & CPM_IMDN_REQ_NEGATIVE_DELIVERY))
		return;
	xget(root->val.v.xavp, &x_msgid, &out[CPMPF_IMDN_S_MSGID]);
	xget(root->val.v.xavp, &x_sender, &out[CPMPF_IMDN_S_SENDER]);
	xget(root->val.v.xavp, &x_rcpt, &out[CPMPF_IMDN_S_RCPT]);
	xget(root->val.v.xavp, &x_dt, &out[CPMPF_IMDN_S_DATETIME]);
	/* an IMDN needs the Message-ID to correlate and both addresses */
	if(out[CPMPF_IMDN_S_MSGID].len == 0 || out[CPMPF_IMDN_S_SENDER].len == 0
			|| out[CPMPF_IMDN_S_RCPT].len == 0)
		for(i = 0; i < CPMPF_IMDN_S_N; i++) {
			out[i].s = "";
			out[i].len = 0;
		}
}

/* ---- the writer: cpm_store_imdn and the negative-delivery IMDN ---------- */

static str t_imdn = str_init("cpm_store_imdn");
static str c_msg = str_init("msg_id"), c_mid = str_init("message_id"),
		   c_sender = str_init("sender"), c_rcpt = str_init("recipient"),
		   c_dt = str_init("date_time");

int cpmpf_imdn_store_exec(db1_con_t *con, db_func_t *dbf, long long id,
		const str *s)
{
	db_key_t k[5] = {&c_msg, &c_mid, &c_sender, &c_rcpt, &c_dt};
	db_val_t v[5];
	int i;

	if(s[CPMPF_IMDN_S_MSGID].len == 0)
		return 0;
	memset(v, 0, sizeof(v));
	VAL_TYPE(&v[0]) = DB1_BIGINT;
	VAL_BIGINT(&v[0]) = id;
	for(i = 0; i < 4; i++) {
		VAL_TYPE(&v[i + 1]) = DB1_STR;
		VAL_STR(&v[i + 1]) = s[i];
	}
	if(dbf->use_table(con, &t_imdn) < 0 || dbf->insert(con, k, v, 5) < 0) {
		LM_ERR("cannot store the IMDN request of message %lld\n", id);
		return -EIO;
	}
	return 0;
}

/* one IMDN to send once the transaction is committed (writer pkg) */
typedef struct pending {
	struct pending *next;
	str f[7]; /* message_id sender recipient datetime conv contrib, stored */
	long long stored;
	char data[];
} pending_t;
static pending_t *pend = NULL, **pend_tail = &pend;

#define PEND_SELECT                                                         \
	"SELECT i.message_id, i.sender, i.recipient, i.date_time, "              \
	"s.conversation_id, s.contribution_id, s.stored FROM cpm_store_imdn i " \
	"JOIN cpm_store s ON s.id = i.msg_id WHERE "

/* queue every row of the query (columns of PEND_SELECT) */
static int pend_query(db1_con_t *con, db_func_t *dbf, const char *q)
{
	db1_res_t *res = NULL;
	db_val_t *row;
	str qs, f[6];
	pending_t *p;
	int i, j, len;
	char *d;

	qs.s = (char *)q;
	qs.len = strlen(q);
	if(dbf->raw_query(con, &qs, &res) < 0 || res == NULL)
		return -EIO;
	for(i = 0; i < RES_ROW_N(res); i++) {
		row = ROW_VALUES(&RES_ROWS(res)[i]);
		len = 0;
		for(j = 0; j < 6; j++) {
			if(cpmpf_db_val_str(&row[j], &f[j]) < 0) {
				f[j].s = "";
				f[j].len = 0;
			}
			len += f[j].len + 1;
		}
		p = pkg_malloc(sizeof(*p) + len);
		if(p == NULL) {
			PKG_MEM_ERROR;
			dbf->free_result(con, res);
			return -ENOMEM;
		}
		memset(p, 0, sizeof(*p));
		d = p->data;
		for(j = 0; j < 6; j++) {
			memcpy(d, f[j].s, f[j].len);
			p->f[j].s = d;
			p->f[j].len = f[j].len;
			d[f[j].len] = '\0';
			d += f[j].len + 1;
		}
		p->stored = cpmpf_db_val_ll(&row[6], 0);
		*pend_tail = p;
		pend_tail = &p->next;
	}
	dbf->free_result(con, res);
	return 0;
}

static int exec_sql(db1_con_t *con, db_func_t *dbf, const char *q)
{
	str qs;
	db1_res_t *res = NULL;

	qs.s = (char *)q;
	qs.len = strlen(q);
	if(dbf->raw_query(con, &qs, &res) < 0)
		return -EIO;
	if(res)
		dbf->free_result(con, res);
	return 0;
}

int cpmpf_imdn_expiring(db1_con_t *con, db_func_t *dbf, long long now)
{
	char q[512];

	snprintf(q, sizeof(q), PEND_SELECT "s.expires <= %lld", now);
	if(pend_query(con, dbf, q) < 0)
		return -EIO;
	snprintf(q, sizeof(q),
			"DELETE FROM cpm_store_imdn WHERE msg_id IN "
			"(SELECT id FROM cpm_store WHERE expires <= %lld)",
			now);
	return exec_sql(con, dbf, q);
}

int cpmpf_imdn_forget(db1_con_t *con, db_func_t *dbf, long long id)
{
	char q[128];

	snprintf(q, sizeof(q), "DELETE FROM cpm_store_imdn WHERE msg_id = %lld",
			id);
	return exec_sql(con, dbf, q);
}

int cpmpf_imdn_refused(db1_con_t *con, db_func_t *dbf, long long id,
		int status)
{
	char q[512];

	if(!cpmpf_imdn_permanent(status))
		return 0;
	snprintf(q, sizeof(q), PEND_SELECT "i.msg_id = %lld", id);
	if(pend_query(con, dbf, q) < 0)
		return -EIO;
	/* once: the row goes, the message stays for the user's other devices */
	return cpmpf_imdn_forget(con, dbf, id);
}

/* "sip:<addr>:<port>" of the proxy's first UDP (else TCP) socket: the IMDN
 * enters this proxy's request_route like any request to the user */
static int self_uri(char *buf, int size)
{
	struct socket_info *si = udp_listen ? udp_listen : tcp_listen;
	int n;

	if(si == NULL)
		return -ENOENT;
	if(si->address.af == AF_INET6)
		n = snprintf(buf, size, "sip:[%.*s]:%.*s;transport=%s",
				si->address_str.len, si->address_str.s, si->port_no_str.len,
				si->port_no_str.s, udp_listen ? "udp" : "tcp");
	else
		n = snprintf(buf, size, "sip:%.*s:%.*s;transport=%s",
				si->address_str.len, si->address_str.s, si->port_no_str.len,
				si->port_no_str.s, udp_listen ? "udp" : "tcp");
	return (n < 0 || n >= size) ? -ENOSPC : 0;
}

/* the negative-delivery IMDN for p (RFC 5438 7.2.1.1 / 7.1): a new MESSAGE
 * from the recipient to the original sender, CPIM wrapped */
static int send_one(pending_t *p)
{
	static unsigned int seq = 0;
	char body[4096], hdrs[768], idb[48], now[32], odt[32], hop[128];
	char from[300], to[300];
	cpm_imdn_t in;
	cpm_cpim_notif_t n;
	str sb, sh, sf, st, sr, shop, method = str_init("MESSAGE");
	uac_req_t uac_r;
	int len, hl;

	if(p->f[1].len > 255 || p->f[2].len > 255)
		return -EINVAL;
	memset(&in, 0, sizeof(in));
	in.kind = CPM_IMDN_DELIVERY;
	in.status = CPM_IMDN_FAILED;
	in.message_id.s = p->f[0].s;
	in.message_id.len = p->f[0].len;
	if(p->f[3].len > 0) {
		in.datetime.s = p->f[3].s;
		in.datetime.len = p->f[3].len;
	} else {
		/* RFC 5438 6.4 asks the sender for a DateTime; without one,
		 * the time the PF stored the message */
		if(cpm_cpim_fmt_datetime(p->stored, odt, sizeof(odt)) < 0)
			return -EINVAL;
		in.datetime.s = odt;
		in.datetime.len = strlen(odt);
	}
	in.recipient_uri.s = p->f[2].s;
	in.recipient_uri.len = p->f[2].len;
	memset(&n, 0, sizeof(n));
	n.from = in.recipient_uri;
	n.to.s = p->f[1].s;
	n.to.len = p->f[1].len;
	/* a new imdn.Message-ID (RFC 5438 6.3: unique for the sender) */
	n.message_id.len = cpmpf_imdn_new_msgid(
			idb, sizeof(idb), (long long)time(NULL), (unsigned)getpid(), ++seq);
	if(n.message_id.len < 0)
		return -EINVAL;
	n.message_id.s = idb;
	if(cpm_cpim_fmt_datetime((long long)time(NULL), now, sizeof(now)) < 0)
		return -EINVAL;
	n.datetime.s = now;
	n.datetime.len = strlen(now);
	len = cpm_imdn_build_cpim(&in, &n, body, sizeof(body));
	if(len < 0) {
		LM_ERR("cannot build the IMDN for %.*s (%d)\n", p->f[0].len,
				p->f[0].s, len);
		return len;
	}
	/* the identifiers of the message notified about (seed 5.3), so that
	 * the sender's client files the notification with it; a plain SIP IM
	 * (none stored) gets none */
	hl = snprintf(hdrs, sizeof(hdrs), "Content-Type: message/cpim\r\n");
	if(p->f[4].len > 0 && p->f[4].len < 256)
		hl += snprintf(hdrs + hl, sizeof(hdrs) - hl,
				"Conversation-ID: %.*s\r\n", p->f[4].len, p->f[4].s);
	if(p->f[5].len > 0 && p->f[5].len < 256)
		hl += snprintf(hdrs + hl, sizeof(hdrs) - hl,
				"Contribution-ID: %.*s\r\n", p->f[5].len, p->f[5].s);
	if(self_uri(hop, sizeof(hop)) < 0)
		return -ENOENT;
	snprintf(from, sizeof(from), "<%.*s>", p->f[2].len, p->f[2].s);
	snprintf(to, sizeof(to), "<%.*s>", p->f[1].len, p->f[1].s);
	sb.s = body;
	sb.len = len;
	sh.s = hdrs;
	sh.len = hl;
	sf.s = from;
	sf.len = strlen(from);
	st.s = to;
	st.len = strlen(to);
	sr.s = p->f[1].s;
	sr.len = p->f[1].len;
	shop.s = hop;
	shop.len = strlen(hop);
	set_uac_req(&uac_r, &method, &sh, &sb, 0, 0, 0, 0);
	if(tmb.t_request(&uac_r, &sr, &st, &sf, &shop) < 0) {
		LM_ERR("cannot send the IMDN for %.*s to %.*s\n", p->f[0].len,
				p->f[0].s, sr.len, sr.s);
		return -EIO;
	}
	counter_inc(st_sent);
	return 0;
}

void cpmpf_imdn_flush(int committed)
{
	pending_t *p, *n;

	for(p = pend; p; p = n) {
		n = p->next;
		if(committed && have_tm)
			send_one(p);
		pkg_free(p);
	}
	pend = NULL;
	pend_tail = &pend;
}
