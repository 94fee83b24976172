# cpm_headers against bytes sipp cannot send: NUL and 8-bit octets inside a
# CPM header, a thousand duplicates, a 30 KB value, folded values.  Each
# request goes over UDP from bash with ";rport" in its Via, so the proxy
# answers to the sending socket; the test reads the status line back.  The
# From is in another domain (federation: accepted without a challenge), as
# bash cannot answer a digest challenge.
plan 9

# raw_status <file>: print the first line of the proxy's answer to <file>
raw_status() {
	bash -c 'exec 3<>"/dev/udp/127.0.0.1/$1" || exit 1
		cat "$2" >&3
		timeout 3 head -n 1 <&3 | tr -d "\r"' _ "$PROXY_PORT" "$1"
}

# raw_msg <name> <extra header lines (printf format, \r\n separated)>:
# write a MESSAGE to cpmhbob with those header lines into $RUNDIR/<name>.sip
raw_msg() {
	_f="$RUNDIR/raw-$1.sip"
	{
		printf 'MESSAGE sip:cpmhbob@127.0.0.1:%s SIP/2.0\r\n' "$PROXY_PORT"
		printf 'Via: SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bK-raw-%s-%s\r\n' "$1" "$$"
		printf 'From: <sip:raw@example.net>;tag=raw%s\r\n' "$$"
		printf 'To: <sip:cpmhbob@127.0.0.1>\r\n'
		printf 'Call-ID: raw-%s-%s@127.0.0.1\r\n' "$1" "$$"
		printf 'CSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n'
		printf "$2"
		printf 'Content-Type: text/plain\r\nContent-Length: 3\r\n\r\nraw'
	} >"$_f"
	echo "$_f"
}

raw_expect() { # raw_expect <file> <status line>
	_got=$(raw_status "$1")
	[ "$_got" = "$2" ] || { echo "expected [$2], got [$_got]"; return 1; }
}

# raw_case <description> <name> <header lines> <status line>: one check
raw_case() {
	check "cpm raw: $1" raw_expect "$(raw_msg "$2" "$3")" "$4"
}

raw_case "NUL inside Conversation-ID refused (400 Malformed)" \
	nul 'Conversation-ID: abc\000def\r\nContribution-ID: c1\r\n' \
	"SIP/2.0 400 Malformed Conversation-ID header"

raw_case "UTF-8 octets in Contribution-ID refused (400 Malformed)" \
	utf8 'Conversation-ID: a1\r\nContribution-ID: caf\303\251\r\n' \
	"SIP/2.0 400 Malformed Contribution-ID header"

raw_case "8-bit octets in InReplyTo-Contribution-ID refused (400 Malformed)" \
	latin1 'Conversation-ID: a1\r\nContribution-ID: c1\r\nInReplyTo-Contribution-ID: \377\376\r\n' \
	"SIP/2.0 400 Malformed InReplyTo-Contribution-ID header"

dups=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "Contribution-ID: d%d\\r\\n", i }')
raw_case "a thousand Contribution-ID headers refused (400 Duplicate)" \
	dups "Conversation-ID: a1\\r\\n$dups" \
	"SIP/2.0 400 Duplicate Contribution-ID header"

big=$(awk 'BEGIN { for (i = 0; i < 30000; i++) printf "x" }')
raw_case "a 30 KB Conversation-ID refused (400 Malformed)" \
	big "Conversation-ID: $big\\r\\nContribution-ID: c1\\r\\n" \
	"SIP/2.0 400 Malformed Conversation-ID header"

raw_case "names with whitespace before the colon, any case, still counted (400 Duplicate)" \
	spaced 'Conversation-ID : a1\r\ncontribution-id\t: c1\r\nCONTRIBUTION-ID: c2\r\n' \
	"SIP/2.0 400 Duplicate Contribution-ID header"

raw_case "a Contribution-ID folded over two lines refused (400 Malformed)" \
	folded 'Conversation-ID: a1\r\nContribution-ID: c1\r\n c2\r\n' \
	"SIP/2.0 400 Malformed Contribution-ID header"

# A bare CR is no line end in SIP: "a1\rb" is one value with a control
# character in it.
raw_case "a bare CR inside Conversation-ID refused (400 Malformed)" \
	crinval 'Conversation-ID: a1\rb\r\nContribution-ID: c1\r\n' \
	"SIP/2.0 400 Malformed Conversation-ID header"
check "cpm raw: proxy alive after the raw CPM messages" kill -0 "$KPID"
