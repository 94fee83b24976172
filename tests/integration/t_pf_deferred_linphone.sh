# cpm_pf deferred delivery with a real client (issue 6 "A real client"):
# a headless linphonec (Debian's linphone-cli) registers once (the PF learns
# its +sip.instance), goes offline (its binding removed), a CPM message is
# sent to it and answered 202; when linphonec starts again (same rc, same
# +sip.instance) and registers, it gets the stored message and shows the
# text of the CPIM body.  linphonec setup as in t_linphone.sh.
plan 4

. "$TOP/tests/integration/pf_store_lib.sh"

PLP_DIR=$RUNDIR/pflp
PLP_PORT=$(next_port)
PLP_TEXT="Stored while you were away $$"

plp_start() { # plp_start: linphonec registering pflp on PLP_PORT
	mkdir -p "$PLP_DIR/.local/share/linphone"
	[ -f "$PLP_DIR/rc" ] || cat >"$PLP_DIR/rc" <<-EOF
	[sip]
	sip_port=$PLP_PORT
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
	reg_identity=sip:pflp@$PROXY
	reg_expires=600
	reg_sendregister=1
	[auth_info_0]
	username=pflp
	passwd=$(pw_of pflp)
	realm=$PROXY
	domain=$PROXY
	EOF
	rm -f "$PLP_DIR/in"
	mkfifo "$PLP_DIR/in"
	sleep 120 >"$PLP_DIR/in" &
	echo $! >>"$RUNDIR/sipp.pids"
	PLP_HOLDER=$!
	HOME=$PLP_DIR linphonec -c "$PLP_DIR/rc" -d 6 -l "$PLP_DIR/log" \
		<"$PLP_DIR/in" >>"$PLP_DIR/out" 2>&1 &
	PLP_PID=$!
	echo $! >>"$RUNDIR/sipp.pids"
	timeout 5 sh -c 'printf "%s\n" "soundcard use files" >"$1"' x "$PLP_DIR/in"
}

plp_stop() {
	timeout 5 sh -c 'printf "quit\n" >"$1"' x "$PLP_DIR/in"
	_w=0
	while kill -0 "$PLP_PID" 2>/dev/null && [ $_w -lt 30 ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	kill "$PLP_PID" "$PLP_HOLDER" 2>/dev/null
	wait "$PLP_PID" "$PLP_HOLDER" 2>/dev/null
}

plp_wait_line() { # the console shows the whole line, <= 15 s
	_w=0
	until tr -d '\r' <"$PLP_DIR/out" 2>/dev/null | sed 's/^linphonec> //' | grep -qxF -- "$1"; do
		[ $_w -ge 150 ] && return 1
		sleep 0.1
		_w=$((_w + 1))
	done
}

if ! command -v linphonec >/dev/null 2>&1; then
	skip_rest linphone "linphonec not installed (mk/deps.sh installs linphone-cli)"
else
	plp_start
	check "linphone: pflp's linphonec registers; the PF knows its +sip.instance" \
		pf_wait_sql "$RUNDIR/cpm.sqlite" "SELECT count(*) FROM cpm_device WHERE username='pflp' AND device LIKE '<urn:uuid:%'" 1
	plp_stop
	# offline: linphonec 5.1 does not unregister on quit; remove its binding
	kamcmd -s "unix:$RUNDIR/kamailio_ctl" ul.rm location pflp >/dev/null 2>&1
	sipp_uac pf_store_message.xml -key from_user alice -key to_user pflp \
		-key conv "plp-conv-$$" -key contrib "plp-contrib-$$" -key irt "plp-irt" \
		-key text "$PLP_TEXT"
	check "linphone: CPM message to offline linphonec: 202 Accepted" \
		uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
	plp_start
	check "linphone: linphonec registers again and shows the stored text" \
		plp_wait_line "Message received from sip:alice@$PROXY: $PLP_TEXT"
	check "linphone: it leaves the store (the only known device has it)" \
		pf_wait_sql "$RUNDIR/cpm.sqlite" "SELECT count(*) FROM cpm_store WHERE username='pflp'" 0
	plp_stop
fi
