# Integration test library: sourced by tests/integration/run.sh, which starts
# the real Kamailio with the real cfg (cfg/kamailio.cfg, -A WITH_TEST_ROUTES)
# and its modules on a free loopback port, then sources every
# tests/integration/t_*.sh in name order.  A case file calls the functions
# below; each `check` prints one TAP line ("ok - name" / "not ok - name").
#
# Variables a case may read:
#   TOP          checkout root            SIPP_DIR   $TOP/sipp
#   RUNDIR       this run's temp folder   PROXY      127.0.0.1
#   PROXY_PORT   Kamailio's UDP+TCP port  KLOG       Kamailio's log file
#
# Functions:
#   next_port                       print a loopback port free for UDP and TCP
#   check <name> <cmd> [args...]    run cmd; TAP line by its exit status
#   sipp_uac <scen> [sipp args]     one sipp UAC call towards the proxy; exit 0
#                                   iff the scenario passed; its messages are
#                                   traced to $LAST_TRACE
#   sipp_load <scen> <calls> [sipp args]
#                                   <calls> calls of a UAC scenario at 500/s;
#                                   exit 0 iff every call passed
#   sipp_uas_start <scen> <port> [sipp args]
#                                   a sipp UAS in the background for one call;
#                                   trace in $UAS_TRACE
#   sipp_uas_wait                   wait (bounded) for the last UAS; its status
#   start_instance <dir> <cfg> <port> [kamailio args]
#                                   a second Kamailio for a case of its own;
#                                   sets INST_PID once it answers
#   register <user> <contact-port> [expires]
#                                   REGISTER <user>@127.0.0.1 with Contact
#                                   sip:<user>@127.0.0.1:<contact-port>
#   has_line <trace> <line>         the traced messages hold <line> exactly
#                                   (a whole header line, CRLF stripped)
#   count_lines <trace> <line>      how many times
#
# sipp keywords: every sipp call gets -key proxy_port $PROXY_PORT; pass more
# with -key name value, used in scenarios as [name].

PROXY=127.0.0.1
_SEQ=0
PORTS_FILE=$RUNDIR/ports
. "$TOP/tests/ports.sh"

check() {
	_check_name=$1
	shift
	if "$@" >>"$RUNDIR/checks.log" 2>&1; then
		echo "ok - $_check_name"
	else
		echo "not ok - $_check_name"
		echo "# failed: $_check_name ($*)" >&2
	fi
}

_sipp_common() {
	echo "-nostdin -trace_err -key proxy_port $PROXY_PORT -timeout 15s -timeout_error"
}

sipp_uac() {
	_scen=$1
	shift
	_SEQ=$((_SEQ + 1))
	_port=$(next_port)
	LAST_TRACE="$RUNDIR/uac.$_SEQ.$(basename "$_scen" .xml).msg"
	# shellcheck disable=SC2046
	sipp -sf "$SIPP_DIR/$_scen" $(_sipp_common) -i 127.0.0.1 -p "$_port" -m 1 \
		-trace_msg -message_file "$LAST_TRACE" \
		-error_file "$RUNDIR/uac.$_SEQ.err" "$@" "$PROXY:$PROXY_PORT" \
		>"$RUNDIR/uac.$_SEQ.out" 2>&1
}

sipp_load() { # sipp_load <scen> <calls> [sipp args]: <calls> calls at 500/s
	_scen=$1 _calls=$2
	shift 2
	_SEQ=$((_SEQ + 1))
	_port=$(next_port)
	# shellcheck disable=SC2046
	sipp -sf "$SIPP_DIR/$_scen" $(_sipp_common) -i 127.0.0.1 -p "$_port" \
		-m "$_calls" -r 500 -l 100 -error_file "$RUNDIR/load.$_SEQ.err" \
		"$@" "$PROXY:$PROXY_PORT" >"$RUNDIR/load.$_SEQ.out" 2>&1
}

sipp_uas_start() {
	_scen=$1
	_port=$2
	shift 2
	_SEQ=$((_SEQ + 1))
	UAS_TRACE="$RUNDIR/uas.$_SEQ.$(basename "$_scen" .xml).msg"
	# shellcheck disable=SC2046
	sipp -sf "$SIPP_DIR/$_scen" $(_sipp_common) -i 127.0.0.1 -p "$_port" -m 1 \
		-trace_msg -message_file "$UAS_TRACE" \
		-error_file "$RUNDIR/uas.$_SEQ.err" "$@" \
		>"$RUNDIR/uas.$_SEQ.out" 2>&1 &
	UAS_PID=$!
	echo "$UAS_PID" >>"$RUNDIR/sipp.pids"
	# sipp binds its socket at once; give it a moment before traffic comes.
	_i=0
	while [ $_i -lt 50 ] && ! ss -Hlnu "( sport = :$_port )" | grep -q .; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

sipp_uas_wait() {
	wait "$UAS_PID"
}

register() {
	sipp_uac register.xml -key user "$1" -key contact_port "$2" \
		-key expires "${3:-600}"
}

# start_instance <dir> <cfg> <port> [kamailio args]: another Kamailio (an
# instance of its own in <dir>: SQLite, ctl socket, log) for cases that need
# a different cfg or option; waits until it answers; sets INST_PID.  run.sh's
# cleanup stops it.
start_instance() {
	_dir=$1 _cfg=$2 _iport=$3
	shift 3
	mkdir -p "$_dir"
	sh "$TOP/mk/dbinit.sh" "$_dir/cpm.sqlite"
	/usr/sbin/kamailio -f "$_cfg" -DD -E -m 64 -M 8 \
		-L "$KMODDIR:$TOP/modules" \
		-Y "$_dir" -P "$_dir/kamailio.pid" -A "SIP_PORT=$_iport" \
		-A "DBURL=\"sqlite://$_dir/cpm.sqlite\"" \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" "$@" \
		>"$_dir/kamailio.log" 2>&1 &
	INST_PID=$!
	echo "$INST_PID" >>"$RUNDIR/sipp.pids"
	_i=0
	until kamcmd -s "unix:$_dir/kamailio_ctl" core.uptime >/dev/null 2>&1; do
		_i=$((_i + 1))
		if [ $_i -gt 100 ] || ! kill -0 "$INST_PID" 2>/dev/null; then
			tail -n 20 "$_dir/kamailio.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

has_line() {
	[ -f "$1" ] && tr -d '\r' <"$1" | grep -qxF -- "$2"
}

count_lines() {
	if [ -f "$1" ]; then tr -d '\r' <"$1" | grep -cxF -- "$2"; else echo 0; fi
}
