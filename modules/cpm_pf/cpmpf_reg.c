/*
 * cpm_pf glue: registration in the IMS deployment (seed 4.1: "handling 3rd
 * party CPM service registrations", "handling Registration Event
 * Information"; issue 6 item 10; 3GPP TS 24.229 5.4.1.7 and 5.7.1.4).
 *
 * In the IMS AS deployment the UE registers with the S-CSCF, not with us.
 * The S-CSCF sends the PF a third-party REGISTER whose Contact is the
 * S-CSCF's own; the handset's contacts and feature tags arrive
 *  (a) in a message/sip body: the UE's REGISTER or the S-CSCF's 200 to it
 *      (24.229 5.4.1.7), alone or as a part of multipart/mixed;
 *  (b) in reg-event NOTIFYs (RFC 3680) after the PF SUBSCRIBEs to the AOR.
 * Both write usrloc directly (the usrloc C API), as registrar's save()
 * would: key = the AOR as registrar keys it (user part with use_domain 0),
 * contact = the UE's URI, +sip.instance kept, the feature-tag branch flags
 * of cpm_pf_reg_tags() as cflags (the same scan: cpmpf_reg_svc_mask() and
 * cpmpf_dev_flags_from_mask()), and a Path (RFC 3327) toward the S-CSCF so
 * that lookup() sends every request for the UE back through the S-CSCF
 * (Route = the path, Request-URI = the UE contact).  The path is the third-
 * party REGISTER's first Path header when it has one, else the request's
 * Contact (the S-CSCF's own URI) as a loose route, else
 * <sip:source-ip:source-port;lr> (scscf_path()).  "Contacts learned that
 * way" carry the User-Agent CPMPF_REG_UA in usrloc: a third-party REGISTER
 * with Expires: 0 and a full-state reginfo remove those (and never a
 * binding the user made with its own REGISTER).
 *
 * Kamailio's pua_reginfo is not used (client-dialects.md): its NOTIFY
 * handler keys contacts unlike registrar, skips events and sends no reply;
 * its SUBSCRIBE side needs pua + presence.  The SUBSCRIBE is a plain tm
 * UAC request (t_request) and the NOTIFY is parsed by lib/cpm_reginfo.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/locking.h"
#include "core/hashes.h"
#include "core/sr_module.h"
#include "core/ut.h"
#include "core/trim.h"
#include "core/parser/parse_methods.h"
#include "core/qvalue.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_uri.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/parser/parse_expires.h"
#include "core/parser/parse_body.h"
#include "core/parser/parse_content.h"
#include "core/parser/contact/parse_contact.h"
#include "core/utils/sruid.h"
#include "modules/sl/sl.h"
#include "modules/tm/tm_load.h"
#include "modules/usrloc/usrloc.h"

#include <libxml/parser.h>

#include "../../lib/cpm_reginfo.h"
#include "../../lib/cpm_xml.h"
#include "cpmpf_devices.h"
#include "cpmpf_devices_core.h"
#include "cpmpf_reg.h"
#include "cpmpf_regsub_core.h"
#include "core/timer.h"
#include "core/rpc.h"
#include "modules/tm/dlg.h"

int cpmpf_reg_sub_expires = 600000;
int cpmpf_reg_sub_retry = 60;

static usrloc_api_t _ul;
static udomain_t *_dom;
static int _ul_ok;
static sl_api_t _slb;
static struct tm_binds _tmb;
static sruid_t _sruid;

#define CPMPF_REG_UA "cpm_pf third-party registration"
#define CPMPF_REG_DEF_EXPIRES 3600
#define CPMPF_REG_MAX_EXPIRES (7 * 24 * 3600)

/* ---- per-AOR state of the reg subscription (shm) ------------------------
 * RFC 3680 4.4.4 / 5.2: a subscriber discards a document whose version is
 * not above the last one it applied; a new subscription starts again at 0.
 * One entry per AOR key: the last version (-1: none yet) and the
 * subscription's life (RFC 6665): its state, the tm dialog of its first
 * 2xx, when it runs out and when the next action (refresh, new SUBSCRIBE)
 * is due.  Bounded: beyond CPMPF_RI_MAX entries a NOTIFY is applied
 * without the version check (logged).
 *
 * Locking: one lock for the table, held only to read or change entries,
 * never across a send.  The dialog has one owner at a time: the entry
 * while no transaction of ours runs on it; while one runs (`busy`) the
 * transaction's callback parameter, which gives it back (or frees it when
 * the entry moved on: `gen` changed). */
#define CPMPF_RI_BUCKETS 256
#define CPMPF_RI_MAX 65536
enum {
	RS_NONE = 0, /* no subscription (never, failed, terminated) */
	RS_PENDING,	 /* the first SUBSCRIBE is out, no 2xx yet */
	RS_ACTIVE,	 /* 2xx received: refreshed at `at` */
	RS_RETRY	 /* a new SUBSCRIBE is due at `at` (RFC 6665 4.1.3) */
};
typedef struct ri_ent {
	struct ri_ent *next;
	str aor;
	long version;
	int sstate;
	int busy;		   /* a SUBSCRIBE of ours in flight on dlg */
	unsigned int gen;  /* changes with every new subscription or drop */
	time_t sub_until;  /* the granted expiry (RS_ACTIVE) */
	time_t at;		   /* next refresh (RS_ACTIVE) / SUBSCRIBE (RS_RETRY) */
	dlg_t *dlg;		   /* RS_ACTIVE and not busy: the entry's */
	/* for a new SUBSCRIBE: Request-URI / To, next hop, From / Contact */
	str uri, scscf, from;
	char *sbuf;
} ri_ent_t;
typedef struct ri_tab {
	gen_lock_t lock;
	int n;
	ri_ent_t *b[CPMPF_RI_BUCKETS];
} ri_tab_t;
static ri_tab_t *_ri;

/* the entry of aor, created when create; under the lock */
static ri_ent_t *ri_get(const str *aor, int create)
{
	unsigned int h = core_case_hash((str *)aor, 0, CPMPF_RI_BUCKETS);
	ri_ent_t *e;

	for(e = _ri->b[h]; e; e = e->next)
		if(e->aor.len == aor->len && memcmp(e->aor.s, aor->s, aor->len) == 0)
			return e;
	if(!create || _ri->n >= CPMPF_RI_MAX)
		return NULL;
	e = shm_malloc(sizeof(*e) + aor->len);
	if(e == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	memset(e, 0, sizeof(*e));
	e->aor.s = (char *)(e + 1);
	memcpy(e->aor.s, aor->s, aor->len);
	e->aor.len = aor->len;
	e->version = -1;
	e->next = _ri->b[h];
	_ri->b[h] = e;
	_ri->n++;
	return e;
}

static void sub_timer(unsigned int ticks, void *param);
static void sub_forget(const str *key);

int cpmpf_reg_init(void)
{
	bind_usrloc_t bind_ul;

	if(cpmpf_reg_sub_expires < 60 || cpmpf_reg_sub_expires > 2000000) {
		LM_ERR("reg_subscribe_expires must be 60..2000000, not %d\n",
				cpmpf_reg_sub_expires);
		return -1;
	}
	if(cpmpf_reg_sub_retry < 1 || cpmpf_reg_sub_retry > 86400) {
		LM_ERR("reg_subscribe_retry must be 1..86400 s, not %d\n",
				cpmpf_reg_sub_retry);
		return -1;
	}
	if(sl_load_api(&_slb) < 0 || load_tm_api(&_tmb) < 0) {
		LM_ERR("cpm_pf registration needs sl and tm\n");
		return -1;
	}
	/* usrloc is optional (a PF without registrar, the KEMI test cfg) */
	bind_ul = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind_ul != NULL) {
		if(bind_ul(&_ul) < 0 || _ul.register_udomain("location", &_dom) < 0) {
			LM_ERR("cannot bind usrloc's domain \"location\"\n");
			return -1;
		}
		_ul_ok = 1;
	}
	if(sruid_init(&_sruid, '-', "cpmr", SRUID_INC) < 0)
		return -1;
	_ri = shm_malloc(sizeof(*_ri));
	if(_ri == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(_ri, 0, sizeof(*_ri));
	lock_init(&_ri->lock);
	/* RFC 6665 4.1.2.1: each subscription refreshed before it expires */
	if(register_timer(sub_timer, 0, 1) < 0) {
		LM_ERR("cannot register the reg subscription timer\n");
		return -1;
	}
	/* lib/cpm_xml: libxml2 initialised before the fork */
	xmlInitParser();
	return 0;
}

int cpmpf_reg_child_init(int rank)
{
	if(rank == PROC_INIT || rank == PROC_MAIN || rank == PROC_TCP_MAIN)
		return 0;
	return sruid_init(&_sruid, '-', "cpmr", SRUID_INC);
}

void cpmpf_reg_destroy(void)
{
	ri_ent_t *e, *n;
	int i;

	if(_ri == NULL)
		return;
	for(i = 0; i < CPMPF_RI_BUCKETS; i++)
		for(e = _ri->b[i]; e; e = n) {
			n = e->next;
			if(e->dlg && !e->busy)
				_tmb.free_dlg(e->dlg);
			if(e->sbuf)
				shm_free(e->sbuf);
			shm_free(e);
		}
	lock_destroy(&_ri->lock);
	shm_free(_ri);
	_ri = NULL;
}

/* ---- helpers --------------------------------------------------------------- */

/* usrloc's key of an AOR URI: the user part (use_domain 0) or user@host */
static int aor_key(str *uri, char *buf, int size, str *key)
{
	sip_uri_t pu;

	if(parse_uri(uri->s, uri->len, &pu) < 0 || pu.user.len == 0) {
		LM_ERR("bad AOR [%.*s]\n", uri->len, uri->s);
		return -EINVAL;
	}
	if(!_ul.use_domain) {
		*key = pu.user;
		return 0;
	}
	if(pu.user.len + 1 + pu.host.len > size)
		return -ENOSPC;
	memcpy(buf, pu.user.s, pu.user.len);
	buf[pu.user.len] = '@';
	memcpy(buf + pu.user.len + 1, pu.host.s, pu.host.len);
	key->s = buf;
	key->len = pu.user.len + 1 + pu.host.len;
	return 0;
}

/* The route back to the S-CSCF (RFC 3327): the first Path header (a
 * third-party REGISTER that has one), else the request's Contact URI as a
 * loose route (24.229 5.4.1.7: a third-party REGISTER's Contact is the
 * S-CSCF's own SIP URI; a NOTIFY's Contact is the S-CSCF's end of the reg
 * dialog), else <sip:source-ip:port;lr>. */
static int scscf_path(sip_msg_t *msg, char *buf, int size, str *path)
{
	contact_t *c = NULL;
	int n;

	if(msg->path != NULL && msg->path->body.len > 0) {
		*path = msg->path->body;
		trim(path);
		return 0;
	}
	if(msg->contact && parse_contact(msg->contact) == 0 && msg->contact->parsed
			&& !((contact_body_t *)msg->contact->parsed)->star)
		c = ((contact_body_t *)msg->contact->parsed)->contacts;
	if(c && c->uri.len > 0 && memchr(c->uri.s, '?', c->uri.len) == NULL)
		n = snprintf(buf, size, "<%.*s;lr>", c->uri.len, c->uri.s);
	else
		n = snprintf(buf, size, "<sip:%s:%d;lr%s>", ip_addr2a(&msg->rcv.src_ip),
				msg->rcv.src_port,
				msg->rcv.proto == PROTO_TCP ? ";transport=tcp" : "");
	if(n <= 0 || n >= size)
		return -ENOSPC;
	path->s = buf;
	path->len = n;
	return 0;
}

/* the service mask of a REGISTER's Contact headers: the scan of
 * cpm_pf_reg_tags() (cpmpf_devices.c), shared */
static unsigned int msg_svc_mask(sip_msg_t *m)
{
	return cpmpf_reg_svc_mask(m);
}

/* strip one pair of "" around an instance (registrar stores <urn:...>) */
static void inst_unquote(str *v)
{
	if(v->len >= 2 && v->s[0] == '"' && v->s[v->len - 1] == '"') {
		v->s++;
		v->len -= 2;
	}
}

/* insert / refresh / remove (expires 0) one contact of aor, matched by
 * +sip.instance when it has one, else by URI.  0 or -1. */
static int ul_apply(str *aor, str *uri, str *inst, str *path, str *callid,
		int cseq, int expires, unsigned int cflags)
{
	urecord_t *r = NULL;
	ucontact_t *c;
	ucontact_info_t ci;
	str ua = str_init(CPMPF_REG_UA);
	str cid = str_init("cpm_pf-reginfo");
	time_t now = time(NULL);
	int rc = 0, found;

	if(expires > CPMPF_REG_MAX_EXPIRES)
		expires = CPMPF_REG_MAX_EXPIRES;
	_ul.lock_udomain(_dom, aor);
	found = _ul.get_urecord(_dom, aor, &r);
	if(found != 0) {
		if(expires == 0)
			goto done;
		if(_ul.insert_urecord(_dom, aor, &r) < 0) {
			LM_ERR("cannot create the record of [%.*s]\n", aor->len, aor->s);
			rc = -1;
			goto done;
		}
	}
	for(c = r->contacts; c; c = c->next) {
		if(inst->len > 0 ? cpmpf_instance_eq(&c->instance, inst)
						 : (c->c.len == uri->len
								   && memcmp(c->c.s, uri->s, uri->len) == 0))
			break;
	}
	if(expires == 0) {
		if(c && _ul.delete_ucontact(r, c) < 0) {
			LM_ERR("cannot remove [%.*s] of [%.*s]\n", uri->len, uri->s,
					aor->len, aor->s);
			rc = -1;
		}
		goto done;
	}
	memset(&ci, 0, sizeof(ci));
	ci.c = uri;
	ci.path = path;
	ci.expires = now + expires;
	ci.q = Q_UNSPECIFIED;
	ci.callid = (callid && callid->len > 0) ? callid : &cid;
	ci.cseq = cseq;
	ci.cflags = cflags;
	ci.user_agent = &ua;
	ci.methods = ALL_METHODS;
	ci.instance = *inst;
	ci.last_modified = now;
	if(c) {
		ci.ruid = c->ruid;
		/* the URI of a device may change under the same instance */
		if(_ul.update_ucontact(r, c, &ci) < 0)
			rc = -1;
	} else {
		if(sruid_next_safe(&_sruid) < 0) {
			rc = -1;
			goto done;
		}
		ci.ruid = _sruid.uid;
		if(_ul.insert_ucontact(r, uri, &ci, &c) < 0)
			rc = -1;
	}
	if(rc < 0)
		LM_ERR("cannot store [%.*s] of [%.*s]\n", uri->len, uri->s, aor->len,
				aor->s);
done:
	if(r)
		_ul.release_urecord(r);
	_ul.unlock_udomain(_dom, aor);
	return rc;
}

/* remove the contacts of aor that this file stored (their User-Agent is
 * CPMPF_REG_UA: a binding the user's own REGISTER made through registrar
 * is never touched), except those ri[first..first+n) lists as active
 * (full-state reginfo); the number removed */
static int ul_purge(str *aor, const cpm_reginfo_t *ri, int first, int n)
{
	urecord_t *r = NULL;
	ucontact_t *c, *next;
	int removed = 0, k, keep;
	str u, in;

	_ul.lock_udomain(_dom, aor);
	if(_ul.get_urecord(_dom, aor, &r) != 0) {
		_ul.unlock_udomain(_dom, aor);
		return 0;
	}
	for(c = r->contacts; c; c = next) {
		next = c->next;
		if(c->user_agent.len != sizeof(CPMPF_REG_UA) - 1
				|| memcmp(c->user_agent.s, CPMPF_REG_UA, c->user_agent.len))
			continue;
		keep = 0;
		for(k = first; ri && k < first + n; k++) {
			const cpm_ri_contact_t *x = &ri->contacts[k];
			if(x->state != CPM_RI_ACTIVE)
				continue;
			in.s = (char *)x->instance.s;
			in.len = x->instance.len;
			inst_unquote(&in);
			u.s = (char *)x->uri.s;
			u.len = x->uri.len;
			if(in.len > 0 ? cpmpf_instance_eq(&c->instance, &in)
						  : (c->c.len == u.len
									&& memcmp(c->c.s, u.s, u.len) == 0)) {
				keep = 1;
				break;
			}
		}
		if(!keep && _ul.delete_ucontact(r, c) == 0)
			removed++;
	}
	_ul.release_urecord(r);
	_ul.unlock_udomain(_dom, aor);
	return removed;
}

/* ---- (a) third-party REGISTER with message/sip --------------------------- */

/* the embedded message (message/sip, alone or in multipart/mixed) */
static int embedded_sip(sip_msg_t *msg, str *out)
{
	str ct;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || msg->content_type == NULL)
		return -ENOENT;
	ct = msg->content_type->body;
	trim(&ct);
	if(ct.len >= 11 && strncasecmp(ct.s, "message/sip", 11) == 0
			&& (ct.len == 11 || ct.s[11] == ';' || ct.s[11] == ' ')) {
		out->s = get_body(msg);
		if(out->s == NULL)
			return -ENOENT;
		out->len = msg->len - (int)(out->s - msg->buf);
	} else if(ct.len >= 9 && strncasecmp(ct.s, "multipart", 9) == 0) {
		/* the core's multipart walker: message/<subtype it does not
		 * know>, checked below to be SIP */
		out->s = get_body_part(msg, TYPE_MESSAGE, SUBTYPE_UNKNOWN, &out->len);
		if(out->s == NULL)
			return -ENOENT;
	} else {
		return -ENOENT;
	}
	if(out->len < 12
			|| (strncmp(out->s, "REGISTER ", 9) != 0
					&& strncmp(out->s, "SIP/2.0 2", 9) != 0))
		return -EBADMSG;
	return 0;
}

static int reply(sip_msg_t *msg, int code, char *reason)
{
	str r;

	r.s = reason;
	r.len = strlen(reason);
	return _slb.freply(msg, code, &r);
}

/* Returns 1 contacts stored (200 sent), 2 contacts removed (Expires 0, 200
 * sent), -1 no message/sip body (nothing sent: a plain third-party REGISTER
 * the script may answer itself), -2 refused (400 sent), -3 error. */
int ki_cpm_pf_third_party_register(sip_msg_t *msg)
{
	sip_msg_t em;
	str body, key, path, uri, inst, callid;
	char kbuf[256], pbuf[512];
	char *copy = NULL;
	struct hdr_field *hf;
	contact_t *ct;
	unsigned int cflags;
	int outer_exp = -1, def_exp, e, rc = -3, n = 0, cseq = 0;
	int have_em = 0;

	if(!_ul_ok) {
		LM_ERR("usrloc is not loaded\n");
		return -3;
	}
	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || msg->to == NULL) {
		LM_ERR("cannot parse the third-party REGISTER\n");
		return -3;
	}
	if(aor_key(&get_to(msg)->uri, kbuf, sizeof(kbuf), &key) < 0)
		return reply(msg, 400, "Bad To") < 0 ? -3 : -2;
	if(scscf_path(msg, pbuf, sizeof(pbuf), &path) < 0)
		return -3;
	if(msg->expires && parse_expires(msg->expires) == 0)
		outer_exp = ((exp_body_t *)msg->expires->parsed)->val;
	if(outer_exp == 0) {
		/* 24.229 5.4.1.7 (de-registration): the user's contacts learned
		 * through this S-CSCF go */
		n = ul_purge(&key, NULL, 0, 0);
		LM_DBG("[%.*s]: %d contacts removed\n", key.len, key.s, n);
		/* no more refreshes for a user who is gone (the S-CSCF ends its
		 * side with a NOTIFY terminated, 24.229 5.4.2.1.2) */
		sub_forget(&key);
		return reply(msg, 200, "OK") < 0 ? -3 : 2;
	}
	if((rc = embedded_sip(msg, &body)) < 0) {
		if(rc == -ENOENT)
			return -1;
		return reply(msg, 400, "Bad message/sip body") < 0 ? -3 : -2;
	}
	/* the core's parser on a private copy (it writes into the buffer) */
	copy = pkg_malloc(body.len + 1);
	if(copy == NULL) {
		PKG_MEM_ERROR;
		return -3;
	}
	memcpy(copy, body.s, body.len);
	copy[body.len] = '\0';
	memset(&em, 0, sizeof(em));
	em.buf = copy;
	em.len = body.len;
	rc = -2;
	if(parse_msg(copy, em.len, &em) != 0
			|| parse_headers(&em, HDR_EOH_F, 0) < 0 || em.callid == NULL
			|| em.contact == NULL) {
		LM_ERR("[%.*s]: the message/sip body is no REGISTER/200 with"
			   " Contact\n", key.len, key.s);
		goto refuse;
	}
	have_em = 1;
	if(em.cseq && em.cseq->parsed)
		str2sint(&get_cseq(&em)->number, &cseq);
	callid = em.callid->body;
	trim(&callid);
	def_exp = outer_exp > 0 ? outer_exp : CPMPF_REG_DEF_EXPIRES;
	if(em.expires && parse_expires(em.expires) == 0)
		def_exp = ((exp_body_t *)em.expires->parsed)->val;
	/* seed 4.1: the services of the device, as cpm_pf_reg_tags() reads
	 * them from a REGISTER it receives itself */
	cflags = cpmpf_dev_flags_from_mask(msg_svc_mask(&em), cpmpf_reg_bflag_base);
	for(hf = em.contact; hf; hf = hf->next) {
		if(hf->type != HDR_CONTACT_T)
			continue;
		if(parse_contact(hf) < 0 || hf->parsed == NULL
				|| ((contact_body_t *)hf->parsed)->star) {
			LM_ERR("[%.*s]: bad Contact in the message/sip body\n", key.len,
					key.s);
			goto refuse;
		}
		for(ct = ((contact_body_t *)hf->parsed)->contacts; ct; ct = ct->next) {
			e = def_exp;
			if(ct->expires && ct->expires->body.len > 0
					&& str2sint(&ct->expires->body, &e) < 0) {
				goto refuse;
			}
			if(e < 0)
				goto refuse;
			uri = ct->uri;
			inst.s = NULL;
			inst.len = 0;
			if(ct->instance) {
				inst = ct->instance->body;
				inst_unquote(&inst);
			}
			if(ul_apply(&key, &uri, &inst, &path, &callid, cseq, e, cflags)
					< 0) {
				rc = -3;
				goto done;
			}
			n++;
		}
	}
	if(n == 0)
		goto refuse;
	rc = reply(msg, 200, "OK") < 0 ? -3 : 1;
	goto done;
refuse:
	rc = reply(msg, 400, "Bad message/sip body") < 0 ? -3 : -2;
done:
	if(have_em || em.headers)
		free_sip_msg(&em);
	pkg_free(copy);
	return rc;
}

/* ---- (b) reg event: the subscription (RFC 6665, RFC 3680) ---------------
 * cpm_pf_reg_subscribe() sends the first SUBSCRIBE with a tm dialog of its
 * own; the first 2xx confirms it (route set, remote target, To tag) and
 * grants the expiry (its Expires).  The timer refreshes each subscription
 * in that dialog at half its granted time (cpmpf_sub_refresh_in).  A
 * refresh answered 481, or that times out (408), ended the subscription at
 * the notifier: a new one is sent at the next tick; any other failure
 * drops it (the next third-party REGISTER subscribes again).  A NOTIFY in
 * the dialog with Subscription-State: terminated drops it and, where RFC
 * 6665 4.1.3 lets the subscriber, subscribes again (at once, or after
 * retry-after / reg_subscribe_retry). */

typedef struct sub_cbp {
	unsigned int gen;
	int initial;
	dlg_t *dlg;
	str key;
} sub_cbp_t;

static sub_cbp_t *sub_cbp_new(const str *key, unsigned int gen, int initial,
		dlg_t *dlg)
{
	sub_cbp_t *p = shm_malloc(sizeof(*p) + key->len);

	if(p == NULL) {
		SHM_MEM_ERROR;
		return NULL;
	}
	p->gen = gen;
	p->initial = initial;
	p->dlg = dlg;
	p->key.s = (char *)(p + 1);
	p->key.len = key->len;
	memcpy(p->key.s, key->s, key->len);
	return p;
}

/* the entry drops its subscription (under the lock): a dialog it owns is
 * freed; one a transaction holds is freed by that transaction's callback,
 * which sees the new gen */
static void sub_drop(ri_ent_t *e, int next_state, time_t at)
{
	if(e->dlg && !e->busy)
		_tmb.free_dlg(e->dlg);
	e->dlg = NULL;
	e->busy = 0;
	e->gen++;
	e->sstate = next_state;
	e->at = at;
	e->sub_until = 0;
}

/* the Expires of a reply, else dflt */
static int reply_expires(struct sip_msg *rpl, int dflt)
{
	if(rpl == NULL || rpl == FAKED_REPLY
			|| parse_headers(rpl, HDR_EXPIRES_F, 0) < 0 || rpl->expires == NULL
			|| parse_expires(rpl->expires) < 0)
		return dflt;
	return ((exp_body_t *)rpl->expires->parsed)->val;
}

static void sub_done(struct cell *t, int type, struct tmcb_params *ps)
{
	sub_cbp_t *p = (sub_cbp_t *)*ps->param;
	ri_ent_t *e;
	dlg_t *d;
	int code = ps->code, exp, mine;
	time_t now = time(NULL);

	if(p == NULL)
		return;
	*ps->param = NULL;
	d = p->dlg;
	exp = code >= 200 && code < 300
				  ? reply_expires(ps->rpl, cpmpf_reg_sub_expires)
				  : 0;
	if(exp > cpmpf_reg_sub_expires)
		exp = cpmpf_reg_sub_expires; /* never more than we asked for */
	lock_get(&_ri->lock);
	e = ri_get(&p->key, 0);
	mine = e && e->gen == p->gen && e->busy;
	if(!mine) {
		/* dropped or replaced meanwhile: the dialog is nobody's */
		lock_release(&_ri->lock);
		if(d)
			_tmb.free_dlg(d);
		shm_free(p);
		return;
	}
	e->busy = 0;
	/* the dialog is this callback's (d): the entry lets go of it, it is
	 * kept below on a 2xx, else freed after the lock */
	e->dlg = NULL;
	if(code >= 200 && code < 300 && exp > 0 && ps->rpl != FAKED_REPLY) {
		/* RFC 6665 4.1.2.1: the 2xx's Expires is the subscription's
		 * duration; the first 2xx makes the dialog (RFC 3261 12.1.2):
		 * To tag, route set, remote target.  SUBSCRIBE is a target
		 * refresh request.  Later requests follow the dialog, not the
		 * S-CSCF address the first one was sent to. */
		_tmb.dlg_response_uac(d, ps->rpl, IS_TARGET_REFRESH);
		if(d->dst_uri.s) {
			shm_free(d->dst_uri.s);
			d->dst_uri.s = NULL;
			d->dst_uri.len = 0;
			_tmb.calculate_hooks(d);
		}
		e->dlg = d;
		e->sstate = RS_ACTIVE;
		e->sub_until = now + exp;
		e->at = now + cpmpf_sub_refresh_in(exp);
		d = NULL;
		LM_DBG("[%.*s]: reg subscription %s for %d s\n", p->key.len,
				p->key.s, p->initial ? "accepted" : "refreshed", exp);
	} else if(!p->initial && (code == 481 || code == 408)) {
		/* RFC 6665 4.1.2.2: the notifier has no such subscription
		 * (481), or it did not answer: a new one */
		LM_INFO("[%.*s]: reg subscription refresh failed (%d): subscribing"
				" again\n",
				p->key.len, p->key.s, code);
		sub_drop(e, RS_RETRY, now);
	} else {
		LM_INFO("[%.*s]: reg subscription %s answered %d: dropped\n",
				p->key.len, p->key.s, p->initial ? "SUBSCRIBE" : "refresh",
				code);
		sub_drop(e, RS_NONE, 0);
	}
	lock_release(&_ri->lock);
	if(d)
		_tmb.free_dlg(d);
	shm_free(p);
}

/* the SUBSCRIBE's headers: RFC 3680 3.1 / 24.229 5.7.1.4 */
static int sub_hdrs(const str *from, int expires, char *buf, int size)
{
	int n = snprintf(buf, size,
			"Event: reg\r\nAccept: " CPM_REGINFO_CONTENT_TYPE
			"\r\nExpires: %d\r\nContact: <%.*s>\r\n",
			expires, from->len, from->s);
	return (n <= 0 || n >= size) ? -ENOSPC : n;
}

/* a new subscription for key (the entry is RS_PENDING, busy, gen): a tm
 * dialog of our own (Call-ID, From tag) toward the S-CSCF; 0, or <0 with
 * the entry dropped */
static int sub_send_initial(const str *key, unsigned int gen, str *uri,
		str *scscf, str *from)
{
	uac_req_t uac_r;
	str method = str_init("SUBSCRIBE");
	str hdrs, callid, ftag;
	char hbuf[512], cid[128], tag[128];
	dlg_t *dlg = NULL;
	sub_cbp_t *p = NULL;
	ri_ent_t *e;
	int n;

	n = sub_hdrs(from, cpmpf_reg_sub_expires, hbuf, sizeof(hbuf));
	if(n < 0)
		goto error;
	hdrs.s = hbuf;
	hdrs.len = n;
	_tmb.generate_callid(&callid);
	if(callid.len >= (int)sizeof(cid))
		goto error;
	memcpy(cid, callid.s, callid.len);
	callid.s = cid;
	_tmb.generate_fromtag(&ftag, &callid, uri);
	if(ftag.len >= (int)sizeof(tag))
		ftag.len = sizeof(tag) - 1;
	memcpy(tag, ftag.s, ftag.len);
	ftag.s = tag;
	if(_tmb.new_dlg_uac(&callid, &ftag, 1, from, uri, &dlg) < 0) {
		dlg = NULL;
		goto error;
	}
	/* the first SUBSCRIBE goes to the S-CSCF (Request-URI the AOR) */
	if(shm_str_dup(&dlg->dst_uri, scscf) < 0 || _tmb.calculate_hooks(dlg) < 0)
		goto error;
	p = sub_cbp_new(key, gen, 1, dlg);
	if(p == NULL)
		goto error;
	set_uac_req(&uac_r, &method, &hdrs, NULL, dlg, TMCB_LOCAL_COMPLETED,
			sub_done, p);
	if(_tmb.t_uac(&uac_r) < 0) {
		LM_ERR("cannot send the reg SUBSCRIBE for [%.*s] to [%.*s]\n",
				uri->len, uri->s, scscf->len, scscf->s);
		goto error;
	}
	return 0;
error:
	if(p)
		shm_free(p);
	if(dlg)
		_tmb.free_dlg(dlg);
	lock_get(&_ri->lock);
	if((e = ri_get(key, 0)) != NULL && e->gen == gen)
		sub_drop(e, RS_NONE, 0);
	lock_release(&_ri->lock);
	return -1;
}

/* a refresh in the entry's dialog (busy: dlg is the transaction's) */
static int sub_send_refresh(const str *key, unsigned int gen, dlg_t *dlg,
		const str *from)
{
	uac_req_t uac_r;
	str method = str_init("SUBSCRIBE"), hdrs;
	char hbuf[512];
	sub_cbp_t *p;
	ri_ent_t *e;
	int n;

	n = sub_hdrs(from, cpmpf_reg_sub_expires, hbuf, sizeof(hbuf));
	p = n < 0 ? NULL : sub_cbp_new(key, gen, 0, dlg);
	if(p) {
		hdrs.s = hbuf;
		hdrs.len = n;
		set_uac_req(&uac_r, &method, &hdrs, NULL, dlg, TMCB_LOCAL_COMPLETED,
				sub_done, p);
		if(_tmb.t_request_within(&uac_r) >= 0)
			return 0;
		LM_ERR("cannot refresh the reg subscription of [%.*s]\n", key->len,
				key->s);
		shm_free(p);
	}
	/* not sent: the dialog back to the entry, a new subscription later */
	lock_get(&_ri->lock);
	e = ri_get(key, 0);
	if(e && e->gen == gen && e->busy) {
		e->busy = 0;
		e->dlg = NULL; /* freed below */
		sub_drop(e, RS_RETRY, time(NULL) + cpmpf_reg_sub_retry);
	}
	lock_release(&_ri->lock);
	_tmb.free_dlg(dlg);
	return -1;
}

/* stores what a new SUBSCRIBE needs in the entry (under the lock); sb is
 * a shm block of uri, scscf, from laid end to end, taken over */
static void sub_set_target(ri_ent_t *e, char *sb, int ul, int sl, int fl)
{
	if(e->sbuf)
		shm_free(e->sbuf);
	e->sbuf = sb;
	e->uri.s = sb;
	e->uri.len = ul;
	e->scscf.s = sb + ul;
	e->scscf.len = sl;
	e->from.s = sb + ul + sl;
	e->from.len = fl;
}

/* the timer (every second): refreshes and new SUBSCRIBEs that are due;
 * at most SUB_BATCH per tick, the rest on the next ones */
#define SUB_BATCH 32
typedef struct sub_job {
	str key, uri, scscf, from;
	unsigned int gen;
	dlg_t *dlg; /* refresh: the dialog; NULL: a new SUBSCRIBE */
	char *buf;
} sub_job_t;

static void sub_timer(unsigned int ticks, void *param)
{
	sub_job_t jobs[SUB_BATCH];
	ri_ent_t *e;
	time_t now = time(NULL);
	int i, n = 0, len;
	char *b;

	if(_ri == NULL)
		return;
	lock_get(&_ri->lock);
	for(i = 0; i < CPMPF_RI_BUCKETS && n < SUB_BATCH; i++) {
		for(e = _ri->b[i]; e && n < SUB_BATCH; e = e->next) {
			if(e->busy || e->at == 0 || e->at > now)
				continue;
			if(e->sstate == RS_ACTIVE && e->sub_until <= now) {
				/* ran out unrefreshed: a new one */
				sub_drop(e, RS_RETRY, now);
			}
			if(e->sstate != RS_ACTIVE && e->sstate != RS_RETRY)
				continue;
			if(e->sbuf == NULL) {
				sub_drop(e, RS_NONE, 0);
				continue;
			}
			/* copies for the send, made while the entry cannot change */
			len = e->aor.len + e->uri.len + e->scscf.len + e->from.len;
			b = pkg_malloc(len);
			if(b == NULL) {
				PKG_MEM_ERROR;
				break;
			}
			jobs[n].buf = b;
			jobs[n].key.s = b;
			jobs[n].key.len = e->aor.len;
			memcpy(b, e->aor.s, e->aor.len);
			b += e->aor.len;
			jobs[n].uri.s = b;
			jobs[n].uri.len = e->uri.len;
			memcpy(b, e->uri.s, e->uri.len);
			b += e->uri.len;
			jobs[n].scscf.s = b;
			jobs[n].scscf.len = e->scscf.len;
			memcpy(b, e->scscf.s, e->scscf.len);
			b += e->scscf.len;
			jobs[n].from.s = b;
			jobs[n].from.len = e->from.len;
			memcpy(b, e->from.s, e->from.len);
			if(e->sstate == RS_ACTIVE) {
				jobs[n].dlg = e->dlg; /* the transaction's until its end */
				if(jobs[n].dlg == NULL) {
					pkg_free(jobs[n].buf);
					sub_drop(e, RS_RETRY, now);
					continue;
				}
			} else {
				jobs[n].dlg = NULL;
				e->gen++;
				e->sstate = RS_PENDING;
				e->version = -1; /* RFC 3680 4.4: numbered from 0 again */
				e->at = 0;
			}
			e->busy = 1;
			jobs[n].gen = e->gen;
			n++;
		}
	}
	lock_release(&_ri->lock);
	for(i = 0; i < n; i++) {
		if(jobs[i].dlg)
			sub_send_refresh(&jobs[i].key, jobs[i].gen, jobs[i].dlg,
					&jobs[i].from);
		else
			sub_send_initial(&jobs[i].key, jobs[i].gen, &jobs[i].uri,
					&jobs[i].scscf, &jobs[i].from);
		pkg_free(jobs[i].buf);
	}
}

/* Returns 1 sent, 2 not needed (a subscription of ours for aor is being
 * set up or is active: the timer refreshes it), -3 error. */
int ki_cpm_pf_reg_subscribe(sip_msg_t *msg, str *aor, str *scscf)
{
	str from, key;
	char fbuf[128], kbuf[256], *sb;
	ri_ent_t *e;
	unsigned int gen = 0;
	int n, skip = 0;
	struct socket_info *si = msg->rcv.bind_address;

	if(aor == NULL || scscf == NULL || aor->len <= 0 || scscf->len <= 0
			|| si == NULL || !_ul_ok)
		return -3;
	if(aor_key(aor, kbuf, sizeof(kbuf), &key) < 0)
		return -3;
	n = snprintf(fbuf, sizeof(fbuf), "sip:cpm-pf@%.*s:%.*s",
			si->address_str.len, si->address_str.s, si->port_no_str.len,
			si->port_no_str.s);
	if(n <= 0 || n >= (int)sizeof(fbuf))
		return -3;
	from.s = fbuf;
	from.len = n;
	sb = shm_malloc(aor->len + scscf->len + from.len);
	if(sb == NULL) {
		SHM_MEM_ERROR;
		return -3;
	}
	memcpy(sb, aor->s, aor->len);
	memcpy(sb + aor->len, scscf->s, scscf->len);
	memcpy(sb + aor->len + scscf->len, from.s, from.len);
	lock_get(&_ri->lock);
	e = ri_get(&key, 1);
	if(e == NULL) {
		skip = -1;
	} else if(e->sstate == RS_PENDING || e->sstate == RS_ACTIVE) {
		skip = 1;
	} else {
		sub_set_target(e, sb, aor->len, scscf->len, from.len);
		sb = NULL;
		e->gen++;
		e->sstate = RS_PENDING;
		e->busy = 1;
		e->at = 0;
		/* RFC 3680 4.4: a new subscription numbers its documents from 0 */
		e->version = -1;
		gen = e->gen;
	}
	lock_release(&_ri->lock);
	if(sb)
		shm_free(sb);
	if(skip)
		return skip > 0 ? 2 : -3;
	return sub_send_initial(&key, gen, aor, scscf, &from) < 0 ? -3 : 1;
}

/* RFC 6665 4.1.3: a NOTIFY in the subscription's dialog (Call-ID, its To
 * tag = our From tag) with Subscription-State.  terminated: the state goes,
 * and a new SUBSCRIBE follows when the reason allows; active / pending with
 * expires: the notifier's (shorter) expiry.  A NOTIFY of no dialog of ours
 * changes nothing here. */
static int sub_notified(sip_msg_t *msg, const str *key)
{
	struct hdr_field *h;
	cpmpf_substate_t ss;
	ri_ent_t *e;
	str cid, ttag;
	long wait;
	time_t now = time(NULL);

	for(h = msg->headers; h; h = h->next)
		if(h->type == HDR_SUBSCRIPTION_STATE_T
				|| (h->name.len == 18
						&& strncasecmp(h->name.s, "Subscription-State", 18) == 0))
			break;
	if(h == NULL || msg->callid == NULL || msg->to == NULL)
		return 0;
	if(cpmpf_substate_parse(h->body.s, h->body.len, &ss) < 0) {
		LM_DBG("[%.*s]: malformed Subscription-State ignored\n", key->len,
				key->s);
		return 0;
	}
	cid = msg->callid->body;
	trim(&cid);
	ttag = get_to(msg)->tag_value;
	lock_get(&_ri->lock);
	e = ri_get(key, 0);
	/* (while a refresh runs, e->dlg is that transaction's, its id fixed:
	 * a drop leaves the dialog to the transaction's callback) */
	if(e == NULL || e->dlg == NULL || e->dlg->id.call_id.len != cid.len
			|| memcmp(e->dlg->id.call_id.s, cid.s, cid.len) != 0
			|| e->dlg->id.loc_tag.len != ttag.len
			|| memcmp(e->dlg->id.loc_tag.s, ttag.s, ttag.len) != 0) {
		/* not (or not yet: its 2xx is on the way) our dialog */
		lock_release(&_ri->lock);
		return ss.state == CPMPF_SS_TERMINATED;
	}
	if(ss.state == CPMPF_SS_TERMINATED) {
		wait = cpmpf_substate_resubscribe(&ss, cpmpf_reg_sub_retry);
		LM_INFO("[%.*s]: reg subscription terminated (%.*s): %s\n", key->len,
				key->s, ss.reason_tok.len, ss.reason_tok.s,
				wait < 0 ? "dropped" : "subscribing again");
		if(wait < 0)
			sub_drop(e, RS_NONE, 0);
		else
			sub_drop(e, RS_RETRY, now + wait);
	} else if(ss.expires >= 0 && e->sstate == RS_ACTIVE
			  && now + ss.expires < e->sub_until) {
		e->sub_until = now + ss.expires;
		e->at = now + cpmpf_sub_refresh_in((unsigned int)ss.expires);
	}
	lock_release(&_ri->lock);
	return ss.state == CPMPF_SS_TERMINATED;
}

static void sub_forget(const str *key)
{
	ri_ent_t *e;

	lock_get(&_ri->lock);
	if((e = ri_get(key, 0)) != NULL && e->sstate != RS_NONE)
		sub_drop(e, RS_NONE, 0);
	lock_release(&_ri->lock);
}

/* RPC cpm_pf.reg_subscriptions: every reg subscription the PF holds */
static const char *rpc_subs_doc[2] = {
		"List the reg-event subscriptions: AOR key, state, seconds left,"
		" seconds to the next refresh or SUBSCRIBE, Call-ID",
		0};

static void rpc_reg_subs(rpc_t *rpc, void *ctx)
{
	static const char *names[] = {"none", "pending", "active", "retry"};
	ri_ent_t *e;
	void *h;
	int i;
	time_t now = time(NULL);

	if(_ri == NULL) {
		rpc->fault(ctx, 500, "Not initialised");
		return;
	}
	lock_get(&_ri->lock);
	for(i = 0; i < CPMPF_RI_BUCKETS; i++)
		for(e = _ri->b[i]; e; e = e->next) {
			if(e->sstate == RS_NONE)
				continue;
			if(rpc->add(ctx, "{", &h) < 0)
				goto done;
			rpc->struct_add(h, "SsddS", "aor", &e->aor, "state",
					names[e->sstate], "expires_in",
					e->sstate == RS_ACTIVE ? (int)(e->sub_until - now) : 0,
					"next_in", e->at ? (int)(e->at - now) : 0, "callid",
					e->dlg ? &e->dlg->id.call_id : &e->aor);
		}
done:
	lock_release(&_ri->lock);
}

rpc_export_t cpmpf_reg_rpc[] = {
		{"cpm_pf.reg_subscriptions", rpc_reg_subs, rpc_subs_doc, RET_ARRAY},
		{0, 0, 0, 0}};

/* ---- (b) reg event: NOTIFY ---------------------------------------------- */

/* the reginfo unknown-params as Contact parameters, scanned like a
 * REGISTER's Contact (cpm_headers' service scan) */
static unsigned int ri_contact_mask(const cpm_ri_contact_t *c)
{
	char buf[2048];
	int p, k, n;
	str s;

	p = snprintf(buf, sizeof(buf), "<%.*s>", c->uri.len, c->uri.s);
	for(k = 0; k < c->nparams && p > 0 && p < (int)sizeof(buf); k++) {
		if(c->params[k].value.len > 0)
			n = snprintf(buf + p, sizeof(buf) - p, ";%.*s=%.*s",
					c->params[k].name.len, c->params[k].name.s,
					c->params[k].value.len, c->params[k].value.s);
		else
			n = snprintf(buf + p, sizeof(buf) - p, ";%.*s",
					c->params[k].name.len, c->params[k].name.s);
		if(n < 0)
			break;
		p += n;
	}
	if(p <= 0 || p >= (int)sizeof(buf))
		return 0;
	s.s = buf;
	s.len = p;
	return cpmpf_cpmh.service_scan(&s, CPMH_SVC_HDR_CONTACT);
}

/* Returns 1 applied (200 sent), 2 stale version ignored (200 sent), -2
 * refused (400 sent: not reginfo, hostile XML; nothing changed), -3 error
 * (the script answers 500). */
int ki_cpm_pf_reginfo_notify(sip_msg_t *msg)
{
	cpm_reginfo_t *ri = NULL;
	char *buf = NULL;
	char kbuf[256], pbuf[512], rbuf[96];
	str body, key, path, aor, uri, inst, callid;
	ri_ent_t *e;
	int rc, i, k, exp, stale = 0, erroff = 0, term;

	if(!_ul_ok)
		return -3;
	if(parse_headers(msg, HDR_EOH_F, 0) < 0 || parse_from_header(msg) < 0) {
		LM_ERR("cannot parse the NOTIFY\n");
		return -3;
	}
	/* the subscription's resource: the NOTIFY's From (RFC 6665 4.4.1) */
	if(aor_key(&get_from(msg)->uri, kbuf, sizeof(kbuf), &key) < 0)
		return reply(msg, 400, "Bad From") < 0 ? -3 : -2;
	/* RFC 6665 4.1.3: the Subscription-State of our subscription's
	 * dialog; a final NOTIFY needs no body */
	term = sub_notified(msg, &key);
	body.s = get_body(msg);
	body.len = body.s ? msg->len - (int)(body.s - msg->buf) : 0;
	if(term && (body.len <= 0 || msg->content_type == NULL))
		return reply(msg, 200, "OK") < 0 ? -3 : 1;
	if(body.s == NULL || msg->content_type == NULL)
		return reply(msg, 400, "Missing reginfo body") < 0 ? -3 : -2;
	if(msg->content_type->body.len < 23
			|| strncasecmp(msg->content_type->body.s, CPM_REGINFO_CONTENT_TYPE,
					   23) != 0)
		return reply(msg, 415, "Unsupported Media Type") < 0 ? -3 : -2;
	if(scscf_path(msg, pbuf, sizeof(pbuf), &path) < 0)
		return -3;
	ri = pkg_malloc(sizeof(*ri));
	buf = pkg_malloc(CPM_REGINFO_BUF_SIZE(body.len));
	if(ri == NULL || buf == NULL) {
		PKG_MEM_ERROR;
		rc = -3;
		goto done;
	}
	rc = cpm_reginfo_parse(body.s, body.len, ri, buf,
			CPM_REGINFO_BUF_SIZE(body.len), &erroff);
	if(rc < 0) {
		LM_ERR("[%.*s]: reginfo refused at octet %d: %s (%d)\n", key.len,
				key.s, erroff, cpm_xml_strerror(rc), rc);
		snprintf(rbuf, sizeof(rbuf), "Bad reginfo: %s",
				rc == -EBADMSG ? "not RFC 3680 reginfo" : cpm_xml_strerror(rc));
		rc = reply(msg, 400, rbuf) < 0 ? -3 : -2;
		goto done;
	}
	lock_get(&_ri->lock);
	e = ri_get(&key, 1);
	if(e == NULL)
		LM_WARN("[%.*s]: reginfo version table full: not checked\n", key.len,
				key.s);
	else if((long)ri->version <= e->version)
		stale = 1;
	else
		e->version = (long)ri->version;
	lock_release(&_ri->lock);
	if(stale) {
		LM_DBG("[%.*s]: reginfo version %lu not above the last: ignored\n",
				key.len, key.s, ri->version);
		rc = reply(msg, 200, "OK") < 0 ? -3 : 2;
		goto done;
	}
	for(i = 0; i < ri->nregs; i++) {
		const cpm_ri_reg_t *rg = &ri->regs[i];
		aor.s = (char *)rg->aor.s;
		aor.len = rg->aor.len;
		if(aor_key(&aor, kbuf, sizeof(kbuf), &key) < 0)
			continue;
		for(k = rg->first; k < rg->first + rg->ncontacts; k++) {
			const cpm_ri_contact_t *c = &ri->contacts[k];
			uri.s = (char *)c->uri.s;
			uri.len = c->uri.len;
			inst.s = (char *)c->instance.s;
			inst.len = c->instance.len;
			inst_unquote(&inst);
			callid.s = (char *)c->callid.s;
			callid.len = c->callid.len;
			/* RFC 3680 5.1: terminated (expired, deactivated,
			 * unregistered, rejected, probation) removes the binding;
			 * active (registered, created, refreshed, shortened)
			 * sets it with its expires */
			exp = c->state == CPM_RI_ACTIVE
						  ? (c->expires > 0 ? (int)(c->expires > CPMPF_REG_MAX_EXPIRES
														   ? CPMPF_REG_MAX_EXPIRES
														   : c->expires)
											: CPMPF_REG_DEF_EXPIRES)
						  : 0;
			if(c->state == CPM_RI_ACTIVE && c->expires == 0)
				exp = 0;
			if(ul_apply(&key, &uri, &inst, &path, &callid,
					   c->cseq > 0 ? (int)c->cseq : 1, exp,
					   cpmpf_dev_flags_from_mask(
							   ri_contact_mask(c), cpmpf_reg_bflag_base))
					< 0) {
				rc = -3;
				goto done;
			}
		}
		/* full state: what it does not list as active is gone; a
		 * terminated registration has no binding left */
		if(ri->state == CPM_RI_FULL || rg->state == CPM_RI_TERMINATED)
			ul_purge(&key, ri, rg->first,
					rg->state == CPM_RI_TERMINATED ? 0 : rg->ncontacts);
	}
	rc = reply(msg, 200, "OK") < 0 ? -3 : 1;
done:
	if(buf)
		pkg_free(buf);
	if(ri)
		pkg_free(ri);
	return rc;
}
