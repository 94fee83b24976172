/*
 * cpm_cf: the focus's SDP (cpmcf_sdp_core.c, seed 5.2.1.2, RFC 3264 /
 * 4975 / 6135): parse, print, round trip, answer and offer, bad input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "cpm_cf/cpmcf_sdp_core.h"
#define FUZZ_SEED 0x5d9c0f0cull
#include "cpm_prop.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})

/* rcsjta's group chat offer (client-dialects.md), with an audio stream */
static const char *OFFER =
		"v=0\r\n"
		"o=- 3700000000 3700000000 IN IP4 10.0.0.5\r\n"
		"s=-\r\n"
		"c=IN IP4 10.0.0.5\r\n"
		"t=0 0\r\n"
		"m=audio 49170 RTP/AVP 0\r\n"
		"m=message 9 TCP/MSRP *\r\n"
		"a=accept-types:message/cpim application/im-iscomposing+xml\r\n"
		"a=accept-wrapped-types:text/plain message/imdn+xml\r\n"
		"a=setup:actpass\r\n"
		"a=path:msrp://10.0.0.5:9/abc123;tcp\r\n"
		"a=sendrecv\r\n";

static const cpmcf_focus_t F = {{"192.0.2.1", 9}, 0, 2855, {"cf1p2", 5}, 7};

static int has(const char *buf, int len, const char *line)
{
	char tmp[4096];
	memcpy(tmp, buf, len);
	tmp[len] = 0;
	return strstr(tmp, line) != NULL;
}

static void t_parse(void **state)
{
	cpmcf_sdp_t sdp;

	assert_int_equal(cpmcf_sdp_parse(OFFER, strlen(OFFER), &sdp), 2);
	assert_int_equal(sdp.c_addr.len, 8);
	assert_int_equal(cpmcf_sdp_msrp(&sdp), 1);
	assert_int_equal(sdp.m[1].setup.len, 7);
	assert_memory_equal(sdp.m[1].path.s, "msrp://10.0.0.5:9/abc123;tcp", 28);
	assert_memory_equal(sdp.m[1].fmts.s, "*", 1);
}

static void t_round_trip(void **state)
{
	cpmcf_sdp_t a, b;
	char buf[2048], buf2[2048];
	int n, n2;

	assert_int_equal(cpmcf_sdp_parse(OFFER, strlen(OFFER), &a), 2);
	n = cpmcf_sdp_print(&a, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(cpmcf_sdp_parse(buf, n, &b), 2);
	n2 = cpmcf_sdp_print(&b, buf2, sizeof(buf2));
	assert_int_equal(n, n2);
	assert_memory_equal(buf, buf2, n);
	assert_int_equal(cpmcf_sdp_print(&a, buf, 20), -ENOSPC);
}

static void t_answer_offer(void **state)
{
	cpmcf_sdp_t in;
	char buf[2048];
	int n;

	cpmcf_sdp_parse(OFFER, strlen(OFFER), &in);
	n = cpmcf_sdp_focus(&in, 1, &F, buf, sizeof(buf));
	assert_true(n > 0);
	/* audio refused in place, the chat terminated on the focus */
	assert_true(has(buf, n, "c=IN IP4 192.0.2.1\r\n"));
	assert_true(has(buf, n, "m=audio 0 RTP/AVP 0\r\nm=message 2855 TCP/MSRP *\r\n"));
	assert_true(has(buf, n, "a=accept-types:message/cpim application/im-iscomposing+xml\r\n"));
	assert_true(has(buf, n, "a=accept-wrapped-types:text/plain message/imdn+xml\r\n"));
	assert_true(has(buf, n, "a=setup:passive\r\n"));
	assert_true(has(buf, n, "a=path:msrp://192.0.2.1:2855/cf1p2;tcp\r\n"));
	assert_false(has(buf, n, "10.0.0.5"));
	/* the offer to an invitee: no audio */
	n = cpmcf_sdp_focus(&in, 0, &F, buf, sizeof(buf));
	assert_true(n > 0);
	assert_false(has(buf, n, "m=audio"));
	assert_true(has(buf, n, "m=message 2855 TCP/MSRP *\r\n"));
	/* a passive offerer: the focus connects */
	in.m[1].setup = S("passive");
	n = cpmcf_sdp_focus(&in, 1, &F, buf, sizeof(buf));
	assert_true(has(buf, n, "a=setup:active\r\n"));
	assert_int_equal(cpmcf_sdp_focus(&in, 1, &F, buf, 100), -ENOSPC);
}

/* the focus's own offer (REFER's invitee, the retry after a 422) */
static void t_chat_offer(void **state)
{
	cpmcf_sdp_t in;
	char buf[2048];
	int n;

	assert_int_equal(cpmcf_sdp_chat_offer(&in), 1);
	assert_int_equal(cpmcf_sdp_msrp(&in), 0);
	n = cpmcf_sdp_focus(&in, 0, &F, buf, sizeof(buf));
	assert_true(n > 0);
	assert_true(has(buf, n, "m=message 2855 TCP/MSRP *\r\n"));
	assert_true(has(buf, n, "a=accept-types:message/cpim application/im-iscomposing+xml\r\n"));
	assert_true(has(buf, n, "a=setup:passive\r\n")); /* the focus listens */
	assert_true(has(buf, n, "a=path:msrp://192.0.2.1:2855/cf1p2;tcp\r\n"));
	assert_false(has(buf, n, "0.0.0.0"));
}

static void t_bad(void **state)
{
	cpmcf_sdp_t sdp;
	const char *no_chat = "v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4 RTP/AVP 0\r\n";
	const char *rejected = "v=0\r\nm=message 0 TCP/MSRP *\r\n";
	char buf[512];

	assert_int_equal(cpmcf_sdp_parse("", 0, &sdp), -EBADMSG);
	assert_int_equal(cpmcf_sdp_parse("o=x\r\nv=0\r\n", 10, &sdp), -EBADMSG);
	assert_int_equal(cpmcf_sdp_parse("v=0\r\nnonsense\r\n", 15, &sdp), -EBADMSG);
	assert_int_equal(cpmcf_sdp_parse("v=0\r\nm=message\r\n", 16, &sdp), -EBADMSG);
	assert_int_equal(cpmcf_sdp_parse("v=0\r\nm=message x TCP/MSRP *\r\n", 29, &sdp),
			-EBADMSG);
	assert_int_equal(cpmcf_sdp_parse(no_chat, strlen(no_chat), &sdp), 1);
	assert_int_equal(cpmcf_sdp_focus(&sdp, 1, &F, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(cpmcf_sdp_parse(rejected, strlen(rejected), &sdp), 1);
	assert_int_equal(cpmcf_sdp_msrp(&sdp), -ENOENT);
	{
		char many[1024];
		int i, n = sprintf(many, "v=0\r\n");
		for(i = 0; i < CPMCF_SDP_MAX_M + 1; i++)
			n += sprintf(many + n, "m=audio 1 RTP/AVP 0\r\n");
		assert_int_equal(cpmcf_sdp_parse(many, n, &sdp), -E2BIG);
	}
}

/* property: any input parses or is refused, never read out of bounds; what
 * parses prints and parses again to the same text */
static void t_prop(void **state)
{
	char in[512], buf[4096], buf2[4096];
	cpmcf_sdp_t a, b;
	int len, n, n2, base = strlen(OFFER), ok = 0;

	begin("sdp_round_trip", 1);
	for(g_iter = 0; g_iter < iters(20000); g_iter++) {
		/* the offer with a few octets changed, cut or duplicated */
		len = base;
		memcpy(in, OFFER, len);
		len = prop_mutate(in, len, 6, "\r\n =:/m", 90);
		g_in = in;
		g_inlen = len;
		if(cpmcf_sdp_parse(in, len, &a) < 0)
			continue;
		ok++;
		n = cpmcf_sdp_print(&a, buf, sizeof(buf));
		CHECK(n > 0, "print failed");
		CHECK(cpmcf_sdp_parse(buf, n, &b) >= 0, "printed SDP does not parse");
		n2 = cpmcf_sdp_print(&b, buf2, sizeof(buf2));
		CHECK(n == n2 && memcmp(buf, buf2, n) == 0, "round trip differs");
	}
	g_iter--;
	stats("%d parsed", ok);
}

int main(void)
{
	prop_env();
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(t_parse),
			cmocka_unit_test(t_round_trip),
			cmocka_unit_test(t_answer_offer),
			cmocka_unit_test(t_chat_offer),
			cmocka_unit_test(t_bad),
			cmocka_unit_test(t_prop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
