/*
 * cpm_pf disposition notifications (RFC 5438 IMDN; seed 4.1 "with/without
 * disposition notifications"; issue 6 item 5).  docs/cpm_pf.md
 * "Disposition notifications (IMDN)".
 *
 * SIP worker: cpm_pf_check_cpim() parses the CPIM wrapper of a MESSAGE (lib
 * cpm_cpim) and, for a notification (inner message/imdn+xml), the IMDN XML
 * through the hardened entry point (lib cpm_xml via cpm_imdn); it sets
 * $xavp(cpmpf_imdn=>...) that the store copies into its job.
 * Writer process: the store keeps, per message that asked for
 * negative-delivery, a row of cpm_store_imdn (same transaction as the
 * message); at expiry or at a permanent refusal by a device the writer
 * sends the sender a negative-delivery IMDN (tm t_request) through this
 * proxy itself, after COMMIT.
 */
#ifndef CPMPF_IMDN_H
#define CPMPF_IMDN_H

#include "core/parser/msg_parser.h"
#include "core/str.h"
#include "lib/srdb1/db.h"

/* strings the store job carries for the IMDN (cpmpf_imdn_job_strs) */
enum { CPMPF_IMDN_S_MSGID, CPMPF_IMDN_S_SENDER, CPMPF_IMDN_S_RCPT,
	CPMPF_IMDN_S_DATETIME, CPMPF_IMDN_S_N };

int cpmpf_imdn_mod_init(void);

/* script function: 1 CPIM checked (xavp set), 2 not message/cpim (nothing
 * set), -2 malformed CPIM, -3 invalid or hostile IMDN XML (the script
 * answers 400 with $xavp(cpmpf_imdn=>error) as reason), -1 internal */
int ki_cpm_pf_check_cpim(sip_msg_t *msg);

/* SIP worker (cpm_pf_store): the strings of the store job, pointing into
 * the xavp; all empty when no negative-delivery IMDN is to be sent */
void cpmpf_imdn_job_strs(str *out);

/* writer, inside the store batch: remember msg `id`'s IMDN request (no-op
 * when s[CPMPF_IMDN_S_MSGID] is empty).  0 or < 0 */
int cpmpf_imdn_store_exec(db1_con_t *con, db_func_t *dbf, long long id,
		const str *s);
/* writer, inside the expiry transaction, before the messages are
 * deleted: queue an IMDN for each expiring message that asked for one and
 * forget their rows.  0 or < 0 */
int cpmpf_imdn_expiring(db1_con_t *con, db_func_t *dbf, long long now);
/* writer: the message left the store delivered (no IMDN) */
int cpmpf_imdn_forget(db1_con_t *con, db_func_t *dbf, long long id);
/* writer, inside a result batch: a device answered `status` to message
 * `id`; a permanent refusal (cpmpf_imdn_permanent) queues the IMDN once.
 * 0 or < 0 */
int cpmpf_imdn_refused(db1_con_t *con, db_func_t *dbf, long long id,
		int status);
/* writer, after the transaction: send what was queued (committed != 0) or
 * drop it (rolled back) */
void cpmpf_imdn_flush(int committed);

#endif
