/*
 * lib/cpm_multipart.c (RFC 2046 5.1 multipart/mixed): the bodies real
 * clients send (rcsjta: unquoted boundary, per-part Content-Length after
 * Content-Disposition, no CRLF after the close delimiter; UP: quoted
 * boundary, preamble, epilogue, padding), every refusal, the printer and its
 * round trip, and property tests: random parts printed by a serializer of
 * this file in random client styles parse back equal; mutations are split
 * as a line-based reference model of the ABNF says, never crash or leak,
 * and whatever parses prints and parses back the same.
 */
#define FUZZ_SEED 0x2046ull
#include "cpm_prop.h"

#include <errno.h>

#include "../../lib/cpm_multipart.h"

#define assert_view(v, lit)                                   \
	do {                                                      \
		const cpm_str_t *v_ = (v);                            \
		assert_int_equal(v_->len, (int)strlen(lit));          \
		assert_memory_equal(v_->s, lit, strlen(lit));         \
	} while(0)

static cpm_mp_part_t pt[CPM_MP_MAX_PARTS];
static char *heap; /* the exact-size copy of the last parse() */

/* parse from an exact-size heap copy (valgrind sees any over-read); the
 * copy lives until the next parse() so the views stay valid */
static int parse_n(const char *s, int len, const char *b, int max)
{
	free(heap);
	heap = malloc(len ? len : 1);
	assert_non_null(heap);
	memcpy(heap, s, len);
	return cpm_mp_parse(heap, len, b, (int)strlen(b), pt, max);
}

static int parse(const char *s, const char *b)
{
	return parse_n(s, (int)strlen(s), b, CPM_MP_MAX_PARTS);
}

/* rcsjta's group chat INVITE body (ChatUtils / SipUtils: unquoted boundary,
 * Content-Length after Content-Disposition, nothing after "--") */
static const char rcsjta[] =
		"--boundary1\r\n"
		"Content-Type: application/sdp\r\n"
		"Content-Length: 22\r\n"
		"\r\n"
		"v=0\r\nm=message 9 TCP/MSRP *"
		"\r\n--boundary1\r\n"
		"Content-Type: application/resource-lists+xml\r\n"
		"Content-Disposition: recipient-list\r\n"
		"Content-Length: 10\r\n"
		"\r\n"
		"<list/>\r\n\r\n"
		"\r\n--boundary1--";

static void t_rcsjta(void **state)
{
	cpm_str_t b;
	const char ct[] = "multipart/mixed;boundary=boundary1";

	assert_int_equal(cpm_mp_boundary(ct, sizeof(ct) - 1, &b), 0);
	assert_view(&b, "boundary1");
	assert_int_equal(parse(rcsjta, "boundary1"), 2);
	assert_view(&pt[0].content_type, "application/sdp");
	assert_view(&pt[0].body, "v=0\r\nm=message 9 TCP/MSRP *");
	assert_int_equal(pt[0].content_length, 22);
	assert_int_equal(pt[0].disposition.len, 0);
	assert_view(&pt[0].headers,
			"Content-Type: application/sdp\r\nContent-Length: 22\r\n");
	assert_view(&pt[1].content_type, "application/resource-lists+xml");
	assert_view(&pt[1].disposition, "recipient-list");
	assert_view(&pt[1].body, "<list/>\r\n\r\n");
	assert_int_equal(pt[1].content_length, 10);
	assert_int_equal(cpm_mp_find_type(pt, 2, "APPLICATION/SDP"), 0);
	assert_int_equal(cpm_mp_find_disposition(pt, 2, "recipient-list"), 1);
	assert_int_equal(cpm_mp_find_type(pt, 2, "message/cpim"), -ENOENT);
}

/* a UP client: quoted boundary with "=" and ".", preamble, transport
 * padding, Content-Length before Content-Disposition, Content-ID,
 * base64 transfer encoding, folded header, epilogue */
static const char up[] =
		"This is a multi-part message in MIME format.\r\n"
		"--=_Part_0.1  \r\n"
		"content-type: application/resource-lists+xml; charset=UTF-8\r\n"
		"Content-Length: 5\r\n"
		"Content-Disposition: recipient-list;\r\n handling=required\r\n"
		"Content-ID: <list@ue.example>\r\n"
		"\r\n"
		"<x/>\n"
		"\r\n--=_Part_0.1\t\r\n"
		"Content-Type: message/cpim\r\n"
		"Content-Transfer-Encoding: base64\r\n"
		"\r\n"
		"RnJvbTogPHNpcDphQGI+\r\n"
		"\r\n--=_Part_0.1--  \r\n"
		"epilogue\r\n";

static void t_up(void **state)
{
	cpm_str_t b, pre, epi;
	const char ct[] =
			"Multipart/Mixed ; charset=\"x;y\"; BOUNDARY=\"=_Part_0.1\" ";
	int n;

	assert_int_equal(cpm_mp_boundary(ct, sizeof(ct) - 1, &b), 0);
	assert_view(&b, "=_Part_0.1");
	free(heap);
	heap = malloc(sizeof(up) - 1);
	memcpy(heap, up, sizeof(up) - 1);
	n = cpm_mp_parse_ex(heap, sizeof(up) - 1, "=_Part_0.1", 10, pt,
			CPM_MP_MAX_PARTS, &pre, &epi);
	assert_int_equal(n, 2);
	assert_view(&pre, "This is a multi-part message in MIME format.");
	assert_view(&epi, "  \r\nepilogue\r\n");
	assert_view(&pt[0].content_type, "application/resource-lists+xml");
	assert_view(&pt[0].content_type_value,
			"application/resource-lists+xml; charset=UTF-8");
	assert_view(&pt[0].disposition, "recipient-list");
	assert_view(&pt[0].disposition_value, "recipient-list;\r\n handling=required");
	assert_view(&pt[0].content_id, "list@ue.example");
	assert_int_equal(pt[0].content_length, 5);
	assert_view(&pt[0].body, "<x/>\n");
	assert_view(&pt[1].transfer_encoding, "base64");
	assert_view(&pt[1].encoding, "base64");
	assert_int_equal(pt[1].content_encoding.len, 0);
	assert_int_equal(pt[1].content_length, -1);
	assert_view(&pt[1].body, "RnJvbTogPHNpcDphQGI+\r\n");
}

/* linphone: a deflate-encoded list; a body line that starts with the
 * boundary but is no delimiter line stays in the body; a part without
 * headers; a part without blank line and body */
static void t_edges(void **state)
{
	static const char s[] =
			"--b\r\n"
			"Content-Type: application/resource-lists+xml\r\n"
			"Content-Encoding: deflate\r\n"
			"\r\n"
			"x\r\n--bb\r\n--b -\r\n--b-x\r\n"
			"\r\n--b\r\n"
			"\r\n"
			"no headers"
			"\r\n--b\r\n"
			"Content-Type: text/plain\r\n"
			"\r\n--b\r\n"
			"\r\n--b--";

	assert_int_equal(parse(s, "b"), 4);
	assert_view(&pt[0].encoding, "deflate");
	assert_view(&pt[0].content_encoding, "deflate");
	assert_view(&pt[0].body, "x\r\n--bb\r\n--b -\r\n--b-x\r\n");
	assert_int_equal(pt[1].headers.len, 0);
	assert_view(&pt[1].body, "no headers");
	assert_view(&pt[2].content_type, "text/plain");
	assert_int_equal(pt[2].body.len, 0);
	assert_int_equal(pt[3].headers.len, 0);
	assert_int_equal(pt[3].body.len, 0);
}

static void t_boundary_refused(void **state)
{
	static const struct {
		const char *ct;
		int rc;
	} v[] = {
			{"application/sdp", -EINVAL},
			{"multipart", -EINVAL},
			{"multipart/mixed", -ENOENT},
			{"multipart/mixed; charset=utf-8", -ENOENT},
			{"multipart/mixed; boundary=", -EBADMSG},
			{"multipart/mixed; boundary=\"\"", -EBADMSG},
			{"multipart/mixed; boundary=\"ab \"", -EBADMSG},
			{"multipart/mixed; boundary=\"a\\b\"", -EBADMSG},
			{"multipart/mixed; boundary=\"abc", -EBADMSG},
			{"multipart/mixed; boundary=a; boundary=b", -EBADMSG},
			{"multipart/mixed; boundary=ab@c", -EBADMSG},
			{"multipart/mixed x", -EBADMSG},
			{"multipart/mixed; =x", -EBADMSG},
			{"multipart/mixed; boundary=01234567890123456789012345678901234"
			 "567890123456789012345678901234567890",
					-EBADMSG}, /* 71 */
			{"multipart/mixed; boundary=\"a b\"", 0},
			{"multipart/related;type=\"application/sdp\";boundary=x", 0},
			{"multipart/mixed; boundary=01234567890123456789012345678901234"
			 "56789012345678901234567890123456789",
					0}, /* 70 */
	};
	cpm_str_t b;
	int i;

	for(i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++) {
		int rc = cpm_mp_boundary(v[i].ct, (int)strlen(v[i].ct), &b);
		if(rc != v[i].rc)
			fail_msg("%s: %d, want %d", v[i].ct, rc, v[i].rc);
	}
	assert_int_equal(cpm_mp_boundary(NULL, 3, &b), -EINVAL);
}

static void t_refused(void **state)
{
	static const struct {
		const char *body;
		int rc;
	} v[] = {
			/* truncated: no close delimiter */
			{"--b\r\nContent-Type: a/b\r\n\r\nx\r\n--b\r\n\r\ny", -EBADMSG},
			{"--b\r\nContent-Type: a/b\r\n\r\nx", -EBADMSG},
			/* no opening delimiter at all */
			{"Content-Type: a/b\r\n\r\nx\r\n", -EBADMSG},
			/* a close delimiter first: no parts */
			{"--b--\r\n", -EBADMSG},
			/* the opening delimiter without CRLF */
			{"--b", -EBADMSG},
			/* LF-only line ends (see cpm_multipart.h) */
			{"--b\nContent-Type: a/b\n\nx\n--b--\n", -EBADMSG},
			{"--b\r\nContent-Type: a/b\n\r\nx\r\n--b--", -EBADMSG},
			/* a bare CR in a header */
			{"--b\r\nContent-Type: a/b\rX: y\r\n\r\nx\r\n--b--", -EBADMSG},
			/* not a header line */
			{"--b\r\nnot a header\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\n folded first: x\r\n\r\nx\r\n--b--", -EBADMSG},
			/* last header line without CRLF before the delimiter */
			{"--b\r\nContent-Type: a/b\r\n--b--", -EBADMSG},
			/* duplicates that two readers could read differently */
			{"--b\r\nContent-Type: a/b\r\ncontent-type: c/d\r\n\r\nx\r\n--b--",
					-EBADMSG},
			{"--b\r\nContent-Disposition: render\r\nContent-Disposition: "
			 "recipient-list\r\n\r\nx\r\n--b--",
					-EBADMSG},
			{"--b\r\nContent-ID: <a>\r\nContent-ID: <b>\r\n\r\nx\r\n--b--",
					-EBADMSG},
			{"--b\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx\r\n--b--",
					-EBADMSG},
			/* broken values */
			{"--b\r\nContent-Type: text\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-Type: text/\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-Type: text/plain x\r\n\r\nx\r\n--b--", 1},
			{"--b\r\nContent-Type: text/pl@in\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-Disposition: \r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-ID: <>\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-ID: <a\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-Length: 1x\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-Length: 1234567890\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nContent-Length: -1\r\n\r\nx\r\n--b--", -EBADMSG},
			{"--b\r\nX: a\x01\r\n\r\nx\r\n--b--", -EBADMSG},
			/* the body may hold anything, NUL and CTL included */
			{"--b\r\n\r\n\x01\x00\x7f\r\n--b--", 1},
	};
	int i, rc, len;

	for(i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++) {
		len = (int)strlen(v[i].body);
		if(i == (int)(sizeof(v) / sizeof(v[0])) - 1)
			len = 17; /* the NUL inside */
		rc = parse_n(v[i].body, len, "b", CPM_MP_MAX_PARTS);
		if(rc != v[i].rc)
			fail_msg("case %d: %d, want %d", i, rc, v[i].rc);
	}
	/* more parts than the caller's array */
	assert_int_equal(parse_n(rcsjta, sizeof(rcsjta) - 1, "boundary1", 1),
			-E2BIG);
	assert_int_equal(parse_n(rcsjta, sizeof(rcsjta) - 1, "boundary1", 2), 2);
	/* another boundary: the body has no delimiter of it */
	assert_int_equal(parse(rcsjta, "boundary"), -EBADMSG);
	assert_int_equal(parse(rcsjta, "oundary1"), -EBADMSG);
	assert_int_equal(cpm_mp_parse(NULL, 3, "b", 1, pt, 1), -EINVAL);
	assert_int_equal(cpm_mp_parse("--b", 3, "b ", 2, pt, 1), -EINVAL);
	assert_int_equal(cpm_mp_parse("--b", 3, "b", 1, pt, 0), -EINVAL);
}

/* the CF's INVITE body to an invitee, from fields */
static void t_print(void **state)
{
	static char out[1024];
	cpm_mp_part_t p[2];
	static const char sdp[] = "v=0\r\nm=message 9 TCP/MSRP *\r\n";
	static const char rl[] = "<resource-lists/>";
	static const char want[] =
			"--cpm-b1\r\n"
			"Content-Type: application/sdp\r\n"
			"\r\n"
			"v=0\r\nm=message 9 TCP/MSRP *\r\n"
			"\r\n--cpm-b1\r\n"
			"Content-Type: application/resource-lists+xml\r\n"
			"Content-Disposition: recipient-list\r\n"
			"Content-ID: <l1@cf>\r\n"
			"Content-Encoding: deflate\r\n"
			"Content-Length: 17\r\n"
			"\r\n"
			"<resource-lists/>"
			"\r\n--cpm-b1--\r\n";
	int n;

	memset(p, 0, sizeof(p));
	p[0].content_type.s = "application/sdp";
	p[0].content_type.len = 15;
	p[0].body.s = sdp;
	p[0].body.len = sizeof(sdp) - 1;
	p[0].content_length = -1;
	p[1].content_type.s = "application/resource-lists+xml";
	p[1].content_type.len = 30;
	p[1].disposition.s = "recipient-list";
	p[1].disposition.len = 14;
	p[1].content_id.s = "l1@cf";
	p[1].content_id.len = 5;
	p[1].encoding.s = "deflate";
	p[1].encoding.len = 7;
	p[1].body.s = rl;
	p[1].body.len = sizeof(rl) - 1;
	p[1].content_length = 17;
	n = cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out));
	assert_int_equal(n, (int)sizeof(want) - 1);
	assert_string_equal(out, want);
	/* measuring, and too small */
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, NULL, 0), -ENOSPC);
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, n - 1), -ENOSPC);
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, n), n);
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, n + 1), n);
	/* round trip */
	assert_int_equal(parse(out, "cpm-b1"), 2);
	assert_view(&pt[0].body, "v=0\r\nm=message 9 TCP/MSRP *\r\n");
	assert_view(&pt[1].content_id, "l1@cf");
	assert_view(&pt[1].encoding, "deflate");
	assert_int_equal(pt[1].content_length, 17);
	/* refused: a body with a delimiter line, at the start, inside, at the
	 * end (the printer's CRLF completes it) */
	p[0].body.s = "--cpm-b1\r\nx";
	p[0].body.len = 11;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[0].body.s = "x\r\n--cpm-b1--";
	p[0].body.len = 13;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[0].body.s = "x\r\n--cpm-b1 \t";
	p[0].body.len = 13;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	/* but "--cpm-b1x" and "--cpm-b1-" (then the printer's CRLF) are no
	 * delimiter lines: fine */
	p[0].body.s = "x\r\n--cpm-b1-";
	p[0].body.len = 12;
	assert_true(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)) > 0);
	p[0].body.s = "x\r\n--cpm-b1x";
	p[0].body.len = 12;
	assert_true(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)) > 0);
	/* a field that would not parse back */
	p[1].content_type.s = "application";
	p[1].content_type.len = 11;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[1].content_type.s = "a/b\r\nX: y";
	p[1].content_type.len = 9;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[1].content_type.s = "a/b";
	p[1].content_type.len = 3;
	p[1].content_id.s = "<x>";
	p[1].content_id.len = 3;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[1].content_id.len = 0;
	/* verbatim headers: must be CRLF-terminated lines that parse */
	p[1].headers.s = "Content-Type: a/b";
	p[1].headers.len = 17;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[1].headers.s = "Content-Type: a/b\r\n\r\nX: y\r\n";
	p[1].headers.len = 27;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[1].headers.s = "--cpm-b1--: x\r\n";
	p[1].headers.len = 15;
	assert_int_equal(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)), -EINVAL);
	p[1].headers.s = "--cpm-b1x: x\r\n";
	p[1].headers.len = 14;
	assert_true(cpm_mp_print(p, 2, "cpm-b1", 6, out, sizeof(out)) > 0);
	assert_int_equal(cpm_mp_print(p, 2, "cpm b1 ", 7, out, sizeof(out)), -EINVAL);
}

/* print(parse(x)) parses to the same parts for the client bodies */
static int same_parts(const cpm_mp_part_t *a, const cpm_mp_part_t *b, int n)
{
	int i;
#define SAME(f) \
	(a[i].f.len == b[i].f.len && memcmp(a[i].f.s, b[i].f.s, a[i].f.len) == 0)
	for(i = 0; i < n; i++)
		if(!SAME(headers) || !SAME(body) || !SAME(content_type)
				|| !SAME(disposition) || !SAME(content_id) || !SAME(encoding)
				|| !SAME(content_type_value) || !SAME(disposition_value)
				|| !SAME(content_encoding) || !SAME(transfer_encoding)
				|| a[i].content_length != b[i].content_length)
			return 0;
#undef SAME
	return 1;
}

static void t_roundtrip_fixed(void **state)
{
	static char out[2048];
	static cpm_mp_part_t a[CPM_MP_MAX_PARTS];
	int n, m;

	n = parse(rcsjta, "boundary1");
	memcpy(a, pt, sizeof(a));
	{
		char *keep = heap; /* a's views point into it */
		heap = NULL;
		m = cpm_mp_print(a, n, "boundary1", 9, out, sizeof(out));
		assert_true(m > 0);
		assert_int_equal(parse(out, "boundary1"), n);
		assert_true(same_parts(a, pt, n));
		free(keep);
	}
	n = parse(up, "=_Part_0.1");
	memcpy(a, pt, sizeof(a));
	{
		char *keep = heap;
		heap = NULL;
		m = cpm_mp_print(a, n, "=_Part_0.1", 10, out, sizeof(out));
		assert_true(m > 0);
		assert_int_equal(parse(out, "=_Part_0.1"), n);
		assert_true(same_parts(a, pt, n));
		free(keep);
	}
}

/* ---- property tests -------------------------------------------------------- */

#define MAXDOC 8192
typedef struct sb {
	char b[MAXDOC];
	int n;
} sb_t;

static void sb_put(sb_t *s, const char *p, int len)
{
	if(len > MAXDOC - s->n)
		len = MAXDOC - s->n;
	if(len > 0)
		memcpy(s->b + s->n, p, len);
	if(len > 0)
		s->n += len;
}
static void sb_str(sb_t *s, const char *p)
{
	sb_put(s, p, (int)strlen(p));
}

/*
 * Reference model (RFC 2046 5.1.1, line by line, written from the ABNF and
 * not from the library): lines are the text between CRLFs; a line is a
 * close delimiter line when it starts with "--" b "--", a delimiter line
 * when it is "--" b *(SP / HTAB) and ends in CRLF.  The parts are the
 * text between successive delimiter lines (without the CRLF before the
 * next one).  Returns the number of parts and their [start, end) offsets,
 * -1 when there is no opening delimiter line, it is a close one, or no
 * close delimiter line follows.
 */
static int ref_split(const char *s, int len, const char *b, int st[][2], int max)
{
	int blen = (int)strlen(b), ls = 0, le, k, n = -1, open = 0, cstart = 0;

	while(ls <= len) {
		for(le = ls; le + 1 < len && !(s[le] == '\r' && s[le + 1] == '\n'); le++)
			;
		if(le + 1 >= len)
			le = len; /* the last line, without CRLF */
		/* [ls, le) is a line */
		if(le - ls >= 2 + blen && s[ls] == '-' && s[ls + 1] == '-'
				&& memcmp(s + ls + 2, b, blen) == 0) {
			k = ls + 2 + blen;
			if(le - k >= 2 && s[k] == '-' && s[k + 1] == '-') {
				if(!open)
					return -1;
				if(n < max) {
					st[n][0] = cstart;
					st[n][1] = ls - 2;
				}
				return n + 1;
			}
			while(k < le && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if(k == le && le < len) {
				if(open) {
					if(n < max) {
						st[n][0] = cstart;
						st[n][1] = ls - 2;
					}
				}
				n++;
				open = 1;
				cstart = le + 2;
			}
		}
		if(le >= len)
			break;
		ls = le + 2;
	}
	return -1;
}

static const char *const ctypes[] = {"application/sdp",
		"application/resource-lists+xml", "message/cpim", "text/plain"};
static const char *const disps[] = {"recipient-list", "render", "session",
		"notification"};

/* a random body over octets that make delimiter-like lines */
static int rbody(char *p, int max, const char *b)
{
	static const char alpha[] = "-\r\n \tax<>=";
	int n = (int)rn(max), i;

	for(i = 0; i < n; i++) {
		if(chance(5) && i + 2 + (int)strlen(b) < n) {
			memcpy(p + i, "--", 2);
			memcpy(p + i + 2, b, strlen(b));
			i += 1 + (int)strlen(b);
			continue;
		}
		p[i] = alpha[rn(sizeof(alpha) - 1)];
	}
	return n;
}

static const char *const bounds[] = {"b", "boundary1", "=_Part_0.1",
		"cpm-2a3f", "a b", "----=_NextPart_000"};

/* a printed body of random parts in a random client style, the parts
 * expected in exp[] */
typedef struct gen {
	cpm_mp_part_t exp[CPM_MP_MAX_PARTS];
	int ctype[CPM_MP_MAX_PARTS], disp[CPM_MP_MAX_PARTS];
	int clen[CPM_MP_MAX_PARTS];
	char bodies[CPM_MP_MAX_PARTS][128];
	int blen[CPM_MP_MAX_PARTS];
	int end[CPM_MP_MAX_PARTS]; /* offset after each body in the output */
	int n;
	const char *b;
} gen_t;

static int gen(gen_t *g, sb_t *s)
{
	int i, k, ok = 1;
	char tmp[64];

	memset(g, 0, sizeof(*g));
	s->n = 0;
	g->b = bounds[rn(sizeof(bounds) / sizeof(bounds[0]))];
	g->n = 1 + (int)rn(CPM_MP_MAX_PARTS);
	if(chance(30))
		sb_str(s, chance(50) ? "preamble text\r\n" : "\r\n");
	for(i = 0; i < g->n; i++) {
		g->ctype[i] = chance(80) ? (int)rn(4) : -1;
		g->disp[i] = chance(50) ? (int)rn(4) : -1;
		g->clen[i] = chance(50) ? (int)rn(1000) : -1;
		g->blen[i] = rbody(g->bodies[i], 100, g->b);
		sb_str(s, i == 0 ? "--" : "\r\n--");
		sb_str(s, g->b);
		for(k = (int)rn(3); k > 0; k--)
			sb_str(s, chance(50) ? " " : "\t");
		sb_str(s, "\r\n");
		/* header order: Content-Length before or after the disposition */
		if(g->clen[i] >= 0 && chance(50)) {
			snprintf(tmp, sizeof(tmp), "Content-Length: %d\r\n", g->clen[i]);
			sb_str(s, tmp);
			g->clen[i] += 100000; /* written already */
		}
		if(g->ctype[i] >= 0) {
			sb_str(s, chance(50) ? "Content-Type: " : "content-TYPE:");
			sb_str(s, ctypes[g->ctype[i]]);
			sb_str(s, chance(30) ? ";charset=UTF-8\r\n" : "\r\n");
		}
		if(g->disp[i] >= 0) {
			sb_str(s, "Content-Disposition: ");
			sb_str(s, disps[g->disp[i]]);
			sb_str(s, "\r\n");
		}
		if(g->clen[i] >= 0 && g->clen[i] < 100000) {
			snprintf(tmp, sizeof(tmp), "Content-Length:%d\r\n", g->clen[i]);
			sb_str(s, tmp);
		}
		if(g->clen[i] >= 100000)
			g->clen[i] -= 100000;
		if(chance(20))
			sb_str(s, "X-Other: a\r\n\tfolded\r\n");
		sb_str(s, "\r\n");
		sb_put(s, g->bodies[i], g->blen[i]);
		g->end[i] = s->n;
	}
	sb_str(s, "\r\n--");
	sb_str(s, g->b);
	sb_str(s, "--");
	if(chance(50))
		sb_str(s, chance(50) ? "\r\n" : " \r\nepilogue\r\n--x");
	/* bodies that hold a delimiter line are not what a client sends:
	 * the model tells them */
	{
		int st[CPM_MP_MAX_PARTS + 1][2];
		int rn_ = ref_split(s->b, s->n, g->b, st, CPM_MP_MAX_PARTS + 1);
		if(rn_ != g->n)
			ok = 0;
		for(i = 0; ok && i < g->n; i++)
			if(st[i][1] != g->end[i])
				ok = 0;
	}
	return ok;
}

static void check_gen(const gen_t *g, int n)
{
	int i;

	CHECK(n == g->n, "parts %d, want %d", n, g->n);
	for(i = 0; i < n; i++) {
		CHECK(pt[i].body.len == g->blen[i]
						&& memcmp(pt[i].body.s, g->bodies[i], g->blen[i]) == 0,
				"part %d body", i);
		if(g->ctype[i] >= 0)
			CHECK(pt[i].content_type.len == (int)strlen(ctypes[g->ctype[i]])
							&& memcmp(pt[i].content_type.s, ctypes[g->ctype[i]],
									   pt[i].content_type.len)
									   == 0,
					"part %d type", i);
		else
			CHECK(pt[i].content_type.len == 0, "part %d type", i);
		if(g->disp[i] >= 0)
			CHECK(pt[i].disposition.len == (int)strlen(disps[g->disp[i]]),
					"part %d disposition", i);
		else
			CHECK(pt[i].disposition.len == 0, "part %d disposition", i);
		CHECK(pt[i].content_length == g->clen[i], "part %d length", i);
	}
}

/* random parts in random client styles parse to what was written; the
 * printer's output of the parse parses back the same */
static void t_prop_generated(void **state)
{
	static gen_t g;
	static sb_t s;
	static char out[2 * MAXDOC];
	static cpm_mp_part_t a[CPM_MP_MAX_PARTS];
	int it, n, m;
	char *keep;

	begin("generated", 1);
	for(it = 0; it < iters(3000); it++) {
		g_iter = it;
		if(!gen(&g, &s)) {
			ST(1);
			continue;
		}
		g_in = s.b;
		g_inlen = s.n;
		n = parse_n(s.b, s.n, g.b, CPM_MP_MAX_PARTS);
		check_gen(&g, n);
		memcpy(a, pt, sizeof(a));
		keep = heap;
		heap = NULL;
		m = cpm_mp_print(a, n, g.b, (int)strlen(g.b), out, sizeof(out));
		CHECK(m > 0, "print: %d", m);
		CHECK(parse_n(out, m, g.b, CPM_MP_MAX_PARTS) == n, "reparse");
		CHECK(same_parts(a, pt, n), "round trip differs");
		/* and with fields only (no verbatim headers) */
		{
			int i;
			for(i = 0; i < n; i++) {
				a[i].headers.len = 0;
				a[i].headers.s = NULL;
			}
			m = cpm_mp_print(a, n, g.b, (int)strlen(g.b), out, sizeof(out));
			CHECK(m > 0, "print from fields: %d", m);
			CHECK(parse_n(out, m, g.b, CPM_MP_MAX_PARTS) == n, "reparse");
			for(i = 0; i < n; i++)
				CHECK(pt[i].body.len == a[i].body.len
								&& memcmp(pt[i].body.s, a[i].body.s,
										   a[i].body.len)
										   == 0
								&& pt[i].content_type.len
										   == a[i].content_type.len
								&& pt[i].content_length == a[i].content_length
								&& pt[i].disposition_value.len
										   == a[i].disposition_value.len,
						"fields round trip, part %d", i);
		}
		free(keep);
		ST(0);
	}
	stats("round trips %d, skipped (delimiter in body) %d", g_st[0], g_st[1]);
}

/* mutations: the split agrees with the reference model, errors are the
 * documented ones, whatever parses prints and parses back equal */
static void t_prop_mutations(void **state)
{
	static gen_t g;
	static sb_t s;
	static char out[2 * MAXDOC];
	static cpm_mp_part_t a[CPM_MP_MAX_PARTS];
	static const char hot[] = "-\r\n \t:;<>b";
	int st[CPM_MP_MAX_PARTS + 1][2];
	int it, k, n, m, r, at, i;
	char *keep;

	begin("mutations", 2);
	for(it = 0; it < iters(6000); it++) {
		g_iter = it;
		gen(&g, &s);
		for(k = 1 + (int)rn(3); k > 0 && s.n > 0; k--) {
			at = (int)rn(s.n);
			switch(rn(4)) {
			case 0:
				s.b[at] = chance(70) ? hot[rn(sizeof(hot) - 1)] : (char)rn(256);
				break;
			case 1:
				if(s.n < MAXDOC) {
					memmove(s.b + at + 1, s.b + at, s.n - at);
					s.b[at] = hot[rn(sizeof(hot) - 1)];
					s.n++;
				}
				break;
			case 2:
				memmove(s.b + at, s.b + at + 1, s.n - at - 1);
				s.n--;
				break;
			default:
				s.n = at; /* truncate */
			}
		}
		g_in = s.b;
		g_inlen = s.n;
		r = ref_split(s.b, s.n, g.b, st, CPM_MP_MAX_PARTS + 1);
		n = parse_n(s.b, s.n, g.b, CPM_MP_MAX_PARTS);
		if(r < 0) {
			CHECK(n == -EBADMSG || (s.n == 0 && n == -EINVAL),
					"model refuses, parse %d", n);
			ST(1);
			continue;
		}
		if(r > CPM_MP_MAX_PARTS) {
			CHECK(n == -E2BIG || n == -EBADMSG, "model %d parts, parse %d", r, n);
			ST(2);
			continue;
		}
		if(n == -EBADMSG) { /* a broken header line in a part */
			ST(3);
			continue;
		}
		CHECK(n == r, "parts %d, model %d", n, r);
		for(i = 0; i < n; i++) {
			CHECK(pt[i].headers.s == heap + st[i][0]
							&& pt[i].body.s + pt[i].body.len == heap + st[i][1],
					"part %d at [%d, %d) in the model", i, st[i][0], st[i][1]);
		}
		memcpy(a, pt, sizeof(a));
		keep = heap;
		heap = NULL;
		m = cpm_mp_print(a, n, g.b, (int)strlen(g.b), out, sizeof(out));
		CHECK(m > 0, "print of parsed: %d", m);
		CHECK(parse_n(out, m, g.b, CPM_MP_MAX_PARTS) == n, "reparse");
		CHECK(same_parts(a, pt, n), "round trip differs");
		free(keep);
		ST(0);
	}
	stats("parsed %d, model refused %d, too many %d, header refused %d",
			g_st[0], g_st[1], g_st[2], g_st[3]);
}

/* random Content-Type values: the boundary found is one the ABNF allows
 * and sits inside the value */
static void t_prop_boundary(void **state)
{
	static const char *const pieces[] = {"multipart/mixed", "Multipart/Related",
			"text/plain", ";", " ", "\t", "boundary=", "BOUNDARY =", "\"",
			"b1", "=_P.0", "a b", "charset=utf-8", "\\", "@", "\r\n ", "x"};
	char v[256];
	cpm_str_t b;
	int it, k, l, rc;

	begin("boundary", 3);
	for(it = 0; it < iters(20000); it++) {
		g_iter = it;
		l = 0;
		for(k = 1 + (int)rn(8); k > 0; k--) {
			const char *p = pieces[rn(sizeof(pieces) / sizeof(pieces[0]))];
			/* mostly the shape of a real value: type, then parameters */
			if(k == 1 && chance(70))
				p = chance(80) ? "b1\"" : "=_P.0";
			else if(l == 0 && chance(80))
				p = pieces[rn(2)];
			else if(chance(40))
				p = chance(50) ? "; boundary=" : ";boundary=\"";
			if(l + (int)strlen(p) < (int)sizeof(v)) {
				memcpy(v + l, p, strlen(p));
				l += (int)strlen(p);
			}
		}
		{
			char *h = malloc(l ? l : 1);
			memcpy(h, v, l);
			g_in = h;
			g_inlen = l;
			rc = cpm_mp_boundary(h, l, &b);
			if(rc == 0) {
				CHECK(b.s >= h && b.s + b.len <= h + l, "view outside");
				CHECK(cpm_mp_boundary_ok(b.s, b.len), "bad boundary taken");
				ST(0);
			} else {
				CHECK(rc == -EINVAL || rc == -ENOENT || rc == -EBADMSG,
						"code %d", rc);
				ST(1);
			}
			free(h);
		}
	}
	stats("found %d, refused %d", g_st[0], g_st[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_rcsjta),
			cmocka_unit_test(t_up),
			cmocka_unit_test(t_edges),
			cmocka_unit_test(t_boundary_refused),
			cmocka_unit_test(t_refused),
			cmocka_unit_test(t_print),
			cmocka_unit_test(t_roundtrip_fixed),
			cmocka_unit_test(t_prop_generated),
			cmocka_unit_test(t_prop_mutations),
			cmocka_unit_test(t_prop_boundary),
	};
	int rc;

	prop_env();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(heap);
	return rc;
}
