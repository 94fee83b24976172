/*
 * cpm_headers: CPM service detection (pure string matching).
 *
 * A request belongs to a CPM service when it carries the service's
 * IMS Communication Service Identifier (ICSI):
 *
 *   cpm-icsi   = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm." cpm-svc
 *   cpm-svc    = "msg" / "largemsg" / "session" / "filetransfer"
 *                / "deferred"
 *
 * either as a service URN in P-Preferred-Service / P-Asserted-Service, or in
 * the +g.3gpp.icsi-ref feature tag of Accept-Contact / Contact
 * (RFC 3840/3841), where it is usually quoted and %-escaped:
 *
 *   +g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session"
 *
 * The comparison is made after %-decoding and case-insensitively.  A URN
 * only matches when it ends there: ".cpm.msgx" and ".cpm.msg.foo" are not
 * "msg", and ".cpm.largemsg" is only "largemsg".  The feature tag
 * +g.oma.sip-im in Accept-Contact or Contact (not ="FALSE") means "sip-im".
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cpm_service.h"

static const str _svc_names[CPM_SVC_COUNT] = {
	{"msg", 3},
	{"largemsg", 8},
	{"session", 7},
	{"filetransfer", 12},
	{"deferred", 8},
	{"sip-im", 6},
};

static const char _icsi_prefix[] = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.";
#define ICSI_PREFIX_LEN (sizeof(_icsi_prefix) - 1)
#define SVC_SUFFIX_MAX 16

static const char _tag_icsi[] = "+g.3gpp.icsi-ref";
static const char _tag_sipim[] = "+g.oma.sip-im";

/* priority for $cpm(service) */
static const cpm_service_t _svc_prio[CPM_SVC_COUNT] = {CPM_SVC_SESSION,
		CPM_SVC_FILETRANSFER, CPM_SVC_LARGEMSG, CPM_SVC_DEFERRED, CPM_SVC_MSG,
		CPM_SVC_SIPIM};

int cpm_service_from_name(const str *name, cpm_service_t *svc)
{
	int i;

	if(name == NULL || name->s == NULL || svc == NULL)
		return -EINVAL;
	for(i = 0; i < CPM_SVC_COUNT; i++) {
		if(name->len == _svc_names[i].len
				&& strncasecmp(name->s, _svc_names[i].s, name->len) == 0) {
			*svc = (cpm_service_t)i;
			return 0;
		}
	}
	return -ENOENT;
}

const str *cpm_service_name(cpm_service_t svc)
{
	if(svc < 0 || svc >= CPM_SVC_COUNT)
		return NULL;
	return &_svc_names[svc];
}

cpm_service_t cpm_service_pick(unsigned int mask)
{
	int i;

	for(i = 0; i < CPM_SVC_COUNT; i++)
		if(mask & CPM_SVC_BIT(_svc_prio[i]))
			return _svc_prio[i];
	return CPM_SVC_NONE;
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int hexval(int c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* next %-decoded octet at s[*i] (i < len), advancing *i */
static int dec_char(const char *s, int len, int *i)
{
	int h, l;

	if(s[*i] == '%' && *i + 2 < len) {
		h = hexval((unsigned char)s[*i + 1]);
		l = hexval((unsigned char)s[*i + 2]);
		if(h >= 0 && l >= 0) {
			*i += 3;
			return (h << 4) | l;
		}
	}
	return (unsigned char)s[(*i)++];
}

/* characters that continue a URN (after decoding); a '%' left over
 * from an invalid escape also does, so "cpm.msg%" is not "msg" */
static int is_urn_char(int c)
{
	if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			|| (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("-._~+!*':@$%", c) != NULL;
}

/* try to match cpm-icsi at s[i]; returns a service bit or 0 */
static unsigned int match_icsi(const char *s, int len, int i)
{
	char sfx[SVC_SUFFIX_MAX];
	int c, n, j;
	unsigned int k2;
	str sv;
	cpm_service_t svc;

	for(k2 = 0; k2 < ICSI_PREFIX_LEN; k2++) {
		if(i >= len)
			return 0;
		c = dec_char(s, len, &i);
		if(lower(c) != _icsi_prefix[k2])
			return 0;
	}
	n = 0;
	while(i < len) {
		j = i;
		c = dec_char(s, len, &j);
		if(!is_urn_char(c))
			break;
		if(n >= SVC_SUFFIX_MAX)
			return 0; /* too long for any known service */
		sfx[n++] = (char)lower(c);
		i = j;
	}
	sv.s = sfx;
	sv.len = n;
	if(cpm_service_from_name(&sv, &svc) != 0 || svc == CPM_SVC_SIPIM)
		return 0;
	return CPM_SVC_BIT(svc);
}

/* every cpm-icsi URN in s[0..len) that starts at a URN boundary */
static unsigned int scan_urns(const char *s, int len)
{
	unsigned int mask = 0;
	int i = 0, prev = -1;

	while(i < len) {
		if(prev < 0 || !is_urn_char(prev))
			mask |= match_icsi(s, len, i);
		prev = dec_char(s, len, &i);
	}
	return mask;
}

static int is_wsp_nl(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_pname_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9') || (c != 0 && strchr("-.!%*_+`'~", c));
}

static int eq_ci(const char *s, int len, const char *lit)
{
	int n = (int)strlen(lit);
	return len == n && strncasecmp(s, lit, n) == 0;
}

/*
 * Feature parameters of Accept-Contact / Contact (RFC 3840, 3841):
 *   ac-params / contact-params = *( SEMI generic-param )
 *   generic-param = token [ EQUAL ( token / quoted-string ) ]
 * Parameters inside <...> (URI parameters) and quoted strings are skipped.
 */
static unsigned int scan_feature_params(const char *s, int len)
{
	unsigned int mask = 0;
	int i = 0, inq = 0, inangle = 0;
	int ns, nl, vs, vl;

	while(i < len) {
		char c = s[i];
		if(inq) {
			if(c == '\\')
				i++;
			else if(c == '"')
				inq = 0;
			i++;
			continue;
		}
		if(c == '"') {
			inq = 1;
			i++;
			continue;
		}
		if(c == '<')
			inangle = 1;
		else if(c == '>')
			inangle = 0;
		if(c != ';' || inangle) {
			i++;
			continue;
		}
		/* a parameter */
		i++;
		while(i < len && is_wsp_nl(s[i]))
			i++;
		ns = i;
		while(i < len && is_pname_char(s[i]))
			i++;
		nl = i - ns;
		while(i < len && is_wsp_nl(s[i]))
			i++;
		vs = vl = -1;
		if(i < len && s[i] == '=') {
			i++;
			while(i < len && is_wsp_nl(s[i]))
				i++;
			if(i < len && s[i] == '"') {
				vs = ++i;
				while(i < len && s[i] != '"') {
					if(s[i] == '\\')
						i++;
					i++;
				}
				if(i > len)
					i = len;
				vl = i - vs;
				if(i < len)
					i++; /* closing quote */
			} else {
				vs = i;
				while(i < len && is_pname_char(s[i]))
					i++;
				vl = i - vs;
			}
		}
		if(eq_ci(s + ns, nl, _tag_icsi)) {
			if(vs >= 0)
				mask |= scan_urns(s + vs, vl);
		} else if(eq_ci(s + ns, nl, _tag_sipim)) {
			if(vs < 0 || !eq_ci(s + vs, vl, "FALSE"))
				mask |= CPM_SVC_BIT(CPM_SVC_SIPIM);
		}
	}
	return mask;
}

unsigned int cpm_service_scan(const str *body, cpm_svc_hdr_t kind)
{
	if(body == NULL || body->s == NULL || body->len <= 0)
		return 0;
	switch(kind) {
		case CPM_SVC_HDR_ACCEPT_CONTACT:
		case CPM_SVC_HDR_CONTACT:
			return scan_feature_params(body->s, body->len);
		case CPM_SVC_HDR_SERVICE:
			return scan_urns(body->s, body->len);
		default:
			return 0;
	}
}

int cpm_service_is_service_hdr(const str *name)
{
	if(name == NULL || name->s == NULL)
		return 0;
	return eq_ci(name->s, name->len, "P-Preferred-Service")
		   || eq_ci(name->s, name->len, "P-Asserted-Service");
}
