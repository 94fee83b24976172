# cpm_pf deferred delivery (seed 4.1; issue 6 item 4) on the main instance:
# an offline recipient's message is answered 202 only once stored; each of
# the recipient's two devices (two +sip.instance values) gets it when it
# registers, with the CPM headers, Date, From/To and the body byte-identical,
# exactly once, across re-registrations; the message then leaves the store;
# a user who is not provisioned is 404 and nothing is stored; one
# provisioned while Kamailio runs is known after RPC cpm_pf.users_reload.
plan 18

PFDB=$RUNDIR/cpm.sqlite
PF_CTL="unix:$RUNDIR/kamailio_ctl"
PF_CONV="a1b2c3d4-0000-4000-8000-00000000pf01"
PF_CONTRIB="pf-Contrib.Mixed_Case~42"
PF_IRT="pf-irt-0001"
PF_TEXT="Stored for later: deferred delivery"
PF_A=$(next_port)
PF_B=$(next_port)
PF_INST_A="11111111-aaaa-4aaa-8aaa-000000000001"
PF_INST_B="22222222-bbbb-4bbb-8bbb-000000000002"

. "$TOP/tests/integration/pf_store_lib.sh"

# Both devices were seen once (the PF knows them), then went offline.
pf_reg pfbob "$PF_A" "$PF_INST_A" 600 &&
	pf_wait_sql "$PFDB" "SELECT count(*) FROM cpm_device WHERE username='pfbob'" 1 >/dev/null &&
	pf_reg pfbob "$PF_B" "$PF_INST_B" 600 &&
	pf_wait_sql "$PFDB" "SELECT count(*) FROM cpm_device WHERE username='pfbob'" 2 >/dev/null &&
	pf_reg pfbob "$PF_A" "$PF_INST_A" 0 && pf_reg pfbob "$PF_B" "$PF_INST_B" 0
check "deferred: pfbob's two devices are known, then unregister" \
	pf_wait_sql "$PFDB" "SELECT count(*) FROM cpm_device WHERE username='pfbob'" 2

sipp_uac pf_store_message.xml -key from_user alice -key to_user pfbob \
	-key conv "$PF_CONV" -key contrib "$PF_CONTRIB" -key irt "$PF_IRT" \
	-key text "$PF_TEXT"
check "deferred: MESSAGE to offline pfbob is answered 202 Accepted" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
check "deferred: the message is in the store when the 202 leaves" \
	pf_wait_sql "$PFDB" "SELECT count(*) FROM cpm_store WHERE username='pfbob'" 1
check "deferred: RPC cpm_pf.deferred_list shows it with its Contribution-ID" \
	sh -c "kamcmd -s '$PF_CTL' cpm_pf.deferred_list pfbob | grep -F 'contribution_id: $PF_CONTRIB'"

# Device A comes online: it gets the message once, even when it registers
# again (a refresh) afterwards.
# Each UAS stays up (12 s) after the re-registrations below, so that a
# second copy would show in its trace.
sipp_uas_start pf_store_uas.xml "$PF_A" -m 2 -timeout 12s
PF_TRACE_A=$UAS_TRACE PF_PID_A=$UAS_PID
pf_reg pfbob "$PF_A" "$PF_INST_A" 600
pf_wait_trace "$PF_TRACE_A" "Contribution-ID: $PF_CONTRIB" 1
sleep 1
pf_reg pfbob "$PF_A" "$PF_INST_A" 600
check "deferred: device A got it; it stays stored for device B" \
	pf_wait_sql "$PFDB" "SELECT count(*) FROM cpm_store WHERE username='pfbob'" 1

sipp_uas_start pf_store_uas.xml "$PF_B" -m 2 -timeout 12s
PF_TRACE_B=$UAS_TRACE PF_PID_B=$UAS_PID
pf_reg pfbob "$PF_B" "$PF_INST_B" 600
pf_wait_trace "$PF_TRACE_B" "Contribution-ID: $PF_CONTRIB" 1
check "deferred: once both known devices have it, it leaves the store" \
	pf_wait_sql "$PFDB" "SELECT count(*) FROM cpm_store WHERE username='pfbob'" 0 50
pf_reg pfbob "$PF_B" "$PF_INST_B" 600
pf_reg pfbob "$PF_A" "$PF_INST_A" 600
wait "$PF_PID_A" "$PF_PID_B" 2>/dev/null

for d in A B; do
	eval "t=\$PF_TRACE_$d"
	check "deferred: device $d got the message exactly once" \
		test "$(count_lines "$t" "Contribution-ID: $PF_CONTRIB")" = 1
	check "deferred: device $d: Conversation-ID and InReplyTo byte-identical" \
		sh -c "[ \"\$(tr -d '\r' <'$t' | grep -cxF -e 'Conversation-ID: $PF_CONV' -e 'InReplyTo-Contribution-ID: $PF_IRT')\" = 2 ]"
	check "deferred: device $d: Date, Content-Type, From and To as sent" \
		sh -c "tr -d '\r' <'$t' | grep -qxF 'Date: Wed, 25 Nov 2026 12:00:00 GMT' &&
			tr -d '\r' <'$t' | grep -qxF 'Content-Type: message/cpim' &&
			tr -d '\r' <'$t' | grep -qE '^From: <sip:alice@127.0.0.1>;tag=' &&
			tr -d '\r' <'$t' | grep -qxF 'To: <sip:pfbob@127.0.0.1>'"
	check "deferred: device $d: the CPIM body byte-identical" \
		sh -c "tr -d '\r' <'$t' | grep -qxF '$PF_TEXT' && tr -d '\r' <'$t' | grep -qxF 'DateTime: 2026-11-25T12:00:00Z'"
done

sipp_uac pf_store_message.xml -key from_user alice -key to_user "nobody-pf$$" \
	-key conv "$PF_CONV" -key contrib "pf-unknown" -key irt "$PF_IRT" -key text x
check "deferred: a user who is not provisioned is 404" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 404 Not Found"
check "deferred: ... and nothing is stored for it" \
	test "$(sqlite3 "$PFDB" "SELECT count(*) FROM cpm_store WHERE contribution_id='pf-unknown'")" = 0

# A user provisioned while Kamailio runs: unknown to the store (404) until
# RPC cpm_pf.users_reload, then stored (202).
echo "pfnew$$ pfnew-pw" >"$RUNDIR/pfnew.users"
sh "$TOP/mk/provision.sh" "$PFDB" "$PROXY" "$RUNDIR/pfnew.users"
sipp_uac pf_store_message.xml -key from_user alice -key to_user "pfnew$$" \
	-key conv "$PF_CONV" -key contrib "pf-new-1" -key irt "$PF_IRT" -key text x
check "deferred: a user provisioned after start-up is 404 before the reload" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 404 Not Found"
kamcmd -s "$PF_CTL" cpm_pf.users_reload >/dev/null
sipp_uac pf_store_message.xml -key from_user alice -key to_user "pfnew$$" \
	-key conv "$PF_CONV" -key contrib "pf-new-2" -key irt "$PF_IRT" -key text x
check "deferred: ... and stored (202) after RPC cpm_pf.users_reload" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
