# cpm_cf: a participant who stops answering is removed (issue 7 item 7,
# seed 5.2).  On the main instance: cflfrank's ad-hoc session (cflhenry
# invited), cflfrank REFERs cflgrace (who rings) and answers the REFER's
# first NOTIFY 481 (RFC 5057: the dialog is gone): removed without BYE, its
# session ends (cflhenry BYE, cflgrace CANCEL).  Then on an instance of its
# own with a short session timer (CF_SESSION_EXPIRES=6, CF_MIN_SE=2):
# - RFC 4028 9: a factory INVITE asking for Session-Expires 1 gets 422 with
#   Min-SE: 2, and nothing is created;
# - session timer: cflalice's INVITE has Supported: timer and
#   Session-Expires: 6;refresher=uac; the 200 agrees (Session-Expires:
#   6;refresher=uac, Require: timer); the CF's invitation to cflbob asks for
#   the timer (Supported: timer, Session-Expires: 6;refresher=uac, Min-SE:
#   2); cflalice never refreshes: the CF sends it BYE at the deadline of
#   RFC 4028 10 (6 - min(32, 6/3) = 4 s after the ACK), and cflbob gets BYE
#   as the initiator's session ends;
# - failed in-dialog request (RFC 5057): cflcarol's session is refreshed by
#   the focus (refresher=uas); cfldave's 200 makes the focus its refresher;
#   the focus's UPDATE to cfldave is answered 481: cfldave is removed with
#   no BYE, the session falls below two and cflcarol gets BYE with Reason
#   410; statistics count both removals;
# - RFC 4028 6: cfleve answers the CF's invitation 422 with Min-SE: 10; the
#   CF invites it again (same Call-ID, CSeq 2) with Session-Expires: 10.
plan 16

CL_DIR=$RUNDIR/cfliveness
CL_PORT=$(next_port)
CL_KAM="kamcmd -s unix:$CL_DIR/kamailio_ctl"
cl_entry() { printf '<entry uri="sip:%s@127.0.0.1" cp:copyControl="to"/>' "$@"; }
cl_hdr() { tr -d '\r' <"$1" | grep -qx "$2"; }
# seconds between the first line matching $2 and the first matching $3
# after it, from the trace's timestamp lines
cl_gap() {
	tr -d '\r' <"$1" | awk -v a="$2" -v b="$3" '
		/^-+ [0-9]+-[0-9]+-[0-9]+ [0-9:.]+$/ { split($3, t, ":"); ts = t[1]*3600 + t[2]*60 + t[3]; next }
		ta == "" && $0 ~ a { ta = ts; next }
		ta != "" && tb == "" && $0 ~ b { tb = ts }
		END { if (ta == "" || tb == "") print -1; else printf "%d\n", tb - ta }'
}
cl_stat() { $CL_KAM stats.get_statistics cpm_cf: 2>/dev/null | tr -d ' \t' | sed -n "s/^cpm_cf:$1=//p"; }

# ---- a referrer answers its REFER's NOTIFY 481 (the main instance) -------
cl_main_stat() { kamcmd -s "unix:$RUNDIR/kamailio_ctl" stats.get_statistics cpm_cf: 2>/dev/null | tr -d ' \t' | sed -n "s/^cpm_cf:$1=//p"; }
CL_U0=$(cl_main_stat participants_unresponsive)
CL_H=$(next_port)
CL_G=$(next_port)
sipp_uas_start cf_uas.xml "$CL_H" -timeout 20s
CL_HPID=$UAS_PID CL_HTR=$UAS_TRACE
sipp_uas_start cf_uas_ring.xml "$CL_G" -timeout 20s
CL_GPID=$UAS_PID CL_GTR=$UAS_TRACE
register cflhenry "$CL_H"
register cflgrace "$CL_G"
sipp_uac cf_refer_481.xml -key from_user cflfrank -key conv "5e55c0de-0000-4000-8000-00000000cf09" \
	-key contrib "5e55c0de-0000-4000-8000-00000000cf0a" -key subject "NOTIFY 481" \
	-key list "$(cl_entry cflhenry)" -key refer_to "<sip:cflgrace@$PROXY>" -key rhdr "X-Case: 481"
CL_FRC=$LAST_RC CL_FTR=$LAST_TRACE
wait "$CL_HPID"
CL_HRC=$?
wait "$CL_GPID"
CL_GRC=$?
check "NOTIFY 481: the referrer answered its REFER's NOTIFY 481 and got no BYE (removed, RFC 5057)" \
	sh -c "test $CL_FRC = 0 && tr -d '\r' <'$CL_FTR' | grep -qx 'SIP/2.0 202 Accepted' && ! tr -d '\r' <'$CL_FTR' | grep -q '^BYE '"
check "NOTIFY 481: the initiator removed ends its session: the invitee gets BYE, the ringing REFER target CANCEL" \
	test "$CL_HRC" = 0 -a "$CL_GRC" = 0
CL_U1=$(cl_main_stat participants_unresponsive)
check "NOTIFY 481: statistic participants_unresponsive counts it (${CL_U0:-?} -> ${CL_U1:-?})" \
	test "$((${CL_U1:-0} - ${CL_U0:-0}))" = 1

if ! start_instance "$CL_DIR" "$TOP/tests/integration/test.cfg" "$CL_PORT" \
	-A CF_SESSION_EXPIRES=6 -A CF_MIN_SE=2; then
	fail "liveness: an instance with session_expires 6 s starts" "see $CL_DIR/kamailio.log"
	skip_rest cf_liveness "the instance did not start"
else
	CL_MAIN_PORT=$PROXY_PORT
	PROXY_PORT=$CL_PORT

	# ---- 422 ----------------------------------------------------------
	sipp_uac cf_adhoc_422.xml -key from_user cflalice -key se 1 \
		-key conv "5e55c0de-0000-4000-8000-00000000cf01" \
		-key contrib "5e55c0de-0000-4000-8000-00000000cf02" -key subject "Too short" \
		-key list "$(cl_entry cflbob)"
	check "RFC 4028: Session-Expires 1 below min_se gets 422 with Min-SE: 2, no session" \
		sh -c "test $LAST_RC = 0 && tr -d '\r' <'$LAST_TRACE' | grep -qx 'Min-SE: 2' && ! $CL_KAM cpm_cf.sessions 2>/dev/null | grep -q identity"

	# a malformed Session-Expires: 400 with the reason, nothing created
	sipp_uac cf_adhoc_422.xml -key from_user cflalice -key se "abc;refresher=uac" \
		-key conv "5e55c0de-0000-4000-8000-00000000cf0b" \
		-key contrib "5e55c0de-0000-4000-8000-00000000cf0c" -key subject "Bad timer" \
		-key list "$(cl_entry cflbob)"
	check "RFC 4028: a malformed Session-Expires gets 400 Bad Session-Expires or Min-SE, no session" \
		sh -c "test $LAST_RC = 0 && tr -d '\r' <'$LAST_TRACE' | grep -qx 'SIP/2.0 400 Bad Session-Expires or Min-SE' && ! $CL_KAM cpm_cf.sessions 2>/dev/null | grep -q identity"

	# ---- the session timer runs out -------------------------------------
	CL_B=$(next_port)
	sipp_uas_start cf_uas.xml "$CL_B" -timeout 30s
	CL_BPID=$UAS_PID CL_BTR=$UAS_TRACE
	register cflbob "$CL_B"
	sipp_uac cf_adhoc_timer.xml -key from_user cflalice -key se "6;refresher=uac" \
		-key conv "5e55c0de-0000-4000-8000-00000000cf03" \
		-key contrib "5e55c0de-0000-4000-8000-00000000cf04" -key subject "Timer" \
		-key list "$(cl_entry cflbob)" -timeout 30s
	CL_ARC=$LAST_RC CL_ATR=$LAST_TRACE
	check "session timer: the 200 agrees Session-Expires: 6;refresher=uac with Require: timer" \
		sh -c "cl_hdr() { tr -d '\r' <\"\$1\" | grep -qx \"\$2\"; }; cl_hdr '$CL_ATR' 'Session-Expires: 6;refresher=uac' && cl_hdr '$CL_ATR' 'Require: timer'"
	check "session timer: the invitation asks for the timer (Supported: timer, Session-Expires: 6;refresher=uac, Min-SE: 2)" \
		sh -c "tr -d '\r' <'$CL_BTR' | sed -n '/^INVITE /,/^v=0/p' >'$CL_DIR/inv.txt'; grep -qx 'Supported: timer' '$CL_DIR/inv.txt' && grep -qx 'Session-Expires: 6;refresher=uac' '$CL_DIR/inv.txt' && grep -qx 'Min-SE: 2' '$CL_DIR/inv.txt'"
	CL_GAP=$(cl_gap "$CL_ATR" '^ACK ' '^BYE ')
	check "session timer: cflalice, never refreshing, gets the focus's BYE at the deadline (3..8 s after its ACK, was $CL_GAP)" \
		sh -c "test $CL_ARC = 0 -a $CL_GAP -ge 3 -a $CL_GAP -le 8"
	wait "$CL_BPID"
	CL_BRC=$?
	check "session timer: the initiator removed, its session ends: cflbob gets BYE" test "$CL_BRC" = 0
	check "session timer: statistic session_timer_expired = 1" test "$(cl_stat session_timer_expired)" = 1

	# ---- a participant answers 481 to the focus's refresh ----------------
	CL_D=$(next_port)
	sipp_uas_start cf_uas_481.xml "$CL_D" -key se 6 -timeout 30s
	CL_DPID=$UAS_PID CL_DTR=$UAS_TRACE
	register cfldave "$CL_D"
	sipp_uac cf_adhoc_timer.xml -key from_user cflcarol -key se "6;refresher=uas" \
		-key conv "5e55c0de-0000-4000-8000-00000000cf05" \
		-key contrib "5e55c0de-0000-4000-8000-00000000cf06" -key subject "481" \
		-key list "$(cl_entry cfldave)" -timeout 30s
	CL_CRC=$LAST_RC CL_CTR=$LAST_TRACE
	wait "$CL_DPID"
	CL_DRC=$?
	check "481: the focus refreshes cfldave's session with an UPDATE (Session-Expires: 6;refresher=uac)" \
		sh -c "tr -d '\r' <'$CL_DTR' | sed -n '/^UPDATE /,/^\$/p' | grep -qx 'Session-Expires: 6;refresher=uac'"
	check "481: cfldave answered 481 and got no BYE (the dialog is gone, RFC 5057)" \
		sh -c "test $CL_DRC = 0 && ! tr -d '\r' <'$CL_DTR' | grep -q '^BYE '"
	check "481: cfldave removed, the session falls below two: cflcarol gets BYE with Reason 410" \
		sh -c "test $CL_CRC = 0 && tr -d '\r' <'$CL_CTR' | grep -qx 'Reason: SIP;cause=410;text=\"Gone\"'"
	check "statistics: participants_unresponsive = 2, no session left" \
		sh -c "test '$(cl_stat participants_unresponsive)' = 2 && ! $CL_KAM cpm_cf.sessions 2>/dev/null | grep -q identity"

	# ---- an invitee answers 422: invited again with its Min-SE ----------
	CL_E=$(next_port)
	sipp_uas_start cf_uas_422.xml "$CL_E" -key minse 10 -timeout 30s
	CL_EPID=$UAS_PID CL_ETR=$UAS_TRACE
	register cfleve "$CL_E"
	sipp_uac cf_adhoc_timer.xml -key from_user cflalice -key se "6;refresher=uas" \
		-key conv "5e55c0de-0000-4000-8000-00000000cf07" \
		-key contrib "5e55c0de-0000-4000-8000-00000000cf08" -key subject "422" \
		-key list "$(cl_entry cfleve)" -timeout 30s &
	CL_APID=$!
	_SEQ=$((_SEQ + 1))
	CL_I=0
	while [ $CL_I -lt 50 ] && ! $CL_KAM cpm_cf.sessions 2>/dev/null | grep -q 'participants: 2'; do
		sleep 0.2
		CL_I=$((CL_I + 1))
	done
	CL_ID=$($CL_KAM cpm_cf.sessions 2>/dev/null | tr -d ' \t' | sed -n 's/^identity://p' | head -n 1)
	check "422: the invitee's 422 (Min-SE: 10) is followed by the CF's INVITE asking for Session-Expires: 10 (same Call-ID, CSeq 2), and it joins" \
		sh -c "tr -d '\r' <'$CL_ETR' | grep -q '^SIP/2.0 422' && tr -d '\r' <'$CL_ETR' | grep -qx 'Session-Expires: 10;refresher=uac' && tr -d '\r' <'$CL_ETR' | grep -qx 'CSeq: 2 INVITE' && $CL_KAM cpm_cf.session '$CL_ID' 2>/dev/null | grep -c 'state: connected' | grep -qx 2"
	$CL_KAM cpm_cf.session_end "$CL_ID" >/dev/null 2>&1
	wait "$CL_EPID"
	CL_ERC=$?
	wait "$CL_APID"
	CL_ARC2=$?
	check "422: the session ended by RPC: both get BYE" test "$CL_ERC" = 0 -a "$CL_ARC2" = 0
	kill -TERM "$INST_PID" 2>/dev/null
	PROXY_PORT=$CL_MAIN_PORT
fi
