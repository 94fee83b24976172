# cpm_cf participant information (issue 7 item 4, seed 4.1, RFC 4575) and
# pseudonyms (item 8, seed 6.3): a participant SUBSCRIBEs to the conference
# event package of its ad-hoc Group Session; the full-state NOTIFY is read
# element by element, then a late invitee joins and another leaves (partial
# NOTIFYs, version + 1 each, the leaver departed), a refresh (full state
# again), Expires: 0 (the last NOTIFY, terminated); a non-participant's
# SUBSCRIBE is refused (403, Warning 127) with nothing stored and no NOTIFY;
# an anonymous initiator (Privacy: id) shows under its pseudonym and an
# anonymous URI, its own URI in no NOTIFY and in nothing the others get;
# the operator ends the session: the last NOTIFY is terminated;reason=
# noresource.
plan 16

CU_KAM="kamcmd -s unix:$RUNDIR/kamailio_ctl"
cu_entry() { printf '<entry uri="sip:%s@127.0.0.1" cp:copyControl="to"/>' "$@"; }

# cu_subscriber <scenario> <key pairs...>: the subscribing initiator in the
# background (it runs for ~10 s while the case acts); CU_PID, CU_TR
cu_subscriber() {
	_s=$1
	shift
	_p=$(next_port)
	# shellcheck disable=SC2046
	sipp_uas_start "$_s" "$_p" -timeout 40s $(_sipp_auth -key from_user cfualice) \
		-key from_user cfualice "$@" "$PROXY:$PROXY_PORT"
	CU_PID=$UAS_PID CU_TR=$UAS_TRACE
}

# cu_notifies <trace> <dir>: each NOTIFY the trace received, headers and
# body, into <dir>/n.1, n.2, ... and its body alone into <dir>/b.1, ...
cu_notifies() {
	mkdir -p "$2"
	tr -d '\r' <"$1" | awk -v d="$2" '
		/^----------------------------------------------- / { inmsg = 0; next }
		/message received/ { rcv = 1; next }
		/message sent/ { rcv = 0; next }
		rcv && /^NOTIFY sip:/ { n++; inmsg = 1; body = 0 }
		inmsg {
			print > (d "/n." n)
			if (body) print > (d "/b." n)
			if ($0 == "") body = 1
		}'
}

# cu_x <body file> <xpath>: the string value of an XPath in a document
cu_x() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}
cu_u() { # the <user> whose entity is $2, as an XPath prefix
	printf '/*[local-name()="conference-info"]/*[local-name()="users"]/*[local-name()="user"][@entity="%s"]' "$1"
}
cu_ep() { printf '%s/*[local-name()="endpoint"]/*[local-name()="%s"]' "$(cu_u "$1")" "$2"; }

# ---- a participant subscribes; join, leave, refresh, Expires: 0 ----------
CU_B=$(next_port)
CU_C=$(next_port)
sipp_uas_start cf_conf_leave.xml "$CU_B" -timeout 30s
CU_BPID=$UAS_PID
sipp_uas_start cf_conf_late.xml "$CU_C" -timeout 40s
CU_CPID=$UAS_PID
register cfubob "$CU_B"
register cfucarol "$CU_C"
cu_subscriber cf_conf_sub.xml -key disp Alice -key privacy none \
	-key conv "5a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6c" -key contrib "6b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7d" \
	-key subject "Who is in" -key list "$(cu_entry cfubob cfucarol)"
# the session's identity from the RPC, once the subscription is there
CU_ID=
CU_SUBS=
for _i in $(seq 1 60); do
	CU_ID=$($CU_KAM cpm_cf.sessions 2>/dev/null | sed -n 's/^[[:space:]]*identity: //p' | head -n 1)
	if [ -n "$CU_ID" ]; then
		CU_SUBS=$($CU_KAM cpm_cf.subscriptions "$CU_ID" 2>/dev/null)
		echo "$CU_SUBS" | grep -q 'subscriber: sip:cfualice@127.0.0.1' && break
	fi
	sleep 0.2
done
check "RPC: cpm_cf.subscriptions lists the participant's subscription" \
	sh -c "echo '$CU_SUBS' | grep -q 'subscriber: sip:cfualice@127.0.0.1'"
# a non-participant (registered, authenticated) while it runs
sipp_uac cf_conf_refused.xml -key from_user cfudave -key focus "$CU_ID"
CU_DRC=$LAST_RC CU_DTR=$LAST_TRACE
check "non-participant: SUBSCRIBE refused 403 with Warning 127 (seed 6.4.2 Table 1)" \
	sh -c "test '$(last_status "$CU_DTR")' = 'SIP/2.0 403 Forbidden' && tr -d '\r' <'$CU_DTR' | grep -qE '^Warning: 399 [^ ]+ \"127 Service not authori[sz]ed\"$'"
check "non-participant: no NOTIFY, no subscription stored" \
	sh -c "test $CU_DRC = 0 && ! $CU_KAM cpm_cf.subscriptions '$CU_ID' | grep -q cfudave"
wait "$CU_PID"
CU_RC=$?
wait "$CU_BPID" "$CU_CPID"
CU_N=$RUNDIR/cf_conf.1
cu_notifies "$CU_TR" "$CU_N"
check "subscriber: SUBSCRIBE 200 with Expires 600, five NOTIFYs in order (full, join, leave, refresh, terminated), BYE ends the session" \
	sh -c "test $CU_RC = 0 && test -f '$CU_N/b.5' && ! test -f '$CU_N/n.6' && tr -d '\r' <'$CU_TR' | grep -qx 'Expires: 600'"
cu_full_ok() {
	_b=$CU_N/b.1
	has_line "$CU_N/n.1" "Event: conference" &&
		has_line "$CU_N/n.1" "Content-Type: application/conference-info+xml" &&
		tr -d '\r' <"$CU_N/n.1" | grep -qE '^Subscription-State: active;expires=(59[0-9]|600)$' &&
		test "$(cu_x "$_b" 'string(/*/@entity)')" = "$CU_ID" &&
		test "$(cu_x "$_b" 'string(/*/@state)')" = full &&
		test "$(cu_x "$_b" 'string(/*/@version)')" = 1 &&
		test "$(cu_x "$_b" 'string(//*[local-name()="maximum-user-count"])')" = 100 &&
		test "$(cu_x "$_b" 'count(//*[local-name()="user"])')" = 3 &&
		test "$(cu_x "$_b" "string($(cu_u sip:cfualice@127.0.0.1)/@yourown)")" = true &&
		test "$(cu_x "$_b" "string($(cu_u sip:cfualice@127.0.0.1)/*[local-name()='display-text'])")" = Alice &&
		test "$(cu_x "$_b" "string($(cu_ep sip:cfualice@127.0.0.1 status))")" = connected &&
		test "$(cu_x "$_b" "string($(cu_ep sip:cfubob@127.0.0.1 status))")" = connected &&
		test "$(cu_x "$_b" "count($(cu_u sip:cfubob@127.0.0.1)/@yourown)")" = 0 &&
		test "$(cu_x "$_b" "string($(cu_ep sip:cfucarol@127.0.0.1 status))")" = dialing-out &&
		! grep -q '<media' "$_b"
}
check "full state: entity, state full, version 1, maximum-user-count, three users, yourown and display-text on the own entry, endpoint statuses, no <media>" \
	cu_full_ok
cu_join_ok() {
	_b=$CU_N/b.2
	test "$(cu_x "$_b" 'string(/*/@state)')" = partial &&
		test "$(cu_x "$_b" 'string(/*/@version)')" = 2 &&
		test "$(cu_x "$_b" 'count(//*[local-name()="user"])')" = 1 &&
		test "$(cu_x "$_b" "string($(cu_ep sip:cfucarol@127.0.0.1 status))")" = connected &&
		test "$(cu_x "$_b" "string($(cu_u sip:cfucarol@127.0.0.1)/*[local-name()='display-text'])")" = "Carol C."
}
check "join: partial state, version 2, the late invitee connected under the display name of its 200's To (seed 6.3)" cu_join_ok
cu_leave_ok() {
	_b=$CU_N/b.3
	test "$(cu_x "$_b" 'string(/*/@state)')" = partial &&
		test "$(cu_x "$_b" 'string(/*/@version)')" = 3 &&
		test "$(cu_x "$_b" 'count(//*[local-name()="user"])')" = 1 &&
		test "$(cu_x "$_b" "string($(cu_ep sip:cfubob@127.0.0.1 status))")" = disconnected &&
		test "$(cu_x "$_b" "string($(cu_ep sip:cfubob@127.0.0.1 disconnection-method))")" = departed
}
check "leave: partial state, version 3, the leaver disconnected with disconnection-method departed" cu_leave_ok
check "refresh: 200 and the full state again, version 4" \
	sh -c "test \"\$(xmllint --xpath 'string(/*/@version)' '$CU_N/b.4')\" = 4 && test \"\$(xmllint --xpath 'string(/*/@state)' '$CU_N/b.4')\" = full"
check "Expires: 0: the last NOTIFY says Subscription-State: terminated, version 5" \
	sh -c "tr -d '\r' <'$CU_N/n.5' | grep -q '^Subscription-State: terminated' && test \"\$(xmllint --xpath 'string(/*/@version)' '$CU_N/b.5')\" = 5"
check "after Expires: 0 and the end of the session no subscription is left" \
	sh -c "! $CU_KAM cpm_cf.subscriptions '$CU_ID' | grep -q subscriber"

# ---- an anonymous initiator; the operator ends the session ---------------
CU_B=$(next_port)
CU_C=$(next_port)
sipp_uas_start cf_conf_leave.xml "$CU_B" -timeout 30s
CU_BPID=$UAS_PID CU_BTR=$UAS_TRACE
sipp_uas_start cf_conf_late.xml "$CU_C" -timeout 40s
CU_CPID=$UAS_PID CU_CTR=$UAS_TRACE
register cfubob "$CU_B"
register cfucarol "$CU_C"
cu_subscriber cf_conf_sub_end.xml -key disp Zorro -key privacy id \
	-key conv "7a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6c" -key contrib "8b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7d" \
	-key subject "Masked" -key list "$(cu_entry cfubob cfucarol)"
# once the leave was notified (version 3), the operator ends the session
CU_ID=
for _i in $(seq 1 100); do
	CU_ID=$($CU_KAM cpm_cf.sessions 2>/dev/null | sed -n 's/^[[:space:]]*identity: //p' | head -n 1)
	[ -n "$CU_ID" ] && $CU_KAM cpm_cf.subscriptions "$CU_ID" 2>/dev/null | grep -q 'version: 3' && break
	sleep 0.2
done
$CU_KAM cpm_cf.session_end "$CU_ID" >/dev/null 2>&1
wait "$CU_PID"
CU_RC=$?
wait "$CU_BPID" "$CU_CPID"
CU_N=$RUNDIR/cf_conf.2
cu_notifies "$CU_TR" "$CU_N"
check "session end: the CF's BYE, then the last NOTIFY terminated;reason=noresource" \
	sh -c "test $CU_RC = 0 && tr -d '\r' <'$CU_N/n.4' | grep -qx 'Subscription-State: terminated;reason=noresource'"
CU_ANON=sip:anonymous-1@anonymous.invalid
cu_anon_ok() {
	_b=$CU_N/b.1
	test "$(cu_x "$_b" "string($(cu_u $CU_ANON)/*[local-name()='display-text'])")" = Zorro &&
		test "$(cu_x "$_b" "string($(cu_u $CU_ANON)/@yourown)")" = true &&
		test "$(cu_x "$_b" "string($(cu_ep $CU_ANON status))")" = connected &&
		test "$(cu_x "$_b" 'count(//*[local-name()="user"])')" = 3
}
check "anonymous: the initiator shows under its pseudonym and an anonymous URI (seed 6.3)" cu_anon_ok
check "anonymous: its own URI in no NOTIFY body" \
	sh -c "test -f '$CU_N/b.4' && ! cat '$CU_N'/b.* | grep -q cfualice"
check "anonymous: the invitees' INVITEs carry Referred-By: <$CU_ANON>" \
	sh -c "has_line() { tr -d '\r' <\"\$1\" | grep -qxF -- \"\$2\"; }; has_line '$CU_BTR' 'Referred-By: <$CU_ANON>' && has_line '$CU_CTR' 'Referred-By: <$CU_ANON>'"
check "anonymous: nothing the others receive names the initiator" \
	sh -c "! grep -q cfualice '$CU_BTR' '$CU_CTR'"
check "anonymous: no log line at INFO or above names the initiator" \
	sh -c "! grep -E 'INFO|NOTICE|WARN|ERROR' '$RUNDIR/kamailio.log' | grep -q 'cfualice.*cf-\|cf-.*cfualice'"
