# cpm_cf: how Group Sessions end (issue 7 item 7, seed 5.2) and come back
# (item 3, rejoin), with the RPC (item 11): every invitee declines -> the
# initiator, left alone, gets BYE with Reason 410 "Gone"; the initiator's
# BYE while an invitation is unanswered -> CANCEL to it; a participant who
# left rejoins with an INVITE (SDP only) to the session identity, and with a
# factory INVITE reusing the chat's Contribution-ID (a restart); the RPC
# lists the participants with their states and ends the session (BYE to
# everyone); an initiator that never ACKs the focus's 200 is removed after
# ack_timeout (an instance of its own, CF_ACK_TIMEOUT=2), which ends the
# session; while that session runs, a second one is refused 503
# (CF_MAX_SESSIONS=1 there).
plan 14

CE_KAM="kamcmd -s unix:$RUNDIR/kamailio_ctl"
ce_entry() { printf '<entry uri="sip:%s@127.0.0.1" cp:copyControl="to"/>' "$@"; }
ce_sessions() { $CE_KAM cpm_cf.sessions 2>/dev/null | grep -c 'identity:'; }

# ---- every invitee declines: BYE with Reason 410 to the initiator --------
CE_B=$(next_port)
CE_C=$(next_port)
sipp_uas_start cf_uas_decline.xml "$CE_B" -timeout 20s
CE_BPID=$UAS_PID
sipp_uas_start cf_uas_decline.xml "$CE_C" -timeout 20s
CE_CPID=$UAS_PID
register cfebob "$CE_B"
register cfecarol "$CE_C"
sipp_uac cf_adhoc_wait.xml -key from_user cfealice -key conv "1a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b" \
	-key contrib "2b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7c" -key subject "Declined" \
	-key list "$(ce_entry cfebob cfecarol)"
CE_RC=$LAST_RC
wait "$CE_BPID" "$CE_CPID"
check "fewer than two: every invitee declined, the initiator gets BYE with Reason: SIP;cause=410;text=\"Gone\"" \
	sh -c "test $CE_RC = 0 && tr -d '\r' <'$LAST_TRACE' | grep -qx 'Reason: SIP;cause=410;text=\"Gone\"'"
check "fewer than two: the session is gone" test "$(ce_sessions)" = 0

# ---- initiator leaves while an invitation rings: CANCEL ------------------
CE_D=$(next_port)
CE_E=$(next_port)
sipp_uas_start cf_uas.xml "$CE_D" -timeout 20s
CE_DPID=$UAS_PID CE_DTR=$UAS_TRACE
sipp_uas_start cf_uas_ring.xml "$CE_E" -timeout 20s
CE_EPID=$UAS_PID CE_ETR=$UAS_TRACE
register cfedave "$CE_D"
register cfebob "$CE_E"
sipp_uac cf_adhoc.xml -key from_user cfealice -key conv "3a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b" \
	-key contrib "4b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7c" -key subject "Ringing" \
	-key list "$(ce_entry cfedave cfebob)"
wait "$CE_DPID"
CE_DRC=$?
wait "$CE_EPID"
CE_ERC=$?
check "initiator BYE: the connected invitee gets BYE" test "$CE_DRC" = 0
check "initiator BYE: the unanswered invitation is CANCELled (487 taken, ACK comes)" \
	sh -c "test $CE_ERC = 0 && tr -d '\r' <'$CE_ETR' | grep -q '^CANCEL sip:'"

# ---- leave, rejoin, RPC, session_end -------------------------------------
CE_F=$(next_port)
CE_G=$(next_port)
sipp_uas_start cf_uas_leave.xml "$CE_F" -timeout 20s
CE_FPID=$UAS_PID
sipp_uas_start cf_uas.xml "$CE_G" -timeout 30s
CE_GPID=$UAS_PID CE_GTR=$UAS_TRACE
register cferbob "$CE_F"
register cfercarol "$CE_G"
# the initiator waits for the CF's BYE, in the background
sipp_uac cf_adhoc_wait.xml -key from_user cferalice -key conv "5a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b" \
	-key contrib "6b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7c" -key subject "Rejoin" \
	-key list "$(ce_entry cferbob cfercarol)" &
CE_APID=$!
_SEQ=$((_SEQ + 1)) # the background call's sequence number
# bob answers, then leaves (its UAS scenario ends after the 200 to its BYE)
wait "$CE_FPID"
CE_FRC=$?
CE_ID=$($CE_KAM cpm_cf.sessions 2>/dev/null | sed -n 's/^[[:space:]]*identity: //p' | head -n 1)
ce_states() {
	$CE_KAM cpm_cf.session "$CE_ID" 2>/dev/null | tr -d ' \t' |
		awk -F: '/^uri/{u=$0} /^state/{print u" "$2}' | sort | tr '\n' ';'
}
CE_ST=$(ce_states)
check "RPC cpm_cf.session: initiator and carol connected, bob (left by BYE) disconnected" \
	test "$CE_FRC" = 0 -a "$CE_ST" = "uri:sip:cferalice@127.0.0.1 connected;uri:sip:cferbob@127.0.0.1 disconnected;uri:sip:cfercarol@127.0.0.1 connected;"
CE_USER=$(printf '%s' "$CE_ID" | sed 's/^sip:\([^@]*\)@.*/\1/')
sipp_uac cf_rejoin.xml -key from_user cferbob -key ruser "$CE_USER"
check "rejoin: INVITE with SDP only to the identity by a former participant -> 200 with Contact <identity>;isfocus" \
	sh -c "test $LAST_RC = 0 && tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Contact: <$CE_ID>;isfocus'"
sipp_uac cf_rejoin.xml -key from_user cfealice -key ruser "$CE_USER"
check "rejoin by a non-participant: 403 with Warning 127" \
	sh -c "tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 403' && tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Warning: 399 127.0.0.1 \"127 Service not authorised\"'"
# rcsjta's restart (client-dialects.md): a factory INVITE that reuses the
# chat's Contribution-ID, listing the others, is the same session
sipp_uac cf_adhoc.xml -key from_user cferbob -key conv "5a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b" \
	-key contrib "6b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7c" -key subject "Rejoin" \
	-key list "$(ce_entry cferalice cfercarol)"
check "restart: a factory INVITE with the running chat's Contribution-ID joins the same session (its identity in the 200's Contact)" \
	sh -c "test $LAST_RC = 0 && tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Contact: <$CE_ID>;isfocus'"
CE_END=$($CE_KAM cpm_cf.session_end "$CE_ID" 2>&1)
wait "$CE_APID"
CE_ARC=$?
wait "$CE_GPID"
CE_GRC=$?
check "RPC cpm_cf.session_end: the initiator and carol get BYE" \
	test "$CE_END" = ended -a "$CE_ARC" = 0 -a "$CE_GRC" = 0
check "after session_end the identity is unknown (no session listed)" test "$(ce_sessions)" = 0

# ---- no ACK: removed after ack_timeout (own instance) --------------------
CN_DIR=$RUNDIR/cfnoack
CN_PORT=$(next_port)
if ! start_instance "$CN_DIR" "$TOP/tests/integration/test.cfg" "$CN_PORT" -A CF_ACK_TIMEOUT=2 \
	-A CF_MAX_SESSIONS=1; then
	fail "noack: an instance of its own starts" "see $CN_DIR/kamailio.log"
	skip_rest cf-noack "the instance did not start"
else
	check "noack: an instance with ack_timeout 2 s starts" true
	CE_MAIN_PORT=$PROXY_PORT
	PROXY_PORT=$CN_PORT
	CN_B=$(next_port)
	sipp_uas_start cf_uas.xml "$CN_B" -timeout 20s
	CN_BPID=$UAS_PID
	register cfebob "$CN_B"
	sipp_uac cf_adhoc_noack.xml -key from_user cfealice -key conv "7a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b" \
		-key contrib "8b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7c" -key subject "No ACK" \
		-key list "$(ce_entry cfebob)" &
	CN_APID=$!
	_SEQ=$((_SEQ + 1)) # the background call's sequence number
	CN_I=0
	while [ $CN_I -lt 40 ] && [ "$(kamcmd -s "unix:$CN_DIR/kamailio_ctl" cpm_cf.sessions 2>/dev/null | grep -c identity:)" = 0 ]; do
		sleep 0.05
		CN_I=$((CN_I + 1))
	done
	sipp_uac cf_refused.xml -key from_user cfercarol -key ruser conference-factory \
		-key require recipient-list-invite -key hbnd cpm-boundary-1 -key pre "" \
		-key cparams "" -key list "$(ce_entry cfedave)"
	check "max_sessions 1: a second session while one runs gets 503" \
		sh -c "tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 503 Service Unavailable'"
	wait "$CN_APID"
	CN_RC=$?
	wait "$CN_BPID"
	CN_BRC=$?
	check "noack: the initiator that never ACKed gets the CF's BYE" test "$CN_RC" = 0
	check "noack: the session ends: the invitee gets BYE" test "$CN_BRC" = 0
	PROXY_PORT=$CE_MAIN_PORT
fi
