# cpm_pf deferred delivery from failure_route (seed 4.1; issue 6 item 4):
# the recipient's only device answers 480, so the MESSAGE is stored and the
# sender gets 202 (not the 480); when the device registers again it gets the
# message.  A device answering 486 is an answer, not deferred: 486 goes back.
plan 4

. "$TOP/tests/integration/pf_store_lib.sh"

PD_DB=$RUNDIR/cpm.sqlite
PD_DEV=$(next_port)
PD_INST="66666666-ffff-4fff-8fff-000000000006"

sipp_uas_start pf_store_uas480.xml "$PD_DEV"
pf_reg pfdan "$PD_DEV" "$PD_INST" 600
sipp_uac pf_store_message.xml -key from_user alice -key to_user pfdan \
	-key conv pd-conv -key contrib pd-contrib-1 -key irt pd-irt \
	-key text "after a 480"
# pd_status_stored <status line> <contribution-id> <stored rows>
pd_status_stored() {
	[ "$(last_status "$LAST_TRACE")" = "$1" ] ||
		{ echo "status $(last_status "$LAST_TRACE"), want $1"; return 1; }
	pf_wait_sql "$PD_DB" "SELECT count(*) FROM cpm_store WHERE contribution_id='$2'" "$3"
}
check "fail: the device answers 480: the sender gets 202, the message stored" \
	pd_status_stored "SIP/2.0 202 Accepted" pd-contrib-1 1
sipp_uas_wait

sipp_uas_start uas_busy.xml "$PD_DEV"
sipp_uac pf_store_message.xml -key from_user alice -key to_user pfdan \
	-key conv pd-conv -key contrib pd-contrib-busy -key irt pd-irt \
	-key text "busy"
check "fail: a 486 from the device goes back to the sender, nothing stored" \
	pd_status_stored "SIP/2.0 486 Busy Here" pd-contrib-busy 0
sipp_uas_wait

sipp_uas_start pf_store_uas.xml "$PD_DEV" -m 1
pf_reg pfdan "$PD_DEV" "$PD_INST" 600
check "fail: registering again, the device gets the stored message" \
	uas_has "Contribution-ID: pd-contrib-1"
check "fail: ... and it leaves the store" \
	pf_wait_sql "$PD_DB" "SELECT count(*) FROM cpm_store WHERE username='pfdan'" 0
