/*
 * cpm_headers: pure code for the CPM conversation identification headers
 * (seed section 5.3).  See cpmh_id.h for the API.
 *
 * Value syntax used by this module (the formal definition of the seed's
 * Appendix C is not available to us; the values are opaque identifiers, so
 * the module accepts exactly an RFC 3261 token, which covers UUIDs and every
 * identifier form seen in the field):
 *
 *   Conversation-ID           = "Conversation-ID" HCOLON cpm-id
 *   Contribution-ID           = "Contribution-ID" HCOLON cpm-id
 *   InReplyTo-Contribution-ID = "InReplyTo-Contribution-ID" HCOLON cpm-id
 *   cpm-id     = 1*token-char      ; 1 .. max_id_length octets
 *   token-char = alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+"
 *                / "`" / "'" / "~"                   ; RFC 3261 token
 *   HCOLON     = *( SP / HTAB ) ":" SWS              ; RFC 3261
 *
 * Leading and trailing LWS around cpm-id is not part of the value.  A
 * header occurring more than once is a "duplicate" (each header carries one
 * identity; seed 5.3).  Names are matched case-insensitively, values are
 * compared octet by octet.
 */
#include <errno.h>
#include <string.h>

#include <uuid/uuid.h>

#include <stddef.h>

#include "../../lib/cpm_lex.h"
#include "cpmh_id.h"

/* lib/cpm_lex takes (s, len) and offers cpm_str_t for Kamailio's str:
 * the two must keep one layout */
_Static_assert(sizeof(cpm_str_t) == sizeof(str)
					   && offsetof(cpm_str_t, s) == offsetof(str, s)
					   && offsetof(cpm_str_t, len) == offsetof(str, len),
		"cpm_str_t and str differ");

static const str cpmh_names[CPMH_ID_COUNT] = {
	{"Conversation-ID", sizeof("Conversation-ID") - 1},
	{"Contribution-ID", sizeof("Contribution-ID") - 1},
	{"InReplyTo-Contribution-ID", sizeof("InReplyTo-Contribution-ID") - 1},
};

const str *cpmh_name(cpmh_id_t id)
{
	if(id < 0 || id >= CPMH_ID_COUNT)
		return NULL;
	return &cpmh_names[id];
}

/*
 * token-char = alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`"
 *              / "'" / "~"                                 (RFC 3261 25.1)
 * The class table of lib/cpm_lex.c.
 */
int cpmh_is_token_char(int c)
{
	return cpm_lex_is_token(c);
}

/*
 * header-name = token, compared case-insensitively with its length, like
 * the core's parse_sip_header_name() does for HDR_OTHER_T names.
 */
cpmh_id_t cpmh_lookup(const str *name)
{
	const char *s;
	int len, i;

	if(name == NULL || name->s == NULL || name->len <= 0)
		return CPMH_ID_NONE;
	/* runs for every header of every request: the inline class test and
	 * the length comparison first, the library calls only when needed */
	s = name->s;
	len = name->len;
	if(cpm_lex_is_wsp((unsigned char)s[0])) {
		i = cpm_lex_span(s, len, CPM_LEX_WSP);
		s += i;
		len -= i;
	}
	while(len > 0 && cpm_lex_is_wsp((unsigned char)s[len - 1]))
		len--;
	for(i = 0; i < CPMH_ID_COUNT; i++) {
		if(len == cpmh_names[i].len
				&& cpm_lex_ieq(s, len, cpmh_names[i].s, len))
			return (cpmh_id_t)i;
	}
	return CPMH_ID_NONE;
}

/*
 * LWS = [*WSP CRLF] 1*WSP   (RFC 3261 25.1)
 * Leading: WSP and folded line breaks (CRLF / LF followed by WSP).
 * Trailing: WSP and the line terminator (CR / LF), as the core's trim_r.
 */
int cpmh_trim_lws(const str *in, str *out)
{
	int off, len;

	if(in == NULL || out == NULL)
		return -EINVAL;
	len = cpm_lex_trim_lws(in->s, in->len, &off);
	if(len < 0)
		return len;
	out->s = in->s + off;
	out->len = len;
	return 0;
}

/*
 * cpm-id = 1*token-char   ; length 1 .. max_len after stripping LWS
 * Anything else (empty, only LWS, embedded SP, CR/LF/NUL/CTL, non-ASCII,
 * "a, b" lists) is malformed.
 */
int cpmh_parse_value(const str *body, int max_len, str *value)
{
	str v;
	int err;

	if(body == NULL || value == NULL || max_len <= 0)
		return -EINVAL;
	err = cpmh_trim_lws(body, &v);
	if(err)
		goto out;
	if(v.len == 0) {
		err = -ENODATA;
		goto out;
	}
	if(v.len > max_len) {
		err = -EMSGSIZE;
		goto out;
	}
	if(!cpm_lex_is_token_str(v.s, v.len)) {
		err = -EBADMSG;
		goto out;
	}
	*value = v;
out:
	return err;
}

/*
 * line = header-name *WSP ":" body [CRLF]   (cpm_lex_hdr_split)
 */
int cpmh_parse_line(const str *line, int max_len, cpmh_id_t *id,
		str *value)
{
	str name, body;
	int voff, err;

	if(line == NULL || line->s == NULL || line->len <= 0 || id == NULL
			|| value == NULL)
		return -EINVAL;
	err = cpm_lex_hdr_split(line->s, line->len, &name.len, &voff);
	if(err)
		goto out;
	name.s = line->s;
	*id = cpmh_lookup(&name);
	if(*id == CPMH_ID_NONE) {
		err = -ENOENT;
		goto out;
	}
	body.s = line->s + voff;
	body.len = line->len - voff;
	err = cpmh_parse_value(&body, max_len, value);
out:
	return err;
}

static int is_token(const str *s)
{
	return s != NULL && cpm_lex_is_token_str(s->s, s->len);
}

/*
 * Printer paired with cpmh_parse_line(): "<name>: <value>\r\n".
 */
int cpmh_print(const str *name, const str *value, char *buf, int *len)
{
	long need;
	char *p;

	if(buf == NULL || len == NULL || *len < 0 || !is_token(name)
			|| !is_token(value))
		return -EINVAL;
	need = (long)name->len + 2 + (long)value->len + 2;
	if(need > *len)
		return -ENOSPC;
	p = buf;
	memcpy(p, name->s, name->len);
	p += name->len;
	*p++ = ':';
	*p++ = ' ';
	memcpy(p, value->s, value->len);
	p += value->len;
	*p++ = '\r';
	*p++ = '\n';
	*len = (int)(p - buf);
	return 0;
}

void cpmh_check_init(cpmh_check_t *c, int max_len)
{
	if(c == NULL)
		return;
	memset(c, 0, sizeof(*c));
	c->max_len = max_len;
}

int cpmh_check_add(cpmh_check_t *c, const str *name, const str *body)
{
	cpmh_id_t id;
	cpmh_slot_t *sl;
	str empty = {"", 0};

	if(c == NULL || name == NULL)
		return -EINVAL;
	id = cpmh_lookup(name);
	if(id == CPMH_ID_NONE)
		return 0;
	sl = &c->slot[id];
	if(sl->count++ == 0) {
		/* NULL body: treat as empty */
		sl->status = cpmh_parse_value(
				(body && body->s) ? body : &empty, c->max_len, &sl->value);
		if(sl->status == -EINVAL) /* e.g. max_len <= 0 */
			sl->status = -EBADMSG;
	}
	return 1;
}

/*
 * Order (first problem wins): Conversation-ID, Contribution-ID,
 * InReplyTo-Contribution-ID; per header: missing, duplicate, malformed.
 *
 * A missing Conversation-ID is not a problem when a Contribution-ID is
 * present: RCS 5.x clients (rcsjta) send only a Contribution-ID (the chat
 * ID).  Such a message is classified CPMH_CHECK_CONTRIB_ONLY once the other
 * two headers passed the same checks; seed 5.3 (both present) is
 * CPMH_CHECK_OK.  Without a Contribution-ID the missing Conversation-ID is
 * reported first, as before.
 */
cpmh_check_rc_t cpmh_check_result(const cpmh_check_t *c,
		cpmh_id_t *err_hdr)
{
	int i, any = 0;
	cpmh_check_rc_t rc = CPMH_CHECK_OK;
	cpmh_id_t bad = CPMH_ID_NONE;

	if(c == NULL) {
		rc = CPMH_CHECK_MALFORMED;
		goto out;
	}
	for(i = 0; i < CPMH_ID_COUNT; i++)
		any |= c->slot[i].count > 0;
	if(!any) {
		rc = CPMH_CHECK_NONE;
		goto out;
	}
	for(i = 0; i < CPMH_ID_COUNT; i++) {
		const cpmh_slot_t *sl = &c->slot[i];
		if(sl->count == 0) {
			if(i == CPMH_ID_INREPLYTO_CONTRIBUTION_ID)
				continue;
			if(i == CPMH_ID_CONVERSATION_ID
					&& c->slot[CPMH_ID_CONTRIBUTION_ID].count > 0) {
				rc = CPMH_CHECK_CONTRIB_ONLY; /* unless a later problem */
				continue;
			}
			rc = CPMH_CHECK_MISSING;
		} else if(sl->count > 1) {
			rc = CPMH_CHECK_DUPLICATE;
		} else if(sl->status != 0) {
			rc = CPMH_CHECK_MALFORMED;
		} else {
			continue;
		}
		bad = (cpmh_id_t)i;
		break;
	}
out:
	if(err_hdr)
		*err_hdr = bad;
	return rc;
}

cpmh_check_rc_t cpmh_check_fields(const cpmh_field_t *f, int n,
		int max_len, cpmh_id_t *err_hdr, cpmh_check_t *c)
{
	cpmh_check_t local;
	int i;

	if(c == NULL)
		c = &local;
	cpmh_check_init(c, max_len);
	for(i = 0; f != NULL && i < n; i++)
		cpmh_check_add(c, &f[i].name, &f[i].body);
	return cpmh_check_result(c, err_hdr);
}

int cpmh_check_value(const cpmh_check_t *c, cpmh_id_t id, str *v)
{
	if(c == NULL || v == NULL || id < 0 || id >= CPMH_ID_COUNT)
		return -EINVAL;
	if(c->slot[id].count != 1 || c->slot[id].status != 0)
		return -ENOENT;
	*v = c->slot[id].value;
	return 0;
}

int cpmh_gen_uuid(char *buf, int size)
{
	uuid_t u;

	if(buf == NULL)
		return -EINVAL;
	if(size < CPMH_UUID_BUF_SIZE)
		return -ENOSPC;
	uuid_generate_random(u);
	uuid_unparse_lower(u, buf);
	return 0;
}
