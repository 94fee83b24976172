/*
 * cpm_pf: pure parts of the database writer queue (see cpmpf_dbq_core.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "cpmpf_dbq_core.h"

void cpmpf_fifo_init(cpmpf_fifo_t *q)
{
	q->head = q->tail = NULL;
	q->n = 0;
}

int cpmpf_fifo_push(cpmpf_fifo_t *q, cpmpf_job_t *j)
{
	int before = q->n;

	j->next = NULL;
	if(q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	q->n++;
	return before;
}

cpmpf_job_t *cpmpf_fifo_take_all(cpmpf_fifo_t *q)
{
	cpmpf_job_t *h = q->head;

	q->head = q->tail = NULL;
	q->n = 0;
	return h;
}

size_t cpmpf_pack_size(const str *s, int n)
{
	size_t t = 0;
	int i;

	for(i = 0; i < n; i++)
		t += 4 + (size_t)(s[i].len > 0 ? s[i].len : 0) + 1;
	return t;
}

size_t cpmpf_pack(char *buf, const str *s, int n)
{
	char *p = buf;
	uint32_t l;
	int i;

	for(i = 0; i < n; i++) {
		l = (uint32_t)(s[i].len > 0 ? s[i].len : 0);
		memcpy(p, &l, 4);
		p += 4;
		if(l)
			memcpy(p, s[i].s, l);
		p += l;
		*p++ = '\0';
	}
	return (size_t)(p - buf);
}

int cpmpf_unpack(const char *buf, size_t len, str *out, int n)
{
	size_t off = 0;
	uint32_t l;
	int i;

	for(i = 0; i < n; i++) {
		if(off > len || len - off < 4)
			return -EINVAL;
		memcpy(&l, buf + off, 4);
		off += 4;
		if((size_t)l + 1 > len - off)
			return -EINVAL;
		out[i].s = (char *)buf + off;
		out[i].len = (int)l;
		off += (size_t)l + 1;
	}
	return 0;
}

cpmpf_job_t *cpmpf_job_new(cpmpf_alloc_f alloc, int type, const str *s, int n)
{
	size_t dl = cpmpf_pack_size(s, n);
	cpmpf_job_t *j = alloc(sizeof(*j) + dl);

	if(j == NULL)
		return NULL;
	memset(j, 0, sizeof(*j));
	j->type = type;
	j->nstr = n;
	j->len = (int)dl;
	if(n)
		cpmpf_pack(j->data, s, n);
	return j;
}

int cpmpf_job_strs(const cpmpf_job_t *j, str *out, int n)
{
	if(n > j->nstr)
		return -EINVAL;
	return cpmpf_unpack(j->data, (size_t)j->len, out, n);
}
