#!/bin/sh
# Group session set-up rate and shared memory per live group session and
# per participant (issue 7 "Benchmarks"; cpm_cf pre-defined group sessions,
# docs/cpm_cf.md "Pre-defined group sessions").
#
#   sh tests/bench/cf_session.sh
#
# One Kamailio with cfg/kamailio.cfg (cpm_cf, its writer process included).
# N pre-defined groups of 5 (bench-alice + m1..m4, policy: members start,
# join, invite-members) and N groups of 2 (bench-alice + m1).  bench-alice
# starts one session per group from a trusted peer's address
# (sipp/bench_cf_group_uac.xml, P-Asserted-Identity, no challenge): the CF
# answers 200 and invites the other members as UAC through the proxy (their
# terminating PF, usrloc) to one sipp sink (sipp/bench_cf_uas.xml) where
# m1..m4 are registered, which answers 200; tm ACKs.  A session is "set up"
# when the initiator has its 200 and every invitee's 200 has been ACKed.
#
# Set-up rate: sessions per Kamailio CPU-second (utime + stime of all its
# processes, /proc) from before the load until the sink has answered every
# invitation.  Memory: `core.shmmem` used before and after the N sessions
# (live: nothing ends them), 10 s after the load so tm's transactions are
# gone: per session of 5 and of 2, per participant = the difference / 3.
#
# Environment: BENCH_CF_SESSIONS [1000] per size, BENCH_CF_RATE [100]
# sessions per second, SHM_MB [1024], PKG_MB [16], KEEP=1.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/bench/lib.sh"
. "$TOP/tests/ports.sh"

N=${BENCH_CF_SESSIONS:-1000}
RATE=${BENCH_CF_RATE:-100}
SHM_MB=${SHM_MB:-1024}
PKG_MB=${PKG_MB:-16}
KMODDIR=$(sh "$TOP/mk/kmoddir.sh") || exit 2
MPATH="$KMODDIR:$TOP/modules"
SIPP_DIR=$TOP/sipp
HZ=$(getconf CLK_TCK)
RUNDIR=$(mktemp -d /tmp/cpm-cfsess.XXXXXX)
PIDS=""
PORT_BASE=$((42000 + ($$ % 1000) * 16))
PORTS_FILE=$RUNDIR/ports

cleanup() { bench_cleanup 150; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

log() { echo "$*" | tee -a "$RUNDIR/cf_session.log"; }
die() { echo "bench-cf-session: $*" >&2; exit 1; }

command -v sipp >/dev/null || die "sipp not found (make deps)"

KDIR=$RUNDIR/kam
KPORT=$(next_port)
# room for 2 N sessions beside any default
KAM_EXTRA="-A CF_MAX_SESSIONS=$((2 * N + 10))" kam_start "$KDIR" "$TOP/cfg/kamailio.cfg" "$KPORT"
kam_wait_ready "$KDIR" "$KPID" 300
KCTL="kamcmd -s unix:$KDIR/kamailio_ctl"
DB=$KDIR/usrloc.sqlite

{
	echo "bench-alice pw-bench-alice"
	for i in 1 2 3 4; do echo "m$i pw-m$i"; done
} >"$RUNDIR/users.txt"
sh "$TOP/mk/provision.sh" "$DB" 127.0.0.1 "$RUNDIR/users.txt" >/dev/null || die "provisioning failed"
# policy 268: members start (0x8), join (0x4), the CF invites them (0x100)
{
	echo "BEGIN;"
	for size in 5 2; do
		i=1
		while [ $i -le "$N" ]; do
			g="sip:g${size}x$i@127.0.0.1"
			echo "INSERT INTO cpm_group (uri, display_name, max_participants, policy) VALUES ('$g', '', 0, 268);"
			echo "INSERT INTO cpm_group_member (group_uri, uri) VALUES ('$g', 'sip:bench-alice@127.0.0.1');"
			m=1
			while [ $m -lt "$size" ]; do
				echo "INSERT INTO cpm_group_member (group_uri, uri) VALUES ('$g', 'sip:m$m@127.0.0.1');"
				m=$((m + 1))
			done
			i=$((i + 1))
		done
	done
	echo "COMMIT;"
} | sqlite3 "$DB" || die "groups"
$KCTL cpm_cf.group_reload >/dev/null || die "group_reload"

SINK_PORT=$(next_port)
sipp -sf "$SIPP_DIR/bench_cf_uas.xml" -nostdin -i 127.0.0.1 -p "$SINK_PORT" \
	-l 400000 -trace_stat -stf "$RUNDIR/sink.csv" -fd 1 -trace_err \
	-error_file "$RUNDIR/sink.err" >"$RUNDIR/sink.out" 2>&1 &
SINK_PID=$!
PIDS="$PIDS $SINK_PID"
for i in 1 2 3 4; do
	sipp -sf "$SIPP_DIR/register.xml" -nostdin -i 127.0.0.1 -p "$(next_port)" -m 1 \
		-au "m$i" -ap "pw-m$i" -timeout 20s -timeout_error -key user "m$i" \
		-key contact_port "$SINK_PORT" -key expires 3600 \
		"127.0.0.1:$KPORT" >"$RUNDIR/register.out" 2>&1 || die "REGISTER of m$i failed"
done

sink_ok() { # the sink's successful calls (INVITE answered, ACK received)
	awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ n = $col["SuccessfulCall(C)"] } END { printf "%d\n", n }' "$RUNDIR/sink.csv"
}
shm_used() { $KCTL core.shmmem | awk '$1 == "used:" { print $2 }'; }
# live sessions: the rows the CF's writer keeps (the RPC's reply is too big
# for kamcmd with thousands of sessions)
sessions() { sqlite3 "$DB" "SELECT count(*) FROM cpm_cf_session"; }

log "== cpm_cf pre-defined group sessions: set-up rate and shared memory"
log "   $(nproc) CPUs, $(uname -r), $(kamailio -v 2>/dev/null | head -n 1 | cut -c1-60)"
log "   $N sessions per size at $RATE/s, -x ${KAM_MEM:-qm} -m $SHM_MB -M $PKG_MB, cfg/kamailio.cfg"
log "   size  sessions  set_up  failed  cpu_s  sessions/cpu_s  shm_bytes/session"
for size in 5 2; do
	inf=$RUNDIR/groups$size.csv
	{
		echo SEQUENTIAL
		i=1
		while [ $i -le "$N" ]; do echo "g${size}x$i;"; i=$((i + 1)); done
	} >"$inf"
	sleep 3
	before=$(sink_ok)
	s0=$(sessions)
	m0=$(shm_used)
	c0=$(kam_cpu "$KPID")
	sipp -sf "$SIPP_DIR/bench_cf_group_uac.xml" -nostdin -i "$BENCH_PEER_IP" \
		-p "$(next_port)" -inf "$inf" -r "$RATE" -m "$N" -l "$N" \
		-recv_timeout 10000 -timeout $((N / RATE * 3 + 60))s \
		-trace_stat -stf "$RUNDIR/uac.$size.csv" -fd 1 \
		-trace_err -error_file "$RUNDIR/uac.$size.err" \
		"127.0.0.1:$KPORT" >"$RUNDIR/uac.$size.out" 2>&1
	want=$((before + N * (size - 1)))
	_w=0
	while [ "$(sink_ok)" -lt "$want" ] && [ $_w -lt 300 ]; do
		sleep 0.2
		_w=$((_w + 1))
	done
	c1=$(kam_cpu "$KPID")
	set -- $(sipp_summary "$RUNDIR/uac.$size.csv" "$N")
	ok=$1 failed=$2
	sleep 10 # tm's wait timer: the transactions' memory is freed
	m1=$(shm_used)
	s1=$(sessions)
	live=$((s1 - s0))
	cpu=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')
	per=$(awk -v d="$ok" -v c="$cpu" 'BEGIN { if (c > 0) printf "%.0f", d / c; else print "-" }')
	mem=$(awk -v a="$m0" -v b="$m1" -v n="$live" 'BEGIN { if (n > 0) printf "%.0f", (b - a) / n; else print "-" }')
	eval "MEM_$size=$mem"
	log "$(printf '   %4d  %8d  %6d  %6d  %5s  %14s  %17s' "$size" "$live" "$ok" "$failed" "$cpu" "$per" "$mem")"
done
log "   shm per participant (sessions of 5 - of 2) / 3: $(awk -v a="$MEM_5" -v b="$MEM_2" 'BEGIN { printf "%.0f", (a - b) / 3 }') bytes"
log "   sink answered $(sink_ok) invitations"
