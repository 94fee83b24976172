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

lp_wait_line() { # lp_wait_line <file> <line>: a whole console line, <= 10 s
	_w=0
	# the prompt "linphonec> " has no newline: it may start the line
	until tr -d '\r' <"$1" 2>/dev/null | sed 's/^linphonec> //' | grep -qxF -- "$2"; do
		[ $_w -ge 100 ] && return 1
		sleep 0.1
		_w=$((_w + 1))
	done
}

lp_wait_ere() { # lp_wait_ere <file> <extended regex>: the same, by regex
	_w=0
	while ! grep -qE -- "$2" "$1" 2>/dev/null; do
		[ $_w -ge 100 ] && return 1
		sleep 0.1
		_w=$((_w + 1))
	done
}

lp_start() { # lp_start <user> <udp port>: a linphonec registering <user>
	_d=$LP_DIR/$1
	mkdir -p "$_d/.local/share/linphone"
	# reg_route sends every request through the proxy: linphonec addresses
	# its MESSAGEs to sip:<user>@127.0.0.1 without a port.
	cat >"$_d/rc" <<-EOF
	[sip]
	sip_port=$2
	sip_tcp_port=0
	sip_tls_port=0
	bind_address=127.0.0.1
	default_proxy=0
	[video]
	enabled=0
	display=0
	capture=0
	[proxy_0]
	reg_proxy=sip:$PROXY:$PROXY_PORT
	reg_route=sip:$PROXY:$PROXY_PORT;lr
	reg_identity=sip:$1@$PROXY
	reg_expires=600
	reg_sendregister=1
	[auth_info_0]
	username=$1
	passwd=$(pw_of "$1")
	realm=$PROXY
	domain=$PROXY
	EOF
	mkfifo "$_d/in"
	# A writer that keeps the FIFO open, so linphonec never reads EOF
	# between two commands; killed by lp_stop (or by run.sh's cleanup).
	sleep 120 >"$_d/in" &
	echo $! >>"$RUNDIR/sipp.pids"
	echo $! >"$_d/holder.pid"
	HOME=$_d linphonec -c "$_d/rc" -d 6 -l "$_d/log" <"$_d/in" >"$_d/out" 2>&1 &
	echo $! >>"$RUNDIR/sipp.pids"
	echo $! >"$_d/pid"
	lp_cmd "$1" "soundcard use files"
}

lp_cmd() { # lp_cmd <user> <command line>
	# Bounded: opening the FIFO blocks while no linphonec reads it.
	# shellcheck disable=SC2016
	timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' lp_cmd "$2" "$LP_DIR/$1/in"
}

lp_alive() { # lp_alive <pid> <tenths>: still running after that long?
	_w=0
	while kill -0 "$1" 2>/dev/null; do
		[ $_w -ge "$2" ] && return 0
		sleep 0.1
		_w=$((_w + 1))
	done
	return 1
}

lp_stop() { # lp_stop <user>: quit, else TERM, else KILL; all bounded
	_d=$LP_DIR/$1
	[ -f "$_d/pid" ] || return 0
	_p=$(cat "$_d/pid")
	kill -0 "$_p" 2>/dev/null && lp_cmd "$1" quit
	if lp_alive "$_p" 30; then
		kill "$_p" 2>/dev/null
		lp_alive "$_p" 20 && kill -KILL "$_p" 2>/dev/null
	fi
	kill "$(cat "$_d/holder.pid")" 2>/dev/null
	wait "$_p" "$(cat "$_d/holder.pid")" 2>/dev/null
	rm -f "$_d/pid"
}

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
