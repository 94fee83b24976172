# cpm_pf, registration in the IMS deployment (seed 4.1 "handling 3rd party
# CPM service registrations", "handling Registration Event Information";
# 3GPP TS 24.229 5.4.1.7; RFC 3680).  sipp plays the S-CSCF from the trusted
# address TRUSTED_IP:
#   (i)   a third-party REGISTER carrying the UE's REGISTER (message/sip in
#         multipart/mixed) is answered 200 without a challenge, and the PF
#         SUBSCRIBEs to the user's reg event at the S-CSCF (its Contact);
#   (ii)  a MESSAGE to that user goes through the S-CSCF (Route = the
#         REGISTER's Path, Request-URI = the UE's contact), only to the
#         device whose REGISTER carried the oma.cpm.msg ICSI;
#   (iii) the same REGISTER from an untrusted address is challenged;
#         Expires: 0 from the S-CSCF removes what it registered; a single
#         message/sip body with the S-CSCF's 200 OK registers its contact;
#   (iv)  reg-event NOTIFYs: full state registers, partial state with
#         event=unregistered removes one contact, a lower version is
#         ignored, hostile / foreign XML gets 400 and changes nothing.

plan 26

PF_ICSI='urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm'
got_message() { [ -f "$1" ] && tr -d '\r' <"$1" | grep -q '^MESSAGE '; }
no_message() { # no_message <pid> <trace>: the UAS got nothing
	sleep 0.5
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	if got_message "$2"; then
		echo "a MESSAGE reached it:"
		tr -d '\r' <"$2" | grep -m1 -A12 '^MESSAGE '
		return 1
	fi
}
status_is() { _st=$(last_status "$LAST_TRACE" | cut -d" " -f2); [ "$_st" = "$1" ] || { echo "last status: $(last_status "$LAST_TRACE") (trace $LAST_TRACE)"; return 1; }; }
# ul_hosts <user>: the hosts of the user's usrloc contacts, sorted, one line
ul_hosts() {
	kamcmd -s "unix:$RUNDIR/kamailio_ctl" ul.lookup location "$1" 2>/dev/null |
		sed -n 's/^[[:space:]]*Address: sip:[^@]*@\([^;>]*\).*/\1/p' | sort | tr '\n' ' '
}
# stored_with <user> <hosts>: the MESSAGE went to the deferred store (202:
# no registered device takes it) and the user's contacts are exactly <hosts>
stored_with() {
	status_is 202 && [ "$(ul_hosts "$1")" = "$2" ] ||
		{ echo "contacts of $1: [$(ul_hosts "$1")], expected [$2]"; return 1; }
}
tpr() { # tpr <user> <ue_host> <instance> <service> <path_port> <sub_port> [expires]
	SIPP_IP=$TRUSTED_IP sipp_uac pf_3pr_register.xml -au nobody -key user "$1" \
		-key ue_host "$2" -key path_port "$5" -key sub_port "$6" \
		-key expires "${7:-600}" \
		-key params ";+sip.instance=\"<urn:uuid:$3>\";+g.3gpp.icsi-ref=\"$PF_ICSI.$4\""
}
msg_to() { # msg_to <user> <n>
	sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:$1@$PROXY" \
		-key conv "pf-reg-conv-$2" -key contrib "pf-reg-contrib-$2"
}

# (i) third-party REGISTER of device A (msg ICSI), the reg SUBSCRIBE
S_A=$(next_port)
S_B=$(next_port)
S_SUB=$(next_port)
SIPP_IP=$TRUSTED_IP sipp_uas_start pf_reg_sub_uas.xml "$S_SUB"
tpr pf3p 10.0.0.5:5070 000000a1-0000-4000-8000-0000000000a1 msg "$S_A" "$S_SUB"
check "3pr: third-party REGISTER from the trusted S-CSCF -> 200, no challenge" \
	uac_then sh -c "[ \"\$(tr -d '\r' <'$LAST_TRACE' | grep -c '^SIP/2.0 ')\" = 1 ] && tr -d '\r' <'$LAST_TRACE' | grep -qx 'SIP/2.0 200 OK'"
check "3pr: the PF SUBSCRIBEs to the user's AOR at the S-CSCF" \
	uas_has "SUBSCRIBE sip:pf3p@$PROXY SIP/2.0"
check "3pr: the SUBSCRIBE carries Event: reg" uas_has "Event: reg"
check "3pr: the SUBSCRIBE carries Accept: application/reginfo+xml" \
	uas_has "Accept: application/reginfo+xml"

# device B: session only, behind another S-CSCF port
tpr pf3p 10.0.0.6:5070 000000b1-0000-4000-8000-0000000000b1 session "$S_B" "$S_SUB"
check "3pr: the second device's third-party REGISTER -> 200" status_is 200

# (ii) MESSAGE to pf3p: through the S-CSCF, to the msg device only
SIPP_IP=$TRUSTED_IP sipp_uas_start uas_message.xml "$S_A"
PID_A=$UAS_PID TRACE_A=$UAS_TRACE
SIPP_IP=$TRUSTED_IP sipp_uas_start uas_message.xml "$S_B"
PID_B=$UAS_PID TRACE_B=$UAS_TRACE
msg_to pf3p 1
check "3pr: MESSAGE to pf3p -> 200" status_is 200
UAS_PID=$PID_A UAS_TRACE=$TRACE_A UAS_RC=""
check "3pr: the S-CSCF gets it for the UE contact (Request-URI)" \
	uas_has "MESSAGE sip:pf3p@10.0.0.5:5070 SIP/2.0"
check "3pr: ... routed by the REGISTER's Path" \
	has_line "$TRACE_A" "Route: <sip:$TRUSTED_IP:$S_A;lr>"
check "3pr: the session-only device does not get it" no_message "$PID_B" "$TRACE_B"

# (iii) untrusted: challenged; Expires: 0 removes
sipp_uac pf_3pr_register.xml -au nobody -key user pf3p -key ue_host 10.0.0.9 \
	-key path_port 9 -key sub_port 9 -key expires 600 -key params ""
check "3pr: the same REGISTER from an untrusted address -> 401" status_is 401
tpr pf3p 10.0.0.5:5070 000000a1-0000-4000-8000-0000000000a1 msg "$S_A" "$S_SUB" 0
check "3pr: third-party REGISTER with Expires: 0 -> 200" status_is 200
msg_to pf3p 2
check "3pr: after it pf3p has no contact: MESSAGE -> deferred store (202)" stored_with pf3p ""

# the other 24.229 shape: a single message/sip body holding the S-CSCF's
# 200 OK to the UE
S_C=$(next_port)
SIPP_IP=$TRUSTED_IP sipp_uac pf_3pr_register_200.xml -au nobody -key user pf3p \
	-key ue_host 10.0.0.7:5070 -key path_port "$S_C" -key sub_port "$S_SUB" \
	-key expires 600 \
	-key params ";+sip.instance=\"<urn:uuid:000000d1-0000-4000-8000-0000000000d1>\";+g.3gpp.icsi-ref=\"$PF_ICSI.msg\""
check "3pr: third-party REGISTER carrying the S-CSCF's 200 OK (message/sip) -> 200" status_is 200
SIPP_IP=$TRUSTED_IP sipp_uas_start uas_message.xml "$S_C"
msg_to pf3p 8
check "3pr: ... and a MESSAGE reaches the contact that 200 listed" \
	uas_has "MESSAGE sip:pf3p@10.0.0.7:5070 SIP/2.0"

# (iv) reginfo NOTIFYs for pfri, "the S-CSCF" at S_N
S_N=$(next_port)
RI_NS='urn:ietf:params:xml:ns:reginfo'
ri_contact() { # ri_contact <id> <state> <event> <uri> <instance> <service>
	printf '<contact id="%s" state="%s" event="%s" expires="600"><uri>%s</uri><unknown-param name="+sip.instance">"&lt;urn:uuid:%s&gt;"</unknown-param><unknown-param name="+g.3gpp.icsi-ref">"%s.%s"</unknown-param></contact>' \
		"$1" "$2" "$3" "$4" "$5" "$PF_ICSI" "$6"
}
ri_doc() { # ri_doc <version> <full|partial> <contacts>
	printf '<?xml version="1.0"?><reginfo xmlns="%s" version="%s" state="%s"><registration aor="sip:pfri@%s" id="r1" state="active">%s</registration></reginfo>' \
		"$RI_NS" "$1" "$2" "$PROXY" "$3"
}
notify() { # notify <body>
	SIPP_IP=$TRUSTED_IP sipp_uac pf_reginfo_notify.xml -au nobody -key user pfri \
		-key scscf_port "$S_N" -key body "$1"
}
C_A=$(ri_contact a active registered sip:pfri@10.0.1.5:5080 000000c1-0000-4000-8000-0000000000c1 msg)
C_B=$(ri_contact b active created sip:pfri@10.0.1.6:5080 000000c2-0000-4000-8000-0000000000c2 session)
notify "$(ri_doc 3 full "$C_A$C_B")"
check "reginfo: full-state NOTIFY with two contacts -> 200" status_is 200
SIPP_IP=$TRUSTED_IP sipp_uas_start uas_message.xml "$S_N"
msg_to pfri 3
check "reginfo: MESSAGE to pfri reaches the msg device through the S-CSCF" \
	uas_has "MESSAGE sip:pfri@10.0.1.5:5080 SIP/2.0"
C_AT=$(ri_contact a terminated unregistered sip:pfri@10.0.1.5:5080 000000c1-0000-4000-8000-0000000000c1 msg)
notify "$(ri_doc 4 partial "$C_AT")"
check "reginfo: partial NOTIFY, the msg device unregistered -> 200" status_is 200
msg_to pfri 4
check "reginfo: only the session-only device is left: MESSAGE -> deferred store (202)" stored_with pfri "10.0.1.6:5080 "
notify "$(ri_doc 2 partial "$C_A")"
check "reginfo: a NOTIFY with a lower version -> 200" status_is 200
msg_to pfri 5
check "reginfo: ... and is ignored (still only the session-only device)" stored_with pfri "10.0.1.6:5080 "
notify "<?xml version=\"1.0\"?><!DOCTYPE reginfo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><reginfo xmlns=\"$RI_NS\" version=\"9\" state=\"partial\"><registration aor=\"sip:pfri@$PROXY\" id=\"r1\" state=\"active\">$C_A</registration></reginfo>"
check "reginfo: XXE -> 400" status_is 400
notify "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]><reginfo xmlns=\"$RI_NS\" version=\"10\" state=\"partial\"><registration aor=\"&lol2;\" id=\"r1\" state=\"active\">$C_A</registration></reginfo>"
check "reginfo: billion laughs -> 400" status_is 400
notify "$(ri_doc 11 partial "$C_A" | sed 's/ns:reginfo"/ns:reginfo-x"/')"
check "reginfo: wrong namespace -> 400" status_is 400
msg_to pfri 6
check "reginfo: the refused bodies changed nothing (still only the session-only device)" stored_with pfri "10.0.1.6:5080 "
notify "$(ri_doc 12 full "")"
check "reginfo: full-state NOTIFY listing no contact -> 200" status_is 200
msg_to pfri 7
check "reginfo: ... removes the contacts it does not list (none left)" stored_with pfri ""
