/*
 * cpm_pf glue: every device (seed 4.1, "multiple device environment").
 *
 * registrar's lookup("location") makes one branch per registered contact;
 * tm forks them in parallel.  cpm_pf_devices(svc) removes the branches of
 * devices that do not take the service, judged by the feature tags their
 * REGISTER carried (cpm_pf_reg_tags() before save(), cpmpf_devices_core.h),
 * and, when the user's active preference profile names devices for the
 * service, the devices it does not name (identified by +sip.instance).
 */
#include <errno.h>

#include "core/dprint.h"
#include "core/dset.h"
#include "core/flags.h"
#include "core/parser/parse_uri.h"
#include "core/counters.h"

#include "cpmpf_devices.h"
#include "cpmpf_devices_core.h"
#include "cpmpf_prefs.h"
#include "cpmpf_prefs_core.h"

int cpmpf_reg_bflag_base = 16;

static stat_var *_st_dev_dropped;
static stat_var *_st_dev_none;

int cpmpf_devices_init_counters(void)
{
	if(register_stat("cpm_pf", "devices_dropped", &_st_dev_dropped, 0) != 0
			|| register_stat("cpm_pf", "devices_none", &_st_dev_none, 0) != 0)
		return -1;
	return 0;
}

int cpmpf_service(const str *name, cpmh_service_t *svc)
{
	if(cpmpf_cpmh.service_from_name(name, svc) != 0) {
		LM_ERR("unknown CPM service [%.*s]\n", name ? name->len : 0,
				name && name->s ? name->s : "");
		return -ENOENT;
	}
	return 0;
}

int cpmpf_branches_filter(sip_msg_t *msg, cpmpf_branch_keep_f keep, void *arg)
{
	flag_t f;
	branch_t *b;
	str inst;
	int kept = 0;
	unsigned int i;

	if(ruri_get_forking_state()) {
		f = 0;
		getbflagsval(0, &f);
		if(keep(f, &msg->instance, arg)) {
			kept++;
		} else {
			ruri_mark_consumed();
			update_stat(_st_dev_dropped, 1);
		}
	}
	for(i = 0; i < nr_branches;) {
		b = get_sip_branch(i);
		if(b == NULL)
			break;
		inst.s = b->instance;
		inst.len = b->instance_len;
		if(keep(b->flags, &inst, arg)) {
			kept++;
			i++;
		} else {
			drop_sip_branch(i);
			update_stat(_st_dev_dropped, 1);
		}
	}
	return kept;
}

/* Seed 4.1: the tags a device registers say which services it takes.
 * usrloc stores no Contact header parameter, so the mask travels in the
 * branch flags that save() stores as the contact's cflags. */
unsigned int cpmpf_reg_svc_mask(sip_msg_t *msg)
{
	struct hdr_field *hf;
	unsigned int mask = 0;

	for(hf = msg->contact; hf; hf = hf->next) {
		if(hf->type == HDR_CONTACT_T)
			mask |= cpmpf_cpmh.service_scan(&hf->body, CPMH_SVC_HDR_CONTACT);
	}
	return mask;
}

int ki_cpm_pf_reg_tags(sip_msg_t *msg)
{
	unsigned int mask;
	flag_t f = 0;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers of the REGISTER\n");
		return -2;
	}
	mask = cpmpf_reg_svc_mask(msg);
	getbflagsval(0, &f);
	f &= ~cpmpf_dev_flags_all(cpmpf_reg_bflag_base);
	f |= cpmpf_dev_flags_from_mask(mask, cpmpf_reg_bflag_base);
	setbflagsval(0, f);
	return mask ? 1 : 2;
}

typedef struct dev_ctx {
	cpmh_service_t svc;
	str devices; /* the profile's device list, pkg copy; s NULL = all */
	int capable; /* branches that take the service */
} dev_ctx_t;

static int keep_device(unsigned int flags, const str *instance, void *arg)
{
	dev_ctx_t *c = arg;

	if(!cpmpf_dev_supports(flags, cpmpf_reg_bflag_base, c->svc))
		return 0;
	c->capable++;
	if(c->devices.s == NULL)
		return 1;
	return cpmpf_devlist_has(&c->devices, instance);
}

/* Returns the number of branches left (>= 1); -1 when no registered device
 * takes the service, -2 when some do but the active profile names none of
 * them, -3 on error.  The script defers (deferred store) or refuses.
 * user: whose preference profile names the devices -- the recipient, not
 * the user part of the Request-URI after lookup(), which is a device's
 * Contact and often another user part than the AOR's. */
int ki_cpm_pf_devices_user(sip_msg_t *msg, str *svcname, str *user)
{
	dev_ctx_t c;
	int n;

	memset(&c, 0, sizeof(c));
	if(cpmpf_service(svcname, &c.svc) < 0)
		return -3;
	if(cpmpf_prefs_devices(user, c.svc, &c.devices) < 0)
		return -3;
	n = cpmpf_branches_filter(msg, keep_device, &c);
	if(c.devices.s)
		pkg_free(c.devices.s);
	if(n > 0)
		return n;
	update_stat(_st_dev_none, 1);
	return c.capable > 0 ? -2 : -1;
}

/* the recipient as the request was received (its first line), for the
 * form without a user */
int ki_cpm_pf_devices(sip_msg_t *msg, str *svcname)
{
	struct sip_uri ru;

	if(msg->first_line.type != SIP_REQUEST
			|| parse_uri(msg->first_line.u.request.uri.s,
					   msg->first_line.u.request.uri.len, &ru)
					   < 0) {
		LM_ERR("cannot parse the Request-URI of the request\n");
		return -3;
	}
	return ki_cpm_pf_devices_user(msg, svcname, &ru.user);
}
