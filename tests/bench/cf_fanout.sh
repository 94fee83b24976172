#!/bin/sh
# Group MESSAGE fan-out (issue 7 "Benchmarks"): cpm_cf delivering a group
# standalone message to 2, 10 and 50 members against Kamailio's imc module
# delivering to a room of the same size, in the same run, on this machine.
#
#   sh tests/bench/cf_fanout.sh            throughput (CPU) part
#   BENCH_FANOUT_INSTR=1 sh tests/bench/cf_fanout.sh
#                                          also Ir per delivered message
#
# Both paths run the same shape of work per delivered message: the group
# MESSAGE (from a trusted peer, 127.0.0.2, with P-Asserted-Identity: the
# sender bench-alice) enters the proxy; cpm_cf (cfg/kamailio.cfg, route[CF])
# or imc (tests/bench/imc.cfg) sends one MESSAGE per member as UAC to the
# proxy itself; each copy is looked up in usrloc and relayed to the member's
# registered contact, one sipp sink (sipp/bench_uas.xml) for all members.
# cpm_cf's copies also pass the member's terminating PF (cpm_check_headers,
# the CPIM check, preferences, devices, P-Asserted-Identity) and carry the
# CPM identifiers, P-Asserted-Identity and Referred-By; imc's carry neither.
#
# Per size N: a group / room of bench-alice and N members m1..mN; M group
# messages at R per second (R * N = BENCH_FANOUT_DELIVERIES per second);
# Kamailio's CPU (utime + stime of all its processes, /proc) from before
# the load until the sink has answered everything; delivered = the sink's
# MESSAGE count.  Result: delivered messages per Kamailio CPU-second.
#
# With BENCH_FANOUT_INSTR=1 each path also runs under callgrind (one
# Kamailio per path and size): after a warm-up every process's counters are
# zeroed (callgrind_control -z <pid>), BENCH_FANOUT_INSTR_MSGS group messages
# are sent at 2/s, and the counters dumped (callgrind_control -d <pid>):
# Ir per delivered message = the dumps' Ir sum / (messages x N).
#
# Environment: BENCH_FANOUT_SIZES [2 10 50], BENCH_FANOUT_DELIVERIES [1000]
# per second, BENCH_FANOUT_SECONDS [10] of load per path and size,
# BENCH_FANOUT_INSTR_MSGS [200], BENCH_FANOUT_MEM [qm] (Kamailio's memory
# manager, -x: qm as the tests, or tlsf as `make run`), SHM_MB [1024],
# PKG_MB [16], KEEP=1.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/bench/lib.sh"
. "$TOP/tests/ports.sh"

SIZES=${BENCH_FANOUT_SIZES:-2 10 50}
DPS=${BENCH_FANOUT_DELIVERIES:-1000}
SECS=${BENCH_FANOUT_SECONDS:-10}
IMSGS=${BENCH_FANOUT_INSTR_MSGS:-200}
SHM_MB=${SHM_MB:-1024}
PKG_MB=${PKG_MB:-16}
MEM=${BENCH_FANOUT_MEM:-qm}
KMODDIR=$(sh "$TOP/mk/kmoddir.sh") || exit 2
MPATH="$KMODDIR:$TOP/modules"
SIPP_DIR=$TOP/sipp
HZ=$(getconf CLK_TCK)
RUNDIR=$(mktemp -d /tmp/cpm-fanout.XXXXXX)
PIDS=""
PORT_BASE=$((40000 + ($$ % 1000) * 16))
PORTS_FILE=$RUNDIR/ports
FORK_HOOK=daemon_status_on_fork_cleanup

cleanup() { bench_cleanup 150; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

log() { echo "$*" | tee -a "$RUNDIR/fanout.log"; }
die() { echo "bench-fanout: $*" >&2; exit 1; }

command -v sipp >/dev/null || die "sipp not found (make deps)"
[ -f "$KMODDIR/imc.so" ] || die "no imc.so in $KMODDIR"

MAXN=0
for n in $SIZES; do [ "$n" -gt "$MAXN" ] && MAXN=$n; done

# members m1..m<MAXN> and bench-alice, password pw-<user>
: >"$RUNDIR/users.txt"
echo "bench-alice pw-bench-alice" >>"$RUNDIR/users.txt"
i=1
while [ $i -le "$MAXN" ]; do echo "m$i pw-m$i" >>"$RUNDIR/users.txt"; i=$((i + 1)); done

# provision_groups <db>: a cpm_cf group g<N> and an imc room room<N> per size
provision_groups() {
	{
		for n in $SIZES; do
			echo "INSERT INTO cpm_group (uri, display_name, max_participants, policy) VALUES ('sip:g$n@127.0.0.1', '', 0, 0);"
			echo "INSERT INTO cpm_group_member (group_uri, uri) VALUES ('sip:g$n@127.0.0.1', 'sip:bench-alice@127.0.0.1');"
			echo "INSERT INTO imc_rooms (name, domain, flag) VALUES ('room$n', '127.0.0.1', 0);"
			echo "INSERT INTO imc_members (username, domain, room, flag) VALUES ('bench-alice', '127.0.0.1', 'sip:room$n@127.0.0.1', 0);"
			i=1
			while [ $i -le "$n" ]; do
				echo "INSERT INTO cpm_group_member (group_uri, uri) VALUES ('sip:g$n@127.0.0.1', 'sip:m$i@127.0.0.1');"
				echo "INSERT INTO imc_members (username, domain, room, flag) VALUES ('m$i', '127.0.0.1', 'sip:room$n@127.0.0.1', 0);"
				i=$((i + 1))
			done
		done
	} | sqlite3 "$1"
}

# start_path <inst> <cpm|imc> [wrapper...]: sets KPID, PORT_<inst>
start_path() {
	_inst=$1 _kind=$2
	shift 2
	_dir=$RUNDIR/$_inst
	_port=$(next_port)
	mkdir -p "$_dir"
	_db=$_dir/db.sqlite
	sh "$TOP/mk/dbinit.sh" "$_db" >/dev/null || die "dbinit failed"
	sqlite3 "$_db" </usr/share/kamailio/db_sqlite/imc-create.sql || die "imc schema"
	sh "$TOP/mk/provision.sh" "$_db" 127.0.0.1 "$RUNDIR/users.txt" >/dev/null &&
		echo "INSERT INTO address (grp, ip_addr, mask, port, tag) VALUES (1, '$BENCH_PEER_IP', 32, 0, 'bench S-CSCF');" |
		sqlite3 "$_db" || die "provisioning failed"
	provision_groups "$_db"
	if [ "$_kind" = cpm ]; then
		set -- "$@" /usr/sbin/kamailio -f "$TOP/cfg/kamailio.cfg" -L "$MPATH" \
			-A SIP_ADDR=127.0.0.1 -A "SIP_PORT=$_port" -A "DBURL=\"sqlite://$_db\"" \
			-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\""
	else
		set -- "$@" /usr/sbin/kamailio -f "$TOP/tests/bench/imc.cfg" -L "$MPATH" \
			-A "SIP_PORT=$_port" -A "DBURL=\"sqlite://$_db\"" \
			-A "IMC_PROXY=\"sip:127.0.0.1:$_port\""
	fi
	"$@" -DD -E -m "$SHM_MB" -M "$PKG_MB" -x "$MEM" -Y "$_dir" -P "$_dir/kamailio.pid" \
		>"$_dir/kamailio.log" 2>&1 &
	KPID=$!
	PIDS="$PIDS $KPID"
	eval "PORT_$(echo "$_inst" | tr . _)=$_port PID_$(echo "$_inst" | tr . _)=$KPID"
}

# register_all <port>: m1..m<MAXN> at the sink's port (digest: the cpm cfg
# challenges, imc's saves at once)
register_all() {
	i=1
	while [ $i -le "$MAXN" ]; do
		sipp -sf "$SIPP_DIR/register.xml" -nostdin -i 127.0.0.1 -p "$(next_port)" -m 1 \
			-au "m$i" -ap "pw-m$i" -timeout 20s -timeout_error -key user "m$i" \
			-key contact_port "$SINK_PORT" -key expires 3600 \
			"127.0.0.1:$1" >"$RUNDIR/register.out" 2>&1 || die "REGISTER of m$i at $1 failed"
		i=$((i + 1))
	done
}

# sink_count: MESSAGEs the sink has received so far (its -trace_stat file)
sink_count() {
	awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ n = $col["IncomingCall(C)"] } END { printf "%d\n", n }' "$RUNDIR/sink.csv"
}

SINK_PORT=$(next_port)
# in RUNDIR: a sipp stopped by a signal leaves its screen log in its cwd
(cd "$RUNDIR" && exec sipp -sf "$SIPP_DIR/bench_uas.xml" -nostdin -i 127.0.0.1 \
	-p "$SINK_PORT" -l 400000 -trace_stat -stf "$RUNDIR/sink.csv" -fd 1 \
	-trace_err -error_file "$RUNDIR/sink.err" >"$RUNDIR/sink.out" 2>&1) &
SINK_PID=$!
PIDS="$PIDS $SINK_PID"

for kind in cpm imc; do
	start_path "$kind" "$kind"
	eval "_pid=\$PID_$kind _port=\$PORT_$kind"
	kam_wait_ready "$RUNDIR/$kind" "$_pid" 300
	register_all "$_port"
done

log "== group MESSAGE fan-out: cpm_cf vs imc, delivered messages per Kamailio CPU-second"
log "   $(nproc) CPUs, $(uname -r), $(kamailio -v 2>/dev/null | head -n 1 | cut -c1-60)"
log "   load: ${DPS} deliveries/s for ${SECS}s per path and size, -x $MEM -m $SHM_MB -M $PKG_MB, children=4"
log "   size  path  msgs  delivered  cpu_s  delivered/cpu_s  failed"
for n in $SIZES; do
	rate=$((DPS / n))
	[ "$rate" -lt 1 ] && rate=1
	msgs=$((rate * SECS))
	for kind in cpm imc; do
		eval "_pid=\$PID_$kind _port=\$PORT_$kind"
		to=g$n
		[ "$kind" = imc ] && to=room$n
		sleep 6 # the sink's stat file is written once a second
		before=$(sink_count)
		c0=$(kam_cpu "$_pid")
		sipp -sf "$SIPP_DIR/bench_uac_group.xml" -nostdin -i "$BENCH_PEER_IP" \
			-p "$(next_port)" -key to_user "$to" -r "$rate" -m "$msgs" -l "$msgs" \
			-recv_timeout 10000 -timeout $((SECS * 3 + 30))s \
			-trace_stat -stf "$RUNDIR/uac.$kind.$n.csv" -fd 1 \
			-trace_err -error_file "$RUNDIR/uac.$kind.$n.err" \
			"127.0.0.1:$_port" >"$RUNDIR/uac.$kind.$n.out" 2>&1
		# every copy answered (the sink keeps a call 4 s, its stats lag 1 s)
		want=$((before + msgs * n))
		_w=0
		while [ "$(sink_count)" -lt "$want" ] && [ $_w -lt 150 ]; do
			sleep 0.2
			_w=$((_w + 1))
		done
		c1=$(kam_cpu "$_pid")
		got=$(($(sink_count) - before))
		set -- $(sipp_summary "$RUNDIR/uac.$kind.$n.csv" "$msgs")
		cpu=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')
		per=$(awk -v d="$got" -v c="$cpu" 'BEGIN { if (c > 0) printf "%.0f", d / c; else print "-" }')
		log "$(printf '   %4d  %-4s  %4d  %9d  %5s  %15s  %6d' "$n" "$kind" "$msgs" "$got" "$cpu" "$per" "$2")"
	done
done

if [ "${BENCH_FANOUT_INSTR:-0}" = 1 ]; then
	command -v valgrind >/dev/null || die "valgrind not found"
	log "== instructions per delivered message (callgrind, $IMSGS group messages at 2/s per path and size, counters zeroed after a warm-up)"
	for kind in cpm imc; do
		eval "_pid=\$PID_$kind"
		kill -TERM "$_pid"
	done
	sleep 2
	# cg_window <inst> <pids> <command>: zero the callgrind counters of the
	# pids, run the command, dump them; prints the dumps' Ir sum
	cg_window() {
		for p in $2; do callgrind_control -z "$p" >/dev/null 2>&1; done
		rm -f "$RUNDIR/$1"/cg/cg.*.[0-9]*
		$3
		for p in $2; do callgrind_control -d "$p" >/dev/null 2>&1; done
		sleep 2
		cat "$RUNDIR/$1"/cg/cg.*.[0-9]* 2>/dev/null |
			awk '/^summary:/ { s += $2 } END { printf "%.0f\n", s }'
	}
	# load_then_settle <to> <port> <tag>: IMSGS group messages at 2/s, then
	# 6 s for the last copies and their transactions
	load_then_settle() {
		sipp -sf "$SIPP_DIR/bench_uac_group.xml" -nostdin -i "$BENCH_PEER_IP" \
			-p "$(next_port)" -key to_user "$1" -r 2 -m "$IMSGS" \
			-recv_timeout 20000 -timeout $((IMSGS * 2))s "127.0.0.1:$2" \
			>"$RUNDIR/$3.out" 2>&1
		sleep 6
	}
	for kind in cpm imc; do
		inst=cg$kind
		mkdir -p "$RUNDIR/$inst/cg"
		start_path "$inst" "$kind" valgrind --tool=callgrind --trace-children=yes \
			--zero-before="$FORK_HOOK" --callgrind-out-file="$RUNDIR/$inst/cg/cg.%p" \
			--log-file="$RUNDIR/$inst/valgrind.%p.log"
		eval "_pid=\$PID_$inst _port=\$PORT_$inst"
		kam_wait_ready "$RUNDIR/$inst" "$_pid" 900
		register_all "$_port"
	done
	log "   size  path  Ir/delivered  Ir(load window)  Ir(idle window)"
	for n in $SIZES; do
		for kind in cpm imc; do
			inst=cg$kind
			eval "_pid=\$PID_$inst _port=\$PORT_$inst"
			to=g$n
			[ "$kind" = imc ] && to=room$n
			# warm-up: the path translated in every worker
			sipp -sf "$SIPP_DIR/bench_uac_group.xml" -nostdin -i "$BENCH_PEER_IP" \
				-p "$(next_port)" -key to_user "$to" -r 2 -m 20 \
				-recv_timeout 20000 -timeout 120s "127.0.0.1:$_port" >/dev/null 2>&1
			sleep 6
			kids="$_pid $(pgrep -P "$_pid" | tr '\n' ' ')"
			win=$((IMSGS / 2 + 6))
			# idle window of the same length first: timers, the PF's
			# writer, usrloc (subtracted below)
			idle=$(cg_window "$inst" "$kids" "sleep $win")
			ir=$(cg_window "$inst" "$kids" "load_then_settle $to $_port $inst.$n")
			per=$(awk -v i="$ir" -v z="$idle" -v m="$IMSGS" -v n="$n" 'BEGIN { printf "%.0f", (i - z) / (m * n) }')
			log "$(printf '   %4d  %-4s  %12s  %14s  %14s' "$n" "$kind" "$per" "$ir" "$idle")"
		done
	done
fi
cp "$RUNDIR/fanout.log" "${BENCH_FANOUT_OUT:-/tmp/cf_fanout.last.log}" 2>/dev/null &&
	echo "log copied to ${BENCH_FANOUT_OUT:-/tmp/cf_fanout.last.log}"
exit 0
