# cpm_pf, User Preferences Profiles (seed 4.1): the terminating PF applies
# the recipient's active profile, from the shared-memory cache:
#   (i)   demo data: dave's active profile Meeting defers messages: the
#         deferred store takes it (202 Accepted, listed by
#         cpm_pf.deferred_list);
#         cpm_pf.profile_show lists his profiles with the active one marked;
#   (ii)  pfpref (rows added to the database, cpm_pf.prefs_reload): Busy
#         rejects with the profile's status and reason; the RPC
#         cpm_pf.profile_set Work changes the next MESSAGE's outcome
#         (delivered); the switch reaches the database (cpm_pref_active) via
#         the module's one database writer (the deferred store's); an
#         unknown profile is refused;
#   (iii) the script function cpm_pf_profile_set() (test hook) switches to
#         Away: deferred; to Desk: only the device the profile names gets
#         the message;
#   (iv)  a switch survives a restart: an instance of its own switches by
#         RPC, stops once the row is written, and starts with that profile.

plan 15

PF_KAM="kamcmd -s unix:$RUNDIR/kamailio_ctl"
PF_DB=$RUNDIR/cpm.sqlite

# (i) demo data
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:dave@$PROXY" \
	-key conv pf-pref-conv-1 -key contrib pf-pref-contrib-1
pf_stored() { # <user> <contribution-id>: 202 came back and the store lists it
	trace_has "SIP/2.0 202 Accepted" &&
		$PF_KAM cpm_pf.deferred_list "$1" | grep -qF "contribution_id: $2"
}
check "prefs: dave (demo, Meeting active) -> deferred: 202, in the store" \
	pf_stored dave pf-pref-contrib-1
check "prefs: cpm_pf.profile_show dave marks Meeting active, msg deferred" \
	sh -c "$PF_KAM cpm_pf.profile_show dave | grep -qF '* Meeting msg defer'"

# (ii) rows added while running, then reloaded
sqlite3 -cmd ".timeout 10000" "$PF_DB" "INSERT INTO cpm_pref_profile (username, profile, service, action, reject_status, reject_reason, devices) VALUES
 ('pfpref', 'Busy', 'msg', 'reject', 486, 'Busy by preference', ''),
 ('pfpref', 'Work', 'msg', 'deliver', 0, '', ''),
 ('pfpref', 'Away', 'msg', 'defer', 0, '', ''),
 ('pfpref', 'Desk', 'msg', 'deliver', 0, '', '<urn:uuid:00000020-0000-4000-8000-0000000000de>');
 INSERT INTO cpm_pref_active (username, profile) VALUES ('pfpref', 'Busy');"
check "prefs: cpm_pf.prefs_reload reads the new rows" \
	sh -c "$PF_KAM cpm_pf.prefs_reload | grep -q ok && $PF_KAM cpm_pf.profile_show pfpref | grep -qF '* Busy msg reject 486'"
PREF_DESK=$(next_port)
PREF_MOBILE=$(next_port)
sipp_uac pf_register_tags.xml -key user pfpref -key contact_user desk-7f3a -key contact_port "$PREF_DESK" -key expires 600 \
	-key params ';+sip.instance="<urn:uuid:00000020-0000-4000-8000-0000000000de>"'
PREF_RC=$LAST_RC
sipp_uac pf_register_tags.xml -key user pfpref -key contact_user mob-91c2 -key contact_port "$PREF_MOBILE" -key expires 600 \
	-key params ';+sip.instance="<urn:uuid:00000021-0000-4000-8000-0000000000b0>"'
check "prefs: pfpref registers a desk and a mobile device" test "$PREF_RC$LAST_RC" = 00
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfpref@$PROXY" \
	-key conv pf-pref-conv-2 -key contrib pf-pref-contrib-2
check "prefs: Busy active -> the sender gets the profile's 486 Busy by preference" \
	trace_has "SIP/2.0 486 Busy by preference"
check "prefs: cpm_pf.profile_set pfpref Work" \
	sh -c "$PF_KAM cpm_pf.profile_set pfpref Work | grep -q 'active profile Work'"
sipp_uas_start uas_message.xml "$PREF_DESK"
PREF_PID_A=$UAS_PID PREF_TRACE_A=$UAS_TRACE
sipp_uas_start uas_message.xml "$PREF_MOBILE"
PREF_PID_B=$UAS_PID PREF_TRACE_B=$UAS_TRACE
check "prefs: after the switch the next MESSAGE is delivered (200)" \
	sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfpref@$PROXY" \
	-key conv pf-pref-conv-3 -key contrib pf-pref-contrib-3
wait "$PREF_PID_A"
wait "$PREF_PID_B"
# persisted by the module's one database writer (cpmpf_dbq.c), which commits
# the switch in its next batch, within milliseconds; the loop allows 5 s for
# a loaded machine
pref_persisted() {
	_i=0
	while [ $_i -lt 50 ]; do
		[ "$(sqlite3 "$PF_DB" "SELECT profile FROM cpm_pref_active WHERE username = 'pfpref';")" = "$1" ] &&
			return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "cpm_pref_active: $(sqlite3 "$PF_DB" "SELECT * FROM cpm_pref_active WHERE username = 'pfpref';")"
	return 1
}
check "prefs: the switch reaches the database (cpm_pref_active = Work)" pref_persisted Work
check "prefs: cpm_pf.profile_set to an unknown profile is refused" \
	sh -c "$PF_KAM cpm_pf.profile_set pfpref Nowhere 2>&1 | grep -qF '404 - no such user or profile'"

# (iii) the script function
sipp_uac message_any.xml -key to_user pfpref -key h1 X-CPM-Test -key v1 profile-set \
	-key h2 X-CPM-User -key v2 pfpref -key h3 X-CPM-Profile -key v3 Away
PREF_SET=$LAST_RC
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfpref@$PROXY" \
	-key conv pf-pref-conv-4 -key contrib pf-pref-contrib-4
pf_set_then_stored() { [ "$PREF_SET" = 0 ] && pf_stored pfpref pf-pref-contrib-4; }
check "prefs: cpm_pf_profile_set(pfpref, Away) from the script -> next MESSAGE deferred (202, stored)" \
	pf_set_then_stored
sipp_uac message_any.xml -key to_user pfpref -key h1 X-CPM-Test -key v1 profile-set \
	-key h2 X-CPM-User -key v2 pfpref -key h3 X-CPM-Profile -key v3 Desk
sipp_uas_start uas_message.xml "$PREF_DESK"
PREF_PID_A=$UAS_PID PREF_TRACE_A=$UAS_TRACE
sipp_uas_start uas_message.xml "$PREF_MOBILE"
PREF_PID_B=$UAS_PID PREF_TRACE_B=$UAS_TRACE
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfpref@$PROXY" \
	-key conv pf-pref-conv-5 -key contrib pf-pref-contrib-5
wait "$PREF_PID_A"; PREF_RC_A=$?
check "prefs: Desk names the desk device: it gets the MESSAGE (200)" \
	sh -c "[ $PREF_RC_A = 0 ] && tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 200 ' && tr -d '\r' <'$PREF_TRACE_A' | grep -q '^MESSAGE '"
pref_no_message() {
	sleep 0.5
	kill "$PREF_PID_B" 2>/dev/null
	wait "$PREF_PID_B" 2>/dev/null
	! { [ -f "$PREF_TRACE_B" ] && tr -d '\r' <"$PREF_TRACE_B" | grep -q '^MESSAGE '; }
}
check "prefs: the mobile device the profile does not name gets nothing" pref_no_message
check "prefs: statistics count the reject and the deferrals" \
	sh -c "$PF_KAM stats.get_statistics cpm_pf: | grep -q 'cpm_pf:prefs_reject = [1-9]' &&
		$PF_KAM stats.get_statistics cpm_pf: | grep -q 'cpm_pf:prefs_defer = [2-9]'"

# (iv) restart
PREF_KPORT=$(next_port)
PREF_DIR=$RUNDIR/prefs-restart
PREF_KAM2="kamcmd -s unix:$PREF_DIR/kamailio_ctl"
if start_instance "$PREF_DIR" "$TOP/tests/integration/test.cfg" "$PREF_KPORT"; then
	sqlite3 -cmd ".timeout 10000" "$PREF_DIR/cpm.sqlite" "INSERT INTO cpm_pref_profile (username, profile, service, action, reject_status, reject_reason, devices) VALUES
	 ('pfpref', 'Busy', 'msg', 'reject', 486, 'Busy by preference', ''),
	 ('pfpref', 'Work', 'msg', 'deliver', 0, '', '');
	 INSERT INTO cpm_pref_active (username, profile) VALUES ('pfpref', 'Busy');"
	$PREF_KAM2 cpm_pf.prefs_reload >/dev/null
	$PREF_KAM2 cpm_pf.profile_set pfpref Work >/dev/null
	PF_DB=$PREF_DIR/cpm.sqlite
	check "prefs: restart: the switch to Work is written" pref_persisted Work
	kill -TERM "$INST_PID" 2>/dev/null
	wait "$INST_PID" 2>/dev/null
	if start_instance "$PREF_DIR" "$TOP/tests/integration/test.cfg" "$PREF_KPORT"; then
		check "prefs: restart: the instance starts with Work active" \
			sh -c "$PREF_KAM2 cpm_pf.profile_show pfpref | grep -qF '* Work msg deliver'"
		kill -TERM "$INST_PID" 2>/dev/null
		wait "$INST_PID" 2>/dev/null
	else
		fail "prefs: restart: the instance starts again" "see $PREF_DIR/kamailio.log"
	fi
else
	fail "prefs: restart: an instance of its own starts" "see $PREF_DIR/kamailio.log"
	skip_rest prefs "no instance for the restart case"
fi
