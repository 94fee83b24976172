#!/bin/sh
# `make bench`: Pager Mode MESSAGE cost of the CPM path against a plain
# t_relay() proxy, same machine, same run: throughput and Kamailio CPU here,
# then instructions per MESSAGE under callgrind (tests/bench/instr.sh).
#
#   (a) relay  cfg/bench-relay.cfg: cfg/kamailio.cfg with WITHOUT_CPM, i.e.
#              without the CPM modules: lookup("location") + t_relay()
#   (b) cpm    cfg/kamailio.cfg with the project's modules: the same, plus
#              cpm_check_headers() on every MESSAGE
#   The MESSAGE load comes from a trusted peer (127.0.0.2, with
#   P-Asserted-Identity, as from an S-CSCF; see tests/bench/lib.sh): the
#   trusted-peer path of the security model, not challenged.
#
# Both Kamailios run at once on free loopback ports (-m 1024), each with its
# own SQLite usrloc; one sipp UAS (sipp/bench_uas.xml) is registered as
# bench-bob in both.  sipp/bench_uac_message.xml sends a MESSAGE with the three
# CPM headers and a ~100-byte CPIM body.  For each path: steps of
# BENCH_STEP_SECONDS at rates START, START+INC, ... until a step fails, then
# BENCH_BISECT bisections; a step passes when under 0.1% of its calls failed,
# every call ended, and sipp kept the rate (all calls created within 105% of
# the step time + 1 s).  Then both paths run BENCH_CPU_REPEATS times
# alternately at one common rate while the Kamailio CPU time (utime+stime of
# the main process and all its children) is read before and after: messages
# per Kamailio CPU-second = successful MESSAGEs / CPU seconds.  Then, with
# these Kamailios stopped, tests/bench/instr.sh once per memory manager in
# BENCH_INSTR_MEMS (its settings: see that file).
#
# Environment (defaults in brackets):
#   BENCH_STEP_SECONDS [8]      length of a search step
#   BENCH_START_RATE   [2000]   first rate of the search (MESSAGE/s)
#   BENCH_RATE_INC     [2000]   increment of the upward search
#   BENCH_MAX_RATE     [15000]  upward search stops here
#   BENCH_BISECT       [2]      bisections after the first failed step
#   BENCH_CPU_RATE     [60% of the lower max, rounded down to 100]
#   BENCH_CPU_SECONDS  [8]      length of a CPU step
#   BENCH_CPU_REPEATS  [5]      CPU steps per path (median and best reported)
#   BENCH_GAP          [2]      seconds of rest after a search step (+5 after a failure)
#   BENCH_SETTLE       [6]      seconds after a CPU step before the CPU is read
#   BENCH_PATHS        [relay cpm]  which paths to run
#   BENCH_INSTR        [1]      0: skip the instruction count
#   BENCH_INSTR_MEMS   [qm tlsf]  memory managers of the instruction count
#   QUICK=1            3 s steps, 1 bisection, 1 CPU step of 3 s per path,
#                      500 MESSAGEs per instruction count (about 2.5 min in
#                      all; rates overstated)
#   CPM_CFG            cfg of path (b) [cfg/kamailio.cfg]
#   RELAY_CFG          cfg of path (a) [cfg/bench-relay.cfg]
#   SHM_MB [1024] PKG_MB [16]   Kamailio memory
#   BENCH_MEM          [tlsf]   Kamailio memory manager of the throughput part (-x;
#                               tlsf as in `make run`, qm is Kamailio's default)
#   BENCH_STORE        [1]      0: skip the deferred store vs msilo (issue 6,
#                               tests/bench/store.sh, about 1 min per rate)
#   BENCH_STORE_RATES  [200 1000 2000]  its rates (messages per second)
#   BENCH_CF           [1]      0: skip the cpm_cf benchmarks (issue 7), which run
#                               last: tests/bench/cf_fanout.sh (group MESSAGE
#                               fan-out vs imc, N = 2 10 50, about 2 min; its
#                               settings BENCH_FANOUT_* at its top, memory manager
#                               BENCH_MEM unless BENCH_FANOUT_MEM; instructions
#                               only with BENCH_FANOUT_INSTR=1, ~15 min more)
#                               and tests/bench/cf_session.sh (group session
#                               set-up and memory, about 1 min; BENCH_CF_*)
#   KEEP=1             keep the run folder (/tmp/cpm-bench.*) with all logs
#
# Runs beside `make run` and the tests: no fixed port, no shared folder.
# Every process it starts is stopped on exit (also on failure or Ctrl-C).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/bench/lib.sh"
. "$TOP/tests/ports.sh"

if [ "${QUICK:-0}" = 1 ]; then
	: "${BENCH_STEP_SECONDS:=3}" "${BENCH_BISECT:=1}"
	: "${BENCH_CPU_SECONDS:=3}" "${BENCH_CPU_REPEATS:=1}" "${BENCH_GAP:=1}"
	: "${BENCH_SETTLE:=6}" "${BENCH_INSTR_MESSAGES:=500}"
	export BENCH_INSTR_MESSAGES
fi
STEP_S=${BENCH_STEP_SECONDS:-8}
START_RATE=${BENCH_START_RATE:-2000}
RATE_INC=${BENCH_RATE_INC:-2000}
MAX_RATE=${BENCH_MAX_RATE:-15000}
BISECT=${BENCH_BISECT:-2}
CPU_S=${BENCH_CPU_SECONDS:-8}
CPU_REPEATS=${BENCH_CPU_REPEATS:-5}
GAP=${BENCH_GAP:-2}
SETTLE=${BENCH_SETTLE:-6}
PATHS=${BENCH_PATHS:-relay cpm}
SHM_MB=${SHM_MB:-1024}
KAM_MEM=${BENCH_MEM:-tlsf}
PKG_MB=${PKG_MB:-16}
RELAY_CFG=${RELAY_CFG:-$TOP/cfg/bench-relay.cfg}
CPM_CFG=${CPM_CFG:-$TOP/cfg/kamailio.cfg}
KMODDIR=$(sh "$TOP/mk/kmoddir.sh") || exit 2
MPATH="$KMODDIR:$TOP/modules"
SIPP_DIR=$TOP/sipp
HZ=$(getconf CLK_TCK)
RUNDIR=$(mktemp -d /tmp/cpm-bench.XXXXXX)
PIDS=""
UAC_PID=""
PORT_BASE=$((30000 + ($$ % 1500) * 16))
PORTS_FILE=$RUNDIR/ports
T0=$(date +%s)

cleanup() {
	[ -n "$UAC_PID" ] && kill -TERM "$UAC_PID" 2>/dev/null
	bench_cleanup 50
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

log() { echo "$*" | tee -a "$RUNDIR/bench.log"; }
die() { echo "bench: $*" >&2; exit 1; }

command -v sipp >/dev/null || die "sipp not found (make deps)"
command -v kamcmd >/dev/null || die "kamcmd not found"

CPM_LABEL=cpm
[ "$CPM_CFG" != "$TOP/cfg/kamailio.cfg" ] && CPM_LABEL="cpm($(basename "$CPM_CFG"))"

# start_kamailio <name> <cfg> <port>: sets KPID once it answers
start_kamailio() {
	_dir=$RUNDIR/$1
	kam_start "$_dir" "$2" "$3"
	kam_wait_ready "$_dir" "$KPID" 100
}

# One sipp UAS for both paths; bench-bob is registered at it in each proxy.
UAS_PORT=$(next_port)
sipp -sf "$SIPP_DIR/bench_uas.xml" -nostdin -i 127.0.0.1 -p "$UAS_PORT" \
	-l 200000 -trace_err -error_file "$RUNDIR/uas.err" \
	>"$RUNDIR/uas.out" 2>&1 &
PIDS="$PIDS $!"
_i=0
while ! ss -Hlnu "( sport = :$UAS_PORT )" | grep -q .; do
	_i=$((_i + 1))
	[ $_i -lt 100 ] || die "sipp UAS did not bind port $UAS_PORT"
	sleep 0.05
done

for path in $PATHS; do
	case "$path" in
	relay) cfg=$RELAY_CFG ;;
	cpm) cfg=$CPM_CFG ;;
	*) die "unknown path $path (relay, cpm)" ;;
	esac
	port=$(next_port)
	start_kamailio "$path" "$cfg" "$port"
	eval "PORT_$path=$port PID_$path=$KPID"
	rport=$(next_port)
	sipp -sf "$SIPP_DIR/register.xml" -nostdin -i 127.0.0.1 -p "$rport" -m 1 \
		-au bench-bob -ap "$BENCH_BOB_PW" \
		-timeout 10s -timeout_error -key user bench-bob \
		-key contact_port "$UAS_PORT" -key expires 3600 \
		"127.0.0.1:$port" >"$RUNDIR/$path/register.out" 2>&1 ||
		die "REGISTER of bench-bob through $path failed"
done

# step <path> <rate> <seconds> <settle>: one sipp UAC run; sets S_OK S_FAIL
# S_SEND S_RETR S_CPU (seconds) S_PASS (1/0) and logs one line.  The CPU
# time is read before the run and <settle> seconds after sipp ended, so that
# tm's deferred work on the step's transactions (wait timer, 5 s) is counted;
# an idle Kamailio uses no measurable CPU.
STEPNO=0
step() {
	STEPNO=$((STEPNO + 1))
	_path=$1 _rate=$2 _secs=$3 _settle=$4
	eval "_kport=\$PORT_$_path _kpid=\$PID_$_path"
	_calls=$((_rate * _secs))
	_uport=$(next_port)
	_pre=$RUNDIR/step$STEPNO.$_path.$_rate
	_c0=$(kam_cpu "$_kpid")
	sipp -sf "$SIPP_DIR/bench_uac_message.xml" -nostdin -i "$BENCH_PEER_IP" \
		-p "$_uport" -key to_user bench-bob \
		-r "$_rate" -rp 1000 -m "$_calls" -l $((_rate * 3)) \
		-recv_timeout 6000 -timeout $((_secs * 2 + 20))s \
		-trace_stat -stf "$_pre.csv" -fd 1 \
		-trace_err -error_file "$_pre.err" \
		"127.0.0.1:$_kport" >"$_pre.out" 2>&1 &
	UAC_PID=$!
	wait "$UAC_PID"
	UAC_PID=""
	sleep "$_settle"
	_c1=$(kam_cpu "$_kpid")
	# shellcheck disable=SC2046
	set -- $(sipp_summary "$_pre.csv" "$_calls")
	S_OK=${1:-0} S_FAIL=${2:-0} S_SEND=${3:-0} S_RETR=${4:-0}
	S_CPU=$(awk -v t=$((_c1 - _c0)) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
	S_PASS=$(awk -v ok="$S_OK" -v f="$S_FAIL" -v n="$_calls" -v s="$S_SEND" \
		-v T="$_secs" 'BEGIN {
			print (f * 1000 < n && ok + f >= n && s <= T * 1.05 + 1) ? 1 : 0 }')
	_mpc=$(awk -v ok="$S_OK" -v c="$S_CPU" 'BEGIN { if (c > 0) printf "%d", ok / c; else print "-" }')
	log "$(printf '  %-5s %6d/s x %2ds  ok %7d  failed %6d  sent in %5.1fs  retrans %6d  kam-cpu %6.2fs  msgs/cpu-s %6s  %s' \
		"$_path" "$_rate" "$_secs" "$S_OK" "$S_FAIL" "$S_SEND" "$S_RETR" "$S_CPU" "$_mpc" \
		"$([ "$S_PASS" = 1 ] && echo pass || echo FAIL)")"
	# after an overload, let the retransmissions die out before the next step
	[ "$S_PASS" = 1 ] || sleep 5
}

# search <path>: highest passing rate into MAX_<path>
search() {
	_lo=0 _hi=0 _r=$START_RATE
	while [ "$_r" -le "$MAX_RATE" ]; do
		step "$1" "$_r" "$STEP_S" "$GAP"
		if [ "$S_PASS" = 1 ]; then _lo=$_r; _r=$((_r + RATE_INC)); else _hi=$_r; break; fi
	done
	_n=0
	while [ "$_hi" -gt 0 ] && [ $_n -lt "$BISECT" ]; do
		_mid=$(((_lo + _hi) / 2 / 100 * 100))
		[ "$_mid" -le "$_lo" ] && break
		step "$1" "$_mid" "$STEP_S" "$GAP"
		if [ "$S_PASS" = 1 ]; then _lo=$_mid; else _hi=$_mid; fi
		_n=$((_n + 1))
	done
	eval "MAX_$1=$_lo HI_$1=$_hi"
}

log "kamailio-cpm bench: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), kernel $(uname -r)"
log "  $(/usr/sbin/kamailio -v | sed -n '1s/^version: \(kamailio [^ ]*\).*/\1/p'), $(sipp -v 2>&1 | grep -o 'SIPp v[0-9.]*' | head -n 1), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
log "  relay=$RELAY_CFG cpm=$CPM_CFG ($CPM_LABEL)"
log "== max sustained rate (< 0.1% failed; ${STEP_S}s steps)"
for path in $PATHS; do
	search "$path"
done

if [ -n "${BENCH_CPU_RATE:-}" ]; then
	CPU_RATE=$BENCH_CPU_RATE
else
	_min=""
	for path in $PATHS; do
		eval "_m=\$MAX_$path"
		if [ -z "$_min" ] || [ "$_m" -lt "$_min" ]; then _min=$_m; fi
	done
	CPU_RATE=$((_min * 6 / 10 / 100 * 100))
	[ "$CPU_RATE" -ge 100 ] || CPU_RATE=100
fi
log "== Kamailio CPU at $CPU_RATE/s (${CPU_S}s steps, paths alternating)"
for path in $PATHS; do : >"$RUNDIR/cpu.$path"; done
_k=0
while [ $_k -lt "$CPU_REPEATS" ]; do
	for path in $PATHS; do
		step "$path" "$CPU_RATE" "$CPU_S" "$SETTLE"
		echo "$S_OK $S_CPU $S_PASS" >>"$RUNDIR/cpu.$path"
	done
	_k=$((_k + 1))
done

# "<median> <best>" of msgs per CPU-second over the repeats; "!" marks a
# path with a failed CPU step (its figures are suspect)
cpu_median() {
	awk '{ v[NR] = ($2 > 0) ? $1 / $2 : 0; if ($3 != 1) bad = 1 }
	END {
		n = asort_(v, NR)
		printf "%d %d%s\n", (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2, s[NR], bad ? "!" : ""
	}
	function asort_(a, n,  i, j, t) {
		for (i = 1; i <= n; i++) s[i] = a[i]
		for (i = 2; i <= n; i++) for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
		return n
	}' "$1"
}

log "== result ($(($(date +%s) - T0)) s, loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
log "$(printf '  %-22s %16s %28s' path 'max sustained/s' "msgs/kam-CPU-s @$CPU_RATE/s")"
log "$(printf '  %-22s %16s %14s %13s' '' '' median best)"
for path in $PATHS; do
	eval "_m=\$MAX_$path _h=\$HI_$path"
	# shellcheck disable=SC2046
	set -- $(cpu_median "$RUNDIR/cpu.$path")
	eval "MPC_$path=$1 BEST_$path=${2%!}"
	[ "$_h" = 0 ] && _m=">=$_m"
	case $path in relay) _l="(a) relay t_relay()" ;; cpm) _l="(b) $CPM_LABEL" ;; esac
	log "$(printf '  %-22s %16s %14s %13s' "$_l" "$_m" "$1" "$2")"
done
case " $PATHS " in
*" relay "*) case " $PATHS " in *" cpm "*)
	log "$(awk -v ma="$MAX_relay" -v mb="$MAX_cpm" -v ca="$MPC_relay" -v cb="$MPC_cpm" \
		-v ba="$BEST_relay" -v bb="$BEST_cpm" 'BEGIN {
		printf "  %-22s %16s %14s %13s", "ratio b/a", (ma > 0) ? sprintf("%.2f", mb / ma) : "-",
			(ca > 0) ? sprintf("%.2f", cb / ca) : "-", (ba > 0) ? sprintf("%.2f", bb / ba) : "-" }')"
	;; esac ;;
esac
grep -lE 'signal 11|SIGSEGV|core dumped|BUG:|double free|freeing already freed' \
	"$RUNDIR"/*/kamailio.log >/dev/null 2>&1 && log "  WARNING: a kamailio log shows a crash or memory error"
for path in $PATHS; do
	eval "_kp=\$PID_$path"
	kill -0 "$_kp" 2>/dev/null || log "  WARNING: kamailio ($path) died during the run"
done

# what follows runs on a quiet machine: stop this part's processes
cleanup
trap - EXIT
PIDS=""
_rc=0
if [ "${BENCH_INSTR:-1}" = 1 ]; then
	export BENCH_PATHS="$PATHS" RELAY_CFG CPM_CFG SHM_MB PKG_MB
	for mem in ${BENCH_INSTR_MEMS:-qm tlsf}; do
		BENCH_INSTR_MEM=$mem sh "$TOP/tests/bench/instr.sh" || _rc=1
	done
fi
# issue 6 (cpm_pf): the deferred store against msilo's m_store() and the
# delivery on registration against m_dump(), at each rate of
# BENCH_STORE_RATES (tests/bench/store.sh; docs/benchmarks.md "Deferred
# store vs msilo"): 2000 messages at 200/s, 4000 at 1000/s, 6000 at 2000/s
if [ "${BENCH_STORE:-1}" = 1 ]; then
	for _r in ${BENCH_STORE_RATES:-200 1000 2000}; do
		case "$_r" in
		200) _n=2000 ;;
		1000) _n=4000 ;;
		*) _n=$((_r * 3)) ;;
		esac
		BENCH_STORE_RATE=$_r BENCH_STORE_N=${BENCH_STORE_N:-$_n} \
			sh "$TOP/tests/bench/store.sh" || _rc=1
	done
fi
# issue 7 (cpm_cf): group MESSAGE fan-out against imc (throughput; its
# instruction count only with BENCH_FANOUT_INSTR=1: ~15 min under
# callgrind), then the group session set-up rate and memory
if [ "${BENCH_CF:-1}" = 1 ]; then
	if [ "${QUICK:-0}" = 1 ]; then
		: "${BENCH_FANOUT_SECONDS:=3}" "${BENCH_CF_SESSIONS:=300}"
		export BENCH_FANOUT_SECONDS BENCH_CF_SESSIONS
	fi
	BENCH_FANOUT_MEM=${BENCH_FANOUT_MEM:-$KAM_MEM} sh "$TOP/tests/bench/cf_fanout.sh" || _rc=1
	if [ -f "$TOP/tests/bench/cf_session.sh" ]; then
		sh "$TOP/tests/bench/cf_session.sh" || _rc=1
	fi
fi
exit $_rc
