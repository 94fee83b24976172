#!/bin/sh
# Deferred store throughput (issue 6 item 4 benchmark): cpm_pf's store
# (cfg/kamailio.cfg: route[LOCATION] -> route[PF_STORE] -> one writer
# process, batched commits, 202 after COMMIT) against Kamailio's msilo
# (tests/bench/msilo.cfg: the shipped cfg without the CPM modules, m_store()
# in each SIP worker for a user with no contact), each on its own
# SQLite file made by mk/dbinit.sh (WAL), 4 SIP workers each, same run.
#
# For each path: BENCH_STORE_N MESSAGEs (sipp/bench_uac_store.xml, from the
# trusted peer, to bench-bob who has no registered device) at
# BENCH_STORE_RATE/s; Kamailio CPU (main + children, utime+stime) read before
# and after: stores per Kamailio CPU-second = 202s / CPU s.  Failed stores =
# calls that did not get 202; "database is locked" lines counted in the log.
# Then the delivery side, on the msilo and the cpm_pf instance alike:
# bench-bob's device (sipp/bench_uas.xml, the same UAS) registers and gets
# every stored message (cpm_pf: the writer, one at a time in order; msilo:
# m_dump() after save(), tests/bench/msilo.cfg); deliveries per Kamailio
# CPU-second, from the REGISTER until the store is empty, and duplicates
# counted in the UAS's trace (the body's number names the message).
#
# BENCH_STORE_PG=1 adds the same cpm_pf runs (store, then delivery) on
# PostgreSQL (db_postgres, a throw-away cluster on a unix socket, as
# tests/integration/t_pf_deferred_pg.sh makes it; root only), with the
# PostgreSQL server's CPU reported beside Kamailio's.
#
#   BENCH_STORE_N [2000]  BENCH_STORE_RATE [200]  BENCH_STORE_PG [0]
#   BENCH_STORE_DELAYS (commit_delay values, ms, to run too)
#   BENCH_STORE_BEFORE (a checkout with built modules to compare with)
#   BENCH_STORE_TM=1 (also cpm_pf with store_stateless 0: a tm
#     transaction suspended per store, before the shipped cfg's run)
#   BENCH_STORE_WARM=1 (each instance first takes the same traffic once,
#     unmeasured: steady state rather than a fresh instance)
#   BENCH_PERF=1 (perf record per run; BENCH_PERF_OPTS [-g]; with KEEP=1)
#   KEEP=1 keeps the folder
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/bench/lib.sh"
. "$TOP/tests/ports.sh"
N=${BENCH_STORE_N:-2000}
RATE=${BENCH_STORE_RATE:-200}
SHM_MB=${SHM_MB:-1024}
PKG_MB=${PKG_MB:-16}
KAM_MEM=${BENCH_MEM:-tlsf}
KMODDIR=$(sh "$TOP/mk/kmoddir.sh") || exit 2
MPATH="$KMODDIR:$TOP/modules"
SIPP_DIR=$TOP/sipp
HZ=$(getconf CLK_TCK)
RUNDIR=$(mktemp -d /tmp/cpm-bench-store.XXXXXX)
PORTS_FILE=$RUNDIR/ports
PORT_BASE=$((24000 + ($$ % 1000) * 8))
PIDS=""
die() { echo "bench-store: $*" >&2; exit 1; }
PG_DIR="" PG_BIN=""
# the PostgreSQL cluster of BENCH_STORE_PG, stopped also when the run dies
pg_stop() {
	[ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ] &&
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -m fast stop >/dev/null 2>&1
	[ -n "$PG_DIR" ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$PG_DIR"
	return 0
}
trap 'pg_stop; bench_cleanup 50' EXIT
trap 'exit 130' INT TERM

# store_run <name> <cfg>
store_run() {
	_name=$1 _cfg=$2
	_dir=$RUNDIR/$_name
	_port=$(next_port)
	mkdir -p "$_dir"
	if [ -z "${BENCH_DBURL:-}" ]; then
		sh "$TOP/mk/dbinit.sh" "$_dir/usrloc.sqlite" || die "dbinit"
		sqlite3 "$_dir/usrloc.sqlite" <"/usr/share/kamailio/db_sqlite/msilo-create.sql" || die "msilo schema"
	fi
	kam_start "$_dir" "$_cfg" "$_port"
	kam_wait_ready "$_dir" "$KPID" 100
	sleep 1
	if [ "${BENCH_STORE_WARM:-0}" = 1 ]; then
		# warm-up: the same traffic once, unmeasured, then until tm has
		# dropped its transactions (wait timer 5 s): every process has then
		# touched the shm pages a long-running instance reuses (first-touch
		# page faults, taken under the shm lock, are a start-up cost)
		sipp -sf "$SIPP_DIR/bench_uac_store.xml" -nostdin -i "$BENCH_PEER_IP" \
			-p "$(next_port)" -key to_user bench-bob -key run w -r "$RATE" -m "$N" -l $((RATE * 10)) \
			-recv_timeout 10000 -timeout $((N / RATE * 3 + 30))s \
			"127.0.0.1:$_port" >"$_dir/warm.out" 2>&1
		sleep 8
	fi
	proc_ticks "$KPID" >"$_dir/ticks0"
	_c0=$(kam_cpu "$KPID")
	_p0=$(pg_cpu)
	# the instance's idle cost: 5 s without traffic
	sleep 5
	_ci=$(kam_cpu "$KPID")
	printf '%-8s idle: %d ticks in 5 s\n' "$_name" $((_ci - _c0))
	proc_ticks "$KPID" >"$_dir/ticks0"
	_l0=$(grep -ci 'database is locked' "$_dir/kamailio.log")
	_c0=$(kam_cpu "$KPID")
	_up=$(next_port)
	_perf=""
	if [ -n "${BENCH_PERF:-}" ]; then
		# BENCH_PERF=1: perf record of every Kamailio process during the run
		perf record -q ${BENCH_PERF_OPTS:--g} -o "$_dir/perf.data" -p "$(proc_ticks "$KPID" | awk '{ printf "%s%s", s, $1; s = "," }')" \
			>"$_dir/perf.log" 2>&1 &
		_perf=$!
	fi
	sipp -sf "$SIPP_DIR/bench_uac_store.xml" -nostdin -i "$BENCH_PEER_IP" \
		-p "$_up" -key to_user bench-bob -key run m -r "$RATE" -m "$N" -l $((RATE * 10)) \
		-recv_timeout 10000 -timeout $((N / RATE * 3 + 30))s \
		-trace_stat -stf "$_dir/uac.csv" -fd 1 -trace_err -error_file "$_dir/uac.err" \
		"127.0.0.1:$_port" >"$_dir/uac.out" 2>&1
	sleep 3
	[ -n "$_perf" ] && kill -INT "$_perf" && wait "$_perf"
	_c1=$(kam_cpu "$KPID")
	_p1=$(pg_cpu)
	proc_ticks "$KPID" >"$_dir/ticks1"
	# shellcheck disable=SC2046
	set -- $(sipp_summary "$_dir/uac.csv" "$N")
	_ok=${1:-0} _fail=${2:-0}
	_cpu=$(awk -v t=$((_c1 - _c0)) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
	_locked=$(($(grep -ci 'database is locked' "$_dir/kamailio.log") - _l0))
	printf '%-8s %6d sent at %4d/s: %6d stored (202), %5d failed, %4d "database is locked"; CPU %6.2f s; %8.0f stores per Kamailio CPU-second\n' \
		"$_name" "$N" "$RATE" "$_ok" "$_fail" "$_locked" "$_cpu" \
		"$(awk -v o="$_ok" -v c="$_cpu" 'BEGIN { print (c > 0 ? o / c : 0) }')"
	[ -n "${PG_PID:-}" ] && pg_line "$_ok" $((_c1 - _c0)) $((_p1 - _p0)) stores
	proc_split "$_dir" "$_dir/ticks0" "$_dir/ticks1" "$_ok"
	eval "KPID_$_name=$KPID PORT_$_name=$_port DIR_$_name=$_dir DB_$_name=\"\${BENCH_DBURL:-$_dir/usrloc.sqlite}\""
}

# proc_ticks <main-pid>: "pid ticks minor-faults" per Kamailio process
proc_ticks() {
	{
		echo "$1"
		pgrep -P "$1"
	} | while read -r _pid; do
		awk -v p="$_pid" '{ print p, $14 + $15, $10 }' "/proc/$_pid/stat" 2>/dev/null
	done
}

# proc_split <dir> <before-file> <after-file> <count>: the CPU between the
# two samples per kind of process (core.psx's description), in ticks and
# in microseconds per <count> (per store)
proc_split() {
	kamcmd -s "unix:$1/kamailio_ctl" core.psx 2>/dev/null |
		awk '/PID:/ { p = $2 } /DSC:/ { sub(/^[ \t]*DSC:[ \t]*/, ""); d = $0
			sub(/ [0-9]+$/, "", d); sub(/ child=.*$/, "", d); sub(/ \[.*$/, "", d)
			print p "\t" d }' >"$1/psx"
	awk -F'\t' -v n="$4" -v hz="$HZ" '
		FILENAME == ARGV[1] { dsc[$1] = $2; next }
		FILENAME == ARGV[2] { split($0, a, " "); t0[a[1]] = a[2]; f0[a[1]] = a[3]; next }
		{ split($0, a, " "); d = a[2] - t0[a[1]]; k = (a[1] in dsc) ? dsc[a[1]] : "main"
		  sum[k] += d; flt[k] += a[3] - f0[a[1]] }
		END { for (k in sum) if (sum[k] > 0)
			printf "         %-26s %5d ticks %7.1f us, %5.2f minor page faults per store\n", k, sum[k],
				sum[k] * 1e6 / hz / (n > 0 ? n : 1), flt[k] / (n > 0 ? n : 1)
		}' "$1/psx" "$2" "$3" | sort -k1,1
}

# pg_cpu: the PostgreSQL server's ticks (postmaster and its backends), 0
# without one
pg_cpu() {
	if [ -n "${PG_PID:-}" ]; then kam_cpu "$PG_PID"; else echo 0; fi
}

# pg_line <count> <kamailio ticks> <postgres ticks> <what>
pg_line() {
	printf '         PostgreSQL server CPU %.2f s; %.0f %s per (Kamailio + PostgreSQL) CPU-second\n' \
		"$(awk -v t="$3" -v hz="$HZ" 'BEGIN { print t / hz }')" \
		"$(awk -v n="$1" -v t=$(($2 + $3)) -v hz="$HZ" 'BEGIN { print (t > 0 ? n * hz / t : 0) }')" "$4"
}

# uas_count <trace>: "<requests> <deliveries> <messages>" the UAS got:
# MESSAGE requests (retransmissions included), distinct Call-IDs (one per
# delivery attempt the proxy made), distinct stored messages (the body's
# "Hello from bench <run><n>", run w: warm-up, m: measured); deliveries -
# messages = duplicates
uas_count() {
	awk '/message received/ { r = 1; next } /message sent/ { r = 0; next }
		r && /^MESSAGE / { n++ }
		r && /^Call-ID:/ { c[$2] = 1 }
		r && match($0, /Hello from bench [a-z]*[0-9]+/) { b[substr($0, RSTART, RLENGTH)] = 1 }
		END { for (k in c) nc++; for (k in b) nb++; printf "%d %d %d\n", n, nc, nb }' "$1"
}

# deliver_run <name> <table>: bench-bob's device registers on the instance
# of store_run <name> and takes every message stored in <table> (cpm_store,
# msilo's silo); the clock stops when <table> is empty
deliver_run() {
	eval "_kpid=\$KPID_$1 _kport=\$PORT_$1 _db=\$DB_$1 _dev=\${DEVPORT_$1:-}"
	_tbl=$2
	[ -n "$_dev" ] || _dev=$(next_port)
	sipp -sf "$SIPP_DIR/bench_uas.xml" -nostdin -i 127.0.0.1 -p "$_dev" -l 200000 \
		-trace_msg -message_file "$RUNDIR/dev.$1.msg" >"$RUNDIR/dev.$1.out" 2>&1 &
	_uas=$!
	PIDS="$PIDS $_uas"
	sleep 0.5
	_stored=$(sh "$TOP/mk/dbsql.sh" "$_db" "SELECT count(*) FROM $_tbl")
	_c0=$(kam_cpu "$_kpid")
	_p0=$(pg_cpu)
	_t0=$(date +%s.%N)
	sipp -sf "$SIPP_DIR/register.xml" -nostdin -i 127.0.0.1 -p "$(next_port)" -m 1 \
		-key user bench-bob -key contact_port "$_dev" -key expires 600 \
		-au bench-bob -ap "$BENCH_BOB_PW" "127.0.0.1:$_kport" >"$RUNDIR/reg.$1.out" 2>&1 ||
		die "bench-bob did not register"
	_i=0
	while [ "$(sh "$TOP/mk/dbsql.sh" "$_db" "SELECT count(*) FROM $_tbl")" != 0 ] && [ $_i -lt 1200 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_t1=$(date +%s.%N)
	_c1=$(kam_cpu "$_kpid")
	_p1=$(pg_cpu)
	_left=$(sh "$TOP/mk/dbsql.sh" "$_db" "SELECT count(*) FROM $_tbl")
	_cpu=$(awk -v t=$((_c1 - _c0)) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
	# the UAS ends (SIGINT: sipp flushes its trace), then its count
	sleep 1
	kill -INT "$_uas" 2>/dev/null
	wait "$_uas" 2>/dev/null
	# shellcheck disable=SC2046
	set -- "$1" $(uas_count "$RUNDIR/dev.$1.msg")
	printf '%-8s delivery on register: %d stored, %d left, %.2f s wall, CPU %.2f s; %.0f deliveries per Kamailio CPU-second; UAS got %d MESSAGE requests, %d deliveries of %d messages: %d duplicates\n' \
		"$1" "$_stored" "$_left" \
		"$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { print b - a }')" "$_cpu" \
		"$(awk -v n=$((_stored - _left)) -v c="$_cpu" 'BEGIN { print (c > 0 ? n / c : 0) }')" \
		"${2:-0}" "${3:-0}" "${4:-0}" $((${3:-0} - ${4:-0}))
	[ -n "${PG_PID:-}" ] && pg_line $((_stored - _left)) $((_c1 - _c0)) $((_p1 - _p0)) deliveries
	return 0
}

command -v sipp >/dev/null || die "sipp not found (make deps)"
echo "deferred store: $N MESSAGEs at $RATE/s, 4 SIP workers, SQLite (WAL), -x $KAM_MEM"
# the floor: the same SIP path, 202 with no store (what the SIP path alone
# costs, against which no store can do better)
KAM_EXTRA="-A BENCH_STORE_FLOOR" store_run floor "$TOP/tests/bench/msilo.cfg"
kill -TERM "$KPID_floor" 2>/dev/null
# msilo's m_dump() sends to the device's address directly (msilo.cfg)
DEVPORT_msilo=$(next_port)
KAM_EXTRA="-A MSILO_OUTBOUND=\"sip:127.0.0.1:$DEVPORT_msilo\"" store_run msilo "$TOP/tests/bench/msilo.cfg"
deliver_run msilo silo
kill -TERM "$KPID_msilo" 2>/dev/null
# no cap in the way of the benchmark (store_max_per_user);
# BENCH_STORE_DELAYS="0 5": also cpm_pf with these commit_delay values (ms)
# before the shipped cfg's, each its own instance, one after the other
for _d in ${BENCH_STORE_DELAYS:-}; do
	KAM_EXTRA="-A PF_STORE_MAX=1000000 -A PF_COMMIT_DELAY=$_d" store_run "cpm_pf_d$_d" "$TOP/cfg/kamailio.cfg"
	eval "kill -TERM \$KPID_cpm_pf_d$_d" 2>/dev/null
done
# BENCH_STORE_BEFORE=<dir>: also cpm_pf as another checkout with its
# modules built (e.g. `git archive` of an older commit) has it, its cfg
# and its cpm_pf.so, before this one: before/after in the same run
if [ -n "${BENCH_STORE_BEFORE:-}" ]; then
	_mp=$MPATH
	MPATH="$KMODDIR:$BENCH_STORE_BEFORE/modules"
	KAM_EXTRA="-A PF_STORE_MAX=1000000" store_run cpm_pf_before "$BENCH_STORE_BEFORE/cfg/kamailio.cfg"
	kill -TERM "$KPID_cpm_pf_before" 2>/dev/null
	MPATH=$_mp
fi
# BENCH_STORE_TM=1: cpm_pf as before store_stateless (a tm transaction
# suspended per store), the same cfg otherwise
if [ "${BENCH_STORE_TM:-0}" = 1 ]; then
	KAM_EXTRA="-A PF_STORE_MAX=1000000 -A PF_STORE_STATELESS=0" store_run cpm_pf_tm "$TOP/cfg/kamailio.cfg"
	kill -TERM "$KPID_cpm_pf_tm" 2>/dev/null
fi
KAM_EXTRA="-A PF_STORE_MAX=1000000" store_run cpm_pf "$TOP/cfg/kamailio.cfg"

deliver_run cpm_pf cpm_store

if [ "${BENCH_STORE_PG:-0}" = 1 ]; then
	kill -TERM "$KPID_cpm_pf" 2>/dev/null
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -x "$PG_BIN/initdb" ] && [ "$(id -u)" = 0 ] || die "BENCH_STORE_PG: needs root and PostgreSQL (mk/deps.sh)"
	# not inside RUNDIR (mode 700): the postgres user must reach it
	PG_DIR=$(mktemp -d /tmp/cpm-bench-pg.XXXXXX)
	chown postgres "$PG_DIR"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust >"$PG_DIR/initdb.log" 2>&1 &&
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
			-o "-k $PG_DIR -c listen_addresses=''" start >/dev/null || die "PostgreSQL did not start"
	PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
	PGHOST=$PG_DIR
	export PGHOST
	echo "the same on PostgreSQL $("$PG_BIN/postgres" -V | sed -n 's/^[^0-9]*\([0-9.]*\).*/\1/p') (db_postgres, unix socket, default server settings):"
	BENCH_DBURL="postgres://postgres@/postgres" KAM_EXTRA="-A PF_STORE_MAX=1000000" \
		store_run cpm_pf_pg "$TOP/cfg/kamailio.cfg"
	deliver_run cpm_pf_pg cpm_store
fi
exit 0
