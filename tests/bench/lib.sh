# Helpers of tests/bench/run.sh and instr.sh (sourced).  POSIX sh; floats go
# through awk.
#
# What the benchmark measures: the trusted-peer path.  The MESSAGE load comes
# from BENCH_PEER_IP (127.0.0.2), which kam_start enters in each database as
# a trusted peer (permissions `address` table, group 1), with a
# P-Asserted-Identity, as an IMS S-CSCF would send it: route[IDENTITY]'s
# allow_source_address() lookup runs on every MESSAGE and nothing is
# challenged.  bench-bob registers with digest authentication (one 401).

BENCH_PEER_IP=127.0.0.2
BENCH_BOB_PW=bench-bob-pw

# kam_cpu <main-pid>: utime+stime in clock ticks summed over the Kamailio
# main process and every process it forked (all are its direct children).
kam_cpu() {
	{
		echo "$1"
		pgrep -P "$1"
	} | while read -r _pid; do
		# comm is "(kamailio)": no spaces, so fields 14/15 are utime/stime
		cat "/proc/$_pid/stat" 2>/dev/null
	done | awk '{ t += $14 + $15 } END { printf "%d\n", t }'
}

# sipp_summary <stat-csv> <calls>: from sipp's -trace_stat file print
#   "<successful> <failed> <send-seconds> <retransmissions>"
# send-seconds: time from start to the first statistics row where all
# <calls> calls had been created (1 s resolution with -fd 1).
sipp_summary() {
	awk -F';' -v calls="$2" '
	function epoch(f,  a, n) { n = split(f, a, "\t"); return a[n] + 0 }
	NR == 1 {
		for (i = 1; i <= NF; i++) col[$i] = i
		next
	}
	{
		start = epoch($col["StartTime"]); now = epoch($col["CurrentTime"])
		if (send == "" && $col["OutgoingCall(C)"] + 0 >= calls) send = now - start
		ok = $col["SuccessfulCall(C)"]; fail = $col["FailedCall(C)"]
		retr = $col["Retransmissions(C)"]; last = now - start
	}
	END {
		if (send == "") send = last
		printf "%d %d %.2f %d\n", ok, fail, send, retr
	}' "$1"
}

# bench_cleanup <tenths>: stop every process in $PIDS (SIGTERM, up to
# <tenths> x 0.1 s each, then SIGKILL to it and its forked children) and
# remove $RUNDIR unless KEEP=1.
bench_cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $PIDS; do
		_i=0
		while kill -0 "$p" 2>/dev/null && [ $_i -lt "$1" ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		if kill -0 "$p" 2>/dev/null; then
			pkill -KILL -P "$p" 2>/dev/null
			kill -KILL "$p" 2>/dev/null
		fi
	done
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept $RUNDIR"
	else
		rm -rf "$RUNDIR"
	fi
}

# kam_start <dir> <cfg> <port> [wrapper command...]: check <cfg> with
# `kamailio -c`, then start Kamailio in the background (under the wrapper, e.g.
# valgrind, when given) with its own SQLite usrloc, runtime folder and log in
# <dir>, -m $SHM_MB -M $PKG_MB -x ${KAM_MEM:-qm}, plus $KAM_EXTRA (more
# kamailio options, e.g. -A defines); sets KPID and adds it to PIDS.
kam_start() {
	_dir=$1 _cfg=$2 _port=$3
	shift 3
	mkdir -p "$_dir"
	# BENCH_DBURL: a postgres:// database instead of the folder's SQLite
	_db=${BENCH_DBURL:-$_dir/usrloc.sqlite}
	_dburl=sqlite://$_db _pg=""
	case "$_db" in postgres://*) _dburl=$_db _pg="-A WITH_POSTGRES" ;; esac
	sh "$TOP/mk/dbinit.sh" "$_db" || die "dbinit failed"
	echo "bench-bob $BENCH_BOB_PW" >"$_dir/users.txt"
	sh "$TOP/mk/provision.sh" "$_db" 127.0.0.1 "$_dir/users.txt" &&
		echo "INSERT INTO address (grp, ip_addr, mask, port, tag)
			VALUES (1, '$BENCH_PEER_IP', 32, 0, 'bench S-CSCF');" |
		sh "$TOP/mk/dbsql.sh" "$_db" ||
		die "provisioning failed"
	# shellcheck disable=SC2086
	set -- "$@" /usr/sbin/kamailio -f "$_cfg" -L "$MPATH" \
		-A SIP_ADDR=127.0.0.1 -A "SIP_PORT=$_port" $_pg \
		-A "DBURL=\"$_dburl\"" \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" ${KAM_EXTRA:-}
	# shellcheck disable=SC2086
	if ! /usr/sbin/kamailio -c -f "$_cfg" -L "$MPATH" -A "SIP_PORT=$_port" $_pg \
		-A "DBURL=\"$_dburl\"" \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" \
		>"$_dir/check.log" 2>&1; then
		tail -n 15 "$_dir/check.log" >&2
		die "$_cfg does not load (kamailio -c)"
	fi
	"$@" -DD -E -m "$SHM_MB" -M "$PKG_MB" -x "${KAM_MEM:-qm}" \
		-Y "$_dir" -P "$_dir/kamailio.pid" >"$_dir/kamailio.log" 2>&1 &
	KPID=$!
	PIDS="$PIDS $KPID"
}

# kam_wait_ready <dir> <pid> <tenths>: wait until the Kamailio with runtime
# folder <dir> answers on its control socket; die with its log after
# <tenths> x 0.1 s or when <pid> is gone.
kam_wait_ready() {
	_i=0
	until kamcmd -s "unix:$1/kamailio_ctl" core.uptime >/dev/null 2>&1; do
		_i=$((_i + 1))
		if [ $_i -gt "$3" ] || ! kill -0 "$2" 2>/dev/null; then
			tail -n 30 "$1/kamailio.log" >&2
			die "kamailio in $1 did not start"
		fi
		sleep 0.1
	done
}
