/*
 * cpm_pf: the PF steps of a Pager Mode MESSAGE in one script call per role
 * (see cpmpf_message.h and docs/cpm_pf.md "One call per role").
 *
 * Each step is the function a custom script may still call on its own
 * (cpm_pf_check_size, cpm_pf_orig, cpm_pf_record, cpm_pf_needs_interworking,
 * cpm_pf_tel_to_user, cpm_pf_check_cpim, cpm_pf_apply_prefs, cpm_pf_term),
 * in the order route[PF_ORIG] / route[PF_TERM] of cfg/kamailio.cfg called
 * them, with the replies the script sent for them (400 with the IMDN
 * check's reason, the profile's reject status): the wire is the same.  Why
 * one call: the script interpreter spent more on the ~25 actions, `$rc`
 * tests and `$var` assignments around these steps than the steps
 * themselves (docs/benchmarks.md "PF path vs plain relay").
 */
#include <string.h>

#include "core/dprint.h"
#include "core/xavp.h"
#include "core/ut.h"
#include "core/forward.h"
#include "core/parser/parse_from.h"
#include "modules/sl/sl.h"

#include "cpmpf_orig.h"
#include "cpmpf_isf.h"
#include "cpmpf_imdn.h"
#include "cpmpf_prefs.h"
#include "cpmpf_record.h"
#include "cpmpf_record_core.h"
#include "cpmpf_devices.h"
#include "cpmpf_message.h"

static sl_api_t msg_slb;

/* the message that passed cpmpf_message_orig() in this process: the
 * terminating step does not check its size a second time (the cfg's
 * FLT_PF_ORIG flag did this before) */
static unsigned int orig_id;
static int orig_pid = -1;

/* the service of a Pager Mode message ("msg"), resolved once */
static cpmh_service_t msg_svc;

int cpmpf_message_init(void)
{
	static str svc = str_init("msg");

	if(sl_load_api(&msg_slb) < 0) {
		LM_ERR("cpm_pf needs the sl module\n");
		return -1;
	}
	return cpmpf_service(&svc, &msg_svc) < 0 ? -1 : 0;
}

/* a string child of $xavp(<root>), or NULL */
static str *xavp_child_str(str *root, str *name)
{
	sr_xavp_t *x = xavp_get_child(root, name);

	return (x && x->val.type == SR_XTYPE_STR) ? &x->val.v.s : NULL;
}

/* send_reply() as the script did it: statefully when a transaction exists
 * (sl's send_reply), -1 when it cannot be sent */
static int reply(sip_msg_t *msg, int code, str *reason)
{
	return msg_slb.freply(msg, code, reason) < 0 ? CPMPF_ERR : CPMPF_REFUSED;
}

/* `from_uri == myself` of the core, on the From URI parsed once per
 * message (sanity_check() and tm parse it too; the script expression
 * parses it again at every evaluation): 1 yes, 0 no */
static int from_myself(sip_msg_t *msg)
{
	/* check_self() walks every listen socket and alias (~600
	 * instructions); both are fixed once the proxy runs, so the answer
	 * for the last host and port of this process is kept */
	static char last_host[64];
	static int last_len = -1, last_res;
	static unsigned short last_port;
	struct sip_uri *u;
	unsigned short port;

	u = parse_from_uri(msg);
	if(u == NULL)
		return 0;
	port = GET_URI_PORT(u);
	if(u->host.len == last_len && port == last_port
			&& memcmp(u->host.s, last_host, last_len) == 0)
		return last_res;
	last_res = check_self(&u->host, port, 0) > 0;
	if(u->host.len <= (int)sizeof(last_host)) {
		memcpy(last_host, u->host.s, u->host.len);
		last_len = u->host.len;
		last_port = port;
	} else {
		last_len = -1;
	}
	return last_res;
}

int cpmpf_message_orig(
		sip_msg_t *msg, str *auth_user, int trusted_source, int max_size)
{
	int rc;

	/* a trusted peer (an IMS S-CSCF) sends a served user's request with
	 * its From in our domain (seed 6.1); another request of a peer is no
	 * served user's: not the originating role */
	if(trusted_source && !from_myself(msg))
		return CPMPF_MSG_NOT_ORIG;
	orig_id = msg->id;
	orig_pid = msg->pid;
	/* seed 5.1: above max_pager_size 413 (Large Message Mode) */
	rc = cpmpf_check_size(msg, max_size);
	if(rc < 0)
		return rc;
	/* seed 6.1, 6.3: the authenticated originator, privacy */
	rc = cpmpf_orig(msg, auth_user, trusted_source, 0);
	if(rc < 0)
		return rc;
	/* seed 4.1: the sender's history (returns at once when off) */
	cpmpf_record(msg, CPMPF_REC_ORIG);
	/* seed 6.5: a recipient that is no CPM user of ours */
	if(ki_cpm_pf_needs_interworking(msg) == 1)
		return CPMPF_MSG_INTERWORKING;
	/* a TEL identity of one of our users becomes its SIP identity */
	if(ki_cpm_pf_tel_to_user(msg) == 1)
		return CPMPF_MSG_REWRITTEN;
	return CPMPF_MSG_DELIVER;
}



int cpmpf_message_term(sip_msg_t *msg, int trusted_next_hop, int max_size)
{
	static str imdn = str_init("cpmpf_imdn"), err = str_init("error");
	cpmpf_pref_decision_t d;
	str *reason;
	int rc;

	/* seed 5.1, for a request that did not pass the originating step */
	if(!(msg->id == orig_id && msg->pid == orig_pid)) {
		rc = cpmpf_check_size(msg, max_size);
		if(rc < 0)
			return rc;
	}
	/* RFC 3862, RFC 5438: CPIM and IMDN checked before anything else */
	rc = ki_cpm_pf_check_cpim(msg);
	if(rc == -2 || rc == -3) {
		reason = xavp_child_str(&imdn, &err);
		if(reason == NULL || reason->len <= 0)
			return CPMPF_ERR;
		return reply(msg, 400, reason);
	}
	if(rc < 0)
		return CPMPF_ERR;
	/* seed 4.1: the recipient's active preference profile; the decision
	 * is acted on here, so no $xavp(cpmpf) (three shm allocations, freed
	 * with the transaction) */
	rc = cpmpf_prefs_decide_svc(msg, msg_svc, &d);
	switch(rc) {
		case 1: /* deliver */
		case 2: /* defer */
			cpmpf_record(msg, CPMPF_REC_TERM);
			break;
		case 3: /* reject with the profile's status and reason */
			return reply(msg, d.status, &d.reason);
		default:
			return CPMPF_ERR;
	}
	if(rc == 2)
		return CPMPF_MSG_DEFER;
	/* seed 6.1, 6.3: P-Asserted-Identity toward the recipient */
	if(cpmpf_term(msg, trusted_next_hop) < 0)
		return CPMPF_ERR;
	return CPMPF_MSG_DELIVER;
}
