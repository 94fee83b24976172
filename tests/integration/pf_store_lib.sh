# Helpers of the cpm_pf deferred delivery cases (t_pf_deferred*.sh), sourced
# by each of them (run.sh sources only t_*.sh).

# pf_reg <user> <port> <instance> <expires>: REGISTER a device with
# +sip.instance "<urn:uuid:<instance>>"
pf_reg() {
	sipp_uac pf_store_register.xml -key user "$1" -key contact_port "$2" \
		-key instance "$3" -key expires "$4"
}

# pf_wait_sql <db> <sql> <want> [tenths]: poll (20 s, or <tenths> x 0.1 s)
# until the query prints <want>; the writer commits asynchronously to the
# SIP answers
pf_wait_sql() {
	_w=0
	while [ $_w -lt "${4:-200}" ]; do
		[ "$(sqlite3 "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
		sleep 0.1
		_w=$((_w + 1))
	done
	echo "$2 -> $(sqlite3 "$1" "$2" 2>&1), want $3"
	return 1
}

# pf_kill9 <pid>: SIGKILL a Kamailio instance and every process it forked
# (a crash of the whole server, not a clean stop)
pf_kill9() {
	_kids=$(pgrep -P "$1")
	# shellcheck disable=SC2086
	kill -KILL "$1" $_kids 2>/dev/null
	_w=0
	while kill -0 "$1" 2>/dev/null && [ $_w -lt 50 ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	wait "$1" 2>/dev/null
	return 0
}

# pf_wait_trace <trace> <fixed string> <count>: poll (10 s) until the trace
# holds the line <count> times (a UAS still running)
pf_wait_trace() {
	_w=0
	while [ $_w -lt 100 ]; do
		[ "$(count_lines "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.1
		_w=$((_w + 1))
	done
	return 1
}
