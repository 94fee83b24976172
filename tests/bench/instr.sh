#!/bin/sh
# Instructions per MESSAGE of the CPM path against a plain t_relay() proxy,
# counted by valgrind's callgrind (deterministic, unlike CPU time on a
# shared VM).  Run by tests/bench/run.sh after the throughput part; runs
# alone as well:  sh tests/bench/instr.sh
#
# Each path (cfg/bench-relay.cfg, cfg/kamailio.cfg, and cfg/kamailio.cfg with
# recording on: -A PF_RECORD=1) runs twice, all Kamailios at once, each under
#   valgrind --tool=callgrind --trace-children=yes --zero-before=<fork hook>
# with the cfg, -A defines and -m/-M of run.sh.  All are registered and
# get BENCH_INSTR_WARMUP MESSAGEs at 10/s (so that valgrind has translated
# the code before the load; a first MESSAGE through a worker takes long
# enough to be retransmitted).  Then the "load" instance of each path gets
# N MESSAGEs (sipp/bench_uac_message.xml, at a rate low enough that sipp
# retransmits nothing under valgrind) and the "idle" one none; all four are
# stopped (SIGTERM) N/rate + BENCH_INSTR_SETTLE seconds after the warm-up, so
# start-up, REGISTER, warm-up and timer ticks cancel:
#   instructions per MESSAGE = (Ir(load) - Ir(idle)) / N
# with Ir summed over the main process and all its forked children (each
# writes its own callgrind file, cg.<pid>).  Kamailio forks without exec and
# a forked child would carry the parent's count: --zero-before on
# daemon_status_on_fork_cleanup (called only in a new child, right after
# fork()) makes each child count only its own work.  The same subtraction per
# function (callgrind_annotate) splits the figure into the memory manager
# (qm_*/fm_*/tlsf_* self cost) and the rest, and gives the cpm_headers
# functions' inclusive cost per MESSAGE.  Needs valgrind; about 40 s.
#
# Environment (defaults in brackets):
#   BENCH_INSTR_MESSAGES [2000]  MESSAGEs to each load instance
#   BENCH_INSTR_RATE     [100]   MESSAGE/s to each load instance
#   BENCH_INSTR_WARMUP   [40]    warm-up MESSAGEs to every instance
#   BENCH_INSTR_SETTLE   [7]     seconds after the last MESSAGE before the
#                                stop (tm's 5-s wait timer frees the
#                                transactions in that time)
#   BENCH_INSTR_MEM      [qm]    Kamailio memory manager (-x): qm (Kamailio's
#                                default, as in the throughput part), fm, tlsf
#   BENCH_PATHS [relay cpm cpmrec], RELAY_CFG, CPM_CFG, SHM_MB [1024],
#                                PKG_MB [16] as in run.sh; cpmrec is CPM_CFG
#                                with -A PF_RECORD=1 (recording on)
#   KEEP=1                       keep /tmp/cpm-instr.* (callgrind files, logs)
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/bench/lib.sh"
. "$TOP/tests/ports.sh"

MSGS=${BENCH_INSTR_MESSAGES:-2000}
RATE=${BENCH_INSTR_RATE:-100}
SETTLE=${BENCH_INSTR_SETTLE:-7}
WARM=${BENCH_INSTR_WARMUP:-40}
WARM_RATE=10
MEM=${BENCH_INSTR_MEM:-qm}
PATHS=${BENCH_PATHS:-relay cpm cpmrec}
SHM_MB=${SHM_MB:-1024}
PKG_MB=${PKG_MB:-16}
RELAY_CFG=${RELAY_CFG:-$TOP/cfg/bench-relay.cfg}
CPM_CFG=${CPM_CFG:-$TOP/cfg/kamailio.cfg}
KMODDIR=$(sh "$TOP/mk/kmoddir.sh") || exit 2
MPATH="$KMODDIR:$TOP/modules"
SIPP_DIR=$TOP/sipp
FORK_HOOK=daemon_status_on_fork_cleanup
RUNDIR=$(mktemp -d /tmp/cpm-instr.XXXXXX)
PIDS=""
PORT_BASE=$((30000 + ($$ % 1500) * 16 + 8))
PORTS_FILE=$RUNDIR/ports
T0=$(date +%s)

cleanup() { bench_cleanup 150; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

log() { echo "$*" | tee -a "$RUNDIR/instr.log"; }
die() { echo "bench-instr: $*" >&2; exit 1; }

command -v valgrind >/dev/null || die "valgrind not found (apt-get install valgrind)"
command -v sipp >/dev/null || die "sipp not found (make deps)"
command -v kamcmd >/dev/null || die "kamcmd not found"
nm -D /usr/sbin/kamailio | grep -q " T $FORK_HOOK\$" ||
	die "/usr/sbin/kamailio exports no $FORK_HOOK (needed to zero counts at fork)"

# start <inst> <cfg> <port> [-A defines]: a Kamailio under callgrind; sets KPID
start() {
	mkdir -p "$RUNDIR/$1/cg"
	KAM_EXTRA="${4:-}" KAM_MEM=$MEM kam_start "$RUNDIR/$1" "$2" "$3" \
		valgrind --tool=callgrind --trace-children=yes \
		--zero-before="$FORK_HOOK" \
		--callgrind-out-file="$RUNDIR/$1/cg/cg.%p" \
		--log-file="$RUNDIR/$1/valgrind.%p.log"
}

# ready <inst> <pid>: start-up under valgrind takes seconds
ready() { kam_wait_ready "$RUNDIR/$1" "$2" 600; }

# Ir summed over the callgrind files of an instance
ir_sum() {
	cat "$RUNDIR/$1"/cg/cg.* 2>/dev/null |
		awk '/^summary:/ { s += $2; n++ } END { printf "%d %d\n", s, n }'
}

UAS_PORT=$(next_port)
sipp -sf "$SIPP_DIR/bench_uas.xml" -nostdin -i 127.0.0.1 -p "$UAS_PORT" \
	-l 200000 -trace_err -error_file "$RUNDIR/uas.err" \
	>"$RUNDIR/uas.out" 2>&1 &
PIDS="$PIDS $!"

INSTS=""
for path in $PATHS; do
	extra=""
	case "$path" in
	relay) cfg=$RELAY_CFG ;;
	cpm) cfg=$CPM_CFG ;;
	# the CPM path with recording on (cpm_pf, seed 4.1): both roles of
	# every MESSAGE recorded, the writer process's inserts counted too
	cpmrec) cfg=$CPM_CFG extra="-A PF_RECORD=1" ;;
	*) die "unknown path $path (relay, cpm, cpmrec)" ;;
	esac
	for kind in idle load; do
		port=$(next_port)
		start "$path.$kind" "$cfg" "$port" "$extra"
		eval "PORT_${path}_$kind=$port PID_${path}_$kind=$KPID"
		INSTS="$INSTS $path.$kind"
	done
done

log "== instructions per MESSAGE, memory manager $MEM (callgrind; $MSGS MESSAGEs at $RATE/s per path, idle twin subtracted)"
for inst in $INSTS; do
	eval "_pid=\$PID_$(echo "$inst" | tr . _)"
	ready "$inst" "$_pid"
done
log "  started under valgrind in $(($(date +%s) - T0)) s"
sleep 2
for inst in $INSTS; do
	eval "_port=\$PORT_$(echo "$inst" | tr . _)"
	rport=$(next_port)
	sipp -sf "$SIPP_DIR/register.xml" -nostdin -i 127.0.0.1 -p "$rport" -m 1 \
		-au bench-bob -ap "$BENCH_BOB_PW" \
		-timeout 20s -timeout_error -key user bench-bob \
		-key contact_port "$UAS_PORT" -key expires 3600 \
		"127.0.0.1:$_port" >"$RUNDIR/$inst/register.out" 2>&1 ||
		die "REGISTER of bench-bob through $inst failed"
done
# warm-up: WARM MESSAGEs to every instance, idle ones too, so that valgrind
# has translated the MESSAGE path in the workers before the load (the first
# messages through a worker are slow enough to be retransmitted)
UACS=""
for inst in $INSTS; do
	eval "_port=\$PORT_$(echo "$inst" | tr . _)"
	uport=$(next_port)
	sipp -sf "$SIPP_DIR/bench_uac_message.xml" -nostdin -i "$BENCH_PEER_IP" \
		-p "$uport" -key to_user bench-bob -r "$WARM_RATE" -m "$WARM" \
		-recv_timeout 10000 -timeout 60s \
		"127.0.0.1:$_port" >"$RUNDIR/$inst/warmup.out" 2>&1 &
	UACS="$UACS $!"
	PIDS="$PIDS $!"
done
for p in $UACS; do wait "$p" || die "warm-up MESSAGEs failed (see $RUNDIR/*/warmup.out)"; done
TREG=$(date +%s)
WINDOW=$(((MSGS + RATE - 1) / RATE + SETTLE))

UACS=""
for path in $PATHS; do
	eval "_port=\$PORT_${path}_load"
	uport=$(next_port)
	sipp -sf "$SIPP_DIR/bench_uac_message.xml" -nostdin -i "$BENCH_PEER_IP" \
		-p "$uport" -key to_user bench-bob \
		-r "$RATE" -m "$MSGS" -l "$MSGS" \
		-recv_timeout 10000 -timeout $((MSGS / RATE * 3 + 30))s \
		-trace_stat -stf "$RUNDIR/$path.load/uac.csv" -fd 1 \
		-trace_err -error_file "$RUNDIR/$path.load/uac.err" \
		"127.0.0.1:$_port" >"$RUNDIR/$path.load/uac.out" 2>&1 &
	UACS="$UACS $!"
	PIDS="$PIDS $!"
done
for p in $UACS; do wait "$p"; done
_el=$(($(date +%s) - TREG))
if [ "$_el" -lt "$WINDOW" ]; then
	sleep $((WINDOW - _el))
else
	log "  WARNING: the load took ${_el}s, longer than the ${WINDOW}s window: lower BENCH_INSTR_RATE"
fi

# stop every Kamailio the same way; callgrind writes a file per process
for inst in $INSTS; do
	eval "_pid=\$PID_$(echo "$inst" | tr . _)"
	kill -TERM "$_pid"
done
for inst in $INSTS; do
	eval "_pid=\$PID_$(echo "$inst" | tr . _)"
	_i=0
	while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -0 "$_pid" 2>/dev/null && die "kamailio $inst did not stop on SIGTERM"
done
log "  stopped ${WINDOW}s after the warm-up, $(($(date +%s) - T0)) s after the start"

# fn_costs <inst> <yes|no>: "<Ir>\t<function>" summed over the callgrind
# files of an instance, inclusive or self cost
fn_costs() {
	for _f in "$RUNDIR/$1"/cg/cg.*; do
		callgrind_annotate --auto=no --inclusive="$2" --threshold=100 "$_f" 2>/dev/null
	done | awk '/^ *[0-9,]+ +\([ 0-9.]+%\)  / && !/PROGRAM TOTALS/ {
		n = $1; gsub(",", "", n); sub(/^ *[0-9,]+ +\([ 0-9.]+%\)  /, "")
		c[$0] += n } END { for (k in c) printf "%d\t%s\n", c[k], k }'
}

# per_msg <path> <yes|no>: "<Ir per MESSAGE>\t<function>", load minus idle
per_msg() {
	eval "_ok=\$OK_$1"
	fn_costs "$1.idle" "$2" >"$RUNDIR/$1.idle.fn.$2"
	fn_costs "$1.load" "$2" >"$RUNDIR/$1.load.fn.$2"
	awk -F'\t' -v n="$_ok" 'FNR == NR { idle[$2] = $1; next }
		{ printf "%d\t%s\n", ($1 - idle[$2]) / n, $2 }' \
		"$RUNDIR/$1.idle.fn.$2" "$RUNDIR/$1.load.fn.$2" | sort -t"$(printf '\t')" -k1,1nr
}

for path in $PATHS; do
	set -- $(sipp_summary "$RUNDIR/$path.load/uac.csv" "$MSGS")
	ok=${1:-0} fail=${2:-0} retr=${4:-0}
	set -- $(ir_sum "$path.idle")
	ir_idle=$1 n_idle=$2
	set -- $(ir_sum "$path.load")
	ir_load=$1 n_load=$2
	per=$(awk -v a="$ir_load" -v b="$ir_idle" -v n="$ok" 'BEGIN { if (n > 0) printf "%d", (a - b) / n; else print 0 }')
	eval "IPM_$path=$per OK_$path=$ok"
	log "$(printf '  %-5s  ok %5d  failed %d  retrans %d  Ir load %11d  idle %10d  (%d+%d processes)  Ir/MESSAGE %8d' \
		"$path" "$ok" "$fail" "$retr" "$ir_load" "$ir_idle" "$n_load" "$n_idle" "$per")"
	[ "$fail" = 0 ] && [ "$retr" = 0 ] && [ "$ok" = "$MSGS" ] ||
		log "  WARNING: $path lost or retransmitted MESSAGEs: the figure counts the extra work; lower BENCH_INSTR_RATE"
	[ "$n_load" = "$n_idle" ] || log "  WARNING: $path: load and idle wrote different numbers of callgrind files"
	[ "$path" = cpmrec ] &&
		log "  cpmrec: $(sqlite3 "$RUNDIR/cpmrec.load/usrloc.sqlite" 'SELECT COUNT(*) FROM cpm_record;') rows in cpm_record (2 per MESSAGE expected: orig + term)"
done

# ir_writer <inst>: Ir of cpm_pf's DB writer process (the callgrind file
# naming the record insert, which only the writer runs; the batch loop
# itself is inlined), the rest is the SIP workers and the others
ir_writer() {
	for _f in "$RUNDIR/$1"/cg/cg.*; do
		grep -q 'record_exec' "$_f" && awk '/^summary:/ { print $2 }' "$_f"
	done | awk '{ s += $1 } END { printf "%d", s }'
}
case " $PATHS " in *" cpmrec "*)
	_w=$(awk -v a="$(ir_writer cpmrec.load)" -v b="$(ir_writer cpmrec.idle)" -v n="$OK_cpmrec" \
		'BEGIN { if (n > 0) printf "%d", (a - b) / n; else print 0 }')
	log "  cpmrec: of its Ir/MESSAGE, $_w in cpm_pf's DB writer process (the two INSERTs through db_sqlite), $((IPM_cpmrec - _w)) in the SIP workers and the rest"
	;;
esac

# the memory manager's share: Kamailio's default q_malloc walks its free
# hash bucket by bucket (qm_find_free, inlined in qm_malloc), so its cost
# per MESSAGE depends on how pkg and shm are fragmented, which differs
# between the cfgs and from run to run; the rest is stable to about 1%
for path in $PATHS; do
	per_msg "$path" no >"$RUNDIR/$path.self"
	_mm=$(awk -F'\t' '$2 ~ /^\?\?\?:(qm|fm|tlsf)_/ { s += $1 } END { printf "%d", s }' "$RUNDIR/$path.self")
	eval "MM_$path=$_mm NOMM_$path=\$((IPM_$path - _mm))"
done
case " $PATHS " in *" cpm "*) case " $PATHS " in *" cpmrec "*)
	log "$(awk -v a="$IPM_cpm" -v b="$IPM_cpmrec" -v c="$NOMM_cpm" -v d="$NOMM_cpmrec" 'BEGIN {
		printf "  recording on: %d Ir/MESSAGE (+%d over recording off, %+.1f%%; outside the memory manager +%d)",
			b, b - a, (a > 0) ? 100 * (b - a) / a : 0, d - c }')"
	;; esac ;;
esac
case " $PATHS " in *" relay "*) case " $PATHS " in *" cpm "*)
	log "$(printf '  %-34s %10s %10s %8s' '' 'relay' 'cpm' 'relay/cpm')"
	for _k in IPM NOMM MM; do
		case $_k in
		IPM) _l="Ir/MESSAGE" ;;
		NOMM) _l="  outside the memory manager" ;;
		MM) _l="  in the memory manager (${MEM}_*)" ;;
		esac
		eval "_a=\$${_k}_relay _b=\$${_k}_cpm"
		log "$(awk -v l="$_l" -v a="$_a" -v b="$_b" 'BEGIN {
			printf "  %-34s %10d %10d %8s", l, a, b, (b > 0) ? sprintf("%.3f", a / b) : "-" }')"
	done
	log "$(awk -v a="$IPM_relay" -v b="$IPM_cpm" -v c="$NOMM_relay" -v d="$NOMM_cpm" 'BEGIN {
		if (b > 0 && d > 0) printf "  CPM path at %.1f%% of plain relay efficiency (%.1f%% outside the memory manager)",
			100 * a / b, 100 * c / d }')"
	;; esac ;;
esac

# where the instructions go: self cost per MESSAGE of the top functions
# (all processes, load minus idle), and the cpm_headers functions inclusive
for path in $PATHS; do
	log "  $path: top functions, self Ir/MESSAGE:"
	awk -F'\t' -v tot="$(eval echo "\$IPM_$path")" '
		$1 < tot * 0.99 && n < 6 { sub(/ \[.*\]$/, "", $2); printf "    %8d  %s\n", $1, $2; n++ }' "$RUNDIR/$path.self" |
		tee -a "$RUNDIR/instr.log"
done
case " $PATHS " in *" cpm "*)
	log "  cpm: cpm_headers functions, inclusive Ir/MESSAGE:"
	per_msg cpm yes | awk -F'\t' '$2 ~ /cpm_headers\.so\]/ && $1 > 0 && n < 6 {
		sub(/ \[.*\]$/, "", $2); sub(/^.*modules\//, "", $2); printf "    %8d  %s\n", $1, $2; n++ }' |
		tee -a "$RUNDIR/instr.log"
	;;
esac
log "  ($(($(date +%s) - T0)) s)"
exit 0
