# cpm_pf disposition notifications (RFC 5438; seed 4.1 "with/without
# disposition notifications"; issue 6 item 5).  On an instance of its own
# (store_expiry 3 s, sweep every second): a stored message whose CPIM asks
# for negative-delivery expires -> the sender (a registered sipp UAS) gets a
# MESSAGE from the PF carrying a CPIM-wrapped IMDN "failed" for its
# imdn.Message-ID; one that asks only for positive-delivery expires without
# an IMDN.  On the main instance, raw over UDP from another domain (bash
# cannot answer a digest challenge): malformed CPIM and hostile IMDN XML are
# 4xx and nothing is stored; a valid IMDN to an offline user is stored (202)
# and delivered byte-identical when the user registers.
plan 21

. "$TOP/tests/integration/pf_store_lib.sh"

# ---- expiry -> negative-delivery IMDN (own instance) ----------------------
IM_DIR=$RUNDIR/pfimdn
IM_PORT=$(next_port)
IM_UAS=$(next_port)
IM_DB=$IM_DIR/cpm.sqlite
MAIN_PROXY_PORT=$PROXY_PORT
IM_NEG="imdn-neg-0001"
IM_POS="imdn-pos-0002"

if ! start_instance "$IM_DIR" "$TOP/tests/integration/test.cfg" "$IM_PORT" \
	-A PF_STORE_EXPIRY=3 -A PF_STORE_SWEEP=1; then
	fail "imdn: an instance of its own starts" "see $IM_DIR/kamailio.log"
	skip_rest imdn-expiry "the instance did not start"
else
	PROXY_PORT=$IM_PORT
	sipp_uas_start pf_store_uas.xml "$IM_UAS" -timeout 30s
	pf_reg pfia "$IM_UAS" "66666666-aaaa-4aaa-8aaa-000000000006" 600
	im_st=""
	sipp_uac pf_imdn_message.xml -key from_user pfia -key to_user pfib \
		-key conv im-conv -key contrib im-contrib-1 -key irt im-irt \
		-key msgid "$IM_NEG" -key dn "negative-delivery, display" -key text "never read"
	im_st="$im_st$(last_status "$LAST_TRACE" | cut -d' ' -f2) "
	sipp_uac pf_imdn_message.xml -key from_user pfia -key to_user pfib \
		-key conv im-conv -key contrib im-contrib-2 -key irt im-irt \
		-key msgid "$IM_POS" -key dn "positive-delivery" -key text "never read either"
	im_st="$im_st$(last_status "$LAST_TRACE" | cut -d' ' -f2) "
	check "imdn: both messages to the offline user are stored (202 202)" \
		test "$im_st" = "202 202 "
	check "imdn: the store keeps the negative-delivery request of the first only" \
		test "$(sqlite3 "$IM_DB" "SELECT message_id || ' ' || sender || ' ' || recipient FROM cpm_store_imdn")" = "$IM_NEG sip:pfia@127.0.0.1 sip:pfib@127.0.0.1"
	check "imdn: at expiry both leave the store, and the IMDN row with them" \
		pf_wait_sql "$IM_DB" "SELECT (SELECT count(*) FROM cpm_store WHERE username='pfib') + (SELECT count(*) FROM cpm_store_imdn)" 0
	# on failure: what the instance counted
	im_got_imdn() {
		uas_has "Content-Type: message/cpim" || {
			kamcmd -s "unix:$IM_DIR/kamailio_ctl" stats.get_statistics cpm_pf: | grep -E 'imdn|expired'
			return 1
		}
	}
	check "imdn: the sender gets a MESSAGE carrying message/cpim" im_got_imdn
	im_ids() { has_line "$UAS_TRACE" "Conversation-ID: im-conv" && has_line "$UAS_TRACE" "Contribution-ID: im-contrib-1"; }
	check "imdn: it carries the original Conversation-ID and Contribution-ID (seed 5.3)" im_ids
	check "imdn: CPIM From is the recipient, To the original sender (RFC 5438 7.2.1.1)" \
		sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qxF 'From: <sip:pfib@127.0.0.1>' &&
			tr -d '\r' <'$UAS_TRACE' | grep -qxF 'To: <sip:pfia@127.0.0.1>' &&
			tr -d '\r' <'$UAS_TRACE' | grep -qxF 'NS: imdn <urn:ietf:params:imdn>'"
	check "imdn: inner Content-Type message/imdn+xml, Content-Disposition notification" \
		sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qxF 'Content-Type: message/imdn+xml' &&
			tr -d '\r' <'$UAS_TRACE' | grep -qxF 'Content-Disposition: notification'"
	check "imdn: the XML names the original imdn.Message-ID and says failed" \
		sh -c "tr -d '\r\n' <'$UAS_TRACE' | grep -qF '<message-id>$IM_NEG</message-id>' &&
			tr -d '\r\n ' <'$UAS_TRACE' | grep -qF '<delivery-notification><status><failed/></status></delivery-notification>'"
	check "imdn: one negative-delivery IMDN sent (none for positive-delivery only)" \
		sh -c "kamcmd -s 'unix:$IM_DIR/kamailio_ctl' stats.get_statistics cpm_pf: | grep -qxF 'cpm_pf:imdn_negative_sent = 1' &&
			! grep -qF '$IM_POS' '$UAS_TRACE'"
	kill -TERM "$INST_PID" 2>/dev/null
	PROXY_PORT=$MAIN_PROXY_PORT
fi

# ---- bad input, deferred IMDN (main instance, raw UDP) ---------------------
PFDB=$RUNDIR/cpm.sqlite

# im_raw <name> <user> <cpim body>: a MESSAGE from another domain to <user>
# with Content-Type message/cpim and that body; prints the status line
im_raw() {
	_f="$RUNDIR/imdn-$1.sip"
	_b="$RUNDIR/imdn-$1.body"
	printf '%s' "$3" >"$_b"
	{
		printf 'MESSAGE sip:%s@127.0.0.1:%s SIP/2.0\r\n' "$2" "$PROXY_PORT"
		printf 'Via: SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bK-imdn-%s-%s\r\n' "$1" "$$"
		printf 'From: <sip:raw@example.net>;tag=imdn%s\r\n' "$$"
		printf 'To: <sip:%s@127.0.0.1>\r\n' "$2"
		printf 'Call-ID: imdn-%s-%s@127.0.0.1\r\n' "$1" "$$"
		printf 'CSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n'
		printf 'Content-Type: message/cpim\r\nContent-Length: %s\r\n\r\n' "$(wc -c <"$_b")"
		cat "$_b"
	} >"$_f"
	bash -c 'exec 3<>"/dev/udp/127.0.0.1/$1" || exit 1
		cat "$2" >&3
		timeout 5 head -n 1 <&3 | tr -d "\r"' _ "$PROXY_PORT" "$_f"
}

# im_expect <want> <name> <user> <variable holding the body> (a name, so
# that a failing check does not print 30 KB)
im_expect() {
	eval "_body=\$$4"
	_got=$(im_raw "$2" "$3" "$_body")
	[ "$_got" = "$1" ] || { echo "expected [$1], got [$_got]"; return 1; }
}

# a CPIM-wrapped IMDN around <xml>
im_cpim() {
	printf 'From: <sip:raw@example.net>\r\nTo: <sip:pfic@127.0.0.1>\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: raw-imdn-1\r\nDateTime: 2026-11-25T12:00:00Z\r\n\r\nContent-Type: message/imdn+xml\r\nContent-Disposition: notification\r\n\r\n%s' "$1"
}
IM_OK_XML='<?xml version="1.0" encoding="UTF-8"?><imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>orig-77</message-id><datetime>2026-11-25T11:00:00Z</datetime><delivery-notification><status><delivered/></status></delivery-notification></imdn>'

IM_BAD=$(printf 'From <sip:raw@example.net>\r\n\r\nContent-Type: text/plain\r\n\r\nhi')
check "bad input: malformed CPIM (a header line without a colon) is 400 naming it" \
	im_expect "SIP/2.0 400 Malformed CPIM body" badcpim pfic IM_BAD
IM_XXE=$(im_cpim '<?xml version="1.0"?><!DOCTYPE imdn [<!ENTITY x SYSTEM "file:///etc/passwd">]><imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>&x;</message-id></imdn>')
check "bad input: XXE (external entity in a DOCTYPE) is 400" \
	im_expect "SIP/2.0 400 Invalid IMDN body: DOCTYPE or entity declaration not allowed" xxe pfic IM_XXE
IM_LOL='<!DOCTYPE imdn [<!ENTITY a "lollollollollollollollollollol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]><imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>&i;</message-id></imdn>'
IM_LOL_C=$(im_cpim "$IM_LOL")
check "bad input: billion laughs is 400" \
	im_expect "SIP/2.0 400 Invalid IMDN body: DOCTYPE or entity declaration not allowed" lol pfic IM_LOL_C
IM_DEEP=$(im_cpim "$(python3 -c 'print("<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">" + "<a>" * 450 + "</a>" * 450 + "</imdn>", end="")')")
check "bad input: 450 levels deep (fits max_pager_size) is 400 by the depth limit" \
	im_expect "SIP/2.0 400 Invalid IMDN body: XML elements nested too deep" deep pfic IM_DEEP
IM_DEEP5=$(im_cpim "$(python3 -c 'print("<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">" + "<a>" * 5000 + "</a>" * 5000 + "</imdn>", end="")')")
check "bad input: 5,000 levels deep is refused before parsing (413, max_pager_size)" \
	im_expect "SIP/2.0 413 Request Entity Too Large: use Large Message Mode (MSRP)" deep5 pfic IM_DEEP5
IM_NS=$(im_cpim "$(printf '%s' "$IM_OK_XML" | sed 's/urn:ietf:params:xml:ns:imdn/urn:example:not-imdn/')")
check "bad input: an IMDN in another namespace is 400" \
	im_expect "SIP/2.0 400 Invalid IMDN body: unexpected XML document (root element or namespace)" ns pfic IM_NS
check "bad input: nothing of it was stored" \
	test "$(sqlite3 "$PFDB" "SELECT count(*) FROM cpm_store WHERE username='pfic'")" = 0

# a valid IMDN (from a client such as linphone) to an offline user
IM_D=$(next_port)
IM_OK=$(im_cpim "$IM_OK_XML")
check "deferred IMDN: a valid message/imdn+xml to an offline user is stored (202)" \
	im_expect "SIP/2.0 202 Accepted" valid pfid IM_OK
sipp_uas_start pf_store_uas.xml "$IM_D" -timeout 15s
pf_reg pfid "$IM_D" "77777777-dddd-4ddd-8ddd-000000000007" 600
check "deferred IMDN: delivered on registration, body byte-identical" \
	uas_then sh -c "im_body_out=\$(mktemp); python3 - '$UAS_TRACE' >\"\$im_body_out\" <<'PY'
import re, sys
t = open(sys.argv[1], 'rb').read()
m = t[t.find(b'MESSAGE sip:'):]
h, _, rest = m.partition(b'\r\n\r\n')
n = int(re.search(rb'(?im)^content-length:\s*(\d+)', h).group(1))
sys.stdout.buffer.write(rest[:n])
PY
cmp \"\$im_body_out\" '$RUNDIR/imdn-valid.body'; r=\$?; rm -f \"\$im_body_out\"; exit \$r"
# a device refusing the stored message for good (415) -> IMDN to the sender
IM_S=$(next_port)
IM_R=$(next_port)
IM_REF="imdn-ref-0003"
sipp_uas_start pf_store_uas.xml "$IM_S" -timeout 20s
IM_S_PID=$UAS_PID IM_S_TRACE=$UAS_TRACE
pf_reg pfie "$IM_S" "88888888-eeee-4eee-8eee-000000000008" 600
sipp_uac pf_imdn_message.xml -key from_user pfie -key to_user pfif \
	-key conv im-conv-r -key contrib im-contrib-r -key irt im-irt \
	-key msgid "$IM_REF" -key dn "negative-delivery" -key text "refused later"
IM_REF_ST=$(last_status "$LAST_TRACE" | cut -d' ' -f2)
sipp_uas_start pf_imdn_uas415.xml "$IM_R" -timeout 15s
pf_reg pfif "$IM_R" "99999999-ffff-4fff-8fff-000000000009" 600
sipp_uas_wait
UAS_PID=$IM_S_PID UAS_TRACE=$IM_S_TRACE UAS_RC=""
im_refused() {
	[ "$IM_REF_ST" = 202 ] || { echo "store: $IM_REF_ST"; return 1; }
	uas_then tr -d '\r\n' <"$IM_S_TRACE" >"$RUNDIR/imdn-ref.flat" &&
		grep -qF "<message-id>$IM_REF</message-id>" "$RUNDIR/imdn-ref.flat" &&
		grep -qF '<failed/>' "$RUNDIR/imdn-ref.flat" &&
		has_line "$IM_S_TRACE" 'From: <sip:pfif@127.0.0.1>'
}
check "refusal: a 415 from the device on delivery from the store sends the sender a failed IMDN" \
	im_refused
check "refusal: the message stays stored for the user's other devices, its IMDN row goes" \
	test "$(sqlite3 "$PFDB" "SELECT (SELECT count(*) FROM cpm_store WHERE username='pfif') || ' ' || (SELECT count(*) FROM cpm_store_imdn WHERE message_id='$IM_REF')")" = "1 0"

im_stats() {
	_s=$(kamcmd -s "unix:$RUNDIR/kamailio_ctl" stats.get_statistics cpm_pf:)
	printf '%s\n' "$_s" | grep -qxF 'cpm_pf:cpim_malformed = 1' &&
		printf '%s\n' "$_s" | grep -qxF 'cpm_pf:imdn_refused = 4' ||
		{ printf '%s\n' "$_s" | grep -E 'cpim|imdn'; return 1; }
}
check "stats: cpim_malformed and imdn_refused count the refusals" im_stats
