/*
 * lib/cpm_reginfo.c (RFC 3680 reginfo): a 24.229-shaped NOTIFY body, every
 * refusal, hostile XML (XXE, billion laughs, deep nesting, wrong namespace),
 * the printer's round trip and property tests: random structs print and
 * parse back equal; random mutations of a valid body never crash, leak or
 * give a struct that does not print.
 */
#define FUZZ_SEED 0x3680ull
#include "cpm_prop.h"

#include <errno.h>

#include "../../lib/cpm_reginfo.h"
#include "../../lib/cpm_xml.h"

#define assert_view(v, lit)                                   \
	do {                                                      \
		const cpm_str_t *v_ = (v);                            \
		assert_int_equal(v_->len, (int)strlen(lit));          \
		assert_memory_equal(v_->s, lit, strlen(lit));         \
	} while(0)

static cpm_reginfo_t ri;
static char rbuf[1 << 16];

/* parse from an exact-size heap copy (valgrind sees any over-read) */
static int parse(const char *s)
{
	int len = (int)strlen(s), rc;
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	rc = cpm_reginfo_parse(p, len, &ri, rbuf, CPM_REGINFO_BUF_SIZE(len), NULL);
	free(p);
	return rc;
}

#define RI_OPEN "<reginfo xmlns=\"urn:ietf:params:xml:ns:reginfo\" "

static const char full[] =
		"<?xml version=\"1.0\"?>\n" RI_OPEN
		"xmlns:gr=\"urn:ietf:params:xml:ns:gruuinfo\" version=\"7\" "
		"state=\"full\">\n"
		" <registration aor=\"sip:alice@127.0.0.1\" id=\"a7\" state=\"active\">\n"
		"  <contact id=\"c1\" state=\"active\" event=\"registered\" "
		"expires=\"3600\" callid=\"cid@ue\" cseq=\"2\" q=\"0.5\">\n"
		"   <uri>sip:alice@10.0.0.5:5070;transport=tcp</uri>\n"
		"   <display-name>Alice</display-name>\n"
		"   <unknown-param name=\"+sip.instance\">\"&lt;urn:uuid:0001&gt;\"</unknown-param>\n"
		"   <unknown-param name=\"+g.3gpp.icsi-ref\">\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg\"</unknown-param>\n"
		"   <gr:pub-gruu uri=\"sip:alice@127.0.0.1;gr=urn:uuid:0001\"/>\n"
		"  </contact>\n"
		"  <contact id=\"c2\" state=\"terminated\" event=\"unregistered\">\n"
		"   <uri>sip:alice@10.0.0.6</uri>\n"
		"  </contact>\n"
		" </registration>\n"
		"</reginfo>\n";

static void t_full(void **state)
{
	cpm_ri_contact_t *c;

	assert_int_equal(parse(full), 0);
	assert_int_equal(ri.version, 7);
	assert_int_equal(ri.state, CPM_RI_FULL);
	assert_int_equal(ri.nregs, 1);
	assert_view(&ri.regs[0].aor, "sip:alice@127.0.0.1");
	assert_int_equal(ri.regs[0].state, CPM_RI_ACTIVE);
	assert_int_equal(ri.regs[0].ncontacts, 2);
	c = &ri.contacts[0];
	assert_view(&c->uri, "sip:alice@10.0.0.5:5070;transport=tcp");
	assert_int_equal(c->state, CPM_RI_ACTIVE);
	assert_int_equal(c->event, CPM_RI_REGISTERED);
	assert_int_equal(c->expires, 3600);
	assert_int_equal(c->cseq, 2);
	assert_view(&c->callid, "cid@ue");
	assert_view(&c->instance, "\"<urn:uuid:0001>\"");
	assert_int_equal(c->nparams, 2);
	assert_view(&c->params[1].name, "+g.3gpp.icsi-ref");
	c = &ri.contacts[1];
	assert_int_equal(c->state, CPM_RI_TERMINATED);
	assert_int_equal(c->event, CPM_RI_UNREGISTERED);
	assert_int_equal(c->expires, -1);
	assert_int_equal(c->instance.len, 0);
}

static void t_events(void **state)
{
	char doc[512];
	int e;

	for(e = CPM_RI_REGISTERED; e <= CPM_RI_REJECTED; e++) {
		snprintf(doc, sizeof(doc),
				RI_OPEN "version=\"0\" state=\"partial\"><registration "
						"aor=\"sip:a@b\" id=\"1\" state=\"active\"><contact "
						"id=\"x\" state=\"active\" event=\"%s\"><uri>sip:a@c"
						"</uri></contact></registration></reginfo>",
				cpm_reginfo_event_name((cpm_ri_event_t)e));
		assert_int_equal(parse(doc), 0);
		assert_int_equal(ri.contacts[0].event, e);
		assert_int_equal(ri.state, CPM_RI_PARTIAL);
	}
}

static void t_refused(void **state)
{
	static const struct {
		const char *what, *in;
		int rc;
	} v[] = {
			{"no version", RI_OPEN "state=\"full\"/>", -EBADMSG},
			{"negative version", RI_OPEN "version=\"-1\" state=\"full\"/>",
					-EBADMSG},
			{"bad state", RI_OPEN "version=\"1\" state=\"half\"/>", -EBADMSG},
			{"no aor", RI_OPEN "version=\"1\" state=\"full\"><registration "
						  "id=\"1\" state=\"active\"/></reginfo>",
					-EBADMSG},
			{"bad event", RI_OPEN "version=\"1\" state=\"full\"><registration "
						  "aor=\"sip:a@b\" id=\"1\" state=\"active\"><contact "
						  "id=\"x\" state=\"active\" event=\"gone\"><uri>sip:a@c"
						  "</uri></contact></registration></reginfo>",
					-EBADMSG},
			{"contact state init", RI_OPEN "version=\"1\" state=\"full\">"
						  "<registration aor=\"sip:a@b\" id=\"1\" state=\"active\">"
						  "<contact id=\"x\" state=\"init\" event=\"created\">"
						  "<uri>sip:a@c</uri></contact></registration></reginfo>",
					-EBADMSG},
			{"no uri", RI_OPEN "version=\"1\" state=\"full\"><registration "
					   "aor=\"sip:a@b\" id=\"1\" state=\"active\"><contact "
					   "id=\"x\" state=\"active\" event=\"created\"/>"
					   "</registration></reginfo>",
					-EBADMSG},
			{"bad expires", RI_OPEN "version=\"1\" state=\"full\"><registration "
					   "aor=\"sip:a@b\" id=\"1\" state=\"active\"><contact "
					   "id=\"x\" state=\"active\" event=\"created\" "
					   "expires=\"1e3\"><uri>sip:a@c</uri></contact>"
					   "</registration></reginfo>",
					-EBADMSG},
			{"version overflow", RI_OPEN "version=\"99999999999999999999999\" "
					   "state=\"full\"/>",
					-EBADMSG},
			{"XXE", "<?xml version=\"1.0\"?><!DOCTYPE reginfo [<!ENTITY xxe "
					"SYSTEM \"file:///etc/passwd\">]>" RI_OPEN "version=\"1\" "
					"state=\"full\"><registration aor=\"&xxe;\" id=\"1\" "
					"state=\"active\"/></reginfo>",
					-EPERM},
			{"billion laughs",
					"<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
					"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
					"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
					"]>" RI_OPEN "version=\"1\" state=\"full\"><registration "
					"aor=\"&lol2;\" id=\"1\" state=\"active\"/></reginfo>",
					-EPERM},
			{"wrong namespace", "<reginfo xmlns=\"urn:ietf:params:xml:ns:reginfo2\" "
								"version=\"1\" state=\"full\"/>",
					-ENOMSG},
			{"no namespace", "<reginfo version=\"1\" state=\"full\"/>", -ENOMSG},
			{"truncated", RI_OPEN "version=\"1\" state=\"full\"><registration",
					-EBADMSG},
	};
	unsigned i;

	for(i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int rc = parse(v[i].in);
		if(rc != v[i].rc)
			fail_msg("%s: %d, expected %d", v[i].what, rc, v[i].rc);
		assert_int_equal(ri.nregs, 0);
	}
}

static void t_deep_and_many(void **state)
{
	int n = 5000, i, p = 0;
	char *d = malloc(n * 8 + 256);

	assert_non_null(d);
	p += sprintf(d, RI_OPEN "version=\"1\" state=\"full\">");
	for(i = 0; i < n; i++)
		p += sprintf(d + p, "<x>");
	d[p] = '\0';
	assert_int_equal(parse(d), -ELOOP);
	p = sprintf(d, RI_OPEN "version=\"1\" state=\"full\">");
	for(i = 0; i < CPM_REGINFO_MAX_REGS + 1; i++)
		p += sprintf(d + p, "<registration aor=\"sip:a@b\" id=\"%d\" "
							"state=\"active\"/>", i);
	sprintf(d + p, "</reginfo>");
	assert_int_equal(parse(d), -E2BIG);
	free(d);
}

/* the printer's output parses back to the same struct */
static void assert_same(const cpm_reginfo_t *a, const cpm_reginfo_t *b)
{
	int i, k;

#define SAME(x, y) CHECK((x).len == (y).len && memcmp((x).s, (y).s, (x).len) == 0, "field differs")
	CHECK(a->version == b->version && a->state == b->state
					&& a->nregs == b->nregs && a->ncontacts == b->ncontacts,
			"counts differ");
	for(i = 0; i < a->nregs; i++) {
		SAME(a->regs[i].aor, b->regs[i].aor);
		SAME(a->regs[i].id, b->regs[i].id);
		CHECK(a->regs[i].state == b->regs[i].state
						&& a->regs[i].ncontacts == b->regs[i].ncontacts,
				"registration differs");
	}
	for(i = 0; i < a->ncontacts; i++) {
		const cpm_ri_contact_t *x = &a->contacts[i], *y = &b->contacts[i];
		SAME(x->id, y->id);
		SAME(x->uri, y->uri);
		SAME(x->callid, y->callid);
		SAME(x->instance, y->instance);
		CHECK(x->state == y->state && x->event == y->event
						&& x->expires == y->expires && x->cseq == y->cseq
						&& x->nparams == y->nparams,
				"contact differs");
		for(k = 0; k < x->nparams; k++) {
			SAME(x->params[k].name, y->params[k].name);
			SAME(x->params[k].value, y->params[k].value);
		}
	}
#undef SAME
}

static char obuf[1 << 16];

static void t_roundtrip_fixed(void **state)
{
	static cpm_reginfo_t a;
	static char abuf[4096];
	int n;

	begin("roundtrip-fixed", 1);
	assert_int_equal(parse(full), 0);
	a = ri;
	memcpy(abuf, rbuf, sizeof(abuf));
	/* rebase a's views into abuf */
	{
		int i, k;
		cpm_str_t *f;
#define REB(v) ((v).s = (v).s ? abuf + ((v).s - rbuf) : NULL)
		for(i = 0; i < a.nregs; i++) {
			REB(a.regs[i].aor);
			REB(a.regs[i].id);
		}
		for(i = 0; i < a.ncontacts; i++) {
			f = &a.contacts[i].id;
			REB(*f);
			REB(a.contacts[i].uri);
			REB(a.contacts[i].callid);
			REB(a.contacts[i].instance);
			for(k = 0; k < a.contacts[i].nparams; k++) {
				REB(a.contacts[i].params[k].name);
				REB(a.contacts[i].params[k].value);
			}
		}
#undef REB
	}
	n = cpm_reginfo_print(&a, obuf, sizeof(obuf));
	assert_true(n > 0);
	assert_int_equal(parse(obuf), 0);
	assert_same(&a, &ri);
	/* too small a buffer: -ENOSPC, never a partial document */
	assert_int_equal(cpm_reginfo_print(&a, obuf, n), -ENOSPC);
	assert_int_equal(cpm_reginfo_print(&a, obuf, n + 1), n);
}

/* random text of the characters a URI / id / param may carry, XML
 * specials included */
static void rtext(char *pool, int *pp, cpm_str_t *v, int maxlen)
{
	static const char cs[] = "abcXYZ019:@;=.-_%<>&\"' +~/";
	int n = (int)rn(maxlen) + 1, i;

	v->s = pool + *pp;
	for(i = 0; i < n; i++) {
		char c = cs[rn(sizeof(cs) - 1)];
		if((i == 0 || i == n - 1) && c == ' ')
			c = 'q';
		pool[*pp + i] = c;
	}
	v->len = n;
	*pp += n;
}

static void t_roundtrip_random(void **state)
{
	static cpm_reginfo_t a;
	static char pool[1 << 15];
	int it, i, j, k, pp, n, nc;

	begin("roundtrip-random", 2);
	for(it = 0; it < iters(2000); it++) {
		g_iter = it;
		memset(&a, 0, sizeof(a));
		pp = 0;
		a.version = rnd() % 100000;
		a.state = chance(50) ? CPM_RI_FULL : CPM_RI_PARTIAL;
		a.nregs = (int)rn(4);
		nc = 0;
		for(i = 0; i < a.nregs; i++) {
			rtext(pool, &pp, &a.regs[i].aor, 30);
			rtext(pool, &pp, &a.regs[i].id, 6);
			a.regs[i].state = (cpm_ri_rstate_t)(1 + rn(3));
			a.regs[i].first = nc;
			a.regs[i].ncontacts = (int)rn(4);
			for(j = 0; j < a.regs[i].ncontacts; j++, nc++) {
				cpm_ri_contact_t *c = &a.contacts[nc];
				rtext(pool, &pp, &c->id, 6);
				rtext(pool, &pp, &c->uri, 40);
				c->state = chance(50) ? CPM_RI_ACTIVE : CPM_RI_TERMINATED;
				c->event = (cpm_ri_event_t)(1 + rn(9));
				c->expires = chance(70) ? (long)rn(100000) : -1;
				c->cseq = chance(50) ? (long)rn(100000) : -1;
				if(chance(50))
					rtext(pool, &pp, &c->callid, 20);
				c->nparams = (int)rn(4);
				for(k = 0; k < c->nparams; k++) {
					rtext(pool, &pp, &c->params[k].name, 12);
					if(chance(80))
						rtext(pool, &pp, &c->params[k].value, 30);
				}
				if(c->nparams && chance(50)) {
					c->params[0].name.s = "+sip.instance";
					c->params[0].name.len = 13;
					c->instance = c->params[0].value;
				}
			}
		}
		a.ncontacts = nc;
		n = cpm_reginfo_print(&a, obuf, sizeof(obuf));
		g_in = obuf;
		g_inlen = n > 0 ? n : 0;
		CHECK(n > 0, "print failed: %d", n);
		CHECK(parse(obuf) == 0, "printed document does not parse");
		assert_same(&a, &ri);
		ST(0);
	}
	stats("round trips %d", g_st[0]);
}

/* mutations of a valid body: no crash / leak / over-read (valgrind), and
 * whatever parses prints again */
static void t_mutations(void **state)
{
	static char m[2048];
	int it, len, n, k, pos, rc;

	begin("mutations", 3);
	for(it = 0; it < iters(3000); it++) {
		g_iter = it;
		len = (int)strlen(full);
		memcpy(m, full, len);
		for(k = 0; k < 1 + (int)rn(4); k++) {
			pos = (int)rn(len);
			switch(rn(3)) {
			case 0:
				m[pos] = (char)rn(256);
				break;
			case 1: /* delete */
				memmove(m + pos, m + pos + 1, len - pos - 1);
				len--;
				break;
			default: /* duplicate a slice */
				n = (int)rn(40);
				if(len + n < (int)sizeof(m) && pos + n <= len) {
					memmove(m + pos + n, m + pos, len - pos);
					len += n;
				}
			}
		}
		m[len] = '\0';
		g_in = m;
		g_inlen = len;
		{
			char *p = malloc(len ? len : 1);
			memcpy(p, m, len);
			rc = cpm_reginfo_parse(p, len, &ri, rbuf,
					CPM_REGINFO_BUF_SIZE(len), NULL);
			free(p);
		}
		if(rc == 0) {
			ST(0);
			n = cpm_reginfo_print(&ri, obuf, sizeof(obuf));
			/* a text with a CTL or edge white space does not print */
			CHECK(n > 0 || n == -EINVAL, "print of parsed: %d", n);
		} else {
			ST(1);
			CHECK(rc < 0 && ri.nregs == 0, "error left a result");
		}
	}
	stats("parsed %d, refused %d", g_st[0], g_st[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_full),
			cmocka_unit_test(t_events),
			cmocka_unit_test(t_refused),
			cmocka_unit_test(t_deep_and_many),
			cmocka_unit_test(t_roundtrip_fixed),
			cmocka_unit_test(t_roundtrip_random),
			cmocka_unit_test(t_mutations),
	};
	int rc;

	prop_env();
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
