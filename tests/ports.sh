# next_port: print a loopback port that is free for UDP and TCP and that no
# earlier call of this run handed out.  Sourced by the integration tests and
# the benchmark.  The ports handed out are kept in the file $PORTS_FILE (set
# by the caller, inside its temporary folder), so the function works in a
# command substitution, whose shell forgets variables.  PORT_BASE (set by the
# caller per process) spreads concurrent runs over different ranges.
next_port() {
	_p=$PORT_BASE
	[ -s "$PORTS_FILE" ] && _p=$(tail -n 1 "$PORTS_FILE")
	while :; do
		_p=$((_p + 1))
		[ "$_p" -gt 65000 ] && _p=20000
		if ! ss -Hlntu "( sport = :$_p )" 2>/dev/null | grep -q .; then
			echo "$_p" >>"$PORTS_FILE"
			echo "$_p"
			return 0
		fi
	done
}
