#!/bin/sh
# Starts the real Kamailio with tests/integration/test.cfg (cfg/kamailio.cfg
# included byte for byte, plus the test hooks) and the project's modules on
# a free loopback port in a temporary runtime folder, sources every
# tests/integration/t_*.sh (see lib.sh for what they may use), stops every
# process it started (also on failure or Ctrl-C) and prints TAP lines.
#
# Runs beside `make run` and beside another checkout's tests: nothing here
# uses a fixed port or a shared folder.  KEEP=1 keeps the runtime folder.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)

# As root, run inside a network namespace of our own that holds nothing but
# loopback: ports cannot clash with `make run` or another checkout's tests,
# and the torture messages (whose Via hosts are 192.0.2.x and the like) can
# be answered without a packet leaving the machine.
if [ -z "${CPM_IN_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
	NS="cpm-it-$$"
	# Some sandboxes (a chroot, a container) let `ip netns add` pass but
	# not `ip netns exec`: then run on the host's loopback instead.
	if ip netns add "$NS" 2>/dev/null &&
		ip netns exec "$NS" true 2>/dev/null; then
		trap 'ip netns del "$NS" 2>/dev/null' EXIT
		trap 'exit 130' INT TERM
		ip netns exec "$NS" env CPM_IN_NETNS="$NS" sh -c \
			'ip link set lo up && exec sh "$0" "$@"' "$0" "$@"
		exit $?
	fi
	ip netns del "$NS" 2>/dev/null
	echo "# no network namespace here: testing on the host's loopback" >&2
fi
SIPP_DIR=$TOP/sipp
RUNDIR=$(mktemp -d /tmp/cpm-it.XXXXXX)
KLOG=$RUNDIR/kamailio.log
KPID=""
# A base port per run, so two runs at once rarely probe the same ports.
PORT_BASE=$((20000 + ($$ % 2000) * 16))

. "$TOP/tests/integration/lib.sh"

cleanup() {
	if [ -f "$RUNDIR/sipp.pids" ]; then
		while read -r p; do kill "$p" 2>/dev/null; done <"$RUNDIR/sipp.pids"
	fi
	if [ -n "$KPID" ] && kill -0 "$KPID" 2>/dev/null; then
		kill -TERM "$KPID" 2>/dev/null
		_i=0
		while kill -0 "$KPID" 2>/dev/null && [ $_i -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		kill -KILL "$KPID" 2>/dev/null
		pkill -KILL -P "$KPID" 2>/dev/null
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "# kept $RUNDIR" >&2
	else
		rm -rf "$RUNDIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PROXY_PORT=$(next_port)
sh "$TOP/mk/dbinit.sh" "$RUNDIR/cpm.sqlite" || exit 2
provision_db "$RUNDIR/cpm.sqlite" || exit 2

CFG=${CFG:-$TOP/tests/integration/test.cfg}
# Kamailio's default allocator (qm), not the tlsf that `make run` uses: in
# 5.6 only qm and fm publish the per-process pkg figures (SREV_PKG_UPDATE_STATS)
# that t_leak.sh reads; tlsf leaves pkg.stats frozen at start-up values.
/usr/sbin/kamailio -f "$CFG" -DD -E -m 64 -M 8 -x qm \
	-L "/usr/lib/x86_64-linux-gnu/kamailio/modules:$TOP/modules" \
	-Y "$RUNDIR" -P "$RUNDIR/kamailio.pid" \
	-A "SIP_PORT=$PROXY_PORT" \
	-A "DBURL=\"sqlite://$RUNDIR/cpm.sqlite\"" \
	-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" \
	>"$KLOG" 2>&1 &
KPID=$!

# Ready when the control socket answers.
_i=0
until kamcmd -s "unix:$RUNDIR/kamailio_ctl" core.uptime >/dev/null 2>&1; do
	_i=$((_i + 1))
	if [ $_i -gt 100 ] || ! kill -0 "$KPID" 2>/dev/null; then
		echo "not ok - kamailio starts with $(basename "$CFG")"
		tail -n 40 "$KLOG" >&2
		exit 1
	fi
	sleep 0.1
done
echo "ok - kamailio starts with $(basename "$CFG")"

for t in "$TOP"/tests/integration/t_*.sh; do
	echo "# $(basename "$t")"
	. "$t"
done

# Nothing may have crashed under the tests.
check "kamailio still running after all cases" kill -0 "$KPID"
# ... nor in the instances the cases started (start_instance, startup tests).
check "no crash or memory error in any kamailio log" \
	sh -c "! grep -E 'signal 11|SIGSEGV|SIGABRT|core dumped|BUG:|double free|freeing already freed' '$KLOG' '$RUNDIR'/*/kamailio.log '$RUNDIR'/startup-*.log 2>/dev/null"
