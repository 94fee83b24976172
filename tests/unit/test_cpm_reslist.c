/*
 * lib/cpm_reslist.c (RFC 4826 resource-lists as RFC 5366 / 5365 / 5368
 * recipient lists, RFC 5364 copy control): the lists rcsjta and the UP
 * client send, the RFC 5364 example, nesting, duplicates, every refusal and
 * the hostile documents of issue 7 (XXE, billion laughs, 10,000 entries,
 * wrong namespace) each with its own code, the printer and its round trip,
 * and property tests: random lists print and parse back equal; lists with
 * duplicates merge as a model of the rules says; mutations give only
 * documented codes and whatever parses prints back equal.
 */
#define FUZZ_SEED 0x4826ull
#include "cpm_prop.h"

#include <errno.h>

#include "../../lib/cpm_reslist.h"
#include "../../lib/cpm_xml.h"

#define assert_view(v, lit)                                   \
	do {                                                      \
		const cpm_str_t *v_ = (v);                            \
		assert_int_equal(v_->len, (int)strlen(lit));          \
		assert_memory_equal(v_->s, lit, strlen(lit));         \
	} while(0)

#define MAXE 128
static cpm_rl_entry_t ent[MAXE];
static cpm_rl_stats_t st;
static char rbuf[1 << 18];

/* parse from an exact-size heap copy (valgrind sees any over-read), into
 * a buffer of exactly CPM_RL_BUF_SIZE(len) at the end of rbuf */
static int parse_max(const char *s, int len, int max)
{
	char *p = malloc(len ? len : 1);
	int rc, bs = CPM_RL_BUF_SIZE(len);

	assert_non_null(p);
	memcpy(p, s, len);
	assert_true(bs <= (int)sizeof(rbuf));
	rc = cpm_rl_parse_ex(p, len, ent, max, rbuf + sizeof(rbuf) - bs, bs, &st);
	free(p);
	return rc;
}

static int parse(const char *s)
{
	return parse_max(s, (int)strlen(s), MAXE);
}

#define RL_OPEN                                                 \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"            \
	"<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\" " \
	"xmlns:cp=\"urn:ietf:params:xml:ns:copycontrol\">"

/* rcsjta ChatUtils.generateChatResourceList: tel: URIs as sip, CRLF */
static void t_rcsjta(void **state)
{
	static const char s[] = RL_OPEN "<list>\r\n"
			" <entry uri=\"tel:+33600000001\" cp:copyControl=\"to\"/>\r\n"
			" <entry uri=\"sip:+33600000002@ims.example;user=phone\" "
			"cp:copyControl=\"to\"/>\r\n"
			"</list></resource-lists>";

	assert_int_equal(parse(s), 2);
	assert_view(&ent[0].uri, "tel:+33600000001");
	assert_int_equal(ent[0].copy, CPM_RL_TO);
	assert_int_equal(ent[0].display_name.len, 0);
	assert_view(&ent[1].uri, "sip:+33600000002@ims.example;user=phone");
	assert_int_equal(st.entries, 2);
	assert_int_equal(st.lists, 1);
}

/* RFC 5364 6 (shape of its example): to / cc / bcc, anonymize, count,
 * display names, another prefix for the copycontrol namespace, ##other */
static void t_rfc5364(void **state)
{
	static const char s[] =
			"<?xml version=\"1.0\"?>"
			"<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\" "
			"xmlns:x=\"urn:ietf:params:xml:ns:copycontrol\" xmlns:o=\"urn:other\">"
			"<list name=\"l\"><display-name>friends</display-name>"
			"<entry uri=\"sip:bill@example.com\" x:copyControl=\"to\">"
			"<display-name> Bill &amp; Co </display-name><o:x/></entry>"
			"<entry uri=\"sip:randy@example.net\" x:copyControl=\" cc \" "
			"x:anonymize=\"true\"/>"
			"<entry uri=\"sip:eddy@example.com\" x:copyControl=\"bcc\" "
			"x:anonymize=\"0\" x:count=\"3\" o:a=\"b\"/>"
			"<entry uri=\"sip:joe@example.org\" copyControl=\"bcc\"/>"
			"<o:entry uri=\"sip:not@example.org\"/>"
			"</list></resource-lists>";

	assert_int_equal(parse(s), 4);
	assert_view(&ent[0].display_name, "Bill & Co");
	assert_int_equal(ent[0].copy, CPM_RL_TO);
	assert_int_equal(ent[1].copy, CPM_RL_CC);
	assert_int_equal(ent[1].anonymize, 1);
	assert_int_equal(ent[2].copy, CPM_RL_BCC);
	assert_int_equal(ent[2].anonymize, 0);
	assert_int_equal(ent[2].count, 3);
	/* unqualified copyControl is not RFC 5364's attribute */
	assert_int_equal(ent[3].copy, CPM_RL_TO);
	assert_string_equal(cpm_rl_copy_name(CPM_RL_BCC), "bcc");
	assert_null(cpm_rl_copy_name((cpm_rl_copy_t)3));
}

/* nested lists flattened in document order; external / entry-ref skipped;
 * duplicates merged (first place and display name, most visible copy,
 * anonymize kept) */
static void t_nested_dups(void **state)
{
	static const char s[] = RL_OPEN
			"<list><entry uri=\"sip:a@x.example\" cp:copyControl=\"bcc\">"
			"<display-name>A</display-name></entry>"
			"<list><entry uri=\"sip:b@x.example\"/>"
			"<list><entry uri=\"SIP:a@X.EXAMPLE\" cp:copyControl=\"cc\" "
			"cp:anonymize=\"true\"><display-name>A2</display-name></entry>"
			"<external anchor=\"http://xcap.example/x\"/>"
			"<entry-ref ref=\"users/sip:c@x.example/index/~~/x\"/>"
			"</list></list>"
			"<entry uri=\"tel:+1-555-0100\"/>"
			"<entry uri=\"tel:+1(555)0100\"/>"
			"<entry uri=\"sip:%61b@x.example\"/>"
			"<entry uri=\"sip:B@x.example\"/>"
			"</list><list><entry uri=\"sip:b@x.example\"/></list>"
			"</resource-lists>";

	assert_int_equal(parse(s), 5);
	assert_view(&ent[0].uri, "sip:a@x.example");
	assert_view(&ent[0].display_name, "A");
	assert_int_equal(ent[0].copy, CPM_RL_CC);
	assert_int_equal(ent[0].anonymize, 1);
	assert_view(&ent[1].uri, "sip:b@x.example");
	assert_view(&ent[2].uri, "tel:+1-555-0100");
	/* %61b is "ab", not "b"; user parts are case-sensitive */
	assert_view(&ent[3].uri, "sip:%61b@x.example");
	assert_view(&ent[4].uri, "sip:B@x.example");
	assert_int_equal(st.entries, 8);
	assert_int_equal(st.duplicates, 3);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.lists, 4);
	/* %61b@ is "ab" */
	assert_int_equal(cpm_rl_uri_eq("sip:%61b@x", 10, "sip:ab@x", 8), 1);
}

static void t_uri_eq(void **state)
{
	static const struct {
		const char *a, *b;
		int eq;
	} v[] = {
			{"sip:alice@example.com", "SIP:alice@EXAMPLE.COM", 1},
			{"sip:alice@example.com", "sip:Alice@example.com", 0},
			{"sip:alice@example.com", "sips:alice@example.com", 0},
			{"sip:%61lice@example.com", "sip:alice@example.com", 1},
			{"sip:alice@example.com;transport=tcp",
					"sip:alice@example.com;TRANSPORT=TCP", 1},
			{"sip:alice@example.com", "sip:alice@example.com;user=phone", 0},
			{"sip:example.com", "sip:EXAMPLE.com", 1},
			{"sip:example.com", "sip:a@example.com", 0},
			{"tel:+1-555-0100", "tel:+15550100", 1},
			{"tel:+1.555.(0100)", "TEL:+15550100", 1},
			{"tel:+15550100", "tel:+15550101", 0},
			{"tel:1234;phone-context=x", "tel:1234;PHONE-CONTEXT=X", 1},
			{"tel:1234;phone-context=x", "tel:1234", 0},
			{"mailto:A@b", "MAILTO:a@B", 1},
			{"tel:+15550100", "sip:+15550100@x", 0},
	};
	int i;

	for(i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++) {
		int r = cpm_rl_uri_eq(v[i].a, (int)strlen(v[i].a), v[i].b,
				(int)strlen(v[i].b));
		if(r != v[i].eq)
			fail_msg("%s vs %s: %d", v[i].a, v[i].b, r);
		r = cpm_rl_uri_eq(v[i].b, (int)strlen(v[i].b), v[i].a,
				(int)strlen(v[i].a));
		if(r != v[i].eq)
			fail_msg("%s vs %s (swapped): %d", v[i].b, v[i].a, r);
	}
	assert_int_equal(cpm_rl_uri_ok("alice", 5), 0);
	assert_int_equal(cpm_rl_uri_ok("sip:", 4), 0);
	assert_int_equal(cpm_rl_uri_ok("sip:a b", 7), 0);
	assert_int_equal(cpm_rl_uri_ok("1sip:a", 6), 0);
	assert_int_equal(cpm_rl_uri_ok("sip:a", 5), 1);
}

static char *big; /* generated documents */

/* n entries "sip:u<i>@example.com" */
static int many(int n, int dup)
{
	int k = 0, i;

	free(big);
	big = malloc(64 + 64 * (size_t)n + 64);
	k += sprintf(big + k, "%s<list>", RL_OPEN);
	for(i = 0; i < n; i++)
		k += sprintf(big + k, "<entry uri=\"sip:u%d@e\"/>", dup ? 0 : i);
	k += sprintf(big + k, "</list></resource-lists>");
	return k;
}

/* every hostile and every broken document: its own code, nothing kept */
static void t_refused(void **state)
{
	static const struct {
		const char *what, *in;
		int rc;
	} v[] = {
			{"XXE file", "<?xml version=\"1.0\"?><!DOCTYPE resource-lists ["
						 "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" RL_OPEN
						 "<list><entry uri=\"sip:a@b\"><display-name>&xxe;"
						 "</display-name></entry></list></resource-lists>",
					-EPERM},
			{"XXE http", "<!DOCTYPE r [<!ENTITY xxe PUBLIC \"x\" "
						 "\"http://127.0.0.1:9/x\">]>" RL_OPEN
						 "<list><entry uri=\"&xxe;\"/></list></resource-lists>",
					-EPERM},
			{"external DTD", "<!DOCTYPE resource-lists SYSTEM "
							 "\"http://127.0.0.1:9/x.dtd\">" RL_OPEN
							 "</resource-lists>",
					-EPERM},
			{"billion laughs",
					"<?xml version=\"1.0\"?><!DOCTYPE lolz ["
					"<!ENTITY lol \"lol\">"
					"<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
					"<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
					"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
					"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
					"<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
					"<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
					"<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
					"<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
					"<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
					"]>" RL_OPEN "<list><entry uri=\"sip:a@b\"><display-name>"
					"&lol9;</display-name></entry></list></resource-lists>",
					-EMLINK},
			{"harmless DOCTYPE", "<!DOCTYPE resource-lists>" RL_OPEN
								 "</resource-lists>",
					-EPERM},
			{"wrong namespace",
					"<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-list\">"
					"<list><entry uri=\"sip:a@b\"/></list></resource-lists>",
					-ENOMSG},
			{"no namespace", "<resource-lists><list><entry uri=\"sip:a@b\"/>"
							 "</list></resource-lists>",
					-ENOMSG},
			{"wrong root", "<list xmlns=\"urn:ietf:params:xml:ns:resource-lists\">"
						   "<entry uri=\"sip:a@b\"/></list>",
					-ENOMSG},
			{"not UTF-8", RL_OPEN "<list><entry uri=\"sip:\xe9@b\"/></list>"
							  "</resource-lists>",
					-EILSEQ},
			{"truncated", RL_OPEN "<list><entry uri=\"sip:a@b\"/></list>", -EBADMSG},
			{"entry without uri", RL_OPEN "<list><entry/></list></resource-lists>",
					-EBADMSG},
			{"empty uri", RL_OPEN "<list><entry uri=\"\"/></list></resource-lists>",
					-EBADMSG},
			{"uri without scheme", RL_OPEN "<list><entry uri=\"alice\"/></list>"
										   "</resource-lists>",
					-EBADMSG},
			{"uri with space", RL_OPEN "<list><entry uri=\"sip:a b@c\"/></list>"
									   "</resource-lists>",
					-EBADMSG},
			{"uri in another namespace",
					RL_OPEN "<list><entry cp:uri=\"sip:a@b\"/></list></resource-lists>",
					-EBADMSG},
			{"copyControl", RL_OPEN "<list><entry uri=\"sip:a@b\" "
									"cp:copyControl=\"To\"/></list></resource-lists>",
					-EBADMSG},
			{"anonymize", RL_OPEN "<list><entry uri=\"sip:a@b\" "
								  "cp:anonymize=\"yes\"/></list></resource-lists>",
					-EBADMSG},
			{"count", RL_OPEN "<list><entry uri=\"sip:a@b\" "
							  "cp:count=\"-1\"/></list></resource-lists>",
					-EBADMSG},
			{"count too long", RL_OPEN "<list><entry uri=\"sip:a@b\" "
									   "cp:count=\"1234567890123456789\"/></list>"
									   "</resource-lists>",
					-EBADMSG},
	};
	int i, rc, len;

	for(i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++) {
		rc = parse(v[i].in);
		if(rc != v[i].rc)
			fail_msg("%s: %d (%s), want %d", v[i].what, rc,
					cpm_rl_strerror(rc), v[i].rc);
	}
	/* 10,000 entries: over the size limit before libxml2 sees it */
	len = many(10000, 0);
	assert_int_equal(parse_max(big, len, MAXE), -E2BIG);
	/* 1,000 distinct entries, the caller allows 100 */
	len = many(1000, 0);
	assert_int_equal(parse_max(big, len, 100), -E2BIG);
	assert_int_equal(parse_max(big, len, 1000 > MAXE ? MAXE : 1000), -E2BIG);
	/* exactly max */
	len = many(100, 0);
	assert_int_equal(parse_max(big, len, 100), 100);
	assert_int_equal(parse_max(big, len, 99), -E2BIG);
	/* 1,000 copies of one URI: one recipient */
	len = many(1000, 1);
	assert_int_equal(parse_max(big, len, 1), 1);
	assert_int_equal(st.duplicates, 999);
	/* 5,000 other elements / 5,000 levels */
	{
		int k = 0, i2;
		free(big);
		big = malloc(200 + 5000 * 16);
		k += sprintf(big + k, "%s<list>", RL_OPEN);
		for(i2 = 0; i2 < 5000; i2++)
			k += sprintf(big + k, "<x/>");
		k += sprintf(big + k, "</list></resource-lists>");
		assert_int_equal(parse_max(big, k, MAXE), -EOVERFLOW);
		k = sprintf(big, "%s", RL_OPEN);
		for(i2 = 0; i2 < 5000; i2++)
			k += sprintf(big + k, "<list>");
		assert_int_equal(parse_max(big, k, MAXE), -ELOOP);
	}
	/* each a distinct code */
	assert_true(-EPERM != -EMLINK && -EMLINK != -E2BIG && -E2BIG != -ENOMSG);
	/* buffer too small, bad arguments */
	{
		static const char s[] = RL_OPEN "<list><entry uri=\"sip:alice@b\"/>"
									   "</list></resource-lists>";
		char small[8];
		assert_int_equal(cpm_rl_parse(s, sizeof(s) - 1, ent, MAXE, small,
								 sizeof(small)),
				-ENOSPC);
		assert_int_equal(cpm_rl_parse(s, sizeof(s) - 1, ent, 0, rbuf, 100),
				-EINVAL);
		assert_int_equal(cpm_rl_parse(NULL, 3, ent, 1, rbuf, 100), -EINVAL);
	}
	assert_string_equal(cpm_rl_strerror(-EMLINK),
			"entity declarations (entity expansion) not allowed");
}

static void t_print(void **state)
{
	static const char want[] =
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\" "
			"xmlns:cp=\"urn:ietf:params:xml:ns:copycontrol\">\n<list>\n"
			"<entry uri=\"tel:+33600000001\" cp:copyControl=\"to\"/>\n"
			"<entry uri=\"sip:b@x?a=1&amp;b=&quot;2&quot;\" cp:copyControl=\"cc\" "
			"cp:anonymize=\"true\" cp:count=\"7\"><display-name>B &lt;&amp;&gt; "
			"\xc3\xa9</display-name></entry>\n"
			"</list>\n</resource-lists>\n";
	cpm_rl_entry_t e[3];
	char out[1024];
	int n;

	memset(e, 0, sizeof(e));
	e[0].uri.s = "tel:+33600000001";
	e[0].uri.len = 16;
	e[1].uri.s = "sip:b@x?a=1&b=\"2\"";
	e[1].uri.len = 17;
	e[1].copy = CPM_RL_CC;
	e[1].anonymize = 1;
	e[1].count = 7;
	e[1].display_name.s = "B <&> \xc3\xa9";
	e[1].display_name.len = 8;
	n = cpm_rl_print(e, 2, out, sizeof(out));
	assert_int_equal(n, (int)sizeof(want) - 1);
	assert_string_equal(out, want);
	assert_int_equal(cpm_rl_print(e, 2, NULL, 0), -ENOSPC);
	assert_int_equal(cpm_rl_print(e, 2, out, n - 1), -ENOSPC);
	assert_int_equal(parse(out), 2);
	assert_view(&ent[1].uri, "sip:b@x?a=1&b=\"2\"");
	assert_view(&ent[1].display_name, "B <&> \xc3\xa9");
	assert_int_equal(ent[1].count, 7);
	assert_int_equal(ent[1].anonymize, 1);
	/* an empty list prints and parses to none */
	n = cpm_rl_print(e, 0, out, sizeof(out));
	assert_true(n > 0);
	assert_int_equal(parse(out), 0);
	/* refusals: a duplicate, a bad uri, a CTL, edge white space, bad
	 * UTF-8, a copy out of range */
	e[2] = e[0];
	e[2].uri.s = "TEL:+3360-0000-001";
	e[2].uri.len = 18;
	assert_int_equal(cpm_rl_print(e, 3, out, sizeof(out)), -EINVAL);
	e[2].uri.s = "alice";
	e[2].uri.len = 5;
	assert_int_equal(cpm_rl_print(e, 3, out, sizeof(out)), -EINVAL);
	e[2].uri.s = "sip:c@x";
	e[2].uri.len = 7;
	assert_true(cpm_rl_print(e, 3, out, sizeof(out)) > 0);
	e[2].display_name.s = "a\tb";
	e[2].display_name.len = 3;
	assert_int_equal(cpm_rl_print(e, 3, out, sizeof(out)), -EINVAL);
	e[2].display_name.s = " ab";
	assert_int_equal(cpm_rl_print(e, 3, out, sizeof(out)), -EINVAL);
	e[2].display_name.s = "a\xc3";
	e[2].display_name.len = 2;
	assert_int_equal(cpm_rl_print(e, 3, out, sizeof(out)), -EINVAL);
	e[2].display_name.len = 0;
	e[2].copy = (cpm_rl_copy_t)3;
	assert_int_equal(cpm_rl_print(e, 3, out, sizeof(out)), -EINVAL);
	assert_int_equal(cpm_rl_print(e, -1, out, sizeof(out)), -EINVAL);
}

/* ---- properties ------------------------------------------------------- */

static char pool[1 << 16];
static int pp;

/* random text of the printable / UTF-8 / XML-special kind */
static void rtext(cpm_str_t *v, int max)
{
	static const char *const pieces[] = {"a", "Z", "9", " ", "&", "<", ">",
			"\"", "'", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", ";",
			"=", "-"};

	v->s = pool + pp;
	v->len = prop_text(pool + pp, max, pieces,
			(int)(sizeof(pieces) / sizeof(pieces[0])));
	pp += v->len;
}

/* a URI unique by its index, decorated at random */
static void ruri(cpm_str_t *v, int idx)
{
	static const char *const deco[] = {"", ";user=phone", "?subject=a&b",
			";transport=tcp", ";x=\"q\""};
	int k;

	v->s = pool + pp;
	switch(rn(3)) {
	case 0:
		k = sprintf(pool + pp, "tel:+33-6%08d%s", idx, rn(2) ? "" : ";a=b");
		break;
	case 1:
		k = sprintf(pool + pp, "sip:u%d@ims.example%s", idx,
				deco[rn(sizeof(deco) / sizeof(deco[0]))]);
		break;
	default:
		k = sprintf(pool + pp, "sips:%c%d@h%d.example", "aZ%"[rn(2)], idx,
				(int)rn(9));
	}
	v->len = k;
	pp += k;
}

static void assert_same(const cpm_rl_entry_t *a, const cpm_rl_entry_t *b, int n)
{
	int i;

	for(i = 0; i < n; i++) {
		CHECK(a[i].uri.len == b[i].uri.len
						&& memcmp(a[i].uri.s, b[i].uri.s, a[i].uri.len) == 0,
				"entry %d uri", i);
		CHECK(a[i].display_name.len == b[i].display_name.len
						&& memcmp(a[i].display_name.s, b[i].display_name.s,
								   a[i].display_name.len)
								   == 0,
				"entry %d display name", i);
		CHECK(a[i].copy == b[i].copy && a[i].anonymize == b[i].anonymize
						&& a[i].count == b[i].count,
				"entry %d copy control", i);
	}
}

/* random lists print and parse back equal */
static void t_prop_roundtrip(void **state)
{
	static cpm_rl_entry_t a[MAXE];
	static char out[1 << 16];
	int it, n, i, m;

	begin("roundtrip", 1);
	for(it = 0; it < iters(1500); it++) {
		g_iter = it;
		pp = 0;
		n = (int)rn(20);
		memset(a, 0, sizeof(a));
		for(i = 0; i < n; i++) {
			ruri(&a[i].uri, i);
			if(chance(50))
				rtext(&a[i].display_name, 12);
			a[i].copy = (cpm_rl_copy_t)rn(3);
			a[i].anonymize = chance(30);
			a[i].count = chance(20) ? rnd() % 1000000 : 0;
		}
		m = cpm_rl_print(a, n, out, sizeof(out));
		g_in = out;
		g_inlen = m > 0 ? m : 0;
		CHECK(m > 0, "print: %d", m);
		CHECK(parse_max(out, m, MAXE) == n, "parse back");
		assert_same(a, ent, n);
		ST(0);
	}
	stats("round trips %d", g_st[0]);
}

/* lists with nesting and duplicates (case / separator variants of base
 * URIs): the model of the merge rule (first place and display name, most
 * visible copy, anonymize if any) against the parser */
static void t_prop_dups(void **state)
{
	static char doc[1 << 16];
	static struct {
		int seen, copy, anon, first_dn;
	} model[16];
	int it, k, i, nb, ne, b, nest, want, got, j;
	char u[64];

	begin("duplicates", 2);
	for(it = 0; it < iters(1500); it++) {
		g_iter = it;
		nb = 1 + (int)rn(8);
		ne = (int)rn(30);
		memset(model, 0, sizeof(model));
		k = sprintf(doc, "%s<list>", RL_OPEN);
		nest = 0;
		want = 0;
		for(i = 0; i < ne; i++) {
			b = (int)rn(nb);
			if(chance(15)) {
				k += sprintf(doc + k, "<list>");
				nest++;
			} else if(nest && chance(15)) {
				k += sprintf(doc + k, "</list>");
				nest--;
			}
			if(b & 1) /* tel, visual separators at random */
				sprintf(u, "tel:+1%s555%s%04d", rn(2) ? "-" : "",
						rn(2) ? "." : "", b);
			else /* sip, scheme and host in random case */
				sprintf(u, "%s:user%d@%s", rn(2) ? "sip" : "SIP", b,
						rn(2) ? "host.example" : "HOST.Example");
			{
				int c = (int)rn(4), an = chance(30);
				k += sprintf(doc + k, "<entry uri=\"%s\"", u);
				if(c < 3)
					k += sprintf(doc + k, " cp:copyControl=\"%s\"",
							cpm_rl_copy_name((cpm_rl_copy_t)c));
				else
					c = 0; /* default "to" */
				if(an)
					k += sprintf(doc + k, " cp:anonymize=\"true\"");
				k += sprintf(doc + k, "><display-name>d%d</display-name>"
									  "</entry>",
						i);
				if(!model[b].seen) {
					model[b].seen = 1;
					model[b].copy = c;
					model[b].anon = an;
					model[b].first_dn = i;
					want++;
				} else {
					if(c < model[b].copy)
						model[b].copy = c;
					model[b].anon |= an;
				}
			}
			if(chance(5))
				k += sprintf(doc + k, "<entry-ref ref=\"x\"/>");
		}
		while(nest-- > 0)
			k += sprintf(doc + k, "</list>");
		k += sprintf(doc + k, "</list></resource-lists>");
		g_in = doc;
		g_inlen = k;
		got = parse_max(doc, k, MAXE);
		CHECK(got == want, "entries %d, model %d", got, want);
		for(j = 0; j < got; j++) {
			char dn[16];
			int idx, bb = -1;
			CHECK(sscanf(ent[j].display_name.s, "d%d", &idx) == 1, "dn");
			for(b = 0; b < nb; b++)
				if(model[b].seen && model[b].first_dn == idx)
					bb = b;
			CHECK(bb >= 0, "entry %d is no first occurrence", j);
			sprintf(dn, "d%d", idx);
			CHECK(ent[j].copy == (cpm_rl_copy_t)model[bb].copy,
					"entry %d copy %d, model %d", j, ent[j].copy,
					model[bb].copy);
			CHECK(ent[j].anonymize == model[bb].anon, "entry %d anonymize", j);
			/* document order of first occurrences */
			if(j > 0) {
				int prev;
				sscanf(ent[j - 1].display_name.s, "d%d", &prev);
				CHECK(prev < idx, "order");
			}
		}
		ST(0);
	}
	stats("lists %d", g_st[0]);
}

/* mutations of a valid document: only documented codes; whatever parses
 * prints (or is refused as unprintable) and parses back equal */
static void t_prop_mutations(void **state)
{
	static const char base[] = RL_OPEN "<list name=\"x\">"
			"<entry uri=\"sip:bill@example.com\" cp:copyControl=\"to\">"
			"<display-name>Bill</display-name></entry>"
			"<list><entry uri=\"tel:+1-555\" cp:copyControl=\"cc\" "
			"cp:anonymize=\"true\" cp:count=\"2\"/></list>"
			"<entry uri=\"sip:joe@example.org\" cp:copyControl=\"bcc\"/>"
			"</list></resource-lists>";
	static const char hot[] = "<>/=\"&;:x- \t";
	static char m[4096], out[1 << 15];
	static cpm_rl_entry_t a[MAXE];
	int it, len, k, at, rc, n;

	begin("mutations", 3);
	for(it = 0; it < iters(4000); it++) {
		g_iter = it;
		len = (int)strlen(base);
		memcpy(m, base, len);
		for(k = 1 + (int)rn(3); k > 0; k--) {
			at = (int)rn(len);
			switch(rn(4)) {
			case 0:
				m[at] = chance(70) ? hot[rn(sizeof(hot) - 1)] : (char)rn(256);
				break;
			case 1:
				memmove(m + at + 1, m + at, len - at);
				m[at] = hot[rn(sizeof(hot) - 1)];
				len++;
				break;
			case 2:
				memmove(m + at, m + at + 1, len - at - 1);
				len--;
				break;
			default: { /* duplicate a slice */
				int s = (int)rn(40);
				if(at + s <= len && len + s < (int)sizeof(m)) {
					memmove(m + at + s, m + at, len - at);
					len += s;
				}
			}
			}
		}
		g_in = m;
		g_inlen = len;
		rc = parse_max(m, len, MAXE);
		if(rc < 0) {
			CHECK(rc == -EBADMSG || rc == -ENOMSG || rc == -EILSEQ
							|| rc == -EPERM || rc == -EMLINK || rc == -E2BIG
							|| rc == -ELOOP || rc == -EOVERFLOW,
					"code %d", rc);
			ST(1);
			continue;
		}
		n = rc;
		memcpy(a, ent, sizeof(a[0]) * n);
		{
			/* the views point into rbuf, which the next parse reuses:
			 * print first */
			int o = cpm_rl_print(a, n, out, sizeof(out));
			if(o == -EINVAL) { /* a CTL or edge space kept in a uri */
				ST(2);
				continue;
			}
			CHECK(o > 0, "print of parsed: %d", o);
			{
				static cpm_rl_entry_t keep[MAXE];
				static char kbuf[1 << 15];
				int i;
				/* keep a copy of the parsed strings */
				int q = 0;
				for(i = 0; i < n; i++) {
					keep[i] = a[i];
					memcpy(kbuf + q, a[i].uri.s, a[i].uri.len);
					keep[i].uri.s = kbuf + q;
					q += a[i].uri.len;
					memcpy(kbuf + q, a[i].display_name.s, a[i].display_name.len);
					keep[i].display_name.s = kbuf + q;
					q += a[i].display_name.len;
				}
				CHECK(parse_max(out, o, MAXE) == n, "reparse");
				assert_same(keep, ent, n);
			}
		}
		ST(0);
	}
	stats("parsed %d, refused %d, unprintable %d", g_st[0], g_st[1], g_st[2]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_rcsjta),
			cmocka_unit_test(t_rfc5364),
			cmocka_unit_test(t_nested_dups),
			cmocka_unit_test(t_uri_eq),
			cmocka_unit_test(t_refused),
			cmocka_unit_test(t_print),
			cmocka_unit_test(t_prop_roundtrip),
			cmocka_unit_test(t_prop_dups),
			cmocka_unit_test(t_prop_mutations),
	};
	int rc;

	prop_env();
	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(big);
	xmlCleanupParser();
	return rc;
}
