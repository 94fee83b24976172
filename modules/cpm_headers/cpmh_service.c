/*
 * cpm_headers: CPM service detection (pure string matching).
 *
 * A request belongs to a CPM service when it carries the service's
 * IMS Communication Service Identifier (ICSI):
 *
 *   cpm-icsi   = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm." cpm-svc
 *   cpm-svc    = "msg" / "largemsg" / "session" / "filetransfer"
 *                / "deferred" / "msg.group" / "session.group"
 *                / "systemmsg"
 *
 * either as a service URN in P-Preferred-Service / P-Asserted-Service, or in
 * the +g.3gpp.icsi-ref feature tag of Accept-Contact / Contact
 * (RFC 3840/3841), where it is usually quoted and %-escaped:
 *
 *   +g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session"
 *
 * The comparison is made after %-decoding and case-insensitively.  A URN
 * only matches when it ends there: ".cpm.msgx" and ".cpm.msg.foo" are not
 * "msg", and ".cpm.largemsg" is only "largemsg"; ".cpm.msg.group" is
 * "msg.group", not "msg".  The feature tag +g.oma.sip-im in Accept-Contact or
 * Contact (not ="FALSE") means "sip-im".
 *
 * The RCS 5.x dialect (client-dialects.md) names no group ICSI: its group
 * requests carry +g.oma.sip-im and say "group" in other ways, which count
 * here too:
 *
 *   Require: recipient-list-message   (RFC 5365)  -> "msg.group"
 *   Require: recipient-list-invite    (RFC 5366)  -> "session.group"
 *   Contact: <uri>;isfocus            (RFC 4579)  -> "session.group"
 *
 *   Require     = "Require" HCOLON option-tag *(COMMA option-tag)
 *   option-tag  = token                             (RFC 3261 25.1)
 *
 * (isfocus as a Contact header parameter, outside the angle brackets: the
 * focus's Contact in the CF's INVITE to an invitee and its 200; inside the
 * URI it is a URI parameter and rcsjta reads it as a 1-1 chat.)
 */
#include <errno.h>
#include <string.h>

#include "../../lib/cpm_lex.h"
#include "cpmh_service.h"

static const str _svc_names[CPMH_SVC_COUNT] = {
	{"msg", 3},
	{"largemsg", 8},
	{"session", 7},
	{"filetransfer", 12},
	{"deferred", 8},
	{"sip-im", 6},
	{"msg.group", 9},
	{"session.group", 13},
	{"systemmsg", 9},
};

static const char _icsi_prefix[] = "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.";
#define ICSI_PREFIX_LEN (sizeof(_icsi_prefix) - 1)
#define SVC_SUFFIX_MAX 16

static const char _tag_icsi[] = "+g.3gpp.icsi-ref";
static const char _tag_sipim[] = "+g.oma.sip-im";

/* priority for $cpm(service) */
static const cpmh_service_t _svc_prio[CPMH_SVC_COUNT] = {
		CPMH_SVC_SESSION_GROUP, CPMH_SVC_SESSION, CPMH_SVC_FILETRANSFER,
		CPMH_SVC_LARGEMSG, CPMH_SVC_DEFERRED, CPMH_SVC_MSG_GROUP, CPMH_SVC_MSG,
		CPMH_SVC_SYSTEMMSG, CPMH_SVC_SIPIM};

int cpmh_service_from_name(const str *name, cpmh_service_t *svc)
{
	int i;

	if(name == NULL || name->s == NULL || svc == NULL)
		return -EINVAL;
	for(i = 0; i < CPMH_SVC_COUNT; i++) {
		if(cpm_lex_ieq(name->s, name->len, _svc_names[i].s, _svc_names[i].len)) {
			*svc = (cpmh_service_t)i;
			return 0;
		}
	}
	return -ENOENT;
}

const str *cpmh_service_name(cpmh_service_t svc)
{
	if(svc < 0 || svc >= CPMH_SVC_COUNT)
		return NULL;
	return &_svc_names[svc];
}

cpmh_service_t cpmh_service_pick(unsigned int mask)
{
	int i;

	for(i = 0; i < CPMH_SVC_COUNT; i++)
		if(mask & CPMH_SVC_BIT(_svc_prio[i]))
			return _svc_prio[i];
	return CPMH_SVC_NONE;
}

/* characters that continue a URN (after decoding); a '%' left over
 * from an invalid escape also does, so "cpm.msg%" is not "msg" */
static int is_urn_char(int c)
{
	if(cpm_lex_is_alnum(c))
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
	cpmh_service_t svc;

	for(k2 = 0; k2 < ICSI_PREFIX_LEN; k2++) {
		if(i >= len)
			return 0;
		c = cpm_lex_pct_next(s, len, &i);
		if(cpm_lex_lower(c) != _icsi_prefix[k2])
			return 0;
	}
	n = 0;
	while(i < len) {
		j = i;
		c = cpm_lex_pct_next(s, len, &j);
		if(!is_urn_char(c))
			break;
		if(n >= SVC_SUFFIX_MAX)
			return 0; /* too long for any known service */
		sfx[n++] = (char)cpm_lex_lower(c);
		i = j;
	}
	sv.s = sfx;
	sv.len = n;
	if(cpmh_service_from_name(&sv, &svc) != 0 || svc == CPMH_SVC_SIPIM)
		return 0;
	return CPMH_SVC_BIT(svc);
}

/* every cpm-icsi URN in s[0..len) that starts at a URN boundary */
static unsigned int scan_urns(const char *s, int len)
{
	unsigned int mask = 0;
	int i = 0, prev = -1;

	while(i < len) {
		if(prev < 0 || !is_urn_char(prev))
			mask |= match_icsi(s, len, i);
		prev = cpm_lex_pct_next(s, len, &i);
	}
	return mask;
}

static int eq_ci(const char *s, int len, const char *lit)
{
	return cpm_lex_ieq(s, len, lit, (int)strlen(lit));
}

/*
 * Feature parameters of Accept-Contact / Contact (RFC 3840, 3841):
 *   ac-params / contact-params = *( SEMI generic-param )
 *   generic-param = token [ EQUAL ( token / quoted-string ) ]
 * Parameters inside <...> (URI parameters) and quoted strings are skipped.
 *
 * Not the core's parse_params(): Accept-Contact has no core parser (the
 * core stops at each ',' and leaves the element syntax to its caller);
 * parse_params() allocates a pkg param_t per parameter on every request;
 * and the core drops a parameter whose value is followed by anything but
 * ';' ',' '>' (and reads '...' as quoting, without quoted-pair), so a
 * feature tag next to a malformed neighbour would go unseen -- tried with
 * the non-allocating parse_param(): test_svc_insert of test_cpm_fuzz.c
 * fails.  The scan is built on lib/cpm_lex (token class, quoted-string).
 */
static unsigned int scan_feature_params(const char *s, int len, int contact)
{
	unsigned int mask = 0;
	int i = 0, inangle = 0;
	int ns, nl, vs, vl, q;

	while(i < len) {
		char c = s[i];
		if(c == '"') {
			/* a display name, or a value outside a parameter */
			q = cpm_lex_quoted_skip(s + i, len - i);
			i = (q < 0) ? len : i + q;
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
		i += cpm_lex_skip_space(s + i, len - i);
		ns = i;
		i += cpm_lex_span(s + i, len - i, CPM_LEX_TOKEN);
		nl = i - ns;
		i += cpm_lex_skip_space(s + i, len - i);
		vs = vl = -1;
		if(i < len && s[i] == '=') {
			i++;
			i += cpm_lex_skip_space(s + i, len - i);
			if(i < len && s[i] == '"') {
				/* the content; an unterminated one runs to the end */
				q = cpm_lex_quoted_skip(s + i, len - i);
				vs = i + 1;
				vl = (q < 0) ? len - vs : q - 2;
				i = (q < 0) ? len : i + q;
			} else {
				vs = i;
				i += cpm_lex_span(s + i, len - i, CPM_LEX_TOKEN);
				vl = i - vs;
			}
		}
		if(eq_ci(s + ns, nl, _tag_icsi)) {
			if(vs >= 0)
				mask |= scan_urns(s + vs, vl);
		} else if(eq_ci(s + ns, nl, _tag_sipim)) {
			if(vs < 0 || !eq_ci(s + vs, vl, "FALSE"))
				mask |= CPMH_SVC_BIT(CPMH_SVC_SIPIM);
		} else if(contact && eq_ci(s + ns, nl, "isfocus")) {
			/* RFC 4579 3.3: the Contact of a conference focus */
			mask |= CPMH_SVC_BIT(CPMH_SVC_SESSION_GROUP);
		}
	}
	return mask;
}

/* the recipient-list option tags of a Require body (ABNF above) */
static unsigned int scan_require(const char *s, int len)
{
	unsigned int mask = 0;
	int i = 0, ts, tl;

	while(i < len) {
		i += cpm_lex_skip_space(s + i, len - i);
		ts = i;
		i += cpm_lex_span(s + i, len - i, CPM_LEX_TOKEN);
		tl = i - ts;
		if(eq_ci(s + ts, tl, "recipient-list-message"))
			mask |= CPMH_SVC_BIT(CPMH_SVC_MSG_GROUP);
		else if(eq_ci(s + ts, tl, "recipient-list-invite"))
			mask |= CPMH_SVC_BIT(CPMH_SVC_SESSION_GROUP);
		/* to the next comma: anything else in between is not a tag */
		while(i < len && s[i] != ',')
			i++;
		if(i < len)
			i++;
	}
	return mask;
}

unsigned int cpmh_service_scan(const str *body, cpmh_svc_hdr_t kind)
{
	if(body == NULL || body->s == NULL || body->len <= 0)
		return 0;
	switch(kind) {
		case CPMH_SVC_HDR_ACCEPT_CONTACT:
			return scan_feature_params(body->s, body->len, 0);
		case CPMH_SVC_HDR_CONTACT:
			return scan_feature_params(body->s, body->len, 1);
		case CPMH_SVC_HDR_SERVICE:
			return scan_urns(body->s, body->len);
		case CPMH_SVC_HDR_REQUIRE:
			return scan_require(body->s, body->len);
		default:
			return 0;
	}
}

int cpmh_service_is_service_hdr(const str *name)
{
	if(name == NULL || name->s == NULL)
		return 0;
	return eq_ci(name->s, name->len, "P-Preferred-Service")
		   || eq_ci(name->s, name->len, "P-Asserted-Service");
}
