# A real SIP client, not only sipp, through the real proxy: two headless
# linphonec (Debian's linphone-cli, liblinphone 5.1) register and chat.
# linphonec sends plain SIP IM (text/plain MESSAGE, no CPIM, no CPM headers),
# which the cfg relays as plain SIP IM to the registered contact; the
# receiver answers 200 and sends an IMDN delivery notification
# (message/imdn+xml, deflate-compressed) back through the proxy.  Then sipp
# sends a CPM Standalone Message with a CPIM body to the same linphonec: the
# client must take it (200) and show the text inside the CPIM wrapper.
#
# linphonec authenticates like any client: its rc carries the user's
# credentials (auth_info_0, from tests/integration/users.txt) and it answers
# the proxy's 401 (REGISTER) and 407 (MESSAGE) challenges.
#
# The users are lpalice / lpbob so that their contacts (left in usrloc:
# linphonec 5.1 does not unregister on quit) never meet another case's.
# Each linphonec has its own HOME and rc under $RUNDIR/lp/<user>, its own
# free UDP port (TCP and TLS off), no audio device (`soundcard use files`),
# no video; it reads commands from a FIFO, its console goes to
# $RUNDIR/lp/<user>/out and its debug log (SIP messages, chat message states)
# to $RUNDIR/lp/<user>/log.
plan 10

LP_DIR=$RUNDIR/lp
LP_UL="kamcmd -s unix:$RUNDIR/kamailio_ctl ul.lookup location"

. "$TOP/tests/integration/linphone_lib.sh"

lp_registered() { # lp_registered <user> <port>: usrloc holds the linphonec
	$LP_UL "$1" >"$LP_DIR/$1/ul" 2>&1 &&
		grep -qF "Address: sip:$1@$PROXY:$2;transport=udp" "$LP_DIR/$1/ul" &&
		grep -q 'Instance: <urn:uuid:' "$LP_DIR/$1/ul"
}

lp_wait_registered() {
	_w=0
	until lp_registered "$1" "$2"; do
		[ $_w -ge 100 ] && return 1
		sleep 0.1
		_w=$((_w + 1))
	done
}

# the received MESSAGE request as bob's linphonec logged it, headers only
lp_received_message() { # lp_received_message <user> <port>
	tr -d '\r' <"$LP_DIR/$1/log" | awk -v start="MESSAGE sip:$1@$PROXY:$2;" '
		index($0, start) == 1 { on = 1 }
		on && $0 == "" { exit }
		on { print }'
}

lp_plain_via_proxy() { # <request>: text/plain, top Via the proxy's
	grep -qxF 'Content-Type: text/plain' "$1" &&
		grep -qE "^Via: SIP/2.0/UDP $PROXY:$PROXY_PORT;" "$1"
}

lp_no_cpm_header() { # <request>
	test -s "$1" &&
		! grep -qiE '^(Conversation|Contribution|InReplyTo-Contribution)-ID' "$1"
}

if ! command -v linphonec >/dev/null 2>&1; then
	fail "linphonec is installed" "mk/deps.sh installs linphone-cli"
else
	mkdir -p "$LP_DIR"
	LP_ALICE_PORT=$(next_port)
	LP_BOB_PORT=$(next_port)
	lp_start lpalice "$LP_ALICE_PORT"
	lp_start lpbob "$LP_BOB_PORT"

	check "linphonec alice registers (usrloc holds her contact, +sip.instance)" \
		lp_wait_registered lpalice "$LP_ALICE_PORT"
	check "linphonec bob registers (usrloc holds his contact, +sip.instance)" \
		lp_wait_registered lpbob "$LP_BOB_PORT"

	# linphonec 5.1 sends the rest of the `chat` line verbatim (quotes
	# included), so the text goes unquoted.  UTF-8 and punctuation: a
	# proxy that re-encoded or cut the body would show here.
	LP_TEXT="Grüße from a real client; run $(basename "$RUNDIR")/$$ <ok> \"q\" 100%"
	lp_cmd lpalice "chat sip:lpbob@$PROXY $LP_TEXT"
	check "linphonec bob shows alice's chat text exactly" \
		lp_wait_line "$LP_DIR/lpbob/out" \
		"Message received from sip:lpalice@$PROXY: $LP_TEXT"
	# (the log holds each SIP message whole, in one write)
	lp_wait_ere "$LP_DIR/lpbob/log" "^MESSAGE sip:lpbob@$PROXY:$LP_BOB_PORT;"
	lp_received_message lpbob "$LP_BOB_PORT" >"$LP_DIR/lpbob/msg1"
	check "bob's MESSAGE came via the proxy to his registered contact as text/plain" \
		lp_plain_via_proxy "$LP_DIR/lpbob/msg1"
	check "no CPM header is added to linphonec's plain MESSAGE" \
		lp_no_cpm_header "$LP_DIR/lpbob/msg1"
	check "linphonec alice sees her message delivered (200)" \
		lp_wait_ere "$LP_DIR/lpalice/log" \
		'Chat message .* moving from InProgress to Delivered(ToUser)?$'
	check "bob's IMDN comes back to alice through the proxy (DeliveredToUser)" \
		lp_wait_ere "$LP_DIR/lpalice/log" \
		'Chat message .* moving from (InProgress|Delivered) to DeliveredToUser$'
	check "alice's message is never NotDelivered" \
		test "$(grep -c 'to NotDelivered$' "$LP_DIR/lpalice/log")" = 0

	# A CPM Standalone Message (CPIM body, the three CPM headers) from sipp
	# to the real client: the proxy must not break it for a non-CPM UA.
	check "CPM MESSAGE from sipp to linphonec bob: 200 comes back" \
		sipp_uac cpm_message.xml -key from_user lpalice -key to_user lpbob \
		-key conv "lp-conv-$$" -key contrib "lp-contrib-$$" -key irt "lp-irt-$$"
	check "linphonec bob shows the text inside the CPIM body" \
		lp_wait_line "$LP_DIR/lpbob/out" \
		"Message received from sip:lpalice@$PROXY: Hello from CPM."

	lp_stop lpalice
	lp_stop lpbob
fi
