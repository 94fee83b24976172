# Bad input is normal input: every RFC 4475 / RFC 5118 torture message of
# shared/torture goes to the proxy over UDP and over TCP (the RFC 5118 ones,
# LF-only in their archive, also with CRLF line ends).  The proxy must stay up
# and keep serving.  Only inside the test network namespace (run.sh sets it
# up as root): the messages carry Via hosts off this machine, and a proxy
# answering them on the host network would send packets out.

TORTURE_DIR=${TORTURE_DIR:-$TOP/../shared/torture}
if [ -z "${CPM_IN_NETNS:-}" ]; then
	echo "# skipped torture messages: needs root for a network namespace" >&2
elif [ ! -d "$TORTURE_DIR" ]; then
	echo "not ok - torture messages found in $TORTURE_DIR"
else
	send_raw() { # send_raw udp|tcp <file>
		bash -c 'exec 3<>"/dev/$1/127.0.0.1/$2" && cat "$3" >&3 && sleep 0.05' \
			_ "$1" "$PROXY_PORT" "$2" 2>/dev/null
		return 0
	}
	for f in "$TORTURE_DIR"/*.dat; do
		name=$(basename "$f" .dat)
		send_raw udp "$f"
		send_raw tcp "$f"
		if ! grep -q "$(printf '\r')" "$f"; then
			sed 's/$/\r/' "$f" >"$RUNDIR/torture-crlf.dat"
			send_raw udp "$RUNDIR/torture-crlf.dat"
			send_raw tcp "$RUNDIR/torture-crlf.dat"
		fi
		check "torture $name: proxy survives" kill -0 "$KPID"
	done
	check "proxy still relays after the torture messages" \
		sipp_uac unknown_user.xml
fi
