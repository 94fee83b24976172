# cpm_cf: the dialect of each invitation (issue 7 "Conventions";
# client-dialects.md): the CF's INVITE to an invitee carries the group
# feature tag of the invitee's registered dialect (its contacts' feature
# tags, as cpm_pf_reg_tags() recorded them at REGISTER), else the
# initiator's.  A UP initiator (Conversation-ID) invites an RCS 5.x
# invitee (+g.oma.sip-im registered) and a UP one; then an RCS 5.x
# initiator (no Conversation-ID) invites the same two.
# Seed 6.1 (last paragraph): the CF's Referred-By set to the originator
# carries both its SIP and its TEL URI (cfdalice has tel:+15550119001,
# tests/integration/identities.txt): in each invitation, and in the copies
# of a group MESSAGE.
plan 11

CFD_ICSI='+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm'
CFD_RCS_TAG='+g.oma.sip-im'
CFD_UP_TAG="$CFD_ICSI.session.group\""
CFD_PAS='P-Asserted-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session.group'
cfd_entry() { printf '<entry uri="sip:%s@127.0.0.1" cp:copyControl="to"/>' "$@"; }
# cfd_reg <user> <port> <params>: a device of <user> with those tags
cfd_reg() {
	sipp_uac pf_register_tags.xml -key user "$1" -key contact_user "$1" \
		-key contact_port "$2" -key expires 600 -key params "$3"
}
# cfd_tag_ok <trace> <tag>: the invitation's Contact and Accept-Contact
# carry <tag> (and only the Contact focus form of seed 5.2), with
# P-Asserted-Service exactly for the UP dialect
cfd_tag_ok() {
	_id=$(tr -d '\r' <"$1" | sed -n 's/^Contact: <\(sip:cf-[0-9a-f]\{32\}@[^>]*\)>;.*isfocus$/\1/p' | head -n 1)
	[ -n "$_id" ] || { echo "no focus Contact in $1"; return 1; }
	has_line "$1" "Contact: <$_id>;$2;isfocus" || { echo "Contact is not <$_id>;$2;isfocus"; tr -d '\r' <"$1" | grep '^Contact: <sip:cf-'; return 1; }
	has_line "$1" "Accept-Contact: *;$2" || { echo "Accept-Contact is not *;$2"; return 1; }
	if [ "$2" = "$CFD_UP_TAG" ]; then has_line "$1" "$CFD_PAS"; else ! has_line "$1" "$CFD_PAS"; fi
}

CFD_B=$(next_port)
CFD_C=$(next_port)
cfd_reg cfdbob "$CFD_B" ";$CFD_RCS_TAG"
cfd_reg cfdcarol "$CFD_C" ";$CFD_ICSI.session\";$CFD_ICSI.session.group\""

# ---- a UP initiator ---------------------------------------------------------
sipp_uas_start cf_uas.xml "$CFD_B" -timeout 20s
CFD_BPID=$UAS_PID CFD_BTR=$UAS_TRACE
sipp_uas_start cf_uas.xml "$CFD_C" -timeout 20s
CFD_CPID=$UAS_PID CFD_CTR=$UAS_TRACE
sipp_uac cf_adhoc.xml -key from_user cfdalice -key conv "3b1d8e2a-5c4f-4a6b-9d0e-1f2a3b4c5d6e" \
	-key contrib "4c2e9f3b-6d5a-4b7c-8e1f-2a3b4c5d6e7f" -key subject "Dialects" \
	-key list "$(cfd_entry cfdbob cfdcarol)"
CFD_RC=$LAST_RC
wait "$CFD_BPID"
CFD_BRC=$?
wait "$CFD_CPID"
CFD_CRC=$?
check "UP initiator: the session runs (200, BYE 200) and both invitees answer" \
	test "$CFD_RC" = 0 -a "$CFD_BRC" = 0 -a "$CFD_CRC" = 0
check "UP initiator: the RCS 5.x invitee's INVITE carries +g.oma.sip-im (Contact, Accept-Contact), no P-Asserted-Service" \
	cfd_tag_ok "$CFD_BTR" "$CFD_RCS_TAG"
check "UP initiator: the UP invitee's INVITE carries the session.group ICSI and P-Asserted-Service" \
	cfd_tag_ok "$CFD_CTR" "$CFD_UP_TAG"
CFD_RB='Referred-By: <sip:cfdalice@127.0.0.1>, <tel:+15550119001>'
check "UP initiator: both invitations carry Referred-By with the initiator's SIP and TEL URI (seed 6.1)" \
	sh -c "has_line() { tr -d '\r' <\"\$1\" | grep -qxF -- \"\$2\"; }; has_line '$CFD_BTR' '$CFD_RB' && has_line '$CFD_CTR' '$CFD_RB'"
check "UP initiator: the RCS 5.x invitee still gets the initiator's Conversation-ID unchanged (seed 5.3)" \
	has_line "$CFD_BTR" "Conversation-ID: 3b1d8e2a-5c4f-4a6b-9d0e-1f2a3b4c5d6e"

# ---- an RCS 5.x initiator -----------------------------------------------------
sipp_uas_start cf_uas.xml "$CFD_B" -timeout 20s
CFD_BPID=$UAS_PID CFD_BTR=$UAS_TRACE
sipp_uas_start cf_uas.xml "$CFD_C" -timeout 20s
CFD_CPID=$UAS_PID CFD_CTR=$UAS_TRACE
sipp_uac cf_adhoc_rcs.xml -key from_user cfdalice -key contrib "5d3fa04c7e6b4c8d9f203b4c5d6e7f80" \
	-key subject "Dialects" -key list "$(cfd_entry cfdbob cfdcarol)"
CFD_RC=$LAST_RC
wait "$CFD_BPID"
CFD_BRC=$?
wait "$CFD_CPID"
CFD_CRC=$?
check "RCS initiator: the session runs (200, BYE 200) and both invitees answer" \
	test "$CFD_RC" = 0 -a "$CFD_BRC" = 0 -a "$CFD_CRC" = 0
check "RCS initiator: the UP invitee's INVITE carries the session.group ICSI and P-Asserted-Service" \
	cfd_tag_ok "$CFD_CTR" "$CFD_UP_TAG"
check "RCS initiator: the RCS 5.x invitee's INVITE carries +g.oma.sip-im" \
	cfd_tag_ok "$CFD_BTR" "$CFD_RCS_TAG"
check "RCS initiator: no Conversation-ID is invented for anyone (seed 5.3: as received)" \
	sh -c "! tr -d '\r' <'$CFD_CTR' | grep -q '^Conversation-ID:'"

# ---- a group MESSAGE (RFC 5365): Referred-By with both URIs -----------------
. "$TOP/tests/integration/pf_store_lib.sh"
sh "$TOP/mk/dbsql.sh" "$RUNDIR/cpm.sqlite" "
DELETE FROM cpm_group WHERE uri = 'sip:cfdg@$PROXY';
DELETE FROM cpm_group_member WHERE group_uri = 'sip:cfdg@$PROXY';
INSERT INTO cpm_group (uri, display_name, max_participants, policy) VALUES
 ('sip:cfdg@$PROXY', '', 0, 0);
INSERT INTO cpm_group_member (group_uri, uri, display_name) VALUES
 ('sip:cfdg@$PROXY', 'sip:cfdalice@$PROXY', ''),
 ('sip:cfdg@$PROXY', 'sip:cfdbob@$PROXY', '');" >/dev/null
kamcmd -s "unix:$RUNDIR/kamailio_ctl" cpm_cf.group_reload >/dev/null
sipp_uas_start pf_store_uas.xml "$CFD_B" -timeout 10s
CFD_BTR=$UAS_TRACE
sipp_uac cf_group_message.xml -key from_user cfdalice -key to_user cfdg \
	-key conv "6e4a1b5c-7f8d-4e9a-0b1c-2d3e4f5a6b7c" -key contrib "cfd-group-1" \
	-key irt "cfd-irt-1" -key text "Both URIs"
check "group MESSAGE: the sender gets 202" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
pf_wait_trace "$CFD_BTR" "Contribution-ID: cfd-group-1" 1
check "group MESSAGE: the member's copy carries Referred-By with the sender's SIP and TEL URI (seed 6.1)" \
	has_line "$CFD_BTR" "$CFD_RB"
