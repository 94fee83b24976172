/*
 * cpm_cf: the focus's SDP, pure code (cpmcf_sdp_core.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cpmcf_sdp_core.h"

static int starts(const str *v, const char *p)
{
	int n = strlen(p);
	return v->len >= n && memcmp(v->s, p, n) == 0;
}

/* next space-separated token of v (advances v) */
static int token(str *v, str *t)
{
	while(v->len > 0 && *v->s == ' ') {
		v->s++;
		v->len--;
	}
	t->s = v->s;
	while(v->len > 0 && *v->s != ' ') {
		v->s++;
		v->len--;
	}
	t->len = v->s - t->s;
	return t->len > 0 ? 0 : -1;
}

static void conn(str v, str *addr, str *type)
{
	str t;

	/* nettype addrtype connection-address */
	if(token(&v, &t) < 0 || token(&v, type) < 0 || token(&v, addr) < 0) {
		addr->len = 0;
		return;
	}
}

int cpmcf_sdp_parse(const char *s, int len, cpmcf_sdp_t *out)
{
	const char *p = s, *end = s + len, *eol;
	str line, v, t;
	cpmcf_sdp_m_t *m = NULL;
	int first = 1;

	memset(out, 0, sizeof(*out));
	while(p < end) {
		eol = memchr(p, '\n', end - p);
		line.s = (char *)p;
		line.len = (eol ? eol : end) - p;
		p = eol ? eol + 1 : end;
		if(line.len > 0 && line.s[line.len - 1] == '\r')
			line.len--;
		if(line.len == 0)
			continue;
		if(line.len < 2 || line.s[1] != '=' || line.s[0] < 'a'
				|| line.s[0] > 'z')
			return -EBADMSG;
		if(first && line.s[0] != 'v')
			return -EBADMSG;
		/* RFC 4566 9: no NUL, CR or LF inside a line (byte-string) */
		if(memchr(line.s, 0, line.len) || memchr(line.s, '\r', line.len))
			return -EBADMSG;
		first = 0;
		v.s = line.s + 2;
		v.len = line.len - 2;
		switch(line.s[0]) {
			case 'm':
				if(out->n == CPMCF_SDP_MAX_M)
					return -E2BIG;
				m = &out->m[out->n++];
				if(token(&v, &m->media) < 0 || token(&v, &m->port) < 0
						|| token(&v, &m->proto) < 0)
					return -EBADMSG;
				while(v.len > 0 && *v.s == ' ') {
					v.s++;
					v.len--;
				}
				m->fmts = v;
				if(m->fmts.len <= 0 || m->port.s[0] < '0' || m->port.s[0] > '9')
					return -EBADMSG;
				break;
			case 'c':
				if(m)
					conn(v, &m->c_addr, &t);
				else
					conn(v, &out->c_addr, &out->c_type);
				break;
			case 'a':
				if(m == NULL)
					break;
				if(starts(&v, "accept-types:")) {
					m->accept_types.s = v.s + 13;
					m->accept_types.len = v.len - 13;
				} else if(starts(&v, "accept-wrapped-types:")) {
					m->accept_wrapped.s = v.s + 21;
					m->accept_wrapped.len = v.len - 21;
				} else if(starts(&v, "setup:")) {
					m->setup.s = v.s + 6;
					m->setup.len = v.len - 6;
				} else if(starts(&v, "path:")) {
					m->path.s = v.s + 5;
					m->path.len = v.len - 5;
				}
				break;
			default:
				break;
		}
	}
	if(first)
		return -EBADMSG;
	return out->n;
}

#define OUT(...)                                             \
	do {                                                     \
		int _n = snprintf(buf + len, size - len, __VA_ARGS__); \
		if(_n < 0 || _n >= size - len)                       \
			return -ENOSPC;                                  \
		len += _n;                                           \
	} while(0)
#define SV(x) (x).len, (x).s

int cpmcf_sdp_print(const cpmcf_sdp_t *sdp, char *buf, int size)
{
	int i, len = 0;
	const cpmcf_sdp_m_t *m;

	OUT("v=0\r\n");
	if(sdp->c_addr.len)
		OUT("c=IN %.*s %.*s\r\n", SV(sdp->c_type), SV(sdp->c_addr));
	for(i = 0; i < sdp->n; i++) {
		m = &sdp->m[i];
		OUT("m=%.*s %.*s %.*s %.*s\r\n", SV(m->media), SV(m->port),
				SV(m->proto), SV(m->fmts));
		if(m->c_addr.len)
			OUT("c=IN %s %.*s\r\n", memchr(m->c_addr.s, ':', m->c_addr.len) ? "IP6" : "IP4",
					SV(m->c_addr));
		if(m->accept_types.len)
			OUT("a=accept-types:%.*s\r\n", SV(m->accept_types));
		if(m->accept_wrapped.len)
			OUT("a=accept-wrapped-types:%.*s\r\n", SV(m->accept_wrapped));
		if(m->setup.len)
			OUT("a=setup:%.*s\r\n", SV(m->setup));
		if(m->path.len)
			OUT("a=path:%.*s\r\n", SV(m->path));
	}
	return len;
}

int cpmcf_sdp_msrp(const cpmcf_sdp_t *sdp)
{
	int i;
	const cpmcf_sdp_m_t *m;

	for(i = 0; i < sdp->n; i++) {
		m = &sdp->m[i];
		if(m->media.len == 7 && memcmp(m->media.s, "message", 7) == 0
				&& m->proto.len >= 4
				&& memcmp(m->proto.s + m->proto.len - 4, "MSRP", 4) == 0
				&& !(m->port.len == 1 && m->port.s[0] == '0'))
			return i;
	}
	return -ENOENT;
}

int cpmcf_sdp_focus(const cpmcf_sdp_t *in, int answer, const cpmcf_focus_t *f,
		char *buf, int size)
{
	int i, chat, len = 0, tls;
	const cpmcf_sdp_m_t *m;
	const char *ip = f->ipv6 ? "IP6" : "IP4";
	str setup;

	chat = cpmcf_sdp_msrp(in);
	if(chat < 0)
		return -ENOENT;
	OUT("v=0\r\no=- %u %u IN %s %.*s\r\ns=-\r\nc=IN %s %.*s\r\nt=0 0\r\n",
			f->version, f->version, ip, SV(f->addr), ip, SV(f->addr));
	for(i = 0; i < in->n; i++) {
		m = &in->m[i];
		if(i != chat) {
			/* RFC 3264 6: every offered stream answered, refused ones
			 * with port 0; an offer leaves them out */
			if(answer)
				OUT("m=%.*s 0 %.*s %.*s\r\n", SV(m->media), SV(m->proto),
						SV(m->fmts));
			continue;
		}
		tls = m->proto.len > 8 && memcmp(m->proto.s, "TCP/TLS/", 8) == 0;
		OUT("m=message %d %.*s *\r\n", f->port, SV(m->proto));
		/* RFC 4975 8.6: accept-types is mandatory; keep what was offered */
		if(m->accept_types.len)
			OUT("a=accept-types:%.*s\r\n", SV(m->accept_types));
		else
			OUT("a=accept-types:message/cpim\r\n");
		if(m->accept_wrapped.len)
			OUT("a=accept-wrapped-types:%.*s\r\n", SV(m->accept_wrapped));
		/* RFC 6135: the focus listens (passive) unless the offerer only
		 * listens itself; in an offer it also listens */
		setup.s = "passive";
		setup.len = 7;
		if(answer && m->setup.len == 7 && memcmp(m->setup.s, "passive", 7) == 0) {
			setup.s = "active";
			setup.len = 6;
		}
		OUT("a=setup:%.*s\r\n", SV(setup));
		OUT("a=path:%s://%s%.*s%s:%d/%.*s;tcp\r\n", tls ? "msrps" : "msrp",
				f->ipv6 ? "[" : "", SV(f->addr), f->ipv6 ? "]" : "", f->port,
				SV(f->path_id));
	}
	return len;
}

static const char chat_offer_sdp[] =
		"v=0\r\n"
		"o=- 0 0 IN IP4 0.0.0.0\r\n"
		"s=-\r\n"
		"c=IN IP4 0.0.0.0\r\n"
		"t=0 0\r\n"
		"m=message 9 TCP/MSRP *\r\n"
		"a=accept-types:message/cpim application/im-iscomposing+xml\r\n"
		"a=accept-wrapped-types:text/plain message/imdn+xml\r\n"
		"a=setup:actpass\r\n"
		"a=path:msrp://0.0.0.0:9/x;tcp\r\n";

int cpmcf_sdp_chat_offer(cpmcf_sdp_t *out)
{
	return cpmcf_sdp_parse(chat_offer_sdp, sizeof(chat_offer_sdp) - 1, out);
}
