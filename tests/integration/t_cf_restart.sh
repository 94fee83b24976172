# cpm_cf restarted mid-session (issue 7 item 11, "the CF restarted
# mid-session knows its groups and sessions"), an instance of its own:
# an ad-hoc session of three (cfw1 initiator, cfw2 and cfw3 invited) and a
# pre-defined group's session (cfw4 started it alone) run; the writer
# process puts them in the database; Kamailio is killed (SIGKILL: no clean
# stop) and restarted on the same database; then RPC cpm_cf.sessions lists
# both, cfw5's INVITE to the group session's identity joins it (and its
# BYE leaves cfw4 alone: the CF's BYE with Reason 410 reaches cfw4 in its
# restored dialog), and the ad-hoc initiator's in-dialog BYE makes the CF
# send BYE to both invitees in their restored dialogs.
# Privacy after a restart (seed 6.3): the ad-hoc initiator cfw1 is
# anonymous (Privacy: id); cfw2 subscribes to the conference event package
# before the kill; after the restart its refresh in the old subscription
# dialog gets 481 (subscriptions are not persisted: RFC 6665 4.1.2.2, it
# subscribes again) and its new SUBSCRIBE's NOTIFY shows cfw1 under its
# pseudonym and anonymous URI, never its real URI (the anonymity records
# are persisted in cpm_cf_anon).
plan 16

. "$TOP/tests/integration/pf_store_lib.sh"

CR_DIR=$RUNDIR/cfrestart
CR_PORT=$(next_port)
CR_DB=$CR_DIR/cpm.sqlite
CR_KAM="kamcmd -s unix:$CR_DIR/kamailio_ctl"
CR_MAIN_PORT=$PROXY_PORT
cr_entry() { printf '<entry uri="sip:%s@127.0.0.1" cp:copyControl="to"/>' "$@"; }
cr_sql() { sqlite3 "$CR_DB" "$1" 2>/dev/null; }
cr_wait_sql() { # <query> <value>: poll up to 10 s
	_i=0
	while [ "$(cr_sql "$1")" != "$2" ] && [ $_i -lt 50 ]; do
		sleep 0.2
		_i=$((_i + 1))
	done
	[ "$(cr_sql "$1")" = "$2" ]
}

if ! start_instance "$CR_DIR" "$TOP/tests/integration/test.cfg" "$CR_PORT"; then
	fail "restart: an instance of its own starts" "see $CR_DIR/kamailio.log"
	skip_rest cf_restart "the instance did not start"
else
	PROXY_PORT=$CR_PORT
	# policy 12: members may start (0x8) and join (0x4); no invite-members
	sh "$TOP/mk/dbsql.sh" "$CR_DB" "
INSERT INTO cpm_group (uri, display_name, max_participants, policy) VALUES
 ('sip:cfwgr@$PROXY', 'Restart Group', 0, 12);
INSERT INTO cpm_group_member (group_uri, uri, display_name) VALUES
 ('sip:cfwgr@$PROXY', 'sip:cfw4@$PROXY', ''),
 ('sip:cfwgr@$PROXY', 'sip:cfw5@$PROXY', '');" >/dev/null
	$CR_KAM cpm_cf.group_reload >/dev/null 2>&1
	CR_P2=$(next_port) CR_P3=$(next_port)
	sipp_uas_start cf_uas.xml "$CR_P2" -timeout 60s
	CR_2PID=$UAS_PID CR_2TR=$UAS_TRACE
	sipp_uas_start cf_uas.xml "$CR_P3" -timeout 60s
	CR_3PID=$UAS_PID CR_3TR=$UAS_TRACE
	register cfw2 "$CR_P2"
	register cfw3 "$CR_P3"
	sipp_uac cf_adhoc_hold.xml -key from_user cfw1 \
		-key conv "0c0ffee0-0000-4000-8000-00000000cf11" \
		-key contrib "0c0ffee0-0000-4000-8000-00000000cf12" -key subject "Restart" \
		-key privacy id -key list "$(cr_entry cfw2 cfw3)" -timeout 45s &
	CR_APID=$!
	_SEQ=$((_SEQ + 1))
	CR_ATR="$RUNDIR/uac.$_SEQ.cf_adhoc_hold.msg"
	# the next call picks its port once this one has its own (ports.sh)
	cr_wait_sql "SELECT count(*) FROM cpm_cf_session" 1
	sipp_uac cf_group_start.xml -key from_user cfw4 -key ruser cfwgr \
		-key conv "0c0ffee0-0000-4000-8000-00000000cf13" \
		-key contrib "0c0ffee0-0000-4000-8000-00000000cf14" &
	CR_GPID=$!
	_SEQ=$((_SEQ + 1))
	CR_GTR="$RUNDIR/uac.$_SEQ.cf_group_start.msg"
	check "restart: the writer process puts both sessions and their 4 connected participants (with dialogs) in the database" \
		cr_wait_sql "SELECT count(*) FROM cpm_cf_participant WHERE state = 2 AND callid <> '' AND rtag <> ''" 4
	CR_ID=$(cr_sql "SELECT identity FROM cpm_cf_session WHERE grp = ''")
	CR_ANON=sip:anonymous-1@anonymous.invalid
	# cfw2 subscribes (cfw1 anonymous): the NOTIFY shows the pseudonym only
	sipp_uac cf_conf_sub_once.xml -key from_user cfw2 -key focus "$CR_ID" \
		-cid_str "cfw-sub-$$@test" -key sub_ftag "cfwsub$$"
	CR_STR=$LAST_TRACE
	cr_body_anon() { # <trace>: a NOTIFY body with the anonymous URI, none naming cfw1
		tr -d '\r' <"$1" | grep -q "entity=\"$CR_ANON\"" &&
			! tr -d '\r' <"$1" | sed -n '/^NOTIFY /,/<\/conference-info>/p' | grep -q cfw1
	}
	CR_SRC=$LAST_RC
	cr_pre_anon() { test "$CR_SRC" = 0 && cr_body_anon "$CR_STR"; }
	check "restart: before the restart, cfw2's NOTIFY shows the anonymous initiator as $CR_ANON, not its URI" \
		cr_pre_anon
	check "restart: the writer process puts the initiator's anonymity record (pseudonym, number) in cpm_cf_anon" \
		cr_wait_sql "SELECT uri || '|' || pseudonym || '|' || anon_no FROM cpm_cf_anon" "sip:cfw1@$PROXY|Alice|1"
	# the subscription dialog's To tag (the focus's), for the refresh
	CR_STAG=$(tr -d '\r' <"$CR_STR" | sed -n "s/^To: <[^>]*>;tag=\([^;]*\).*/\1/p" | head -n 1)
	pf_kill9 "$INST_PID"
	if ! start_instance "$CR_DIR" "$TOP/tests/integration/test.cfg" "$CR_PORT"; then
		fail "restart: the instance restarts on the same database" "see $CR_DIR/kamailio.log"
		skip_rest cf_restart "the instance did not restart"
	else
		cr_listed() {
			$CR_KAM cpm_cf.sessions 2>/dev/null | tr -d ' \t' >"$CR_DIR/sessions.out"
			grep -qx "identity:$CR_ID" "$CR_DIR/sessions.out" &&
				grep -qx "group:sip:cfwgr@$PROXY" "$CR_DIR/sessions.out"
		}
		check "restart: RPC cpm_cf.sessions lists both sessions (the group's with its group)" cr_listed
		cr_restored() {
			$CR_KAM stats.get_statistics cpm_cf: 2>/dev/null |
				grep -q 'sessions_restored = 2'
		}
		check "restart: statistic cpm_cf:sessions_restored = 2" cr_restored
		check "restart: RPC cpm_cf.session shows the ad-hoc session's 3 participants connected" \
			test "$($CR_KAM cpm_cf.session "$CR_ID" 2>/dev/null | grep -c 'state: connected')" = 3
		sipp_uac cf_conf_resub.xml -key from_user cfw2 -key focus "$CR_ID" \
			-cid_str "cfw-sub-$$@test" -key sub_ftag "cfwsub$$" \
			-key sub_ttag "${CR_STAG:-none}"
		CR_RTR=$LAST_TRACE
		check "restart: cfw2's refresh in its old subscription dialog gets 481 (subscriptions are not persisted)" \
			sh -c "test -n '$CR_STAG' && tr -d '\r' <'$CR_RTR' | grep -q '^SIP/2.0 481'"
		check "restart: cfw2 subscribes again: 200 and full-state NOTIFYs (then Expires: 0)" \
			test "$LAST_RC" = 0
		check "restart: the new NOTIFY shows the anonymous initiator as $CR_ANON under its pseudonym" \
			sh -c "tr -d '\r' <'$CR_RTR' | grep -q 'entity=\"$CR_ANON\"' && tr -d '\r' <'$CR_RTR' | grep -q '<display-text>Alice</display-text>'"
		check "restart: no NOTIFY after the restart carries the initiator's real URI" \
			sh -c "! tr -d '\r' <'$CR_RTR' | sed -n '/^NOTIFY /,/<\/conference-info>/p' | grep -q cfw1"
		sipp_uac cf_rejoin.xml -key from_user cfw5 -key ruser cfwgr
		check "restart: cfw5's INVITE to the group session's identity joins it (200, Contact <group>;isfocus)" \
			sh -c "test $LAST_RC = 0 && tr -d '\r' <'$LAST_TRACE' | grep -qx 'Contact: <sip:cfwgr@$PROXY>;isfocus'"
		wait "$CR_GPID"
		CR_GRC=$?
		check "restart: cfw5 left, cfw4 (restored) alone gets the CF's BYE with Reason 410 in its restored dialog" \
			sh -c "test $CR_GRC = 0 && tr -d '\r' <'$CR_GTR' | grep -qx 'Reason: SIP;cause=410;text=\"Gone\"'"
		wait "$CR_APID"
		CR_ARC=$?
		check "restart: the ad-hoc initiator's in-dialog BYE gets 200 from the restarted CF" \
			test "$CR_ARC" = 0
		wait "$CR_2PID"
		CR_2RC=$?
		wait "$CR_3PID"
		CR_3RC=$?
		check "restart: the CF sends BYE to both invitees in their restored dialogs" \
			sh -c "test $CR_2RC = 0 -a $CR_3RC = 0 && tr -d '\r' <'$CR_2TR' | grep -q '^BYE sip:' && tr -d '\r' <'$CR_3TR' | grep -q '^BYE sip:'"
		check "restart: the ended sessions are gone (RPC)" \
			sh -c "! $CR_KAM cpm_cf.sessions 2>/dev/null | grep -q identity"
		check "restart: and their rows are gone from the database (anonymity records too)" \
			cr_wait_sql "SELECT (SELECT count(*) FROM cpm_cf_session) + (SELECT count(*) FROM cpm_cf_anon)" 0
		kill -TERM "$INST_PID" 2>/dev/null
	fi
	PROXY_PORT=$CR_MAIN_PORT
fi
