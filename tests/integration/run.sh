#!/bin/sh
# Starts the real Kamailio with tests/integration/test.cfg (cfg/kamailio.cfg
# included byte for byte, plus the test hooks) and the project's modules on
# a free loopback port in a temporary runtime folder, sources every
# tests/integration/t_*.sh (see lib.sh for what they may use), stops every
# process it started (also on failure or Ctrl-C) and prints TAP lines.
#
# Runs beside `make run` and beside another checkout's tests: nothing here
# uses a fixed port or a shared folder.  KEEP=1 keeps the runtime folder.
#
# Exits 0 only when every line printed was "ok": a "not ok", a case file that
# ran more or fewer checks than its plan, a run that stopped early, a crash
# logged by any Kamailio the run started each make it exit 1.
#
#   CASES="t_relay t_torture" sh tests/integration/run.sh   runs only those
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
KMODDIR=$(sh "$TOP/mk/kmoddir.sh") || exit 2
# tests/tools/bin/sipsend (t_torture.sh): built here too, for a run alone.
make -s --no-print-directory -C "$TOP/tests/tools" all >&2 || exit 2
SIPP_DIR=$TOP/sipp
RUNDIR=$(mktemp -d /tmp/cpm-it.XXXXXX)
KLOG=$RUNDIR/kamailio.log
KPID=""
# A base port per run, so two runs at once rarely probe the same ports.
PORT_BASE=$((20000 + ($$ % 2000) * 16))
DONE=0
CASE=""

. "$TOP/tests/integration/lib.sh"
: >"$RUNDIR/tap"
kamailio_log "$KLOG"

cleanup() {
	_rc=$?
	if [ "$DONE" != 1 ]; then
		_tap "not ok - integration run ended early${CASE:+ in $CASE}"
		_rc=1
	fi
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
	exit "$_rc"
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
	-L "$KMODDIR:$TOP/modules" \
	-Y "$RUNDIR" -P "$RUNDIR/kamailio.pid" \
	-A "SIP_PORT=$PROXY_PORT" \
	-A "DBURL=\"sqlite://$RUNDIR/cpm.sqlite\"" \
	-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" \
	-A "CF_GROUPS_FILE=\"$TOP/cfg/demo-groups.xml\"" \
	>"$KLOG" 2>&1 &
KPID=$!

# Ready when the control socket answers.
_i=0
until kamcmd -s "unix:$RUNDIR/kamailio_ctl" core.uptime >/dev/null 2>&1; do
	_i=$((_i + 1))
	if [ $_i -gt 100 ] || ! kill -0 "$KPID" 2>/dev/null; then
		fail "kamailio starts with $(basename "$CFG")" "see the log below"
		tail -n 40 "$KLOG" >&2
		DONE=1
		exit 1
	fi
	sleep 0.1
done
_tap "ok - kamailio starts with $(basename "$CFG")"

for t in "$TOP"/tests/integration/t_*.sh; do
	CASE=$(basename "$t" .sh)
	if [ -n "${CASES:-}" ]; then
		case " $CASES " in *" $CASE "*) ;; *) continue ;; esac
	fi
	echo "# $CASE"
	begin_plan
	. "$t"
	end_plan "$CASE"
done
CASE=""

# Nothing may have crashed under the tests: the main instance still runs,
# and no log of any Kamailio the run started (main, start_instance, the
# start-up cases; each registered by kamailio_log) holds a crash line.
check "kamailio still running after all cases" kill -0 "$KPID"
# shellcheck disable=SC2046
check "no crash or memory error in the $(wc -l <"$RUNDIR/klogs") kamailio logs of the run" \
	crash_scan $(cat "$RUNDIR/klogs")

DONE=1
if grep -q '^not ok' "$RUNDIR/tap"; then
	exit 1
fi
exit 0
