# cpm_pf deferred delivery across a crash (issue 6 item 4): messages
# answered 202, then the whole Kamailio killed with SIGKILL before the
# recipient registers; restarted on the same database, the device gets every
# message, in original order, exactly once.  An instance of its own.
plan 6

. "$TOP/tests/integration/pf_store_lib.sh"

PK_DIR=$RUNDIR/pfkill
PK_PORT=$(next_port)
PK_DEV=$(next_port)
PK_INST="33333333-cccc-4ccc-8ccc-000000000003"
PK_DB=$PK_DIR/cpm.sqlite
MAIN_PROXY_PORT=$PROXY_PORT

if ! start_instance "$PK_DIR" "$TOP/tests/integration/test.cfg" "$PK_PORT"; then
	fail "restart: an instance of its own starts" "see $PK_DIR/kamailio.log"
	skip_rest restart "the instance did not start"
else
	PROXY_PORT=$PK_PORT
	pf_reg pfkill "$PK_DEV" "$PK_INST" 600 &&
		pf_wait_sql "$PK_DB" "SELECT count(*) FROM cpm_device WHERE username='pfkill'" 1 >/dev/null &&
		pf_reg pfkill "$PK_DEV" "$PK_INST" 0
	pk_ok=0
	for n in 1 2 3; do
		sipp_uac pf_store_message.xml -key from_user alice -key to_user pfkill \
			-key conv pk-conv -key contrib "pk-contrib-$n" -key irt pk-irt \
			-key text "kill -9 survivor $n" &&
			[ "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted" ] &&
			pk_ok=$((pk_ok + 1))
	done
	check "restart: three messages to offline pfkill, each 202" test "$pk_ok" = 3
	pf_kill9 "$INST_PID"
	check "restart: after SIGKILL the three are in the database" \
		test "$(sqlite3 "$PK_DB" "SELECT count(*) FROM cpm_store WHERE username='pfkill'")" = 3
	if ! start_instance "$PK_DIR" "$TOP/tests/integration/test.cfg" "$PK_PORT"; then
		fail "restart: the instance restarts on the same database" "see $PK_DIR/kamailio.log"
		skip_rest restart "the instance did not restart"
	else
		sipp_uas_start pf_store_uas.xml "$PK_DEV" -m 4 -timeout 12s
		pf_reg pfkill "$PK_DEV" "$PK_INST" 600
		pf_wait_trace "$UAS_TRACE" "Contribution-ID: pk-contrib-3" 1
		sleep 1
		# a re-registration must not bring any of them again (the UAS
		# stays up: a second copy would show in its trace)
		pf_reg pfkill "$PK_DEV" "$PK_INST" 600
		sipp_uas_wait
		check "restart: the device got all three after the restart" \
			test "$(tr -d '\r' <"$UAS_TRACE" | grep -c '^Contribution-ID: pk-contrib-')" -ge 3
		check "restart: each exactly once" \
			test "$(tr -d '\r' <"$UAS_TRACE" | grep '^Contribution-ID: pk-contrib-' | sort | uniq -d | wc -l)$(tr -d '\r' <"$UAS_TRACE" | grep -c '^Contribution-ID: pk-contrib-')" = 03
		check "restart: in original order" \
			test "$(tr -d '\r' <"$UAS_TRACE" | sed -n 's/^Contribution-ID: pk-contrib-//p' | tr -d '\n')" = 123
		check "restart: the bodies byte-identical" \
			sh -c "for n in 1 2 3; do tr -d '\r' <'$UAS_TRACE' | grep -qxF \"kill -9 survivor \$n\" || exit 1; done"
		kill -TERM "$INST_PID" 2>/dev/null
	fi
	PROXY_PORT=$MAIN_PROXY_PORT
fi
