/*
 * lib/cpm_confinfo.c (RFC 4575 conference-info): the CF's full and partial
 * notifications built byte for byte in the form rcsjta parses (state on
 * the root, no <media><status>, yourown), the RFC 4575 example shape
 * parsed (elements the CF does not write skipped), every builder refusal
 * and parser error, hostile XML; properties: random documents build and
 * parse back equal; mutations of a built document give only documented
 * codes, and whatever parses builds and parses back equal.
 */
#define FUZZ_SEED 0x4575ull
#include "cpm_prop.h"

#include <errno.h>

#include "../../lib/cpm_confinfo.h"
#include "../../lib/cpm_xml.h"

#define assert_view(v, lit)                                   \
	do {                                                      \
		const cpm_str_t *v_ = (v);                            \
		assert_int_equal(v_->len, (int)strlen(lit));          \
		assert_memory_equal(v_->s, lit, strlen(lit));         \
	} while(0)

#define MAXU 64
static cpm_ci_t ci;
static cpm_ci_user_t us[MAXU];
static char cbuf[1 << 17];

static int parse_n(const char *s, int len, int maxu)
{
	char *p = malloc(len ? len : 1);
	int rc, bs = CPM_CI_BUF_SIZE(len);

	assert_non_null(p);
	memcpy(p, s, len);
	rc = cpm_ci_parse(p, len, &ci, us, maxu, cbuf + sizeof(cbuf) - bs, bs);
	free(p);
	return rc;
}

static int parse(const char *s)
{
	return parse_n(s, (int)strlen(s), MAXU);
}

#define S(x) ((cpm_str_t){x, (int)sizeof(x) - 1})

/* the first NOTIFY to bob: full state, three participants, one gone */
static void t_build_full(void **state)
{
	static const char want[] =
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
			"entity=\"sip:cf-0123@example.com\" state=\"full\" version=\"1\">\n"
			" <conference-description><subject>Lunch &amp; more</subject>"
			"<maximum-user-count>100</maximum-user-count>"
			"</conference-description>\n"
			" <conference-state><user-count>2</user-count><active>true</active>"
			"</conference-state>\n"
			" <users>\n"
			"  <user entity=\"tel:+33600000001\" state=\"full\">"
			"<display-text>Alice</display-text>\n"
			"   <endpoint entity=\"sip:alice@example.com\" state=\"full\">"
			"<status>connected</status><joining-method>focus-owner</joining-method>"
			"<joining-info><when>2026-11-25T21:00:00Z</when></joining-info>"
			"</endpoint>\n"
			"  </user>\n"
			"  <user entity=\"tel:+33600000002\" state=\"full\" yourown=\"true\">"
			"<display-text>Bob</display-text>\n"
			"   <endpoint state=\"full\"><status>connected</status>"
			"<joining-method>dialed-out</joining-method></endpoint>\n"
			"  </user>\n"
			"  <user entity=\"tel:+33600000003\" state=\"full\">\n"
			"   <endpoint state=\"full\"><status>disconnected</status>"
			"<disconnection-method>departed</disconnection-method>"
			"<disconnection-info><when>2026-11-25T21:05:00Z</when>"
			"</disconnection-info></endpoint>\n"
			"  </user>\n"
			" </users>\n"
			"</conference-info>\n";
	cpm_ci_user_t u[3];
	cpm_ci_t c;
	char out[4096];
	int n;

	memset(u, 0, sizeof(u));
	memset(&c, 0, sizeof(c));
	c.entity = S("sip:cf-0123@example.com");
	c.state = CPM_CI_FULL;
	c.version = 1;
	c.subject = S("Lunch & more");
	c.max_users = 100;
	c.user_count = 2;
	c.active = 1;
	c.n_users = 3;
	c.users = u;
	u[0].entity = S("tel:+33600000001");
	u[0].display_text = S("Alice");
	u[0].has_endpoint = 1;
	u[0].ep_entity = S("sip:alice@example.com");
	u[0].status = CPM_CI_ST_CONNECTED;
	u[0].joining_method = CPM_CI_JM_FOCUS_OWNER;
	u[0].joining_when = S("2026-11-25T21:00:00Z");
	u[1].entity = S("tel:+33600000002");
	u[1].display_text = S("Bob");
	u[1].yourown = 1;
	u[1].has_endpoint = 1;
	u[1].status = CPM_CI_ST_CONNECTED;
	u[1].joining_method = CPM_CI_JM_DIALED_OUT;
	u[2].entity = S("tel:+33600000003");
	u[2].has_endpoint = 1;
	u[2].status = CPM_CI_ST_DISCONNECTED;
	u[2].disconnection_method = CPM_CI_DM_DEPARTED;
	u[2].disconnection_when = S("2026-11-25T21:05:00Z");
	n = cpm_ci_build(&c, out, sizeof(out));
	assert_int_equal(n, (int)sizeof(want) - 1);
	assert_string_equal(out, want);
	/* what rcsjta needs: state on the root, no media status */
	assert_non_null(strstr(out, "<conference-info xmlns"));
	assert_null(strstr(out, "<media"));
	assert_int_equal(cpm_ci_build(&c, NULL, 0), -ENOSPC);
	assert_int_equal(cpm_ci_build(&c, out, n - 1), -ENOSPC);
	/* parse back, element by element */
	assert_int_equal(parse(out), 0);
	assert_view(&ci.entity, "sip:cf-0123@example.com");
	assert_int_equal(ci.state, CPM_CI_FULL);
	assert_int_equal(ci.version, 1);
	assert_view(&ci.subject, "Lunch & more");
	assert_int_equal(ci.max_users, 100);
	assert_int_equal(ci.user_count, 2);
	assert_int_equal(ci.active, 1);
	assert_int_equal(ci.n_users, 3);
	assert_view(&us[0].display_text, "Alice");
	assert_view(&us[0].joining_when, "2026-11-25T21:00:00Z");
	assert_int_equal(us[0].joining_method, CPM_CI_JM_FOCUS_OWNER);
	assert_int_equal(us[1].yourown, 1);
	assert_int_equal(us[0].yourown, 0);
	assert_int_equal(us[1].ep_entity.len, 0);
	assert_int_equal(us[2].status, CPM_CI_ST_DISCONNECTED);
	assert_int_equal(us[2].disconnection_method, CPM_CI_DM_DEPARTED);
	assert_int_equal(us[2].display_text.len, 0);
}

/* a partial notification: one user deleted, one changed display name;
 * an optional <media> with its type and no status */
static void t_build_partial(void **state)
{
	cpm_ci_user_t u[2];
	cpm_ci_t c;
	char out[2048];
	int n;

	memset(u, 0, sizeof(u));
	memset(&c, 0, sizeof(c));
	c.entity = S("sip:cf-0123@example.com");
	c.state = CPM_CI_PARTIAL;
	c.version = 7;
	c.max_users = c.user_count = -1;
	c.active = -1;
	c.n_users = 2;
	c.users = u;
	u[0].entity = S("sip:carol@example.com");
	u[0].state = CPM_CI_DELETED;
	u[1].entity = S("sip:dave@example.com");
	u[1].state = CPM_CI_PARTIAL;
	u[1].display_text = S("Dave \xe2\x82\xac");
	u[1].has_endpoint = 1;
	u[1].ep_state = CPM_CI_PARTIAL;
	u[1].status = CPM_CI_ST_DIALING_OUT;
	u[1].media_type = S("message");
	n = cpm_ci_build(&c, out, sizeof(out));
	assert_true(n > 0);
	assert_non_null(strstr(out, "state=\"partial\" version=\"7\""));
	assert_null(strstr(out, "conference-description"));
	assert_null(strstr(out, "conference-state"));
	assert_non_null(strstr(out, "<user entity=\"sip:carol@example.com\" "
								"state=\"deleted\"></user>"));
	assert_non_null(strstr(out, "<media id=\"1\"><type>message</type></media>"));
	assert_null(strstr(out, "<media id=\"1\"><type>message</type><status>"));
	assert_int_equal(parse(out), 0);
	assert_int_equal(ci.state, CPM_CI_PARTIAL);
	assert_int_equal(ci.version, 7);
	assert_int_equal(ci.max_users, -1);
	assert_int_equal(us[0].state, CPM_CI_DELETED);
	assert_int_equal(us[0].has_endpoint, 0);
	assert_int_equal(us[1].ep_state, CPM_CI_PARTIAL);
	assert_int_equal(us[1].status, CPM_CI_ST_DIALING_OUT);
	assert_view(&us[1].media_type, "message");
	/* a partial document with no user changes has no <users> */
	c.n_users = 0;
	n = cpm_ci_build(&c, out, sizeof(out));
	assert_null(strstr(out, "<users>"));
	c.has_users = 1;
	n = cpm_ci_build(&c, out, sizeof(out));
	assert_non_null(strstr(out, "<users>"));
	assert_true(cpm_ci_status_rcsjta_ok(CPM_CI_ST_DIALING_OUT));
	assert_false(cpm_ci_status_rcsjta_ok(CPM_CI_ST_ON_HOLD));
	assert_false(cpm_ci_status_rcsjta_ok(CPM_CI_ST_ALERTING));
}

/* the shape of RFC 4575 6.1 (elements the CF does not write: host-info,
 * roles, call-info, sidebars, a media status, a second endpoint) */
static void t_parse_rfc(void **state)
{
	static const char s[] =
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
			"<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "
			"entity=\"sips:conf233@example.com\" state=\"full\" version=\"1\">"
			"<conference-description><subject>Agenda: This month's goals"
			"</subject><service-uris><entry><uri>http://sharepoint/salesgroup/"
			"</uri><purpose>web-page</purpose></entry></service-uris>"
			"</conference-description>"
			"<host-info><uris><entry><uri>sip:alice@example.com</uri></entry>"
			"</uris></host-info>"
			"<conference-state><user-count>33</user-count></conference-state>"
			"<users>"
			"<user entity=\"sip:bob@example.com\" state=\"full\">"
			"<display-text>Bob Hoskins</display-text>"
			"<roles><entry>participant</entry></roles>"
			"<endpoint entity=\"sip:bob@pc33.example.com\">"
			"<display-text>Bob's Laptop</display-text>"
			"<status>disconnected</status>"
			"<disconnection-method>departed</disconnection-method>"
			"<disconnection-info><when>2005-03-04T20:00:00Z</when>"
			"<reason>bad voice quality</reason>"
			"<by>sip:mike@example.com</by></disconnection-info>"
			"<media id=\"1\"><display-text>main audio</display-text>"
			"<type>audio</type><label>34567</label><src-id>432424</src-id>"
			"<status>sendrecv</status></media>"
			"</endpoint>"
			"<endpoint entity=\"sip:bob@phone.example.com\"><status>connected"
			"</status></endpoint>"
			"</user>"
			"<user entity=\"sip:alice@example.com\"/>"
			"</users><sidebars-by-ref/></conference-info>";

	assert_int_equal(parse(s), 0);
	assert_view(&ci.subject, "Agenda: This month's goals");
	assert_int_equal(ci.user_count, 33);
	assert_int_equal(ci.active, -1);
	assert_int_equal(ci.n_users, 2);
	assert_view(&us[0].ep_entity, "sip:bob@pc33.example.com");
	assert_int_equal(us[0].ep_state, CPM_CI_FULL); /* default */
	assert_int_equal(us[0].status, CPM_CI_ST_DISCONNECTED);
	assert_view(&us[0].disconnection_reason, "bad voice quality");
	assert_view(&us[0].media_type, "audio");
	assert_int_equal(us[1].state, CPM_CI_FULL);
	assert_int_equal(us[1].has_endpoint, 0);
}

#define CI_OPEN "<conference-info xmlns=\"urn:ietf:params:xml:ns:conference-info\" "

static void t_parse_refused(void **state)
{
	static const struct {
		const char *what, *in;
		int rc;
	} v[] = {
			{"no entity", CI_OPEN "state=\"full\" version=\"1\"/>", -EBADMSG},
			{"bad state", CI_OPEN "entity=\"sip:c@x\" state=\"FULL\"/>", -EBADMSG},
			{"bad version", CI_OPEN "entity=\"sip:c@x\" version=\"-1\"/>",
					-EBADMSG},
			{"version > 2^32-1", CI_OPEN "entity=\"sip:c@x\" version=\"4294967296\"/>",
					-EBADMSG},
			{"user without entity", CI_OPEN "entity=\"sip:c@x\"><users><user/>"
											"</users></conference-info>",
					-EBADMSG},
			{"bad status", CI_OPEN "entity=\"sip:c@x\"><users><user entity=\"sip:a@x\">"
								   "<endpoint><status>away</status></endpoint></user>"
								   "</users></conference-info>",
					-EBADMSG},
			{"bad disconnection-method",
					CI_OPEN "entity=\"sip:c@x\"><users><user entity=\"sip:a@x\">"
							"<endpoint><disconnection-method>left</disconnection-method>"
							"</endpoint></user></users></conference-info>",
					-EBADMSG},
			{"bad active", CI_OPEN "entity=\"sip:c@x\"><conference-state><active>yes"
								   "</active></conference-state></conference-info>",
					-EBADMSG},
			{"bad maximum-user-count",
					CI_OPEN "entity=\"sip:c@x\"><conference-description>"
							"<maximum-user-count>x</maximum-user-count>"
							"</conference-description></conference-info>",
					-EBADMSG},
			{"wrong namespace", "<conference-info xmlns=\"urn:x\" entity=\"sip:c@x\"/>",
					-ENOMSG},
			{"XXE", "<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" CI_OPEN
					"entity=\"sip:c@x\"><conference-description><subject>&x;"
					"</subject></conference-description></conference-info>",
					-EPERM},
			{"entity expansion", "<!DOCTYPE c [<!ENTITY a \"aa\">]>" CI_OPEN
								 "entity=\"sip:c@x\"/>",
					-EMLINK},
			{"truncated", CI_OPEN "entity=\"sip:c@x\">", -EBADMSG},
	};
	int i, rc;
	char small[8];
	static const char two[] = CI_OPEN "entity=\"sip:c@x\"><users><user "
									  "entity=\"sip:a@x\"/><user entity=\"sip:b@x\"/>"
									  "</users></conference-info>";

	for(i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++) {
		rc = parse(v[i].in);
		if(rc != v[i].rc)
			fail_msg("%s: %d, want %d", v[i].what, rc, v[i].rc);
	}
	assert_int_equal(parse_n(two, sizeof(two) - 1, 1), -E2BIG);
	assert_int_equal(parse_n(two, sizeof(two) - 1, 2), 0);
	assert_int_equal(ci.version, -1);
	assert_int_equal(
			cpm_ci_parse(two, sizeof(two) - 1, &ci, us, MAXU, small, sizeof(small)),
			-ENOSPC);
	assert_int_equal(cpm_ci_parse(two, sizeof(two) - 1, NULL, us, MAXU, cbuf, 10),
			-EINVAL);
}

static void t_build_refused(void **state)
{
	cpm_ci_user_t u[1];
	cpm_ci_t c;
	char out[1024];

	memset(u, 0, sizeof(u));
	memset(&c, 0, sizeof(c));
	c.entity = S("sip:cf@x");
	c.max_users = c.user_count = -1;
	c.active = -1;
	c.n_users = 1;
	c.users = u;
	u[0].entity = S("sip:a@x");
	assert_true(cpm_ci_build(&c, out, sizeof(out)) > 0);
	c.version = -1;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	c.version = 0;
	c.entity.len = 0;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	c.entity = S("sip:c f@x");
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	c.entity = S("sip:cf@x");
	c.state = (cpm_ci_state_t)3;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	c.state = CPM_CI_FULL;
	c.subject = S("a\nb");
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	c.subject = S("ab ");
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	c.subject.len = 0;
	u[0].status = CPM_CI_ST_CONNECTED; /* an endpoint field without one */
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	u[0].has_endpoint = 1;
	assert_true(cpm_ci_build(&c, out, sizeof(out)) > 0);
	u[0].status = (cpm_ci_status_t)10;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	u[0].status = CPM_CI_ST_NONE;
	u[0].disconnection_method = (cpm_ci_disc_t)5;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	u[0].disconnection_method = CPM_CI_DM_NONE;
	u[0].entity.len = 0;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	u[0].entity = S("sip:a@x");
	u[0].display_text = S("\xff");
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	u[0].display_text.len = 0;
	c.active = 2;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	c.active = -1;
	c.max_users = 4294967296L;
	assert_int_equal(cpm_ci_build(&c, out, sizeof(out)), -EINVAL);
	assert_int_equal(cpm_ci_build(NULL, out, sizeof(out)), -EINVAL);
	assert_string_equal(cpm_ci_status_name(CPM_CI_ST_MUTED_VIA_FOCUS),
			"muted-via-focus");
	assert_null(cpm_ci_status_name(CPM_CI_ST_NONE));
	assert_string_equal(cpm_ci_disc_name(CPM_CI_DM_BOOTED), "booted");
	assert_string_equal(cpm_ci_joining_name(CPM_CI_JM_DIALED_IN), "dialed-in");
	assert_string_equal(cpm_ci_state_name(CPM_CI_DELETED), "deleted");
}

/* ---- properties ------------------------------------------------------- */

static char pool[1 << 16];
static int pp;

static void rtext(cpm_str_t *v, int max)
{
	static const char *const pieces[] = {"a", "Z", "0", " ", "&", "<", ">",
			"\"", "'", "\xc3\xa9", "\xf0\x9f\x98\x80", ":", "-"};

	v->s = pool + pp;
	v->len = prop_text(pool + pp, max, pieces,
			(int)(sizeof(pieces) / sizeof(pieces[0])));
	pp += v->len;
}

static void ruri(cpm_str_t *v, int i)
{
	v->s = pool + pp;
	v->len = sprintf(pool + pp, rn(2) ? "sip:u%d@x.example;a=\"&<\"" : "tel:+%d", i);
	pp += v->len;
}

#define SAMEV(a, b) ((a).len == (b).len && memcmp((a).s, (b).s, (a).len) == 0)

static void same(const cpm_ci_t *a)
{
	int i, hu = a->has_users || a->n_users > 0 || a->state == CPM_CI_FULL;

	CHECK(SAMEV(ci.entity, a->entity) && ci.state == a->state
					&& ci.version == a->version,
			"root");
	CHECK(SAMEV(ci.display_text, a->display_text) && SAMEV(ci.subject, a->subject)
					&& ci.max_users == a->max_users,
			"description");
	CHECK(ci.user_count == a->user_count && ci.active == a->active, "state");
	CHECK(ci.has_users == hu && ci.n_users == a->n_users, "users");
	for(i = 0; i < a->n_users; i++) {
		const cpm_ci_user_t *x = &ci.users[i], *y = &a->users[i];
		CHECK(SAMEV(x->entity, y->entity) && x->state == y->state
						&& x->yourown == y->yourown
						&& SAMEV(x->display_text, y->display_text),
				"user %d", i);
		CHECK(x->has_endpoint == y->has_endpoint, "user %d endpoint", i);
		if(!y->has_endpoint)
			continue;
		CHECK(SAMEV(x->ep_entity, y->ep_entity) && x->ep_state == y->ep_state
						&& x->status == y->status
						&& x->joining_method == y->joining_method
						&& SAMEV(x->joining_when, y->joining_when)
						&& x->disconnection_method == y->disconnection_method
						&& SAMEV(x->disconnection_when, y->disconnection_when)
						&& SAMEV(x->disconnection_reason, y->disconnection_reason)
						&& SAMEV(x->media_type, y->media_type),
				"user %d endpoint fields", i);
	}
}

static void rand_ci(cpm_ci_t *c, cpm_ci_user_t *u)
{
	int i;

	pp = 0;
	memset(c, 0, sizeof(*c));
	ruri(&c->entity, 0);
	c->state = (cpm_ci_state_t)rn(3);
	c->version = (long)(rnd() % 4294967296ull);
	if(chance(50))
		rtext(&c->display_text, 6);
	if(chance(50))
		rtext(&c->subject, 10);
	c->max_users = chance(50) ? (long)rn(1000) : -1;
	c->user_count = chance(50) ? (long)rn(1000) : -1;
	c->active = (int)rn(3) - 1;
	c->has_users = chance(30);
	c->n_users = (int)rn(12);
	c->users = u;
	memset(u, 0, sizeof(*u) * c->n_users);
	for(i = 0; i < c->n_users; i++) {
		ruri(&u[i].entity, i + 1);
		u[i].state = (cpm_ci_state_t)rn(3);
		u[i].yourown = chance(10);
		if(chance(60))
			rtext(&u[i].display_text, 6);
		if(!chance(70))
			continue;
		u[i].has_endpoint = 1;
		if(chance(50))
			ruri(&u[i].ep_entity, 100 + i);
		u[i].ep_state = (cpm_ci_state_t)rn(3);
		u[i].status = (cpm_ci_status_t)rn(10);
		u[i].joining_method = (cpm_ci_joining_t)rn(4);
		if(chance(40))
			rtext(&u[i].joining_when, 5);
		u[i].disconnection_method = (cpm_ci_disc_t)rn(5);
		if(chance(30))
			rtext(&u[i].disconnection_when, 5);
		if(chance(30))
			rtext(&u[i].disconnection_reason, 5);
		if(chance(30))
			rtext(&u[i].media_type, 4);
	}
}

static void t_prop_roundtrip(void **state)
{
	static cpm_ci_user_t u[MAXU];
	static char out[1 << 16];
	cpm_ci_t c;
	int it, n;

	begin("roundtrip", 1);
	for(it = 0; it < iters(2000); it++) {
		g_iter = it;
		rand_ci(&c, u);
		n = cpm_ci_build(&c, out, sizeof(out));
		g_in = out;
		g_inlen = n > 0 ? n : 0;
		CHECK(n > 0, "build: %d", n);
		CHECK(parse_n(out, n, MAXU) == 0, "parse back");
		same(&c);
		ST(0);
	}
	stats("round trips %d", g_st[0]);
}

static void t_prop_mutations(void **state)
{
	static cpm_ci_user_t u[MAXU], ku[MAXU];
	static char doc[1 << 16], out[1 << 16], kb[1 << 16];
	static const char hot[] = "<>/=\"&:x- \t1";
	cpm_ci_t c, keep;
	int it, len, k, at, rc, o, q, i;

	begin("mutations", 2);
	for(it = 0; it < iters(3000); it++) {
		g_iter = it;
		rand_ci(&c, u);
		len = cpm_ci_build(&c, doc, sizeof(doc));
		for(k = 1 + (int)rn(3); k > 0 && len > 1; k--) {
			at = (int)rn(len);
			switch(rn(3)) {
			case 0:
				doc[at] = chance(70) ? hot[rn(sizeof(hot) - 1)] : (char)rn(256);
				break;
			case 1:
				memmove(doc + at + 1, doc + at, len - at);
				doc[at] = hot[rn(sizeof(hot) - 1)];
				len++;
				break;
			default:
				memmove(doc + at, doc + at + 1, len - at - 1);
				len--;
			}
		}
		g_in = doc;
		g_inlen = len;
		rc = parse_n(doc, len, MAXU);
		if(rc < 0) {
			CHECK(rc == -EBADMSG || rc == -ENOMSG || rc == -EILSEQ
							|| rc == -EPERM || rc == -EMLINK || rc == -E2BIG,
					"code %d", rc);
			ST(1);
			continue;
		}
		if(ci.version < 0) { /* version lost: the builder requires one */
			ST(2);
			continue;
		}
		o = cpm_ci_build(&ci, out, sizeof(out));
		if(o == -EINVAL) { /* e.g. a space put into an entity */
			ST(2);
			continue;
		}
		CHECK(o > 0, "build of parsed: %d", o);
		/* keep a copy: the reparse reuses the buffer */
		keep = ci;
		q = 0;
#define KEEP(v)                             \
	do {                                    \
		memcpy(kb + q, (v).s, (v).len);     \
		(v).s = kb + q;                     \
		q += (v).len;                       \
	} while(0)
		KEEP(keep.entity);
		KEEP(keep.display_text);
		KEEP(keep.subject);
		for(i = 0; i < keep.n_users; i++) {
			ku[i] = ci.users[i];
			KEEP(ku[i].entity);
			KEEP(ku[i].display_text);
			KEEP(ku[i].ep_entity);
			KEEP(ku[i].joining_when);
			KEEP(ku[i].disconnection_when);
			KEEP(ku[i].disconnection_reason);
			KEEP(ku[i].media_type);
		}
		keep.users = ku;
		CHECK(parse_n(out, o, MAXU) == 0, "reparse");
		same(&keep);
		ST(0);
	}
	stats("parsed %d, refused %d, not buildable %d", g_st[0], g_st[1], g_st[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_build_full),
			cmocka_unit_test(t_build_partial),
			cmocka_unit_test(t_parse_rfc),
			cmocka_unit_test(t_parse_refused),
			cmocka_unit_test(t_build_refused),
			cmocka_unit_test(t_prop_roundtrip),
			cmocka_unit_test(t_prop_mutations),
	};
	int rc;

	prop_env();
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
