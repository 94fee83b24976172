/*
 * Unit tests of cpm_pf's deferred delivery pure code:
 *   cpmpf_dbq_core.c   the writer's FIFO (order, take-all, wake-up rule)
 *                      and job packing (round trip, NUL bytes, truncation)
 *   cpmpf_store_core.c pending = stored - delivered (order kept), the
 *                      header list, the From without its tag, "every known
 *                      device has it", the SQLite text and blob
 *                      literals of the multi-row INSERT (read back by
 *                      SQLite itself), the stateless store's
 *                      retransmission table
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
#include <sqlite3.h>

#include "cpm_pf/cpmpf_dbq_core.h"
#include "cpm_pf/cpmpf_store_core.h"

static str S(const char *c)
{
	str s;
	s.s = (char *)c;
	s.len = strlen(c);
	return s;
}

static void fifo_order_and_wakeup(void **state)
{
	cpmpf_fifo_t q;
	cpmpf_job_t *j[5], *h;
	int i;

	cpmpf_fifo_init(&q);
	assert_null(cpmpf_fifo_take_all(&q));
	for(i = 0; i < 5; i++) {
		j[i] = cpmpf_job_new(malloc, i, NULL, 0);
		assert_non_null(j[i]);
		/* only the push into an empty queue must wake the writer */
		assert_int_equal(cpmpf_fifo_push(&q, j[i]), i);
	}
	assert_int_equal(q.n, 5);
	h = cpmpf_fifo_take_all(&q);
	assert_int_equal(q.n, 0);
	assert_null(cpmpf_fifo_take_all(&q));
	for(i = 0; i < 5; i++) {
		assert_ptr_equal(h, j[i]);
		h = h->next;
	}
	assert_null(h);
	/* empty again: the next push wakes */
	assert_int_equal(cpmpf_fifo_push(&q, j[0]), 0);
	cpmpf_fifo_take_all(&q);
	for(i = 0; i < 5; i++)
		free(j[i]);
}

static void pack_round_trip(void **state)
{
	str in[4], out[4];
	char body[] = {'a', 0, 'b', '\r', '\n', 0};
	cpmpf_job_t *j;

	in[0] = S("pfbob");
	in[1].s = body;
	in[1].len = 5; /* NUL inside */
	in[2].s = NULL;
	in[2].len = 0;
	in[3] = S("Contribution-ID: x\r\n");
	j = cpmpf_job_new(malloc, 3, in, 4);
	assert_non_null(j);
	assert_int_equal(j->type, 3);
	assert_int_equal(cpmpf_job_strs(j, out, 4), 0);
	assert_int_equal(out[0].len, 5);
	assert_memory_equal(out[0].s, "pfbob", 5);
	assert_int_equal(out[0].s[5], 0);
	assert_int_equal(out[1].len, 5);
	assert_memory_equal(out[1].s, body, 5);
	assert_int_equal(out[2].len, 0);
	assert_int_equal(out[3].len, in[3].len);
	assert_memory_equal(out[3].s, in[3].s, in[3].len);
	/* more strings than packed, and every truncation, are refused */
	assert_int_equal(cpmpf_job_strs(j, out, 5), -EINVAL);
	for(size_t l = 0; l < (size_t)j->len; l++)
		assert_int_equal(cpmpf_unpack(j->data, l, out, 4), -EINVAL);
	free(j);
}

static void pending_keeps_order(void **state)
{
	long long all[] = {1, 3, 4, 7, 9, 12};
	long long done[] = {2, 3, 9, 10};
	long long out[6];
	long long none[1];
	int k;

	k = cpmpf_pending(all, 6, done, 4, out);
	assert_int_equal(k, 4);
	assert_true(out[0] == 1 && out[1] == 4 && out[2] == 7 && out[3] == 12);
	/* nothing delivered: everything, in order */
	k = cpmpf_pending(all, 6, none, 0, out);
	assert_int_equal(k, 6);
	assert_true(out[5] == 12);
	/* all delivered: nothing (no device gets it twice) */
	k = cpmpf_pending(all, 6, all, 6, out);
	assert_int_equal(k, 0);
	/* in place (the module filters its own array) */
	long long inplace[] = {5, 6, 7};
	long long d2[] = {6};
	k = cpmpf_pending(inplace, 3, d2, 1, inplace);
	assert_int_equal(k, 2);
	assert_true(inplace[0] == 5 && inplace[1] == 7);
}

static void header_list(void **state)
{
	str l = S("Conversation-ID, Contribution-ID ,Date");
	str n;

	n = S("conversation-id");
	assert_int_equal(cpmpf_hdr_listed(&l, &n), 1);
	n = S("CONTRIBUTION-ID");
	assert_int_equal(cpmpf_hdr_listed(&l, &n), 1);
	n = S("Date");
	assert_int_equal(cpmpf_hdr_listed(&l, &n), 1);
	n = S("Contribution");
	assert_int_equal(cpmpf_hdr_listed(&l, &n), 0);
	n = S("InReplyTo-Contribution-ID");
	assert_int_equal(cpmpf_hdr_listed(&l, &n), 0);
	n = S("Dat");
	assert_int_equal(cpmpf_hdr_listed(&l, &n), 0);
}

static void from_tag(const char *in, const char *want)
{
	str s = S(in);
	char out[256];
	int n = cpmpf_from_strip_tag(&s, out);

	out[n] = '\0';
	assert_string_equal(out, want);
}

static void from_without_tag(void **state)
{
	from_tag("<sip:alice@x>;tag=abc", "<sip:alice@x>");
	from_tag("\"A;tag=1\" <sip:alice@x;tag=u>;tag=abc;p=1",
			"\"A;tag=1\" <sip:alice@x;tag=u>;p=1");
	from_tag("<sip:a@x>;p=1 ; TAG = zz;q=\"a;tag=b\"",
			"<sip:a@x>;p=1;q=\"a;tag=b\"");
	from_tag("sip:a@x;tag=1", "sip:a@x");
	from_tag("<sip:a@x>;tagx=1", "<sip:a@x>;tagx=1");
	from_tag("<sip:a@x>", "<sip:a@x>");
}

/* property: for random From values (display name or not, quoted names
 * holding ";tag=", URI parameters named tag, other header parameters), with
 * one tag parameter inserted among the header parameters, stripping gives
 * the value without it, and stripping is idempotent */
static void from_tag_property(void **state)
{
	static const char *names[] = {"", "\"Al;tag=x\" ", "Bob ", "\"q\\\"t\" "};
	static const char *uris[] = {"sip:a@x", "sip:a@x;tag=u", "tel:+1;p=2"};
	static const char *params[] = {";p=1", ";tagx=2", ";q=\"a;tag=b\"", ";lr", ";x"};
	char base[256], in[256], out[256], out2[256];
	unsigned int seed = 12345;
	int it, np, i, at, n, n2, angle;
	str s;

	for(it = 0; it < 20000; it++) {
		seed = seed * 1103515245u + 12345u;
		angle = (seed >> 16) % 2;
		const char *nm = angle ? names[(seed >> 8) % 4] : "";
		const char *uri = uris[(seed >> 4) % 3];
		if(!angle && strchr(uri, ';'))
			uri = "sip:a@x"; /* addr-spec: its ';' starts header params */
		n = snprintf(base, sizeof(base), "%s%s%s%s", nm, angle ? "<" : "", uri,
				angle ? ">" : "");
		np = (seed >> 20) % 4;
		at = np ? (int)((seed >> 24) % (np + 1)) : 0;
		strcpy(in, base);
		for(i = 0; i <= np; i++) {
			if(i == at)
				strcat(in, ";tag=T");
			if(i < np) {
				const char *p = params[(seed >> (i * 3)) % 5];
				strcat(in, p);
				strcat(base, p);
			}
		}
		s.s = in;
		s.len = strlen(in);
		n = cpmpf_from_strip_tag(&s, out);
		out[n] = '\0';
		assert_string_equal(out, base);
		s.s = out;
		s.len = n;
		n2 = cpmpf_from_strip_tag(&s, out2);
		out2[n2] = '\0';
		assert_string_equal(out2, out);
	}
}

static void all_devices(void **state)
{
	str devs[2] = {S("<urn:uuid:1>"), S("<urn:uuid:2>")};
	str got1[1] = {S("<urn:uuid:2>")};
	str got2[3] = {S("<urn:uuid:2>"), S("sip:old@x"), S("<urn:uuid:1>")};

	assert_int_equal(cpmpf_all_delivered(devs, 2, got1, 1), 0);
	assert_int_equal(cpmpf_all_delivered(devs, 2, got2, 3), 1);
	/* no known device: the message stays (until expiry) */
	assert_int_equal(cpmpf_all_delivered(devs, 0, got2, 3), 0);
}

static void sql_literals(void **state)
{
	char buf[64];
	str s;

	s = S("it's");
	assert_int_equal(cpmpf_sql_text_len(&s), 7);
	assert_int_equal(cpmpf_sql_text(buf, sizeof(buf), &s), 7);
	assert_memory_equal(buf, "'it''s'", 7);
	s = S("");
	assert_int_equal(cpmpf_sql_text(buf, sizeof(buf), &s), 2);
	assert_memory_equal(buf, "''", 2);
	s.s = "a\0b";
	s.len = 3;
	assert_int_equal(cpmpf_sql_text_len(&s), -EINVAL);
	assert_int_equal(cpmpf_sql_text(buf, sizeof(buf), &s), -EINVAL);
	assert_int_equal(cpmpf_sql_blob_len(&s), 9);
	assert_int_equal(cpmpf_sql_blob(buf, sizeof(buf), &s), 9);
	assert_memory_equal(buf, "X'610062'", 9);
	s = S("''''");
	assert_int_equal(cpmpf_sql_text(buf, 9, &s), -ENOSPC);
	assert_int_equal(cpmpf_sql_text(buf, 10, &s), 10);
	assert_memory_equal(buf, "''''''''''", 10);
	assert_int_equal(cpmpf_sql_blob(buf, 10, &s), -ENOSPC);
	assert_int_equal(cpmpf_sql_blob(buf, 11, &s), 11);
}

/* property: SQLite reads every literal back as the bytes printed (random
 * bytes, quotes and high bytes frequent; text without NUL), as a TEXT or a
 * BLOB, and nothing in a literal ends it early (the column after it still
 * parses) */
static void sql_literals_sqlite(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char in[300], q[1024];
	unsigned int seed = 777;
	int it, i, len, n, blob;
	str s;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	for(it = 0; it < 3000; it++) {
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % 300;
		blob = it & 1;
		for(i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (seed >> 13) % 4 == 0 ? '\'' : (char)((seed >> 16) & 255);
			if(!blob && in[i] == '\0')
				in[i] = ';';
		}
		s.s = in;
		s.len = len;
		n = snprintf(q, sizeof(q), "SELECT ");
		n += blob ? cpmpf_sql_blob(q + n, sizeof(q) - n, &s)
				  : cpmpf_sql_text(q + n, sizeof(q) - n, &s);
		n += snprintf(q + n, sizeof(q) - n, ", 42");
		assert_int_equal(sqlite3_prepare_v2(db, q, n, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_type(st, 0), blob ? SQLITE_BLOB : SQLITE_TEXT);
		assert_int_equal(sqlite3_column_bytes(st, 0), len);
		if(len)
			assert_memory_equal(blob ? sqlite3_column_blob(st, 0)
									 : (const void *)sqlite3_column_text(st, 0),
					in, len);
		assert_int_equal(sqlite3_column_int(st, 1), 42);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

/* the stateless store's retransmission table: in flight -> stored ->
 * forgotten at expiry; a failed store forgets at once; nothing leaks */
static int seen_allocs = 0;
static void *seen_alloc(size_t n)
{
	seen_allocs++;
	return malloc(n);
}
static void seen_free(void *p)
{
	seen_allocs--;
	free(p);
}

static void seen_table(void **state)
{
	cpmpf_seen_t *t = calloc(1, sizeof(*t));
	char b1[128], b2[128];
	str cid = S("a84b4c76e66710@pc33.example.com"), cs = S("314159"),
		tag = S("1928301774"), cs2 = S("314160");
	str k1, k2;
	int st = 0, i;

	assert_non_null(t);
	k1.s = b1;
	k1.len = cpmpf_seen_key(b1, sizeof(b1), &cid, &cs, &tag);
	assert_int_equal(k1.len, cid.len + cs.len + tag.len + 2);
	assert_memory_equal(b1, "a84b4c76e66710@pc33.example.com 314159 1928301774",
			k1.len);
	assert_int_equal(cpmpf_seen_key(b1, 10, &cid, &cs, &tag), -ENOSPC);
	/* the next request of the same sender: another key */
	k2.s = b2;
	k2.len = cpmpf_seen_key(b2, sizeof(b2), &cid, &cs2, &tag);

	assert_int_equal(cpmpf_seen_get(t, &k1, 100, seen_free), 0);
	assert_int_equal(
			cpmpf_seen_add(t, &k1, 100, 164, seen_alloc, seen_free, &st), 0);
	/* a retransmission while the store runs: in flight */
	assert_int_equal(
			cpmpf_seen_add(t, &k1, 101, 165, seen_alloc, seen_free, &st),
			-EEXIST);
	assert_int_equal(st, CPMPF_SEEN_INFLIGHT);
	assert_int_equal(cpmpf_seen_get(t, &k2, 101, seen_free), 0);
	/* committed: stored until 132 */
	assert_int_equal(cpmpf_seen_set(t, &k1, CPMPF_SEEN_STORED, 132, seen_free), 0);
	assert_int_equal(cpmpf_seen_get(t, &k1, 131, seen_free), CPMPF_SEEN_STORED);
	assert_int_equal(
			cpmpf_seen_add(t, &k1, 131, 195, seen_alloc, seen_free, &st),
			-EEXIST);
	assert_int_equal(st, CPMPF_SEEN_STORED);
	/* expired: forgotten (and freed) */
	assert_int_equal(cpmpf_seen_get(t, &k1, 132, seen_free), 0);
	assert_int_equal(t->n, 0);
	assert_int_equal(seen_allocs, 0);
	/* a failed store forgets at once: the retransmission tries again */
	assert_int_equal(
			cpmpf_seen_add(t, &k2, 200, 264, seen_alloc, seen_free, &st), 0);
	assert_int_equal(cpmpf_seen_set(t, &k2, 0, 0, seen_free), 0);
	assert_int_equal(cpmpf_seen_get(t, &k2, 201, seen_free), 0);
	assert_int_equal(cpmpf_seen_set(t, &k2, 0, 0, seen_free), -ENOENT);
	/* many keys, some in one slot: the sweep frees exactly the expired */
	for(i = 0; i < 3 * CPMPF_SEEN_SLOTS; i++) {
		char b[32];
		str k;
		k.s = b;
		k.len = snprintf(b, sizeof(b), "c%d 1 t", i);
		assert_int_equal(cpmpf_seen_add(t, &k, 300, i % 2 ? 310 : 400,
								 seen_alloc, seen_free, &st),
				0);
	}
	assert_int_equal(t->n, 3 * CPMPF_SEEN_SLOTS);
	assert_int_equal(cpmpf_seen_sweep(t, 310, seen_free), 3 * CPMPF_SEEN_SLOTS / 2);
	assert_int_equal(t->n, 3 * CPMPF_SEEN_SLOTS / 2);
	assert_int_equal(cpmpf_seen_sweep(t, 400, seen_free), 3 * CPMPF_SEEN_SLOTS / 2);
	assert_int_equal(t->n, 0);
	assert_int_equal(seen_allocs, 0);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fifo_order_and_wakeup),
		cmocka_unit_test(pack_round_trip),
		cmocka_unit_test(pending_keeps_order),
		cmocka_unit_test(header_list),
		cmocka_unit_test(from_without_tag),
		cmocka_unit_test(from_tag_property),
		cmocka_unit_test(all_devices),
		cmocka_unit_test(sql_literals),
		cmocka_unit_test(sql_literals_sqlite),
		cmocka_unit_test(seen_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
