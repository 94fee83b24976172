/*
 * Shared harness of the property tests (test_cpm_fuzz.c,
 * test_cpm_lex_fuzz.c, test_cpm_msg_fuzz.c): a fixed-seed xorshift64* generator, the property /
 * iteration / input bookkeeping, and CHECK(), which prints the property,
 * the iteration, the seed and the input (printable octets as they are, the
 * others as \xNN) before failing the cmocka test.
 *
 * A test defines FUZZ_SEED, includes this file once, and calls
 * prop_env() at the start of main(): CPM_FUZZ_SEED=<n> changes the seed,
 * CPM_FUZZ_SCALE=<n> multiplies the iteration counts (iters()).
 */
#ifndef CPM_PROP_H
#define CPM_PROP_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static uint64_t g_seed = FUZZ_SEED;
static int g_scale = 1;
static uint64_t rs;
static const char *g_prop = "";
static int g_iter;
static const char *g_in;
static int g_inlen;
static int g_st[8]; /* coverage counters of the current property */
#define ST(i) (g_st[i]++)

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1Dull;
}

static unsigned rn(unsigned n)
{
	return n ? (unsigned)(rnd() % n) : 0;
}

static int chance(unsigned pct)
{
	return rn(100) < pct;
}

/* start property `prop`: its own stream of the seed */
static void begin(const char *prop, uint64_t salt)
{
	g_prop = prop;
	g_iter = 0;
	memset(g_st, 0, sizeof(g_st));
	rs = g_seed ^ (salt * 0x9E3779B97F4A7C15ull);
	if(rs == 0)
		rs = 1;
	g_in = NULL;
	g_inlen = 0;
}

static void dump_input(void)
{
	int i;

	fprintf(stderr, "# property %s, iteration %d, seed 0x%llx, input (%d): \"",
			g_prop, g_iter, (unsigned long long)g_seed, g_inlen);
	for(i = 0; g_in != NULL && i < g_inlen; i++) {
		unsigned char c = (unsigned char)g_in[i];
		if(c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\"\n");
}

#define CHECK(cond, ...)                       \
	do {                                       \
		if(!(cond)) {                          \
			dump_input();                      \
			fprintf(stderr, "# " __VA_ARGS__); \
			fprintf(stderr, "\n");             \
			fail_msg("%s: %s", g_prop, #cond); \
		}                                      \
	} while(0)

static int iters(int n)
{
	return n * g_scale;
}

/* coverage counters as a TAP comment: shows the property was really
 * exercised (accepted inputs, round trips, error classes) */
static __attribute__((unused, format(printf, 1, 2))) void stats(const char *fmt, ...)
{
	va_list ap;
	char line[256];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	print_message("# %s: %d iterations; %s\n", g_prop, g_iter + 1, line);
}

/* A random text of up to max pieces drawn from pieces[0..n) (each piece a
 * few octets: the caller's alphabet of ASCII, markup and UTF-8 sequences),
 * written at dst, which must hold max times the longest piece; no SP at
 * either end, because the XML parsers trim text content.  Its length. */
static __attribute__((unused)) int prop_text(
		char *dst, int max, const char *const *pieces, int n)
{
	int cnt = (int)rn(max), k = 0, i, l;

	for(i = 0; i < cnt; i++) {
		const char *p = pieces[rn(n)];
		l = (int)strlen(p);
		memcpy(dst + k, p, l);
		k += l;
	}
	while(k > 0 && dst[k - 1] == ' ')
		k--;
	while(k > 0 && dst[0] == ' ') {
		memmove(dst, dst + 1, k - 1);
		k--;
	}
	return k;
}

/* Mutates in[0..len) in place, 1 to rounds+1 times: an octet replaced by a
 * random one, or (pct percent of those) by one of the parser's own
 * delimiters from alpha, or the text cut short.  The new length (>= 1). */
static __attribute__((unused)) int prop_mutate(
		char *in, int len, unsigned rounds, const char *alpha, unsigned pct)
{
	int j, na = (int)strlen(alpha);

	for(j = (int)rn(rounds); j >= 0; j--) {
		switch(rn(3)) {
			case 0:
				in[rn(len)] = (char)rnd();
				break;
			case 1:
				in[rn(len)] = chance(pct) ? alpha[rn(na)] : (char)rnd();
				break;
			default:
				len = (int)rn(len) + 1;
		}
	}
	return len;
}

/* CPM_FUZZ_SEED / CPM_FUZZ_SCALE from the environment */
static void prop_env(void)
{
	const char *e;

	if((e = getenv("CPM_FUZZ_SEED")) != NULL)
		g_seed = strtoull(e, NULL, 0);
	if((e = getenv("CPM_FUZZ_SCALE")) != NULL && atoi(e) > 0)
		g_scale = atoi(e);
}

#endif
