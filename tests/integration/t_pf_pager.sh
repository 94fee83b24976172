# cpm_pf, Pager Mode size (seed 5.1) on the wire: a MESSAGE body above
# max_pager_size (cfg: 4096 bytes) gets 413 with a reason phrase telling the
# client to use Large Message Mode, over UDP and over TCP; over TCP the
# oversized request (30000 bytes: above the core's default 16 KB read
# buffer, within the cfg's tcp_rd_buf_size) is answered, not dropped with
# the connection, and the next request on the same connection is served.
# At the limit, and for an RCS 5.x client's MESSAGE (Contribution-ID, no
# Conversation-ID; client-dialects.md), the message is delivered.
plan 7

PFG_BOB_PORT=$(next_port)
PFG_413="SIP/2.0 413 Request Entity Too Large: use Large Message Mode (MSRP)"
pfg_body() { head -c "$1" /dev/zero | tr '\0' x; }

# pfg_msg <body bytes> <h1> <v1> [sipp args]: pfgbob's MESSAGE to itself
pfg_msg() {
	_n=$1 _h=$2 _v=$3
	shift 3
	sipp_uac pf_msg.xml -key from_user pfgbob -key from_name '' \
		-key to_user pfgbob -key body "$(pfg_body "$_n")" \
		-key h1 "$_h" -key v1 "$_v" -key h2 X-Pad2 -key v2 2 \
		-key h3 X-Pad3 -key v3 3 "$@"
}

check "pf pager: pfgbob registers" register pfgbob "$PFG_BOB_PORT"

pfg_msg 5000 X-Pad 1
check "pf pager: UDP MESSAGE with a 5000-byte body -> 413, use Large Message Mode, no Warning (Table 1 has no code for it)" \
	uac_then sh -c "[ \"\$(tr -d '\r' <'$LAST_TRACE' | grep '^SIP/2.0' | tail -n 1)\" = '$PFG_413' ] &&
		! tr -d '\r' <'$LAST_TRACE' | grep -qi '^Warning:'"

# the scenario ends the body with CRLF: 4094 + 2 = 4096 bytes
sipp_uas_start uas_message.xml "$PFG_BOB_PORT"
pfg_msg 4094 X-Pad 1
check "pf pager: a body of exactly max_pager_size (4096 bytes) is delivered" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qx 'Content-Length: *4096' &&
		tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 200 OK'"

# RCS 5.x dialect: Contribution-ID without Conversation-ID, a pager body
# above the seed's 1300 "should" (CPIM + IMDN headers around 1300 bytes)
sipp_uas_start uas_message.xml "$PFG_BOB_PORT"
pfg_msg 1800 Contribution-ID "pfg-rcs-$$"
check "pf pager: RCS 5.x MESSAGE (Contribution-ID only) of 1800 bytes is delivered" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qxF 'Contribution-ID: pfg-rcs-$$' &&
		tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 200 OK'"

# TCP: 30000 bytes, then a small MESSAGE on the same connection
sipp_uas_start uas_message.xml "$PFG_BOB_PORT"
sipp_uac pf_pager_tcp.xml -t t1 -key from_user pfgbob -key to_user pfgbob \
	-key body "$(pfg_body 30000)"
check "pf pager: TCP MESSAGE with a 30000-byte body -> 413 (answered, not dropped)" \
	has_line "$LAST_TRACE" "$PFG_413"
check "pf pager: the same TCP connection then carries a MESSAGE that is delivered (200)" \
	uac_then uas_then true

pfg_stat() {
	kamcmd -s "unix:$RUNDIR/kamailio_ctl" stats.get_statistics cpm_pf: 2>/dev/null |
		sed -n "s/.*cpm_pf:$1 = \([0-9]*\).*/\1/p"
}
pfg_stats() {
	_p=$(pfg_stat pager_too_large)
	echo "pager_too_large=$_p"
	[ "${_p:-0}" -ge 2 ]
}
check "pf pager: statistic pager_too_large counts" pfg_stats
