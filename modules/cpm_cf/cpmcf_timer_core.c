/*
 * cpm_cf: session timer and in-dialog failures, pure code
 * (cpmcf_timer_core.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cpmcf_timer_core.h"

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* delta-seconds at s[*i]: 1*DIGIT */
static int delta(const char *s, int len, int *i, unsigned int *v)
{
	unsigned long long d = 0;
	int k = *i;

	while(k < len && is_ws(s[k]))
		k++;
	if(k >= len || s[k] < '0' || s[k] > '9')
		return -EINVAL;
	for(; k < len && s[k] >= '0' && s[k] <= '9'; k++) {
		d = d * 10 + (s[k] - '0');
		if(d > CPMCF_SE_MAX)
			return -EINVAL;
	}
	*v = (unsigned int)d;
	*i = k;
	return 0;
}

static int tokch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9') || strchr("-.!%*_+`'~", c) != NULL;
}

/* *(SEMI generic-param) from s[i]; the refresher when rf is not NULL */
static int params(const char *s, int len, int i, cpmcf_refresher_t *rf)
{
	int ns, ne, vs, ve;

	for(;;) {
		while(i < len && is_ws(s[i]))
			i++;
		if(i >= len)
			return 0;
		if(s[i] != ';')
			return -EINVAL;
		i++;
		while(i < len && is_ws(s[i]))
			i++;
		for(ns = i; i < len && tokch(s[i]); i++)
			;
		ne = i;
		if(ne == ns)
			return -EINVAL;
		while(i < len && is_ws(s[i]))
			i++;
		vs = ve = i;
		if(i < len && s[i] == '=') {
			i++;
			while(i < len && is_ws(s[i]))
				i++;
			if(i < len && s[i] == '"') {
				/* quoted-string */
				for(vs = i++; i < len && s[i] != '"'; i++)
					if(s[i] == '\\')
						i++;
				if(i >= len)
					return -EINVAL;
				ve = ++i;
			} else {
				/* token / host */
				for(vs = i; i < len && (tokch(s[i]) || s[i] == ':'
										|| s[i] == '[' || s[i] == ']');
						i++)
					;
				ve = i;
				if(ve == vs)
					return -EINVAL;
			}
		}
		if(rf && ne - ns == 9 && strncasecmp(s + ns, "refresher", 9) == 0) {
			if(ve - vs == 3 && strncasecmp(s + vs, "uac", 3) == 0)
				*rf = CPMCF_RF_UAC;
			else if(ve - vs == 3 && strncasecmp(s + vs, "uas", 3) == 0)
				*rf = CPMCF_RF_UAS;
			else
				return -EINVAL;
		}
	}
}

int cpmcf_se_parse(const char *s, int len, cpmcf_se_t *se)
{
	int i = 0;

	se->refresher = CPMCF_RF_NONE;
	if(s == NULL || len <= 0 || delta(s, len, &i, &se->delta) < 0)
		return -EINVAL;
	return params(s, len, i, &se->refresher);
}

int cpmcf_se_print(const cpmcf_se_t *se, char *buf, int size)
{
	int n = snprintf(buf, size, "%u%s", se->delta,
			se->refresher == CPMCF_RF_UAC	? ";refresher=uac"
			: se->refresher == CPMCF_RF_UAS ? ";refresher=uas"
											: "");
	return (n < 0 || n >= size) ? -ENOSPC : n;
}

int cpmcf_minse_parse(const char *s, int len, unsigned int *v)
{
	int i = 0;

	if(s == NULL || len <= 0 || delta(s, len, &i, v) < 0)
		return -EINVAL;
	return params(s, len, i, NULL);
}

int cpmcf_st_uas(const cpmcf_st_req_t *rq, unsigned int local_se,
		unsigned int local_min, cpmcf_st_ans_t *out)
{
	unsigned int d = local_se, floor = local_min;

	memset(out, 0, sizeof(*out));
	if(rq->has_se) {
		/* RFC 4028 8.1 / 9: too short for this UAS: 422 + Min-SE */
		if(rq->se.delta < local_min)
			return -ERANGE;
		if(rq->se.delta < d)
			d = rq->se.delta;
	}
	/* RFC 4028 9: never below the request's Min-SE */
	if(rq->has_minse && rq->minse > floor)
		floor = rq->minse;
	if(d < floor)
		d = floor;
	out->delta = d;
	if(rq->has_se && rq->se.refresher != CPMCF_RF_NONE)
		out->refresher = rq->se.refresher;
	else
		out->refresher = rq->supported ? CPMCF_RF_UAC : CPMCF_RF_UAS;
	/* RFC 4028 9: Require: timer only toward a UAC that supports it */
	out->require = rq->supported;
	/* a UAC without the timer cannot refresh: the focus does */
	if(!rq->supported)
		out->refresher = CPMCF_RF_UAS;
	return 0;
}

unsigned int cpmcf_st_deadline(unsigned int delta)
{
	unsigned int m = delta / 3 < 32 ? delta / 3 : 32;

	return delta - m;
}

unsigned int cpmcf_st_refresh_at(unsigned int delta)
{
	return delta / 2 > 0 ? delta / 2 : 1;
}

int cpmcf_usage_gone(int code, int is_notify)
{
	switch(code) {
		case 481: /* the dialog is gone */
		case 408: /* timed out: the participant does not answer */
		case 404:
		case 410:
		case 416:
		case 480:
		case 482:
		case 483:
		case 484:
		case 485:
			return 1;
		case 489:
			return !is_notify;
	}
	return 0;
}
