# Integration test library: sourced by tests/integration/run.sh, which starts
# the real Kamailio with tests/integration/test.cfg (the shipped
# cfg/kamailio.cfg included byte for byte, plus the test hooks) and its
# modules on a free loopback port, then sources every
# tests/integration/t_*.sh in name order.  A case file calls the functions
# below; each `check` prints one TAP line ("ok - name" / "not ok - name").
#
# Counting (docs/development.md, "Integration tests"):
#   - a case file starts with `plan <n>`: the number of TAP lines it prints,
#     a literal number.  run.sh reports "not ok" for a file that prints more
#     or fewer (one that stops early, one that forgot to update its plan);
#   - one check per assertion on what arrived: "a response came" is never a
#     check of its own, it is part of the check of what the response holds;
#   - `skip_rest <group> <reason>` stands for every check the file has not
#     run yet ("ok - <group> # SKIP <reason>" each; tests/run.sh counts them
#     as skipped, not passed, and names the group and the reason);
#   - every Kamailio log a case produces is registered with `kamailio_log`
#     (start_instance does it); run.sh scans them all for crashes at the end,
#     and a registered log that is missing is a failure.
#
# Variables a case may read:
#   TOP          checkout root            SIPP_DIR   $TOP/sipp
#   RUNDIR       this run's temp folder   PROXY      127.0.0.1
#   PROXY_PORT   Kamailio's UDP+TCP port  KLOG       Kamailio's log file
#   TRUSTED_IP   127.0.0.2: a trusted peer (group 1 of the address table)
#   SIPP_IP      (set by a case) sipp's local address, default 127.0.0.1;
#                SIPP_IP=$TRUSTED_IP sends as the trusted peer
#
# Users: every user in cfg/demo-users.txt and tests/integration/users.txt
# is provisioned in the test database (mk/provision.sh, realm 127.0.0.1).
# sipp_uac, sipp_load and register answer digest challenges with the
# credentials of the user named by "-key from_user" or "-key user" (alice
# when neither is given), unless the arguments carry -au of their own.
#
# Functions:
#   plan <n>                        this file prints <n> TAP lines
#   next_port                       print a loopback port free for UDP and TCP
#   check <name> <cmd> [args...]    run cmd; TAP line by its exit status (the
#                                   cmd's output goes to $RUNDIR/checks.log,
#                                   and to stderr when it fails)
#   fail <name> <why>               a "not ok" line without a command
#   skip_rest <group> <reason>      the file's remaining planned checks skipped
#   kamailio_log <file>             register a Kamailio log for the crash scan
#   crash_scan <log>...             print every crash / memory-error line of
#                                   the logs; status 1 if any, or a log missing
#   sipp_uac <scen> [sipp args]     one sipp UAC call towards the proxy; exit 0
#                                   iff the scenario passed; its messages are
#                                   traced to $LAST_TRACE
#   sipp_load <scen> <calls> [sipp args]
#                                   <calls> calls of a UAC scenario at 500/s;
#                                   exit 0 iff every call passed
#   sipp_uas_start <scen> <port> [sipp args]
#                                   a sipp UAS in the background for one call;
#                                   trace in $UAS_TRACE
#   sipp_uas_wait                   wait (bounded) for the last UAS; its status
#   start_instance <dir> <cfg> <port> [kamailio args]
#                                   a second Kamailio for a case of its own;
#                                   sets INST_PID once it answers
#   register <user> <contact-port> [expires]
#                                   REGISTER <user>@127.0.0.1 with Contact
#                                   sip:<user>@127.0.0.1:<contact-port>
#   pw_of <user>                    the user's password from the users files
#   provision_db <db>               users + trusted peer into a test database
#                                   (an SQLite file or a postgres:// URL)
#   last_status <trace>             the last status line in a trace
#   has_line <trace> <line>         the traced messages hold <line> exactly
#                                   (a whole header line, CRLF stripped)
#   trace_has <line>                the last sipp_uac passed and its trace
#                                   holds <line>
#   uas_has <line>                  the last UAS passed (waited for once) and
#                                   its trace holds <line>
#   uac_then / uas_then <cmd> [args...]
#                                   the last UAC / UAS passed, and cmd passes
#
# A sipp call that only shows that something arrived is not a check of its
# own: run it bare and make each check of what arrived depend on it
# (trace_has, uas_has, uac_then, uas_then).  A check of the status a UAC
# scenario expects (e.g. "200 comes back") is an assertion and stays one.
#   count_lines <trace> <line>      how many times
#
# sipp keywords: every sipp call gets -key proxy_port $PROXY_PORT; pass more
# with -key name value, used in scenarios as [name].

PROXY=127.0.0.1
TRUSTED_IP=127.0.0.2
USERS_FILES="$TOP/cfg/demo-users.txt $TOP/tests/integration/users.txt"
_SEQ=0
PORTS_FILE=$RUNDIR/ports
. "$TOP/tests/ports.sh"

# Every TAP line also goes to $RUNDIR/tap, so that counts survive a check
# run in a subshell: run.sh counts the lines of each file there.
_tap() {
	echo "$1"
	echo "$1" >>"$RUNDIR/tap"
}

plan() {
	case "${1:-}" in
	'' | *[!0-9]*) _tap "not ok - plan: '${1:-}' is no number" ;;
	*) echo "$1" >"$RUNDIR/plan" ;;
	esac
}

check() {
	_check_name=$1
	shift
	_check_out=$RUNDIR/check.out
	if "$@" >"$_check_out" 2>&1; then
		_tap "ok - $_check_name"
	else
		_tap "not ok - $_check_name"
		echo "# failed: $_check_name ($*)" >&2
		sed 's/^/#   /' "$_check_out" | head -n 20 >&2
	fi
	cat "$_check_out" >>"$RUNDIR/checks.log"
}

fail() {
	_tap "not ok - $1"
	echo "# failed: $1: $2" >&2
}

# begin_plan / end_plan <case>: run.sh calls them around each case file;
# end_plan fails the file unless it printed exactly the TAP lines planned.
begin_plan() {
	rm -f "$RUNDIR/plan"
	wc -l <"$RUNDIR/tap" >"$RUNDIR/tap.start"
}

end_plan() {
	_ran=$(($(wc -l <"$RUNDIR/tap") - $(cat "$RUNDIR/tap.start")))
	if [ ! -s "$RUNDIR/plan" ]; then
		fail "$1: declares its plan" "no 'plan <n>' line ran ($_ran checks)"
	elif [ "$_ran" != "$(cat "$RUNDIR/plan")" ]; then
		fail "$1: ran $_ran of $(cat "$RUNDIR/plan") planned checks" \
			"a check missing or added without updating the plan"
	fi
}

skip_rest() { # skip_rest <group> <reason>
	_planned=$(cat "$RUNDIR/plan" 2>/dev/null || echo 0)
	_done=$(($(wc -l <"$RUNDIR/tap") - $(cat "$RUNDIR/tap.start")))
	while [ "$_done" -lt "$_planned" ]; do
		_tap "ok - $1 # SKIP $2"
		_done=$((_done + 1))
	done
}

kamailio_log() {
	echo "$1" >>"$RUNDIR/klogs"
}

# What Kamailio (core/main.c, core/mem/{q,f,tlsf}_malloc.c), glibc and the
# kernel write when a process dies or memory is corrupted.  "signal 2/15
# received" (a normal stop) does not match.
CRASH_RE='exited by a signal|stopped by a signal|core was generated|core dumped'
CRASH_RE="$CRASH_RE"'|terminating due to SIGCHLD|SIG(SEGV|ABRT|BUS|FPE|ILL)'
CRASH_RE="$CRASH_RE"'|signal (4|6|7|8|11)([^0-9]|$)|[Ss]egmentation fault|BUG:'
CRASH_RE="$CRASH_RE"'|freeing already freed|already freed|overwritten'
CRASH_RE="$CRASH_RE"'|bad pointer|out of memory block|different free frag'
CRASH_RE="$CRASH_RE"'|double free|corrupted|free\(\): invalid|Assertion .* failed'

crash_scan() {
	_bad=0
	if [ $# = 0 ]; then
		echo "no log to scan"
		return 1
	fi
	for _l in "$@"; do
		if [ ! -f "$_l" ]; then
			echo "missing log: $_l"
			_bad=1
			continue
		fi
		# grep: 0 = a match, 1 = none, 2 = cannot read; only 1 is clean.
		_hits=$(grep -nE -- "$CRASH_RE" "$_l")
		case $? in
		0) printf '%s:\n%s\n' "$_l" "$_hits" | head -n 21; _bad=1 ;;
		1) ;;
		*) echo "cannot read log: $_l"; _bad=1 ;;
		esac
	done
	return $_bad
}

pw_of() {
	# shellcheck disable=SC2086
	awk -v u="$1" '$1 == u { print $2; exit }' $USERS_FILES
}

# provision_db <db>: the users of USERS_FILES (realm = the listen
# address), the demo preference profiles (cfg/demo-prefs.sql) and TRUSTED_IP
# as a trusted peer (address table, group 1).  <db>: an SQLite file or a
# postgres:// URL (mk/dbsql.sh)
provision_db() {
	# shellcheck disable=SC2086
	sh "$TOP/mk/provision.sh" "$1" "$PROXY" $USERS_FILES &&
		sh "$TOP/mk/provision-prefs.sh" "$1" "$TOP/cfg/demo-prefs.sql" &&
		sh "$TOP/mk/provision-identities.sh" "$1" "$PROXY" \
			"$TOP/cfg/demo-identities.txt" "$TOP/tests/integration/identities.txt" &&
		echo "DELETE FROM address WHERE ip_addr = '$TRUSTED_IP';
			INSERT INTO address (grp, ip_addr, mask, port, tag)
			VALUES (1, '$TRUSTED_IP', 32, 0, 'test trusted peer');" |
		sh "$TOP/mk/dbsql.sh" "$1"
}

# _sipp_auth [sipp args]: "-au <user> -ap <password>" for the From user the
# arguments name (-key from_user / -key user; alice by default); nothing when
# they carry -au already
_sipp_auth() {
	_au=alice
	while [ $# -gt 0 ]; do
		case "$1" in
		-au) return 0 ;;
		-key) case "${2:-}" in from_user | user) _au=${3:-} ;; esac ;;
		esac
		shift
	done
	_ap=$(pw_of "$_au")
	echo "-au $_au${_ap:+ -ap $_ap}"
}

_sipp_common() {
	echo "-nostdin -trace_err -key proxy_port $PROXY_PORT -timeout 15s -timeout_error"
}

sipp_uac() {
	_scen=$1
	shift
	_SEQ=$((_SEQ + 1))
	_port=$(next_port)
	LAST_TRACE="$RUNDIR/uac.$_SEQ.$(basename "$_scen" .xml).msg"
	# shellcheck disable=SC2046
	sipp -sf "$SIPP_DIR/$_scen" $(_sipp_common) -i "${SIPP_IP:-127.0.0.1}" \
		-p "$_port" -m 1 $(_sipp_auth "$@") \
		-trace_msg -message_file "$LAST_TRACE" \
		-error_file "$RUNDIR/uac.$_SEQ.err" "$@" "$PROXY:$PROXY_PORT" \
		>"$RUNDIR/uac.$_SEQ.out" 2>&1
	LAST_RC=$?
	return $LAST_RC
}

sipp_load() { # sipp_load <scen> <calls> [sipp args]: <calls> calls at 500/s
	_scen=$1 _calls=$2
	shift 2
	_SEQ=$((_SEQ + 1))
	_port=$(next_port)
	# shellcheck disable=SC2046
	sipp -sf "$SIPP_DIR/$_scen" $(_sipp_common) -i "${SIPP_IP:-127.0.0.1}" \
		-p "$_port" $(_sipp_auth "$@") -m "$_calls" -r 500 -l 100 -error_file "$RUNDIR/load.$_SEQ.err" \
		"$@" "$PROXY:$PROXY_PORT" >"$RUNDIR/load.$_SEQ.out" 2>&1
}

sipp_uas_start() {
	_scen=$1
	_port=$2
	shift 2
	_SEQ=$((_SEQ + 1))
	UAS_TRACE="$RUNDIR/uas.$_SEQ.$(basename "$_scen" .xml).msg"
	# shellcheck disable=SC2046
	sipp -sf "$SIPP_DIR/$_scen" $(_sipp_common) -i "${SIPP_IP:-127.0.0.1}" \
		-p "$_port" -m 1 -trace_msg -message_file "$UAS_TRACE" \
		-error_file "$RUNDIR/uas.$_SEQ.err" "$@" \
		>"$RUNDIR/uas.$_SEQ.out" 2>&1 &
	UAS_PID=$!
	UAS_RC=""
	echo "$UAS_PID" >>"$RUNDIR/sipp.pids"
	# sipp binds its socket at once; give it a moment before traffic comes.
	_i=0
	while [ $_i -lt 50 ] && ! ss -Hlnu "( sport = :$_port )" | grep -q .; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

sipp_uas_wait() {
	if [ -z "${UAS_RC:-}" ]; then
		wait "$UAS_PID"
		UAS_RC=$?
	fi
	return "$UAS_RC"
}

uac_then() {
	if [ "${LAST_RC:-1}" != 0 ]; then
		echo "the UAC scenario failed (exit ${LAST_RC:-?}; trace $LAST_TRACE)"
		return 1
	fi
	"$@"
}

uas_then() {
	if ! sipp_uas_wait; then
		echo "the UAS scenario failed (exit $UAS_RC; trace $UAS_TRACE)"
		return 1
	fi
	"$@"
}

trace_has() {
	uac_then has_line "$LAST_TRACE" "$1"
}

uas_has() {
	uas_then has_line "$UAS_TRACE" "$1"
}

register() {
	sipp_uac register.xml -key user "$1" -key contact_port "$2" \
		-key expires "${3:-600}"
}

# start_instance <dir> <cfg> <port> [kamailio args]: another Kamailio (an
# instance of its own in <dir>: SQLite, ctl socket, log) for cases that need
# a different cfg or option; waits until it answers; sets INST_PID.  run.sh's
# cleanup stops it.  With INST_DBURL set to a postgres:// URL the instance
# runs on that PostgreSQL database instead (schemas and users loaded into
# it, cfg define WITH_POSTGRES).
start_instance() {
	_dir=$1 _cfg=$2 _iport=$3
	shift 3
	mkdir -p "$_dir"
	_db=${INST_DBURL:-$_dir/cpm.sqlite}
	sh "$TOP/mk/dbinit.sh" "$_db" && provision_db "$_db" || return 1
	case "$_db" in
	postgres://*) set -- -A WITH_POSTGRES "$@" ;;
	*) _db="sqlite://$_db" ;;
	esac
	/usr/sbin/kamailio -f "$_cfg" -DD -E -m 64 -M 8 \
		-L "$KMODDIR:$TOP/modules" \
		-Y "$_dir" -P "$_dir/kamailio.pid" -A "SIP_PORT=$_iport" \
		-A "DBURL=\"$_db\"" \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" "$@" \
		>"$_dir/kamailio.log" 2>&1 &
	INST_PID=$!
	kamailio_log "$_dir/kamailio.log"
	echo "$INST_PID" >>"$RUNDIR/sipp.pids"
	_i=0
	until kamcmd -s "unix:$_dir/kamailio_ctl" core.uptime >/dev/null 2>&1; do
		_i=$((_i + 1))
		if [ $_i -gt 100 ] || ! kill -0 "$INST_PID" 2>/dev/null; then
			tail -n 20 "$_dir/kamailio.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

last_status() {
	tr -d '\r' <"$1" | grep '^SIP/2.0 [0-9]' | tail -n 1
}

has_line() {
	[ -f "$1" ] && tr -d '\r' <"$1" | grep -qxF -- "$2"
}

count_lines() {
	if [ -f "$1" ]; then tr -d '\r' <"$1" | grep -cxF -- "$2"; else echo 0; fi
}
