/*
 * Fixed vectors of lib/cpm_cpim.c (message/cpim, RFC 3862): the RFC's own
 * example, the client shapes of shared/notes/client-dialects.md (rcsjta,
 * Universal Profile with base64 content, linphone), every error code with
 * its offset, the printer and its round trip, the IMDN wrapper builder.
 * Inputs are copied into exact-size heap blocks (valgrind sees overreads).
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

static char *dup_exact(const char *s, int len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

static int parse_lit(const char *lit, cpm_cpim_t *m, int *off, char **keep)
{
	int len = (int)strlen(lit), rc;
	char *p = dup_exact(lit, len);

	rc = cpm_cpim_parse(p, len, m, off);
	if(keep != NULL)
		*keep = p;
	else
		free(p);
	return rc;
}

#define assert_view(v, lit)                                   \
	do {                                                      \
		const cpm_str_t *v_ = (v);                            \
		assert_non_null(v_);                                  \
		assert_int_equal(v_->len, (int)strlen(lit));          \
		assert_memory_equal(v_->s, lit, strlen(lit));         \
	} while(0)

/* RFC 3862 section 2 example (without the outer MIME header) */
static const char RFC3862[] =
		"From: MR SANDERS <im:piglet@100akerwood.com>\r\n"
		"To: Depressed Donkey <im:eeyore@100akerwood.com>\r\n"
		"DateTime: 2000-12-13T13:40:00-08:00\r\n"
		"Subject: the weather will be fine today\r\n"
		"Subject:;lang=fr beau temps prevu pour aujourd'hui\r\n"
		"NS: MyFeatures <mid:MessageFeatures@id.foo.com>\r\n"
		"Require: MyFeatures.VitalMessageOption\r\n"
		"MyFeatures.VitalMessageOption: Confirmation-requested\r\n"
		"MyFeatures.WackyMessageOption: Use-silly-font\r\n"
		"\r\n"
		"Content-type: text/xml; charset=utf-8\r\n"
		"Content-ID: <1234567890@foo.com>\r\n"
		"\r\n"
		"<body>\r\n"
		"Here is the text of my message.\r\n"
		"</body>\r\n";

static void t_rfc3862(void **state)
{
	cpm_cpim_t m;
	cpm_str_t d, u;
	char *keep;
	int k;

	assert_int_equal(parse_lit(RFC3862, &m, NULL, &keep), 0);
	assert_int_equal(m.nhdr, 9);
	assert_int_equal(m.nmime, 2);
	assert_view(cpm_cpim_from(&m), "MR SANDERS <im:piglet@100akerwood.com>");
	assert_view(cpm_cpim_to(&m), "Depressed Donkey <im:eeyore@100akerwood.com>");
	assert_view(cpm_cpim_datetime(&m), "2000-12-13T13:40:00-08:00");
	assert_view(cpm_cpim_subject(&m), "the weather will be fine today");
	k = cpm_cpim_find(&m, CPM_CPIM_NS_CORE, "Subject", 4);
	assert_int_equal(k, 4);
	assert_view(&m.hdr[k].params, ";lang=fr");
	assert_view(&m.hdr[k].value, "beau temps prevu pour aujourd'hui");
	k = cpm_cpim_find(&m, "mid:MessageFeatures@id.foo.com", "VitalMessageOption", 0);
	assert_int_equal(k, 7);
	assert_view(&m.hdr[k].prefix, "MyFeatures");
	assert_view(&m.hdr[k].value, "Confirmation-requested");
	assert_view(cpm_cpim_content_type(&m), "text/xml; charset=utf-8");
	assert_view(cpm_cpim_mime_get(&m, "content-id"), "<1234567890@foo.com>");
	assert_view(&m.content,
			"<body>\r\nHere is the text of my message.\r\n</body>\r\n");
	assert_int_equal(cpm_cpim_addr(cpm_cpim_from(&m)->s, cpm_cpim_from(&m)->len,
							 &d, &u),
			0);
	assert_view(&d, "MR SANDERS");
	assert_view(&u, "im:piglet@100akerwood.com");
	assert_null(cpm_cpim_imdn_message_id(&m));
	free(keep);
}

/* rcsjta chat message: anonymous From/To, IMDN asked, inner
 * Content-type / Content-length spelled in lower case */
static const char RCSJTA[] =
		"From: <sip:anonymous@anonymous.invalid>\r\n"
		"To: <sip:anonymous@anonymous.invalid>\r\n"
		"NS: imdn <urn:ietf:params:imdn>\r\n"
		"imdn.Message-ID: Mq8ZJbD4gnFM5NUYyXmpvvL1S4PO0YEH\r\n"
		"DateTime: 2026-11-25T19:00:00.000Z\r\n"
		"imdn.Disposition-Notification: positive-delivery, display\r\n"
		"\r\n"
		"Content-type: text/plain; charset=utf-8\r\n"
		"Content-length: 12\r\n"
		"\r\n"
		"hello w\xc3\xb6rld";

static void t_rcsjta(void **state)
{
	cpm_cpim_t m;
	char *keep;
	const cpm_str_t *v;

	assert_int_equal(parse_lit(RCSJTA, &m, NULL, &keep), 0);
	assert_view(cpm_cpim_imdn_message_id(&m), "Mq8ZJbD4gnFM5NUYyXmpvvL1S4PO0YEH");
	v = cpm_cpim_imdn_disposition(&m);
	assert_view(v, "positive-delivery, display");
	assert_int_equal(cpm_imdn_disp_parse(v->s, v->len, NULL),
			CPM_IMDN_REQ_POSITIVE_DELIVERY | CPM_IMDN_REQ_DISPLAY);
	assert_view(cpm_cpim_content_type(&m), "text/plain; charset=utf-8");
	assert_view(cpm_cpim_mime_get(&m, "Content-Length"), "12");
	assert_view(&m.content, "hello w\xc3\xb6rld");
	free(keep);
}

/* Universal Profile client: base64 content, another prefix bound to the
 * IMDN namespace, LF line ends */
static const char UP_B64[] =
		"From: <tel:+15551234567>\n"
		"To: <sip:+15557654321@ims.example.net>\n"
		"NS: ims <urn:ietf:params:imdn>\n"
		"ims.Message-ID: 3a7c5e1d-9d0b-4c3e-8f4e-2b1a6c9d8e7f\n"
		"ims.Disposition-Notification: negative-delivery,positive-delivery\n"
		"DateTime: 2026-11-25T19:00:00Z\n"
		"\n"
		"Content-Type: text/plain;charset=UTF-8\n"
		"Content-Transfer-Encoding: base64\n"
		"Content-Length: 8\n"
		"\n"
		"aGVsbG8=\r\n";

static void t_up_base64(void **state)
{
	cpm_cpim_t m;
	char *keep;
	const cpm_str_t *v;

	assert_int_equal(parse_lit(UP_B64, &m, NULL, &keep), 0);
	assert_view(cpm_cpim_imdn_message_id(&m),
			"3a7c5e1d-9d0b-4c3e-8f4e-2b1a6c9d8e7f");
	v = cpm_cpim_imdn_disposition(&m);
	assert_int_equal(cpm_imdn_disp_parse(v->s, v->len, NULL),
			CPM_IMDN_REQ_POSITIVE_DELIVERY | CPM_IMDN_REQ_NEGATIVE_DELIVERY);
	assert_view(cpm_cpim_mime_get(&m, "content-transfer-encoding"), "base64");
	/* Content-Length 8 cuts the CRLF some stacks append */
	assert_view(&m.content, "aGVsbG8=");
	free(keep);
}

/* linphone: DateTime before NS, no Content-Length, empty-ish content */
static const char LINPHONE[] =
		"From: <sip:alice@127.0.0.1>\r\n"
		"To: <sip:bob@127.0.0.1>\r\n"
		"DateTime: 2026-11-25T19:00:00Z\r\n"
		"NS: imdn <urn:ietf:params:imdn>\r\n"
		"imdn.Message-ID: fKMp8uTB5\r\n"
		"imdn.Disposition-Notification: positive-delivery, display\r\n"
		"\r\n"
		"Content-Type: text/plain;charset=UTF-8\r\n"
		"\r\n"
		"hi";

/* a standalone delivery IMDN as rcsjta sends it */
static const char RCS_IMDN[] =
		"From: <sip:anonymous@anonymous.invalid>\r\n"
		"To: <sip:anonymous@anonymous.invalid>\r\n"
		"NS: imdn <urn:ietf:params:imdn>\r\n"
		"imdn.Message-ID: yRPk8oUm3vE6rq7lFZ1QnX2Ls5Pc4WdA\r\n"
		"DateTime: 2026-11-25T19:00:01.000Z\r\n"
		"\r\n"
		"Content-type: message/imdn+xml\r\n"
		"Content-Disposition: notification\r\n"
		"Content-length: 265\r\n"
		"\r\n"
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">"
		"<message-id>Mq8ZJbD4gnFM5NUYyXmpvvL1S4PO0YEH</message-id>"
		"<datetime>2026-11-25T19:00:01.000Z</datetime>"
		"<delivery-notification><status><delivered/></status>"
		"</delivery-notification></imdn>";

static void t_linphone_and_imdn(void **state)
{
	cpm_cpim_t m;
	cpm_imdn_t im;
	char *keep, buf[512];

	assert_int_equal(parse_lit(LINPHONE, &m, NULL, &keep), 0);
	assert_view(cpm_cpim_imdn_message_id(&m), "fKMp8uTB5");
	assert_view(&m.content, "hi");
	free(keep);

	assert_int_equal(parse_lit(RCS_IMDN, &m, NULL, &keep), 0);
	assert_view(cpm_cpim_content_type(&m), "message/imdn+xml");
	assert_true(cpm_cpim_type_is(cpm_cpim_content_type(&m), CPM_IMDN_CONTENT_TYPE));
	assert_view(cpm_cpim_mime_get(&m, "Content-Disposition"), "notification");
	assert_int_equal(m.content.len, 265);
	assert_int_equal(cpm_imdn_parse(m.content.s, m.content.len, &im, buf,
							 sizeof(buf), NULL),
			0);
	assert_view(&im.message_id, "Mq8ZJbD4gnFM5NUYyXmpvvL1S4PO0YEH");
	assert_int_equal(im.kind, CPM_IMDN_DELIVERY);
	assert_int_equal(im.status, CPM_IMDN_DELIVERED);
	free(keep);
}

/* namespaces: prefixes resolve through the NS declared before use */
static void t_namespaces(void **state)
{
	cpm_cpim_t m;
	char *keep;

	/* used before it is declared: not in the IMDN namespace */
	assert_int_equal(parse_lit("imdn.Message-ID: a\r\n"
							   "NS: imdn <urn:ietf:params:imdn>\r\n"
							   "\r\n\r\n",
							 &m, NULL, &keep),
			0);
	assert_null(cpm_cpim_imdn_message_id(&m));
	assert_int_equal(m.hdr[0].ns.len, 0);
	free(keep);
	/* a prefix rebound: the last binding before the header counts */
	assert_int_equal(parse_lit("NS: x <urn:other>\r\n"
							   "x.Message-ID: a\r\n"
							   "NS: x <urn:ietf:params:imdn>\r\n"
							   "X.message-id: b\r\n"
							   "\r\n\r\n",
							 &m, NULL, &keep),
			0);
	assert_view(cpm_cpim_imdn_message_id(&m), "b");
	assert_view(cpm_cpim_get(&m, "urn:other", "Message-ID"), "a");
	assert_int_equal(cpm_cpim_find(&m, CPM_CPIM_NS_IMDN, "Message-ID", 4),
			-ENOENT);
	free(keep);
	/* no CPIM header at all, empty content */
	assert_int_equal(parse_lit("\r\n\r\n", &m, NULL, &keep), 0);
	assert_int_equal(m.nhdr, 0);
	assert_int_equal(m.nmime, 0);
	assert_int_equal(m.content.len, 0);
	assert_null(cpm_cpim_from(&m));
	free(keep);
}

/* leniencies: missing SP, HTAB, folded inner header */
static void t_lenient(void **state)
{
	cpm_cpim_t m;
	char *keep;

	assert_int_equal(parse_lit("From:<sip:a@b>\r\nTo:\t <sip:c@d> \r\n\r\n"
							   "Content-Type: text/plain;\r\n charset=utf-8\r\n"
							   "\r\nx",
							 &m, NULL, &keep),
			0);
	assert_view(cpm_cpim_from(&m), "<sip:a@b>");
	assert_view(cpm_cpim_to(&m), "<sip:c@d>");
	assert_view(cpm_cpim_content_type(&m), "text/plain;\r\n charset=utf-8");
	free(keep);
	/* a parameter value is a Token, UCS-high included (RFC 3862 3.1) */
	assert_int_equal(parse_lit("Subject:;lang=fr;x=caf\xc3\xa9 v\r\n\r\n\r\n",
							 &m, NULL, &keep),
			0);
	assert_view(&m.hdr[0].params, ";lang=fr;x=caf\xc3\xa9");
	assert_view(&m.hdr[0].value, "v");
	free(keep);
}

/* every refusal: its code and the offset of the problem */
static void t_errors(void **state)
{
	static const struct {
		const char *in;
		int rc;
		int off;
	} v[] = {
			/* truncated: no blank line after the CPIM headers */
			{"From: <sip:a@b>\r\n", -EBADMSG, 17},
			{"From: <sip:a@b>", -EBADMSG, 15},
			/* truncated: no blank line after the MIME headers */
			{"From: <sip:a@b>\r\n\r\nContent-Type: text/plain\r\n", -EBADMSG,
					45},
			/* CPIM headers do not fold */
			{"From: <sip:a@b>\r\n <sip:c@d>\r\n\r\n\r\n", -EBADMSG, 17},
			/* no WSP before the colon of a CPIM header */
			{"From : <sip:a@b>\r\n\r\n\r\n", -EBADMSG, 4},
			/* not a Name */
			{"Fr@m: x\r\n\r\n\r\n", -EBADMSG, 2},
			{"imdn.: x\r\n\r\n\r\n", -EBADMSG, 5},
			{"a.b.c: x\r\n\r\n\r\n", -EBADMSG, 3},
			/* broken parameter */
			{"Subject:;lang fr\r\n\r\n\r\n", -EBADMSG, 13},
			{"Subject:;=fr x\r\n\r\n\r\n", -EBADMSG, 9},
			/* CTL / bad UTF-8 in a value */
			{"Subject: a\x01z\r\n\r\n\r\n", -EBADMSG, 10},
			{"Subject: a\rz\r\n\r\n\r\n", -EBADMSG, 10},
			{"Subject: a\xc3(\r\n\r\n\r\n", -EILSEQ, 10},
			{"Subject: \xed\xa0\x80\r\n\r\n\r\n", -EILSEQ, 9},
			/* broken NS */
			{"NS: imdn urn:ietf:params:imdn\r\n\r\n\r\n", -EBADMSG, 4},
			{"NS: imdn <urn:ietf:params:imdn> x\r\n\r\n\r\n", -EBADMSG, 4},
			{"NS: imdn<urn:x>\r\n\r\n\r\n", -EBADMSG, 4},
			/* inner: no header name, a fold first */
			{"\r\n: x\r\n\r\n", -EBADMSG, 2},
			{"\r\n x: y\r\n\r\n", -EBADMSG, 2},
			{"\r\nContent-Type: a\x7f\r\n\r\n", -EBADMSG, 17},
			/* Content-Length: not a number, too large for the content */
			{"\r\nContent-Length: 1x\r\n\r\nab", -EBADMSG, 18},
			{"\r\nContent-Length: \r\n\r\nab", -EBADMSG, 18},
			{"\r\nContent-Length: 3\r\n\r\nab", -EBADMSG, 25},
			{"\r\nContent-Length: 1234567890\r\n\r\nab", -EBADMSG, 18},
	};
	cpm_cpim_t m;
	int k, off;

	for(k = 0; k < (int)(sizeof(v) / sizeof(v[0])); k++) {
		off = -1;
		if(parse_lit(v[k].in, &m, &off, NULL) != v[k].rc || off != v[k].off) {
			fprintf(stderr, "# vector %d: got %d at %d\n", k,
					parse_lit(v[k].in, &m, &off, NULL), off);
			fail();
		}
		assert_int_equal(m.nhdr, 0); /* nothing half-parsed is left */
	}
	assert_int_equal(cpm_cpim_parse(NULL, 0, &m, NULL), -EINVAL);
	assert_int_equal(cpm_cpim_parse("", -1, &m, NULL), -EINVAL);
	assert_int_equal(cpm_cpim_parse("", 0, NULL, NULL), -EINVAL);
}

/* limits: header count, line length, total size */
static void t_limits(void **state)
{
	char *b;
	int n, k, off;
	cpm_cpim_t m;

	b = malloc(CPM_CPIM_MAX_SIZE + 16);
	assert_non_null(b);
	/* CPM_CPIM_MAX_HDRS headers pass, one more is -E2BIG */
	for(n = 0, k = 0; k < CPM_CPIM_MAX_HDRS; k++)
		n += sprintf(b + n, "X%d: v\r\n", k);
	n += sprintf(b + n, "\r\n\r\n");
	assert_int_equal(cpm_cpim_parse(b, n, &m, &off), 0);
	assert_int_equal(m.nhdr, CPM_CPIM_MAX_HDRS);
	n -= 4;
	k = n;
	n += sprintf(b + n, "Y: v\r\n\r\n\r\n");
	assert_int_equal(cpm_cpim_parse(b, n, &m, &off), -E2BIG);
	assert_int_equal(off, k);
	/* inner headers */
	for(n = 0, n += sprintf(b, "\r\n"), k = 0; k <= CPM_CPIM_MAX_MIME; k++)
		n += sprintf(b + n, "X%d: v\r\n", k);
	n += sprintf(b + n, "\r\n");
	assert_int_equal(cpm_cpim_parse(b, n, &m, &off), -E2BIG);
	/* a line of CPM_CPIM_MAX_LINE octets with its CRLF passes, one more
	 * does not */
	memcpy(b, "Subject: ", 9);
	memset(b + 9, 'a', CPM_CPIM_MAX_LINE - 11);
	memcpy(b + CPM_CPIM_MAX_LINE - 2, "\r\n\r\n\r\n", 6);
	assert_int_equal(cpm_cpim_parse(b, CPM_CPIM_MAX_LINE + 4, &m, &off), 0);
	memset(b + 9, 'a', CPM_CPIM_MAX_LINE - 10);
	memcpy(b + CPM_CPIM_MAX_LINE - 1, "\r\n\r\n\r\n", 6);
	assert_int_equal(cpm_cpim_parse(b, CPM_CPIM_MAX_LINE + 5, &m, &off), -E2BIG);
	assert_int_equal(off, CPM_CPIM_MAX_LINE);
	/* total size */
	memcpy(b, "\r\n\r\n", 4);
	memset(b + 4, 'x', CPM_CPIM_MAX_SIZE - 4);
	assert_int_equal(cpm_cpim_parse(b, CPM_CPIM_MAX_SIZE, &m, &off), 0);
	assert_int_equal(m.content.len, CPM_CPIM_MAX_SIZE - 4);
	b[CPM_CPIM_MAX_SIZE] = 'x';
	assert_int_equal(cpm_cpim_parse(b, CPM_CPIM_MAX_SIZE + 1, &m, &off), -E2BIG);
	assert_int_equal(off, CPM_CPIM_MAX_SIZE);
	free(b);
}

static void assert_same(const cpm_cpim_t *a, const cpm_cpim_t *b)
{
	int k;

	assert_int_equal(a->nhdr, b->nhdr);
	assert_int_equal(a->nmime, b->nmime);
	for(k = 0; k < a->nhdr; k++) {
		assert_int_equal(a->hdr[k].name.len, b->hdr[k].name.len);
		assert_memory_equal(a->hdr[k].name.s, b->hdr[k].name.s, a->hdr[k].name.len);
		assert_int_equal(a->hdr[k].params.len, b->hdr[k].params.len);
		assert_memory_equal(a->hdr[k].params.s, b->hdr[k].params.s, a->hdr[k].params.len);
		assert_int_equal(a->hdr[k].value.len, b->hdr[k].value.len);
		assert_memory_equal(a->hdr[k].value.s, b->hdr[k].value.s, a->hdr[k].value.len);
		assert_int_equal(a->hdr[k].ns.len, b->hdr[k].ns.len);
		assert_memory_equal(a->hdr[k].ns.s, b->hdr[k].ns.s, a->hdr[k].ns.len);
	}
	for(k = 0; k < a->nmime; k++) {
		assert_int_equal(a->mime[k].name.len, b->mime[k].name.len);
		assert_memory_equal(a->mime[k].name.s, b->mime[k].name.s, a->mime[k].name.len);
		assert_int_equal(a->mime[k].value.len, b->mime[k].value.len);
		assert_memory_equal(a->mime[k].value.s, b->mime[k].value.s, a->mime[k].value.len);
	}
	assert_int_equal(a->content.len, b->content.len);
	assert_memory_equal(a->content.s, b->content.s, a->content.len);
}

/* print -> parse gives the struct back, for every vector above */
static void t_roundtrip(void **state)
{
	const char *vec[] = {RFC3862, RCSJTA, UP_B64, LINPHONE, RCS_IMDN,
			"From:<sip:a@b>\r\nTo:\t <sip:c@d> \r\nSubject: \r\n\r\n"
			"Content-Type: text/plain;\r\n charset=utf-8\r\n\r\nx"};
	cpm_cpim_t a, b;
	char *keep, *out;
	int k, n;

	for(k = 0; k < (int)(sizeof(vec) / sizeof(vec[0])); k++) {
		assert_int_equal(parse_lit(vec[k], &a, NULL, &keep), 0);
		n = cpm_cpim_print(&a, NULL, 0);
		assert_int_equal(n, -EINVAL);
		out = malloc(strlen(vec[k]) + 64);
		assert_non_null(out);
		n = cpm_cpim_print(&a, out, (int)strlen(vec[k]) + 64);
		assert_true(n > 0);
		assert_int_equal(cpm_cpim_print(&a, out, n - 1), -ENOSPC);
		assert_int_equal(cpm_cpim_print(&a, out, n), n);
		assert_int_equal(cpm_cpim_parse(out, n, &b, NULL), 0);
		assert_same(&a, &b);
		free(out);
		free(keep);
	}
}

static void t_print_errors(void **state)
{
	cpm_cpim_t m;
	char out[256];

	memset(&m, 0, sizeof(m));
	m.nhdr = 1;
	m.hdr[0].name.s = "From";
	m.hdr[0].name.len = 4;
	m.hdr[0].value.s = "<sip:a@b>";
	m.hdr[0].value.len = 9;
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), 21);
	assert_string_equal(out, "From: <sip:a@b>\r\n\r\n\r\n");
	m.hdr[0].value.s = "a\r\nEvil: 1";
	m.hdr[0].value.len = 10;
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), -EINVAL);
	m.hdr[0].value.s = " a";
	m.hdr[0].value.len = 2;
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), -EINVAL);
	m.hdr[0].value.s = "a";
	m.hdr[0].value.len = 1;
	m.hdr[0].name.s = "Fr om";
	m.hdr[0].name.len = 5;
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), -EINVAL);
	m.hdr[0].name.s = "imdn.";
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), -EINVAL);
	m.hdr[0].name.s = "From";
	m.hdr[0].name.len = 4;
	m.hdr[0].params.s = "lang=fr";
	m.hdr[0].params.len = 7;
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), -EINVAL);
	m.hdr[0].params.len = 0;
	m.nmime = 1;
	m.mime[0].name.s = "Content-Type";
	m.mime[0].name.len = 12;
	m.mime[0].value.s = "a\r\nb";
	m.mime[0].value.len = 4;
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), -EINVAL);
	m.mime[0].value.s = "a\r\n b";
	m.mime[0].value.len = 5;
	assert_int_equal(cpm_cpim_print(&m, out, sizeof(out)), 34);
	assert_string_equal(out, "From: a\r\n\r\nContent-Type: a\r\n b\r\n\r\n");
}

/* the negative-delivery IMDN wrapper (RFC 5438 7.2.1.1) */
static void t_build_notification(void **state)
{
	static const char want[] =
			"From: <sip:bob@example.net>\r\n"
			"To: <sip:alice@example.net>\r\n"
			"NS: imdn <urn:ietf:params:imdn>\r\n"
			"imdn.Message-ID: n1Xq\r\n"
			"DateTime: 2026-11-25T19:50:21Z\r\n"
			"\r\n"
			"Content-Type: message/imdn+xml\r\n"
			"Content-Disposition: notification\r\n"
			"Content-Length: 5\r\n"
			"\r\n"
			"<x/>\n";
	cpm_cpim_notif_t n = {{"sip:bob@example.net", 19},
			{"sip:alice@example.net", 21}, {"n1Xq", 4},
			{"2026-11-25T19:50:21Z", 20}, {"<x/>\n", 5}};
	cpm_cpim_t m;
	cpm_str_t d, u;
	char out[512];
	int len = (int)sizeof(want) - 1;

	assert_int_equal(cpm_cpim_build_notification(&n, out, len - 1), -ENOSPC);
	assert_int_equal(cpm_cpim_build_notification(&n, out, len), len);
	assert_memory_equal(out, want, len);
	assert_int_equal(cpm_cpim_build_notification(&n, out, sizeof(out)), len);
	assert_string_equal(out, want);
	assert_int_equal(cpm_cpim_parse(out, len, &m, NULL), 0);
	assert_view(cpm_cpim_imdn_message_id(&m), "n1Xq");
	assert_int_equal(cpm_cpim_addr(cpm_cpim_from(&m)->s, cpm_cpim_from(&m)->len,
							 &d, &u),
			0);
	assert_int_equal(d.len, 0);
	assert_view(&u, "sip:bob@example.net");
	assert_view(&m.content, "<x/>\n");
	/* what cannot be carried */
	n.from.s = "sip:bob@x>\r\nEvil: 1";
	n.from.len = 19;
	assert_int_equal(cpm_cpim_build_notification(&n, out, sizeof(out)), -EINVAL);
	n.from.s = "sip:bob@example.net";
	n.from.len = 19;
	n.message_id.s = "a b";
	n.message_id.len = 3;
	assert_int_equal(cpm_cpim_build_notification(&n, out, sizeof(out)), -EINVAL);
	n.message_id.len = 0;
	assert_int_equal(cpm_cpim_build_notification(&n, out, sizeof(out)), -EINVAL);
	n.message_id.s = "n1Xq";
	n.message_id.len = 4;
	n.xml.len = 0;
	assert_int_equal(cpm_cpim_build_notification(&n, out, sizeof(out)), -EINVAL);
}

static void t_type_is(void **state)
{
	static const struct {
		const char *ct;
		int is;
	} v[] = {
			{"message/imdn+xml", 1},
			{"Message/IMDN+XML", 1},
			{" message/imdn+xml ; charset=utf-8", 1},
			{"message/imdn+xml;charset=utf-8", 1},
			{"message/imdn+xmlx", 0},
			{"message/imdn", 0},
			{"text/plain", 0},
			{"", 0},
			{";message/imdn+xml", 0},
	};
	cpm_str_t ct;
	int k;

	for(k = 0; k < (int)(sizeof(v) / sizeof(v[0])); k++) {
		ct.len = (int)strlen(v[k].ct);
		ct.s = dup_exact(v[k].ct, ct.len);
		if(cpm_cpim_type_is(&ct, "message/imdn+xml") != v[k].is) {
			fprintf(stderr, "# \"%s\"\n", v[k].ct);
			fail();
		}
		free((char *)ct.s);
	}
	assert_false(cpm_cpim_type_is(NULL, "message/imdn+xml"));
}

static void t_addr_datetime(void **state)
{
	static const struct {
		const char *in, *d, *u;
	} ok[] = {
			{"\"Alice \\\"A\\\"\" <sip:a@b>", "Alice \\\"A\\\"", "sip:a@b"},
			{"Alice Smith <sip:a@b> ", "Alice Smith", "sip:a@b"},
			{"<tel:+15551234567>", "", "tel:+15551234567"},
	};
	static const char *bad[] = {"sip:a@b", "<>", "<sip:a@b> x", "\"A <sip:a@b>",
			"\"A\" x <sip:a@b>", "<sip:a@b"};
	cpm_str_t d, u;
	char buf[32];
	int k;

	for(k = 0; k < 3; k++) {
		char *p = dup_exact(ok[k].in, (int)strlen(ok[k].in));
		assert_int_equal(cpm_cpim_addr(p, (int)strlen(ok[k].in), &d, &u), 0);
		assert_view(&d, ok[k].d);
		assert_view(&u, ok[k].u);
		free(p);
	}
	for(k = 0; k < 6; k++) {
		char *p = dup_exact(bad[k], (int)strlen(bad[k]));
		assert_int_equal(cpm_cpim_addr(p, (int)strlen(bad[k]), &d, &u), -EBADMSG);
		free(p);
	}
	assert_int_equal(cpm_cpim_fmt_datetime(0, buf, sizeof(buf)), 20);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(cpm_cpim_fmt_datetime(1795636221LL, buf, 21), 20);
	assert_string_equal(buf, "2026-11-25T19:50:21Z");
	assert_int_equal(cpm_cpim_fmt_datetime(0, buf, 20), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_rfc3862),
		cmocka_unit_test(t_rcsjta),
		cmocka_unit_test(t_up_base64),
		cmocka_unit_test(t_linphone_and_imdn),
		cmocka_unit_test(t_namespaces),
		cmocka_unit_test(t_lenient),
		cmocka_unit_test(t_errors),
		cmocka_unit_test(t_limits),
		cmocka_unit_test(t_roundtrip),
		cmocka_unit_test(t_print_errors),
		cmocka_unit_test(t_build_notification),
		cmocka_unit_test(t_type_is),
		cmocka_unit_test(t_addr_datetime),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
