# cpm_pf deferred delivery: the per-user cap and expiry (issue 6 item 4), on
# an instance of its own with store_max_per_user 2, store_expiry 5 s and a
# sweep every second.  Over the cap: 486 Busy Here with
# `Warning: 399 <host> "Deferred message store full"` (docs/cpm_pf.md), the
# store unchanged; at expiry the messages leave the store (stat "expired")
# and a device registering afterwards gets none of them.
plan 6

. "$TOP/tests/integration/pf_store_lib.sh"

PE_DIR=$RUNDIR/pfexp
PE_PORT=$(next_port)
PE_DEV=$(next_port)
PE_DB=$PE_DIR/cpm.sqlite
MAIN_PROXY_PORT=$PROXY_PORT

if ! start_instance "$PE_DIR" "$TOP/tests/integration/test.cfg" "$PE_PORT" \
	-A PF_STORE_MAX=2 -A PF_STORE_EXPIRY=5 -A PF_STORE_SWEEP=1; then
	fail "expiry: an instance of its own starts" "see $PE_DIR/kamailio.log"
	skip_rest expiry "the instance did not start"
else
	PROXY_PORT=$PE_PORT
	pe_st=""
	for n in 1 2 3; do
		sipp_uac pf_store_message.xml -key from_user alice -key to_user pfcap \
			-key conv pe-conv -key contrib "pe-contrib-$n" -key irt pe-irt \
			-key text "capped $n"
		pe_st="$pe_st$(last_status "$LAST_TRACE" | cut -d' ' -f2) "
	done
	check "cap: two stored (202), the third over store_max_per_user is 486" \
		test "$pe_st" = "202 202 486 "
	check "cap: the 486 carries Warning 399 \"Deferred message store full\"" \
		has_line "$LAST_TRACE" "Warning: 399 127.0.0.1 \"Deferred message store full\""
	check "cap: the store holds the two accepted, not the refused one" \
		test "$(sqlite3 "$PE_DB" "SELECT group_concat(contribution_id) FROM cpm_store WHERE username='pfcap'")" = "pe-contrib-1,pe-contrib-2"
	check "expiry: after store_expiry both leave the store" \
		pf_wait_sql "$PE_DB" "SELECT count(*) FROM cpm_store WHERE username='pfcap'" 0
	check "expiry: the stat cpm_pf:expired counts them" \
		sh -c "kamcmd -s 'unix:$PE_DIR/kamailio_ctl' stats.get_statistics cpm_pf: | grep -qxF 'cpm_pf:expired = 2'"
	sipp_uas_start pf_store_uas.xml "$PE_DEV" -timeout 3s
	pf_reg pfcap "$PE_DEV" "55555555-eeee-4eee-8eee-000000000005" 600
	sipp_uas_wait
	check "expiry: a device registering afterwards gets none of them" \
		test "$(count_lines "$UAS_TRACE" "Conversation-ID: pe-conv")" = 0
	kill -TERM "$INST_PID" 2>/dev/null
	PROXY_PORT=$MAIN_PROXY_PORT
fi
