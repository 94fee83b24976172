/*
 * Unit tests of modules/cpm_cf/cpmcf_group_core.c (the pre-defined group
 * table and URI keys) and cpmcf_msg_core.c (who gets a group message, and
 * the refusals of seed 6.4.2 Table 1: 127, 102, 129).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpm_cf/cpmcf_group_core.h"
#include "cpm_cf/cpmcf_msg_core.h"

#define S(x) ((str){(char *)(x), (int)strlen(x)})

/* the served domain of the tests: 127.0.0.1 (any port) and localhost */
static int is_local(const str *host, unsigned short port)
{
	return (host->len == 9 && memcmp(host->s, "127.0.0.1", 9) == 0)
		   || (host->len == 9 && strncasecmp(host->s, "localhost", 9) == 0);
}

static const char *key(const char *uri)
{
	static char buf[CPMCF_URI_MAX];
	str u = S(uri);
	int n = cpmcf_uri_key(&u, is_local, buf, sizeof(buf));
	return n < 0 ? NULL : buf;
}

static void t_uri_key(void **state)
{
	char small[4];
	str u;

	assert_string_equal(key("sip:friends@127.0.0.1"), "friends");
	assert_string_equal(key("sip:friends@127.0.0.1:5060"), "friends");
	assert_string_equal(key("sip:friends@LOCALHOST;transport=udp"), "friends");
	assert_string_equal(key("sips:friends@localhost:5061?x=y"), "friends");
	assert_string_equal(key("sip:alice:pw@127.0.0.1"), "alice");
	assert_string_equal(key("sip:bob@Example.COM:5070;lr"), "bob@example.com");
	assert_string_equal(key("sip:bob@[2001:db8::1]:5060"), "bob@[2001:db8::1]");
	assert_string_equal(key("tel:+15550100001;phone-context=x"), "tel:+15550100001");
	/* the user part is case-sensitive (RFC 3261 19.1.4) */
	assert_string_equal(key("sip:Alice@127.0.0.1"), "Alice");
	assert_null(key("sip:127.0.0.1"));
	assert_null(key("sip:@127.0.0.1"));
	assert_null(key("sip:bob@"));
	assert_null(key("tel:"));
	assert_null(key("mailto:bob@127.0.0.1"));
	assert_null(key("sip:bob@127.0.0.1:99999999"));
	assert_null(key("sip:bob@[::1"));
	assert_null(key(""));
	u = S("sip:friends@127.0.0.1");
	assert_int_equal(cpmcf_uri_key(&u, is_local, small, sizeof(small)), -ENOSPC);
	assert_int_equal(cpmcf_uri_key(NULL, is_local, small, sizeof(small)), -EINVAL);
}

typedef struct {
	cpmcf_group_row_t g[8];
	cpmcf_member_row_t m[32];
	char kb[40][CPMCF_URI_MAX];
	int ng, nm, nk;
} rows_t;

static str mk(rows_t *r, const char *uri)
{
	str u = S(uri), k;
	int n = cpmcf_uri_key(&u, is_local, r->kb[r->nk], CPMCF_URI_MAX);
	k.s = r->kb[r->nk++];
	k.len = n < 0 ? 0 : n;
	return k;
}

static void add_group(rows_t *r, const char *uri, const char *dn, int max)
{
	cpmcf_group_row_t *g = &r->g[r->ng++];
	g->uri = S(uri);
	g->key = mk(r, uri);
	g->display_name = S(dn);
	g->max_participants = max;
	g->policy = 0;
}

static void add_member(rows_t *r, const char *group, const char *uri, const char *dn)
{
	cpmcf_member_row_t *m = &r->m[r->nm++];
	m->group_key = mk(r, group);
	m->uri = S(uri);
	m->key = mk(r, uri);
	m->display_name = S(dn);
}

static void *xalloc(size_t n)
{
	return malloc(n);
}

static void t_build_find(void **state)
{
	rows_t r;
	cpmcf_gtab_t *t;
	const cpmcf_group_t *g;
	str k;
	int skipped = -1;

	memset(&r, 0, sizeof(r));
	add_group(&r, "sip:friends@127.0.0.1", "Friends", 0);
	add_group(&r, "sip:team@127.0.0.1", "", 3);
	add_group(&r, "sip:friends@localhost", "Dup", 0); /* same key: skipped */
	add_group(&r, "mailto:x@y", "", 0);                 /* no key: skipped */
	add_member(&r, "sip:friends@127.0.0.1", "sip:alice@127.0.0.1", "Alice");
	add_member(&r, "sip:friends@127.0.0.1", "sip:bob@127.0.0.1", "");
	add_member(&r, "sip:friends@localhost", "sip:carol@127.0.0.1", "");
	add_member(&r, "sip:friends@127.0.0.1", "sip:alice@localhost:5060", ""); /* dup */
	add_member(&r, "sip:friends@127.0.0.1", "sip:friends@127.0.0.1", ""); /* itself */
	add_member(&r, "sip:nogroup@127.0.0.1", "sip:dave@127.0.0.1", ""); /* no group */
	add_member(&r, "sip:team@127.0.0.1", "sip:alice@127.0.0.1", "");
	add_member(&r, "sip:team@127.0.0.1", "tel:+15550100009", "");
	t = cpmcf_gtab_build(r.g, r.ng, r.m, r.nm, xalloc, &skipped);
	assert_non_null(t);
	assert_int_equal(skipped, 5);
	assert_int_equal(cpmcf_gtab_count(t), 2);
	assert_int_equal(*cpmcf_gtab_ref(t), 1);
	k = S("friends");
	g = cpmcf_gtab_find(t, &k);
	assert_non_null(g);
	assert_string_equal(g->uri.s, "sip:friends@127.0.0.1");
	assert_string_equal(g->display_name.s, "Friends");
	assert_int_equal(g->n_members, 3);
	assert_string_equal(g->members[0].uri.s, "sip:alice@127.0.0.1");
	assert_string_equal(g->members[0].display_name.s, "Alice");
	assert_string_equal(g->members[2].key.s, "carol");
	k = S("bob");
	assert_int_equal(cpmcf_group_member(g, &k), 1);
	k = S("dave");
	assert_int_equal(cpmcf_group_member(g, &k), -1);
	k = S("team");
	g = cpmcf_gtab_find(t, &k);
	assert_non_null(g);
	assert_int_equal(g->max_participants, 3);
	assert_int_equal(g->n_members, 2);
	assert_ptr_equal(cpmcf_gtab_at(t, 1), g);
	k = S("friend");
	assert_null(cpmcf_gtab_find(t, &k));
	k = S("nogroup");
	assert_null(cpmcf_gtab_find(t, &k));
	assert_null(cpmcf_gtab_at(t, 2));
	assert_null(cpmcf_gtab_at(t, -1));
	free(t);

	/* empty tables work */
	t = cpmcf_gtab_build(NULL, 0, NULL, 0, xalloc, &skipped);
	assert_non_null(t);
	assert_int_equal(cpmcf_gtab_count(t), 0);
	k = S("friends");
	assert_null(cpmcf_gtab_find(t, &k));
	free(t);
}

static void t_many_groups(void **state)
{
	enum { N = 2000 };
	cpmcf_group_row_t *g = calloc(N, sizeof(*g));
	char (*u)[32] = calloc(N, 32);
	cpmcf_gtab_t *t;
	const cpmcf_group_t *f;
	str k;
	int i, skipped;

	assert_non_null(g);
	for(i = 0; i < N; i++) {
		snprintf(u[i], 32, "g%d", i);
		g[i].uri = S(u[i]);
		g[i].key = S(u[i]);
		g[i].display_name = S("");
	}
	t = cpmcf_gtab_build(g, N, NULL, 0, xalloc, &skipped);
	assert_non_null(t);
	assert_int_equal(skipped, 0);
	for(i = 0; i < N; i++) {
		k = S(u[i]);
		f = cpmcf_gtab_find(t, &k);
		assert_non_null(f);
		assert_string_equal(f->key.s, u[i]);
	}
	free(t);
	free(g);
	free(u);
}

static void t_fan_group(void **state)
{
	rows_t r;
	cpmcf_gtab_t *t;
	const cpmcf_group_t *g;
	str k, s;
	int out[8], n;

	memset(&r, 0, sizeof(r));
	add_group(&r, "sip:friends@127.0.0.1", "", 0);
	add_group(&r, "sip:small@127.0.0.1", "", 2);
	add_group(&r, "sip:alone@127.0.0.1", "", 0);
	add_group(&r, "sip:empty@127.0.0.1", "", 0);
	add_member(&r, "sip:friends@127.0.0.1", "sip:alice@127.0.0.1", "");
	add_member(&r, "sip:friends@127.0.0.1", "sip:bob@127.0.0.1", "");
	add_member(&r, "sip:friends@127.0.0.1", "sip:carol@127.0.0.1", "");
	add_member(&r, "sip:friends@127.0.0.1", "sip:dave@127.0.0.1", "");
	add_member(&r, "sip:small@127.0.0.1", "sip:alice@127.0.0.1", "");
	add_member(&r, "sip:small@127.0.0.1", "sip:bob@127.0.0.1", "");
	add_member(&r, "sip:small@127.0.0.1", "sip:carol@127.0.0.1", "");
	add_member(&r, "sip:alone@127.0.0.1", "sip:alice@127.0.0.1", "");
	t = cpmcf_gtab_build(r.g, r.ng, r.m, r.nm, xalloc, NULL);
	assert_non_null(t);

	k = S("friends");
	g = cpmcf_gtab_find(t, &k);
	s = S("bob");
	n = cpmcf_fan_group(g, &s, 100, out);
	/* every member but the sender, in list order */
	assert_int_equal(n, 3);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 3);
	/* the group's own limit (4 participants) wins over the module's */
	assert_int_equal(cpmcf_fan_group(g, &s, 3, out), CPMCF_FAN_TOO_MANY);
	assert_int_equal(cpmcf_fan_group(g, &s, 4, out), 3);
	s = S("mallory");
	assert_int_equal(cpmcf_fan_group(g, &s, 100, out), CPMCF_FAN_NOT_MEMBER);
	assert_int_equal(cpmcf_fan_group(g, NULL, 100, out), CPMCF_FAN_NOT_MEMBER);

	k = S("small"); /* 3 members, max_participants 2 */
	g = cpmcf_gtab_find(t, &k);
	s = S("alice");
	assert_int_equal(cpmcf_fan_group(g, &s, 100, out), CPMCF_FAN_TOO_MANY);

	k = S("alone"); /* the sender is the only member */
	g = cpmcf_gtab_find(t, &k);
	assert_int_equal(cpmcf_fan_group(g, &s, 100, out), CPMCF_FAN_NONE);
	k = S("empty"); /* nobody is a member: nobody may send */
	g = cpmcf_gtab_find(t, &k);
	assert_int_equal(cpmcf_fan_group(g, &s, 100, out), CPMCF_FAN_NOT_MEMBER);
	assert_int_equal(cpmcf_fan_group(NULL, &s, 100, out), CPMCF_FAN_NONE);
	free(t);
}

static void t_fan_pick(void **state)
{
	str keys[6] = {S("bob"), S("carol"), S("alice"), S("bob"), {NULL, 0}, S("dave")};
	str s = S("alice");
	int out[6];

	assert_int_equal(cpmcf_fan_pick(keys, 6, &s, 100, out), 3);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 5);
	/* 4 participants: a limit of 3 refuses, of 4 allows */
	assert_int_equal(cpmcf_fan_pick(keys, 6, &s, 3, out), CPMCF_FAN_TOO_MANY);
	assert_int_equal(cpmcf_fan_pick(keys, 6, &s, 4, out), 3);
	/* only the sender and unusable entries: no destinations */
	assert_int_equal(cpmcf_fan_pick(keys + 2, 1, &s, 100, out), CPMCF_FAN_NONE);
	assert_int_equal(cpmcf_fan_pick(keys + 4, 1, &s, 100, out), CPMCF_FAN_NONE);
	assert_int_equal(cpmcf_fan_pick(keys, 0, &s, 100, out), CPMCF_FAN_NONE);
}

#define CT "multipart/mixed; boundary=\"b1\""
#define LIST_PART "--b1\r\nContent-Type: application/resource-lists+xml\r\n" \
	"Content-Disposition: recipient-list\r\n\r\n<resource-lists/>\r\n"
#define MSG_PART "--b1\r\nContent-Type: message/cpim; charset=x\r\n\r\nhello\r\n"

static int split(const char *ct, const char *body, cpmcf_listmsg_t *lm,
		const char **why)
{
	return cpmcf_list_split(ct, (int)strlen(ct), body, (int)strlen(body), lm, why);
}

static void t_list_split(void **state)
{
	cpmcf_listmsg_t lm;
	const char *why;

	/* either order; the message part keeps its whole Content-Type value */
	assert_int_equal(split(CT, LIST_PART MSG_PART "--b1--", &lm, &why), 0);
	assert_null(why);
	assert_int_equal(lm.list.len, 17);
	assert_memory_equal(lm.list.s, "<resource-lists/>", 17);
	assert_int_equal(lm.ctype.len, 23);
	assert_memory_equal(lm.ctype.s, "message/cpim; charset=x", 23);
	assert_int_equal(lm.body.len, 5);
	assert_memory_equal(lm.body.s, "hello", 5);
	assert_int_equal(split("Multipart/Mixed;boundary=b1", MSG_PART LIST_PART "--b1--\r\n", &lm, &why), 0);
	assert_memory_equal(lm.body.s, "hello", 5);
	/* refused, each with a text for the Warning */
	assert_int_equal(split("text/plain", LIST_PART MSG_PART "--b1--", &lm, &why), -EBADMSG);
	assert_non_null(why);
	assert_int_equal(split("multipart/mixed", LIST_PART MSG_PART "--b1--", &lm, &why), -EBADMSG);
	assert_int_equal(split(CT, LIST_PART "--b1--", &lm, &why), -EBADMSG);
	assert_string_equal(why, "Missing or extra body parts (a recipient list and a message expected)");
	assert_int_equal(split(CT, MSG_PART MSG_PART "--b1--", &lm, &why), -EBADMSG);
	assert_int_equal(split(CT, LIST_PART LIST_PART "--b1--", &lm, &why), -EBADMSG);
	assert_int_equal(split(CT, LIST_PART MSG_PART MSG_PART "--b1--", &lm, &why), -EBADMSG);
	assert_int_equal(split(CT, LIST_PART MSG_PART, &lm, &why), -EBADMSG);
	assert_string_equal(why, "Malformed multipart body");
	assert_int_equal(split(CT, "--b1\r\nContent-Type: application/resource-lists+xml\r\n"
			"Content-Disposition: recipient-list\r\nContent-Encoding: deflate\r\n\r\nxx\r\n"
			MSG_PART "--b1--", &lm, &why), -EBADMSG);
	assert_string_equal(why, "Encoded recipient list not supported");
	assert_int_equal(split(CT, LIST_PART "--b1\r\n\r\nno type\r\n--b1--", &lm, &why), -EBADMSG);
	assert_string_equal(why, "Message part without Content-Type");
	assert_int_equal(split(CT, "--b1\r\nContent-Type: text/plain\r\n"
			"Content-Disposition: recipient-list\r\n\r\nx\r\n" MSG_PART "--b1--", &lm, &why), -EBADMSG);
	assert_int_equal(cpmcf_list_split(NULL, 0, "", 0, &lm, &why), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_uri_key),
		cmocka_unit_test(t_build_find),
		cmocka_unit_test(t_many_groups),
		cmocka_unit_test(t_fan_group),
		cmocka_unit_test(t_fan_pick),
		cmocka_unit_test(t_list_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
