/*
 * cpm_cf glue: invitee dialect and originator identities (cpmcf_dialect.h).
 *
 * usrloc keeps a contact's URI and flags but no Contact feature tag;
 * cpm_pf_reg_tags() put the services the REGISTER's tags named in the
 * contact's flags (cpmpf_devices_core.h), which cpm_pf's API decodes, so
 * the CF reads the dialect without parsing or storing anything itself.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/dprint.h"
#include "core/sr_module.h"
#include "core/parser/parse_uri.h"
#include "modules/usrloc/usrloc.h"

#include "cpmcf_dialect.h"

#define CONTACTS_MAX 16 /* contacts of one AOR looked at */

static usrloc_api_t ul;
static udomain_t *dom;
static int have_ul;
static cpm_pf_api_t pf;
static int have_pf;

int cpmcf_dialect_init(void)
{
	bind_usrloc_t bind_ul;

	have_pf = cpm_pf_load_api(&pf) == 0 && pf.owner && pf.identities
			  && pf.contact_services;
	if(!have_pf)
		LM_WARN("cpm_pf is not loaded: invitations carry the initiator's "
				"dialect and Referred-By one URI\n");
	bind_ul = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind_ul == NULL)
		return 0; /* no registrar here (the KEMI test cfg) */
	if(bind_ul(&ul) < 0 || ul.register_udomain("location", &dom) < 0) {
		LM_ERR("cannot bind usrloc's domain \"location\"\n");
		return -1;
	}
	have_ul = 1;
	return 0;
}

/* usrloc's key of the user owning uri: cpm_pf's owner of a SIP or TEL
 * CPM Address (a TEL URI names no usrloc record by itself), else a SIP
 * URI's user part; user@host with use_domain (the owner's default SIP
 * identity's host for a TEL URI) */
static int aor_key(const str *uri, char *buf, int size, str *key)
{
	char user[128];
	cpm_pf_ids_t ids;
	sip_uri_t pu;
	str u, h = STR_NULL, su;
	int n;

	memset(&pu, 0, sizeof(pu));
	n = have_pf ? pf.owner(uri, user, sizeof(user)) : -1;
	if(n > 0) {
		u.s = user;
		u.len = n;
		if(ul.use_domain) {
			if(uri->len > 4 && strncasecmp(uri->s, "tel:", 4) == 0) {
				if(pf.identities(&u, &ids) < 0 || ids.sip_len == 0)
					return -ENOENT;
				su.s = ids.sip;
				su.len = ids.sip_len;
				if(parse_uri(su.s, su.len, &pu) < 0)
					return -EINVAL;
			} else if(parse_uri(uri->s, uri->len, &pu) < 0) {
				return -EINVAL;
			}
			h = pu.host;
		}
	} else {
		if(parse_uri(uri->s, uri->len, &pu) < 0 || pu.type == TEL_URI_T
				|| pu.type == TELS_URI_T || pu.user.len == 0)
			return -ENOENT;
		u = pu.user;
		h = pu.host;
	}
	if(u.len + (ul.use_domain ? 1 + h.len : 0) > size)
		return -ENOSPC;
	memcpy(buf, u.s, u.len);
	key->s = buf;
	key->len = u.len;
	if(ul.use_domain) {
		buf[u.len] = '@';
		memcpy(buf + u.len + 1, h.s, h.len);
		key->len += 1 + h.len;
	}
	return 0;
}

unsigned int cpmcf_invitee_dialect(const str *uri, unsigned int initiator)
{
	char kb[256];
	str key;
	urecord_t *r = NULL;
	ucontact_t *c;
	unsigned int d[CONTACTS_MAX], mask;
	int n = 0, tagged;
	time_t now = time(NULL);

	if(!have_ul || !have_pf || aor_key(uri, kb, sizeof(kb), &key) < 0)
		return initiator;
	/* the contacts' flags copied under usrloc's lock, then let go */
	ul.lock_udomain(dom, &key);
	if(ul.get_urecord(dom, &key, &r) == 0) {
		for(c = r->contacts; c && n < CONTACTS_MAX; c = c->next) {
			if(c->expires != 0 && c->expires <= now)
				continue;
			mask = pf.contact_services(c->cflags, &tagged);
			d[n++] = tagged ? cpmcf_dialect_of_mask(mask) : 0;
		}
	}
	ul.unlock_udomain(dom, &key);
	return cpmcf_dialect_pick(d, n, initiator);
}

int cpmcf_originator_ids(const str *uri, cpm_pf_ids_t *ids)
{
	char user[128];
	str u;
	int n;

	if(!have_pf)
		return -1;
	n = pf.owner(uri, user, sizeof(user));
	if(n <= 0)
		return -1;
	u.s = user;
	u.len = n;
	return pf.identities(&u, ids);
}

int cpmcf_referred_by(const str *uri, char *buf, int size)
{
	cpm_pf_ids_t ids;
	str sip = STR_NULL, tel = STR_NULL;

	if(cpmcf_originator_ids(uri, &ids) == 0) {
		sip.s = ids.sip;
		sip.len = ids.sip_len;
		tel.s = ids.tel;
		tel.len = ids.tel_len;
	}
	return cpmcf_referred_by_print(uri, &sip, &tel, buf, size);
}
