#!/bin/sh
# Self-test of the integration harness (tests/integration/lib.sh), run by
# tests/run.sh before the integration tests: the crash scan must fail on
# every line Kamailio, glibc or the kernel write when a process dies or
# memory is corrupted (texts from core/main.c and core/mem/*_malloc.c of
# Kamailio 5.6), on a missing log and on an empty log list, and pass on a
# clean log; the plan accounting must fail a file that runs fewer or more
# checks than planned or declares no plan, and count skips against the plan.
# Prints TAP lines; exits 1 when one is "not ok".  LIB=<file> tests another
# copy of lib.sh (a mutated one, to see this test fail).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
RUNDIR=$(mktemp -d /tmp/cpm-selftest.XXXXXX)
trap 'rm -rf "$RUNDIR"' EXIT
PORT_BASE=20000
. "${LIB:-$TOP/tests/integration/lib.sh}"

FAILED=0
st() { # st <name> <expected status 0|1> <cmd...>: one TAP line
	_n=$1 _want=$2
	shift 2
	"$@" >"$RUNDIR/st.out" 2>&1
	_rc=$?
	[ "$_rc" -gt 1 ] && _rc=2
	if [ "$_rc" = "$_want" ]; then
		echo "ok - harness: $_n"
	else
		echo "not ok - harness: $_n (status $_rc, wanted $_want)"
		sed 's/^/#   /' "$RUNDIR/st.out"
		FAILED=1
	fi
}

# A clean log, as a normal run and stop of Kamailio writes it.
CLEAN=$RUNDIR/clean.log
cat >"$CLEAN" <<'EOF'
 0(4242) INFO: <core> [main.c:2849]: main(): processes (at least): 9 - shm size: 67108864 - pkg size: 8388608
 1(4243) INFO: {1 1 MESSAGE 1-1@127.0.0.1} <script>: malformed request from 127.0.0.1:5061 dropped
 0(4242) INFO: <core> [main.c:848]: handle_sigs(): signal 15 received
 0(4242) INFO: <core> [main.c:854]: handle_sigs(): signal 2 received
 5(4247) ERROR: <core> [core/parser/parse_via.c:2709]: parse_via(): parse error, parsed so far:<SIP/>
 0(4242) NOTICE: <core> [main.c:1000]: child 11 of 12 ready
EOF
st "a clean log passes the crash scan" 0 crash_scan "$CLEAN"
st "no log at all fails the crash scan" 1 crash_scan
st "a missing log fails the crash scan" 1 crash_scan "$RUNDIR/nothere.log"
st "a missing log beside a clean one fails (grep exits 2)" 1 \
	crash_scan "$CLEAN" "$RUNDIR/nothere.log"

# One crafted log per line that must fail the scan; each one also beside a
# clean log, after a missing one.
i=0
while IFS= read -r line; do
	i=$((i + 1))
	cp "$CLEAN" "$RUNDIR/bad$i.log"
	echo "$line" >>"$RUNDIR/bad$i.log"
	st "crash line $i fails the scan: $(echo "$line" | cut -c1-60)" 1 \
		crash_scan "$CLEAN" "$RUNDIR/bad$i.log"
done <<'EOF'
 0(4242) ALERT: <core> [main.c:774]: handle_sigchld(): child process 4250 exited by a signal 11
 0(4242) ALERT: <core> [main.c:774]: handle_sigchld(): child process 4250 exited by a signal 6
 0(4242) ALERT: <core> [main.c:774]: handle_sigchld(): child process 4250 exited by a signal 7
 0(4242) ALERT: <core> [main.c:774]: handle_sigchld(): child process 4250 exited by a signal 8
 0(4242) ALERT: <core> [main.c:778]: handle_sigchld(): core was generated
 0(4242) ALERT: <core> [main.c:781]: handle_sigchld(): child process 4250 stopped by a signal 19
 0(4242) INFO: <core> [main.c:799]: handle_sigchld(): terminating due to SIGCHLD
 3(4245) CRITICAL: <core> [core/mem/q_malloc.c:514]: qm_free(): BUG: freeing already freed pointer (0x7f00), called from cpm_headers: cpm_hdr_msg.c: f(12), first free cpm_headers: cpm_hdr_msg.c: f(11) - aborting
 3(4245) CRITICAL: <core> [core/mem/q_malloc.c:123]: qm_debug_check_frag(): BUG: qm: fragm. 0x7f00 (address 0x7f10) beginning overwritten (0)! Memory allocator was called from x.c:1.
 3(4245) CRITICAL: <core> [core/mem/q_malloc.c:133]: qm_debug_check_frag(): BUG: qm: fragm. 0x7f00 (address 0x7f10) end overwritten (0, 0)! Memory allocator was called from x.c:1.
 3(4245) CRITICAL: <core> [core/mem/q_malloc.c:145]: qm_debug_check_frag(): BUG: qm: prev. fragm. tail overwritten(0, 0)[0x7f00:0x7f10]!
 3(4245) CRITICAL: <core> [core/mem/q_malloc.c:497]: qm_free(): BUG: bad pointer 0x10 (out of memory block!) called from x.c: f(1) - aborting
 3(4245) CRITICAL: <core> [core/mem/q_malloc.c:647]: qm_realloc(): BUG: trying to realloc an already freed pointer 0x7f00 - aborting
 3(4245) CRITICAL: <core> [core/mem/tlsf_malloc.c:1021]: tlsf_free(): BUG: tlsf_free: freeing already freed pointer (0x7f00)
 3(4245) CRITICAL: <core> [core/mem/f_malloc.c:627]: fm_free(): BUG: bad pointer 0x10 (out of memory block (0x7e00)!), called from x.c: f(1) - ignoring
 3(4245) CRITICAL: <core> [core/mem/q_malloc.c:924]: qm_status(): BUG: qm_status: different free frag. count: 3!=4
free(): double free detected in tcache 2
malloc(): corrupted top size
free(): invalid pointer
kamailio: core/mem/tlsf_malloc.c:412: remove_free_block: Assertion `prev && "prev_free field can not be null"' failed.
Segmentation fault (core dumped)
Program received signal SIGSEGV, Segmentation fault.
caught SIGABRT in process 4250
Bus error: SIGBUS
Floating point exception: SIGFPE
 3(4245) CRITICAL: <core> [x.c:1]: f(): BUG: something impossible happened
EOF

# Plan accounting: a fake case file per way of getting it wrong.
: >"$RUNDIR/tap"
plan_case() { # plan_case <plan or ""> <checks> <skip 0|1>: end_plan's lines
	begin_plan
	[ -n "$1" ] && plan "$1"
	_k=0
	while [ $_k -lt "$2" ]; do
		check "fake check $_k" true >/dev/null
		_k=$((_k + 1))
	done
	[ "$3" = 1 ] && skip_rest fake "a reason" >/dev/null
	_before=$(grep -c '^not ok' "$RUNDIR/tap")
	end_plan fake 2>/dev/null >/dev/null
	[ "$(grep -c '^not ok' "$RUNDIR/tap")" = "$_before" ]
}
st "a file that runs its plan passes" 0 plan_case 3 3 0
st "a file that stops early fails" 1 plan_case 3 2 0
st "a file that runs more than planned fails" 1 plan_case 3 4 0
st "a file without a plan fails" 1 plan_case "" 2 0
st "skip_rest completes a plan with skips" 0 plan_case 5 2 1
skips_counted() {
	: >"$RUNDIR/tap"
	begin_plan
	plan 4
	check "fake" true >/dev/null
	skip_rest fake "a reason" >/dev/null
	[ "$(grep -c '^ok - fake # SKIP a reason$' "$RUNDIR/tap")" = 3 ]
}
st "skip_rest prints one '# SKIP <reason>' line per check left" 0 skips_counted
exit $FAILED
