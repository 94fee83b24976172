# cpm_pf deferred delivery without a tm transaction per stored MESSAGE
# (store_stateless, the cfg's default; docs/cpm_pf.md "Deferred delivery"):
# the writer answers 202 after COMMIT from the request's own copy, and the
# store's retransmission table does what tm's transaction did: a UDP
# retransmission (RFC 3261 17.1.2.2) is absorbed while the store runs and
# answered 202 again once it is stored, never stored twice; over TCP the 202
# comes back on the sender's connection; the device then gets the message
# exactly once.
plan 5

. "$TOP/tests/integration/pf_store_lib.sh"

PR_DB=$RUNDIR/cpm.sqlite
PR_DEV=$(next_port)

# pr_status_stored <trace> <contribution-id> <202s at least> <stored rows>
pr_status_stored() {
	_n=$(grep -c '^SIP/2.0 202 Accepted' "$1")
	[ "$_n" -ge "$3" ] || { echo "$_n 202s in $1, want $3 or more"; return 1; }
	pf_wait_sql "$PR_DB" "SELECT count(*) FROM cpm_store WHERE contribution_id='$2'" "$4"
}

SIPP_IP=$TRUSTED_IP sipp_uac pf_store_retrans.xml -key from_user alice \
	-key to_user pfrtx -key conv pr-conv -key contrib pr-contrib-udp
check "retrans: a MESSAGE sent twice at once and again after its 202: a 202 each round" \
	pr_status_stored "$LAST_TRACE" pr-contrib-udp 2 1
# the table keeps the key after COMMIT: a late retransmission (a lost 202)
# is answered again, not stored again
sleep 1
SIPP_IP=$TRUSTED_IP sipp_uac pf_store_retrans.xml -key from_user alice \
	-key to_user pfrtx -key conv pr-conv -key contrib pr-contrib-udp
check "retrans: each new MESSAGE (new Call-ID) is stored; the copies are not" \
	pf_wait_sql "$PR_DB" "SELECT count(*) FROM cpm_store WHERE username='pfrtx'" 2
SIPP_IP=$TRUSTED_IP sipp_uac pf_store_retrans.xml -t t1 -key from_user alice \
	-key to_user pfrtx -key conv pr-conv -key contrib pr-contrib-tcp
check "retrans: over TCP the writer's 202 comes back on the sender's connection" \
	pr_status_stored "$LAST_TRACE" pr-contrib-tcp 2 1

sipp_uas_start pf_store_uas.xml "$PR_DEV" -m 3
pf_reg pfrtx "$PR_DEV" "33333333-cccc-4ccc-8ccc-000000000033" 600
check "retrans: the device gets the three stored messages" \
	pf_wait_sql "$PR_DB" "SELECT count(*) FROM cpm_store WHERE username='pfrtx'" 0
sipp_uas_wait
check "retrans: ... the UDP one once per stored copy, the TCP one once" \
	sh -c '[ "$(grep -c "^Contribution-ID: pr-contrib-udp" "$1")" = 2 ] &&
		[ "$(grep -c "^Contribution-ID: pr-contrib-tcp" "$1")" = 1 ] ||
		{ grep -c "^Contribution-ID: pr-contrib" "$1"; exit 1; }' sh "$UAS_TRACE"
