# cpm_cf: extending a 1-1 session to a group session (issue 7 item 6; seed
# 5.2, RFC 5366, RFC 3891): alice and bob have a 1-1 session relayed by
# the proxy; alice asks the conference factory for a group of bob and
# carol, bob's list entry naming the 1-1 dialog with
# `?Replaces=<call-id>%3Bto-tag%3D..%3Bfrom-tag%3D..`; the CF invites bob
# with a Replaces header for that dialog (bob's client then ends the 1-1
# dialog itself) and the Conversation-ID unchanged; carol is invited plainly.
plan 6

CX_CONV="9d2f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a62"
CX_CID="one2one-$$-cfx@127.0.0.1"
CX_B=$(next_port)
CX_C=$(next_port)
# bob takes two calls: the 1-1 INVITE from alice, then the CF's INVITE
sipp_uas_start cf_uas.xml "$CX_B" -m 2 -timeout 25s
CX_BPID=$UAS_PID CX_BTR=$UAS_TRACE
sipp_uas_start cf_uas.xml "$CX_C" -timeout 25s
CX_CPID=$UAS_PID CX_CTR=$UAS_TRACE
register cfxbob "$CX_B"
register cfxcarol "$CX_C"
# the 1-1 session, held while the group is made
_n=$((_SEQ + 1))
sipp_uac cf_one2one.xml -key from_user cfxalice -key to_user cfxbob -cid_str "$CX_CID" \
	-key ftag1 x1alice -d 7000 &
CX_1PID=$!
_SEQ=$_n
sleep 1.5
# bob's tag of the 1-1 dialog: cf_uas.xml answers with [pid]cfuas[call_number]
CX_BTAG="${CX_BPID}cfuas1"
CX_REP="$(printf '%s' "$CX_CID" | sed 's/@/%40/')%3Bto-tag%3D$CX_BTAG%3Bfrom-tag%3Dx1alice"
sipp_uac cf_adhoc.xml -key from_user cfxalice -key conv "$CX_CONV" -key contrib "$CX_CONV" \
	-key subject "Extended" \
	-key list "<entry uri=\"sip:cfxbob@127.0.0.1?Replaces=$CX_REP\"/><entry uri=\"sip:cfxcarol@127.0.0.1\"/>"
CX_RC=$LAST_RC CX_TR=$LAST_TRACE
CX_ID=$(tr -d '\r' <"$CX_TR" | sed -n 's/^Contact: <\(sip:cf-[0-9a-f]\{32\}@[^>]*\)>;isfocus$/\1/p' | head -n 1)
wait "$CX_1PID"
CX_1RC=$?
wait "$CX_BPID"
CX_BRC=$?
wait "$CX_CPID"
CX_CRC=$?
check "extend: the factory INVITE naming the 1-1 peer with ?Replaces creates the group (200 isfocus, BYE 200)" \
	test "$CX_RC" = 0 -a -n "$CX_ID"
cx_bob_ok() {
	test "$CX_BRC" = 0 &&
		has_line "$CX_BTR" "Replaces: $CX_CID;to-tag=$CX_BTAG;from-tag=x1alice" &&
		has_line "$CX_BTR" "P-Asserted-Identity: <$CX_ID>" &&
		has_line "$CX_BTR" "Conversation-ID: $CX_CONV" &&
		has_line "$CX_BTR" "Referred-By: <sip:cfxalice@127.0.0.1>"
}
check "extend: bob gets the CF's INVITE with Replaces naming the 1-1 dialog (call-id, his to-tag, alice's from-tag), PAI = the session identity, the Conversation-ID unchanged" \
	cx_bob_ok
cx_bob_uri_ok() {
	# the URI header is not carried into the request: Request-URI and To
	# are bob's bare URI
	tr -d '\r' <"$CX_BTR" | grep -q "^To: <sip:cfxbob@127.0.0.1>" &&
		! grep -q 'Replaces=' "$CX_BTR"
}
check "extend: the CF's INVITE to bob carries no ?Replaces= in its Request-URI or To" cx_bob_uri_ok
check "extend: carol is invited without Replaces and gets BYE at the end" \
	sh -c "test '$CX_CRC' = 0 && grep -q '^INVITE sip:cfxcarol@' '$CX_CTR' && ! grep -q '^Replaces:' '$CX_CTR'"
check "extend: the 1-1 dialog itself went on and ended with alice's BYE (200)" test "$CX_1RC" = 0
# a Replaces without from-tag (RFC 3891 6.1 needs both tags): 400, nothing
# made (other cases' sessions may still be ending: the count must not grow)
CX_N0=$(kamcmd -s "unix:$RUNDIR/kamailio_ctl" cpm_cf.sessions 2>/dev/null | grep -c identity:)
sipp_uac cf_refused.xml -key from_user cfxalice -key ruser conference-factory \
	-key require recipient-list-invite -key hbnd cpm-boundary-1 -key pre "" -key cparams "" \
	-key list "<entry uri=\"sip:cfxbob@127.0.0.1?Replaces=abc%3Bto-tag%3D1\"/><entry uri=\"sip:cfxcarol@127.0.0.1\"/>"
check "extend: a list entry whose Replaces lacks from-tag: 400, no session" \
	sh -c "tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 400' && [ \$(kamcmd -s 'unix:$RUNDIR/kamailio_ctl' cpm_cf.sessions 2>/dev/null | grep -c identity:) -le $CX_N0 ]"
