# cpm_cf pre-defined group sessions (issue 7 items 2, 3; seed 5.2, 6.1, 6.3,
# 6.4.2) on the main instance, groups provisioned by SQL and loaded by RPC
# cpm_cf.group_reload:
#   - an INVITE (SDP only) to the group URI starts the group's session: 200
#     with Contact <group URI>;isfocus; the CF invites the members (XDM
#     invite-members) with the GROUP as P-Asserted-Identity (seed 6.1), the
#     initiator in Referred-By, the CPM identifiers unchanged (seed 5.3);
#     each participant has its group display name (seed 6.3, RPC);
#   - the group's max-participant-count: the members beyond it are not
#     invited, and one joining a full session gets 403 + Warning 102;
#   - policy: a non-member without rights gets 403 + Warning 127 (join), a
#     member of a group whose members may not start it 403 + 127, a
#     non-member allowed only to join may not start (403 + 127);
#   - RPC cpm_cf.sessions shows the group; session_end sends BYE to all;
#   - ending by the group's policy (lib/cpm_xdm.h END_KEY_LEFT): two
#     non-members (allowed to start and join) and a key member; when the key
#     member leaves, the session ends for the two others although two remain.
plan 17

CW_DB=$RUNDIR/cpm.sqlite
CW_KAM="kamcmd -s unix:$RUNDIR/kamailio_ctl"
CW_G="sip:cfwg1@$PROXY"
CW_CONV="0c0ffee0-0000-4000-8000-00000000cf01"
CW_CONTRIB="0c0ffee0-0000-4000-8000-00000000cf02"

# policy: CPM_XDM_P_* (lib/cpm_xdm.h): CONF_STATE 0x1, JOIN 0x4, START 0x8,
# INVITE_MEMBERS 0x100; non-members' actions from bit 16
sh "$TOP/mk/dbsql.sh" "$CW_DB" "
DELETE FROM cpm_group WHERE uri LIKE 'sip:cfwg%';
DELETE FROM cpm_group_member WHERE group_uri LIKE 'sip:cfwg%';
INSERT INTO cpm_group (uri, display_name, max_participants, policy) VALUES
 ('$CW_G', 'W Group', 3, 269),
 ('sip:cfwg-open@$PROXY', '', 0, 262412),
 ('sip:cfwg-nostart@$PROXY', '', 0, 260),
 ('sip:cfwg-key@$PROXY', '', 0, 786988);
INSERT INTO cpm_group_member (group_uri, uri, display_name) VALUES
 ('$CW_G', 'sip:cfw1@$PROXY', 'W One'),
 ('$CW_G', 'sip:cfw2@$PROXY', 'W Two'),
 ('$CW_G', 'sip:cfw3@$PROXY', 'W Three'),
 ('$CW_G', 'sip:cfw5@$PROXY', 'W Five'),
 ('sip:cfwg-open@$PROXY', 'sip:cfw1@$PROXY', ''),
 ('sip:cfwg-open@$PROXY', 'sip:cfw2@$PROXY', ''),
 ('sip:cfwg-nostart@$PROXY', 'sip:cfw1@$PROXY', ''),
 ('sip:cfwg-nostart@$PROXY', 'sip:cfw2@$PROXY', ''),
 ('sip:cfwg-key@$PROXY', 'sip:cfw1@$PROXY', ''),
 ('sip:cfwg-key@$PROXY', 'sip:cfw2@$PROXY', '');" >/dev/null
$CW_KAM cpm_cf.group_reload >/dev/null 2>&1

cw_connected() { # the number of connected participants of the group's session
	$CW_KAM cpm_cf.session "$CW_G" 2>/dev/null | grep -c 'state: connected'
}
cw_wait_connected() { # <n>: up to 15 s
	_i=0
	while [ "$(cw_connected)" != "$1" ] && [ $_i -lt 75 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	[ "$(cw_connected)" = "$1" ]
}
cw_refused() { # <from user> <group user> <status> <warning line>
	sipp_uac cf_rejoin.xml -key from_user "$1" -key ruser "$2"
	[ "$(last_status "$LAST_TRACE" | cut -d' ' -f2)" = "$3" ] &&
		has_line "$LAST_TRACE" "$4"
}

# ---- start: cfw1 starts, cfw2 and cfw3 are invited (limit 3: not cfw5) ----
CW_P2=$(next_port) CW_P3=$(next_port)
sipp_uas_start cf_uas.xml "$CW_P2" -timeout 30s
CW_2PID=$UAS_PID CW_2TR=$UAS_TRACE
sipp_uas_start cf_uas.xml "$CW_P3" -timeout 30s
CW_3PID=$UAS_PID CW_3TR=$UAS_TRACE
register cfw2 "$CW_P2"
register cfw3 "$CW_P3"
sipp_uac cf_group_start.xml -key from_user cfw1 -key ruser cfwg1 \
	-key conv "$CW_CONV" -key contrib "$CW_CONTRIB" &
CW_1PID=$!
_SEQ=$((_SEQ + 1)) # the background call's sequence number
CW_1TR="$RUNDIR/uac.$_SEQ.cf_group_start.msg"
check "group start: the initiator and both invited members are connected" \
	cw_wait_connected 3
check "group start: RPC cpm_cf.sessions lists the session with its group" \
	sh -c "$CW_KAM cpm_cf.sessions | tr -d ' \t' | grep -qx 'group:$CW_G'"
cw_names() {
	$CW_KAM cpm_cf.session "$CW_G" 2>/dev/null | tr -d '\t' |
		sed -n 's/^display_name: //p' | sort | tr '\n' ';'
}
check "group start: each participant has its group display name (seed 6.3; cfw5 beyond the limit not invited)" \
	test "$(cw_names)" = "W One;W Three;W Two;"
check "group full: member cfw5 joining gets 403 with Warning 102" \
	cw_refused cfw5 cfwg1 403 'Warning: 399 127.0.0.1 "102 Too many participants"'
check "group policy: non-member cfw4 joining gets 403 with Warning 127" \
	cw_refused cfw4 cfwg1 403 'Warning: 399 127.0.0.1 "127 Service not authorised"'
# item 5: the group gives its members no <allow-invite-users-dynamically>
# (policy 269 has no DYN_INVITE bit), so a connected member may not add
# anyone by REFER (RFC 4579 5.5 to the conference URI, out of dialog)
cw_refer_refused() {
	sipp_uac cf_refer_ood.xml -key from_user cfw1 -key ruser cfwg1 \
		-key refer_to "<sip:cfw4@127.0.0.1>" -key rhdr "X-Case: group-policy" \
		-key ctype "X-Body: none" -key body ""
	[ "$(last_status "$LAST_TRACE" | cut -d' ' -f2)" = 403 ] &&
		has_line "$LAST_TRACE" 'Warning: 399 127.0.0.1 "122 Function not allowed"' &&
		[ "$(cw_connected)" = 3 ]
}
check "group policy: a member's REFER without the group's dynamic-invite right gets 403 with Warning 122, nobody invited" \
	cw_refer_refused
# item 4: the group's session takes conference SUBSCRIBEs at the group URI
# (its identity); a user who is not a participant is refused with 127
cw_sub_refused() {
	sipp_uac cf_conf_refused.xml -key from_user cfw4 -key focus "$CW_G"
	[ "$(last_status "$LAST_TRACE" | cut -d' ' -f2)" = 403 ] &&
		has_line "$LAST_TRACE" 'Warning: 399 127.0.0.1 "127 Service not authorised"'
}
check "group session: a non-participant's SUBSCRIBE to the group URI gets 403 with Warning 127" \
	cw_sub_refused
$CW_KAM cpm_cf.session_end "$CW_G" >/dev/null 2>&1
wait "$CW_1PID"
CW_1RC=$?
wait "$CW_2PID"
CW_2RC=$?
wait "$CW_3PID"
CW_3RC=$?
check "group start: the initiator's 200 carries Contact: <group URI>;isfocus, and session_end's BYE reaches it" \
	sh -c "test $CW_1RC = 0 && tr -d '\r' <'$CW_1TR' | grep -q '^Contact: <$CW_G>;isfocus'"
for u in 2 3; do
	eval "tr_=\$CW_${u}TR rc_=\$CW_${u}RC"
	cw_inv_ok() {
		test "$rc_" = 0 &&
			has_line "$tr_" "P-Asserted-Identity: <$CW_G>" &&
			has_line "$tr_" "Referred-By: <sip:cfw1@$PROXY>" &&
			has_line "$tr_" "Conversation-ID: $CW_CONV" &&
			has_line "$tr_" "Contribution-ID: $CW_CONTRIB" &&
			tr -d '\r' <"$tr_" | grep -q "^Contact: <$CW_G>;.*;isfocus$"
	}
	check "group start: member cfw$u gets the INVITE from the group (PAI the group, Referred-By the initiator, CPM IDs unchanged) and session_end's BYE" \
		cw_inv_ok
done
check "group: the ended session is gone" \
	sh -c "! $CW_KAM cpm_cf.sessions | grep -q 'cfwg1'"

# ---- who may start -------------------------------------------------------
check "group policy: a member of a group whose members may not start it gets 403 with Warning 127" \
	cw_refused cfw1 cfwg-nostart 403 'Warning: 399 127.0.0.1 "127 Service not authorised"'
check "group policy: a non-member allowed to join (other-identity) may not start: 403 with Warning 127" \
	cw_refused cfw4 cfwg-open 403 'Warning: 399 127.0.0.1 "127 Service not authorised"'
check "group policy: the refused INVITEs started no session" \
	sh -c "! $CW_KAM cpm_cf.sessions | grep -q 'cfwg'"

# ---- ending by policy: the last key participant leaves -------------------
# cfwg-key: members cfw1, cfw2 start / join and are key participants
# (0x20), END_KEY_LEFT (0x200); non-members may start and join (0xc << 16):
# 786988 = 0x22c | 0xc0000
CW_KG="sip:cfwg-key@$PROXY"
cw_kconn() { $CW_KAM cpm_cf.session "$CW_KG" 2>/dev/null | grep -c 'state: connected'; }
cw_kwait() { # <n>
	_i=0
	while [ "$(cw_kconn)" != "$1" ] && [ $_i -lt 75 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	[ "$(cw_kconn)" = "$1" ]
}
sipp_uac cf_group_start.xml -key from_user cfw4 -key ruser cfwg-key \
	-key conv "$CW_CONV" -key contrib "0c0ffee0-0000-4000-8000-00000000cf03" &
CW_K4PID=$!
_SEQ=$((_SEQ + 1))
CW_K4TR="$RUNDIR/uac.$_SEQ.cf_group_start.msg"
cw_kwait 1
sipp_uac cf_group_start.xml -key from_user cfw5 -key ruser cfwg-key \
	-key conv "$CW_CONV" -key contrib "0c0ffee0-0000-4000-8000-00000000cf03" &
CW_K5PID=$!
_SEQ=$((_SEQ + 1))
CW_K5TR="$RUNDIR/uac.$_SEQ.cf_group_start.msg"
check "group end policy: two non-members in the key group's session" cw_kwait 2
# the key member joins and leaves after 300 ms (its BYE)
sipp_uac cf_rejoin.xml -key from_user cfw1 -key ruser cfwg-key
wait "$CW_K4PID"
CW_K4RC=$?
wait "$CW_K5PID"
CW_K5RC=$?
check "group end policy: the last key participant left: both non-members get the CF's BYE" \
	sh -c "test $CW_K4RC = 0 -a $CW_K5RC = 0 && tr -d '\r' <'$CW_K4TR' | grep -q '^BYE sip:' && tr -d '\r' <'$CW_K5TR' | grep -q '^BYE sip:'"
check "group end policy: the session is gone" \
	sh -c "! $CW_KAM cpm_cf.sessions | grep -q 'cfwg-key'"
