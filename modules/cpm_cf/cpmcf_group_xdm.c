/*
 * cpm_cf: import of OMA XDM shared-group documents into cpm_group /
 * cpm_group_member (cpmcf_group.h; seed 5.2: "A CPM Pre-defined Group is a
 * 'Shared Group' as described in [OMA-XDM-Group]").  The document is parsed
 * by lib/cpm_xdm (hardened XML, 1 MiB at most); URIs naming the host
 * "domain.invalid" (cfg/demo-groups.xml) get the served domain (the first
 * listen address, lib/cpm_xdm.h "Domain placeholder").  Runs in mod_init
 * (groups_file) and in the RPC process (cpm_cf.group_import), never in a
 * SIP worker.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/mem/mem.h"
#include "core/socket_info.h"

#include "../../lib/cpm_xdm.h"
#include "cpmcf_group.h"

#define CPMCF_IMPORT_GROUPS 1000   /* groups of one document */
#define CPMCF_IMPORT_MEMBERS 20000 /* members of one document */

/* the whole file into a pkg buffer (NUL-terminated); its length or -errno */
static int read_file(const char *path, char **out)
{
	struct stat st;
	char *b;
	int fd, n = 0, r;

	fd = open(path, O_RDONLY);
	if(fd < 0)
		return -errno;
	if(fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if(st.st_size > CPM_XDM_MAX_DOC) {
		close(fd);
		return -E2BIG;
	}
	b = pkg_malloc(st.st_size + 1);
	if(b == NULL) {
		close(fd);
		return -ENOMEM;
	}
	while(n < st.st_size && (r = read(fd, b + n, st.st_size - n)) > 0)
		n += r;
	close(fd);
	if(n != st.st_size) {
		pkg_free(b);
		return -EIO;
	}
	b[n] = '\0';
	*out = b;
	return n;
}

/* the served domain: the first listen address (SIP_ADDR in the cfg) */
static int served_domain(str *d)
{
	struct socket_info *si = udp_listen ? udp_listen : tcp_listen;

	if(si == NULL)
		return -ENOENT;
	*d = si->address_str;
	return 0;
}

static str cs(cpm_str_t v)
{
	str s;

	s.s = (char *)v.s;
	s.len = v.len;
	return s;
}

int cpmcf_group_import_file(const char *path, int *ng, int *nm)
{
	cpm_xdm_group_t *g = NULL;
	cpm_xdm_member_t *m = NULL;
	cpmcf_group_row_t *gr = NULL;
	cpmcf_member_row_t *mr = NULL;
	char *doc = NULL, *buf = NULL, *ebuf = NULL;
	int len, n, i, j, k = 0, total = 0, bsz, esz, rc = -1;
	str dom;

	len = read_file(path, &doc);
	if(len < 0) {
		LM_ERR("cannot read the XDM document %s (%s)\n", path,
				len == -E2BIG ? "larger than 1 MiB" : strerror(-len));
		return -1;
	}
	g = pkg_malloc(CPMCF_IMPORT_GROUPS * sizeof(*g));
	m = pkg_malloc(CPMCF_IMPORT_MEMBERS * sizeof(*m));
	bsz = CPM_XDM_BUF_SIZE(len);
	buf = pkg_malloc(bsz);
	if(g == NULL || m == NULL || buf == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	n = cpm_xdm_parse(doc, len, g, CPMCF_IMPORT_GROUPS, m,
			CPMCF_IMPORT_MEMBERS, buf, bsz);
	if(n < 0) {
		LM_ERR("%s is no valid OMA XDM shared-group document (%d): nothing"
			   " imported\n",
				path, n);
		goto done;
	}
	for(i = 0; i < n; i++)
		total += g[i].n_members;
	if(served_domain(&dom) < 0)
		goto done;
	/* every URI may grow by the domain's length */
	esz = bsz + (n + total) * (dom.len + 1);
	ebuf = pkg_malloc(esz);
	if(ebuf == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	if(cpm_xdm_expand(g, n, dom.s, dom.len, ebuf, esz) < 0) {
		LM_ERR("cannot put the served domain into the URIs of %s\n", path);
		goto done;
	}
	gr = pkg_malloc((n + 1) * sizeof(*gr));
	mr = pkg_malloc((total + 1) * sizeof(*mr));
	if(gr == NULL || mr == NULL) {
		PKG_MEM_ERROR;
		goto done;
	}
	for(i = 0; i < n; i++) {
		gr[i].uri = cs(g[i].uri);
		gr[i].key.s = NULL;
		gr[i].key.len = 0;
		gr[i].display_name = cs(g[i].display_name);
		gr[i].max_participants = g[i].max_participants;
		/* the members' actions and flags in the low bits, the actions
		 * of non-members (<ocp:other-identity/>) from bit 16 */
		gr[i].policy = g[i].policy | ((g[i].other_policy & CPM_XDM_P_ACTIONS) << 16);
		for(j = 0; j < g[i].n_members; j++, k++) {
			mr[k].group_key = gr[i].uri; /* the group's URI here */
			mr[k].uri = cs(g[i].members[j].uri);
			mr[k].key.s = NULL;
			mr[k].key.len = 0;
			mr[k].display_name = cs(g[i].members[j].display_name);
		}
	}
	if(cpmcf_group_write(gr, n, mr, k) < 0)
		goto done;
	if(ng)
		*ng = n;
	if(nm)
		*nm = k;
	LM_DBG("%s: %d groups, %d members imported\n", path, n, k);
	rc = 0;
done:
	if(doc)
		pkg_free(doc);
	if(g)
		pkg_free(g);
	if(m)
		pkg_free(m);
	if(buf)
		pkg_free(buf);
	if(ebuf)
		pkg_free(ebuf);
	if(gr)
		pkg_free(gr);
	if(mr)
		pkg_free(mr);
	return rc;
}
