# cpm_pf deferred delivery, "restart, nothing lost, nothing twice" (issue 6
# item 4) for a retransmission: a MESSAGE to offline pfrsr is stored and
# answered 202; the whole Kamailio is killed with SIGKILL and restarted on
# the same database; the sender's retransmission of the same request (same
# Call-ID, CSeq and From tag: RFC 3261 17.1.2.2, within Timer F = 32 s, as
# when the 202 was lost or never left) is answered 202 again and NOT stored
# a second time (the key was committed with the message, cpm_store_key,
# and loaded back at start-up); the device that registers later gets it
# exactly once; the writer's sweep removes expired keys and keeps the live
# one.  An instance of its own (store_stateless, the cfg default).
plan 6

. "$TOP/tests/integration/pf_store_lib.sh"

RR_DIR=$RUNDIR/pfrsr
RR_PORT=$(next_port)
RR_DEV=$(next_port)
RR_DB=$RR_DIR/cpm.sqlite
MAIN_PROXY_PORT=$PROXY_PORT

# rr_send <contribution-id> <call-id> <from tag>: the one MESSAGE, from the
# trusted peer
rr_send() {
	SIPP_IP=$TRUSTED_IP sipp_uac pf_store_resend.xml -cid_str "$2" \
		-key ftag "$3" -key from_user alice -key to_user pfrsr \
		-key conv rr-conv -key contrib "$1" -key text "resent after a crash"
}
rr_rows() {
	sqlite3 "$RR_DB" "SELECT count(*) FROM cpm_store WHERE contribution_id='$1'"
}

if ! start_instance "$RR_DIR" "$TOP/tests/integration/test.cfg" "$RR_PORT"; then
	fail "restart rtx: an instance of its own starts" "see $RR_DIR/kamailio.log"
	skip_rest "restart rtx" "the instance did not start"
else
	PROXY_PORT=$RR_PORT
	rr_send rr-c1 "rr-1-$$@pfrsr" "rrtag1$$"
	check "restart rtx: the MESSAGE to offline pfrsr is answered 202" \
		test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
	pf_kill9 "$INST_PID"
	# a key whose retransmissions are long over, as a crash leaves it
	sqlite3 "$RR_DB" "INSERT INTO cpm_store_key (msg_key, expires) VALUES ('rr-old 1 x', 1)"
	if ! start_instance "$RR_DIR" "$TOP/tests/integration/test.cfg" "$RR_PORT" \
		-A PF_STORE_SWEEP=1; then
		fail "restart rtx: the instance restarts on the same database" "see $RR_DIR/kamailio.log"
		skip_rest "restart rtx" "the instance did not restart"
	else
		# the 202 of a store leaves after its COMMIT: when it is back, a
		# second copy would be in the table already
		rr_send rr-c1 "rr-1-$$@pfrsr" "rrtag1$$"
		check "restart rtx: the retransmission after the restart is answered 202" \
			test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
		check "restart rtx: ... and not stored again (one row)" \
			test "$(rr_rows rr-c1)" = 1
		# a new request (new Call-ID) is stored as usual
		rr_send rr-c2 "rr-2-$$@pfrsr" "rrtag2$$"
		check "restart rtx: a new MESSAGE after the restart is stored (202, one row)" \
			test "$(last_status "$LAST_TRACE") $(rr_rows rr-c2)" = "SIP/2.0 202 Accepted 1"
		# (within the live keys' 40 s: the sweep runs every second here)
		check "restart rtx: the sweep deletes the expired key, the live one stays" \
			pf_wait_sql "$RR_DB" "SELECT group_concat(msg_key, '|') FROM cpm_store_key WHERE msg_key LIKE 'rr-%'" \
			"rr-1-$$@pfrsr 5 rrtag1$$|rr-2-$$@pfrsr 5 rrtag2$$" 50
		sipp_uas_start pf_store_uas.xml "$RR_DEV" -m 3 -timeout 8s
		pf_reg pfrsr "$RR_DEV" "33333333-cccc-4ccc-8ccc-000000000044" 600
		pf_wait_sql "$RR_DB" "SELECT count(*) FROM cpm_store WHERE username='pfrsr'" 0 >/dev/null
		sipp_uas_wait
		check "restart rtx: the device gets each message exactly once" \
			test "$(count_lines "$UAS_TRACE" "Contribution-ID: rr-c1")$(count_lines "$UAS_TRACE" "Contribution-ID: rr-c2")" = 11
		kill -TERM "$INST_PID" 2>/dev/null
	fi
	PROXY_PORT=$MAIN_PROXY_PORT
fi
