# cpm_cf group standalone messages, factory form (RFC 5365; seed 5.1,
# 6.4; issue 7 item 9): a MESSAGE to sip:conference-factory@<domain> with
# Require: recipient-list-message and a multipart/mixed body (the
# resource-lists part with Content-Disposition: recipient-list, and the
# message part) reaches each listed user but the sender with the message
# part (its own Content-Type, its body byte for byte) and the CPM
# identifiers; bad input is refused before anything is sent: more
# recipients than max_participants or 10,000 entries (403 + 102), no
# usable recipient (403 + 129), no Require (403 + 129), a broken multipart,
# a missing or extra part, XXE, billion laughs, a wrong namespace (400 +
# Warning 399 naming the problem).
plan 17

CFL_CTL="unix:$RUNDIR/kamailio_ctl"
CFL_DB=$RUNDIR/cpm.sqlite
CFL_CONV="c0ffee00-0000-4000-8000-0000000cf502"
CFL_TEXT="Hello list: the message part byte for byte"
CFL_B="cpm-boundary_42"

. "$TOP/tests/integration/pf_store_lib.sh"

# cfl_scen <name> <require line or ""> <body file>: a sipp scenario in
# $RUNDIR/<name>.xml sending the body from cfs1 to the factory (digest
# challenge answered once), passing on any final answer
cfl_scen() {
	{
		printf '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="%s">\n' "$1"
		for cseq in 1 2; do
			if [ $cseq = 2 ]; then printf '  <label id="auth"/>\n'; fi
			printf '  <send retrans="500">\n    <![CDATA[\n'
			printf 'MESSAGE sip:conference-factory@[remote_ip]:[remote_port] SIP/2.0\n'
			printf 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n'
			printf 'From: <sip:cfs1@[remote_ip]>;tag=[pid]cfl[call_number]\n'
			printf 'To: <sip:conference-factory@[remote_ip]>\n'
			printf 'Call-ID: [call_id]\nCSeq: %s MESSAGE\nMax-Forwards: 70\n' $cseq
			if [ $cseq = 2 ]; then printf '[authentication]\n'; fi
			[ -n "$2" ] && printf '%s\n' "$2"
			printf 'P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg.group\n'
			printf 'Conversation-ID: %s\nContribution-ID: cfl-[pid]-[call_number]\n' "$CFL_CONV"
			printf 'Content-Type: multipart/mixed;boundary=%s\nContent-Length: [len]\n\n' "$CFL_B"
			# the body as a file: byte for byte (sipp's XML reader would
			# choke on a DOCTYPE in CDATA, and must not touch line ends)
			printf '[file name="%s"]' "$3"
			printf '    ]]>\n  </send>\n'
			if [ $cseq = 1 ]; then
				printf '  <recv response="407" optional="true" auth="true" next="auth"/>\n'
			fi
			for st in 202 400 403 404; do
				printf '  <recv response="%s" optional="true" next="done"/>\n' $st
			done
			printf '  <recv response="500" next="done"/>\n'
		done
		printf '  <label id="done"/>\n</scenario>\n'
	} >"$RUNDIR/$1.xml"
}

# cfl_list <file> <entries...>: a resource-lists document (RFC 4826) with
# cp:copyControl="to" (RFC 5364), as the UP client sends it
cfl_list() {
	_f=$1
	shift
	{
		printf '<?xml version="1.0" encoding="UTF-8"?>\n'
		printf '<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists" xmlns:cp="urn:ietf:params:xml:ns:copycontrol">\n<list>\n'
		for u in "$@"; do
			printf '<entry uri="%s" cp:copyControl="to"/>\n' "$u"
		done
		printf '</list>\n</resource-lists>\n'
	} >"$_f"
}

# cfl_crlf <file>: LF line ends to CRLF (RFC 2046 5.1.1: CRLF delimiters)
cfl_crlf() {
	sed 's/$/\r/' "$1" >"$1.crlf" && mv "$1.crlf" "$1"
}

# cfl_body <file> <list file>: multipart/mixed, the list then the message,
# CRLF line ends
cfl_body() {
	{
		printf -- '--%s\nContent-Type: application/resource-lists+xml\nContent-Disposition: recipient-list\n\n' "$CFL_B"
		cat "$2"
		printf -- '--%s\nContent-Type: text/plain;charset=UTF-8\n\n%s\n--%s--\n' "$CFL_B" "$CFL_TEXT" "$CFL_B"
	} >"$1"
	cfl_crlf "$1"
}

# cfl_send <name> <require> <body file>: runs it; LAST_TRACE, LAST_RC
cfl_send() {
	cfl_scen "$1" "$2" "$3"
	_sd=$SIPP_DIR _n=$1
	shift 3
	SIPP_DIR=$RUNDIR
	sipp_uac "$_n.xml" -key from_user cfs1 "$@"
	SIPP_DIR=$_sd
}

cfl_refused() { # cfl_refused <status line> <warning regexp>
	uac_then test "$(last_status "$LAST_TRACE")" = "$1" &&
		tr -d '\r' <"$LAST_TRACE" | grep -qE "^Warning: 399 [^ ]+ \"$2\"$"
}

CFL_P2=$(next_port) CFL_P3=$(next_port) CFL_P1=$(next_port)
sipp_uas_start pf_store_uas.xml "$CFL_P2" -m 20 -timeout 40s
CFL_T2=$UAS_TRACE CFL_PID2=$UAS_PID
sipp_uas_start pf_store_uas.xml "$CFL_P3" -m 20 -timeout 40s
CFL_T3=$UAS_TRACE CFL_PID3=$UAS_PID
sipp_uas_start pf_store_uas.xml "$CFL_P1" -m 20 -timeout 40s
CFL_T1=$UAS_TRACE CFL_PID1=$UAS_PID
register cfs2 "$CFL_P2" && register cfs3 "$CFL_P3" && register cfs1 "$CFL_P1"
check "list: cfs1, cfs2 and cfs3 registered" test "$LAST_RC" = 0

cfl_list "$RUNDIR/l.ok" "sip:cfs2@$PROXY" "sip:cfs3@$PROXY" "sip:cfs1@$PROXY" "sip:cfs2@localhost"
cfl_body "$RUNDIR/b.ok" "$RUNDIR/l.ok"
cfl_send cfl_ok "Require: recipient-list-message" "$RUNDIR/b.ok"
check "list: the sender gets 202 Accepted" \
	uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
CFL_CID=$(tr -d '\r' <"$LAST_TRACE" | sed -n 's/^Contribution-ID: //p' | tail -n 1)
pf_wait_trace "$CFL_T2" "Contribution-ID: $CFL_CID" 1
pf_wait_trace "$CFL_T3" "Contribution-ID: $CFL_CID" 1
for u in 2 3; do
	eval "t=\$CFL_T$u"
	check "list: cfs$u got the message part once (its Content-Type, its text, the identifiers)" \
		sh -c "[ \"\$(tr -d '\r' <'$t' | grep -cxF 'Contribution-ID: $CFL_CID')\" = 1 ] &&
			tr -d '\r' <'$t' | grep -qxF 'Conversation-ID: $CFL_CONV' &&
			tr -d '\r' <'$t' | grep -qxF 'Content-Type: text/plain;charset=UTF-8' &&
			tr -d '\r' <'$t' | grep -qxF '$CFL_TEXT' &&
			! grep -q 'resource-lists' '$t' &&
			tr -d '\r' <'$t' | grep -qxF 'P-Asserted-Identity: <sip:cfs1@$PROXY>'"
done
sleep 1
check "list: the sender (listed too) got no copy" \
	test "$(count_lines "$CFL_T1" "Contribution-ID: $CFL_CID")" = 0

# bad input: each refused, nothing sent (checked at the end)
cfl_send cfl_noreq "" "$RUNDIR/b.ok"
check "list: no Require: recipient-list-message: 403 + Warning 129" \
	cfl_refused "SIP/2.0 403 Forbidden" "129 No destinations"
i=0
: >"$RUNDIR/l.many.u"
while [ $i -lt 101 ]; do echo "sip:cfsx$i@$PROXY" >>"$RUNDIR/l.many.u"; i=$((i + 1)); done
# shellcheck disable=SC2046
cfl_list "$RUNDIR/l.many" $(cat "$RUNDIR/l.many.u")
cfl_body "$RUNDIR/b.many" "$RUNDIR/l.many"
cfl_send cfl_many "Require: recipient-list-message" "$RUNDIR/b.many"
check "list: 101 recipients, above max_participants (100): 403 + Warning 102" \
	cfl_refused "SIP/2.0 403 Forbidden" "102 Too many participants"
# 1,500 short entries: as many as a UDP datagram holds (~55 KB)
i=0
while [ $i -lt 1500 ]; do echo "sip:u$i@$PROXY"; i=$((i + 1)); done >"$RUNDIR/l.big.u"
# shellcheck disable=SC2046
cfl_list "$RUNDIR/l.big" $(cat "$RUNDIR/l.big.u")
sed -i 's/ cp:copyControl="to"//' "$RUNDIR/l.big"
cfl_body "$RUNDIR/b.big" "$RUNDIR/l.big"
cfl_send cfl_big "Require: recipient-list-message" "$RUNDIR/b.big"
check "list: 1,500 entries: 403 + Warning 102, the parse stops at the limit" \
	cfl_refused "SIP/2.0 403 Forbidden" "102 Too many participants"
# 10,000 entries (~370 KB) fit neither a UDP datagram nor the proxy's TCP
# read buffer (tcp_rd_buf_size 64 KB): over TCP the proxy closes the
# connection unread.  Whatever arrives must never be fanned out.
i=0
while [ $i -lt 10000 ]; do echo "sip:u$i@$PROXY"; i=$((i + 1)); done >"$RUNDIR/l.huge.u"
# shellcheck disable=SC2046
cfl_list "$RUNDIR/l.huge" $(cat "$RUNDIR/l.huge.u")
cfl_body "$RUNDIR/b.huge" "$RUNDIR/l.huge"
cfl_send cfl_huge "Require: recipient-list-message" "$RUNDIR/b.huge" -t t1
check "list: 10,000 entries over TCP: no 202, the connection closed unread" \
	sh -c "! tr -d '\r' <'$LAST_TRACE' 2>/dev/null | grep -q '^SIP/2.0 202'"
cfl_list "$RUNDIR/l.foreign" "sip:bob@example.com" "tel:+15550109999" "sip:cfs1@$PROXY"
cfl_body "$RUNDIR/b.foreign" "$RUNDIR/l.foreign"
cfl_send cfl_foreign "Require: recipient-list-message" "$RUNDIR/b.foreign"
check "list: only the sender and unusable entries: 403 + Warning 129" \
	cfl_refused "SIP/2.0 403 Forbidden" "129 No destinations"
printf -- '--%s\nContent-Type: text/plain\n\nno list here\n--%s--\n' "$CFL_B" "$CFL_B" >"$RUNDIR/b.nolist"
cfl_crlf "$RUNDIR/b.nolist"
cfl_send cfl_nolist "Require: recipient-list-message" "$RUNDIR/b.nolist"
check "list: a multipart body without a list part: 400 + Warning 399 text" \
	cfl_refused "SIP/2.0 400 Bad Request" "Missing or extra body parts.*"
printf -- '--%s\nContent-Type: text/plain\n\nno close delimiter\n' "$CFL_B" >"$RUNDIR/b.broken"
cfl_crlf "$RUNDIR/b.broken"
cfl_send cfl_broken "Require: recipient-list-message" "$RUNDIR/b.broken"
check "list: a broken multipart body (no close delimiter): 400 + Warning 399 text" \
	cfl_refused "SIP/2.0 400 Bad Request" "Malformed multipart body"
printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list><entry uri="sip:cfs2@%s"/><entry uri="&x;"/></list></resource-lists>\n' "$PROXY" >"$RUNDIR/l.xxe"
cfl_body "$RUNDIR/b.xxe" "$RUNDIR/l.xxe"
cfl_send cfl_xxe "Require: recipient-list-message" "$RUNDIR/b.xxe"
check "list: an XXE resource list: 400 + Warning 399, no file read" \
	cfl_refused "SIP/2.0 400 Bad Request" "Invalid recipient list: DOCTYPE.*"
printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list><entry uri="sip:cfs2@%s">&c;</entry></list></resource-lists>\n' "$PROXY" >"$RUNDIR/l.bomb"
cfl_body "$RUNDIR/b.bomb" "$RUNDIR/l.bomb"
cfl_send cfl_bomb "Require: recipient-list-message" "$RUNDIR/b.bomb"
check "list: a billion-laughs resource list: 400 + Warning 399" \
	cfl_refused "SIP/2.0 400 Bad Request" "Invalid recipient list: .*"
sed 's/urn:ietf:params:xml:ns:resource-lists/urn:example:not-resource-lists/' "$RUNDIR/l.ok" >"$RUNDIR/l.ns"
cfl_body "$RUNDIR/b.ns" "$RUNDIR/l.ns"
cfl_send cfl_ns "Require: recipient-list-message" "$RUNDIR/b.ns"
check "list: a resource list in the wrong namespace: 400 + Warning 399" \
	cfl_refused "SIP/2.0 400 Bad Request" "Invalid recipient list: not a resource-lists document.*"

sleep 2
check "list: no refused request reached anybody or was stored" \
	sh -c "[ \"\$(cat '$CFL_T1' '$CFL_T2' '$CFL_T3' | tr -d '\r' | grep -c '^MESSAGE ')\" = 2 ] &&
		[ \"\$(sqlite3 '$CFL_DB' \"SELECT count(*) FROM cpm_store WHERE conversation_id='$CFL_CONV'\")\" = 0 ]"
check "list: kamailio still answers after the bad input" \
	sh -c "kamcmd -s '$CFL_CTL' core.uptime >/dev/null"
kill "$CFL_PID1" "$CFL_PID2" "$CFL_PID3" 2>/dev/null
wait "$CFL_PID1" "$CFL_PID2" "$CFL_PID3" 2>/dev/null
