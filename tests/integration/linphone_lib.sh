# linphonec (Debian's linphone-cli) as a headless SIP client for the
# integration cases (t_linphone.sh, t_pf_deferred_linphone.sh): each user's
# linphonec lives in $LP_DIR/<user> (rc, log, out, in = a FIFO its console
# reads).  Sourced by the case files; lib.sh's pw_of gives the password.

LP_DIR=${LP_DIR:-$RUNDIR/lp}

lp_wait_line() { # lp_wait_line <file> <line> [tenths]: a whole console line, <= 10 s
	_w=0
	# the prompt "linphonec> " has no newline: it may start the line
	until tr -d '\r' <"$1" 2>/dev/null | sed 's/^linphonec> //' | grep -qxF -- "$2"; do
		[ $_w -ge "${3:-100}" ] && return 1
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
	# kept across restarts: linphonec keeps its +sip.instance there
	[ -f "$_d/rc" ] || cat >"$_d/rc" <<-EOF
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
	rm -f "$_d/in"
	mkfifo "$_d/in"
	# A writer that keeps the FIFO open, so linphonec never reads EOF
	# between two commands; killed by lp_stop (or by run.sh's cleanup).
	sleep 120 >"$_d/in" &
	echo $! >>"$RUNDIR/sipp.pids"
	echo $! >"$_d/holder.pid"
	HOME=$_d linphonec -c "$_d/rc" -d 6 -l "$_d/log" <"$_d/in" >>"$_d/out" 2>&1 &
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

