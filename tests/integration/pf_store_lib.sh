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
# SIP answers.  <db>: an SQLite file or a postgres:// URL (mk/dbsql.sh)
pf_wait_sql() {
	_w=0
	while [ $_w -lt "${4:-200}" ]; do
		[ "$(sh "$TOP/mk/dbsql.sh" "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
		sleep 0.1
		_w=$((_w + 1))
	done
	echo "$2 -> $(sh "$TOP/mk/dbsql.sh" "$1" "$2" 2>&1), want $3"
	return 1
}

# pf_body <trace> <contribution-id>: print the body (Content-Length bytes,
# CRLFs as on the wire) of the last MESSAGE in a sipp trace (-trace_msg)
# that carries "Contribution-ID: <contribution-id>"
pf_body() {
	LC_ALL=C awk -v cid="Contribution-ID: $2" '
	function flush(  i, body, inb, hit, cl) {
		if (n < 3 || blk[3] !~ /^MESSAGE /) return
		body = ""; inb = 0; hit = 0; cl = -1
		for (i = 3; i <= n; i++) {
			if (inb) { body = body blk[i] "\n"; continue }
			if (blk[i] == "\r") { inb = 1; continue }
			if (blk[i] == cid "\r") hit = 1
			# sipp pads the value it computes ("Content-Length:   139")
			if (blk[i] ~ /^Content-Length: *[0-9]+\r$/) {
				cl = blk[i]
				gsub(/[^0-9]/, "", cl)
				cl += 0
			}
		}
		if (hit && cl >= 0) out = substr(body, 1, cl)
	}
	/^----------------------------------------------- / { flush(); n = 0; next }
	{ blk[++n] = $0 }
	END { flush(); printf "%s", out }' "$1"
}

# pf_hex: standard input as lowercase hex, one line
pf_hex() {
	od -An -v -tx1 | tr -d ' \n'
	echo
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
