# KEMI: every KEMI export of cpm_headers, cpm_warning, (the message-path
# ones of) cpm_pf and (the group-session ones of) cpm_cf called from a
# JavaScript routing script (app_jsdt, part of Debian's kamailio package):
# tests/integration/kemi/kemi.cfg + kemi.js on an instance of its own.  The
# script echoes the return values in X-KEMI-* reply headers.
plan 37

KEMI_PORT=$(next_port)
check "kemi: kamailio starts with the JavaScript KEMI routing" \
	start_instance "$RUNDIR/kemi" "$TOP/tests/integration/kemi/kemi.cfg" \
	"$KEMI_PORT" -A "KEMI_JS=\"$TOP/tests/integration/kemi/kemi.js\""
MAIN_PROXY_PORT=$PROXY_PORT
PROXY_PORT=$KEMI_PORT

kemi_msg() { # kemi_msg <user> h1 v1 h2 v2 h3 v3
	sipp_uac message_any.xml -key to_user "$1" -key h1 "$2" -key v1 "$3" \
		-key h2 "$4" -key v2 "$5" -key h3 "$6" -key v3 "$7"
}
kemi_has() { trace_has "$1"; }

kemi_msg headers Conversation-ID k-conv InReplyTo-Contribution-ID k-irt \
	P-Asserted-Service urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session
check "kemi: check_headers() returns -2 (Contribution-ID missing)" \
	kemi_has "X-KEMI-Check: -2"
check "kemi: \$cpm(error_header) names Contribution-ID" \
	kemi_has "X-KEMI-Error-Header: Contribution-ID"
check "kemi: has_inreplyto() returns 1" kemi_has "X-KEMI-Is-Reply: 1"
check "kemi: has_service(\"session\") returns 1" kemi_has "X-KEMI-Is-Session: 1"
check "kemi: has_service(\"msg\") returns -1" kemi_has "X-KEMI-Is-Msg: -1"
check "kemi: has_service() with an unknown name returns -2" \
	kemi_has "X-KEMI-Unknown-Service: -2"
check "kemi: get_service() returns \"session\"" kemi_has "X-KEMI-Service: session"

kemi_msg headers X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: check_headers() returns -1 without CPM headers" \
	kemi_has "X-KEMI-Check: -1"
check "kemi: get_service() returns null without a feature tag" \
	kemi_has "X-KEMI-Service: null"

kemi_msg add-ids X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: add_ids() returns 1, then 2" \
	uac_then sh -c "grep -q 'X-KEMI-Add-1: 1' '$LAST_TRACE' && grep -q 'X-KEMI-Add-2: 2' '$LAST_TRACE'"
check "kemi: check_headers() returns 1 after add_ids()" kemi_has "X-KEMI-Check: 1"
check "kemi: \$cpm(conversation_id) is the generated UUID" \
	uac_then sh -c "tr -d '\r' <'$LAST_TRACE' | grep -qxE 'X-KEMI-Conversation-ID: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'"

kemi_msg warn-reply X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: reply() sends 403 Forbidden" kemi_has "SIP/2.0 403 Forbidden"
check "kemi: reply() adds the Table 1 Warning" \
	kemi_has "Warning: 399 127.0.0.1 \"127 Service not authorised\""

kemi_msg warn-reason Accept-Language de X-Pad 1 X-Pad2 2
check "kemi: reply_reason() uses the given reason phrase" \
	kemi_has "SIP/2.0 486 Group Full"
check "kemi: reply_reason() Warning in German" \
	kemi_has "Warning: 399 127.0.0.1 \"102 Zu viele Teilnehmer\""

kemi_msg warn-header X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: header() returns 1 and the script's 480 carries the Warning" \
	uac_then sh -c "grep -q 'X-KEMI-Header: 1' '$LAST_TRACE' && tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Warning: 399 127.0.0.1 \"129 No destinations\"'"

kemi_msg warn-bad X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: reply() refuses a code not in Table 1 (-1, no Warning)" \
	uac_then sh -c "grep -q 'X-KEMI-Bad: -1' '$LAST_TRACE' && ! grep -qi '^Warning:' '$LAST_TRACE'"

# cpm_cf: is_mine() and invite() on a session identity naming no session
kemi_msg cf-00000000000000000000000000000000 X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: cpm_cf.is_mine() returns 1 for a session identity" kemi_has "X-KEMI-CF-Mine: 1"
check "kemi: cpm_cf.invite() answers 404 with Warning 123 for no session" \
	uac_then sh -c "grep -q '^SIP/2.0 404' '$LAST_TRACE' && tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Warning: 399 127.0.0.1 \"123 Session does not exist\"'"
kemi_msg cfnot X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: cpm_cf.is_mine() and invite() return -1 for another URI" \
	uac_then sh -c "grep -q 'X-KEMI-CF-Mine: -1' '$LAST_TRACE' && grep -q 'X-KEMI-CF-Invite: -1' '$LAST_TRACE'"

# cpm_pf: dave's demo profile (Meeting: messages deferred), a switch, the
# interworking decision; devices() on the bare Request-URI (no lookup(): a
# destination without CPM tags, i.e. a plain SIP one) keeps it for msg only
kemi_msg dave X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: cpm_pf.apply_prefs(\"msg\") returns 2 (defer) for dave" kemi_has "X-KEMI-PF-Prefs: 2"
check "kemi: \$xavp(cpmpf=>pref_action) is defer" kemi_has "X-KEMI-PF-Action: defer"
check "kemi: cpm_pf.needs_interworking() returns -1 for a served user" kemi_has "X-KEMI-PF-Interworking: -1"
check "kemi: cpm_pf.profile_set() returns 1, -1 for an unknown profile" \
	uac_then sh -c "grep -q 'X-KEMI-PF-Set: 1' '$LAST_TRACE' && grep -q 'X-KEMI-PF-Set-Bad: -1' '$LAST_TRACE'"
check "kemi: after the switch apply_prefs() returns 1 (deliver)" kemi_has "X-KEMI-PF-Prefs-After: 1"
check "kemi: cpm_pf.devices() returns 1 for msg, -1 for session" \
	uac_then sh -c "grep -q 'X-KEMI-PF-Devices: 1' '$LAST_TRACE' && grep -q 'X-KEMI-PF-Devices-Session: -1' '$LAST_TRACE'"
check "kemi: cpm_pf.record() returns 2 with recording off, -1 for an unknown role" \
	uac_then sh -c "grep -q 'X-KEMI-PF-Record: 2' '$LAST_TRACE' && grep -q 'X-KEMI-PF-Record-Bad: -1' '$LAST_TRACE'"
kemi_msg +15550001 X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: cpm_pf.needs_interworking() returns 1 for a number not served" kemi_has "X-KEMI-PF-Interworking: 1"
check "kemi: cpm_pf.send_to_isf() returns -2 without isf_uri" kemi_has "X-KEMI-PF-ISF: -2"
kemi_msg pf X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: cpm_pf check_size() 1, orig() 1, term() 1" \
	uac_then sh -c "grep -q 'X-KEMI-Size: 1' '$LAST_TRACE' && grep -q 'X-KEMI-Orig: 1' '$LAST_TRACE' &&
		grep -q 'X-KEMI-Term: 1' '$LAST_TRACE'"
check "kemi: cpm_pf orig() remembers the originator in \$xavp(cpmpf_orig)" \
	kemi_has "X-KEMI-Originator: 0sip:pfoalice@127.0.0.1|tel:+15550109001|"
check "kemi: cpm_pf.check_cpim() returns 2 for a MESSAGE that is no CPIM" \
	kemi_has "X-KEMI-PF-CPIM: 2"
# RFC 5438 7: IMDN state only for a message that asks for a notification
sipp_uac bench_uac_message.xml -key to_user pf-cpim
check "kemi: cpm_pf.check_cpim() 1 and no \$xavp(cpmpf_imdn) for CPIM without Disposition-Notification" \
	sh -c "grep -q 'X-KEMI-PF-CPIM: 1' '$LAST_TRACE' && grep -q 'X-KEMI-PF-DN: null' '$LAST_TRACE'"
sipp_uac pf_imdn_message.xml -key from_user alice -key to_user pf-cpim \
	-key conv k-conv -key contrib k-contrib -key irt k-irt \
	-key msgid k-msgid -key dn "negative-delivery" -key text "hi"
check "kemi: cpm_pf.check_cpim() 1 and \$xavp(cpmpf_imdn=>dn_flags) 2 for negative-delivery" \
	sh -c "grep -q 'X-KEMI-PF-CPIM: 1' '$LAST_TRACE' && grep -q 'X-KEMI-PF-DN: 2' '$LAST_TRACE'"
kemi_msg pf-noorig X-Pad 1 X-Pad2 2 X-Pad3 3
check "kemi: cpm_pf orig() without an originator sends 403 + Warning 127" \
	uac_then sh -c "tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 403 Forbidden' &&
		tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Warning: 399 127.0.0.1 \"127 Service not authorised\"'"

PROXY_PORT=$MAIN_PROXY_PORT
kill -TERM "$INST_PID" 2>/dev/null

