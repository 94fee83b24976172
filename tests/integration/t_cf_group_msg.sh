# cpm_cf group standalone messages (RFC 5365; seed 5.1, 6.1, 6.4.2; issue 7
# item 9) on the main instance, with pre-defined groups provisioned by SQL
# and loaded by RPC cpm_cf.group_reload:
#   - a MESSAGE to the group reaches every member but the sender, through
#     the member's terminating PF: the online members at once, the offline
#     one (cfs4) by deferred delivery when it registers; each copy with the
#     CPM identifiers, Date and the CPIM body byte for byte, the group as
#     P-Asserted-Identity, the sender in From and Referred-By; 202 to the
#     sender, who gets no copy;
#   - refusals: a non-member (403 + 127), more participants than the
#     group's limit (403 + 102), nobody to send to (403 + 129); the RPCs.
plan 25

CFS_DB=$RUNDIR/cpm.sqlite
CFS_CTL="unix:$RUNDIR/kamailio_ctl"
CFS_CONV="c0ffee00-0000-4000-8000-0000000cf501"
CFS_CONTRIB="cfs-Contrib.Group~1"
CFS_IRT="cfs-irt-0001"
CFS_TEXT="Hello group: fan-out byte for byte"
CFS_G="sip:cfsg1@$PROXY"

. "$TOP/tests/integration/pf_store_lib.sh"

sh "$TOP/mk/dbsql.sh" "$CFS_DB" "
DELETE FROM cpm_group WHERE uri LIKE 'sip:cfsg%';
DELETE FROM cpm_group_member WHERE group_uri LIKE 'sip:cfsg%';
INSERT INTO cpm_group (uri, display_name, max_participants, policy) VALUES
 ('$CFS_G', 'CFS Friends', 0, 0),
 ('sip:cfsg-small@$PROXY', '', 2, 0),
 ('sip:cfsg-alone@$PROXY', '', 0, 0),
 ('sip:cfsg-peer@$PROXY', '', 0, 0),
 ('sip:cfsg-tel@$PROXY', '', 0, 0),
 ('sip:cfsg-busy@$PROXY', '', 0, 0);
INSERT INTO cpm_group_member (group_uri, uri, display_name) VALUES
 ('$CFS_G', 'sip:cfs1@$PROXY', 'Group Name One'),
 ('$CFS_G', 'sip:cfs2@$PROXY', ''),
 ('$CFS_G', 'sip:cfs3@$PROXY', ''),
 ('$CFS_G', 'sip:cfs4@$PROXY', ''),
 ('sip:cfsg-small@$PROXY', 'sip:cfs1@$PROXY', ''),
 ('sip:cfsg-small@$PROXY', 'sip:cfs2@$PROXY', ''),
 ('sip:cfsg-small@$PROXY', 'sip:cfs3@$PROXY', ''),
 ('sip:cfsg-alone@$PROXY', 'sip:cfs1@$PROXY', ''),
 ('sip:cfsg-peer@$PROXY', 'sip:bench-alice@$PROXY', ''),
 ('sip:cfsg-peer@$PROXY', 'sip:cfs6@$PROXY', ''),
 ('sip:cfsg-tel@$PROXY', 'sip:cfs1@$PROXY', ''),
 ('sip:cfsg-tel@$PROXY', 'tel:+15550105006', ''),
 ('sip:cfsg-busy@$PROXY', 'sip:cfs1@$PROXY', ''),
 ('sip:cfsg-busy@$PROXY', 'sip:cfs5@$PROXY', ''),
 ('sip:cfsg-busy@$PROXY', 'sip:cfs-away@other.example', '');" >/dev/null

check "groups: RPC cpm_cf.group_reload loads the provisioned groups" \
	sh -c "kamcmd -s '$CFS_CTL' cpm_cf.group_reload | grep -q 'groups'"
check "groups: RPC cpm_cf.groups lists the group with its 4 members" \
	sh -c "kamcmd -s '$CFS_CTL' cpm_cf.groups | tr -d '\t' | grep -A4 -xF 'uri: $CFS_G' | grep -qx 'members: 4'"
check "groups: RPC cpm_cf.group_members lists cfs4 with the group's URI in another spelling" \
	sh -c "kamcmd -s '$CFS_CTL' cpm_cf.group_members 'sip:cfsg1@localhost:5060' | grep -qF 'sip:cfs4@$PROXY'"
check "groups: RPC cpm_cf.group_members of an unknown group is an error" \
	sh -c "! kamcmd -s '$CFS_CTL' cpm_cf.group_members 'sip:cfsg-none@$PROXY' 2>&1 | grep -q 'uri:'"

# cfs1 (the sender), cfs2 and cfs3 online; cfs4 offline
CFS_P1=$(next_port) CFS_P2=$(next_port) CFS_P3=$(next_port) CFS_P4=$(next_port)
sipp_uas_start pf_store_uas.xml "$CFS_P1" -timeout 8s
CFS_T1=$UAS_TRACE CFS_PID1=$UAS_PID
sipp_uas_start pf_store_uas.xml "$CFS_P2"
CFS_T2=$UAS_TRACE CFS_PID2=$UAS_PID
sipp_uas_start pf_store_uas.xml "$CFS_P3"
CFS_T3=$UAS_TRACE CFS_PID3=$UAS_PID
register cfs1 "$CFS_P1" && register cfs2 "$CFS_P2" && register cfs3 "$CFS_P3"
check "groups: cfs1, cfs2 and cfs3 registered" test "$LAST_RC" = 0

sipp_uac cf_group_message.xml -key from_user cfs1 -key to_user cfsg1 \
	-key conv "$CFS_CONV" -key contrib "$CFS_CONTRIB" -key irt "$CFS_IRT" \
	-key text "$CFS_TEXT"
check "group MESSAGE: the sender gets 202 Accepted" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
CFS_SENT=$(pf_body "$LAST_TRACE" "$CFS_CONTRIB" | pf_hex)
pf_wait_trace "$CFS_T2" "Contribution-ID: $CFS_CONTRIB" 1
pf_wait_trace "$CFS_T3" "Contribution-ID: $CFS_CONTRIB" 1
for u in 2 3; do
	eval "t=\$CFS_T$u"
	check "group MESSAGE: cfs$u got it once, CPM identifiers and Date byte-identical" \
		sh -c "[ \"\$(tr -d '\r' <'$t' | grep -cxF -e 'Conversation-ID: $CFS_CONV' -e 'Contribution-ID: $CFS_CONTRIB' -e 'InReplyTo-Contribution-ID: $CFS_IRT' -e 'Date: Wed, 25 Nov 2026 12:00:00 GMT')\" = 4 ]"
	check "group MESSAGE: cfs$u: P-Asserted-Identity is the group (seed 6.1), From and Referred-By the sender" \
		sh -c "tr -d '\r' <'$t' | grep -qxF 'P-Asserted-Identity: <$CFS_G>' &&
			tr -d '\r' <'$t' | grep -qE '^From: \"Group Name One\" <sip:cfs1@$PROXY>;tag=' &&
			tr -d '\r' <'$t' | grep -qxF 'Referred-By: <sip:cfs1@$PROXY>' &&
			tr -d '\r' <'$t' | grep -qE '^To: <sip:cfs$u@$PROXY>'"
	cfs_got=$(pf_body "$t" "$CFS_CONTRIB" | pf_hex)
	check "group MESSAGE: cfs$u: the CPIM body byte for byte as sent" \
		sh -c "[ '$cfs_got' = '$CFS_SENT' ] && [ ${#CFS_SENT} -gt 100 ]"
done
check "group MESSAGE: the offline member cfs4's copy is stored (deferred delivery)" \
	pf_wait_sql "$CFS_DB" "SELECT count(*) FROM cpm_store WHERE username='cfs4' AND contribution_id='$CFS_CONTRIB'" 1
sipp_uas_start pf_store_uas.xml "$CFS_P4"
CFS_T4=$UAS_TRACE
register cfs4 "$CFS_P4"
pf_wait_trace "$CFS_T4" "Contribution-ID: $CFS_CONTRIB" 1
check "group MESSAGE: cfs4 gets it when it registers, with the group as P-Asserted-Identity" \
	sh -c "tr -d '\r' <'$CFS_T4' | grep -qxF 'P-Asserted-Identity: <$CFS_G>' &&
		tr -d '\r' <'$CFS_T4' | grep -qxF 'Conversation-ID: $CFS_CONV' &&
		tr -d '\r' <'$CFS_T4' | grep -qxF 'Referred-By: <sip:cfs1@$PROXY>' &&
		tr -d '\r' <'$CFS_T4' | grep -qxF '$CFS_TEXT'"
wait "$CFS_PID1" 2>/dev/null
check "group MESSAGE: the sender's own device got no copy" \
	test "$(count_lines "$CFS_T1" "Contribution-ID: $CFS_CONTRIB")" = 0

# seed 6.1: from a trusted peer (an IMS S-CSCF) the sender is its
# P-Asserted-Identity; no digest, no $avp(cpm_auth_user)
_si=${SIPP_IP:-}
SIPP_IP=$TRUSTED_IP
sipp_uac bench_uac_group.xml -key to_user cfsg-peer
SIPP_IP=$_si
CFS_PEER=$(last_status "$LAST_TRACE")
check "group MESSAGE: from a trusted peer, its P-Asserted-Identity is the sender: 202, the copy stored for offline cfs6" \
	eval "[ '$CFS_PEER' = 'SIP/2.0 202 Accepted' ] &&
		pf_wait_sql '$CFS_DB' \"SELECT count(*) FROM cpm_store WHERE username='cfs6' AND contribution_id LIKE 'bench-%'\" 1"

# a member listed by its TEL identity (rcsjta lists phone numbers;
# tests/integration/identities.txt: cfs6 is tel:+15550105006) is that user:
# its copy passes cfs6's terminating PF (offline: deferred delivery), not 404
sipp_uac cf_group_message.xml -key from_user cfs1 -key to_user cfsg-tel \
	-key conv "$CFS_CONV" -key contrib "cfs-tel-1" -key irt "$CFS_IRT" -key text "to a TEL member"
cfs_tel_ok() {
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted" &&
		pf_wait_sql "$CFS_DB" "SELECT count(*) FROM cpm_store WHERE username='cfs6' AND contribution_id='cfs-tel-1'" 1
}
check "group MESSAGE: a member given as tel: URI of our user cfs6 gets it (stored for offline cfs6)" \
	cfs_tel_ok

# a member whose only device cannot take it now (480, seed 4.1): the
# copy's own transaction (created by route[SELF_MESSAGE] for the copy the CF
# handed to request_route in its process) runs failure_route[PF_DEFER],
# which stores it for cfs5: deferred delivery holds for an online member too
CFS_P5=$(next_port)
sipp_uas_start pf_store_uas480.xml "$CFS_P5"
CFS_T5=$UAS_TRACE
register cfs5 "$CFS_P5"
sipp_uac cf_group_message.xml -key from_user cfs1 -key to_user cfsg-busy \
	-key conv "$CFS_CONV" -key contrib "cfs-busy-1" -key irt "$CFS_IRT" -key text "to a busy member"
cfs_busy_ok() {
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted" &&
		pf_wait_sql "$CFS_DB" "SELECT count(*) FROM cpm_store WHERE username='cfs5' AND contribution_id='cfs-busy-1'" 1 &&
		test "$(count_lines "$CFS_T5" "Contribution-ID: cfs-busy-1")" = 1
}
check "group MESSAGE: a member's device answers 480: the copy is offered to it once, then stored (failure route)" \
	cfs_busy_ok
# the member of another domain gets no copy (403 Not relaying, answered
# statelessly in the copy's route): the group MESSAGE's own transaction is
# still answered as the script's, not released by tm as forgotten
check "group MESSAGE: a copy answered statelessly leaves the group MESSAGE's transaction as answered (no tm warning)" \
	sh -c "! grep -q \"script writer didn't release transaction\" '$KLOG'"

# refusals (seed 6.4.2 Table 1)
cfs_refused() { # cfs_refused <from> <group> <status line> <warning text>
	sipp_uac cf_group_message.xml -key from_user "$1" -key to_user "$2" \
		-key conv "$CFS_CONV" -key contrib "cfs-refused-$2-$1" -key irt "$CFS_IRT" -key text x
	uac_then test "$(last_status "$LAST_TRACE")" = "$3" &&
		tr -d '\r' <"$LAST_TRACE" | grep -qE "^Warning: 399 [^ ]+ \"$4\"$"
}
check "group MESSAGE: a non-member sender: 403 + Warning 127" \
	cfs_refused cfs5 cfsg1 "SIP/2.0 403 Forbidden" "127 Service not authorised"
check "group MESSAGE: more participants than the group allows: 403 + Warning 102" \
	cfs_refused cfs1 cfsg-small "SIP/2.0 403 Forbidden" "102 Too many participants"
check "group MESSAGE: the sender is the only member: 403 + Warning 129" \
	cfs_refused cfs1 cfsg-alone "SIP/2.0 403 Forbidden" "129 No destinations"
# seed 5.1: above max_pager_size (4096) the sender is told to use Large
# Message Mode, as for a 1-1 MESSAGE
CFS_BIG=$(head -c 4200 /dev/zero | tr '\0' 'x')
sipp_uac cf_group_message.xml -key from_user cfs1 -key to_user cfsg1 \
	-key conv "$CFS_CONV" -key contrib "cfs-refused-big" -key irt "$CFS_IRT" -key text "$CFS_BIG"
check "group MESSAGE: a Pager Mode body above max_pager_size: 413" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 413 Request Entity Too Large: use Large Message Mode (MSRP)"
check "group MESSAGE: no refused message reached anybody or was stored" \
	sh -c "! grep -q 'cfs-refused' '$CFS_T2' '$CFS_T3' '$CFS_T4' &&
		[ \"\$(sqlite3 '$CFS_DB' \"SELECT count(*) FROM cpm_store WHERE contribution_id LIKE 'cfs-refused%'\")\" = 0 ]"
check "group MESSAGE: statistics count the fan-out, the copies and the refusals" \
	sh -c "kamcmd -s '$CFS_CTL' stats.get_statistics cpm_cf: | grep -q 'group_messages = [1-9]' &&
		kamcmd -s '$CFS_CTL' stats.get_statistics cpm_cf: | grep -q 'group_message_copies = [3-9]' &&
		kamcmd -s '$CFS_CTL' stats.get_statistics cpm_cf: | grep -q 'group_messages_refused = [4-9]'"
wait "$CFS_PID2" "$CFS_PID3" 2>/dev/null
