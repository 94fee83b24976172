# Helpers of tests/bench/run.sh (sourced).  POSIX sh; floats go through awk.

# kam_cpu <main-pid>: utime+stime in clock ticks summed over the Kamailio
# main process and every process it forked (all are its direct children).
kam_cpu() {
	{
		echo "$1"
		pgrep -P "$1"
	} | while read -r _pid; do
		# comm is "(kamailio)": no spaces, so fields 14/15 are utime/stime
		cat "/proc/$_pid/stat" 2>/dev/null
	done | awk '{ t += $14 + $15 } END { printf "%d\n", t }'
}

# sipp_summary <stat-csv> <calls>: from sipp's -trace_stat file print
#   "<successful> <failed> <send-seconds> <retransmissions>"
# send-seconds: time from start to the first statistics row where all
# <calls> calls had been created (1 s resolution with -fd 1).
sipp_summary() {
	awk -F';' -v calls="$2" '
	function epoch(f,  a, n) { n = split(f, a, "\t"); return a[n] + 0 }
	NR == 1 {
		for (i = 1; i <= NF; i++) col[$i] = i
		next
	}
	{
		start = epoch($col["StartTime"]); now = epoch($col["CurrentTime"])
		if (send == "" && $col["OutgoingCall(C)"] + 0 >= calls) send = now - start
		ok = $col["SuccessfulCall(C)"]; fail = $col["FailedCall(C)"]
		retr = $col["Retransmissions(C)"]; last = now - start
	}
	END {
		if (send == "") send = last
		printf "%d %d %.2f %d\n", ok, fail, send, retr
	}' "$1"
}
