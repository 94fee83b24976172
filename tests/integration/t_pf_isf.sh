# cpm_pf, interworking (seed 6.5): a MESSAGE for a recipient that is no CPM
# user of ours goes to the ISF, sent by the PF as UAC (a new request, not
# via the SIP/IP core), with the CPM headers and the body byte for byte;
# the originator gets the ISF's final answer.  A second Kamailio runs the
# same cfg with ISF_URI pointing at a sipp UAS that plays the ISF.
#   (i)   tel:+15550001 (not provisioned) -> the ISF; its 202 comes back;
#         Request-URI, To, From, Conversation-ID, Contribution-ID, body;
#   (ii)  sip:+15550002@<domain> (a global number in SIP form, not
#         provisioned) -> the ISF; its 486 comes back;
#   (iii) a provisioned number (subscriber +15550099, after
#         cpm_pf.users_reload, which answers the number of users) is no
#         interworking: not registered, it is stored for that user (202
#         from the deferred store: the one user set serves both), the ISF
#         gets nothing;
#   (iv)  an unknown user name is not interworking either: 404;
#   (v)   without ISF_URI (the main instance) a TEL recipient gets 404;
#   (vi)  a sender of another domain (not authenticated) is never handed to
#         the ISF: 404;
#   (vii) a TEL identity of a provisioned user (cpm_identity, from
#         tests/integration/identities.txt: pfoalice tel:+15550109001),
#         written with visual separators, is no interworking either:
#         cpm_pf_tel_to_user() addresses pfoalice, her registered device
#         gets the MESSAGE (To as the originator wrote it), the originator
#         her 200, the ISF nothing.

plan 15

ISF_PORT=$(next_port)
ISF_KPORT=$(next_port)
ISF_DIR=$RUNDIR/isf
if ! start_instance "$ISF_DIR" "$TOP/tests/integration/test.cfg" "$ISF_KPORT" \
	-A "ISF_URI=\"sip:127.0.0.1:$ISF_PORT\""; then
	fail "isf: a Kamailio with ISF_URI starts" "see $ISF_DIR/kamailio.log"
	skip_rest isf "no Kamailio with ISF_URI"
	return 0 2>/dev/null || exit 0
fi
ISF_MAIN_PORT=$PROXY_PORT
PROXY_PORT=$ISF_KPORT

# body_of <trace> <n>: the body of the n-th MESSAGE request in a sipp trace,
# byte for byte (CRs kept), by its Content-Length
body_of() {
	awk -v want="$2" '
		/^MESSAGE / { n++; inmsg = (n == want); hdr = 1; next }
		inmsg && hdr && /^Content-Length: *[0-9]+/ { sub(/^Content-Length: */, ""); len = $0 + 0 }
		inmsg && hdr && /^\r?$/ { hdr = 0; body = ""; next }
		inmsg && !hdr { body = body $0 "\n"; if (length(body) >= len) { printf "%s", substr(body, 1, len); exit } }
	' "$1"
}

# (i) tel: URI
sipp_uas_start pf_isf_202.xml "$ISF_PORT"
ISF_TRACE=$UAS_TRACE
sipp_uac pf_message.xml -key from_user pfsender -key ruri "tel:+15550001" \
	-key conv pf-isf-conv-1 -key contrib pf-isf-contrib-1
check "isf: MESSAGE to tel:+15550001 -> the ISF's 202 Accepted reaches the originator" \
	trace_has "SIP/2.0 202 Accepted"
ISF_UAC=$LAST_TRACE
check "isf: the ISF gets a MESSAGE for tel:+15550001 (Request-URI and To)" \
	uas_then sh -c "tr -d '\r' <'$ISF_TRACE' | grep -qx 'MESSAGE tel:+15550001 SIP/2.0' &&
		tr -d '\r' <'$ISF_TRACE' | grep -qx 'To: <tel:+15550001>'"
check "isf: From is the authenticated originator (display name kept, new tag)" \
	sh -c "tr -d '\r' <'$ISF_TRACE' | grep -qE '^From: \"PF Sender\" <sip:pfsender@$PROXY>;tag='"
check "isf: Conversation-ID and Contribution-ID unchanged" \
	sh -c "tr -d '\r' <'$ISF_TRACE' | grep -qx 'Conversation-ID: pf-isf-conv-1' &&
		tr -d '\r' <'$ISF_TRACE' | grep -qx 'Contribution-ID: pf-isf-contrib-1' &&
		tr -d '\r' <'$ISF_TRACE' | grep -qx 'Content-Type: message/cpim'"
body_of "$ISF_UAC" 2 >"$RUNDIR/isf.body.sent"
body_of "$ISF_TRACE" 1 >"$RUNDIR/isf.body.got"
check "isf: the body is byte-identical to what the originator sent" \
	sh -c "[ -s '$RUNDIR/isf.body.sent' ] && cmp '$RUNDIR/isf.body.sent' '$RUNDIR/isf.body.got'"
# req_hdr <trace> <name>: the values of a header in the first MESSAGE request
req_hdr() {
	tr -d '\r' <"$1" | awk -v h="$2: " '/^MESSAGE /{m=1} m && /^$/{exit} m && index($0, h) == 1 { print substr($0, length(h) + 1) }'
}
isf_new_request() {
	[ "$(req_hdr "$ISF_TRACE" Via | wc -l)" = 1 ] || { echo "Via: $(req_hdr "$ISF_TRACE" Via)"; return 1; }
	[ -n "$(req_hdr "$ISF_TRACE" Call-ID)" ] &&
		[ "$(req_hdr "$ISF_TRACE" Call-ID)" != "$(req_hdr "$ISF_UAC" Call-ID)" ]
}
check "isf: not via the SIP/IP core: a new request (one Via: the PF's; its own Call-ID)" \
	isf_new_request

# (ii) a global number in SIP form
sipp_uas_start pf_isf_486.xml "$ISF_PORT"
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:+15550002@$PROXY" \
	-key conv pf-isf-conv-2 -key contrib pf-isf-contrib-2
check "isf: sip:+15550002 (not provisioned) -> the ISF's 486 ISF Busy reaches the originator" \
	uas_then has_line "$LAST_TRACE" "SIP/2.0 486 ISF Busy"

# (iii) a provisioned number is no interworking
sqlite3 -cmd ".timeout 10000" "$ISF_DIR/cpm.sqlite" "INSERT INTO subscriber (username, domain, password, ha1, ha1b)
	VALUES ('+15550099', '$PROXY', '', 'x', 'x');"
isf_users_reload() {
	_n=$(kamcmd -s "unix:$ISF_DIR/kamailio_ctl" cpm_pf.users_reload)
	_want=$(sqlite3 "$ISF_DIR/cpm.sqlite" "SELECT count(DISTINCT username) FROM subscriber WHERE username <> '';")
	[ -n "$_n" ] && [ "$_n" = "$_want" ] || { echo "users_reload: '$_n', subscriber: $_want"; return 1; }
}
check "isf: cpm_pf.users_reload answers the number of provisioned users" isf_users_reload
sipp_uas_start pf_isf_202.xml "$ISF_PORT"
ISF_PID=$UAS_PID ISF_TRACE=$UAS_TRACE
sipp_uac pf_message.xml -key from_user pfsender -key ruri "tel:+15550099" \
	-key conv pf-isf-conv-3 -key contrib pf-isf-contrib-3
ISF_RC3=$LAST_RC ISF_T3=$LAST_TRACE
# (iv) an unknown user name
sipp_uac pf_message.xml -key from_user pfsender -key ruri "sip:nobody-pf@$PROXY" \
	-key conv pf-isf-conv-4 -key contrib pf-isf-contrib-4
ISF_RC4=$LAST_RC ISF_T4=$LAST_TRACE
sleep 0.3
kill "$ISF_PID" 2>/dev/null
wait "$ISF_PID" 2>/dev/null
check "isf: a provisioned number, not registered -> stored for it (202, cpm_pf.deferred_list)" \
	sh -c "[ $ISF_RC3 = 0 ] && tr -d '\r' <'$ISF_T3' | grep -q '^SIP/2.0 202 ' &&
		kamcmd -s unix:$ISF_DIR/kamailio_ctl cpm_pf.deferred_list s:+15550099 | grep -qF 'contribution_id: pf-isf-contrib-3'"
check "isf: an unknown user name -> 404, and the ISF got neither request" \
	sh -c "[ $ISF_RC4 = 0 ] && tr -d '\r' <'$ISF_T4' | grep -q '^SIP/2.0 404 ' &&
		! { [ -f '$ISF_TRACE' ] && tr -d '\r' <'$ISF_TRACE' | grep -q '^MESSAGE '; }"

# (vi) a sender of another domain (federation, not authenticated) cannot
# use the ISF: 404, nothing sent
sipp_uas_start pf_isf_202.xml "$ISF_PORT"
ISF_PID=$UAS_PID ISF_TRACE=$UAS_TRACE
sipp_uac message_from.xml -key from_user eve -key from_host example.org \
	-key to_user +15550003 -key to_host "$PROXY" -key h1 X-Pad -key v1 1
ISF_RC6=$LAST_RC ISF_T6=$LAST_TRACE
sleep 0.3
kill "$ISF_PID" 2>/dev/null
wait "$ISF_PID" 2>/dev/null
check "isf: a sender of another domain to a number not served -> 404, the ISF gets nothing" \
	sh -c "[ $ISF_RC6 = 0 ] && tr -d '\r' <'$ISF_T6' | grep -q '^SIP/2.0 404 ' &&
		! { [ -f '$ISF_TRACE' ] && tr -d '\r' <'$ISF_TRACE' | grep -q '^MESSAGE '; }"

# (vii) a TEL identity of one of our users
ISF_DEV=$(next_port)
sipp_uac pf_register_tags.xml -key user pfoalice -key contact_user pfoalice -key contact_port "$ISF_DEV" -key expires 600 \
	-key params ';+sip.instance="<urn:uuid:00000030-0000-4000-8000-0000000000a1>"'
ISF_REG=$LAST_RC
sipp_uas_start pf_isf_202.xml "$ISF_PORT"
ISF_PID=$UAS_PID ISF_TRACE=$UAS_TRACE
sipp_uas_start uas_message.xml "$ISF_DEV"
ISF_DEV_PID=$UAS_PID ISF_DEV_TRACE=$UAS_TRACE
sipp_uac pf_message.xml -key from_user pfsender -key ruri "tel:+1-555-010-9001" \
	-key conv pf-isf-conv-7 -key contrib pf-isf-contrib-7
ISF_RC7=$LAST_RC ISF_T7=$LAST_TRACE
wait "$ISF_DEV_PID"
ISF_DEV_RC=$?
sleep 0.3
kill "$ISF_PID" 2>/dev/null
wait "$ISF_PID" 2>/dev/null
check "isf: tel:+1-555-010-9001 (pfoalice's TEL identity) -> 200 from her device" \
	sh -c "[ $ISF_REG$ISF_RC7 = 00 ] && tr -d '\r' <'$ISF_T7' | grep -q '^SIP/2.0 200 '"
check "isf: ... her device gets it: to her contact, To as addressed, Contribution-ID unchanged" \
	sh -c "[ $ISF_DEV_RC = 0 ] &&
		tr -d '\r' <'$ISF_DEV_TRACE' | grep -q '^MESSAGE sip:pfoalice@127.0.0.1:$ISF_DEV' &&
		tr -d '\r' <'$ISF_DEV_TRACE' | grep -qx 'To: <tel:+1-555-010-9001>' &&
		tr -d '\r' <'$ISF_DEV_TRACE' | grep -qx 'Contribution-ID: pf-isf-contrib-7'"
check "isf: ... and the ISF gets nothing" \
	sh -c "! { [ -f '$ISF_TRACE' ] && tr -d '\r' <'$ISF_TRACE' | grep -q '^MESSAGE '; }"

# (v) no ISF configured
PROXY_PORT=$ISF_MAIN_PORT
sipp_uac pf_message.xml -key from_user pfsender -key ruri "tel:+15550001" \
	-key conv pf-isf-conv-5 -key contrib pf-isf-contrib-5
check "isf: without ISF_URI a TEL recipient gets 404" \
	trace_has "SIP/2.0 404 Not Found"
