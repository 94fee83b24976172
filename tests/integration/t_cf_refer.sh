# cpm_cf: adding and removing participants (issue 7 item 5; seed 4.1, RFC
# 4579 5.5 / 5.6, RFC 3515, RFC 4488, RFC 5368, seed 6.4.2): a participant's
# REFER in its dialog with the focus invites the Refer-To target (202, the
# sipfrag NOTIFYs "100 Trying" and the final status) or sends it BYE
# (method=BYE); Refer-Sub: false: no NOTIFY; several at once with a
# multiple-REFER and a resource list; refusals with the seed's Warnings and
# no change to the session.
plan 21

CV_KAM="kamcmd -s unix:$RUNDIR/kamailio_ctl"
CV_CONV="5c1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a61"
cv_entry() { printf '<entry uri="sip:%s@127.0.0.1"/>' "$@"; }
cv_sessions() { $CV_KAM cpm_cf.sessions 2>/dev/null | grep -c 'identity:'; }
cv_first_id() { $CV_KAM cpm_cf.sessions 2>/dev/null | sed -n 's/.*identity: \(sip:cf-[0-9a-f]*@[^ ]*\).*/\1/p' | head -n 1; }
# the state of participant <user> in session <id> (cpm_cf.session)
cv_state() {
	$CV_KAM cpm_cf.session "$1" 2>/dev/null | tr -d '\r' |
		awk -v u="sip:$2@127.0.0.1" '/uri:/ { cur = $2 } /state:/ && cur == u { st = $2 } END { print st }'
}
# the bodies of the NOTIFYs a trace received, one line each (sipfrag)
cv_frags() {
	tr -d '\r' <"$1" | awk '/^NOTIFY sip:/ { n = 1; b = 0; next }
		n && /^$/ { b = 1; next }
		n && b && /^SIP\/2\.0 / { print; n = 0 }'
}
cv_wait_session() { # wait until a session is listed; prints its identity
	_i=0
	while [ $_i -lt 100 ] && [ "$(cv_sessions)" = 0 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	cv_first_id
}
cv_uac_bg() { # a UAC call in the background: CV_PID, CV_TRACE
	_n=$((_SEQ + 1))
	sipp_uac "$@" &
	CV_PID=$!
	_SEQ=$_n
	CV_TRACE="$RUNDIR/uac.$_n.$(basename "$1" .xml).msg"
}

# bob's and carol's devices: a sipp UAS each, registered (CV_B/CV_C ports,
# CV_BPID/CV_CPID, CV_BTR/CV_CTR traces)
cv_bob_carol() {
	CV_B=$(next_port)
	CV_C=$(next_port)
	sipp_uas_start cf_uas.xml "$CV_B" -timeout 20s
	CV_BPID=$UAS_PID CV_BTR=$UAS_TRACE
	sipp_uas_start cf_uas.xml "$CV_C" -timeout 20s
	CV_CPID=$UAS_PID CV_CTR=$UAS_TRACE
	register cfvbob "$CV_B"
	register cfvcarol "$CV_C"
}

# ---- REFER adds carol: 202, NOTIFY 100 then 200 ---------------------------
cv_bob_carol
sipp_uac cf_refer.xml -key from_user cfvalice -key conv "$CV_CONV" -key contrib "$CV_CONV" \
	-key subject "Refer" -key list "$(cv_entry cfvbob)" -d 1000 \
	-key refer_to "<tel:+15550118003>" -key rhdr "X-Case: add"
CV_RC=$LAST_RC CV_TR=$LAST_TRACE
wait "$CV_BPID"
CV_BRC=$?
wait "$CV_CPID"
CV_CRC=$?
CV_ID=$(tr -d '\r' <"$CV_TR" | sed -n 's/^Contact: <\(sip:cf-[0-9a-f]\{32\}@[^>]*\)>;isfocus$/\1/p' | head -n 1)
check "add: a bare Refer-To <tel:...> in the initiator's dialog gets 202 Accepted, two NOTIFYs, and the session ends with its BYE" \
	sh -c "test '$CV_RC' = 0 -a -n '$CV_ID' && tr -d '\r' <'$CV_TR' | grep -qx 'SIP/2.0 202 Accepted'"
check "add: the NOTIFYs carry Event: refer and Content-Type: message/sipfrag;version=2.0" \
	sh -c "[ \$(tr -d '\r' <'$CV_TR' | grep -cx 'Event: refer') = 2 ] && [ \$(tr -d '\r' <'$CV_TR' | grep -cx 'Content-Type: message/sipfrag;version=2.0') = 2 ]"
cv_frags_ok() {
	[ "$(cv_frags "$CV_TR" | tr '\n' '|')" = 'SIP/2.0 100 Trying|SIP/2.0 200 OK|' ] &&
		tr -d '\r' <"$CV_TR" | grep -qx 'Subscription-State: terminated;reason=noresource'
}
check "add: the sipfrags are 'SIP/2.0 100 Trying' then the invitation's 'SIP/2.0 200 OK', the last one terminating the subscription" \
	cv_frags_ok
cv_inv_ok() {
	test "$CV_CRC" = 0 &&
		has_line "$CV_CTR" "P-Asserted-Identity: <$CV_ID>" &&
		has_line "$CV_CTR" "Referred-By: <sip:cfvalice@127.0.0.1>" &&
		has_line "$CV_CTR" "Conversation-ID: $CV_CONV" &&
		tr -d '\r' <"$CV_CTR" | grep -q '^INVITE sip:cfvcarol@'
}
check "add: the referred user (by her TEL identity) gets the CF's INVITE with PAI = the session identity, Referred-By the referrer, the Conversation-ID, and BYE at the end" \
	cv_inv_ok
check "add: bob, the first invitee, is unaffected and gets BYE at the end" test "$CV_BRC" = 0

# ---- Refer-Sub: false, method=BYE removes bob --------------------------------
cv_bob_carol
cv_uac_bg cf_refer_nosub.xml -key from_user cfvalice -key conv "$CV_CONV" -key contrib "$CV_CONV" \
	-key subject "Refer" -key list "$(cv_entry cfvbob cfvcarol)" -d 2500 \
	-key refer_to "<sip:cfvbob@127.0.0.1;method=BYE>" -key rhdr "X-Case: bye"
CV_APID=$CV_PID CV_ATR=$CV_TRACE
CV_ID=$(cv_wait_session)
wait "$CV_BPID"
CV_BRC=$?
# bob's BYE came while the session goes on: bob disconnected, carol connected
CV_BST=$(cv_state "$CV_ID" cfvbob)
CV_CST=$(cv_state "$CV_ID" cfvcarol)
wait "$CV_APID"
CV_RC=$?
wait "$CV_CPID"
CV_CRC=$?
check "remove: REFER with Refer-Sub: false gets 202 carrying Refer-Sub: false and no NOTIFY" \
	sh -c "test '$CV_RC' = 0 && tr -d '\r' <'$CV_ATR' | grep -qx 'Refer-Sub: false' && ! grep -q '^NOTIFY' '$CV_ATR'"
check "remove: Refer-To <...;method=BYE> sends bob BYE while the session goes on (bob disconnected, carol connected)" \
	test "$CV_BRC" = 0 -a "$CV_BST" = disconnected -a "$CV_CST" = connected -a "$CV_CRC" = 0

# ---- multiple-REFER (RFC 5368) adds carol and dave ----------------------------
CV_B=$(next_port)
CV_C=$(next_port)
CV_D=$(next_port)
sipp_uas_start cf_uas.xml "$CV_B" -timeout 20s
CV_BPID=$UAS_PID
sipp_uas_start cf_uas.xml "$CV_C" -timeout 20s
CV_CPID=$UAS_PID CV_CTR=$UAS_TRACE
sipp_uas_start cf_uas.xml "$CV_D" -timeout 20s
CV_DPID=$UAS_PID CV_DTR=$UAS_TRACE
register cfvbob "$CV_B"
register cfvcarol "$CV_C"
register cfvdave "$CV_D"
sipp_uac cf_refer_multi.xml -key from_user cfvalice -key conv "$CV_CONV" -key contrib "$CV_CONV" \
	-key subject "Refer" -key list "$(cv_entry cfvbob)" -d 1500 \
	-key refer_to "<cid:cn35t8jf02@127.0.0.1>" -key rhdr "X-Case: multi" \
	-key rlist "$(cv_entry cfvcarol cfvdave)"
CV_RC=$LAST_RC CV_TR=$LAST_TRACE
wait "$CV_BPID"
CV_BRC=$?
wait "$CV_CPID"
CV_CRC=$?
wait "$CV_DPID"
CV_DRC=$?
check "multiple-refer: Refer-To <cid:...> with Require: multiple-refer and a list of two gets 202 (Refer-Sub: false, no NOTIFY)" \
	sh -c "test '$CV_RC' = 0 && tr -d '\r' <'$CV_TR' | grep -qx 'Refer-Sub: false' && ! grep -q '^NOTIFY' '$CV_TR'"
check "multiple-refer: both listed users get the CF's INVITE (Referred-By the referrer) and BYE at the end" \
	sh -c "test '$CV_CRC' = 0 -a '$CV_DRC' = 0 -a '$CV_BRC' = 0 && grep -q '^Referred-By: <sip:cfvalice@127.0.0.1>' '$CV_CTR' && grep -q '^Referred-By: <sip:cfvalice@127.0.0.1>' '$CV_DTR'"

# ---- an invitee REFERs in its dialog (through the proxy, as rcsjta) ----------
CV_B=$(next_port)
CV_C=$(next_port)
sipp_uas_start cf_uas_refer.xml "$CV_B" -timeout 20s -key user cfvbob -key refer_to "<sip:cfvcarol@127.0.0.1>"
CV_BPID=$UAS_PID CV_BTR=$UAS_TRACE
sipp_uas_start cf_uas.xml "$CV_C" -timeout 20s
CV_CPID=$UAS_PID CV_CTR=$UAS_TRACE
register cfvbob "$CV_B"
register cfvcarol "$CV_C"
# alice's own REFER names bob, already in: nothing changes; she holds 4 s
sipp_uac cf_refer_nosub.xml -key from_user cfvalice -key conv "$CV_CONV" -key contrib "$CV_CONV" \
	-key subject "Refer" -key list "$(cv_entry cfvbob)" -d 4000 \
	-key refer_to "<sip:cfvbob@127.0.0.1>" -key rhdr "X-Case: invitee"
CV_RC=$LAST_RC
wait "$CV_BPID"
CV_BRC=$?
wait "$CV_CPID"
CV_CRC=$?
cv_frags_b() {
	test "$CV_BRC" = 0 &&
		[ "$(cv_frags "$CV_BTR" | tr '\n' '|')" = 'SIP/2.0 100 Trying|SIP/2.0 200 OK|' ]
}
check "invitee: bob's REFER in his dialog with the focus (record-routed through the proxy) gets 202 and the NOTIFYs 100 then 200 along the route set" \
	cv_frags_b
check "invitee: carol gets the CF's INVITE with Referred-By bob, and BYE when alice ends the session" \
	sh -c "test '$CV_CRC' = 0 -a '$CV_RC' = 0 && grep -q '^Referred-By: <sip:cfvbob@127.0.0.1>' '$CV_CTR'"

# ---- refusals: nothing changes ------------------------------------------------
CV_B=$(next_port)
sipp_uas_start cf_uas.xml "$CV_B" -timeout 30s
CV_BPID=$UAS_PID
register cfvbob "$CV_B"
# a session of alice and bob held while the bad REFERs come; alice's own
# REFER re-adds bob, already in it: 202, nothing changes
cv_uac_bg cf_refer_nosub.xml -key from_user cfvalice -key conv "$CV_CONV" -key contrib "$CV_CONV" \
	-key subject "Refer" -key list "$(cv_entry cfvbob)" -d 9000 \
	-key refer_to "<sip:cfvbob@127.0.0.1>" -key rhdr "X-Case: hold"
CV_APID=$CV_PID
CV_ID=$(cv_wait_session)
CV_USER=$(echo "$CV_ID" | sed 's/^sip:\([^@]*\)@.*/\1/')
sleep 1.5
cv_entries() { $CV_KAM cpm_cf.session "$CV_ID" 2>/dev/null | grep -c 'uri:'; }
CV_N0=$(cv_entries)
cv_refused() { # <status> <warning line or -> [sipp -key pairs]
	_st=$1 _w=$2
	shift 2
	sipp_uac cf_refer_ood.xml "$@" -key from_user cfvalice -key ruser "$CV_USER" \
		-key refer_to "<sip:cfvcarol@127.0.0.1>" -key rhdr "X-Case: refused" \
		-key ctype "X-Body: none" -key body ""
	[ "$(last_status "$LAST_TRACE" | cut -d' ' -f2)" = "$_st" ] || return 1
	[ "$_w" = - ] || has_line "$LAST_TRACE" "$_w"
}
check "a REFER from a user who is not in the session: 403 with Warning 127" \
	cv_refused 403 'Warning: 399 127.0.0.1 "127 Service not authorised"' -key from_user cfveve -au cfveve -ap cfveve-pw
check "a REFER to a session that does not exist: 404 with Warning 123" \
	cv_refused 404 'Warning: 399 127.0.0.1 "123 Session does not exist"' -key ruser cf-0123456789abcdef0123456789abcdee
check "a malformed Refer-To (no closing bracket): 400" \
	cv_refused 400 - -key refer_to "<sip:cfvcarol@127.0.0.1"
check "a Refer-To method other than INVITE / BYE: 400" \
	cv_refused 400 - -key refer_to "<sip:cfvcarol@127.0.0.1;method=MESSAGE>"
check "Refer-To <cid:...> without Require: multiple-refer: 400" \
	cv_refused 400 - -key refer_to "<cid:x1@127.0.0.1>" -key ctype "Content-Type: application/resource-lists+xml" \
	-key rhdr "Content-ID: <x1@127.0.0.1>" \
	-key body "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>$(cv_entry cfvcarol)</list></resource-lists>"
check "a multiple-REFER whose list is not well-formed XML: 400" \
	cv_refused 400 - -key refer_to "<cid:x1@127.0.0.1>" \
	-key rhdr "Require: multiple-refer" -key ctype "Content-Type: application/resource-lists+xml
Content-ID: <x1@127.0.0.1>" \
	-key body "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>$(cv_entry cfvcarol)</lis>"
CV_MANY=""
i=0
while [ $i -lt 100 ]; do CV_MANY="$CV_MANY$(cv_entry "cfvu$i")"; i=$((i + 1)); done
cv_many() {
	# the Content-ID as a message header: rhdr carries both
	sipp_uac cf_refer_ood.xml -key from_user cfvalice -key ruser "$CV_USER" \
		-key refer_to "<cid:x2@127.0.0.1>" -key rhdr "Require: multiple-refer" \
		-key ctype "Content-Type: application/resource-lists+xml
Content-ID: <x2@127.0.0.1>" \
		-key body "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list>$CV_MANY</list></resource-lists>"
	[ "$(last_status "$LAST_TRACE" | cut -d' ' -f2)" = 403 ] &&
		has_line "$LAST_TRACE" 'Warning: 399 127.0.0.1 "102 Too many participants"'
}
check "a multiple-REFER of 100 more users (beyond max_participants 100): 403 with Warning 102" cv_many
check "no refused REFER changed the session (same participants)" test "$(cv_entries)" = "$CV_N0" -a "$CV_N0" = 2
wait "$CV_APID"
CV_RC=$?
wait "$CV_BPID"
check "the held session (alice's REFER naming bob, already in it: 202) ends normally" test "$CV_RC" = 0

cv_stat() { $CV_KAM stats.get_statistics cpm_cf: 2>/dev/null | sed -n "s/.*cpm_cf:$1 = \([0-9]*\).*/\1/p"; }
cv_stats_ok() {
	[ "$(cv_stat refers_accepted)" -ge 6 ] && [ "$(cv_stat participants_referred)" -ge 4 ] &&
		[ "$(cv_stat participants_removed)" -ge 1 ] && [ "$(cv_stat refer_notifies)" -ge 4 ] &&
		[ "$(cv_stat refers_refused)" -ge 7 ]
}
check "statistics cpm_cf: refers_accepted, participants_referred, participants_removed, refer_notifies, refers_refused count what happened" \
	cv_stats_ok
