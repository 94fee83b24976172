# Bad input is normal input: every RFC 4475 / RFC 5118 torture message of
# shared/torture goes to the proxy over UDP and over TCP (the RFC 5118 ones,
# LF-only in their archive, also with CRLF line ends, as "<name>+crlf").
# Each gets the answer tests/integration/torture.expect names for it (a final
# response of a class, or none where the message must be dropped), and right
# after it the proxy answers an OPTIONS probe with 200: one check per message
# and transport, both conditions.
#
# tests/tools/bin/sipsend sends each file from a socket of its own and reads
# the answer: over TCP on the same connection, over UDP at the source port
# (the cfg's force_rport(), RFC 3581; the messages' Via hosts are 192.0.2.x
# and other names off this machine).  Only inside the test network namespace
# (run.sh sets it up as root): should an answer still follow a Via host, it
# must not leave the machine.
# 148 = the table check + 2 per torture.expect row (73: 61 messages and 12
# CRLF variants) + the relay check at the end.
plan 148

TORTURE_DIR=${TORTURE_DIR:-$TOP/../shared/torture}
TORTURE_EXPECT=$TOP/tests/integration/torture.expect
SIPSEND=$TOP/tests/tools/bin/sipsend
# Wait for an answer: where one is expected it usually comes in a few ms;
# "none" costs the whole wait, so that one is shorter.
TORTURE_WAIT_MS=${TORTURE_WAIT_MS:-5000}
TORTURE_NONE_MS=${TORTURE_NONE_MS:-1500}

# torture_probe <port> <id>: an OPTIONS to the proxy itself (no user part: the
# cfg answers it 200) over UDP; prints the status line or "none".
torture_probe() {
	_pf=$RUNDIR/torture-probe-$1.sip
	_pn=$2
	{
		printf 'OPTIONS sip:%s:%s SIP/2.0\r\n' "$PROXY" "$1"
		printf 'Via: SIP/2.0/UDP %s:9;rport;branch=z9hG4bK-probe-%s-%s\r\n' \
			"$PROXY" "$1" "$_pn"
		printf 'From: <sip:probe@probe.invalid>;tag=probe%s\r\n' "$1"
		printf 'To: <sip:%s:%s>\r\n' "$PROXY" "$1"
		printf 'Call-ID: probe-%s-%s@probe.invalid\r\n' "$1" "$_pn"
		printf 'CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n'
	} >"$_pf"
	"$SIPSEND" udp "$PROXY" "$1" "$_pf" "$TORTURE_WAIT_MS"
}

# torture_pass <port> <udp|tcp> <lf|crlf> <out>: sends every message of the
# table (the LF-only ones with CRLF line ends for "crlf") to the instance on
# <port>, an OPTIONS probe after each; writes "<row name>|<answer>|<probe
# answer>" lines to <out>.  The expected classes are read, not judged, here.
torture_pass() {
	torture_rows | while read -r _name _udp _tcp _why; do
		_base=${_name%+crlf}
		if [ "$3" = crlf ]; then
			[ "$_name" = "$_base" ] && continue
			_f=$RUNDIR/torture-$2-crlf.dat
			sed 's/$/\r/' "$TORTURE_DIR/$_base.dat" >"$_f"
		else
			[ "$_name" = "$_base" ] || continue
			_f=$TORTURE_DIR/$_base.dat
		fi
		_ms=$TORTURE_WAIT_MS
		[ "$(eval echo "\$_$2")" = none ] && _ms=$TORTURE_NONE_MS
		_got=$("$SIPSEND" "$2" "$PROXY" "$1" "$_f" "$_ms" 2>&1)
		echo "$_name|$_got|$(torture_probe "$1" "$2-$_name" 2>&1)"
	done >"$4"
}

# torture_verdict <out> <name> <expected>: expected is a class (2xx .. 6xx),
# "none" (no answer at all) or "final" (any final answer); and the probe
# after the message got 200.
torture_verdict() {
	_line=$(grep -F -- "$2|" "$1" | head -n 1)
	if [ -z "$_line" ]; then
		echo "$2 was not sent (see $1)"
		return 1
	fi
	_got=$(echo "$_line" | cut -d'|' -f2)
	_live=$(echo "$_line" | cut -d'|' -f3)
	case "$_got" in
	"SIP/2.0 "[2-6][0-9][0-9]" "*) _cls=$(echo "$_got" | cut -c9)xx ;;
	none) _cls=none ;;
	*)
		# sipsend itself failed: no verdict, not even "none"
		echo "sipsend failed: $_got"
		return 1
		;;
	esac
	case "$3" in
	final) [ "$_cls" != none ] ;;
	*) [ "$_cls" = "$3" ] ;;
	esac || {
		echo "expected $3, got: $_got"
		return 1
	}
	case "$_live" in
	"SIP/2.0 200 "*) return 0 ;;
	esac
	echo "answered $_got; the OPTIONS probe after it got: $_live"
	return 1
}

# The table: "<name> <udp> <tcp> <reason>", '#' comments.  <name>+crlf is
# the LF-only file <name>.dat with CRLF line ends.
torture_rows() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TORTURE_EXPECT"
}

# Every message of the corpus has its row (a CRLF row for each LF-only
# file), and every row its message: the table cannot silently fall behind.
torture_table_covers() {
	for _f in "$TORTURE_DIR"/*.dat; do
		_n=$(basename "$_f" .dat)
		echo "$_n"
		grep -q "$(printf '\r')" "$_f" || echo "$_n+crlf"
	done | sort >"$RUNDIR/torture-corpus"
	torture_rows | awk '{ print $1 }' | sort >"$RUNDIR/torture-table"
	diff "$RUNDIR/torture-corpus" "$RUNDIR/torture-table"
}

if [ -z "${CPM_IN_NETNS:-}" ]; then
	skip_rest torture "needs root for a network namespace"
elif [ ! -d "$TORTURE_DIR" ]; then
	fail "torture messages found in $TORTURE_DIR" "see shared/torture/README.md"
else
	check "torture: torture.expect has one row per corpus message (and CRLF variant)" \
		torture_table_covers
	# One fresh instance of the cfg per pass, the passes in parallel: a
	# message sent again with the same branch would be a retransmission
	# (RFC 3261 17.2.3) of the earlier copy's transaction, and the state a
	# pass leaves (a torture REGISTER's contact) stays within that pass.
	TORTURE_PIDS=""
	TORTURE_JOB_udp_lf="" TORTURE_JOB_tcp_lf="" TORTURE_JOB_udp_crlf=""
	TORTURE_JOB_tcp_crlf=""
	for pass in udp-lf tcp-lf udp-crlf tcp-crlf; do
		port=$(next_port)
		if start_instance "$RUNDIR/torture-$pass" "$CFG" "$port"; then
			TORTURE_PIDS="$TORTURE_PIDS $INST_PID"
			torture_pass "$port" "${pass%-*}" "${pass#*-}" \
				"$RUNDIR/torture-$pass.got" &
			eval "TORTURE_JOB_$(echo "$pass" | tr - _)=$!"
		else
			echo "instance for $pass did not start" >"$RUNDIR/torture-$pass.got"
		fi
	done
	for job in $TORTURE_JOB_udp_lf $TORTURE_JOB_tcp_lf $TORTURE_JOB_udp_crlf \
		$TORTURE_JOB_tcp_crlf; do
		wait "$job"
	done
	torture_rows | while read -r name udp tcp reason; do
		lf=lf
		[ "$name" = "${name%+crlf}" ] || lf=crlf
		check "torture $name udp: $udp, then alive ($reason)" \
			torture_verdict "$RUNDIR/torture-udp-$lf.got" "$name" "$udp"
		check "torture $name tcp: $tcp, then alive" \
			torture_verdict "$RUNDIR/torture-tcp-$lf.got" "$name" "$tcp"
	done
	check "torture: the proxy still relays after the torture messages (404)" \
		sipp_uac unknown_user.xml
	# shellcheck disable=SC2086
	kill -TERM $TORTURE_PIDS 2>/dev/null
fi
