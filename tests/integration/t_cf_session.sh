# cpm_cf group sessions (issue 7 items 1, 3, 7, 10, 11; seed 5.2, 5.3,
# 6.1, 6.4.2): an ad-hoc CPM Group Session of three created by a
# recipient-list INVITE to the conference factory; what the initiator and
# each invitee (a registered sipp UAS behind the proxy, reached through its
# terminating PF) get on the wire; the initiator's BYE ends it for everyone;
# the refusals with the seed's Warnings; hostile bodies refused with nothing
# created.
plan 23

CF_KAM="kamcmd -s unix:$RUNDIR/kamailio_ctl"
CF_CONV="6a1f3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b"
CF_CONTRIB="7b2e4d3f-9c5e-4f60-8b1c-2d3e4f5a6b7c"
cf_entry() { printf '<entry uri="sip:%s@127.0.0.1" cp:copyControl="to"/>' "$@"; }
cf_stat() { $CF_KAM stats.get_statistics cpm_cf: 2>/dev/null | sed -n "s/.*cpm_cf:$1 = \([0-9]*\).*/\1/p"; }
cf_sessions() { $CF_KAM cpm_cf.sessions 2>/dev/null | grep -c 'identity:'; }

# ---- an ad-hoc group of three -------------------------------------------
# carol is listed by her TEL identity (tests/integration/identities.txt), as
# rcsjta lists invitees: the proxy maps it to her SIP identity
CF_B=$(next_port)
CF_C=$(next_port)
sipp_uas_start cf_uas.xml "$CF_B" -timeout 20s
CF_BPID=$UAS_PID CF_BTR=$UAS_TRACE
# carol refreshes her dialog with the focus: re-INVITE with SDP, UPDATE
sipp_uas_start cf_uas_refresh.xml "$CF_C" -timeout 20s
CF_CPID=$UAS_PID CF_CTR=$UAS_TRACE
register cftbob "$CF_B"
register cftcarol "$CF_C"
sipp_uac cf_adhoc.xml -key from_user cftalice -key conv "$CF_CONV" \
	-key contrib "$CF_CONTRIB" -key subject "Lunch plans" \
	-key list "$(cf_entry cftbob)<entry uri=\"tel:+15550107003\" cp:copyControl=\"to\"/>"
CF_RC=$LAST_RC
CF_TR=$LAST_TRACE
wait "$CF_BPID"
CF_BRC=$?
wait "$CF_CPID"
CF_CRC=$?
# the Group Session Identity from the 200's Contact (seed 5.2: header
# parameter isfocus outside the angle brackets)
CF_ID=$(tr -d '\r' <"$CF_TR" | sed -n 's/^Contact: <\(sip:cf-[0-9a-f]\{32\}@127\.0\.0\.1:[0-9]*\)>;isfocus$/\1/p' | head -n 1)
check "adhoc: the initiator's 200 carries Contact: <sip:cf-<32 hex>@...>;isfocus and the session ends with its BYE (200)" \
	test "$CF_RC" = 0 -a -n "$CF_ID"
check "adhoc: the initiator's ACK stops the focus's 200 (one 200 for the INVITE, one for the BYE)" \
	test "$(count_lines "$CF_TR" "SIP/2.0 200 OK")" = 2
cf_sdp_ok() {
	tr -d '\r' <"$CF_TR" | grep -qx 'c=IN IP4 127.0.0.1' &&
		tr -d '\r' <"$CF_TR" | grep -qx 'm=message 2855 TCP/MSRP \*' &&
		tr -d '\r' <"$CF_TR" | grep -qE '^a=path:msrp://127\.0\.0\.1:2855/[0-9a-f]{32}p0;tcp$' &&
		tr -d '\r' <"$CF_TR" | grep -qx 'a=accept-wrapped-types:text/plain message/imdn+xml'
}
check "adhoc: the 200's SDP is the focus's MSRP endpoint (c=, m=message port, a=path) keeping accept-wrapped-types" \
	cf_sdp_ok
for u in B C; do
	eval "tr_=\$CF_${u}TR rc_=\$CF_${u}RC"
	cf_inv_ok() {
		test "$rc_" = 0 &&
			has_line "$tr_" "P-Asserted-Identity: <$CF_ID>" &&
			has_line "$tr_" "Referred-By: <sip:cftalice@127.0.0.1>" &&
			has_line "$tr_" "Conversation-ID: $CF_CONV" &&
			has_line "$tr_" "Contribution-ID: $CF_CONTRIB" &&
			has_line "$tr_" "Subject: Lunch plans"
	}
	check "adhoc: invitee $u gets the INVITE with PAI = the session identity, Referred-By the initiator, the CPM IDs and Subject unchanged" \
		cf_inv_ok
	check "adhoc: invitee $u's INVITE has Contact <identity>;<UP group tag>;isfocus" \
		has_line "$tr_" "Contact: <$CF_ID>;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session.group\";isfocus"
	check "adhoc: the initiator's BYE ends the session: invitee $u gets BYE" \
		sh -c "tr -d '\r' <'$tr_' | grep -q '^BYE sip:'"
done
cf_refresh_ok() {
	test "$CF_CRC" = 0 &&
		[ "$(tr -d '\r' <"$CF_CTR" | grep -cE '^a=path:msrp://127\.0\.0\.1:2855/[0-9a-f]{32}p2;tcp$')" = 2 ] &&
		[ "$(count_lines "$CF_CTR" "Contact: <$CF_ID>;isfocus")" = 2 ]
}
check "adhoc: carol's re-INVITE gets the focus's answer (same leg path) and her UPDATE a 200, both with the focus Contact" \
	cf_refresh_ok
check "adhoc: the ended session is gone (cpm_cf.sessions lists none)" \
	test "$(cf_sessions)" = 0

# ---- refusals (seed 6.4.2 Table 1) ---------------------------------------
cf_refused() { # <expected status> <warning line or -> [sipp -key pairs]
	_st=$1 _w=$2
	shift 2
	# sipp keeps the first value of a key: the case's own come first
	sipp_uac cf_refused.xml "$@" -key from_user cftalice -key ruser conference-factory \
		-key require recipient-list-invite -key hbnd cpm-boundary-1 -key pre "" \
		-key cparams "" -key list "$(cf_entry cftbob)"
	[ "$(last_status "$LAST_TRACE" | cut -d' ' -f2)" = "$_st" ] || return 1
	[ "$_w" = - ] || has_line "$LAST_TRACE" "$_w"
}
check "unknown session: 404 with Warning 123" \
	cf_refused 404 'Warning: 399 127.0.0.1 "123 Session does not exist"' \
	-key ruser cf-0123456789abcdef0123456789abcdef
check "empty recipient list: 403 with Warning 129" \
	cf_refused 403 'Warning: 399 127.0.0.1 "129 No destinations"' -key list ""
check "a list naming only the initiator: 403 with Warning 129" \
	cf_refused 403 'Warning: 399 127.0.0.1 "129 No destinations"' -key list "$(cf_entry cftalice)"
CF_MANY=""
i=0
while [ $i -lt 100 ]; do CF_MANY="$CF_MANY$(cf_entry "u$i")"; i=$((i + 1)); done
check "100 invitees (101 participants > max_participants 100): 403 with Warning 102" \
	cf_refused 403 'Warning: 399 127.0.0.1 "102 Too many participants"' -key list "$CF_MANY"
# the maximum: 99 invitees (none registered: each invitation 404) -> 200,
# 99 INVITEs sent, and the initiator left alone gets BYE with Reason 410
CF_99=$(printf '%s' "$CF_MANY" | sed 's|<entry uri="sip:u99@127.0.0.1" cp:copyControl="to"/>||')
CF_INV0=$(cf_stat invitations_sent)
sipp_uac cf_adhoc_wait.xml -key from_user cftalice -key conv "$CF_CONV" \
	-key contrib "9c3f5e4a-0d6f-4a71-9c2d-3e4f5a6b7c8d" -key subject "Everyone" -key list "$CF_99"
check "the maximum (99 invitees, 100 participants): 200, 99 invitations, then BYE with Reason 410 when none answers" \
	sh -c "test $LAST_RC = 0 && test \$(( \$($CF_KAM stats.get_statistics cpm_cf: | sed -n 's/.*cpm_cf:invitations_sent = \([0-9]*\).*/\1/p') - $CF_INV0 )) = 99 && tr -d '\r' <'$LAST_TRACE' | grep -qx 'Reason: SIP;cause=410;text=\"Gone\"'"
check "no Require: recipient-list-invite: 403 with Warning 129" \
	cf_refused 403 'Warning: 399 127.0.0.1 "129 No destinations"' -key require timer
check "malformed multipart (the body's boundary is not the header's): 400" \
	cf_refused 400 - -key hbnd other-boundary
check "XXE in the resource list: 400" \
	cf_refused 400 - -key pre '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' \
	-key list '<entry uri="sip:&x;@127.0.0.1"/>'
check "billion laughs in the resource list: 400" \
	cf_refused 400 - -key pre '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' \
	-key list '<entry uri="sip:&c;@127.0.0.1"/>'
check "an INVITE from a focus (Contact ;isfocus): 403 with Warning 105" \
	cf_refused 403 'Warning: 399 127.0.0.1 "105 Isfocus already assigned"' -key cparams ";isfocus"
check "no refused INVITE created a session" test "$(cf_sessions)" = 0
cf_stats_ok() {
	[ "$(cf_stat sessions_created)" -ge 1 ] && [ "$(cf_stat sessions_ended)" -ge 1 ] &&
		[ "$(cf_stat invitations_sent)" -ge 2 ] && [ "$(cf_stat unknown_session)" -ge 1 ] &&
		[ "$(cf_stat invites_refused)" -ge 8 ]
}
check "statistics cpm_cf: sessions_created, sessions_ended, invitations_sent, unknown_session, invites_refused count what happened" \
	cf_stats_ok
