/*
 * cpm_cf: participant information documents (cpmcf_conf_core.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/mem/mem.h"
#include "../../lib/cpm_confinfo.h"

#include "cpmcf_conf_core.h"
#include "cpmcf_names_core.h"

#define ANON_URI_MAX 64

const cpmcf_anon_t *cpmcf_anon_find(const cpmcf_anon_t *a, int n,
		const str *uri)
{
	int i;

	for(i = 0; i < n; i++)
		if(a[i].uri_len == uri->len
				&& memcmp(a[i].uri, uri->s, uri->len) == 0)
			return &a[i];
	return NULL;
}

/* the latest slot of this slot's URI (a rejoin adds a slot) */
static int latest(const cpmcf_sess_t *s, int i)
{
	int j;

	for(j = s->n - 1; j > i; j--)
		if(s->parts[j].uri_len == s->parts[i].uri_len
				&& memcmp(s->parts[j].uri, s->parts[i].uri,
						   s->parts[i].uri_len)
						   == 0)
			return j;
	return i;
}

/* RFC 4575 endpoint status of a participant, and how it left: the CF's
 * INVITE refused (busy / failed) or a BYE (departed) */
static void status_of(const cpmcf_part_t *p, cpm_ci_user_t *u)
{
	switch(p->state) {
		case CPMCF_P_DIALING_OUT:
			u->status = CPM_CI_ST_DIALING_OUT;
			break;
		case CPMCF_P_DIALING_IN:
			u->status = CPM_CI_ST_DIALING_IN;
			break;
		case CPMCF_P_CONNECTED:
			u->status = CPM_CI_ST_CONNECTED;
			break;
		default:
			/* disconnecting is not one rcsjta maps: shown as gone */
			u->status = CPM_CI_ST_DISCONNECTED;
			if(p->status == 486 || p->status == 600 || p->status == 603)
				u->disconnection_method = CPM_CI_DM_BUSY;
			else if(p->status >= 300)
				u->disconnection_method = CPM_CI_DM_FAILED;
			else
				u->disconnection_method = CPM_CI_DM_DEPARTED;
			break;
	}
}

static void user_of(const cpmcf_sess_t *s, int i, const cpmcf_anon_t *a,
		int na, const str *subscriber, cpm_ci_user_t *u, char *abuf)
{
	const cpmcf_part_t *p = &s->parts[i];
	str uri = {(char *)p->uri, p->uri_len};
	const cpmcf_anon_t *an = cpmcf_anon_find(a, na, &uri);
	cpmcf_name_src_t src;
	str disp;
	int n;

	memset(&src, 0, sizeof(src));

	memset(u, 0, sizeof(*u));
	if(an) {
		/* seed 6.3: the pseudonym and an anonymous URI, never the real */
		n = cpmcf_anon_uri(an->no, abuf, ANON_URI_MAX);
		u->entity.s = abuf;
		u->entity.len = n > 0 ? n : 0;
		u->display_text.s = an->pseudo;
		u->display_text.len = an->pseudo_len;
	} else {
		u->entity.s = p->uri;
		u->entity.len = p->uri_len;
		/* seed 6.3: the session keeps the asserted identity's or the
		 * From's display name (a quoted-string on the wire) */
		src.from.s = (char *)p->display;
		src.from.len = p->display_len;
		cpmcf_name_choose(&src, &disp);
		u->display_text.s = disp.s;
		u->display_text.len = disp.len;
	}
	u->state = CPM_CI_FULL;
	u->yourown = subscriber && STR_EQ(uri, *subscriber);
	u->has_endpoint = 1;
	u->ep_entity = u->entity;
	u->ep_state = CPM_CI_FULL;
	u->joining_method = p->initiator ? CPM_CI_JM_FOCUS_OWNER
									 : CPM_CI_JM_NONE;
	status_of(p, u);
}

int cpmcf_conf_doc(const cpmcf_sess_t *s, const cpmcf_anon_t *a, int na,
		const str *subscriber, long version, int changed, char *buf,
		int size)
{
	cpm_ci_t ci;
	cpm_ci_user_t *u = NULL;
	char *abuf = NULL;
	int i, rc;

	if(s == NULL || buf == NULL || changed >= s->n || version < 0)
		return -EINVAL;
	if(s->n > 0) {
		u = pkg_malloc(s->n * sizeof(*u));
		abuf = pkg_malloc(s->n * ANON_URI_MAX);
		if(u == NULL || abuf == NULL) {
			rc = -ENOMEM;
			goto done;
		}
	}
	memset(&ci, 0, sizeof(ci));
	ci.entity.s = (char *)s->identity;
	ci.entity.len = s->identity_len;
	ci.version = version;
	ci.subject.s = (char *)s->subject;
	ci.subject.len = s->subject_len;
	ci.max_users = s->max;
	/* RFC 4575 5.5.1: the users in the conference now (not those being
	 * invited, nor those who left) */
	ci.user_count = 0;
	for(i = 0; i < s->n; i++)
		if(latest(s, i) == i
				&& (s->parts[i].state == CPMCF_P_CONNECTED
						|| s->parts[i].state == CPMCF_P_DIALING_IN))
			ci.user_count++;
	ci.active = 1;
	ci.has_users = 1;
	ci.users = u;
	if(changed >= 0) {
		ci.state = CPM_CI_PARTIAL;
		user_of(s, latest(s, changed), a, na, subscriber, &u[0], abuf);
		ci.n_users = 1;
	} else {
		ci.state = CPM_CI_FULL;
		for(i = 0; i < s->n; i++) {
			if(latest(s, i) != i)
				continue;
			user_of(s, i, a, na, subscriber, &u[ci.n_users],
					abuf + ci.n_users * ANON_URI_MAX);
			ci.n_users++;
		}
	}
	rc = cpm_ci_build(&ci, buf, size);

done:
	if(u)
		pkg_free(u);
	if(abuf)
		pkg_free(abuf);
	return rc;
}
