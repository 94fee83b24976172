/*
 * cpm_headers: walks msg->headers for the pure code (seed section 5.3).
 *
 * The three CPM headers are not known to the core parser, so they are
 * HDR_OTHER_T fields whose name the core stores without the whitespace
 * before the colon (parse_sip_header_name()); cpm_hdr_lookup() compares it
 * case-insensitively with its length, like the core.  Existing headers are
 * never modified or removed (seed 5.3: end-to-end headers); new ones are
 * appended after the last header with a lump.
 */
#include <errno.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/mem.h"
#include "core/data_lump.h"

#include "cpm_hdr_msg.h"

static cpm_msg_ctx_t _cpm_ctx = {0, -1, CPM_HDR_NONE, 0, {{0}, {0}}};

cpm_msg_ctx_t *cpm_msg_ctx(sip_msg_t *msg)
{
	if(_cpm_ctx.msg_id != msg->id || _cpm_ctx.msg_pid != msg->pid) {
		memset(&_cpm_ctx, 0, sizeof(_cpm_ctx));
		_cpm_ctx.msg_id = msg->id;
		_cpm_ctx.msg_pid = msg->pid;
		_cpm_ctx.err_hdr = CPM_HDR_NONE;
	}
	return &_cpm_ctx;
}

int cpm_msg_check(sip_msg_t *msg, int max_len, cpm_hdr_check_t *c)
{
	cpm_msg_ctx_t *ctx;
	hdr_field_t *hf;
	str gen;
	int i, rc;

	ctx = cpm_msg_ctx(msg);
	cpm_hdr_check_init(c, max_len);
	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers\n");
		ctx->err_hdr = CPM_HDR_NONE;
		return CPM_CHECK_MALFORMED;
	}
	for(hf = msg->headers; hf != NULL; hf = hf->next) {
		if(hf->type != HDR_OTHER_T)
			continue;
		cpm_hdr_check_add(c, &hf->name, &hf->body);
	}
	/* A header cpm_add_ids() added to this message is in a lump, not in
	 * msg->headers: count it so a check after the generation sees it. */
	for(i = 0; i < 2; i++) {
		if(c->slot[i].count == 0 && (ctx->gen_mask & (1u << i))) {
			gen.s = ctx->gen[i];
			gen.len = CPM_UUID_STR_LEN;
			cpm_hdr_check_add(c, cpm_hdr_name(i), &gen);
		}
	}
	rc = cpm_hdr_check_result(c, &ctx->err_hdr);
	return rc;
}

int cpm_msg_get_id(sip_msg_t *msg, int max_len, cpm_hdr_id_t id, str *v)
{
	cpm_hdr_check_t c;
	cpm_hdr_id_t saved;
	cpm_msg_ctx_t *ctx;

	if(id < 0 || id >= CPM_HDR_COUNT)
		return -EINVAL;
	ctx = cpm_msg_ctx(msg);
	saved = ctx->err_hdr; /* reading a variable keeps $cpm(error_header) */
	cpm_msg_check(msg, max_len, &c);
	ctx->err_hdr = saved;
	if(cpm_hdr_check_value(&c, id, v) == 0)
		return 0;
	return -ENOENT;
}

int cpm_msg_add_ids(sip_msg_t *msg, int max_len, int *added)
{
	char gen[2][CPM_UUID_BUF_SIZE];
	cpm_hdr_check_t c;
	cpm_hdr_id_t saved;
	cpm_msg_ctx_t *ctx;
	struct lump *anchor;
	char *buf = NULL;
	int i, len, plen, off, n = 0, err = -1;
	unsigned int want = 0;
	str v;

	*added = 0;
	ctx = cpm_msg_ctx(msg);
	saved = ctx->err_hdr;
	cpm_msg_check(msg, max_len, &c);
	ctx->err_hdr = saved;
	if(msg->headers == NULL || msg->unparsed == NULL) {
		LM_ERR("no headers\n");
		goto out;
	}
	/* a present header (even a malformed one) is never touched; one
	 * generated earlier for this message counts as present */
	len = 0;
	for(i = 0; i < 2; i++) {
		if(c.slot[i].count == 0) {
			want |= 1u << i;
			len += cpm_hdr_name(i)->len + 4 + CPM_UUID_STR_LEN;
		}
	}
	if(want == 0) {
		err = 2;
		goto out;
	}
	buf = pkg_malloc(len);
	if(buf == NULL) {
		PKG_MEM_ERROR;
		goto out;
	}
	for(i = 0, off = 0; i < 2; i++) {
		if(!(want & (1u << i)))
			continue;
		if(cpm_hdr_gen_uuid(gen[i], sizeof(gen[i])) != 0)
			goto out;
		v.s = gen[i];
		v.len = CPM_UUID_STR_LEN;
		plen = len - off;
		if(cpm_hdr_print(cpm_hdr_name(i), &v, buf + off, &plen) != 0) {
			LM_ERR("cannot print %.*s\n", cpm_hdr_name(i)->len,
					cpm_hdr_name(i)->s);
			goto out;
		}
		off += plen;
		n++;
	}
	anchor = anchor_lump(msg, msg->unparsed - msg->buf, 0, 0);
	if(anchor == NULL) {
		LM_ERR("cannot get the anchor lump\n");
		goto out;
	}
	if(insert_new_lump_before(anchor, buf, off, 0) == NULL) {
		LM_ERR("cannot insert the lump\n");
		goto out;
	}
	buf = NULL; /* owned by the lump now */
	/* remember the values only once they are in the message */
	for(i = 0; i < 2; i++) {
		if(want & (1u << i)) {
			memcpy(ctx->gen[i], gen[i], CPM_UUID_BUF_SIZE);
			ctx->gen_mask |= 1u << i;
		}
	}
	*added = n;
	err = 1;
out:
	if(buf)
		pkg_free(buf);
	return err;
}

unsigned int cpm_msg_services(sip_msg_t *msg)
{
	hdr_field_t *hf;
	unsigned int mask = 0;

	if(parse_headers(msg, HDR_EOH_F, 0) < 0) {
		LM_ERR("cannot parse the headers\n");
		return 0;
	}
	for(hf = msg->headers; hf != NULL; hf = hf->next) {
		switch(hf->type) {
			case HDR_ACCEPTCONTACT_T:
				mask |= cpm_service_scan(&hf->body, CPM_SVC_HDR_ACCEPT_CONTACT);
				break;
			case HDR_CONTACT_T:
				mask |= cpm_service_scan(&hf->body, CPM_SVC_HDR_CONTACT);
				break;
			case HDR_OTHER_T:
				if(cpm_service_is_service_hdr(&hf->name))
					mask |= cpm_service_scan(&hf->body, CPM_SVC_HDR_SERVICE);
				break;
			default:
				break;
		}
	}
	return mask;
}
