# The security model of the default cfg (README "Security model"), on the
# wire: digest authentication of REGISTER (401) and of requests from our
# users (407), a user registers and messages only as itself (403), identity
# headers only from trusted peers (RFC 3325), no relay to other domains and
# no relay along a forged Route (403), max_contacts.  Every case here is
# refused or handled by the shipped cfg/kamailio.cfg logic, not by a hook.
plan 28

SEC_UL="kamcmd -s unix:$RUNDIR/kamailio_ctl ul.lookup location"
SEC_BOB_PORT=$(next_port)
ALICE_PW=$(pw_of alice)

# sec_status <expected status line> <scenario> [sipp args]: run one UAC
# scenario; its last status line must be the expected one
sec_status() {
	_want=$1
	shift
	sipp_uac "$@"
	_got=$(last_status "$LAST_TRACE")
	[ "$_got" = "$_want" ] || { echo "expected [$_want], got [$_got] ($LAST_TRACE)"; return 1; }
}

check "security: secbob registers with his own credentials (200)" \
	register secbob "$SEC_BOB_PORT"

# --- REGISTER (RFC 3261 10, 22.4)
sec_noauth_register() {
	sec_status "SIP/2.0 401 Unauthorized" register_noauth.xml -key user secbob \
		-key contact "<sip:secbob@127.0.0.1:9>" -key expires 600 &&
		tr -d '\r' <"$LAST_TRACE" | grep -q '^WWW-Authenticate: Digest realm="127.0.0.1"'
}
check "security: REGISTER without credentials -> 401 with a Digest challenge (realm = served domain)" \
	sec_noauth_register
check "security: REGISTER with a wrong password -> 401 again" \
	sec_status "SIP/2.0 401 Unauthorized" register_any.xml -key user secbob \
	-key contact "<sip:secbob@127.0.0.1:9>" -key expires 600 \
	-au secbob -ap not-the-password
check "security: alice registering bob's AOR (authenticated as alice) -> 403" \
	sec_status "SIP/2.0 403 Forbidden: not the authenticated user's AOR" \
	register_any.xml -key user secbob -key contact "<sip:evil@127.0.0.1:9>" \
	-key expires 600 -au alice -ap "$ALICE_PW"
check "security: alice sending 'Contact: *' for secbob's AOR -> 403" \
	sec_status "SIP/2.0 403 Forbidden: not the authenticated user's AOR" \
	register_any.xml -key user secbob -key contact "*" -key expires 0 \
	-au alice -ap "$ALICE_PW"
check "security: secbob's binding survives the hijack and wipe attempts" \
	sh -c "$SEC_UL secbob | grep -qF 'Address: sip:secbob@127.0.0.1:$SEC_BOB_PORT;transport=UDP' &&
		! $SEC_UL secbob | grep -qF 'sip:evil@'"

# max_contacts (registrar): MAX_CONTACTS = 5 bindings per AOR
SEC_MAX_OK=0
for _i in 1 2 3 4 5; do
	register secmax "$(next_port)" && SEC_MAX_OK=$((SEC_MAX_OK + 1))
done
check "security: secmax registers 5 contacts (max_contacts)" test "$SEC_MAX_OK" = 5
check "security: a 6th contact for secmax is refused (503)" \
	sec_status "SIP/2.0 503 Service Unavailable" register_any.xml \
	-key user secmax -key contact "<sip:secmax@127.0.0.1:$(next_port)>" -key expires 600
# ... while a user may remove all of its own bindings (RFC 3261 10.2.2)
check "security: secmax's own 'Contact: *' (Expires: 0) is accepted (200)" \
	sec_status "SIP/2.0 200 OK" register_any.xml -key user secmax -key contact "*" \
	-key expires 0
check "security: secmax has no binding left" \
	sh -c "! $SEC_UL secmax 2>/dev/null | grep -qF 'Address: sip:secmax@'"

# --- initial requests from our users (RFC 3261 22.3; seed 6.1)
sec_msg() { # sec_msg <status line> <noauth|from> <from_user> <from_host> <to_user> <to_host> [sipp args]
	_st=$1 _sc=$2 _fu=$3 _fh=$4 _tu=$5 _th=$6
	shift 6
	sec_status "$_st" "message_$_sc.xml" -key from_user "$_fu" -key from_host "$_fh" \
		-key to_user "$_tu" -key to_host "$_th" "$@"
}
check "security: MESSAGE From alice without credentials -> 407" \
	sec_msg "SIP/2.0 407 Proxy Authentication Required" noauth alice 127.0.0.1 \
	secbob 127.0.0.1 -key h1 X-Pad -key v1 1
check "security: MESSAGE From alice@localhost (our alias) without credentials -> 407" \
	sec_msg "SIP/2.0 407 Proxy Authentication Required" noauth alice localhost \
	secbob 127.0.0.1 -key h1 X-Pad -key v1 1
check "security: MESSAGE From bob authenticated as alice -> 403" \
	sec_msg "SIP/2.0 403 Forbidden: From is not the authenticated user" from bob \
	127.0.0.1 secbob 127.0.0.1 -key h1 X-Pad -key v1 1 -au alice -ap "$ALICE_PW"

# --- identity headers (RFC 3325): stripped from clients, kept from peers
sipp_uas_start uas_message.xml "$SEC_BOB_PORT"
check "security: alice's authenticated MESSAGE with a forged P-Asserted-Identity is relayed (200)" \
	sec_msg "SIP/2.0 200 OK" from alice 127.0.0.1 secbob 127.0.0.1 \
	-key h1 P-Asserted-Identity -key v1 "<sip:carol@127.0.0.1>"
# the PF asserts the authenticated originator instead (seed 6.1, cpm_pf)
check "security: secbob receives alice's MESSAGE without the forged P-Asserted-Identity (only alice's own)" \
	uas_then sh -c "test -s '$UAS_TRACE' && ! tr -d '\r' <'$UAS_TRACE' | grep -qi '^P-Asserted-Identity:.*carol' &&
		tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: <sip:alice@127.0.0.1>'"
check "security: no credentials reach secbob (consume_credentials)" \
	uas_then sh -c "test -s '$UAS_TRACE' && ! tr -d '\r' <'$UAS_TRACE' | grep -qi '^Proxy-Authorization'"

sipp_uas_start uas_message.xml "$SEC_BOB_PORT"
sec_trusted_msg() {
	SIPP_IP=$TRUSTED_IP
	sec_msg "SIP/2.0 200 OK" noauth alice 127.0.0.1 secbob 127.0.0.1 \
		-key h1 P-Asserted-Identity -key v1 "<sip:alice@127.0.0.1>"
	_rc=$?
	unset SIPP_IP
	return $_rc
}
check "security: a trusted peer's MESSAGE From alice is relayed without a challenge (200)" \
	sec_trusted_msg
check "security: the trusted peer's P-Asserted-Identity reaches secbob" \
	uas_has "P-Asserted-Identity: <sip:alice@127.0.0.1>"

# --- no open relay
check "security: MESSAGE from another domain to another domain -> 403" \
	sec_msg "SIP/2.0 403 Not relaying" noauth mallory example.net \
	secbob example.org -key h1 X-Pad -key v1 1
check "security: authenticated alice to another domain -> 403 (no outbound routing)" \
	sec_msg "SIP/2.0 403 Not relaying" from alice 127.0.0.1 \
	secbob example.org -key h1 X-Pad -key v1 1
sipp_uas_start uas_message.xml "$SEC_BOB_PORT"
sec_federated() {
	sec_msg "SIP/2.0 200 OK" noauth carol example.net secbob 127.0.0.1 \
		-key h1 X-Pad -key v1 1 &&
		uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -q '^From: <sip:carol@example.net>'"
}
check "security: MESSAGE from another domain reaches our user without a challenge (federation)" \
	sec_federated

# In-dialog requests: a forged To tag with a pre-loaded Route to some other
# host (127.0.0.3, where a UA listens) must be refused and never relayed.
SEC_EVIL_PORT=$(next_port)
SIPP_IP=127.0.0.3
sipp_uas_start uas_message.xml "$SEC_EVIL_PORT" -timeout 5s
unset SIPP_IP
SEC_EVIL_PID=$UAS_PID
check "security: forged To tag + Route to another host -> 403" \
	sec_status "SIP/2.0 403 Not relaying" indialog_message.xml \
	-key ruri "sip:x@127.0.0.3:$SEC_EVIL_PORT" \
	-key route "<sip:127.0.0.3:$SEC_EVIL_PORT;lr>" -key from_user alice \
	-key to_user secbob
check "security: forged To tag + Route to another port of this host -> 403" \
	sec_status "SIP/2.0 403 Not relaying" indialog_message.xml \
	-key ruri "sip:x@127.0.0.1:$SEC_BOB_PORT" \
	-key route "<sip:127.0.0.1:$SEC_BOB_PORT;lr>" -key from_user alice \
	-key to_user secbob
sleep 1
check "security: nothing was relayed to the Route's host" \
	sh -c "! grep -q MESSAGE '$UAS_TRACE' 2>/dev/null"
kill "$SEC_EVIL_PID" 2>/dev/null
wait "$SEC_EVIL_PID" 2>/dev/null

# ... and a forged To tag with this proxy's own Route on top, aimed at any
# Request-URI, belongs to no dialog the proxy recorded: refused too.
SIPP_IP=127.0.0.3
sipp_uas_start uas_message.xml "$SEC_EVIL_PORT" -timeout 5s
unset SIPP_IP
SEC_EVIL_PID=$UAS_PID
check "security: forged To tag + the proxy's own Route + any Request-URI -> 404" \
	sec_status "SIP/2.0 404 Not Here" indialog_message.xml \
	-key ruri "sip:x@127.0.0.3:$SEC_EVIL_PORT" \
	-key route "<sip:127.0.0.1:$PROXY_PORT;lr>" -key from_user alice \
	-key to_user secbob
sleep 1
check "security: nothing was relayed to the Request-URI's host" \
	sh -c "! grep -q MESSAGE '$UAS_TRACE' 2>/dev/null"
kill "$SEC_EVIL_PID" 2>/dev/null
wait "$SEC_EVIL_PID" 2>/dev/null

# A real dialog: the proxy record-routes the INVITE and tracks the dialog,
# so ACK and BYE along the recorded route set are relayed.
sipp_uas_start uas_invite.xml "$SEC_BOB_PORT"
check "security: INVITE dialog alice->secbob: ACK and BYE follow the recorded route (BYE 200)" \
	sipp_uac invite_dialog.xml -key from_user alice -key to_user secbob
check "security: secbob's UA gets INVITE, ACK and BYE; the Record-Route is the proxy's" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qE '^Record-Route: <sip:127.0.0.1:$PROXY_PORT;lr;'"
