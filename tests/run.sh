#!/bin/sh
# Runs every test of the project and ends with the line
# "N passed, N failed, N skipped", after a "# skip <group>: <reason>" line for
# each group of checks that did not run.
#
#   1. unit tests (cmocka, TAP output) under valgrind: a valgrind error or
#      leak, a crash or a missing result counts as a failure;
#   2. `kamailio -c` on every cfg the project ships, and on the test cfg;
#   3. the integration harness's self-test (tests/integration/selftest.sh);
#   4. integration tests: the real Kamailio with the real cfg, driven by sipp
#      over loopback (tests/integration/run.sh).
#
# Exits non-zero when anything failed.  Set VALGRIND=0 to skip valgrind.
# A TAP line "ok - <group> # SKIP <reason>" counts as skipped, not passed.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
LOGDIR=${LOGDIR:-$(mktemp -d /tmp/cpm-test.XXXXXX)}
KMODDIR=$(sh "$TOP/mk/kmoddir.sh") || exit 2
export KMODDIR
PASS=0
FAIL=0
SKIP=0
SKIPS=$LOGDIR/skips

# Count TAP lines ("ok ..." / "not ok ..." / "ok ... # SKIP ...") in a file
# and echo them; skipped lines are echoed once per group and reason.
tally() {
	while IFS= read -r line; do
		case "$line" in
		"not ok"*) FAIL=$((FAIL + 1)); echo "  $line" ;;
		"ok"*" # SKIP"*)
			SKIP=$((SKIP + 1))
			grep -qxF -- "$line" "$SKIPS" 2>/dev/null || echo "  $line"
			echo "$line" >>"$SKIPS" ;;
		"ok"*) PASS=$((PASS + 1)); echo "  $line" ;;
		esac
	done <"$1"
}
result() { # result <rc> <name>
	if [ "$1" -eq 0 ]; then PASS=$((PASS + 1)); echo "  ok - $2"
	else FAIL=$((FAIL + 1)); echo "  not ok - $2"; fi
}

echo "== unit tests (cmocka$( [ "${VALGRIND:-1}" = 1 ] && echo ', under valgrind'))"
for t in $(make -s --no-print-directory -C tests/unit list); do
	out="$LOGDIR/$t.tap"
	if [ "${VALGRIND:-1}" = 1 ]; then
		CMOCKA_MESSAGE_OUTPUT=TAP valgrind -q --leak-check=full \
			--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
			--error-exitcode=99 "tests/unit/bin/$t" >"$out" 2>&1
	else
		CMOCKA_MESSAGE_OUTPUT=TAP "tests/unit/bin/$t" >"$out" 2>&1
	fi
	rc=$?
	echo " $t"
	tally "$out"
	planned=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$out" | head -n 1)
	ran=$(grep -c -E '^(not )?ok' "$out")
	if [ "$rc" = 99 ]; then
		result 1 "$t: valgrind reports errors or leaks (see $out)"
		grep -E '^==[0-9]+==' "$out" | head -n 20
	elif [ -z "$planned" ] || [ "$planned" != "$ran" ]; then
		result 1 "$t: ran $ran of ${planned:-?} planned tests (crash?) (see $out)"
	elif [ "$rc" != 0 ] && ! grep -q '^not ok' "$out"; then
		result 1 "$t: exited $rc"
	fi
done

echo "== config checks (kamailio -c)"
for cfg in cfg/*.cfg tests/integration/test.cfg; do
	kamailio -c -f "$cfg" -L "$KMODDIR:$TOP/modules" \
		-A 'DBURL="sqlite:///tmp/cpm-check.sqlite"' \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" \
		>"$LOGDIR/check-$(basename "$cfg").log" 2>&1
	rc=$?
	# -c also reports module version / compile-flags mismatches as errors.
	if [ "$rc" = 0 ] && grep -qiE 'error|mismatch' "$LOGDIR/check-$(basename "$cfg").log"; then
		rc=1
	fi
	result "$rc" "kamailio -c $cfg"
	[ "$rc" = 0 ] || tail -n 20 "$LOGDIR/check-$(basename "$cfg").log"
done
# the PostgreSQL deployment: the shipped cfg with WITH_POSTGRES loads
# db_postgres (kamailio-postgres-modules, mk/deps.sh)
kamailio -c -f cfg/kamailio.cfg -L "$KMODDIR:$TOP/modules" -A WITH_POSTGRES \
	-A 'DBURL="postgres://kamailio@/kamailio"' \
	-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" >"$LOGDIR/check-pg.log" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -qiE 'error|mismatch' "$LOGDIR/check-pg.log"; then
	rc=1
fi
result "$rc" "kamailio -c cfg/kamailio.cfg -A WITH_POSTGRES"
[ "$rc" = 0 ] || tail -n 20 "$LOGDIR/check-pg.log"

echo "== harness self-test (crash scan, plan accounting)"
sh tests/integration/selftest.sh >"$LOGDIR/selftest.tap" 2>&1
rc=$?
tally "$LOGDIR/selftest.tap"
if [ "$rc" != 0 ] && ! grep -q '^not ok' "$LOGDIR/selftest.tap"; then
	result 1 "harness self-test exited $rc (see $LOGDIR/selftest.tap)"
fi

echo "== integration tests (real Kamailio, real cfg, sipp over loopback)"
sh tests/integration/run.sh >"$LOGDIR/integration.tap" 2>"$LOGDIR/integration.err"
rc=$?
tally "$LOGDIR/integration.tap"
if [ "$rc" != 0 ] && ! grep -q '^not ok' "$LOGDIR/integration.tap"; then
	result 1 "integration harness exited $rc (see $LOGDIR/integration.err)"
	tail -n 30 "$LOGDIR/integration.err"
elif [ "$rc" = 0 ] && grep -q '^not ok' "$LOGDIR/integration.tap"; then
	result 1 "integration harness exited 0 after a failure"
fi
[ -s "$LOGDIR/integration.err" ] && grep '^# failed' "$LOGDIR/integration.err" | head -n 40

echo "logs: $LOGDIR"
# "ok - torture # SKIP needs root ..." x 148 -> "# skip torture: needs root ... (148 checks)"
if [ -s "$SKIPS" ]; then
	sed -n 's/^ok[ 0-9]*- \(.*\) # SKIP \(.*\)$/\1: \2/p' "$SKIPS" | sort | uniq -c |
		while read -r n what; do echo "# skip $what ($n checks)"; done
fi
echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" = 0 ]
