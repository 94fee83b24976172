/*
 * cpm_pf interworking core: see cpmpf_isf_core.h.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "cpmpf_identity_core.h"
#include "cpmpf_isf_core.h"

/* global-number-digits = "+" *phonedigit DIGIT *phonedigit
 * phonedigit = DIGIT / visual-separator; visual-separator = "-" / "." /
 * "(" / ")"  (RFC 3966 3) */
int cpmpf_is_global_number(const str *u)
{
	int i, digits = 0;

	if(u == NULL || u->s == NULL || u->len < 2 || u->s[0] != '+')
		return 0;
	for(i = 1; i < u->len; i++) {
		char c = u->s[i];
		if(c >= '0' && c <= '9')
			digits++;
		else if(c != '-' && c != '.' && c != '(' && c != ')')
			return 0;
	}
	return digits > 0;
}

int cpmpf_tel_target(int is_tel, const str *user, const str *user_param,
		char *buf, int size)
{
	char tmp[CPMPF_URI_MAX];
	int phone, kind = 0, n;

	if(user == NULL || buf == NULL || size <= 0)
		return -EINVAL;
	phone = user_param && user_param->len == 5
			&& strncasecmp(user_param->s, "phone", 5) == 0;
	if(!is_tel && !phone && !cpmpf_is_global_number(user))
		return 0;
	/* the SIP user part of user=phone is a telephone-subscriber (RFC 3261
	 * 19.1.6): as a tel: URI it normalizes like one */
	if(user->s == NULL || user->len <= 0 || user->len + 4 >= (int)sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, "tel:", 4);
	memcpy(tmp + 4, user->s, user->len);
	n = cpmpf_uri_norm(tmp, user->len + 4, buf, size, &kind);
	if(n < 0)
		return n;
	return kind == CPMPF_URI_TEL ? n : -EINVAL;
}
