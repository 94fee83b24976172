/*
 * cmocka tests of modules/cpm_warning/cpm_warn.c: the seed Table 1
 * catalogue, Accept-Language parsing and language selection (seed 6.4.1),
 * translation file parsing, and the Warning header printer/parser
 * (RFC 3261 20.43) with round trips.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpm_warning/cpm_warn.h"

#ifndef CPMW_LANG_FILE
#define CPMW_LANG_FILE "cfg/cpm_warning.lang"
#endif

#define S(x) ((str){(char *)(x), (int)strlen(x)})

static const struct {
	int code;
	const char *en;
} table1[] = {
	{102, "Too many participants"},
	{105, "Isfocus already assigned"},
	{119, "Anonymity not allowed"},
	{122, "Function not allowed"},
	{123, "Session does not exist"},
	{125, "No messages"},
	{127, "Service not authorised"},
	{129, "No destinations"},
	{132, "Version not supported"},
};

static const char *de_text[] = {"Zu viele Teilnehmer",
		"Konferenz-Fokus bereits zugewiesen", "Anonymität nicht erlaubt",
		"Funktion nicht erlaubt", "Sitzung existiert nicht",
		"Keine Nachrichten", "Dienst nicht autorisiert", "Keine Ziele",
		"Version nicht unterstützt"};

static void assert_str_eq(const str *s, const char *want)
{
	assert_non_null(s);
	assert_non_null(s->s);
	if(s->len != (int)strlen(want) || memcmp(s->s, want, s->len) != 0)
		fail_msg("got [%.*s], want [%s]", s->len, s->s, want);
}

/* ---- seed Table 1 ------------------------------------------------------ */

static void test_table1_english(void **state)
{
	int i;

	for(i = 0; i < 9; i++) {
		assert_int_equal(cpmw_code_at(i), table1[i].code);
		assert_int_equal(cpmw_code_index(table1[i].code), i);
		assert_str_eq(cpmw_code_text_en(table1[i].code), table1[i].en);
	}
	assert_int_equal(CPMW_NCODES, 9);
	assert_int_equal(cpmw_code_at(9), -ENOENT);
	assert_int_equal(cpmw_code_at(-1), -ENOENT);
}

static void test_unknown_code_refused(void **state)
{
	static const int bad[] = {0, -1, 100, 101, 103, 126, 128, 133, 399, 999};
	cpmw_choice_t ch;
	char buf[128];
	str host = S("h");
	str t = S("x");
	unsigned i;

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cpmw_code_index(bad[i]), -ENOENT);
		assert_null(cpmw_code_text_en(bad[i]));
		assert_int_equal(cpmw_select(NULL, NULL, bad[i], NULL, 0, &ch), -ENOENT);
		assert_int_equal(
				cpmw_warning_value_print(buf, sizeof(buf), &host, bad[i], &t),
				-ENOENT);
	}
}

/* ---- Accept-Language parser/printer ------------------------------------ */

static int parse(const char *in, cpmw_lang_range_t *r, int max, int *n)
{
	str s = S(in);
	*n = 0;
	return cpmw_accept_lang_parse(&s, r, max, n);
}

static void test_al_parse_basic(void **state)
{
	cpmw_lang_range_t r[CPMW_MAX_RANGES];
	int n;

	assert_int_equal(parse("fr;q=0.5, de;q=0.8", r, CPMW_MAX_RANGES, &n), 0);
	assert_int_equal(n, 2);
	assert_str_eq(&r[0].tag, "fr");
	assert_int_equal(r[0].q, 500);
	assert_str_eq(&r[1].tag, "de");
	assert_int_equal(r[1].q, 800);

	/* LWS, empty elements, Q, generic params, "*" and defaults */
	assert_int_equal(parse(" ,de-DE ;Q = 0.123 ; x=y ;z=\"a,b\" ,, * ;q=0,"
						   "en;lvl;q=1.000\t",
							 r, CPMW_MAX_RANGES, &n),
			0);
	assert_int_equal(n, 3);
	assert_str_eq(&r[0].tag, "de-DE");
	assert_int_equal(r[0].q, 123);
	assert_str_eq(&r[1].tag, "*");
	assert_int_equal(r[1].q, 0);
	assert_str_eq(&r[2].tag, "en");
	assert_int_equal(r[2].q, 1000);

	/* qvalue forms */
	assert_int_equal(parse("a;q=1, b;q=0., c;q=0.07, d;q=1.", r, 16, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(r[0].q, 1000);
	assert_int_equal(r[1].q, 0);
	assert_int_equal(r[2].q, 70);
	assert_int_equal(r[3].q, 1000);

	/* empty body */
	assert_int_equal(parse("", r, 16, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(parse(" , ,", r, 16, &n), 0);
	assert_int_equal(n, 0);
}

static void test_al_parse_malformed(void **state)
{
	static const char *bad[] = {"de;q=1.5", "de;q=2", "de;q=0.1234",
			"de;q=1.001", "de;q=", "de;q", "de;=1", "de q=1", "de-", "-de",
			"d3", "abcdefghi", "de-abcdefghi", "de;x=\"open", "*x", "de;;q=1",
			"de;q=0.5;q=0.6", "\"de\"", "de;q=.5"};
	cpmw_lang_range_t r[4];
	unsigned i;
	int n;

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(parse(bad[i], r, 4, &n) != -EINVAL || n != 0)
			fail_msg("[%s] not refused (n=%d)", bad[i], n);
	}
	/* good elements around a bad one survive */
	assert_int_equal(parse("fr, de;q=7, it;q=0.3", r, 4, &n), -EINVAL);
	assert_int_equal(n, 2);
	assert_str_eq(&r[0].tag, "fr");
	assert_str_eq(&r[1].tag, "it");
	assert_int_equal(r[1].q, 300);
}

static void test_al_parse_cap(void **state)
{
	cpmw_lang_range_t r[CPMW_MAX_RANGES];
	char in[1024];
	int i, n, pos = 0;
	str s;

	for(i = 0; i < CPMW_MAX_RANGES + 5; i++)
		pos += snprintf(in + pos, sizeof(in) - pos, "%sx%c", i ? ", " : "",
				'a' + i);
	assert_int_equal(parse(in, r, CPMW_MAX_RANGES, &n), -E2BIG);
	assert_int_equal(n, CPMW_MAX_RANGES);
	assert_str_eq(&r[CPMW_MAX_RANGES - 1].tag, "xp");

	/* exactly at the cap (trailing empty element) is no overflow */
	pos = 0;
	for(i = 0; i < CPMW_MAX_RANGES; i++)
		pos += snprintf(in + pos, sizeof(in) - pos, "xx, ");
	assert_int_equal(parse(in, r, CPMW_MAX_RANGES, &n), 0);
	assert_int_equal(n, CPMW_MAX_RANGES);

	/* a second header instance appends to the first */
	n = 0;
	s = S("de");
	assert_int_equal(cpmw_accept_lang_parse(&s, r, 3, &n), 0);
	s = S("fr;q=0.2, it, es");
	assert_int_equal(cpmw_accept_lang_parse(&s, r, 3, &n), -E2BIG);
	assert_int_equal(n, 3);
	assert_str_eq(&r[0].tag, "de");
	assert_str_eq(&r[1].tag, "fr");
	assert_str_eq(&r[2].tag, "it");

	/* overlong garbage: no crash, nothing usable */
	{
		char *big = malloc(100001);
		assert_non_null(big);
		memset(big, 'a', 100000);
		big[100000] = '\0';
		assert_int_equal(parse(big, r, CPMW_MAX_RANGES, &n), -EINVAL);
		assert_int_equal(n, 0);
		memset(big, ';', 100000);
		assert_int_equal(parse(big, r, CPMW_MAX_RANGES, &n), -EINVAL);
		assert_int_equal(n, 0);
		free(big);
	}
}

static void test_al_print_roundtrip(void **state)
{
	static const char *in[] = {"de", "fr;q=0.5, de;q=0.8",
			"de-DE;q=0.123, *;q=0, en", "x;q=0.001, y;q=0.01, z;q=0.1",
			"a;Q=0.500, b ; q = 1.0 ; lvl=1"};
	static const char *want[] = {"de", "fr;q=0.5, de;q=0.8",
			"de-DE;q=0.123, *;q=0, en", "x;q=0.001, y;q=0.01, z;q=0.1",
			"a;q=0.5, b"};
	cpmw_lang_range_t r[8], r2[8];
	char buf[256];
	int i, k, n, n2, len;
	str s;

	for(i = 0; i < 5; i++) {
		assert_int_equal(parse(in[i], r, 8, &n), 0);
		len = cpmw_accept_lang_print(r, n, buf, sizeof(buf));
		assert_int_equal(len, (int)strlen(want[i]));
		assert_string_equal(buf, want[i]);
		s.s = buf;
		s.len = len;
		n2 = 0;
		assert_int_equal(cpmw_accept_lang_parse(&s, r2, 8, &n2), 0);
		assert_int_equal(n2, n);
		for(k = 0; k < n; k++) {
			assert_int_equal(r2[k].tag.len, r[k].tag.len);
			assert_memory_equal(r2[k].tag.s, r[k].tag.s, r[k].tag.len);
			assert_int_equal(r2[k].q, r[k].q);
		}
	}
	/* too small: error and empty string, never a partial one */
	assert_int_equal(parse("fr;q=0.5, de;q=0.8", r, 8, &n), 0);
	for(i = 0; i <= (int)strlen("fr;q=0.5, de;q=0.8"); i++) {
		memset(buf, 'Z', sizeof(buf));
		assert_int_equal(cpmw_accept_lang_print(r, n, buf, i), -ENOSPC);
		if(i > 0)
			assert_int_equal(buf[0], '\0');
	}
	assert_int_equal(cpmw_accept_lang_print(r, n, buf, i), i - 1);
	assert_string_equal(buf, "fr;q=0.5, de;q=0.8");
}

static void test_lang_tag_valid(void **state)
{
	static const char *good[] = {"de", "DE", "de-DE", "zh-Hant-TW", "es-419",
			"abcdefgh", "i-klingon"};
	static const char *bad[] = {"", "d3", "3d", "de-", "-de", "de--DE",
			"abcdefghi", "de_DE", "de DE", "*", "de-abcdefghi"};
	unsigned i;
	str s;

	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		s = S(good[i]);
		if(cpmw_lang_tag_valid(&s) != 0)
			fail_msg("[%s] refused", good[i]);
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = S(bad[i]);
		if(cpmw_lang_tag_valid(&s) != -EINVAL)
			fail_msg("[%s] accepted", bad[i]);
	}
	s = S("aaaaaaaa-bbbbbbbb-cccccccc-dddddddd");
	assert_int_equal(s.len, 35);
	assert_int_equal(cpmw_lang_tag_valid(&s), 0);
	s = S("aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-e");
	assert_int_equal(cpmw_lang_tag_valid(&s), -EINVAL);
}

/* ---- translation catalogue --------------------------------------------- */

static int cat_parse(const char *text, cpmw_catalog_t **cat, cpmw_err_t *err)
{
	memset(err, 0, sizeof(*err));
	return cpmw_catalog_parse(cat, text, (int)strlen(text), err);
}

static void test_catalog_good(void **state)
{
	const char *f = "# comment\r\n"
					"\n"
					"   \t\n"
					"  # indented comment\n"
					"DE 127 Dienst nicht autorisiert \r\n"
					"de\t102\tZu  viele\tTeilnehmer\n"
					"fr-CA 127 Service \"non\" autorisé \\ ici\n"
					"de 132 Version nicht unterstützt"; /* no final LF */
	cpmw_catalog_t *cat = NULL;
	cpmw_err_t err;
	str t;

	/* a tab inside a text is a control character: replace it first */
	assert_int_equal(cat_parse(f, &cat, &err), -EINVAL);
	assert_int_equal(err.line, 6);
	assert_null(cat);

	f = "# comment\r\n"
		"\n"
		"   \t\n"
		"  # indented comment\n"
		"DE 127 Dienst nicht autorisiert \r\n"
		"de\t102\tZu viele Teilnehmer\n"
		"fr-CA 127 Service \"non\" autorisé \\ ici\n"
		"de 132 Version nicht unterstützt";
	assert_int_equal(cat_parse(f, &cat, &err), 0);
	assert_non_null(cat);
	assert_int_equal(cat->nlangs, 2);
	assert_str_eq(&cat->lang[0].tag, "de");
	assert_str_eq(&cat->lang[1].tag, "fr-ca");
	assert_str_eq(&cat->lang[0].text[6], "Dienst nicht autorisiert");
	assert_str_eq(&cat->lang[0].text[0], "Zu viele Teilnehmer");
	assert_str_eq(&cat->lang[0].text[8], "Version nicht unterstützt");
	assert_null(cat->lang[0].text[1].s);
	assert_str_eq(&cat->lang[1].text[6], "Service \"non\" autorisé \\ ici");
	t = S("De");
	assert_int_equal(cpmw_catalog_find(cat, &t), 0);
	t = S("FR-ca");
	assert_int_equal(cpmw_catalog_find(cat, &t), 1);
	t = S("fr");
	assert_int_equal(cpmw_catalog_find(cat, &t), -ENOENT);
	cpmw_catalog_free(cat);

	/* empty input: no languages, not an error */
	assert_int_equal(cat_parse("", &cat, &err), 0);
	assert_int_equal(cat->nlangs, 0);
	cpmw_catalog_free(cat);
}

static void test_catalog_errors(void **state)
{
	static const struct {
		const char *text;
		int rc, line;
	} v[] = {
			{"de 102 ok\nde 101 Unbekannt\n", -ENOENT, 2}, /* unknown code */
			{"de 102 ok\n# x\nde 128 x\n", -ENOENT, 3},
			{"d3 102 x\n", -EINVAL, 1}, /* bad tag */
			{"de- 102 x\n", -EINVAL, 1},
			{"deutschland 102 x\n", -EINVAL, 1},
			{"de_DE 102 x\n", -EINVAL, 1},
			{"\n\nde 102\n", -EINVAL, 3}, /* missing text */
			{"de 102   \t \n", -EINVAL, 1},
			{"de\n", -EINVAL, 1}, /* missing code */
			{"de 12 x\n", -EINVAL, 1},
			{"de 1020 x\n", -EINVAL, 1},
			{"de 10x x\n", -EINVAL, 1},
			{"de 102 a\x01z\n", -EINVAL, 1}, /* control characters */
			{"de 102 a\x7fz\n", -EINVAL, 1},
			{"de 102 a\rz\n", -EINVAL, 1},
			{"de 102 caf\xc3\n", -EINVAL, 1}, /* bad UTF-8 */
			{"de 102 \xc0\xaf\n", -EINVAL, 1},
			{"de 102 a\xc2\x85z\n", -EINVAL, 1}, /* C1 control (NEL) */
			{"de 102 eins\nfr 102 un\nDE 102 zwei\n", -EEXIST, 3}, /* dup */
			{"en 102 Too many\n", -EINVAL, 1}, /* built in */
			{"EN 127 x\n", -EINVAL, 1},
	};
	cpmw_catalog_t *cat;
	cpmw_err_t err;
	unsigned i;
	int rc;

	for(i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cat = (cpmw_catalog_t *)1;
		rc = cat_parse(v[i].text, &cat, &err);
		if(rc != v[i].rc || err.line != v[i].line || cat != NULL)
			fail_msg("case %u: rc %d line %d (want %d line %d)", i, rc,
					err.line, v[i].rc, v[i].line);
		assert_true(err.msg[0] != '\0');
	}
	/* a NUL byte is a control character too */
	rc = cpmw_catalog_parse(&cat, "de 102 a\0b\n", 11, &err);
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(err.line, 1);
}

static void test_catalog_limits(void **state)
{
	char text[CPMW_TEXT_MAX + 32], *f;
	cpmw_catalog_t *cat;
	cpmw_err_t err;
	int i, pos;

	/* 128 bytes of text is fine, 129 is not */
	memcpy(text, "de 102 ", 7);
	memset(text + 7, 'x', CPMW_TEXT_MAX);
	text[7 + CPMW_TEXT_MAX] = '\0';
	assert_int_equal(cat_parse(text, &cat, &err), 0);
	assert_int_equal(cat->lang[0].text[0].len, CPMW_TEXT_MAX);
	cpmw_catalog_free(cat);
	text[7 + CPMW_TEXT_MAX] = 'x';
	text[8 + CPMW_TEXT_MAX] = '\0';
	assert_int_equal(cat_parse(text, &cat, &err), -E2BIG);
	assert_int_equal(err.line, 1);

	/* 32 languages fine, the 33rd refused */
	f = malloc(64 * 40);
	assert_non_null(f);
	pos = 0;
	for(i = 0; i < CPMW_MAX_LANGS + 1; i++)
		pos += sprintf(f + pos, "x%c%c 127 t\n", 'a' + i / 26, 'a' + i % 26);
	assert_int_equal(cat_parse(f, &cat, &err), -E2BIG);
	assert_int_equal(err.line, CPMW_MAX_LANGS + 1);
	f[pos - 11] = '\0'; /* drop the last line */
	assert_int_equal(cat_parse(f, &cat, &err), 0);
	assert_int_equal(cat->nlangs, CPMW_MAX_LANGS);
	cpmw_catalog_free(cat);
	free(f);

	/* too large */
	f = calloc(1, CPMW_FILE_MAX + 2);
	assert_non_null(f);
	memset(f, '\n', CPMW_FILE_MAX + 1);
	assert_int_equal(
			cpmw_catalog_parse(&cat, f, CPMW_FILE_MAX + 1, &err), -E2BIG);
	assert_int_equal(cpmw_catalog_parse(&cat, f, CPMW_FILE_MAX, &err), 0);
	cpmw_catalog_free(cat);
	free(f);
}

static void test_catalog_file(void **state)
{
	char path[] = "/tmp/cpmw_test_XXXXXX";
	cpmw_catalog_t *cat = NULL;
	cpmw_err_t err;
	int i, fd;

	/* the shipped file: de and fr, all nine codes each */
	assert_int_equal(cpmw_catalog_load(&cat, CPMW_LANG_FILE, &err), 0);
	assert_int_equal(cat->nlangs, 2);
	assert_str_eq(&cat->lang[0].tag, "de");
	assert_str_eq(&cat->lang[1].tag, "fr");
	for(i = 0; i < CPMW_NCODES; i++) {
		assert_str_eq(&cat->lang[0].text[i], de_text[i]);
		assert_non_null(cat->lang[1].text[i].s);
	}
	assert_str_eq(&cat->lang[1].text[6], "Service non autorisé");
	cpmw_catalog_free(cat);

	/* errors carry the line */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "# x\nde 127 gut\nde 999 schlecht\n", 31), 31);
	close(fd);
	cat = (cpmw_catalog_t *)1;
	assert_int_equal(cpmw_catalog_load(&cat, path, &err), -ENOENT);
	assert_int_equal(err.line, 3);
	assert_null(cat);
	unlink(path);

	assert_int_equal(cpmw_catalog_load(&cat, path, &err), -EIO);
	assert_int_equal(err.line, 0);
	assert_int_equal(cpmw_catalog_load(&cat, "/tmp", &err), -EIO);
}

/* ---- language selection ------------------------------------------------ */

static int group_setup(void **state)
{
	cpmw_catalog_t *cat = NULL;
	cpmw_err_t err;

	if(cpmw_catalog_load(&cat, CPMW_LANG_FILE, &err) < 0)
		return -1;
	*state = cat;
	return 0;
}

static int group_teardown(void **state)
{
	cpmw_catalog_free(*state);
	return 0;
}

/* selected language for Accept-Language value(s) al ("" = no header) */
static const char *pick(const cpmw_catalog_t *cat, const char *def,
		int code, const char *al)
{
	static char lang[CPMW_TAG_MAX + 1];
	cpmw_lang_range_t r[CPMW_MAX_RANGES];
	cpmw_choice_t ch;
	str d = S(def ? def : "en");
	int n = 0;

	parse(al, r, CPMW_MAX_RANGES, &n);
	if(cpmw_select(cat, &d, code, r, n, &ch) < 0)
		return "ERROR";
	snprintf(lang, sizeof(lang), "%.*s", ch.lang.len, ch.lang.s);
	return lang;
}

static void test_select(void **state)
{
	const cpmw_catalog_t *cat = *state;
	cpmw_lang_range_t r[2];
	cpmw_choice_t ch;
	char many[512];
	int i, pos;
	str d;

	assert_string_equal(pick(cat, 0, 127, ""), "en");
	assert_string_equal(pick(cat, 0, 127, "de"), "de");
	assert_string_equal(pick(cat, 0, 127, "fr"), "fr");
	assert_string_equal(pick(cat, 0, 127, "fr;q=0.5, de;q=0.8"), "de");
	assert_string_equal(pick(cat, 0, 127, "fr;q=0.9, de;q=0.8"), "fr");
	assert_string_equal(pick(cat, 0, 127, "de;q=0"), "en");
	assert_string_equal(pick(cat, 0, 127, "*"), "en");
	assert_string_equal(pick(cat, 0, 127, "de-DE"), "de");
	assert_string_equal(pick(cat, 0, 127, "fr-CH;q=0.3, de-AT;q=0.2"), "fr");
	assert_string_equal(pick(cat, 0, 127, "DE"), "de");
	assert_string_equal(pick(cat, 0, 127, "Fr"), "fr");
	assert_string_equal(pick(cat, 0, 127, "es, de;q=0.1"), "de");
	assert_string_equal(pick(cat, 0, 127, "ja"), "en");
	/* ties: order of appearance */
	assert_string_equal(pick(cat, 0, 127, "fr, de"), "fr");
	assert_string_equal(pick(cat, 0, 127, "de, fr"), "de");
	assert_string_equal(pick(cat, 0, 127, "de;q=0.5, fr;q=0.5"), "de");
	/* a repeated range: its first occurrence counts */
	assert_string_equal(pick(cat, 0, 127, "de;q=0.1, fr;q=0.5, de;q=0.9"), "fr");
	/* English asked for explicitly */
	assert_string_equal(pick(cat, 0, 127, "en, de"), "en");
	assert_string_equal(pick(cat, 0, 127, "de;q=0.4, en;q=0.6"), "en");
	assert_string_equal(pick(cat, 0, 127, "en;q=0, de;q=0.1"), "de");
	/* q=0 excludes even behind "*" */
	assert_string_equal(pick(cat, 0, 127, "de;q=0, *"), "en");
	assert_string_equal(pick(cat, 0, 127, "en;q=0, fr;q=0, *"), "de");
	assert_string_equal(pick(cat, 0, 127, "*;q=0.5, fr;q=0.6"), "fr");
	assert_string_equal(pick(cat, 0, 127, "*;q=0.7, fr;q=0.6"), "en");
	/* exact beats fallback at the same q: de-DE;q=0 excludes only de-DE */
	assert_string_equal(pick(cat, 0, 127, "de-DE;q=0, fr;q=0.1"), "fr");
	assert_string_equal(pick(cat, 0, 127, "de-DE;q=0, de-AT;q=0.5"), "de");
	/* garbage */
	assert_string_equal(pick(cat, 0, 127, ";;;==\"\\"), "en");
	assert_string_equal(pick(cat, 0, 127, "d3, de;q=0.2"), "de");

	/* the cap: a language past it is not considered */
	pos = 0;
	for(i = 0; i < CPMW_MAX_RANGES; i++)
		pos += snprintf(many + pos, sizeof(many) - pos, "x%c, ", 'a' + i);
	snprintf(many + pos, sizeof(many) - pos, "de");
	assert_string_equal(pick(cat, 0, 127, many), "en");
	memcpy(many + pos - 4, "de, ", 4); /* replace the 16th range */
	assert_string_equal(pick(cat, 0, 127, many), "de");

	/* another default language */
	assert_string_equal(pick(cat, "fr", 127, ""), "fr");
	assert_string_equal(pick(cat, "FR", 127, "*"), "fr");
	assert_string_equal(pick(cat, "fr", 127, "ja"), "fr");
	assert_string_equal(pick(cat, "fr", 127, "en"), "en");
	assert_string_equal(pick(cat, "fr", 127, "de;q=0.5, en;q=0.5"), "de");
	assert_string_equal(pick(cat, "it", 127, ""), "ERROR");
	assert_string_equal(pick(NULL, "en", 127, "de"), "en");
	assert_string_equal(pick(NULL, "de", 127, ""), "ERROR");

	/* the chosen text */
	d = S("en");
	r[0].tag = S("de");
	r[0].q = 1000;
	for(i = 0; i < CPMW_NCODES; i++) {
		assert_int_equal(cpmw_select(cat, &d, table1[i].code, r, 1, &ch), 0);
		assert_str_eq(&ch.text, de_text[i]);
		assert_int_equal(cpmw_select(cat, &d, table1[i].code, r, 0, &ch), 0);
		assert_str_eq(&ch.text, table1[i].en);
		assert_int_equal(cpmw_select(NULL, NULL, table1[i].code, r, 1, &ch), 0);
		assert_str_eq(&ch.text, table1[i].en);
	}
}

static void test_select_partial(void **state)
{
	cpmw_catalog_t *cat;
	cpmw_err_t err;
	cpmw_choice_t ch;
	cpmw_lang_range_t r[CPMW_MAX_RANGES];
	str d = S("de");
	int n;

	/* de has only 127; de-ch has 102; a range "de" reaches de-ch (RFC 2616
	 * prefix match) */
	assert_int_equal(cat_parse("de 127 Nur hier\nde-CH 102 Zvill\n", &cat,
							 &err),
			0);
	assert_string_equal(pick(cat, 0, 102, "de"), "de-ch");
	assert_string_equal(pick(cat, 0, 127, "de"), "de");
	assert_string_equal(pick(cat, 0, 123, "de"), "en");
	assert_string_equal(pick(cat, 0, 102, "de-CH, de"), "de-ch");
	/* default de: code 102 has no de text -> English text */
	assert_int_equal(cpmw_select(cat, &d, 102, r, 0, &ch), 0);
	assert_str_eq(&ch.text, "Too many participants");
	assert_int_equal(cpmw_select(cat, &d, 127, r, 0, &ch), 0);
	assert_str_eq(&ch.text, "Nur hier");
	parse("fr", r, CPMW_MAX_RANGES, &n);
	assert_int_equal(cpmw_select(cat, &d, 127, r, n, &ch), 0);
	assert_str_eq(&ch.lang, "de");
	cpmw_catalog_free(cat);

	/* an exact match beats the de-DE -> de fallback of the same range */
	assert_int_equal(cat_parse("de 127 A\nde-DE 127 B\n", &cat, &err), 0);
	assert_string_equal(pick(cat, 0, 127, "de-DE"), "de-de");
	assert_string_equal(pick(cat, 0, 127, "de-AT"), "de");
	assert_string_equal(pick(cat, 0, 127, "de"), "de");
	cpmw_catalog_free(cat);
}

/* ---- Warning header ---------------------------------------------------- */

static void test_warning_print(void **state)
{
	const char *want = "399 host \"127 Service not authorised\"";
	char buf[256];
	str host = S("host");
	str t = S("Service not authorised");
	int i, len;

	len = cpmw_warning_value_print(buf, sizeof(buf), &host, 127, &t);
	assert_int_equal(len, (int)strlen(want));
	assert_string_equal(buf, want);

	len = cpmw_warning_hdr_print(buf, sizeof(buf), &host, 127, &t);
	assert_int_equal(len, (int)strlen(want) + 11);
	assert_memory_equal(buf, "Warning: ", 9);
	assert_memory_equal(buf + 9, want, strlen(want));
	assert_memory_equal(buf + 9 + strlen(want), "\r\n", 3);

	/* buffer too small: every size up to the exact one fails cleanly */
	for(i = 0; i <= (int)strlen(want); i++) {
		memset(buf, 'Z', sizeof(buf));
		assert_int_equal(
				cpmw_warning_value_print(buf, i, &host, 127, &t), -ENOSPC);
		if(i > 0)
			assert_int_equal(buf[0], '\0');
		assert_int_equal(buf[i], 'Z');
	}
	assert_int_equal(
			cpmw_warning_value_print(buf, i, &host, 127, &t), (int)strlen(want));
	for(i = 0; i <= (int)strlen(want) + 11; i++)
		assert_int_equal(cpmw_warning_hdr_print(buf, i, &host, 127, &t), -ENOSPC);
	assert_int_equal(cpmw_warning_hdr_print(buf, i, &host, 127, &t), i - 1);
	assert_int_equal(
			cpmw_warning_value_print(NULL, 10, &host, 127, &t), -ENOSPC);

	/* IPv6 and host:port agents */
	host = S("[2001:db8::1]:5060");
	assert_true(cpmw_warning_value_print(buf, sizeof(buf), &host, 102, &t) > 0);
	assert_string_equal(buf, "399 [2001:db8::1]:5060 \"102 Service not authorised\"");

	/* bad agents and texts */
	host = S("bad host");
	assert_int_equal(
			cpmw_warning_value_print(buf, sizeof(buf), &host, 127, &t), -EINVAL);
	host = S("");
	assert_int_equal(
			cpmw_warning_value_print(buf, sizeof(buf), &host, 127, &t), -EINVAL);
	host = S("q\"uote");
	assert_int_equal(
			cpmw_warning_value_print(buf, sizeof(buf), &host, 127, &t), -EINVAL);
	host = S("h");
	t = S("line\r\nInjected: yes");
	assert_int_equal(
			cpmw_warning_value_print(buf, sizeof(buf), &host, 127, &t), -EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(
			cpmw_warning_value_print(buf, sizeof(buf), NULL, 127, &t), -EINVAL);
}

static void test_warning_escape(void **state)
{
	char buf[64];
	str host = S("pf.example.com");
	str t = S("say \"hi\" \\o/");

	assert_int_equal(cpmw_warning_value_print(buf, sizeof(buf), &host, 122, &t),
			(int)strlen("399 pf.example.com \"122 say \\\"hi\\\" \\\\o/\""));
	assert_string_equal(buf, "399 pf.example.com \"122 say \\\"hi\\\" \\\\o/\"");
	/* the escapes count against the buffer */
	assert_int_equal(cpmw_warning_value_print(buf, 40, &host, 122, &t), -ENOSPC);

	/* UTF-8 passes as is */
	t = S("Anonymität nicht erlaubt");
	assert_true(cpmw_warning_value_print(buf, sizeof(buf), &host, 119, &t) > 0);
	assert_string_equal(buf, "399 pf.example.com \"119 Anonymität nicht erlaubt\"");
}

static void test_warning_parse(void **state)
{
	static const char *bad[] = {"", "399", "399 h", "399 h \"x", "39 h \"x\"",
			"3990 h \"x\"", "399  h \"x\"", "399 h x", "399 h \"x\" y",
			"399 h \"x\\", "399 b@d \"x\"", "399 h \"a\"b\"", "x99 h \"x\"",
			"399 h \"x\x01\"", "399 h \"a\\\rb\"", "399 h \"a\\\xc3\xa4\""};
	char text[64];
	int code, tlen;
	unsigned i;
	str in, agent;

	in = S(" 399 pf.example.com   \"127 a \\\"b\\\" \\\\ c\" ");
	assert_int_equal(
			cpmw_warning_value_parse(&in, &code, &agent, text, 64, &tlen), 0);
	assert_int_equal(code, 399);
	assert_str_eq(&agent, "pf.example.com");
	assert_string_equal(text, "127 a \"b\" \\ c");
	assert_int_equal(tlen, (int)strlen("127 a \"b\" \\ c"));

	in = S("399 h \"0123456789\"");
	assert_int_equal(
			cpmw_warning_value_parse(&in, &code, &agent, text, 10, &tlen),
			-ENOSPC);
	assert_int_equal(
			cpmw_warning_value_parse(&in, &code, &agent, text, 11, &tlen), 0);
	assert_string_equal(text, "0123456789");

	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in = S(bad[i]);
		if(cpmw_warning_value_parse(&in, &code, &agent, text, 64, &tlen)
				!= -EINVAL)
			fail_msg("[%s] accepted", bad[i]);
	}
}

/* printed warning-values parse back to what was printed (every code, every
 * language, plus texts that need escaping) */
static void test_warning_roundtrip(void **state)
{
	const cpmw_catalog_t *cat = *state;
	static const char *extra[] = {"a\"b", "\\", "\"\\\"", "x\\\"y"};
	char buf[CPMW_HDR_MAX], text[CPMW_HDR_MAX], want[CPMW_HDR_MAX];
	str host = S("127.0.0.1"), in, agent, t;
	int i, l, code, tlen, len;

	for(i = 0; i < CPMW_NCODES; i++) {
		for(l = -1; l < cat->nlangs + (int)(sizeof(extra) / sizeof(extra[0]));
				l++) {
			if(l < 0)
				t = *cpmw_code_text_en(table1[i].code);
			else if(l < cat->nlangs)
				t = cat->lang[l].text[i];
			else
				t = S(extra[l - cat->nlangs]);
			len = cpmw_warning_value_print(
					buf, sizeof(buf), &host, table1[i].code, &t);
			assert_true(len > 0);
			in.s = buf;
			in.len = len;
			assert_int_equal(cpmw_warning_value_parse(&in, &code, &agent, text,
									 sizeof(text), &tlen),
					0);
			assert_int_equal(code, CPMW_WARN_CODE);
			assert_str_eq(&agent, "127.0.0.1");
			snprintf(want, sizeof(want), "%d %.*s", table1[i].code, t.len,
					t.s);
			assert_string_equal(text, want);
		}
	}
}

static void test_host_valid(void **state)
{
	static const char *good[] = {"h", "127.0.0.1", "pf.example.com:5060",
			"[::1]", "[2001:db8::1]:5061", "pseudo_nym~1"};
	static const char *bad[] = {"", "a b", "a\"b", "a,b", "a;b", "a/b",
			"a\r\nb", "a@b"};
	char big[CPMW_HOST_MAX + 2];
	unsigned i;
	str s;

	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		s = S(good[i]);
		if(cpmw_host_valid(&s) != 0)
			fail_msg("[%s] refused", good[i]);
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = S(bad[i]);
		if(cpmw_host_valid(&s) != -EINVAL)
			fail_msg("[%s] accepted", bad[i]);
	}
	memset(big, 'a', sizeof(big));
	s.s = big;
	s.len = CPMW_HOST_MAX;
	assert_int_equal(cpmw_host_valid(&s), 0);
	s.len = CPMW_HOST_MAX + 1;
	assert_int_equal(cpmw_host_valid(&s), -EINVAL);
}

/* a reason phrase from a variable / KEMI / the C API: no control character
 * (CR, LF would inject headers; NUL, HTAB, other CTL, DEL) */
static void test_reason_valid(void **state)
{
	static const char *ok[] = {"Group Full", "", "Zu viele Teilnehmer",
			"Service non autoris\xc3\xa9", "a~!@#$%^&*()_+{}|:\"<>?"};
	static const struct {
		const char *s;
		int len, pos;
	} bad[] = {{"Ok\r\nX-Injected: 1", 18, 2}, {"Ok\nX", 4, 2},
			{"Bu\0sy", 5, 2}, {"Bu\x7fsy", 5, 2}, {"\tBusy", 5, 0},
			{"Busy\x1b", 5, 4}, {"Busy\x1f", 5, 4}};
	unsigned int i;
	int pos;
	str s;

	for(i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s.s = (char *)ok[i];
		s.len = strlen(ok[i]);
		assert_int_equal(cpmw_reason_valid(&s, &pos), 0);
	}
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s.s = (char *)bad[i].s;
		s.len = bad[i].len;
		pos = -1;
		assert_int_equal(cpmw_reason_valid(&s, &pos), -EBADMSG);
		assert_int_equal(pos, bad[i].pos);
	}
	/* every CTL and DEL, alone */
	for(i = 0; i < 0x80; i++) {
		char c = (char)i;
		s.s = &c;
		s.len = 1;
		assert_int_equal(cpmw_reason_valid(&s, NULL),
				(i < 0x20 || i == 0x7f) ? -EBADMSG : 0);
	}
	assert_int_equal(cpmw_reason_valid(NULL, NULL), -EINVAL);
	s.s = NULL;
	s.len = 3;
	assert_int_equal(cpmw_reason_valid(&s, NULL), -EINVAL);
}

/* the language of an Accept-Language value the caller learned, e.g. from a
 * participant's 2xx (seed 6.4.1), not from the request */
static void test_select_al(void **state)
{
	const cpmw_catalog_t *cat = *state;
	cpmw_choice_t ch;
	str d = S("en"), al;

	al = (str)S("de");
	assert_int_equal(cpmw_select_al(cat, &d, 127, &al, &ch), 0);
	assert_int_equal(ch.lang.len, 2);
	assert_memory_equal(ch.lang.s, "de", 2);
	assert_int_equal(ch.text.len, (int)strlen("Dienst nicht autorisiert"));
	assert_memory_equal(ch.text.s, "Dienst nicht autorisiert", ch.text.len);
	al = (str)S("fr;q=0.2, de;q=0.1");
	assert_int_equal(cpmw_select_al(cat, &d, 127, &al, &ch), 0);
	assert_memory_equal(ch.lang.s, "fr", 2);
	/* the same as the request path with that header */
	assert_string_equal(pick(cat, 0, 127, "fr;q=0.2, de;q=0.1"), "fr");
	/* nothing learned: the default language */
	assert_int_equal(cpmw_select_al(cat, &d, 127, NULL, &ch), 0);
	assert_memory_equal(ch.lang.s, "en", 2);
	al = (str)S("");
	assert_int_equal(cpmw_select_al(cat, &d, 127, &al, &ch), 0);
	assert_memory_equal(ch.lang.s, "en", 2);
	/* garbage is skipped, not fatal; unknown code still refused */
	al = (str)S("1x;q=zz, fr");
	assert_int_equal(cpmw_select_al(cat, &d, 127, &al, &ch), 0);
	assert_memory_equal(ch.lang.s, "fr", 2);
	assert_int_equal(cpmw_select_al(cat, &d, 128, &al, &ch), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_table1_english),
			cmocka_unit_test(test_unknown_code_refused),
				cmocka_unit_test(test_al_parse_basic),
			cmocka_unit_test(test_al_parse_malformed),
			cmocka_unit_test(test_al_parse_cap),
			cmocka_unit_test(test_al_print_roundtrip),
			cmocka_unit_test(test_lang_tag_valid),
			cmocka_unit_test(test_catalog_good),
			cmocka_unit_test(test_catalog_errors),
			cmocka_unit_test(test_catalog_limits),
			cmocka_unit_test(test_catalog_file),
			cmocka_unit_test(test_select),
			cmocka_unit_test(test_select_partial),
			cmocka_unit_test(test_warning_print),
			cmocka_unit_test(test_warning_escape),
			cmocka_unit_test(test_warning_parse),
			cmocka_unit_test(test_warning_roundtrip),
			cmocka_unit_test(test_host_valid),
			cmocka_unit_test(test_reason_valid),
			cmocka_unit_test(test_select_al),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
