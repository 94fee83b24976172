# cpm_pf, every device (seed 4.1 "multiple device environment"): a MESSAGE
# goes, in parallel, to every registered device of the recipient that takes
# the service, judged by the feature tags of the device's REGISTER:
#   (i)   two CPM devices (+sip.instance each), one registering the
#         oma.cpm.msg ICSI, one only oma.cpm.session: only the first gets it;
#   (ii)  a plain SIP device (no CPM tag: Linphone) gets Pager Mode; the
#         session-only device beside it does not;
#   (iii) two capable devices (the msg ICSI; RCS 5.x +g.oma.sip-im) both get
#         the same MESSAGE (one transaction, forked in parallel);
#   (iv)  only a session-only device registered: no device takes the
#         message, the PF says so and the cfg answers 480 (deferred delivery,
#         until the store lands).

plan 14

PF_ICSI='urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm'
pf_reg() { # pf_reg <user> <port> <instance> [icsi service | sip-im | -]
	_params=";+sip.instance=\"<urn:uuid:$3>\""
	case "${4:--}" in
	-) ;;
	sip-im) _params="$_params;+g.oma.sip-im" ;;
	*) _params="$_params;+g.3gpp.icsi-ref=\"$PF_ICSI.$4\"" ;;
	esac
	sipp_uac pf_register_tags.xml -key user "$1" -key contact_user "$1" -key contact_port "$2" \
		-key expires 600 -key params "$_params"
}
# got_message <trace>: the device received a MESSAGE
got_message() { [ -f "$1" ] && tr -d '\r' <"$1" | grep -q '^MESSAGE '; }
# no_message <pid> <trace>: the device got nothing (its UAS is stopped)
no_message() {
	sleep 0.5
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	if got_message "$2"; then
		echo "a MESSAGE reached this device:"
		tr -d '\r' <"$2" | grep -m1 -A12 '^MESSAGE '
		return 1
	fi
}
passed() { _rc=$1; shift; [ "$_rc" = 0 ] || { echo "UAS failed ($_rc)"; return 1; }; "$@"; }
callid() { tr -d '\r' <"$1" | sed -n 's/^Call-ID: //p' | head -n 1; }

# (i) msg device + session-only device
DEV_A=$(next_port)
DEV_B=$(next_port)
pf_reg pfdev "$DEV_A" 0000000a-0000-4000-8000-00000000000a msg
DEV_REG_A=$LAST_RC
pf_reg pfdev "$DEV_B" 0000000b-0000-4000-8000-00000000000b session
DEV_REG_B=$LAST_RC
check "devices: pfdev registers a msg device and a session-only device" \
	test "$DEV_REG_A$DEV_REG_B" = 00
sipp_uas_start uas_message.xml "$DEV_A"
DEV_PID_A=$UAS_PID DEV_TRACE_A=$UAS_TRACE
sipp_uas_start uas_message.xml "$DEV_B"
DEV_PID_B=$UAS_PID DEV_TRACE_B=$UAS_TRACE
check "devices: MESSAGE to pfdev is delivered (200)" \
	sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfdev@$PROXY" \
	-key conv pf-dev-conv-1 -key contrib pf-dev-contrib-1
wait "$DEV_PID_A"; DEV_RC_A=$?
check "devices: the device registering the oma.cpm.msg ICSI gets it" \
	passed "$DEV_RC_A" got_message "$DEV_TRACE_A"
check "devices: the session-only device does not" \
	no_message "$DEV_PID_B" "$DEV_TRACE_B"

# (ii) plain SIP device + session-only device
DEV_P=$(next_port)
DEV_S=$(next_port)
pf_reg pfplain "$DEV_P" 0000000c-0000-4000-8000-00000000000c -
DEV_REG_A=$LAST_RC
pf_reg pfplain "$DEV_S" 0000000d-0000-4000-8000-00000000000d session
DEV_REG_B=$LAST_RC
check "devices: pfplain registers a plain device and a session-only device" \
	test "$DEV_REG_A$DEV_REG_B" = 00
sipp_uas_start uas_message.xml "$DEV_P"
DEV_PID_A=$UAS_PID DEV_TRACE_A=$UAS_TRACE
sipp_uas_start uas_message.xml "$DEV_S"
DEV_PID_B=$UAS_PID DEV_TRACE_B=$UAS_TRACE
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfplain@$PROXY" \
	-key conv pf-dev-conv-2 -key contrib pf-dev-contrib-2
check "devices: the plain SIP device (no CPM tag) gets the Pager Mode MESSAGE, 200 back" \
	uac_then sh -c "wait $DEV_PID_A 2>/dev/null; tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 200 ' && tr -d '\r' <'$DEV_TRACE_A' | grep -q '^MESSAGE '"
check "devices: the session-only device beside it does not" \
	no_message "$DEV_PID_B" "$DEV_TRACE_B"

# (iii) two capable devices: both, in parallel
DEV_A=$(next_port)
DEV_B=$(next_port)
pf_reg pfboth "$DEV_A" 0000000e-0000-4000-8000-00000000000e msg
DEV_REG_A=$LAST_RC
pf_reg pfboth "$DEV_B" 0000000f-0000-4000-8000-00000000000f sip-im
DEV_REG_B=$LAST_RC
check "devices: pfboth registers a msg device and an RCS 5.x (+g.oma.sip-im) device" \
	test "$DEV_REG_A$DEV_REG_B" = 00
sipp_uas_start uas_message.xml "$DEV_A"
DEV_PID_A=$UAS_PID DEV_TRACE_A=$UAS_TRACE
sipp_uas_start uas_message.xml "$DEV_B"
DEV_PID_B=$UAS_PID DEV_TRACE_B=$UAS_TRACE
check "devices: MESSAGE to pfboth is delivered (200)" \
	sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfboth@$PROXY" \
	-key conv pf-dev-conv-3 -key contrib pf-dev-contrib-3
wait "$DEV_PID_A"; DEV_RC_A=$?
wait "$DEV_PID_B"; DEV_RC_B=$?
check "devices: the msg device gets it" passed "$DEV_RC_A" got_message "$DEV_TRACE_A"
check "devices: the RCS 5.x device gets it" passed "$DEV_RC_B" got_message "$DEV_TRACE_B"
check "devices: both copies belong to one forked request (same Call-ID)" \
	sh -c "[ -n \"\$(tr -d '\r' <'$DEV_TRACE_A' | sed -n 's/^Call-ID: //p' | head -n1)\" ] &&
		[ \"\$(tr -d '\r' <'$DEV_TRACE_A' | sed -n 's/^Call-ID: //p' | head -n1)\" = \
		  \"\$(tr -d '\r' <'$DEV_TRACE_B' | sed -n 's/^Call-ID: //p' | head -n1)\" ]"

# (iv) no device takes the service
DEV_S=$(next_port)
check "devices: pfnone registers only a session-only device" \
	pf_reg pfnone "$DEV_S" 00000010-0000-4000-8000-000000000010 session
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:pfnone@$PROXY" \
	-key conv pf-dev-conv-4 -key contrib pf-dev-contrib-4
dev_stored() {
	trace_has "SIP/2.0 202 Accepted" &&
		kamcmd -s "unix:$RUNDIR/kamailio_ctl" cpm_pf.deferred_list pfnone |
		grep -qF "contribution_id: pf-dev-contrib-4"
}
check "devices: no device takes standalone messages -> deferred (202, in the store)" \
	dev_stored
