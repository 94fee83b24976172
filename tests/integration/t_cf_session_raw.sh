# cpm_cf: factory INVITEs sipp cannot easily write (issue 7 "Bad input":
# multipart bodies with missing or extra parts, LF-only line ends, a
# resource list in the wrong namespace, 1,500 entries (10,000 do not fit in
# a SIP message this proxy reads: 64 KB; lib/cpm_reslist's unit tests take
# them), a deflated list, an
# offer without MSRP).  Each goes over UDP from bash (";rport" in its Via),
# from another domain (federation: no digest challenge); the CF refuses it
# statelessly before anything is created, so the first line read back is
# the final answer.  Each: a clear 4xx, no session, no crash.
plan 9

# cfr_send <file>: the proxy's answer (one datagram; its header lines, CR
# stripped)
cfr_send() {
	bash -c 'exec 3<>"/dev/udp/127.0.0.1/$1" || exit 1
		cat "$2" >&3
		timeout 3 dd bs=65535 count=1 <&3 2>/dev/null | tr -d "\r" | sed -n "1,/^$/p"' _ "$PROXY_PORT" "$1"
}

CFR_SDP='v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=message 9 TCP/MSRP *\r\na=accept-types:message/cpim\r\na=path:msrp://127.0.0.1:9/raw;tcp\r\n'
CFR_RL='<?xml version="1.0" encoding="UTF-8"?>\r\n<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list><entry uri="sip:cftbob@127.0.0.1"/></list></resource-lists>\r\n'
cfr_sdp_part() { printf -- '--b1\r\nContent-Type: application/sdp\r\n\r\n'"${1:-$CFR_SDP}"'\r\n'; }
cfr_rl_part() { printf -- '--b1\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n%b\r\n'"${2:-$CFR_RL}"'\r\n' "${1:-}"; }

# cfr_invite <name> <body file>: a factory INVITE carrying that body
cfr_invite() {
	_f="$RUNDIR/cfr-$1.sip"
	_len=$(wc -c <"$2")
	{
		printf 'INVITE sip:conference-factory@127.0.0.1:%s SIP/2.0\r\n' "$PROXY_PORT"
		printf 'Via: SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bK-cfr-%s-%s\r\n' "$1" "$$"
		printf 'From: <sip:raw@example.net>;tag=cfr%s\r\n' "$$"
		printf 'To: <sip:conference-factory@127.0.0.1>\r\n'
		printf 'Call-ID: cfr-%s-%s@127.0.0.1\r\n' "$1" "$$"
		printf 'CSeq: 1 INVITE\r\nMax-Forwards: 70\r\n'
		printf 'Contact: <sip:raw@127.0.0.1:9>\r\nRequire: recipient-list-invite\r\n'
		printf 'Content-Type: multipart/mixed;boundary=b1\r\nContent-Length: %s\r\n\r\n' "$_len"
		cat "$2"
	} >"$_f"
	echo "$_f"
}

# cfr_case <description> <name> <expected status line> [Warning line]; body on stdin
cfr_case() {
	cat >"$RUNDIR/cfr-$2.body"
	_ans=$(cfr_send "$(cfr_invite "$2" "$RUNDIR/cfr-$2.body")")
	_ok=0
	printf '%s\n' "$_ans" | head -n 1 | grep -qxF "$3" || _ok=1
	[ -z "${4:-}" ] || printf '%s\n' "$_ans" | grep -qxF "$4" || _ok=1
	check "cf raw: $1" test "$_ok" = 0 || printf '%s\n' "$_ans" | head -n 3 >&2
}

{ cfr_rl_part; printf -- '--b1--'; } |
	cfr_case "a list without SDP part: 400" nosdp "SIP/2.0 400 Missing SDP part"
{ cfr_sdp_part; cfr_rl_part; cfr_rl_part; printf -- '--b1--'; } |
	cfr_case "two recipient lists: 400" twolists "SIP/2.0 400 Duplicate recipient-list part"
{ cfr_sdp_part; cfr_rl_part; printf -- '--b1--\r\n'; } | tr -d '\r' |
	cfr_case "LF-only line ends: 400" lfonly "SIP/2.0 400 Malformed multipart body"
{ cfr_sdp_part; cfr_rl_part "" '<?xml version="1.0"?>\r\n<resource-lists xmlns="urn:example:other"><list><entry uri="sip:cftbob@127.0.0.1"/></list></resource-lists>\r\n'; printf -- '--b1--'; } |
	cfr_case "a resource list in the wrong namespace: 400" wrongns "SIP/2.0 400 Malformed resource list"
{
	cfr_sdp_part
	printf -- '--b1\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list>'
	i=0
	while [ $i -lt 1500 ]; do printf '<entry uri="sip:u%d@127.0.0.1"/>' $i; i=$((i + 1)); done
	printf '</list></resource-lists>\r\n--b1--'
} | cfr_case "1,500 entries (a list as long as a UDP datagram holds): 403 with Warning 102" tenk "SIP/2.0 403 Forbidden" \
	'Warning: 399 127.0.0.1 "102 Too many participants"'
{ cfr_sdp_part; cfr_rl_part 'Content-Encoding: deflate\r\n'; printf -- '--b1--'; } |
	cfr_case "a deflated list (liblinphone): 415" deflate "SIP/2.0 415 Unsupported Media Type"
{ cfr_sdp_part 'v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n'; cfr_rl_part; printf -- '--b1--'; } |
	cfr_case "an offer without MSRP chat: 488" nomsrp "SIP/2.0 488 Not Acceptable Here"
{ cfr_sdp_part; printf -- '--b1\r\nContent-Type: application/resource-lists+xml\r\nContent-Disposition: recipient-list\r\n\r\n<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list><entry uri="sip:cftbob@127.0.0.1"/></list>\r\n--b1--'; } |
	cfr_case "a list cut short (not well-formed): 400" cut "SIP/2.0 400 Malformed resource list"
check "cf raw: no session was created" \
	test "$(kamcmd -s "unix:$RUNDIR/kamailio_ctl" cpm_cf.sessions 2>/dev/null | grep -c 'identity:')" = 0
