# cpm_pf deferred delivery under load (issue 6 item 4): 200 MESSAGEs to one
# offline user from 4 senders at once, over the cfg's 4 SIP workers: every
# one 202 (no store fails: one writer, no "database is locked"), and when
# the user's device registers it gets all 200, each sender's in the order
# sent.
plan 5

. "$TOP/tests/integration/pf_store_lib.sh"

PL_DB=$RUNDIR/cpm.sqlite
PL_DEV=$(next_port)
PL_INST="44444444-dddd-4ddd-8ddd-000000000004"
# the log lines of this load only: earlier cases share the instance's log
PL_L0=$(wc -l <"$KLOG")

pf_reg pfload "$PL_DEV" "$PL_INST" 600 &&
	pf_wait_sql "$PL_DB" "SELECT count(*) FROM cpm_device WHERE username='pfload'" 1 >/dev/null &&
	pf_reg pfload "$PL_DEV" "$PL_INST" 0
# each sender one call at a time (-l 1): its order is the order it sent
PL_PIDS=""
for s in pfs1 pfs2 pfs3 pfs4; do
	# port and file numbers taken here: the background shells share none
	pl_port=$(next_port)
	_SEQ=$((_SEQ + 1))
	sipp_load pf_store_load.xml 50 -l 1 -r 200 -p "$pl_port" -key from_user "$s" \
		-key to_user pfload -key conv pl-conv -key irt pl-irt \
		-key text "load from $s" &
	PL_PIDS="$PL_PIDS $!"
done
pl_ok=0
for p in $PL_PIDS; do
	wait "$p" && pl_ok=$((pl_ok + 1))
done
check "load: 4 senders x 50 MESSAGEs to offline pfload: every one 202" test "$pl_ok" = 4
check "load: 200 messages stored" \
	pf_wait_sql "$PL_DB" "SELECT count(*) FROM cpm_store WHERE username='pfload'" 200
check "load: no 'database is locked' in the log during the load" \
	sh -c "! tail -n +$((PL_L0 + 1)) '$KLOG' | grep -i 'database is locked'"

sipp_uas_start pf_store_uas.xml "$PL_DEV" -m 200 -timeout 30s
PL_TRACE=$UAS_TRACE
pf_reg pfload "$PL_DEV" "$PL_INST" 600
sipp_uas_wait
pl_ids() {
	tr -d '\r' <"$PL_TRACE" | sed -n 's/^Contribution-ID: \(pfs[0-9]*-[0-9]*\)$/\1/p'
}
check "load: the device got all 200, each once" \
	test "$(pl_ids | sort -u | wc -l) $(pl_ids | wc -l)" = "200 200"
pl_order() {
	for s in pfs1 pfs2 pfs3 pfs4; do
		pl_ids | sed -n "s/^$s-//p" >"$RUNDIR/pl.$s"
		sort -n "$RUNDIR/pl.$s" | cmp -s - "$RUNDIR/pl.$s" ||
			{ echo "$s out of order: $(tr '\n' ' ' <"$RUNDIR/pl.$s")"; return 1; }
	done
}
check "load: each sender's messages arrive in the order sent" pl_order
