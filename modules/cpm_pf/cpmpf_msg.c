/*
 * cpm_pf glue shared by the concerns that read a request (see cpmpf_msg.h).
 */
#include "cpmpf_msg.h"

cpm_headers_api_t cpmpf_cpmh;

void cpmpf_cpm_id(sip_msg_t *msg, cpmh_id_t id, str *out)
{
	if(cpmpf_cpmh.get_id == NULL || cpmpf_cpmh.get_id(msg, id, out) != 0) {
		out->s = "";
		out->len = 0;
	}
}
