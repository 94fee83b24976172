/*
 * Fixed vectors of lib/cpm_imdn.c (RFC 5438: Disposition-Notification,
 * message/imdn+xml) and of the hardened XML entry point lib/cpm_xml.c:
 * client shapes, every refusal with its code, and the hostile documents of
 * issue 6 (XXE to a file and to http, billion laughs, 5,000 levels,
 * 10,000 siblings, wrong namespace / root, a harmless DOCTYPE, encoding
 * tricks, truncation, trailing garbage, NUL).  libxml2 is initialised once
 * in main() and cleaned up at its very end, as a module's mod_init does
 * (and a module never cleans up at run time).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../lib/cpm_cpim.h"
#include "../../lib/cpm_imdn.h"
#include "../../lib/cpm_xml.h"

#define assert_view(v, lit)                                   \
	do {                                                      \
		const cpm_str_t *v_ = (v);                            \
		assert_int_equal(v_->len, (int)strlen(lit));          \
		assert_memory_equal(v_->s, lit, strlen(lit));         \
	} while(0)

static char *dup_exact(const char *s, int len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/* ---- Disposition-Notification ------------------------------------------ */

static int disp(const char *s, int *off)
{
	char *p = dup_exact(s, (int)strlen(s));
	int rc = cpm_imdn_disp_parse(p, (int)strlen(s), off);

	free(p);
	return rc;
}

static void t_disp(void **state)
{
	static const struct {
		const char *in;
		int rc;
		int off;
	} v[] = {
			{"positive-delivery, display",
					CPM_IMDN_REQ_POSITIVE_DELIVERY | CPM_IMDN_REQ_DISPLAY, 0},
			{"negative-delivery", CPM_IMDN_REQ_NEGATIVE_DELIVERY, 0},
			{"NEGATIVE-Delivery,positive-delivery",
					CPM_IMDN_REQ_NEGATIVE_DELIVERY
							| CPM_IMDN_REQ_POSITIVE_DELIVERY,
					0},
			{"", 0, 0},
			{"  ", 0, 0},
			/* the ABNF's Token: unknown requests are skipped */
			{"x-future, display", CPM_IMDN_REQ_DISPLAY, 0},
			{"x-future", 0, 0},
			{"display;x=1 ; y=\"a, b\" , processing",
					CPM_IMDN_REQ_DISPLAY | CPM_IMDN_REQ_PROCESSING, 0},
			{" processing ,display ", CPM_IMDN_REQ_DISPLAY | CPM_IMDN_REQ_PROCESSING, 0},
			{"display, display", CPM_IMDN_REQ_DISPLAY, 0},
			/* TOKENCHAR takes UCS-high (RFC 3862 3.1) */
			{"x-\xc3\xa9;p=\xe2\x98\xba, display", CPM_IMDN_REQ_DISPLAY, 0},
			{"display;p=\xc3", -EBADMSG, 10},
			/* broken */
			{",", -EBADMSG, 0},
			{"display,", -EBADMSG, 8},
			{"display,,processing", -EBADMSG, 8},
			{"display processing", -EBADMSG, 8},
			{"display;", -EBADMSG, 8},
			{"display;x", -EBADMSG, 9},
			{"display;x=", -EBADMSG, 10},
			{"display;x=\"a", -EBADMSG, 10},
			{"display/x", -EBADMSG, 7},
			{"positive-delivery\r\n, display", -EBADMSG, 17},
	};
	int k, off, rc;

	for(k = 0; k < (int)(sizeof(v) / sizeof(v[0])); k++) {
		off = -1;
		rc = disp(v[k].in, &off);
		if(rc != v[k].rc || off != v[k].off) {
			fprintf(stderr, "# vector %d \"%s\": %d at %d\n", k, v[k].in, rc, off);
			fail();
		}
	}
	assert_int_equal(cpm_imdn_disp_parse(NULL, 1, NULL), -EINVAL);
	assert_int_equal(cpm_imdn_disp_parse(NULL, 0, NULL), 0);
}

/* printer, and parse(print(f)) == f for every set of flags */
static void t_disp_print(void **state)
{
	char buf[128], *p;
	int f, n;

	assert_int_equal(cpm_imdn_disp_print(CPM_IMDN_REQ_ALL, buf, sizeof(buf)), 57);
	assert_string_equal(buf, "positive-delivery, negative-delivery, display, processing");
	assert_int_equal(cpm_imdn_disp_print(CPM_IMDN_REQ_ALL, buf, 57), -ENOSPC);
	assert_int_equal(cpm_imdn_disp_print(CPM_IMDN_REQ_ALL, buf, 58), 57);
	assert_int_equal(cpm_imdn_disp_print(0x10, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cpm_imdn_disp_print(0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	for(f = 0; f <= CPM_IMDN_REQ_ALL; f++) {
		n = cpm_imdn_disp_print(f, buf, sizeof(buf));
		assert_true(n >= 0);
		p = dup_exact(buf, n);
		assert_int_equal(cpm_imdn_disp_parse(p, n, NULL), f);
		free(p);
	}
}

/* ---- message/imdn+xml ---------------------------------------------------- */

static int imdn(const char *s, int len, cpm_imdn_t *m, char **buf, int *off)
{
	char *p = dup_exact(s, len);
	int rc;

	*buf = malloc(CPM_IMDN_BUF_SIZE(len));
	assert_non_null(*buf);
	rc = cpm_imdn_parse(p, len, m, *buf, CPM_IMDN_BUF_SIZE(len), off);
	free(p);
	return rc;
}

#define IMDN_OPEN \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"

/* RFC 5438 7.2.1.1, pretty-printed, every optional field */
static const char RFC5438[] =
		IMDN_OPEN "\n"
		"   <message-id>34jk324j</message-id>\n"
		"   <datetime>2008-04-04T12:16:49-05:00</datetime>\n"
		"   <recipient-uri>im:bob@example.com</recipient-uri>\n"
		"   <original-recipient-uri\n"
		"       >im:bob@example.com</original-recipient-uri>\n"
		"   <subject>Tom &amp; Jerry &lt;3 &#x263A; <![CDATA[<raw>]]></subject>\n"
		"   <delivery-notification>\n"
		"      <status>\n"
		"         <failed/>\n"
		"      </status>\n"
		"   </delivery-notification>\n"
		"</imdn>\n";

static void t_imdn_rfc(void **state)
{
	cpm_imdn_t m;
	char *buf;

	assert_int_equal(imdn(RFC5438, (int)strlen(RFC5438), &m, &buf, NULL), 0);
	assert_int_equal(m.kind, CPM_IMDN_DELIVERY);
	assert_int_equal(m.status, CPM_IMDN_FAILED);
	assert_view(&m.message_id, "34jk324j");
	assert_view(&m.datetime, "2008-04-04T12:16:49-05:00");
	assert_view(&m.recipient_uri, "im:bob@example.com");
	assert_view(&m.original_recipient_uri, "im:bob@example.com");
	assert_view(&m.subject, "Tom & Jerry <3 \xe2\x98\xba <raw>");
	assert_string_equal(m.message_id.s, "34jk324j"); /* NUL-terminated */
	free(buf);
}

/* the shapes clients send: rcsjta display report, linphone with an
 * element of its own namespace, a processing "stored" */
static void t_imdn_clients(void **state)
{
	static const char rcs[] = IMDN_OPEN
			"<message-id>Mq8ZJbD4</message-id>"
			"<datetime>2026-11-25T19:00:01.000Z</datetime>"
			"<display-notification><status><displayed/></status>"
			"</display-notification></imdn>";
	static const char lin[] =
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
			"<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\" "
			"xmlns:linphoneimdn=\"http://www.linphone.org/xsds/imdn.xsd\">"
			"<message-id>fKMp8uTB5</message-id>"
			"<datetime>2026-11-25T19:00:02Z</datetime>"
			"<delivery-notification><status><error/>"
			"<linphoneimdn:reason code=\"488\">Not acceptable</linphoneimdn:reason>"
			"</status></delivery-notification>"
			"<linphoneimdn:x/></imdn>";
	static const char proc[] = IMDN_OPEN
			"<processing-notification><status><stored/></status>"
			"</processing-notification>"
			"<datetime>d</datetime><message-id>m</message-id>"
			"<future-element>ignored</future-element></imdn>";
	cpm_imdn_t m;
	char *buf;

	assert_int_equal(imdn(rcs, (int)strlen(rcs), &m, &buf, NULL), 0);
	assert_int_equal(m.kind, CPM_IMDN_DISPLAY);
	assert_int_equal(m.status, CPM_IMDN_DISPLAYED);
	assert_int_equal(m.recipient_uri.len, 0);
	free(buf);
	assert_int_equal(imdn(lin, (int)strlen(lin), &m, &buf, NULL), 0);
	assert_int_equal(m.kind, CPM_IMDN_DELIVERY);
	assert_int_equal(m.status, CPM_IMDN_ERROR);
	assert_view(&m.message_id, "fKMp8uTB5");
	free(buf);
	assert_int_equal(imdn(proc, (int)strlen(proc), &m, &buf, NULL), 0);
	assert_int_equal(m.kind, CPM_IMDN_PROCESSING);
	assert_int_equal(m.status, CPM_IMDN_STORED);
	assert_view(&m.message_id, "m");
	free(buf);
}

/* valid XML, not a valid IMDN: -EBADMSG */
static void t_imdn_invalid(void **state)
{
#define ID "<message-id>m</message-id>"
#define DT "<datetime>d</datetime>"
#define DLV "<delivery-notification><status><delivered/></status></delivery-notification>"
	static const char *v[] = {
			IMDN_OPEN DT DLV "</imdn>",						 /* no message-id */
			IMDN_OPEN ID DLV "</imdn>",						 /* no datetime */
			IMDN_OPEN ID DT "</imdn>",						 /* no notification */
			IMDN_OPEN "<message-id> </message-id>" DT DLV "</imdn>", /* empty */
			IMDN_OPEN ID ID DT DLV "</imdn>",				 /* two message-id */
			IMDN_OPEN ID DT DLV DLV "</imdn>",				 /* two notifications */
			IMDN_OPEN ID DT
			"<display-notification><status><displayed/></status></display-notification>"
			DLV "</imdn>",
			IMDN_OPEN ID DT "<delivery-notification><status><displayed/></status>"
							"</delivery-notification></imdn>",
			IMDN_OPEN ID DT "<display-notification><status><stored/></status>"
							"</display-notification></imdn>",
			IMDN_OPEN ID DT "<delivery-notification><status><delivered/><failed/>"
							"</status></delivery-notification></imdn>",
			IMDN_OPEN ID DT "<delivery-notification><status><lost/></status>"
							"</delivery-notification></imdn>",
			IMDN_OPEN ID DT "<delivery-notification><status/>"
							"</delivery-notification></imdn>",
			IMDN_OPEN ID DT "<delivery-notification></delivery-notification></imdn>",
			IMDN_OPEN ID DT "<delivery-notification><status><delivered/></status>"
							"<status><failed/></status></delivery-notification></imdn>",
			/* the status element in another namespace only */
			IMDN_OPEN ID DT "<delivery-notification><status><x:delivered "
							"xmlns:x=\"urn:x\"/></status></delivery-notification></imdn>",
	};
	cpm_imdn_t m;
	char *buf;
	int k, rc;

	for(k = 0; k < (int)(sizeof(v) / sizeof(v[0])); k++) {
		rc = imdn(v[k], (int)strlen(v[k]), &m, &buf, NULL);
		if(rc != -EBADMSG) {
			fprintf(stderr, "# vector %d: %d\n", k, rc);
			fail();
		}
		assert_int_equal(m.kind, 0);
		free(buf);
	}
	assert_int_equal(cpm_imdn_parse("x", 1, NULL, NULL, 0, NULL), -EINVAL);
}

/* hostile or broken XML: one clear code each, nothing leaked */
static void t_hostile(void **state)
{
	static const struct {
		const char *what, *in;
		int rc;
	} v[] = {
			{"XXE file", "<?xml version=\"1.0\"?><!DOCTYPE imdn ["
						 "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
						 "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
						 "<message-id>&xxe;</message-id></imdn>",
					-EPERM},
			{"XXE http", "<!DOCTYPE imdn [<!ENTITY xxe SYSTEM "
						 "\"http://127.0.0.1:9/x\">]><imdn "
						 "xmlns=\"urn:ietf:params:xml:ns:imdn\">&xxe;</imdn>",
					-EPERM},
			{"external DTD", "<!DOCTYPE imdn SYSTEM \"http://127.0.0.1:9/x.dtd\">"
							 "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"/>",
					-EPERM},
			{"parameter entity", "<!DOCTYPE imdn [<!ENTITY % p SYSTEM "
								 "\"file:///etc/passwd\"> %p;]><imdn/>",
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
					"]><imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
					"<subject>&lol9;</subject></imdn>",
					-EPERM},
			{"harmless DOCTYPE", "<!DOCTYPE imdn><imdn "
								 "xmlns=\"urn:ietf:params:xml:ns:imdn\"/>",
					-EPERM},
			{"undeclared entity", IMDN_OPEN "<message-id>&xxe;</message-id></imdn>",
					-EBADMSG},
			{"wrong namespace", "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn2\">"
								"<message-id>m</message-id></imdn>",
					-ENOMSG},
			{"no namespace", "<imdn><message-id>m</message-id></imdn>", -ENOMSG},
			{"wrong root", "<resource-lists xmlns=\"urn:ietf:params:xml:ns:imdn\"/>",
					-ENOMSG},
			{"prefixed wrong root", "<i:x xmlns:i=\"urn:ietf:params:xml:ns:imdn\"/>",
					-ENOMSG},
			{"ISO-8859-1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
									"<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"/>",
					-EILSEQ},
			{"UTF-16 declared", "<?xml version='1.0' encoding = 'UTF-16'?>"
								"<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"/>",
					-EILSEQ},
			{"latin-1 octets", IMDN_OPEN "<subject>caf\xe9</subject></imdn>",
					-EILSEQ},
			{"overlong UTF-8 '<'", IMDN_OPEN "\xc0\xbc/imdn>", -EILSEQ},
			{"UTF-16 BOM", "\xff\xfe<\0i\0", -EILSEQ},
			{"truncated", IMDN_OPEN "<message-id>m</message-id><datetime>", -EBADMSG},
			{"trailing garbage", IMDN_OPEN ID DT DLV "</imdn><x/>", -EBADMSG},
			{"two documents", IMDN_OPEN "</imdn>" IMDN_OPEN "</imdn>", -EBADMSG},
			{"not XML", "hello", -EBADMSG},
			{"U+FFFE", IMDN_OPEN "<subject>\xef\xbf\xbe</subject></imdn>", -EBADMSG},
	};
	cpm_imdn_t m;
	char *buf;
	int k, rc, off;

	for(k = 0; k < (int)(sizeof(v) / sizeof(v[0])); k++) {
		int len = (int)strlen(v[k].in);
		if(strcmp(v[k].what, "UTF-16 BOM") == 0)
			len = 6;
		off = -1;
		rc = imdn(v[k].in, len, &m, &buf, &off);
		if(rc != v[k].rc || off < 0 || off > len) {
			fprintf(stderr, "# %s: %d (%s) at %d\n", v[k].what, rc,
					cpm_xml_strerror(rc), off);
			fail();
		}
		/* a DOCTYPE is refused before its first declaration is read (the
		 * internalSubset callback), not later at the entity or the tree */
		if(rc == -EPERM && strchr(v[k].in, '[') != NULL
				&& off > (int)(strchr(v[k].in, '[') - v[k].in)) {
			fprintf(stderr, "# %s: refused at %d, after the subset\n",
					v[k].what, off);
			fail();
		}
		free(buf);
	}
}

/* a NUL inside, 5,000 levels, 10,000 siblings, too large */
static void t_hostile_sizes(void **state)
{
	static const char head[] = IMDN_OPEN ID DT DLV;
	cpm_imdn_t m;
	char *b, *buf;
	int n, k, off;

	b = malloc(CPM_XML_MAX_SIZE * 2);
	assert_non_null(b);
	/* NUL octet */
	n = sprintf(b, "%s<subject>a", head);
	b[n++] = '\0';
	n += sprintf(b + n, "b</subject></imdn>");
	assert_int_equal(imdn(b, n, &m, &buf, &off), -EILSEQ);
	assert_int_equal(off, (int)strlen(head) + 10);
	free(buf);
	/* 5,000 levels */
	n = sprintf(b, "%s", head);
	for(k = 0; k < 5000; k++)
		n += sprintf(b + n, "<a>");
	for(k = 0; k < 5000; k++)
		n += sprintf(b + n, "</a>");
	n += sprintf(b + n, "</imdn>");
	assert_int_equal(imdn(b, n, &m, &buf, &off), -ELOOP);
	assert_true(off > (int)strlen(head) && off < n);
	free(buf);
	/* CPM_XML_MAX_DEPTH levels pass */
	n = sprintf(b, "%s", head);
	for(k = 0; k < CPM_XML_MAX_DEPTH - 1; k++)
		n += sprintf(b + n, "<x:a xmlns:x=\"urn:x\">");
	for(k = 0; k < CPM_XML_MAX_DEPTH - 1; k++)
		n += sprintf(b + n, "</x:a>");
	n += sprintf(b + n, "</imdn>");
	assert_int_equal(imdn(b, n, &m, &buf, &off), 0);
	free(buf);
	/* 10,000 siblings */
	n = sprintf(b, "%s", head);
	for(k = 0; k < 10000; k++)
		n += sprintf(b + n, "<a/>");
	n += sprintf(b + n, "</imdn>");
	assert_true(n <= CPM_XML_MAX_SIZE);
	assert_int_equal(imdn(b, n, &m, &buf, &off), -EOVERFLOW);
	free(buf);
	/* too large: refused before libxml2 sees it */
	n = sprintf(b, "%s<subject>", head);
	memset(b + n, 'a', CPM_XML_MAX_SIZE);
	n += CPM_XML_MAX_SIZE;
	n += sprintf(b + n, "</subject></imdn>");
	assert_int_equal(imdn(b, n, &m, &buf, &off), -E2BIG);
	assert_int_equal(off, CPM_XML_MAX_SIZE);
	free(buf);
	free(b);
}

/* cpm_xml's own API: caller limits, navigation, text */
static void t_xml_api(void **state)
{
	static const char doc[] =
			"<r xmlns=\"urn:r\"><a> x <![CDATA[y]]> </a><b/><a>2</a></r>";
	cpm_xml_limits_t lim = {0, 2, 4};
	xmlDocPtr d;
	xmlNode *root, *a;
	char *p = dup_exact(doc, (int)strlen(doc)), t[8];
	int off;

	assert_int_equal(cpm_xml_parse(p, (int)strlen(doc), "urn:r", "r", NULL, &d, &off), 0);
	root = xmlDocGetRootElement(d);
	assert_true(cpm_xml_is(root, "urn:r", "r"));
	assert_false(cpm_xml_is(root, NULL, "r"));
	a = cpm_xml_child(root, "urn:r", "a");
	assert_non_null(a);
	assert_int_equal(cpm_xml_text(a, t, sizeof(t)), 3);
	assert_string_equal(t, "x y");
	assert_int_equal(cpm_xml_text(a, t, 4), -ENOSPC);
	assert_true(cpm_xml_is(cpm_xml_next_elem(a), "urn:r", "b"));
	assert_null(cpm_xml_child(root, "urn:x", "a"));
	cpm_xml_free(d);
	/* 4 elements pass max_elems 4, depth 2 passes max_depth 2 */
	assert_int_equal(cpm_xml_parse(p, (int)strlen(doc), "urn:r", "r", &lim, &d, &off), 0);
	cpm_xml_free(d);
	lim.max_elems = 3;
	assert_int_equal(cpm_xml_parse(p, (int)strlen(doc), "urn:r", "r", &lim, &d, &off),
			-EOVERFLOW);
	assert_null(d);
	lim.max_elems = 0;
	lim.max_depth = 1;
	assert_int_equal(cpm_xml_parse(p, (int)strlen(doc), "urn:r", "r", &lim, &d, &off),
			-ELOOP);
	lim.max_depth = 0;
	lim.max_size = 10;
	assert_int_equal(cpm_xml_parse(p, (int)strlen(doc), "urn:r", "r", &lim, &d, &off),
			-E2BIG);
	assert_int_equal(cpm_xml_parse(p, 0, "urn:r", "r", NULL, &d, &off), -EINVAL);
	assert_int_equal(cpm_xml_parse(p, (int)strlen(doc), "urn:r", NULL, NULL, &d, &off),
			-EINVAL);
	assert_string_equal(cpm_xml_strerror(-EPERM),
			"DOCTYPE or entity declaration not allowed");
	free(p);
}

/* ---- builder -------------------------------------------------------------- */

static void t_build(void **state)
{
	static const char want[] =
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n"
			"  <message-id>Mq8Z</message-id>\n"
			"  <datetime>2026-11-25T19:50:21Z</datetime>\n"
			"  <recipient-uri>sip:bob@example.net</recipient-uri>\n"
			"  <original-recipient-uri>sip:bob@example.net</original-recipient-uri>\n"
			"  <delivery-notification><status><failed/></status></delivery-notification>\n"
			"</imdn>\n";
	cpm_imdn_t in = {CPM_IMDN_DELIVERY, CPM_IMDN_FAILED, {"Mq8Z", 4},
			{"2026-11-25T19:50:21Z", 20}, {"sip:bob@example.net", 19},
			{"sip:bob@example.net", 19}, {NULL, 0}};
	cpm_imdn_t m;
	char out[1024], *buf;
	int n = (int)sizeof(want) - 1;

	assert_int_equal(cpm_imdn_build(&in, out, n - 1), -ENOSPC);
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), n);
	assert_string_equal(out, want);
	assert_int_equal(imdn(out, n, &m, &buf, NULL), 0);
	assert_int_equal(m.kind, CPM_IMDN_DELIVERY);
	assert_int_equal(m.status, CPM_IMDN_FAILED);
	assert_view(&m.message_id, "Mq8Z");
	assert_view(&m.recipient_uri, "sip:bob@example.net");
	assert_int_equal(m.subject.len, 0);
	free(buf);
	/* escaping */
	in.status = CPM_IMDN_DELIVERED;
	in.subject.s = "<a> & \"b\"";
	in.subject.len = 9;
	n = cpm_imdn_build(&in, out, sizeof(out));
	assert_true(n > 0);
	assert_non_null(strstr(out, "<subject>&lt;a&gt; &amp; \"b\"</subject>"));
	assert_int_equal(imdn(out, n, &m, &buf, NULL), 0);
	assert_view(&m.subject, "<a> & \"b\"");
	assert_int_equal(m.status, CPM_IMDN_DELIVERED);
	free(buf);
	/* what cannot be carried */
	in.status = CPM_IMDN_DISPLAYED;
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), -EINVAL);
	in.status = CPM_IMDN_FAILED;
	in.subject.s = "a\nb";
	in.subject.len = 3;
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), -EINVAL);
	in.subject.s = "a ";
	in.subject.len = 2;
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), -EINVAL);
	in.subject.s = "\xc3";
	in.subject.len = 1;
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), -EINVAL);
	in.subject.s = "\xef\xbf\xbf";
	in.subject.len = 3;
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), -EINVAL);
	in.subject.len = 0;
	in.message_id.len = 0;
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), -EINVAL);
	in.message_id.len = 4;
	in.kind = 0;
	assert_int_equal(cpm_imdn_build(&in, out, sizeof(out)), -EINVAL);
	assert_string_equal(cpm_imdn_status_name(CPM_IMDN_STORED), "stored");
	assert_null(cpm_imdn_kind_name(4));
}

/* the PF's negative-delivery notification in one call: the CPIM wrapper
 * from the recipient to the sender around the IMDN XML (RFC 5438 7.2.1.1) */
static void t_build_cpim(void **state)
{
	cpm_imdn_t in = {CPM_IMDN_DELIVERY, CPM_IMDN_FAILED, {"Mq8Z", 4},
			{"2026-11-25T19:00:00Z", 20}, {"sip:bob@example.net", 19},
			{NULL, 0}, {NULL, 0}};
	cpm_cpim_notif_t n = {{"sip:bob@example.net", 19},
			{"sip:alice@example.net", 21}, {"n1Xq", 4},
			{"2026-11-25T19:50:21Z", 20}, {NULL, 0}};
	cpm_cpim_t m;
	cpm_imdn_t got;
	cpm_str_t d, u;
	char *out, *buf;
	int len, k;

	out = malloc(4096);
	assert_non_null(out);
	len = cpm_imdn_build_cpim(&in, &n, out, 4096);
	assert_true(len > 0);
	free(out);
	/* every smaller buffer is refused, the exact one is enough (exact heap
	 * blocks: valgrind sees any write past them) */
	for(k = 0; k <= len; k++) {
		out = malloc(k ? k : 1);
		assert_non_null(out);
		assert_int_equal(cpm_imdn_build_cpim(&in, &n, out, k), k < len ? -ENOSPC : len);
		if(k == len) {
			assert_int_equal(cpm_cpim_parse(out, len, &m, NULL), 0);
			assert_int_equal(cpm_cpim_addr(cpm_cpim_from(&m)->s,
									 cpm_cpim_from(&m)->len, &d, &u),
					0);
			assert_view(&u, "sip:bob@example.net");
			assert_int_equal(cpm_cpim_addr(cpm_cpim_to(&m)->s,
									 cpm_cpim_to(&m)->len, &d, &u),
					0);
			assert_view(&u, "sip:alice@example.net");
			assert_view(cpm_cpim_imdn_message_id(&m), "n1Xq");
			assert_view(cpm_cpim_datetime(&m), "2026-11-25T19:50:21Z");
			assert_true(cpm_cpim_type_is(cpm_cpim_content_type(&m),
					CPM_IMDN_CONTENT_TYPE));
			assert_view(cpm_cpim_mime_get(&m, "Content-Disposition"),
					"notification");
			assert_int_equal(imdn(m.content.s, m.content.len, &got, &buf, NULL), 0);
			assert_int_equal(got.kind, CPM_IMDN_DELIVERY);
			assert_int_equal(got.status, CPM_IMDN_FAILED);
			assert_view(&got.message_id, "Mq8Z");
			assert_view(&got.datetime, "2026-11-25T19:00:00Z");
			assert_view(&got.recipient_uri, "sip:bob@example.net");
			free(buf);
		}
		free(out);
	}
	out = malloc(4096);
	assert_non_null(out);
	n.to.s = "sip:a>b";
	n.to.len = 7;
	assert_int_equal(cpm_imdn_build_cpim(&in, &n, out, 4096), -EINVAL);
	n.to.len = 0;
	assert_int_equal(cpm_imdn_build_cpim(&in, &n, out, 4096), -EINVAL);
	assert_int_equal(cpm_imdn_build_cpim(&in, NULL, out, 4096), -EINVAL);
	in.status = CPM_IMDN_DISPLAYED;
	assert_int_equal(cpm_imdn_build_cpim(&in, &n, out, 4096), -EINVAL);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_disp),
		cmocka_unit_test(t_disp_print),
		cmocka_unit_test(t_imdn_rfc),
		cmocka_unit_test(t_imdn_clients),
		cmocka_unit_test(t_imdn_invalid),
		cmocka_unit_test(t_hostile),
		cmocka_unit_test(t_hostile_sizes),
		cmocka_unit_test(t_xml_api),
		cmocka_unit_test(t_build),
		cmocka_unit_test(t_build_cpim),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
