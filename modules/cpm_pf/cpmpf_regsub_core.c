/*
 * cpm_pf: the reg-event subscription's life, pure code
 * (cpmpf_regsub_core.h).
 *
 * RFC 6665 8.4 (and RFC 3261 25.1 for the tokens), the header body parsed:
 *
 *   Subscription-State   = "Subscription-State" HCOLON substate-value
 *                          *( SEMI subexp-params )
 *   substate-value       = "active" / "pending" / "terminated"
 *                          / extension-substate
 *   extension-substate   = token
 *   subexp-params        =   ("reason" EQUAL event-reason-value)
 *                          / ("expires" EQUAL delta-seconds)
 *                          / ("retry-after" EQUAL delta-seconds)
 *                          / generic-param
 *   event-reason-value   =   "deactivated" / "probation" / "rejected"
 *                          / "timeout" / "giveup" / "noresource"
 *                          / "invariant" / event-reason-extension
 *   event-reason-extension = token
 *   delta-seconds        = 1*DIGIT
 *   generic-param        = token [ EQUAL gen-value ]
 *   gen-value            = token / host / quoted-string
 *   SEMI = SWS ";" SWS,  EQUAL = SWS "=" SWS
 *
 * Values are case-insensitive (RFC 3261 7.3.1); generic parameters are
 * skipped; a parameter named twice keeps its first value.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cpmpf_regsub_core.h"

#define DELTA_MAX 2147483647L

static int is_tokc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9')
		   || (c != '\0' && strchr("-.!%*_+`'~", c) != NULL);
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int ieq(const str *t, const char *lit)
{
	int n = strlen(lit);
	return t->len == n && strncasecmp(t->s, lit, n) == 0;
}

static void skip_ws(const char *s, int len, int *p)
{
	while(*p < len && is_ws(s[*p]))
		(*p)++;
}

static int token(const char *s, int len, int *p, str *t)
{
	t->s = (char *)s + *p;
	while(*p < len && s[*p] != '\0' && is_tokc(s[*p]))
		(*p)++;
	t->len = (int)(s + *p - t->s);
	return t->len > 0 ? 0 : -EINVAL;
}

/* gen-value: a token / host (token characters plus ":[]" for IPv6) or a
 * quoted-string */
static int gen_value(const char *s, int len, int *p)
{
	int start = *p;

	if(*p < len && s[*p] == '"') {
		for((*p)++; *p < len && s[*p] != '"'; (*p)++) {
			if(s[*p] == '\\' && *p + 1 < len)
				(*p)++;
			else if(s[*p] == '\0')
				return -EINVAL;
		}
		if(*p >= len)
			return -EINVAL;
		(*p)++;
		return 0;
	}
	while(*p < len && s[*p] != '\0'
			&& (is_tokc(s[*p]) || s[*p] == ':' || s[*p] == '['
					|| s[*p] == ']'))
		(*p)++;
	return *p > start ? 0 : -EINVAL;
}

static int delta(const str *t, long *out)
{
	long v = 0;
	int i;

	if(t->len <= 0)
		return -EINVAL;
	for(i = 0; i < t->len; i++) {
		if(t->s[i] < '0' || t->s[i] > '9')
			return -EINVAL;
		v = v * 10 + (t->s[i] - '0');
		if(v > DELTA_MAX)
			v = DELTA_MAX; /* RFC 3261 20.19 style: cap, not refuse */
	}
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	cpmpf_ss_reason_t r;
} reasons[] = {{"deactivated", CPMPF_SR_DEACTIVATED},
		{"probation", CPMPF_SR_PROBATION}, {"rejected", CPMPF_SR_REJECTED},
		{"timeout", CPMPF_SR_TIMEOUT}, {"giveup", CPMPF_SR_GIVEUP},
		{"noresource", CPMPF_SR_NORESOURCE},
		{"invariant", CPMPF_SR_INVARIANT}};

int cpmpf_substate_parse(const char *s, int len, cpmpf_substate_t *out)
{
	int p = 0, have_reason = 0, i;
	str name, val;

	if(s == NULL || len < 0 || out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->expires = -1;
	out->retry_after = -1;
	skip_ws(s, len, &p);
	if(token(s, len, &p, &out->state_tok) < 0)
		return -EINVAL;
	if(ieq(&out->state_tok, "active"))
		out->state = CPMPF_SS_ACTIVE;
	else if(ieq(&out->state_tok, "pending"))
		out->state = CPMPF_SS_PENDING;
	else if(ieq(&out->state_tok, "terminated"))
		out->state = CPMPF_SS_TERMINATED;
	else
		out->state = CPMPF_SS_OTHER;
	for(;;) {
		skip_ws(s, len, &p);
		if(p >= len)
			break;
		if(s[p] != ';')
			return -EINVAL;
		p++;
		skip_ws(s, len, &p);
		if(token(s, len, &p, &name) < 0)
			return -EINVAL;
		skip_ws(s, len, &p);
		val.s = NULL;
		val.len = 0;
		if(p < len && s[p] == '=') {
			p++;
			skip_ws(s, len, &p);
			val.s = (char *)s + p;
			if(gen_value(s, len, &p) < 0)
				return -EINVAL;
			val.len = (int)(s + p - val.s);
		}
		if(ieq(&name, "reason")) {
			if(val.len == 0 || val.s[0] == '"' || !is_tokc(val.s[0]))
				return -EINVAL;
			for(i = 0; i < val.len; i++)
				if(!is_tokc(val.s[i]))
					return -EINVAL;
			if(have_reason)
				continue;
			have_reason = 1;
			out->reason_tok = val;
			out->reason = CPMPF_SR_OTHER;
			for(i = 0; i < (int)(sizeof(reasons) / sizeof(reasons[0])); i++)
				if(ieq(&val, reasons[i].name))
					out->reason = reasons[i].r;
		} else if(ieq(&name, "expires")) {
			long v;
			if(delta(&val, &v) < 0)
				return -EINVAL;
			if(out->expires < 0)
				out->expires = v;
		} else if(ieq(&name, "retry-after")) {
			long v;
			if(delta(&val, &v) < 0)
				return -EINVAL;
			if(out->retry_after < 0)
				out->retry_after = v;
		}
		/* generic-param: skipped */
	}
	return 0;
}

int cpmpf_substate_print(const cpmpf_substate_t *ss, char *buf, int size)
{
	int n, m;

	if(ss == NULL || buf == NULL || size <= 0 || ss->state_tok.len <= 0)
		return -EINVAL;
	n = snprintf(buf, size, "%.*s", ss->state_tok.len, ss->state_tok.s);
	if(n < 0 || n >= size)
		return -ENOSPC;
	if(ss->reason != CPMPF_SR_NONE) {
		m = snprintf(buf + n, size - n, ";reason=%.*s", ss->reason_tok.len,
				ss->reason_tok.s);
		if(m < 0 || m >= size - n)
			return -ENOSPC;
		n += m;
	}
	if(ss->expires >= 0) {
		m = snprintf(buf + n, size - n, ";expires=%ld", ss->expires);
		if(m < 0 || m >= size - n)
			return -ENOSPC;
		n += m;
	}
	if(ss->retry_after >= 0) {
		m = snprintf(buf + n, size - n, ";retry-after=%ld", ss->retry_after);
		if(m < 0 || m >= size - n)
			return -ENOSPC;
		n += m;
	}
	return n;
}

long cpmpf_substate_resubscribe(const cpmpf_substate_t *ss, long later)
{
	if(ss == NULL || ss->state != CPMPF_SS_TERMINATED)
		return -1;
	switch(ss->reason) {
		case CPMPF_SR_REJECTED:
		case CPMPF_SR_NORESOURCE:
		case CPMPF_SR_INVARIANT:
			return -1;
		case CPMPF_SR_PROBATION:
		case CPMPF_SR_GIVEUP:
			return ss->retry_after >= 0 ? ss->retry_after : later;
		default: /* deactivated, timeout, none, an extension */
			return 0;
	}
}

unsigned int cpmpf_sub_refresh_in(unsigned int expires)
{
	unsigned int r;

	if(expires == 0)
		return 0;
	r = expires / 2;
	if(r < 1)
		r = 1;
	return r;
}
